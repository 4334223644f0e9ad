"""The year end: 达标 under each 达标条件, eligibility, ties at the cut-offs, units not assessed,
units joining mid-year, rewards to the fen. Expected values are worked out by hand in comments
(points and rewards: scoring_helpers' defaults, 政务信息 县 5 / 市 10 / 省 20 / 国家 50, rewards
县 20 / 市 40 / 省 60 / 国家 80 yuan)."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.records import ACCEPTED, REJECTED, FileRecord
from pipeline.plan.rules import PassCondition, RewardSplit
from pipeline.scoring import assessment as A
from pipeline.scoring import persons as PN
from pipeline.scoring import scoring as S
from pipeline.scoring import year_counts as C
from tests.scoring_helpers import all_returned, make_plan, returns_frame, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]


def plan_with(plan=None, **rules):
    plan = plan or make_plan()
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **rules))


def assess(records, plan, returns=None, heads=None):
    return A.assess_year(rows_frame(records), all_returned(YEAR) if returns is None else returns, YEAR, plan, heads)


def unit(year_end, code):
    found = year_end.units[year_end.units[L.UNIT_CODE] == code]
    assert len(found) == 1, code
    return found.iloc[0]


def person(year_end, code, name):
    found = year_end.persons[(year_end.persons[L.UNIT_CODE] == code) & (year_end.persons[PN.PERSON_NAME] == name)]
    assert len(found) == 1, (code, name)
    return found.iloc[0]


# --- 达标 under each condition -------------------------------------------------------------------

# Targets of every unit: 2 sent, 1 adopted, 15 points. Every unit returned every month.
#   A01: 甲 县级 5 + 乙 市级 10 -> sent 2, adopted 2, 15 points: passes everything.
#   A02: 丙 省级 20             -> sent 1, adopted 1, 20 points: short of 报送 only.
#   A03: 丁 县级 5, 戊 未采用    -> sent 2, adopted 1, 5 points: short of 得分 only.
PASS_RECORDS = [
    row("A01", "甲", "2025-03", level="县级"),
    row("A01", "乙", "2025-03", level="市级"),
    row("A02", "丙", "2025-03", level="省级"),
    row("A03", "丁", "2025-03", level="县级"),
    row("A03", "戊", "2025-03"),
]
TARGETS = {code: (2, 1, 15, 0) for code in ("A01", "A02", "A03")}
SENT_SHORT = "报送数1篇，未达年度报送任务2篇"
POINTS_SHORT = "得分5分，未达年度得分任务15分"


@pytest.mark.parametrize(
    ("condition", "results", "notes"),
    [
        (PassCondition.COUNTS, ("达标", "不达标", "达标"), ("", SENT_SHORT, "")),
        (PassCondition.POINTS, ("达标", "达标", "不达标"), ("", "", POINTS_SHORT)),
        (PassCondition.BOTH, ("达标", "不达标", "不达标"), ("", SENT_SHORT, POINTS_SHORT)),
    ],
)
def test_pass_or_fail_under_each_condition(condition, results, notes):
    plan = plan_with(make_plan(targets=TARGETS), pass_condition=condition)
    year_end = assess(PASS_RECORDS, plan, heads={"A01": "甲局长", "A02": "乙股长", "A03": "丙所长"})
    for code, result, note in zip(("A01", "A02", "A03"), results, notes, strict=True):
        shown = unit(year_end, code)
        assert shown[OL.RESULT] == result
        assert shown[OL.ELIGIBILITY] == (OL.KEEPS if result == OL.PASSED else OL.LOSES)
        assert shown[OL.YEAR_NOTE] == note
    # every 不达标 unit loses eligibility and is never 先进单位; the quota (3) exceeds the
    # passing units, so every passing unit is one
    assert (year_end.units[OL.TOP_UNIT] == L.YES).tolist() == [r == OL.PASSED for r in _by_rank(year_end, results)]


def _by_rank(year_end, results):
    by_code = dict(zip(("A01", "A02", "A03"), results, strict=True))
    return [by_code[code] for code in year_end.units[L.UNIT_CODE]]


def test_units_sheet_figures_for_one_unit():
    # A01: 甲 县级 5 + 乙 市级 10 with a 市级 instruction (+30): 45 points, levels 1 县 1 市.
    records = [row("A01", "甲", "2025-03", level="县级"), row("A01", "乙", "2025-05", level="市级", instruction="市级")]
    year_end = assess(records, make_plan(), heads={"A01": "王局长"})
    a01 = unit(year_end, "A01")
    assert (a01[OL.YEAR_SENT], a01[OL.YEAR_ADOPTED], a01[OL.YEAR_BONUS], a01[OL.YEAR_POINTS]) == (2, 2, 30.0, 45.0)
    assert [a01[C.level_label(level)] for level in ("国家级", "省级", "市级", "县级")] == [0, 0, 1, 1]
    assert a01[OL.UNIT_HEAD] == "王局长"
    assert a01[OL.SUBMIT_RATE] == 2 / 12 and a01[OL.RANK] == 1
    assert a01[OL.YEAR_NOTE] == "报送数2篇，未达年度报送任务12篇；采用数2篇，未达年度采用任务6篇"


def test_a_failing_unit_without_a_head_gets_no_note_to_the_office_in_the_sheet():
    # the office is asked for the head in each month's summary instead (flow's units_without_head)
    year_end = assess([row("A02", "丙", "2025-03", level="省级")], make_plan())
    note = unit(year_end, "A02")[OL.YEAR_NOTE]
    assert "负责人" not in note and "请" not in note


def test_head_comes_from_the_latest_accepted_form_naming_one():
    def form(head: str, fate: str = ACCEPTED) -> FileRecord:
        return FileRecord("a.xlsx", "ab" * 32, 1, 0.0, fate=fate, unit_code="A01", header={L.H_HEAD: head})

    files = [("2025-11", form("新局长")), ("2025-03", form("老局长")), ("2025-12", form(""))]
    files.append(("2025-12", form("冒名", fate=REJECTED)))
    assert A.latest_heads(files) == {"A01": "新局长"}


# --- Ties at the cut-offs ----------------------------------------------------------------------

# Targets 1 sent / 1 adopted, so every unit with an adoption passes; one 先进单位.
ONE_EACH = {code: (1, 1, math.nan, 0) for code in ("A01", "A02", "A03")}


def test_tie_at_the_top_units_cut_off_goes_to_more_adoptions():
    # A01: 甲 市级 10 (采用数 1); A02: 乙 县级 5 + 丙 县级 5 (采用数 2); both 10 points.
    records = [
        row("A01", "甲", "2025-03", level="市级"),
        row("A02", "乙", "2025-03", level="县级"),
        row("A02", "丙", "2025-04", level="县级"),
    ]
    year_end = assess(records, plan_with(make_plan(targets=ONE_EACH), top_units=1))
    assert unit(year_end, "A02")[OL.TOP_UNIT] == L.YES and unit(year_end, "A01")[OL.TOP_UNIT] == ""
    assert unit(year_end, "A02")[OL.YEAR_NOTE] == "得分10分，与办公室并列，按采用数（2）列为先进单位（名额1个）"
    assert unit(year_end, "A01")[OL.YEAR_NOTE] == "得分10分，与规划股并列，按采用数（1）未列为先进单位（名额1个）"
    assert len(year_end.top_units) == 1  # the quota


def test_tie_with_equal_adoptions_goes_to_provincial_ones_then_to_the_lower_code():
    # A01: 甲 新闻宣传 省级 6 + 乙 新闻宣传 县级 2 = 8; A02: 丙 新闻宣传 市级 4 ×2 = 8; both
    # adopted 2; A01 has one 省级 adoption, so it goes first.
    records = [
        row("A01", "甲", "2025-03", level="省级", category="新闻宣传"),
        row("A01", "乙", "2025-03", level="县级", category="新闻宣传"),
        row("A02", "丙", "2025-03", level="市级", category="新闻宣传"),
        row("A02", "丁", "2025-03", level="市级", category="新闻宣传"),
    ]
    year_end = assess(records, plan_with(make_plan(targets=ONE_EACH), top_units=1))
    assert unit(year_end, "A01")[OL.TOP_UNIT] == L.YES
    assert unit(year_end, "A01")[OL.YEAR_NOTE] == "得分8分，与规划股并列，按省级及以上采用条次列为先进单位（名额1个）"
    # everything equal: the lower 单位代码
    same = [row("A01", "甲", "2025-03", level="市级"), row("A02", "乙", "2025-03", level="市级")]
    year_end = assess(same, plan_with(make_plan(targets=ONE_EACH), top_units=1))
    assert unit(year_end, "A01")[OL.TOP_UNIT] == L.YES
    assert unit(year_end, "A02")[OL.YEAR_NOTE] == "得分10分，与办公室并列，按单位代码排序未列为先进单位（名额1个）"


def test_tie_at_the_top_persons_cut_off_goes_to_more_adoptions():
    # 张三 (A01): 甲 市级 10, 采用数 1. 李四 (A02): 乙 县级 5 + 丙 县级 5, 采用数 2. One 先进个人.
    records = [
        row("A01", "甲", "2025-03", level="市级", authors="张三"),
        row("A02", "乙", "2025-03", level="县级", authors="李四"),
        row("A02", "丙", "2025-03", level="县级", authors="李四"),
    ]
    year_end = assess(records, plan_with(make_plan(targets=ONE_EACH), top_persons=1))
    li, zhang = person(year_end, "A02", "李四"), person(year_end, "A01", "张三")
    assert (li[OL.TOP_PERSON], zhang[OL.TOP_PERSON]) == (L.YES, "")
    assert (li[OL.YEAR_PIECES], li[OL.YEAR_ADOPTED], li[OL.YEAR_POINTS]) == (2, 2, 10.0)
    assert li[OL.YEAR_NOTE] == "得分10分，与办公室张三并列，按采用数（2）列为先进个人（名额1个）"
    assert zhang[OL.YEAR_NOTE] == "得分10分，与规划股李四并列，按采用数（1）未列为先进个人（名额1个）"


def test_persons_of_units_losing_eligibility_are_not_commended():
    # A01 fails (needs 12 sent) though 张三 has the most points; 李四 of A02 (targets 1/1) is.
    plan = plan_with(make_plan(targets={"A02": (1, 1, math.nan, 0)}), top_persons=1)
    records = [row("A01", "甲", "2025-03", level="国家级", authors="张三"), row("A02", "乙", "2025-03", level="县级")]
    year_end = assess(records, plan)
    assert person(year_end, "A01", "张三")[OL.TOP_PERSON] == ""
    top = year_end.top_persons
    assert list(zip(top[L.UNIT_CODE], top[PN.PERSON_NAME], strict=True)) == [("A02", "张三")]


def test_officers_of_top_units_are_outstanding_even_without_pieces():
    # A02 passes and is 先进单位; its 信息员 (信息员A02) wrote nothing but is 优秀信息员.
    year_end = assess([row("A02", "乙", "2025-03", level="县级")], make_plan(targets=ONE_EACH))
    officer = person(year_end, "A02", "信息员A02")
    assert officer[OL.TOP_OFFICER] == L.YES and officer[OL.YEAR_POINTS] == 0.0
    assert year_end.top_officers[L.UNIT_CODE].tolist() == ["A02"]


# --- Units not assessed and units joining mid-year -----------------------------------------------


def test_unit_not_assessed_is_listed_apart_without_a_result():
    # N01 has the most points (国家级 50) but 参加考核 = 否: figures, no rank, result or honour.
    records = [row("N01", "甲", "2025-03", level="国家级", authors="赵六"), row("A01", "乙", "2025-03", level="县级")]
    year_end = assess(records, plan_with(make_plan(targets=ONE_EACH), top_persons=1))
    assert year_end.units[L.UNIT_CODE].tolist() == ["A01", "A02", "A03"]
    apart = year_end.apart.iloc[0]
    assert (apart[L.UNIT_CODE], apart[OL.YEAR_POINTS], apart[OL.RESULT], apart[OL.YEAR_NOTE]) == (
        "N01",
        50.0,
        "",
        "不参加考核",
    )
    assert math.isnan(apart[OL.RANK])
    assert person(year_end, "N01", "赵六")[OL.TOP_PERSON] == ""
    assert year_end.top_persons[L.UNIT_CODE].tolist() == ["A01"]


@pytest.mark.parametrize(("start", "sent", "adopted"), [(7, 6, 3), (10, 3, 2), (1, 12, 6)])
def test_unit_joining_mid_year_is_assessed_on_pro_rated_targets(start, sent, adopted):
    # targets 12 / 6: from July 12 × 6/12 = 6 and 6 × 6/12 = 3; from October 12 × 3/12 = 3 and
    # 6 × 3/12 = 1.5, rounded up to 2.
    plan = make_plan()
    units = plan.units.assign(**{L.P_START_MONTH: [1, 1, start, 1]})
    plan = dataclasses.replace(plan, units=units)
    # A03 returns only from its start month: no deduction for the months before (−2 each).
    returns = all_returned(YEAR, ("A01", "A02", "N01"))
    returns = pd.concat([returns, all_returned(YEAR[start - 1 :], ("A03",))], ignore_index=True)
    records = [row("A03", f"稿{i}", f"2025-{start:02d}", level="县级" if i < adopted else "") for i in range(sent)]
    year_end = assess(records, plan, returns=returns)
    a03 = unit(year_end, "A03")
    assert (a03[L.T_SUBMIT], a03[L.T_ADOPT]) == (sent, adopted)
    assert a03[OL.DEDUCTIONS] == 0.0 and a03[OL.YEAR_POINTS] == 5.0 * adopted
    assert a03[OL.RESULT] == OL.PASSED
    expected = "" if start == 1 else f"{start}月起参加考核，年度任务按{13 - start}个月折算"
    assert a03[OL.YEAR_NOTE] == expected
    assert plan.targets.at["A03", L.T_SUBMIT] == 12  # the plan itself is left as it is


def test_monthly_missing_list_leaves_out_units_before_their_start():
    plan = make_plan()
    plan = dataclasses.replace(plan, units=plan.units.assign(**{L.P_START_MONTH: [1, 1, 7, 1]}))
    assert S.missing_returns(returns_frame([]), plan, "2025-03")[L.UNIT_CODE].tolist() == ["A01", "A02"]
    assert S.missing_returns(returns_frame([]), plan, "2025-07")[L.UNIT_CODE].tolist() == ["A01", "A02", "A03"]


# --- Rewards to the fen ------------------------------------------------------------------------

# One piece adopted at 县级 (20) and 国家级 (80) under 累计: 100 yuan, three authors.
HUNDRED = [
    row("A01", "甲", "2025-03", level="县级", outlet="X", authors="张三、李四、王五"),
    row("A01", "甲", "2025-04", sent="2025-03-02", level="国家级", outlet="Y", authors="张三、李四、王五"),
]


@pytest.mark.parametrize(
    ("split", "expected"),
    [
        (RewardSplit.SPLIT, {"张三": 33.34, "李四": 33.33, "王五": 33.33}),
        (RewardSplit.FIRST_AUTHOR, {"张三": 100.0}),
    ],
)
def test_rewards_are_paid_to_the_fen_and_add_up(split, expected):
    year_end = assess(HUNDRED, plan_with(reward_split=split))
    paid = dict(zip(year_end.payout[PN.PERSON_NAME], year_end.payout[OL.PAYOUT_AMOUNT], strict=True))
    assert paid == expected
    assert A.fen(year_end.payout[OL.PAYOUT_AMOUNT]) == 10000
    # 采用篇次 by level: each recipient shares in both adoptions
    first = year_end.payout.iloc[0]
    assert (first[C.level_label("国家级")], first[C.level_label("县级")]) == (1, 1)
    # 月度统计's 个人统计 shows the same amounts, and April's are what the year's adds to March's
    # (20 in March: 6.67, 6.67, 6.66), so each person's months add up to the year to the fen
    scores = S.score_month(rows_frame(HUNDRED), all_returned(YEAR), YEAR, plan_with(reward_split=split), "2025-04")
    persons = scores.persons.set_index(PN.PERSON_NAME)
    assert persons[OL.REWARD_YTD].to_dict() == {**dict.fromkeys(["张三", "李四", "王五"], 0.0), **expected}
    april = {"张三": 26.67, "李四": 26.66, "王五": 26.67} if split is RewardSplit.SPLIT else {"张三": 80.0}
    assert persons[OL.REWARD_MONTH].to_dict() == {**dict.fromkeys(["张三", "李四", "王五"], 0.0), **april}


def test_largest_remainder_over_several_pieces():
    # Two pieces of 100 among the same three: 33.34 twice to 张三 (first), the rest 33.33 each.
    records = [*HUNDRED, *[{**r, L.TITLE: "乙", L.PIECE_KEY: "乙"} for r in HUNDRED]]
    year_end = assess(records, make_plan())
    paid = dict(zip(year_end.payout[PN.PERSON_NAME], year_end.payout[OL.PAYOUT_AMOUNT], strict=True))
    assert paid == {"张三": 66.68, "李四": 66.66, "王五": 66.66}
    assert A.fen(year_end.payout[OL.PAYOUT_AMOUNT]) == 20000


def test_share_fen_gives_the_remainder_to_the_first_takers():
    import numpy as np

    parts = PN.share_fen(np.array([10000] * 3 + [200] * 3), np.array([0, 1, 2, 0, 1, 2]), np.array([3] * 6))
    assert parts.tolist() == [3334, 3333, 3333, 67, 67, 66]


# --- County totals -------------------------------------------------------------------------------


def test_county_totals_count_a_co_written_piece_once():
    # 合写 (A01 with A02, both list it) adopted 省级 and 县级; 乙 (A03) sent, not adopted.
    records = [
        row("A01", "合写", "2025-03", level="省级", outlet="X", co_units="A02"),
        row("A02", "合写", "2025-03", level="县级", outlet="Y", co_units="A01"),
        row("A03", "乙", "2025-05"),
    ]
    totals = assess(records, make_plan()).totals
    assert (totals.sent, totals.adopted, totals.adoptions, totals.provincial) == (2, 1, 2, 1)
    assert totals.sentence() == "全年共报送信息2篇，被采用1篇，其中省级以上1篇"
    assert totals.by_month.loc[2, [OL.YEAR_SENT, OL.YEAR_ADOPTED, OL.YEAR_ADOPTIONS]].tolist() == [1, 1, 2]
    assert totals.by_month.loc[4, OL.YEAR_SENT] == 1
    assert totals.by_level.set_index(L.LEVEL)[OL.YEAR_ADOPTIONS].to_dict() == {
        "国家级": 0,
        "省级": 1,
        "市级": 0,
        "县级": 1,
    }


@pytest.mark.parametrize("quota", [0, 1, 2, 3])
def test_number_of_top_units_is_the_quota_and_failing_units_never_are(quota):
    # A01 20, A02 10, A03 5 points, all passing (targets 1 / 1); N01 is not assessed.
    records = [
        row("A01", "甲", "2025-03", level="省级"),
        row("A02", "乙", "2025-03", level="市级"),
        row("A03", "丙", "2025-03", level="县级"),
        row("N01", "丁", "2025-03", level="国家级"),
    ]
    year_end = assess(records, plan_with(make_plan(targets=ONE_EACH), top_units=quota))
    assert year_end.top_units[L.UNIT_CODE].tolist() == ["A01", "A02", "A03"][:quota]
    failed = year_end.units[year_end.units[OL.RESULT] == OL.FAILED]
    assert (failed[OL.ELIGIBILITY] == OL.LOSES).all() and (failed[OL.TOP_UNIT] == "").all()


# --- December's scores reused ------------------------------------------------------------------


@pytest.mark.parametrize("start", [1, 7])
def test_the_year_assessed_from_decembers_scores_is_the_year_assessed_anew(start):
    # December's 单位统计 and 个人统计 stand for the year's only when no target is pro-rated
    # (from July, A03's targets are halved and its 完成率 and 达标 differ from December's).
    plan = plan_with(make_plan(targets={"A03": (2, 1, 30.0, 0)}), reward_split=RewardSplit.SPLIT)
    plan = dataclasses.replace(plan, units=plan.units.assign(**{L.P_START_MONTH: [1, 1, start, 1]}))
    records = [
        *HUNDRED,
        row("A01", "乙", "2025-05", level="省级", authors="张三", co_units="A03"),
        row("A03", "丙", "2025-08", level="市级", authors="赵六"),
        row("A03", "丁", "2025-08", authors="赵六、钱七"),
        row("A02", "戊", "2024-12", level="县级", authors="李四"),
        row("A02", "戊", "2025-02", sent="2024-12-02", level="国家级", outlet="Y", authors="李四"),
    ]
    rows = rows_frame(records)
    returns = all_returned(YEAR)
    fresh = A.assess_year(rows, returns, YEAR, plan, {})
    december = S.score_month(rows, returns, YEAR, plan, "2025-12")
    reused = A.assess_year(rows, returns, YEAR, plan, {}, scored=december)
    for name in ("units", "apart", "persons", "payout"):
        pd.testing.assert_frame_equal(getattr(reused, name), getattr(fresh, name), obj=name)
    a03 = unit(reused, "A03")
    assert a03[L.T_SUBMIT] == (2 if start == 1 else 1)
    levels = reused.units.set_index(L.UNIT_CODE)[[C.level_label(level) for level in C.LEVELS_SHOWN]]
    # 国家级, 省级, 市级, 县级: A01 甲 县+国, 乙 省 (with A03); A02 戊's February 国家级 (its
    # December 2024 县级 is last year's); A03 乙 省, 丙 市.
    assert levels.loc[["A01", "A02", "A03"]].values.tolist() == [[1, 1, 0, 1], [1, 0, 0, 0], [0, 1, 1, 0]]
