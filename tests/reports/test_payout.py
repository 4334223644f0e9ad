"""奖励发放: which adoptions a person is paid for, how a piece's money is shared to the fen, the
小计 and 合计, and the note on people owed a negative amount. Values worked out by hand in the
comments (scoring_helpers' defaults: rewards 县级 20 / 市级 40 / 省级 60 / 国家级 80 yuan;
points 政务信息 县级 5 / 市级 10 / 省级 20, 调研文章 县级 10)."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.plan.rules import MultiLevel
from pipeline.reports import yearbook
from pipeline.scoring import assessment as A
from pipeline.scoring import scoring as S
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]


def assess(records, plan=None):
    return A.assess_year(rows_frame(records), all_returned(YEAR), YEAR, plan or make_plan(), {})


def paid(year_end):
    """{(单位代码, 姓名): (金额, 国家级, 省级, 市级, 县级 篇次)} of the payout."""
    levels = [A.level_label(level) for level in A.LEVELS_SHOWN]
    return {
        (r[L.UNIT_CODE], r[S.PERSON_NAME]): (r[OL.PAYOUT_AMOUNT], *(int(r[c]) for c in levels))
        for r in year_end.payout.to_dict("records")
    }


def test_payout_levels_leave_out_a_previous_december_adoption_a_higher_one_superseded():
    # Under 最高级, all by 张三 of A01:
    #   甲: 县级 on 2024-12-10 (20, paid in 2024), 市级 on 2025-03-10 (40): the year pays 40 − 20
    #       = 20 for the 市级 adoption alone; the December 县级 one is superseded.
    #   乙: 县级 on 2024-12-10 only: paid in 2024, nothing this year.
    #   丙: 县级 on 2025-02-10, 省级 on 2025-05-10: the 省级 one counts (60), the 县级 one does not.
    # 张三: 20 + 60 = 80.00 yuan for one 市级 and one 省级 adoption, none at 县级.
    records = [
        row("A01", "甲", "2024-12", level="县级", outlet="X"),
        row("A01", "乙", "2024-12", level="县级", outlet="X"),
        row("A01", "甲", "2025-03", sent="2024-12-02", level="市级", outlet="Y"),
        row("A01", "丙", "2025-02", level="县级", outlet="X"),
        row("A01", "丙", "2025-05", sent="2025-02-02", level="省级", outlet="Y"),
    ]
    year_end = assess(records, make_plan(multi_level=MultiLevel.HIGHEST))
    assert paid(year_end) == {("A01", "张三"): (80.0, 0, 1, 1, 0)}


def test_a_co_written_pieces_reward_gives_the_extra_fen_by_reporting_unit_then_author_order():
    # 合写 is reported first by A02 (sent 3 March: 张三、李四), then by A01 (sent 4 March: 王五),
    # adopted 县级: 20 yuan = 2000 fen among three: 666 each, 2 fen over, to the first two in
    # reward order: A02's 张三 and 李四 (A02 reported first, though A01 has the lower code).
    records = [
        row("A02", "合写", "2025-03", sent="2025-03-03", level="县级", authors="张三、李四", co_units="A01"),
        row("A01", "合写", "2025-03", sent="2025-03-04", level="县级", authors="王五", co_units="A02"),
    ]
    year_end = assess(records)
    amounts = {key: value[0] for key, value in paid(year_end).items()}
    assert amounts == {("A02", "张三"): 6.67, ("A02", "李四"): 6.67, ("A01", "王五"): 6.66}
    # At 市级, 40 yuan = 4000 fen: 1333 each, 1 fen over, to the first author on the first unit's
    # row: 李四 when the row names 李四 first (author order, not 姓名 order).
    records = [
        {**records[0], L.AUTHORS: "李四、张三", L.LEVEL: "市级", L.OUTLET: "《市级要情》"},
        {**records[1], L.LEVEL: "市级", L.OUTLET: "《市级要情》"},
    ]
    amounts = {key: value[0] for key, value in paid(assess(records)).items()}
    assert amounts == {("A02", "李四"): 13.34, ("A02", "张三"): 13.33, ("A01", "王五"): 13.33}


def test_under_highest_level_a_tie_in_points_goes_to_the_earlier_adoption_with_its_reward_and_level():
    # 甲 is adopted as 调研文章 县级 (10 points, 20 yuan) by outlet Y on 10 March, then as
    # 政务信息 市级 (10 points, 40 yuan) by outlet X on 10 May. Equal 分值: the earlier one counts
    # (though X comes first by outlet): 10 points, 20 yuan, one 县级 adoption paid.
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="Y", category="调研文章"),
        row("A01", "甲", "2025-05", sent="2025-03-02", level="市级", outlet="X"),
    ]
    year_end = assess(records, make_plan(multi_level=MultiLevel.HIGHEST))
    assert paid(year_end) == {("A01", "张三"): (20.0, 0, 0, 0, 1)}
    zhang = year_end.persons.set_index(S.PERSON_NAME).loc["张三"]
    assert (zhang[OL.YEAR_POINTS], zhang[OL.YEAR_REWARD]) == (10.0, 20.0)


def test_subtotals_and_total_of_the_payout_keep_the_fen():
    # 甲 (A01 张三、李四 first, co-written with A02 王五) adopted 县级 (20) and 国家级 (80) under
    # 累计: 100 yuan = 10000 fen among three: 3333 each, 1 fen over to 张三: 33.34, 33.33, 33.33.
    # 乙 of A01 by 赵六 is never adopted: 0.00, so 赵六 is not in the payout.
    # A01's 小计 33.34 + 33.33 = 66.67, A02's 33.33, 合计 100.00 (to whole yuan they would be 67 / 33).
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="X", authors="张三、李四", co_units="A02"),
        row("A02", "甲", "2025-03", sent="2025-03-03", level="县级", outlet="X", authors="王五", co_units="A01"),
        row("A01", "甲", "2025-04", sent="2025-03-02", level="国家级", outlet="Y", authors="张三、李四"),
        row("A01", "乙", "2025-04", authors="赵六"),
    ]
    year_end = assess(records)
    assert paid(year_end) == {
        ("A01", "张三"): (33.34, 1, 0, 0, 1),
        ("A01", "李四"): (33.33, 1, 0, 0, 1),
        ("A02", "王五"): (33.33, 1, 0, 0, 1),
    }
    assert year_end.persons.set_index(S.PERSON_NAME).at["赵六", OL.YEAR_REWARD] == 0.0
    printed = yearbook.payout_rows(year_end.payout)
    totals = printed[printed[L.SEQ].isin([OL.SUBTOTAL, OL.TOTAL])]
    assert list(zip(totals[L.SEQ], totals[OL.PAYOUT_UNIT], totals[OL.PAYOUT_AMOUNT], strict=True)) == [
        (OL.SUBTOTAL, "办公室", 66.67),
        (OL.SUBTOTAL, "规划股", 33.33),
        (OL.TOTAL, "", 100.0),
    ]
    assert totals[A.level_label("国家级")].tolist() == [2, 1, 3]


def test_the_note_on_people_owed_a_negative_amount_never_names_people_at_zero():
    # 张三 −12.50 is owed; 李四 is at exactly 0.00 and 王五 at −0.004, which is 0.00 to the fen:
    # neither owes anything, so the note names 张三 alone.
    persons = pd.DataFrame(
        {
            L.UNIT_CODE: ["A01", "A01", "A02"],
            L.UNIT_NAME: ["办公室", "办公室", "规划股"],
            S.PERSON_NAME: ["张三", "李四", "王五"],
            OL.YEAR_REWARD: [-12.5, 0.0, -0.004],
        }
    )
    note = yearbook.owing_note(persons)
    assert note.startswith("注：另有 1 人全年奖励金额为负数，未列入发放：张三（A01 办公室）-12.50 元。")
    assert "李四" not in note and "王五" not in note
    assert yearbook.owing_note(persons.iloc[1:]) == ""


def test_the_payout_and_the_units_table_hold_their_columns_whole_counts_and_blank_signatures():
    # 甲 县级 by 张三 of A01: one payout row, numbered 1, 20.00, one 县级 adoption, room to sign.
    year_end = assess([row("A01", "甲", "2025-03", level="县级")])
    assert list(year_end.payout.columns) == [L.SEQ, L.UNIT_CODE, *A.PAYOUT_COLUMNS[1:]]
    first = year_end.payout.iloc[0]
    assert (first[L.SEQ], first[OL.PAYOUT_AMOUNT], first[OL.SIGNATURE]) == (1, 20.0, "")
    levels = [A.level_label(level) for level in A.LEVELS_SHOWN]
    assert all(year_end.payout[c].dtype.kind == "i" for c in levels)
    assert list(year_end.units.columns) == list(A.UNIT_COLUMNS) == list(year_end.apart.columns)
    assert year_end.units[L.SEQ].tolist() == [1, 2, 3] and year_end.apart[L.SEQ].tolist() == [1]


def test_amounts_are_written_out_in_words_as_finance_requires():
    assert yearbook.amount_in_words(11420) == "人民币壹万壹仟肆佰贰拾元整"
    assert yearbook.amount_in_words(100.0) == "人民币壹佰元整"
    assert yearbook.amount_in_words(1010.5) == "人民币壹仟零壹拾元伍角"
    assert yearbook.amount_in_words(33.33) == "人民币叁拾叁元叁角叁分"
    assert yearbook.amount_in_words(0.05) == "人民币伍分"
    assert yearbook.amount_in_words(0) == "人民币零元整"


def test_the_payout_lists_units_in_roster_order_numbered_as_printed():
    # the roster lists 城关所 (A03) before 办公室 (A01): the payout follows it, 序号 1, 2 in print order
    plan = make_plan(units=[("A03", "城关所", "国土资源所", True), ("A01", "办公室", "股室", True)])
    year_end = assess([row("A01", "甲", "2025-03", level="县级"), row("A03", "乙", "2025-03", level="市级")], plan)
    printed = yearbook.payout_rows(year_end.payout, list(plan.units.index))
    assert list(zip(printed[L.SEQ], printed[OL.PAYOUT_UNIT], printed[OL.PAYOUT_AMOUNT], strict=True)) == [
        (1, "城关所", 40.0),
        (OL.SUBTOTAL, "城关所", 40.0),
        (2, "办公室", 20.0),
        (OL.SUBTOTAL, "办公室", 20.0),
        (OL.TOTAL, "", 60.0),
    ]


def test_a_page_of_the_payout_never_starts_with_a_unit_s_subtotal_or_a_person_apart_from_the_unit(tmp_path):
    # three units of 12, 15 and 9 paid persons: 42 rows with the 小计, more than a portrait page
    # holds, so the list breaks; every break comes before a unit's first person
    records = [
        row(code, f"{code}稿{n}", "2025-03", level="县级", authors=f"{code}作者{n}")
        for code, count in (("A01", 12), ("A02", 15), ("A03", 9))
        for n in range(count)
    ]
    year_end = assess(records)
    path = yearbook.write_yearbook(year_end, tmp_path / "年终考核表.xlsx")
    ws = load_workbook(path)["奖励发放"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    first_rows = {4, *(r + 1 for r in range(4, ws.max_row) if ws.cell(row=r, column=1).value == OL.SUBTOTAL)}
    assert all(b + 1 in first_rows for b in breaks)
    # the 合计, the amount in words, the basis and the signatures print on one page
    total = next(r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=1).value == OL.TOTAL)
    assert ws.cell(row=ws.max_row, column=1).value.startswith("制表人")
    assert not any(total <= b < ws.max_row for b in breaks)
