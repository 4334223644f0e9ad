"""The circular's bar chart, drawn once as geometry and output twice: a PNG for the Word file and
an inline SVG for the HTML page.

The PNG is drawn with PyMuPDF and the CJK font it ships (`pymupdf.Font("cjk")`), so Chinese unit
names come out as real glyphs on a machine set up only by `pip install -r requirements.txt`,
whatever fonts the system has. The SVG names the usual Chinese font stack and lets the browser
choose.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import pymupdf
from markupsafe import Markup, escape

WIDTH = 440.0  # points: the chart is placed 150 mm wide in the Word file (text block 156 mm)
ROW = 20.0
BAR = 12.0
FONT_SIZE = 10.0
TITLE_SIZE = 12.0
TOP = 30.0
BOTTOM = 12.0
GAP = 6.0
VALUE_ROOM = 40.0
BAR_COLOUR = (0.27, 0.45, 0.77)
TEXT_COLOUR = (0.1, 0.1, 0.1)
PNG_DPI = 200
SVG_FONTS = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','SimHei','Heiti SC',sans-serif"


@dataclass(frozen=True)
class Bar:
    """One unit's bar: its label and value text, where the bar's row sits and how long the bar is."""

    label: str
    value: str
    top: float
    length: float


@dataclass(frozen=True)
class Layout:
    """Everything both outputs draw, in points from the top left corner."""

    title: str
    width: float
    height: float
    bar_left: float
    bars: tuple[Bar, ...]


@cache
def font() -> pymupdf.Font:
    """The CJK font shipped inside PyMuPDF (Droid Sans Fallback: CJK, Latin and digits)."""
    return pymupdf.Font("cjk")


def layout(chart: dict) -> Layout:
    """Places the bars of `chart` ({"title", "labels", "values"}) in the order given, first at the top."""
    labels = [str(label) for label in chart["labels"]]
    values = [float(value) for value in chart["values"]]
    label_width = max((text_width(label, FONT_SIZE) for label in labels), default=0.0)
    bar_left = GAP + label_width + GAP
    room = max(WIDTH - bar_left - VALUE_ROOM, 1.0)
    top_value = max((v for v in values if v > 0), default=1.0)
    bars = tuple(
        Bar(label, value_text(value), TOP + index * ROW, room * max(value, 0.0) / top_value)
        for index, (label, value) in enumerate(zip(labels, values, strict=True))
    )
    return Layout(str(chart["title"]), WIDTH, TOP + len(bars) * ROW + BOTTOM, bar_left, bars)


def text_width(text: str, size: float) -> float:
    """A generous width of `text`: a full em for Chinese, 0.62 em for other characters.

    Estimated rather than measured, so that the page's layout (and the golden HTML of the tests)
    does not change with the PyMuPDF version's font; each line is right-aligned by its true width.
    """
    wide = sum(unicodedata.east_asian_width(char) in "WF" for char in text)
    return size * (wide + 0.62 * (len(text) - wide))


def value_text(value: float) -> str:
    """A value as people write it: 12.5, 12 (never 12.0)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def png(chart: dict) -> bytes:
    """The chart as a PNG (200 dpi), Chinese labels drawn with the font PyMuPDF ships."""
    shape = layout(chart)
    document = pymupdf.open()
    page = document.new_page(width=shape.width, height=shape.height)
    writer = pymupdf.TextWriter(page.rect)
    title_width = font().text_length(shape.title, fontsize=TITLE_SIZE)
    writer.append(((shape.width - title_width) / 2, TOP - 12), shape.title, font=font(), fontsize=TITLE_SIZE)
    for bar in shape.bars:
        baseline = bar.top + ROW / 2 + FONT_SIZE * 0.35
        label_width = font().text_length(bar.label, fontsize=FONT_SIZE)
        writer.append((shape.bar_left - GAP - label_width, baseline), bar.label, font=font(), fontsize=FONT_SIZE)
        writer.append((shape.bar_left + bar.length + 3, baseline), bar.value, font=font(), fontsize=FONT_SIZE)
        if bar.length > 0:
            rect = pymupdf.Rect(shape.bar_left, _bar_top(bar), shape.bar_left + bar.length, _bar_top(bar) + BAR)
            page.draw_rect(rect, color=None, fill=BAR_COLOUR)
    page.draw_line((shape.bar_left, TOP), (shape.bar_left, shape.height - BOTTOM), color=TEXT_COLOUR, width=0.6)
    writer.write_text(page, color=TEXT_COLOUR)
    picture = page.get_pixmap(dpi=PNG_DPI).tobytes("png")
    document.close()
    return picture


def svg(chart: dict) -> Markup:
    """The chart as inline SVG markup; every text in it is escaped."""
    shape = layout(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {_n(shape.width)} {_n(shape.height)}"'
        f' role="img" aria-label="{escape(shape.title)}" font-family="{SVG_FONTS}">',
        f'<text x="{_n(shape.width / 2)}" y="{_n(TOP - 12)}" text-anchor="middle" font-size="{_n(TITLE_SIZE)}">'
        f"{escape(shape.title)}</text>",
    ]
    for bar in shape.bars:
        middle = bar.top + ROW / 2
        parts.append(
            f'<text x="{_n(shape.bar_left - GAP)}" y="{_n(middle)}" text-anchor="end" dominant-baseline="central"'
            f' font-size="{_n(FONT_SIZE)}">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{_n(shape.bar_left)}" y="{_n(_bar_top(bar))}" width="{_n(bar.length)}" height="{_n(BAR)}"'
            f' fill="{_hex(BAR_COLOUR)}"/>'
        )
        parts.append(
            f'<text x="{_n(shape.bar_left + bar.length + 3)}" y="{_n(middle)}" dominant-baseline="central"'
            f' font-size="{_n(FONT_SIZE)}">{escape(bar.value)}</text>'
        )
    parts.append(
        f'<line x1="{_n(shape.bar_left)}" y1="{_n(TOP)}" x2="{_n(shape.bar_left)}" y2="{_n(shape.height - BOTTOM)}"'
        f' stroke="{_hex(TEXT_COLOUR)}" stroke-width="0.6"/>'
    )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _bar_top(bar: Bar) -> float:
    return bar.top + (ROW - BAR) / 2


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _hex(colour: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(part * 255):02x}" for part in colour)
