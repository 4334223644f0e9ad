"""Row checks under a scheme: the plan's own 稿件类别, 采用级别 and 批示级别 names, the outlet
typed matched to the catalogue, and the scheme's columns (采用形式, 计分加成, 约稿编号, 上级计分);
errors reject the row, warnings keep it (docs/contracts.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.plan.plan import Plan
from tests.checks.test_checks import frame
from tests.checks.test_checks import row as todays_row
from tests.scheme_helpers import scheme_plan

MONTH = "2025-03"
NOT_ADOPTED = {L.STATUS: L.NOT_ADOPTED, L.OUTLET: "", L.LEVEL: "", L.ADOPT_DATE: pd.NaT, L.PROOF: ""}
NOT_ADOPTED |= {L.ADOPT_DATE + L.RAW_SUFFIX: ""}


def row(unit: str, row_id: int = 1, **values: object) -> dict:
    """A valid adopted row of `unit` in the scheme's names; keyword arguments override by label."""
    scheme_columns = {c: values.pop(c, "") for c in S.SCHEME_FORM_COLUMNS}
    return todays_row(row_id, **{L.UNIT_CODE: unit, L.UNIT_NAME: unit, L.INSTRUCTION: "无", **values}, **scheme_columns)


def found(rows: list[dict], plan: Plan) -> list[tuple[int, str, str, str, str]]:
    """(row_id, code, severity, column, value) of every problem."""
    problems = checks.validate_rows(frame(*rows), plan, MONTH)
    return sorted((p.row_id, p.code, p.severity, p.column, str(p.value)) for p in problems)


@pytest.fixture(scope="module")
def guangyuan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """方案6: a closed catalogue, 采用形式 and 约稿编号; levels 市级/省级/国家级."""
    return scheme_plan(tmp_path_factory.mktemp("gy"), "方案6-广元市政务信息.xlsx")


@pytest.fixture(scope="module")
def housing(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """方案3: an open catalogue with categories, 计分加成 by category."""
    return scheme_plan(tmp_path_factory.mktemp("zj"), "方案3-县住建局新闻信息宣传.xlsx")


@pytest.fixture(scope="module")
def quzhou(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    """方案1: outlets scored by the higher office's points (上级计分)."""
    return scheme_plan(tmp_path_factory.mktemp("qz"), "方案1-衢州市政务信息.xlsx")


def gy(row_id: int = 1, **values: object) -> dict:
    base = {L.OUTLET: "《政务晨讯》", L.LEVEL: "市级", L.TITLE: f"利州区经济运行情况{row_id}"}
    return row("GY01", row_id, **(base | values))


def test_a_row_in_the_plans_own_names_and_catalogue_has_no_problem(guangyuan):
    rows = [
        gy(1),
        gy(2, **{L.OUTLET: "市政府门户网站", S.F_USE_FORM: "图片", L.INSTRUCTION: "省政府领导"}),
        gy(3, **NOT_ADOPTED),
        gy(4, **{S.F_COMMISSION: "YG2025-01", L.OUTLET: "政务参阅"}),
    ]
    assert found(rows, guangyuan) == []


def test_labels_defaults_are_not_in_a_scheme_with_its_own_names(guangyuan):
    rows = [gy(1, **{L.LEVEL: "县级"}), gy(2, **{L.CATEGORY: "新闻宣传"}), gy(3, **{L.INSTRUCTION: "市级"})]
    assert found(rows, guangyuan) == [
        (1, "row-not-in-list", L.ERROR, L.LEVEL, "县级"),
        (1, "row-outlet-level-differs", L.WARNING, L.LEVEL, "县级"),
        (2, "row-not-in-list", L.ERROR, L.CATEGORY, "新闻宣传"),
        (3, "row-not-in-list", L.ERROR, L.INSTRUCTION, "市级"),
    ]


def test_an_outlet_typed_freely_is_matched_or_flagged_by_the_closed_catalogue(guangyuan):
    rows = [
        gy(1, **{L.OUTLET: "政务晨讯 "}),  # the catalogue's name without its marks: exact
        gy(2, **{L.OUTLET: "政务晨讯编辑部"}),  # unique containment: taken, the unit told
        gy(3, **{L.OUTLET: "省政府网站"}),  # nowhere in the catalogue, which is closed
        gy(4, **{L.OUTLET: "市政府门户网站"}),  # known, but only in the use forms 文字/图片
        gy(5, **{L.OUTLET: "《川政晨讯》", L.LEVEL: "市级", S.F_USE_FORM: "重要"}),  # a 省级 outlet
    ]
    assert found(rows, guangyuan) == [
        (2, "row-outlet-guessed", L.WARNING, L.OUTLET, "政务晨讯编辑部"),
        (3, "row-outlet-unknown", L.ERROR, L.OUTLET, "省政府网站"),
        (4, "row-outlet-no-row", L.ERROR, S.F_USE_FORM, ""),
        (5, "row-outlet-level-differs", L.WARNING, L.LEVEL, "市级"),
    ]


def test_an_ambiguous_outlet_is_rejected_naming_the_candidates(housing):
    base = {L.CATEGORY: "信息", L.OUTLET: "人民政府网", L.LEVEL: "市级"}
    [problem] = checks.validate_rows(frame(row("ZJ01", **base)), housing, MONTH)
    assert (problem.code, problem.severity, problem.row, problem.column) == (
        "row-outlet-ambiguous",
        L.ERROR,
        9,
        L.OUTLET,
    )
    assert "《县人民政府网》" in problem.message and "《市人民政府网》" in problem.message


def test_an_open_catalogue_takes_an_outlet_it_does_not_hold_without_a_word(housing):
    rows = [row("ZJ01", **{L.CATEGORY: "新闻", L.OUTLET: "县电视台", L.LEVEL: "县级"})]
    assert found(rows, housing) == []


def test_unknown_use_forms_modifiers_and_commissions_name_their_row_and_column(guangyuan, housing):
    rows = [
        gy(1, **{L.OUTLET: "《川政晨讯》", L.LEVEL: "省级", S.F_USE_FORM: "单条"}),
        gy(2, **NOT_ADOPTED, **{S.F_COMMISSION: "YG2025-09"}),
    ]
    assert found(rows, guangyuan) == [
        (1, "row-not-in-list", L.ERROR, S.F_USE_FORM, "单条"),
        (1, "row-outlet-no-row", L.ERROR, S.F_USE_FORM, "单条"),
        (2, "row-unknown-commission", L.ERROR, S.F_COMMISSION, "YG2025-09"),
    ]
    news = {L.CATEGORY: "新闻", L.OUTLET: "《大众日报》", L.LEVEL: "省级"}
    rows = [
        row("ZJ01", 1, **news, **{S.F_MODIFIERS: "头版头条、头条加倍"}),
        row("ZJ01", 2, **news, **{S.F_MODIFIERS: "学术刊物", L.TITLE: "我县推进老旧小区改造"}),
    ]
    assert found(rows, housing) == [
        (1, "row-unknown-modifier", L.ERROR, S.F_MODIFIERS, "头条加倍"),
        (2, "row-modifier-not-applicable", L.WARNING, S.F_MODIFIERS, "学术刊物"),
    ]


def test_a_commission_issued_to_other_units_is_not_this_units(tmp_path):
    plan = scheme_plan(tmp_path, "方案6-广元市政务信息.xlsx")
    commission = plan.scheme.commissions["YG2025-01"]
    narrowed = {"YG2025-01": type(commission)(**{**commission.__dict__, "units": ("GY02",)})}
    scheme = type(plan.scheme)(**{**plan.scheme.__dict__, "commissions": narrowed})
    plan = type(plan)(**{**plan.__dict__, "scheme": scheme})
    assert found([gy(1, **{S.F_COMMISSION: "YG2025-01"})], plan) == [
        (1, "row-unknown-commission", L.ERROR, S.F_COMMISSION, "YG2025-01")
    ]


def test_the_higher_offices_points_must_be_a_number_where_the_outlet_takes_them(quzhou):
    def qz(row_id: int, **values: object) -> dict:
        base = {L.CATEGORY: "政务信息", L.LEVEL: "省级", L.OUTLET: "省政府办公厅", S.F_USE_FORM: "转报"}
        return row("QZ01", row_id, **{L.TITLE: f"衢州经济运行{row_id}", **base, **values})

    rows = [
        qz(1, **{S.F_EXTERNAL: "5"}),
        qz(2, **{S.F_EXTERNAL: ""}),
        qz(3, **{S.F_EXTERNAL: "五分"}),
        qz(4, **{L.OUTLET: "送阅件信息", L.LEVEL: "市级", S.F_USE_FORM: "", S.F_EXTERNAL: "3"}),
    ]
    assert found(rows, quzhou) == [
        (2, "row-external-not-number", L.ERROR, S.F_EXTERNAL, ""),
        (3, "row-external-not-number", L.ERROR, S.F_EXTERNAL, "五分"),
        (4, "row-external-ignored", L.WARNING, S.F_EXTERNAL, "3"),
    ]


def test_rejected_rows_are_those_with_an_error_only(guangyuan):
    rows = frame(gy(1, **{L.OUTLET: "政务晨讯编辑部"}), gy(2, **{L.OUTLET: "省政府网站"}))
    accepted, rejected = checks.split_rows(rows, checks.validate_rows(rows, guangyuan, MONTH))
    assert (accepted[L.ROW_ID].tolist(), rejected[L.ROW_ID].tolist()) == ([1], [2])


def test_an_unadopted_row_keeps_its_commission_but_not_the_adoptions_scheme_fields(guangyuan):
    adoption = {S.F_USE_FORM: "文字", S.F_MODIFIERS: "转发", S.F_EXTERNAL: "3", S.F_COMMISSION: "YG2025-01"}
    rows = frame(gy(1, **NOT_ADOPTED, **adoption), gy(2, **{L.OUTLET: "市政府门户网站"}, **adoption))
    kept = checks.accepted_form(rows, guangyuan)
    assert kept[list(S.SCHEME_FORM_COLUMNS)].values.tolist() == [
        ["", "", "YG2025-01", ""],
        ["文字", "转发", "YG2025-01", "3"],
    ]


def test_a_plan_without_a_scheme_checks_no_scheme_column(plan: Plan, tmp_path: Path):
    assert plan.scheme is None
    assert found([todays_row(1, **dict.fromkeys(S.SCHEME_FORM_COLUMNS, ""))], plan) == []
