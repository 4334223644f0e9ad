"""The one writer of worksheet XML by hand: rows and cells exactly as openpyxl writes them.

Big tables, receipts and the month's forms are written from a sample openpyxl saved once, with
their rows as XML (openpyxl spends 50–100 µs on each styled cell, this a few µs). Everything they
write takes its style ids from the sample's cells, found with the patterns here, and its cells'
XML from `cell`, so every hand-written part reads as openpyxl would have written it (texts as
UTF-8 where openpyxl writes characters outside ASCII as character references; tests/xlsx/test_cells.py).
"""

from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape

from openpyxl.compat import safe_string
from openpyxl.utils.datetime import to_excel

ROW = re.compile(r'<row r="(\d+)"[^>]*>.*?</row>', re.S)  # a whole row of a saved sheet
ROW_OPEN = re.compile(r"<row [^>]*>")
CELL_STYLE = re.compile(r'<c r="[A-Z]+\d+" s="(\d+)"')  # a cell's style id
COLUMN_STYLE = re.compile(r'<c r="([A-Z]+)\d+" s="(\d+)"')  # a cell's column letters and style id
_HEIGHT = re.compile(r' ht="[\d.]+"')
_ROW_NUMBER = re.compile(r'<row r="\d+"')
_CELL_ROW = re.compile(r'(<c r="[A-Z]+)\d+"')


def rows(sheet: str) -> dict[int, re.Match[str]]:
    """A saved sheet's rows by number."""
    return {int(m[1]): m for m in ROW.finditer(sheet)}


def number(value: float) -> str:
    """A number as openpyxl writes it."""
    return safe_string(value)


def is_date(value: object) -> bool:
    """Whether a cell value is written as an Excel date serial (and takes a date's style)."""
    return isinstance(value, dt.date)


def space(text: str) -> str:
    """The attribute that keeps a text's leading or trailing spaces."""
    return ' xml:space="preserve"' if text != text.strip() else ""


def cell(ref: str, style: str | int, value: object) -> str:
    """A cell as openpyxl writes it: `value` a stored value (`xlsx.stored`), texts inline."""
    return f'<c r="{ref}" s="{style}" {value_xml(value)}'


def value_xml(value: object) -> str:
    """A cell's XML after its reference and style: its type and value, as openpyxl writes them."""
    if value is None:
        return 't="n"></c>'
    if isinstance(value, str):
        if not value:
            return 't="inlineStr"></c>'
        return f't="inlineStr"><is><t{space(value)}>{escape(value)}</t></is></c>'
    if is_date(value):
        return f't="n"><v>{number(to_excel(value))}</v></c>'
    if isinstance(value, bool):
        return f't="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f't="n"><v>{number(value)}</v></c>'
    return f't="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row(r: int, height: float, cells: str) -> str:
    """A row of custom height holding `cells`' XML."""
    return f'<row r="{r}" ht="{number(height)}" customHeight="1">{cells}</row>'


def with_height(row_xml: str, height: float) -> str:
    """A row's XML (or its opening tag) with its height set to `height`."""
    return _HEIGHT.sub(f' ht="{number(height)}"', row_xml, count=1)


def renumbered(row_xml: str, r: int) -> str:
    """A row's XML (or its opening tag) moved to row `r`: its own and its cells' references."""
    return _CELL_ROW.sub(rf'\g<1>{r}"', _ROW_NUMBER.sub(f'<row r="{r}"', row_xml, count=1))
