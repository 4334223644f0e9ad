"""What circulars carry beside their figures (documents.official): 主送, 抄送, 附注 (联系人),
the 办法's name and the deciding body, each from the plan's 考核规则 or a default."""

from __future__ import annotations

import dataclasses

import pandas as pd

from pipeline.core import labels as L
from pipeline.documents import official
from pipeline.plan.rules import optional_texts
from tests.scoring_helpers import make_plan

PLAN = make_plan()


def _with(**texts) -> object:
    return dataclasses.replace(PLAN, rules=dataclasses.replace(PLAN.rules, **texts))


def test_the_defaults_name_the_roster_categories_the_bureau_leaders_and_the_office_contact():
    assert official.recipients(PLAN) == "各股室、所："
    assert official.cc(PLAN) == "局领导班子成员"
    assert official.method(PLAN) == "《2025年度信息宣传工作考核办法》"
    assert official.decision(PLAN) == "经局党组研究决定"
    assert official.contact(PLAN) == "（联系人：信息员A01，联系电话：0539-0000000）"


def test_the_plan_s_texts_replace_the_defaults_with_punctuation_made_consistent():
    plan = _with(
        recipients="局属各单位",
        cc="县自然资源和规划局。",
        method="《示范县国土资源局信息宣传工作考核办法（试行）》",
        decision="经局长办公会议研究决定，",
        contact="李娜",
        contact_phone="0539-3221000",
    )
    assert official.recipients(plan) == "局属各单位："
    assert official.cc(plan) == "县自然资源和规划局"
    assert official.method(plan) == "《示范县国土资源局信息宣传工作考核办法（试行）》"
    assert official.decision(plan) == "经局长办公会议研究决定"
    assert official.contact(plan) == "（联系人：李娜，联系电话：0539-3221000）"


def test_none_written_in_the_plan_leaves_the_line_out():
    values = {L.R_CC: "无", L.R_CONTACT: " 无 ", L.R_DECISION: float("nan")}
    texts = optional_texts(values)
    assert (texts["cc"], texts["contact"], texts["decision"], texts["method"]) == ("", "", None, None)
    plan = _with(**texts)
    assert (official.cc(plan), official.contact(plan), official.decision(plan)) == ("", "", "经局党组研究决定")


def test_a_contact_without_a_phone_and_a_roster_without_an_office_name_nobody_by_default():
    assert official.contact(_with(contact="李娜")) == "（联系人：李娜）"
    units = PLAN.units.assign(
        **{L.P_UNIT_NAME: pd.Series(["综合股", "规划股", "城关所", "人事股"], index=PLAN.units.index)}
    )
    assert official.contact(dataclasses.replace(PLAN, units=units)) == ""
