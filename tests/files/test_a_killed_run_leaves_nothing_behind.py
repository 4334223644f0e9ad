"""A run killed part-way (power cut, Ctrl-C, SIGKILL) leaves nothing that the next run does not
clean up: after runs of February (January caught up first) killed at random points, one more run
gives the same ledger and outputs as a clean run."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import run
from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.files import backup, lock, workspace
from pipeline.reports import reports
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

ROOT = Path(run.__file__).resolve().parent
MONTH = "2025-02"  # January is caught up first: two months, a few seconds in all
SEED = 2
KILLS = 3


def _inputs(folder: Path) -> Path:
    """January and February of the three-unit county: a correction superseding a form, a
    faulty row, a unit that returns nothing in January."""
    small_inputs(folder)
    for month, sent, filled in (("2025-01", "2025-01-06", "2025-02-03"), ("2025-02", "2025-02-05", "2025-03-04")):
        dates = {L.SENT_DATE: sent, L.ADOPT_DATE: sent[:-2] + "20"}
        rows = [piece(**dates), piece(**{**dates, L.TITLE: f"{month} 县级与市级", L.LEVEL: "市级"})]
        header = {L.H_MONTH: month, L.H_FILL_DATE: filled}
        write_form(
            folder / month / "办公室.xlsx",
            [*rows, piece(**{**dates, L.REVIEWER: "", L.TITLE: "缺审核人"})],
            header=header,
        )
        write_form(folder / month / "办公室（更正）.xlsx", rows, header={**header, L.H_FILL_DATE: filled[:-2] + "09"})
        gs02 = {**header, L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"}
        write_form(folder / month / "规划股.xlsx", [piece(**{**dates, L.TITLE: f"{month} 规划股稿件"})], header=gs02)
    gs03 = {L.H_MONTH: "2025-02", L.H_UNIT_CODE: "GS03", L.H_UNIT_NAME: "耕地保护股", L.H_FILL_DATE: "2025-03-02"}
    write_form(
        folder / "2025-02" / "耕保股.xlsx",
        [
            piece(
                **{
                    L.SENT_DATE: "2025-02-10",
                    L.STATUS: "未采用",
                    L.OUTLET: "",
                    L.LEVEL: "",
                    L.ADOPT_DATE: "",
                    L.PROOF: "",
                }
            )
        ],
        header=gs03,
    )
    return folder


def _run(inputs: Path, outputs: Path) -> subprocess.Popen:
    command = [sys.executable, "run.py", "--month", MONTH, "--inputs", str(inputs), "--outputs", str(outputs)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _finished(inputs: Path, outputs: Path) -> tuple[float, float]:
    """Runs to the end. Returns how long the run took to start on the months (from taking the
    lock to opening the ledger: reading the plan) and how long it then worked."""
    process = _run(inputs, outputs)
    _working(process, outputs)
    start = time.monotonic()
    while not (outputs / ledger.STORE_FILE).exists() and process.poll() is None:
        time.sleep(0.02)
    months = time.monotonic()
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    return months - start, time.monotonic() - months


def _working(process: subprocess.Popen, outputs: Path) -> None:
    """Waits until the run holds the outputs lock: its imports are done and its work begins."""
    while process.poll() is None:
        if (outputs / lock.LOCK_FILE).is_file() and (outputs / lock.LOCK_FILE).read_text().startswith(
            f"{process.pid} "
        ):
            return
        time.sleep(0.02)


def _names(outputs: Path) -> list[str]:
    """Every file and folder but the ledger's own files and the lock."""
    names = [path.relative_to(outputs).as_posix() for path in sorted(outputs.rglob("*"))]
    return [
        name
        for name in names
        if not name.startswith((ledger.STORE_FILE, backup.FOLDER))
        and name != lock.LOCK_FILE  # generations differ in time
    ]


def _state(outputs: Path) -> dict[str, object]:
    """What a reader sees: the ledger's rows and returns, every workbook's cell values, the
    manifests' inputs and rows, and the list of files."""
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
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
    inputs, clean, killed = _inputs(tmp_path / "in"), tmp_path / "clean", tmp_path / "killed"
    plan, work = _finished(inputs, clean)
    rng = random.Random(SEED)
    for _ in range(KILLS):
        process = _run(inputs, killed)
        _working(process, killed)
        time.sleep(plan + rng.uniform(0, work))  # somewhere in the months' work
        process.send_signal(signal.SIGKILL)
        process.wait()
    _finished(inputs, killed)
    assert _names(killed) == _names(clean)
    assert _state(killed) == _state(clean)


def test_the_leftovers_of_a_killed_run_are_removed(tmp_path):
    month = tmp_path / "2025-03"
    (month / "回执").mkdir(parents=True)
    leftovers = [
        tmp_path / ".2025-03-new-k2j4x_9a",
        tmp_path / ".2025-03-old-4711",
        month / "回执" / ".tmp-a1b2c3d4.xlsx",
        tmp_path / ".2025-03-月度通报-new-x7k2m9qa",  # a monthly circular's render, killed
    ]
    leftovers[3].mkdir()
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
    with workspace.outputs_session(tmp_path):
        assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in kept)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The inputs, and the outputs of a clean run."""
    folder = tmp_path_factory.mktemp("county")
    inputs = _inputs(folder / "in")
    flow.run_month(inputs, folder / "clean", MONTH)
    return inputs, folder / "clean"


def test_a_run_stopped_between_the_ledger_and_the_outputs_is_finished_by_the_next(county, tmp_path, monkeypatch):
    (inputs, clean), stopped = county, tmp_path / "stopped"
    real = reports.write_statistics

    def ctrl_c_in_january(tables, target, **kwargs):
        if "2025-01" in str(target):
            raise KeyboardInterrupt
        return real(tables, target, **kwargs)

    monkeypatch.setattr(reports, "write_statistics", ctrl_c_in_january)
    with pytest.raises(KeyboardInterrupt):
        flow.run_month(inputs, stopped, MONTH)
    monkeypatch.undo()
    assert not (stopped / "2025-01").exists()  # January is in the ledger, its outputs are not

    assert flow.run_month(inputs, stopped, MONTH).caught_up == ["2025-01"]
    assert _names(stopped) == _names(clean)
    assert _state(stopped) == _state(clean)


def test_a_run_stopped_while_swapping_a_month_folder_in_is_finished_by_the_next(county, tmp_path, monkeypatch):
    (inputs, clean), stopped = county, tmp_path / "stopped"
    flow.run_month(inputs, stopped, MONTH)
    real = os.replace

    def power_cut_before_the_new_folder_moves_in(source, target):
        if Path(source).name.startswith(f".{MONTH}-new-"):
            raise KeyboardInterrupt
        return real(source, target)

    monkeypatch.setattr(os, "replace", power_cut_before_the_new_folder_moves_in)
    monkeypatch.setattr(workspace, "fresh_folder", _fresh_folder_without_cleanup)
    with pytest.raises(KeyboardInterrupt):
        flow.run_month(inputs, stopped, MONTH)
    monkeypatch.undo()
    assert not (stopped / MONTH).exists() and len(list(stopped.glob(f".{MONTH}-*"))) == 2

    flow.run_month(inputs, stopped, MONTH)
    assert _names(stopped) == _names(clean)
    assert _state(stopped) == _state(clean)


@contextlib.contextmanager
def _fresh_folder_without_cleanup(target: Path, **_ours):
    """`workspace.fresh_folder` as a killed process runs it: no `finally` clause gets to clean up."""
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    yield fresh
    os.replace(target, target.parent / f".{target.name}-old-{os.getpid()}")
    os.replace(fresh, target)
