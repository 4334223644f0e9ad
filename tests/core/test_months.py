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


def test_a_month_is_named_and_taken_apart_the_same_way():
    assert months.month_key(2025, 3) == "2025-03"
    assert (months.year_of("2025-03"), months.month_number("2025-11")) == (2025, 11)
    assert months.months_of(2025)[0] == "2025-01" and months.months_of(2025)[-1] == "2025-12"
    assert months.months_of(2025, through=2) == ["2025-01", "2025-02"]
    assert months.chinese_month("2025-03") == "3月"


def test_the_year_to_date_starts_after_december_of_the_year_before():
    assert months.year_start("2025-01") == "2024-12"
    assert months.year_start("2025-12") == "2024-12"


@pytest.mark.parametrize(("number", "quarter", "ends"), [(1, 1, False), (3, 1, True), (4, 2, False), (12, 4, True)])
def test_quarter_of_a_month(number, quarter, ends):
    assert months.quarter_of(number) == quarter
    assert months.is_quarter_end(number) is ends


def test_behind_schedule_is_below_the_even_pace_of_the_year():
    # 3 of 12 by March is exactly on pace; one short is behind, whole numbers compare exactly
    assert not months.is_behind_schedule(3, 3, goal=12)
    assert months.is_behind_schedule(2, 3, goal=12)
    assert months.is_behind_schedule(0.2, 3) and not months.is_behind_schedule(0.25, 3)
