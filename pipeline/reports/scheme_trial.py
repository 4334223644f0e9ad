"""A scheme trial: count example rows by a plan's scheme and write what every rule did.

An office encoding its own 考核办法 (docs/schemes.md) checks it before its units send anything:
`python run.py scheme-trial --plan FILE --year YYYY` reads the plan (refusing every mistake with
sheet, row and column, like the month's run), reads the example rows of its 试算稿件 sheet (or of
another workbook's), counts them with `scoring.scheme_points.score_year` and writes
`方案试算-<plan>.xlsx`: 单位结果 (each unit's parts, total, 评优资格 and 备注), 稿件计分 (each row
with the reason of its points), 个人得分 and 问题. The rows are not checked as a month's forms
are; they stand for what the units would report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.errors import PlanInvalid
from pipeline.files import atomic
from pipeline.files.sheets import EXCEL_ROW, column_positions, read_sheets, table_below, text
from pipeline.intake.typed_values import parse_date, piece_key
from pipeline.plan.plan import Plan, describe, read_plan_file
from pipeline.scoring import scheme_points
from pipeline.scoring.scheme_points import SchemeYear
from pipeline.xlsx import styles as xlsx

TRIAL_COLUMNS = (
    L.UNIT_CODE,
    L.TITLE,
    L.CATEGORY,
    L.AUTHORS,
    L.SENT_DATE,
    L.STATUS,
    L.OUTLET,
    L.LEVEL,
    L.ADOPT_DATE,
    L.INSTRUCTION,
    L.CO_UNITS,
    *S.SCHEME_FORM_COLUMNS,
)
REQUIRED = (L.UNIT_CODE, L.TITLE, L.CATEGORY, L.SENT_DATE, L.STATUS)
REASON = "得分说明"
RESULT_FILE = "方案试算-{name}.xlsx"


@dataclass(frozen=True)
class Trial:
    plan: Plan
    rows: pd.DataFrame
    result: SchemeYear
    target: Path


def read_trial_rows(path: Path, year: int, units: pd.Index) -> pd.DataFrame:
    """The 试算稿件 sheet of `path` as ledger rows (dates typed as the forms' are).

    Raises:
        PlanInvalid: the sheet or a required column is missing, a date cannot be read, or a
            单位代码 is not in the plan's roster (`units`).
    """
    sheets = {s.name.strip(): s for s in read_sheets(path)}
    sheet = sheets.get(S.S_TRIAL)
    problems: list[P.Problem] = []
    if sheet is None:
        problems.append(P.make("plan-sheet-missing", sheet=S.S_TRIAL))
        raise PlanInvalid(path=path, count=1, details=describe(problems))
    header = next((i for i, row in enumerate(sheet.rows[:30]) if len(column_positions(row, REQUIRED)) == 5), None)
    if header is None:
        problems += [P.make("plan-column-missing", sheet=S.S_TRIAL, column=c) for c in REQUIRED]
        raise PlanInvalid(path=path, count=len(problems), details=describe(problems))
    frame = table_below(sheet.rows, header, column_positions(sheet.rows[header], TRIAL_COLUMNS))
    records = []
    for record in frame.to_dict("records"):
        row = {c: text(record.get(c)) for c in TRIAL_COLUMNS}
        for column in (L.SENT_DATE, L.ADOPT_DATE):
            value = record.get(column)
            day = parse_date(value, f"{year}-12") if value not in (None, "") else None
            if value not in (None, "") and day is None:
                problems.append(
                    P.make("row-bad-date", sheet=S.S_TRIAL, row=int(record[EXCEL_ROW]), column=column, value=value)
                )
            row[column] = pd.Timestamp(day) if day else pd.NaT
        row[L.INSTRUCTION] = row[L.INSTRUCTION] or L.NO_INSTRUCTION
        row[L.SOURCE_ROW] = int(record[EXCEL_ROW])
        records.append(row)
    problems += [
        P.make("plan-unknown-unit", sheet=S.S_TRIAL, row=row[L.SOURCE_ROW], column=L.UNIT_CODE, value=row[L.UNIT_CODE])
        for row in records
        if row[L.UNIT_CODE] not in units
    ]
    if problems:
        raise PlanInvalid(path=path, count=len(problems), details=describe(problems))
    rows = pd.DataFrame(records, columns=[*TRIAL_COLUMNS, L.SOURCE_ROW])
    rows[L.ROW_ID] = range(1, len(rows) + 1)
    rows[L.PIECE_KEY] = rows[L.TITLE].map(piece_key)
    dated = rows[L.ADOPT_DATE].fillna(rows[L.SENT_DATE])
    rows[L.MONTH] = dated.dt.strftime("%Y-%m").fillna(f"{year}-01")
    return rows


def run_trial(
    plan_file: Path, year: int, outputs: Path, rows_file: Path | None = None, until: str | None = None
) -> Trial:
    """Counts the example rows by the plan's scheme and writes the trial's workbook.

    Raises:
        PlanMissing, PlanUnreadable, PlanInvalid: the plan or the rows cannot be used.
    """
    plan = read_plan_file(Path(plan_file), year)
    if plan.scheme is None:
        raise PlanInvalid(
            path=plan_file,
            count=1,
            details="- 计划表没有计分方案工作表（见 README“按本单位考核办法设置计分方案”），无需试算。",
        )
    rows = read_trial_rows(Path(rows_file or plan_file), year, plan.units.index)
    result = scheme_points.score_year(rows, plan, until or f"{year}-12")
    target = Path(outputs) / RESULT_FILE.format(name=Path(plan_file).stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_trial(plan, rows, result, target)
    return Trial(plan, rows, result, target)


def write_trial(plan: Plan, rows: pd.DataFrame, result: SchemeYear, target: Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    units = result.units.reset_index()
    units.insert(1, L.UNIT_NAME, units[L.UNIT_CODE].map(plan.unit_name))
    keys = zip(rows[L.MONTH], rows[L.ROW_ID], strict=True)
    shown = rows.assign(**{REASON: [result.row_notes.get((m, int(r)), "") for m, r in keys]})
    # only the scheme columns the plan uses, as the month's forms will carry them
    used = [c for c in TRIAL_COLUMNS if c not in S.SCHEME_FORM_COLUMNS or c in plan.scheme.form_columns()]
    shown = shown[[L.SOURCE_ROW, *used, REASON]].rename(columns={L.SOURCE_ROW: "行号"})
    problems = P.to_frame(result.problems)
    for name, frame, wide in (
        ("单位结果", units, ("备注",)),
        ("稿件计分", shown, (REASON,)),
        ("个人得分", result.persons, ()),
        ("问题", problems, ("说明",)),
    ):
        xlsx.write_frame(workbook.create_sheet(name), frame, wide=wide, max_width=60)
    atomic.save_workbook(workbook, target)
