"""What the circulars say about a period: schedule wording at the edge, who is praised and how
many, whose forms are listed as missing, which 领导批示 are the period's, the comparison with the
same quarter last year, and the year circular's 采发率. Figures worked out by hand in the
comments (scoring_helpers' county: A01 办公室, A02 规划股, A03 城关所 assessed, N01 人事股 not;
政务信息 县级 5 / 市级 10 / 省级 20 points; forms due on the 5th of the next month)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from pipeline.core import output_labels as OL
from pipeline.documents import circular, year_circular
from pipeline.reports import yearbook
from pipeline.scoring import assessment as A
from pipeline.scoring import periods
from tests.scoring_helpers import all_returned, make_plan, returns_frame, row, rows_frame

Q1_MONTHS = ["2025-01", "2025-02", "2025-03"]
Q1, Q2 = periods.quarter("2025Q1"), periods.quarter("2025Q2")
APRIL_3 = dt.date(2025, 4, 3)


def context(records, plan, period=Q1, processed=Q1_MONTHS, returns=None, issued=APRIL_3):
    returns = all_returned(processed) if returns is None else returns
    figures = periods.figures(rows_frame(records), returns, processed, plan, period)
    return circular.context(figures, plan, issued=issued)


def with_rules(plan, **rules):
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **rules))


def test_exactly_on_schedule_is_said_to_meet_it_and_no_such_unit_is_behind():
    # Targets 4 sent / 4 adopted each. By March each unit sent 1 and had 1 adopted (县级): 1/4 =
    # 25.0% = 3/12, exactly the schedule: the county meets it and nobody is behind.
    plan = make_plan(targets={code: (4, 4, float("nan"), 0) for code in ("A01", "A02", "A03")})
    records = [
        row("A01", "甲", "2025-01", level="县级"),
        row("A02", "乙", "2025-02", level="县级"),
        row("A03", "丙", "2025-03", level="县级"),
    ]
    shown = context(records, plan)
    assert shown["overview"][-1] == (
        "截至3月底，3个考核单位累计报送稿件3篇、采用3篇（合作稿件在各合作单位分别计数），累计得分15分，"
        "分别完成年度任务（报送12篇、采用12篇）的25.0%和25.0%，按序时进度应完成25.0%，总体进度符合要求。"
    )
    assert shown["problems"][0]["paragraphs"] == [
        "截至3月底，各考核单位报送、采用完成率均达到25.0%的序时进度，没有进度滞后的单位。"
    ]
    # 丙 not adopted: 城关所 adopted 0 of 4 is behind, its 报送 (1 of 4, on schedule) not named;
    # 办公室 and 规划股, exactly on schedule, are not listed. The county: 2 of 12 adopted, 16.7%.
    records[2] = row("A03", "丙", "2025-03")
    shown = context(records, plan)
    assert shown["overview"][-1].endswith("的25.0%和16.7%，按序时进度应完成25.0%，采用完成率低于序时进度。")
    assert shown["problems"][0]["paragraphs"] == [
        "按照序时进度，截至3月底各单位应完成年度任务的25.0%。城关所（采用完成率0.0%）进度滞后，"
        "请该单位认真分析原因，加快工作进度，于2025年4月11日前将整改措施报局办公室。"
    ]


def test_the_number_of_top_units_follows_their_quota_and_of_top_persons_theirs():
    # A01 省级 20 (张三), A02 市级 10 (李四), A03 县级 5 (赵六). One 先进单位 place, three 先进个人.
    records = [
        row("A01", "甲", "2025-03", level="省级", authors="张三"),
        row("A02", "乙", "2025-03", level="市级", authors="李四"),
        row("A03", "丙", "2025-03", level="县级", authors="赵六"),
    ]
    praise = context(records, with_rules(make_plan(), top_units=1, top_persons=3))["praise"]
    assert praise[0] == {
        "heading": "（一）先进单位",
        "paragraphs": [
            "本季度得分最高的单位是：办公室（20分，采用1篇）。该单位重视信息宣传工作，报送积极，采用质量较高，予以通报表扬。"
        ],
    }
    assert praise[1]["paragraphs"][0].startswith(
        "本季度个人得分居前3位的同志是：张三（办公室，20分）、李四（规划股，10分）、赵六（城关所，5分）。"
    )


def test_the_late_and_missing_forms_list_names_only_units_that_are_assessed():
    # 人事股 (N01, not assessed) returns no form and sends nothing all quarter; 规划股 misses
    # February's form, 城关所 returns March's on 8 April (late). Only those two are named.
    entries = [(m, code, f"2025-{int(m[5:]) + 1:02d}-03") for m in Q1_MONTHS for code in ("A01", "A02", "A03")]
    entries = [e for e in entries if e[:2] != ("2025-02", "A02")]
    entries = [(m, c, "2025-04-08" if (m, c) == ("2025-03", "A03") else d) for m, c, d in entries]
    records = [row(code, f"稿{code}", "2025-02", level="县级") for code in ("A01", "A02", "A03")]
    problems = context(records, make_plan(), returns=returns_frame(entries))["problems"]
    assert problems[-1] == {
        "heading": "（二）未按时报送月度报表的单位",
        "paragraphs": [
            "未报送月度报送表的有规划股（2月），请于2025年4月11日前补报；迟报的有城关所（3月），请今后严格按照次月5日前的时限报送。"
        ],
    }
    assert all("人事股" not in p for section in problems for p in section["paragraphs"])


def test_an_instruction_of_the_month_before_the_period_is_not_reported_as_the_periods():
    # 甲 got a 县级 批示 in March (Q1), listed again in April with the same 批示; 乙 gets a 市级
    # 批示 in May. Q2 names 乙 alone; Q1 names 甲.
    records = [
        row("A01", "甲", "2025-03", instruction="县级"),
        row("A01", "甲", "2025-04", sent="2025-03-02", level="县级", instruction="县级"),
        row("A02", "乙", "2025-05", instruction="市级", authors="李四"),
    ]
    months = [f"2025-{m:02d}" for m in range(1, 7)]
    q2 = context(records, make_plan(), Q2, months, issued=dt.date(2025, 7, 2))
    sections = {s["heading"][3:]: s["paragraphs"] for s in q2["praise"]}
    assert sections["获领导批示的稿件"] == ["本季度共有1篇稿件获得领导批示：规划股李四撰写的《乙》获市级领导批示。"]
    assert q2["overview"][0].endswith("本季度共有1篇稿件获得领导批示。")
    q1 = context(records, make_plan(), Q1, months)
    assert {s["heading"][3:]: s["paragraphs"] for s in q1["praise"]}["获领导批示的稿件"] == [
        "本季度共有1篇稿件获得领导批示：办公室张三撰写的《甲》获县级领导批示。"
    ]


def test_the_same_quarter_last_year_is_taken_from_last_years_months_as_its_circular_had_them():
    # 2024 Q1: 旧二 (A02, January) and 旧一 (A01, February) sent, neither adopted by the end of
    # March 2024: sent 2, adopted 0, 0.0%. 旧一's adoption of 28 March 2024 was only reported on
    # April 2024's form, after that circular: it stays out. 2024 Q4: 旧三 sent and adopted.
    # 2025 Q1: 甲 (县级), 乙, 丙 (县级): sent 3, adopted 2, 66.7%.
    # Previous quarter (sent 1, adopted 1, 100.0%): +2 (200.0%), +1 (100.0%), −33.3 points.
    # Same quarter last year: +1 (50.0%), +2 (from 0, no percentage), +66.7 points.
    records = [
        row("A02", "旧二", "2024-01"),
        row("A01", "旧一", "2024-02"),
        row("A01", "旧一", "2024-04", sent="2024-02-02", level="县级", adopted="2024-03-28"),
        row("A01", "旧三", "2024-11", level="县级"),
        row("A01", "甲", "2025-01", level="县级"),
        row("A02", "乙", "2025-02"),
        row("A03", "丙", "2025-03", level="县级"),
    ]
    processed = [f"2024-{m:02d}" for m in range(1, 13)] + Q1_MONTHS
    shown = context(records, make_plan(), Q1, processed, returns=all_returned(Q1_MONTHS))
    assert shown["overview"][1] == (
        "与上季度相比，报送数增加2篇（增长200.0%），采用数增加1篇（增长100.0%），采用率降低33.3个百分点；"
        "与去年同期相比，报送数增加1篇（增长50.0%），采用数增加2篇，采用率提高66.7个百分点。"
    )


def test_the_year_circular_and_sheet_give_the_adoption_rate_of_pieces_not_of_adoptions(tmp_path: Path):
    # 甲 adopted twice (县级 by X, 市级 by Y), 乙 never: 报送 2 pieces, 采用 1 piece, 2 条次.
    # 采发率 = 1 ÷ 2 = 50.0% (by 条次 it would read 100.0%).
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="X"),
        row("A01", "甲", "2025-04", sent="2025-03-02", level="市级", outlet="Y"),
        row("A02", "乙", "2025-03"),
    ]
    year = [f"2025-{m:02d}" for m in range(1, 13)]
    year_end = A.assess_year(rows_frame(records), all_returned(year), year, make_plan(), {})
    sentence = "全年共报送信息2篇，被采用1篇，其中省级以上0篇，共被各级载体采用2条次，采发率50.0%。"
    words = year_circular.circular_context(year_end, dt.date(2026, 1, 8))
    assert words["sections"][0]["paragraphs"][0].startswith(sentence)
    path = yearbook.write_yearbook(year_end, tmp_path / "年终考核表.xlsx")
    sheet = load_workbook(path, read_only=True)[OL.YEAR_SUMMARY_SHEET]
    defined = sentence.removesuffix("。") + "（全年报送的稿件中截至年底已被采用的比例）。"
    assert next(sheet.iter_rows(min_row=2, max_row=2, max_col=1, values_only=True))[0] == defined


def test_a_unit_losing_eligibility_without_a_head_on_record_gets_no_note_to_the_office():
    plan = make_plan(targets={"A01": (5, 5, float("nan"), 0)})
    year = [f"2025-{m:02d}" for m in range(1, 13)]
    year_end = A.assess_year(rows_frame([row("A01", "甲", "2025-03")]), all_returned(year), year, plan, {})
    losses = year_circular.circular_context(year_end, dt.date(2026, 1, 8))["sections"][3]["paragraphs"]
    assert any("取消该单位及其负责人2025年度评优资格" in line for line in losses)
    assert not any("请核实" in line or "未填写" in line for line in losses)


def test_a_change_too_small_to_show_in_tenths_of_a_percent_says_it_is_under_a_tenth():
    # a province's quarter: 15,011 pieces sent against 15,017, and 15,032 (+15, 0.0999 %)
    assert circular._change("报送数", 15011, 15017) == "报送数减少6篇（下降不到0.1%）"
    assert circular._change("报送数", 15032, 15017) == "报送数增加15篇（增长0.1%）"
    assert circular._change("采用数", 3, 2) == "采用数增加1篇（增长50.0%）"
    assert circular._change("采用数", 2, 0) == "采用数增加2篇"
    assert circular._change("采用数", 2, 2) == "采用数持平"
