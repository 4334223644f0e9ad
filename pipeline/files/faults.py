"""The machine's faults said in Chinese: an `OSError` or a SQLite error met anywhere in a run
becomes the `PipelineError` naming what happened and what to do (see README 退出码), instead of
a traceback. The outputs stay complete or untouched by themselves (`workspace.fresh_folder`,
`atomic.atomic_path`, the ledger's transactions); this module only words the stop."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.errors import DiskFull, InputUnreadable, LedgerDamaged, OutputsUnwritable

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS}

# What the clerk can check, by errno.
REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许修改：文件夹可能被设为只读或不可更改",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "正被其他程序使用",
    errno.EIO: "读写磁盘出错，磁盘或网络共享可能有故障",
}

LEDGER_NAME = "ledger.sqlite"


@contextmanager
def said(inputs: Path | None, outputs: Path) -> Iterator[None]:
    """Turns the machine's faults met in the block into Chinese `PipelineError`s."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise ledger_fault(Path(outputs) / LEDGER_NAME, exc) from exc
    except OSError as exc:
        raise os_fault(exc, inputs, Path(outputs)) from exc


def os_fault(exc: OSError, inputs: Path | None, outputs: Path) -> Exception:
    """The Chinese error for an `OSError` met while reading `inputs` or writing `outputs`."""
    path = Path(exc.filename) if exc.filename else outputs
    reason = REASONS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    if exc.errno in _FULL:
        return DiskFull(path=path)
    if inputs is not None and _inside(path, Path(inputs)) and not _inside(path, outputs):
        return InputUnreadable(path=path, reason=reason)
    if exc.errno in _REFUSED and not path.exists():
        path = path.parent  # a file or folder that could not be made: name where it was to go
    return OutputsUnwritable(path=_named(path), reason=reason)


def ledger_fault(path: Path, exc: sqlite3.DatabaseError) -> Exception:
    """The Chinese error for what SQLite said about the ledger."""
    text = str(exc)
    if "full" in text:
        return DiskFull(path=path)
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return OutputsUnwritable(path=path, reason="台账正被另一次运行占用，请等其结束后再运行")
    if isinstance(exc, sqlite3.OperationalError) and ("readonly" in text or "unable to open" in text):
        return OutputsUnwritable(path=path, reason=f"台账数据库无法写入：{text}")
    if "disk I/O" in text:
        return OutputsUnwritable(path=path, reason="读写磁盘出错，磁盘或网络共享可能有故障")
    return LedgerDamaged(path=path, reason=text)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return False
    return True


def _named(path: Path) -> Path:
    """A temporary folder of ours (`.forms-new-…`) named as the folder it stands for."""
    for part in (path, *path.parents):
        if part.name.startswith(".") and "-new-" in part.name:
            return part.parent
    return path


def check_store(db: sqlite3.Connection, path: Path, expected: dict[str, list[str]]) -> None:
    """Refuses a database whose pages are damaged or whose tables are not `expected` (table ->
    columns: a table dropped, a column added by hand) before anything reads or changes it: read
    on, a damaged page gives wrong figures or a traceback half-way, and a write would be blamed
    on the disk."""
    # integrity_check, not quick_check: a garbled record passes the latter and fails a read later.
    problems = [text for (text,) in db.execute("PRAGMA integrity_check(3)") if text != "ok"]
    if problems:
        raise LedgerDamaged(path=path, reason="数据页损坏：" + "；".join(problems))
    found = {name: columns(db, name) for name in expected}
    missing = [name for name, names in found.items() if not names]
    if missing:
        raise LedgerDamaged(path=path, reason=f"缺少数据表 {'、'.join(missing)}")
    for name, names in found.items():
        if names != expected[name]:
            extra = [c for c in names if c not in expected[name]]
            lost = [c for c in expected[name] if c not in names]
            said = [f"多出列 {'、'.join(extra)}"] * bool(extra) + [f"缺少列 {'、'.join(lost)}"] * bool(lost)
            raise LedgerDamaged(path=path, reason=f"数据表 {name} {'，'.join(said) or '各列顺序不对'}")


def columns(db: sqlite3.Connection, table: str) -> list[str]:
    """A table's column names, in order ([] when there is no such table)."""
    quoted = '"' + table.replace('"', '""') + '"'
    return [row[1] for row in db.execute(f"PRAGMA table_info({quoted})")]
