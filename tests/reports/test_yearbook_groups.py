"""年终考核表 of a body whose year circular sums its units by the roster's 分组: 单位考核 shows each
unit's group after its 单位类别, so that the office finds the circular's groups unit by unit; by
单位类别 (a column it always has), or listed unit by unit, the sheet is as before."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
from openpyxl import load_workbook

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.plan.rules import AnnexGrouping
from pipeline.reports import yearbook
from pipeline.scoring import assessment as A
from tests.reports.test_yearbook import _table
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]


def _written(tmp_path, grouping: AnnexGrouping) -> list[dict]:
    # A01 and A03 in 东区 (A03 passes: the first row), A02 without a group, N01 (not assessed) in 西区
    plan = make_plan(targets={code: (1, 1, math.nan, 0) for code in ("A01", "A02", "A03")})
    groups = pd.Series({"A01": "东区", "A02": "", "A03": "东区", "N01": "西区"})
    rules = dataclasses.replace(plan.rules, annex_grouping=grouping)
    plan = dataclasses.replace(plan, units=plan.units.assign(**{L.P_GROUP: groups}), rules=rules)
    year_end = A.assess_year(rows_frame([row("A03", "甲", "2025-03", level="县级")]), all_returned(YEAR), YEAR, plan)
    path = yearbook.write_yearbook(year_end, tmp_path / yearbook.ASSESSMENT_FILE)
    ws = load_workbook(path)[OL.YEAR_UNITS_SHEET]
    apart = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == yearbook.APART_HEADING)
    return _table(ws) + _table(ws, first_data_row=apart + 1)


def test_a_year_summed_by_分组_shows_each_units_group_after_its_category(tmp_path):
    rows = _written(tmp_path, AnnexGrouping.GROUP)
    assert list(rows[0])[2:6] == [L.UNIT_NAME, L.P_UNIT_CATEGORY, L.P_GROUP, L.T_SUBMIT]
    assert [(r[L.UNIT_NAME], r[L.P_GROUP]) for r in rows] == [
        ("城关所", "东区"),
        ("办公室", "东区"),
        ("规划股", "未分组"),
        ("人事股", "西区"),  # not assessed: listed apart, its group shown as well
    ]


def test_a_year_summed_by_category_or_listed_unit_by_unit_keeps_the_sheet_as_it_was(tmp_path):
    for grouping in (AnnexGrouping.CATEGORY, AnnexGrouping.UNITS):
        rows = _written(tmp_path, grouping)
        assert L.P_GROUP not in rows[0] and list(rows[0])[2:5] == [L.UNIT_NAME, L.P_UNIT_CATEGORY, L.T_SUBMIT]
