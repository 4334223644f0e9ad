"""The year end under the office's own 考核办法: 年终考核表 shows the scheme's total and its parts,
评优资格 lost with the reason, 备注 naming the rules that changed a unit's result, and pays out the
scheme's rewards; the 年度通报 says who lost 评优资格 and why. 方案6's year, by hand in
tests/scoring/test_scheme_month.guangyuan_year."""

from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.documents import year_circular
from pipeline.reports import yearbook
from pipeline.scoring import assessment as A
from tests import strict_files
from tests.scheme_helpers import scheme_plan
from tests.scoring.test_scheme_month import YEAR, all_forms, guangyuan_quarter, guangyuan_year, ledger
from tests.scoring.test_schemes_worked_examples import zone_rows


def year_end(tmp_path) -> A.YearEnd:
    return A.assess_year(guangyuan_quarter(), all_forms(YEAR), list(YEAR), guangyuan_year(tmp_path))


def test_the_year_ends_figures_and_verdicts_are_the_schemes(tmp_path):
    units = year_end(tmp_path).units.set_index(L.UNIT_CODE)
    assert units[OL.YEAR_POINTS].to_dict() == {"GY01": 8.5, "GY02": -20.0, "GY03": -25.0}
    assert units[OL.RANK].to_dict() == {"GY01": 1, "GY02": 2, "GY03": 3}
    # the parts the scheme uses: pieces, 约稿, events (no lump sums, tasks or base in 方案6)
    assert units.loc["GY03", ["稿件得分", "约稿得分", "事件得分"]].tolist() == [0.0, -20.0, -5.0]
    assert "任务得分" not in units.columns and "折算得分" not in units.columns
    assert units[OL.RESULT].tolist() == [OL.PASSED] * 3  # the targets are met (0 here)
    assert units[OL.ELIGIBILITY].to_dict() == {"GY01": OL.KEEPS, "GY02": OL.KEEPS, "GY03": OL.LOSES}
    assert units.at["GY01", OL.YEAR_NOTE] == "约稿 YG2025-02（防汛工作专题）未报送，扣 10 分"
    assert units.at["GY03", OL.YEAR_NOTE] == (
        "约稿 YG2025-01（一季度经济运行专题）未报送，扣 10 分；约稿 YG2025-02（防汛工作专题）未报送，扣 10 分；"
        "未报约稿 2 次，达到 2 次，取消评优资格；5月10日 不实信息（报送数据失实） -5 分，取消评优资格"
    )
    assert units.at["GY03", OL.TOP_UNIT] == ""


def test_the_payout_is_the_schemes_reward(tmp_path):
    payout = year_end(tmp_path).payout
    assert payout[[L.UNIT_CODE, "姓名", OL.PAYOUT_AMOUNT]].values.tolist() == [["GY01", "张三", 100.0]]


def test_the_year_end_workbook_shows_the_schemes_columns_and_opens_in_a_strict_reader(tmp_path):
    path = yearbook.write_yearbook(year_end(tmp_path), tmp_path / yearbook.ASSESSMENT_FILE)
    assert strict_files.problems(path) == []
    ws = load_workbook(path, read_only=True)[OL.YEAR_UNITS_SHEET]
    rows = list(ws.iter_rows(min_row=yearbook.GROUP_ROW, values_only=True))
    header = rows[0]
    first = dict(zip(header, rows[2], strict=True))
    assert (first[L.UNIT_NAME], first["稿件得分"], first["约稿得分"], first[OL.YEAR_POINTS]) == (
        "利州区政府办公室",
        18.5,
        -10,
        8.5,
    )


def test_the_year_circular_says_who_lost_eligibility_and_why(tmp_path):
    shown = year_circular.circular_context(year_end(tmp_path), dt.date(2026, 1, 10))
    text = str(shown)
    assert (
        "市交通局：未报约稿 2 次，达到 2 次；5月10日 不实信息（报送数据失实） -5 分，"
        "取消该单位及其负责人2025年度评优资格。"
    ) in text
    assert "得分按《2025年度信息宣传工作考核办法》计算，含约稿、考核事项等加减分" in text


def test_a_scheme_with_its_own_levels_counts_adoptions_under_them(tmp_path):
    # 方案4's levels are 本市级 < 镇江市级 < 省级以上. CJ01's adoptions: 本市级 信息A, 信息B, 文章D;
    # 镇江市级 信息A, 文章E; 省级以上 信息C, 文章E. CJ02: 省级以上 邻村信息. Points (highest level
    # only): CJ01 3 + 1 + 5 + 2 + 10 = 21, CJ02 5; 折算 to 10 of the top unit: 10 and 2.38. Both
    # miss the 2-a-month minimum in some month (合格月数 12): 不达标, 评优资格 取消.
    plan = scheme_plan(tmp_path, "方案4-开发区信息通讯员.xlsx")
    rows = ledger(*zone_rows().to_dict("records"))
    ended = A.assess_year(rows, all_forms(YEAR, ("CJ01", "CJ02", "BM01")), list(YEAR), plan)
    units = ended.units.set_index(L.UNIT_CODE).loc[["CJ01", "CJ02"]]  # BM01, a 部门, sent nothing
    levels = ["省级以上采用条次", "镇江市级采用条次", "本市级采用条次"]
    assert units.loc["CJ01", levels].tolist() == [2, 2, 3]
    assert units.loc["CJ02", levels].tolist() == [1, 0, 0]
    assert units[OL.YEAR_POINTS].to_dict() == {"CJ01": 21.0, "CJ02": 5.0}
    assert units["折算得分"].to_dict() == {"CJ01": 10.0, "CJ02": 2.38}
    assert units[OL.RESULT].tolist() == [OL.FAILED, OL.FAILED]
    assert "月份 11 个，不足 12 个，考核不合格" in units.at["CJ01", OL.YEAR_NOTE]
    # 省级以上 of the county: 信息C, 文章E, 邻村信息
    assert ended.totals.provincial == 3
    assert ended.totals.by_level[L.LEVEL].tolist() == ["省级以上", "镇江市级", "本市级"]
    path = yearbook.write_yearbook(ended, tmp_path / yearbook.ASSESSMENT_FILE)
    assert strict_files.problems(path) == []
