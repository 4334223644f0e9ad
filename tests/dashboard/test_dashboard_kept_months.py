"""看板's earlier months are counted once, kept in the ledger and reused; a month's forms changed
make it (and every later month) counted anew."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.dashboard import figures
from pipeline.plan.plan import load_plan
from pipeline.reports import reports
from pipeline.scoring import scoring
from tests.dashboard.test_dashboard import FEBRUARY, JANUARY, _data, _page, _sheet
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

MONTHS = ["2025-01", "2025-02", "2025-03"]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small county's January to March, March run (its quarter's comparisons are kept too)."""
    folder = small_inputs(tmp_path_factory.mktemp("kept") / "in")
    for month, header in (("2025-01", JANUARY), ("2025-02", FEBRUARY)):
        dates = {L.SENT_DATE: f"{month}-03", L.ADOPT_DATE: f"{month}-20"}
        write_form(
            folder / month / f"办公室{month}.xlsx", [piece(**{L.TITLE: f"办公室{month}稿件", **dates})], header=header
        )
    march = {L.H_MONTH: "2025-03", L.H_FILL_DATE: "2025-04-02"}
    dates = {L.TITLE: "办公室三月稿件", L.SENT_DATE: "2025-03-03", L.ADOPT_DATE: "2025-03-20", L.LEVEL: "省级"}
    write_form(folder / "2025-03" / "办公室3月.xlsx", [piece(**dates)], header=march)
    out = folder.parent / "out"
    flow.run_month(folder, out, "2025-03")
    return folder, out


def _kept(out: Path) -> dict[tuple[str, str], dict]:
    with sqlite3.connect(out / ledger.STORE_FILE) as db:
        return {(m, kind): json.loads(value) for m, kind, _, value in db.execute("SELECT * FROM derived")}


def _page_data(folder: Path, out: Path) -> dict:
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        return figures.page_data(store, load_plan(folder, 2025), "2025-03")


def test_a_run_keeps_every_months_figures_and_the_quarters_totals_in_the_ledger(county):
    _, out = county
    kept = _kept(out)
    assert sorted(m for m, kind in kept if kind == "看板月度") == MONTHS
    assert [m for m, kind in kept if kind == "看板季度"] == ["2025-03"]


def test_the_page_counted_from_kept_months_equals_the_page_counted_anew(county):
    folder, out = county
    from_kept = _page_data(folder, out)
    with sqlite3.connect(out / ledger.STORE_FILE) as db:
        db.execute("DELETE FROM derived")
    anew = _page_data(folder, out)

    assert json.dumps(from_kept, ensure_ascii=False) == json.dumps(anew, ensure_ascii=False)
    assert sorted(m for m, kind in _kept(out) if kind == "看板月度") == MONTHS


def test_a_kept_month_is_read_back_not_counted_again(county, tmp_path):
    folder, out = county
    copy = tmp_path / "out"
    copy.mkdir()
    (copy / ledger.STORE_FILE).write_bytes((out / ledger.STORE_FILE).read_bytes())
    with sqlite3.connect(copy / ledger.STORE_FILE) as db:
        (value,) = db.execute("SELECT value FROM derived WHERE month = '2025-01' AND kind = '看板月度'").fetchone()
        marked = json.loads(value) | {"totals": {"sent": 999, "adopted": 0, "adoptions": 0}}
        db.execute("UPDATE derived SET value = ? WHERE month = '2025-01' AND kind = '看板月度'", (json.dumps(marked),))

    assert _page_data(folder, copy)["totalsByMonth"][0]["sent"] == 999


def test_forms_of_an_earlier_month_changed_make_it_and_later_months_counted_anew(county):
    folder, out = county
    before = _kept(out)
    dates = {L.SENT_DATE: "2025-02-04", L.ADOPT_DATE: "2025-02-21"}
    write_form(
        folder / "2025-02" / "规划股2月.xlsx",
        [piece(**{L.TITLE: "规划股二月新稿件", L.AUTHORS: "李明", **dates})],
        header={**FEBRUARY, L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"},
    )

    flow.run_month(folder, out, "2025-03")  # February is caught up first, then March

    after = _kept(out)
    assert after[("2025-01", "看板月度")] == before[("2025-01", "看板月度")]
    assert after[("2025-02", "看板月度")] != before[("2025-02", "看板月度")]
    data = _data(_page(out).read_text(encoding="utf-8"))
    for index, month in enumerate(MONTHS):
        for row in _sheet(out / month / reports.STATISTICS_FILE, "单位统计"):
            assert data["trend"][row[L.UNIT_CODE]]["sent"][index] == row["本月报送数"], (month, row[L.UNIT_CODE])
    assert data["totalsByMonth"][1]["sent"] == 2


def test_the_page_from_the_rows_a_run_holds_without_the_unread_columns_equals_the_page_read_from_the_ledger(county):
    folder, out = county
    plan = load_plan(folder, 2025)
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        rows = store.rows(through="2025-03", without=scoring.UNREAD_COLUMNS)
        held = figures.page_data(store, plan, "2025-03", rows=rows[rows[L.MONTH] >= "2024-01"])
        read = figures.page_data(store, plan, "2025-03")

    assert json.dumps(held, ensure_ascii=False) == json.dumps(read, ensure_ascii=False)
