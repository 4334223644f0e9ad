"""The fast forms (a template copied per unit) are the forms openpyxl builds: the same cells,
styles, validations, protection, print settings and guide, read back with openpyxl; units the
copy cannot serve are built with openpyxl."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook

from pipeline import ledger
from pipeline.core import labels as L
from pipeline.core.records import FileRecord
from pipeline.forms import form_copies, forms, issue
from pipeline.plan.plan import Plan
from tests.scoring_helpers import row, rows_frame

MONTH = "2025-04"


def _carry_over() -> pd.DataFrame:
    return pd.DataFrame(
        {
            L.TITLE: ["=1+1", "我局召开全县耕地保护和自然资源执法监管工作推进会暨专项行动部署会议", "<b>& 标题"],
            L.CATEGORY: ["政务信息", "新闻宣传", None],
            L.AUTHORS: ["王晓燕、李明", "-张三", " 前后有空格 "],
            L.SENT_DATE: [pd.Timestamp("2024-12-20"), pd.Timestamp("2025-03-05"), pd.NaT],
            L.SENT_TO: ["县委办公室", "@市局", ""],
            L.INSTRUCTION: ["无", "无", "县级"],
            L.CO_UNITS: ["", "GS02", "+1"],
            L.REVIEWER: ["马主任", "马主任", "马主任"],
            L.SECRECY: ["是", "是", "是"],
            L.NOTES: ["第一行\n第二行", None, "a<b"],
        }
    )


def _cell_look(cell: Any) -> tuple[object, ...]:
    return (
        cell.value,
        cell.data_type,
        cell.font.name,
        cell.font.b,
        cell.font.sz,
        cell.font.color.rgb if cell.font.color else None,
        cell.fill.fgColor.rgb,
        cell.border.left.style,
        cell.alignment.horizontal,
        cell.alignment.vertical,
        cell.alignment.wrap_text,
        cell.number_format,
        cell.quotePrefix,
        cell.protection.locked,
    )


def _sheet_look(ws: Any) -> dict[str, object]:
    return {
        "cells": {c.coordinate: _cell_look(c) for row in ws.iter_rows() for c in row},
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height},
        "row_locks": {r: d.protection.locked for r, d in ws.row_dimensions.items()},
        "widths": {c: d.width for c, d in ws.column_dimensions.items()},
        "validations": sorted(
            (str(v.sqref), v.type, v.operator, v.formula1, v.formula2, v.prompt, v.error, v.promptTitle, v.errorTitle)
            for v in ws.data_validations.dataValidation
        ),
        "protection": (ws.protection.sheet, ws.protection.insertRows, ws.protection.deleteRows, ws.protection.sort),
        "print": (
            ws.print_area,
            ws.print_title_rows,
            ws.page_setup.orientation,
            ws.page_setup.paperSize,
            ws.page_setup.fitToWidth,
            ws.page_setup.fitToHeight,
            ws.page_margins.top,
            ws.page_margins.header,
            ws.oddFooter.center.text,
            ws.oddHeader.center.text,
        ),
        "view": (ws.freeze_panes, ws.auto_filter.ref, ws.sheet_state),
    }


def _look(book: Workbook) -> dict[str, object]:
    return {
        "sheets": {ws.title: _sheet_look(ws) for ws in book.worksheets},
        "names": sorted((n, d.attr_text) for n, d in book.defined_names.items()),
        "props": (book.properties.creator, book.properties.title, [(p.name, p.value) for p in book.custom_doc_props]),
    }


def _by_openpyxl(plan: Plan, code: str, carried: list[dict[str, Any]]) -> Workbook:
    buffer = io.BytesIO()
    forms.build_unit_form(plan, plan.units.loc[code], MONTH, carried).save(buffer)
    return openpyxl.load_workbook(buffer)


@pytest.fixture(scope="module")
def template(plan: Plan) -> form_copies.FormTemplate:
    return form_copies.FormTemplate(plan, MONTH)


@pytest.mark.parametrize(("code", "with_rows"), [("GS01", True), ("SO07", False)])
def test_a_copied_form_equals_the_form_openpyxl_builds(plan, template, code: str, with_rows: bool) -> None:
    carried = forms.carried_rows(_carry_over() if with_rows else None)
    copied = template.copy(code, carried)
    assert copied is not None
    assert _look(openpyxl.load_workbook(io.BytesIO(copied))) == _look(_by_openpyxl(plan, code, carried))


def test_the_copy_keeps_text_as_text_and_prefills_the_carried_rows(template) -> None:
    carried = forms.carried_rows(_carry_over())
    ws = openpyxl.load_workbook(io.BytesIO(template.copy("GS01", carried)))[L.FORM_SHEET]
    titles = [ws.cell(row=r, column=forms.COLUMN[L.TITLE]).value for r in range(6, 9)]
    assert titles == ["=1+1", "我局召开全县耕地保护和自然资源执法监管工作推进会暨专项行动部署会议", "<b>& 标题"]
    formula = ws.cell(row=6, column=forms.COLUMN[L.TITLE])
    assert formula.data_type == "s" and formula.quotePrefix
    assert ws.cell(row=6, column=forms.COLUMN[L.SENT_DATE]).value == dt.datetime(2024, 12, 20)
    assert ws["B2"].value == "办公室" and ws["F2"].value == "GS01"


def test_a_copied_form_holds_each_row_once_in_order_with_the_units_own_header(template) -> None:
    copied = template.copy("GS01", forms.carried_rows(_carry_over()))
    sheet = zipfile.ZipFile(io.BytesIO(copied)).read(form_copies.FORM_SHEET).decode("utf-8")
    rows = [int(r) for r in re.findall(r'<row r="(\d+)"', sheet)]
    assert rows == sorted(set(rows)) and rows[0] == 1
    assert not re.search(r"ZZ[A-Z]+ZZ", sheet)
    # A streaming reader sees the first copy of a row, where a normal load sees the last.
    ws = openpyxl.load_workbook(io.BytesIO(copied), read_only=True)[L.FORM_SHEET]
    assert [ws["B2"].value, ws["F2"].value] == ["办公室", "GS01"]


def test_cells_kept_from_earlier_forms_are_written_as_a_fresh_template_writes_them(plan) -> None:
    # The same values in other rows and columns, blanks of every kind (None, NaN, NaT, NA), a
    # long text and a formula-like one: each form equals the one a template of its own makes.
    rows = _carry_over()
    odd = rows.assign(**{L.NOTES: [float("nan"), pd.NA, "政务信息"], L.CATEGORY: ["政务信息", None, "=1+1"]})
    shared = form_copies.FormTemplate(plan, MONTH)
    for code, frame in (("GS01", rows), ("SO07", odd), ("GS01", pd.concat([odd, rows], ignore_index=True))):
        carried = forms.carried_rows(frame)
        assert _members(shared.copy(code, carried)) == _members(
            form_copies.FormTemplate(plan, MONTH).copy(code, carried)
        )
    assert shared.cell_tails  # kept, and reused by the later forms


def _members(package: bytes) -> dict[str, bytes]:
    """A workbook's parts but docProps/core.xml, which records when its template was made (two
    templates made a second apart differ there, whatever their cells)."""
    with zipfile.ZipFile(io.BytesIO(package)) as opened:
        return {name: opened.read(name) for name in opened.namelist() if name != "docProps/core.xml"}


def test_units_the_copy_cannot_serve_are_left_to_openpyxl(plan, template) -> None:
    many = forms.carried_rows(pd.concat([_carry_over()] * 70, ignore_index=True))
    assert template.copy("GS01", many) is None
    odd = forms.carried_rows(_carry_over().assign(**{L.NOTES: [object(), None, None]}))
    assert template.copy("GS01", odd) is None


def test_write_forms_writes_every_unit_with_its_carried_rows(plan, tmp_path: Path) -> None:
    paths = form_copies.write_forms(plan, MONTH, tmp_path, {"GS01": forms.carried_rows(_carry_over())})
    assert len(paths) == len(plan.units)
    sheet = openpyxl.load_workbook(paths[0])[L.FORM_SHEET]
    assert (sheet["F2"].value, sheet["B6"].value, sheet["B7"].value) == ("GS01", "=1+1", _carry_over()[L.TITLE][1])
    assert openpyxl.load_workbook(paths[1])[L.FORM_SHEET]["B6"].value is None


def test_forms_written_in_two_processes_equal_those_written_in_one(
    plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = {}
    for name, start in (("one", 10**6), ("two", 1)):
        monkeypatch.setattr(form_copies, "PARALLEL_FROM", start)
        ticks: list[tuple[int, int]] = []
        paths = form_copies.write_forms(
            plan,
            MONTH,
            tmp_path / name,
            {"GS01": forms.carried_rows(_carry_over())},
            tick=lambda *t, seen=ticks: seen.append(t),
        )
        assert ticks == [(n, len(plan.units)) for n in range(1, len(plan.units) + 1)]
        written[name] = {
            p.name: [[c.value for c in row] for ws in openpyxl.load_workbook(p) for row in ws.iter_rows()]
            for p in paths
        }
    assert written["one"] == written["two"] and len(written["one"]) == len(plan.units)


def test_a_copied_form_carries_the_unit_s_head_as_the_form_openpyxl_builds(plan) -> None:
    roster = plan.units.assign(**{L.P_HEAD: None}).astype({L.P_HEAD: object})
    roster.at["GS01", L.P_HEAD] = "李局长"
    headed = dataclasses.replace(plan, units=roster)
    copied = form_copies.FormTemplate(headed, MONTH).copy("GS01", [])
    assert copied is not None
    book = openpyxl.load_workbook(io.BytesIO(copied))
    assert book[L.FORM_SHEET]["J2"].value == "李局长"
    assert _look(book) == _look(_by_openpyxl(headed, "GS01", []))


def test_april_s_forms_carry_the_head_a_unit_wrote_on_its_march_form(plan, tmp_path: Path) -> None:
    def form(code: str, month: str, head: str) -> FileRecord:
        header = {L.H_HEAD: head}
        return FileRecord(f"{code}.xlsx", "ab" * 32, 1, 0.0, unit_code=code, month=month, header=header, fill_date=None)

    run_info = {"started": dt.datetime(2025, 4, 5, 9), "finished": dt.datetime(2025, 4, 5, 9, 1), "reason": "requested"}
    empty = rows_frame([row("GS01", "占位", "2025-03")]).iloc[:0]
    with ledger.Ledger(tmp_path / ledger.STORE_FILE) as store:
        store.replace_month("2025-02", empty, [], [form("GS01", "2025-02", "王股长")], {**run_info, "counts": {}})
        # March: GS01's head changed; SO07 names one for the first time; GS02 leaves it blank
        march = [form("GS01", "2025-03", "李局长"), form("SO07", "2025-03", "周所长"), form("GS02", "2025-03", "")]
        store.replace_month("2025-03", empty, [], march, {**run_info, "counts": {}})
    paths = issue.write_forms_from_ledger(plan, tmp_path, "2025-04")
    heads = {p.name.split("-")[0]: openpyxl.load_workbook(p)[L.FORM_SHEET]["J2"].value for p in paths}
    assert (heads["GS01"], heads["SO07"], heads["GS02"]) == ("李局长", "周所长", None)


def test_a_carried_row_s_height_from_kept_short_texts_is_the_height_forms_gives(plan) -> None:
    # The same short text in columns of other widths, a short text that wraps in a narrow column,
    # long texts, line breaks, blanks and a row of no text at all.
    template = form_copies.FormTemplate(plan, MONTH)
    rows = [
        *forms.carried_rows(_carry_over()),
        {L.TITLE: "县委办", L.SENT_TO: "县委办", L.SECRECY: "县委办", L.SENT_DATE: None},
        {L.TITLE: "是否是否是否是"},
        {L.TITLE: "短", L.SECRECY: "是否是否是否是", L.NOTES: "一\n二\n三"},
        {L.TITLE: "短", L.SECRECY: "是否是否是否是", L.NOTES: "一\n二"},
        {L.SENT_DATE: pd.Timestamp("2025-03-05")},
        {L.TITLE: "x" * 40, L.AUTHORS: "ab"},
    ]

    heights = [template._height(record) for record in rows * 2]  # the second time from kept texts

    assert heights == [forms.carried_height(record, template.layout) for record in rows * 2]
    assert len(set(heights)) > 3 and template.lines
