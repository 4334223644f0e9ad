"""The command the office runs: `python run.py --month YYYY-MM`.

Thin on purpose: parse options, call `pipeline.flow`, print a Chinese summary. Exceptions that stop
a run become one Chinese line and an exit code here, and nowhere else.
"""

from __future__ import annotations

import os
import signal
import sys


def _stopped_while_starting(signum: int, _frame: object) -> None:
    # Until the run's own handlers take over (pipeline.files.stopping, in `ChineseHelp.main`),
    # nothing has been written: say so and leave, rather than a traceback from inside an import.
    why = {2: "按了 Ctrl-C", 15: "收到终止信号", 1: "终端窗口被关闭"}.get(signum, "收到终止信号")
    sys.stderr.write(f"已中止（{why}）：程序还在启动，没有读写任何文件。需要时重新运行同一命令即可。\n")
    sys.stderr.flush()
    os._exit(128 + signum)


if __name__ == "__main__":
    for _signal in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, _signal):
            signal.signal(getattr(signal, _signal), _stopped_while_starting)

import logging
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

try:
    import click
except ModuleNotFoundError:  # nothing installed yet: say what is missing instead of a traceback
    if __name__ != "__main__":
        raise
    from pipeline.cli import doctor

    sys.exit(doctor.main(sys.argv[1:]))

from pipeline.cli.clihelp import USAGE_PREFIX, ChineseGroup, usage_text
from pipeline.cli.doctor import ENVIRONMENT_EXIT
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core import problems as P
from pipeline.core.errors import PipelineError

HERE = Path(__file__).resolve().parent
EXIT_CODES = """\b
退出码：
  0 处理完成（有问题的行属于数据，不算失败）
  1 其他意外错误
  2 命令用法错误
  3 找不到或打不开考核计划表
  4 考核计划表有错误
  5 找不到输入目录或本月报送目录
  6 输出目录无法写入
  7 检查规则文件有误
  8 通报或年终考核所需的月份尚未处理（会列出这些月份）
  9 环境检查未通过，或缺少必需的 Python 包（运行 python run.py check 查看）
  10 另一次运行正在使用同一输出目录（等它结束后再运行）
  11 会覆盖或删除用户自己的文件，已拒绝（示范数据、已有的计划表）
  12 磁盘空间不足（清理磁盘后重新运行）
  13 台账已损坏（用 python run.py backups 查看和恢复备份）
  14 有输入文件无法读取（权限不够、正在复制或被占用）
  130、143、129 运行被中止（Ctrl-C、终止信号、关闭终端窗口），没有写完的输出已撤回"""


class ChineseHelp(ChineseGroup):
    """The main command: Chinese help and usage errors, with exit codes mapped in one place.
    Its subcommands are `ChineseCommand`s without saying so (see pipeline/clihelp.py)."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.command_path
        formatter.write(f"{USAGE_PREFIX}{path} --month YYYY-MM [选项]\n")
        formatter.write(f"  或：{path} [--inputs 目录] [--outputs 目录] <子命令> [选项]\n")

    def main(self, *args, **kwargs):  # type: ignore[override]
        from pipeline.files import stopping

        kwargs["standalone_mode"] = False
        try:
            with stopping.stops_cleanly():
                return super().main(*args, **kwargs)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.UsageError as exc:
            click.echo(f"用法错误：{usage_text(exc, self)}\n请运行 python run.py --help 查看用法。", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"错误：{usage_text(click.UsageError(exc.message))}", err=True)
            sys.exit(1)
        except click.Abort as stop:
            if not isinstance(stop.__cause__, KeyboardInterrupt):  # a prompt answered with Ctrl-D
                click.echo("已中止。", err=True)
                sys.exit(1)
            click.echo(
                f"已中止（{stopping.reason(stop.__cause__)}）：没有写完的输出已撤回，已有的输出文件保持原样，"
                "后台进程已结束。重新运行同一命令即可，已写入台账的月份会补做输出。",
                err=True,
            )
            sys.exit(stopping.exit_code(stop.__cause__))
        except PipelineError as exc:
            click.echo(f"错误：{exc.message}", err=True)
            sys.exit(exc.exit_code)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] in ("pipeline", "run"):
                raise
            click.echo(
                f"错误：缺少 Python 包 {exc.name}，程序还没有装好。请按 README“安装”一节安装，"
                "或运行 python run.py check 查看缺少哪些。",
                err=True,
            )
            sys.exit(ENVIRONMENT_EXIT)


@click.group(
    cls=ChineseHelp,
    invoke_without_command=True,
    help="县局信息宣传工作考核：检查各单位月度报送表，汇总计分，生成审核问题、回执、月度统计和下月报送表。",
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_help_option=False,
)
@click.option("--month", metavar="YYYY-MM", help="要处理的月份，例如 2025-03（处理月报时必填）。")
@click.option(
    "--inputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=HERE / "inputs",
    metavar="目录",
    show_default="inputs/",
    help="输入目录：放 plan-YYYY.xlsx 和各月报送表文件夹 YYYY-MM/。",
)
@click.option(
    "--outputs",
    type=click.Path(path_type=Path, file_okay=False),
    default=HERE / "outputs",
    metavar="目录",
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
        raise click.UsageError("缺少必需的选项 --month：要处理哪个月？例如 python run.py --month 2025-03。", ctx)
    from pipeline import flow
    from pipeline.core.months import next_month
    from pipeline.forms import issue

    if forms_only:
        target = next_month(month)
        issued = issue.issue_forms(inputs, outputs, target)
        click.echo(f"已生成 {target} 报送表 {len(issued)} 份：{_shown(outputs / 'forms' / target)}")
        missing = issue.missing_plan_year(inputs, target)
        if missing is not None:
            click.echo(_plan_missing_line(missing, target, month))
        return
    result = flow.run_month(inputs, outputs, month, progress=_progress())
    click.echo(summary(result))


@cli.command(
    short_help="重新生成示范县的计划表和 12 个月的报送表（可按 --scheme 计分方案）",
    help="示范县数据：在输入目录中重新生成 plan-2025.xlsx 和 2025-01 至 2025-12 文件夹里的示范报送表。"
    "只替换或删除示范程序自己写过、之后没有改动的文件（记录在 .demo-files.json）；"
    "这些位置若有您自己放入或改过的文件，则拒绝运行并列出这些文件，什么也不改（退出码 9）。",
)
@click.option("--regenerate", is_flag=True, required=True, help="确认重新生成（替换示范程序写过的示范文件）。")
@click.option(
    "--scheme",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="按这个计分方案生成示范数据（如 templates/schemes/ 中的方案表）：示范县的计划表采用该方案的工作表，"
    "报送表带有方案的列并使用其载体、采用形式、约稿等目录。",
)
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def demo(ctx: click.Context, regenerate: bool, scheme: Path | None) -> None:
    from pipeline.demo import county as demo_county

    inputs = ctx.obj["inputs"]
    demo_county.generate(inputs, scheme)
    under = f"（计分方案：{scheme.stem}）" if scheme is not None else ""
    click.echo(f"已重新生成示范县计划表{under}和 2025 年 12 个月的报送表：{_shown(inputs)}")


def _positive(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    if not value.strip().isdigit() or int(value) < 1:
        raise click.BadParameter(f"“{value}”应为正整数，例如 3。", ctx=ctx, param=param)
    return int(value)


def _day(ctx: click.Context, param: click.Parameter, value: str | None):
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"“{value}”应为 YYYY-MM-DD，例如 2025-04-03。", ctx=ctx, param=param) from None


@cli.command(
    short_help="从台账重新生成季度通报或月度通报",
    help="从台账重新生成季度通报或月度通报（不重新处理报送表）：--quarter 2025Q1 写入 2025-Q1/季度通报，"
    "--month 2025-05 写入 2025-05/月度通报。",
    epilog=EXIT_CODES,
)
@click.option("--quarter", metavar="YYYYQn", help="季度通报的季度，例如 2025Q1。")
@click.option("--month", metavar="YYYY-MM", help="月度通报的月份，例如 2025-05。")
@click.option(
    "--number", metavar="N", callback=_positive, help="发文字号的序号 N（〔年份〕N号），默认留空由办公室填写。"
)
@click.option(
    "--date",
    "issued",
    metavar="YYYY-MM-DD",
    callback=_day,
    help="成文日期，默认为本期报送表全部收到之日（报送截止日，或更晚收到的最后一份报送表的日期）。",
)
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def circular(ctx: click.Context, quarter: str | None, month: str | None, number: int | None, issued) -> None:
    from pipeline import flow
    from pipeline.scoring import periods

    if (quarter is None) == (month is None):
        raise click.UsageError("请用 --quarter 或 --month 指定通报的期间（二者选一）。", ctx=ctx)
    period = periods.quarter(quarter) if quarter is not None else periods.single_month(month)
    rendered = flow.render_circular(ctx.obj["inputs"], ctx.obj["outputs"], period, number=number, issued=issued)
    click.echo(circular_line(period.name, rendered))


def circular_line(name: str, rendered) -> str:
    """The line (and the note, when there is no PDF) saying where a circular was written."""
    files = [path for path in (rendered.docx, rendered.html, rendered.pdf, rendered.workbook) if path is not None]
    line = f"已生成{name}通报：{_shown(files[0].parent)}（{'、'.join(path.name for path in files)}）"
    return line + (f"\n  {rendered.note}" if rendered.note else "")


@cli.command(
    short_help="从台账重新生成年终考核表和年度通报",
    help="年终考核：根据台账重新生成某年的年终考核表和年度通报（该年 12 个月须都已处理）。"
    "--inputs、--outputs 写在 yearend 之前。",
    epilog=EXIT_CODES,
)
@click.option("--year", type=int, required=True, metavar="YYYY", help="年份，例如 2025。")
@click.option(
    "--number", metavar="N", callback=_positive, help="年度通报发文字号的序号 N（〔年份〕N号），默认留空由办公室填写。"
)
@click.option(
    "--date",
    "issued",
    metavar="YYYY-MM-DD",
    callback=_day,
    help="年度通报的成文日期，默认为全年报送表全部收到之日（次年1月的报送截止日，或更晚收到的最后一份报送表的日期）。",
)
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def yearend(ctx: click.Context, year: int, number: int | None, issued) -> None:
    from pipeline import flow

    result = flow.run_year(
        ctx.obj["inputs"], ctx.obj["outputs"], year, progress=_progress(), number=number, issued=issued
    )
    click.echo(year_summary(result))


def year_summary(result) -> str:
    """The Chinese summary of the year's results."""
    from pipeline.scoring import assessment as A

    results = result.results
    units = results.units
    passed = int((units[OL.RESULT] == OL.PASSED).sum())
    named = lambda frame: "、".join(frame[L.UNIT_NAME]) or "无"  # noqa: E731
    failed = "、".join(
        f"{row[L.UNIT_NAME]}" + (f"（负责人 {row[OL.UNIT_HEAD]}）" if row[OL.UNIT_HEAD] else "")
        for _, row in results.failed_units.iterrows()
    )
    people = "、".join(f"{r[L.UNIT_NAME]}{r['姓名']}" for _, r in results.top_persons.iterrows()) or "无"
    lines = [
        f"{result.year} 年终考核完成（{result.bureau}）",
        f"  {results.totals.sentence()}",
        f"  达标单位 {passed}/{len(units)}；先进单位：{named(results.top_units)}",
        f"  取消评优资格：{failed or '无'}",
        f"  先进个人：{people}",
        f"  奖励金额合计 {A.fen(results.payout[OL.PAYOUT_AMOUNT]) / 100:.2f} 元，{len(results.payout)} 人",
        f"  年终考核表、年度通报：{_shown(result.outputs)}",
    ]
    lines += [f"  {result.note}"] if result.note else []
    return "\n".join(lines)


@cli.command(
    short_help="列出台账备份，或用备份恢复台账",
    help="台账备份：每次运行改动台账前，程序自动把台账保存一份到输出目录的“台账备份”文件夹（保留最近 5 份）。"
    "不加选项时列出这些备份；--restore N 用第 N 份恢复台账（当前台账先另存一份，不会丢失）。",
    epilog=EXIT_CODES,
)
@click.option(
    "--restore", "number", metavar="N", callback=_positive, help="用编号为 N 的备份恢复台账（编号见列表，1 为最新）。"
)
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def backups(ctx: click.Context, number: int | None) -> None:
    from pipeline import flow

    outputs = ctx.obj["outputs"]
    if number is None:
        click.echo(backups_list(flow.ledger_backups(outputs), outputs))
        return
    generation, months = flow.restore_ledger(outputs, number)
    latest = months[-1] if months else "YYYY-MM"
    click.echo(
        f"已用第 {number} 份备份（{generation.made:%Y-%m-%d %H:%M:%S}）恢复台账，恢复前的台账已另存在 {_shown(outputs / '台账备份')}。\n"
        f"请运行 python run.py --month {latest}：台账中各月（{'、'.join(months) or '无'}）的输出会按恢复后的台账重新生成，"
        "之后有变动的月份会一并补处理。"
    )


def backups_list(found, outputs: Path) -> str:
    """The kept generations as the office reads them."""
    if not found:
        return f"还没有台账备份（{_shown(outputs / '台账备份')}）：第一次处理月份后，之后每次运行改动台账前会自动备份。"
    lines = [f"台账备份（{_shown(outputs / '台账备份')}，1 为最新）："]
    for generation, months in found:
        span = f"{months[0]} 至 {months[-1]}，共 {len(months)} 个月" if months else "无法读取"
        lines.append(
            f"  {generation.number}. {generation.made:%Y-%m-%d %H:%M:%S}  {generation.size / 1024:.0f} KB  已处理月份：{span}"
        )
    lines.append("恢复：python run.py backups --restore 编号")
    return "\n".join(lines)


@cli.command(
    short_help="检查运行环境和单位负责人",
    help="检查运行环境：Python 版本、依赖包、LibreOffice、中文字体、输出目录；缺什么说明怎么补。"
    "另检查最新年度计划表中参加考核的单位是否都有单位负责人。",
)
@click.pass_context
def check(ctx: click.Context) -> None:
    from pipeline.cli import doctor

    findings = doctor.run_checks(ctx.obj["outputs"])
    if doctor.passed(findings):
        from pipeline.cli.head_check import check_heads

        findings += check_heads(ctx.obj["inputs"], ctx.obj["outputs"])
    click.echo(doctor.report(findings))
    if not doctor.passed(findings):
        sys.exit(doctor.ENVIRONMENT_EXIT)


@cli.command(
    "next-plan",
    short_help="以上一年的计划表为底稿建立新一年的计划表",
    help="以上一年的考核计划表为底稿，建立新一年的计划表 plan-YYYY.xlsx（工作表、名册、任务和规则照抄，供修改）；已有的计划表不会被覆盖。",
)
@click.option("--year", type=int, required=True, metavar="YYYY", help="新计划表的年份，例如 2026。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def next_plan(ctx: click.Context, year: int) -> None:
    from pipeline.plan import nextplan

    path = nextplan.start_next_plan(ctx.obj["inputs"], year)
    click.echo(
        f"已以 {year - 1} 年计划表为底稿建立 {year} 年考核计划表：{path}\n"
        f"请用 Excel 或 WPS 修改名册、任务指标和规则后，再生成 {year}-01 报送表"
        f"（python run.py --month {year - 1}-12 --forms）。"
    )


@cli.command(
    "scheme-trial",
    short_help="按计划表的计分方案试算示例稿件",
    help="按计划表中的计分方案（采用载体、计分加成、约稿任务等工作表）试算示例稿件，写出每个单位的得分、备注和每行的得分说明，供核对方案设置是否与本单位考核办法一致。",
)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(path_type=Path),
    required=True,
    help="计划表文件，例如 templates/schemes/方案6-广元市政务信息.xlsx。",
)
@click.option("--year", type=int, required=True, metavar="YYYY", help="考核年份，例如 2025。")
@click.option(
    "--rows",
    "rows_file",
    type=click.Path(path_type=Path),
    help="示例稿件所在的工作簿（“试算稿件”工作表），默认取计划表自身的。",
)
@click.option("--until", metavar="YYYY-MM", help="算到哪个月（含），默认全年。")
@click.help_option("-h", "--help", help="显示本帮助并退出。")
@click.pass_context
def scheme_trial(ctx: click.Context, plan_file: Path, year: int, rows_file: Path | None, until: str | None) -> None:
    import math

    from pipeline.reports import scheme_trial as trial_report
    from pipeline.scoring import scheme_units as SU

    trial = trial_report.run_trial(plan_file, year, ctx.obj["outputs"], rows_file, until)
    lines = [f"已按计分方案试算 {len(trial.rows)} 行示例稿件：{str(_shown(trial.target)).removesuffix('/')}"]
    for code, unit in trial.result.units.iterrows():
        converted = "" if math.isnan(unit[SU.U_CONVERTED]) else f"，折算 {unit[SU.U_CONVERTED]:g}"
        lines.append(
            f"  {code} {trial.plan.unit_name(code)}：{unit[SU.U_RAW]:g} 分{converted}，评优资格 {unit[SU.U_ELIGIBLE]}"
        )
    if trial.result.problems:
        lines.append(f"示例稿件有 {len(trial.result.problems)} 个问题，见结果工作簿的“问题”表。")
    click.echo("\n".join(lines))


PLAN_CHANGES_SHOWN = 5  # the plan's changes named in the summary; the rest are counted


def summary(result) -> str:
    """The Chinese summary printed after a month was processed."""
    fates = Counter(f.fate for f in result.files)
    errors = sum(p.severity == L.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    lines = [f"{result.month} 月报处理完成（{result.bureau}）"]
    lines += (
        [f"  已先补处理：{'、'.join(result.caught_up)}（此前未处理、报送表或计划表有变动，或上次未处理完）"]
        if result.caught_up
        else []
    )
    if result.replanned:
        shown = "；".join(result.plan_changes[:PLAN_CHANGES_SHOWN])
        more = f"等 {len(result.plan_changes)} 处" if len(result.plan_changes) > PLAN_CHANGES_SHOWN else ""
        lines.append(
            f"  注意：考核计划表在处理 {'、'.join(result.replanned)} 之后改动过（{shown}{more}），"
            f"这些月份已按现在的计划表重新处理，其月度统计、回执和通报已随之更新"
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
    lines.append(f"  已报送单位 {len(result.returned)}/{total}；未报送：{_missing_units(result.missing)}")
    lines.append(
        f"  读取稿件 {result.rows_read} 行：计入 {result.rows_accepted} 行，未计入 {result.rows_rejected} 行"
        + (f"（{_uncounted(result.files)}）" if result.rows_rejected else "")
    )
    lines.append(f"  审核问题 {len(result.problems)} 条：错误 {errors} 条（须改正），警告 {warnings} 条（提示）")
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
    if result.no_head:
        from pipeline.cli.head_check import no_head_note

        lines.append(f"  {no_head_note(result.no_head)}")
    for month, files, note in result.other_circulars:
        if files:
            lines.append(
                f"  季度通报（{month} 处理时生成）：{_shown(files[0].parent)}（{'、'.join(p.name for p in files)}）"
            )
        lines += [f"  {note}"] if note else []
    if result.circular:
        lines.append(f"  季度通报：{_shown(result.circular[0].parent)}（{'、'.join(p.name for p in result.circular)}）")
    lines += [f"  {result.circular_note}"] if result.circular_note else []
    if result.year is not None:
        lines.append(
            f"  {result.year.year} 年 12 个月均已处理，年终考核表、年度通报已更新：{_shown(result.year.outputs)}"
        )
        lines += [f"  {result.year.note}"] if result.year.note else []
    elif result.year_pending:
        lines.append(f"  年终考核表未生成：{'、'.join(result.year_pending)} 尚未处理")
    if result.dashboard is not None:
        lines.append(
            f"  {result.dashboard.parent.name} 年看板：{_shown(result.dashboard.parent)}{result.dashboard.name}（用浏览器打开，不需联网）"
        )
    lines += [_plan_missing_line(result.plan_missing, result.forms_month, result.month)] if result.plan_missing else []
    return "\n".join(line for line in lines if line)


# Why rows were not counted, by the fate of the file they came from (intake.FileRecord.fate).
UNCOUNTED_BY_FATE = {
    "superseded": "被替代的旧版报送表中 {n} 行",
    "rejected": "退回的报送表中 {n} 行",
    "skipped": "跳过的文件中 {n} 行",
    "accepted": "有错误须改正的 {n} 行",
}


def _missing_units(missing: list[tuple[str, str]]) -> str:
    """The units that sent no form ("代码 名称" each): all of them when few; else the first
    `SHOWN`, how many, and the sheet that lists them all (a province misses dozens a month)."""
    from pipeline.cli.head_check import SHOWN
    from pipeline.reports.reports import STATISTICS_FILE

    named = [f"{code} {name}" for code, name in missing]
    if len(named) <= SHOWN:
        return "、".join(named) or "无"
    return f"{'、'.join(named[:SHOWN])} 等 {len(named)} 个单位（完整名单见 {STATISTICS_FILE} 的“{OL.MISSING_SHEET}”表）"


def _uncounted(files) -> str:
    """The uncounted rows broken down by why: superseded files, returned files, rows with errors."""
    rows = Counter()
    for f in files:
        rows[f.fate] += f.rows_rejected
    return "，".join(text.format(n=rows[fate]) for fate, text in UNCOUNTED_BY_FATE.items() if rows[fate])


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


# The run's own temporary folder (`own_temp`), removed when the run ends, and the one before it.
_own_temp: str | None = None
_temp_before: str | None = None


def own_temp() -> None:
    """Gives the run a temporary folder of its own inside the system's, for every temporary
    file made through Python's `tempfile` here and in the forked processes. A stop can cut a
    library short an instant after it made such a file and before it noted it for removal
    (openpyxl's file of a sheet being written), and forked processes end without the exit
    handlers that remove the noted ones: the folder goes whole when the run ends (`drop_temp`)."""
    global _own_temp, _temp_before
    _temp_before, _own_temp = tempfile.tempdir, tempfile.mkdtemp(prefix="run-py-")
    tempfile.tempdir = _own_temp


def drop_temp() -> None:
    """Removes the run's own temporary folder, if it has one."""
    global _own_temp
    if _own_temp is not None:
        shutil.rmtree(_own_temp, ignore_errors=True)
        tempfile.tempdir, _own_temp = _temp_before, None


def leave(code: int | None) -> None:
    """Ends the process with `code` once its output is flushed, without tearing down the
    interpreter: freeing a province's month of objects one by one (and Great Expectations'
    modules) took a second or two after the work was done and every file closed."""
    drop_temp()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    own_temp()
    try:
        cli()
    except SystemExit as done:
        # A failure or a stop exits the usual way: atexit handlers then remove what was cut short
        # (openpyxl's temporary files of a workbook half written), and the run's own folder goes.
        if not isinstance(done.code, (int, type(None))) or done.code:
            drop_temp()
            raise
        leave(done.code)
    except BaseException:
        drop_temp()
        raise
    leave(0)
