"""The scheme on the command line: `scheme-trial` counts a scheme workbook's example rows, and a
month's run refuses a scheme plan rather than count it by today's rules."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

import run
from pipeline.core.errors import PlanInvalid
from tests.scheme_helpers import SCHEMES


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def test_scheme_trial_prints_each_units_result_and_writes_the_workbook(tmp_path):
    plan = SCHEMES / "方案4-开发区信息通讯员.xlsx"
    result = invoke("--outputs", str(tmp_path), "scheme-trial", "--plan", str(plan), "--year", "2025")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("已按计分方案试算 25 行示例稿件：")
    assert lines[0].endswith("方案试算-方案4-开发区信息通讯员.xlsx")
    assert "  CJ01 新港村：21 分，折算 10，评优资格 否" in lines
    assert (tmp_path / "方案试算-方案4-开发区信息通讯员.xlsx").is_file()


def test_a_months_run_refuses_a_scheme_plan_with_the_plan_exit_code(tmp_path):
    shutil.copy(SCHEMES / "方案2-股室信息目标考核.xlsx", tmp_path / "plan-2025.xlsx")
    (tmp_path / "2025-03").mkdir()
    result = invoke("--month", "2025-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == PlanInvalid.exit_code
    assert "计划表使用了计分方案（类别级别、采用载体、计分加成、达量加分、批示加分的方式、其后加分列）" in result.output
    assert "python run.py scheme-trial" in result.output
    assert not (tmp_path / "out" / "2025-03").exists()
