"""The year circular's sentences for years the demo county never has: every unit passes, none
does, a points-only 达标条件, a unit that joined mid-year. scoring_helpers' county: A01 办公室,
A02 规划股, A03 城关所 assessed, N01 人事股 not; 县级 adoption 5 points; every month returned."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.core import labels as L
from pipeline.documents import year_circular
from pipeline.plan.rules import PassCondition
from pipeline.scoring import assessment as A
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]
JANUARY_8 = dt.date(2026, 1, 8)
ONE_EACH = [
    row("A01", "甲", "2025-03", level="县级"),
    row("A02", "乙", "2025-03", level="县级"),
    row("A03", "丙", "2025-03", level="县级"),
]


def words(plan, records=ONE_EACH):
    year_end = A.assess_year(rows_frame(records), all_returned(YEAR), YEAR, plan, {})
    return year_circular.circular_context(year_end, JANUARY_8)


def section(context, heading):
    return next(s for s in context["sections"] if s["heading"] == heading)


def test_a_year_in_which_every_unit_passes_says_no_one_loses_eligibility():
    # Targets 1 sent / 1 adopted; each unit sent and had adopted 1 piece: 3 of 3 达标.
    plan = make_plan(targets={code: (1, 1, float("nan"), 0) for code in ("A01", "A02", "A03")})
    said = words(plan)
    assert section(said, "二、考核结果")["paragraphs"][0].startswith(
        "全局3个参加考核单位中，3个单位报送数和采用数均达到年度任务，考核达标；0个单位考核不达标。"
    )
    assert section(said, "四、取消评优资格")["paragraphs"] == [
        "全局参加考核单位均完成年度任务，没有单位被取消评优资格。"
    ]


def test_a_year_in_which_no_unit_passes_commends_no_one_and_says_so():
    # Default targets 12 sent / 6 adopted: 1 piece each leaves all three 不达标.
    said = words(make_plan())
    assert section(said, "三、表扬")["subsections"] == [
        {"heading": "（一）先进单位", "paragraphs": ["本年度没有达标单位，不评先进单位和先进个人。"]}
    ]
    assert len(section(said, "四、取消评优资格")["paragraphs"]) == 3


def test_a_points_only_pass_condition_is_named_as_such_in_the_results():
    # 达标条件 得分, 年度得分任务 5: each unit's 5 points reach it, whatever its counts (targets 12/6).
    plan = make_plan(targets={code: (12, 6, 5.0, 0) for code in ("A01", "A02", "A03")})
    plan = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, pass_condition=PassCondition.POINTS))
    assert section(words(plan), "二、考核结果")["paragraphs"][0].startswith(
        "全局3个参加考核单位中，3个单位得分达到年度得分任务，考核达标；0个单位考核不达标。"
    )


def test_the_annex_note_explains_prorated_targets_only_when_a_unit_joined_mid_year():
    plan = make_plan()
    prorated = "年中起参加考核的单位，任务按参加考核的月数折算。"
    assert prorated not in words(plan)["annex_note"]
    joined = plan.units.assign(**{L.P_START_MONTH: [1 if code != "A03" else 7 for code in plan.units.index]})
    assert prorated in words(dataclasses.replace(plan, units=joined))["annex_note"]
