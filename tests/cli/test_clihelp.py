"""Chinese help and usage errors for any subcommand added to a ChineseGroup, without passing cls."""

from __future__ import annotations

import click
from click.testing import CliRunner

from pipeline.cli.clihelp import ChineseCommand, ChineseGroup, display_width, usage_text


def sample_group() -> click.Group:
    @click.group(cls=ChineseGroup, help="示例。")
    def main() -> None:
        pass

    @main.command(help="年度考核。")
    @click.option("--year", type=int, required=True, help="年份。")
    @click.option(
        "--format", "kind", type=click.Choice(["docx", "pdf"]), default="docx", show_default=True, help="格式。"
    )
    @click.option("--to", type=click.Path(file_okay=False), help="输出目录。")
    @click.option("--note", help="备注。")
    def yearend(year: int, kind: str, to: str | None, note: str | None) -> None:
        click.echo(f"{year} {kind}")

    return main


def test_a_subcommand_added_without_cls_is_a_chinese_command():
    main = sample_group()
    assert isinstance(main.commands["yearend"], ChineseCommand)


def test_subcommand_help_translates_click_metavars_and_extras():
    result = CliRunner().invoke(sample_group(), ["yearend", "--help"], prog_name="run.py")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "用法：run.py yearend [选项]",
        "",
        "  年度考核。",
        "",
        "选项：",
        "  --year 整数          年份。（必填）",
        "  --format [docx|pdf]  格式。（默认：docx）",
        "  --to 目录            输出目录。",
        "  --note 文本          备注。",
        "  --help               显示本帮助并退出。",
    ]


def test_usage_errors_of_a_new_subcommand_are_chinese():
    main = sample_group()

    def error(*args: str) -> str:
        try:
            main.main(list(args), standalone_mode=False)
        except click.UsageError as exc:
            return usage_text(exc, main)
        raise AssertionError("no usage error")

    assert error("yearend") == "缺少必需的选项 --year。"
    assert error("yearend", "--year", "x") == "选项 --year 的值无效：应为数字。"
    assert error("yearend", "--year", "2025", "--format", "xls") == "选项 --format 的值无效，应为：docx、pdf。"
    assert error("yearend", "--year") == "选项 --year 后面须写上值。"
    assert error("yearend", "--year", "2025", "x") == "多余的参数：x。"


def test_a_chinese_message_raised_by_a_command_is_shown_as_it_is():
    assert usage_text(click.UsageError("月份写错了。")) == "月份写错了。"


def test_display_width_counts_chinese_characters_twice():
    assert display_width("--inputs 目录") == 13
    assert display_width("ab（c）") == 7


def test_a_sub_group_and_its_subcommands_are_chinese_too():
    main = sample_group()

    @main.group(help="发文。")
    def circular() -> None:
        pass

    @circular.command(help="生成通报。")
    def make() -> None:
        pass

    assert type(circular) is ChineseGroup
    assert isinstance(circular.commands["make"], ChineseCommand)
    result = CliRunner().invoke(main, ["circular", "--help"], prog_name="run.py")
    assert result.output.startswith("用法：run.py circular [选项] <子命令> [参数]...")
