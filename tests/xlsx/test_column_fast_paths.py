"""The column-at-a-time paths of `stored_columns`, `shown_columns_of`, `stored_layout` and
`printing.text_lines` give what their plain definitions give, cell by cell."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

AWARE = [pd.Timestamp("2025-03-01 08:00", tz="Asia/Shanghai"), pd.Timestamp("2025-03-01 00:00", tz="UTC")]
COLUMNS = {
    "texts": ["甲", "甲", "一篇很长很长很长很长很长很长很长的稿件标题", "=1+1", ""],
    "control characters": ["a\x01b", "a\x01b", "甲", "c", "\x0b"],
    "whole numbers": [1, 2, 2, 3, -4],
    "floats": [0.0, -0.0, 1.5, float("nan"), 2.0],
    "dates": [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-02"), pd.NaT, None],
    "texts and dates": ["3月5日", pd.Timestamp("2025-03-01"), "3月5日", pd.Timestamp("2025-03-01"), "x"],
    "texts and numbers": ["1", 1, "1", 2, "甲"],
    "numbers of every kind": [1, 1.0, True, 0, -0.0],
    "dates of two zones": [*AWARE, *AWARE, None],
    "datetimes and timestamps": [dt.datetime(2025, 3, 1), pd.Timestamp("2025-03-01"), dt.date(2025, 3, 1), None, "a"],
}


def _same(got: list[object], want: list[object]) -> bool:
    """Equal cell by cell, in kind and in what a workbook shows (0.0 is not -0.0)."""
    return [(type(v), repr(v)) for v in got] == [(type(v), repr(v)) for v in want]


@pytest.mark.parametrize("name", COLUMNS)
def test_stored_columns_store_each_cell_as_put_stores_it(name: str) -> None:
    frame = pd.DataFrame({name: pd.Series(COLUMNS[name], dtype=object)})
    assert _same(xlsx.stored_columns(frame)[0], [xlsx.stored(v) for v in COLUMNS[name]])


def test_stored_columns_of_typed_columns_store_each_cell_as_put_stores_it() -> None:
    frame = pd.DataFrame(
        {
            "int": [3, 1, 3],
            "float": [0.5, float("nan"), -0.0],
            "text": pd.Series(["a", "b\x01", "a"], dtype="str"),
            "date": pd.to_datetime(["2025-03-01", None, "2025-03-01"]),
        }
    )
    for got, name in zip(xlsx.stored_columns(frame), frame.columns, strict=True):
        assert _same(got, [xlsx.stored(v) for v in frame[name].to_numpy(dtype=object).tolist()])


@pytest.mark.parametrize("name", COLUMNS)
@pytest.mark.parametrize("number_format", [None, "0.0%"])
def test_shown_columns_show_each_cell_as_shown_shows_it(name: str, number_format: str | None) -> None:
    values = [xlsx.stored(v) for v in COLUMNS[name]]
    assert _same(xlsx.shown_columns_of([values], [number_format])[0], [xlsx._shown(v, number_format) for v in values])


def _plain_heights(shown: list[list[object]], widths: list[float], count: int) -> list[float]:
    lines: list[float | None] = [None] * count
    for cells, width in zip(shown, widths, strict=True):
        for r, cell in enumerate(cells):
            if isinstance(cell, str):
                n = printing.text_lines(cell, width)
                lines[r] = n if lines[r] is None else max(lines[r], n)
    return [printing.row_height(1 if n is None else n) for n in lines]


def test_stored_layout_makes_each_row_as_high_as_its_tallest_text() -> None:
    columns = ["标题", "日期", "得分", "意见"]
    values = [
        ["短", "一篇很长很长很长很长很长很长很长很长很长很长很长很长的稿件标题", "", "a\nb\nc", None],
        [dt.datetime(2025, 3, 1)] * 5,
        [1.5, None, 0.0, -0.0, 2.0],
        ["", "审核意见\n第二行", "好", "好", None],
    ]
    shown = xlsx.shown_columns_of(values)
    widths, heights = xlsx.stored_layout(columns, values, 30, shown=shown)
    header = max(printing.text_lines(c, w) for c, w in zip(columns, widths, strict=True))
    assert heights == [printing.row_height(header), *_plain_heights(shown, widths, 5)]


def test_a_table_without_columns_gets_rows_of_one_line() -> None:
    assert xlsx.stored_layout([], [], rows=2)[1][1:] == [printing.row_height(1)] * 2


@pytest.mark.parametrize(
    "text", ["", "a", "甲乙", "2025-03-01", "计入", "a" * 12, "甲" * 9, "a\nb", "甲 b/c", "1" * 40]
)
@pytest.mark.parametrize("width", [0.5, 4, 7.3, 20, 50])
@pytest.mark.parametrize("size", [printing.BODY_SIZE, 14.0])
def test_text_lines_of_a_short_text_are_those_its_plain_count_gives(text: str, width: float, size: float) -> None:
    plain = 1 if text == "" else printing._text_lines(text.translate(printing._ALIKE), width, size)
    assert printing.text_lines(text, width, size) == plain
    assert not math.isnan(plain)


def test_stored_layout_of_a_single_column_makes_each_row_as_high_as_its_text() -> None:
    values = [["短", "审核意见\n第二行\n第三行", None]]
    shown = xlsx.shown_columns_of(values)
    widths, heights = xlsx.stored_layout(["意见"], values, 30, shown=shown)
    assert heights[1:] == _plain_heights(shown, widths, 3)
