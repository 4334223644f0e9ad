"""Behaviours of the existing stages that no other test held: each assertion fails when the
behaviour is broken (values worked out by hand in the comments)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd

from pipeline.core import output_labels as OL
from pipeline.core.records import ACCEPTED, REJECTED
from pipeline.core.text import fold
from pipeline.intake import intake, typed_values
from pipeline.plan.plan import Plan
from pipeline.scoring import scoring as S
from tests.intake_helpers import piece, write_form
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

Q1 = ["2025-01", "2025-02", "2025-03"]


def test_row_points_give_a_repeated_instruction_bonus_to_one_row_only():
    # A01 lists 甲 twice in March, both rows with 领导批示 市级 (+30): 县级 5 by X, 市级 10 by Y.
    # Cumulative: adoption 15 spread 5 / 10 by the rows' values; the bonus 30 once, on the first
    # row: 35 + 10 = 45, the unit's month points. Giving the bonus to both rows would make 75.
    records = [
        row("A01", "甲", "2025-03", level="县级", outlet="X", instruction="市级"),
        row("A01", "甲", "2025-03", level="市级", outlet="Y", instruction="市级"),
    ]
    scores = S.score_month(rows_frame(records), all_returned(Q1), Q1, make_plan(), "2025-03")
    assert scores.row_points.to_dict() == {1: 35.0, 2: 10.0}
    a01 = scores.units[scores.units["单位代码"] == "A01"].iloc[0]
    assert a01[OL.POINTS_MONTH] == scores.row_points.sum() == 45.0


def test_completion_rate_of_a_zero_target_with_pieces_is_nan_not_infinite():
    # A02's targets are 0 sent / 0 adopted, yet it sent and had adopted one piece (3 / 0).
    plan = make_plan(targets={"A02": (0, 0, 0, 0)})
    records = [row("A02", "甲", "2025-03", level="县级")]
    scores = S.score_month(rows_frame(records), all_returned(Q1), Q1, plan, "2025-03")
    a02 = scores.units[scores.units["单位代码"] == "A02"].iloc[0]
    assert (a02[OL.SENT_YTD], a02[OL.ADOPTED_YTD]) == (1, 1)
    for rate in (OL.SUBMIT_RATE, OL.ADOPT_RATE, OL.POINTS_RATE):
        assert math.isnan(a02[rate]), rate
    assert math.isnan(S.completion_rate(pd.Series([3.0]), pd.Series([0.0])).iloc[0])


def test_month_and_day_on_a_january_form_take_the_year_by_the_six_month_rule():
    # On a January form, a month more than six months ahead is last year's: 7 − 1 = 6 is not,
    # so 7月1日 is 2025-07-01 (the checks then flag it as after the month); 8 − 1 = 7 is, so
    # 8月1日 is 2024-08-01.
    assert typed_values._date_from_text(fold("7月1日"), "2025-01") == dt.date(2025, 7, 1)
    assert typed_values._date_from_text(fold("8月1日"), "2025-01") == dt.date(2024, 8, 1)
    assert typed_values._month_day(7, 1, "2025-01") == dt.date(2025, 7, 1)
    assert typed_values._month_day(8, 1, "2025-01") == dt.date(2024, 8, 1)
    # from a December form 6月30日 stays in 2025: the rule never moves a date into the next year
    assert typed_values._month_day(6, 30, "2025-12") == dt.date(2025, 6, 30)


def test_a_form_of_exactly_the_size_limit_is_accepted(tmp_path: Path, plan: Plan) -> None:
    path = tmp_path / "GS01.xlsx"
    write_form(path, [piece()])
    size = path.stat().st_size
    accepted = intake.read_month(tmp_path, plan, "2025-03", max_bytes=size)
    assert [r.fate for r in accepted.files] == [ACCEPTED]
    assert "file-too-large" not in {p.code for p in accepted.problems}
    one_byte_less = intake.read_month(tmp_path, plan, "2025-03", max_bytes=size - 1)
    assert [r.fate for r in one_byte_less.files] == [REJECTED]
    assert [p.code for p in one_byte_less.problems] == ["file-too-large"]
