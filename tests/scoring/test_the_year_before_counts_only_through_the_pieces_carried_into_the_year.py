"""A month is scored from `Ledger.year_rows`: the year, and of the year before only the pieces
carried into it. Every figure is the one the whole year before gives (its other pieces count
for nothing this year), and the circular's comparisons with the year before count that year
from its own rows."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.ledger import history_of
from pipeline.scoring import periods
from pipeline.scoring import scoring as S
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

BEFORE = ("2024-01", "2024-02", "2024-03", "2024-10", "2024-12")
THIS_YEAR = ("2025-01", "2025-02", "2025-03")
CODES = ("A01", "A02", "A03", "N01")
AUTHORS = ("张三", "李四、王五", "王五、张三", "赵六", "钱七、李四")


def two_years(seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    records = []
    for month in (*BEFORE, *THIS_YEAR):
        for _ in range(rng.randint(3, 12)):
            unit = rng.choice(CODES)
            others = [c for c in CODES if c != unit]
            records.append(
                row(
                    unit,
                    f"稿件{rng.randint(0, 14)}",
                    month,
                    authors=rng.choice(AUTHORS),
                    instruction=rng.choice([L.NO_INSTRUCTION] * 5 + list(L.LEVELS)),
                    co_units=rng.choice(["", "", "", rng.choice(others)]),
                    level=rng.choice(["", "", *L.LEVELS]),
                    outlet=rng.choice(["", "《甲》", "《乙》"]),
                )
            )
    return rows_frame(records)


def _without_idle_persons(persons: pd.DataFrame) -> pd.DataFrame:
    """个人统计 less the authors of the year before's other pieces: nothing this year."""
    figures = persons[[OL.POINTS_MONTH, OL.POINTS_YTD, OL.REWARD_MONTH, OL.REWARD_YTD]]
    return persons[(figures != 0).any(axis=1)].reset_index(drop=True)


@pytest.mark.parametrize("seed", range(25))
def test_a_month_scored_from_the_pieces_carried_over_has_the_figures_of_the_whole_year_before(seed):
    rows, plan = two_years(seed), make_plan()
    for month in THIS_YEAR:
        through = rows[rows[L.MONTH] <= month].reset_index(drop=True)
        held = history_of(through, 2025)
        assert len(held) < len(through)  # the year before's other pieces are left out
        returns, processed = all_returned(list(THIS_YEAR)), list(THIS_YEAR)
        whole = S.score_month(through, returns, processed, plan, month)
        carried = S.score_month(held, returns, processed, plan, month)
        pd.testing.assert_frame_equal(carried.units, whole.units, check_exact=True)
        pd.testing.assert_series_equal(carried.row_points, whole.row_points, check_exact=True)
        pd.testing.assert_series_equal(carried.late_rows, whole.late_rows, check_exact=True)
        pd.testing.assert_frame_equal(carried.missing, whole.missing, check_exact=True)
        pd.testing.assert_frame_equal(
            _without_idle_persons(carried.persons), _without_idle_persons(whole.persons), check_exact=True
        )
        # whoever wrote this year is listed, with nothing or not
        authors = {p for text in held.loc[held[L.MONTH] >= "2025-01", L.AUTHORS] for p in text.split("、")}
        assert {name.strip() for name in authors} <= set(carried.persons["姓名"])


@pytest.mark.parametrize("seed", range(15))
def test_the_circulars_comparisons_with_the_year_before_count_that_year_from_its_own_rows(seed):
    rows, plan = two_years(seed), make_plan()
    months = [*BEFORE, *THIS_YEAR]
    returns = all_returned(list(THIS_YEAR))
    quarter = periods.quarter("2025Q1")
    whole = periods.figures(rows, returns, months, plan, quarter)

    def year_rows(period: periods.Period) -> pd.DataFrame:
        return history_of(rows[rows[L.MONTH] <= period.until].reset_index(drop=True), period.year)

    carried = periods.figures(year_rows(quarter), returns, months, plan, quarter, earlier=year_rows)

    assert carried.year_before == whole.year_before and carried.previous == whole.previous
    assert carried.totals == whole.totals
    pd.testing.assert_frame_equal(carried.period_units, whole.period_units, check_exact=True)
    pd.testing.assert_frame_equal(carried.adoptions, whole.adoptions, check_exact=True)
    pd.testing.assert_frame_equal(carried.instructed, whole.instructed, check_exact=True)
