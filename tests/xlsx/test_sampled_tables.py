"""A table `big_table.write_sample` writes as a sample of its rows, filled in by
`big_table.save_filled`, saves the very parts openpyxl writes from the whole table: the same
styles in the same order, fills by row, widths, heights, filter, print settings, other sheets
and a chart that points at the table."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from pipeline.xlsx import big_table
from pipeline.xlsx import styles as xlsx
from tests import strict_files

FORMATS = {"得分": "0.##", "完成率": "0.0%"}


def _frame(rows: int = 40) -> pd.DataFrame:
    texts = ["办公室", "=1+1", "<b>& 标题", "第一行\n第二行", " 前后有空格 ", "", None, "-减", "规划股" * 12]
    dates = [pd.Timestamp("2025-03-05"), pd.NaT, pd.Timestamp("2024-12-31 10:30")]
    return pd.DataFrame(
        {
            "单位名称": [f"第{n}单位" for n in range(rows)],
            "稿件标题": [texts[n % len(texts)] for n in range(rows)],
            # a column whose first date, formula-like text and number show late
            "原值": ["a"] * (rows - 4) + [dt.datetime(2025, 1, 2), "@at", 7, 2.5],
            "报送日期": [dates[n % len(dates)] for n in range(rows)],
            "得分": [float(n) / 3 if n % 5 else float("nan") for n in range(rows)],
            "完成率": [n / rows for n in range(rows)],
            "严重程度": ["警告" if n % 7 else "错误" for n in range(rows)],
            "真假": [n % 2 == 0 for n in range(rows)],
        }
    )


def _workbook(path: Path, frame: pd.DataFrame, sample_from: int) -> list[big_table.Sample]:
    """A workbook as the month's are built: a table filled by row, a small sheet, a chart."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "清单"
    table = big_table.write_sample(
        ws,
        frame,
        classes=frame["严重程度"].tolist(),
        sample_from=sample_from,
        number_formats=FORMATS,
        wide=("稿件标题",),
    )
    xlsx.page_titles(ws, "标题 & 页")
    for r, severity in enumerate(table.frame["严重程度"], start=2):
        ws.cell(row=r, column=7).fill = xlsx.ERROR_FILL if severity == "错误" else xlsx.WARNING_FILL
    summary = pd.DataFrame({"严重程度": ["错误", "警告"], "条数": [1, 2]})
    other = big_table.write_sample(workbook.create_sheet("统计"), summary, sample_from=sample_from)
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=1, max_row=len(frame) + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(frame) + 1))
    chart_ws = workbook.create_sheet("图")
    chart_ws.add_chart(chart, "A1")
    xlsx.fit_to_a4(chart_ws, "portrait", pages_down=1)
    big_table.save_filled(workbook, path, [table, other])
    return [table, other]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def test_a_sampled_table_saves_the_parts_openpyxl_writes_from_the_whole_table(tmp_path: Path) -> None:
    frame = _frame()
    plain = _workbook(tmp_path / "openpyxl.xlsx", frame, sample_from=10**9)
    sampled = _workbook(tmp_path / "sampled.xlsx", frame, sample_from=1)
    assert plain[0].rows is None and len(sampled[0].frame) < len(frame)
    assert sampled[1].rows is not None  # the small sheet sampled too: two rows of its own kinds
    assert _parts(tmp_path / "sampled.xlsx") == _parts(tmp_path / "openpyxl.xlsx")
    assert strict_files.problems(tmp_path / "sampled.xlsx") == []


def test_the_sample_is_each_row_where_a_kind_of_cell_first_shows_in_its_class() -> None:
    when = dt.datetime(2025, 1, 1)
    values = [["a", "b", "=c", "d", "e", "f"], [1, 2.5, None, when, True, 3]]
    assert big_table._sample_rows(values, [None] * 6) == [0, 2, 3]
    assert big_table._sample_rows(values, ["错误", "错误", "错误", "错误", "警告", "警告"]) == [0, 2, 3, 4]


@pytest.mark.parametrize("odd", ["   ", dt.time(8, 30)])
def test_a_table_holding_a_text_of_spaces_only_or_a_time_of_day_is_written_whole_by_openpyxl(odd: object) -> None:
    frame = pd.DataFrame({"原值": ["a", odd, "b"]})
    assert big_table.write_sample(Workbook().active, frame, sample_from=1).rows is None
    assert big_table.write_sample(Workbook().active, frame.iloc[[0, 2]], sample_from=1).rows == [0]


def test_a_table_under_the_threshold_is_written_whole_by_openpyxl() -> None:
    frame = _frame(10)
    table = big_table.write_sample(Workbook().active, frame, sample_from=11)
    assert table.rows is None and table.frame is frame
    assert big_table.write_sample(Workbook().active, frame.iloc[:0], sample_from=0).rows is None
