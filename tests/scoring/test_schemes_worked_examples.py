"""Each shipped scheme workbook, read by the real plan reader and counted by the scheme engine,
reproduces the worked example of its published 办法 (figures computed by hand)."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.plan.rules import MultiLevel
from pipeline.scoring import scheme_points as SP
from pipeline.scoring import scheme_units as SU
from tests.scheme_helpers import row, rows, scheme_plan


def unit(result: SP.SchemeYear, code: str) -> dict:
    return result.units.loc[code].to_dict()


# --- Scheme 1: 衢州 -------------------------------------------------------------------------------


def quzhou_rows(route: str = "转报", higher: str = "省政府办公厅", score: str = "5"):
    return rows(
        row("QZ01", "稿件a", "政务信息", outlet="《衢州政务》信息版", adopted="2025-02-10"),
        row("QZ01", "稿件b", "政务信息", outlet="衢州政务专报信息", adopted="2025-03-10", instruction="市委市政府领导"),
        row("QZ01", "稿件c", "政务信息", outlet="《衢州政务》增刊", adopted="2025-04-10", co_units="QZ02"),
        row("QZ02", "稿件c", "政务信息", outlet="《衢州政务》增刊", adopted="2025-04-10", co_units="QZ01"),
        row("QZ01", "送阅件d", "政务信息", outlet="送阅件", adopted="2025-05-10"),
        row("QZ01", "约稿e", "政务信息", outlet=higher, adopted="2025-06-10", use_form=route, external=score),
    )


def test_quzhou_worked_example_is_22_plus_twice_the_provincial_score(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")
    result = SP.score_year(quzhou_rows(), plan, "2025-12")
    assert unit(result, "QZ01")[SU.U_PIECES] == pytest.approx(32)  # 22 + 2 × 5
    assert unit(result, "QZ02")[SU.U_PIECES] == pytest.approx(5)  # the other half of the 合报 增刊
    assert result.problems == []


def test_quzhou_forwarding_to_the_state_council_is_five_times_its_score(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")
    result = SP.score_year(quzhou_rows(higher="国务院办公厅", score="4"), plan, "2025-12")
    assert unit(result, "QZ01")[SU.U_PIECES] == pytest.approx(22 + 5 * 4)


def test_quzhou_receipt_says_why_a_row_scored(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")
    result = SP.score_year(quzhou_rows(), plan, "2025-12")
    assert result.row_notes[("2025-03", 2)] == "本稿合计 13 分：《衢州政务》专报信息：3 分；市委市政府领导批示 +10"
    assert result.row_notes[("2025-06", 6)] == "本稿合计 10 分：省政府办公厅（转报）：上级计分 5 ×2 = 10"


def test_quzhou_forwarded_piece_without_the_higher_score_is_flagged_and_scores_nothing(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")
    result = SP.score_year(quzhou_rows(score=""), plan, "2025-12")
    assert [p.code for p in result.problems] == ["row-external-missing"]
    assert unit(result, "QZ01")[SU.U_PIECES] == pytest.approx(22)


# --- Scheme 2: county department --------------------------------------------------------------------


def department_rows():
    adopted = [
        row("GS01", "稿件A", "信息", outlet="《县重要信息》", use_form="单条", adopted="2025-03-05"),
        row("GS01", "稿件A", "信息", outlet="市委办", adopted="2025-03-20", instruction="县级领导"),
        row("GS01", "稿件B", "信息", outlet="县重要信息", use_form="综合", adopted="2025-04-05"),
        row("GS01", "稿件C", "信息约稿", outlet="《县政务信息》", adopted="2025-05-05"),
        row("GS01", "稿件D", "信息", outlet="省委省政府办公厅", adopted="2025-06-05"),
        row("GS01", "稿件D", "信息", outlet="国办", adopted="2025-07-05", instruction="省级领导"),
        row("GS01", "稿件E", "信息", outlet="市委办", adopted="2025-08-05", modifiers="调研参考或理论文章"),
    ]
    others = [row("GS01", f"未采用稿件{i}", "信息", sent=f"2025-{i % 12 + 1:02d}-03") for i in range(11)]
    return rows(*adopted, *others)


def test_county_department_worked_example_is_198(tmp_path):
    plan = scheme_plan(tmp_path, "方案2-股室信息目标考核.xlsx")
    result = SP.score_year(department_rows(), plan, "2025-12")
    figures = unit(result, "GS01")
    assert figures[SU.U_LUMPS] == 50  # 16 submitted ≥ 15
    assert figures[SU.U_PIECES] == pytest.approx(25 + 3 + 10 + 90 + 20)
    assert figures[SU.U_RAW] == pytest.approx(198)
    assert "报送数 16 达到 15，加 50 分" in figures[SU.U_NOTES]


def test_county_department_fifteen_items_is_all_or_nothing(tmp_path):
    plan = scheme_plan(tmp_path, "方案2-股室信息目标考核.xlsx")
    fourteen = department_rows().iloc[:-2]
    result = SP.score_year(fourteen, plan, "2025-12")
    assert unit(result, "GS01")[SU.U_LUMPS] == 0
    assert unit(result, "GS01")[SU.U_RAW] == pytest.approx(148)


def test_combined_use_gives_each_unit_its_three_points(tmp_path):
    plan = scheme_plan(tmp_path, "方案2-股室信息目标考核.xlsx")
    combined = rows(
        row("GS01", "合稿", "信息", outlet="县重要信息", use_form="综合", adopted="2025-04-05", co_units="GS02"),
        row("GS02", "合稿", "信息", outlet="县重要信息", use_form="综合", adopted="2025-04-05", co_units="GS01"),
    )
    result = SP.score_year(combined, plan, "2025-12")
    assert unit(result, "GS01")[SU.U_PIECES] == 3
    assert unit(result, "GS02")[SU.U_PIECES] == 3


# --- Scheme 3: housing bureau -------------------------------------------------------------------


def housing_rows():
    return rows(
        row("ZJ02", "新闻1", "新闻", outlet="大众日报", adopted="2025-03-05", modifiers="头版头条"),
        row("ZJ02", "新闻2", "新闻", outlet="《市日报》", adopted="2025-04-05"),
        row("ZJ02", "信息3", "信息", outlet="《市政务信息》", adopted="2025-05-05", instruction="上级领导"),
        row(
            "ZJ02",
            "调研4",
            "理论调研文章",
            outlet="《城乡规划研究》",
            level="市级",
            adopted="2025-06-05",
            modifiers="学术刊物",
        ),
        row("ZJ02", "电视5", "电视", outlet="县电视台", level="县级", adopted="2025-07-05"),
        row("ZJ02", "约稿6", "信息", sent="2025-08-05"),
    )


def with_weekly_task(plan, done: bool):
    scheme = dataclasses.replace(plan.scheme, task_results={("各股室每周报送信息", "ZJ02"): done})
    return dataclasses.replace(plan, scheme=scheme)


def test_housing_bureau_worked_example_is_66_and_a_half(tmp_path):
    plan = with_weekly_task(scheme_plan(tmp_path, "方案3-县住建局新闻信息宣传.xlsx"), done=True)
    result = SP.score_year(housing_rows(), plan, "2025-12")
    figures = unit(result, "ZJ02")
    assert figures[SU.U_PIECES] == pytest.approx(20 + 7 + 9 + 3.5 + 7)
    assert figures[SU.U_TASKS] == 20
    assert figures[SU.U_RAW] == pytest.approx(66.5)


def test_housing_bureau_failed_weekly_task_gives_46_and_a_half_under_reading_a(tmp_path):
    plan = with_weekly_task(scheme_plan(tmp_path, "方案3-县住建局新闻信息宣传.xlsx"), done=False)
    result = SP.score_year(housing_rows(), plan, "2025-12")
    assert unit(result, "ZJ02")[SU.U_RAW] == pytest.approx(46.5)
    assert "任务“各股室每周报送信息”未完成，+0 分" in unit(result, "ZJ02")[SU.U_NOTES]


def test_housing_bureau_task_without_a_result_is_named_not_guessed(tmp_path):
    plan = scheme_plan(tmp_path, "方案3-县住建局新闻信息宣传.xlsx")
    plan = dataclasses.replace(plan, scheme=dataclasses.replace(plan.scheme, task_results={}))
    result = SP.score_year(housing_rows(), plan, "2025-12")
    assert unit(result, "ZJ02")[SU.U_TASKS] == 0
    assert "任务“各股室每周报送信息”未登记完成情况，暂不计分" in unit(result, "ZJ02")[SU.U_NOTES]


def test_housing_bureau_scores_staff_too(tmp_path):
    plan = with_weekly_task(scheme_plan(tmp_path, "方案3-县住建局新闻信息宣传.xlsx"), done=True)
    result = SP.score_year(housing_rows(), plan, "2025-12")
    assert result.persons.set_index("姓名").at["张三", "得分"] == pytest.approx(46.5)


# --- Scheme 4: development zone --------------------------------------------------------------------


def zone_rows():
    adopted = [
        row("CJ01", "信息A", "信息", level="本市级", outlet="市报", adopted="2025-01-20", sent="2025-01-03"),
        row("CJ01", "信息A", "信息", level="镇江市级", outlet="镇江日报", adopted="2025-02-20", sent="2025-01-03"),
        row("CJ01", "信息B", "信息", level="本市级", outlet="市报", adopted="2025-02-21", sent="2025-02-03"),
        row("CJ01", "信息C", "信息", level="省级以上", outlet="新华日报", adopted="2025-03-21", sent="2025-03-03"),
        row("CJ01", "文章D", "文章", level="本市级", outlet="市报", adopted="2025-04-21", sent="2025-04-03"),
        row("CJ01", "文章E", "文章", level="镇江市级", outlet="镇江日报", adopted="2025-05-21", sent="2025-05-03"),
        row("CJ01", "文章E", "文章", level="省级以上", outlet="新华日报", adopted="2025-06-21", sent="2025-05-03"),
    ]
    first = {"01": "信息A", "02": "信息B", "03": "信息C", "04": "文章D", "05": "文章E"}
    others = []
    for m in range(1, 13):
        month = f"2025-{m:02d}"
        wanted = 1 if m == 8 else 2
        have = 1 if f"{m:02d}" in first else 0
        others += [row("CJ01", f"{month}报送{i}", "信息", sent=f"{month}-10") for i in range(wanted - have)]
    others.append(row("CJ02", "邻村信息", "信息", level="省级以上", outlet="新华日报", adopted="2025-03-21"))
    return rows(*adopted, *others)


def test_development_zone_worked_example_is_21_highest_only(tmp_path):
    plan = scheme_plan(tmp_path, "方案4-开发区信息通讯员.xlsx")
    result = SP.score_year(zone_rows(), plan, "2025-12")
    assert unit(result, "CJ01")[SU.U_PIECES] == pytest.approx(3 + 1 + 5 + 2 + 10)


def test_development_zone_august_short_of_two_fails_the_year(tmp_path):
    plan = scheme_plan(tmp_path, "方案4-开发区信息通讯员.xlsx")
    figures = unit(SP.score_year(zone_rows(), plan, "2025-12"), "CJ01")
    assert figures[SU.U_MONTHS_PASSED] == 11
    assert figures[SU.U_ELIGIBLE] == "否"
    assert "月份 11 个，不足 12 个，考核不合格" in figures[SU.U_NOTES]


def test_development_zone_converts_to_ten_points_of_the_top_unit(tmp_path):
    plan = scheme_plan(tmp_path, "方案4-开发区信息通讯员.xlsx")
    result = SP.score_year(zone_rows(), plan, "2025-12")
    assert unit(result, "CJ01")[SU.U_CONVERTED] == 10
    assert unit(result, "CJ02")[SU.U_CONVERTED] == pytest.approx(round(5 / 21 * 10, 2))


# --- Scheme 5: livestock bureau -------------------------------------------------------------------


def livestock_rows():
    return rows(
        row("XM02", "P1", "信息类", outlet="《畜牧》", adopted="2025-03-05"),
        row("XM02", "P2", "信息类", outlet="畜牧网", adopted="2025-03-06"),
        row("XM02", "P2", "信息类", outlet="市委办公室", level="市级", adopted="2025-04-06"),
        row("XM02", "P3", "调研类", outlet="《畜牧》", adopted="2025-05-06", instruction="领导批示"),
        row("XM02", "P4", "信息类", outlet="《畜牧网》", adopted="2025-06-06", modifiers="转发"),
        row(
            "XM02",
            "P5",
            "信息类",
            outlet="市日报",
            level="市级",
            adopted="2025-07-06",
            modifiers="800字以上按调研类",
            authors="王五、赵六、刘七",
        ),
    )


def test_livestock_bureau_worked_example_is_33(tmp_path):
    plan = scheme_plan(tmp_path, "方案5-市畜牧局信息工作.xlsx")
    result = SP.score_year(livestock_rows(), plan, "2025-12")
    assert unit(result, "XM02")[SU.U_PIECES] == pytest.approx(2 + 6 + 12 + 1 + 12)


def test_livestock_bureau_splits_three_to_two_between_the_first_two_authors(tmp_path):
    plan = scheme_plan(tmp_path, "方案5-市畜牧局信息工作.xlsx")
    persons = SP.score_year(livestock_rows(), plan, "2025-12").persons.set_index("姓名")["得分"]
    assert persons["王五"] == pytest.approx(7.2)
    assert persons["赵六"] == pytest.approx(4.8)
    assert persons["刘七"] == 0


def test_livestock_bureau_highest_only_reading_would_give_31(tmp_path):
    plan = scheme_plan(tmp_path, "方案5-市畜牧局信息工作.xlsx")
    highest = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, multi_level=MultiLevel.HIGHEST))
    assert unit(SP.score_year(livestock_rows(), highest, "2025-12"), "XM02")[SU.U_PIECES] == pytest.approx(31)


# --- Scheme 6: 广元 -------------------------------------------------------------------------------


def guangyuan_rows():
    return rows(
        row("GY01", "A", "政务信息", outlet="政务晨讯", adopted="2025-02-05"),
        row("GY01", "B", "政务信息", outlet="《政务参阅》", adopted="2025-02-06", instruction="市政府领导"),
        row("GY01", "C", "政务信息", outlet="市政府门户网站", use_form="文字", adopted="2025-02-07"),
        row("GY01", "C", "政务信息", outlet="市政府门户网站", use_form="图片", adopted="2025-02-07"),
        row(
            "GY01", "D", "政务信息", outlet="川政晨讯", use_form="参阅", adopted="2025-04-07", instruction="省政府领导"
        ),
        row(
            "GY01",
            "E",
            "政务信息",
            outlet="《政务晨讯》",
            sent="2025-03-15",
            adopted="2025-03-25",
            commission="YG2025-01",
        ),
        row("GY02", "F", "政务信息", sent="2025-03-10", commission="YG2025-01"),
        row("GY02", "G", "政务信息", sent="2025-06-10", commission="YG2025-02"),
        row("GY03", "H", "政务信息", sent="2025-03-21", commission="YG2025-01"),
    )


def test_guangyuan_worked_example_is_21_and_a_half(tmp_path):
    plan = scheme_plan(tmp_path, "方案6-广元市政务信息.xlsx")
    figures = unit(SP.score_year(guangyuan_rows(), plan, "2025-12"), "GY01")
    assert figures[SU.U_PIECES] == pytest.approx(2 + 10 + 1.5 + 13 + 5)
    assert figures[SU.U_COMMISSIONS] == -10  # YG2025-02 not delivered
    assert figures[SU.U_RAW] == pytest.approx(21.5)
    assert "约稿 YG2025-02（防汛工作专题）未报送，扣 10 分" in figures[SU.U_NOTES]


def test_guangyuan_late_commission_costs_ten(tmp_path):
    plan = scheme_plan(tmp_path, "方案6-广元市政务信息.xlsx")
    result = SP.score_year(guangyuan_rows(), plan, "2025-12")
    assert unit(result, "GY03")[SU.U_COMMISSIONS] == -10 - 10  # 01 late, 02 missing
    assert unit(result, "GY02")[SU.U_COMMISSIONS] == 0


def test_guangyuan_commission_not_yet_due_costs_nothing(tmp_path):
    plan = scheme_plan(tmp_path, "方案6-广元市政务信息.xlsx")
    result = SP.score_year(guangyuan_rows(), plan, "2025-04")
    assert unit(result, "GY01")[SU.U_COMMISSIONS] == 0


def test_quzhou_forwarded_piece_without_its_route_is_flagged_naming_the_routes(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")
    result = SP.score_year(quzhou_rows(route=""), plan, "2025-12")
    assert [p.code for p in result.problems] == ["row-outlet-no-row"]
    assert "任何类别·直报；任何类别·转报" in result.problems[0].message
    assert unit(result, "QZ01")[SU.U_PIECES] == pytest.approx(22)


def test_housing_bureau_front_page_on_a_research_article_is_flagged_not_applied(tmp_path):
    plan = scheme_plan(tmp_path, "方案3-县住建局新闻信息宣传.xlsx")
    article = rows(
        row("ZJ02", "调研7", "理论调研文章", outlet="某刊", level="省级", adopted="2025-06-05", modifiers="头版头条")
    )
    result = SP.score_year(article, plan, "2025-12")
    assert [p.code for p in result.problems] == ["row-modifier-not-applicable"]
    assert unit(result, "ZJ02")[SU.U_PIECES] == 10
