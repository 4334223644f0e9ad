"""Next year's plan starts from this year's (`run.py next-plan`), and December's summary says
how when it is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

import run
from pipeline.plan.plan import load_plan
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    workbook = CalamineWorkbook.from_path(str(path))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def test_next_plan_copies_sheets_roster_and_rules_with_the_new_year(tmp_path, demo_plan_dir):
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", tmp_path)
    result = invoke("--inputs", str(tmp_path), "next-plan", "--year", "2026")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"已以 2025 年计划表为底稿建立 2026 年考核计划表：{tmp_path / 'plan-2026.xlsx'}")
    old, new = _sheets(tmp_path / "plan-2025.xlsx"), _sheets(tmp_path / "plan-2026.xlsx")
    assert list(new) == list(old)
    for name in old:
        assert new[name][0][0] == old[name][0][0].replace("2025年", "2026年") != old[name][0][0]
        assert new[name][1:] == old[name][1:]
    plan_2025, plan_2026 = load_plan(tmp_path, 2025), load_plan(tmp_path, 2026)
    assert plan_2026.year == 2026
    assert plan_2026.units.equals(plan_2025.units) and plan_2026.rules == plan_2025.rules


def test_next_plan_never_overwrites_a_plan(tmp_path, demo_plan_dir):
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", tmp_path)
    (tmp_path / "plan-2026.xlsx").write_bytes(b"the office's own plan")
    result = invoke("--inputs", str(tmp_path), "next-plan", "--year", "2026")
    assert result.exit_code == 11
    assert result.output.startswith(f"错误：2026 年考核计划表 {tmp_path / 'plan-2026.xlsx'} 已经存在，未做任何改动。")
    assert (tmp_path / "plan-2026.xlsx").read_bytes() == b"the office's own plan"


def test_next_plan_needs_last_years_plan(tmp_path):
    result = invoke("--inputs", str(tmp_path), "next-plan", "--year", "2026")
    assert result.exit_code == 3
    assert not (tmp_path / "plan-2026.xlsx").exists()


def test_december_says_that_next_years_plan_is_missing_and_how_to_start_it(tmp_path):
    inputs = small_inputs(tmp_path / "in")
    december = {"报送日期": "2025-12-03", "采用日期": "2025-12-10"}
    write_form(
        inputs / "2025-12" / "办公室.xlsx",
        [piece(**december)],
        header={"报送月份": "2025-12", "填报日期": "2026-01-02"},
    )
    out = str(tmp_path / "out")
    result = invoke("--month", "2025-12", "--inputs", str(inputs), "--outputs", out)
    assert result.exit_code == 0, result.output
    notice = (
        "  注意：还没有 2026 年考核计划表 plan-2026.xlsx，2026-01 报送表暂按 2025 年计划表的名册生成。"
        "请运行 python run.py next-plan --year 2026 以 2025 年计划表为底稿建立新计划表，"
        "修改后运行 python run.py --month 2025-12 --forms 重新生成报送表。"
    )
    assert result.output.splitlines()[-1] == notice
    assert (
        invoke("--month", "2025-12", "--inputs", str(inputs), "--outputs", out, "--forms").output.splitlines()[-1]
        == notice
    )
    assert invoke("--inputs", str(inputs), "next-plan", "--year", "2026").exit_code == 0
    result = invoke("--month", "2025-12", "--inputs", str(inputs), "--outputs", out, "--forms")
    assert result.output.splitlines() == [f"已生成 2026-01 报送表 3 份：{out}/forms/2026-01/"]
