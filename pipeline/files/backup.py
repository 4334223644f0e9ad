"""The ledger's generations: a copy made with SQLite's backup API before a run first changes the
ledger, the last `GENERATIONS` kept in `<outputs>/台账备份/`, and putting one back
(`python run.py backups --restore N`).

A copy through the backup API is consistent even while the WAL holds recent transactions,
which a copy of the file's bytes is not.

A province's ledger is a gigabyte by its second year: copying it took seconds of every month's
run. A run may start the copy in a process of its own when it opens the ledger (`Pending`), while
it reads and checks the month's forms, and keep it as the generation when it first changes the
ledger (or drop it, when it changes nothing). The copy reads one snapshot of the ledger (a WAL
reader sees no transaction committed after it began), and the run waits for the copy to end
before its first change; what the run writes before that is only cached figures
(`Ledger.keep_derived`), which a generation may hold or not alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
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
    target = _new_name(outputs)
    copy_into(db, target)
    if prune:
        _prune(outputs)
    return target


def _new_name(outputs: Path) -> Path:
    folder = Path(outputs) / FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target, again = folder / f"ledger-{stamp}.sqlite", 1
    while target.exists():
        again += 1
        target = folder / f"ledger-{stamp}-{again}.sqlite"
    return target


def _prune(outputs: Path) -> None:
    for old in generations(outputs)[GENERATIONS:]:
        old.path.unlink()


def copy_into(db: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database `db` at `target`, written atomically."""
    with atomic.atomic_path(target) as tmp, contextlib.closing(sqlite3.connect(tmp)) as copy:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file


# Ledgers from this size on are copied by a process of their own (`Pending`): a county's copies
# in a blink, and starting a process would cost it more than it saves.
BACKGROUND_FROM = 64 * 1024 * 1024

# The copying process: a fresh interpreter that imports nothing but sqlite3 (a forked copy of the
# run would carry the run's own connection, which SQLite forbids using across fork).
_COPY = """
import contextlib, pathlib, sqlite3, sys
source, target = pathlib.Path(sys.argv[1]), sys.argv[2]
with contextlib.closing(sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)) as db:
    with contextlib.closing(sqlite3.connect(target)) as copy:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
"""


class Pending:
    """The ledger at `ledger` being copied into a generation by another process: into a temporary
    `.tmp-*.sqlite` in the generations' folder (which the next run removes, should this one be
    killed), made a generation by `keep`, or removed by `drop`."""

    def __init__(self, ledger: Path, outputs: Path) -> None:
        self._outputs = Path(outputs)
        folder = self._outputs / FOLDER
        folder.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=atomic.TEMP_PREFIX, suffix=".sqlite", dir=folder)
        os.close(fd)
        self._tmp = Path(tmp)
        try:
            self._copying: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", "-c", _COPY, str(ledger), str(self._tmp)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            self._tmp.unlink()
            raise

    def keep(self, db: sqlite3.Connection) -> Path:
        """Waits for the copy and makes it the newest generation, pruning the oldest beyond
        `GENERATIONS`. Should the copy have failed (a full disk, a killed process), the ledger
        is copied again from `db`, the run's own connection, which raises what goes wrong."""
        copying, self._copying = self._copying, None
        try:
            copied = copying is not None and copying.wait() == 0
            target = _new_name(self._outputs)
            if copied:
                os.chmod(self._tmp, 0o666 & ~atomic.umask())
                os.replace(self._tmp, target)
            else:
                copy_into(db, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()
        _prune(self._outputs)
        return target

    def drop(self) -> None:
        """Ends the copy and removes it: the run changed nothing."""
        copying, self._copying = self._copying, None
        if copying is not None:
            copying.kill()
            copying.wait()
        with contextlib.suppress(FileNotFoundError):
            self._tmp.unlink()


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
