"""Reading cell grids out of workbooks and finding labelled tables in them.

Shared by the plan reader and the intake of returned forms: both find their tables by header
labels, never by fixed cell positions, because people insert rows, retitle and merge cells.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook

from pipeline.core.text import fold, is_blank, squeeze

EXCEL_ROW = "行号"  # 1-based row number as the user sees it in Excel

_LABEL_DECORATION = re.compile(r"[*＊:：()（）]|必填|选填")


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    rows: list[list[Any]]


def read_sheets(path: Path) -> list[Sheet]:
    """All sheets of a workbook as grids of Python values (calamine: xlsx, xlsm, xls, ods).

    Raises whatever calamine raises for a file it cannot read; callers decide what that means.
    """
    workbook = CalamineWorkbook.from_path(str(path))
    try:
        sheets = []
        for meta in workbook.sheets_metadata:
            grid = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            visible = "hidden" not in str(getattr(meta, "visible", "")).lower()
            sheets.append(Sheet(meta.name, visible, grid))
        return sheets
    finally:
        workbook.close()


def norm_label(value: Any) -> str:
    """A header label as typed, reduced to what identifies it (no spaces, marks or 必填 notes)."""
    if value is None:
        return ""
    if type(value) is str:
        return _norm_text_label(value)
    return _LABEL_DECORATION.sub("", fold(str(value)))


@functools.lru_cache(maxsize=1 << 14)  # called on every cell of a table's key columns
def _norm_text_label(value: str) -> str:
    return _LABEL_DECORATION.sub("", fold(value))


def find_header_row(rows: list[list[Any]], labels: tuple[str, ...], *, scan: int = 60) -> int | None:
    """Index of the first row among the first `scan` rows that holds every label in `labels`."""
    wanted = {norm_label(x) for x in labels}
    for index, row in enumerate(rows[:scan]):
        if wanted <= {norm_label(cell) for cell in row}:
            return index
    return None


def column_positions(header: list[Any], labels: tuple[str, ...]) -> dict[str, int]:
    """Position of each label in the header row (the first occurrence wins)."""
    wanted = {norm_label(label): label for label in labels}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = wanted.get(norm_label(cell))
        if label is not None and label not in positions:
            positions[label] = index
    return positions


def table_below(rows: list[list[Any]], header_index: int, positions: dict[str, int]) -> pd.DataFrame:
    """The rows under a header as a frame of raw values, one column per found label, with the
    Excel row number in `EXCEL_ROW`. Entirely blank rows are dropped."""
    records = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {label: (row[pos] if pos < len(row) else None) for label, pos in positions.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        values[EXCEL_ROW] = index + 1
        records.append(values)
    return pd.DataFrame(records, columns=[*positions, EXCEL_ROW]).astype(object)


def text(value: Any) -> str:
    """A cell value as clean text: numbers without a spurious .0, dates as YYYY-MM-DD, spaces
    trimmed and folded."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return squeeze(str(value))
