"""The problem catalogue: every kind of problem the pipeline can report.

Problems are data, not exceptions. Each kind has a stable code, a default severity, a Chinese
title and a Chinese message template that says what is wrong and how to fix it. Stages return
lists of `Problem`; the reports turn them into the problems file and the units' receipts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.core import labels as L


@dataclass(frozen=True)
class Kind:
    severity: str
    title: str
    template: str


def _e(title: str, template: str) -> Kind:
    return Kind(L.ERROR, title, template)


def _w(title: str, template: str) -> Kind:
    return Kind(L.WARNING, title, template)


CATALOGUE: dict[str, Kind] = {
    # --- the plan workbook (always errors: a bad plan stops the run) ---
    "plan-sheet-missing": _e("缺少工作表", "计划表缺少工作表“{sheet}”。请按模板补上该工作表（名称须一字不差）。"),
    "plan-column-missing": _e(
        "缺少列", "工作表“{sheet}”缺少列“{column}”。请在表头行补上该列标签（须与模板一字不差）。"
    ),
    "plan-required": _e("必填项为空", "“{column}”为空。请填写该项。"),
    "plan-not-in-list": _e("取值不在允许范围", "“{column}”的值“{value}”不在允许范围内，应为：{allowed}。"),
    "plan-not-number": _e("不是数字", "“{column}”的值“{value}”不是数字。请填写阿拉伯数字。"),
    "plan-negative": _e("数值为负", "“{column}”的值“{value}”为负数。分值、任务数和扣分须为 0 或正数。"),
    "plan-not-integer": _e("不是整数", "“{column}”的值“{value}”应为整数。"),
    "plan-below-fen": _e(
        "金额小于分", "“{column}”的值“{value}”有两位以上的小数。金额以元为单位，最多到分（两位小数），请改正。"
    ),
    "plan-duplicate": _e(
        "重复", "“{column}”的值“{value}”与第 {other_row} 行重复。每项只能出现一次，请删除或合并重复行。"
    ),
    "plan-former-split": _e(
        "原单位代码重复",
        "原单位代码“{value}”也写在第 {other_row} 行：一个单位的历史记录不能拆给两个单位。"
        "请只在改了代码的那个单位一行填写原单位代码，另一个单位作为新单位（不填原单位代码）。",
    ),
    "plan-former-in-use": _e(
        "原单位代码仍在使用",
        "原单位代码“{value}”仍是名册中另一个单位的代码：一个单位不能既保留又改成新代码（这会把它拆成两个单位）。"
        "如该单位确已改为新代码，请删除旧代码那一行；否则请清空原单位代码。",
    ),
    "plan-unknown-unit": _e(
        "未知单位", "单位代码“{value}”不在“单位名册”中。请先在单位名册登记该单位，或改正单位代码。"
    ),
    "plan-target-ambiguous": _e(
        "任务行无法确定对象", "每行任务须且只须填写“单位类别”或“单位代码”之一。请清空其中一项或补填。"
    ),
    "plan-points-missing": _e("缺少计分标准", "缺少“{category}”稿件在“{level}”的分值。请在计分标准表补上这一行。"),
    "plan-bonus-missing": _e("缺少批示加分", "缺少“{level}”批示的加分。请在批示加分表补上这一行。"),
    "plan-rule-missing": _e("缺少考核规则", "缺少参数“{param}”。请在考核规则表补上这一行，允许的值：{allowed}。"),
    "plan-no-target": _e(
        "单位没有任务",
        "单位“{unit}”（类别“{category}”）没有年度任务。请在任务指标表为该类别或该单位添加一行。",
    ),
    "plan-no-units": _e("单位名册为空", "单位名册中没有任何单位。请至少登记一个单位。"),
    "plan-rule-invalid": _e("规则取值无效", "参数“{param}”的值“{value}”无效，应为：{allowed}。"),
    # --- returned files ---
    "file-skipped": _w("非报送表文件，已跳过", "文件“{file}”{reason}，不是报送表，已跳过，不计为报送。"),
    "file-empty": _e("空文件", "文件为空（0 字节）。请重新导出报送表后再发送。"),
    "file-too-large": _e("文件过大", "文件大小 {size} 超过上限 {limit}。请只保留报送表，删除图片等无关内容后再发送。"),
    "file-corrupt": _e(
        "文件损坏或无法读取", "文件无法打开（{reason}）。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再发送。"
    ),
    "file-encrypted": _e("文件设有密码", "文件设置了打开密码，无法读取。请取消密码后另存再发送。"),
    "file-no-table": _e(
        "找不到报送表格",
        "文件中找不到报送表格的表头（应含“稿件标题”“稿件类别”“作者”“报送日期”“采用情况”等列）。请使用局办公室下发的模板填写。",
    ),
    "file-too-many-rows": _e(
        "行数过多", "工作表有 {rows} 行，超过上限 {limit} 行。请删除多余的空行或无关内容后再发送。"
    ),
    "file-column-missing": _e("缺少列", "报送表格缺少列“{column}”。请使用局办公室下发的模板，不要删除或改名表头列。"),
    "file-scheme-column-missing": _e(
        "报送表缺少计分方案的列",
        "本年度按局办公室的计分方案计分，报送表须有{columns}列，这份报送表没有（可能用了旧模板）。"
        "请在局办公室本月下发的报送表中填写后重新报送，不要删除或改名表头列。",
    ),
    "file-unit-missing": _e("未填单位", "表头未填写“单位代码”和“填报单位”。请填写后重新发送。"),
    "file-unit-unknown": _e(
        "单位不在名册", "单位代码“{value}”不在单位名册中，名称也对不上。请核对单位代码（可在下发模板的表头找到）。"
    ),
    "file-unit-removed": _e(
        "单位已移出名册",
        "单位代码“{value}”（{unit}）在以前的计划表中，但已不在本年计划表的单位名册中，本表未计入。这不是报送单位的问题："
        "如该单位仍要考核，请办公室在单位名册中恢复它（年中退出的单位请把“参加考核”改为“否”，不要删除）后重新运行。",
    ),
    "file-unit-by-name": _w(
        "按单位名称识别", "单位代码“{value}”无效，已按填报单位名称识别为“{unit}”。请下次填写正确的单位代码 {code}。"
    ),
    "file-unit-conflict": _w(
        "单位代码与名称不一致", "单位代码“{code}”对应“{unit}”，但填报单位写的是“{value}”。已按单位代码识别，请核对。"
    ),
    "file-month-missing": _e(
        "未填报送月份", "表头“报送月份”为空或无法识别（“{value}”）。请填写为 {month} 这样的格式。"
    ),
    "file-wrong-month": _e(
        "报送月份不符",
        "此表的报送月份是 {value}，不是本次处理的 {month}。请把它放到 {value} 的文件夹，或改正报送月份。",
    ),
    "file-superseded": _w(
        "已被新版本替代",
        "本单位本月有多份报送表，此文件已被“{newer}”替代（按填报日期、修改时间取最新一份），其内容未计入。",
    ),
    "fill-date-implausible": _w(
        "填报日期不可信",
        "填报日期 {value} {why}，不能据此判断哪份报送表较新：本单位本月有多份报送表时，改按收到文件的先后"
        "（修改时间较晚的为准）。请核对填报日期。",
    ),
    "file-template-version": _w(
        "模板版本不符", "报送表模板版本为“{value}”，当前为“{expected}”。已尽量读取，请下月改用新模板。"
    ),
    "file-no-rows": _w("没有填写稿件", "报送表中没有填写任何稿件。如本月确无稿件可忽略；否则请补填后重新发送。"),
    # --- rows (GX suites refer to these codes in their meta) ---
    "row-required": _e("必填项为空", "“{column}”为空。请填写后重新报送。"),
    "row-not-in-list": _e("取值不在允许范围", "“{column}”填写了“{value}”，应为：{allowed}。请从下拉列表中选择。"),
    "row-adoption-incomplete": _e(
        "已采用稿件信息不全", "采用情况为“已采用”，但“{column}”为空。请补填采用载体、采用级别、采用日期和证明材料。"
    ),
    "row-bad-date": _e("日期无法识别", "“{column}”的值“{value}”不是有效日期。请填写为 2025-03-05 这样的格式。"),
    "row-sent-after-month": _e(
        "报送日期晚于本月", "报送日期 {value} 晚于报送月份的最后一天 {month_end}。请核对日期，或在下月报送表中填报。"
    ),
    "row-adopted-after-month": _e(
        "采用日期晚于本月",
        "采用日期 {value} 晚于报送月份的最后一天 {month_end}。请核对日期，或在下月报送表中填报。",
    ),
    "row-adopted-reported-late": _w(
        "采用补报",
        "采用日期 {value} 早于报送月份 {month}，按补报计入 {month} 的采用数、采用条次和得分"
        "（已通报月份的数字不变）。今后请在采用当月的报送表中填报。",
    ),
    "row-adopted-before-sent": _e("采用日期早于报送日期", "采用日期 {value} 早于报送日期 {sent}。请核对两个日期。"),
    "row-secrecy": _e("未通过保密审查", "“保密审查”为“{value}”。稿件须经保密审查（填“是”）方可报送和统计。"),
    "row-title-length": _e("标题长度不符", "稿件标题长度为 {length} 个字，应在 2 到 200 字之间。请填写完整标题。"),
    "row-unknown-co-unit": _e(
        "合作单位不在名册", "合作单位“{value}”不在单位名册中。请填写名册中的单位代码或全称，多个单位用“、”分隔。"
    ),
    "row-self-co-unit": _w("合作单位填了本单位", "合作单位中填写了本单位“{value}”，已忽略。合作单位只填其他单位。"),
    "row-not-adopted-with-adoption": _w(
        "未采用却填写了采用信息", "采用情况为“未采用”，但填写了“{column}”。已按未采用处理；如已采用请改为“已采用”。"
    ),
    "row-duplicate-adoption": _e(
        "重复填报", "同一稿件在同一载体的采用已在 {other} 填报过，本行重复，未计入。请删除重复行。"
    ),
    "row-duplicate-piece": _e(
        "多个单位报送同一稿件",
        "稿件“{value}”也由“{other}”报送，但双方都没有在“合作单位”中注明对方。如为合作稿件请双方互相注明；否则请非作者单位删除该行。",
    ),
    "row-co-unit-one-sided": _w(
        "合作单位未互相注明",
        "稿件“{value}”由“{other}”作为合作稿件报送，但本单位未在“合作单位”中注明对方。已按合作稿件计分，请补填。",
    ),
    "row-claimed-earlier": _e(
        "采用已在以前月份计入", "该稿件在“{outlet}”的采用已在 {other_month} 计入，不能重复计分。请删除本行。"
    ),
    "row-near-duplicate": _w(
        "一稿多报？",
        "稿件标题与 {other_unit} {other_month} 报送的“{other_title}”（“{other_file}”第 {other_row} 行）几乎相同"
        "（相似度 {score}%）。如是同一篇稿件，只能由一个单位报送，或在“合作单位”中互相注明；不是同一篇时可不理会。",
    ),
    "row-text-cleaned": _w("含有不可见字符", "“{column}”含有无法保存的控制字符，已删除。请核对内容。"),
    # --- the scheme sheets of the plan (docs/schemes.md) and what they check on the rows ---
    "plan-not-date": _e("不是日期", "“{column}”的值“{value}”不是日期。请填写为 2025-03-05 这样的格式。"),
    "plan-unknown-name": _e(
        "名称未登记", "“{column}”的值“{value}”在工作表“{where}”中没有登记。请先在该表登记，或改正名称。"
    ),
    "plan-outlet-ambiguous": _e(
        "载体名称重复指向",
        "名称“{value}”也是第 {other_row} 行另一载体的名称或别名。一个名称只能指向一个载体，请改正别名。",
    ),
    "plan-scheme-conflict": _e("规则相互矛盾", "{detail}"),
    "row-outlet-unknown": _e(
        "载体不在目录中",
        "采用载体“{value}”不在局办公室的载体目录中，本条采用未计分。请从下拉列表选择载体；如确为新载体，请局办公室在计划表“采用载体”中登记。",
    ),
    "row-outlet-guessed": _w(
        "载体按近似名称识别", "采用载体“{value}”已按目录中的“{outlet}”计分。请下次从下拉列表选择，以免识别错误。"
    ),
    "row-outlet-no-row": _e(
        "载体没有对应分值",
        "“{outlet}”只对以下稿件类别·采用形式计分：{allowed}。本行（“{category}”，采用形式“{value}”）未计分，请改正稿件类别或采用形式。",
    ),
    "row-outlet-ambiguous": _e(
        "载体无法确定",
        "采用载体“{value}”可能是“{choices}”中的任何一个，无法确定，本条采用未计分。请写出载体全称。",
    ),
    "row-unknown-modifier": _e(
        "计分加成不在目录中", "计分加成“{value}”不在计划的加成目录中，未计入。请从下拉列表选择：{allowed}。"
    ),
    "row-modifier-not-applicable": _w(
        "计分加成不适用",
        "计分加成“{value}”只适用于“{category}”稿件，本行是“{row_category}”，未计入。如稿件类别填错请改正。",
    ),
    "row-unknown-commission": _e(
        "约稿编号无效",
        "约稿编号“{value}”不是局办公室下达给本单位的约稿，本行不计为完成约稿。请核对约稿编号（见约稿通知）。",
    ),
    "row-outlet-level-differs": _w(
        "采用级别与载体目录不一致",
        "采用载体“{outlet}”在局办公室的载体目录中为“{level}”，本行填了“{value}”，按目录的“{level}”计分。如载体填错，请改正。",
    ),
    "row-external-not-number": _e(
        "上级计分无效",
        "采用载体“{outlet}”按上级单位给出的分值计分，“上级计分”填写了“{value}”，不是分值，本行未计入。"
        "请填写上级给出的分值（阿拉伯数字，如 5）后重新报送。",
    ),
    "row-external-ignored": _w(
        "上级计分未使用",
        "“上级计分”只用于按上级分值计分的载体；本行的采用载体不是，“{value}”未使用。如载体填错，请改正。",
    ),
    "row-unscored": _w(
        "没有对应分值",
        "“{category}”稿件在“{level}”的采用，在计分标准和载体目录中都没有分值，计 0 分。如应计分，请局办公室补充计划表。",
    ),
    "row-external-missing": _e(
        "缺少上级计分",
        "采用载体“{outlet}”按上级给出的分值计分，但“上级计分”为空或不是数字，本条采用计 0 分。请填写上级给出的分值。",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the inputs, located as precisely as the user sees it."""

    code: str
    severity: str
    message: str
    unit_code: str = ""
    unit_name: str = ""
    source_file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    row_id: int | None = None

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    @property
    def note(self) -> str:
        """The problem as a receipt's note shows it: severity, then the title, then the message."""
        return f"[{self.severity}] {self.title}：{self.message}"

    def located(self, **fields: object) -> Problem:
        """Returns a copy with location fields (unit, file, row, ...) filled in."""
        return dataclasses.replace(self, **fields)


def make(
    code: str,
    /,
    *,
    severity: str | None = None,
    message: str | None = None,
    value: object = "",
    **fields: object,
) -> Problem:
    """Builds a Problem of a catalogued kind.

    Args:
        code: a key of CATALOGUE.
        severity: overrides the kind's default (GX expectations carry their own).
        message: overrides the kind's template (GX expectations carry their own in `meta`).
        value: the original value, shown in the problems file and available to the template.
        **fields: location fields of Problem, and any other names the template uses.

    Returns:
        The Problem with its Chinese message rendered.
    """
    kind = CATALOGUE[code]
    location = {k: fields.pop(k) for k in list(fields) if k in _LOCATION_FIELDS}
    shown = display(value)
    text = (message or kind.template).format(**{"column": "", **location, **fields, "value": shown})
    return Problem(code, severity or kind.severity, text, value=shown, **location)


_LOCATION_FIELDS = {"unit_code", "unit_name", "source_file", "sheet", "row", "column", "row_id"}


def at_row(code: str, row: Mapping[str, Any], column: str, /, **fields: object) -> Problem:
    """`make` for a problem of a form's row (a ledger-shaped row: a dict or a Series), located
    by the row's unit, file, sheet, Excel row and row id, in `column`."""
    return make(
        code,
        unit_code=row[L.UNIT_CODE],
        unit_name=row[L.UNIT_NAME],
        source_file=row[L.SOURCE_FILE],
        sheet=row[L.SOURCE_SHEET],
        row=int(row[L.SOURCE_ROW]),
        column=column,
        row_id=int(row[L.ROW_ID]),
        **fields,
    )


def display(value: object) -> str:
    """How an original cell value is shown to a user."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# The problem's Chinese title leads; its stable code stays, last, for reference.
PROBLEM_COLUMNS = (
    L.UNIT_CODE,
    L.UNIT_NAME,
    L.SOURCE_FILE,
    "行号",
    "列",
    L.PROBLEM_TITLE,
    "严重程度",
    "说明",
    "原值",
    L.PROBLEM_CODE,
)


def to_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems as the problems file shows them, sorted by unit, file and row."""
    records = [
        {
            L.UNIT_CODE: p.unit_code,
            L.UNIT_NAME: p.unit_name,
            L.SOURCE_FILE: p.source_file,
            "行号": p.row,
            "列": p.column,
            L.PROBLEM_TITLE: p.title,
            L.PROBLEM_CODE: p.code,
            "严重程度": p.severity,
            "说明": p.message,
            "原值": p.value,
        }
        for p in problems
    ]
    frame = pd.DataFrame(records, columns=list(PROBLEM_COLUMNS))
    frame["行号"] = frame["行号"].astype("Int64")
    return frame.sort_values(
        [L.UNIT_CODE, L.SOURCE_FILE, "行号", L.PROBLEM_CODE], na_position="first", kind="stable"
    ).reset_index(drop=True)
