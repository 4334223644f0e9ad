"""Two runs on one outputs folder never interleave: the second stops at once, and a lock left
by a killed run blocks nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import run
from pipeline.files import lock
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

ROOT = Path(run.__file__).resolve().parent
HOLDER = """
import sys, time
from pipeline.files import lock
with lock.hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(120)
"""


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def _inputs(tmp_path: Path) -> Path:
    folder = small_inputs(tmp_path / "in")
    write_form(folder / "2025-03" / "办公室.xlsx", [piece()])
    return folder


def _hold(outputs: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(outputs)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_run_stops_at_once_and_a_killed_holder_blocks_nothing(tmp_path):
    inputs, outputs = _inputs(tmp_path), tmp_path / "out"
    holder = _hold(outputs)
    try:
        for extra in ((), ("--forms",)):
            result = invoke("--month", "2025-03", "--inputs", str(inputs), "--outputs", str(outputs), *extra)
            assert result.exit_code == 10
            assert re.fullmatch(
                rf"错误：另一次运行正在使用输出目录 {re.escape(str(outputs))}（进程 {holder.pid}，"
                r"自 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d 起），本次没有做任何处理。请等那次运行结束后再运行。\n",
                result.output,
            )
        assert sorted(p.name for p in outputs.iterdir()) == [lock.LOCK_FILE]
    finally:
        holder.kill()
        holder.wait()
    result = invoke("--month", "2025-03", "--inputs", str(inputs), "--outputs", str(outputs))
    assert result.exit_code == 0, result.output
    assert (outputs / "2025-03" / "月度统计.xlsx").is_file()


def test_the_lock_is_reentrant_within_a_process_and_released_after(tmp_path):
    with lock.hold(tmp_path), lock.hold(tmp_path):
        pass
    holder = _hold(tmp_path)
    holder.kill()
    holder.wait()
    with lock.hold(tmp_path):
        pass
