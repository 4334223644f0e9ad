"""What each unit of the demo county returns each month: its forms' rows and headers, file
names and 填报日期, resent versions, and the mistakes people make, planted one by one as
`demo_facts.PLANTED` lists them.

A piece adopted after its sending month is listed 未采用 in the sending month and 已采用, with
the original 报送日期, in the adoption month; units that keep their issued forms come back with
last month's pending pieces pre-filled (`ReturnedForm.carried`). SO06 returns nothing in May and
June, the late unit is usually late.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Any

from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core import months
from pipeline.demo.facts import (
    CARRYING_UNITS,
    FILE_NAMES,
    LATE_UNIT,
    NO_NUMBERING,
    PLANTED,
    SHORT_NAMES,
    WRITES_NO_INSTRUCTION,
)
from pipeline.demo.plan import UNITS, YEAR, roster_entry
from pipeline.demo.year import MONTHS, Adoption, Piece, is_planted, month_end, rng_for
from pipeline.forms import forms
from pipeline.xlsx import styles as xlsx


@dataclass
class ReturnedForm:
    """One file as a unit sends it: its header, its rows (a row is a dict of table labels; an
    empty dict is a blank line) and the pending pieces its issued form came pre-filled with."""

    unit: str
    month: str
    path: str
    filled: dt.date
    rows: list[dict[str, Any]]
    carried: list[Piece]
    sheet_edits: tuple[str, ...] = ()


def returned_forms(by_unit: dict[str, list[Piece]]) -> dict[str, list[ReturnedForm]]:
    """The forms found in each month's folder, planted mistakes included, in roster order."""
    folders: dict[str, list[ReturnedForm]] = {month: [] for month in MONTHS}
    for code, *_ in UNITS:
        for index, month in enumerate(MONTHS):
            if is_planted(month, code, "no-return"):
                continue
            folder = MONTHS[index + 1] if is_planted(month, code, "misfiled") else month
            folders[folder] += _versions(_unit_return(code, by_unit[code], month))
    return folders


# --- What each unit returns --------------------------------------------------------------------


def _unit_return(code: str, pieces: list[Piece], month: str) -> ReturnedForm:
    carried, rows = _month_rows(code, pieces, month)
    for planted in PLANTED:
        if (planted.month, planted.unit) == (month, code) and planted.kind in ROW_MISTAKES:
            ROW_MISTAKES[planted.kind](rows, month, planted.value)
    edits = tuple(p.kind for p in PLANTED if (p.month, p.unit) == (month, code) and p.kind in SHEET_MISTAKES)
    return ReturnedForm(code, month, file_name(code, month), fill_date(code, month), rows, carried, edits)


def _month_rows(code: str, pieces: list[Piece], month: str) -> tuple[list[Piece], list[dict[str, Any]]]:
    """The pending pieces the unit's form came pre-filled with, and the rows the unit returns:
    those pieces first (updated when adopted this month), then its other rows by date."""
    rng = rng_for("rows", code, month)
    number = months.month_number(month)
    carried = sorted(
        (
            p
            for p in pieces
            if code in CARRYING_UNITS
            and p.sent.month == number - 1
            and (p.first_adopted is None or p.first_adopted >= number)
        ),
        key=lambda p: (p.sent, p.title),
    )
    carried_ids = {id(p) for p in carried}
    listed = [(p, (p.adoptions_in(number) or [None])[0]) for p in carried]
    others = []
    for piece in pieces:
        adoptions = piece.adoptions_in(number)
        extra = adoptions[1:] if id(piece) in carried_ids else adoptions
        if id(piece) not in carried_ids and not adoptions and piece.sent.month == number:
            extra = [None]
        others += [(piece, adoption) for adoption in extra]
    others.sort(key=lambda pa: (pa[0].sent, pa[0].title, pa[1].day if pa[1] else pa[0].sent))
    rows = [_row(rng, piece, adoption) for piece, adoption in [*listed, *others]]
    if code not in NO_NUMBERING:
        for number_in_form, row in enumerate(rows, start=1):
            row[L.SEQ] = number_in_form
    return carried, rows


def _row(rng: random.Random, piece: Piece, adoption: Adoption | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        PIECE: piece,
        L.TITLE: piece.title,
        L.CATEGORY: piece.category,
        L.AUTHORS: piece.authors,
        L.SENT_DATE: piece.sent,
        L.SENT_TO: piece.sent_to,
        L.STATUS: L.ADOPTED if adoption else L.NOT_ADOPTED,
        L.CO_UNITS: piece.co_unit or None,
        L.REVIEWER: piece.reviewer,
        L.SECRECY: L.YES,
    }
    instruction = adoption.instruction if adoption else ""
    row[L.INSTRUCTION] = instruction or (L.NO_INSTRUCTION if piece.unit in WRITES_NO_INSTRUCTION else None)
    if adoption:
        row.update({L.OUTLET: adoption.outlet.name, L.LEVEL: adoption.outlet.level})
        row.update({L.ADOPT_DATE: adoption.day, L.PROOF: adoption.proof})
        if adoption.day.month != piece.sent.month and rng.random() < 0.4:
            row[L.NOTES] = f"{piece.sent.month}月已报送"
    return row


def file_name(code: str, month: str) -> str:
    if is_planted(month, code, "default-name"):
        return "新建 XLSX 工作表.xlsx"
    pattern = FILE_NAMES[code]
    name = forms.form_filename(code, roster_entry(code)[1]) if pattern is None else pattern
    name = name.format(y=YEAR, m=months.month_number(month), mm=month[5:])
    return f"邮件附件/{name}" if is_planted(month, code, "subfolder") else name


def fill_date(code: str, month: str) -> dt.date:
    """填报日期: mostly in the first days of the next month, some on the month's last days, a
    few late; the late unit usually late."""
    rng = rng_for("filled", code, month)
    last = month_end(months.month_number(month))
    late = 0.6 if code == LATE_UNIT else 0.08
    roll = rng.random()
    if roll < late:
        return last + dt.timedelta(days=rng.randint(6, 12))
    if roll < late + 0.2:
        return last - dt.timedelta(days=rng.randint(0, 2))
    return last + dt.timedelta(days=rng.randint(1, 5))


def _versions(form: ReturnedForm) -> list[ReturnedForm]:
    """A unit that resends: the first version lacks its last row and a 审核人; the corrected one
    is filled in a day later and named (修改版)."""
    if not is_planted(form.month, form.unit, "resent"):
        return [form]
    first_rows = [dict(row) for row in form.rows[:-1]]
    _pieces_of(first_rows)[0][L.REVIEWER] = None
    first = replace(form, rows=first_rows, filled=form.filled - dt.timedelta(days=1))
    stem = form.path.removesuffix(".xlsx")
    return [first, replace(form, path=f"{stem}(修改版).xlsx")]


# --- The mistakes people make ------------------------------------------------------------------

PIECE = "_piece"  # the Piece a row stands for; never written
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _pieces_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in rows if row.get(L.TITLE)]
    if not found:
        raise RuntimeError("a planted mistake needs a row with a piece")
    return found


def _adopted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in _pieces_of(rows) if row[L.STATUS] == L.ADOPTED]
    if not found:
        raise RuntimeError("a planted mistake needs an adopted row")
    return found


def _missing_reviewer(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.REVIEWER] = None


def _secrecy_no(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.SECRECY] = L.NO


def _unknown_category(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[0][L.CATEGORY] = value


def _adopted_no_level(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.LEVEL] = None


def _adopted_no_proof(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.PROOF] = None


def _adopted_outside_month(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """An adoption dated in the previous month, on a piece sent well before it."""
    first_day, _ = months.month_bounds(month)
    claimed = first_day - dt.timedelta(days=2)
    row = next((r for r in _adopted_rows(rows) if r[L.SENT_DATE] < claimed), None)
    if row is None:
        raise RuntimeError("no adopted row sent before the previous month's end")
    row[L.ADOPT_DATE] = claimed


def _date_as_text(rows: list[dict[str, Any]], month: str, value: str) -> None:
    pieces = _pieces_of(rows)
    day = pieces[0][L.SENT_DATE]
    pieces[0][L.SENT_DATE] = f"{day.year}.{day.month}.{day.day}"
    for row in pieces[1:2]:
        row[L.SENT_DATE] = f"{row[L.SENT_DATE].month}月{row[L.SENT_DATE].day}日"


def _full_width(rows: list[dict[str, Any]], month: str, value: str) -> None:
    for row in _pieces_of(rows):
        row[L.SEQ] = str(row.get(L.SEQ) or "").translate(_FULL_WIDTH) or None
        row[L.SENT_DATE] = f"{row[L.SENT_DATE]:%Y-%m-%d}".translate(_FULL_WIDTH)
    first = next((r for r in _pieces_of(rows) if any(ch.isdigit() for ch in r[L.TITLE])), _pieces_of(rows)[0])
    first[L.TITLE] = first[L.TITLE].translate(_FULL_WIDTH)


def _formula_title(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """A title pasted with a leading '-' or '=', on a piece listed only this month, so the
    change does not split the piece across months."""
    number = months.month_number(month)
    row = next(
        r
        for r in _pieces_of(rows)
        if r[PIECE].sent.month == number and all(a.day.month == number for a in r[PIECE].adoptions)
    )
    row[L.TITLE] = value + row[L.TITLE]


def _blank_lines(rows: list[dict[str, Any]], month: str, value: str) -> None:
    if len(_pieces_of(rows)) < 2:
        raise RuntimeError("blank lines inside the table need two rows")
    rows.insert(1, {})
    if len(rows) > 4:
        rows.insert(4, {})


def _stub_rows(rows: list[dict[str, Any]], month: str, value: str) -> None:
    count = len(_pieces_of(rows))
    rows += [{L.SEQ: count + extra} for extra in (1, 2, 3)]


ROW_MISTAKES = {
    "missing-reviewer": _missing_reviewer,
    "secrecy-no": _secrecy_no,
    "unknown-category": _unknown_category,
    "adopted-no-level": _adopted_no_level,
    "adopted-no-proof": _adopted_no_proof,
    "adopted-outside-month": _adopted_outside_month,
    "date-as-text": _date_as_text,
    "full-width": _full_width,
    "formula-title": _formula_title,
    "blank-lines": _blank_lines,
    "stub-rows": _stub_rows,
}


def _rows_above(ws: Worksheet, form: ReturnedForm) -> None:
    """Two rows inserted above the title, as when a form is pasted into a document as 附件1.

    openpyxl's insert_rows moves cells only, so merged cells, validations, frozen panes and
    print settings are moved here the way Excel moves them.
    """
    count = 2
    merged = [r.coord for r in ws.merged_cells.ranges]
    for coord in merged:
        ws.unmerge_cells(coord)
    ws.insert_rows(1, count)
    for coord in merged:
        ws.merge_cells(_shifted(coord, count))
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange([_shifted(r.coord, count) for r in validation.sqref.ranges])
    ws.auto_filter.ref = _shifted(ws.auto_filter.ref, count)
    ws.freeze_panes = ws.cell(row=forms.FIRST_DATA_ROW + count, column=1)
    ws.print_title_rows = f"{forms.HEADER_ROW + count}:{forms.HEADER_ROW + count}"
    xlsx.put(ws.cell(row=1, column=1), "附件1")


def _shifted(coord: str, rows: int) -> str:
    moved = CellRange(coord)
    moved.shift(row_shift=rows)
    return moved.coord


def _title_retyped(ws: Worksheet, form: ReturnedForm) -> None:
    title = next(c for c in ws["A"] if isinstance(c.value, str) and c.value.endswith(L.FORM_TITLE_SUFFIX))
    xlsx.put(title, f"{SHORT_NAMES[form.unit]}{YEAR}年{months.month_number(form.month)}月份信息宣传报送表")


SHEET_MISTAKES = {"rows-above": _rows_above, "title-retyped": _title_retyped}
FILE_MISTAKES = ("misfiled", "resent", "lock-file", "note-docx", "subfolder", "default-name", "no-return")
