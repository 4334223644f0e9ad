"""A clerk's permissions for tests that run as root: root may delete inside a read-only folder,
a clerk may not. `as_a_clerk` makes removals and creations inside a folder without its write
bit fail as they do for an ordinary user, so the faults an office meets are met here too."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest


def _writable(dir_fd: int | None, path: str | os.PathLike) -> bool:
    if dir_fd is not None and not os.path.isabs(path):
        mode = os.fstat(dir_fd).st_mode
    else:
        mode = os.stat(Path(os.path.abspath(path)).parent).st_mode
    return bool(mode & stat.S_IWUSR)


def _guarded(real):
    def call(path, *args, dir_fd=None, **kwargs):
        if not _writable(dir_fd, path):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        if dir_fd is None:
            return real(path, *args, **kwargs)
        return real(path, *args, dir_fd=dir_fd, **kwargs)

    return call


def _guarded_pair(real):
    def call(src, dst, *args, **kwargs):
        for path in (src, dst):
            if not _writable(None, path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(src, dst, *args, **kwargs)

    return call


def as_a_clerk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders without their write bit refuse new entries, removals and renames."""
    for name in ("unlink", "remove", "rmdir", "mkdir"):
        monkeypatch.setattr(os, name, _guarded(getattr(os, name)))
    for name in ("replace", "rename"):
        monkeypatch.setattr(os, name, _guarded_pair(getattr(os, name)))
