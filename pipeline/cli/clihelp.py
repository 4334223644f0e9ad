"""Click's help pages and usage errors in Chinese, for the main command and every subcommand.

`ChineseGroup.command_class` is `ChineseCommand`, so a subcommand added with `@cli.command(...)`
gets Chinese help without passing anything; `cls=ChineseCommand` says the same explicitly.
`usage_text` turns click's usage errors (English) into one Chinese sentence.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import click

HELP_OPTION_TEXT = "显示本帮助并退出。"
OPTIONS_HEADING = "选项"
COMMANDS_HEADING = "子命令"
USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "<子命令> [参数]..."

# Click's default metavars (the left column of an option's help line) and the bracketed extras
# after an option's help text.
_METAVARS = {
    "TEXT": "文本",
    "INTEGER": "整数",
    "FLOAT": "数字",
    "BOOLEAN": "是/否",
    "PATH": "路径",
    "FILE": "文件",
    "FILENAME": "文件",
    "DIRECTORY": "目录",
    "DATETIME": "日期时间",
}
_EXTRAS = {"default": "默认", "required": "必填", "env var": "环境变量"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


class ChineseFormatter(click.HelpFormatter):
    """Headings with a full-width colon and a Chinese usage prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix=USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """Two columns aligned by display width (a Chinese character takes two columns); a term
        wider than `col_max` puts its text on the next line."""
        rows = list(rows)
        first = min(max((display_width(term) for term, _ in rows), default=0), col_max)
        indent = " " * self.current_indent
        for term, text in rows:
            if not text:
                self.write(f"{indent}{term}\n")
            elif display_width(term) <= col_max:
                self.write(f"{indent}{term}{' ' * (first - display_width(term) + col_spacing)}{text}\n")
            else:
                self.write(f"{indent}{term}\n{indent}{' ' * (first + col_spacing)}{text}\n")


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class ChineseCommand(click.Command):
    """A command whose --help page is Chinese throughout: usage line, option list, metavars,
    defaults, the help option itself."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [row for row in (help_record(p, ctx) for p in self.get_params(ctx)) if row]
        if rows:
            with formatter.section(OPTIONS_HEADING):
                formatter.write_dl(rows)


class ChineseGroup(ChineseCommand, click.Group):
    """A group whose subcommands are ChineseCommands (and sub-groups ChineseGroups)."""

    command_class = ChineseCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, cmd.get_short_help_str(limit=60)) for name, cmd in self.commands.items() if not cmd.hidden]
        if rows:
            with formatter.section(COMMANDS_HEADING):
                formatter.write_dl(rows)


ChineseGroup.group_class = ChineseGroup  # a sub-group's subcommands are Chinese too


def help_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """An option's help line with click's English metavars and extras put into Chinese."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, text = record
    names = re.sub(r"\b[A-Z]+\b", lambda m: _METAVARS.get(m.group(0), m.group(0)), names)
    return names, re.sub(r"\s*\[([^\[\]]*)\]$", _extras, text)


def _extras(match: re.Match[str]) -> str:
    items = []
    for item in match.group(1).split("; "):
        key, _, value = item.partition(": ")
        value = value.strip("()")
        items.append(f"{_EXTRAS.get(key, key)}：{value}" if value else _EXTRAS.get(key, key))
    return "（" + "；".join(items) + "）"


def usage_text(exc: click.UsageError, root: click.Command | None = None) -> str:
    """One Chinese sentence for a usage error click raised (its own messages are English).
    `root` is the main command, where an option named in the error is looked up."""
    if _CJK.search(exc.message):
        if isinstance(exc, click.BadParameter) and exc.param is not None:
            return f"选项 {_name(exc.param)} 的值无效：{exc.message}"
        return exc.message
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        return f"缺少必需的{kind} {_name(exc.param)}。"
    if isinstance(exc, click.NoSuchOption):
        close = "、".join(exc.possibilities or [])
        return f"没有选项 {exc.option_name}。" + (f"是不是要写 {close}？" if close else "")
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return _no_such_command(exc)
    if isinstance(exc, click.BadOptionUsage):
        return _bad_option_usage(exc, root)
    if isinstance(exc, click.BadParameter):
        return _bad_parameter(exc)
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)$", exc.message)
    if extra:
        return f"多余的参数：{extra.group(1)}。"
    if exc.message == "Missing command.":
        return "缺少子命令。"
    return "命令写法不对。"


def _name(param: click.Parameter) -> str:
    return param.opts[0] if isinstance(param, click.Option) else (param.human_readable_name or "")


def _no_such_command(exc: click.exceptions.NoSuchCommand) -> str:
    name = exc.command_name
    text = f"没有子命令“{name}”。"
    if re.fullmatch(r"\d{4}-\d{1,2}", name):
        return text + f"要处理该月，请写 --month {name}。"
    commands = (
        list(exc.ctx.command.commands) if exc.ctx is not None and isinstance(exc.ctx.command, click.Group) else []
    )
    return text + (f"可用的子命令：{'、'.join(commands)}。" if commands else "")


def _bad_option_usage(exc: click.BadOptionUsage, root: click.Command | None) -> str:
    name = exc.option_name
    if "does not take a value" in exc.message:
        return f"选项 {name} 不用写值。"
    option = _option(root, name)
    example = f"（{option.metavar}）" if option is not None and option.metavar else ""
    return f"选项 {name} 后面须写上值{example}。"


def _bad_parameter(exc: click.BadParameter) -> str:
    param = exc.param
    name = _name(param) if param is not None else (exc.param_hint or "")
    kind = param.type if param is not None else None
    if isinstance(kind, click.Choice):
        return f"选项 {name} 的值无效，应为：{'、'.join(map(str, kind.choices))}。"
    if isinstance(kind, click.Path):
        want = "文件夹" if not kind.file_okay else "文件" if not kind.dir_okay else "文件或文件夹"
        return f"选项 {name} 的值无效：应为一个{want}的路径。"
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return f"选项 {name} 的值无效：应为数字。"
    return f"选项 {name} 的值无效。"


def _option(root: click.Command | None, name: str) -> click.Option | None:
    """The option called `name` of `root` or of one of its subcommands."""
    commands = [root] if root is not None else []
    commands += list(root.commands.values()) if isinstance(root, click.Group) else []
    params = [p for command in commands for p in command.params]
    return next((p for p in params if isinstance(p, click.Option) and name in p.opts), None)
