"""A grouped circular's workbook is written beside it in the period's folder, listed in the
summary, and gone again once the plan lists every unit: the folder holds what the last render
made."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import flow
from pipeline.core import labels as L
from pipeline.core.errors import DiskFull
from pipeline.documents import pdf
from pipeline.files import parallel
from pipeline.scoring import periods
from pipeline.xlsx import big_table
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


def _sheets(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook}


def test_a_big_workbook_is_written_by_a_second_process_as_it_is_written_here(quarter, monkeypatch):
    inputs, outputs = quarter
    _grouping(inputs, "按单位类别")
    here = _sheets(flow.render_circular(inputs, outputs, Q1).workbook)
    started = []
    original = parallel.Background

    def counted(*args, **kwargs):
        started.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "Background", counted)
    result = flow.run_month(inputs, outputs, "2025-03")
    assert started == [big_table.save_tables]
    assert _sheets(outputs / "2025-Q1" / "季度通报.xlsx") == here
    assert result.circular[-1] == outputs / "2025-Q1" / "季度通报.xlsx"


def test_a_workbook_the_second_process_cannot_write_leaves_the_quarter_as_it_was(quarter, monkeypatch):
    inputs, outputs = quarter
    before = sorted(p.name for p in (outputs / "2025-Q1").iterdir())

    original = big_table.save_tables

    def full(path, sheets):  # the disk fills up while the circular's workbook is written
        if path.name.endswith("通报.xlsx"):
            raise OSError(28, "No space left on device", str(path))
        return original(path, sheets)

    _grouping(inputs, "按单位类别")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(big_table, "save_tables", full)
    with pytest.raises(DiskFull, match=r"季度通报\.xlsx"):
        flow.run_month(inputs, outputs, "2025-03")
    assert sorted(p.name for p in (outputs / "2025-Q1").iterdir()) == before
    assert not [p for p in outputs.iterdir() if p.name.startswith(".2025-Q1")]
