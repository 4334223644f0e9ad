"""年终考核表.xlsx: the year-end assessment as the office prints, signs and files it.

Four sheets: 单位考核 (the assessed units ranked, then the units not assessed), 个人, 奖励发放
(the payout list to sign, with totals per unit and overall) and 年度汇总 (the county's totals,
by category, level and month, with a native chart). Figures come from `assessment.YearEnd`;
this module only lays them out. Every sheet prints on A4 landscape with its title and header
rows repeated on each page; widths are set so that a page's width fits at a readable size.
"""

from __future__ import annotations

from pathlib import Path

import cn2an
import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.documents import circular_groups, official
from pipeline.files import atomic
from pipeline.plan.plan import Plan
from pipeline.scoring import assessment as A
from pipeline.scoring import persons as PN
from pipeline.scoring import scheme_units as SU
from pipeline.scoring import year_counts as C
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx

ASSESSMENT_FILE = OL.ASSESSMENT_FILE
APART_HEADING = "不参加考核的单位（列出全年数据，不排名、不评定）"
POINTS_FORMAT = "General"  # points are rounded to 0.01 first; "0.##" would print "421."
MONEY_FORMAT = "0.00"
RATE_FORMAT = "0.0%"

# Header row 1 is the title; rows 2-3 the header (a group label above the level columns).
TITLE_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3

# Under the office's own 考核办法: the parts of 得分 and 折算得分 (assessment.SCHEME_PARTS).
_SCHEME_POINTS = (*A.SCHEME_PARTS, SU.U_CONVERTED)
SUMMARY_WIDTH = 16  # columns under the summary's title: its tables and the chart beside them
# Where the office signs each sheet it files (one line under the table, blanks to write in).
SIGN_LINE = "制表人：　　　　　　　　审核人：　　　　　　　　分管领导：　　　　　　　　日期：　　　　年　　月　　日"
SIGN_HEIGHT = 36.0
SHORT_LABEL = 3  # characters of a header label printed on one line


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
    formats: dict[str, str],
    group: tuple[str, list[str]] | None = None,
    wide: tuple[str, ...] = (),
    orientation: str = "landscape",
) -> int:
    """Writes a titled table whose header spans two rows: `group`'s label above its columns
    (shown by their level only), every other label merged over both rows. Columns are as wide as
    their content (a CJK character counting two), rows as high as their wrapped text; the title
    and header rows repeat on every printed page. Returns the last row written."""
    group_label, grouped = group if group else ("", [])
    shown = frame.rename(columns={c: c.removesuffix(OL.YEAR_ADOPTIONS) for c in grouped})
    last = xlsx.write_frame(ws, shown, start_row=HEADER_ROW, number_formats=formats, wide=wide, orientation=orientation)
    columns = list(frame.columns)
    _room_for_numbers(ws, frame, formats)
    _room_for_labels(ws, list(shown.columns))
    header_height = ws.row_dimensions[HEADER_ROW].height or printing.row_height(1)
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
    # a label merged over both rows has their two heights: the group's one line and the rest
    ws.row_dimensions[GROUP_ROW].height = printing.row_height(1)
    ws.row_dimensions[HEADER_ROW].height = header_height
    _title(ws, title, len(columns))
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    return last


def _room_for_numbers(ws: Worksheet, frame: pd.DataFrame, formats: dict[str, str]) -> None:
    """Widens a column to its longest number as shown plus two characters: Excel prints ####
    in a cell a number does not fit, and the bold 小计 and 合计 are wider than the fitted digits."""
    for index, column in enumerate(frame.columns, start=1):
        numbers = [v for v in frame[column].tolist() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        numbers = [v for v in numbers if v == v]
        if not numbers:
            continue
        widest = max(len(_number_shown(v, formats.get(column))) for v in numbers) + 2
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 8, widest)


def _room_for_labels(ws: Worksheet, labels: list[str]) -> None:
    """Widens a column whose short header would wrap with one character on a line of its own
    (国家/级, 报送/数): a label of up to three characters prints on one line. Longer labels
    keep the fitted width: widening them all would shrink the whole sheet's print."""
    for index, label in enumerate(labels, start=1):
        chars = len(str(label))
        if chars > SHORT_LABEL:
            continue
        need = 2 * chars + 2
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 8, need)


def _number_shown(value: float, number_format: str | None) -> str:
    if number_format == RATE_FORMAT:
        return f"{value * 100:.1f}%"
    if number_format == MONEY_FORMAT:
        return f"{value:.2f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def signature_line(ws: Worksheet, row: int, width: int) -> None:
    """制表人 / 审核人 / 分管领导 / 日期 across the table's width, at `row`."""
    cell = xlsx.put(ws.cell(row=row, column=1), SIGN_LINE)
    cell.font = xlsx.HEADER_FONT
    cell.alignment = Alignment(horizontal="left", vertical="bottom")
    ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=max(width, 1))
    ws.row_dimensions[row].height = SIGN_HEIGHT


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
    # the title row repeats on every page (print_title_rows): no page header repeating it again
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


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


def _with_group(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """单位考核 with the roster's 分组 after 单位类别 when the year circular sums the units by it
    (`circular_groups.grouped_by`): the sheet the circular names shows each unit's group."""
    if circular_groups.grouped_by(plan) != L.P_GROUP:
        return frame
    groups = circular_groups.group_labels(plan, L.P_GROUP).reindex(frame[L.UNIT_CODE])
    frame = frame.copy()
    frame.insert(frame.columns.get_loc(L.P_UNIT_CATEGORY) + 1, L.P_GROUP, groups.to_numpy())
    return frame


def _units_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    has_points = bool(year_end.units[L.T_POINTS].notna().any())
    units = _with_group(_shown_units(year_end.units, has_points), year_end.plan)
    levels = [C.level_label(level) for level in C.shown_levels(year_end.plan)]
    title = f"{heading}——{OL.YEAR_UNITS_SHEET}"
    last = _write_table(
        ws, units, title, _unit_formats(), group=(OL.YEAR_ADOPTIONS, levels), wide=(OL.YEAR_NOTE, L.UNIT_NAME)
    )
    if len(year_end.apart):
        apart = _with_group(_shown_units(year_end.apart, has_points), year_end.plan)
        heading_row = last + 2
        xlsx.put(ws.cell(row=heading_row, column=1), APART_HEADING).font = xlsx.HEADER_FONT
        last = _append_rows(ws, apart, heading_row + 1, _unit_formats())
        fit_row_heights(ws, heading_row + 1, last)
    signature_line(ws, last + 2, len(units.columns))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=4)
    ws.print_title_cols = "A:C"


def _persons_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    persons = year_end.persons.assign(**{OL.YEAR_POINTS: year_end.persons[OL.YEAR_POINTS].round(2)})
    formats = {OL.YEAR_POINTS: POINTS_FORMAT, OL.YEAR_REWARD: MONEY_FORMAT}
    last = _write_table(ws, persons, f"{heading}——{OL.YEAR_PERSONS_SHEET}", formats, wide=(OL.YEAR_NOTE,))
    signature_line(ws, last + 2, len(persons.columns))


def payout_rows(
    payout: pd.DataFrame, order: list[str] | None = None, shown: tuple[str, ...] = C.LEVELS_SHOWN
) -> pd.DataFrame:
    """奖励发放 as printed: each unit's persons followed by its 小计, units in `order` (the roster's
    codes; by code when not given), then the 合计; sums in whole fen. `shown`: the levels of its
    采用篇次 columns (`year_counts.shown_levels`)."""
    levels = [C.level_label(level) for level in shown]
    if payout.empty:
        return _total_row(payout, OL.TOTAL, "", levels).drop(columns=[L.UNIT_CODE])
    rank = {code: i for i, code in enumerate(order or [])}
    # Each unit's persons, in their order, then its 小计: one frame of 小计 (a 3,000-unit body
    # has as many) placed by sort keys, not a frame per unit joined.
    units = sorted(payout[L.UNIT_CODE].unique(), key=lambda code: (rank.get(code, len(rank)), code))
    place = pd.Series(range(len(units)), index=units)
    by_unit = payout.assign(_fen=A.fen_each(payout[OL.PAYOUT_AMOUNT])).groupby(L.UNIT_CODE, sort=False)
    subtotals = pd.DataFrame(
        {
            L.SEQ: OL.SUBTOTAL,
            L.UNIT_CODE: "",
            OL.PAYOUT_UNIT: by_unit[OL.PAYOUT_UNIT].first(),
            PN.PERSON_NAME: "",
            **{c: by_unit[c].sum().astype(int) for c in levels},
            OL.PAYOUT_AMOUNT: by_unit["_fen"].sum() / 100,
            OL.SIGNATURE: "",
        }
    )
    keys = pd.concat(
        [
            pd.DataFrame({"_unit": place[payout[L.UNIT_CODE]].to_numpy(), "_after": 0}),
            pd.DataFrame({"_unit": place[subtotals.index].to_numpy(), "_after": 1}),
        ],
        ignore_index=True,
    )
    rows = pd.concat([payout, subtotals], ignore_index=True)
    rows = rows.loc[keys.sort_values(["_unit", "_after"], kind="stable").index]
    rows = pd.concat([rows, _total_row(payout, OL.TOTAL, "", levels)], ignore_index=True).drop(columns=[L.UNIT_CODE])
    persons = ~rows[L.SEQ].isin([OL.SUBTOTAL, OL.TOTAL])
    rows.loc[persons, L.SEQ] = range(1, int(persons.sum()) + 1)  # numbered in the printed order
    return rows


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


def amount_in_words(yuan: float) -> str:
    """An amount as finance writes it out (大写): 人民币壹仟贰佰元整, 人民币叁拾叁元叁角叁分."""
    fen = round(yuan * 100)
    if fen == 0:
        return "人民币零元整"
    return "人民币" + cn2an.an2cn(f"{fen // 100}.{fen % 100:02d}", "rmb")


def payout_basis(year_end: A.YearEnd) -> str:
    """What the money is for and on what basis, as the payout list states it above the signatures."""
    plan = year_end.plan
    return (
        f"发放事由：{year_end.year}年度信息宣传稿件采用奖励。"
        f"发放依据：{official.method(plan)}及{plan.bureau_name()}{year_end.year}年度信息宣传工作考核结果，"
        "按各稿件采用级别的奖励金额计发，合作稿件按奖励分配规则分配。"
    )


SIGNATURE_WIDTH = 18  # room to sign by hand
PAYOUT_ORIENTATION = "portrait"


def _payout_sheet(ws: Worksheet, year_end: A.YearEnd, heading: str) -> None:
    shown = C.shown_levels(year_end.plan)
    rows = payout_rows(year_end.payout, list(year_end.plan.units.index), shown)
    levels = [C.level_label(level) for level in shown]
    title = f"{heading}——{OL.PAYOUT_SHEET}（单位：元）"
    formats = {OL.PAYOUT_AMOUNT: MONEY_FORMAT}
    # portrait: nine columns fit its width, and a page holds twice the rows
    last = _write_table(ws, rows, title, formats, group=("采用篇次", levels), orientation=PAYOUT_ORIENTATION)
    width = len(rows.columns)
    ws.column_dimensions[get_column_letter(width)].width = SIGNATURE_WIDTH
    for row in range(HEADER_ROW + 1, last + 1):
        ws.row_dimensions[row].height = max(24.0, ws.row_dimensions[row].height or 0)
        if ws.cell(row=row, column=1).value in (OL.SUBTOTAL, OL.TOTAL):
            for col in range(1, width + 1):
                ws.cell(row=row, column=col).font = xlsx.HEADER_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    total = A.fen(year_end.payout[OL.PAYOUT_AMOUNT]) / 100
    lines = [f"合计金额（大写）：{amount_in_words(total)}（小写：{total:.2f}元）", payout_basis(year_end)]
    note = owing_note(year_end.persons)
    row = last + 1
    for text in [*lines, *([note] if note else [])]:  # below the 合计, across the table: they print with it
        row += 1
        cell = xlsx.put(ws.cell(row=row, column=1), text)
        cell.alignment = xlsx.WRAP
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=width)
        room = sum(ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, width + 1))
        ws.row_dimensions[row].height = printing.row_height(printing.text_lines(text, room))
    signature_line(ws, row + 1, width)
    _units_whole_on_pages(ws, rows)


def _units_whole_on_pages(ws: Worksheet, rows: pd.DataFrame) -> None:
    """Page breaks before a unit whose persons and 小计 would not all fit on the page: no 小计
    (or person) printed at the top of a page apart from its unit, and the 合计 on the page of the
    lines and signatures under it. A unit longer than a page is split where the page ends."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8 for c in range(1, len(rows.columns) + 1)]
    scale = printing.fit_scale(PAYOUT_ORIENTATION, widths)
    room = printing.page_points(PAYOUT_ORIENTATION)[1] / scale * 0.96  # as printing.last_row_of_page
    titles = sum(ws.row_dimensions[r].height or 15 for r in range(TITLE_ROW, HEADER_ROW + 1))
    filled, start = titles, HEADER_ROW + 1
    for index, seq in enumerate(rows[L.SEQ].tolist()):
        if seq not in (OL.SUBTOTAL, OL.TOTAL):
            continue
        # the 合计 keeps the amount in words, the basis and the signatures under it
        end = ws.max_row if seq == OL.TOTAL else HEADER_ROW + 1 + index
        group = sum(ws.row_dimensions[r].height or 15 for r in range(start, end + 1))
        if filled + group > room and filled > titles and titles + group <= room:
            ws.row_breaks.append(Break(id=start - 1))
            filled = titles
        filled += group
        start = end + 1


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
        if caption != "按采用级别":  # a piece adopted at two levels is in both: no sum of levels
            last = _append_rows(ws, _sum_row(frame), last + 1, {}, bold=True)
        row = last + 2
    xlsx.set_widths(ws, {1: 10, 2: 9, 3: 9, 4: 9, 5: 14, 6: 4})
    xlsx.fit_to_a4(ws)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 1


def _sum_row(frame: pd.DataFrame) -> pd.DataFrame:
    """A 合计 row under a summary table: its label column says 合计, each count column its sum."""
    label, *counts = frame.columns
    return pd.DataFrame([{label: OL.TOTAL, **{c: int(frame[c].sum()) for c in counts}}])


def _month_chart(ws: Worksheet, header: int, last: int, title: str) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = "篇数"
    chart.height, chart.width = 9, 16
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=header, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    ws.add_chart(chart, f"{get_column_letter(8)}4")
