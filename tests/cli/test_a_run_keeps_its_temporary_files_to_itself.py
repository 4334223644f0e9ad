"""A run makes its temporary files in a folder of its own, which goes whole when the run ends:
what a stop cut short an instant before a library noted it for removal goes with it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import run


@pytest.fixture
def system_temp(tmp_path, monkeypatch):
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    run.drop_temp()


def test_a_file_left_in_the_runs_folder_goes_with_it(system_temp):
    run.own_temp()
    left = tempfile.NamedTemporaryFile(prefix="openpyxl.", delete=False)  # noqa: SIM115 (left on purpose)
    left.close()
    assert Path(left.name).parent.parent == system_temp
    run.drop_temp()
    assert list(system_temp.iterdir()) == []
    assert tempfile.gettempdir() != str(Path(left.name).parent)


def test_ending_the_process_removes_the_runs_folder(system_temp, monkeypatch):
    ended = []
    monkeypatch.setattr(os, "_exit", ended.append)
    run.own_temp()
    Path(tempfile.mkstemp()[1]).write_text("half written", encoding="utf-8")
    run.leave(0)
    assert ended == [0]
    assert list(system_temp.iterdir()) == []
