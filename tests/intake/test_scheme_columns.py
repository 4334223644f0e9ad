"""Intake of a scheme year's forms: the scheme's columns read as text like every other column, a
form without them (the template of before the scheme) rejected with a Chinese reason, and no
scheme column read in a year without a scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.core.records import ACCEPTED, REJECTED
from pipeline.intake.intake import read_month
from pipeline.plan.plan import Plan
from tests.intake_helpers import piece, write_form
from tests.scheme_helpers import scheme_plan

MONTH = "2025-03"
SCHEME_VALUES = [S.F_USE_FORM, S.F_MODIFIERS, S.F_COMMISSION, S.F_EXTERNAL]


@pytest.fixture()
def county_office(tmp_path: Path) -> Plan:
    """方案2: units GS01 办公室 …, forms with 采用形式 and 计分加成."""
    return scheme_plan(tmp_path, "方案2-股室信息目标考核.xlsx")


def test_the_schemes_columns_are_read_as_text_whatever_their_place_and_typing(county_office, tmp_path):
    # WPS and Excel variants: the columns moved to the end, a label with a space in it, values
    # padded, modifiers separated by a full-width comma, an unused scheme column typed anyway.
    columns = (*L.TABLE_COLUMNS, "采用 形式", S.F_MODIFIERS, S.F_COMMISSION)
    rows = [
        piece(**{L.TITLE: "我县推进耕地保护", "采用 形式": " 综合 ", S.F_MODIFIERS: "调研参考或理论文章，头版头条"}),
        piece(**{L.TITLE: "我县开展执法检查", S.F_COMMISSION: "YG2025-01"}),
    ]
    write_form(tmp_path / MONTH / "办公室.xlsx", rows, columns=columns)
    intake = read_month(tmp_path / MONTH, county_office, MONTH)
    assert [f.fate for f in intake.files] == [ACCEPTED]
    assert list(intake.rows.columns) == list(L.ROW_COLUMNS)
    assert intake.rows[SCHEME_VALUES].values.tolist() == [
        ["综合", "调研参考或理论文章、头版头条", "", ""],
        ["", "", "", ""],
    ]
    assert all(isinstance(v, str) for c in SCHEME_VALUES for v in intake.rows[c])


def test_a_number_typed_as_the_higher_offices_points_becomes_its_text(tmp_path):
    plan = scheme_plan(tmp_path, "方案1-衢州市政务信息.xlsx")  # 采用形式 and 上级计分
    columns = (*L.TABLE_COLUMNS, S.F_USE_FORM, S.F_EXTERNAL)
    header = {L.H_UNIT_CODE: "QZ01", L.H_UNIT_NAME: "市发改委"}
    rows = [
        piece(**{L.TITLE: "一季度经济运行分析", S.F_USE_FORM: "转报", S.F_EXTERNAL: 5.0}),
        piece(**{L.TITLE: "重点项目建设进展", S.F_USE_FORM: "直报", S.F_EXTERNAL: "２.５"}),
        piece(**{L.TITLE: "招商引资情况"}),
    ]
    write_form(tmp_path / MONTH / "发改委.xlsx", rows, columns=columns, header=header)
    intake = read_month(tmp_path / MONTH, plan, MONTH)
    assert intake.rows[[S.F_USE_FORM, S.F_EXTERNAL]].values.tolist() == [["转报", "5"], ["直报", "2.5"], ["", ""]]


def test_a_form_without_the_schemes_columns_is_rejected_and_told_to_use_this_months_form(county_office, tmp_path):
    write_form(tmp_path / MONTH / "办公室.xlsx", [piece()])
    intake = read_month(tmp_path / MONTH, county_office, MONTH)
    [record] = intake.files
    assert (record.fate, len(intake.rows)) == (REJECTED, 0)
    [problem] = intake.problems
    assert (problem.code, problem.severity, problem.unit_code) == ("file-scheme-column-missing", L.ERROR, "GS01")
    assert problem.message == (
        "本年度按局办公室的计分方案计分，报送表须有“采用形式”、“计分加成”列，这份报送表没有（可能用了旧模板）。"
        "请在局办公室本月下发的报送表中填写后重新报送，不要删除或改名表头列。"
    )


def test_a_form_lacking_only_one_of_the_schemes_columns_names_that_one(county_office, tmp_path):
    write_form(tmp_path / MONTH / "办公室.xlsx", [piece()], columns=(*L.TABLE_COLUMNS, S.F_USE_FORM))
    [problem] = read_month(tmp_path / MONTH, county_office, MONTH).problems
    assert problem.code == "file-scheme-column-missing" and "须有“计分加成”列" in problem.message


def test_a_year_without_a_scheme_reads_no_scheme_column_even_when_a_form_has_one(plan, tmp_path):
    columns = (*L.TABLE_COLUMNS, S.F_USE_FORM, S.F_EXTERNAL)
    write_form(tmp_path / MONTH / "办公室.xlsx", [piece(**{S.F_USE_FORM: "综合", S.F_EXTERNAL: 3})], columns=columns)
    intake = read_month(tmp_path / MONTH, plan, MONTH)
    assert [f.fate for f in intake.files] == [ACCEPTED] and intake.problems == []
    assert intake.rows[SCHEME_VALUES].values.tolist() == [["", "", "", ""]]
