"""The outputs folder as a place one run at a time writes into, safely.

`outputs_session` is the one way in: it takes the folder's lock (`pipeline.files.lock`), checks the
folder is writable and removes what a run killed part-way left behind. `fresh_folder` makes a
folder's replacement atomic (written beside it, swapped in whole, with the user's umask).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.core.errors import OutputsUnwritable
from pipeline.files import atomic, lock

# The folders `fresh_folder` makes beside a month's folder: `.2025-03-new-x1y2z3w4` and `.2025-03-old-123`.
_LEFTOVER_FOLDER = re.compile(r"^\..+-(new-[a-z0-9_]{8}|old-\d+)$")
# The files `atomic.atomic_path` writes before renaming them: `.tmp-k2j4x9ab.xlsx` (mkstemp's 8 characters).
_LEFTOVER_FILE = re.compile(rf"^{re.escape(atomic.TEMP_PREFIX)}[a-z0-9_]{{8}}(\.\w+)?$")


@contextmanager
def outputs_session(outputs: Path) -> Iterator[None]:
    """The one way into writing the outputs folder: checks it is writable, holds its lock (one
    run at a time; a second stops at once with `lock.RunInProgress`), and removes what a run
    killed part-way left behind. Every command that writes outputs runs inside it."""
    outputs = Path(outputs)
    with lock.hold(outputs):
        ensure_writable(outputs)
        remove_leftovers(outputs)
        yield


def remove_leftovers(outputs: Path) -> list[Path]:
    """Removes the temporary files and folders of runs killed part-way: `.tmp-*` files of
    `atomic.atomic_path` and the `.NAME-new-*` / `.NAME-old-*` folders of `fresh_folder`.

    Only call it while holding the outputs lock: a running run's temporaries look the same.
    """
    found = [
        path
        for path in sorted(Path(outputs).rglob(".*"))
        if (path.is_file() and _LEFTOVER_FILE.match(path.name)) or (path.is_dir() and _LEFTOVER_FOLDER.match(path.name))
    ]
    for path in found:
        if path.is_dir():
            remove_tree(path)
        elif path.exists():
            path.unlink()
    return found


def ensure_writable(outputs: Path) -> None:
    try:
        outputs.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=outputs):
            pass
    except OSError as exc:
        raise OutputsUnwritable(path=outputs, reason=exc.strerror or type(exc).__name__) from exc


def everything(_name: str) -> bool:
    return True


@contextmanager
def fresh_folder(target: Path, *, ours: Callable[[str], bool] = everything) -> Iterator[Path]:
    """Yields an empty sibling folder; on success it replaces `target` (the old one is removed
    only after the new one is in place), on failure it is deleted and `target` is untouched.

    Args:
        target: the folder to replace.
        ours: whether a file of the old folder (its path relative to it, with "/") is one this
            program writes there. The others (what the office put in the folder) are moved into
            the new folder, unless the new one has a file of the same name: a run never deletes
            a file it did not write.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        os.chmod(fresh, 0o777 & ~atomic.umask())  # as any new folder, not mkdtemp's private 0700
        yield fresh
        _keep_foreign(target, fresh, ours)
        old = target.parent / f".{target.name}-old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(fresh, target)
        remove_tree(old)
    finally:
        remove_tree(fresh)


def _keep_foreign(target: Path, fresh: Path, ours: Callable[[str], bool]) -> None:
    """Moves the files of `target` that are not `ours` to the same place in `fresh`."""
    if not target.is_dir():
        return
    for path in sorted(target.rglob("*")):
        name = path.relative_to(target).as_posix()
        if not os.path.lexists(path):  # under a link moved already
            continue
        if (path.is_dir() and not path.is_symlink()) or ours(name):
            continue
        kept = fresh / name
        if kept.exists() or kept.is_symlink():
            continue
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, kept)


def remove_tree(folder: Path) -> None:
    """Removes a folder we wrote, also when someone made it (or folders in it) read-only: a
    month folder set to 555 would otherwise stay behind as `.2025-03-old-<pid>` for ever, each
    run failing to remove it again. What still cannot be removed is left for the next run."""

    def writable_again(function, path, _error) -> None:
        parent = os.path.dirname(path)
        try:
            for folder_path in (parent, path) if os.path.isdir(path) else (parent,):
                os.chmod(folder_path, os.stat(folder_path).st_mode | stat.S_IRWXU)
            function(path)
        except OSError:
            pass

    handler = {"onexc" if sys.version_info >= (3, 12) else "onerror": writable_again}
    if os.path.lexists(folder):
        shutil.rmtree(folder, **handler)
