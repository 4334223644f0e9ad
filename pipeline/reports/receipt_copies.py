"""The month's receipts for hundreds or thousands of units, written as XML with the styles of one
receipt openpyxl builds and saves per run.

openpyxl spends about 50 ms building and saving even a small styled workbook, most of it the
same for every receipt. Here one sample receipt, built by `reports.receipt_workbook`, holds every
style a receipt's cell can need (heading title and lines, header, and for every column a date,
a text and a formula-like text, each without fill, red and yellow) and one comment; each unit's
receipt reuses its styles, theme and properties as they are and writes its own sheet, comments
and comment shapes, as openpyxl would write them.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook

from pipeline.core.text import clean_text
from pipeline.xlsx import cells, printing, zippack
from pipeline.xlsx import styles as xlsx

SHEET, COMMENTS, SHAPES = "xl/worksheets/sheet1.xml", "xl/comments/comment1.xml", "xl/drawings/commentsDrawing1.vml"
SHEET_RELS, TYPES, WORKBOOK = "xl/worksheets/_rels/sheet1.xml.rels", "[Content_Types].xml", "xl/workbook.xml"
KINDS = ("dated", "plain", "quoted")  # by `xlsx.cell_kind`: DATED, PLAIN, QUOTED
LEVEL = 1  # zlib level of the receipts' members
_SHAPE = re.compile(r"<ns0:shape .*?</ns0:shape>", re.S)
_ROW = "\x00"  # a row number to come, in cells' XML (never in a stored text: `clean_text`)
_APART = frozenset({str, type(None), dt.datetime})  # never equal to a value of another of these kinds


class ReceiptWriter:
    """Writes receipts with the styles of a sample receipt.

    Args:
        sample: the sample receipt, as `reports.receipt_workbook` builds it: heading title in
            row 1 and one heading line in row 2, the header in row `header_row`, then one row per
            (kind, fill) of `rows` holding that kind of value in every column, and one comment.
        header_row: the sample's header row.
        rows: (kind, fill) of each sample row, kind one of KINDS, fill a PatternFill or None.
        max_width, wide: the table's layout arguments (`xlsx.table_layout`).
    """

    def __init__(
        self,
        sample: Workbook,
        header_row: int,
        rows: list[tuple[str, PatternFill | None]],
        *,
        max_width: float,
        wide: tuple[str, ...],
    ) -> None:
        self.max_width, self.wide = max_width, wide
        self._known: dict[tuple[type, object], tuple[str, str]] = {}  # (kind, XML) of each value met
        self._by_column: dict[tuple[int, frozenset[type]], dict[object, str]] = {}  # `_column_cells`
        self._zeros: dict[tuple[int, float] | None, str] = {}  # and its 0.0 and -0.0, by column and sign
        self._headers: dict[tuple[object, ...], str] = {}  # the header row's cells, by row and labels
        buffer = io.BytesIO()
        sample.save(buffer)
        with zipfile.ZipFile(buffer) as package:
            self.parts = [(info, package.read(info)) for info in package.infolist()]
        texts = {info.filename: data.decode("utf-8") for info, data in self.parts if not info.filename.endswith("png")}
        sheet = texts[SHEET]
        found = {r: m[0] for r, m in cells.rows(sheet).items()}
        self.title_style, self.line_style = (cells.CELL_STYLE.search(found[r])[1] for r in (1, 2))
        self.header_style = cells.CELL_STYLE.search(found[header_row])[1]
        self.styles = {
            (kind, id(fill)): cells.CELL_STYLE.findall(found[header_row + 1 + n]) for n, (kind, fill) in enumerate(rows)
        }
        self.head = sheet[: sheet.index("<dimension")]
        self.format = re.search(r"<sheetFormatPr[^>]*/>", sheet)[0]
        self.page = sheet[sheet.index("<printOptions") : sheet.index("<headerFooter>")]
        self.footer = re.search(r"<oddFooter>.*?</oddFooter>", sheet)[0]
        self.drawing = re.search(r"<legacyDrawing[^>]*/>", sheet)[0]
        comments = texts[COMMENTS]
        self.comments_head = comments[: comments.index("<commentList>")]
        shapes = texts[SHAPES]
        self.shapes_head, self.shape = shapes[: _SHAPE.search(shapes).start()], _SHAPE.search(shapes)[0]
        self.types = texts[TYPES]
        self.workbook = texts[WORKBOOK]
        self.entries = [zippack.Entry.of(info) for info, _ in self.parts]
        self.constant = {
            info.filename: zippack.deflate(data, LEVEL)
            for info, data in self.parts
            if info.filename not in (SHEET, WORKBOOK, COMMENTS, SHAPES, TYPES)
        }
        self.types_of = {
            True: zippack.deflate(self.types.encode("utf-8"), LEVEL),
            False: zippack.deflate(self._types_without_comments().encode("utf-8"), LEVEL),
        }

    def receipt(self, receipt: Any) -> bytes:
        """The receipt (a `reports.Receipt`) as .xlsx bytes."""
        table, header_row = receipt.table, receipt.header_row
        values = xlsx.stored_columns(table) if receipt.values is None else receipt.values
        widths, heights = xlsx.stored_layout(
            table.columns.tolist(),
            values,
            self.max_width,
            wide=self.wide,
            rows=len(table),
            shown=receipt.shown,
            guide=receipt.guide,
        )
        last, width = header_row + len(table), len(table.columns)
        end = get_column_letter(width)
        notes = {cell: note for cell, (_, note) in receipt.marks.items() if note is not None}
        rows = self._heading(receipt.title, receipt.lines, sum(widths), end)
        rows += self._table(receipt, values, heights, header_row)
        merges = "".join(f'<mergeCell ref="A{r}:{end}{r}"/>' for r in range(1, len(receipt.lines) + 2))
        sheet = (
            self.head
            + f'<dimension ref="A1:{end}{last}"/>'
            + '<sheetViews><sheetView workbookViewId="0">'
            + f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft" state="frozen"/>'
            + '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews>'
            + self.format
            + "<cols>"
            + "".join(
                f'<col width="{cells.number(w)}" customWidth="1" min="{c}" max="{c}"/>'
                for c, w in enumerate(widths, start=1)
            )
            + "</cols><sheetData>"
            + rows
            + f'</sheetData><autoFilter ref="A{header_row}:{end}{last}"/>'
            + f'<mergeCells count="{len(receipt.lines) + 1}">{merges}</mergeCells>'
            + self.page
            + f"<headerFooter><oddHeader>{escape('&C&12 ' + clean_text(receipt.page_title).replace('&', '&&'))}"
            + f"</oddHeader>{self.footer}<evenHeader></evenHeader><evenFooter></evenFooter>"
            + "<firstHeader></firstHeader><firstFooter></firstFooter></headerFooter>"
            + (self.drawing if notes else "")
            + "</worksheet>"
        )
        return self._package(sheet, notes, header_row, last, end)

    def _heading(self, title: str, lines: list[str], total: float, end: str) -> str:
        rows = []
        for r, text in enumerate([title, *lines], start=1):
            size = 14.0 if r == 1 else printing.BODY_SIZE
            height = printing.row_height(printing.text_lines(text, total, size), size)
            style = self.title_style if r == 1 else self.line_style
            rows.append(cells.row(r, height, cells.cell(f"A{r}", style, text)))
        return "".join(rows)

    def _table(self, receipt: Any, values: list[list[Any]], heights: list[float], header_row: int) -> str:
        columns = receipt.table.columns.tolist()
        letters = [get_column_letter(c) for c in range(1, len(columns) + 1)]
        header = self._headers.get((header_row, *columns))
        if header is None:  # the receipts' headers are alike but for their row
            header = self._headers[header_row, *columns] = "".join(
                cells.cell(f"{letters[c]}{header_row}", self.header_style, label) for c, label in enumerate(columns)
            )
        rows = [cells.row(header_row, heights[0], header)]
        # A row without marks is its cells as unmarked cells of their columns (`_column_cells`),
        # their row number put in once; a marked row is written cell by cell.
        marked = {r for r, _ in receipt.marks}
        unmarked = [self._column_cells(c, column, letters[c]) for c, column in enumerate(values)]
        if None in unmarked:
            marked = range(header_row + 1, header_row + 1 + len(heights))
        for n, stored in enumerate(zip(*values, strict=True)):
            r = header_row + 1 + n
            if r in marked:
                xml = self._row_cells(r, stored, letters, receipt.marks)
            else:
                xml = "".join([column[n] for column in unmarked]).replace(_ROW, str(r))
            rows.append(cells.row(r, heights[n + 1], xml))
        return "".join(rows)

    def _row_cells(self, r: int, stored: tuple[Any, ...], letters: list[str], marks: dict) -> str:
        """A row's cells, each as `cells.cell` writes it with the style of its kind and fill."""
        xml = []
        for c, value in enumerate(stored):
            kind, rest = self._value(value)
            fill = marks.get((r, c + 1), (None, None))[0]
            xml.append(f'<c r="{letters[c]}{r}" s="{self.styles[kind, id(fill)][c]}" {rest}')
        return "".join(xml)

    def _column_cells(self, c: int, column: list[Any], letter: str) -> list[str] | None:
        """Each value of a column as an unmarked cell of that column in row `_ROW`, or None when
        a value's XML holds `_ROW`. Most cells repeat a value of another (dates, outlets, levels,
        statuses): each value's XML is worked out once per process and column, in a table of
        the column's kinds of values, where no two values of different kinds are equal."""
        kinds = frozenset(map(type, column))
        known = self._by_column.setdefault((c, kinds), {}) if len(kinds - _APART) <= 1 else {}
        try:
            found = [known.get(value) for value in column]
        except TypeError:  # an unhashable value
            found, known = [None] * len(column), {}
        styles = {kind: self.styles[kind, id(None)][c] for kind in KINDS}
        for n, xml in enumerate(found):
            if xml is None:
                value = column[n]
                zero = value.__class__ is float and value == 0  # 0.0 and -0.0: equal, written apart
                sign = (c, math.copysign(1.0, value)) if zero else None
                xml = found[n] = self._zeros.get(sign)
                if xml is None:
                    rest = cells.value_xml(value)
                    if _ROW in rest:
                        return None
                    xml = found[n] = f'<c r="{letter}{_ROW}" s="{styles[_kind(value)]}" {rest}'
                    if zero:
                        self._zeros[sign] = xml
                    elif _alike(value):
                        known[value] = xml
        return found

    def _value(self, value: Any) -> tuple[str, str]:
        """A value's kind (KINDS) and XML after its cell's style (`cells.value_xml`)."""
        try:
            found = self._known.get((type(value), value))
        except TypeError:  # an unhashable value
            return _kind(value), cells.value_xml(value)
        if found is None:
            found = _kind(value), cells.value_xml(value)
            if _alike(value):
                self._known[type(value), value] = found
        return found

    def _package(self, sheet: str, notes: dict[tuple[int, int], str], header_row: int, last: int, end: str) -> bytes:
        name = quote_sheetname(self._sheet_name())
        names = (
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{name}!$A${header_row}:${end}${last}</definedName>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{name}!${header_row}:${header_row}</definedName>'
            "</definedNames>"
        )
        workbook = re.sub(r"<definedNames>.*?</definedNames>", lambda _m: names, self.workbook, count=1, flags=re.S)
        changing = {
            SHEET: lambda: sheet,
            WORKBOOK: lambda: workbook,
            COMMENTS: lambda: self._comments(notes),
            SHAPES: lambda: self._shapes(notes),
        }
        members = []
        for entry in self.entries:
            if entry.name in (COMMENTS, SHAPES, SHEET_RELS) and not notes:
                continue
            text = changing.get(entry.name)
            if text is not None:
                members.append((entry, zippack.deflate(text().encode("utf-8"), LEVEL)))
            else:
                members.append(
                    (entry, self.types_of[bool(notes)] if entry.name == TYPES else self.constant[entry.name])
                )
        return zippack.archive(members)

    def _sheet_name(self) -> str:
        return re.search(r'<sheet [^>]*name="([^"]+)"', self.workbook)[1]

    def _comments(self, notes: dict[tuple[int, int], str]) -> str:
        items = "".join(
            f'<comment ref="{get_column_letter(c)}{r}" authorId="0" shapeId="0"><text>'
            f"<t{cells.space(note)}>{escape(clean_text(note))}</t></text></comment>"
            for (r, c), note in sorted(notes.items())
        )
        return f"{self.comments_head}<commentList>{items}</commentList></comments>"

    def _shapes(self, notes: dict[tuple[int, int], str]) -> str:
        shapes = []
        for n, (r, c) in enumerate(sorted(notes)):
            shape = re.sub(r'id="_x0000_s\d+"', f'id="_x0000_s{1026 + n}"', self.shape, count=1)
            shape = re.sub(r"<ns2:Row>\d+</ns2:Row>", f"<ns2:Row>{r - 1}</ns2:Row>", shape, count=1)
            shapes.append(re.sub(r"<ns2:Column>\d+</ns2:Column>", f"<ns2:Column>{c - 1}</ns2:Column>", shape, count=1))
        return self.shapes_head + "".join(shapes) + "</xml>"

    def _types_without_comments(self) -> str:
        types = re.sub(r'<Default Extension="vml"[^>]*/>', "", self.types)
        return re.sub(r'<Override PartName="/xl/comments/comment1.xml"[^>]*/>', "", types)


def _alike(value: object) -> bool:
    """Whether every value equal to `value` (of its kind) has its XML: not so for 0.0 and -0.0,
    nor for datetimes of different time zones."""
    if value.__class__ is float:
        return value != 0
    return not isinstance(value, dt.datetime) or value.tzinfo is None


def _kind(value: object) -> str:
    """Which of the sample's cell styles a value takes (KINDS)."""
    return KINDS[xlsx.cell_kind(value)]
