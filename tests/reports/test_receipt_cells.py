"""A receipt's table rows, written a column at a time from values met before, are the cells
`cells.cell` writes one by one, whatever values the receipts before it held."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl.utils import get_column_letter

from pipeline.reports import receipt_copies, reports
from pipeline.xlsx import cells
from pipeline.xlsx import styles as xlsx

COLUMNS = ["标题", "日期", "得分"]
RECEIPTS = [
    [["甲", "=1+1", "甲"], [dt.datetime(2025, 3, 1), None, "3月5日"], [0.0, -0.0, 1.5]],
    [["甲", " 空格 ", "a\x00b"], [dt.datetime(2025, 3, 1), dt.datetime(2025, 3, 2), "甲"], [-0.0, 0.0, None]],
    [["乙", "甲", ""], [1, True, 1.0], [1, 1.0, True]],
    [["乙", "<&>", "甲"], [dt.datetime(2025, 3, 2), None, dt.datetime(2025, 3, 1)], [-0.0, 2, 0.0]],
]


def _plain_rows(
    writer: receipt_copies.ReceiptWriter, receipt: reports.Receipt, values: list[list[object]]
) -> list[str]:
    first = receipt.header_row + 1
    rows = []
    for n, stored in enumerate(zip(*values, strict=True)):
        r = first + n
        xml = ""
        for c, value in enumerate(stored):
            fill = receipt.marks.get((r, c + 1), (None, None))[0]
            style = writer.styles[receipt_copies._kind(value), id(fill)][c]
            xml += cells.cell(f"{get_column_letter(c + 1)}{r}", style, value)
        rows.append(cells.row(r, 20.0, xml))
    return rows


def test_receipt_rows_are_their_cells_as_written_one_by_one_after_any_receipts_before() -> None:
    writer = reports.receipt_writer(COLUMNS)
    for n, values in enumerate(RECEIPTS * 2):
        table = pd.DataFrame(dict(zip(COLUMNS, values, strict=True)), dtype=object)
        receipt = reports.Receipt(title="回执", lines=["说明"], table=table, marks={}, page_title="回执", values=values)
        if n % 3 == 1:
            marks = {
                (receipt.header_row + 2, 3): (xlsx.ERROR_FILL, "批注"),
                (receipt.header_row + 1, 1): (xlsx.WARNING_FILL, None),
            }
            receipt = reports.Receipt(
                title="回执", lines=["说明"], table=table, marks=marks, page_title="回执", values=values
            )
        written = writer._table(receipt, values, [20.0] * 4, receipt.header_row)
        header = written[: written.index("</row>") + len("</row>")]
        assert written == header + "".join(_plain_rows(writer, receipt, values))
