"""Processing a month brings every later month already in the ledger up to date: a unit's
correction to March after April was processed changes April's cumulative figures at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import run
from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.reports import reports
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

APRIL = {L.H_MONTH: "2025-04", L.H_FILL_DATE: "2025-05-02"}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = small_inputs(tmp_path / "in")
    write_form(folder / "2025-03" / "办公室3月.xlsx", [piece()])
    april = piece(**{L.TITLE: "四月稿件", L.SENT_DATE: "2025-04-03", L.ADOPT_DATE: "2025-04-10"})
    write_form(folder / "2025-04" / "办公室4月.xlsx", [april], header=APRIL)
    return folder


def _points_ytd(statistics: Path, unit: str) -> float:
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(statistics)["单位统计"].iter_rows()]
    column = rows[0].index("累计得分")
    return next(row[column] for row in rows if row[0] == unit)


def test_correcting_march_after_april_updates_april(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    first = flow.run_month(inputs, out, "2025-04")
    assert first.refreshed == []
    assert _points_ytd(out / "2025-04" / reports.STATISTICS_FILE, "GS01") == 10  # 5 in March, 5 in April
    corrected = piece(**{L.TITLE: "三月补报的市级稿件", L.LEVEL: "市级", L.PROOF: "第13期"})
    write_form(inputs / "2025-03" / "办公室3月更正.xlsx", [piece(), corrected], header={L.H_FILL_DATE: "2025-04-05"})

    result = flow.run_month(inputs, out, "2025-03")

    assert result.refreshed == ["2025-04"] and result.not_refreshed == []
    assert "  已一并更新其后月份：2025-04（其累计数据依赖本月）" in run.summary(result).splitlines()
    assert _points_ytd(out / "2025-03" / reports.STATISTICS_FILE, "GS01") == 15
    assert _points_ytd(out / "2025-04" / reports.STATISTICS_FILE, "GS01") == 20
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        assert [r["reason"] for r in store.runs("2025-04")] == ["requested", "refresh"]
        assert store.pending_months() == []


def test_a_later_month_whose_folder_is_gone_is_named_not_refreshed(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-04")
    shutil.rmtree(inputs / "2025-04")
    result = flow.run_month(inputs, out, "2025-03")
    assert result.refreshed == [] and result.not_refreshed == ["2025-04"]
    notice = "  注意：2025-04 的报送目录或计划表已不存在，其输出未更新，数字可能已过时"
    assert notice in run.summary(result).splitlines()


def test_a_changed_month_caught_up_brings_the_months_between_up_to_date_too(inputs, tmp_path):
    out = tmp_path / "out"
    february = {L.H_MONTH: "2025-02", L.H_FILL_DATE: "2025-03-02"}
    dates = {L.SENT_DATE: "2025-02-03", L.ADOPT_DATE: "2025-02-10"}
    write_form(inputs / "2025-02" / "办公室2月.xlsx", [piece(**{L.TITLE: "二月稿件", **dates})], header=february)
    assert flow.run_month(inputs, out, "2025-04").caught_up == ["2025-02", "2025-03"]
    assert _points_ytd(out / "2025-03" / reports.STATISTICS_FILE, "GS01") == 10
    gs02 = {**february, L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"}
    write_form(inputs / "2025-02" / "规划股2月.xlsx", [piece(**{L.TITLE: "规划股二月稿件", **dates})], header=gs02)

    result = flow.run_month(inputs, out, "2025-04")

    assert result.caught_up == ["2025-02", "2025-03"]
    assert _points_ytd(out / "2025-03" / reports.STATISTICS_FILE, "GS02") == 5 - 2  # March not returned
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        assert store.pending_months() == []
