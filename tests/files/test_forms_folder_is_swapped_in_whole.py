"""The forms folder is written like the month folder: built aside and swapped in whole, so a
failed run leaves the previous forms, a renamed or removed unit leaves no stale form, and a
file the office put there stays."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from pipeline.files import atomic
from pipeline.forms import issue
from tests.small_county import UNITS, small_inputs


def _forms(outputs: Path) -> dict[str, bytes]:
    folder = outputs / "forms" / "2025-04"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_renamed_and_removed_units_leave_no_stale_form_and_office_files_stay(tmp_path):
    inputs, outputs = small_inputs(tmp_path / "in"), tmp_path / "out"
    issue.issue_forms(inputs, outputs, "2025-04")
    (outputs / "forms" / "2025-04" / "下发说明.docx").write_bytes(b"the office's")
    renamed = [(UNITS[0][0], "局办公室", *UNITS[0][2:]), UNITS[1]]  # GS03 removed
    demo_files.write_plan(inputs / "plan-2025.xlsx", demo_plan.plan_sheets(units=renamed))
    issue.issue_forms(inputs, outputs, "2025-04")
    assert sorted(_forms(outputs)) == ["GS01-局办公室.xlsx", "GS02-规划利用股.xlsx", "下发说明.docx"]


def test_a_disk_filling_up_while_writing_forms_leaves_the_previous_forms(tmp_path, monkeypatch):
    inputs, outputs = small_inputs(tmp_path / "in"), tmp_path / "out"
    issue.issue_forms(inputs, outputs, "2025-04")
    before = _forms(outputs)
    real, written = atomic.write_bytes, []

    def full_after_one(target, data):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        written.append(target)
        real(target, data)

    monkeypatch.setattr(atomic, "write_bytes", full_after_one)
    with pytest.raises(Exception):  # noqa: B017 - the message is the fault module's concern
        issue.issue_forms(inputs, outputs, "2025-04")
    monkeypatch.undo()
    assert _forms(outputs) == before
    assert [p.name for p in outputs.iterdir() if p.name.startswith(".") and p.name != ".lock"] == []
