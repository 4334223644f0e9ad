"""A big table written as XML rows into an openpyxl-saved sample is the table `xlsx.write_frame`
writes: the same values, styles, widths, heights, filter and print settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl import Workbook

from pipeline.files import atomic
from pipeline.xlsx import big_table
from pipeline.xlsx import styles as xlsx

FORMATS = {"得分": "0.##"}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "单位代码": ["GS01", "GS02", None, "SO01"],
            "稿件标题": ["=1+1", "<b>& 标题", "第一行\n第二行", " 前后有空格 " * 5],
            "报送日期": [
                pd.Timestamp("2025-03-05"),
                pd.NaT,
                pd.Timestamp("2024-12-31 10:30"),
                pd.Timestamp("2025-03-31"),
            ],
            "得分": [5.0, 2.5, float("nan"), 0.1 + 0.2],
            "来源行号": [6, 7, 8, 12345678901],
            "备注": ["-减", "+加", "@at", ""],
        }
    )


def _look(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path).active
    cells = {
        c.coordinate: (
            c.value,
            c.data_type,
            c.number_format,
            c.quotePrefix,
            c.font.b,
            c.fill.fgColor.rgb,
            c.border.left.style,
            c.alignment.wrap_text,
        )
        for row in ws.iter_rows()
        for c in row
    }
    return {
        "title": ws.title,
        "cells": cells,
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items()},
        "view": (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.dimensions),
        "print": (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_margins.top, ws.oddHeader.center.text),
    }


def test_a_big_table_equals_the_table_openpyxl_writes(tmp_path: Path) -> None:
    frame = _frame()
    workbook = Workbook()
    ws = workbook.active
    ws.title = "汇总台账"
    xlsx.write_frame(ws, frame, number_formats=FORMATS, wide=("稿件标题",))
    xlsx.page_titles(ws, "标题 & 页")
    atomic.save_workbook(workbook, tmp_path / "openpyxl.xlsx")
    big_table.save_table(
        tmp_path / "fast.xlsx", frame, sheet="汇总台账", title="标题 & 页", number_formats=FORMATS, wide=("稿件标题",)
    )
    assert _look(tmp_path / "fast.xlsx") == _look(tmp_path / "openpyxl.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx").active
    assert (ws["B2"].value, ws["B2"].quotePrefix, ws["C4"].value) == ("=1+1", True, dt.datetime(2024, 12, 31, 10, 30))
    assert ws.max_row == 5


def test_a_big_table_with_repeated_texts_equals_the_table_openpyxl_writes(tmp_path: Path) -> None:
    frame = pd.concat([_frame()] * 3, ignore_index=True)
    workbook = Workbook()
    ws = workbook.active
    ws.title = "汇总台账"
    xlsx.write_frame(ws, frame, number_formats=FORMATS)
    xlsx.page_titles(ws, "标题")
    atomic.save_workbook(workbook, tmp_path / "openpyxl.xlsx")
    big_table.save_table(tmp_path / "fast.xlsx", frame, sheet="汇总台账", title="标题", number_formats=FORMATS)
    assert _look(tmp_path / "fast.xlsx") == _look(tmp_path / "openpyxl.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx").active
    assert [ws[f"B{r}"].value for r in (2, 6, 10)] == ["=1+1"] * 3 and ws["B10"].quotePrefix
