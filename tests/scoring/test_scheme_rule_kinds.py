"""The scheme's rule kinds beyond the six published examples, composed in one plan over the demo
county's roster and points: further instructions, timeliness, caps, a base eaten to zero,
commissions with loss of eligibility, events, lump sums, quarterly quotas, conversion and the
matching of outlets typed freely. Every figure computed by hand in the comments."""

from __future__ import annotations

import copy
import dataclasses

import pandas as pd
import pytest

from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from pipeline.plan import scheme_outlets
from pipeline.plan.plan import load_plan
from pipeline.plan.scheme_model import LumpSum
from pipeline.scoring import scheme_points as SP
from pipeline.scoring import scheme_units as SU
from tests.scheme_helpers import row, rows


@pytest.fixture
def plan(tmp_path):
    sheets = copy.deepcopy(demo_plan.plan_sheets())
    sheets["批示加分"] = [
        ["批示级别", "加分", "方式", "其后加分"],
        ["县级", 10, "加分", 5],
        ["市级", 30, "加分", None],
        ["省级", 40, "加分", None],
        ["国家级", 50, "加分", None],
    ]
    sheets["考核规则"] += [
        ["批示计分", "逐次累计"],
        ["基础分", 20],
        ["扣完为止", "是"],
        ["年度得分上限", 200],
        ["折算满分", 20],
        ["折算基准", 100],
        ["约稿未报取消评优次数", 2],
        ["每季最低报送数", 1],
        ["合格季度数", 4],
        ["合格采用率", 50],
    ]
    sheets["类别级别"] = [
        ["项目", "名称", "级次", "年度上限", "年度最低报送数"],
        ["稿件类别", "政务信息", None, 60, None],
        ["稿件类别", "新闻宣传", None, None, 1],
        ["稿件类别", "调研文章", None, None],
        ["稿件类别", "党建信息", None, None],
    ]
    sheets["采用载体"] = [
        ["载体名称", "别名", "采用级别", "稿件类别", "采用形式", "分值"],
        ["《要情快报》", None, "市级", "政务信息", None, 15],
        ["《国土资源报》", None, "国家级", None, None, None],
        ["《市国土资源信息》", None, "市级", None, None, None],
        ["《市国土资源简报》", None, "市级", None, None, None],
    ]
    sheets["计分加成"] = [["加成名称", "方式", "值"], ["紧急信息", "加", 3], ["迟报", "加", -2]]
    sheets["约稿任务"] = [
        ["约稿编号", "约稿内容", "下达日期", "截止日期", "承担单位", "按时报送加分", "未报扣分"],
        ["YG1", "春耕用地", "2025-03-01", "2025-03-31", "GS01、规划利用股", 2, 5],
        ["YG2", "汛期地灾", "2025-06-01", "2025-06-30", None, 0, 5],
    ]
    sheets["事件类型"] = [["事件名称", "分值", "取消评优资格"], ["不实信息", -5, "是"], ["通报批评", -10, "否"]]
    sheets["事件登记"] = [
        ["单位代码", "日期", "事件名称", "说明"],
        ["GS02", "2025-05-01", "不实信息", "某稿数据有误"],
        ["GS03", "2025-06-01", "通报批评", None],
        ["GS03", "2025-07-01", "通报批评", None],
    ]
    sheets["达量加分"] = [["计数", "达到数", "加分", "未达扣分", "单位类别"], ["采用数", 3, 10, 4, "股室"]]
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", sheets)
    return load_plan(tmp_path, 2025)


def year_rows():
    return rows(
        row(
            "GS01",
            "p1",
            "政务信息",
            outlet="《要情快报》",
            sent="2025-02-01",
            adopted="2025-02-10",
            instruction="县级、县级",
        ),
        row(
            "GS01",
            "p2",
            "政务信息",
            outlet="要情快报第12期",
            sent="2025-03-01",
            adopted="2025-03-10",
            modifiers="紧急信息",
        ),
        row("GS01", "p3", "政务信息", outlet="国土资源报", sent="2025-04-01", adopted="2025-04-10", modifiers="迟报"),
        row(
            "GS01",
            "p4",
            "新闻宣传",
            outlet="县电视台",
            level="县级",
            sent="2025-05-01",
            adopted="2025-05-10",
            modifiers="加急",
        ),
        row("GS01", "p5", "政务信息", sent="2025-03-20", commission="YG1"),
        row("GS01", "p6", "政务信息", sent="2025-08-01"),
        row("GS01", "p7", "政务信息", sent="2025-11-01"),
        row("SO01", "s1", "政务信息", outlet="《市国土资源》", level="市级", adopted="2025-04-10"),
        row("SO01", "s2", "政务信息", sent="2025-04-02", commission="YG1"),
    )


def test_rule_kinds_compose_for_a_unit_that_keeps_its_eligibility(plan):
    result = SP.score_year(year_rows(), plan, "2025-12")
    figures = result.units.loc["GS01"]
    # 政务信息 30 (15 + 县级 10 + further 县级 5) + 18 (15 + 紧急 3) + 48 (50 − 迟报 2) = 96, capped at 60
    assert figures[SU.U_PIECES] == pytest.approx(60 + 2)
    assert figures[SU.U_LUMPS] == 10  # 4 adopted ≥ 3
    assert figures[SU.U_COMMISSIONS] == 2 - 5  # YG1 on time, YG2 missed
    assert figures[SU.U_RAW] == pytest.approx((20 - 3) + 62 + 10)
    assert figures[SU.U_CONVERTED] == pytest.approx(89 / 100 * 20)
    assert figures[SU.U_QUARTERS_PASSED] == 4
    assert figures[SU.U_ELIGIBLE] == "是"
    assert "政务信息得分 96 超过年度上限，按 60 计" in figures[SU.U_NOTES]


def test_the_further_instruction_scores_its_own_amount(plan):
    result = SP.score_year(year_rows(), plan, "2025-12")
    assert result.row_notes[("2025-02", 1)] == "本稿合计 30 分：《要情快报》：15 分；县级批示 +10；县级批示 +5"


def test_an_event_and_two_missed_commissions_each_take_away_eligibility(plan):
    figures = SP.score_year(year_rows(), plan, "2025-12").units.loc["GS02"]
    assert figures[SU.U_EVENTS] == -5
    assert figures[SU.U_COMMISSIONS] == -10
    assert figures[SU.U_LUMPS] == -4
    assert figures[SU.U_RAW] == pytest.approx(20 - 19)
    assert figures[SU.U_ELIGIBLE] == "否"
    assert "5月1日 不实信息（某稿数据有误） -5 分，取消评优资格" in figures[SU.U_NOTES]
    assert "未报约稿 2 次，达到 2 次，取消评优资格" in figures[SU.U_NOTES]


def test_deductions_eat_the_base_down_to_zero_and_no_further(plan):
    figures = SP.score_year(year_rows(), plan, "2025-12").units.loc["GS03"]
    assert figures[SU.U_EVENTS] == -20
    assert figures[SU.U_RAW] == 0  # 20 − (20 + 5 + 4), 扣完为止
    assert "扣分 29 超过基础分 20，扣完为止" in figures[SU.U_NOTES]


def test_a_late_commission_earns_nothing_and_the_lump_applies_only_to_its_category(plan):
    figures = SP.score_year(year_rows(), plan, "2025-12").units.loc["SO01"]
    assert figures[SU.U_LUMPS] == 0  # 达量加分 is for 股室 only
    assert figures[SU.U_COMMISSIONS] == -5  # YG1 is not SO01's; YG2 missed


def test_outlets_typed_freely_are_matched_or_flagged(plan):
    problems = {(p.code, p.value) for p in SP.score_year(year_rows(), plan, "2025-12").problems}
    assert ("row-outlet-guessed", "要情快报第12期") in problems
    assert ("row-outlet-ambiguous", "《市国土资源》") in problems
    assert ("row-unknown-modifier", "加急") in problems
    assert ("row-unknown-commission", "YG1") in problems  # SO01 was not given YG1


def test_quarters_short_of_the_quota_fail_the_year(plan):
    figures = SP.score_year(year_rows(), plan, "2025-12").units.loc["SO01"]
    assert figures[SU.U_QUARTERS_PASSED] == 2  # sent in March and April only
    assert figures[SU.U_ELIGIBLE] == "否"


def test_match_outlet_takes_a_close_spelling_only_when_unambiguous():
    names = {"要情快报": "《要情快报》", "国土资源报": "《国土资源报》", "国土资源简报": "《国土资源简报》"}
    assert scheme_outlets.match_outlet("《要情快报》", names) == ("《要情快报》", "exact", ())
    assert scheme_outlets.match_outlet("国土资源日报", names)[1] == "guessed"
    assert scheme_outlets.match_outlet("国土资源", names)[1] == "ambiguous"
    assert scheme_outlets.match_outlet("人民日报", names) == (None, "unknown", ())
    assert scheme_outlets.match_outlet("城市信息报", {"市信息": "《市信息》"}) == (None, "unknown", ())


def test_a_unit_short_of_a_category_quota_or_of_the_adoption_rate_fails(plan):
    units = SP.score_year(year_rows(), plan, "2025-12").units
    # GS01: 4 adopted of 7 sent (57 %), one 新闻宣传 piece: passes both
    assert units.at["GS01", SU.U_ELIGIBLE] == "是"
    # SO01 sent no 新闻宣传 piece; its one adoption names an ambiguous outlet, so it is not counted
    assert "新闻宣传报送 0 篇，未达年度最低 1 篇" in units.at["SO01", SU.U_NOTES]
    assert "采用率 0.0%（采用 0 / 报送 2）低于 50%" in units.at["SO01", SU.U_NOTES]
    assert "采用率 0.0%（采用 0 / 报送 0）低于 50%" in units.at["GS02", SU.U_NOTES]


def test_a_commission_delivered_by_a_co_written_piece_is_delivered_by_both_units(plan):
    co_written = rows(
        row("GS01", "合写约稿", "政务信息", sent="2025-03-20", commission="YG1", co_units="GS02"),
        row("GS02", "合写约稿", "政务信息", sent="2025-03-25", co_units="GS01"),
    )
    units = SP.score_year(co_written, plan, "2025-04").units
    assert units.at["GS01", SU.U_COMMISSIONS] == 2
    assert units.at["GS02", SU.U_COMMISSIONS] == 2  # on time: the piece was first sent on the 20th


def test_lump_sums_of_one_count_are_tiers_and_only_the_highest_reached_counts(plan):
    tiers = dataclasses.replace(
        plan.scheme,
        lumps=(
            LumpSum("采用数", 2, 5, 1, "", 0),
            LumpSum("采用数", 4, 10, 0, "", 0),
            LumpSum("采用数", 6, 20, 0, "", 0),
        ),
    )
    units = SP.score_year(year_rows(), dataclasses.replace(plan, scheme=tiers), "2025-12").units
    assert units.at["GS01", SU.U_LUMPS] == 10  # 4 adopted: the 4-tier, not 5 + 10
    assert units.at["GS02", SU.U_LUMPS] == -1  # none reached: the lowest tier's 未达扣分


def test_monthly_shortfall_costs_its_points_and_a_missing_form_is_named_not_guessed(plan):
    short = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, shortfall_deduction=1.0))
    figures = SP.score_year(year_rows(), short, "2025-12").units.loc["GS01"]
    # GS01 must send 4 a month; it sent 0,1,2,1,1,0,0,1,0,0,1,0 pieces: 41 short
    assert figures[SU.U_SHORTFALL] == -41
    assert "各月共少报 41 条（每月最低 4 条），扣 41 分" in figures[SU.U_NOTES]
    assert "月度漏报扣分按各月是否收到报送表计算，此处未计" in figures[SU.U_NOTES]  # the demo plan's is 2


def test_rewards_follow_the_counting_adoptions_to_the_fen_and_only_passing_units_are_paid(plan):
    paying = dataclasses.replace(
        plan,
        scheme=dataclasses.replace(plan.scheme, rules=dataclasses.replace(plan.scheme.rules, reward_passing_only=True)),
    )
    more = year_rows()
    extra = rows(row("GS02", "g1", "政务信息", outlet="县政务信息网", level="县级", adopted="2025-05-10"))
    extra["row_id"] = [100]
    result = SP.score_year(pd.concat([more, extra], ignore_index=True), paying, "2025-12")
    # GS01 (passes): 市级 40 + 市级 40 + 国家级 80 (计分标准's 奖励金额) + 新闻宣传 县级 20
    assert result.units.at["GS01", SU.U_REWARD] == 180
    # GS02 lost 评优资格: its 20 is withheld and said
    assert result.units.at["GS02", SU.U_REWARD] == 0
    assert "考核不合格，奖励 20.00 元不发放" in result.units.at["GS02", SU.U_NOTES]


def test_rewards_by_the_highest_level_while_points_accumulate(plan):
    highest = dataclasses.replace(
        plan, scheme=dataclasses.replace(plan.scheme, rules=dataclasses.replace(plan.scheme.rules, reward_highest=True))
    )
    twice = rows(
        row("GS01", "x", "政务信息", outlet="县政务信息网", level="县级", adopted="2025-03-10"),
        row("GS01", "x", "政务信息", outlet="国土资源报", adopted="2025-04-10", authors="张三、李四"),
    )
    accumulated = SP.score_year(twice, plan, "2025-12")
    assert accumulated.units.at["GS01", SU.U_PIECES] == 5 + 50
    assert accumulated.units.at["GS01", SU.U_REWARD] == 20 + 80
    by_highest = SP.score_year(twice, highest, "2025-12")
    assert by_highest.units.at["GS01", SU.U_PIECES] == 5 + 50
    assert by_highest.units.at["GS01", SU.U_REWARD] == 80
    paid = by_highest.persons.set_index("姓名")["奖励金额"]
    assert (paid["张三"], paid["李四"]) == (40, 40)  # 奖励分配 均分 among the latest row's authors
