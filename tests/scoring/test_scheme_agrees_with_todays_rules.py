"""Today's rule variants are one corner of the scheme space: a scheme that restates them (no
catalogue, no modifiers, no per-unit rules) gives every unit the year-to-date points the month's
scoring gives it, over generated ledgers of every 多级采用计分 and 合作稿件计分."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings

from pipeline.plan.scheme_model import Scheme, Vocabulary
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scheme_points as SP
from pipeline.scoring import scheme_units as SU
from tests.scoring.test_scoring import ledgers
from tests.scoring_helpers import empty_rows, rows_frame

PROPERTY = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(ledgers())
def test_a_scheme_restating_todays_rules_gives_todays_year_to_date_points(case):
    records, plan, _, _, _ = case
    rows = rows_frame(records) if records else empty_rows()
    pieces = PC.gather(rows, plan, "2025-03")
    ytd = PW.period_values(pieces, plan, "2024-12", "2025-03")
    today = PC.credit(PW.piece_points(ytd), pieces.shares(plan.rules.co_written))
    with_scheme = dataclasses.replace(plan, scheme=Scheme(Vocabulary()))
    result = SP.score_year(rows, with_scheme, "2025-03")
    for code in plan.assessed:
        assert result.units.at[code, SU.U_PIECES] == pytest.approx(float(today.get(code, 0.0)), abs=1e-9)
    assert result.problems == []
