"""The command the office runs: `python run.py --month YYYY-MM`.

Thin on purpose: parse options, call `pipeline.flow`, print a Chinese summary. Exceptions that stop
a run become one Chinese line and an exit code here, and nowhere else.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from pipeline import labels as L
from pipeline import problems as P
from pipeline.errors import PipelineError

HERE = Path(__file__).resolve().parent
EXIT_CODES = """退出码：0 处理完成（有问题的行属于数据，不算失败）；2 命令用法错误；
3 找不到或打不开考核计划表；4 考核计划表有错误；5 找不到输入目录或本月报送目录；
6 输出目录无法写入；7 检查规则文件有误；8 另一次运行正在使用同一输出目录；
9 示范数据会覆盖用户自己的文件，已拒绝；1 其他意外错误。"""


class ChineseHelp(click.Group):
    """Click's help and usage errors, in Chinese, with exit codes mapped in one place."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[选项] [demo]", prefix="用法：")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [p.get_help_record(ctx) for p in self.get_params(ctx)]
        with formatter.section("选项"):
            formatter.write_dl([r for r in rows if r])
        with formatter.section("子命令"):
            formatter.write_dl([(name, cmd.get_short_help_str()) for name, cmd in self.commands.items()])

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as exc:
            click.echo(f"用法错误：{_usage_text(exc)}\n请运行 python run.py --help 查看用法。", err=True)
            sys.exit(2)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        except PipelineError as exc:
            click.echo(f"错误：{exc.message}", err=True)
            sys.exit(exc.exit_code)


def _usage_text(exc: click.UsageError) -> str:
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return f"缺少必需的选项 {exc.param.opts[0]}。"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}。"
    if isinstance(exc, click.BadParameter):
        name = exc.param.opts[0] if exc.param is not None else ""
        return f"选项 {name} 的值无效：{exc.message}"
    return exc.format_message()


@click.group(
    cls=ChineseHelp,
    invoke_without_command=True,
    help="县局信息宣传工作考核：检查各单位月度报送表，汇总计分，生成审核问题、回执、月度统计和下月报送表。",
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_help_option=False,
)
@click.option("--month", metavar="YYYY-MM", help="要处理的月份，例如 2025-03。")
@click.option(
    "--inputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=HERE / "inputs",
    show_default="inputs/",
    help="输入目录：放 plan-YYYY.xlsx 和各月报送表文件夹 YYYY-MM/。",
)
@click.option(
    "--outputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=HERE / "outputs",
    show_default="outputs/",
    help="输出目录：生成的文件都写在这里。",
)
@click.option("--forms", "forms_only", is_flag=True, help="只生成下月报送表，不处理本月报送。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def cli(ctx: click.Context, month: str | None, inputs: Path, outputs: Path, forms_only: bool) -> None:
    ctx.ensure_object(dict).update(inputs=inputs, outputs=outputs)
    if ctx.invoked_subcommand is not None:
        return
    if month is None:
        raise click.MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params if p.name == "month"))
    from pipeline import flow
    from pipeline.months import next_month

    if forms_only:
        target = next_month(month)
        issued = flow.issue_forms(inputs, outputs, target)
        click.echo(f"已生成 {target} 报送表 {len(issued)} 份：{_shown(outputs / 'forms' / target)}")
        missing = flow.missing_plan_year(inputs, target)
        if missing is not None:
            click.echo(_plan_missing_line(missing, target, month))
        return
    result = flow.run_month(inputs, outputs, month, progress=_progress())
    click.echo(summary(result))


@cli.command(
    help="示范县数据：在输入目录中重新生成 plan-2025.xlsx 和 2025-01 至 2025-12 文件夹里的示范报送表。"
    "只替换或删除示范程序自己写过、之后没有改动的文件（记录在 .demo-files.json）；"
    "这些位置若有您自己放入或改过的文件，则拒绝运行并列出这些文件，什么也不改（退出码 9）。"
)
@click.option("--regenerate", is_flag=True, required=True, help="确认重新生成（替换示范程序写过的示范文件）。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def demo(ctx: click.Context, regenerate: bool) -> None:
    from pipeline import demo as demo_county

    inputs = ctx.obj["inputs"]
    demo_county.generate(inputs)
    click.echo(f"已重新生成示范县计划表和 2025 年 12 个月的报送表：{_shown(inputs)}")


@cli.command(
    "next-plan",
    help="以上一年的考核计划表为底稿，建立新一年的计划表 plan-YYYY.xlsx（工作表、名册、任务和规则照抄，供修改）；已有的计划表不会被覆盖。",
)
@click.option("--year", type=int, required=True, metavar="YYYY", help="新计划表的年份，例如 2026。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def next_plan(ctx: click.Context, year: int) -> None:
    from pipeline import nextplan

    path = nextplan.start_next_plan(ctx.obj["inputs"], year)
    click.echo(
        f"已以 {year - 1} 年计划表为底稿建立 {year} 年考核计划表：{path}\n"
        f"请用 Excel 或 WPS 修改名册、任务指标和规则后，再生成 {year}-01 报送表"
        f"（python run.py --month {year - 1}-12 --forms）。"
    )


def summary(result) -> str:
    """The Chinese summary printed after a month was processed."""
    fates = Counter(f.fate for f in result.files)
    errors = sum(p.severity == L.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    lines = [f"{result.month} 月报处理完成（{result.bureau}）"]
    lines += (
        [f"  已先补处理：{'、'.join(result.caught_up)}（此前未处理、报送表有变动或上次未处理完）"]
        if result.caught_up
        else []
    )
    lines += [f"  已一并更新其后月份：{'、'.join(result.refreshed)}（其累计数据依赖本月）"] if result.refreshed else []
    lines += (
        [f"  注意：{'、'.join(result.not_refreshed)} 的报送目录或计划表已不存在，其输出未更新，数字可能已过时"]
        if result.not_refreshed
        else []
    )
    lines.append(
        f"  收到文件 {len(result.files)} 个：受理 {fates['accepted']}，被替代 {fates['superseded']}，"
        f"退回 {fates['rejected']}，跳过 {fates['skipped']}"
    )
    total = len(result.returned) + len(result.missing)
    missing = "、".join(f"{code} {name}" for code, name in result.missing) or "无"
    lines.append(f"  已报送单位 {len(result.returned)}/{total}；未报送：{missing}")
    lines.append(
        f"  读取稿件 {result.rows_read} 行：计入 {result.rows_accepted} 行，未计入 {result.rows_rejected} 行"
        f"（问题 {len(result.problems)} 条：错误 {errors}，警告 {warnings}）"
    )
    top = Counter(p.code for p in result.problems).most_common(3)
    if top:
        lines.append("  最常见问题：" + "；".join(f"{P.CATALOGUE[c].title} {n} 条" for c, n in top))
    lines.append(f"  审核问题、汇总台账、月度统计：{_shown(result.outputs)}")
    lines.append(f"  回执 {result.receipts} 份：{_shown(result.outputs / '回执')}")
    lines.append(
        f"  {result.forms_month} 报送表 {len(result.forms)} 份：{_shown(result.forms[0].parent)}"
        if result.forms
        else ""
    )
    lines += [_plan_missing_line(result.plan_missing, result.forms_month, result.month)] if result.plan_missing else []
    return "\n".join(line for line in lines if line)


def _plan_missing_line(year: int, forms_month: str, month: str) -> str:
    """Says that next year's forms follow this year's plan, and how to start next year's."""
    return (
        f"  注意：还没有 {year} 年考核计划表 plan-{year}.xlsx，{forms_month} 报送表暂按 {year - 1} 年计划表的名册生成。"
        f"请运行 python run.py next-plan --year {year} 以 {year - 1} 年计划表为底稿建立新计划表，"
        f"修改后运行 python run.py --month {month} --forms 重新生成报送表。"
    )


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"


def _progress():
    if not sys.stderr.isatty():
        return None

    def say(line: str) -> None:
        click.echo(f"… {line}", err=True)

    return say


if __name__ == "__main__":
    cli()
