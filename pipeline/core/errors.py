"""What stops a whole run. Bad data never raises: it becomes a Problem (see problems.py).

Each exception's docstring is its Chinese message template; `run.py` turns it into one line and an
exit code, and nothing else catches it.
"""

from __future__ import annotations


class PipelineError(Exception):
    """运行中止：{detail}"""

    exit_code = 1

    def __init__(self, **fields: object) -> None:
        self.fields = fields
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return (self.__doc__ or "").strip().splitlines()[0].format(**self.fields)

    def __reduce__(self):
        # Raised in a second process too (reading a big month's files): it must cross back.
        return (_rebuilt, (type(self), self.fields))


def _rebuilt(kind: type[PipelineError], fields: dict[str, object]) -> PipelineError:
    return kind(**fields)


class PlanMissing(PipelineError):
    """找不到 {year} 年的考核计划表 {path}。请把计划表放到该位置，或用 --inputs 指定输入目录。"""

    exit_code = 3


class PlanUnreadable(PipelineError):
    """考核计划表 {path} 无法打开（{reason}）。请用 Excel 或 WPS 重新另存为 .xlsx 后再运行。"""

    exit_code = 3


class PlanInvalid(PipelineError):
    """考核计划表 {path} 有 {count} 处错误，已停止运行。请逐条修改后重新运行：\n{details}"""

    exit_code = 4

    @property
    def message(self) -> str:
        return (self.__doc__ or "").strip().format(**self.fields)


class InputsMissing(PipelineError):
    """找不到输入目录 {path}。请确认路径，或用 --inputs 指定存放计划表和报送表的目录。"""

    exit_code = 5


class OutputsUnwritable(PipelineError):
    """无法写入输出目录 {path}（{reason}）。请检查磁盘空间和文件夹权限，并关闭已打开的输出文件。"""

    exit_code = 6


class YearIncomplete(PipelineError):
    """{year} 年还有 {count} 个月未处理：{months}。请先用 python run.py --month YYYY-MM 处理这些月份，再生成年终考核结果。"""

    exit_code = 8


class TemplateInvalid(PipelineError):
    """文书模板 {path} 无法使用（{reason}）。如在 Word/WPS 中改过模板，请检查 {{{{ }}}} 和 {{% %}} 标记是否完整，或从备份恢复该模板。"""

    exit_code = 1


class DiskFull(PipelineError):
    """磁盘空间不足：写入 {path} 时磁盘已满。没有写完的输出已撤回，已有的输出文件保持原样；请清理磁盘（或用 --outputs 换到空间足够的磁盘）后重新运行，程序会补做没有完成的部分。"""

    exit_code = 12


class LedgerDamaged(PipelineError):
    """台账 {path} 已损坏（{reason}），本次没有改动任何文件。请运行 python run.py backups 查看程序自动保存的台账备份，用 python run.py backups --restore 编号 恢复后重新运行。"""

    exit_code = 13


class InputUnreadable(PipelineError):
    """无法读取输入文件 {path}（{reason}）。这不是报送单位的问题：请检查该文件的读取权限，或等复制完成、关闭正在使用它的程序后重新运行。"""

    exit_code = 14
