"""Builders of returned forms for the intake tests: small workbooks laid out the way units send them.

The default layout mirrors the office's form: a merged title row, two header-block rows, a blank
row, the table header, then the data rows. `above` inserts rows above everything and `left`
shifts everything right, as people do when they edit a form.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L

HEADER: dict[str, Any] = {
    L.H_UNIT_NAME: "办公室",
    L.H_UNIT_CODE: "GS01",
    L.H_MONTH: "2025-03",
    L.H_OFFICER: "王晓燕",
    L.H_PHONE: "0539-3221001",
    L.H_HEAD: "马主任",
    L.H_FILL_DATE: "2025-04-02",
}

# Rows of the header block as laid out on the form: (label, label, ...) per row.
HEADER_ROWS = (
    (L.H_UNIT_NAME, L.H_UNIT_CODE, L.H_MONTH),
    (L.H_OFFICER, L.H_PHONE, L.H_HEAD, L.H_FILL_DATE),
)

TITLE_ROW = 1
TABLE_HEADER_ROW = 5  # without rows inserted above: title, two header rows, a blank row


def piece(**values: Any) -> dict[str, Any]:
    """A complete table row (label -> value) of an adopted piece; `values` (label -> value) override,
    e.g. `piece(**{L.TITLE: "..."})`."""
    row: dict[str, Any] = {
        L.SEQ: 1,
        L.TITLE: "我县召开耕地保护工作会议",
        L.CATEGORY: "政务信息",
        L.AUTHORS: "王晓燕",
        L.SENT_DATE: "2025-03-05",
        L.SENT_TO: "县委办公室",
        L.STATUS: "已采用",
        L.OUTLET: "《要情快报》",
        L.LEVEL: "县级",
        L.ADOPT_DATE: "2025-03-12",
        L.INSTRUCTION: "无",
        L.CO_UNITS: "",
        L.PROOF: "第12期",
        L.REVIEWER: "马主任",
        L.SECRECY: "是",
        L.NOTES: "",
    }
    row.update(values)
    return row


def write_form(
    path: Path,
    rows: Sequence[dict[str, Any] | None] = (),
    *,
    stamp: str | None = L.FORM_VERSION,
    sheet: str = L.FORM_SHEET,
    **layout: Any,
) -> Path:
    """Writes a returned form.

    Args:
        path: where to write (.xlsx).
        rows: table rows (label -> value); None leaves a blank row.
        stamp: the template version written to the hidden 选项 sheet; None writes no 选项 sheet.
        sheet: the main sheet's name.
        **layout: `fill_form_sheet`'s keyword arguments.

    Returns:
        The path written.
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    fill_form_sheet(worksheet, rows, **layout)
    if stamp is not None:
        options = workbook.create_sheet(L.FORM_LIST_SHEET)
        options["A1"], options["B1"] = L.FORM_VERSION_LABEL, stamp
        options.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def fill_form_sheet(
    ws: Worksheet,
    rows: Sequence[dict[str, Any] | None] = (),
    *,
    header: dict[str, Any] | None = None,
    columns: Sequence[str] = L.TABLE_COLUMNS,
    above: int = 0,
    left: int = 0,
) -> None:
    """Lays a form out on a sheet: merged title, header block, table header, rows.

    Args:
        ws: the sheet.
        rows: table rows (label -> value); None leaves a blank row.
        header: header-block values overriding HEADER; None as a value leaves the value cell empty.
        columns: the table's column labels in order (extra labels make extra columns).
        above: rows inserted above the title.
        left: columns inserted left of everything.
    """
    values = {**HEADER, **(header or {})}
    top = above + TITLE_ROW
    ws.cell(row=top, column=left + 1, value="示范县国土资源局2025年3月信息宣传工作月度报送表")
    ws.merge_cells(start_row=top, start_column=left + 1, end_row=top, end_column=left + len(columns))
    for offset, labels in enumerate(HEADER_ROWS, start=1):
        for index, label in enumerate(labels):
            ws.cell(row=top + offset, column=left + 1 + 2 * index, value=label)
            ws.cell(row=top + offset, column=left + 2 + 2 * index, value=values[label])
    header_row = above + TABLE_HEADER_ROW
    for index, label in enumerate(columns):
        ws.cell(row=header_row, column=left + 1 + index, value=label)
        ws.column_dimensions[get_column_letter(left + 1 + index)].width = 14
    for number, row in enumerate(rows, start=header_row + 1):
        for index, label in enumerate(columns):
            if row is not None and row.get(label) not in (None, ""):
                ws.cell(row=number, column=left + 1 + index, value=row[label])
