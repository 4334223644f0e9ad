"""A stage's freed memory goes back to the system where glibc can, and nowhere else fails."""

from __future__ import annotations

import ctypes.util
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.files import memory

ROOT = Path(__file__).resolve().parents[2]


# Run in a fresh interpreter: a test worker's heap already holds the holes of earlier tests.
_SCRIPT = """
import json
from pipeline.files import memory

def resident():
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))

# A freed large block raises glibc's mmap threshold (as a province's arrays do): the next
# blocks of a few MB come from the heap, each followed by a small live one, and freeing them
# leaves holes that glibc keeps resident.
first = bytearray(8 << 20)
del first
blocks, pins = [], []
for _ in range(60):
    blocks.append(bytearray(4 << 20))
    pins.append(bytearray(64 << 10))
blocks.clear()
held = resident()
memory.give_back()
print(json.dumps({"held": held, "after": resident()}))
"""


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_freed_blocks_held_below_live_ones_leave_the_resident_size():
    ran = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True)
    sizes = json.loads(ran.stdout)
    assert sizes["held"] - sizes["after"] > 200 * 1024, sizes  # of the 240 MB freed


def test_without_a_c_library_it_does_nothing(monkeypatch):
    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    try:
        memory.give_back()
        assert memory._malloc_trim() is None
    finally:
        memory._malloc_trim.cache_clear()


def test_a_c_library_without_malloc_trim_is_left_alone(monkeypatch):
    class NoTrim:
        def __init__(self, name):
            pass

        def __getattr__(self, name):
            raise AttributeError(name)

    memory._malloc_trim.cache_clear()
    monkeypatch.setattr(ctypes, "CDLL", NoTrim)
    try:
        memory.give_back()
        assert memory._malloc_trim() is None
    finally:
        memory._malloc_trim.cache_clear()
