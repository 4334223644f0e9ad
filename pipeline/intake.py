"""Intake: read every returned form of a month, find its header block and table by their labels,
normalise the values and keep each row's provenance.

`read_month` walks the month's folder and gives every file a `FileRecord` saying what became of
it. Forms that can be read and belong to the month yield rows (the rows frame described in
`labels.py`). Intake judges no business rule (required fields, enumerations, dates inside the
month): the checks stage does. It reports only what it meets while reading: files that are not
forms or cannot be used, values it had to repair, and dates it could not parse.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from pipeline import labels as L
from pipeline import parallel
from pipeline import problems as P
from pipeline.plan import Plan
from pipeline.problems import Problem
from pipeline.sheets import EXCEL_ROW, column_positions, find_header_row, fold, is_blank, norm_label, text
from pipeline.xlsx import clean_text

ACCEPTED = "accepted"
SUPERSEDED = "superseded"
REJECTED = "rejected"
SKIPPED = "skipped"
FATES = (ACCEPTED, SUPERSEDED, REJECTED, SKIPPED)


@dataclass
class FileRecord:
    """One file found in the month's folder and what became of it.

    Attributes:
        path: path relative to the month's folder, with forward slashes.
        sha256: hex digest of the file's bytes.
        size: bytes.
        modified: modification time (POSIX seconds).
        fate: one of FATES.
        reason: Chinese, why the file was superseded, rejected or skipped ('' when accepted).
        unit_code, unit_name: the unit the form belongs to ('' when not identified).
        month: 报送月份 as read from the header ('' when missing).
        fill_date: 填报日期 from the header, when it could be parsed.
        header: the header block as read (label -> text), e.g. 信息员, 联系电话, 单位负责人.
        template_version: the form template's stamp ('' when absent).
        rows_read: data rows found in the file's table (stub and blank rows excluded).
        rows_accepted, rows_rejected: filled in by the checks; for files not accepted all rows read
            are rejected.
    """

    path: str
    sha256: str
    size: int
    modified: float
    fate: str = ACCEPTED
    reason: str = ""
    unit_code: str = ""
    unit_name: str = ""
    month: str = ""
    fill_date: dt.date | None = None
    header: dict[str, str] = field(default_factory=dict)
    template_version: str = ""
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0


@dataclass
class Intake:
    """What intake found in a month's folder.

    Attributes:
        rows: the data rows of the accepted files, normalised (see the rows-frame comment in
            labels.py for the columns), one row per table row, with provenance.
        files: every file found, in path order.
        problems: file-level problems and the row problems found while normalising.
    """

    rows: pd.DataFrame
    files: list[FileRecord]
    problems: list[Problem]


READABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
WPS_SUFFIX = ".et"
OPTIONAL_COLUMNS = (L.SEQ, L.NOTES)
REQUIRED_COLUMNS = tuple(c for c in L.TABLE_COLUMNS if c not in OPTIONAL_COLUMNS)
NAME_LIST_COLUMNS = (L.AUTHORS, L.CO_UNITS)
EXCEL_EPOCH = dt.date(1899, 12, 30)

# Why a file is skipped or cannot be opened: completes the catalogue's messages.
_SKIP_LOCK = "是 Office/WPS 打开文件时生成的临时锁定文件"
_SKIP_HIDDEN = "是隐藏文件"
_SKIP_TYPE = "是 {suffix} 文件"
_SKIP_NO_SUFFIX = "没有扩展名"
_CORRUPT = "文件已损坏或不是 Excel/WPS 表格，{error}"
_CORRUPT_WPS = "WPS 的 .et 格式无法直接读取，请在 WPS 中另存为 .xlsx"
_CORRUPT_MARKUP = "文件实际是网页或 XML 格式，不是真正的 Excel 文件"
_UNREADABLE = "无法读取文件，{error}"

# A password-protected OOXML workbook is an OLE container holding an "EncryptedPackage" stream.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_HASH_CHUNK = 2**20
_HEADER_SCAN = 60  # rows searched for a header block when no table was found
_STAMP_ROWS = 5  # the template stamp sits at the top of its sheet
# Excel serial numbers taken as dates: 1950-01-01 .. 2099-12-31; other numbers are not dates people mean.
_SERIAL_RANGE = (18264, 73050)
_YEARS = (1900, 2199)

_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0
    for first, last in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(first, last + 1)
}
_NAME_SEPARATORS = re.compile(r"[、､,，;；/／\s]+")

# Date and month patterns, matched against folded text (NFKC, no spaces).
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:月份?)?")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
_MONTH_ONLY = re.compile(r"(\d{1,2})月份?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class _Worksheet:
    name: str
    visible: bool
    rows: list[list[Any]]  # from A1, at most max_rows + 1 rows
    height: int  # rows in the sheet, counted from row 1
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()  # 0-based (top, left), (bottom, right)


@dataclass(frozen=True)
class _Table:
    sheet: _Worksheet
    header_index: int  # 0-based index of the header row in sheet.rows
    positions: dict[str, int]  # label -> 0-based column


@dataclass(frozen=True)
class _Roster:
    """The plan's units as forms name them, looked up once per month rather than once per file."""

    by_code: dict[str, str]  # folded, upper-cased 单位代码 -> 单位代码
    by_name: dict[str, list[str]]  # folded 单位名称 -> 单位代码, in roster order
    names: dict[str, str]  # 单位代码 -> 单位名称


@dataclass
class _Form:
    """One file while it is being read: its record, its normalised rows (the rows frame's
    columns as plain lists: building a frame per file would cost more than reading it) and its
    problems."""

    record: FileRecord
    rows: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


PARALLEL_FROM = 200  # files; below this a second process costs more than it saves


def read_month(
    folder: Path,
    plan: Plan,
    month: str,
    *,
    max_bytes: int = 20 * 2**20,
    max_rows: int = 5000,
    tick: Callable[[int, int], None] | None = None,
) -> Intake:
    """Reads every returned form in a month's folder.

    Args:
        folder: the month's folder; sub-folders are read too.
        plan: the year's plan (its roster identifies the units).
        month: the month being processed, "YYYY-MM".
        max_bytes: bigger files are rejected unread.
        max_rows: a form whose table sheet has more rows is rejected.
        tick: called with (files read, files to read) after each file.

    Returns:
        Every file with its fate, the rows of the accepted forms (numbered by `row_id` in path
        order, then row order) and every problem met while reading.
    """
    folder = Path(folder)
    roster = _roster(plan)
    jobs = [(path, shown, roster, month, max_bytes, max_rows) for shown, path in _files_in(folder)]
    # In two processes for a big month (the files are independent; each file's result comes back).
    forms = parallel.map_all(_read_file, jobs, tick or (lambda _done, _total: None), parallel_from=PARALLEL_FROM)
    _settle_duplicates(forms)
    rows = _number_rows([form for form in forms if form.record.fate == ACCEPTED])
    return Intake(rows, [form.record for form in forms], [p for form in forms for p in form.problems])


def piece_key(title: str) -> str:
    """The key that identifies a piece within its unit: its title folded (NFKC), without any
    space, lower-cased."""
    return fold(title).lower()


def parse_date(value: Any, month: str) -> dt.date | None:
    """A date as people type it into a form.

    Args:
        value: a cell value: a date, an Excel serial number, or text such as 2025-03-05, 2025/3/5,
            2025.3.5, 2025年3月5日, 20250305, or a month and day only (3月5日, 3.5, 3-5).
        month: the form's 报送月份 "YYYY-MM". A month and day takes its year, or the year before
            when that month lies more than half a year later (a December piece on a January form).

    Returns:
        The date, or None when the value is blank or not a date (years outside 1900-2199 are
        typing slips, and could not be held by the rows frame's datetime64[ns] columns).
    """
    day = _any_date(value, month)
    return day if day is not None and _YEARS[0] <= day.year <= _YEARS[1] else None


def parse_month(value: Any, expected: str) -> str | None:
    """A 报送月份 as people type it: 2025-03, 2025.3, 2025年3月, 2025/03, 202503, 3月, a date, or an
    Excel serial number.

    Args:
        value: the header cell's value.
        expected: the month being processed, "YYYY-MM": it gives the year of "3月", and settles
            2025.1 typed into a number cell (Excel keeps 2025.10 as 2025.1).

    Returns:
        "YYYY-MM", or None when the value is blank or not a month.
    """
    if isinstance(value, dt.date):
        return _month(value.year, value.month)
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return _month_from_number(value, expected)
    if not isinstance(value, str):
        return None
    folded = fold(value)
    if match := _YEAR_MONTH.fullmatch(folded) or _COMPACT_MONTH.fullmatch(folded):
        return _month(int(match[1]), int(match[2]))
    if match := _MONTH_ONLY.fullmatch(folded):
        return _month(int(expected[:4]), int(match[1]))
    day = _date_from_text(folded, expected)
    return _month(day.year, day.month) if day else None


# --- files ---------------------------------------------------------------------------------------


def _files_in(folder: Path) -> list[tuple[str, Path]]:
    """Every file under `folder` with its relative path as shown, in the order of that path.
    Linked folders are not entered (a link to a parent would never end)."""
    paths = (Path(root) / name for root, _, names in os.walk(folder) for name in names)
    return sorted((_shown_path(p.relative_to(folder)), p) for p in paths if p.is_file())


def _read_file(path: Path, shown: str, roster: _Roster, month: str, max_bytes: int, max_rows: int) -> _Form:
    """One file of the month's folder, classified, opened and read when it is a form."""
    stat = path.stat()
    form = _Form(FileRecord(shown, _sha256(path), stat.st_size, stat.st_mtime))
    record = form.record
    skip = _skip_reason(record.path)
    if skip:
        _conclude(form, SKIPPED, [P.make("file-skipped", file=record.path, reason=skip)])
    elif record.size == 0:
        _conclude(form, REJECTED, [P.make("file-empty")])
    elif record.size > max_bytes:
        size, limit = _size_text(record.size), _size_text(max_bytes)
        _conclude(form, REJECTED, [P.make("file-too-large", size=size, limit=limit)])
    else:
        sheets, problem = _open_workbook(path, max_rows)
        if problem is not None:
            _conclude(form, REJECTED, [problem])
        else:
            _read_form(form, sheets, roster, month, max_rows)
    form.problems = [_locate(p, record) for p in form.problems]
    return form


def _shown_path(relative: Path) -> str:
    """The relative path as text a workbook and JSON can hold: names that are not UTF-8 (zip
    archives made on Chinese Windows use GB18030) are decoded rather than left as surrogates."""
    raw = os.fsencode(relative.as_posix())
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError:
        return ""  # reported when the file is opened
    return digest.hexdigest()


def _skip_reason(relative: str) -> str:
    """Why a file is not a form ('' when it may be one)."""
    parts = relative.split("/")
    if parts[-1].startswith("~$"):
        return _SKIP_LOCK
    if any(part.startswith(".") for part in parts):
        return _SKIP_HIDDEN
    suffix = PurePosixPath(parts[-1]).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        return _SKIP_TYPE.format(suffix=suffix) if suffix else _SKIP_NO_SUFFIX
    return ""


def _size_text(size: int) -> str:
    if size >= 2**20:
        return f"{size / 2**20:.1f} MB"
    if size >= 2**10:
        return f"{size / 2**10:.1f} KB"
    return f"{size} 字节"


def _open_workbook(path: Path, max_rows: int) -> tuple[list[_Worksheet], Problem | None]:
    """The workbook's worksheets, or the problem that stops it from being read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], P.make("file-corrupt", reason=_UNREADABLE.format(error=exc.strerror or type(exc).__name__))
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        return [], P.make("file-encrypted")
    try:
        return _worksheets(data, max_rows), None
    except PasswordError:
        return [], P.make("file-encrypted")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises many types, and a Rust panic arrives as a BaseException
        return [], P.make("file-corrupt", reason=_corrupt_reason(path.suffix, data, exc))


def _worksheets(data: bytes, max_rows: int) -> list[_Worksheet]:
    # From bytes, calamine tells the format by content: an .xls renamed .xlsx, or a WPS .et in
    # one of the formats it knows, still opens.
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
            height = max(len(rows), sheet.end[0] + 1 if sheet.end else 0)
            merged = tuple(sheet.merged_cell_ranges or ())
            sheets.append(_Worksheet(meta.name, meta.visible == SheetVisibleEnum.Visible, rows, height, merged))
        return sheets
    finally:
        workbook.close()


def _corrupt_reason(suffix: str, data: bytes, exc: BaseException) -> str:
    if suffix.lower() == WPS_SUFFIX:
        return _CORRUPT_WPS
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return _CORRUPT_MARKUP
    return _CORRUPT.format(error=type(exc).__name__)


def _conclude(form: _Form, fate: str, problems: list[Problem]) -> None:
    """Settles a file that yields no rows: its fate, its problems and the reason shown for it."""
    form.record.fate = fate
    form.record.reason = problems[0].message
    form.record.rows_rejected = form.record.rows_read
    form.rows = {}
    form.problems = problems


def _locate(problem: Problem, record: FileRecord) -> Problem:
    return problem.located(source_file=record.path, unit_code=record.unit_code, unit_name=record.unit_name)


# --- one form ------------------------------------------------------------------------------------


def _read_form(form: _Form, sheets: list[_Worksheet], roster: _Roster, month: str, max_rows: int) -> None:
    """Reads a workbook as a form: header, unit, month, table; accepts or rejects it."""
    record = form.record
    table = _locate_table(sheets)
    header = _header_block(sheets, table)
    record.header = {label: _header_text(value) for label, value in header.items()}
    record.template_version = _template_stamp(sheets)
    record.unit_code, record.unit_name, unit_problems = _identify_unit(header, roster)
    record.month = parse_month(header.get(L.H_MONTH), month) or ""
    record.fill_date = parse_date(header.get(L.H_FILL_DATE), record.month or month)
    problems = _table_problems(table, max_rows) + unit_problems + _month_problems(record, header, month)
    errors = [p for p in problems if p.severity == L.ERROR]
    if table is None or table.sheet.height > max_rows:
        _conclude(form, REJECTED, errors)
        return
    raw = _table_rows(table)
    record.rows_read = len(raw)
    if errors:
        _conclude(form, REJECTED, errors)
        return
    form.rows, row_problems = _normalised_rows(raw, record, table.sheet.name, month)
    form.problems = problems + _stamp_problems(record) + _no_rows_problems(record) + row_problems


def _locate_table(sheets: list[_Worksheet]) -> _Table | None:
    """The first sheet holding the table's header row, visible sheets first."""
    for sheet in sorted(sheets, key=lambda s: not s.visible):
        index = find_header_row(sheet.rows, L.TABLE_KEY_COLUMNS)
        if index is not None:
            return _Table(sheet, index, column_positions(sheet.rows[index], L.TABLE_COLUMNS))
    return None


def _table_problems(table: _Table | None, max_rows: int) -> list[Problem]:
    if table is None:
        return [P.make("file-no-table")]
    sheet = table.sheet
    if sheet.height > max_rows:
        return [P.make("file-too-many-rows", rows=sheet.height, limit=max_rows, sheet=sheet.name)]
    # File-level problems leave the column empty: the message names it.
    return [
        P.make("file-column-missing", column=column, sheet=sheet.name).located(column="")
        for column in REQUIRED_COLUMNS
        if column not in table.positions
    ]


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


def _merged_filled(sheet: _Worksheet, first: int) -> list[list[Any]]:
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


def _header_block(sheets: list[_Worksheet], table: _Table | None) -> dict[str, Any]:
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
    return label, (_tidy(tail) if label else "")


def _value_right_of(row: list[Any], index: int, wanted: dict[str, str]) -> Any:
    for cell in row[index + 1 :]:
        if not is_blank(cell):
            return None if _label_in(cell, wanted)[0] is not None else cell
    return None


def _header_text(value: Any) -> str:
    return _tidy(clean_text(value)) if isinstance(value, str) else text(value)


def _template_stamp(sheets: list[_Worksheet]) -> str:
    for sheet in sheets:
        found = _labelled_values(sheet.rows[:_STAMP_ROWS], (L.FORM_VERSION_LABEL,))
        if found:
            return _header_text(found[L.FORM_VERSION_LABEL])
    return ""


def _roster(plan: Plan) -> _Roster:
    """The roster's lookups, made once for the month's files."""
    by_name: dict[str, list[str]] = {}
    for code, name in plan.units[L.P_UNIT_NAME].items():
        by_name.setdefault(fold(str(name)), []).append(str(code))
    return _Roster(
        by_code={fold(str(code)).upper(): str(code) for code in plan.units.index},
        by_name=by_name,
        names={str(code): plan.unit_name(code) for code in plan.units.index},
    )


def _identify_unit(header: dict[str, Any], roster: _Roster) -> tuple[str, str, list[Problem]]:
    """The unit a form belongs to, by 单位代码, else by the exact 填报单位 name.

    Returns:
        The unit's code and roster name ('' when not identified) and the problems met.
    """
    typed_code, typed_name = (_header_text(header.get(label)) for label in (L.H_UNIT_CODE, L.H_UNIT_NAME))
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
        return [P.make("file-month-missing", value=_header_text(header.get(L.H_MONTH)), month=month)]
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
    for label in L.TABLE_COLUMNS:
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
    cleaned = [_cell_text(v) for v in values]
    texts = [t for t, _ in cleaned]
    found = [
        (i, P.make("row-text-cleaned", column=label, value=t)) for i, (t, removed) in enumerate(cleaned) if removed
    ]
    if label in NAME_LIST_COLUMNS:
        texts = [_join_names(t) for t in texts]
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


def _cell_text(value: Any) -> tuple[str, bool]:
    """A cell as the rows frame holds its text, and whether control characters were removed."""
    if not isinstance(value, str):
        return text(value), False
    return _text_cell_text(value)


@functools.lru_cache(maxsize=1 << 16)  # the same texts (dates, names, outlets) fill most cells
def _text_cell_text(value: str) -> tuple[str, bool]:
    legal = clean_text(value)
    return _tidy(legal), legal != value


def _tidy(value: str) -> str:
    """Zero-width characters dropped, spaces (full-width and non-breaking too) trimmed and inner
    runs folded to one, full-width letters and digits folded to ASCII. Chinese punctuation is
    kept as typed: it is part of titles and outlets people read."""
    value = _ZERO_WIDTH.sub("", value).translate(_FULL_WIDTH_ALNUM)
    return _SPACES.sub(" ", value).strip()


def _join_names(value: str) -> str:
    return L.LIST_SEPARATOR.join(part for part in _NAME_SEPARATORS.split(value) if part)


def _rows_frame(data: dict[str, list[Any]]) -> pd.DataFrame:
    """The rows frame with its dtypes, also when it has no rows."""
    frame = pd.DataFrame({column: data[column] for column in L.ROW_COLUMNS}, columns=list(L.ROW_COLUMNS))
    dates = {c: pd.to_datetime(pd.Series(frame[c], dtype=object)).astype("datetime64[ns]") for c in L.DATE_COLUMNS}
    texts = [c for c in L.ROW_COLUMNS if c not in (L.ROW_ID, L.SOURCE_ROW, *L.DATE_COLUMNS)]
    return frame.assign(**dates).astype({L.ROW_ID: "int64", L.SOURCE_ROW: "int64", **dict.fromkeys(texts, str)})


# --- dates and months ----------------------------------------------------------------------------


def _any_date(value: Any, month: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return _date_from_number(value, month)
    if isinstance(value, str):
        return _date_from_text(fold(value), month)
    return None


def _date_from_text(folded: str, month: str) -> dt.date | None:
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        if match := pattern.fullmatch(folded):
            return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_DAY.fullmatch(folded):
        return _month_day(int(match[1]), int(match[2]), month)
    if _NUMBER.fullmatch(folded):
        return _date_from_number(float(folded), month)
    return None


def _date_from_number(number: float, month: str) -> dt.date | None:
    """A date typed as a number: 20250305, an Excel serial number, or 3.5 (month.day)."""
    whole = float(number).is_integer()
    if whole and 19000101 <= number <= 21001231:
        value = int(number)
        return _date(value // 10000, value // 100 % 100, value % 100)
    if _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    if 0 < number < 13 and not whole:
        month_no, day = str(float(number)).split(".")
        return _month_day(int(month_no), int(day), month)
    return None


def _month_day(month_no: int, day: int, month: str) -> dt.date | None:
    year, form_month = int(month[:4]), int(month[5:7])
    return _date(year - 1 if month_no - form_month > 6 else year, month_no, day)


def _date(year: int, month_no: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month_no, day)
    except ValueError:
        return None


def _month_from_number(number: float, expected: str) -> str | None:
    """A month typed as a number: 2025.3 (year.month), 202503, or an Excel serial number."""
    if 1900 <= number < 2200 and not float(number).is_integer():
        year, _, decimals = str(float(number)).partition(".")
        # A number cell turns 2025.10 into 2025.1: both months are candidates.
        candidates = [_month(int(year), int(decimals)), _month(int(year), int(decimals) * 10)]
        valid = [c for c in candidates if c]
        return expected if expected in valid else (valid[0] if valid else None)
    if float(number).is_integer() and 190001 <= number <= 219912:
        return _month(int(number) // 100, int(number) % 100)
    day = _date_from_number(number, expected)
    return _month(day.year, day.month) if day else None


def _month(year: int, month_no: int) -> str | None:
    return f"{year:04d}-{month_no:02d}" if 1 <= month_no <= 12 else None


# --- the month as a whole ------------------------------------------------------------------------


def _settle_duplicates(forms: list[_Form]) -> None:
    """Keeps one accepted form per unit: the latest 填报日期, then the latest modification time,
    then the last in path order; the others become superseded."""
    by_unit: dict[str, list[tuple[int, _Form]]] = {}
    for position, form in enumerate(forms):
        if form.record.fate == ACCEPTED:
            by_unit.setdefault(form.record.unit_code, []).append((position, form))
    for group in by_unit.values():
        _, winner = max(
            group, key=lambda item: (item[1].record.fill_date or dt.date.min, item[1].record.modified, item[0])
        )
        for _, form in group:
            if form is not winner:
                problem = P.make("file-superseded", newer=winner.record.path)
                _conclude(form, SUPERSEDED, [_locate(problem, form.record)])


def _number_rows(accepted: list[_Form]) -> pd.DataFrame:
    """The rows frame of the month: the accepted rows numbered across the month (path order,
    then row order); gives each row problem its row_id."""
    data: dict[str, list[Any]] = {column: [] for column in L.ROW_COLUMNS}
    for form in accepted:
        excel_rows, first = form.rows[L.SOURCE_ROW], len(data[L.ROW_ID]) + 1
        ids = list(range(first, first + len(excel_rows)))
        by_row = dict(zip(excel_rows, ids, strict=True))
        form.problems = [p if p.row is None else p.located(row_id=by_row[p.row]) for p in form.problems]
        for column in L.ROW_COLUMNS:
            data[column] += ids if column == L.ROW_ID else form.rows[column]
    return _rows_frame(data)
