"""The command the office runs: `python run.py --month YYYY-MM`.

Thin on purpose: parse options, call `pipeline.flow`, print a Chinese summary. Exceptions that stop
a run become one Chinese line and an exit code here, and nowhere else.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from pipeline import labels as L
from pipeline import problems as P
from pipeline.errors import PipelineError

HERE = Path(__file__).resolve().parent
EXIT_CODES = """退出码：0 处理完成（有问题的行属于数据，不算失败）；2 命令用法错误；
3 找不到或打不开考核计划表；4 考核计划表有错误；5 找不到输入目录或本月报送目录；
6 输出目录无法写入；7 检查规则文件有误；1 其他意外错误。"""


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
        return
    result = flow.run_month(inputs, outputs, month, progress=_progress())
    click.echo(summary(result))


@cli.command(help="示范县数据：重新生成 inputs/ 中的计划表和 2025 年各月报送表。")
@click.option("--regenerate", is_flag=True, required=True, help="确认重新生成（会覆盖示范县文件）。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def demo(ctx: click.Context, regenerate: bool) -> None:
    from pipeline import demo as demo_county

    inputs = ctx.obj["inputs"]
    demo_county.generate(inputs)
    click.echo(f"已重新生成示范县计划表和 2025 年 12 个月的报送表：{_shown(inputs)}")


def summary(result) -> str:
    """The Chinese summary printed after a month was processed."""
    fates = Counter(f.fate for f in result.files)
    errors = sum(p.severity == L.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    lines = [f"{result.month} 月报处理完成（{result.bureau}）"]
    lines += [f"  已先补处理：{'、'.join(result.caught_up)}（此前未处理或报送表有变动）"] if result.caught_up else []
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
    return "\n".join(line for line in lines if line)


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"


def _progress():
    """Stage lines and, for the stages that write a file per unit, a bar with counts and time left
    on a terminal; without a terminal, a plain line at every tenth of a long stage (100 files or
    more), so that logs of a city's or a province's run show it advancing."""
    return _Bars() if sys.stderr.isatty() else _plain_counts


class _Bars:
    """tqdm bars on the terminal, one per counted stage."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, line: str, *, done: int | None = None, total: int | None = None) -> None:
        from tqdm import tqdm

        if done is None:
            self._close()
            click.echo(f"… {line}", err=True)
            return
        if self.bar is None:
            self.bar = tqdm(total=total, desc=f"  {line}", unit="份", file=sys.stderr, dynamic_ncols=True)
        self.bar.update(done - self.bar.n)
        if done >= (total or 0):
            self._close()

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


_started: dict[str, float] = {}


def _plain_counts(line: str, *, done: int | None = None, total: int | None = None) -> None:
    if done is None or not total or total < 100:
        return
    if done == 1 or line not in _started:
        _started[line] = time.monotonic()
    if done % max(1, total // 10) == 0 or done == total:
        left = (time.monotonic() - _started[line]) / done * (total - done)
        click.echo(f"… {line} {done}/{total}（{done * 100 // total}%），预计还需 {left:.0f} 秒", err=True)


if __name__ == "__main__":
    cli()
