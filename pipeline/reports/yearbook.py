"""年终考核表.xlsx: the year-end assessment as the office prints, signs and files it.

Four sheets: 单位考核 (the assessed units ranked, then the units not assessed), 个人, 奖励发放
(the payout list to sign, with totals per unit and overall) and 年度汇总 (the county's totals,
by category, level and month, with a native chart). Figures come from `assessment.YearEnd`;
this module only lays them out. Every sheet prints on A4 landscape with its title and header
rows repeated on each page; widths are set so that a page's width fits at a readable size.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.files import atomic
from pipeline.scoring import assessment as A
from pipeline.scoring import persons as PN
from pipeline.scoring import scheme_units as SU
from pipeline.scoring import year_counts as C
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

ASSESSMENT_FILE = "年终考核表.xlsx"
APART_HEADING = "不参加考核的单位（列出全年数据，不排名、不评定）"
POINTS_FORMAT = "General"  # points are rounded to 0.01 first; "0.##" would print "421."
MONEY_FORMAT = "0.00"
RATE_FORMAT = "0.0%"

# Header row 1 is the title; rows 2-3 the header (a group label above the level columns).
TITLE_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3

_UNIT_WIDTHS = {
    L.SEQ: 4,
    L.UNIT_CODE: 6,
    L.UNIT_NAME: 16,
    L.P_UNIT_CATEGORY: 10,
    L.T_SUBMIT: 6,
    OL.YEAR_SENT: 5,
    L.T_ADOPT: 6,
    OL.YEAR_ADOPTED: 5,
    OL.YEAR_BONUS: 5,
    OL.DEDUCTIONS: 5,
    L.T_POINTS: 6,
    OL.YEAR_POINTS: 7,
    OL.SUBMIT_RATE: 7,
    OL.ADOPT_RATE: 7,
    OL.POINTS_RATE: 7,
    OL.RANK: 5,
    OL.RESULT: 6,
    OL.ELIGIBILITY: 5,
    OL.TOP_UNIT: 5,
    OL.UNIT_HEAD: 8,
    OL.YEAR_NOTE: 30,
}
_LEVEL_WIDTH = 6
# Under the office's own 考核办法: the parts of 得分 and 折算得分 (assessment.SCHEME_PARTS).
_SCHEME_POINTS = (*A.SCHEME_PARTS, SU.U_CONVERTED)
SUMMARY_WIDTH = 16  # columns under the summary's title: its tables and the chart beside them


def write_yearbook(year_end: A.YearEnd, path: Path) -> Path:
    """Writes 年终考核表.xlsx atomically.

    Args:
        year_end: the year's results.
        path: the workbook's path.
    """
    heading = f"{year_end.plan.bureau_name()} {year_end.year} 年度信息宣传工作年终考核表"
    workbook = Workbook()
    workbook.remove(workbook.active)
    with xlsx.many_cells():
        _units_sheet(workbook.create_sheet(OL.YEAR_UNITS_SHEET), year_end, heading)
        _persons_sheet(workbook.create_sheet(OL.YEAR_PERSONS_SHEET), year_end, heading)
        _payout_sheet(workbook.create_sheet(OL.PAYOUT_SHEET), year_end, heading)
        _summary_sheet(workbook.create_sheet(OL.YEAR_SUMMARY_SHEET), year_end, heading)
        atomic.save_workbook(workbook, path)
    return path


# --- Tables ------------------------------------------------------------------------------------


def _shown_units(frame: pd.DataFrame, has_points_target: bool) -> pd.DataFrame:
    """The units as shown: points to 0.01, and without the points target columns when no unit
    has one."""
    points = [c for c in (OL.YEAR_BONUS, OL.DEDUCTIONS, OL.YEAR_POINTS, *_SCHEME_POINTS) if c in frame.columns]
    frame = frame.assign(**{c: frame[c].round(2) for c in points})
    if not has_points_target:
        frame = frame.drop(columns=[L.T_POINTS, OL.POINTS_RATE])
    return frame


def _write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    title: str,
    widths: dict[str, float],
    formats: dict[str, str],
    group: tuple[str, list[str]] | None = None,
) -> int:
    """Writes a titled table whose header spans two rows: `group`'s label above its columns
    (shown by their level only), every other label merged over both rows. Returns the last
    row written."""
    group_label, grouped = group if group else ("", [])
    shown = frame.rename(columns={c: c.removesuffix(OL.YEAR_ADOPTIONS) for c in grouped})
    last = xlsx.write_frame(ws, shown, start_row=HEADER_ROW, number_formats=formats)
    columns = list(frame.columns)
    for index, column in enumerate(columns, start=1):
        if column not in grouped:
            xlsx.put(ws.cell(row=GROUP_ROW, column=index), column)
            ws.cell(row=HEADER_ROW, column=index).value = None
            ws.merge_cells(start_row=GROUP_ROW, end_row=HEADER_ROW, start_column=index, end_column=index)
    if grouped:
        first = columns.index(grouped[0]) + 1
        xlsx.put(ws.cell(row=GROUP_ROW, column=first), group_label)
        ws.merge_cells(start_row=GROUP_ROW, end_row=GROUP_ROW, start_column=first, end_column=first + len(grouped) - 1)
    xlsx.style_header_row(ws, GROUP_ROW, len(columns))
    xlsx.style_header_row(ws, HEADER_ROW, len(columns))
    ws.auto_filter.ref = None
    ws.print_title_rows = f"{GROUP_ROW}:{HEADER_ROW}"
    ws.row_dimensions[GROUP_ROW].height = 30
    ws.row_dimensions[HEADER_ROW].height = 30
    xlsx.set_widths(ws, {i: widths.get(c, _LEVEL_WIDTH) for i, c in enumerate(columns, start=1)})
    _title(ws, title, len(columns))
    fit_row_heights(ws, HEADER_ROW + 1, last)
    return last


def fit_row_heights(ws: Worksheet, first: int, last: int) -> None:
    """Sets each row's height to show its longest wrapped text at the sheet's widths, in Excel and
    in LibreOffice (neither grows a row written by openpyxl)."""
    widths = {
        column: ws.column_dimensions[get_column_letter(column)].width or 8 for column in range(1, ws.max_column + 1)
    }
    for row in range(first, last + 1):
        lines = 1.0
        for column, width in widths.items():
            value = ws.cell(row=row, column=column).value
            if isinstance(value, str) and value:
                lines = max(lines, printing.text_lines(value, width))
        ws.row_dimensions[row].height = printing.row_height(lines)


def _title(ws: Worksheet, title: str, width: int) -> None:
    xlsx.put(ws.cell(row=TITLE_ROW, column=1), title)
    ws.merge_cells(start_row=TITLE_ROW, end_row=TITLE_ROW, start_column=1, end_column=max(width, 1))
    cell = ws.cell(row=TITLE_ROW, column=1)
    cell.font = xlsx.TITLE_FONT
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[TITLE_ROW].height = 28
    xlsx.page_titles(ws, title)


def _append_rows(ws: Worksheet, frame: pd.DataFrame, start: int, formats: dict[str, str], *, bold: bool = False) -> int:
    """Appends a frame's rows below a table with the table's boxed style. Returns the last row."""
    columns = list(frame.columns)
    for r, values in enumerate(frame.itertuples(index=False), start=start):
        for c, value in enumerate(values, start=1):
            cell = xlsx.put(ws.cell(row=r, column=c), value)
            _cell_style(cell, formats.get(columns[c - 1]), bold)
    return start + len(frame) - 1


def _cell_style(cell, number_format: str | None, bold: bool) -> None:
    cell.border, cell.alignment = xlsx.BOX, xlsx.WRAP
    cell.font = xlsx.HEADER_FONT if bold else xlsx.BODY_FONT
    if number_format is not None:
        cell.number_format = number_format


# --- Sheets ------------------------------------------------------------------------------------


def _unit_formats() -> dict[str, str]:
    rates = {c: RATE_FORMAT for c in (OL.SUBMIT_RATE, OL.ADOPT_RATE, OL.POINTS_RATE)}
    points = (OL.YEAR_BONUS, OL.DEDUCTIONS, OL.YEAR_POINTS, L.T_POINTS, *_SCHEME_POINTS)
    return rates | {c: POINTS_FORMAT for c in points}


def _units_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    has_points = bool(year_end.units[L.T_POINTS].notna().any())
    units = _shown_units(year_end.units, has_points)
    levels = [C.level_label(level) for level in C.shown_levels(year_end.plan)]
    last = _write_table(
        ws, units, f"{heading}——{OL.YEAR_UNITS_SHEET}", _UNIT_WIDTHS, _unit_formats(), group=(OL.YEAR_ADOPTIONS, levels)
    )
    if len(year_end.apart):
        apart = _shown_units(year_end.apart, has_points)
        heading_row = last + 2
        xlsx.put(ws.cell(row=heading_row, column=1), APART_HEADING).font = xlsx.HEADER_FONT
        last = _append_rows(ws, apart, heading_row + 1, _unit_formats())
        fit_row_heights(ws, heading_row + 1, last)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)
    ws.print_title_cols = "A:C"


def _persons_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    persons = year_end.persons.assign(**{OL.YEAR_POINTS: year_end.persons[OL.YEAR_POINTS].round(2)})
    widths = {
        L.UNIT_CODE: 7,
        L.UNIT_NAME: 18,
        PN.PERSON_NAME: 9,
        OL.YEAR_PIECES: 7,
        OL.YEAR_ADOPTED: 7,
        OL.YEAR_POINTS: 9,
    }
    widths |= {OL.YEAR_REWARD: 10, OL.TOP_PERSON: 7, OL.TOP_OFFICER: 8, OL.YEAR_NOTE: 48}
    formats = {OL.YEAR_POINTS: POINTS_FORMAT, OL.YEAR_REWARD: MONEY_FORMAT}
    _write_table(ws, persons, f"{heading}——{OL.YEAR_PERSONS_SHEET}", widths, formats)


def payout_rows(payout: pd.DataFrame, shown: tuple[str, ...] = C.LEVELS_SHOWN) -> pd.DataFrame:
    """奖励发放 as printed: each unit's persons followed by its 小计, then the 合计; sums in
    whole fen. `shown`: the levels of its 采用篇次 columns (`year_counts.shown_levels`)."""
    levels = [C.level_label(level) for level in shown]
    parts = []
    for _, persons in payout.groupby(L.UNIT_CODE, sort=True):
        parts.append(persons)
        parts.append(_total_row(persons, OL.SUBTOTAL, persons[OL.PAYOUT_UNIT].iloc[0], levels))
    parts.append(_total_row(payout, OL.TOTAL, "", levels))
    return pd.concat(parts, ignore_index=True).drop(columns=[L.UNIT_CODE])


def _total_row(frame: pd.DataFrame, label: str, unit: str, levels: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                L.SEQ: label,
                L.UNIT_CODE: "",
                OL.PAYOUT_UNIT: unit,
                PN.PERSON_NAME: "",
                **{c: int(frame[c].sum()) for c in levels},
                OL.PAYOUT_AMOUNT: A.fen(frame[OL.PAYOUT_AMOUNT]) / 100,
                OL.SIGNATURE: "",
            }
        ]
    )


def _payout_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    shown = C.shown_levels(year_end.plan)
    rows = payout_rows(year_end.payout, shown)
    levels = [C.level_label(level) for level in shown]
    widths = {L.SEQ: 6, OL.PAYOUT_UNIT: 20, PN.PERSON_NAME: 10, OL.PAYOUT_AMOUNT: 12, OL.SIGNATURE: 22}
    title = f"{heading}——{OL.PAYOUT_SHEET}（单位：元）"
    last = _write_table(ws, rows, title, widths, {OL.PAYOUT_AMOUNT: MONEY_FORMAT}, group=("采用篇次", levels))
    for row in range(HEADER_ROW + 1, last + 1):
        ws.row_dimensions[row].height = 24
        if ws.cell(row=row, column=1).value in (OL.SUBTOTAL, OL.TOTAL):
            for col in range(1, len(rows.columns) + 1):
                ws.cell(row=row, column=col).font = xlsx.HEADER_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    note = owing_note(year_end.persons)
    if note:  # below the 合计, across the table, so that it prints with the list
        cell = xlsx.put(ws.cell(row=last + 2, column=1), note)
        cell.alignment = xlsx.WRAP
        ws.merge_cells(start_row=last + 2, end_row=last + 2, start_column=1, end_column=len(rows.columns))
        ws.row_dimensions[last + 2].height = 15 * (2 + len(note) // 60)


def owing_note(persons: pd.DataFrame) -> str:
    """The persons whose year's 奖励金额 is below zero, said under 奖励发放, or "" when none.

    A year's amount is below zero only when this year's adoptions lowered what a piece of an
    earlier year was worth (under 最高级 / 最高两级, a later row naming another 稿件类别): there is
    nothing to pay, but the list must not drop them silently.
    """
    owing = persons[persons[OL.YEAR_REWARD].round(2) < 0]
    if owing.empty:
        return ""
    named = "；".join(
        f"{row[PN.PERSON_NAME]}（{row[L.UNIT_CODE]} {row[L.UNIT_NAME]}）{row[OL.YEAR_REWARD]:.2f} 元"
        for row in owing.sort_values([L.UNIT_CODE, PN.PERSON_NAME]).to_dict("records")
    )
    return (
        f"注：另有 {len(owing)} 人全年奖励金额为负数，未列入发放：{named}。"
        "通常是本年的报送记录改变了以前年度稿件的计分（例如同一稿件前后填写的稿件类别不一致），请核对这些人的稿件。"
    )


def _summary_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    totals = year_end.totals
    _title(ws, f"{heading}——{OL.YEAR_SUMMARY_SHEET}", SUMMARY_WIDTH)
    rate = f"，采发率{totals.rate:.1%}（全年报送的稿件中截至年底已被采用的比例）" if totals.sent else ""
    xlsx.put(ws.cell(row=2, column=1), f"{totals.sentence()}，共被各级载体采用{totals.adoptions}条次{rate}。")
    ws.merge_cells(start_row=2, end_row=2, start_column=1, end_column=SUMMARY_WIDTH)
    ws.row_dimensions[2].height = 20
    ws.cell(row=2, column=1).alignment = xlsx.WRAP
    row = 4
    for caption, frame in (
        ("按稿件类别", totals.by_category),
        ("按采用级别", totals.by_level),
        ("按月份", totals.by_month),
    ):
        xlsx.put(ws.cell(row=row, column=1), caption).font = xlsx.HEADER_FONT
        header = row + 1
        for c, label in enumerate(frame.columns, start=1):
            xlsx.put(ws.cell(row=header, column=c), label)
        xlsx.style_header_row(ws, header, len(frame.columns))
        last = _append_rows(ws, frame, header + 1, {})
        if caption == "按月份":
            _month_chart(ws, header, last, f"{year_end.year} 年各月报送和采用情况")
        row = last + 2
    xlsx.set_widths(ws, {1: 10, 2: 9, 3: 9, 4: 9, 5: 14, 6: 4})
    xlsx.fit_to_a4(ws)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 1


def _month_chart(ws: Worksheet, header: int, last: int, title: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "篇数"
    chart.height, chart.width = 9, 16
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    ws.add_chart(chart, f"{get_column_letter(8)}4")
