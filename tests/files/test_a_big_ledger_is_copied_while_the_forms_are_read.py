"""A big ledger's generation is copied by a process of its own while the run reads the month's
forms (`backup.Pending`): kept as the ledger was before the run's first change, made again from
the run's own connection when that copy fails, and not kept at all when the run changes nothing."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.files import atomic, backup
from tests.intake_helpers import piece, write_form
from tests.small_county import UNITS, small_inputs


def _month(inputs: Path, month: str) -> None:
    filled = f"{month[:5]}{int(month[5:]) + 1:02d}-02"
    for code, name, *_ in UNITS:
        header = {L.H_MONTH: month, L.H_UNIT_CODE: code, L.H_UNIT_NAME: name, L.H_FILL_DATE: filled}
        title = f"{month} {name}开展耕地保护专项检查"
        write_form(
            inputs / month / f"{name}.xlsx", [piece(**{L.TITLE: title, L.SENT_DATE: f"{month}-06"})], header=header
        )


@pytest.fixture
def county(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """January and February processed; March's forms in; every ledger counted as big."""
    inputs, outputs = small_inputs(tmp_path / "in"), tmp_path / "out"
    for month in ("2025-01", "2025-02", "2025-03"):
        _month(inputs, month)
    flow.run_month(inputs, outputs, "2025-02")
    monkeypatch.setattr(backup, "BACKGROUND_FROM", 0)
    return inputs, outputs


def _rows(path: Path):
    with ledger.Ledger(path) as store:
        return store.rows(year=2025)


def _leftovers(outputs: Path) -> list[str]:
    return [p.name for p in (outputs / backup.FOLDER).iterdir() if p.name.startswith(atomic.TEMP_PREFIX)]


def test_the_copy_made_meanwhile_is_the_ledger_as_it_was_before_the_run_changed_it(county, monkeypatch):
    inputs, outputs = county
    before, kept_before = _rows(outputs / ledger.STORE_FILE), backup.generations(outputs)
    started = []
    monkeypatch.setattr(backup.Pending, "__init__", _spy(backup.Pending.__init__, started))
    flow.run_month(inputs, outputs, "2025-03")
    assert len(started) == 1
    [newest, *older] = backup.generations(outputs)
    assert [g.path for g in older] == [g.path for g in kept_before]
    with contextlib.closing(sqlite3.connect(newest.path)) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    assert _rows(newest.path).equals(before)
    assert not _rows(outputs / ledger.STORE_FILE).equals(before)  # March is in the ledger itself
    assert _leftovers(outputs) == []


def test_a_failed_copy_is_made_again_from_the_run_s_own_connection(county, monkeypatch):
    inputs, outputs = county
    before = _rows(outputs / ledger.STORE_FILE)
    monkeypatch.setattr(backup, "_COPY", "import sys; sys.exit(3)")
    flow.run_month(inputs, outputs, "2025-03")
    newest = backup.generations(outputs)[0]
    assert _rows(newest.path).equals(before)
    assert _leftovers(outputs) == []


def test_a_run_that_changes_nothing_keeps_no_copy_and_leaves_nothing_behind(county):
    _, outputs = county
    kept_before = backup.generations(outputs)
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        store.start_generation()
        assert store._pending is not None
    assert backup.generations(outputs) == kept_before
    assert _leftovers(outputs) == []


def test_a_small_ledger_is_copied_by_the_run_itself(county, monkeypatch):
    inputs, outputs = county
    monkeypatch.setattr(backup, "BACKGROUND_FROM", (outputs / ledger.STORE_FILE).stat().st_size + 1)
    started = []
    monkeypatch.setattr(backup.Pending, "__init__", _spy(backup.Pending.__init__, started))
    flow.run_month(inputs, outputs, "2025-03")
    assert started == [] and len(backup.generations(outputs)) == 1


def _spy(function, calls: list):
    def spied(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return spied
