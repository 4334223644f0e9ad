"""按时报送 is judged by the earliest version of a unit's form received for the month: a unit
that returned on time and later sent the correction its receipt asked for is not 迟报."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.plan.plan import load_plan
from pipeline.reports import reports
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

MISSING_REVIEWER = {L.TITLE: "缺审核人的稿件", L.REVIEWER: ""}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = small_inputs(tmp_path / "in")
    # GS01 on time with a faulty row, corrected after the deadline; GS02 late from the start.
    write_form(folder / "2025-03" / "办公室.xlsx", [piece(), piece(**MISSING_REVIEWER)])
    corrected = [piece(), piece(**{**MISSING_REVIEWER, L.REVIEWER: "马主任"})]
    write_form(folder / "2025-03" / "办公室（更正）.xlsx", corrected, header={L.H_FILL_DATE: "2025-04-20"})
    gs02 = {L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股", L.H_FILL_DATE: "2025-04-20"}
    write_form(folder / "2025-03" / "规划股.xlsx", [piece(**{L.TITLE: "规划股稿件"})], header=gs02)
    return folder


def _on_time(statistics: Path) -> dict[str, str]:
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(statistics)["单位统计"].iter_rows()]
    column = rows[0].index("按时报送")
    return {row[0]: row[column] for row in rows[1:] if row[0] in ("GS01", "GS02")}


def test_a_correction_after_the_deadline_keeps_the_first_versions_date(inputs, tmp_path):
    out = tmp_path / "out"
    assert load_plan(inputs, 2025).rules.deadline_day < 20
    result = flow.run_month(inputs, out, "2025-03")
    assert sorted((f.path, f.fate) for f in result.files) == [
        ("办公室.xlsx", "superseded"),
        ("办公室（更正）.xlsx", "accepted"),
        ("规划股.xlsx", "accepted"),
    ]
    assert _on_time(out / "2025-03" / reports.STATISTICS_FILE) == {"GS01": "是", "GS02": "迟报"}
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        returns = store.returns(year=2025).set_index(L.UNIT_CODE)
    assert str(returns.loc["GS01", L.SUBMITTED_ON].date()) == "2025-04-20"
    assert str(returns.loc["GS01", L.FIRST_SUBMITTED_ON].date()) == "2025-04-02"
