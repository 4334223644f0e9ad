"""Opening a returned workbook safely: its worksheets as python-calamine reads them, or the
problem that stops it from being read (encrypted, corrupt, not a spreadsheet at all).

Whatever a file holds, opening it gives either worksheets or a `Problem`: a broken file never
stops the month.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from pipeline.core import problems as P
from pipeline.core.problems import Problem

WPS_SUFFIX = ".et"

# Why a file cannot be opened: completes the catalogue's messages.
_CORRUPT = "文件已损坏或不是 Excel/WPS 表格，{error}"
_CORRUPT_WPS = "WPS 的 .et 格式无法直接读取，请在 WPS 中另存为 .xlsx"
_CORRUPT_MARKUP = "文件实际是网页或 XML 格式，不是真正的 Excel 文件"
_UNREADABLE = "无法读取文件，{error}"

# A password-protected OOXML workbook is an OLE container holding an "EncryptedPackage" stream.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Worksheet:
    """One worksheet of a workbook, as read."""

    name: str
    visible: bool
    rows: list[list[Any]]  # from A1, at most max_rows + 1 rows
    height: int  # rows in the sheet, counted from row 1
    merged: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()  # 0-based (top, left), (bottom, right)


def open_workbook(path: Path, max_rows: int) -> tuple[list[Worksheet], Problem | None]:
    """The workbook's worksheets, or the problem that stops it from being read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], P.make("file-corrupt", reason=_UNREADABLE.format(error=exc.strerror or type(exc).__name__))
    if data.startswith(_OLE_MAGIC) and _ENCRYPTED_STREAM in data:
        return [], P.make("file-encrypted")
    try:
        return _worksheets(data, max_rows), None
    except PasswordError:
        return [], P.make("file-encrypted")
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises many types, and a Rust panic arrives as a BaseException
        return [], P.make("file-corrupt", reason=_corrupt_reason(path.suffix, data, exc))


def _worksheets(data: bytes, max_rows: int) -> list[Worksheet]:
    # From bytes, calamine tells the format by content: an .xls renamed .xlsx, or a WPS .et in
    # one of the formats it knows, still opens.
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=max_rows + 1)
            height = max(len(rows), sheet.end[0] + 1 if sheet.end else 0)
            merged = tuple(sheet.merged_cell_ranges or ())
            sheets.append(Worksheet(meta.name, meta.visible == SheetVisibleEnum.Visible, rows, height, merged))
        return sheets
    finally:
        workbook.close()


def _corrupt_reason(suffix: str, data: bytes, exc: BaseException) -> str:
    if suffix.lower() == WPS_SUFFIX:
        return _CORRUPT_WPS
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return _CORRUPT_MARKUP
    return _CORRUPT.format(error=type(exc).__name__)
