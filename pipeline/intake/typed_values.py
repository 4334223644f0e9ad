"""Typed values: a cell's text, names, dates and months as people type them into a form.

Intake reads cells as they come (text, numbers, dates, Excel serial numbers) and turns them into
the values the rows frame holds: tidied text (`tidy`, `cell_text`), name lists joined with one
separator (`join_names`), dates (`parse_date`), a 报送月份 (`parse_reported_month`) and the key that
identifies a piece (`piece_key`). Nothing here knows about files or the layout of a form.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from pipeline.core import labels as L
from pipeline.core.months import month_number, year_of
from pipeline.core.text import clean_text, fold, is_blank
from pipeline.files.sheets import text

EXCEL_EPOCH = dt.date(1899, 12, 30)

# Excel serial numbers taken as dates: 1950-01-01 .. 2099-12-31; other numbers are not dates people mean.
_SERIAL_RANGE = (18264, 73050)
_YEARS = (1900, 2199)

_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0
    for first, last in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(first, last + 1)
}
_NAME_SEPARATORS = re.compile(r"[、､,，;；/／\s]+")

# Date and month patterns, matched against folded text (NFKC, no spaces).
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})[日号]?")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})(?:月份?)?")
_COMPACT_MONTH = re.compile(r"(\d{4})(\d{2})")
_MONTH_ONLY = re.compile(r"(\d{1,2})月份?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def piece_key(title: str) -> str:
    """The key that identifies a piece within its unit: its title folded (NFKC), without any
    space, lower-cased."""
    return fold(title).lower()


def parse_date(value: Any, month: str) -> dt.date | None:
    """A date as people type it into a form.

    Args:
        value: a cell value: a date, an Excel serial number, or text such as 2025-03-05, 2025/3/5,
            2025.3.5, 2025年3月5日, 20250305, or a month and day only (3月5日, 3.5, 3-5).
        month: the form's 报送月份 "YYYY-MM". A month and day takes its year, or the year before
            when that month lies more than half a year later (a December piece on a January form).

    Returns:
        The date, or None when the value is blank or not a date (years outside 1900-2199 are
        typing slips, and could not be held by the rows frame's datetime64[ns] columns).
    """
    day = _any_date(value, month)
    return day if day is not None and _YEARS[0] <= day.year <= _YEARS[1] else None


def parse_reported_month(value: Any, expected: str) -> str | None:
    """A 报送月份 as people type it: 2025-03, 2025.3, 2025年3月, 2025/03, 202503, 3月, a date, or an
    Excel serial number.

    Args:
        value: the header cell's value.
        expected: the month being processed, "YYYY-MM": it gives the year of "3月", and settles
            2025.1 typed into a number cell (Excel keeps 2025.10 as 2025.1).

    Returns:
        "YYYY-MM", or None when the value is blank or not a month.
    """
    if isinstance(value, dt.date):
        return _month(value.year, value.month)
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return _month_from_number(value, expected)
    if not isinstance(value, str):
        return None
    folded = fold(value)
    if match := _YEAR_MONTH.fullmatch(folded) or _COMPACT_MONTH.fullmatch(folded):
        return _month(int(match[1]), int(match[2]))
    if match := _MONTH_ONLY.fullmatch(folded):
        return _month(year_of(expected), int(match[1]))
    day = _date_from_text(folded, expected)
    return _month(day.year, day.month) if day else None


# --- text ----------------------------------------------------------------------------------------


def cell_text(value: Any) -> tuple[str, bool]:
    """A cell as the rows frame holds its text, and whether control characters were removed."""
    if not isinstance(value, str):
        return text(value), False
    return _text_cell_text(value)


@functools.lru_cache(maxsize=1 << 16)  # the same texts (dates, names, outlets) fill most cells
def _text_cell_text(value: str) -> tuple[str, bool]:
    legal = clean_text(value)
    return tidy(legal), legal != value


def tidy(value: str) -> str:
    """Zero-width characters dropped, spaces (full-width and non-breaking too) trimmed and inner
    runs folded to one, full-width letters and digits folded to ASCII. Chinese punctuation is
    kept as typed: it is part of titles and outlets people read."""
    value = _ZERO_WIDTH.sub("", value).translate(_FULL_WIDTH_ALNUM)
    return _SPACES.sub(" ", value).strip()


def join_names(value: str) -> str:
    """A list of names (作者, 合作单位) typed with any separator, joined with the rows frame's one."""
    return L.LIST_SEPARATOR.join(part for part in _NAME_SEPARATORS.split(value) if part)


def header_text(value: Any) -> str:
    """A header block value as the file record holds it."""
    return tidy(clean_text(value)) if isinstance(value, str) else text(value)


# --- dates and months ----------------------------------------------------------------------------


def _any_date(value: Any, month: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or is_blank(value):
        return None
    if isinstance(value, (int, float)):
        return _date_from_number(value, month)
    if isinstance(value, str):
        return _date_from_text(fold(value), month)
    return None


def _date_from_text(folded: str, month: str) -> dt.date | None:
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        if match := pattern.fullmatch(folded):
            return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_DAY.fullmatch(folded):
        return _month_day(int(match[1]), int(match[2]), month)
    if _NUMBER.fullmatch(folded):
        return _date_from_number(float(folded), month)
    return None


def _date_from_number(number: float, month: str) -> dt.date | None:
    """A date typed as a number: 20250305, an Excel serial number, or 3.5 (month.day)."""
    whole = float(number).is_integer()
    if whole and 19000101 <= number <= 21001231:
        value = int(number)
        return _date(value // 10000, value // 100 % 100, value % 100)
    if _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(number))
    if 0 < number < 13 and not whole:
        month_no, day = str(float(number)).split(".")
        return _month_day(int(month_no), int(day), month)
    return None


def _month_day(month_no: int, day: int, month: str) -> dt.date | None:
    year, form_month = year_of(month), month_number(month)
    return _date(year - 1 if month_no - form_month > 6 else year, month_no, day)


def _date(year: int, month_no: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month_no, day)
    except ValueError:
        return None


def _month_from_number(number: float, expected: str) -> str | None:
    """A month typed as a number: 2025.3 (year.month), 202503, or an Excel serial number."""
    if 1900 <= number < 2200 and not float(number).is_integer():
        year, _, decimals = str(float(number)).partition(".")
        # A number cell turns 2025.10 into 2025.1: both months are candidates.
        candidates = [_month(int(year), int(decimals)), _month(int(year), int(decimals) * 10)]
        valid = [c for c in candidates if c]
        return expected if expected in valid else (valid[0] if valid else None)
    if float(number).is_integer() and 190001 <= number <= 219912:
        return _month(int(number) // 100, int(number) % 100)
    day = _date_from_number(number, expected)
    return _month(day.year, day.month) if day else None


def _month(year: int, month_no: int) -> str | None:
    return f"{year:04d}-{month_no:02d}" if 1 <= month_no <= 12 else None
