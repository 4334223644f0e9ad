"""The command line: help, usage errors and the exit code of every failure, with exact texts."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import run
from pipeline.cli.clihelp import ChineseCommand
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.records import FileRecord
from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def test_help_is_chinese_and_documents_every_option():
    result = invoke("--help")
    assert result.exit_code == 0
    assert result.output.startswith("用法：")
    for text in ("选项", "--month", "--inputs", "--outputs", "--forms", "子命令", "demo", "退出码"):
        assert text in result.output
    assert "Usage" not in result.output and "Show this message" not in result.output


def test_readme_documents_every_option_and_subcommand():
    readme = (Path(run.__file__).parent / "README.md").read_text(encoding="utf-8")
    for param in run.cli.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert opt in readme, opt
    for name in run.cli.commands:
        assert f"run.py {name}" in readme, name


def test_missing_month_is_a_usage_error():
    result = invoke()
    assert result.exit_code == 2
    assert result.output == (
        "用法错误：缺少必需的选项 --month：要处理哪个月？例如 python run.py --month 2025-03。\n"
        "请运行 python run.py --help 查看用法。\n"
    )


def test_unknown_option_is_a_usage_error():
    result = invoke("--monht", "2025-03")
    assert result.exit_code == 2
    assert result.output.startswith("用法错误：没有选项 --monht。")


def test_badly_written_month(tmp_path):
    result = invoke("--month", "2025-3x", "--inputs", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == "错误：月份“2025-3x”格式不对，应为 YYYY-MM，例如 2025-03。\n"


def test_missing_inputs_folder(tmp_path):
    missing = tmp_path / "nowhere"
    result = invoke("--month", "2025-03", "--inputs", str(missing), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 5
    assert result.output == (
        f"错误：找不到输入目录 {missing}。请确认路径，或用 --inputs 指定存放计划表和报送表的目录。\n"
    )


def test_missing_month_folder(tmp_path, demo_plan_dir):
    (tmp_path / "plan-2025.xlsx").write_bytes((demo_plan_dir / "plan-2025.xlsx").read_bytes())
    result = invoke("--month", "2025-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 5
    assert result.output.startswith(f"错误：找不到 2025-03 的报送表目录 {tmp_path / '2025-03'}。")


def test_missing_plan(tmp_path):
    (tmp_path / "2026-03").mkdir()
    result = invoke("--month", "2026-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert result.output == (
        f"错误：找不到 2026 年的考核计划表 {tmp_path / 'plan-2026.xlsx'}。"
        "请把计划表放到该位置，或用 --inputs 指定输入目录。\n"
    )


def test_with_neither_plan_nor_month_folder_the_plan_is_named_first(tmp_path):
    result = invoke("--month", "2026-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert result.output.startswith(f"错误：找不到 2026 年的考核计划表 {tmp_path / 'plan-2026.xlsx'}。")


def test_invalid_plan_lists_each_fault_and_exits_4(tmp_path):
    sheets = copy.deepcopy(demo_plan.plan_sheets())
    sheets[L.S_ROSTER][2][0] = "GS01"
    sheets[L.S_RULES][1][1] = "全部"
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", sheets)
    (tmp_path / "2025-03").mkdir()
    result = invoke("--month", "2025-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 4
    assert result.output.splitlines() == [
        f"错误：考核计划表 {tmp_path / 'plan-2025.xlsx'} 有 2 处错误，已停止运行。请逐条修改后重新运行：",
        "- 工作表“单位名册”第 4 行“单位代码”列：“单位代码”的值“GS01”与第 3 行重复。每项只能出现一次，请删除或合并重复行。",
        "- 工作表“考核规则”第 3 行“值”列：参数“多级采用计分”的值“全部”无效，应为：累计、最高级、最高两级。",
    ]
    assert not (tmp_path / "out" / "2025-03").exists()


def test_unwritable_outputs(tmp_path, demo_plan_dir):
    (tmp_path / "afile").write_text("a file where a folder should be")
    blocked = tmp_path / "afile" / "out"
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "plan-2025.xlsx").write_bytes((demo_plan_dir / "plan-2025.xlsx").read_bytes())
    (inputs / "2025-03").mkdir()
    result = invoke("--month", "2025-03", "--inputs", str(inputs), "--outputs", str(blocked))
    assert result.exit_code == 6
    assert result.output.startswith(f"错误：无法写入输出目录 {blocked}")


def test_demo_regenerate_writes_the_plan_and_twelve_months(tmp_path):
    result = invoke("--inputs", str(tmp_path), "demo", "--regenerate")
    assert result.exit_code == 0
    assert result.output.startswith("已重新生成示范县计划表和 2025 年 12 个月的报送表：")
    assert (tmp_path / "plan-2025.xlsx").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [f"2025-{m:02d}" for m in range(1, 13)]


def test_demo_needs_the_confirmation_flag(tmp_path):
    result = invoke("--inputs", str(tmp_path), "demo")
    assert result.exit_code == 2
    assert result.output.startswith("用法错误：缺少必需的选项 --regenerate。")
    assert not any(tmp_path.iterdir())


# --- Every word of the command line Chinese -----------------------------------------------------

ENGLISH = ("Usage:", "Options:", "Error:", "Show this message", "[default", "[required]", "Commands:", "No such")


def every_command() -> list[list[str]]:
    """The main command and each subcommand, as arguments (other helpers add subcommands too)."""
    return [[], *[[name] for name in run.cli.commands]]


def test_every_command_help_is_chinese_with_a_chinese_usage_line():
    for args in every_command():
        result = CliRunner().invoke(run.cli, [*args, "--help"], prog_name="run.py")
        assert result.exit_code == 0, (args, result.output)
        assert result.output.startswith("用法：run.py"), (args, result.output)
        assert "选项：" in result.output and "显示本帮助并退出。" in result.output, args
        assert not [word for word in ENGLISH if word in result.output], (args, result.output)


def test_every_subcommand_uses_the_chinese_command_class():
    assert run.cli.commands
    assert all(isinstance(command, ChineseCommand) for command in run.cli.commands.values())


def test_every_command_usage_error_is_chinese():
    for args in every_command():
        result = invoke(*args, "--no-such-option")
        assert result.exit_code == 2, args
        assert result.output.startswith("用法错误：没有选项 --no-such-option。"), (args, result.output)
        assert not [word for word in ENGLISH if word in result.output], (args, result.output)


def test_help_shows_that_month_is_required_to_process_a_month():
    result = CliRunner().invoke(run.cli, ["--help"], prog_name="run.py")
    lines = result.output.splitlines()
    assert lines[:2] == [
        "用法：run.py --month YYYY-MM [选项]",
        "  或：run.py [--inputs 目录] [--outputs 目录] <子命令> [选项]",
    ]
    assert "  --month YYYY-MM  要处理的月份，例如 2025-03（处理月报时必填）。" in lines
    assert "  --inputs 目录    输入目录：放 plan-YYYY.xlsx 和各月报送表文件夹 YYYY-MM/。（默认：inputs/）" in lines


def test_usage_errors_click_raises_in_english_are_said_in_chinese(tmp_path):
    (tmp_path / "afile").write_text("x")
    cases = {
        ("--month",): "用法错误：选项 --month 后面须写上值（YYYY-MM）。",
        ("2025-03",): "用法错误：没有子命令“2025-03”。要处理该月，请写 --month 2025-03。",
        ("chek",): "用法错误：没有子命令“chek”。可用的子命令：",
        ("--forms=yes",): "用法错误：选项 --forms 不用写值。",
        ("check", "extra"): "用法错误：多余的参数：extra。",
        ("--monht", "2025-03"): "用法错误：没有选项 --monht。是不是要写 --month？",
        (
            "--inputs",
            str(tmp_path / "afile"),
            "--month",
            "2025-03",
        ): "用法错误：选项 --inputs 的值无效：应为一个文件夹的路径。",
    }
    for args, start in cases.items():
        result = invoke(*args)
        assert result.exit_code == 2, args
        assert result.output.startswith(start), (args, result.output)
        assert result.output.endswith("请运行 python run.py --help 查看用法。\n")


# --- The summary says what the uncounted rows are -----------------------------------------------


def _month_result(outputs, **values) -> SimpleNamespace:
    """A processed month as `run.summary` reads it: three units returned, nothing else to say."""
    defaults = dict(
        month="2025-03",
        bureau="示范县国土资源局",
        caught_up=[],
        files=[],
        returned=["GS01", "GS02", "GS03"],
        missing=[],
        rows_read=0,
        rows_accepted=0,
        rows_rejected=0,
        problems=[],
        outputs=outputs,
        receipts=3,
        forms=[],
        forms_month="2025-04",
        circular=[],
        circular_note="",
        other_circulars=[],
        no_head=[],
        year=None,
        year_pending=[],
        refreshed=[],
        not_refreshed=[],
        replanned=[],
        plan_changes=[],
        plan_missing=None,
        dashboard=None,
    )
    return SimpleNamespace(**{**defaults, **values})


def test_summary_says_which_rows_were_not_counted_and_why(tmp_path):
    def record(name: str, fate: str, read: int, rejected: int) -> FileRecord:
        return FileRecord(name, "0" * 64, 1, 0.0, fate=fate, rows_read=read, rows_rejected=rejected)

    files = [
        record("a.xlsx", "accepted", 10, 2),
        record("b-old.xlsx", "superseded", 5, 5),
        record("b.xlsx", "accepted", 6, 0),
        record("c.xlsx", "rejected", 3, 3),
        record("~$c.xlsx", "skipped", 0, 0),
    ]
    problems = [P.make("row-required", column=L.REVIEWER), P.make("file-superseded", newer="b.xlsx")]
    result = _month_result(tmp_path, files=files, rows_read=24, rows_accepted=14, rows_rejected=10, problems=problems)
    lines = run.summary(result).splitlines()
    assert lines[3] == (
        "  读取稿件 24 行：计入 14 行，未计入 10 行"
        "（被替代的旧版报送表中 5 行，退回的报送表中 3 行，有错误须改正的 2 行）"
    )
    assert lines[4] == "  审核问题 2 条：错误 1 条（须改正），警告 1 条（提示）"
    assert lines[5] == "  最常见问题：必填项为空 1 条；已被新版本替代 1 条"


@pytest.mark.parametrize("count", [3, 3000])
def test_summary_names_a_few_units_without_a_head_and_counts_a_province_s(tmp_path, count):
    no_head = [f"U{n:04d} 第{n}单位" for n in range(count)]
    [line] = [
        line for line in run.summary(_month_result(tmp_path, no_head=no_head)).splitlines() if "尚无单位负责人" in line
    ]
    shown = "、".join(no_head[:10])
    if count == 3:
        assert line.startswith(f"  注意：{shown} 尚无单位负责人（名册和报送表均未填写）。年终考核")
    else:
        assert line.startswith(
            f"  注意：{shown} 等 3000 个单位尚无单位负责人（名册和报送表均未填写），完整名单请运行 python run.py check 查看。"
        )
        assert "U0010" not in line


@pytest.mark.parametrize("count", [0, 10, 70])
def test_summary_names_the_units_that_sent_nothing_and_counts_a_province_s(tmp_path, count):
    missing = [(f"U{n:04d}", f"第{n}单位") for n in range(count)]
    [line] = [line for line in run.summary(_month_result(tmp_path, missing=missing)).splitlines() if "未报送" in line]
    named = [f"{code} {name}" for code, name in missing]
    if count == 0:
        assert line == "  已报送单位 3/3；未报送：无"
    elif count == 10:
        assert line == f"  已报送单位 3/13；未报送：{'、'.join(named)}"
    else:
        assert line == (
            f"  已报送单位 3/73；未报送：{'、'.join(named[:10])} 等 70 个单位（完整名单见 月度统计.xlsx 的“未报送单位”表）"
        )
