"""Working days: the deadlines a circular sets are counted in them, skipping weekends and China's
legal holidays, with the 调休 weekend days that are worked counted as working days.

The holidays come from `chinese-calendar`, which knows only the years up to its release (the State
Council publishes a year's holidays in its November). For a later year the weekends alone are
skipped and the caller is told so, to say it in the run's summary.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

# The years chinese-calendar has holiday tables for, as it decides them itself: from the first to
# the last year of its published `holidays`.
_KNOWN_YEARS = (min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(whether `day` is a working day, whether the holiday calendar knows its year)."""
    if not _KNOWN_YEARS[0] <= day.year <= _KNOWN_YEARS[1]:
        return day.weekday() < 5, False
    return bool(chinese_calendar.is_workday(day)), True


def add_working_days(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The `days`-th working day after `start` (start itself not counted), and whether the
    holiday calendar knew every year on the way (False: only weekends were skipped somewhere)."""
    day, counted, known = start, 0, True
    while counted < days:
        day += dt.timedelta(days=1)
        working, knows = is_working_day(day)
        known = known and knows
        counted += working
    return day, known


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)[0]
    return count
