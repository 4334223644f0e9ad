"""Packages written from members compressed once per template are the packages `zipfile` wrote:
the same members, in the same order, with the same bytes; Python, openpyxl and LibreOffice read
them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import quote_sheetname

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.forms import form_copies, forms
from pipeline.plan.plan import Plan
from pipeline.reports import receipt_copies as R
from pipeline.reports import reports
from pipeline.reports.receipt_copies import ReceiptWriter
from pipeline.xlsx import styles as xlsx
from pipeline.xlsx import zippack
from tests import tools

MONTH = "2025-04"
WHEN = (2025, 3, 31, 17, 45, 58)


def _form_package_by_zipfile(
    self: form_copies.FormTemplate, sheet: str, guide_texts: list[tuple[str, str]], print_end: int
) -> bytes:
    """`FormTemplate._package` as it was, with `zipfile`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for info, data in self.parts:
            if info.filename == form_copies.FORM_SHEET:
                data = sheet.encode("utf-8")
            elif info.filename == form_copies.GUIDE_SHEET:
                text = data.decode("utf-8")
                for token, value in guide_texts:
                    text = text.replace(escape(token), escape(xlsx.clean_text(value)))
                data = text.encode("utf-8")
            elif info.filename == form_copies.WORKBOOK:
                data = form_copies._PRINT_AREA.sub(rf"\g<1>{print_end}<", data.decode("utf-8")).encode("utf-8")
            package.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buffer.getvalue()


def _receipt_package_by_zipfile(
    self: ReceiptWriter, sheet: str, notes: dict[tuple[int, int], str], header_row: int, last: int, end: str
) -> bytes:
    """`ReceiptWriter._package` as it was, with `zipfile`."""
    name = quote_sheetname(self._sheet_name())
    names = (
        f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"{name}!$A${header_row}:${end}${last}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{name}!${header_row}:${header_row}</definedName>'
        "</definedNames>"
    )
    workbook = re.sub(r"<definedNames>.*?</definedNames>", lambda _m: names, self.workbook, count=1, flags=re.S)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in self.parts:
            if info.filename in (R.COMMENTS, R.SHAPES, R.SHEET_RELS) and not notes:
                continue
            text = {
                R.SHEET: lambda: sheet,
                R.WORKBOOK: lambda: workbook,
                R.COMMENTS: lambda: self._comments(notes),
                R.SHAPES: lambda: self._shapes(notes),
                R.TYPES: lambda: self.types if notes else self._types_without_comments(),
            }.get(info.filename)
            package.writestr(info, text().encode("utf-8") if text else data, compresslevel=1)
    return buffer.getvalue()


def _members(package: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.testzip() is None
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _both(
    monkeypatch: pytest.MonkeyPatch, cls: type, reference: Callable[..., bytes], write: Callable[[], bytes | None]
) -> tuple[bytes, bytes]:
    """What `write()` returns packed by zippack, then by the reference `_package`."""
    packed = write()
    with monkeypatch.context() as patch:
        patch.setattr(cls, "_package", reference)
        return packed, write()


def _carry_over(rows: int) -> list[dict[str, object]]:
    frame = pd.DataFrame(
        {
            L.TITLE: [f"关于第{n}项工作的信息" if n % 3 else f"=第{n}篇 <b>&" for n in range(rows)],
            L.CATEGORY: ["政务信息"] * rows,
            L.AUTHORS: ["王晓燕、李明"] * rows,
            L.SENT_DATE: [pd.Timestamp("2024-12-20") if n == 0 else pd.Timestamp("2025-03-05") for n in range(rows)],
            L.SENT_TO: ["县委办公室"] * rows,
            L.REVIEWER: ["马主任"] * rows,
            L.NOTES: ["第一行\n第二行"] * rows,
        }
    )
    return forms.carried_rows(frame)


@pytest.fixture(scope="module")
def template(plan: Plan) -> form_copies.FormTemplate:
    return form_copies.FormTemplate(plan, MONTH)


def _receipt(writer_columns: list[str]) -> reports.Receipt:
    table = pd.DataFrame(
        [
            [6, "=1+1 <b>&", dt.datetime(2025, 3, 5), OL.COUNTED, 2.5, ""],
            [7, "我局召开全县耕地保护工作推进会", None, OL.NOT_COUNTED, None, "标题重复\n日期为空"],
        ],
        columns=writer_columns,
        dtype=object,
    )
    lines = ["单位：GS01 办公室　　报送月份：2025-04", "读取稿件 2 行：计入 1 行，未计入 1 行。"]
    header_row = 2 + len(lines) + 1
    marks = {(header_row + 2, 3): (xlsx.ERROR_FILL, "报送日期为空"), (header_row + 1, 2): (xlsx.WARNING_FILL, None)}
    return reports.Receipt("审核回执", lines, table, marks, "审核回执（GS01 办公室 2025-04）")


RECEIPT_COLUMNS = [L.SOURCE_ROW, L.TITLE, L.SENT_DATE, OL.RECEIPT_STATUS, L.POINTS, OL.RECEIPT_NOTES]


def test_an_archive_of_members_compressed_here_is_byte_for_byte_what_zipfile_writes() -> None:
    members = [("[Content_Types].xml", b"<Types/>" * 50), ("xl/稿件.xml", "中文内容".encode() * 300), ("empty", b"")]
    infos = []
    for n, (name, _) in enumerate(members):
        info = zipfile.ZipInfo(name, WHEN)
        info.external_attr = (0o644 << 16) if n else 0
        infos.append(info)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for info, (_, data) in zip(infos, members, strict=True):
            package.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    entries = [zippack.Entry.of(info) for info in zipfile.ZipFile(io.BytesIO(buffer.getvalue())).infolist()]
    packed = zippack.archive((e, zippack.deflate(data, 1)) for e, (_, data) in zip(entries, members, strict=True))
    assert packed == buffer.getvalue()


@pytest.mark.parametrize(
    "parts",
    [
        [b"<head>", zippack.block(b"<blank/>" * 4000, 1), b"<tail/>"],
        [zippack.block(b"<a/>" * 100, 1), zippack.block(b"<b/>" * 100, 1)],
        [b"", zippack.block(b"", 1), "汉字".encode() * 999, b"x" * 70000, zippack.block(b"end", 1)],
        [b"only raw"],
    ],
)
def test_a_member_spliced_from_blocks_unzips_to_its_parts_joined(parts: list[bytes | zippack.Block]) -> None:
    raw = b"".join(p.raw if isinstance(p, zippack.Block) else p for p in parts)
    stored = zippack.deflate_parts(parts, 1)
    assert (stored.size, stored.crc) == (len(raw), zlib.crc32(raw))
    packed = zippack.archive([(zippack.Entry("a.xml", WHEN, 0o600 << 16), stored)])
    assert _members(packed) == [("a.xml", raw)]


def test_an_archive_that_would_need_zip64_is_refused() -> None:
    huge = zippack.Deflated(b"", 0, zippack.LIMIT)
    with pytest.raises(zippack.ArchiveTooLarge, match="4 GiB"):
        zippack.archive([(zippack.Entry("big.xml", WHEN, 0), huge)])


@pytest.mark.parametrize("rows", [0, 1, 7, 60])
def test_a_packed_form_holds_the_members_zipfile_packed_in_the_same_order(
    template, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    carried = _carry_over(rows)
    packed, reference = _both(
        monkeypatch, form_copies.FormTemplate, _form_package_by_zipfile, lambda: template.copy("GS01", carried)
    )
    assert _members(packed) == _members(reference)
    ws = openpyxl.load_workbook(io.BytesIO(packed))[L.FORM_SHEET]
    assert ws["F2"].value == "GS01"
    assert ws.cell(row=forms.FIRST_DATA_ROW, column=forms.COLUMN[L.TITLE]).value == (
        carried[0][L.TITLE] if rows else None
    )


def test_a_form_sheet_that_does_not_end_with_the_templates_blank_rows_is_compressed_whole(
    template, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    monkeypatch.setattr(form_copies.FormTemplate, "_package", lambda _self, *args: calls.append(args) or b"")
    template.copy("GS01", _carry_over(2))
    monkeypatch.undo()
    sheet, guide_texts, print_end = calls[0]
    odd = sheet.replace("</sheetData>", '<row r="999"><c r="A999" t="n"><v>1</v></c></row></sheetData>')
    assert template._first_blank_row(odd, odd.rindex("</sheetData>")) is None
    packed = template._package(odd, guide_texts, print_end)
    assert _members(packed) == _members(_form_package_by_zipfile(template, odd, guide_texts, print_end))


def test_the_form_sheets_blank_rows_and_tail_are_compressed_once_per_shape(template) -> None:
    for code in ("GS01", "SO07", "GS01"):
        template.copy(code, _carry_over(3))
    assert forms.FIRST_DATA_ROW + 3 in template.blank_blocks
    assert len(template.tail_blocks) >= 1 and len(template.guide_pieces) == 1


def test_a_packed_receipt_is_byte_for_byte_the_receipt_zipfile_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    writer = reports.receipt_writer(RECEIPT_COLUMNS)
    receipt = _receipt(RECEIPT_COLUMNS)
    unmarked = reports.Receipt(receipt.title, receipt.lines, receipt.table, {}, receipt.page_title)
    for shown in (receipt, unmarked):
        packed, reference = _both(
            monkeypatch, ReceiptWriter, _receipt_package_by_zipfile, lambda s=shown: writer.receipt(s)
        )
        assert packed == reference
        assert _members(packed) == _members(reference)
    ws = openpyxl.load_workbook(io.BytesIO(writer.receipt(receipt))).active
    assert ws.cell(row=receipt.header_row + 2, column=3).comment.text == "报送日期为空"


def test_libreoffice_converts_a_packed_form_and_receipt(template, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(template.copy("GS01", _carry_over(2)))
    receipt = tmp_path / "receipt.xlsx"
    receipt.write_bytes(reports.receipt_writer(RECEIPT_COLUMNS).receipt(_receipt(RECEIPT_COLUMNS)))
    pdfs = tools.to_pdfs([form, receipt], tmp_path)
    texts = [tools.pdf_text(pdf) for pdf in pdfs]
    assert "关于第1项工作的信息" in texts[0]
    assert "报送日期为空" not in texts[1] and "我局召开全县耕地保护工作推进会" in texts[1]
