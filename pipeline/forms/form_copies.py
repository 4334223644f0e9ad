"""The month's forms for hundreds or thousands of units: one form built with openpyxl, then a
byte-level copy of it per unit with only that unit's cells changed.

Building and saving a styled form with openpyxl costs about 60 ms; a city's 300 or a province's
3,000 units made that most of a month's run. Every unit's form is the same workbook except for:
the unit's header values (名称, 代码, 信息员, 联系电话), its carried-over rows and their heights,
the heights of the header rows, the earliest 报送日期 the validation accepts, the print area, and
on the 填报说明 sheet the unit's name, officer and file name. So the template is built once by
`forms.build_unit_form` for a placeholder unit (tokens instead of its texts, one carried row of
formula-like texts so the styles of quoted text exist, a sentinel date), saved, and each unit's
copy rewrites those parts of the XML; every other part of the package is copied as it is.

A unit whose form would differ in any other way (more carried rows than the prepared rows
leave room for, a header text that needs escaping as a formula, an officer's name long enough
to change a row's height on the guide, a value of an unexpected type) is built with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl.utils import get_column_letter

from pipeline.core import labels as L
from pipeline.core.text import clean_text
from pipeline.files import atomic, parallel, workspace
from pipeline.files.parallel import PARALLEL_FROM
from pipeline.forms import form_guide, forms
from pipeline.plan.plan import Plan
from pipeline.xlsx import cells, printing, zippack
from pipeline.xlsx import styles as xlsx

NAME, CODE, OFFICER, PHONE, HEAD = "ZZUNITNAMEZZ", "ZZUNITCODEZZ", "ZZOFFICERZZ", "ZZPHONEZZ", "ZZHEADZZ"
SENTINEL = dt.date(1901, 1, 2)  # the template's carried row's 报送日期: earliest in its validation
FORM_SHEET, GUIDE_SHEET, WORKBOOK = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet3.xml", "xl/workbook.xml"
_TOKEN_CELL = re.compile(r'<c r="([A-Z]+\d+)" s="(\d+)" t="inlineStr"><is><t>(ZZ[A-Z]+ZZ)</t></is></c>')
LEVEL = 1  # zlib level of the forms' members, as zipfile compressed them: fast, a little larger
TAILS_KEPT = 32  # sheet tails compressed once (one per earliest 报送日期: usually one a month)
_PRINT_AREA = re.compile(r"(_xlnm\.Print_Area\" localSheetId=\"0\">[^<]*\$[A-Z]+\$)(\d+)<")


class FormTemplate:
    """One month's form, built once, copied per unit.

    Args:
        plan: the year's plan.
        month: the forms' month, "YYYY-MM".
    """

    def __init__(self, plan: Plan, month: str) -> None:
        self.plan, self.month = plan, month
        self.layout = forms.layout_of(plan)
        unit = pd.Series({L.P_UNIT_NAME: NAME, L.P_OFFICER: OFFICER, L.P_PHONE: PHONE, L.P_HEAD: HEAD}, name=CODE)
        quoted = {label: f"={label}" for label in L.CARRY_COLUMNS} | {L.SENT_DATE: SENTINEL, L.STATUS: L.NOT_ADOPTED}
        buffer = io.BytesIO()
        forms.build_unit_form(plan, unit, month, [quoted]).save(buffer)
        with zipfile.ZipFile(buffer) as package:
            self.parts = [(info, package.read(info)) for info in package.infolist()]
        sheet = dict((info.filename, data) for info, data in self.parts)[FORM_SHEET].decode("utf-8")
        rows = {r: m[0] for r, m in cells.rows(sheet).items()}
        # The head ends before row 1: the header rows are written after it, with the unit's texts.
        self.head = sheet[: sheet.index(rows[1])]
        self.tail = sheet[sheet.index("</sheetData>") :]
        self.header_rows = {r: rows[r] for r in range(1, forms.FIRST_DATA_ROW)}
        self.last_row = max(rows)
        self.blank = {r: rows[r] for r in range(forms.FIRST_DATA_ROW + 1, self.last_row + 1)}
        self.blank[forms.FIRST_DATA_ROW] = cells.renumbered(rows[forms.FIRST_DATA_ROW + 1], forms.FIRST_DATA_ROW)
        self.row_open = cells.ROW_OPEN.match(rows[forms.FIRST_DATA_ROW + 1])[0]
        self.plain = dict(cells.COLUMN_STYLE.findall(rows[forms.FIRST_DATA_ROW + 1]))
        self.quoted = dict(cells.COLUMN_STYLE.findall(rows[forms.FIRST_DATA_ROW]))
        self.author_lines = _author_lines(OFFICER)
        self.entries = [zippack.Entry.of(info) for info, _ in self.parts]
        self.constant = {
            info.filename: zippack.deflate(data, LEVEL)
            for info, data in self.parts
            if info.filename not in (FORM_SHEET, GUIDE_SHEET, WORKBOOK)
        }
        self.blank_run = "".join(self.blank[r] for r in range(forms.FIRST_DATA_ROW, self.last_row + 1))
        self.blank_starts = list(
            itertools.accumulate(len(self.blank[r]) for r in range(forms.FIRST_DATA_ROW, self.last_row + 1))
        )
        self.blank_blocks: dict[int, zippack.Block] = {}  # by the run's first row
        self.tail_blocks: dict[str, zippack.Block] = {}  # by the text; one per earliest 报送日期
        self.guide_pieces: dict[tuple[bytes, ...], list[bytes | zippack.Block]] = {}  # by the tokens
        self.workbooks: dict[int, zippack.Deflated] = {}  # by the print area's last row
        self.cell_tails: dict[tuple[str, type, Any], str | None] = {}  # by column letter and value
        self.letters = [get_column_letter(col) for col in range(1, self.layout.last_column + 1)]
        self.row_opens: dict[tuple[int, float], str] = {}  # by row and height
        self.row_formats: dict[int, str] = {}  # by row: its opening, then its cells but their tails
        self.lines: dict[tuple[str, str], float] = {}  # by label and text, for short texts
        self.units = _rows_by_code(plan.units)

    def copy(self, code: str, carried: list[dict[str, Any]]) -> bytes | None:
        """The unit's form as .xlsx bytes, or None when it must be built with openpyxl."""
        unit = self.units[code]
        values = forms.header_values(code, unit, self.month)
        texts = {
            token: xlsx.stored(value)
            for token, value in (
                (NAME, values[L.H_UNIT_NAME]),
                (CODE, code),
                (OFFICER, values[L.H_OFFICER]),
                (PHONE, values[L.H_PHONE]),
                (HEAD, values[L.H_HEAD]),
            )
        }
        if (
            len(carried) + forms.SPARE_ROWS > forms.DATA_ROWS
            or any(
                not isinstance(t, (str, type(None))) or (t or "").startswith(xlsx.FORMULA_STARTS)
                for t in texts.values()
            )
            or _author_lines(_officer(unit)) != self.author_lines
        ):
            return None
        heights = [self._height(record) for record in carried]
        numbered = enumerate(zip(carried, heights, strict=True), start=1)
        rows = [self._carried_row(n, record, height) for n, (record, height) in numbered]
        if any(row is None for row in rows):
            return None
        sheet = self._form_sheet(values, texts, carried, rows)
        end = forms.print_end(values, carried, self.last_row, heights, layout=self.layout)
        return self._package(sheet, self._guide_texts(code, unit), end)

    def _form_sheet(
        self, values: dict[str, Any], texts: dict[str, Any], carried: list[dict[str, Any]], rows: list[str | None]
    ) -> str:
        heights = forms.header_heights(values)
        header = [cells.with_height(xml, heights[r]) if r in heights else xml for r, xml in self.header_rows.items()]
        header_xml = _TOKEN_CELL.sub(lambda m: _text_cell(m[1], m[2], texts[m[3]]), "".join(header))
        first_blank = forms.FIRST_DATA_ROW + len(carried)
        blank = "".join(self.blank[r] for r in range(first_blank, self.last_row + 1))
        earliest = forms.earliest_sent(self.month, carried)
        tail = self.tail.replace(_excel_date(SENTINEL), _excel_date(earliest)).replace(
            f"{SENTINEL:%Y-%m-%d}", f"{earliest:%Y-%m-%d}"
        )
        return self.head + header_xml + "".join(rows) + blank + tail

    def _guide_texts(self, code: str, unit: Mapping[str, Any]) -> list[tuple[str, str]]:
        filename = forms.form_filename(code, str(unit[L.P_UNIT_NAME]))
        return [
            (forms.form_filename(CODE, NAME), filename),
            (NAME, str(unit[L.P_UNIT_NAME])),
            (OFFICER, _officer(unit)),
        ]

    def _package(self, sheet: str, guide_texts: list[tuple[str, str]], print_end: int) -> bytes:
        changing = {
            FORM_SHEET: lambda: zippack.deflate_parts(self._sheet_parts(sheet), LEVEL),
            GUIDE_SHEET: lambda: zippack.deflate_parts(self._guide_parts(guide_texts), LEVEL),
            WORKBOOK: lambda: self._workbook(print_end),
        }
        return zippack.archive(
            (entry, changing[entry.name]() if entry.name in changing else self.constant[entry.name])
            for entry in self.entries
        )

    def _sheet_parts(self, sheet: str) -> list[bytes | zippack.Block]:
        """The form sheet's XML as its unit's head, the constant run of blank rows it ends with
        and its tail, the last two compressed once."""
        end = sheet.rindex("</sheetData>")
        tail = self._tail(sheet[end:])
        row = self._first_blank_row(sheet, end)
        if row is None:
            return [sheet[:end].encode("utf-8"), tail]
        offset = self._blank_offset(row)
        blank = self.blank_blocks.get(row)
        if blank is None:
            blank = self.blank_blocks[row] = zippack.block(self.blank_run[offset:].encode("utf-8"), LEVEL)
        return [sheet[: end - (len(self.blank_run) - offset)].encode("utf-8"), blank, tail]

    def _tail(self, tail: str) -> bytes | zippack.Block:
        """The sheet's tail (from </sheetData>), compressed once for the first TAILS_KEPT texts."""
        found = self.tail_blocks.get(tail)
        if found is None and len(self.tail_blocks) < TAILS_KEPT:
            found = self.tail_blocks[tail] = zippack.block(tail.encode("utf-8"), LEVEL)
        return tail.encode("utf-8") if found is None else found

    def _first_blank_row(self, sheet: str, end: int) -> int | None:
        """The first of the template's blank rows that `sheet` ends with (before `end`), all
        through; None when it does not end with them."""
        first, last = forms.FIRST_DATA_ROW, self.last_row + 1
        while first < last:  # the run from a row on is there for every later row too
            middle = (first + last) // 2
            offset = self._blank_offset(middle)
            if sheet.startswith(self.blank[middle], end - (len(self.blank_run) - offset)):
                last = middle
            else:
                first = middle + 1
        if first > self.last_row:
            return None
        offset = self._blank_offset(first)
        return first if sheet[end - (len(self.blank_run) - offset) : end] == self.blank_run[offset:] else None

    def _blank_offset(self, row: int) -> int:
        """Where `row` starts in the run of blank rows."""
        return self.blank_starts[row - forms.FIRST_DATA_ROW - 1] if row > forms.FIRST_DATA_ROW else 0

    def _guide_parts(self, guide_texts: list[tuple[str, str]]) -> list[bytes | zippack.Block]:
        """The guide sheet with each token replaced by the unit's text, the template's texts
        between the tokens compressed once. Unlike replacing one token after the other, a text
        that holds a later token keeps it (a unit named after a token would be itself)."""
        tokens = tuple(escape(token).encode("utf-8") for token, _ in guide_texts)
        pieces = self.guide_pieces.get(tokens)
        if pieces is None:
            guide = next(data for info, data in self.parts if info.filename == GUIDE_SHEET)
            split = re.split(b"(" + b"|".join(map(re.escape, tokens)) + b")", guide)
            pieces = [zippack.block(p, LEVEL) if n % 2 == 0 else p for n, p in enumerate(split) if p]
            self.guide_pieces[tokens] = pieces
        values = {t: escape(clean_text(v)).encode("utf-8") for t, (_, v) in zip(tokens, guide_texts, strict=True)}
        return [values[piece] if isinstance(piece, bytes) else piece for piece in pieces]

    def _workbook(self, print_end: int) -> zippack.Deflated:
        found = self.workbooks.get(print_end)
        if found is None:
            workbook = next(data for info, data in self.parts if info.filename == WORKBOOK).decode("utf-8")
            found = _PRINT_AREA.sub(rf"\g<1>{print_end}<", workbook).encode("utf-8")
            found = self.workbooks[print_end] = zippack.deflate(found, LEVEL)
        return found

    def _height(self, record: dict[str, Any]) -> float:
        """`forms.carried_height` of a carried row, a short text's lines counted once (most of a
        row's texts are a category, a name, a yes: a province's forms carry half a million)."""
        widths, known, lines = self.layout.widths, self.lines, []
        for label, value in record.items():
            if isinstance(value, str):
                if len(value) > KEPT_TEXT:
                    lines.append(printing.text_lines(value, widths[label]))
                    continue
                found = known.get((label, value))
                if found is None:
                    found = known[label, value] = printing.text_lines(value, widths[label])
                lines.append(found)
        return max(forms.DATA_ROW_HEIGHT, printing.row_height(max(lines, default=1)))

    def _carried_row(self, number: int, record: dict[str, Any], height: float) -> str | None:
        """A carried-over row's XML (`height` its `forms.carried_height`), as openpyxl writes it;
        None for a value it cannot write."""
        r = forms.FIRST_DATA_ROW + number - 1
        column, letters = self.layout.column, self.letters
        values: list[Any] = [None] * len(letters)
        values[column[L.SEQ] - 1] = number
        for label, value in record.items():
            values[column[label] - 1] = value
        opening = self.row_opens.get((r, height))
        if opening is None:
            opening = cells.with_height(cells.renumbered(self.row_open, r), height)
            self.row_opens[r, height] = opening
        # A cell's XML but its reference, kept for a value that recurs (a category, a date, a
        # blank): a province's forms carry most of a million cells.
        known = self.cell_tails.get
        try:
            tails = [
                known((letter, type(value), value), _UNKNOWN) for letter, value in zip(letters, values, strict=True)
            ]
        except TypeError:  # a value that does not hash
            tails = [_UNKNOWN] * len(letters)
        for at, tail in enumerate(tails):
            if tail is _UNKNOWN:
                tails[at] = self._cell_tail(letters[at], values[at])
        if None in tails:
            return None
        found = self.row_formats.get(r)
        if found is None:
            found = self.row_formats[r] = "{}" + "".join(f'<c r="{letter}{r}"{{}}' for letter in letters) + "</row>"
        return found.format(opening, *tails)

    def _cell_tail(self, letter: str, value: Any) -> str | None:
        """The cell's XML after its reference (None for a value it cannot write), kept for a short
        value that equals itself (not NaN or NaT) and hashes."""
        xml = self._cell_xml(letter, value)
        tail = None if xml is None else xml[len(_NO_REF) :]
        try:
            if len(value) <= KEPT_TEXT if isinstance(value, str) else bool(value == value):
                self.cell_tails[letter, type(value), value] = tail
        except TypeError:
            pass
        return tail

    def _cell_xml(self, letter: str, value: Any) -> str | None:
        """The cell's XML with an empty reference (`_NO_REF`); None for a value it cannot write."""
        ref = ""
        plain = self.plain[letter]
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return cells.cell(ref, plain, None)
        if isinstance(value, str):
            text = clean_text(value)
            if not text.startswith(xlsx.FORMULA_STARTS):
                return _text_cell(ref, plain, text)
            quoted = self.quoted.get(letter)
            return None if quoted in (None, plain) else _text_cell(ref, quoted, text)
        if isinstance(value, (dt.date, pd.Timestamp)):
            day = pd.Timestamp(value).to_pydatetime()
            return cells.cell(ref, plain, dt.datetime(day.year, day.month, day.day))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cells.cell(ref, plain, value)
        return None


KEPT_TEXT = 16  # characters of the longest text whose cell XML is kept for reuse (not titles)
_NO_REF = '<c r=""'
_UNKNOWN = object()


def write_copies(
    template: FormTemplate,
    folder: Path,
    carried_of: dict[str, list[dict[str, Any]]],
    tick: Callable[[int, int], None] | None = None,
    *,
    one_process: bool = False,
) -> list[Path]:
    """Writes every roster unit's form into `folder`, each atomically: its copy of `template`,
    or the form built with openpyxl where a copy cannot be made. In two processes when there are
    many and the system can fork (the children inherit the template and the carried rows),
    unless `one_process` (the caller is already a process of its own beside other work).

    Returns:
        The written paths, in roster order.
    """
    jobs = [(template, folder, code, carried_of.get(code, [])) for code in map(str, template.plan.units.index)]
    start = len(jobs) + 1 if one_process else PARALLEL_FROM
    return parallel.map_all(_write_form, jobs, tick or (lambda _done, _total: None), parallel_from=start)


def _write_form(template: FormTemplate, folder: Path, code: str, carried: list[dict[str, Any]]) -> Path:
    plan = template.plan
    path = folder / forms.form_filename(code, str(template.units[code][L.P_UNIT_NAME]))
    copied = template.copy(code, carried)
    if copied is None:
        atomic.save_workbook(forms.build_unit_form(plan, plan.units.loc[code], template.month, carried), path)
    else:
        atomic.write_bytes(path, copied)
    return path


def _rows_by_code(units: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The roster's rows as dicts by unit code, made column by column: a row of the frame taken
    per unit cost more than its form's copy, and so did `to_dict("index")`."""
    names = list(units.columns)
    columns = [units[name].tolist() for name in names]
    return {code: dict(zip(names, row, strict=True)) for code, *row in zip(units.index, *columns, strict=True)}


def _officer(unit: Mapping[str, Any]) -> str:
    """The officer's name as the guide's examples show it (form_guide._examples)."""
    return str(unit[L.P_OFFICER]) or "张丽"


def _author_lines(officer: str) -> tuple[int, ...]:
    """Lines of the guide's 作者 example in its two example columns."""
    text = f"{officer}{L.LIST_SEPARATOR}李明"
    return tuple(printing.text_lines(text, width) for width in form_guide.WIDTHS[1:])


def _text_cell(ref: str, style: str, text: Any) -> str:
    return cells.cell(ref, style, None if text is None else clean_text(str(text)))


def _excel_date(day: dt.date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def write_forms(
    plan: Plan,
    month: str,
    outputs: Path,
    carried_rows: dict[str, list[dict[str, Any]]] | None = None,
    *,
    tick: Callable[[int, int], None] | None = None,
    one_process: bool = False,
) -> list[Path]:
    """Writes the month's form for every unit on the roster, each atomically.

    Args:
        plan: the year's plan.
        month: "YYYY-MM".
        outputs: the outputs folder; forms go to `<outputs>/forms/YYYY-MM/<单位代码>-<单位名称>.xlsx`.
        carried_rows: per 单位代码, the unit's pieces still 未采用 as `forms.carried_rows` gives them
            (units not in it get a blank form).
        tick: called with (forms written, forms to write) after each form.
        one_process: write them all in this process (it is one of its own beside other work).

    Returns:
        The written paths, in roster order.
    """
    template = FormTemplate(plan, month)
    target = Path(outputs) / forms.FORMS_DIR / month
    # Built aside and swapped in whole, as the month's folder: a failed run leaves the previous
    # forms, and a renamed or removed unit's form does not stay beside the new ones.
    with xlsx.many_cells(), workspace.fresh_folder(target, ours=forms.is_form_name) as folder:
        written = write_copies(template, folder, carried_rows or {}, tick, one_process=one_process)
    return [target / path.name for path in written]
