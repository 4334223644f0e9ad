"""Writing one file per unit, in two processes when there are many and the system can fork.

Forked children inherit what the jobs refer to (the month's tables, a form template) instead of
receiving it pickled; the parent collects the paths in the jobs' order and reports progress.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The writer and its jobs while a pool runs, for the forked children to find by index.
_pending: list[tuple[Callable[..., Path], tuple[Any, ...]]] = []


def write_all(
    write: Callable[..., Path], jobs: list[tuple[Any, ...]], tick: Callable[[int, int], None], *, parallel_from: int
) -> list[Path]:
    """Calls `write(*job)` for every job, in order; in two processes from `parallel_from` jobs on
    where the system can fork and has two cores. `tick(done, total)` follows each file."""
    paths: list[Path] = []
    if len(jobs) < parallel_from or (os.cpu_count() or 1) < 2 or "fork" not in mp.get_all_start_methods():
        for job in jobs:
            paths.append(write(*job))
            tick(len(paths), len(jobs))
        return paths
    _pending[:] = [(write, job) for job in jobs]
    try:
        with mp.get_context("fork").Pool(2) as pool:
            for path in pool.imap(_run, range(len(jobs)), chunksize=8):
                paths.append(path)
                tick(len(paths), len(jobs))
    finally:
        _pending.clear()
    return paths


def _run(index: int) -> Path:
    write, job = _pending[index]
    return write(*job)
