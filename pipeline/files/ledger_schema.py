"""The ledger's SQLite schema: its tables as numbered migrations, opening the file, and bringing
an older file up to date (or refusing a newer one). `pipeline.ledger` is the store built on it."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from pathlib import Path

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.core.errors import OutputsUnwritable, PipelineError
from pipeline.files import atomic, faults

INT_COLUMNS = (L.ROW_ID, L.SOURCE_ROW)
# The rows table as version 1 made it; later columns come from their own migrations, so a
# ledger migrated step by step and a new one hold the same columns in the same order.
_FIRST_ROW_COLUMNS = tuple(c for c in L.ROW_COLUMNS if c not in S.SCHEME_FORM_COLUMNS)


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _row_column_type(column: str) -> str:
    return "INTEGER NOT NULL" if column in INT_COLUMNS else "TEXT"


# Each entry migrates the schema from version i to i + 1 (PRAGMA user_version counts them).
_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE rows ("
        + ", ".join(f"{quoted(c)} {_row_column_type(c)}" for c in _FIRST_ROW_COLUMNS)
        + f", PRIMARY KEY ({quoted(L.MONTH)}, {quoted(L.ROW_ID)}))",
        "CREATE TABLE problems (month TEXT NOT NULL, seq INTEGER NOT NULL, code TEXT NOT NULL,"
        " severity TEXT NOT NULL, message TEXT NOT NULL, unit_code TEXT, unit_name TEXT, source_file TEXT,"
        " sheet TEXT, row INTEGER, column TEXT, value TEXT, row_id INTEGER, PRIMARY KEY (month, seq))",
        "CREATE TABLE files (month TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER,"
        " modified REAL, fate TEXT NOT NULL, reason TEXT, unit_code TEXT, unit_name TEXT, form_month TEXT,"
        " fill_date TEXT, header TEXT, template_version TEXT, rows_read INTEGER, rows_accepted INTEGER,"
        " rows_rejected INTEGER, PRIMARY KEY (month, path))",
        "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT NOT NULL,"
        " month TEXT NOT NULL, reason TEXT NOT NULL, counts TEXT NOT NULL, files TEXT NOT NULL)",
        "CREATE INDEX runs_month ON runs (month)",
    ),
    # Months whose stored data changed (or an earlier month's did) and whose outputs were not
    # written since: a run killed between the ledger and the outputs leaves its month here.
    ("CREATE TABLE pending (month TEXT PRIMARY KEY)",),
    # The plan each run used (its hash; NULL for runs before this was recorded), and each plan's
    # figures-relevant lines, so a changed plan redoes the months and says what changed.
    (
        "ALTER TABLE runs ADD COLUMN plan TEXT",
        "CREATE TABLE plans (hash TEXT PRIMARY KEY, lines TEXT NOT NULL)",
    ),
    # The columns a plan's scheme adds to the form (采用形式, 计分加成, 约稿编号, 上级计分);
    # rows stored before them, and every row of a year without a scheme, hold ''.
    tuple(f"ALTER TABLE rows ADD COLUMN {quoted(c)} TEXT NOT NULL DEFAULT ''" for c in S.SCHEME_FORM_COLUMNS),
    # Figures derived from the months up to `month` (the dashboard's month by month), kept so a
    # run does not recount the whole year; `key` names what they were computed with (the plan,
    # the program). Replacing a month deletes its own and every later month's.
    (
        "CREATE TABLE derived (month TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY (month, kind))",
    ),
    # Each month's rows as one columnar record (`row_frames`), written with the month by the
    # run named in `run`; `columns` lists the row columns it holds.
    (
        "CREATE TABLE row_frames (month TEXT PRIMARY KEY, run INTEGER NOT NULL, columns TEXT NOT NULL, frame BLOB NOT NULL)",
    ),
)
SCHEMA_VERSION = len(_MIGRATIONS)


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        if new:
            # SQLite creates files 0644 whatever the umask; the office's shared folder may need 0664.
            os.chmod(path, 0o666 & ~atomic.umask())
        return db
    except (OSError, sqlite3.Error) as exc:
        raise OutputsUnwritable(path=path, reason=f"台账数据库无法打开：{exc}") from exc


def _check(db: sqlite3.Connection, path: Path) -> None:
    faults.check_store(db, path, _expected_tables())


@functools.cache
def _expected_tables() -> dict[str, list[str]]:
    """Each table's columns as the migrations make them."""
    with contextlib.closing(sqlite3.connect(":memory:")) as db:
        for statements in _MIGRATIONS:
            for statement in statements:
                db.execute(statement)
        names = [
            n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") if n != "sqlite_sequence"
        ]
        return {name: faults.columns(db, name) for name in names}


def migrate(db: sqlite3.Connection, path: Path, *, check: bool = True) -> None:
    """Brings the ledger's schema to `SCHEMA_VERSION`, then checks it (`faults.check_store`);
    a ledger already at that version is checked only when `check`."""
    db.execute("PRAGMA journal_mode=WAL")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise PipelineError(
            detail=f"台账文件 {path} 由更新版本的程序创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}）。"
            "请升级程序后再运行。"
        )
    if version == SCHEMA_VERSION:
        if check:
            _check(db, path)
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have migrated between the check and the lock.
        current = db.execute("PRAGMA user_version").fetchone()[0]
        for statements in _MIGRATIONS[current:]:
            for statement in statements:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        _check(db, path)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
