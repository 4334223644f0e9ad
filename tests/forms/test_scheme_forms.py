"""The form of a year whose plan describes a scheme: the scheme's columns after 领导批示, lists of
the plan's own names and catalogues, the guide explaining the new columns; every form passes the
strict reader, and the fast copies hold what openpyxl builds."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline.core import labels as L
from pipeline.forms import form_copies, forms
from pipeline.plan.plan import Plan
from tests import strict_files
from tests.scheme_helpers import SCHEMES, scheme_plan

MONTH = "2025-03"
GUANGYUAN = "方案6-广元市政务信息.xlsx"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    return scheme_plan(tmp_path_factory.mktemp("plan"), GUANGYUAN)


@pytest.fixture(scope="module")
def copies(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return form_copies.write_forms(plan, MONTH, tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def book(copies: list[Path]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(copies[0])


def test_the_schemes_columns_follow_the_leader_instruction_column(book):
    header = [c.value for c in book[L.FORM_SHEET][forms.HEADER_ROW]]
    assert header == [
        "序号", "稿件标题", "稿件类别", "作者", "报送日期", "报送去向", "采用情况", "采用载体", "采用级别",
        "采用日期", "领导批示", "采用形式", "约稿编号", "合作单位", "证明材料", "审核人", "保密审查", "备注",
    ]  # fmt: skip


def test_the_dropdowns_list_the_plans_own_names_and_catalogues(book):
    lists = book[L.FORM_LIST_SHEET]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols(min_row=3)}
    assert columns["稿件类别"] == ["政务信息"]
    assert columns["采用级别"] == ["市级", "省级", "国家级"]
    assert columns["领导批示"] == ["无", "市政府领导", "省政府领导", "国务院领导"]
    assert columns["采用形式"] == ["文字", "图片", "参阅", "重要"]
    assert columns["约稿编号"] == ["YG2025-01", "YG2025-02"]
    assert columns["采用载体"][:3] == ["《政务晨讯》", "《要情专报》", "《政府工作通报》"]


def test_a_listed_column_refuses_other_values_but_the_outlet_only_warns(book):
    sheet = book[L.FORM_SHEET]
    by_column = {str(v.sqref).split(":")[0][:-1]: v for v in sheet.data_validations.dataValidation}
    assert (by_column["L"].formula1, by_column["L"].errorStyle) == ("选项_采用形式", None)
    assert (by_column["M"].formula1, str(by_column["M"].sqref)) == ("选项_约稿编号", "M6:M205")
    assert (by_column["H"].formula1, by_column["H"].errorStyle) == ("选项_采用载体", "warning")
    assert by_column["M"].prompt.startswith("报送的是局办公室下达的约稿时填写约稿编号")


def test_the_guide_explains_the_new_columns_and_its_example_uses_a_use_form(book):
    rows = list(book[L.FORM_GUIDE_SHEET].iter_rows(values_only=True))
    rules = {r[0]: r[1] for r in rows if r[1] and str(r[1]).startswith(("已采用时", "报送的是"))}
    assert rules["采用形式"] == (
        "已采用时填写，从下拉列表选择：文字、图片、参阅、重要。同一载体按不同采用形式计分的，必须填写；不区分形式的载体可不填。"
    )
    assert rules["采用载体"].endswith("目录以外的载体不计分。")
    examples = {r[0]: r[1:] for r in rows if r[0] in ("采用载体", "采用级别", "采用形式", "约稿编号")}
    assert examples["采用形式"] == (None, "文字")
    assert examples["约稿编号"] == ("YG2025-01", "YG2025-01")
    assert examples["采用载体"][1] == "市政府门户网站" and examples["采用级别"][1] == "市级"


def test_the_copy_of_a_scheme_form_holds_what_openpyxl_builds(plan, copies, tmp_path):
    built = tmp_path / "built.xlsx"
    forms.build_form(plan, "GY01", MONTH).save(built)
    copied = openpyxl.load_workbook(copies[0])
    for name in (L.FORM_SHEET, L.FORM_LIST_SHEET, L.FORM_GUIDE_SHEET):
        expected = list(openpyxl.load_workbook(built)[name].iter_rows(values_only=True))
        assert list(copied[name].iter_rows(values_only=True)) == expected
    # the print area's last column is the eighteenth (R), in the copy as in the built form
    assert copied[L.FORM_SHEET].print_area == openpyxl.load_workbook(built)[L.FORM_SHEET].print_area
    assert copied[L.FORM_SHEET].print_area.startswith("'报送表'!$A$1:$R$")


@pytest.mark.parametrize("file", sorted(p.name for p in SCHEMES.glob("*.xlsx")))
def test_every_schemes_forms_pass_the_strict_reader(file, tmp_path):
    plan = scheme_plan(tmp_path, file)
    written = form_copies.write_forms(plan, MONTH, tmp_path / "out")
    header = [c.value for c in openpyxl.load_workbook(written[0])[L.FORM_SHEET][forms.HEADER_ROW]]
    assert header[11 : 11 + len(plan.scheme.form_columns())] == list(plan.scheme.form_columns())
    assert [problem for path in written for problem in strict_files.problems(path)] == []


def test_a_plan_without_a_scheme_keeps_todays_layout(tmp_path):
    from pipeline.demo import files as demo_files
    from pipeline.plan.plan import load_plan

    demo_files.write_plan(tmp_path / "plan-2025.xlsx")
    assert forms.layout_of(load_plan(tmp_path, 2025)) is forms.DEFAULT_LAYOUT
    assert forms.DEFAULT_LAYOUT.columns == L.TABLE_COLUMNS
