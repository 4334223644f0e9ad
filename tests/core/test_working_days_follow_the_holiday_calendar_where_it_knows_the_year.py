"""Working days: China's holidays and 调休 days where chinese-calendar has the year, weekends alone
(and said so) where it has not."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from pipeline.core import workdays


def test_a_national_day_holiday_is_not_a_working_day_and_a_worked_weekend_day_is():
    assert workdays.is_working_day(dt.date(2025, 10, 1)) == (False, True)
    assert workdays.is_working_day(dt.date(2025, 9, 28)) == (True, True)  # a Sunday worked (调休)


def test_a_year_past_the_calendar_skips_weekends_only_and_says_so():
    after = max(chinese_calendar.holidays).year + 1
    monday = dt.date(after, 1, 1) + dt.timedelta(days=(7 - dt.date(after, 1, 1).weekday()) % 7)
    assert workdays.is_working_day(monday) == (True, False)
    assert workdays.is_working_day(monday + dt.timedelta(days=5)) == (False, False)  # a Saturday
    assert workdays.add_working_days(monday, 5) == (monday + dt.timedelta(days=7), False)


def test_the_known_years_are_those_chinese_calendar_accepts():
    first, last = workdays._KNOWN_YEARS
    chinese_calendar.is_workday(dt.date(first, 6, 1))
    chinese_calendar.is_workday(dt.date(last, 6, 1))
    for outside in (first - 1, last + 1):
        with pytest.raises(NotImplementedError):  # the library's answer for a year it has no table for
            chinese_calendar.is_workday(dt.date(outside, 6, 1))
