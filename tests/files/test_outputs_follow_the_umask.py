"""Outputs are created with the user's umask, as any other program's files are, so that the
other clerks on a shared drive can open them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pipeline import flow
from pipeline.forms import issue
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs


@pytest.fixture
def umask():
    def set_to(mask: int) -> None:
        os.umask(mask)

    old = os.umask(0o022)
    yield set_to
    os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
@pytest.mark.parametrize("mask", [0o022, 0o002])
def test_every_output_file_and_folder_follows_the_umask(mask, umask, tmp_path: Path):
    inputs = small_inputs(tmp_path / "in")
    write_form(inputs / "2025-03" / "办公室.xlsx", [piece()])
    umask(mask)
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    issue.issue_forms(inputs, out, "2025-05")
    modes = {path.relative_to(out).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in [out, *out.rglob("*")]}
    assert "ledger.sqlite" in modes and "2025-03/回执" in modes and "forms/2025-05" in modes
    wrong = {
        name: oct(mode) for name, mode in modes.items() if mode != (0o777 if (out / name).is_dir() else 0o666) & ~mask
    }
    assert wrong == {}
