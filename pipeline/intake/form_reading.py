"""Reading one form: find its header block and its table by their labels, identify the unit,
read the template stamp, and turn the table's rows into the rows frame's columns.

`read_form` fills in the file's `FileRecord` as it reads (header, unit, month, 填报日期, stamp,
rows read) and says whether the form can be accepted; what becomes of the file is intake's call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.problems import Problem
from pipeline.core.records import FileRecord
from pipeline.core.text import fold, is_blank
from pipeline.files.sheets import EXCEL_ROW, column_positions, find_header_row, norm_label
from pipeline.intake.typed_values import (
    cell_text,
    header_text,
    join_names,
    parse_date,
    parse_reported_month,
    piece_key,
    tidy,
)
from pipeline.intake.workbooks import Worksheet
from pipeline.plan.plan import Plan

OPTIONAL_COLUMNS = (L.SEQ, L.NOTES)
REQUIRED_COLUMNS = tuple(c for c in L.TABLE_COLUMNS if c not in OPTIONAL_COLUMNS)
NAME_LIST_COLUMNS = (L.AUTHORS, L.CO_UNITS, S.F_MODIFIERS)
_HEADER_SCAN = 60  # rows searched for a header block when no table was found
_STAMP_ROWS = 5  # the template stamp sits at the top of its sheet


@dataclass(frozen=True)
class Roster:
    """The plan's units as forms name them, looked up once per month rather than once per file."""

    by_code: dict[str, str]  # folded, upper-cased 单位代码 -> 单位代码
    by_name: dict[str, list[str]]  # folded 单位名称 -> 单位代码, in roster order
    names: dict[str, str]  # 单位代码 -> 单位名称


@dataclass(frozen=True)
class _Table:
    sheet: Worksheet
    header_index: int  # 0-based index of the header row in sheet.rows
    positions: dict[str, int]  # label -> 0-based column


def roster_of(plan: Plan) -> Roster:
    """The roster's lookups, made once for the month's files."""
    by_name: dict[str, list[str]] = {}
    for code, name in plan.units[L.P_UNIT_NAME].items():
        by_name.setdefault(fold(str(name)), []).append(str(code))
    # A unit recoded mid-year (原单位代码): its forms under the former code are its own.
    formers = plan.units.get(L.P_FORMER_CODE, pd.Series(dtype=str))
    by_former = {fold(str(former)).upper(): str(code) for code, former in formers.items() if former}
    return Roster(
        by_code={**by_former, **{fold(str(code)).upper(): str(code) for code in plan.units.index}},
        by_name=by_name,
        names={str(code): plan.unit_name(code) for code in plan.units.index},
    )


def read_form(
    record: FileRecord,
    sheets: list[Worksheet],
    roster: Roster,
    month: str,
    max_rows: int,
    scheme_columns: tuple[str, ...] = (),
) -> tuple[dict[str, list[Any]] | None, list[Problem]]:
    """Reads a workbook as a form: header, unit, month, table; fills in `record` as it reads.

    Args:
        record: the file's record, filled in with what the form says.
        sheets: the workbook's worksheets.
        roster: the plan's units (`roster_of`).
        month: the month being processed, "YYYY-MM".
        max_rows: a form whose table sheet has more rows is rejected.
        scheme_columns: the scheme's columns the year's forms carry (`Scheme.form_columns`); a
            form without one of them is rejected, one the year's forms do not carry is not read.

    Returns:
        The rows frame's columns of the form (row_id still 0) and its problems; None instead of the
        columns when the form must be rejected, and then only the errors that reject it.
    """
    table = _locate_table(sheets, scheme_columns)
    header = _header_block(sheets, table)
    record.header = {label: header_text(value) for label, value in header.items()}
    record.template_version = _template_stamp(sheets)
    record.unit_code, record.unit_name, unit_problems = _identify_unit(header, roster)
    record.month = parse_reported_month(header.get(L.H_MONTH), month) or ""
    record.fill_date = parse_date(header.get(L.H_FILL_DATE), record.month or month)
    problems = _table_problems(table, max_rows, scheme_columns) + unit_problems + _month_problems(record, header, month)
    errors = [p for p in problems if p.severity == L.ERROR]
    if table is None or table.sheet.height > max_rows:
        return None, errors
    raw = _table_rows(table)
    record.rows_read = len(raw)
    if errors:
        return None, errors
    rows, row_problems = _normalised_rows(raw, record, table.sheet.name, month)
    return rows, problems + _stamp_problems(record) + _no_rows_problems(record) + row_problems


# --- table ---------------------------------------------------------------------------------------


def _locate_table(sheets: list[Worksheet], scheme_columns: tuple[str, ...]) -> _Table | None:
    """The first sheet holding the table's header row, visible sheets first."""
    for sheet in sorted(sheets, key=lambda s: not s.visible):
        index = find_header_row(sheet.rows, L.TABLE_KEY_COLUMNS)
        if index is not None:
            return _Table(sheet, index, column_positions(sheet.rows[index], (*L.TABLE_COLUMNS, *scheme_columns)))
    return None


def _table_problems(table: _Table | None, max_rows: int, scheme_columns: tuple[str, ...]) -> list[Problem]:
    if table is None:
        return [P.make("file-no-table")]
    sheet = table.sheet
    if sheet.height > max_rows:
        return [P.make("file-too-many-rows", rows=sheet.height, limit=max_rows, sheet=sheet.name)]
    # File-level problems leave the column empty: the message names it.
    missing = [
        P.make("file-column-missing", column=column, sheet=sheet.name).located(column="")
        for column in REQUIRED_COLUMNS
        if column not in table.positions
    ]
    # A form of an older template (before the plan's scheme) lacks the scheme's columns: its
    # rows would be counted without their 采用形式 or 计分加成, so the unit is asked for the new one.
    scheme_missing = [c for c in scheme_columns if c not in table.positions]
    if scheme_missing:
        missing.append(P.make("file-scheme-column-missing", columns="、".join(f"“{c}”" for c in scheme_missing)))
    return missing


def _table_rows(table: _Table) -> list[dict[str, Any]]:
    """The table's data rows as raw values by label, with their Excel row numbers under
    EXCEL_ROW: blank rows, stub rows (only 序号 filled) and repeated header rows are not data rows."""
    rows = _merged_filled(table.sheet, table.header_index + 1)
    raw = []
    for index in range(table.header_index + 1, len(rows)):
        row = rows[index]
        values = {label: (row[pos] if pos < len(row) else None) for label, pos in table.positions.items()}
        if _is_data_row(values):
            raw.append({**values, EXCEL_ROW: index + 1})
    return raw


def _merged_filled(sheet: Worksheet, first: int) -> list[list[Any]]:
    """The sheet's rows with each merged range below row `first` filled with its top-left value:
    people merge the 稿件标题, 作者 and 报送日期 cells of a piece adopted by several outlets, and
    Excel shows the value on every row of the merge while the file holds it only in the first."""
    ranges = [r for r in sheet.merged if r[0][0] >= first]
    if not ranges:
        return sheet.rows
    rows = [list(row) for row in sheet.rows]
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        for r in range(top, min(bottom, len(rows) - 1) + 1):
            for c in range(left, min(right, len(rows[r]) - 1) + 1):
                rows[r][c] = value
    return rows


def _is_data_row(values: dict[str, Any]) -> bool:
    filled = [label for label, v in values.items() if label != L.SEQ and not is_blank(v)]
    repeated_header = all(norm_label(values.get(c)) == norm_label(c) for c in L.TABLE_KEY_COLUMNS)
    return bool(filled) and not repeated_header


# --- header block --------------------------------------------------------------------------------


def _header_block(sheets: list[Worksheet], table: _Table | None) -> dict[str, Any]:
    """The header block's raw values by label: above the table, or, in a workbook without a
    table, in the first sheet that has one (so even a rejected form names its unit)."""
    if table is not None:
        return _labelled_values(table.sheet.rows[: table.header_index], L.HEADER_LABELS)
    for sheet in sorted(sheets, key=lambda s: not s.visible):
        found = _labelled_values(sheet.rows[:_HEADER_SCAN], L.HEADER_LABELS)
        if found:
            return found
    return {}


def _labelled_values(rows: list[list[Any]], labels: tuple[str, ...]) -> dict[str, Any]:
    """Each label found in `rows` with its raw value: the next non-empty cell to its right (unless
    that is another label), or the text after a colon in the label's own cell ("填报单位：办公室")."""
    wanted = {norm_label(label): label for label in labels}
    found: dict[str, Any] = {}
    for row in rows:
        for index, cell in enumerate(row):
            label, inline = _label_in(cell, wanted)
            if label is not None and label not in found:
                found[label] = inline if inline else _value_right_of(row, index, wanted)
    return found


def _label_in(cell: Any, wanted: dict[str, str]) -> tuple[str | None, str]:
    """The label a cell holds, and the value typed after it in the same cell ('' when none)."""
    if not isinstance(cell, str):
        return None, ""
    if (label := wanted.get(norm_label(cell))) is not None:
        return label, ""
    head, colon, tail = cell.replace("：", ":").partition(":")
    label = wanted.get(norm_label(head)) if colon else None
    return label, (tidy(tail) if label else "")


def _value_right_of(row: list[Any], index: int, wanted: dict[str, str]) -> Any:
    for cell in row[index + 1 :]:
        if not is_blank(cell):
            return None if _label_in(cell, wanted)[0] is not None else cell
    return None


def _template_stamp(sheets: list[Worksheet]) -> str:
    for sheet in sheets:
        found = _labelled_values(sheet.rows[:_STAMP_ROWS], (L.FORM_VERSION_LABEL,))
        if found:
            return header_text(found[L.FORM_VERSION_LABEL])
    return ""


def _identify_unit(header: dict[str, Any], roster: Roster) -> tuple[str, str, list[Problem]]:
    """The unit a form belongs to, by 单位代码, else by the exact 填报单位 name.

    Returns:
        The unit's code and roster name ('' when not identified) and the problems met.
    """
    typed_code, typed_name = (header_text(header.get(label)) for label in (L.H_UNIT_CODE, L.H_UNIT_NAME))
    named = roster.by_name.get(fold(typed_name), []) if typed_name else []
    code = roster.by_code.get(fold(typed_code).upper()) if typed_code else None
    if code is not None:
        name = roster.names[code]
        agree = not typed_name or fold(typed_name) == fold(name)
        conflict = P.make("file-unit-conflict", code=code, unit=name, value=typed_name)
        return code, name, [] if agree else [conflict]
    if len(named) == 1:
        name = roster.names[named[0]]
        return named[0], name, [P.make("file-unit-by-name", code=named[0], unit=name, value=typed_code)]
    if not typed_code and not typed_name:
        return "", "", [P.make("file-unit-missing")]
    return "", "", [P.make("file-unit-unknown", value=typed_code)]


def _month_problems(record: FileRecord, header: dict[str, Any], month: str) -> list[Problem]:
    if not record.month:
        return [P.make("file-month-missing", value=header_text(header.get(L.H_MONTH)), month=month)]
    if record.month != month:
        return [P.make("file-wrong-month", value=record.month, month=month)]
    return []


def _stamp_problems(record: FileRecord) -> list[Problem]:
    if record.template_version and record.template_version != L.FORM_VERSION:
        return [P.make("file-template-version", value=record.template_version, expected=L.FORM_VERSION)]
    return []


def _no_rows_problems(record: FileRecord) -> list[Problem]:
    return [] if record.rows_read else [P.make("file-no-rows")]


# --- rows ----------------------------------------------------------------------------------------


def _normalised_rows(
    raw: list[dict[str, Any]], record: FileRecord, sheet: str, month: str
) -> tuple[dict[str, list[Any]], list[Problem]]:
    """The rows frame's columns of one form (row_id still 0), and the row problems met while
    normalising."""
    excel_rows = [values[EXCEL_ROW] for values in raw]
    data: dict[str, list[Any]] = {}
    problems: list[Problem] = []
    for label in (*L.TABLE_COLUMNS, *S.SCHEME_FORM_COLUMNS):
        # a scheme column the year's forms do not carry is "" (`_table_rows` read none)
        values = [row.get(label) for row in raw]
        columns, found = _normalised_column(label, values, month)
        data.update(columns)
        problems += [p.located(sheet=sheet, row=excel_rows[i]) for i, p in found]
    data.update(
        {
            L.ROW_ID: [0] * len(raw),
            L.MONTH: [month] * len(raw),
            L.UNIT_CODE: [record.unit_code] * len(raw),
            L.UNIT_NAME: [record.unit_name] * len(raw),
            L.SOURCE_FILE: [record.path] * len(raw),
            L.SOURCE_SHEET: [sheet] * len(raw),
            L.SOURCE_ROW: excel_rows,
            L.PIECE_KEY: [piece_key(title) for title in data[L.TITLE]],
        }
    )
    return data, sorted(problems, key=lambda p: p.row or 0)


def _normalised_column(
    label: str, values: list[Any], month: str
) -> tuple[dict[str, list[Any]], list[tuple[int, Problem]]]:
    """One table column normalised: its output columns, and (position, problem) pairs."""
    cleaned = [cell_text(v) for v in values]
    texts = [t for t, _ in cleaned]
    found = [
        (i, P.make("row-text-cleaned", column=label, value=t)) for i, (t, removed) in enumerate(cleaned) if removed
    ]
    if label in NAME_LIST_COLUMNS:
        texts = [join_names(t) for t in texts]
    if label not in L.DATE_COLUMNS:
        return {label: texts}, found
    dates = [
        parse_date(t if isinstance(v, str) else v, month) if t else None for v, t in zip(values, texts, strict=True)
    ]
    found += [
        (i, P.make("row-bad-date", column=label, value=t))
        for i, (t, day) in enumerate(zip(texts, dates, strict=True))
        if t and day is None
    ]
    return {label: dates, label + L.RAW_SUFFIX: texts}, found
