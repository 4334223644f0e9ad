"""Year-end verdicts that decide who is commended: ties at the 先进单位 and 先进个人 cut-offs,
who may be a 先进个人, and what a person's 稿件数 counts. Values worked out by hand in the
comments (scoring_helpers' defaults: 政务信息 县级 5 / 市级 10 / 省级 20 / 国家级 50 points)."""

from __future__ import annotations

import dataclasses
import math

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.scoring import assessment as A
from pipeline.scoring import scoring as S
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]
# Every assessed unit must send 1 and have 1 adopted to pass; A03 sends nothing below, so it fails.
ONE_EACH = {code: (1, 1, math.nan, 0) for code in ("A01", "A02", "A03")}


def assess(records, **rules):
    plan = make_plan(targets=ONE_EACH)
    plan = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, **rules))
    return A.assess_year(rows_frame(records), all_returned(YEAR), YEAR, plan, {})


def unit(year_end, code):
    return year_end.units.set_index(L.UNIT_CODE).loc[code]


def person(year_end, code, name):
    return year_end.persons.set_index([L.UNIT_CODE, S.PERSON_NAME]).loc[(code, name)]


def test_a_top_units_tie_goes_to_more_adoptions_before_more_provincial_ones():
    # A01: 甲 乙 丙 丁 each 县级 5 = 20 points, 采用数 4, 省级以上 0.
    # A02: 戊 省级 20 = 20 points, 采用数 1, 省级以上 1.
    # Equal 得分, so 采用数 decides (4 > 1) before 省级以上 ever would: A01 is the one 先进单位.
    records = [row("A01", title, "2025-03", level="县级") for title in "甲乙丙丁"]
    records.append(row("A02", "戊", "2025-03", level="省级"))
    year_end = assess(records, top_units=1)
    assert (unit(year_end, "A01")[OL.TOP_UNIT], unit(year_end, "A02")[OL.TOP_UNIT]) == (L.YES, "")
    assert unit(year_end, "A01")[OL.YEAR_NOTE] == "得分20分，与规划股并列，按采用数（4）列为先进单位（名额1个）"
    assert unit(year_end, "A02")[OL.YEAR_NOTE] == "得分20分，与办公室并列，按采用数（1）未列为先进单位（名额1个）"


def test_top_persons_come_from_every_unit_that_keeps_eligibility_not_only_from_top_units():
    # A01 省级 20 (张三) and A02 市级 10 (李四) both pass; A03 sends nothing and fails.
    # One 先进单位 (A01), two 先进个人: 张三 and 李四, though 规划股 is not a 先进单位.
    records = [
        row("A01", "甲", "2025-03", level="省级", authors="张三"),
        row("A02", "乙", "2025-03", level="市级", authors="李四"),
    ]
    year_end = assess(records, top_units=1, top_persons=2)
    assert year_end.top_units[L.UNIT_CODE].tolist() == ["A01"]
    top = year_end.top_persons
    assert list(zip(top[L.UNIT_CODE], top[S.PERSON_NAME], strict=True)) == [("A01", "张三"), ("A02", "李四")]


def test_a_person_with_no_points_is_never_a_top_person_nor_an_outstanding_officer_through_it():
    # A01 passes with 甲 县级 5 by 张三; 王五 of A01 sent 乙, never adopted: 0 points. The quota (5)
    # leaves room for everyone, yet 王五 is not 先进个人, and not 优秀信息员 either (only A01's
    # 信息员, 信息员A01, is: A01 is the only 先进单位, and its 信息员 has 0 points, so not 先进个人).
    records = [
        row("A01", "甲", "2025-03", level="县级", authors="张三"),
        row("A01", "乙", "2025-03", authors="王五"),
    ]
    year_end = assess(records, top_persons=5)
    wang = person(year_end, "A01", "王五")
    assert (wang[OL.YEAR_POINTS], wang[OL.TOP_PERSON], wang[OL.TOP_OFFICER], wang[OL.YEAR_NOTE]) == (0.0, "", "", "")
    assert year_end.top_persons[S.PERSON_NAME].tolist() == ["张三"]
    officer = person(year_end, "A01", "信息员A01")
    assert (officer[OL.TOP_PERSON], officer[OL.TOP_OFFICER]) == ("", L.YES)
    # the 信息员, added without pieces, is owed nothing and carries no note
    assert (officer[L.UNIT_NAME], officer[OL.YEAR_PIECES], officer[OL.YEAR_ADOPTED]) == ("办公室", 0, 0)
    assert (officer[OL.YEAR_REWARD], officer[OL.YEAR_NOTE]) == (0.0, "")
    assert year_end.payout[S.PERSON_NAME].tolist() == ["张三"]


def test_top_persons_are_those_with_the_most_points():
    # 张三 (A01) 省级 20, 李四 (A02) 市级 10, 赵六 (A01) 县级 5; two places: 张三 and 李四.
    records = [
        row("A01", "甲", "2025-03", level="省级", authors="张三"),
        row("A02", "乙", "2025-03", level="市级", authors="李四"),
        row("A01", "丙", "2025-03", level="县级", authors="赵六"),
    ]
    top = assess(records, top_persons=2).top_persons
    assert sorted(top[S.PERSON_NAME]) == sorted(["张三", "李四"])


def test_a_top_persons_tie_settled_by_unit_code_says_so():
    # 王五 (A01) and 李四 (A02): each 市级 10, 采用数 1: equal points and adoptions; one place.
    # The lower 单位代码 (A01) wins, though 李四 comes first by 姓名.
    records = [
        row("A01", "甲", "2025-03", level="市级", authors="王五"),
        row("A02", "乙", "2025-03", level="市级", authors="李四"),
    ]
    year_end = assess(records, top_persons=1)
    wang, li = person(year_end, "A01", "王五"), person(year_end, "A02", "李四")
    assert (wang[OL.TOP_PERSON], li[OL.TOP_PERSON]) == (L.YES, "")
    assert wang[OL.YEAR_NOTE] == "得分10分，与规划股李四并列，按单位代码排序列为先进个人（名额1个）"
    assert li[OL.YEAR_NOTE] == "得分10分，与办公室王五并列，按单位代码排序未列为先进个人（名额1个）"


def test_a_persons_piece_count_is_every_piece_sent_adopted_or_not():
    # 张三 sent 甲 (县级), 乙 and 丙 (never adopted): 稿件数 3, 采用数 1, 5 points.
    records = [
        row("A01", "甲", "2025-03", level="县级", authors="张三"),
        row("A01", "乙", "2025-04", authors="张三"),
        row("A01", "丙", "2025-05", authors="张三"),
    ]
    zhang = person(assess(records), "A01", "张三")
    assert (zhang[OL.YEAR_PIECES], zhang[OL.YEAR_ADOPTED], zhang[OL.YEAR_POINTS]) == (3, 1, 5.0)
