"""A quarter's circular compares with the quarter before as that quarter's circular counted it:
the totals are kept in the ledger when counted, taken from there by the next circular, and
counted again once one of their months is replaced."""

from __future__ import annotations

import dataclasses

from pipeline.ledger import Ledger
from pipeline.scoring import kept_totals, periods, scheme_month
from tests.documents.test_circular import MONTHS, PLAN, Q1, Q2, RETURNS, ROWS
from tests.test_ledger import frame, make_row, run


def _q1_counted() -> periods.Totals:
    return periods.totals(scheme_month.gather(ROWS, PLAN, Q1.until), Q1, PLAN)


def _plan(tmp_path):
    source = tmp_path / "plan-2025.xlsx"
    source.write_bytes(b"the plan's bytes")
    return dataclasses.replace(PLAN, source=source)


def test_the_totals_a_keeper_gives_are_the_ones_a_circular_states():
    asked: list[str] = []

    def keep(period, count):
        asked.append(period.name)
        return dataclasses.replace(count(), sent=99) if period == Q1 else count()

    figures = periods.figures(ROWS, RETURNS, MONTHS, PLAN, Q2, keep=keep)
    plain = periods.figures(ROWS, RETURNS, MONTHS, PLAN, Q2)
    assert asked == ["2025年第二季度", "2025年第一季度"]  # its own, then the quarter before
    assert figures.previous == dataclasses.replace(plain.previous, sent=99)
    assert figures.totals == plain.totals and plain.previous == _q1_counted()


def test_totals_counted_once_are_kept_and_taken_from_the_ledger_next_time(tmp_path):
    plan = _plan(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite") as store:
        keep = kept_totals.keeper(store, plan)
        counted = []
        first = keep(Q1, lambda: counted.append(1) or _q1_counted())
        again = kept_totals.keeper(store, plan)(Q1, lambda: counted.append(2) or _q1_counted())
    assert first == again == _q1_counted() and counted == [1]
    assert first.by_level == _q1_counted().by_level and isinstance(again.by_level, dict)


def test_kept_totals_are_counted_again_after_a_month_of_theirs_is_replaced_or_the_plan_changes(tmp_path):
    plan = _plan(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite") as store:
        kept_totals.keeper(store, plan)(Q1, _q1_counted)
        changed = dataclasses.replace(_q1_counted(), sent=1)
        plan.source.write_bytes(b"another plan")
        assert kept_totals.keeper(store, plan)(Q1, lambda: changed) == changed
        store.replace_month("2025-02", frame(make_row(1, month="2025-02")), [], [], run())
        recounted = dataclasses.replace(_q1_counted(), sent=2)
        assert kept_totals.keeper(store, plan)(Q1, lambda: recounted) == recounted
        # a later month replaced leaves them be
        store.replace_month("2025-04", frame(make_row(1, month="2025-04")), [], [], run())
        assert kept_totals.keeper(store, plan)(Q1, _q1_counted) == recounted


def test_a_period_of_the_year_before_is_taken_as_its_own_years_circular_kept_it(tmp_path):
    # 2025's Q1 kept by 2025's circular under 2025's plan; 2026's circulars and page compare
    # with it (the same quarter last year) without counting 2025 again.
    plan = _plan(tmp_path)
    next_source = tmp_path / "plan-2026.xlsx"
    next_source.write_bytes(b"next year's plan")
    next_year = dataclasses.replace(PLAN, year=2026, source=next_source)
    with Ledger(tmp_path / "ledger.sqlite") as store:
        kept_totals.keeper(store, plan)(Q1, _q1_counted)
        counted = []
        again = kept_totals.keeper(store, next_year)(Q1, lambda: counted.append(1) or _q1_counted())
        assert again == _q1_counted() and counted == []
        # that year's plan changed since: counted again, and kept for this year's plan
        plan.source.write_bytes(b"2025's plan edited")
        recounted = dataclasses.replace(_q1_counted(), sent=3)
        assert kept_totals.keeper(store, next_year)(Q1, lambda: recounted) == recounted
        assert kept_totals.keeper(store, next_year)(Q1, _q1_counted) == recounted
