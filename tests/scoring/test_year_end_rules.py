"""Year-end rules around the verdicts: pro-rated targets, whose head is named, unset targets,
the reasons written in 备注, what the units' table shows where there is nothing, and how a
figure is written. Values worked out by hand in the comments (scoring_helpers' defaults:
政务信息 县级 5 / 市级 10 / 省级 20 points)."""

from __future__ import annotations

import dataclasses
import math

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.records import ACCEPTED, REJECTED, FileRecord
from pipeline.plan.rules import CoWritten, PassCondition
from pipeline.scoring import assessment as A
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]
NAN = math.nan


def plan_with(targets, starts=(1, 1, 1, 1), **rules):
    plan = make_plan(targets=targets)
    plan = dataclasses.replace(plan, units=plan.units.assign(**{L.P_START_MONTH: list(starts)}))
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **rules))


def units_of(records, plan, heads=None):
    year_end = A.assess_year(rows_frame(records), all_returned(YEAR), YEAR, plan, heads or {})
    return year_end, year_end.units.set_index(L.UNIT_CODE)


def test_targets_are_pro_rated_from_the_start_month_and_rounded_up():
    # A01 from January keeps 12 / 6 / 100.5 as they are. A02 from October (3 months): 5 × 3/12 =
    # 1.25 → 2, 13 × 3/12 = 3.25 → 4. A03 from July (6 months): 13 × 6/12 = 6.5 → 7, 6 → 3, 30 → 15.
    plan = plan_with({"A01": (12, 6, 100.5, 0), "A02": (5, 13, NAN, 0), "A03": (13, 6, 30, 0)}, (1, 10, 7, 1))
    targets = A.prorated(plan).targets[[L.T_SUBMIT, L.T_ADOPT, L.T_POINTS]]
    assert targets.loc[["A01", "A03"]].values.tolist() == [[12, 6, 100.5], [7, 3, 15]]
    assert targets.loc["A02", [L.T_SUBMIT, L.T_ADOPT]].tolist() == [2, 4]


def test_the_head_is_taken_from_the_latest_accepted_form_whatever_comes_first():
    def form(head: str, fate: str = ACCEPTED) -> FileRecord:
        return FileRecord("a.xlsx", "ab" * 32, 1, 0.0, fate=fate, unit_code="A01", header={L.H_HEAD: head})

    # A rejected form first, then March, May and April: May's head is the latest.
    files = [("2025-03", form("冒名", REJECTED)), ("2025-03", form("老局长")), ("2025-05", form("新局长"))]
    files.append(("2025-04", form("中局长")))
    assert A.latest_heads(files) == {"A01": "新局长"}


def test_the_notes_give_the_start_month_and_only_the_reasons_of_the_condition():
    # A01 (数量和得分, targets 1 / 1 / 17): 甲 省级 20 co-written by A01, A02 and A03 (6.67 each)
    #   + 乙 市级 10 = 16.67 points, short of 17 (16.67 is not rounded up to pass or to hide it).
    # A02 (targets 2 / 1 / 5): 丁 县级 5 + its 6.67 of 甲: sent 2, points 11.67 ≥ 5; adopted 2.
    #   Passes. A03 (from February: 12 × 11/12 = 11 sent, 6 × 11/12 = 5.5 → 6 adopted): only its
    #   share of 甲 (sent 1, adopted 1): fails on both counts; its points target is unset.
    plan = plan_with(
        {"A01": (1, 1, 17, 0), "A02": (2, 1, 5, 0), "A03": (12, 6, NAN, 0)},
        (1, 1, 2, 1),
        pass_condition=PassCondition.BOTH,
    )
    records = [
        row("A01", "甲", "2025-03", level="省级", co_units="A02、A03"),
        row("A01", "乙", "2025-03", level="市级"),
        row("A02", "丁", "2025-03", level="县级"),
    ]
    _, units = units_of(records, plan, heads={"A01": "甲局长", "A02": "乙股长"})
    assert units.loc["A01", OL.YEAR_NOTE] == "得分16.67分，未达年度得分任务17分"
    assert units.loc["A02", OL.RESULT] == OL.PASSED
    assert units.loc["A03", OL.YEAR_NOTE] == (
        "2月起参加考核，年度任务按11个月折算；报送数1篇，未达年度报送任务11篇；采用数1篇，未达年度采用任务6篇；"
        + A.NO_HEAD_NOTE
    )
    # Points exactly on target are not a reason: A01 (targets 2 / 1 / 5) with 丁 县级 5 alone
    # fails on 报送 only, under 数量和得分; under 数量 its points (5 of 50) are no reason either.
    for condition, points in ((PassCondition.BOTH, 5), (PassCondition.COUNTS, 50)):
        plan = plan_with({"A01": (2, 1, points, 0)}, pass_condition=condition)
        _, units = units_of([row("A01", "丁", "2025-03", level="县级")], plan)
        assert units.loc["A01", OL.YEAR_NOTE] == "报送数1篇，未达年度报送任务2篇；" + A.NO_HEAD_NOTE, condition


def test_unset_targets_are_met_by_nothing():
    # A02 has no targets at all and sends nothing: it passes under each condition.
    for condition in PassCondition:
        plan = plan_with({"A02": (NAN, NAN, NAN, 0)}, pass_condition=condition)
        _, units = units_of([row("A01", "甲", "2025-03", level="县级")], plan)
        assert units.loc["A02", OL.RESULT] == OL.PASSED, condition


def test_the_units_table_shows_zeros_and_blanks_where_there_is_nothing():
    # A01 甲 县级 with a 县级 批示 (+10), co-written with A02 under 第一单位: A01 has the bonus, A02
    # none; A03 has no piece: zero at every level. No head given for A02; N01 is listed apart.
    plan = plan_with({}, co_written=CoWritten.FIRST_UNIT)
    records = [row("A01", "甲", "2025-03", level="县级", instruction="县级", co_units="A02")]
    year_end, units = units_of(records, plan, heads={"A01": "甲局长"})
    assert units[OL.YEAR_BONUS].to_dict() == {"A01": 10.0, "A02": 0.0, "A03": 0.0}
    levels = [A.level_label(level) for level in A.LEVELS_SHOWN]
    assert units.loc["A03", levels].tolist() == [0, 0, 0, 0]
    assert all(units[c].dtype.kind == "i" for c in levels)
    assert units.loc["A02", OL.UNIT_HEAD] == ""
    apart = year_end.apart.iloc[0]
    assert (apart[L.UNIT_CODE], apart[OL.RESULT], apart[OL.ELIGIBILITY], apart[OL.TOP_UNIT]) == ("N01", "", "", "")


def test_figures_are_written_as_offices_write_them():
    # whole numbers without decimals, others to 0.01 without trailing zeros
    assert [A.number(v) for v in (16.0, 16.5, 50 / 3, 16.996, 0.1)] == ["16", "16.5", "16.67", "17", "0.1"]
