"""The 填报说明 sheet of the monthly form: the deadline, how to fill each column, two worked
examples of the same piece, how to name and send the file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.core.months import chinese_date, month_bounds
from pipeline.files import atomic
from pipeline.plan.scheme_model import Scheme
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

FORM_TITLE_FONT = Font(name="宋体", bold=True, size=16)
SECTION_FONT = Font(name="黑体", size=12)
GUIDE_STYLE = "说明-内容"
GUIDE_HEADER_STYLE = "说明-标题"
WIDTHS = (14, 64, 44)  # label, first example (or rule), second example


@dataclass(frozen=True)
class GuideSample:
    """What the worked examples name: the plan's own first 稿件类别 and 采用级别, an outlet of its
    catalogue, and the scheme's columns' values (first row, second row); the columns in order."""

    columns: tuple[str, ...] = L.TABLE_COLUMNS
    category: str = L.CATEGORIES[0]
    level: str = L.LEVELS[0]
    outlet: str = "《要情快报》"
    instruction: str = L.LEVELS[0]
    extra: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def scheme_sample(scheme: Scheme, columns: tuple[str, ...]) -> GuideSample:
    """The examples under a scheme: an outlet of its catalogue (with its level and use form),
    a modifier, a commission, a 上级计分 when the outlet takes one."""
    vocab = scheme.vocabulary
    # an outlet whose points depend on the 采用形式, when there is one, shows that column filled
    outlet = min(scheme.outlets, key=lambda o: (not o.use_form, o.row), default=None)
    level = outlet.level if outlet is not None and outlet.level else vocab.levels[0]
    commission = next(iter(scheme.commissions), None)
    extra = {
        S.F_USE_FORM: (None, outlet.use_form if outlet is not None and outlet.use_form else None),
        S.F_MODIFIERS: (None, next(iter(scheme.modifiers), None)),
        S.F_COMMISSION: (commission, commission),
        S.F_EXTERNAL: (None, 5 if outlet is not None and outlet.external else None),
    }
    return GuideSample(
        columns=columns,
        category=outlet.category if outlet is not None and outlet.category else vocab.categories[0],
        level=level,
        outlet=outlet.name if outlet is not None else GuideSample.outlet,
        instruction=vocab.instructions[0],
        extra={label: values for label, values in extra.items() if label in columns},
    )


def write_guide(
    workbook: Workbook,
    title: str,
    unit: pd.Series,
    month: str,
    due: dt.date,
    column_rules: dict[str, str],
    sample: GuideSample = GuideSample(),
) -> None:
    """The 填报说明 sheet: deadline, one line per column, two worked examples, how to send.

    Args:
        workbook: the form.
        title: the sheet's title line.
        unit: the unit's roster row, named by its code.
        month: the form's month, "YYYY-MM".
        due: the day the form is due.
        column_rules: how to fill each column, by label.
        sample: the columns and the names the worked examples use.
    """
    ws = workbook.create_sheet(L.FORM_GUIDE_SHEET)
    xlsx.set_widths(ws, dict(enumerate(WIDTHS, start=1)))
    _add_guide_styles(workbook)
    first, _ = month_bounds(month)
    name = str(unit[L.P_UNIT_NAME])
    row = _guide_line(ws, 1, title, font=FORM_TITLE_FONT)
    row = _guide_line(ws, row + 1, "一、报送时限", font=SECTION_FONT)
    row = _guide_line(
        ws, row, f"本表为{name}{first.year}年{first.month}月报送表，请于{chinese_date(due)}前报送局办公室。"
    )
    row = _guide_line(ws, row + 1, "二、各列填写要求", font=SECTION_FONT)
    for label in sample.columns:
        row = _guide_pair(ws, row, [label, column_rules[label]])
    row = _guide_line(ws, row + 1, "三、填写示例", font=SECTION_FONT)
    row = _guide_pair(ws, row, ["列", "示例一：本月报送、尚未采用", "示例二：同一稿件在下月被采用"], header=True)
    for label, values in _examples(unit, month, sample).items():
        row = _guide_pair(ws, row, [label, *values])
    row = _guide_line(ws, row + 1, "四、文件命名与报送", font=SECTION_FONT)
    for line in _sending_rules(atomic.unit_filename(str(unit.name), name)):
        row = _guide_line(ws, row, line)
    ws.protection.sheet = True
    xlsx.fit_to_a4(ws, ws.ORIENTATION_PORTRAIT)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _add_guide_styles(workbook: Workbook) -> None:
    boxed = {"border": xlsx.BOX, "alignment": xlsx.WRAP}
    workbook.add_named_style(NamedStyle(GUIDE_STYLE, font=xlsx.BODY_FONT, **boxed))
    workbook.add_named_style(NamedStyle(GUIDE_HEADER_STYLE, font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL, **boxed))


def _guide_line(ws: Worksheet, row: int, text: str, font: Font = xlsx.BODY_FONT) -> int:
    """One line of prose in column A; it runs on over the empty cells to its right (merging
    would cost more than the whole sheet in openpyxl)."""
    cell = xlsx.put(ws.cell(row=row, column=1), text)
    cell.font = font
    ws.row_dimensions[row].height = 30 if font is FORM_TITLE_FONT else 20
    return row + 1


def _guide_pair(ws: Worksheet, row: int, values: list[Any], header: bool = False) -> int:
    """One row of the guide's tables: a column label, then its rule or example values."""
    for col, value in enumerate(values, start=1):
        xlsx.put(ws.cell(row=row, column=col), value).style = GUIDE_HEADER_STYLE if header or col == 1 else GUIDE_STYLE
    # Wrapped text only grows its row when the height is set.
    widths = [ws.column_dimensions[get_column_letter(col)].width or 10 for col in range(1, len(values) + 1)]
    lines = max(printing.text_lines(v, w) for v, w in zip(values, widths, strict=True))
    ws.row_dimensions[row].height = printing.row_height(lines)
    return row + 1


def _examples(unit: pd.Series, month: str, sample: GuideSample) -> dict[str, tuple[Any, Any]]:
    """Two rows of the same piece: sent this month (未采用), then adopted next month (已采用),
    keeping its first 报送日期."""
    first, last = month_bounds(month)
    sent = first.replace(day=10)
    adopted = last + dt.timedelta(days=8)
    officer = str(unit[L.P_OFFICER]) or "张丽"
    same = {
        L.TITLE: "我局扎实开展耕地保护专项巡查",
        L.CATEGORY: sample.category,
        L.AUTHORS: f"{officer}{L.LIST_SEPARATOR}李明",
        L.SENT_DATE: f"{sent:%Y-%m-%d}",
        L.SENT_TO: "县委办信息科",
        L.REVIEWER: "王建军",
        L.SECRECY: L.YES,
    }
    first_row = {L.SEQ: 1, **same, L.STATUS: L.NOT_ADOPTED, L.INSTRUCTION: L.NO_INSTRUCTION}
    second_row = {
        L.SEQ: 1,
        **same,
        L.STATUS: L.ADOPTED,
        L.OUTLET: sample.outlet,
        L.LEVEL: sample.level,
        L.ADOPT_DATE: f"{adopted:%Y-%m-%d}",
        L.INSTRUCTION: sample.instruction,
        L.PROOF: f"{sample.outlet}{adopted.year}年第{adopted.month * 4}期",
        L.NOTES: f"{first.month}月已报送，本月采用",
    }
    rows = {label: (first_row.get(label), second_row.get(label)) for label in sample.columns}
    return rows | sample.extra


def _sending_rules(filename: str) -> list[str]:
    return [
        "1. 请在局办公室下发的本表中填写，不要删除、改名或移动表头各列，不要改动“单位代码”和“报送月份”。",
        f"2. 文件名保持为“{filename}”，保存为 .xlsx 格式（用 WPS 填写时请另存为 Excel 格式）。",
        "3. 每月报送一份；需要更正时，请修改后重新发送完整的报送表并更新“填报日期”，以最后一份为准。",
        "4. 已采用稿件的证明材料（刊物复印件、报纸版面截图、网页链接）请一并报送局办公室。",
        "5. 本月确无稿件的，也请填写表头后按时报送，表格留空。",
    ]
