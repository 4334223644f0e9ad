"""A run killed part-way (power cut, Ctrl-C, SIGKILL) leaves nothing that the next run does not
clean up: after runs of the demo's February killed at random points, one more run gives the
same ledger and outputs as a clean run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import run
from pipeline import flow, ledger, lock, reports

ROOT = Path(run.__file__).resolve().parent
MONTH = "2025-02"  # January is caught up first: two months, a few seconds
SEED = 20250226
KILLS = 3


def _run(outputs: Path) -> subprocess.Popen:
    command = [sys.executable, "run.py", "--month", MONTH, "--inputs", str(ROOT / "inputs"), "--outputs", str(outputs)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _finished(outputs: Path) -> float:
    start = time.monotonic()
    process = _run(outputs)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    return time.monotonic() - start


def _names(outputs: Path) -> list[str]:
    """Every file and folder but the ledger's own files and the lock."""
    names = [path.relative_to(outputs).as_posix() for path in sorted(outputs.rglob("*"))]
    return [name for name in names if not name.startswith(ledger.LEDGER_FILE) and name != lock.LOCK_FILE]


def _state(outputs: Path) -> dict[str, object]:
    """What a reader sees: the ledger's rows and returns, every workbook's cell values, the
    manifests' inputs and rows, and the list of files."""
    with ledger.Ledger(outputs / ledger.LEDGER_FILE) as store:
        state: dict[str, object] = {
            "rows": store.rows(year=2025).to_dict("records"),
            "returns": store.returns(year=2025).to_dict("records"),
            "pending": store.pending_months(),
        }
    for path in sorted(outputs.rglob("*")):
        name = path.relative_to(outputs).as_posix()
        if path.suffix == ".xlsx":
            workbook = CalamineWorkbook.from_path(str(path))
            state[name] = [workbook.get_sheet_by_name(sheet).to_python() for sheet in workbook.sheet_names]
        elif path.name == reports.MANIFEST_FILE:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            state[name] = (manifest["inputs"], manifest["rows"])
    return state


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_runs_killed_at_random_points_then_one_run_equal_a_clean_run(tmp_path):
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    duration = _finished(clean)
    rng = random.Random(SEED)
    for _ in range(KILLS):
        process = _run(killed)
        time.sleep(rng.uniform(0.5, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
    _finished(killed)
    assert _names(killed) == _names(clean)
    assert _state(killed) == _state(clean)


def test_the_leftovers_of_a_killed_run_are_removed(tmp_path):
    month = tmp_path / "2025-03"
    (month / "回执").mkdir(parents=True)
    leftovers = [
        tmp_path / ".2025-03-new-k2j4x_9a",
        tmp_path / ".2025-03-old-4711",
        month / "回执" / ".tmp-a1b2c3d4.xlsx",
    ]
    for path in leftovers[:2]:
        (path / "回执").mkdir(parents=True)
    leftovers[2].write_bytes(b"half a workbook")
    kept = [
        month / "回执" / "GS01-办公室.xlsx",
        tmp_path / ".lock",
        tmp_path / "ledger.sqlite-wal",
        tmp_path / ".hidden",
    ]
    for path in kept:
        path.write_bytes(b"kept")
    with flow.outputs_session(tmp_path):
        assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in kept)
