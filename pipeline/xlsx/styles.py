"""openpyxl workbooks as the outputs look: cell styles, text that never turns into a formula,
tables written from frames, column widths fitted to the page.

Every cell value a unit typed goes through `put`; files are written by `pipeline.files.atomic`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import math
from collections.abc import Iterator

import pandas as pd
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core.text import clean_text
from pipeline.xlsx import printing

FORMULA_STARTS = ("=", "+", "-", "@")
DATED, PLAIN, QUOTED = range(3)  # the kinds of cell a table's column styles apart (`cell_kind`)


class _KeptHash:
    """A style whose hash is worked out once, not each time a cell is given it.

    openpyxl looks a style given to a cell up in its workbook's list of styles by hash, and
    hashes a style anew from every field (a border's sides and their colours) each time: about
    a second for every 100,000 cells styled (a province's 年终考核表 has 270,000). A style of these
    classes keeps its hash until one of its fields is set; the hash is the plain style's, and
    it equals a plain style of the same fields (openpyxl's own equality also asks for the same
    class), so a workbook lists exactly the styles it listed before and its cells point at the
    same ones.
    """

    def __hash__(self) -> int:
        kept = self.__dict__.get("_kept_hash")
        if kept is None:
            kept = self.__dict__["_kept_hash"] = super().__hash__()
        return kept

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _plain_class(self)):  # as openpyxl: never equal to another kind
            return False
        return dict(self) == dict(other) and all(getattr(self, e) == getattr(other, e) for e in self.__elements__)

    # openpyxl adds up the borders of a merged range, and asks for the same class too
    def __add__(self, other: object) -> object:
        return _combined(self, other)

    def __radd__(self, other: object) -> object:
        return _combined(other, self)

    def __setattr__(self, name: str, value: object) -> None:
        self.__dict__.pop("_kept_hash", None)
        super().__setattr__(name, value)

    def __getstate__(self) -> dict:
        # a hash of texts differs from process to process: a pickled style works it out again
        return {k: v for k, v in self.__dict__.items() if k != "_kept_hash"}


def _plain_class(style: object) -> type:
    """The openpyxl class of a style (the one a kept style is made from)."""
    return next(c for c in type(style).__mro__ if not issubclass(c, _KeptHash))


def _combined(first: object, second: object) -> object:
    """`first + second` as openpyxl combines two styles of a class (each field the first's,
    else the second's; child elements added up), for a kept and a plain style: a plain style."""
    plain = _plain_class(first)
    if _plain_class(second) is not plain:
        raise TypeError("Cannot combine instances of different types")
    values = {attr: getattr(first, attr) or getattr(second, attr) for attr in plain.__attrs__}
    for element in plain.__elements__:
        a, b = getattr(first, element), getattr(second, element)
        values[element] = a + b if a and b else a or b
    return plain(**values)


# openpyxl's metaclass takes a class's serialised fields from its own body: they are given again.
class _Font(_KeptHash, Font):
    __attrs__, __nested__, __elements__ = Font.__attrs__, Font.__nested__, Font.__elements__


class _Fill(_KeptHash, PatternFill):
    __attrs__, __nested__, __elements__ = PatternFill.__attrs__, PatternFill.__nested__, PatternFill.__elements__


class _Border(_KeptHash, Border):
    __attrs__, __nested__, __elements__ = Border.__attrs__, Border.__nested__, Border.__elements__


class _Alignment(_KeptHash, Alignment):
    __attrs__, __nested__, __elements__ = Alignment.__attrs__, Alignment.__nested__, Alignment.__elements__


HEADER_FONT = _Font(name="宋体", bold=True, size=11)
TITLE_FONT = _Font(name="宋体", bold=True, size=14)
BODY_FONT = _Font(name="宋体", size=11)
HEADER_FILL = _Fill("solid", fgColor="DDEBF7")
ERROR_FILL = _Fill("solid", fgColor="FFC7CE")
WARNING_FILL = _Fill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="999999")
BOX = _Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = _Alignment(wrap_text=True, vertical="top")
CENTER = _Alignment(horizontal="center", vertical="center", wrap_text=True)
DATE_ALIGNMENT = _Alignment(horizontal="center", vertical="top")  # clear of both borders in every renderer
DATE_FORMAT = "yyyy-mm-dd"
WIDE_TEXT = 20  # the narrowest a table's main text column gets to fit the page
NARROW_TEXT = 7  # the narrowest another text column gets (three CJK characters a line in Excel)
LAYOUT_SAMPLE = 200  # rows of a long table whose texts choose its column widths
_SHORT = 20  # characters of a text that may well repeat in a column (a name, an outlet, a date)


@contextlib.contextmanager
def many_cells() -> Iterator[None]:
    """A block that builds big or many workbooks, during which Python's cycle collector leaves
    alone every object that existed before it.

    openpyxl makes one object per cell, and every few thousand new objects the collector walks
    all long-lived ones (the month's frames, pandas, Great Expectations): that walking was a
    third of the time spent building a month's forms. The workbooks made inside the block are
    still collected as usual. When the caller has frozen objects already, the block leaves the
    collector as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def put(cell: Cell, value: object) -> Cell:
    """Stores a value in a cell so that text stays text.

    Strings that start like a formula are stored as strings with Excel's quote prefix, so neither
    opening nor editing the cell turns them into a live formula. Missing values become empty
    cells; dates stay dates; numbers stay numbers.
    """
    value = stored(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def cell_kind(value: object) -> int:
    """Which style of its column a stored value takes (DATED, PLAIN, QUOTED): a date's, a text's
    kept from becoming a formula by its quote prefix, or the plain one."""
    if value.__class__ is str:  # most cells: decided without the date test
        return QUOTED if value.startswith(FORMULA_STARTS) else PLAIN
    if isinstance(value, dt.date):  # `cells.is_date`: written as a date serial
        return DATED
    return QUOTED if isinstance(value, str) and value.startswith(FORMULA_STARTS) else PLAIN


def stored(value: object) -> object:
    """The value `put` stores for `value`: None for missing values, datetimes for dates, plain
    Python numbers, text without the characters a workbook cannot hold."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "to_pydatetime"):
        value = None if str(value) == "NaT" else value.to_pydatetime()
    if isinstance(value, (dt.datetime, dt.date)) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return clean_text(value) if isinstance(value, str) else value


def style_header_row(ws: Worksheet, row: int, columns: int) -> None:
    """Bold, filled, boxed, centred header cells."""
    for col in range(1, columns + 1):
        _header_style(ws.cell(row=row, column=col))


def _header_style(cell: Cell) -> None:
    cell.font, cell.fill, cell.border, cell.alignment = HEADER_FONT, HEADER_FILL, BOX, CENTER


def _body_style(cell: Cell, number_format: str | None) -> None:
    cell.border, cell.font, cell.alignment = BOX, BODY_FONT, WRAP
    if number_format is not None:
        cell.number_format = number_format
    if number_format == DATE_FORMAT:
        cell.alignment = DATE_ALIGNMENT


def set_widths(ws: Worksheet, widths: dict[int, float]) -> None:
    """Column widths by 1-based column index."""
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def fit_to_a4(ws: Worksheet, orientation: str = "landscape", *, pages_down: int = 0) -> None:
    """Prints on A4, all columns on one page's width, as many pages down as needed (or
    `pages_down`); the running header and footer print inside the top and bottom margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = pages_down
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(
        left=printing.SIDE_MARGIN,
        right=printing.SIDE_MARGIN,
        top=printing.TOP_MARGIN,
        bottom=printing.BOTTOM_MARGIN,
        header=printing.HEADER_MARGIN,
        footer=printing.FOOTER_MARGIN,
    )
    ws.print_options.horizontalCentered = True


def page_titles(ws: Worksheet, title: str) -> None:
    """A printed page header (the title) and footer (page x of n)."""
    ws.oddHeader.center.text = clean_text(title).replace("&", "&&")
    ws.oddHeader.center.size = 12
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_frame(
    ws: Worksheet,
    frame: object,
    *,
    start_row: int = 1,
    number_formats: dict[str, str] | None = None,
    max_width: float = 50,
    orientation: str = "landscape",
    wide: tuple[str, ...] = (),
    layout: tuple[list[float], list[float]] | None = None,
    guide: list[float] | None = None,
) -> int:
    """Writes a DataFrame as a table: styled header, boxed cells, widths fitted to the content
    and to an A4 page, rows as high as their wrapped text, frozen header and an autofilter.
    Returns the last row written.

    Args:
        ws: the sheet.
        frame: a pandas DataFrame; its column labels become the header.
        start_row: the header's row.
        number_formats: Excel number formats by column label (e.g. "0.0%" for rates).
        max_width: cap on a column's width.
        orientation: how the sheet prints ("landscape" or "portrait").
        wide: the columns of long texts a reader needs most; they stay wide when others narrow.
        layout: the widths and row heights (header first) to use instead of the frame's own
            (`table_layout`), for a sample of a bigger table.
        guide: widths chosen for a bigger table this one is a part of (`column_widths`), to
            follow instead of balancing this table's own (`table_layout`).
    """
    columns = list(frame.columns)
    formats = number_formats or {}
    for c, label in enumerate(columns, start=1):
        put(ws.cell(row=start_row, column=c), label)
    style_header_row(ws, start_row, len(columns))
    for r, values in enumerate(frame.itertuples(index=False), start=start_row + 1):
        for c, value in enumerate(values, start=1):
            cell = put(ws.cell(row=r, column=c), value)
            label = columns[c - 1]
            number_format = formats.get(label)
            if number_format is None and isinstance(cell.value, dt.datetime):
                number_format = DATE_FORMAT
            _body_style(cell, number_format)
    widths, heights = layout or table_layout(
        frame, max_width=max_width, orientation=orientation, wide=wide, number_formats=formats, guide=guide
    )
    set_widths(ws, dict(enumerate(widths, start=1)))
    for r, height in enumerate(heights, start=start_row):
        ws.row_dimensions[r].height = height
    last = start_row + len(frame)
    ws.freeze_panes = ws.cell(row=start_row + 1, column=1)
    ws.print_title_rows = f"{start_row}:{start_row}"
    fit_to_a4(ws, orientation)
    if columns:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(columns))}{max(last, start_row)}"
    return last


def _shown(value: object, number_format: str | None) -> str | float:
    """A cell's text, or for a number or a date, which never wraps, the width it needs as shown
    (negative, so the column keeps that width)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return -printing.shown_width("2025-12-31")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return -printing.shown_width(_number_text(value, number_format))
    return str(value)


def _number_text(value: float, number_format: str | None) -> str:
    """A number as the formats the tables use show it. General shows a fraction with as many
    decimals as the column has room for, so it is taken as "0.##" shows it."""
    if number_format == "0.0%":
        return f"{value * 100:.1f}%"
    if number_format and number_format.startswith("#,##0"):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0")
    return str(value)


def table_layout(
    frame: pd.DataFrame,
    *,
    max_width: float = 50,
    orientation: str = "landscape",
    wide: tuple[str, ...] = (),
    number_formats: dict[str, str] | None = None,
    guide: list[float] | None = None,
) -> tuple[list[float], list[float]]:
    """A table's column widths (fitted to its content and to an A4 page) and the height of each
    row, header first, from its longest wrapped text: LibreOffice neither grows a row for
    wrapped text nor for a CJK font taller than the default one. With `guide` (`column_widths`
    of a bigger table this one is part of), the widths follow it instead of being balanced."""
    return stored_layout(
        list(frame.columns),
        stored_columns(frame),
        max_width,
        orientation,
        wide,
        rows=len(frame),
        number_formats=number_formats,
        guide=guide,
    )


def stored_columns(frame: pd.DataFrame) -> list[list[object]]:
    """Each column's values as `put` stores them (`stored`), column by column: the same texts
    (dates, outlets, names) fill most cells of a big table, so each distinct text is cleaned once."""
    # As object values: iterating a pandas string column costs a Python call per cell.
    return [_stored_column(frame.iloc[:, c].to_numpy(dtype=object).tolist()) for c in range(len(frame.columns))]


def _stored_column(values: list[object]) -> list[object]:
    """`stored` of each value. A column of one kind takes a path without a call per cell: texts
    none of which holds a character `clean_text` removes stay as they are, as do whole numbers;
    a float is itself or None (NaN); texts beside whole numbers or dates without a time zone
    (never equal to a text) are converted once per distinct value."""
    kinds = set(map(type, values))
    if kinds == {int} or (kinds == {str} and clean_text("".join(values)) == "".join(values)):
        return values
    if kinds == {float}:
        return [None if v != v else v for v in values]  # only NaN differs from itself
    if kinds <= _KEYED and len(kinds - {str}) <= 1:
        distinct = dict.fromkeys(values)
        if all(v.__class__ is str or v.__class__ is int or v.tzinfo is None for v in distinct):
            done = {v: stored(v) for v in distinct}
            return [done[v] for v in values]
    seen: dict[object, object] = {}
    column = []
    for value in values:
        if value.__class__ is str and len(value) > _SHORT:  # long texts (titles) rarely repeat
            column.append(clean_text(value))
            continue
        key = _cache_key(value)
        if key is None:
            column.append(stored(value))
            continue
        kept = seen.get(key, seen)
        if kept is seen:
            kept = seen[key] = stored(value)
        column.append(kept)
    return column


_KEYED = {str, int, pd.Timestamp, dt.datetime}  # kinds whose equal values are stored alike (`_cache_key`)


def _cache_key(value: object) -> object:
    """A key under which equal values give equal results (texts, timestamps without a time
    zone, whole numbers), or None for a value to convert on its own."""
    kind = type(value)
    if kind is str or kind is int:
        return (kind, value)
    if (kind is pd.Timestamp or kind is dt.datetime) and value.tzinfo is None:
        return (kind, value)
    return None


def stored_layout(
    columns: list[object],
    values: list[list[object]],
    max_width: float = 50,
    orientation: str = "landscape",
    wide: tuple[str, ...] = (),
    *,
    rows: int | None = None,
    shown: list[list[str | float]] | None = None,
    number_formats: dict[str, str] | None = None,
    guide: list[float] | None = None,
) -> tuple[list[float], list[float]]:
    """`table_layout` of a table given as its column labels and `stored_columns` (and its
    number of rows, needed only when it has no columns; its `shown_columns_of` when known; the
    `column_widths` of a bigger table it is part of, to follow). A row is as high as its
    tallest wrapped text (`printing.text_lines`); a row without text gets one line."""
    formats = [(number_formats or {}).get(label) for label in columns]
    shown_columns = shown_columns_of(values, formats) if shown is None else shown
    widths = _table_widths(columns, shown_columns, max_width, orientation, wide, guide)
    count = len(values[0]) if values else rows or 0
    # Each row's most lines, column by column (-1 for a cell without text: lines are never fewer than 0).
    lines = []
    for cells, width in zip(shown_columns, widths, strict=True):
        counted = {cell: _lines(cell, width) for cell in set(cells) if isinstance(cell, str)}
        lines.append([counted.get(cell, -1) for cell in cells])
    tallest = list(map(max, zip(*lines, strict=True))) if lines else [-1] * count
    heights = {n: printing.row_height(1 if n == -1 else n) for n in set(tallest)}
    header = max((printing.text_lines(str(c), w) for c, w in zip(columns, widths, strict=True)), default=1)
    return widths, [printing.row_height(header), *(heights[n] for n in tallest)]


_lines = functools.lru_cache(maxsize=1 << 16)(printing.text_lines)  # notes and statuses recur in every part


def shown_columns_of(values: list[list[object]], formats: list[str | None] | None = None) -> list[list[str | float]]:
    """Each cell as `_shown` sees it (its text, or the negative width of a number or date),
    column by column, from `stored_columns`; equal values (`_cache_key`) are worked out once."""
    formats = formats or [None] * len(values)
    return [_shown_column(column, number_format) for column, number_format in zip(values, formats, strict=True)]


def _shown_column(values: list[object], number_format: str | None) -> list[str | float]:
    kinds = set(map(type, values))
    if kinds == {str}:  # texts are shown as they are (`_shown`)
        return list(values)
    if kinds <= {str, int, dt.datetime}:  # equal values show alike, and never differ in kind
        done = {v: _shown(v, number_format) for v in dict.fromkeys(values)}
        return [done[v] for v in values]
    if kinds <= {float, type(None)}:  # equal floats show alike, but for 0.0 and -0.0 (and None)
        done = {v: _shown(v, number_format) for v in set(values) if v}
        return [done[v] if v else _shown(v, number_format) for v in values]
    seen: dict[object, str | float] = {}
    shown = []
    for value in values:
        if value.__class__ is str:  # shown as it is (`_shown`)
            shown.append(value)
            continue
        key = _cache_key(value)
        if key is None:
            shown.append(_shown(value, number_format))
            continue
        kept = seen.get(key)
        if kept is None:
            kept = seen[key] = _shown(value, number_format)
        shown.append(kept)
    return shown


def _widest(texts: list[str]) -> float:
    """The largest `printing.print_width` of `texts` (0 for none), measuring only the texts that
    could be wider than the widest so far (`_most_width`): few of a long column's."""
    widest = 0.0
    for text in texts:
        if _most_width(text) > widest:
            widest = max(widest, printing.print_width(text))
    return widest


def _most_width(text: str) -> float:
    """`printing.print_width` if every character beyond ASCII is wide: never less than it."""
    return 1.2 * len(text) + 0.8 * (len(text) - len(text.encode("ascii", "ignore")))


def column_widths(
    columns: list[object],
    shown: list[list[str | float]],
    max_width: float = 50,
    orientation: str = "landscape",
    wide: tuple[str, ...] = (),
) -> list[float]:
    """The column widths `stored_layout` gives a table whose cells are `shown` (`shown_columns_of`):
    as a guide for its parts (a unit's receipt out of the month's receipt table), so that the
    balancing is done once for all of them."""
    return _table_widths(columns, shown, max_width, orientation, wide)


def _table_widths(
    columns: list[object],
    shown: list[list[str | float]],
    cap: float,
    orientation: str,
    wide: tuple[str, ...],
    guide: list[float] | None = None,
) -> list[float]:
    """Widths fitted to each column's content, narrowed where the table is too wide to print on
    A4 at a readable scale: texts wrap, numbers and dates keep their width and half a character.
    `shown` is column by column (`shown_columns_of`); each column's distinct values suffice.

    Balancing the widths (`printing.balance_widths`) is the costly part. With `guide`, the widths
    of a bigger table this one is part of, a table too wide for the page instead gets the
    guide's widths where its own content is at least as wide, and the page's room left shared
    out among its columns still narrower than their content (`printing.fit_widths`)."""
    natural, minimum = [], []
    for label, cells in zip(columns, shown, strict=True):
        header = printing.header_minimum(str(label))
        distinct = set(cells)
        fixed = math.ceil(2 * max((-v for v in distinct if isinstance(v, float)), default=0) + 1) / 2
        lines = [part for v in distinct if isinstance(v, str) and v for part in v.split("\n")]
        text = _widest(lines) + 2
        natural.append(min(cap, max(5, header, fixed, text)))
        minimum.append(max(header, fixed, min(text, WIDE_TEXT if label in wide else NARROW_TEXT)))
    budget = printing.page_columns(orientation, len(columns))
    if guide is not None:
        if sum(natural) <= budget:
            return natural
        floors = [min(n, g) for n, g in zip(natural, guide, strict=True)]
        return [round(w, 1) for w in printing.fit_widths(natural, floors, max(budget, sum(floors)))]
    count = len(shown[0]) if shown else 0
    every = max(1, count // LAYOUT_SAMPLE)  # the rows of a long table are alike
    sample = [[v if isinstance(v, str) else "" for v in column[::every]] for column in shown]
    texts = [list(row) for row in zip(*sample, strict=True)]
    return printing.balance_widths(natural, minimum, budget, [[str(c) for c in columns], *texts])
