"""Big tables written as rows of XML into a workbook openpyxl saves with a sample of each table.

openpyxl spends about 100 µs on each styled cell it writes; here openpyxl writes everything but
the rows (styles, widths, print settings, header, freeze, filter, page titles) from a sample of
the table, whose rows are then written as XML with the sample's styles, as openpyxl would write
them, which costs a few µs a cell. Two kinds of sample:
- `save_table(s)` (汇总台账: a province's month is 50,000 rows): a workbook of tables only, whose
  sample's three rows hold, in every column, a date, a text and a formula-like text, so that
  every style a cell of the table can need exists;
- `write_sample` and `save_filled` (月度统计, 审核问题): a table in a workbook the caller builds
  with openpyxl (other sheets, a chart, fills by row), whose sample is the table's own rows that
  first show each style (`_sample_rows`), so that the saved workbook is, part for part, the one
  openpyxl writes from the whole table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.files import atomic
from pipeline.xlsx import cells
from pipeline.xlsx import styles as xlsx

SAMPLE = (dt.datetime(2000, 1, 1), "a", "=a")  # a date, a text, a formula-like text
DATED, PLAIN, QUOTED = xlsx.DATED, xlsx.PLAIN, xlsx.QUOTED  # as SAMPLE's rows (`xlsx.cell_kind`)
SAMPLE_FROM = 200  # rows of a table from which `write_sample` writes a sample of it


def save_table(
    path: Path,
    frame: pd.DataFrame,
    *,
    sheet: str,
    title: str,
    number_formats: dict[str, str] | None = None,
    wide: tuple[str, ...] = (),
) -> Path:
    """Saves `frame` as the only sheet of a workbook, exactly as `xlsx.write_frame` and
    `xlsx.page_titles` lay it out.

    Args:
        path: the workbook, written atomically.
        frame: the table; its column labels become the header.
        sheet: the sheet's name.
        title: the printed page header.
        number_formats: Excel number formats by column label.
        wide: the columns of long texts that stay wide when the table is narrowed to the page.

    Returns:
        `path`.
    """
    return save_tables(path, [Table(frame, sheet, title, number_formats or {}, wide)])


@dataclass(frozen=True)
class Table:
    """One sheet of `save_tables`: the arguments of `save_table` but the path."""

    frame: pd.DataFrame
    sheet: str
    title: str
    number_formats: dict[str, str] = field(default_factory=dict)
    wide: tuple[str, ...] = ()


def save_tables(path: Path, tables: list[Table]) -> Path:
    """`save_table` for a workbook of several sheets, one table each, in order."""
    workbook = Workbook()
    filled = {}
    for n, table in enumerate(tables, start=1):
        frame = table.frame
        values = xlsx.stored_columns(frame)
        widths, heights = xlsx.stored_layout(list(frame.columns), values, wide=table.wide, rows=len(frame))
        sample = pd.DataFrame([[value] * len(frame.columns) for value in SAMPLE], columns=frame.columns, dtype=object)
        ws = workbook.active if n == 1 else workbook.create_sheet()
        ws.title = table.sheet
        layout = (widths, heights[:1] + [15.0] * len(SAMPLE))
        xlsx.write_frame(ws, sample, number_formats=table.number_formats, layout=layout)
        xlsx.page_titles(ws, table.title)
        last = 1 + len(frame)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{last}"
        kinds = [(None, [kind] * len(frame.columns)) for kind in (DATED, PLAIN, QUOTED)]
        filled[f"xl/worksheets/sheet{n}.xml"] = _Fill(values, heights[1:], None, kinds)
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic.write_bytes(path, _with_rows(buffer.getvalue(), filled))
    return path


@dataclass(frozen=True)
class Sample:
    """A table `write_sample` wrote into a sheet: all of it, or a sample of its rows that
    `save_filled` fills in with all of them."""

    ws: Worksheet
    frame: pd.DataFrame  # the rows written (all of them for a small table)
    values: list[list[object]] | None = None  # a sampled table's `xlsx.stored_columns`
    heights: list[float] | None = None  # its rows' heights
    classes: list[object] | None = None  # its rows' classes
    rows: list[int] | None = None  # the sample's rows, by position in the table


def write_sample(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    classes: list[object] | None = None,
    sample_from: int | None = None,
    number_formats: dict[str, str] | None = None,
    max_width: float = 50,
    orientation: str = "landscape",
    wide: tuple[str, ...] = (),
) -> Sample:
    """`xlsx.write_frame` (with these arguments) of a table of `sample_from` (`SAMPLE_FROM`) rows
    or more as a sample of its rows, which `save_filled` fills in with all of them; of a smaller
    one, or one `cells.cell` would write unlike openpyxl (`_written_as_openpyxl`), as is.

    The sample is each row where, in some column, a kind of cell (`xlsx.cell_kind`) first shows in a row
    of its class: openpyxl lists a workbook's styles in the order its cells first take them, so
    the sample lists the table's styles in the same order, and every cell of the table has the
    style of the sample's cells of its column, kind and class. The caller styles the sample's
    rows as it styles a table's: by the rows of `Sample.frame`, each as its class asks (one
    class a row, e.g. its severity for a fill; None for all alike).
    """
    layout = {"number_formats": number_formats, "max_width": max_width, "orientation": orientation, "wide": wide}
    big = len(frame) >= max(1, SAMPLE_FROM if sample_from is None else sample_from)
    values = xlsx.stored_columns(frame) if big else None
    if values is None or not _written_as_openpyxl(values):
        xlsx.write_frame(ws, frame, **layout)
        return Sample(ws, frame)
    columns = list(frame.columns)
    classes = [None] * len(frame) if classes is None else list(classes)
    widths, heights = xlsx.stored_layout(
        columns, values, max_width, orientation, wide, rows=len(frame), number_formats=number_formats
    )
    rows = _sample_rows(values, classes)
    sample = frame.iloc[rows]
    xlsx.write_frame(ws, sample, **layout, layout=(widths, [heights[0], *(heights[1 + p] for p in rows)]))
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{1 + len(frame)}"
    return Sample(ws, sample, values, heights[1:], classes, rows)


def save_filled(workbook: Workbook, path: Path, samples: list[Sample]) -> Path:
    """Saves `workbook` (atomically) with the rows of each sampled table of `samples` in place
    of its sample's."""
    filled = {
        f"xl/worksheets/sheet{workbook.worksheets.index(s.ws) + 1}.xml": _Fill(
            s.values,
            s.heights,
            s.classes,
            [(s.classes[p], [xlsx.cell_kind(v[p]) for v in s.values]) for p in s.rows],
            ascii=True,
        )
        for s in samples
        if s.rows is not None
    }
    if not filled:
        atomic.save_workbook(workbook, path)
        return path
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic.write_bytes(path, _with_rows(buffer.getvalue(), filled))
    return path


def _sample_rows(values: list[list[object]], classes: list[object]) -> list[int]:
    """The positions of the rows where, in some column, a kind of cell first shows in a row of
    its class, in order."""
    first: set[int] = set()
    for column in values:
        seen: dict[tuple[int, object], int] = {}
        for p, (value, klass) in enumerate(zip(column, classes, strict=True)):
            seen.setdefault((xlsx.cell_kind(value), klass), p)
        first.update(seen.values())
    return sorted(first)


# The values `cells.cell` writes as openpyxl does, given a style (`tests/xlsx/test_cells.py`).
_WRITTEN = frozenset({type(None), str, int, float, bool, dt.datetime})


def _written_as_openpyxl(values: list[list[object]]) -> bool:
    """Whether `cells.cell` writes every cell of a table (`xlsx.stored_columns`) as openpyxl
    does: not a table holding another kind of value (a time of day takes a number format of its
    own) or a text of spaces only (openpyxl marks its spaces kept only beside other text)."""
    for column in values:
        kinds = set(map(type, column))
        if not kinds <= _WRITTEN:
            return False
        if str in kinds and any(v.__class__ is str and v and not v.strip() for v in set(column)):
            return False
    return True


@dataclass(frozen=True)
class _Fill:
    """A table to write in place of its sample's rows in a saved sheet."""

    values: list[list[object]]  # the table's `xlsx.stored_columns`
    heights: list[float]  # its rows' heights
    classes: list[object] | None  # its rows' classes (None: all alike)
    sample: list[tuple[object, list[int]]]  # each sample row's class and its cells' kinds, in order
    # texts outside ASCII as character references, as openpyxl writes them (else as UTF-8)
    ascii: bool = False


def _with_rows(package: bytes, filled: dict[str, _Fill]) -> bytes:
    """The saved samples with their rows replaced by the tables' (`xlsx.stored_columns`),
    by sheet part. A sheet is written into the package as it is made, a block of rows at a time:
    a province's month of rows is tens of megabytes of XML, which whole (and again as bytes)
    made the process writing it the run's largest."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename not in filled:
                target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                continue
            fill = filled[info.filename]
            with target.open(info.filename, "w") as stream:
                for part in _sheet_with_rows(data.decode("utf-8"), fill):
                    stream.write(part.encode("ascii", "xmlcharrefreplace") if fill.ascii else part.encode("utf-8"))
    return out.getvalue()


_BLOCK = 2_000  # rows of XML encoded and compressed at a time


def _sheet_with_rows(sheet: str, fill: _Fill) -> Iterator[str]:
    """The sheet's XML in parts: its head (the dimension set to the table's last row), blocks
    of the table's rows in place of the sample's, then its tail."""
    rows = cells.rows(sheet)
    columns = len(fill.values)
    # The sample's style ids by class, kind and column.
    styles: dict[object, tuple[list[int], list[int], list[int]]] = {}
    for r, (klass, kinds) in enumerate(fill.sample, start=2):
        by_kind = styles.setdefault(klass, ([-1] * columns, [-1] * columns, [-1] * columns))
        ids = [int(s) for s in cells.CELL_STYLE.findall(rows[r][0])]
        for c, (kind, style) in enumerate(zip(kinds, ids, strict=True)):
            by_kind[kind][c] = style
    open_tag = cells.ROW_OPEN.match(rows[2][0])[0]
    assert open_tag.startswith('<row r="2"'), open_tag
    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    last = 1 + len(fill.heights)
    yield re.sub(
        r'<dimension ref="A1:([A-Z]+)\d+"/>', rf'<dimension ref="A1:\g<1>{last}"/>', sheet[: rows[2].start()], count=1
    )
    # A cell's XML after its reference, by class, column and value: the same values fill most cells.
    tails_of: dict[object, list[dict[object, str]]] = {klass: [{} for _ in fill.values] for klass in styles}
    # A row's opening tag after its number, by height: a table's rows have few heights.
    openings: dict[float, str] = {}
    classes = [None] * len(fill.heights) if fill.classes is None else fill.classes
    parts = []
    for r, (stored, height, klass) in enumerate(
        zip(zip(*fill.values, strict=True), fill.heights, classes, strict=True), start=2
    ):
        dated, plain, quoted = styles[klass]
        tails = tails_of[klass]
        opening = openings.get(height)
        if opening is None:
            opening = openings[height] = cells.with_height(open_tag, height)[len('<row r="2"') :]
        parts.append(f'<row r="{r}"{opening}')
        for c, value in enumerate(stored):
            key = (None, None) if value is None else _tail_key(value)
            if key is None:
                parts.append(_cell(f"{letters[c]}{r}", value, dated[c], plain[c], quoted[c]))
                continue
            tail = tails[c].get(key)
            if tail is None:
                tail = _cell("", value, dated[c], plain[c], quoted[c])[len('<c r=""') :]
                if len(tail) <= _CACHED_AT_MOST:
                    tails[c][key] = tail
            parts.append(f'<c r="{letters[c]}{r}"{tail}')
        parts.append("</row>")
        if r % _BLOCK == 0:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)
    yield sheet[rows[1 + len(fill.sample)].end() :]


# Cells whose XML is longer are not kept for reuse: a title is seldom repeated, and keeping every
# one would hold a province's month of titles a second time.
_CACHED_AT_MOST = 64


def _tail_key(value: object) -> object:
    """A key under which equal values are written alike (texts, whole numbers, datetimes without
    a time zone), or None for a value to write on its own."""
    kind = type(value)
    if kind is str or kind is int or (kind is dt.datetime and value.tzinfo is None):
        return (kind, value)
    return None


def _cell(ref: str, value: object, dated: int, plain: int, quoted: int) -> str:
    """A cell of the table with the sample's style of its column for its kind of value."""
    return cells.cell(ref, (dated, plain, quoted)[xlsx.cell_kind(value)], value)
