"""The month's workbooks the office reads and sends back: the problems file, the units' receipts,
the merged ledger (汇总台账), the monthly statistics (月度统计) and the manifest.

Every cell a unit typed goes through `xlsx.put`, so text stays text; every file is written
atomically.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.months import chinese_date, deadline
from pipeline.core.records import ACCEPTED, REJECTED, SKIPPED, SUPERSEDED, FileRecord
from pipeline.files import atomic, parallel
from pipeline.files.parallel import PARALLEL_FROM
from pipeline.plan.plan import Plan
from pipeline.reports.receipt_copies import KINDS, ReceiptWriter
from pipeline.xlsx import big_table, printing
from pipeline.xlsx import styles as xlsx

PROBLEMS_FILE = "审核问题.xlsx"
SUMMARY_LEDGER_FILE = "汇总台账.xlsx"
STATISTICS_FILE = "月度统计.xlsx"
RECEIPTS_DIR = "回执"
MANIFEST_FILE = "manifest.json"

FATE_TEXT = {ACCEPTED: "已受理", SUPERSEDED: "已被替代", REJECTED: "退回", SKIPPED: "已跳过"}
RECEIPT_LAYOUT = {"max_width": 40, "wide": (L.TITLE, OL.RECEIPT_NOTES)}

LEDGER_COLUMNS = (
    L.UNIT_CODE,
    L.UNIT_NAME,
    *[c for c in L.TABLE_COLUMNS if c != L.SEQ],
    L.POINTS,
    OL.LATE_REPORT,
    L.SOURCE_FILE,
    L.SOURCE_ROW,
)
# 按问题统计: the problem's Chinese title leads, its code last for reference.
PROBLEM_COUNT_COLUMNS = (L.PROBLEM_TITLE, "严重程度", "条数", L.PROBLEM_CODE)
_RECEIPT_COLUMNS = (L.SOURCE_ROW, *[c for c in L.TABLE_COLUMNS if c != L.SEQ])


def receipt_columns(plan: Plan) -> tuple[str, ...]:
    """The form's columns a receipt shows: under a scheme, its columns after 领导批示, as the
    year's forms have them (so a problem of 约稿编号 marks that cell)."""
    if plan.scheme is None:
        return _RECEIPT_COLUMNS
    at = _RECEIPT_COLUMNS.index(L.INSTRUCTION) + 1
    return (*_RECEIPT_COLUMNS[:at], *plan.scheme.form_columns(), *_RECEIPT_COLUMNS[at:])


def write_problems(problems: list[P.Problem], path: Path, *, title: str = "") -> Path:
    """审核问题.xlsx: one row per problem, sorted by unit, file and row, and a count by kind."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = "问题清单"
    frame = P.to_frame(problems)
    # A big month's list is written by `big_table` from a sample of its rows: one per style.
    table = big_table.write_sample(ws, frame, classes=frame["严重程度"].tolist(), max_width=60, wide=("说明",))
    xlsx.page_titles(ws, title)
    severity_column = list(frame.columns).index("严重程度") + 1
    for r, severity in enumerate(table.frame["严重程度"], start=2):
        ws.cell(row=r, column=severity_column).fill = xlsx.ERROR_FILL if severity == L.ERROR else xlsx.WARNING_FILL
    counts = Counter((p.code, p.severity) for p in problems)
    summary = pd.DataFrame(
        [(P.CATALOGUE[code].title, severity, n, code) for (code, severity), n in sorted(counts.items())],
        columns=list(PROBLEM_COUNT_COLUMNS),
    )
    xlsx.write_frame(workbook.create_sheet("按问题统计"), summary)
    xlsx.page_titles(workbook["按问题统计"], title)
    return big_table.save_filled(workbook, path, [table])


def write_ledger(
    rows: pd.DataFrame,
    row_points: pd.Series,
    path: Path,
    *,
    late: pd.Series | None = None,
    title: str = "",
    reasons: pd.Series | None = None,
) -> Path:
    """汇总台账.xlsx: every accepted row of the month with its provenance, 得分 and 补报 (what the
    row reports late, `scoring.late_rows`; blank when `late` is not given). Under a scheme
    (`reasons` given, `scoring.Scores.row_reasons`): the scheme's form columns any row filled in,
    after 领导批示, and 计分说明 after 得分."""
    late = pd.Series(dtype=object) if late is None else late
    frame = rows.assign(
        **{
            L.POINTS: rows[L.ROW_ID].map(row_points).fillna(0.0),
            OL.LATE_REPORT: rows[L.ROW_ID].map(late).fillna(""),
        }
    )
    columns = list(LEDGER_COLUMNS)
    if reasons is not None:
        filled = [c for c in S.SCHEME_FORM_COLUMNS if c in rows and (rows[c].fillna("") != "").any()]
        at = columns.index(L.INSTRUCTION) + 1
        columns[at:at] = filled
        columns.insert(columns.index(L.POINTS) + 1, OL.REASON_COLUMN)
        frame[OL.REASON_COLUMN] = rows[L.ROW_ID].map(reasons).fillna("")
    frame = frame.sort_values([L.UNIT_CODE, L.SOURCE_FILE, L.SOURCE_ROW])[columns]
    wide = (L.TITLE, OL.REASON_COLUMN) if reasons is not None else (L.TITLE,)
    big_table.save_table(path, frame, sheet="汇总台账", title=title, number_formats={L.POINTS: "0.##"}, wide=wide)
    return path


def write_statistics(
    sheets: dict[str, pd.DataFrame],
    path: Path,
    *,
    chart_sheet: str,
    chart_value: str,
    chart_title: str,
    chart_rank: str | None = None,
    title: str = "",
) -> Path:
    """月度统计.xlsx: one sheet per frame (rates as percentages) and, on a sheet of its own (it
    prints on one page), a native bar chart of one column of `chart_sheet` by unit name.

    Args:
        sheets: the frames by sheet name.
        path: the workbook.
        chart_sheet: the sheet whose rows the chart shows.
        chart_value: the column the bars show.
        chart_title: the chart's title.
        chart_rank: a rank column: the chart shows only the ranked rows at the top of
            `chart_sheet` (the assessed units, in rank order), the first on top.
        title: the printed page header.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    tables = []  # a big month's tables are written by `big_table` from samples of their rows
    for name, frame in sheets.items():
        formats = {c: "0.0%" for c in frame.columns if str(c).endswith("完成率")}
        formats |= {c: "0.##" for c in frame.columns if str(c).endswith(("得分", "扣分", "金额"))}
        tables.append(big_table.write_sample(workbook.create_sheet(name), frame, number_formats=formats))
        xlsx.page_titles(workbook[name], f"{title}——{name}" if title else name)
    frame = sheets[chart_sheet]
    shown = len(frame) if chart_rank is None else int(frame[chart_rank].notna().cummin().sum())
    if shown:
        chart_ws = workbook.create_sheet(f"{chart_value}图")
        chart_ws.add_chart(_bar_chart(workbook[chart_sheet], frame, shown, chart_value, chart_title), "A1")
        xlsx.fit_to_a4(chart_ws, "portrait", pages_down=1)
        xlsx.page_titles(chart_ws, chart_title)
    return big_table.save_filled(workbook, path, tables)


def _bar_chart(ws: Any, frame: pd.DataFrame, rows: int, value: str, title: str) -> BarChart:
    """Horizontal bars of `value` for the first `rows` rows, every unit named, the first on top."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.title = value
    chart.height, chart.width = 5 + 0.8 * rows, 17  # cm: a line of 9 pt per unit, nothing skipped
    value_col = list(frame.columns).index(value) + 1
    name_col = list(frame.columns).index(L.UNIT_NAME) + 1
    chart.add_data(Reference(ws, min_col=value_col, min_row=1, max_row=rows + 1), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name_col, min_row=2, max_row=rows + 1))
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.txPr = RichText(
        p=[
            Paragraph(
                pPr=ParagraphProperties(defRPr=CharacterProperties(sz=900)), endParaRPr=CharacterProperties(sz=900)
            )
        ]
    )
    chart.x_axis.scaling.orientation = "maxMin"  # the sheet's first row at the top
    chart.y_axis.crosses = "max"  # keeps the value axis at the bottom under reversed categories
    chart.legend = None
    return chart


def write_receipts(
    plan: Plan,
    month: str,
    rows: pd.DataFrame,
    accepted_ids: set[int],
    files: list[FileRecord],
    problems: list[P.Problem],
    row_points: pd.Series,
    folder: Path,
    *,
    late: pd.Series | None = None,
    reasons: pd.Series | None = None,
    unit_lines: dict[str, list[str]] | None = None,
    tick: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """回执/<单位代码>-<单位名称>.xlsx for every unit that sent at least one form.

    Args:
        plan: the plan (unit names, deadline).
        month: "YYYY-MM".
        rows: every row read from the accepted forms (accepted and rejected).
        accepted_ids: row_ids that were accepted.
        files: every file of the month.
        problems: every problem of the month.
        row_points: 得分 by row_id.
        folder: where the receipts go.
        late: 补报 by row_id (`scoring.late_rows`), shown in the receipt's notes.
        reasons: under a scheme, why each row scored what it scored, by row_id
            (`scoring.Scores.row_reasons`), shown in the receipt's notes.
        unit_lines: under a scheme, the office's 约稿 and 事件 of the month concerning each unit
            (`scoring.Scores.unit_lines`), shown under the receipt's heading.
        tick: called with (receipts written, receipts to write) after each receipt.

    Returns:
        The receipts written, by unit code order.
    """
    jobs = receipt_jobs(
        plan,
        month,
        rows,
        accepted_ids,
        files,
        problems,
        row_points,
        folder,
        late=late,
        reasons=reasons,
        unit_lines=unit_lines,
    )
    with xlsx.many_cells():
        return parallel.map_all(
            write_receipt_job, jobs, tick or (lambda _done, _total: None), parallel_from=PARALLEL_FROM
        )


def receipt_jobs(
    plan: Plan,
    month: str,
    rows: pd.DataFrame,
    accepted_ids: set[int],
    files: list[FileRecord],
    problems: list[P.Problem],
    row_points: pd.Series,
    folder: Path,
    *,
    late: pd.Series | None = None,
    reasons: pd.Series | None = None,
    unit_lines: dict[str, list[str]] | None = None,
) -> list[tuple[Any, ...]]:
    """The receipts of `write_receipts` as jobs for `write_receipt_job`, one per unit that sent
    at least one form, by unit code order (for `parallel`, to share processes with other work)."""
    units = sorted({f.unit_code for f in files if f.unit_code})
    # One table for the month, then a slice per unit: each pandas call costs more than a unit's rows.
    table, row_ids = _receipt_table(
        rows, accepted_ids, problems, row_points, late, reasons, columns=receipt_columns(plan)
    )
    positions = table.groupby(rows.loc[table.index, L.UNIT_CODE].to_numpy(), sort=False).indices
    files_of: dict[str, list[FileRecord]] = {}
    for f in files:
        files_of.setdefault(f.unit_code, []).append(f)
    problems_of: dict[str, list[P.Problem]] = {}
    for p in problems:
        problems_of.setdefault(p.unit_code, []).append(p)
    writer = receipt_writer(list(table.columns))
    # The cells as stored, once for the month: converting each unit's slice costs more.
    stored = xlsx.stored_columns(table)
    shown = xlsx.shown_columns_of(stored)
    # Balancing a table's widths costs more than writing it: done once, on the month's table.
    guide = xlsx.column_widths(list(table.columns), shown, **RECEIPT_LAYOUT)
    # The units' slices need only the table's values (`stored` is written): as one block of
    # objects, a slice costs a seventh of one of the table's typed columns.
    table = table.astype(object)
    return [
        (
            plan,
            month,
            code,
            (table, stored, shown, guide, positions.get(code, [])),
            [row_ids[i] for i in positions.get(code, [])],
            accepted_ids,
            files_of[code],
            problems_of.get(code, []),
            folder,
            writer,
            (unit_lines or {}).get(code, []),
        )
        for code in units
    ]


def write_receipt_job(
    plan: Plan,
    month: str,
    code: str,
    month_table: tuple[pd.DataFrame, list[list[Any]], list[list[Any]], list[float], Any],
    *job: Any,
) -> Path:
    """`_write_receipt` given the month's receipt table, its stored and shown columns, its
    column widths and the unit's positions in it (sliced here, in the process that writes the
    receipt)."""
    table, stored, shown, guide, index = month_table
    # A unit's rows are usually consecutive: a slice costs a tenth of taking them one by one.
    consecutive = len(index) and index[-1] - index[0] + 1 == len(index)
    if consecutive:
        first, end = int(index[0]), int(index[-1]) + 1
        values = [column[first:end] for column in stored]
        widths = [column[first:end] for column in shown]
        rows = table.iloc[first:end]
    else:
        values = [[column[i] for i in index] for column in stored]
        widths = [[column[i] for i in index] for column in shown]
        rows = table.iloc[index]
    return _write_receipt(plan, month, code, rows, *job, values=values, shown=widths, guide=guide)


def _write_receipt(
    plan: Plan,
    month: str,
    code: str,
    table: pd.DataFrame,
    row_ids: list[int],
    accepted_ids: set[int],
    files: list[FileRecord],
    problems: list[P.Problem],
    folder: Path,
    writer: ReceiptWriter | None = None,
    happenings: list[str] = (),
    *,
    values: list[list[Any]] | None = None,
    shown: list[list[Any]] | None = None,
    guide: list[float] | None = None,
) -> Path:
    """One unit's receipt: the unit's slice of the receipt table and the row_id of each of its
    rows; written by `writer` when given, else built with openpyxl. `values` and `shown` are the
    slice's `xlsx.stored_columns` and `xlsx.shown_columns_of` when already known; `guide` the
    month's table's `xlsx.column_widths`. `happenings`: what the office's 约稿 and 事件 of the
    month did to the unit (a scheme's), each a line under the heading."""
    name = plan.unit_name(code)
    title = f"{plan.rules.issuer}信息宣传月报审核回执"
    lines = [f"单位：{code} {name}　　报送月份：{month}"]
    lines += _receipt_summary(plan, month, row_ids, accepted_ids, files, problems)
    lines += [f"{OL.RECEIPT_HAPPENING}{text}" for text in happenings]
    receipt = Receipt(
        title=title,
        lines=lines,
        table=table,
        marks=_problem_marks(table, row_ids, 2 + len(lines) + 1, problems),
        page_title=f"{title}（{code} {name} {month}）",
        values=values,
        shown=shown,
        guide=guide,
    )
    path = folder / atomic.unit_filename(code, name)
    if writer is not None:
        atomic.write_bytes(path, writer.receipt(receipt))
    else:
        atomic.save_workbook(receipt_workbook(receipt), path)
    return path


@dataclass(frozen=True)
class Receipt:
    """What one receipt shows: heading, table, marked cells (fill and comment by (row, column)),
    printed page header."""

    title: str
    lines: list[str]
    table: pd.DataFrame
    marks: dict[tuple[int, int], tuple[PatternFill, str | None]]
    page_title: str
    values: list[list[Any]] | None = None  # the table's `xlsx.stored_columns`, when known
    shown: list[list[Any]] | None = None  # and its `xlsx.shown_columns_of`
    guide: list[float] | None = None  # the month's receipt table's `xlsx.column_widths`

    @property
    def header_row(self) -> int:
        return 2 + len(self.lines) + 1


def receipt_writer(columns: list[str]) -> ReceiptWriter:
    """A writer of receipts with these table columns, with the styles of a sample receipt that
    holds every kind of cell a receipt can have."""
    rows = [(kind, fill) for kind in KINDS for fill in (None, xlsx.ERROR_FILL, xlsx.WARNING_FILL)]
    values = {"dated": dt.datetime(2000, 1, 1), "plain": "a", "quoted": "=a"}
    table = pd.DataFrame([[values[kind]] * len(columns) for kind, _ in rows], columns=columns, dtype=object)
    sample = Receipt(title="回执", lines=["说明"], table=table, marks={}, page_title="回执")
    first = sample.header_row + 1
    marks = {
        (first + n, c): (fill, None) for n, (_, fill) in enumerate(rows) if fill for c in range(1, len(columns) + 1)
    }
    marks[first + 1, 1] = (xlsx.ERROR_FILL, "批注")
    sample = Receipt(title="回执", lines=["说明"], table=table, marks=marks, page_title="回执")
    return ReceiptWriter(receipt_workbook(sample), sample.header_row, rows, **RECEIPT_LAYOUT)


def receipt_workbook(receipt: Receipt) -> Workbook:
    """The receipt built with openpyxl."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = OL.RECEIPT_SHEET
    xlsx.write_frame(
        ws,
        receipt.table,
        start_row=receipt.header_row,
        number_formats={L.POINTS: "0.##"},
        guide=receipt.guide,
        **RECEIPT_LAYOUT,
    )
    _write_receipt_heading(ws, receipt.title, receipt.lines, len(receipt.table.columns))
    for (r, c), (fill, note) in receipt.marks.items():
        cell = ws.cell(row=r, column=c)
        cell.fill = fill
        if note is not None:
            comment = Comment(note, OL.COMMENT_AUTHOR)
            comment.width, comment.height = 320, 120
            cell.comment = comment
    xlsx.page_titles(ws, receipt.page_title)
    return workbook


def _write_receipt_heading(ws: Any, title: str, lines: list[str], width: int) -> None:
    """The title and summary lines above the table, each merged across the table's width so it
    wraps and prints inside the page, each row as high as its wrapped text."""
    total = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(1, width + 1))
    for row, text in enumerate([title, *lines], start=1):
        cell = xlsx.put(ws.cell(row=row, column=1), text)
        cell.alignment = xlsx.CENTER if row == 1 else xlsx.WRAP
        cell.font = xlsx.TITLE_FONT if row == 1 else xlsx.BODY_FONT
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        size = cell.font.sz
        ws.row_dimensions[row].height = printing.row_height(printing.text_lines(text, total, size), size)


def _receipt_summary(
    plan: Plan,
    month: str,
    row_ids: list[int],
    accepted_ids: set[int],
    files: list[FileRecord],
    problems: list[P.Problem],
) -> list[str]:
    counted = sum(row_id in accepted_ids for row_id in row_ids)
    errors = [p for p in problems if p.severity == L.ERROR]
    warnings = [p for p in problems if p.severity == L.WARNING]
    lines = [f"收到文件：{'；'.join(f'{f.path}（{FATE_TEXT[f.fate]}）' for f in files)}"]
    lines += [f"  {p.source_file}：{p.note}" for p in problems if p.row is None]
    lines.append(
        f"读取稿件 {len(row_ids)} 行：计入 {counted} 行，未计入 {len(row_ids) - counted} 行；错误 {len(errors)} 条，警告 {len(warnings)} 条。"
    )
    due = chinese_date(deadline(month, plan.rules.deadline_day))
    if errors:
        lines.append(f"请按下表标红的单元格及审核意见改正，于{due}前重新报送整份报送表（标黄的为提示，可不改）。")
    elif not any(f.fate == ACCEPTED for f in files):
        lines.append(f"本月报送表未被受理，请按上述说明处理后于{due}前重新报送。")
    else:
        lines.append("本月报送表已通过审核，无需重新报送。" + ("标黄处为提示，请下月注意。" if warnings else ""))
    return lines


def _receipt_table(
    rows: pd.DataFrame,
    accepted_ids: set[int],
    problems: list[P.Problem],
    row_points: pd.Series,
    late: pd.Series | None = None,
    reasons: pd.Series | None = None,
    *,
    columns: tuple[str, ...] = _RECEIPT_COLUMNS,
) -> tuple[pd.DataFrame, list[int]]:
    """The rows as typed (unreadable dates shown as typed) in file and row order, with status,
    得分 and notes (a 补报 row says so first, then, under a scheme, why it scored what it
    scored); and the row_id of each table row."""
    notes: dict[int, list[str]] = {}
    for row_id, what in (late if late is not None else pd.Series(dtype=object)).items():
        if what and row_id in accepted_ids:
            notes.setdefault(int(row_id), []).append(OL.LATE_NOTE.format(what=what))
    for row_id, why in (reasons if reasons is not None else pd.Series(dtype=object)).items():
        if why and row_id in accepted_ids:
            notes.setdefault(int(row_id), []).append(OL.REASON_NOTE.format(why=why))
    for p in problems:
        if p.row_id is not None:
            notes.setdefault(p.row_id, []).append(p.note)
    ordered = rows.sort_values([L.SOURCE_FILE, L.SOURCE_ROW])
    ordered = ordered.assign(
        **{
            c: ordered[c + L.RAW_SUFFIX].where(ordered[c].isna(), ordered[c]) if c in L.DATE_COLUMNS else ordered[c]
            for c in L.DATE_COLUMNS
        }
    )
    row_ids = [int(i) for i in ordered[L.ROW_ID]]
    points = row_points.to_dict()  # a Series' `get` costs a pandas call per row
    table = ordered[list(columns)].assign(
        **{
            OL.RECEIPT_STATUS: [OL.COUNTED if i in accepted_ids else OL.NOT_COUNTED for i in row_ids],
            L.POINTS: [points.get(i, 0.0) if i in accepted_ids else None for i in row_ids],
            OL.RECEIPT_NOTES: ["\n".join(notes.get(i, [])) for i in row_ids],
        }
    )
    return table, row_ids


def _problem_marks(
    table: pd.DataFrame, row_ids: list[int], header_row: int, problems: list[P.Problem]
) -> dict[tuple[int, int], tuple[PatternFill, str | None]]:
    """Each problem cell filled red (错误) or yellow (警告) and explained in a comment; each
    未计入 status red."""
    position = {label: i for i, label in enumerate(table.columns, start=1)}
    row_of = {row_id: header_row + 1 + n for n, row_id in enumerate(row_ids)}
    by_cell: dict[tuple[int, int], list[P.Problem]] = {}
    for p in problems:
        if p.row_id not in row_of:
            continue
        column = position.get(p.column, position[OL.RECEIPT_NOTES])
        by_cell.setdefault((row_of[p.row_id], column), []).append(p)
    marks: dict[tuple[int, int], tuple[PatternFill, str | None]] = {}
    for cell, found in by_cell.items():
        fill = xlsx.ERROR_FILL if any(p.severity == L.ERROR for p in found) else xlsx.WARNING_FILL
        marks[cell] = (fill, "\n".join(p.note for p in found))
    statuses = table[OL.RECEIPT_STATUS].tolist()
    for n, status in enumerate(statuses):
        if status == OL.NOT_COUNTED:
            cell = (header_row + 1 + n, position[OL.RECEIPT_STATUS])
            marks[cell] = (xlsx.ERROR_FILL, marks.get(cell, (None, None))[1])
    return marks


def write_manifest(manifest: dict[str, Any], path: Path) -> Path:
    """manifest.json, UTF-8, keys in a stable order."""
    atomic.write_text(path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str) + "\n")
    return path


def file_entry(record: FileRecord) -> dict[str, Any]:
    """A file's line in the manifest."""
    return {
        "path": record.path,
        "sha256": record.sha256,
        "size": record.size,
        "unit": record.unit_code,
        "unit_name": record.unit_name,
        "fate": record.fate,
        "reason": record.reason,
        "rows_read": record.rows_read,
        "rows_accepted": record.rows_accepted,
        "rows_rejected": record.rows_rejected,
    }
