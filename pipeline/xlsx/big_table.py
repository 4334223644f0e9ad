"""A workbook of one big table (汇总台账: a province's month is 50,000 rows), written as rows of
XML into a workbook openpyxl saves with a three-row sample of the table.

openpyxl spends about 100 µs on each styled cell it writes; here openpyxl writes everything but
the rows (styles, widths, print settings, header, freeze, filter, page titles) from a sample
whose three rows hold, in every column, a date, a text and a formula-like text, so that every
style a cell of the table can need exists; the table's rows are then written as XML with those
styles, as openpyxl would write them, which costs a few µs a cell.
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

from pipeline.files import atomic
from pipeline.xlsx import cells
from pipeline.xlsx import styles as xlsx

SAMPLE = (dt.datetime(2000, 1, 1), "a", "=a")  # a date, a text, a formula-like text


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
        filled[f"xl/worksheets/sheet{n}.xml"] = (values, heights[1:], last)
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic.write_bytes(path, _with_rows(buffer.getvalue(), filled))
    return path


def _with_rows(package: bytes, filled: dict[str, tuple[list[list[object]], list[float], int]]) -> bytes:
    """The saved samples with their three rows replaced by the tables' (`xlsx.stored_columns`),
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
            with target.open(info.filename, "w") as stream:
                for part in _sheet_with_rows(data.decode("utf-8"), *filled[info.filename]):
                    stream.write(part.encode("utf-8"))
    return out.getvalue()


_BLOCK = 2_000  # rows of XML encoded and compressed at a time


def _sheet_with_rows(sheet: str, values: list[list[object]], heights: list[float], last: int) -> Iterator[str]:
    """The sheet's XML in parts: its head (the dimension set to the table's `last` row), blocks
    of the table's rows in place of the sample's, then its tail."""
    rows = cells.rows(sheet)
    dated, plain, quoted = ([int(s) for s in cells.CELL_STYLE.findall(rows[r][0])] for r in (2, 3, 4))
    open_tag = cells.ROW_OPEN.match(rows[2][0])[0]
    assert open_tag.startswith('<row r="2"'), open_tag
    letters = [get_column_letter(c) for c in range(1, len(values) + 1)]
    yield re.sub(
        r'<dimension ref="A1:([A-Z]+)\d+"/>', rf'<dimension ref="A1:\g<1>{last}"/>', sheet[: rows[2].start()], count=1
    )
    # A cell's XML after its reference, by column and value: the same values fill most cells.
    tails: list[dict[object, str]] = [{} for _ in values]
    # A row's opening tag after its number, by height: a table's rows have few heights.
    openings: dict[float, str] = {}
    parts = []
    for r, (stored, height) in enumerate(zip(zip(*values, strict=True), heights, strict=True), start=2):
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
    yield sheet[rows[4].end() :]


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
    if cells.is_date(value):
        style = dated
    elif isinstance(value, str) and value.startswith(xlsx.FORMULA_STARTS):
        style = quoted
    else:
        style = plain
    return cells.cell(ref, style, value)
