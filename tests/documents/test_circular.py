"""The circular's content from a small hand-built county, figures computed by hand; its wiring
(the quarterly circular after a quarter's last month, `run.py circular`) on a real ledger.

The county (scoring_helpers.make_plan): A01 办公室, A02 规划股, A03 城关所 are assessed (targets
12 报送 / 6 采用 a year), N01 人事股 is not. Points (政务信息): 县级 5, 市级 10, 省级 20; 调研文章
省级 40; 新闻宣传 县级 2; a 县级 领导批示 adds 10. −2 per missing monthly return; forms are due
on the 5th of the next month.

Q1:  Jan  A01 a1 政务信息 县级 (5), 张三; A02 b1 新闻宣传 not adopted, 李四
     Feb  A01 a2 政务信息 市级 (10), 张三、王五; A03 c1 调研文章 省级 (40) + 县级批示 (10), 赵六;
          N01 n1 政务信息 县级 (5); A02 returns no form (−2)
     Mar  A01 a3 sent, not adopted; A01 a1 listed again with a 市级 adoption (+10);
          A03's form comes on 8 April (迟报)
Q2:  Apr  A02 b2 新闻宣传 县级 (2), 李四; A01 a3 (sent in March) adopted 县级 (5)
     May  A02 b3 政务信息 市级 (10), co-written with A01: 5 each
     Jun  A01 a4 sent, not adopted; A03 sends nothing in the whole quarter
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import output_labels as OL
from pipeline.documents import circular, circular_tables
from pipeline.scoring import periods, scoring
from tests.scoring_helpers import make_plan, returns_frame, row, rows_frame

PLAN = make_plan()
MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]


def _records() -> list[dict]:
    return [
        row("A01", "a1", "2025-01", level="县级", authors="张三"),
        row("A02", "b1", "2025-01", category="新闻宣传", authors="李四"),
        row("A01", "a2", "2025-02", level="市级", outlet="《临州日报》", authors="张三、王五"),
        row(
            "A03",
            "c1",
            "2025-02",
            level="省级",
            outlet="《国土资源通讯》",
            category="调研文章",
            authors="赵六",
            instruction="县级",
        ),
        row("N01", "n1", "2025-02", level="县级", authors="孙七"),
        row("A01", "a3", "2025-03", authors="张三"),
        row("A01", "a1", "2025-03", sent="2025-01-02", level="市级", outlet="《临州政务》", authors="张三"),
        row("A02", "b2", "2025-04", level="县级", category="新闻宣传", authors="李四"),
        row("A01", "a3", "2025-04", sent="2025-03-02", level="县级", authors="张三"),
        row("A02", "b3", "2025-05", level="市级", authors="李四", co_units="A01"),
        row("A01", "a4", "2025-06", authors="张三"),
    ]


def _returns() -> pd.DataFrame:
    entries = []
    for month in MONTHS:
        after = pd.Period(month, freq="M") + 1
        for code in ("A01", "A02", "A03", "N01"):
            if (month, code) == ("2025-02", "A02"):
                continue
            day = "08" if (month, code) == ("2025-03", "A03") else "03"
            entries.append((month, code, f"{after}-{day}"))
    return returns_frame(entries)


ROWS, RETURNS = rows_frame(_records()), _returns()


def _figures(period: periods.Period, processed: list[str] = MONTHS, plan=PLAN) -> periods.Figures:
    return periods.figures(ROWS, RETURNS, processed, plan, period)


def _context(period: periods.Period, issued=dt.date(2025, 4, 3), plan=PLAN, **kwargs) -> dict:
    return circular.context(_figures(period, plan=plan), plan, issued=issued, **kwargs)


def _text(context: dict, key: str) -> str:
    return "\n".join(p for section in context[key] for p in [section["heading"], *section["paragraphs"]])


Q1, Q2 = periods.quarter("2025Q1"), periods.quarter("2025-Q2")


# --- Periods -----------------------------------------------------------------------------------


def test_periods_name_their_months_folders_and_neighbours():
    assert (Q1.months, Q1.after, Q1.name, Q1.folder, Q1.stem) == (
        ["2025-01", "2025-02", "2025-03"],
        "2024-12",
        "2025年第一季度",
        "2025-Q1",
        "季度通报",
    )
    may = periods.single_month("2025-05")
    assert (may.months, may.name, may.folder, may.stem, may.serial) == (
        ["2025-05"],
        "2025年5月",
        "2025-05",
        "月度通报",
        5,
    )
    assert Q1.previous() == periods.Period(2024, 10, 12) and Q2.previous() == Q1
    assert periods.single_month("2025-01").previous() == periods.single_month("2024-12")
    assert Q2.year_before() == periods.Period(2024, 4, 6)
    assert periods.quarter_ending("2025-06") == Q2 and periods.quarter_ending("2025-05") is None


def test_a_badly_written_quarter_is_refused():
    with pytest.raises(periods.BadQuarter) as raised:
        periods.quarter("2025Q5")
    assert raised.value.message == "季度“2025Q5”格式不对，应为 YYYYQn，例如 2025Q1。"


def test_a_deadline_is_five_working_days_after_the_circular_skipping_weekends_and_holidays():
    # 2025-04-03 is a Thursday; 4-4 to 4-6 is 清明: 7, 8, 9, 10, 11 April.
    assert circular.catch_up_deadline(PLAN, dt.date(2025, 4, 3)) == (dt.date(2025, 4, 11), True)
    # 国庆 2025: 1-8 October off, Saturday 11 October worked (调休): 9, 10, 11, 13, 14 October.
    assert circular.catch_up_deadline(PLAN, dt.date(2025, 9, 30)) == (dt.date(2025, 10, 14), True)
    # The plan can ask for more: 10 working days from 2025-07-05 (a Saturday) is 18 July.
    longer = dataclasses.replace(PLAN, rules=dataclasses.replace(PLAN.rules, catch_up_days=10))
    assert circular.catch_up_deadline(longer, dt.date(2025, 7, 5)) == (dt.date(2025, 7, 18), True)
    assert circular.calendar_note(PLAN, dt.date(2025, 9, 30)) == ""


def test_a_year_the_holiday_calendar_does_not_know_skips_weekends_only_and_says_so():
    # chinese-calendar 1.11 knows 2004–2026: from 2026-12-31 the weekdays 1, 4, 5, 6, 7 January 2027
    assert circular.catch_up_deadline(PLAN, dt.date(2026, 12, 31)) == (dt.date(2027, 1, 7), False)
    note = circular.calendar_note(PLAN, dt.date(2026, 12, 31))
    assert "尚未收录2027年的法定节假日" in note and "只跳过了周末" in note


def test_a_circular_is_dated_by_default_when_its_last_form_came_in_or_at_the_deadline():
    # Q1: A03's March form came on 8 April, after the 5 April deadline; Q2's last forms came on
    # 3 July, before the 5 July deadline.
    assert periods.known_by(Q1, RETURNS, PLAN.rules.deadline_day) == dt.date(2025, 4, 8)
    assert periods.known_by(Q2, RETURNS, PLAN.rules.deadline_day) == dt.date(2025, 7, 5)
    assert periods.year_known_by(2025, RETURNS, PLAN.rules.deadline_day) == dt.date(2026, 1, 5)


def test_a_period_not_fully_processed_is_refused_naming_the_missing_months():
    with pytest.raises(periods.PeriodNotProcessed) as raised:
        _figures(Q1, processed=["2025-01"])
    assert raised.value.message == (
        "无法生成2025年第一季度的通报：2025-02、2025-03 尚未处理。"
        "请先运行 python run.py --month 2025-03（会自动补处理此前的月份），再生成通报。"
    )
    assert raised.value.exit_code == 8


# --- Figures -----------------------------------------------------------------------------------


def test_quarter_totals_count_each_piece_once():
    # Sent in Q1: a1 b1 a2 c1 n1 a3 = 6; adopted: a1 a2 c1 n1 = 4 pieces; adoptions: a1 县 + a1 市
    # + a2 市 + c1 省 + n1 县 = 5; 领导批示: c1.
    totals = _figures(Q1).totals
    assert (totals.sent, totals.adopted, totals.adoptions, totals.instructed) == (6, 4, 5, 1)
    assert totals.by_level == {"国家级": 0, "省级": 1, "市级": 2, "县级": 2}
    # Q2: sent b2 b3 a4 = 3 (a3 was sent in March); adopted b2 a3 b3 = 3; the co-written b3 is one
    # piece for the bureau.
    totals = _figures(Q2).totals
    assert (totals.sent, totals.adopted, totals.adoptions, totals.instructed) == (3, 3, 3, 0)


def test_quarter_unit_figures_are_the_sum_of_the_months_of_the_monthly_statistics():
    # A01: a1 5 + 10, a2 10 = 25; A02: −2 (no February form); A03: 40 + 10 = 50; N01: 5.
    figures = _figures(Q1)
    assert figures.period_units["points"].to_dict() == {"A01": 25.0, "A02": -2.0, "A03": 50.0, "N01": 5.0}
    assert figures.period_units["sent"].to_dict() == {"A01": 3, "A02": 1, "A03": 1, "N01": 1}
    assert figures.period_units["adoptions"].to_dict() == {"A01": 3, "A02": 0, "A03": 1, "N01": 1}
    months = [scoring.score_month(ROWS, RETURNS, MONTHS, PLAN, m).units.set_index("单位代码") for m in Q2.months]
    summed = sum(m[OL.POINTS_MONTH] for m in months)
    assert (
        _figures(Q2).period_units["points"].to_dict()
        == summed.to_dict()
        == {
            "A01": 10.0,
            "A02": 7.0,
            "A03": 0.0,
            "N01": 0.0,
        }
    )


def test_previous_quarter_totals_only_where_the_ledger_has_them():
    figures = _figures(Q2)
    assert (figures.previous.sent, figures.previous.adopted) == (6, 4)
    assert figures.year_before is None
    assert _figures(Q1).previous is None


# --- The context -------------------------------------------------------------------------------


def test_heading_fields_of_a_quarter():
    context = _context(Q1)
    assert context["issuer"] == context["signature"] == context["printer"] == "示范县国土资源局办公室"
    # blank for the office to write in: a quarter's serial collided with the bureau's other documents
    assert context["number"] == "示国土办〔2025〕\u3000\u3000号"
    assert context["title"] == "关于2025年第一季度信息宣传工作情况的通报"
    assert context["period"] == "2025年第一季度"
    assert context["recipients"] == "各股室、所："
    assert (context["date"], context["print_date"], context["cc"]) == (
        "2025年4月3日",
        "2025年4月3日印发",
        "局领导班子成员",
    )
    # by default the contact is the 信息员 of the roster's 办公室, the office issuing the circular
    assert context["contact"] == "（联系人：信息员A01，联系电话：0539-0000000）"
    assert "根据《2025年度信息宣传工作考核办法》" in context["intro"]
    assert "2025年第一季度（1月至3月）" in context["intro"]
    assert context["annex1_title"] == "2025年第一季度各单位得分情况统计表"
    assert context["annex2_title"] == "2025年第一季度采用稿件目录"


def test_number_and_date_given_are_used():
    context = _context(periods.single_month("2025-05"), issued=dt.date(2025, 6, 9), number=17)
    assert context["number"] == "示国土办〔2025〕17号"
    assert context["title"] == "关于2025年5月份信息宣传工作情况的通报"
    assert (context["date"], context["print_date"]) == ("2025年6月9日", "2025年6月9日印发")


def test_first_quarter_overview_states_totals_without_any_comparison():
    overview = _context(Q1)["overview"]
    assert overview[0] == (
        "2025年第一季度，全局共报送信息宣传稿件6篇，被采用4篇，采用率（采发率）66.7%；"
        "共被各级载体采用5条次，其中省级1条次、市级2条次、县级2条次。本季度共有1篇稿件获得领导批示。"
    )
    joined = "".join(overview)
    assert "相比" not in joined and "同比" not in joined and "去年" not in joined
    # Assessed units: sent 3 + 1 + 1 = 5, adopted 2 + 0 + 1 = 3, points 25 − 2 + 50 = 73, against
    # targets 36 and 18: 13.9% and 16.7%, below 25.0%.
    assert overview[1] == (
        "截至3月底，3个考核单位累计报送稿件5篇、采用3篇（合作稿件在各合作单位分别计数），累计得分73分，"
        "分别完成年度任务（报送36篇、采用18篇）的13.9%和16.7%，按序时进度应完成25.0%，报送、采用完成率均低于序时进度。"
    )


def test_second_quarter_is_compared_with_the_first():
    overview = _context(Q2, issued=dt.date(2025, 7, 2))["overview"]
    # sent 3 vs 6, adopted 3 vs 4; 采用率: of b2, b3, a4 sent in Q2, b2 and b3 adopted: 66.7% (a3,
    # adopted in Q2, was sent in Q1), vs 66.7% in Q1: 持平 (the old 采用数 ÷ 报送数 said 100.0%).
    assert overview[1] == "与上季度相比，报送数减少3篇（下降50.0%），采用数减少1篇（下降25.0%），采用率持平。"
    assert "去年同期" not in "".join(overview)
    # sent 5 + 3 + 1 = 9 of 36 (25.0%), adopted 4 + 2 + 1 = 7 of 18 (38.9%), against 50.0%.
    assert overview[2].endswith("的25.0%和38.9%，按序时进度应完成50.0%，报送、采用完成率均低于序时进度。")
    easy = make_plan(targets={code: (2, 6, float("nan"), 0) for code in ("A01", "A02", "A03")})
    overview = _context(Q2, issued=dt.date(2025, 7, 2), plan=easy)["overview"]
    assert overview[2].endswith("的150.0%和38.9%，按序时进度应完成50.0%，采用完成率低于序时进度。")


def test_same_quarter_last_year_is_compared_when_the_ledger_holds_it():
    # 2024 Q1: A01 old1 adopted 县级, A02 old2 not adopted: sent 2, adopted 1, 50.0%. 2024 Q4 was
    # never processed: no comparison with the previous quarter.
    last_year = [row("A01", "old1", "2024-02", level="县级"), row("A02", "old2", "2024-03")]
    rows = rows_frame(last_year + _records())
    processed = ["2024-01", "2024-02", "2024-03", *MONTHS]
    figures = periods.figures(rows, RETURNS, processed, PLAN, Q1)
    overview = circular.overview(figures, PLAN)
    assert (
        overview[1]
        == "与去年同期相比，报送数增加4篇（增长200.0%），采用数增加3篇（增长300.0%），采用率提高16.7个百分点。"
    )
    # Last year's pieces add nothing to this year's figures.
    assert figures.period_units["points"].to_dict() == _figures(Q1).period_units["points"].to_dict()


def test_ranking_rows_are_the_monthly_statistics_figures():
    context = _context(Q2, issued=dt.date(2025, 7, 2))
    units = scoring.score_month(ROWS, RETURNS, MONTHS, PLAN, "2025-06").units
    assessed = units[units[OL.RANK].notna()]
    assert (
        [r["unit"] for r in context["ranking"]]
        == list(assessed[scoring.UNIT_COLUMNS[1]])
        == ["城关所", "办公室", "规划股"]
    )
    assert [r["points_ytd"] for r in context["ranking"]] == [
        circular_tables.points_text(v) for v in assessed["累计得分"]
    ]
    # A03 50 (nothing in Q2); A01 25 + 10 = 35; A02 −2 + 7 = 5.
    assert context["ranking"] == [
        {
            "rank": "1",
            "unit": "城关所",
            "sent": "0",
            "adopted": "0",
            "adopt_rate": "",
            "points": "0",
            "points_ytd": "50",
            "submit_rate": "8.3%",
            "adopt_year_rate": "16.7%",
        },
        {
            "rank": "2",
            "unit": "办公室",
            "sent": "2",
            "adopted": "2",
            "adopt_rate": "50.0%",  # of b3 and a4 sent in Q2, b3 adopted (a3 was sent in Q1)
            "points": "10",
            "points_ytd": "35",
            "submit_rate": "41.7%",
            "adopt_year_rate": "66.7%",
        },
        {
            "rank": "3",
            "unit": "规划股",
            "sent": "2",
            "adopted": "2",
            "adopt_rate": "100.0%",
            "points": "7",
            "points_ytd": "5",
            "submit_rate": "25.0%",
            "adopt_year_rate": "33.3%",
        },
    ]
    assert context["ranking_note"] == (
        "注：采用率为本季度报送的稿件中截至6月底已被采用的篇数所占比例（不超过100%）；"
        "各项数字按各单位首次填报的月份统计，补报的稿件和采用计入填报当月。人事股不参加考核，未列入排名。"
    )
    assert context["ranking_intro"] == (
        "各单位完成情况见下表（报送数、采用数、采用率和得分为本季度数据，"
        "累计得分和完成率为截至6月底的全年累计数据，按累计得分排名），详细得分情况见附件1。"
    )
    assert context["chart"] == {
        "title": "2025年第二季度末各单位累计得分",
        "labels": ["城关所", "办公室", "规划股"],
        "values": [50.0, 35.0, 5.0],
    }


def test_annex_lists_every_unit_with_period_and_year_figures():
    annex = _context(Q1)["annex1"]
    assert [r["unit"] for r in annex] == ["城关所", "办公室", "规划股", "人事股", "合计"]
    assert annex[2] == {
        "unit": "规划股",
        "sent": "1",
        "adopted": "0",
        "adoptions": "0",
        "points": "-2",
        "sent_ytd": "1",
        "adopted_ytd": "0",
        "points_ytd": "-2",
        "deductions": "2",
        "submit_rate": "8.3%",
        "adopt_rate": "0.0%",
        "points_rate": "",
        "progress": "滞后",
        "rank": "3",
        "on_time": "未报送1次",
    }
    assert (annex[0]["on_time"], annex[1]["on_time"]) == ("迟报1次", "按时")
    assert (annex[3]["rank"], annex[3]["progress"], annex[3]["points"]) == ("—", "", "5")


def test_annex_1_ends_with_a_total_row_of_counts_and_points_and_blank_rates():
    # Q1 by hand: 办公室 sent a1 a2 a3, adopted a1 a2, adoptions a1 县级 a2 市级 a1 市级 (5+10+10
    # points); 规划股 sent b1 (-2 for February's missing form); 城关所 c1 省级 调研文章 40 + 县级
    # 批示 10; 人事股 n1 县级 5. No co-written piece: the sums are the bureau's totals, no note.
    context = _context(Q1)
    assert context["annex1"][-1] == {
        "unit": "合计",
        "sent": "6",
        "adopted": "4",
        "adoptions": "5",
        "points": "78",
        "sent_ytd": "6",
        "adopted_ytd": "4",
        "points_ytd": "78",
        "deductions": "2",
        "submit_rate": "",
        "adopt_rate": "",
        "points_rate": "",
        "progress": "",
        "rank": "",
        "on_time": "",
    }
    assert context["annex1_note"] == ""


def test_a_co_written_piece_makes_the_total_row_exceed_the_bureau_s_figures_and_a_note_says_why():
    # Q2: b2 (规划股), a3 adopted (办公室), b3 co-written by 规划股 and 办公室, a4 (办公室): 3 pieces
    # sent and 3 adopted in the bureau, 4 and 4 in the units' sum (b3 once in each); points
    # 2 + 5 + 10 = 17 (b3's 10 split 5/5).
    context = _context(Q2, issued=dt.date(2025, 7, 2))
    total = context["annex1"][-1]
    assert (total["sent"], total["adopted"], total["adoptions"], total["points"]) == ("4", "4", "4", "17")
    assert (total["sent_ytd"], total["adopted_ytd"], total["points_ytd"]) == ("10", "8", "95")
    assert context["annex1_note"] == (
        "注：合计为各单位数字之和，合作稿件在各合作单位分别计数；全局本季度实际报送3篇、采用3篇、采用3条次。"
    )


def test_the_points_completion_column_is_hidden_only_when_no_unit_has_a_points_target():
    assert _context(Q1)["hidden_columns"] == ["得分完成率"]
    plan = make_plan(targets={"A01": (12, 6, 100, 0)})
    assert _context(Q1, plan=plan)["hidden_columns"] == []


def test_annex_of_adoptions_lists_the_periods_adoptions_by_date():
    annex = _context(Q1)["annex2"]
    assert [(a["no"], a["title"], a["unit"], a["outlet"], a["level"], a["date"]) for a in annex] == [
        ("1", "a1", "办公室", "《县级要情》", "县级", "2025年1月10日"),
        ("2", "c1", "城关所", "《国土资源通讯》", "省级", "2025年2月10日"),
        ("3", "a2", "办公室", "《临州日报》", "市级", "2025年2月10日"),
        ("4", "n1", "人事股", "《县级要情》", "县级", "2025年2月10日"),
        ("5", "a1", "办公室", "《临州政务》", "市级", "2025年3月10日"),
    ]
    co_written = _context(Q2, issued=dt.date(2025, 7, 2))["annex2"][-1]
    assert (co_written["title"], co_written["unit"], co_written["authors"]) == ("b3", "办公室、规划股", "李四")


def test_praise_names_top_units_persons_high_adoptions_and_instructions():
    praise = _context(Q1)["praise"]
    assert [s["heading"] for s in praise] == [
        "（一）先进单位",
        "（二）表现突出的个人",
        "（三）省级以上采用稿件",
        "（四）获领导批示的稿件",
    ]
    # A02 has −2 and is not praised; N01 is not assessed.
    assert praise[0]["paragraphs"][0].startswith(
        "本季度得分居前2位的单位是：城关所（50分，采用1篇）、办公室（25分，采用2篇）。上述单位"
    )
    # 赵六 50; 张三 a1 15 + half of a2 5 = 20; 王五 5; 孙七 (人事股) is left out.
    assert praise[1]["paragraphs"][0].startswith(
        "本季度个人得分居前3位的同志是：赵六（城关所，50分）、张三（办公室，20分）、王五（办公室，5分）。"
    )
    assert praise[2]["paragraphs"] == [
        "本季度共有1篇次稿件被省级以上载体采用：城关所赵六撰写的《c1》被《国土资源通讯》（省级）采用。"
    ]
    assert praise[3]["paragraphs"] == ["本季度共有1篇稿件获得领导批示：城关所赵六撰写的《c1》获县级领导批示。"]


def test_praise_ties_at_the_last_place_are_all_named():
    plan = make_plan(missing=0.0)
    figures = periods.figures(ROWS, RETURNS, MONTHS, plan, periods.single_month("2025-05"))
    # May: b3's 10 points split 5 / 5 between A01 and A02.
    assert circular.top_units(figures, plan).to_dict() == {"A01": 5.0, "A02": 5.0}
    one_place = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, top_units=1))
    text = circular.praise(figures, one_place)[0]["paragraphs"][0]
    assert text.startswith(
        "本月得分居前1位的单位（含并列）共2个，分别是：办公室（5分，采用1篇）、规划股（5分，采用1篇）。"
    )


def test_a_period_without_adoptions_reads_naturally():
    praise = _context(periods.single_month("2025-06"), issued=dt.date(2025, 7, 2))["praise"]
    assert praise == [
        {
            "heading": "（一）总体评价",
            "paragraphs": [
                "本月各单位暂无稿件被采用，本期不作表扬。希望各单位在提高稿件质量上下功夫，积极向各级载体投稿，争取早日实现突破。"
            ],
        }
    ]
    overview = _context(periods.single_month("2025-06"), issued=dt.date(2025, 7, 2))["overview"]
    assert overview[0] == "2025年6月，全局共报送信息宣传稿件1篇，暂无稿件被采用。"


def test_a_period_where_only_an_unassessed_unit_was_adopted_praises_nobody_and_says_why():
    rows = rows_frame([row("N01", "n9", "2025-06", level="县级")])
    figures = periods.figures(rows, RETURNS, MONTHS, PLAN, periods.single_month("2025-06"))
    assert circular.praise(figures, PLAN)[0]["paragraphs"][0].startswith("本月参加考核的单位暂无得分，本期不作表扬。")


def test_units_behind_schedule_are_named_with_the_catch_up_deadline():
    problems = _context(Q1)["problems"]
    assert problems[0] == {
        "heading": "（一）进度滞后的单位",
        "paragraphs": [
            "按照序时进度，截至3月底各单位应完成年度任务的25.0%。以下2个单位进度滞后："
            "城关所（报送完成率8.3%、采用完成率16.7%）、规划股（报送完成率8.3%、采用完成率0.0%）。"
            "请上述单位认真分析原因，采取有效措施加快工作进度，于2025年4月11日前将整改措施报局办公室。"
        ],
    }


def test_zero_output_and_missing_or_late_forms_are_named():
    problems = _context(Q1)["problems"]
    assert problems[1] == {
        "heading": "（二）采用为零的单位",
        "paragraphs": [
            "规划股（报送1篇）本季度报送的稿件均未被采用。请该单位对照各级载体的用稿要求，提高稿件质量，力争早日实现采用零的突破。"
        ],
    }
    assert problems[2] == {
        "heading": "（三）未按时报送月度报表的单位",
        "paragraphs": [
            "未报送月度报送表的有规划股（2月），请于2025年4月11日前补报；迟报的有城关所（3月），请今后严格按照次月5日前的时限报送。"
        ],
    }
    q2 = _text(_context(Q2, issued=dt.date(2025, 7, 2)), "problems")
    assert "（二）报送为零的单位\n本季度城关所没有报送稿件。请该单位高度重视，于2025年7月9日前报送稿件" in q2
    assert "人事股" not in q2


def test_nobody_behind_is_said_plainly():
    easy = make_plan(targets={code: (1, 1, float("nan"), 0) for code in ("A01", "A02", "A03")})
    problems = _context(Q2, issued=dt.date(2025, 7, 2), plan=easy)["problems"]
    assert problems[0]["paragraphs"] == [
        "截至6月底，各考核单位报送、采用完成率均达到50.0%的序时进度，没有进度滞后的单位。"
    ]


def test_a_single_unit_behind_reads_naturally():
    targets = {"A01": (1, 1, float("nan"), 0), "A02": (1, 0, float("nan"), 0), "A03": (1, 6, float("nan"), 0)}
    problems = _context(Q1, plan=make_plan(targets=targets))["problems"]
    assert problems[0]["paragraphs"][0].endswith(
        "城关所（采用完成率16.7%）进度滞后，请该单位认真分析原因，加快工作进度，于2025年4月11日前将整改措施报局办公室。"
    )


def test_every_value_is_plain_text_without_placeholders():
    context = _context(Q2, issued=dt.date(2025, 7, 2))
    texts = [context[k] for k in ("intro", "ranking_intro", "ranking_note")] + context["overview"]
    texts += [_text(context, "praise"), _text(context, "problems")]
    for text in texts:
        assert isinstance(text, str)
        assert not re.search(r"nan|None|\{|\}|<|>", text), text


def test_numbers_are_printed_as_offices_write_them():
    assert [circular_tables.points_text(v) for v in (36.0, 12.5, 10 / 3, -2.0, -0.001, float("nan"))] == [
        "36",
        "12.5",
        "3.33",
        "-2",
        "0",
        "",
    ]
    assert [circular_tables.rate_text(v) for v in (5 / 12, 0.0, float("nan"))] == ["41.7%", "0.0%", ""]


def test_readme_names_the_circular_command():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for text in ("run.py circular --quarter 2025Q1", "run.py circular --month 2025-05", "季度通报", "月度通报"):
        assert text in readme, text


# --- Wiring: the ledger, flow and the command line ---------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def _store_months(outputs: Path, months: list[str]) -> None:
    """A ledger holding `months` of a small county with the demo plan's codes: GS01 and GS02
    return every month on the 3rd of the next; each sends one piece a month, GS01's adopted 县级."""
    from pipeline import ledger
    from pipeline.core.records import FileRecord

    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        for month in months:
            records = [
                row("GS01", f"办公室稿件{month}", month, level="县级", authors="王晓燕"),
                row("GS02", f"规划股稿件{month}", month, authors="李建国"),
            ]
            due = (pd.Period(month, freq="M") + 1).start_time.date().replace(day=3)
            files = [
                FileRecord(f"{code}.xlsx", "0" * 64, 1, 0.0, unit_code=code, month=month, fill_date=due)
                for code in ("GS01", "GS02")
            ]
            store.replace_month(month, rows_frame(records), [], files, {"started": dt.datetime(2025, 1, 1)})


def _invoke(*args: str):
    from click.testing import CliRunner

    import run

    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


@pytest.fixture
def no_pdf(monkeypatch):
    """LibreOffice as if not installed: the renderer notes it and writes no PDF (and the tests
    stay fast; the demo county's end-to-end test converts for real)."""
    from pipeline.documents import pdf

    monkeypatch.setattr(pdf, "_soffice", lambda: None)


def test_circular_command_refuses_a_quarter_whose_months_are_not_all_processed(demo_plan_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    _store_months(out, ["2025-01"])
    result = _invoke("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--quarter", "2025Q1")
    assert result.exit_code == 8
    assert result.output == (
        "错误：无法生成2025年第一季度的通报：2025-02、2025-03 尚未处理。"
        "请先运行 python run.py --month 2025-03（会自动补处理此前的月份），再生成通报。\n"
    )
    assert not (out / "2025-Q1").exists()


def test_circular_command_without_any_ledger_names_every_month(demo_plan_dir, tmp_path):
    out = tmp_path / "out"
    result = _invoke("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--month", "2025-05")
    assert result.exit_code == 8
    assert result.output.startswith("错误：无法生成2025年5月的通报：2025-05 尚未处理。")
    assert not (out / "ledger.sqlite").exists()


def test_circular_command_honours_number_and_date(demo_plan_dir, tmp_path, no_pdf):
    out = tmp_path / "out"
    out.mkdir()
    _store_months(out, ["2025-01", "2025-02", "2025-03"])
    args = ("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--quarter", "2025Q1")
    result = _invoke(*args, "--number", "7", "--date", "2025-04-08")
    assert result.exit_code == 0, result.output
    folder = out / "2025-Q1"
    # the hidden record of what was written, to keep the office's edits from being overwritten
    assert sorted(p.name for p in folder.iterdir()) == [".季度通报.json", "季度通报.docx", "季度通报.html"]
    assert result.output == (
        f"已生成2025年第一季度通报：{folder}/（季度通报.docx、季度通报.html）\n"
        "  未安装 LibreOffice（soffice），未生成 PDF；可用 Word 或 WPS 打开 .docx 另存为 PDF。\n"
    )
    html = (folder / "季度通报.html").read_text(encoding="utf-8")
    for text in ("示国土办〔2025〕7号", "2025年4月8日", "关于2025年第一季度信息宣传工作情况的通报", "办公室"):
        assert text in html, text


def test_monthly_circular_keeps_the_months_other_files_and_drops_a_stale_pdf(demo_plan_dir, tmp_path, no_pdf):
    out = tmp_path / "out"
    (out / "2025-02").mkdir(parents=True)
    (out / "2025-02" / "月度统计.xlsx").write_bytes(b"kept")
    (out / "2025-02" / "月度通报.pdf").write_bytes(b"stale")
    _store_months(out, ["2025-01", "2025-02"])
    result = _invoke("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--month", "2025-02")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "2025-02").iterdir()) == [
        ".月度通报.json",
        "月度统计.xlsx",
        "月度通报.docx",
        "月度通报.html",
    ]
    assert (out / "2025-02" / "月度统计.xlsx").read_bytes() == b"kept"
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != ".lock"]  # only the run lock stays
    html = (out / "2025-02" / "月度通报.html").read_text(encoding="utf-8")
    assert "示国土办〔2025〕\u3000\u3000号" in html and "关于2025年2月份信息宣传工作情况的通报" in html


def test_circular_command_help_is_chinese():
    result = _invoke("circular", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("用法：")
    for text in ("--quarter", "--month", "--number", "--date", "选项", "退出码"):
        assert text in result.output, text
    assert not re.search(r"Usage|Options|Show this|\[required\]|TEXT|INTEGER", result.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "用法错误：请用 --quarter 或 --month 指定通报的期间（二者选一）。"),
        (
            ("--quarter", "2025Q1", "--month", "2025-03"),
            "用法错误：请用 --quarter 或 --month 指定通报的期间（二者选一）。",
        ),
        (("--quarter", "2025Q1", "--number", "x"), "用法错误：选项 --number 的值无效：“x”应为正整数，例如 3。"),
        (
            ("--quarter", "2025Q1", "--date", "4月3日"),
            "用法错误：选项 --date 的值无效：“4月3日”应为 YYYY-MM-DD，例如 2025-04-03。",
        ),
    ],
)
def test_circular_command_usage_errors(args, message, tmp_path):
    result = _invoke("--outputs", str(tmp_path), "circular", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == message


def test_demo_county_through_march_writes_the_quarterly_circular(tmp_path):
    from pipeline import flow
    from tests.tools import SOFFICE, find, pdf_text

    result = flow.run_month(REPO / "inputs", tmp_path, "2025-03")
    folder = tmp_path / "2025-Q1"
    assert result.circular[:2] == [folder / "季度通报.docx", folder / "季度通报.html"]
    assert (folder / "季度通报.docx").stat().st_size > 0
    html = (folder / "季度通报.html").read_text(encoding="utf-8")
    for text in ("关于2025年第一季度信息宣传工作情况的通报", "示国土办〔2025〕", "东关国土资源所", "采用稿件目录"):
        assert text in html, text
    if find(SOFFICE):
        assert result.circular[2] == folder / "季度通报.pdf" and result.circular_note == ""
        printed = pdf_text(folder / "季度通报.pdf")
        assert "第一季度" in printed
        # The conversion loses no character of the Word file (a reader saw commas missing at
        # line ends): every character of its paragraphs and table cells is in the PDF's text.
        import collections

        import docx

        document = docx.Document(folder / "季度通报.docx")
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        written = collections.Counter(re.sub(r"\s+", "", "".join([p.text for p in document.paragraphs] + cells)))
        shown = collections.Counter(re.sub(r"\s+", "", printed))
        assert {ch: n - shown[ch] for ch, n in written.items() if n > shown[ch]} == {}
    else:
        assert result.circular_note
    # The summary names the circular.
    import run

    assert f"  季度通报：{folder}/（" in run.summary(result)


def test_a_failure_while_writing_the_forms_of_a_quarters_end_leaves_the_quarters_folder(tmp_path, monkeypatch):
    # The quarter's circular is started before the forms (its PDF is made meanwhile): when the
    # forms fail, LibreOffice is ended and the previous circular stays, with no half folder.
    from pipeline import flow
    from pipeline.core.errors import OutputsUnwritable
    from pipeline.forms import form_copies
    from tests import tools

    child = tools.hanging_soffice(tmp_path, monkeypatch)
    out = tmp_path / "out"
    (out / "2025-Q1").mkdir(parents=True)
    (out / "2025-Q1" / "季度通报.docx").write_bytes(b"earlier")

    real = form_copies.write_copies

    def broken(template, folder, *args, **kwargs):
        if "2025-04" in folder.name:  # January and February, caught up first, are written (aside)
            raise OSError("disk full")
        return real(template, folder, *args, **kwargs)

    monkeypatch.setattr(form_copies, "write_copies", broken)
    with pytest.raises(OutputsUnwritable):  # the fault, said in Chinese (pipeline.files.faults)
        flow.run_month(REPO / "inputs", out, "2025-03")
    assert [p.name for p in (out / "2025-Q1").iterdir()] == ["季度通报.docx"]
    assert (out / "2025-Q1" / "季度通报.docx").read_bytes() == b"earlier"
    assert not [p for p in out.iterdir() if p.name.startswith(".2025-Q1")]
    # LibreOffice (here a script starting a child) was started for the circular, and ended.
    if child.is_file() and child.read_text().strip():
        assert tools.ended(int(child.read_text()))


def test_an_issued_circular_is_kept_and_its_correction_written_beside_it(tmp_path, demo_plan_dir, no_pdf):
    import json

    from pipeline.reports import issued

    out = tmp_path / "out"
    _store_months(out, ["2025-01", "2025-02", "2025-03"])
    args = ("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--month", "2025-02")
    folder = out / "2025-02"
    assert _invoke(*args).exit_code == 0
    record = json.loads((folder / ".月度通报.json").read_text(encoding="utf-8"))
    # 2 pieces sent, GS01's adopted, in February
    assert record["figures"]["全局"] == {"sent": 2, "adopted": 1, "adoptions": 1}
    # Rendered again untouched: the run's own file is replaced, nothing beside it.
    result = _invoke(*args)
    assert result.exit_code == 0 and "更正" not in result.output
    assert not (folder / "月度通报（更正）.docx").exists()
    # The office numbers it by hand (the file changes); the issued one said 3 pieces sent.
    (folder / "月度通报.docx").write_bytes((folder / "月度通报.docx").read_bytes() + b"\0")
    record["figures"]["全局"]["sent"] = 3
    (folder / ".月度通报.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    office = (folder / "月度通报.docx").read_bytes()
    result = _invoke(*args)
    assert result.exit_code == 0
    assert (folder / "月度通报.docx").read_bytes() == office  # kept as the office left it
    assert (folder / "月度通报（更正）.docx").exists() and (folder / "月度通报（更正）.html").exists()
    assert "未覆盖；更正后的通报另存为 月度通报（更正）.docx，与原件相比：全局报送3→2篇（−1）" in result.output
    assert issued.previous_correction(folder, "月度通报") == "全局报送3→2篇（−1）"
    # The next circular notes the correction.
    march = _invoke("--inputs", str(demo_plan_dir), "--outputs", str(out), "circular", "--month", "2025-03")
    assert march.exit_code == 0
    page = (out / "2025-03" / "月度通报.html").read_text(encoding="utf-8")
    assert "2025年2月通报印发后，部分数字经核实已更正（全局报送3→2篇（−1）），以更正后的通报为准。" in page


def test_next_steps_are_written_for_the_period_from_its_figures():
    steps = _context(Q1)["next_steps"]
    assert [s["lead"] for s in steps] == ["（一）加大报送力度。", "（二）严格审核把关。", "（三）按时报送报表。"]
    # Q1: 城关所 and 规划股 behind, nine months left; 规划股 missed February, 城关所 was late in March
    assert steps[0]["text"].endswith(
        "截至3月底有2个单位进度滞后，要认真查找原因，在今后9个月内迎头赶上，确保完成全年任务。"
    )
    assert steps[2]["text"].startswith("本季度有2个单位迟报或未报送月度报表。各单位要在次月5日前报送")


def _high(levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            periods.TITLE: [f"t{i}" for i in range(len(levels))],
            periods.UNIT_NAMES: ["办公室"] * len(levels),
            periods.AUTHORS: ["张三"] * len(levels),
            periods.OUTLET: ["《川政晨讯》" if level == "省级" else "国务院办公厅信息刊物" for level in levels],
            periods.LEVEL: levels,
        }
    )


def test_praise_names_every_high_adoption_up_to_thirty_then_only_the_highest_level():
    thirty = circular._high_adoptions(Q1, _high(["省级"] * 30), "国家级")
    assert thirty.startswith(
        "本季度共有30篇次稿件被省级以上载体采用：办公室张三撰写的《t0》被《川政晨讯》（省级）采用；"
    )
    assert thirty.count("采用；") == 29
    # 31: 29 at 省级 left to 附件2, the 2 at 国家级 named
    many = circular._high_adoptions(Q1, _high(["省级"] * 29 + ["国家级"] * 2), "国家级")
    assert many == (
        "本季度共有31篇次稿件被省级以上载体采用，目录见附件2；其中被国家级载体采用2篇次："
        "办公室张三撰写的《t29》被国务院办公厅信息刊物（国家级）采用；"
        "办公室张三撰写的《t30》被国务院办公厅信息刊物（国家级）采用。"
    )
    only_provincial = circular._high_adoptions(Q1, _high(["省级"] * 31), "国家级")
    assert only_provincial == "本季度共有31篇次稿件被省级以上载体采用，目录见附件2。"
