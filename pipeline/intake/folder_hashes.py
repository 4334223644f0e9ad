"""sha256 of every file of a month's folder, for the check whether an earlier month changed.

A province's year is 33,000 earlier files (a quarter of a gigabyte) read again by every run.
A file whose device, inode, size and modification and change times (ns) are those recorded
with its digest is not read again: the change time moves whenever the file's bytes or its
inode do, and no program can set it back (what git trusts for its index); where it is the
creation time instead (Windows), the modification time still moves with every write, to the
100 ns. Anything else, or a file not seen before, is read and hashed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from pipeline.intake.intake import month_files

# What a file was when its digest was taken: [device, inode, size, mtime_ns, ctime_ns, sha256].
Seen = dict[str, list]


def folder_hashes(folder: Path, seen: Seen | None = None) -> tuple[dict[str, str], Seen]:
    """The folder's files' sha256 by their paths as intake records them (a linked folder
    intake does not enter, by "name/" and no digest), and what each file was when hashed.

    Args:
        folder: a month's folder.
        seen: what an earlier call returned for the folder; digests of files unchanged since
            are taken from it.

    Returns:
        The digests, and `seen` for the next call.
    """
    seen = seen or {}
    hashes: dict[str, str] = {}
    now: Seen = {}
    for shown, path in month_files(folder):
        if path is None:
            hashes[shown] = ""
            continue
        stat = os.stat(path)
        state = [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        before = seen.get(shown)
        if isinstance(before, list) and len(before) == 6 and before[:5] == state and isinstance(before[5], str):
            digest = before[5]
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        hashes[shown] = digest
        now[shown] = [*state, digest]
    return hashes, now
