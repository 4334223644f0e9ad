"""Receipts: one per unit that sent a form, each holding only its own rows, in file and row order,
also when the unit's only form was rejected."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.intake import intake
from pipeline.plan.plan import Plan
from pipeline.reports import reports
from tests.intake_helpers import piece, write_form
from tests.scoring.test_scheme_month import guangyuan_plan, guangyuan_quarter

MONTH = "2025-03"


def _month_folder(folder: Path) -> Path:
    write_form(folder / "b-办公室.xlsx", [piece(**{L.TITLE: "办公室第一篇"}), piece(**{L.TITLE: "办公室第二篇"})])
    write_form(
        folder / "a-规划股.xlsx",
        [piece(**{L.TITLE: "规划股的稿件"})],
        header={L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"},
    )
    write_form(
        folder / "c-耕地股.xlsx",
        [piece(**{L.TITLE: "二月的稿件"})],
        header={L.H_UNIT_CODE: "GS03", L.H_UNIT_NAME: "耕地保护股", L.H_MONTH: "2025-02"},
    )
    return folder


def _table(path: Path, header_row: int) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path).active
    rows = ws.iter_rows(min_row=header_row, values_only=True)
    return [(row[0], row[1], row[-3], row[-2]) for row in rows]


def test_each_receipt_holds_only_its_units_rows(tmp_path: Path, plan: Plan) -> None:
    found = intake.read_month(_month_folder(tmp_path / "in"), plan, MONTH)
    # Path order: a-规划股 (row_id 1), b-办公室 (2, 3); the checks rejected 办公室第二篇.
    assert found.rows[L.TITLE].tolist() == ["规划股的稿件", "办公室第一篇", "办公室第二篇"]
    accepted = {1, 2}
    points = pd.Series({1: 5.0, 2: 2.5})
    paths = reports.write_receipts(
        plan, MONTH, found.rows, accepted, found.files, found.problems, points, tmp_path / "out"
    )
    assert [p.name for p in paths] == ["GS01-办公室.xlsx", "GS02-规划利用股.xlsx", "GS03-耕地保护股.xlsx"]
    # Each heading: title, unit line, files line, (file problems), count line, advice line, blank.
    header = ("来源行号", "稿件标题", OL.RECEIPT_STATUS, L.POINTS)
    assert _table(paths[0], 7) == [header, (6, "办公室第一篇", "计入", 2.5), (7, "办公室第二篇", "未计入", None)]
    assert _table(paths[1], 7) == [header, (6, "规划股的稿件", "计入", 5)]
    assert _table(paths[2], 8) == [header]
    ws = openpyxl.load_workbook(paths[2]).active
    assert ws.cell(row=5, column=1).value == "读取稿件 0 行：计入 0 行，未计入 0 行；错误 1 条，警告 0 条。"
    assert ws.cell(row=4, column=1).value.startswith("  c-耕地股.xlsx：[错误] 报送月份不符：此表的报送月份是 2025-02")


def test_receipts_written_in_two_processes_equal_those_written_in_one(
    tmp_path: Path, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = intake.read_month(_month_folder(tmp_path / "in"), plan, MONTH)
    points = pd.Series({1: 5.0, 2: 2.5})
    written = {}
    for name, start in (("one", 10**6), ("two", 1)):
        monkeypatch.setattr(reports, "PARALLEL_FROM", start)
        ticks: list[tuple[int, int]] = []
        paths = reports.write_receipts(
            plan,
            MONTH,
            found.rows,
            {1, 2},
            found.files,
            found.problems,
            points,
            tmp_path / name,
            tick=lambda *t, seen=ticks: seen.append(t),
        )
        assert ticks == [(1, 3), (2, 3), (3, 3)]
        written[name] = {p.name: _table(p, 1) for p in paths}
    assert written["one"] == written["two"] and len(written["one"]) == 3


def _receipt_look(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path).active
    cells = {
        c.coordinate: (
            c.value,
            c.data_type,
            c.number_format,
            c.quotePrefix,
            c.font.b,
            c.font.sz,
            c.fill.fgColor.rgb,
            c.border.left.style,
            c.alignment.horizontal,
            c.alignment.wrap_text,
            (c.comment.text, c.comment.author) if c.comment else None,
        )
        for row in ws.iter_rows()
        for c in row
    }
    return {
        "title": ws.title,
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        "heights": {k: d.height for k, d in ws.row_dimensions.items()},
        "view": (ws.freeze_panes, ws.auto_filter.ref, ws.print_title_rows, ws.dimensions),
        "print": (
            ws.page_setup.orientation,
            ws.page_setup.paperSize,
            ws.page_setup.fitToWidth,
            ws.page_setup.fitToHeight,
            ws.page_margins.top,
            ws.page_margins.header,
            ws.oddHeader.center.text,
            ws.oddHeader.center.size,
            ws.oddFooter.center.text,
            ws.print_options.horizontalCentered,
        ),
    }


def test_receipts_written_as_xml_equal_the_receipts_openpyxl_builds(
    tmp_path: Path, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _month_folder(tmp_path / "in")
    write_form(
        folder / "d-耕地股.xlsx",
        [
            piece(**{L.TITLE: "=1+1 <b>&", L.REVIEWER: ""}),
            piece(**{L.TITLE: "第二篇", L.CATEGORY: "信息", L.SECRECY: "否", L.NOTES: " 前后空格 "}),
            piece(**{L.TITLE: "第三篇", L.SENT_DATE: "3月5日"}),
        ],
        header={L.H_UNIT_CODE: "GS03", L.H_UNIT_NAME: "耕地保护股"},
    )
    found = intake.read_month(folder, plan, MONTH)
    problems = found.problems + checks.validate_rows(found.rows, plan, MONTH)
    points = pd.Series({1: 5.0, 2: 2.5, 3: 1 / 3})
    accepted = {1, 2, 3}
    fast = reports.write_receipts(plan, MONTH, found.rows, accepted, found.files, problems, points, tmp_path / "xml")
    monkeypatch.setattr(reports, "receipt_writer", lambda _columns: None)
    slow = reports.write_receipts(plan, MONTH, found.rows, accepted, found.files, problems, points, tmp_path / "op")
    assert [p.name for p in fast] == [p.name for p in slow]
    commented = 0
    for made, built in zip(fast, slow, strict=True):
        look = _receipt_look(made)
        assert look == _receipt_look(built)
        commented += sum(cell[-1] is not None for cell in look["cells"].values())
    assert commented >= 3


def test_a_schemes_receipt_says_why_each_row_scored_and_lists_the_units_commissions_and_events(
    tmp_path: Path, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The texts are the scheme engine's (tests/scoring/test_scheme_month.py computes them for
    # 方案6); here: that the receipt shows them where the unit reads them, by either writer.
    found = intake.read_month(_month_folder(tmp_path / "in"), plan, MONTH)
    reason = "本稿合计 10 分：《政务参阅》：5 分；市政府领导批示 +10"
    missed = "约稿 YG2025-01（一季度经济运行专题）（截止3月20日）：未报送，扣 10 分"
    looks = []
    for name in ("xml", "openpyxl"):
        if name == "openpyxl":
            monkeypatch.setattr(reports, "receipt_writer", lambda _columns: None)
        paths = reports.write_receipts(
            plan,
            MONTH,
            found.rows,
            {1, 2},
            found.files,
            found.problems,
            pd.Series({1: 5.0, 2: 10.0}),
            tmp_path / name,
            reasons=pd.Series({2: reason, 3: "not shown: row 3 was not accepted"}),
            unit_lines={"GS01": [missed]},
        )
        ws = openpyxl.load_workbook(paths[0]).active
        lines = [ws.cell(row=r, column=1).value for r in range(1, 8)]
        assert f"约稿及考核事项：{missed}" in lines
        header_row = lines.index(f"约稿及考核事项：{missed}") + 3  # the last heading line, a blank row
        table = list(ws.iter_rows(min_row=header_row, values_only=True))
        notes = table[0].index(OL.RECEIPT_NOTES)
        assert [(row[1], row[notes]) for row in table[1:]] == [
            ("办公室第一篇", f"计分：{reason}"),
            ("办公室第二篇", None),
        ]
        other = openpyxl.load_workbook(paths[1]).active
        assert all("约稿" not in str(other.cell(row=r, column=1).value) for r in range(1, 8))
        looks.append(_receipt_look(paths[0]))
    assert looks[0] == looks[1]


def test_a_schemes_receipt_shows_the_schemes_columns_after_the_instruction_as_the_form_has_them(tmp_path: Path) -> None:
    plan = guangyuan_plan(tmp_path)  # 方案6 uses 采用形式 (portal 文字/图片, 川政晨讯) and 约稿编号
    columns = reports.receipt_columns(plan)
    at = columns.index(L.INSTRUCTION)
    assert columns[at : at + 4] == (L.INSTRUCTION, "采用形式", "约稿编号", L.CO_UNITS)
    rows = guangyuan_quarter()
    rows = rows.assign(**{c + L.RAW_SUFFIX: "" for c in L.DATE_COLUMNS})
    march = rows[rows[L.MONTH] == "2025-03"]
    table, _ = reports._receipt_table(march, {1, 2}, [], pd.Series({1: 5.0}), columns=columns)
    assert table[["约稿编号", L.POINTS]].values.tolist() == [["YG2025-01", 5.0], ["YG2025-01", 0.0]]
    assert reports.receipt_columns(dataclasses.replace(plan, scheme=None)) == reports._RECEIPT_COLUMNS


def test_a_schemes_summary_ledger_shows_the_filled_scheme_columns_and_each_rows_reason(tmp_path: Path) -> None:
    rows = guangyuan_quarter()
    march = rows[rows[L.MONTH] == "2025-03"].assign(**{L.SOURCE_ROW: [5, 5]})
    reason = "《政务晨讯》：2 分。本稿合计 5 分：约稿 YG2025-01 被采用：按约稿计 5 分（替代载体分值）"
    path = reports.write_ledger(
        march,
        pd.Series({1: 5.0, 2: 0.0}),
        tmp_path / "汇总台账.xlsx",
        late=pd.Series({1: "", 2: ""}),
        reasons=pd.Series({1: reason}),
    )
    ws = openpyxl.load_workbook(path, read_only=True).active
    table = [row for row in ws.iter_rows(values_only=True) if row[0] in ("单位代码", "GY01", "GY02")]
    header = table[0]
    # 约稿编号 is filled on both rows, 采用形式, 计分加成 and 上级计分 on none
    assert header[header.index(L.INSTRUCTION) + 1] == "约稿编号" and "采用形式" not in header
    assert header[header.index(L.POINTS) + 1] == OL.REASON_COLUMN
    first = dict(zip(header, table[1], strict=True))
    assert (first["约稿编号"], first[L.POINTS], first[OL.REASON_COLUMN]) == ("YG2025-01", 5, reason)
