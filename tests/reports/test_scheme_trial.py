"""`run.py scheme-trial`: each shipped scheme workbook's own 试算稿件 sheet, counted by its scheme
from the files alone, gives the worked example of the published 办法."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pipeline.core.errors import PlanInvalid
from pipeline.reports import scheme_trial
from pipeline.scoring import scheme_units as SU
from tests.scheme_helpers import SCHEMES


@pytest.mark.parametrize(
    ("file", "unit", "total"),
    [
        ("方案1-衢州市政务信息.xlsx", "QZ01", 32),
        ("方案2-股室信息目标考核.xlsx", "GS01", 198),
        ("方案3-县住建局新闻信息宣传.xlsx", "ZJ02", 66.5),
        ("方案4-开发区信息通讯员.xlsx", "CJ01", 21),
        ("方案5-市畜牧局信息工作.xlsx", "XM02", 33),
        ("方案6-广元市政务信息.xlsx", "GY01", 21.5),
    ],
)
def test_the_shipped_trial_rows_give_the_worked_example(tmp_path, file, unit, total):
    trial = scheme_trial.run_trial(SCHEMES / file, 2025, tmp_path)
    assert trial.result.units.at[unit, SU.U_RAW] == pytest.approx(total)
    assert trial.result.problems == []


def test_the_trial_workbook_shows_each_rows_reason_and_each_units_remarks(tmp_path):
    trial = scheme_trial.run_trial(SCHEMES / "方案6-广元市政务信息.xlsx", 2025, tmp_path)
    workbook = load_workbook(trial.target, read_only=True)
    assert workbook.sheetnames == ["单位结果", "稿件计分", "个人得分", "问题"]
    rows = list(workbook["稿件计分"].values)
    assert "上级计分" not in rows[0] and "计分加成" not in rows[0]  # 广元 uses neither
    assert {"采用形式", "约稿编号"} <= set(rows[0])
    reasons = dict(zip([r[2] for r in rows], [r[-1] for r in rows], strict=True))
    assert reasons["E"] == "《政务晨讯》：2 分。本稿合计 5 分：约稿 YG2025-01 被采用：按约稿计 5 分（替代载体分值）"
    header, *records = list(workbook["单位结果"].values)
    units = {r[0]: dict(zip(header, r, strict=True)) for r in records}
    assert "约稿 YG2025-02（防汛工作专题）未报送，扣 10 分" in units["GY01"]["备注"]


def test_a_trial_date_that_cannot_be_read_is_refused_with_its_row(tmp_path):
    target = tmp_path / "plan.xlsx"
    workbook = load_workbook(SCHEMES / "方案1-衢州市政务信息.xlsx")
    workbook["试算稿件"]["E4"] = "三月某日"
    workbook.save(target)
    with pytest.raises(PlanInvalid) as info:
        scheme_trial.run_trial(target, 2025, tmp_path)
    assert "工作表“试算稿件”第 4 行“报送日期”列" in info.value.message


def test_a_trial_row_of_a_unit_not_in_the_roster_is_refused(tmp_path):
    target = tmp_path / "plan.xlsx"
    workbook = load_workbook(SCHEMES / "方案1-衢州市政务信息.xlsx")
    workbook["试算稿件"]["A5"] = "QZ99"
    workbook.save(target)
    with pytest.raises(PlanInvalid) as info:
        scheme_trial.run_trial(target, 2025, tmp_path)
    assert "工作表“试算稿件”第 5 行“单位代码”列：单位代码“QZ99”不在“单位名册”中。" in info.value.message


def test_trial_rows_the_scheme_cannot_count_are_listed_as_problems(tmp_path):
    target = tmp_path / "plan.xlsx"
    workbook = load_workbook(SCHEMES / "方案1-衢州市政务信息.xlsx")
    workbook["试算稿件"]["C3"] = "新闻宣传"  # 衢州 names one category only
    workbook["试算稿件"]["I4"] = None  # 已采用 without its date
    workbook.save(target)
    codes = [(p.code, p.row) for p in scheme_trial.run_trial(target, 2025, tmp_path).result.problems]
    assert ("row-not-in-list", 3) in codes
    assert ("row-adoption-incomplete", 4) in codes
