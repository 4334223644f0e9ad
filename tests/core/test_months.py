"""Months, deadlines and Chinese dates."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core import months


def test_bounds_of_february_in_a_leap_year_and_december():
    assert months.month_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert months.month_bounds("2025-12") == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))


def test_neighbours_across_the_year_boundary():
    assert months.next_month("2025-12") == "2026-01"
    assert months.previous_month("2026-01") == "2025-12"
    assert months.next_month("2025-03") == "2025-04"


def test_deadline_is_in_the_following_month():
    assert months.deadline("2025-03", 5) == dt.date(2025, 4, 5)
    assert months.deadline("2025-12", 10) == dt.date(2026, 1, 10)


def test_chinese_date_has_no_padding():
    assert months.chinese_date(dt.date(2025, 4, 3)) == "2025年4月3日"


@pytest.mark.parametrize("bad", ["2025-3", "2025-13", "25-03", "2025/03", "", "2025-03-01"])
def test_bad_months_are_refused(bad):
    with pytest.raises(months.BadMonth) as info:
        months.parse_month(bad)
    assert info.value.exit_code == 2
