"""Writing the demo county's files: the plan workbook, each returned form built with
`forms.build_form` and filled as the unit filled it, and the stray files found beside the forms
(an Office lock file, a note saying the form came by mail).

Every file is saved reproducibly: the document's timestamps, its zip entries' times and the
file's modification time come from its 填报日期 (`save_reproducibly`), never from the clock, so
writing the same content again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import Any

import docx
import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from pipeline.core import labels as L
from pipeline.core.months import month_number
from pipeline.demo.facts import NO_HEAD, PEOPLE, PLANTED
from pipeline.demo.plan import BUREAU, YEAR, plan_sheets, roster_entry
from pipeline.demo.returns import SHEET_MISTAKES, ReturnedForm, file_name, fill_date, returned_forms
from pipeline.demo.year import Piece, simulate_year
from pipeline.files import atomic
from pipeline.forms import forms
from pipeline.plan.plan import Plan, load_plan
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

FORM_ROWS = 30  # prepared rows of the demo's forms: enough for any unit, and fast to build


def write_plan(
    path: Path,
    sheets: dict[str, list[list[Any]]] | None = None,
    *,
    title: str = BUREAU,
    saved_at: dt.datetime | None = None,
) -> Path:
    """Writes a plan workbook with a title row above each table, as offices lay them out.

    With `saved_at`, the file is saved reproducibly (fixed timestamps) instead of atomically
    with the current time; the demo generator uses it so the committed plan never changes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, grid in (sheets or plan_sheets()).items():
        ws = workbook.create_sheet(name)
        xlsx.put(ws.cell(row=1, column=1), f"{title}{YEAR}年信息宣传考核计划——{name}")
        ws.cell(row=1, column=1).font = xlsx.HEADER_FONT
        for r, row in enumerate(grid, start=2):
            for c, value in enumerate(row, start=1):
                xlsx.put(ws.cell(row=r, column=c), value)
        xlsx.style_header_row(ws, 2, len(grid[0]))
        xlsx.set_widths(ws, {c: max(12, printing.display_width(v) + 4) for c, v in enumerate(grid[0], start=1)})
        ws.freeze_panes = "A3"
    if saved_at is None:
        atomic.save_workbook(workbook, path)
    else:
        save_reproducibly(workbook, path, saved_at)
    return path


def write_demo(inputs: Path) -> None:
    """Writes the plan and the twelve months' folders of returned and stray files into `inputs`."""
    write_plan(inputs / L.PLAN_FILE.format(year=YEAR), saved_at=dt.datetime(YEAR - 1, 12, 20, 9, 0))
    plan = load_plan(inputs, YEAR)
    for month, returned in returned_forms(simulate_year()).items():
        folder = inputs / month
        folder.mkdir(parents=True, exist_ok=True)
        for form in returned:
            _write_form(plan, form, folder / form.path)
        _write_stray_files(folder, month)


def _write_form(plan: Plan, form: ReturnedForm, target: Path) -> None:
    workbook = forms.build_form(plan, form.unit, form.month, _carry_over(form.carried), prepared_rows=FORM_ROWS)
    ws = workbook[L.FORM_SHEET]
    values = {L.H_HEAD: None if form.unit in NO_HEAD else PEOPLE[form.unit][0], L.H_FILL_DATE: form.filled}
    for label, row, _, first, _ in forms.HEADER_BLOCK:
        if label in values:
            xlsx.put(ws.cell(row=row, column=first), values[label])
    for offset, record in enumerate(form.rows):
        for label, col in forms.COLUMN.items():
            xlsx.put(ws.cell(row=forms.FIRST_DATA_ROW + offset, column=col), record.get(label))
    for kind in form.sheet_edits:
        SHEET_MISTAKES[kind](ws, form)
    save_reproducibly(workbook, target, _saved_at(form.filled))


def _carry_over(pieces: list[Piece]) -> pd.DataFrame | None:
    """The pending pieces as the ledger hands them to `forms.build_form`."""
    if not pieces:
        return None
    return pd.DataFrame(
        [
            {
                L.TITLE: p.title,
                L.CATEGORY: p.category,
                L.AUTHORS: p.authors,
                L.SENT_DATE: pd.Timestamp(p.sent),
                L.SENT_TO: p.sent_to,
                L.STATUS: L.NOT_ADOPTED,
                L.CO_UNITS: p.co_unit,
                L.REVIEWER: p.reviewer,
                L.SECRECY: L.YES,
            }
            for p in pieces
        ]
    )


def _saved_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30))


def _write_stray_files(folder: Path, month: str) -> None:
    """The files that are not forms: an Office lock file, a note saying the form came by mail."""
    for planted in PLANTED:
        if planted.month != month:
            continue
        if planted.kind == "lock-file":
            target = folder / f"~${file_name(planted.unit, month)}"
            target.write_bytes(_lock_file_bytes("wangxy"))
            _set_mtime(target, _saved_at(fill_date(planted.unit, month)))
        if planted.kind == "note-docx":
            officer = roster_entry(planted.unit)[3]
            lines = [
                "局办公室：",
                f"{roster_entry(planted.unit)[1]}{month_number(month)}月份信息报送表及采用证明附件见邮件，请查收。",
            ]
            _write_note(
                folder / "附件见邮件.docx", [*lines, officer], officer, _saved_at(fill_date(planted.unit, month))
            )


def _lock_file_bytes(user: str) -> bytes:
    """What Excel leaves beside an open workbook: the user's name, padded, twice."""
    name = user.encode("ascii")
    return (
        bytes([len(name)]) + name.ljust(53, b" ") + len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    ).ljust(165, b"\x00")


def _write_note(target: Path, lines: list[str], author: str, when: dt.datetime) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    document.save(buffer)
    _write_restamped(buffer.getvalue(), target, when)


def save_reproducibly(workbook: Workbook, target: Path, when: dt.datetime) -> None:
    """Saves a workbook so that the same content always gives the same bytes: the document's
    timestamps and the zip entries' times are `when`, not the current time (openpyxl's own
    save stamps both with the clock)."""
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    _write_restamped(buffer.getvalue(), target, when)


def _write_restamped(data: bytes, target: Path, when: dt.datetime) -> None:
    """Rewrites a zip package with every entry dated `when`, atomically, and dates the file too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            package.writestr(entry, source.read(info.filename))
    with atomic.atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())
    _set_mtime(target, when)


def _set_mtime(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))
