"""`run.py check` names the assessed units with no 单位负责人 on record (roster or forms)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

import run
from pipeline import ledger
from pipeline.cli.doctor import PASS, WARN
from pipeline.cli.head_check import SHOWN, check_heads, no_head_note
from pipeline.core import labels as L
from pipeline.core.records import FileRecord
from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from tests.scoring_helpers import row, rows_frame

UNITS = demo_plan.UNITS[:3]  # GS01 办公室, GS02 规划利用股, GS03 耕地保护股


def _inputs(folder: Path, heads: list[str | None], units: list = UNITS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    sheets = demo_plan.plan_sheets(units=units)
    roster = sheets[L.S_ROSTER]
    roster[0] = [*roster[0], L.P_HEAD]
    for unit_row, head in zip(roster[1:], heads, strict=True):
        unit_row.append(head)
    demo_files.write_plan(folder / "plan-2025.xlsx", sheets)
    return folder


def test_units_without_a_head_in_the_roster_are_named_as_a_warning(tmp_path):
    findings = check_heads(_inputs(tmp_path / "in", ["王局长", None, None]), tmp_path / "out")
    assert [(f.status, f.item) for f in findings] == [(WARN, "单位负责人")]
    assert "有 2 个参加考核单位尚无单位负责人" in findings[0].text
    assert "GS02 规划利用股、GS03 耕地保护股" in findings[0].text and "GS01" not in findings[0].text


def test_a_head_written_on_a_unit_s_form_counts_as_on_record(tmp_path):
    inputs, outputs = _inputs(tmp_path / "in", ["王局长", None, None]), tmp_path / "out"
    outputs.mkdir()
    files = [
        FileRecord(f"{c}.xlsx", "ab" * 32, 1, 0.0, unit_code=c, month="2025-03", header={L.H_HEAD: h}, fill_date=None)
        for c, h in (("GS02", "李股长"), ("GS03", "张股长"))
    ]
    run_info = {"started": dt.datetime(2025, 4, 5, 9), "finished": dt.datetime(2025, 4, 5, 9, 1), "reason": "requested"}
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        empty = rows_frame([row("GS01", "占位", "2025-03")]).iloc[:0]
        store.replace_month("2025-03", empty, [], files, {**run_info, "counts": {}})
    findings = check_heads(inputs, outputs)
    assert [(f.status, f.text) for f in findings] == [(PASS, "2025 年参加考核的单位都有单位负责人记录。")]


def test_without_a_plan_the_check_says_nothing_about_heads(tmp_path):
    assert check_heads(tmp_path, tmp_path) == []


def test_run_check_prints_the_heads_warning(tmp_path):
    inputs = _inputs(tmp_path / "in", [None, "李股长", "张股长"])
    result = CliRunner().invoke(run.cli, ["--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "check"])
    assert (
        "[提醒] 单位负责人：2025 年有 1 个参加考核单位尚无单位负责人（名册和报送表均未填写）：GS01 办公室。"
        in result.output
    )


def test_the_check_lists_every_unit_without_a_head_ten_a_line_when_there_are_many(tmp_path):
    units = [unit for unit in demo_plan.UNITS if unit[-1] == "是"][:14]  # assessed units only
    findings = check_heads(_inputs(tmp_path / "in", [None] * 13 + ["王局长"], units=units), tmp_path / "out")
    lines = findings[0].line().splitlines()
    assert (
        lines[0] == "  [提醒] 单位负责人：2025 年有 13 个参加考核单位尚无单位负责人（名册和报送表均未填写），名单如下："
    )
    assert lines[1] == "    " + "、".join(f"{code} {name}" for code, name, *_ in units[:10])
    assert lines[2] == "    " + "、".join(f"{code} {name}" for code, name, *_ in units[10:13])
    assert lines[3].startswith("    年终考核取消评优资格时须写明负责人") and len(lines) == 4


def test_a_run_s_summary_names_every_unit_without_a_head_when_they_are_few():
    named = [f"U{n:04d} 第{n}单位" for n in range(SHOWN)]
    assert no_head_note(named) == (
        f"注意：{'、'.join(named)} 尚无单位负责人（名册和报送表均未填写）。"
        "年终考核取消评优资格时须写明负责人，请在计划表“单位名册”的“单位负责人”列补填，或请该单位在报送表中填写。"
    )


def test_a_run_s_summary_names_the_first_ten_of_a_province_s_units_without_a_head_and_where_all_are_listed():
    named = [f"U{n:04d} 第{n}单位" for n in range(3000)]
    note = no_head_note(named)
    assert note.startswith(f"注意：{'、'.join(named[:10])} 等 3000 个单位尚无单位负责人（名册和报送表均未填写），")
    assert "完整名单请运行 python run.py check 查看。" in note and "U0010" not in note
    assert len(note) < 300
