"""The monthly return form: one workbook per unit per month, issued by the office, returned filled in.

Intake finds everything by its labels; this is the layout the units see:

    row 1   the title "<机关>信息宣传工作月度报送表", merged across the table
    row 2   填报单位 [value]  单位代码 [value]  报送月份 [value]  单位负责人 [value]
    row 3   信息员 [value]    联系电话 [value]  填报日期 [value]
    row 4   a one-line hint
    row 5   the table header, exactly `labels.TABLE_COLUMNS` (in a year whose plan describes a
            scheme, with the scheme's columns after 领导批示: `form_layout`)
    row 6-  prepared data rows, the unit's carried-over pieces first

The two fields the unit fills in the header (单位负责人, 填报日期) come last on their rows, so an
empty value is never followed by another label. Every enumerated column has a list validation
whose source is a defined name on the hidden 选项 sheet (inline lists are limited to 255
characters); that sheet also carries the template version stamp in A1:B1. The 填报说明 sheet shows
its worked examples column by column, so it never holds a row that looks like the table header.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, NamedStyle, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core.months import deadline, month_bounds
from pipeline.files import atomic
from pipeline.forms import form_guide
from pipeline.forms.form_guide import FORM_TITLE_FONT
from pipeline.forms.form_layout import FormLayout, one_of, scheme_layout
from pipeline.plan.plan import Plan
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

FORMS_DIR = "forms"
TITLE_ROW = 1
HINT_ROW = 4
HEADER_ROW = 5
FIRST_DATA_ROW = 6
DATA_ROWS = 200
DATA_ROW_HEIGHT = 20.0  # points: one line of 11 pt text
SPARE_ROWS = 20  # empty rows left under carried-over pieces when there are many
DATE_FORMAT = "yyyy-mm-dd"
DATA_STYLE = "报送表-填写"
DATE_STYLE = "报送表-日期"
LIST_FIRST_ROW = 4  # on the 选项 sheet: stamp in row 1, list labels in row 3, values below

COLUMN = {label: index for index, label in enumerate(L.TABLE_COLUMNS, start=1)}

# (label, row, label column, first value column, last value column)
HEADER_BLOCK = (
    (L.H_UNIT_NAME, 2, 1, 2, 4),
    (L.H_UNIT_CODE, 2, 5, 6, 6),
    (L.H_MONTH, 2, 7, 8, 8),
    (L.H_HEAD, 2, 9, 10, 11),
    (L.H_OFFICER, 3, 1, 2, 4),
    (L.H_PHONE, 3, 5, 6, 6),
    (L.H_FILL_DATE, 3, 7, 8, 8),
)

ENUMERATIONS = {
    L.CATEGORY: L.CATEGORIES,
    L.STATUS: L.STATUSES,
    L.LEVEL: L.LEVELS,
    L.INSTRUCTION: L.INSTRUCTION_LEVELS,
    L.SECRECY: L.YES_NO,
}

# About 180 characters in all: the form prints on A4 landscape at about 80 % in Excel and 64 % in
# LibreOffice on Linux (see printing.py), its words' boxes 9 pt high.
WIDTHS = {
    L.SEQ: 9,
    L.TITLE: 28,
    L.CATEGORY: 9,
    L.AUTHORS: 10,
    L.SENT_DATE: 11,
    L.SENT_TO: 12,
    L.STATUS: 8,
    L.OUTLET: 14,
    L.LEVEL: 8,
    L.ADOPT_DATE: 11,
    L.INSTRUCTION: 8,
    L.CO_UNITS: 10,
    L.PROOF: 16,
    L.REVIEWER: 8,
    L.SECRECY: 6,
    L.NOTES: 10,
}


# How to fill each column: shown on the 填报说明 sheet and as the column's input prompt.
COLUMN_RULES = {
    L.SEQ: "选填，按 1、2、3 顺序编号；只填序号、其余为空的行不计入。",
    L.TITLE: "必填，稿件完整标题，2～200 字；同一稿件以后月份再填报时，标题须与首次一致。",
    L.CATEGORY: f"必填，从下拉列表选择：{one_of(L.CATEGORIES)}。",
    L.AUTHORS: f"必填，多位作者用“{L.LIST_SEPARATOR}”分隔，如“张丽{L.LIST_SEPARATOR}李明”。",
    L.SENT_DATE: "必填，稿件首次报送的日期，如 2025-03-05，不得晚于报送月份最后一天；以后月份填报采用情况时仍填首次报送日期。",
    L.SENT_TO: "必填，稿件报送到哪里，如“县委办信息科”“市局办公室”“县融媒体中心”。",
    L.STATUS: f"必填，从下拉列表选择：{one_of(L.STATUSES)}。当月未采用的填“{L.NOT_ADOPTED}”，在采用当月再填一行“{L.ADOPTED}”。",
    L.OUTLET: f"{L.ADOPTED}时必填，刊发稿件的刊物、报纸、电视台或网站，如《要情快报》。",
    L.LEVEL: f"{L.ADOPTED}时必填，从下拉列表选择：{one_of(L.LEVELS)}。同一稿件被几个载体采用的，每个载体填一行。",
    L.ADOPT_DATE: f"{L.ADOPTED}时必填，如 2025-03-18，须在报送月份之内。",
    L.INSTRUCTION: f"从下拉列表选择：{one_of(L.INSTRUCTION_LEVELS)}；不填视为“{L.NO_INSTRUCTION}”。",
    L.CO_UNITS: f"合作稿件填写合作单位的单位代码或全称，多个单位用“{L.LIST_SEPARATOR}”分隔，不填本单位。",
    L.PROOF: f"{L.ADOPTED}时必填：刊物期号、报纸日期和版次、网页链接或扫描件文件名。",
    L.REVIEWER: "必填，审核签发该稿件的负责人姓名。",
    L.SECRECY: f"必填，稿件经保密审查的填“{L.YES}”；未经保密审查的稿件不得报送。",
    L.NOTES: "选填。",
}

HINT = (
    "说明：蓝色底纹为固定内容，请勿修改；请在白色单元格填写，一行填一篇稿件的一次采用情况。"
    "带下拉箭头的列请从列表中选择，日期请按 2025-03-05 格式填写。各列要求见“填报说明”工作表。"
)

DEFAULT_LAYOUT = FormLayout(L.TABLE_COLUMNS, ENUMERATIONS, COLUMN_RULES, WIDTHS)

TITLE_HEIGHT, HEADER_HEIGHT = 32.0, 30.0
HINT_HEIGHT = printing.row_height(printing.text_lines(HINT, sum(WIDTHS.values())))
LOCKED = Protection(locked=True)
UNLOCKED = Protection(locked=False)
LEFT_MIDDLE = Alignment(vertical="center", wrap_text=True)


def layout_of(plan: Plan) -> FormLayout:
    """The year's form columns: today's, or with the scheme's columns and names (`form_layout`)."""
    return DEFAULT_LAYOUT if plan.scheme is None else scheme_layout(DEFAULT_LAYOUT, plan.scheme)


def form_title(plan: Plan) -> str:
    return f"{plan.bureau_name()}{L.FORM_TITLE_SUFFIX}"


def form_filename(code: str, name: str) -> str:
    """The issued form's file name, `<单位代码>-<单位名称>.xlsx`, safe on every system."""
    return atomic.unit_filename(code, name)


def is_form_name(name: str) -> bool:
    """Whether a file of a forms folder is named as the issued forms are (`form_filename`);
    anything else there is the office's."""
    return "/" not in name and name.endswith(".xlsx") and "-" in name and not name.startswith(("~$", "."))


def build_form(
    plan: Plan,
    unit_code: str,
    month: str,
    carry_over: pd.DataFrame | None = None,
    *,
    prepared_rows: int = DATA_ROWS,
) -> Workbook:
    """The form of one unit for one month, header pre-filled, ready to send to the unit.

    Args:
        plan: the year's plan; the unit must be on its roster.
        unit_code: the unit's 单位代码.
        month: "YYYY-MM".
        carry_over: the unit's pieces still 未采用, with the rows frame's columns (see labels.py);
            each becomes a pre-filled row with 采用情况 = 未采用. None or empty for a blank form.
        prepared_rows: empty rows made ready (boxed, unlocked, validated); at least SPARE_ROWS
            more than the carried-over pieces.

    Returns:
        The workbook (not saved).
    """
    return build_unit_form(plan, plan.units.loc[unit_code], month, carried_rows(carry_over), prepared_rows)


def build_unit_form(
    plan: Plan, unit: pd.Series, month: str, carried: list[dict[str, Any]], prepared_rows: int = DATA_ROWS
) -> Workbook:
    """`build_form` for a unit given as its roster row (named by its code) and its carried rows."""
    last_row = FIRST_DATA_ROW + max(prepared_rows, len(carried) + SPARE_ROWS) - 1
    values = header_values(str(unit.name), unit, month)
    layout = layout_of(plan)
    workbook = Workbook()
    ws = workbook.active
    ws.title = L.FORM_SHEET
    list_names = _write_lists(workbook, layout)
    _write_title_and_hint(ws, form_title(plan), layout)
    _write_header_block(ws, values)
    _write_table_header(ws, layout)
    _prepare_data_rows(ws, last_row, layout)
    _write_carried(ws, carried, layout)
    _add_validations(ws, list_names, month, last_row, carried, layout)
    _protect(ws, last_row, layout)
    _set_print_layout(ws, print_end(values, carried, last_row, layout=layout), last_row, layout)
    due = deadline(month, plan.rules.deadline_day)
    sample = form_guide.GuideSample() if plan.scheme is None else form_guide.scheme_sample(plan.scheme, layout.columns)
    form_guide.write_guide(workbook, f"{form_title(plan)}填报说明", unit, month, due, layout.rules, sample)
    _stamp(workbook, plan)
    return workbook


def carried_rows(carry_over: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Carried-over pieces as form rows, by 报送日期 then 稿件标题, status 未采用.

    Columns absent from the frame stay blank; so do blank texts and missing dates.
    """
    if carry_over is None or carry_over.empty:
        return []
    return _sorted_rows(carry_over.to_dict("records"))


def carried_rows_of_table(table: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """`carried_rows` of every unit, from a single frame with a 单位代码 column (`cross_month.carry_over_table`):
    one conversion of the whole table, column by column, not one per unit (which cost more than
    the unit's form) nor one per row and column."""
    count = len(table)
    columns = [_form_values(table[label]) if label in table.columns else [None] * count for label in L.CARRY_COLUMNS]
    names = (*L.CARRY_COLUMNS, L.STATUS)
    records: dict[str, list[dict[str, Any]]] = {}
    for code, *values in zip(table[L.UNIT_CODE], *columns, itertools.repeat(L.NOT_ADOPTED, count), strict=True):
        records.setdefault(str(code), []).append(dict(zip(names, values, strict=True)))
    return {code: _by_sent_date(rows) for code, rows in records.items()}


def _form_values(column: pd.Series) -> list[Any]:
    """`_blank_to_none` of each of the column's values, as a record of the frame holds them."""
    values = column.tolist()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        missing = column.isna().to_numpy()
        return [None if blank else value for value, blank in zip(values, missing, strict=True)]
    return [value if type(value) is str and value.strip() else _blank_to_none(value) for value in values]


def _sorted_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        row = {label: _blank_to_none(record.get(label)) for label in L.CARRY_COLUMNS}
        rows.append({**row, L.STATUS: L.NOT_ADOPTED})
    return _by_sent_date(rows)


def _by_sent_date(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Sorted in Python: a pandas sort per unit cost more than the unit's whole form.
    return sorted(rows, key=lambda row: (*_last_if_missing(row[L.SENT_DATE]), *_last_if_missing(row[L.TITLE])))


def _last_if_missing(value: Any) -> tuple[bool, Any]:
    return (True, 0) if value is None else (False, value)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    return None if value is None or pd.isna(value) else value


def header_values(code: str, unit: pd.Series, month: str) -> dict[str, Any]:
    """The header block's values by label."""
    return {
        L.H_UNIT_NAME: unit[L.P_UNIT_NAME],
        L.H_UNIT_CODE: code,
        L.H_MONTH: month,
        L.H_OFFICER: unit[L.P_OFFICER] or None,
        L.H_PHONE: unit[L.P_PHONE] or None,
        L.H_HEAD: str(unit.get(L.P_HEAD) or "").strip() or None,
        L.H_FILL_DATE: None,
    }


def _write_title_and_hint(ws: Worksheet, title: str, layout: FormLayout) -> None:
    cell = xlsx.put(ws.cell(row=TITLE_ROW, column=1), title)
    cell.font = FORM_TITLE_FONT
    cell.alignment = xlsx.CENTER
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=layout.last_column)
    ws.row_dimensions[TITLE_ROW].height = TITLE_HEIGHT
    hint = xlsx.put(ws.cell(row=HINT_ROW, column=1), HINT)
    hint.font = Font(name="宋体", size=printing.BODY_SIZE, color="555555")
    hint.alignment = LEFT_MIDDLE
    ws.merge_cells(start_row=HINT_ROW, start_column=1, end_row=HINT_ROW, end_column=layout.last_column)
    ws.row_dimensions[HINT_ROW].height = HINT_HEIGHT


def _write_header_block(ws: Worksheet, values: dict[str, Any]) -> None:
    """Label cells (locked, shaded) each followed by its value cell (unlocked, boxed)."""
    for label, row, label_col, first, last in HEADER_BLOCK:
        name_cell = xlsx.put(ws.cell(row=row, column=label_col), label)
        _header_label_style(name_cell)
        for col in range(first, last + 1):
            _header_value_style(ws.cell(row=row, column=col))
        value_cell = xlsx.put(ws.cell(row=row, column=first), values[label])
        if label == L.H_MONTH:
            value_cell.number_format = "@"  # stays text "YYYY-MM" even when retyped
        if label == L.H_FILL_DATE:
            value_cell.number_format = DATE_FORMAT
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    for row, height in header_heights(values).items():
        ws.row_dimensions[row].height = height


def header_heights(values: dict[str, Any]) -> dict[int, float]:
    """The height of each header block row: its longest label or value, wrapped."""
    heights: dict[int, float] = {}
    for label, row, label_col, first, last in HEADER_BLOCK:
        lines = max(
            printing.text_lines(label, _width(label_col)), printing.text_lines(values[label], _width(first, last))
        )
        heights[row] = max(heights.get(row, 0.0), 22.0, printing.row_height(lines))
    return heights


def _width(first: int, last: int | None = None) -> float:
    """The width of columns first..last (one column when `last` is None)."""
    return sum(WIDTHS[L.TABLE_COLUMNS[col - 1]] for col in range(first, (last or first) + 1))


def _header_label_style(cell: Cell) -> None:
    cell.font, cell.fill, cell.border = xlsx.HEADER_FONT, xlsx.HEADER_FILL, xlsx.BOX
    cell.alignment, cell.protection = xlsx.CENTER, LOCKED


def _header_value_style(cell: Cell) -> None:
    cell.border, cell.protection, cell.font, cell.alignment = xlsx.BOX, UNLOCKED, xlsx.BODY_FONT, LEFT_MIDDLE


def _write_table_header(ws: Worksheet, layout: FormLayout) -> None:
    for label, col in layout.column.items():
        cell = xlsx.put(ws.cell(row=HEADER_ROW, column=col), label)
        cell.protection = LOCKED
    xlsx.style_header_row(ws, HEADER_ROW, layout.last_column)
    ws.row_dimensions[HEADER_ROW].height = HEADER_HEIGHT
    xlsx.set_widths(ws, {layout.column[label]: width for label, width in layout.widths.items()})


def _prepare_data_rows(ws: Worksheet, last_row: int, layout: FormLayout) -> None:
    """Boxed, wrapped, unlocked cells; whole rows unlocked so Excel lets the unit delete them.

    Each cell takes one of two named styles: setting a named style copies its prepared style,
    where setting font, border, alignment and protection one by one hashes each of them.
    """
    text_style, date_style = _data_styles(ws.parent)
    date_columns = {layout.column[label] for label in L.DATE_COLUMNS}
    for row in range(FIRST_DATA_ROW, last_row + 1):
        dimension = ws.row_dimensions[row]
        dimension.protection = UNLOCKED
        dimension.height = DATA_ROW_HEIGHT
        for col in range(1, layout.last_column + 1):
            ws.cell(row=row, column=col).style = date_style if col in date_columns else text_style


def _data_styles(workbook: Workbook) -> tuple[str, str]:
    shared = {"font": xlsx.BODY_FONT, "border": xlsx.BOX, "alignment": xlsx.WRAP, "protection": UNLOCKED}
    text_style = NamedStyle(name=DATA_STYLE, **shared)
    date_style = NamedStyle(name=DATE_STYLE, number_format=DATE_FORMAT, **(shared | {"alignment": xlsx.DATE_ALIGNMENT}))
    for style in (text_style, date_style):
        workbook.add_named_style(style)
    return text_style.name, date_style.name


def _write_carried(ws: Worksheet, rows: list[dict[str, Any]], layout: FormLayout) -> None:
    """The carried-over pieces, each row as high as its longest wrapped text."""
    for number, record in enumerate(rows, start=1):
        row = FIRST_DATA_ROW + number - 1
        xlsx.put(ws.cell(row=row, column=layout.column[L.SEQ]), number)
        for label, value in record.items():
            xlsx.put(ws.cell(row=row, column=layout.column[label]), value)
        ws.row_dimensions[row].height = carried_height(record, layout)


def carried_height(record: dict[str, Any], layout: FormLayout = DEFAULT_LAYOUT) -> float:
    """A carried-over row's height: its longest text, wrapped."""
    widths = layout.widths
    lines = max((printing.text_lines(v, widths[k]) for k, v in record.items() if isinstance(v, str)), default=1)
    return max(DATA_ROW_HEIGHT, printing.row_height(lines))


def _write_lists(workbook: Workbook, layout: FormLayout) -> dict[str, str]:
    """The hidden 选项 sheet: the version stamp, then one column per enumeration, each published
    as a workbook-level defined name. Returns the defined name of each enumerated column."""
    ws = workbook.create_sheet(L.FORM_LIST_SHEET)
    xlsx.put(ws.cell(row=1, column=1), L.FORM_VERSION_LABEL)
    xlsx.put(ws.cell(row=1, column=2), L.FORM_VERSION)
    names = {}
    for col, (label, values) in enumerate(layout.enumerations.items(), start=1):
        xlsx.put(ws.cell(row=LIST_FIRST_ROW - 1, column=col), label)
        for offset, value in enumerate(values):
            xlsx.put(ws.cell(row=LIST_FIRST_ROW + offset, column=col), value)
        letter = get_column_letter(col)
        last = LIST_FIRST_ROW + len(values) - 1
        name = f"{L.FORM_LIST_SHEET}_{label}"
        ref = f"{quote_sheetname(L.FORM_LIST_SHEET)}!${letter}${LIST_FIRST_ROW}:${letter}${last}"
        workbook.defined_names.add(DefinedName(name, attr_text=ref))
        names[label] = name
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return names


def _column_range(label: str, last_row: int, layout: FormLayout) -> str:
    letter = get_column_letter(layout.column[label])
    return f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"


def _add_validations(
    ws: Worksheet,
    list_names: dict[str, str],
    month: str,
    last_row: int,
    carried: list[dict[str, Any]],
    layout: FormLayout,
) -> None:
    column = functools.partial(_validate, ws, last_row=last_row, layout=layout)
    for label, name in list_names.items():
        values = one_of(layout.enumerations[label])
        listed = DataValidation(type="list", formula1=name)
        if label in layout.open_lists:
            # Excel warns and lets the unit keep a value typed past the list.
            listed.errorStyle = "warning"
            column(listed, label, f"不在下拉列表中（{values}）。确认无误请点“是”保留。")
        else:
            column(listed, label, f"只能从下拉列表中选择：{values}。")
    first, last = month_bounds(month)
    for label, start in ((L.SENT_DATE, earliest_sent(month, carried)), (L.ADOPT_DATE, first)):
        dates = DataValidation(type="date", operator="between", formula1=_excel_date(start), formula2=_excel_date(last))
        column(dates, label, f"须为 {start:%Y-%m-%d} 至 {last:%Y-%m-%d} 之间的日期，如 {last:%Y-%m-%d}。")
    title = DataValidation(type="textLength", operator="between", formula1="2", formula2="200")
    column(title, L.TITLE, "稿件标题须为 2～200 个字。")
    for label in layout.columns:
        if label not in list_names and label not in (*L.DATE_COLUMNS, L.TITLE):
            column(DataValidation(), label, "")


def earliest_sent(month: str, carried: list[dict[str, Any]]) -> dt.date:
    """The earliest 报送日期 the form accepts: the year's first day, or an earlier carried-over
    piece's (sent in December, adopted in January)."""
    first, _ = month_bounds(month)
    sent = [pd.Timestamp(r[L.SENT_DATE]).date() for r in carried if isinstance(r[L.SENT_DATE], dt.date)]
    return min([dt.date(first.year, 1, 1), *sent])


def _validate(
    ws: Worksheet, validation: DataValidation, label: str, error: str, *, last_row: int, layout: FormLayout
) -> None:
    """Attaches a validation with the column's rule as its input prompt and a Chinese error."""
    validation.allow_blank = True
    validation.showInputMessage = True
    validation.promptTitle = label
    validation.prompt = layout.rules[label][:255]
    if error:
        validation.showErrorMessage = True
        validation.errorTitle = f"“{label}”填写有误"
        validation.error = f"“{label}”{error}"
    validation.add(_column_range(label, last_row, layout))
    ws.add_data_validation(validation)


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _protect(ws: Worksheet, last_row: int, layout: FormLayout) -> None:
    """Protects the labels without a password; the unit may still insert, delete, format, sort
    and filter rows."""
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(layout.last_column)}{last_row}"
    protection = ws.protection
    protection.sheet = True
    protection.formatCells = protection.formatColumns = protection.formatRows = False
    protection.insertRows = protection.deleteRows = False
    protection.sort = protection.autoFilter = False


def print_end(
    values: dict[str, Any],
    carried: list[dict[str, Any]],
    last_row: int,
    carried_heights: list[float] | None = None,
    *,
    layout: FormLayout = DEFAULT_LAYOUT,
) -> int:
    """The print area's last row: the end of the page that holds the last carried-over piece
    (blank lines finish it), not the last prepared row. `carried_heights`: the carried rows'
    `carried_height`s when already known."""
    heights = [TITLE_HEIGHT, *header_heights(values).values(), HINT_HEIGHT, HEADER_HEIGHT]
    heights += [carried_height(record, layout) for record in carried] if carried_heights is None else carried_heights
    heights += [DATA_ROW_HEIGHT] * (last_row - len(heights))
    scale = printing.fit_scale("landscape", [layout.widths[label] for label in layout.columns])
    return printing.last_row_of_page(heights, FIRST_DATA_ROW + len(carried) - 1, HEADER_ROW, scale)


def _set_print_layout(ws: Worksheet, last: int, last_row: int, layout: FormLayout) -> None:
    """A4 landscape, the table header on every page, the print area ending at row `last`."""
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{get_column_letter(layout.last_column)}{last}"
    xlsx.fit_to_a4(ws, ws.ORIENTATION_LANDSCAPE)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _stamp(workbook: Workbook, plan: Plan) -> None:
    """The template version as a custom document property too, and who issued the form."""
    workbook.custom_doc_props.append(StringProperty(name=L.FORM_VERSION_LABEL, value=L.FORM_VERSION))
    workbook.properties.creator = plan.rules.issuer
    workbook.properties.title = form_title(plan)
