"""A grouped circular's workbook is written beside it in the period's folder, listed in the
summary, and gone again once the plan lists every unit: the folder holds what the last render
made."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import flow
from pipeline.core import labels as L
from pipeline.documents import pdf
from pipeline.scoring import periods
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

Q1 = periods.quarter("2025Q1")


def _grouping(inputs: Path, value: str | None) -> None:
    path = inputs / "plan-2025.xlsx"
    workbook = openpyxl.load_workbook(path)
    rules = workbook[L.S_RULES]
    for row in range(rules.max_row, 0, -1):
        if rules.cell(row, 1).value == L.R_ANNEX_GROUPING:
            rules.delete_rows(row)
    if value is not None:
        rules.append([L.R_ANNEX_GROUPING, value])
    workbook.save(path)


@pytest.fixture
def quarter(tmp_path, monkeypatch) -> tuple[Path, Path]:
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    inputs = small_inputs(tmp_path / "in")
    for month in ("2025-01", "2025-02", "2025-03"):
        day = f"{month}-05"
        header = {L.H_MONTH: month, L.H_FILL_DATE: f"{month}-25"}
        write_form(
            inputs / month / f"办公室{month}.xlsx", [piece(**{L.SENT_DATE: day, L.ADOPT_DATE: day})], header=header
        )
    outputs = tmp_path / "out"
    flow.run_month(inputs, outputs, "2025-03")
    return inputs, outputs


def test_a_grouped_circular_writes_its_workbook_and_a_listed_one_removes_it(quarter):
    inputs, outputs = quarter
    assert not (outputs / "2025-Q1" / "季度通报.xlsx").exists()
    _grouping(inputs, "按单位类别")
    grouped = flow.render_circular(inputs, outputs, Q1)
    assert grouped.workbook == outputs / "2025-Q1" / "季度通报.xlsx"
    names = [row[0] for row in openpyxl.load_workbook(grouped.workbook)["得分情况统计表"].iter_rows(values_only=True)]
    assert names[0] == "单位" and len(names) == 1 + 3  # every unit of the three-unit county
    monthly = flow.render_circular(inputs, outputs, periods.single_month("2025-02"))
    assert monthly.workbook == outputs / "2025-02" / "月度通报.xlsx"
    _grouping(inputs, "逐单位")
    assert flow.render_circular(inputs, outputs, Q1).workbook is None
    assert flow.render_circular(inputs, outputs, periods.single_month("2025-02")).workbook is None
    assert not list(outputs.rglob("*通报.xlsx"))


def test_choosing_a_grouping_processes_no_month_again(quarter):
    inputs, outputs = quarter
    _grouping(inputs, "按单位类别")
    result = flow.run_month(inputs, outputs, "2025-03")
    assert result.caught_up == [] and result.replanned == []
    assert result.circular[-1] == outputs / "2025-Q1" / "季度通报.xlsx"
