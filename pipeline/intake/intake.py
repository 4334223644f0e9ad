"""Intake: read every returned form of a month and keep each row's provenance.

`read_month` walks the month's folder and gives every file a `FileRecord` saying what became of
it: skipped (not a form), rejected (cannot be opened or read as a form), superseded (a later
version of the unit's form came) or accepted. Forms that can be read and belong to the month
yield rows (the rows frame described in `labels.py`). Intake judges no business rule (required
fields, enumerations, dates inside the month): the checks stage does. It reports only what it
meets while reading: files that are not forms or cannot be used, values it had to repair, and
dates it could not parse.

Opening a workbook lives in `workbooks`, reading one form in `form_reading`, turning what people
type into values in `typed_values`; a file's record and its fates in `pipeline.core.records`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.errors import InputUnreadable
from pipeline.core.problems import Problem
from pipeline.core.records import ACCEPTED, REJECTED, SKIPPED, SUPERSEDED, FileRecord
from pipeline.files import faults, parallel
from pipeline.files.parallel import PARALLEL_FROM
from pipeline.intake.form_reading import Roster, read_form, roster_of
from pipeline.intake.workbooks import Worksheet, open_workbook
from pipeline.plan.plan import Plan


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

# Why a file is skipped: completes the catalogue's message.
_SKIP_LOCK = "是 Office/WPS 打开文件时生成的临时锁定文件"
_SKIP_HIDDEN = "是隐藏文件"
_SKIP_TYPE = "是 {suffix} 文件"
_SKIP_NO_SUFFIX = "没有扩展名"
_HASH_CHUNK = 2**20


@dataclass
class _Form:
    """One file while it is being read: its record, its normalised rows (the rows frame's
    columns as plain lists: building a frame per file would cost more than reading it) and its
    problems."""

    record: FileRecord
    rows: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


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
    roster = roster_of(plan)
    scheme_columns = plan.scheme.form_columns() if plan.scheme is not None else ()
    found = month_files(folder)
    jobs = [
        (path, shown, roster, month, max_bytes, max_rows, scheme_columns) for shown, path in found if path is not None
    ]
    # In two processes for a big month (the files are independent; each file's result comes back).
    forms = parallel.map_all(_read_file, jobs, tick or (lambda _done, _total: None), parallel_from=PARALLEL_FROM)
    forms += [_outside_link(shown) for shown, path in found if path is None]
    forms.sort(key=lambda form: form.record.path)
    _settle_duplicates(forms, month, dt.date.today())
    rows = _number_rows([form for form in forms if form.record.fate == ACCEPTED])
    return Intake(rows, [form.record for form in forms], [p for form in forms for p in form.problems])


# --- files ---------------------------------------------------------------------------------------


def month_files(folder: Path) -> list[tuple[str, Path | None]]:
    """Every file under a month's folder with its relative path as shown (`_shown_path`), in the
    order of that path: the one list both intake and the check for changed folders use, so that
    an odd name never makes a month look changed. Linked folders leading inside the inputs
    folder (the month folder's parent) are followed once each; a linked folder leading
    elsewhere, or back above itself, is listed as "name/" with no path, to be reported."""
    folder = Path(folder)
    inputs = Path(os.path.realpath(folder.parent))
    found: list[tuple[str, Path | None]] = []
    entered = {os.path.realpath(folder)}
    for root, folders, names in os.walk(folder, followlinks=True):
        for name in list(folders):
            path = Path(root) / name
            if not path.is_symlink():
                continue
            real = os.path.realpath(path)
            if not _within(real, inputs) or real in entered or _within(os.path.realpath(folder), Path(real)):
                folders.remove(name)
                found.append((_shown_path(path.relative_to(folder)) + "/", None))
            else:
                entered.add(real)
        # Plain strings, not a Path per file: a province's earlier months are 33,000 files, listed
        # by every run to see whether they changed.
        within = os.path.relpath(root, folder)
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path):
                relative = name if within == os.curdir else os.path.join(within, name)
                found.append((_shown_text(relative), Path(path)))
    return sorted(found, key=lambda item: item[0])


def month_folder(inputs: Path, month: str) -> Path:
    """The month's folder in `inputs`: `YYYY-MM`, or the one folder whose name is that once the
    spaces typed around it are dropped (" 2025-03"). The plain name when there is neither."""
    plain = Path(inputs) / month
    if plain.is_dir() or not Path(inputs).is_dir():
        return plain
    near = [path for path in Path(inputs).iterdir() if path.name.strip() == month and path.is_dir()]
    return near[0] if len(near) == 1 else plain


def _within(path: str | Path, folder: Path) -> bool:
    return os.path.commonpath([str(path), str(folder)]) == str(folder)


def _outside_link(shown: str) -> _Form:
    form = _Form(FileRecord(shown, "", 0, 0.0))
    reason = "是指向输入目录以外（或本月文件夹上层）的文件夹链接，未读取；请把报送表直接放进本月文件夹"
    _conclude(form, SKIPPED, [P.make("file-skipped", file=shown, reason=reason)])
    form.problems = [_locate(p, form.record) for p in form.problems]
    return form


def _read_file(
    path: Path, shown: str, roster: Roster, month: str, max_bytes: int, max_rows: int, scheme_columns: tuple[str, ...]
) -> _Form:
    """One file of the month's folder, classified, opened and read when it is a form."""
    stat = path.stat()
    digest = _sha256(path)
    if _changing(path, stat):
        raise InputUnreadable(path=path, reason="文件正在写入或复制，还没有完成")
    form = _Form(FileRecord(shown, digest, stat.st_size, stat.st_mtime))
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
        sheets, problem = open_workbook(path, max_rows)
        if problem is not None:
            _conclude(form, REJECTED, [problem])
        else:
            _read_form(form, sheets, roster, month, max_rows, scheme_columns)
    form.problems = [_locate(p, record) for p in form.problems]
    return form


def _shown_path(relative: Path) -> str:
    """The relative path as text a workbook and JSON can hold: names that are not UTF-8 (zip
    archives made on Chinese Windows use GB18030) are decoded rather than left as surrogates."""
    return _shown_text(relative.as_posix())


def _shown_text(relative: str) -> str:
    """`_shown_path` of a relative path given as the system's text."""
    raw = os.fsencode(relative.replace(os.sep, "/"))
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _sha256(path: Path) -> str:
    """The file's sha256. A file this machine cannot read stops the run: it is not the unit's
    fault, and reading on would count the unit as not having returned its form."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise InputUnreadable(path=path, reason=faults.REASONS.get(exc.errno or 0, exc.strerror or str(exc))) from exc
    return digest.hexdigest()


def _changing(path: Path, before: os.stat_result) -> bool:
    """Whether the file changed while it was read (still being copied in)."""
    after = path.stat()
    return (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns)


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


def _conclude(form: _Form, fate: str, problems: list[Problem]) -> None:
    """Settles a file that yields no rows: its fate, its problems and the reason shown for it."""
    form.record.fate = fate
    form.record.reason = problems[0].message
    form.record.rows_rejected = form.record.rows_read
    form.rows = {}
    form.problems = problems


def _locate(problem: Problem, record: FileRecord) -> Problem:
    return problem.located(source_file=record.path, unit_code=record.unit_code, unit_name=record.unit_name)


def _read_form(
    form: _Form, sheets: list[Worksheet], roster: Roster, month: str, max_rows: int, scheme_columns: tuple[str, ...]
) -> None:
    """Reads a workbook as a form and accepts or rejects it."""
    rows, problems = read_form(form.record, sheets, roster, month, max_rows, scheme_columns)
    if rows is None:
        _conclude(form, REJECTED, problems)
    else:
        form.rows, form.problems = rows, problems


# --- the month as a whole ------------------------------------------------------------------------


def _settle_duplicates(forms: list[_Form], month: str, today: dt.date) -> None:
    """Keeps one accepted form per unit: the latest 填报日期, then the latest modification time,
    then the last in path order; the others become superseded. A 填报日期 that cannot be true
    (after `today`, or before the reported month began) is warned about, and the unit's forms
    are then ordered as received (modification time, then path): a form typed 2030 must not
    win over the real correction."""
    first_day = dt.date.fromisoformat(f"{month}-01")
    by_unit: dict[str, list[tuple[int, _Form]]] = {}
    doubtful: set[str] = set()
    for position, form in enumerate(forms):
        if form.record.fate != ACCEPTED:
            continue
        by_unit.setdefault(form.record.unit_code, []).append((position, form))
        filled = form.record.fill_date
        if filled is not None and not first_day <= _day(filled) <= today:
            why = "晚于今天" if _day(filled) > today else f"早于报送月份 {month}"
            form.problems.append(
                _locate(P.make("fill-date-implausible", value=_day(filled).isoformat(), why=why), form.record)
            )
            doubtful.add(form.record.unit_code)
    for code, group in by_unit.items():
        _, winner = max(group, key=lambda item: _received(item, by_fill_date=code not in doubtful))
        for _, form in group:
            if form is not winner:
                problem = P.make("file-superseded", newer=winner.record.path)
                _conclude(form, SUPERSEDED, [_locate(problem, form.record), *_doubts(form)])


def _received(item: tuple[int, _Form], *, by_fill_date: bool) -> tuple:
    """The order of a unit's versions: 填报日期 (when to be trusted), modification time, path."""
    position, form = item
    order = (form.record.modified, position)
    return (form.record.fill_date or dt.date.min, *order) if by_fill_date else order


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _doubts(form: _Form) -> list[Problem]:
    """The fill-date warning of a form being superseded, kept beside the supersession."""
    return [p for p in form.problems if p.code == "fill-date-implausible"]


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


def _rows_frame(data: dict[str, list[Any]]) -> pd.DataFrame:
    """The rows frame with its dtypes, also when it has no rows."""
    frame = pd.DataFrame({column: data[column] for column in L.ROW_COLUMNS}, columns=list(L.ROW_COLUMNS))
    dates = {c: pd.to_datetime(pd.Series(frame[c], dtype=object)).astype("datetime64[ns]") for c in L.DATE_COLUMNS}
    texts = [c for c in L.ROW_COLUMNS if c not in (L.ROW_ID, L.SOURCE_ROW, *L.DATE_COLUMNS)]
    return frame.assign(**dates).astype({L.ROW_ID: "int64", L.SOURCE_ROW: "int64", **dict.fromkeys(texts, str)})
