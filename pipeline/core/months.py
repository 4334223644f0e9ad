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


def month_key(year: int, number: int) -> str:
    """(2025, 3) → "2025-03", the name the pipeline gives a month."""
    return f"{year}-{number:02d}"


def year_of(month: str) -> int:
    """2025 of "2025-03"."""
    return int(month[:4])


def month_number(month: str) -> int:
    """m of a "YYYY-MM" month (1..12)."""
    return int(month[5:7])


def months_of(year: int, through: int = 12) -> list[str]:
    """The months of a year from January through month number `through`."""
    return [month_key(year, number) for number in range(1, through + 1)]


def year_start(month: str) -> str:
    """The month the year to date of `month` starts after: December of the previous year."""
    return month_key(year_of(month) - 1, 12)


def quarter_of(number: int) -> int:
    """The quarter (1..4) a month number (1..12) falls in."""
    return (number + 2) // 3


def is_quarter_end(number: int) -> bool:
    """Whether a month number (3, 6, 9, 12) closes a quarter."""
    return number % 3 == 0


def is_behind_schedule(done, number: int, goal=1):
    """Whether `done` of `goal` by the end of month `number` is behind the even pace of a year
    (done / goal < number / 12). Compared as done × 12 < number × goal so that whole numbers
    compare exactly; works on numbers and on pandas Series alike."""
    return done * 12 < number * goal


def chinese_month(month: str) -> str:
    """3月 for "2025-03", as the documents name a month of the year."""
    return f"{month_number(month)}月"


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
