"""Gives the memory a stage freed back to the system where the C library can.

A province's year is a million rows: reading, sorting and scoring them frees hundreds of
megabytes in blocks of a few megabytes, which glibc keeps in its heap (holes below live blocks
are never returned by itself). The run's resident size then stays at its high-water mark, and a
forked child (the forms, the receipts' pool) starts by sharing all of it. `malloc_trim` hands
the free pages back; elsewhere (no glibc) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import lru_cache


def give_back() -> None:
    """Returns the heap's free pages to the system (glibc); a no-op elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS, Windows)
        return None
