"""The monthly return form, re-opened with openpyxl and with python-calamine (as intake reads it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.files.sheets import find_header_row, read_sheets, table_below
from pipeline.forms import form_copies, forms
from pipeline.plan.plan import Plan

MONTH = "2025-03"


@pytest.fixture(scope="module")
def form_path(plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "GS03.xlsx"
    forms.build_form(plan, "GS03", MONTH).save(path)
    return path


@pytest.fixture(scope="module")
def book(form_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(form_path)


@pytest.fixture(scope="module")
def sheet(book: openpyxl.Workbook) -> Worksheet:
    return book[L.FORM_SHEET]


@pytest.fixture()
def carry_over() -> pd.DataFrame:
    """Two pieces still 未采用, out of date order, one sent the previous December, one with a
    title that looks like a formula."""
    return pd.DataFrame(
        {
            L.TITLE: ["=我局召开耕地保护工作推进会", "县耕地保护股开展春季巡查"],
            L.CATEGORY: ["政务信息", "新闻宣传"],
            L.AUTHORS: ["张丽、李明", "张丽"],
            L.SENT_DATE: pd.to_datetime(["2025-02-20", "2024-12-30"]),
            L.SENT_TO: ["县委办信息科", "县融媒体中心"],
            L.STATUS: [L.NOT_ADOPTED, L.NOT_ADOPTED],
            L.OUTLET: ["", ""],
            L.INSTRUCTION: ["无", "县级"],
            L.CO_UNITS: pd.array(["SO01", pd.NA], dtype="string"),
            L.REVIEWER: ["王建军", "王建军"],
            L.SECRECY: [L.YES, L.YES],
            L.NOTES: ["", "待采用"],
        }
    )


def _cell_right_of(ws: Worksheet, label: str) -> object:
    """The value in the first non-empty cell to the right of a label, as intake looks for it."""
    for row in ws.iter_rows(min_row=1, max_row=4):
        for cell in row:
            if cell.value == label:
                later = [c.value for c in row if c.column > cell.column and c.value is not None]
                return later[0] if later else None
    raise AssertionError(f"label {label} not found")


def _validation_of(ws: Worksheet, label: str):
    letter = openpyxl.utils.get_column_letter(forms.COLUMN[label])
    found = [dv for dv in ws.data_validations.dataValidation if f"{letter}{forms.FIRST_DATA_ROW}" in dv.sqref]
    assert len(found) == 1, label
    return found[0]


def test_title_and_header_block_are_prefilled(sheet: Worksheet) -> None:
    assert sheet["A1"].value == "示范县国土资源局信息宣传工作月度报送表"
    assert "A1:P1" in {str(r) for r in sheet.merged_cells.ranges}
    assert _cell_right_of(sheet, L.H_UNIT_NAME) == "耕地保护股"
    assert _cell_right_of(sheet, L.H_UNIT_CODE) == "GS03"
    assert _cell_right_of(sheet, L.H_MONTH) == "2025-03"
    assert _cell_right_of(sheet, L.H_OFFICER) == "张丽"
    assert _cell_right_of(sheet, L.H_PHONE) == "0539-3221003"
    assert _cell_right_of(sheet, L.H_HEAD) is None
    assert _cell_right_of(sheet, L.H_FILL_DATE) is None


def test_table_header_has_exactly_the_labels(sheet: Worksheet) -> None:
    header = [c.value for c in sheet[forms.HEADER_ROW]]
    assert header == list(L.TABLE_COLUMNS)


def test_calamine_reads_labels_stamp_and_month_as_text(form_path: Path) -> None:
    sheets = {s.name: s for s in read_sheets(form_path)}
    assert list(sheets) == [L.FORM_SHEET, L.FORM_LIST_SHEET, L.FORM_GUIDE_SHEET]
    assert [s.visible for s in sheets.values()] == [True, False, True]
    assert sheets[L.FORM_LIST_SHEET].rows[0][:2] == [L.FORM_VERSION_LABEL, L.FORM_VERSION]
    rows = sheets[L.FORM_SHEET].rows
    assert find_header_row(rows, L.TABLE_KEY_COLUMNS) == forms.HEADER_ROW - 1
    month_row = next(r for r in rows if L.H_MONTH in r)
    assert month_row[month_row.index(L.H_MONTH) + 1] == "2025-03"
    assert len(rows) == forms.HEADER_ROW  # the prepared empty rows are styled, not data


def test_guide_sheet_never_looks_like_the_table(form_path: Path) -> None:
    guide = next(s for s in read_sheets(form_path) if s.name == L.FORM_GUIDE_SHEET)
    assert find_header_row(guide.rows, L.TABLE_KEY_COLUMNS) is None


def test_stamp_is_also_a_custom_property(book: openpyxl.Workbook) -> None:
    assert {p.name: p.value for p in book.custom_doc_props.props} == {L.FORM_VERSION_LABEL: L.FORM_VERSION}


def test_dropdowns_refer_to_defined_names_on_the_hidden_sheet(book: openpyxl.Workbook, sheet: Worksheet) -> None:
    lists = book[L.FORM_LIST_SHEET]
    assert lists.sheet_state == "hidden"
    for label, values in forms.ENUMERATIONS.items():
        dv = _validation_of(sheet, label)
        assert dv.type == "list"
        assert dv.formula1 == f"选项_{label}"
        (target_sheet, cells), *_ = book.defined_names[dv.formula1].destinations
        assert target_sheet == L.FORM_LIST_SHEET
        listed = tuple(c.value for row in lists[cells.replace("$", "")] for c in row)
        assert listed == values
        assert dv.allow_blank and dv.showErrorMessage and dv.showInputMessage
        assert dv.error == f"“{label}”只能从下拉列表中选择：{'、'.join(values)}。"
        assert str(dv.sqref) == f"{openpyxl.utils.get_column_letter(forms.COLUMN[label])}6:" + (
            f"{openpyxl.utils.get_column_letter(forms.COLUMN[label])}205"
        )


def test_date_columns_are_validated_and_formatted(sheet: Worksheet) -> None:
    sent = _validation_of(sheet, L.SENT_DATE)
    assert (sent.type, sent.operator, sent.formula1, sent.formula2) == (
        "date",
        "between",
        "DATE(2025,1,1)",
        "DATE(2025,3,31)",
    )
    adopted = _validation_of(sheet, L.ADOPT_DATE)
    assert (adopted.formula1, adopted.formula2) == ("DATE(2025,3,1)", "DATE(2025,3,31)")
    assert adopted.allow_blank
    assert adopted.error == "“采用日期”须为 2025-03-01 至 2025-03-31 之间的日期，如 2025-03-31。"
    assert adopted.prompt == forms.COLUMN_RULES[L.ADOPT_DATE]
    for label in L.DATE_COLUMNS:
        assert sheet.cell(row=forms.FIRST_DATA_ROW + 50, column=forms.COLUMN[label]).number_format == "yyyy-mm-dd"
    title = _validation_of(sheet, L.TITLE)
    assert (title.type, title.formula1, title.formula2) == ("textLength", "2", "200")


def test_every_column_has_a_chinese_prompt(sheet: Worksheet) -> None:
    for label in L.TABLE_COLUMNS:
        dv = _validation_of(sheet, label)
        assert dv.promptTitle == label
        assert dv.prompt == forms.COLUMN_RULES[label]


def test_labels_locked_values_and_data_unlocked(sheet: Worksheet) -> None:
    protection = sheet.protection
    assert protection.sheet and not protection.password
    allowed = ("insertRows", "deleteRows", "formatCells", "formatRows", "formatColumns", "sort", "autoFilter")
    assert [getattr(protection, name) for name in allowed] == [False] * len(allowed)
    assert protection.insertColumns and protection.deleteColumns
    labels = [c for row in sheet.iter_rows(min_row=2, max_row=3) for c in row if c.value in L.HEADER_LABELS]
    assert len(labels) == len(L.HEADER_LABELS)
    assert all(c.protection.locked for c in labels)
    assert all(c.protection.locked for c in sheet[forms.HEADER_ROW])
    assert sheet["A1"].protection.locked
    values = [sheet.cell(row=c.row, column=c.column + 1) for c in labels]
    assert not any(c.protection.locked for c in values)
    for row in (forms.FIRST_DATA_ROW, 100, forms.FIRST_DATA_ROW + forms.DATA_ROWS - 1):
        assert not any(c.protection.locked for c in sheet[row][: len(L.TABLE_COLUMNS)])
        assert sheet.row_dimensions[row].protection.locked is False


def test_layout_and_print_setup(sheet: Worksheet) -> None:
    assert sheet.freeze_panes == "A6"
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["B"].width == forms.WIDTHS[L.TITLE]
    assert sheet.cell(row=10, column=2).alignment.wrap_text
    assert sheet.auto_filter.ref == "A5:P205"


def test_guide_explains_each_column_deadline_examples_and_file_name(book: openpyxl.Workbook) -> None:
    guide = book[L.FORM_GUIDE_SHEET]
    rows = [[c.value for c in row] for row in guide.iter_rows(max_col=3)]
    texts = [r[0] for r in rows if r[0]]
    assert "本表为耕地保护股2025年3月报送表，请于2025年4月5日前报送局办公室。" in texts
    rules = {r[0]: r[1] for r in rows if r[0] in L.TABLE_COLUMNS and r[1] in forms.COLUMN_RULES.values()}
    assert rules == forms.COLUMN_RULES
    assert forms.COLUMN_RULES[L.SECRECY] == "必填，稿件经保密审查的填“是”；未经保密审查的稿件不得报送。"
    examples = {r[0]: tuple(r[1:]) for r in rows if r[0] in L.TABLE_COLUMNS and r[1] not in forms.COLUMN_RULES.values()}
    assert examples[L.STATUS] == (L.NOT_ADOPTED, L.ADOPTED)
    assert examples[L.SENT_DATE] == ("2025-03-10", "2025-03-10")
    assert examples[L.ADOPT_DATE] == (None, "2025-04-08")
    assert examples[L.AUTHORS][0] == "张丽、李明"
    assert any("“GS03-耕地保护股.xlsx”" in t for t in texts)
    assert guide.protection.sheet


def test_carry_over_rows_are_prefilled_in_date_order(plan: Plan, carry_over: pd.DataFrame, tmp_path: Path) -> None:
    before = carry_over.copy()
    path = tmp_path / "carried.xlsx"
    forms.build_form(plan, "GS03", MONTH, carry_over).save(path)
    pd.testing.assert_frame_equal(carry_over, before)
    rows = next(s for s in read_sheets(path) if s.name == L.FORM_SHEET).rows
    header = find_header_row(rows, L.TABLE_KEY_COLUMNS)
    table = table_below(rows, header, {label: i for i, label in enumerate(L.TABLE_COLUMNS)})
    assert len(table) == 2
    first, second = table.to_dict("records")
    assert first[L.SEQ] == 1 and second[L.SEQ] == 2
    assert first[L.TITLE] == "县耕地保护股开展春季巡查"
    assert first[L.SENT_DATE] == dt.date(2024, 12, 30)
    assert (first[L.INSTRUCTION], first[L.NOTES], first[L.CO_UNITS]) == ("县级", "待采用", "")
    assert second[L.TITLE] == "=我局召开耕地保护工作推进会"
    assert second[L.CO_UNITS] == "SO01"
    for record in (first, second):
        assert record[L.STATUS] == L.NOT_ADOPTED
        assert all(record[c] == "" for c in (L.OUTLET, L.LEVEL, L.ADOPT_DATE, L.PROOF))
    sheet = openpyxl.load_workbook(path)[L.FORM_SHEET]
    title_cell = sheet.cell(row=forms.FIRST_DATA_ROW + 1, column=forms.COLUMN[L.TITLE])
    assert title_cell.data_type == "s" and title_cell.quotePrefix
    assert _validation_of(sheet, L.SENT_DATE).formula1 == "DATE(2024,12,30)"


def test_many_carried_pieces_leave_spare_rows(plan: Plan, carry_over: pd.DataFrame) -> None:
    many = pd.concat([carry_over] * 100, ignore_index=True).assign(**{L.TITLE: [f"稿件{i}" for i in range(200)]})
    sheet = forms.build_form(plan, "GS03", MONTH, many)[L.FORM_SHEET]
    assert sheet.cell(row=forms.FIRST_DATA_ROW + 199, column=forms.COLUMN[L.TITLE]).value is not None
    assert str(_validation_of(sheet, L.STATUS).sqref) == "G6:G225"


def test_write_forms_names_every_unit_and_carries_over(plan: Plan, carry_over: pd.DataFrame, tmp_path: Path) -> None:
    paths = form_copies.write_forms(plan, "2025-04", tmp_path, {"GS03": forms.carried_rows(carry_over)})
    assert len(paths) == len(plan.units) == 20
    assert paths[0] == tmp_path / "forms" / "2025-04" / "GS01-办公室.xlsx"
    assert paths[2].name == "GS03-耕地保护股.xlsx"
    assert all(p.is_file() for p in paths)
    assert not list((tmp_path / "forms" / "2025-04").glob(".tmp-*"))
    carried = openpyxl.load_workbook(paths[2])[L.FORM_SHEET]
    assert carried.cell(row=forms.FIRST_DATA_ROW, column=forms.COLUMN[L.STATUS]).value == L.NOT_ADOPTED
    blank = openpyxl.load_workbook(paths[3])[L.FORM_SHEET]
    assert blank.cell(row=forms.FIRST_DATA_ROW, column=forms.COLUMN[L.TITLE]).value is None


def test_unit_names_unsafe_in_file_names_give_safe_names(plan: Plan, tmp_path: Path) -> None:
    units = plan.units.copy()
    units.loc["SO01", L.P_UNIT_NAME] = "城关/东关:联合所*?"
    units.loc["SO02", L.P_UNIT_NAME] = "=HYPERLINK(..\\..)"
    odd = dataclasses.replace(plan, units=units)
    paths = form_copies.write_forms(odd, MONTH, tmp_path)
    names = {p.name for p in paths}
    assert "SO01-城关_东关_联合所__.xlsx" in names
    assert "SO02-=HYPERLINK(.._..).xlsx" in names
    assert all(p.parent == tmp_path / "forms" / MONTH for p in paths)
    sheet = openpyxl.load_workbook(tmp_path / "forms" / MONTH / "SO02-=HYPERLINK(.._..).xlsx")[L.FORM_SHEET]
    name_cell = sheet.cell(row=2, column=2)
    assert name_cell.value == "=HYPERLINK(..\\..)" and name_cell.data_type == "s"


def test_title_uses_the_issuer_when_it_is_not_an_office(plan: Plan) -> None:
    other = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, issuer="某县自然资源局"))
    assert forms.form_title(other) == "某县自然资源局信息宣传工作月度报送表"
    assert forms.form_title(plan) == "示范县国土资源局信息宣传工作月度报送表"


def test_the_rosters_unit_head_is_pre_filled_and_a_blank_one_left_for_the_unit():
    roster = pd.Series({L.P_UNIT_NAME: "办公室", L.P_OFFICER: "王晓燕", L.P_PHONE: "1", L.P_HEAD: " 张局长 "})
    assert forms.header_values("GS01", roster, "2025-03")[L.H_HEAD] == "张局长"
    assert forms.header_values("GS01", roster.drop(L.P_HEAD), "2025-03")[L.H_HEAD] is None


def test_the_carried_rows_of_a_whole_table_are_each_unit_s_carried_rows_of_its_own_frame() -> None:
    # Blanks of every kind (None, NaN, NaT, pd.NA, "", spaces), a text column of pandas' string
    # dtype, a column the table lacks (备注), units in no order, ties on 报送日期.
    table = pd.DataFrame(
        {
            L.UNIT_CODE: ["GS02", "GS01", "GS02", "GS01", "SO01", "GS01"],
            L.TITLE: ["乙稿", "甲稿", "  ", None, "丙稿", "丁稿"],
            L.CATEGORY: pd.array(["政务信息", pd.NA, "新闻宣传", "", "政务信息", " "], dtype="string"),
            L.AUTHORS: ["王晓燕", float("nan"), "李明", "张三", None, "王晓燕、李明"],
            L.SENT_DATE: pd.to_datetime(["2025-03-05", "2025-02-01", None, "2025-02-01", "2025-01-09", "2025-02-01"]),
            L.SENT_TO: ["县委办", "", "市局", "县委办", "县委办", None],
            L.INSTRUCTION: ["无", "县级", None, "无", "无", "无"],
            L.CO_UNITS: ["", "GS02", "", "SO01、ZX01", "", ""],
            L.REVIEWER: ["马主任", "马主任", None, "马主任", "马主任", "马主任"],
            L.SECRECY: ["是", "是", "是", "是", "是", "是"],
        }
    )

    by_table = forms.carried_rows_of_table(table)

    assert by_table == {
        code: forms.carried_rows(own.drop(columns=[L.UNIT_CODE]))
        for code, own in table.groupby(L.UNIT_CODE, sort=False)
    }
    assert [row[L.TITLE] for row in by_table["GS01"]] == ["丁稿", "甲稿", None]  # a blank title last
    assert all(row[L.NOTES] is None and row[L.STATUS] == L.NOT_ADOPTED for rows in by_table.values() for row in rows)
    assert by_table["GS02"][1][L.SENT_DATE] is None and by_table["GS01"][0][L.CATEGORY] is None
