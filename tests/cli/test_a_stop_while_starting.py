"""Ctrl-C or a SIGTERM while run.py is still importing its packages ends in one Chinese line."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
# Not earlier: a signal during the interpreter's own start, before run.py's first line runs,
# is Python's to report.
@pytest.mark.parametrize("delay", [0.3, 0.6, 1.2])
def test_a_stop_during_the_first_imports_gives_a_chinese_line_and_no_traceback(tmp_path, signum, delay):
    # `check` imports pandas, openpyxl and Great Expectations first; a stop lands somewhere in
    # those imports or in the command itself: either way one Chinese line and 128 + the signal.
    process = subprocess.Popen(
        [sys.executable, "run.py", "--outputs", str(tmp_path / "out"), "check"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signum)
    _, errors = process.communicate(timeout=60)
    errors = errors.decode()
    assert "Traceback" not in errors
    if process.returncode != 0:  # the command may have finished before the signal came
        assert process.returncode == 128 + signum, errors
        assert errors.strip().splitlines()[-1].startswith("已中止（"), errors
