"""The hand-written cell XML (pipeline/xlsx/cells.py) is what openpyxl itself writes for the same
values and style, so the big tables, receipts and forms built from it read as openpyxl's (openpyxl
writes characters outside ASCII as character references, the hand-written XML as UTF-8)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree.ElementTree import canonicalize

from openpyxl import Workbook

from pipeline.xlsx import cells
from pipeline.xlsx import styles as xlsx

VALUES = [
    None,
    "",
    "文本",
    " 前后空格 ",
    "a & <b>",
    "=1+1",
    dt.datetime(2025, 3, 5),
    dt.datetime(2025, 3, 5, 8, 30),
    True,
    7,
    2.5,
]


def test_every_kind_of_value_is_written_as_openpyxl_writes_it() -> None:
    workbook = Workbook()
    for r, value in enumerate(VALUES, start=1):
        cell = xlsx.put(workbook.active.cell(row=r, column=1), value)
        cell.font = xlsx.BODY_FONT
    sheet = _saved_sheet(workbook)
    rows = cells.rows(sheet)
    for r, value in enumerate(VALUES, start=1):
        style = cells.CELL_STYLE.search(rows[r][0])[1]
        written = f'<row r="{r}">{cells.cell(f"A{r}", style, xlsx.stored(value))}</row>'
        if isinstance(value, str) and not value.isascii():
            assert canonicalize(written) == canonicalize(rows[r][0])
        else:
            assert written == rows[r][0]


def test_a_row_moved_and_raised_keeps_its_cells_and_style() -> None:
    row = '<row r="7" ht="15" customHeight="1"><c r="A7" s="3" t="n"></c><c r="AB7" s="4" t="n"></c></row>'
    moved = cells.with_height(cells.renumbered(row, 12), 28.5)
    assert (
        moved == '<row r="12" ht="28.5" customHeight="1"><c r="A12" s="3" t="n"></c><c r="AB12" s="4" t="n"></c></row>'
    )
    assert cells.row(12, 28.5, '<c r="A12" s="3" t="n"></c><c r="AB12" s="4" t="n"></c>') == moved


def _saved_sheet(workbook: Workbook) -> str:
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return package.read("xl/worksheets/sheet1.xml").decode("utf-8")
