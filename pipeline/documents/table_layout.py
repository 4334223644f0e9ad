"""How a rendered Word file's tables break across pages, and which of their columns it shows.

Applied by the document engine after docxtpl has filled the rows (the number of rows is known
only then): a table's header and first row stay together and with the paragraph before it (a
title never ends a page), its last rows travel together (no row orphaned at the top of a page),
and the columns the context hides (`hidden_columns`, by header label, e.g. 得分完成率 when no
unit has a points target) are removed, their width given to the table's widest column.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Rows kept together at the end of a table: fewer than this never start a page on their own.
LAST_ROWS_TOGETHER = 3


def lay_out_tables(body, hidden_columns: Iterable[str] = ()) -> None:
    """Every table of the document `body` (its w:body element), as the module says."""
    hidden = set(hidden_columns)
    for table in body.iter(qn("w:tbl")):
        if hidden:
            drop_columns(table, hidden)
        keep_rows_together(table)


def _cells(row) -> list:
    return row.findall(qn("w:tc"))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def drop_columns(table, labels: set[str]) -> None:
    """Removes the columns whose first-row cell reads one of `labels` (tables without merged
    cells), adding their width to the widest remaining column."""
    rows = table.findall(qn("w:tr"))
    if not rows:
        return
    header = _cells(rows[0])
    drop = [i for i, cell in enumerate(header) if _text(cell).strip() in labels]
    if not drop or any(len(_cells(row)) != len(header) for row in rows):
        return
    grid = table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
    widths = [int(col.get(qn("w:w"))) for col in grid]
    freed = sum(widths[i] for i in drop)
    kept = [i for i in range(len(grid)) if i not in drop]
    widest = max(kept, key=lambda i: widths[i])
    grid[widest].set(qn("w:w"), str(widths[widest] + freed))
    for row in rows:
        cells = _cells(row)
        width = cells[widest].find(qn("w:tcPr") + "/" + qn("w:tcW"))
        if width is not None:
            width.set(qn("w:w"), str(widths[widest] + freed))
        for i in drop:
            row.remove(cells[i])
    for i in drop:
        grid[i].getparent().remove(grid[i])


def keep_rows_together(table) -> None:
    """Keep-with-next on the paragraphs of the header rows and the first body row, and of the
    last rows but one: Word and LibreOffice then move them to the next page together."""
    rows = table.findall(qn("w:tr"))
    headers = [row for row in rows if row.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None]
    body = rows[len(headers) :]
    if len(body) < 2:
        return
    kept = [*headers, body[0]]
    if len(body) > LAST_ROWS_TOGETHER:
        kept += body[-LAST_ROWS_TOGETHER:-1]
    for row in kept:
        for paragraph in row.iter(qn("w:p")):
            _keep_with_next(paragraph)


# Children of w:pPr that come after w:keepNext (the schema fixes their order).
_AFTER_KEEP_NEXT = (
    "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr", "w:suppressLineNumbers",
    "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def _keep_with_next(paragraph) -> None:
    ppr = paragraph.get_or_add_pPr()
    if ppr.find(qn("w:keepNext")) is None:
        ppr.insert_element_before(OxmlElement("w:keepNext"), *_AFTER_KEEP_NEXT)
