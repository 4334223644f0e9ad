"""How the workbooks print on A4: column widths that fit the page at a readable scale, row heights
for wrapped text, and lines on a page.

Excel, WPS and LibreOffice print a sheet "fitted to one page wide" at whatever scale makes its
columns fit, and none of them grows a row for wrapped text when the file sets no height. So the
widths are chosen here to fit A4 at `MIN_SCALE` or more (11 pt body text prints at 7.3 pt or
more as LibreOffice on Linux draws it, its words' boxes 9 pt high or more, and larger in Excel),
and every row gets the height its wrapped text needs.

Units: a column width is in characters, the width of a digit of the workbook's default font
(Calibri 11): 7 px in Excel and WPS, about 9 px in LibreOffice where Calibri is missing and
DejaVu Sans stands in. Lines of wrapped text are counted at 7 px (the narrowest column, so no
renderer clips them) and pages are fitted at 9 px (the widest, so every renderer prints at
`MIN_SCALE` or more). A display width (`xlsx.display_width`) counts a CJK character as two.
"""

from __future__ import annotations

import functools
import math
import unicodedata

A4 = {"landscape": (842.0, 595.0), "portrait": (595.0, 842.0)}  # points
SIDE_MARGIN = 0.3  # inches, left and right
TOP_MARGIN, BOTTOM_MARGIN = 0.9, 0.8  # inches; the header and footer print inside them
HEADER_MARGIN = FOOTER_MARGIN = 0.3  # inches from the paper's edge to the header / footer text
MIN_SCALE = 0.66  # the smallest print scale a table's widths may need: 11 pt prints at 7.3 pt
NARROW_PX, WIDE_PX = 7, 9  # a column width character in Excel and WPS; in LibreOffice on Linux
BODY_SIZE = 11.0  # points
LINE_FACTOR = 1.45  # line height over font size (Noto CJK as LibreOffice draws 宋体; SimSun needs less)
CELL_PADDING = 4.0  # points above and below a cell's text


def column_points(width: float, px: int = WIDE_PX) -> float:
    """Printed width at 100 % of a column `width` characters wide (`px` a character plus 5 px)."""
    return (px * width + 5) * 0.75


def page_points(orientation: str) -> tuple[float, float]:
    """The printable width and height of an A4 page, inside the margins."""
    width, height = A4[orientation]
    return width - 2 * SIDE_MARGIN * 72, height - (TOP_MARGIN + BOTTOM_MARGIN) * 72


def page_columns(orientation: str, columns: int, scale: float = MIN_SCALE) -> float:
    """The sum of column widths that `columns` columns may have to print at `scale` on one page."""
    width, _ = page_points(orientation)
    return (width / scale / 0.75 - 5 * columns) / WIDE_PX


def fit_widths(natural: list[float], minimum: list[float], budget: float) -> list[float]:
    """Narrows the columns, never below their minimum, until the widths sum to `budget`.

    Every column gives up the same share of what it has beyond its minimum, so the columns of
    long texts stay the widest.

    Args:
        natural: each column's width fitted to its content.
        minimum: each column's narrowest width (its header over three lines, its dates and numbers).
        budget: the widths' total allowed.

    Returns:
        The widths, in column order.
    """
    floors = [min(n, m) for n, m in zip(natural, minimum, strict=True)]
    spare = sum(natural) - sum(floors)
    if sum(natural) <= budget or spare <= 0:
        return list(natural)
    keep = max(0.0, (budget - sum(floors)) / spare)
    return [round(f + (n - f) * keep, 1) for n, f in zip(natural, floors, strict=True)]


def display_width(text: object) -> float:
    """Approximate column width of a text: CJK characters count double."""
    shown = str(text)
    if shown.isascii():  # no ASCII character is wide, and most cells are numbers or dates
        return len(shown)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown)


@functools.lru_cache(maxsize=1 << 16)  # the same texts (dates, outlets, names) fill most cells
def print_width(text: object) -> float:
    """A text's printed width in half ems: a CJK character is one em, other characters count a
    little more than half an em (Latin letters of a proportional font, words wrapping whole)."""
    shown = str(text)
    wide = 0 if shown.isascii() else sum(unicodedata.east_asian_width(ch) in "WF" for ch in shown)
    return 2 * wide + 1.2 * (len(shown) - wide)


def text_lines(text: object, width: float, size: float = BODY_SIZE) -> int:
    """Lines a text takes wrapped in a column `width` characters wide, in a font of `size` points."""
    if text is None or text == "":
        return 1
    per_line = line_capacity(width, size)
    return sum(max(1, math.ceil(print_width(part) / per_line)) for part in str(text).split("\n"))


def line_capacity(width: float, size: float = BODY_SIZE) -> float:
    """The printed width in half ems that fits on one line of a column `width` characters wide."""
    return max(1.0, (column_points(width, NARROW_PX) - 6) / (size / 2))


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    """The height in points of a row showing `lines` lines of text of `size` points."""
    return round(lines * size * LINE_FACTOR + CELL_PADDING, 1)


def header_minimum(label: str) -> float:
    """The narrowest width at which a header label wraps onto at most three lines."""
    return math.ceil(display_width(label) / 3) + 2


def fit_scale(orientation: str, widths: list[float]) -> float:
    """The scale at which columns of `widths` fill one page's width (at most 100 %)."""
    width, _ = page_points(orientation)
    return min(1.0, width / sum(column_points(w) for w in widths))


def last_row_of_page(
    heights: list[float], last_used: int, title_row: int, scale: float, orientation: str = "landscape"
) -> int:
    """The last row of the page on which row `last_used` prints, so that a print area ending
    there finishes that page with the blank rows that follow.

    Args:
        heights: every row's height in points, from row 1 to the last row there is.
        last_used: the last row with content (at least the title row).
        title_row: the row repeated at the top of every page after the first.
        scale: the print scale.
        orientation: how the sheet prints.

    Returns:
        A 1-based row number, at most len(heights).
    """
    room = page_points(orientation)[1] / scale * 0.96  # rounding of the scale, LibreOffice's spacing
    filled, row = 0.0, 0
    for row, height in enumerate(heights, start=1):
        if filled + height > room:
            if row > max(last_used, title_row):
                return row - 1
            filled = heights[title_row - 1]
        filled += height
    return row
