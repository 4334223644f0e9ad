"""The ledger's generations: a copy made with SQLite's backup API before a run first changes the
ledger, the last `GENERATIONS` kept in `<outputs>/台账备份/`, and putting one back
(`python run.py backups --restore N`).

A copy through the backup API is consistent even while the WAL holds recent transactions,
which a copy of the file's bytes is not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.errors import PipelineError
from pipeline.files import atomic

FOLDER = "台账备份"
GENERATIONS = 5
_NAME = re.compile(r"^ledger-(\d{8}-\d{6})(-\d+)?\.sqlite$")


class BackupMissing(PipelineError):
    """没有编号为 {number} 的台账备份。请先运行 python run.py backups 查看现有备份的编号。"""

    exit_code = 13


@dataclass(frozen=True)
class Generation:
    """A kept copy of the ledger; `number` 1 is the newest."""

    number: int
    path: Path
    made: dt.datetime
    size: int


def generations(outputs: Path) -> list[Generation]:
    """The kept copies, newest first."""
    folder = Path(outputs) / FOLDER
    paths = sorted((p for p in folder.glob("ledger-*.sqlite") if _NAME.match(p.name)), key=_order, reverse=True)
    return [
        Generation(n, p, dt.datetime.strptime(_NAME.match(p.name).group(1), "%Y%m%d-%H%M%S"), p.stat().st_size)
        for n, p in enumerate(paths, start=1)
    ]


def _order(path: Path) -> tuple[str, int]:
    stamp, again = _NAME.match(path.name).groups()
    return stamp, int((again or "-0")[1:])


def keep(db: sqlite3.Connection, outputs: Path, *, prune: bool = True) -> Path:
    """Copies the open ledger `db` into a new generation and (with `prune`) removes those beyond
    `GENERATIONS`. Returns the copy's path."""
    folder = Path(outputs) / FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target, again = folder / f"ledger-{stamp}.sqlite", 1
    while target.exists():
        again += 1
        target = folder / f"ledger-{stamp}-{again}.sqlite"
    copy_into(db, target)
    for old in generations(outputs)[GENERATIONS:] if prune else []:
        old.path.unlink()
    return target


def copy_into(db: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database `db` at `target`, written atomically."""
    with atomic.atomic_path(target) as tmp, contextlib.closing(sqlite3.connect(tmp)) as copy:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


def restore(outputs: Path, number: int, ledger: Path, *, sound: bool) -> Generation:
    """Puts generation `number` back as the ledger at `ledger`. The ledger it replaces is kept
    first: as a generation when it is `sound`, else byte for byte beside the generations
    (`ledger-损坏-<time>.sqlite`), so a restore never loses anything.

    Only call it while holding the outputs lock (no other connection may be open)."""
    chosen = {g.number: g for g in generations(outputs)}.get(number)
    if chosen is None:
        raise BackupMissing(number=number)
    source = chosen.path.read_bytes()  # before keeping the current one moves the numbers
    if ledger.exists():
        _keep_current(outputs, ledger, sound)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{ledger}{suffix}")  # a WAL of the replaced ledger must not apply to the restored one
    atomic.write_bytes(ledger, source)
    return chosen


def _keep_current(outputs: Path, ledger: Path, sound: bool) -> None:
    if sound:
        with contextlib.closing(sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)) as db:
            keep(db, outputs, prune=False)  # the one asked for may be the oldest
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (Path(outputs) / FOLDER).mkdir(exist_ok=True)
    atomic.write_bytes(Path(outputs) / FOLDER / f"ledger-损坏-{stamp}.sqlite", ledger.read_bytes())
