"""Months as the pipeline names them ("YYYY-MM"), their bounds, neighbours and deadlines, and
dates as official Chinese documents write them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from pipeline.core.errors import PipelineError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BadMonth(PipelineError):
    """月份“{value}”格式不对，应为 YYYY-MM，例如 2025-03。"""

    exit_code = 2


def parse_month(month: str) -> tuple[int, int]:
    """("2025-03") → (2025, 3); raises BadMonth for anything else."""
    found = _MONTH.match(str(month).strip())
    if not found:
        raise BadMonth(value=month)
    return int(found[1]), int(found[2])


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of a "YYYY-MM" month."""
    year, mon = parse_month(month)
    return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])


def next_month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year + 1}-01" if mon == 12 else f"{year}-{mon + 1:02d}"


def previous_month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year - 1}-12" if mon == 1 else f"{year}-{mon - 1:02d}"


def deadline(month: str, deadline_day: int) -> dt.date:
    """The day a month's forms are due: day `deadline_day` (考核规则 报送截止日, 1..28) of the
    following month."""
    year, mon = parse_month(next_month(month))
    return dt.date(year, mon, deadline_day)


def chinese_date(day: dt.date) -> str:
    """2025年4月5日: Arabic numerals without padding, as official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
