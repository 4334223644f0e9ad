"""The scheme sheets of the plan: read when present, every mistake refused with its sheet, row
and column, and today's plans untouched."""

from __future__ import annotations

import copy
import shutil

import pytest
from openpyxl import load_workbook

from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.errors import PlanInvalid
from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from pipeline.plan.plan import load_plan
from tests.scheme_helpers import SCHEMES


def test_todays_plan_has_no_scheme_and_the_default_names(tmp_path):
    demo_files.write_plan(tmp_path / "plan-2025.xlsx")
    plan = load_plan(tmp_path, 2025)
    assert plan.scheme is None
    assert plan.vocabulary.levels == ("县级", "市级", "省级", "国家级")


def _edited(tmp_path, file, sheet, cells):
    """The shipped workbook with `cells` ((row, column) -> value) of `sheet` overwritten."""
    target = tmp_path / "plan-2025.xlsx"
    shutil.copy(SCHEMES / file, target)
    workbook = load_workbook(target)
    for (r, c), value in cells.items():
        workbook[sheet].cell(row=r, column=c).value = value  # cell(value=None) would leave it
    workbook.save(target)
    return target


def _refused(tmp_path, file, sheet, cells) -> str:
    _edited(tmp_path, file, sheet, cells)
    with pytest.raises(PlanInvalid) as info:
        load_plan(tmp_path, 2025)
    return info.value.message


# The workbooks have a title row, then the header on row 2: data starts on row 3.
@pytest.mark.parametrize(
    ("file", "sheet", "cells", "expected"),
    [
        (
            "方案1-衢州市政务信息.xlsx",
            S.S_OUTLETS,
            {(3, 3): "地市级"},
            "工作表“采用载体”第 3 行“采用级别”列：“采用级别”的值“地市级”不在允许范围内，应为：市级、省级、国家级。",
        ),
        (
            "方案1-衢州市政务信息.xlsx",
            S.S_OUTLETS,
            {(4, 6): "两分"},
            "工作表“采用载体”第 4 行“分值”列：“分值”的值“两分”不是数字。",
        ),
        (
            "方案1-衢州市政务信息.xlsx",
            S.S_OUTLETS,
            {(5, 2): "衢州政务信息版"},
            "工作表“采用载体”第 5 行“别名”列：名称“衢州政务信息版”也是第 3 行另一载体的名称或别名。",
        ),
        (
            "方案2-股室信息目标考核.xlsx",
            S.S_MODIFIERS,
            {(3, 2): "翻倍"},
            "工作表“计分加成”第 3 行“方式”列：“方式”的值“翻倍”不在允许范围内，应为：乘、加。",
        ),
        (
            "方案2-股室信息目标考核.xlsx",
            S.S_LUMPS,
            {(3, 2): 15.5},
            "工作表“达量加分”第 3 行“达到数”列：“达到数”的值“15.5”应为整数。",
        ),
        (
            "方案6-广元市政务信息.xlsx",
            S.S_COMMISSIONS,
            {(3, 4): "三月底"},
            "工作表“约稿任务”第 3 行“截止日期”列：“截止日期”的值“三月底”不是日期。",
        ),
        (
            "方案6-广元市政务信息.xlsx",
            S.S_COMMISSIONS,
            {(3, 5): "GY99"},
            "工作表“约稿任务”第 3 行“承担单位”列：单位代码“GY99”不在“单位名册”中。",
        ),
        (
            "方案6-广元市政务信息.xlsx",
            S.S_EVENTS,
            {(3, 1): "GY01", (3, 2): "2025-05-06", (3, 3): "迟报"},
            "工作表“事件登记”第 3 行“事件名称”列：“事件名称”的值“迟报”在工作表“事件类型”中没有登记。",
        ),
        (
            "方案6-广元市政务信息.xlsx",
            S.S_COMMISSIONS,
            {(3, 4): "2024-03-20"},
            "工作表“约稿任务”第 3 行“截止日期”列：“截止日期”的值“2024-03-20”不在允许范围内，应为：2025 年内的日期。",
        ),
        (
            "方案6-广元市政务信息.xlsx",
            S.S_EVENTS,
            {(3, 1): "GY01", (3, 2): "2026-01-06", (3, 3): "批示要求反馈的信息不报或迟报"},
            "工作表“事件登记”第 3 行“日期”列：“日期”的值“2026-01-06”不在允许范围内，应为：2025 年内的日期。",
        ),
        (
            "方案3-县住建局新闻信息宣传.xlsx",
            S.S_TASK_RESULTS,
            {(3, 1): "县住建局网站", (3, 2): "ZJ02"},
            "工作表“任务完成”第 3 行“单位代码”列：“单位代码”的值“ZJ02”不在允许范围内，应为：任务“县住建局网站”适用的单位",
        ),
        (
            "方案3-县住建局新闻信息宣传.xlsx",
            S.S_TASK_RESULTS,
            {(3, 1): "每周报送", (3, 2): "ZJ02", (3, 3): "是"},
            "工作表“任务完成”第 3 行“任务名称”列：“任务名称”的值“每周报送”在工作表“任务项目”中没有登记。",
        ),
        (
            "方案5-市畜牧局信息工作.xlsx",
            "批示加分",
            {(3, 3): "翻倍"},
            "工作表“批示加分”第 3 行“方式”列：“方式”的值“翻倍”不在允许范围内，应为：加分、倍数。",
        ),
        (
            "方案4-开发区信息通讯员.xlsx",
            "考核规则",
            {(14, 2): 13},
            "工作表“考核规则”第 14 行“值”列：参数“合格月数”的值“13”无效，应为：0 到 12 的整数（0 表示不按月判定合格）。",
        ),
        (
            "方案4-开发区信息通讯员.xlsx",
            S.S_VOCABULARY,
            {(5, 3): None},
            "工作表“类别级别”第 5 行“级次”列：“级次”为空。",
        ),
    ],
)
def test_a_mistake_in_a_scheme_sheet_is_refused_naming_sheet_row_and_column(tmp_path, file, sheet, cells, expected):
    assert expected in _refused(tmp_path, file, sheet, cells)


def test_a_category_the_plan_does_not_name_is_refused_in_the_points(tmp_path):
    message = _refused(tmp_path, "方案5-市畜牧局信息工作.xlsx", "计分标准", {(3, 1): "政务信息"})
    assert "工作表“计分标准”第 3 行“稿件类别”列" in message
    assert "应为：信息类、调研类" in message


def test_every_problem_a_scheme_can_raise_is_catalogued():
    codes = {
        "plan-not-date",
        "plan-unknown-name",
        "plan-outlet-ambiguous",
        "plan-scheme-conflict",
        "row-outlet-unknown",
        "row-outlet-guessed",
        "row-outlet-ambiguous",
        "row-outlet-no-row",
        "row-modifier-not-applicable",
        "row-unknown-modifier",
        "row-unknown-commission",
        "row-unscored",
        "row-external-missing",
    }
    assert codes <= set(P.CATALOGUE)
    with pytest.raises(KeyError):
        P.make("row-not-a-code")


def test_todays_plan_with_an_extra_bonus_mode_column_becomes_a_scheme(tmp_path):
    sheets = copy.deepcopy(demo_plan.plan_sheets())
    sheets["批示加分"] = [
        [*row, mode] for row, mode in zip(sheets["批示加分"], ["方式", "加分", "加分", "加分", "倍数"], strict=True)
    ]
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", sheets)
    plan = load_plan(tmp_path, 2025)
    assert plan.scheme is not None
    assert plan.scheme.instructions["国家级"].doubling


def test_the_months_run_reads_a_scheme_plan_with_its_scheme_instead_of_refusing_it(tmp_path):
    shutil.copy(SCHEMES / "方案6-广元市政务信息.xlsx", tmp_path / "plan-2025.xlsx")
    plan = load_plan(tmp_path, 2025)
    assert plan.scheme is not None
    assert plan.scheme.form_columns() == ("采用形式", "约稿编号")
