"""How the workbooks print on A4: column widths that fit the page at a readable scale, row heights
for wrapped text, and lines on a page.

Excel, WPS and LibreOffice print a sheet "fitted to one page wide" at whatever scale makes its
columns fit, and none of them grows a row for wrapped text when the file sets no height. So the
widths are chosen here to fit A4 at `MIN_SCALE` or more (11 pt body text prints at 7.3 pt or
more as LibreOffice on Linux draws it, its words' boxes 9 pt high or more, and larger in Excel),
and every row gets the height its wrapped text needs.

Units: a column width is in characters, the width of a digit of the workbook's default font
(Calibri 11): 7 px in Excel and WPS, about 9.3 px in LibreOffice where Calibri is missing and
DejaVu Sans stands in. Pages are fitted at 9 px (so every renderer prints at `MIN_SCALE` or
more). Wrapped lines are counted for each renderer as it breaks them (`lines_in_excel`:
宋体, ASCII half an em; `lines_in_libreoffice`: DejaVu Sans for ASCII, Noto Sans CJK for CJK),
and a row is as high as the higher of the two needs (`text_lines`, `row_height`). Widths go
where they lower the rows most (`balance_widths`). Numbers and dates never wrap: their columns
are as wide as their text shown in either renderer (`shown_width`). A display width
(`display_width`) counts a CJK character as two.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable

A4 = {"landscape": (842.0, 595.0), "portrait": (595.0, 842.0)}  # points
SIDE_MARGIN = 0.3  # inches, left and right
TOP_MARGIN, BOTTOM_MARGIN = 0.9, 0.8  # inches; the header and footer print inside them
HEADER_MARGIN = FOOTER_MARGIN = 0.3  # inches from the paper's edge to the header / footer text
MIN_SCALE = 0.66  # the smallest print scale a table's widths may need: 11 pt prints at 7.3 pt
NARROW_PX, WIDE_PX = 7, 9  # a column width character in Excel and WPS; in LibreOffice on Linux
LIBRE_PX = 9.2  # a column width character in LibreOffice on Linux, measured (9.28 px), a little less
BODY_SIZE = 11.0  # points
LINE_FACTOR = 1.45  # line height over font size (Noto CJK as LibreOffice draws 宋体: 1.16 + 0.29 em)
LATIN_LINE_FACTOR = 1.17  # the same for text without CJK (DejaVu Sans: 0.93 + 0.24 em)
EXCEL_LINE_FACTOR = 1.3  # the same in Excel and WPS (SimSun: 14.25 pt a line of 11 pt)
ONE_LINE = EXCEL_LINE_FACTOR / LINE_FACTOR  # one line of Latin text, in LibreOffice's CJK lines
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


def balance_widths(
    natural: list[float],
    minimum: list[float],
    budget: float,
    texts: list[list[str]],
    steps: tuple[int, ...] = (1, 2, 4, 8),
) -> list[float]:
    """Widths summing to `budget` at most that make the table's rows as low as can be: from their
    minimum, the columns are widened one at a time, each time the one (and by the one of `steps`)
    that lowers the rows the most for its width (then the one whose own lines drop most), never
    past their natural width.

    Args:
        natural: each column's width fitted to its content.
        minimum: each column's narrowest width.
        budget: the widths' total allowed.
        texts: the rows' texts (a sample of a long table), one list a row, "" where a column has
            a number or a date.
        steps: the widenings tried, in characters.

    Returns:
        The widths, in column order.
    """
    if sum(natural) <= budget:
        return list(natural)
    widths = [min(n, m) for n, m in zip(natural, minimum, strict=True)]
    spare = budget - sum(widths)
    columns = [c for c in range(len(widths)) if any(row[c] for row in texts)]

    def lines_at(c: int, width: float) -> list[float]:
        return [text_lines(row[c], width) for row in texts]

    now = {c: lines_at(c, widths[c]) for c in columns}
    wider = {c: {k: lines_at(c, min(natural[c], widths[c] + k)) for k in steps} for c in columns}
    while spare > 0.05:
        best, best_gain = None, (0.0, 0.0)
        tops = [[*sorted((now[c][r] for c in columns), reverse=True)[:2], 1.0] for r in range(len(texts))]
        for c in (c for c in columns if widths[c] < natural[c]):
            for k in (k for k in steps if k <= spare + 0.05):
                rows = sum(
                    top[0] - max(wider[c][k][r], top[1] if now[c][r] == top[0] else top[0])
                    for r, top in enumerate(tops)
                )
                used = min(k, natural[c] - widths[c])
                gain = (round(rows / used, 3), round((sum(now[c]) - sum(wider[c][k])) / used, 3))
                if gain > best_gain:
                    best, best_gain = (c, k), gain
        if best is None:
            break
        c, k = best
        grown = min(natural[c], widths[c] + k)
        spare -= grown - widths[c]
        widths[c] = grown
        now[c] = wider[c][k]
        wider[c] = {k: lines_at(c, min(natural[c], grown + k)) for k in steps}
    if spare > 0.05:  # no column's widening lowers a row: the rest goes to every column alike
        widths = fit_widths(natural, widths, sum(widths) + spare)
    return [round(w, 1) for w in widths]


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


def text_lines(text: object, width: float, size: float = BODY_SIZE) -> float:
    """Lines' worth of height a text needs wrapped in a column `width` characters wide, in a font
    of `size` points, counted in lines of CJK text as LibreOffice draws them (`row_height`): the
    larger of the heights LibreOffice and Excel give it, so that neither clips it. Excel's lines
    hold fewer characters but are lower (1.3 em against 1.45); LibreOffice's lines without CJK
    are lower still (1.17 em)."""
    if text is None or text == "":
        return 1
    shown = str(text)
    if len(shown) <= _one_line_room(width, size) and "\n" not in shown:  # as `_text_lines` finds it, sooner
        return ONE_LINE if shown.isascii() else 1
    return _text_lines(shown.translate(_ALIKE), width, size)


@functools.lru_cache(maxsize=1 << 10)
def _one_line_room(width: float, size: float) -> float:
    """The characters a column holds on one line in both renderers (no character is over an em
    wide); `_ALIKE` keeps a text's length, line breaks and whether it is ASCII."""
    return min(excel_room(width, size), libre_room(width, size))


@functools.lru_cache(maxsize=1 << 16)
def _text_lines(shown: str, width: float, size: float) -> float:
    excel_ems, libre_ems = excel_room(width, size), libre_room(width, size)
    if len(shown) <= min(excel_ems, libre_ems) and "\n" not in shown:
        return ONE_LINE if shown.isascii() else 1  # no character is over an em wide: one line in both
    parts = shown.split("\n")
    excel = sum(_excel_lines(part, excel_ems) for part in parts)
    libre = sum(
        _paragraph_lines(part, libre_ems, libre_em, slash=True)
        * (LATIN_LINE_FACTOR / LINE_FACTOR if part.isascii() else 1)
        for part in parts
    )
    return round(max(libre, excel * EXCEL_LINE_FACTOR / LINE_FACTOR), 2)


def lines_in_libreoffice(text: str, width: float, size: float = BODY_SIZE) -> int:
    """The lines a paragraph (no line break) takes in a column `width` wide in LibreOffice."""
    return _paragraph_lines(text, libre_room(width, size), libre_em, slash=True)


def lines_in_excel(text: str, width: float, size: float = BODY_SIZE) -> int:
    """The lines a paragraph (no line break) takes in a column `width` wide in Excel and WPS,
    whether or not they break a line after a slash (as in a web address)."""
    return _excel_lines(text, excel_room(width, size))


def _excel_lines(text: str, room: float) -> int:
    lines = _paragraph_lines(text, room, excel_em, slash=True)
    return max(lines, _paragraph_lines(text, room, excel_em, slash=False)) if "/" in text else lines


def libre_room(width: float, size: float = BODY_SIZE) -> float:
    """The width in ems of `size` points that LibreOffice wraps text to in a column `width` wide."""
    return max(0.5, (LIBRE_PX * width - 4) / (size * 4 / 3))


def excel_room(width: float, size: float = BODY_SIZE) -> float:
    """The width in ems of `size` points that Excel and WPS wrap text to in a column `width` wide."""
    return max(0.5, (NARROW_PX * width + 1) / (size * 4 / 3))


def shown_width(text: str) -> float:
    """The column width a text that never wraps (a number or a date as shown) needs, at 11 pt, in
    Excel (宋体 draws every ASCII character half an em wide) and in LibreOffice (DejaVu Sans)."""
    return _shown_width(text.translate(_ALIKE))


@functools.lru_cache(maxsize=1 << 12)  # a long table's numbers and dates have few shapes (`_ALIKE`)
def _shown_width(text: str) -> float:
    size_px = BODY_SIZE * 4 / 3
    excel = sum(excel_em(ch) for ch in text) * size_px / NARROW_PX
    libre = (sum(libre_em(ch) for ch in text) * size_px + 4) / LIBRE_PX
    return max(excel, libre)


@functools.lru_cache(maxsize=4096)
def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


@functools.cache
def excel_em(ch: str) -> float:
    """A character's advance in ems as Excel draws 宋体 (SimSun): ASCII half an em, CJK one."""
    return 0.5 if ch.isascii() or not _wide(ch) else 1.0


@functools.cache
def libre_em(ch: str) -> float:
    """A character's advance in ems as LibreOffice on Linux draws 宋体: DejaVu Sans for ASCII,
    Noto Sans CJK for CJK (and, to be safe, for characters of ambiguous width such as “”)."""
    if ch.isascii():
        return _DEJAVU.get(ch, 0.64)
    return 1.0 if _wide(ch) else 0.64


# DejaVu Sans advances in ems of the ASCII characters not 0.64 em wide (digits are 0.64).
_DEJAVU = {
    ch: em
    for chars, em in (
        ("'", 0.27),
        ("ijl", 0.28),
        ("IJ", 0.29),
        (" ,.", 0.32),
        ("/:;\\|", 0.34),
        ("f", 0.35),
        ("-", 0.36),
        ("()[]t", 0.39),
        ("!", 0.4),
        ("r", 0.41),
        ('"', 0.46),
        ("*_`", 0.5),
        ("sz", 0.52),
        ("?", 0.53),
        ("c", 0.55),
        ("L", 0.56),
        ("Fk", 0.58),
        ("vxy", 0.59),
        ("P", 0.6),
        ("TYao", 0.61),
        ("e", 0.62),
        ("ESbdghnpqu", 0.63),
        ("K", 0.66),
        ("AV", 0.68),
        ("BRXZ", 0.69),
        ("C", 0.7),
        ("U", 0.73),
        ("HN", 0.75),
        ("DG", 0.77),
        ("&", 0.78),
        ("OQ", 0.79),
        ("w", 0.82),
        ("#+<=>^~", 0.84),
        ("M", 0.86),
        ("%", 0.95),
        ("m", 0.97),
        ("W", 0.99),
        ("@", 1.0),
    )
    for ch in chars
}
# Where a line may break: after a space or a hyphen (and after a slash in LibreOffice), on either
# side of a CJK character, but never before closing punctuation nor after opening punctuation.
_CLOSING = set("，。、；：！？）》」』”’〕】…·,.;:!?)]}%")
_OPENING = set("（《「『“‘〔【([{")


class _Table(dict):
    """A function's values by argument, each worked out on first use: looking a text's characters
    up one by one (`map(table.__getitem__, text)`) is cheaper than calling a cached function."""

    def __init__(self, function: Callable) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: object) -> object:
        value = self[key] = self.function(key)
        return value


_EXCEL, _LIBRE = _Table(excel_em).__getitem__, _Table(libre_em).__getitem__
_EMS = {excel_em: (0, _EXCEL), libre_em: (1, _LIBRE)}  # a measure's place in `_layout`
# CJK ideographs: one em wide in both renderers, and each a unit of its own (`_units`) unless
# opening punctuation comes before it or closing punctuation after it.
_RUN = re.compile(
    "(?<![{}])[\u3400-\u4dbf\u4e00-\u9fff]+(?![{}])".format(
        re.escape("".join(sorted(_OPENING))), re.escape("".join(sorted(_CLOSING)))
    )
)


# Characters that wrap alike, as one of them: every CJK ideograph of `_RUN` is one em wide in both
# renderers and breaks alike, and so are the digits (half an em in Excel, 0.64 in DejaVu Sans).
# Two titles of a long table then often wrap as one text (`text_lines`, worked out once).
_ALIKE = str.maketrans({**dict.fromkeys(map(chr, [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]), "一"),
                        **dict.fromkeys("0123456789", "0")})  # fmt: skip


# A character's part in where a line may break, as bits (`_units`).
_WIDE, _SHUT, _OPEN, _AFTER, _SLASH = 1, 2, 4, 8, 16


def _kind(ch: str) -> int:
    return (
        (_WIDE if _wide(ch) else 0)
        | (_SHUT if ch in _CLOSING else 0)
        | (_OPEN if ch in _OPENING else 0)
        | (_AFTER if ch in " -" else 0)
        | (_SLASH if ch == "/" else 0)
    )


_KINDS = _Table(_kind).__getitem__


@functools.lru_cache(maxsize=1 << 12)
def _units(text: str, slash: bool) -> list[str]:
    """The text cut where a line may break."""
    after = _WIDE | _AFTER | (_SLASH if slash else 0)  # a break may follow these, unless closing
    units: list[str] = []
    start = last = 0
    for i, kind in enumerate(map(_KINDS, text)):
        if i and not kind & _SHUT and not last & _OPEN and (kind & _WIDE or last & after):
            units.append(text[start:i])
            start = i
        last = kind
    return [*units, text[start:]] if text else units


def _pieces(paragraph: str, slash: bool) -> list[str | int]:
    """The paragraph's units (`_units`), a run of CJK ideographs (units one em wide in both
    renderers) given as their number."""
    pieces: list[str | int] = []
    start = 0
    for run in _RUN.finditer(paragraph):
        between = paragraph[start : run.start()]
        if len(between) == 1 or (between.isascii() and between.isalnum()):  # one unit, a number
            pieces.append(between)
        elif between:
            pieces += _units(between, slash)
        pieces.append(run.end() - run.start())
        start = run.end()
    return pieces + _units(paragraph[start:], slash)


@functools.lru_cache(maxsize=1 << 12)  # both renderers, and a table's sampled texts at several widths
def _layout(paragraph: str, slash: bool) -> tuple[tuple[float, float], tuple[int | tuple, ...]]:
    """A paragraph's width in Excel and in LibreOffice, and its units (`_pieces`) as
    `_paragraph_lines` adds them up: a run of ideographs as their number, any other unit as its
    width without its trailing space and with it in Excel, the same in LibreOffice, and itself."""
    pieces: list[int | tuple] = []
    for unit in _pieces(paragraph, slash):
        if unit.__class__ is int:
            pieces.append(unit)
        elif len(unit) == 1 and unit != " ":
            excel, libre = _EXCEL(unit), _LIBRE(unit)
            pieces.append((excel, excel, libre, libre, unit))
        else:
            shown = unit.rstrip(" ")
            excel, libre = sum(map(_EXCEL, shown)), sum(map(_LIBRE, shown))
            if shown == unit:
                pieces.append((excel, excel, libre, libre, unit))
            else:
                pieces.append((excel, excel + _EXCEL(" "), libre, libre + _LIBRE(" "), unit))
    return (sum(map(_EXCEL, paragraph)), sum(map(_LIBRE, paragraph))), tuple(pieces)


def _paragraph_lines(paragraph: str, room: float, measure: Callable[[str], float], *, slash: bool) -> int:
    """Lines of a paragraph wrapped greedily to `room` ems, as a renderer measuring with `measure`
    (`excel_em` or `libre_em`): units (`_units`) one after another while they fit without their
    trailing space; a unit longer than a line breaks anywhere."""
    which, em = _EMS[measure]
    totals, pieces = _layout(paragraph, slash)
    if totals[which] <= room:
        return 1
    width_at, fitted_at = 2 * which, 2 * which + 1
    lines, used = 1, 0.0
    for piece in pieces:
        if piece.__class__ is int:  # a run of ideographs
            if used + piece <= room and (2 * used).is_integer():  # exact sums: all of them fit
                used += piece
            else:
                lines, used = _ideograph_lines(piece, room, lines, used)
            continue
        if used + piece[width_at] <= room:
            used += piece[fitted_at]
            continue
        if used > 0:
            lines, used = lines + 1, 0.0
        for ch in piece[4]:  # a unit longer than a line breaks anywhere
            if used + em(ch) > room and used > 0:
                lines, used = lines + 1, 0.0
            used += em(ch)
    return lines


def _ideograph_lines(count: int, room: float, lines: int, used: float) -> tuple[int, float]:
    """`_paragraph_lines` going on with `count` units one em wide: the lines and the width used
    on the last one after them. Added one by one, as long as `used` is not a multiple of half an
    em (adding an em may round); then counted, the sums being exact."""
    while count and not (2 * used).is_integer():
        count -= 1
        if used + 1.0 <= room:
            used += 1.0
        else:
            lines, used = lines + (used > 0), 1.0
    fit = min(count, max(0, math.floor(room - used)))
    while fit and used + fit > room:
        fit -= 1
    while fit < count and used + fit + 1 <= room:
        fit += 1
    if fit == count:
        return lines, used + fit
    count -= fit
    per_line = max(1, math.floor(room))
    more = -(-count // per_line)  # lines from a new one on, the first of them one em used
    return lines + (used + fit > 0) + more - 1, float(count - (more - 1) * per_line)


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    """The height in points of a row showing `lines` lines of text of `size` points."""
    return round(lines * size * LINE_FACTOR + CELL_PADDING, 1)


@functools.lru_cache(maxsize=1 << 10)  # every part of a table has its labels
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
