"""Safe writing of output files: atomic replacement, and file names that cannot escape their folder.

Every workbook or file the pipeline writes goes through `atomic_path`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

TEMP_PREFIX = ".tmp-"  # files being written by `atomic_path`


def umask() -> int:
    """The process's umask (Python can set it only by replacing it, so it is put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yields a temporary path beside `target`; renames it onto `target` only if the block succeeds.

    A crash or an exception leaves any previous `target` intact and no half-written file behind
    (a process killed outright leaves a `.tmp-*` file, which the next run removes). The file gets
    the mode any program's new file gets (0666 less the umask), not mkstemp's private 0600.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def save_workbook(workbook: Workbook, target: Path) -> None:
    """Saves an openpyxl workbook atomically."""
    with atomic_path(target) as tmp:
        workbook.save(tmp)


def write_text(target: Path, text: str) -> None:
    """Writes a UTF-8 text file atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: Path, data: bytes) -> None:
    """Writes a file's bytes atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}


def safe_filename(name: str, *, max_length: int = 80) -> str:
    """Turns a unit's name or code into a string safe as one file name on Windows and Linux.

    Path separators, characters Windows forbids, leading dots and reserved device names are
    replaced, so a name can never point outside the folder it is written to.
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = _UNSAFE_NAME.sub("_", text).strip().strip(".")
    text = text[:max_length].rstrip(" .")
    if not text or set(text) <= {"_", "."}:
        text = "未命名"
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    return text


def unit_filename(code: str, name: str, suffix: str = ".xlsx") -> str:
    """`<单位代码>-<单位名称>.xlsx`, made safe."""
    return safe_filename(f"{code}-{name}") + suffix
