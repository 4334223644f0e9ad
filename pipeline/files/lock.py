"""One run at a time on an outputs folder: an OS lock on `<outputs>/.lock`.

The lock is the operating system's own (`fcntl.flock` on POSIX, `msvcrt.locking` on Windows), so
it goes away with the process that holds it: a run killed by a power cut or Ctrl-C never blocks
the next one. The file itself stays and holds the holder's pid and start time, for the message
the second run prints. Holding is re-entrant within a process, so a command may call another
that takes the lock too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pipeline.core.errors import OutputsUnwritable, PipelineError

LOCK_FILE = ".lock"
# Windows locks a byte range; the range lies past the text so another process can still read it.
_WINDOWS_OFFSET = 1 << 20

_held: dict[Path, int] = {}


class RunInProgress(PipelineError):
    """另一次运行正在使用输出目录 {path}（进程 {pid}，自 {since} 起），本次没有做任何处理。请等那次运行结束后再运行。"""

    exit_code = 10


@contextmanager
def hold(outputs: Path) -> Iterator[None]:
    """Holds the outputs folder's lock for the block (creating the folder if needed).

    Raises:
        RunInProgress: another process holds the lock; nothing was done.
        OutputsUnwritable: the lock file cannot be created.
    """
    key = Path(outputs).resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    handle = _open(Path(outputs) / LOCK_FILE)
    try:
        if not _try_lock(handle):
            pid, since = _holder(handle)
            raise RunInProgress(path=outputs, pid=pid, since=since)
        _write_holder(handle)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            _unlock(handle)
    finally:
        handle.close()


def _open(path: Path) -> IO[str]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a+", encoding="utf-8")  # closed by `hold`
    except OSError as exc:
        raise OutputsUnwritable(path=path.parent, reason=exc.strerror or type(exc).__name__) from exc


def _holder(handle: IO[str]) -> tuple[str, str]:
    """The pid and start time the holder wrote, or 未知 while it is still writing them."""
    handle.seek(0)
    fields = handle.read().split()
    pid = fields[0] if fields else "未知"
    since = " ".join(fields[1:3]) if len(fields) >= 3 else "未知时间"
    return pid, since


def _write_holder(handle: IO[str]) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()} {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")
    handle.flush()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(_WINDOWS_OFFSET)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(_WINDOWS_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
