"""Plan workbook: loading, every kind of fault, target resolution."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core.errors import PlanInvalid, PlanMissing, PlanUnreadable
from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from pipeline.plan.plan import load_plan
from pipeline.plan.rules import CoWritten, MultiLevel, PassCondition, RewardSplit


def _write(tmp_path: Path, sheets: dict) -> Path:
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", sheets)
    return tmp_path


def _refused(tmp_path: Path, sheets: dict) -> str:
    with pytest.raises(PlanInvalid) as info:
        load_plan(_write(tmp_path, sheets), 2025)
    return info.value.message


@pytest.fixture
def sheets() -> dict:
    return copy.deepcopy(demo_plan.plan_sheets())


def test_demo_plan_loads_with_typed_rules(plan):
    assert plan.year == 2025
    assert len(plan.units) == 20
    assert plan.rules.multi_level is MultiLevel.CUMULATIVE
    assert plan.rules.co_written is CoWritten.SPLIT
    assert plan.rules.reward_split is RewardSplit.SPLIT
    assert plan.rules.pass_condition is PassCondition.COUNTS
    assert plan.rules.missing_return_deduction == 2.0
    assert plan.rules.deadline_day == 5
    assert plan.points_of("调研文章", "省级") == 40.0
    assert plan.reward_of("新闻宣传", "国家级") == 80.0
    assert plan.bonus_of("市级") == 30.0
    assert plan.bonus_of(L.NO_INSTRUCTION) == 0.0


def test_targets_resolve_by_category_with_unit_override(plan):
    assert plan.targets.loc["GS02", [L.T_SUBMIT, L.T_ADOPT, L.T_MONTHLY_MIN]].tolist() == [30, 15, 2]
    assert plan.targets.loc["GS01", [L.T_SUBMIT, L.T_ADOPT, L.T_MONTHLY_MIN]].tolist() == [60, 36, 4]
    assert plan.targets.loc["SO03", L.T_SUBMIT] == 24
    assert plan.targets.loc["DD01", L.T_ADOPT] == 18
    assert pd.isna(plan.targets.loc["ZX01", L.T_POINTS])


def test_non_assessed_units_need_no_target(plan):
    assert "GS08" not in plan.targets.index
    assert "GS08" not in plan.assessed
    assert len(plan.assessed) == 19


def test_blank_optional_fields_of_an_override_fall_back_to_the_category(tmp_path, sheets):
    sheets[L.S_TARGETS][1][4] = 150  # 股室 points target
    sheets[L.S_TARGETS].append([None, "GS03", 40, None, None, None])
    sheets[L.S_TARGETS][-1][3] = 20
    plan = load_plan(_write(tmp_path, sheets), 2025)
    assert plan.targets.loc["GS03", [L.T_SUBMIT, L.T_ADOPT, L.T_POINTS, L.T_MONTHLY_MIN]].tolist() == [40, 20, 150, 2]


def test_resolve_unit_by_code_or_exact_name(plan):
    assert plan.resolve_unit("SO01") == "SO01"
    assert plan.resolve_unit("城关国土资源所") == "SO01"
    assert plan.resolve_unit("城关所") is None


def test_missing_plan_names_the_year_and_path(tmp_path):
    with pytest.raises(PlanMissing) as info:
        load_plan(tmp_path, 2031)
    assert info.value.message == (
        f"找不到 2031 年的考核计划表 {tmp_path / 'plan-2031.xlsx'}。请把计划表放到该位置，或用 --inputs 指定输入目录。"
    )
    assert info.value.exit_code == 3


def test_unreadable_plan(tmp_path):
    (tmp_path / "plan-2025.xlsx").write_bytes(b"this is not a workbook")
    with pytest.raises(PlanUnreadable):
        load_plan(tmp_path, 2025)


def test_every_fault_is_listed_at_once_with_sheet_row_and_column(tmp_path, sheets):
    sheets[L.S_ROSTER][3][0] = "GS01"  # duplicate code, Excel row 5
    sheets[L.S_ROSTER][4][2] = "科室"  # unknown unit category, Excel row 6
    sheets[L.S_POINTS][2][2] = -5  # negative points, Excel row 4
    sheets[L.S_POINTS][3][2] = "十"  # not a number, Excel row 5
    sheets[L.S_TARGETS].append([None, "XX99", 10, 5, None, None])  # unknown unit, row 8
    sheets[L.S_RULES][1][1] = "全部"  # rule value outside its list, row 3
    message = _refused(tmp_path, sheets)
    assert message.startswith(f"考核计划表 {tmp_path / 'plan-2025.xlsx'} 有 6 处错误，已停止运行。")
    lines = message.splitlines()[1:]
    assert lines == [
        "- 工作表“单位名册”第 5 行“单位代码”列：“单位代码”的值“GS01”与第 3 行重复。每项只能出现一次，请删除或合并重复行。",
        "- 工作表“单位名册”第 6 行“单位类别”列：“单位类别”的值“科室”不在允许范围内，应为：股室、国土资源所、中心、大队。",
        "- 工作表“任务指标”第 8 行“单位代码”列：单位代码“XX99”不在“单位名册”中。请先在单位名册登记该单位，或改正单位代码。",
        "- 工作表“计分标准”第 4 行“分值”列：“分值”的值“-5”为负数。分值、任务数和扣分须为 0 或正数。",
        "- 工作表“计分标准”第 5 行“分值”列：“分值”的值“十”不是数字。请填写阿拉伯数字。",
        "- 工作表“考核规则”第 3 行“值”列：参数“多级采用计分”的值“全部”无效，应为：累计、最高级、最高两级。",
    ]


def test_missing_sheet_and_missing_label(tmp_path, sheets):
    del sheets[L.S_BONUS]
    sheets[L.S_TARGETS][0][2] = "报送任务"  # label renamed
    message = _refused(tmp_path, sheets)
    assert "工作表“任务指标”第 2 行“年度报送任务”列：工作表“任务指标”缺少列“年度报送任务”。" in message
    assert "计划表缺少工作表“批示加分”。请按模板补上该工作表（名称须一字不差）。" in message


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda s: s[L.S_POINTS].__setitem__(5, ["政务信息", "区级", 3, 0]), "“采用级别”的值“区级”不在允许范围内"),
        (lambda s: s[L.S_POINTS].__setitem__(5, ["信息", "县级", 3, 0]), "“稿件类别”的值“信息”不在允许范围内"),
        (lambda s: s[L.S_POINTS].pop(4), "缺少“政务信息”稿件在“国家级”的分值"),
        (lambda s: s[L.S_POINTS].append(["政务信息", "县级", 8, 10]), "“稿件类别”的值“政务信息、县级”与第 3 行重复"),
        (lambda s: s[L.S_BONUS].pop(2), "缺少“市级”批示的加分"),
        (lambda s: s[L.S_BONUS][1].__setitem__(1, "十分"), "“加分”的值“十分”不是数字"),
        (
            lambda s: s[L.S_POINTS][1].__setitem__(3, 12.345),
            "第 3 行“奖励金额”列：“奖励金额”的值“12.345”有两位以上的小数。金额以元为单位，最多到分",
        ),
        (
            lambda s: s[L.S_RULES].pop(1),
            "缺少参数“多级采用计分”。请在考核规则表补上这一行，允许的值：累计、最高级、最高两级。",
        ),
        (lambda s: s[L.S_RULES][4].__setitem__(1, "abc"), "参数“月度漏报扣分”的值“abc”无效，应为：0 或正数。"),
        (lambda s: s[L.S_RULES][9].__setitem__(1, 31), "参数“报送截止日”的值“31”无效，应为：1 到 28 的整数。"),
        (lambda s: s[L.S_RULES].append(["奖励标准", "高"]), "“参数”的值“奖励标准”不在允许范围内"),
        (lambda s: s[L.S_ROSTER][2].__setitem__(5, "不"), "“参加考核”的值“不”不在允许范围内，应为：是、否。"),
        (lambda s: s[L.S_ROSTER][2].__setitem__(1, None), "第 4 行“单位名称”列：“单位名称”为空。请填写该项。"),
        (lambda s: s[L.S_ROSTER][2].__setitem__(0, "GS/02"), "单位代码“GS/02”只能由字母、数字、下划线和连字符组成"),
        (lambda s: s[L.S_TARGETS][1].__setitem__(3, None), "第 3 行“年度采用任务”列：“年度采用任务”为空。"),
        (lambda s: s[L.S_TARGETS][1].__setitem__(1, "GS02"), "每行任务须且只须填写“单位类别”或“单位代码”之一"),
        (lambda s: s[L.S_TARGETS].pop(4), "单位“DD01 国土资源执法监察大队”（类别“大队”）没有年度任务"),
        (lambda s: s[L.S_TARGETS].append(["中心", None, 1, 1, None, None]), "“单位类别”的值“中心”与第 5 行重复"),
        (lambda s: s[L.S_ROSTER].insert(5, []), None),
    ],
)
def test_each_fault_is_reported(tmp_path, sheets, mutate, expected):
    mutate(sheets)
    if expected is None:  # a blank line inside the roster is skipped; the plan still loads
        assert len(load_plan(_write(tmp_path, sheets), 2025).units) == 20
        return
    assert expected in _refused(tmp_path, sheets)


def test_points_pass_condition_needs_points_targets(tmp_path, sheets):
    rules = dict(map(tuple, sheets[L.S_RULES][1:]))
    rules[L.R_PASS] = "得分"
    sheets[L.S_RULES] = [sheets[L.S_RULES][0], *map(list, rules.items())]
    message = _refused(tmp_path, sheets)
    assert "达标条件含得分，须填年度得分任务" in message


def test_labels_found_below_title_rows_and_with_decorations(tmp_path, sheets):
    sheets[L.S_ROSTER] = [["说明：本表由局办公室维护"], [], *sheets[L.S_ROSTER]]
    sheets[L.S_ROSTER][2][0] = "单位代码 *"
    sheets[L.S_ROSTER][2][1] = "单位名称（必填）"
    plan = load_plan(_write(tmp_path, sheets), 2025)
    assert plan.unit_name("SO02") == "东关国土资源所"


def test_every_missing_rule_and_points_combination_is_listed(tmp_path, sheets):
    sheets[L.S_RULES] = [list(L.RULE_COLUMNS)]
    sheets[L.S_POINTS] = [list(L.POINTS_COLUMNS)]
    message = _refused(tmp_path, sheets)
    assert message.count("缺少参数") == len(L.RULE_PARAMS)
    assert message.count("稿件在“") == len(L.CATEGORIES) * len(L.LEVELS)


def test_only_the_labels_really_missing_are_named(tmp_path, sheets):
    sheets[L.S_BONUS] = [[L.B_LEVEL], ["县级"]]
    message = _refused(tmp_path, sheets)
    assert "工作表“批示加分”缺少列“加分”" in message
    assert "缺少列“批示级别”" not in message


def test_text_of_missing_dates_is_empty():
    from pipeline.core.text import is_blank
    from pipeline.files.sheets import text

    assert is_blank(pd.NaT) and text(pd.NaT) == ""


def test_the_circulars_optional_texts_are_read_from_the_rules_sheet(tmp_path, sheets):
    sheets[L.S_RULES] += [
        [L.R_RECIPIENTS, "局属各单位"],
        [L.R_CC, "无"],
        [L.R_CONTACT, "李娜"],
        [L.R_CONTACT_PHONE, "0539-3221000"],
        [L.R_DECISION, "经局长办公会议研究决定"],
    ]
    rules = load_plan(_write(tmp_path, sheets), 2025).rules
    assert (rules.recipients, rules.cc, rules.contact, rules.contact_phone) == (
        "局属各单位",
        "",
        "李娜",
        "0539-3221000",
    )
    # a parameter left out keeps its default (None here; documents.official supplies it)
    assert (rules.method, rules.decision) == (None, "经局长办公会议研究决定")
