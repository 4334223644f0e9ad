"""Table writing: cells styled through the style cache look exactly like cells styled one by one,
text keeps its quote prefix, and the collector is left as it was found."""

from __future__ import annotations

import datetime as dt
import gc

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx


def _look(cell: Cell) -> tuple[object, ...]:
    """What a person sees of a cell's style."""
    return (
        cell.font.name,
        cell.font.b,
        cell.font.sz,
        cell.fill.fgColor.rgb,
        cell.border.left.style,
        cell.border.bottom.color.rgb,
        cell.alignment.horizontal,
        cell.alignment.vertical,
        cell.alignment.wrap_text,
        cell.number_format,
        cell.quotePrefix,
        cell.protection.locked,
    )


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "标题": ["耕地保护会议", "=1+1 不是公式", "-1 元钱办成大事"],
            "报送日期": [pd.Timestamp("2025-03-05"), "3月32日", pd.Timestamp("2025-03-07")],
            "得分": [5.0, None, 2.5],
        }
    )


def test_write_frame_styles_every_body_cell_like_styling_it_alone() -> None:
    ws = Workbook().active
    last = xlsx.write_frame(ws, _frame(), number_formats={"得分": "0.##"})
    assert last == 4
    alone = Workbook().active
    expected = {}
    for row in ws.iter_rows(min_row=2, max_row=4):
        for cell in row:
            model = xlsx.put(alone.cell(row=cell.row, column=cell.column), cell.value)
            model.border, model.font, model.alignment = xlsx.BOX, xlsx.BODY_FONT, xlsx.WRAP
            if cell.column == 3:
                model.number_format = "0.##"
            elif isinstance(model.value, dt.datetime):
                model.number_format, model.alignment = "yyyy-mm-dd", xlsx.DATE_ALIGNMENT
            expected[cell.coordinate] = _look(model)
    assert {c.coordinate: _look(c) for row in ws.iter_rows(min_row=2, max_row=4) for c in row} == expected
    assert [ws.cell(row=r, column=2).number_format for r in (2, 3, 4)] == ["yyyy-mm-dd", "General", "yyyy-mm-dd"]
    assert [ws.cell(row=r, column=1).quotePrefix for r in (2, 3, 4)] == [False, True, True]
    assert ws.cell(row=2, column=3).number_format == "0.##"


def test_write_frame_header_cells_are_bold_filled_and_centred() -> None:
    ws = Workbook().active
    xlsx.write_frame(ws, _frame())
    header = [_look(ws.cell(row=1, column=c)) for c in (1, 2, 3)]
    assert (
        header
        == [("宋体", True, 11.0, "00DDEBF7", "thin", "00999999", "center", "center", True, "General", False, True)] * 3
    )


def test_many_cells_leaves_the_collector_as_it_found_it() -> None:
    assert gc.get_freeze_count() == 0
    with xlsx.many_cells():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_many_cells_leaves_a_callers_freeze_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Neither freezes nor unfreezes (the count of frozen objects itself may drop meanwhile: a
    # frozen object whose last reference goes is freed all the same).
    freeze, unfreeze = gc.freeze, gc.unfreeze
    calls: list[str] = []
    freeze()
    try:
        monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
        monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        with xlsx.many_cells():
            pass
        assert calls == []
    finally:
        monkeypatch.undo()
        unfreeze()


def test_display_width_counts_wide_characters_twice() -> None:
    assert printing.display_width("2025-03-05") == 10
    assert printing.display_width("第3期") == 5
    assert printing.display_width("《要情快报》") == 12
    assert printing.display_width(2.5) == 3


def _layout_cell_by_cell(frame: pd.DataFrame, wide: tuple[str, ...]) -> tuple[list[float], list[float]]:
    """`xlsx.table_layout` as it was written before it worked column by column."""
    import math

    from pipeline.xlsx import printing

    columns = list(frame.columns)
    shown = [[xlsx._shown(xlsx.stored(v), None) for v in values] for values in frame.itertuples(index=False)]
    natural, minimum = [], []
    for c, label in enumerate(columns):
        header = printing.header_minimum(str(label))
        cells = [row[c] for row in shown]
        fixed = math.ceil(2 * max((-v for v in cells if isinstance(v, float)), default=0) + 1) / 2
        lines = [part for v in cells if isinstance(v, str) and v for part in v.split("\n")]
        text = max((printing.print_width(part) for part in lines), default=0) + 2
        natural.append(min(50, max(5, header, fixed, text)))
        minimum.append(max(header, fixed, min(text, xlsx.WIDE_TEXT if label in wide else xlsx.NARROW_TEXT)))
    budget = printing.page_columns("landscape", len(columns))
    every = max(1, len(shown) // xlsx.LAYOUT_SAMPLE)
    texts = [[v if isinstance(v, str) else "" for v in row] for row in shown[::every]]
    widths = printing.balance_widths(natural, minimum, budget, [[str(c) for c in columns], *texts])
    heights = []
    for row in [[str(c) for c in columns], *shown]:
        cells = zip(row, widths, strict=True)
        lines = max((printing.text_lines(v, w) for v, w in cells if isinstance(v, str)), default=1)
        heights.append(printing.row_height(lines))
    return widths, heights


def test_the_column_by_column_layout_equals_the_cell_by_cell_one() -> None:
    long = "一段很长的稿件标题，在窄列里要折成好几行才能放得下" * 3
    frame = pd.DataFrame(
        {
            "单位": ["GS01", "GS01", None, "GS02", "GS01"],
            "标题": [long, "短标题", long, "第一行\n第二行", "短标题"],
            "日期": [pd.Timestamp("2025-03-05"), pd.NaT, pd.Timestamp("2025-03-05"), pd.NaT, pd.NaT],
            "得分": [5.0, float("nan"), 1 / 3, 12345678.5, 0.0],
            "行号": [6, 6, 8, 6, 10],
            "说明\n很长的表头需要折行显示": ["", "\x07控制字符", "=1+1", "", ""],
        }
    )
    for wide in ((), ("标题",)):
        assert xlsx.table_layout(frame, wide=wide) == _layout_cell_by_cell(frame, wide)
        assert xlsx.table_layout(frame.iloc[0:0], wide=wide) == _layout_cell_by_cell(frame.iloc[0:0], wide)
    assert xlsx.stored_columns(frame)[5][1] == "控制字符"
