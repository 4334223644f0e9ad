"""Scoring: every figure hand-computed from the demo county's default points.

Points (政务信息): 县级 5, 市级 10, 省级 20, 国家级 50; 新闻宣传: 县级 2, 市级 4, 省级 6.
Rewards by level: 县级 20, 市级 40, 省级 60, 国家级 80. Bonus: 县级 10, 市级 30, 省级 40, 国家级 50.
Roster of the test plan: A01, A02, A03 assessed; N01 not assessed.
"""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.core import labels as L
from pipeline.core import months as M
from pipeline.core import output_labels as OL
from pipeline.plan.rules import CoWritten, MultiLevel, RewardSplit
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scoring as S
from tests.scoring_helpers import all_returned, empty_rows, make_plan, returns_frame, row, rows_frame

Q1 = ["2025-01", "2025-02", "2025-03"]


def unit(scores: S.Scores, code: str) -> pd.Series:
    return scores.units.set_index(L.UNIT_CODE).loc[code]


def person(scores: S.Scores, code: str, name: str) -> pd.Series:
    return scores.persons.set_index([L.UNIT_CODE, PN.PERSON_NAME]).loc[(code, name)]


def score(records, plan=None, month="2025-03", processed=None, returns=None) -> S.Scores:
    processed = Q1 if processed is None else processed
    returns = all_returned(processed) if returns is None else returns
    return S.score_month(rows_frame(records), returns, processed, plan or make_plan(), month)


# --- 多级采用计分 --------------------------------------------------------------------------------

# One piece adopted 县级 by X, 市级 by Y, 省级 by Z and 县级 again by W, all in March.
FOUR_ADOPTIONS = [
    row("A01", "甲", "2025-03", level="县级", outlet="X"),
    row("A01", "甲", "2025-03", level="市级", outlet="Y"),
    row("A01", "甲", "2025-03", level="省级", outlet="Z"),
    row("A01", "甲", "2025-03", level="县级", outlet="W"),
]
# One piece adopted 市级 by two outlets.
TWICE_AT_ONE_LEVEL = [
    row("A01", "甲", "2025-03", level="市级", outlet="X"),
    row("A01", "甲", "2025-03", level="市级", outlet="Y"),
]


@pytest.mark.parametrize(
    ("rule", "records", "expected"),
    [
        (MultiLevel.CUMULATIVE, FOUR_ADOPTIONS, 40.0),  # 5 + 10 + 20 + 5
        (MultiLevel.HIGHEST, FOUR_ADOPTIONS, 20.0),  # 省级 only
        (MultiLevel.TOP_TWO, FOUR_ADOPTIONS, 30.0),  # 省级 20 + 市级 10
        (MultiLevel.CUMULATIVE, TWICE_AT_ONE_LEVEL, 20.0),  # 10 + 10
        (MultiLevel.HIGHEST, TWICE_AT_ONE_LEVEL, 10.0),
        (MultiLevel.TOP_TWO, TWICE_AT_ONE_LEVEL, 10.0),  # one distinct level: its highest once
    ],
)
def test_multi_level_rules(rule, records, expected):
    scores = score(records, make_plan(multi_level=rule))
    a01 = unit(scores, "A01")
    assert a01[OL.POINTS_MONTH] == expected
    assert a01[OL.POINTS_YTD] == expected
    assert a01[OL.ADOPTED_MONTH] == 1  # one adopted piece
    assert a01[OL.ADOPTIONS_MONTH] == len(records)  # one 采用条次 per outlet
    assert a01[OL.SENT_MONTH] == 1


def test_co_writers_spelling_the_outlet_differently_report_one_adoption():
    # A01 writes 《要情快报》, A02 writes 要情快报 for the same adoption: one 采用条次, 10 points split.
    records = [
        row("A01", "合写", "2025-03", level="市级", outlet="《要情快报》", co_units="A02"),
        row("A02", "合写", "2025-03", level="市级", outlet="要情快报", co_units="A01"),
    ]
    scores = score(records)
    for code in ("A01", "A02"):
        assert (unit(scores, code)[OL.ADOPTIONS_MONTH], unit(scores, code)[OL.POINTS_MONTH]) == (1, 5.0)


def test_same_outlet_listed_twice_is_one_adoption_with_the_earliest_date():
    # 《要情》 and 《 要情 》 fold to one outlet; the adoption keeps the earliest date (Feb 20),
    # so March gains nothing from the second listing.
    records = [
        row("A01", "甲", "2025-02", level="市级", outlet="《要情》", adopted="2025-02-20"),
        row("A01", "甲", "2025-03", level="市级", outlet="《 要情 》", adopted="2025-03-05"),
    ]
    scores = score(records)
    a01 = unit(scores, "A01")
    assert (a01[OL.POINTS_MONTH], a01[OL.POINTS_YTD]) == (0.0, 10.0)
    assert (a01[OL.ADOPTIONS_MONTH], a01[OL.ADOPTED_MONTH], a01[OL.ADOPTED_YTD]) == (0, 0, 1)


def test_highest_counts_the_rewards_of_the_counted_adoption_only():
    # 最高级: 省级 counts (reward 60), not 县级 (20); the 2 authors share 30 each.
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="X", authors="张三、李四"),
        row("A01", "甲", "2025-03", level="省级", outlet="Z", authors="张三、李四"),
    ]
    scores = score(records, make_plan(multi_level=MultiLevel.HIGHEST))
    assert person(scores, "A01", "张三")[OL.REWARD_MONTH] == 30.0
    assert person(scores, "A01", "李四")[OL.REWARD_YTD] == 30.0
    assert person(scores, "A01", "李四")[OL.POINTS_YTD] == 10.0  # 20 / 2


def test_top_two_takes_the_highest_value_at_each_level():
    # 最高两级 over 省级 新闻宣传 (6), 市级 政务信息 (10), 市级 新闻宣传 (4), 县级 (5):
    # levels 省级 and 市级; at 市级 the highest is 10 -> 6 + 10 = 16.
    records = [
        row("A01", "甲", "2025-03", level="省级", outlet="P", category="新闻宣传"),
        row("A01", "甲", "2025-03", level="市级", outlet="Q", category="政务信息"),
        row("A01", "甲", "2025-03", level="市级", outlet="R", category="新闻宣传"),
        row("A01", "甲", "2025-03", level="县级", outlet="S", category="政务信息"),
    ]
    scores = score(records, make_plan(multi_level=MultiLevel.TOP_TWO))
    assert unit(scores, "A01")[OL.POINTS_MONTH] == 16.0


# --- Leader bonus --------------------------------------------------------------------------------


def test_bonus_once_at_the_highest_instruction_across_months():
    # Feb: 县级 instruction -> bonus 10 in Feb. Mar: 市级 instruction on another row, and the
    # piece adopted 县级 (5). As of Mar the bonus is 30 (not 10 + 30), so March gains 20 + 5.
    records = [
        row("A01", "甲", "2025-02", instruction="县级"),
        row("A01", "甲", "2025-03", instruction="市级", level="县级", outlet="X"),
        row("A01", "甲", "2025-03", instruction="县级", level="市级", outlet="Y"),
    ]
    feb = score(records, month="2025-02", processed=Q1[:2])
    assert unit(feb, "A01")[OL.POINTS_MONTH] == 10.0
    mar = score(records)
    a01 = unit(mar, "A01")
    assert a01[OL.POINTS_MONTH] == 35.0  # bonus 20 more + 5 + 10
    assert a01[OL.POINTS_YTD] == 45.0  # bonus 30 + 5 + 10
    # Row points of March: the 市级-instruction row carries the bonus gain 20 and its 县级 5.
    assert mar.row_points.to_dict() == {1: 25.0, 2: 10.0}


def test_bonus_without_adoption_still_counts():
    scores = score([row("A02", "乙", "2025-03", instruction="省级")])
    assert unit(scores, "A02")[OL.POINTS_MONTH] == 40.0
    assert unit(scores, "A02")[OL.ADOPTED_MONTH] == 0


# --- Co-written pieces ---------------------------------------------------------------------------

# Listed by both units, each naming the other; A02 sent it first (Mar 1), A01 on Mar 3; both list
# the same 市级 adoption (10 points, reward 40).
BOTH_LIST = [
    row("A01", "合写", "2025-03", sent="2025-03-03", level="市级", outlet="X", co_units="A02", authors="张三"),
    row("A02", "合写", "2025-03", sent="2025-03-01", level="市级", outlet="X", co_units="A01", authors="王五"),
]
# Listed by A01 only, naming A02 and A03.
ONE_LISTS = [row("A01", "合写", "2025-03", level="省级", outlet="Z", co_units="A02、A03", authors="张三、李四")]


def test_co_written_split_listed_by_both_is_one_piece():
    scores = score(BOTH_LIST, make_plan(co_written=CoWritten.SPLIT))
    for code in ("A01", "A02"):
        u = unit(scores, code)
        assert u[OL.POINTS_MONTH] == 5.0  # 10 / 2, never 10 each
        assert (u[OL.SENT_MONTH], u[OL.ADOPTED_MONTH], u[OL.ADOPTIONS_MONTH]) == (1, 1, 1)
    assert scores.row_points.to_dict() == {1: 5.0, 2: 5.0}
    assert person(scores, "A01", "张三")[OL.POINTS_MONTH] == 5.0
    assert person(scores, "A02", "王五")[OL.POINTS_MONTH] == 5.0


def test_co_written_first_unit_listed_by_both_goes_to_the_earlier_sender():
    scores = score(BOTH_LIST, make_plan(co_written=CoWritten.FIRST_UNIT))
    assert unit(scores, "A02")[OL.POINTS_MONTH] == 10.0
    assert unit(scores, "A01")[OL.POINTS_MONTH] == 0.0
    assert unit(scores, "A01")[OL.SENT_MONTH] == 1  # still counted as sent by both
    assert scores.row_points.to_dict() == {1: 0.0, 2: 10.0}  # row 1 is A01's


def test_co_written_split_listed_by_one_shares_with_every_named_unit():
    # 20 / 3 each to A01, A02, A03; only A01 has authors: 张三 and 李四 get 20/3/2 each.
    scores = score(ONE_LISTS, make_plan(co_written=CoWritten.SPLIT))
    for code in ("A01", "A02", "A03"):
        assert unit(scores, code)[OL.POINTS_MONTH] == pytest.approx(20 / 3, abs=1e-12)
        assert unit(scores, code)[OL.SENT_YTD] == 1
    assert person(scores, "A01", "李四")[OL.POINTS_YTD] == pytest.approx(10 / 3, abs=1e-12)
    assert scores.row_points.to_dict() == {1: pytest.approx(20 / 3, abs=1e-12)}
    assert scores.persons[L.UNIT_CODE].tolist() == ["A01", "A01"]


def test_co_written_first_unit_listed_by_one():
    scores = score(ONE_LISTS, make_plan(co_written=CoWritten.FIRST_UNIT))
    assert [unit(scores, c)[OL.POINTS_MONTH] for c in ("A01", "A02", "A03")] == [20.0, 0.0, 0.0]


def test_same_title_without_naming_each_other_is_two_pieces():
    records = [
        row("A01", "同名", "2025-03", level="县级", outlet="X"),
        row("A02", "同名", "2025-03", level="县级", outlet="X"),
    ]
    scores = score(records)
    assert unit(scores, "A01")[OL.POINTS_MONTH] == 5.0
    assert unit(scores, "A02")[OL.POINTS_MONTH] == 5.0


# --- Persons and rewards -------------------------------------------------------------------------


def test_person_co_authoring_several_pieces():
    # 甲: 张三、李四, 市级 10 -> 5 each. 乙: 张三, 县级 5 -> 5. 丙 (co-written with A02, listed by
    # A02 only, 王五): 省级 20 -> A01 10 (no A01 row: no A01 person), A02 10 -> 王五.
    records = [
        row("A01", "甲", "2025-03", level="市级", authors="张三、李四"),
        row("A01", "乙", "2025-03", level="县级", authors="张三"),
        row("A02", "丙", "2025-03", level="省级", authors="王五", co_units="A01"),
    ]
    scores = score(records)
    assert person(scores, "A01", "张三")[OL.POINTS_YTD] == 10.0
    assert person(scores, "A01", "李四")[OL.POINTS_YTD] == 5.0
    assert person(scores, "A02", "王五")[OL.POINTS_YTD] == 10.0
    assert unit(scores, "A01")[OL.POINTS_YTD] == 25.0  # 10 + 5 + 10
    # Sorted by 累计得分 desc, then code and name.
    assert list(zip(scores.persons[L.UNIT_CODE], scores.persons[PN.PERSON_NAME], strict=True)) == [
        ("A01", "张三"),
        ("A02", "王五"),
        ("A01", "李四"),
    ]
    assert scores.persons[L.UNIT_NAME].tolist() == ["办公室", "规划股", "办公室"]


def test_authors_come_from_the_units_latest_row():
    # Sent in Feb by 张三; adopted in Mar, the Mar row names 张三、李四: Mar's 10 splits 5 / 5.
    records = [
        row("A01", "甲", "2025-02", authors="张三"),
        row("A01", "甲", "2025-03", sent="2025-02-02", level="市级", authors="张三、李四"),
    ]
    scores = score(records)
    assert person(scores, "A01", "李四")[OL.POINTS_MONTH] == 5.0
    assert person(scores, "A01", "张三")[OL.POINTS_MONTH] == 5.0


@pytest.mark.parametrize(
    ("split", "expected"),
    [
        # 累计 reward of the co-written piece: 市级 40 + 县级 20 = 60; recipients in order:
        # A02 (first unit: sent Mar 1) 王五, then A01 张三、李四.
        (RewardSplit.SPLIT, {("A02", "王五"): 20.0, ("A01", "张三"): 20.0, ("A01", "李四"): 20.0}),
        (RewardSplit.FIRST_AUTHOR, {("A02", "王五"): 60.0, ("A01", "张三"): 0.0, ("A01", "李四"): 0.0}),
    ],
)
def test_rewards_split_or_first_author(split, expected):
    records = [
        row(
            "A01", "合写", "2025-03", sent="2025-03-03", level="市级", outlet="X", co_units="A02", authors="张三、李四"
        ),
        row("A02", "合写", "2025-03", sent="2025-03-01", level="县级", outlet="Y", co_units="A01", authors="王五"),
    ]
    scores = score(records, make_plan(reward_split=split))
    for (code, name), amount in expected.items():
        assert person(scores, code, name)[OL.REWARD_YTD] == amount
        assert person(scores, code, name)[OL.REWARD_MONTH] == amount


def test_a_persons_monthly_rewards_add_up_to_the_year_to_the_fen():
    # ¥20 (县级) in January and ¥40 (市级) in March among three authors, 累计. The year's ¥60 is
    # ¥20 each; January's ¥20 is 6.67, 6.67, 6.66 (the extra fen to the first authors), so March
    # pays the rest: 13.33, 13.33, 13.34 (not its own ¥40 shared as 13.34, 13.33, 13.33, which
    # would make the first author's months add up to ¥20.01 and the third's to ¥19.99).
    records = [
        row("A01", "甲", "2025-01", level="县级", outlet="X", authors="张三、李四、王五"),
        row("A01", "甲", "2025-03", level="市级", outlet="Y", authors="张三、李四、王五"),
    ]
    names = ["张三", "李四", "王五"]
    months = {m: score(records, month=m) for m in Q1}
    paid = {m: [person(s, "A01", n)[OL.REWARD_MONTH] for n in names] for m, s in months.items()}
    assert paid == {"2025-01": [6.67, 6.67, 6.66], "2025-02": [0.0, 0.0, 0.0], "2025-03": [13.33, 13.33, 13.34]}
    assert [person(months["2025-03"], "A01", n)[OL.REWARD_YTD] for n in names] == [20.0, 20.0, 20.0]


# --- Periods -------------------------------------------------------------------------------------

SENT_FEB_ADOPTED_APR = [
    row("A03", "迟采用", "2025-02", sent="2025-02-10"),
    row("A03", "迟采用", "2025-04", sent="2025-02-10", level="县级"),
]


@pytest.mark.parametrize(
    ("month", "sent_month", "sent_ytd", "adopted_month", "adopted_ytd", "points_month"),
    [
        ("2025-02", 1, 1, 0, 0, 0.0),
        ("2025-03", 0, 1, 0, 0, 0.0),
        ("2025-04", 0, 1, 1, 1, 5.0),
    ],
)
def test_sent_in_one_month_adopted_in_a_later_one(
    month, sent_month, sent_ytd, adopted_month, adopted_ytd, points_month
):
    processed = ["2025-02", "2025-03", "2025-04"]
    scores = score(SENT_FEB_ADOPTED_APR, month=month, processed=processed)
    a03 = unit(scores, "A03")
    assert (a03[OL.SENT_MONTH], a03[OL.SENT_YTD]) == (sent_month, sent_ytd)
    assert (a03[OL.ADOPTED_MONTH], a03[OL.ADOPTED_YTD]) == (adopted_month, adopted_ytd)
    assert a03[OL.POINTS_MONTH] == points_month


def test_later_months_are_ignored_when_rescoring_an_earlier_one():
    scores = score(SENT_FEB_ADOPTED_APR, month="2025-02", processed=["2025-02", "2025-03", "2025-04"])
    assert unit(scores, "A03")[OL.POINTS_YTD] == 0.0
    assert scores.row_points.to_dict() == {1: 0.0}


@pytest.mark.parametrize(("rule", "january"), [(MultiLevel.HIGHEST, 15.0), (MultiLevel.CUMULATIVE, 20.0)])
def test_year_boundary_counts_only_the_new_years_gain(rule, january):
    # Sent and adopted 县级 (5) in Dec 2024, adopted 省级 (20) in Jan 2025. 最高级: as of Jan 20,
    # as of Dec 31 5 -> 15 in 2025; 累计: 25 - 5 = 20. Sent in 2024: 2025 报送数 0; adopted
    # (once) in 2024: 2025 采用数 0, the January adoption adds one 条次.
    records = [
        row("A01", "跨年", "2024-12", sent="2024-12-05", level="县级", outlet="X", adopted="2024-12-20"),
        row("A01", "跨年", "2025-01", sent="2024-12-05", level="省级", outlet="Z"),
    ]
    scores = score(records, make_plan(multi_level=rule), month="2025-01", processed=["2024-12", "2025-01"])
    a01 = unit(scores, "A01")
    assert (a01[OL.POINTS_MONTH], a01[OL.POINTS_YTD]) == (january, january)
    assert (a01[OL.SENT_MONTH], a01[OL.SENT_YTD], a01[OL.ADOPTED_YTD], a01[OL.ADOPTIONS_MONTH]) == (0, 0, 0, 1)
    assert a01[OL.DEDUCTIONS] == 0.0  # Dec 2024 is not in the year, processed or not
    assert scores.row_points.to_dict() == {1: january}
    assert person(scores, "A01", "张三")[OL.POINTS_YTD] == january


def test_december_deadline_is_in_january_of_the_next_year():
    returns = returns_frame(
        [("2025-12", "A01", "2026-01-05"), ("2025-12", "A02", "2026-01-06"), ("2025-12", "A03", None)]
    )
    status = S.on_time(returns, make_plan(), "2025-12")
    assert status.to_dict() == {"A01": "是", "A02": "迟报", "A03": "是", "N01": "未报送"}


def test_whole_year_scored_as_december():
    # Pieces in Mar and Nov; each unit returned every month.
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    records = [
        row("A01", "三月", "2025-03", level="县级"),
        row("A01", "十一月", "2025-11", level="市级"),
    ]
    scores = score(records, month="2025-12", processed=months, returns=all_returned(months))
    a01 = unit(scores, "A01")
    assert (a01[OL.SENT_YTD], a01[OL.ADOPTED_YTD], a01[OL.POINTS_YTD], a01[OL.POINTS_MONTH]) == (2, 2, 15.0, 0.0)
    assert a01[OL.SUBMIT_RATE] == pytest.approx(2 / 12)


def test_month_helpers():
    assert M.previous_month("2025-01") == "2024-12"
    assert M.previous_month("2025-10") == "2025-09"
    assert M.year_start("2025-07") == "2024-12"


# --- Returns and deductions ----------------------------------------------------------------------


def test_unit_with_no_return_loses_points_and_is_listed():
    # A02 returned nothing in Q1: 3 × 2 = 6 YTD, 2 in March. A03 missed March only. N01 (not
    # assessed) returned nothing either: no deduction, not on the chase list.
    returns = pd.concat([all_returned(Q1, units=("A01",)), all_returned(Q1[:2], units=("A03",))])
    scores = score([row("A02", "乙", "2025-03", level="市级")], returns=returns)
    a02, a03, n01 = unit(scores, "A02"), unit(scores, "A03"), unit(scores, "N01")
    assert (a02[OL.POINTS_MONTH], a02[OL.POINTS_YTD], a02[OL.DEDUCTIONS]) == (8.0, 4.0, 6.0)
    assert (a03[OL.POINTS_MONTH], a03[OL.POINTS_YTD], a03[OL.DEDUCTIONS]) == (-2.0, -2.0, 2.0)
    assert (n01[OL.POINTS_MONTH], n01[OL.DEDUCTIONS]) == (0.0, 0.0)
    assert [a02[OL.ON_TIME], a03[OL.ON_TIME], n01[OL.ON_TIME], unit(scores, "A01")[OL.ON_TIME]] == [
        "未报送",
        "未报送",
        "未报送",
        "是",
    ]
    assert scores.missing.to_dict("list") == {
        L.UNIT_CODE: ["A02", "A03"],
        L.UNIT_NAME: ["规划股", "城关所"],
        L.P_OFFICER: ["信息员A02", "信息员A03"],
        L.P_PHONE: ["0539-0000001", "0539-0000002"],
    }


def test_unprocessed_months_cost_nothing():
    scores = score([], processed=["2025-03"], returns=returns_frame([]))
    assert unit(scores, "A01")[OL.DEDUCTIONS] == 2.0


def test_shortfall_below_the_monthly_minimum():
    # Minimum 2 a month, 1 point per missing piece. A01: Feb 0 pieces (-2), Mar 1 piece (-1),
    # Jan 2 pieces (0). A02: Mar with no return (-2 missing) and no pieces (-2 shortfall).
    plan = make_plan(shortfall=1.0, targets={"A01": (12, 6, math.nan, 2), "A02": (12, 6, math.nan, 2)})
    records = [
        row("A01", "一", "2025-01"),
        row("A01", "二", "2025-01"),
        row("A01", "三", "2025-03"),
        row("A02", "乙", "2025-01"),
        row("A02", "丙", "2025-01"),
        row("A02", "丁", "2025-02"),
        row("A02", "戊", "2025-02"),
    ]
    returns = pd.concat(
        [all_returned(Q1, units=("A01", "A03")), returns_frame([("2025-01", "A02", None), ("2025-02", "A02", None)])]
    )
    scores = score(records, plan, returns=returns)
    assert (unit(scores, "A01")[OL.POINTS_MONTH], unit(scores, "A01")[OL.DEDUCTIONS]) == (-1.0, 3.0)
    assert (unit(scores, "A02")[OL.POINTS_MONTH], unit(scores, "A02")[OL.DEDUCTIONS]) == (-4.0, 4.0)
    assert unit(scores, "A03")[OL.DEDUCTIONS] == 0.0  # no minimum set


def test_co_written_piece_counts_towards_each_units_minimum():
    plan = make_plan(shortfall=1.0, targets={"A02": (12, 6, math.nan, 1)})
    scores = score([row("A01", "合写", "2025-03", co_units="A02")], plan, processed=["2025-03"])
    assert unit(scores, "A02")[OL.DEDUCTIONS] == 0.0


def test_late_return():
    returns = returns_frame([("2025-03", "A01", "2025-04-05"), ("2025-03", "A02", "2025-04-06")])
    status = S.on_time(returns, make_plan(deadline_day=5), "2025-03")
    assert status.to_dict() == {"A01": "是", "A02": "迟报", "A03": "未报送", "N01": "未报送"}


# --- Ranking, targets, schedule ------------------------------------------------------------------


def test_rank_ties_share_the_lowest_rank():
    ranks = S.rank(pd.Series({"A": 20.0, "B": 10.0, "C": 10.0, "D": 0.0, "E": 0.1 + 0.2 - 0.3 + 10.0}))
    assert ranks.to_dict() == {"A": 1, "B": 2, "C": 2, "D": 5, "E": 2}


def test_units_ranked_with_ties_listed_by_code_and_non_assessed_last():
    # A03 10, A02 10, A01 5; N01 (not assessed) 20 but unranked and last.
    records = [
        row("A03", "丙", "2025-03", level="市级"),
        row("A02", "乙", "2025-03", level="市级"),
        row("A01", "甲", "2025-03", level="县级"),
        row("N01", "丁", "2025-03", level="省级"),
    ]
    scores = score(records)
    units = scores.units
    assert units[L.UNIT_CODE].tolist() == ["A02", "A03", "A01", "N01"]
    assert units[OL.RANK].tolist()[:3] == [1.0, 1.0, 3.0]
    n01 = unit(scores, "N01")
    assert n01[OL.POINTS_YTD] == 20.0
    assert math.isnan(n01[OL.RANK]) and math.isnan(n01[L.T_SUBMIT]) and math.isnan(n01[OL.SUBMIT_RATE])
    assert n01[OL.PROGRESS] == ""
    assert n01[OL.SENT_YTD] == 1
    assert list(units.columns) == list(S.UNIT_COLUMNS)


def test_schedule_check_at_june():
    # m = 6: behind when below half of a target. Targets 12 sent, 6 adopted; points target 100
    # for A03 only.
    frame = pd.DataFrame(
        {
            OL.SENT_YTD: [6, 5, 6, 6, 6],
            OL.ADOPTED_YTD: [3, 3, 2, 3, 3],
            OL.POINTS_YTD: [0.0, 0.0, 0.0, 50.0, 49.5],
            L.T_SUBMIT: [12.0] * 5,
            L.T_ADOPT: [6.0] * 5,
            L.T_POINTS: [math.nan, math.nan, math.nan, 100.0, 100.0],
        },
        index=["A", "B", "C", "D", "E"],
    )
    assert S.progress(frame, frame, "2025-06").tolist() == ["正常", "滞后", "滞后", "正常", "滞后"]


def test_rates_and_progress_in_the_units_sheet():
    # A01 targets 4 sent / 2 adopted / 20 points; by March (m = 3) needs 1 / 0.5 / 5.
    plan = make_plan(targets={"A01": (4, 2, 20, 0), "A02": (0, 0, math.nan, 0)})
    scores = score([row("A01", "甲", "2025-03", level="县级")], plan)
    a01, a02 = unit(scores, "A01"), unit(scores, "A02")
    assert (a01[OL.SUBMIT_RATE], a01[OL.ADOPT_RATE], a01[OL.POINTS_RATE]) == (0.25, 0.5, 0.25)
    assert a01[OL.PROGRESS] == "正常"
    assert math.isnan(a02[OL.SUBMIT_RATE]) and math.isnan(a02[OL.POINTS_RATE])  # target 0: no rate
    assert a02[OL.PROGRESS] == "正常"
    assert unit(scores, "A03")[OL.PROGRESS] == "滞后"
    assert S.units_behind_schedule(scores.units)[L.UNIT_CODE].tolist() == ["A03"]


# --- Row points ----------------------------------------------------------------------------------


def test_row_points_under_highest_are_proportional_to_each_rows_value():
    # 最高级 gain 20, rows worth 5 and 20: 20 × 5/25 = 4 and 20 × 20/25 = 16; the 未采用 row 0.
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="X"),
        row("A01", "甲", "2025-03", level="省级", outlet="Z"),
        row("A01", "乙", "2025-03"),
    ]
    scores = score(records, make_plan(multi_level=MultiLevel.HIGHEST))
    assert scores.row_points.to_dict() == {1: 4.0, 2: 16.0, 3: 0.0}
    assert scores.row_points.name == L.POINTS


def test_row_points_of_a_unit_add_up_to_its_gross_points():
    records = [*FOUR_ADOPTIONS, *BOTH_LIST, row("A01", "乙", "2025-03", instruction="国家级")]
    scores = score(records)
    # A01: 40 (甲) + 5 (half of 合写) + 50 (bonus of 乙)
    assert scores.row_points.sum() == 40.0 + 10.0 + 50.0
    assert unit(scores, "A01")[OL.POINTS_MONTH] == 95.0


# 最高两级 with a piece whose rows name different categories: December 2024 brings 省级 政务信息
# (20 points, ¥60) and 县级 政务信息 (5, ¥20), 25 points; March brings 市级 新闻宣传 (4, ¥40), so the
# two highest levels are now 省级 and 市级: 20 + 4 = 24 points, ¥60 + ¥40 = ¥100. A01 lists the
# piece and names A02, which never lists it.
TOP_TWO_LOWERED = [
    row("A01", "甲", "2024-12", level="省级", outlet="X", co_units="A02"),
    row("A01", "甲", "2024-12", level="县级", outlet="Z"),
    row("A01", "甲", "2025-03", level="市级", outlet="Y", category="新闻宣传"),
]


def test_a_month_can_lower_a_top_two_piece_and_a_co_unit_without_rows_carries_its_share_on_none():
    scores = score(TOP_TWO_LOWERED, make_plan(multi_level=MultiLevel.TOP_TWO))
    # The piece's March gain is 24 − 25 = −1, split equally: −0.5 each, in the month and the year.
    for code in ("A01", "A02"):
        assert unit(scores, code)[[OL.POINTS_MONTH, OL.POINTS_YTD]].tolist() == [-0.5, -0.5]
    # Only A01's share is on a row (its March row); A02 has no row to carry its −0.5, so the rows
    # add up to −0.5, more than the piece's −1 of the month.
    assert scores.row_points.to_dict() == {1: -0.5}
    # The reward gains ¥100 − ¥80 = ¥20, all to A01's author, who wrote the only row.
    assert person(scores, "A01", "张三")[[OL.POINTS_MONTH, OL.REWARD_MONTH, OL.REWARD_YTD]].tolist() == [
        -0.5,
        20.0,
        20.0,
    ]
    assert scores.persons[OL.REWARD_YTD].sum() == 20.0


def test_empty_ledger():
    scores = S.score_month(empty_rows(), returns_frame([]), ["2025-03"], make_plan(), "2025-03")
    assert scores.units[OL.POINTS_YTD].tolist() == [-2.0, -2.0, -2.0, 0.0]
    assert scores.units[OL.RANK].tolist()[:3] == [1.0, 1.0, 1.0]
    assert scores.persons.empty and list(scores.persons.columns) == list(S.PERSON_COLUMNS)
    assert scores.row_points.empty


# --- Building blocks -----------------------------------------------------------------------------


def test_identify_pieces_links_units_transitively():
    # A01 names A02, A03 names A02: one piece of three units; A01's other title stays apart.
    frame = rows_frame(
        [
            row("A03", "合写", "2025-03", co_units="A02"),
            row("A01", "合写", "2025-03", co_units="A02"),
            row("A02", "合写", "2025-03"),
            row("A01", "独写", "2025-03"),
        ]
    )
    pieces = PC.identify_pieces(frame)[PC.PIECE].tolist()
    assert pieces == ["A01|合写", "A01|合写", "A01|合写", "A01|独写"]


def test_month_of_gives_what_strftime_gives():
    dates = pd.Series(pd.to_datetime(["2025-03-05", None, "2024-12-31"]), name="采用日期")
    pd.testing.assert_series_equal(PC.month_of(dates), dates.dt.strftime("%Y-%m"))
    assert PC.month_of(dates).tolist()[::2] == ["2025-03", "2024-12"]


def test_piece_table_first_unit_by_date_then_code():
    frame = PC.identify_pieces(
        rows_frame(
            [
                row("A02", "合写", "2025-03", sent="2025-03-01", co_units="A01"),
                row("A01", "合写", "2025-03", sent="2025-03-01", co_units="A03"),
                row("A03", "合写", "2025-03", sent="2025-02-27", co_units="A01"),
            ]
        )
    )
    table = PC.piece_table(frame)
    assert table.loc["A01|合写", PC.FIRST_UNIT] == "A03"
    assert table.loc["A01|合写", PC.REPORTERS] == ("A03", "A01", "A02")
    # 报送 counts in the month of the first form listing it (March); the 2-27 date makes it 补报
    assert table.loc["A01|合写", PC.SENT_IN] == "2025-03"
    assert bool(table.loc["A01|合写", PC.LATE])


# --- Invariants (hypothesis) ---------------------------------------------------------------------

CODES = ("A01", "A02", "A03", "N01")
MONTHS = ("2024-12", "2025-01", "2025-02", "2025-03")


@st.composite
def ledgers(draw):
    records = []
    for _ in range(draw(st.integers(0, 12))):
        month = draw(st.sampled_from(MONTHS))
        code = draw(st.sampled_from(CODES))
        level = draw(st.sampled_from(("", *L.LEVELS)))
        day = draw(st.integers(1, 28))
        co = draw(st.lists(st.sampled_from([c for c in CODES if c != code]), max_size=2, unique=True))
        authors = draw(st.lists(st.sampled_from(("张三", "李四", "王五")), min_size=1, max_size=2, unique=True))
        records.append(
            row(
                code,
                draw(st.sampled_from(("甲", "乙", "丙"))),
                month,
                sent=f"{month}-{draw(st.integers(1, day)):02d}",
                level=level,
                outlet=draw(st.sampled_from(("X", "Y", "Z"))) if level else "",
                adopted=f"{month}-{day:02d}",
                authors="、".join(authors),
                category=draw(st.sampled_from(L.CATEGORIES)),
                instruction=draw(st.sampled_from(L.INSTRUCTION_LEVELS)),
                co_units="、".join(co),
            )
        )
    plan = make_plan(
        multi_level=draw(st.sampled_from(list(MultiLevel))),
        co_written=draw(st.sampled_from(list(CoWritten))),
        reward_split=draw(st.sampled_from(list(RewardSplit))),
        shortfall=1.0,
        targets={"A01": (12, 6, 50, 1)},
    )
    processed = draw(st.lists(st.sampled_from(MONTHS[1:]), unique=True))
    returns = returns_frame([(m, c, f"{m}-28") for m in processed for c in draw(st.sets(st.sampled_from(CODES)))])
    return records, plan, processed, returns, draw(st.randoms())


# Derandomized: CI sees the same 30 cases every run, plus the @example cases. (A random seed once
# found TOP_TWO_LOWERED: the rows' bound assumed that a month never lowers a piece.)
PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ledgers())
# Found with a random seed: a month can lower a piece under 最高两级 (see the plain test above).
@example((TOP_TWO_LOWERED, make_plan(multi_level=MultiLevel.TOP_TWO), [], returns_frame([]), random.Random(0)))
def test_unit_shares_add_up_to_the_pieces_points(case):
    records, plan, processed, returns, _ = case
    rows = rows_frame(records) if records else empty_rows()
    scores = S.score_month(rows, returns, processed, plan, "2025-03")
    pieces = PC.gather(rows, plan, "2025-03")
    ytd = PW.period_values(pieces, plan, "2024-12", "2025-03")
    month = PW.period_values(pieces, plan, "2025-02", "2025-03")
    units = scores.units
    assert abs((units[OL.POINTS_YTD] + units[OL.DEDUCTIONS]).sum() - PW.piece_points(ytd).sum()) < 1e-9
    gross_month = (
        units[OL.POINTS_MONTH].sum() + S.deductions(pieces, returns, processed, plan, "2025-02", "2025-03").sum()
    )
    assert abs(gross_month - PW.piece_points(month).sum()) < 1e-9
    assert abs(scores.persons[OL.REWARD_YTD].sum() - ytd[PC.REWARD].sum()) < 1e-9
    assert abs(scores.persons[OL.REWARD_MONTH].sum() - month[PC.REWARD].sum()) < 1e-9
    # Rows carry, of each piece, some units' shares of its adoption gain and of its bonus gain:
    # between none and all of each part. A part can be negative (最高两级, see TOP_TWO_LOWERED),
    # so the bounds take each part's sign.
    low = month[[PC.ADOPT, PC.BONUS]].clip(upper=0.0).to_numpy().sum()
    high = month[[PC.ADOPT, PC.BONUS]].clip(lower=0.0).to_numpy().sum()
    assert low - 1e-9 <= scores.row_points.sum() <= high + 1e-9


@PROPERTY
@given(ledgers())
def test_order_of_rows_changes_nothing(case):
    records, plan, processed, returns, rnd = case
    if not records:
        return
    rows = rows_frame(records)
    shuffled = rows.sample(frac=1.0, random_state=rnd.randint(0, 2**31)).reset_index(drop=True)
    first = S.score_month(rows, returns, processed, plan, "2025-03")
    second = S.score_month(shuffled, returns, processed, plan, "2025-03")
    again = S.score_month(rows, returns, processed, plan, "2025-03")
    for a, b, c in ((first.units, second.units, again.units), (first.persons, second.persons, again.persons)):
        pd.testing.assert_frame_equal(a, b)
        pd.testing.assert_frame_equal(a, c)
    pd.testing.assert_series_equal(first.row_points.sort_index(), second.row_points.sort_index())
    pd.testing.assert_frame_equal(first.missing, again.missing)


def test_with_the_demo_countys_plan(plan):
    # Demo rules: 累计, 均分, 漏报 −2. GS01 (targets 60 / 36 by override) and SO01 co-write a piece
    # adopted 市级 (10): 5 each. GS08 is not assessed. Only GS01 and SO01 returned March.
    records = [row("GS01", "合写", "2025-03", level="市级", co_units="SO01"), row("GS08", "人事", "2025-03")]
    returns = returns_frame([("2025-03", "GS01", "2025-04-01"), ("2025-03", "SO01", "2025-04-07")])
    scores = S.score_month(rows_frame(records), returns, ["2025-03"], plan, "2025-03")
    units = scores.units.set_index(L.UNIT_CODE)
    assert len(units) == 20 and units.index[-1] == "GS08" and units.index[:2].tolist() == ["GS01", "SO01"]
    assert units.loc["GS01", [OL.POINTS_YTD, L.T_SUBMIT, L.T_ADOPT]].tolist() == [5.0, 60.0, 36.0]
    assert units.loc["GS01", OL.SUBMIT_RATE] == pytest.approx(1 / 60)
    assert units.loc["SO01", [OL.POINTS_YTD, OL.ON_TIME, OL.RANK]].tolist() == [5.0, "迟报", 1.0]
    assert units.loc["GS02", [OL.POINTS_YTD, OL.RANK, OL.ON_TIME]].tolist() == [-2.0, 3.0, "未报送"]
    assert units.loc["GS08", OL.SENT_MONTH] == 1 and units.loc["GS08", OL.PROGRESS] == ""
    assert len(scores.missing) == 17  # 19 assessed units, 2 returned
