"""Every count belongs to the month of the first accepted form that reports it (docs/counting.md,
rules 4, 5 and 8): a piece sent on 3-07 but first listed on April's form counts in April, as 补报;
a piece adopted in February by one outlet and in April by another is adopted once (February) and
has a 条次 in each month; so a unit's months add up to its quarters and to its year. Values worked
out by hand in the comments."""

from __future__ import annotations

import pandas as pd

from pipeline.core import output_labels as OL
from pipeline.scoring import periods
from pipeline.scoring import scoring as S
from pipeline.scoring import year_counts as C
from pipeline.scoring.pieces import gather
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

YEAR = [f"2025-{m:02d}" for m in range(1, 13)]

# A01: 迟 sent 3-07, first listed on April's form (未采用) -> 报送 April, 补报.
#      双 sent and adopted 县级 by X in February (5 points), adopted 市级 by Y in April (10 points):
#      采用数 February only, 条次 February and April, points 5 in February and 10 in April.
#      晚 sent in May, adopted 县级 by Z on 5-28 but reported on June's form: 采用 June, 补报.
RECORDS = [
    row("A01", "双", "2025-02", level="县级", outlet="X"),
    row("A01", "迟", "2025-04", sent="2025-03-07"),
    row("A01", "双", "2025-04", sent="2025-02-02", level="市级", outlet="Y"),
    row("A01", "晚", "2025-05"),
    row("A01", "晚", "2025-06", sent="2025-05-02", level="县级", outlet="Z", adopted="2025-05-28"),
]
ROWS = rows_frame(RECORDS)
PLAN = make_plan()


def month_figures(month: str) -> pd.Series:
    scores = S.score_month(ROWS, all_returned(YEAR), YEAR, PLAN, month)
    return scores.units.set_index("单位代码").loc["A01"]


def test_a_piece_sent_in_march_first_listed_in_april_counts_in_april():
    march, april = month_figures("2025-03"), month_figures("2025-04")
    assert march[OL.SENT_MONTH] == 0
    # April: 迟 is new; 双 was counted in February
    assert april[OL.SENT_MONTH] == 1
    assert april[OL.SENT_YTD] == 2  # 双 (February) and 迟 (April); 晚 is May's
    assert month_figures("2025-02")[OL.SENT_MONTH] == 1


def test_a_piece_adopted_by_two_outlets_in_two_months_is_adopted_once_with_a_条次_in_each():
    february, april = month_figures("2025-02"), month_figures("2025-04")
    assert (february[OL.ADOPTED_MONTH], february[OL.ADOPTIONS_MONTH], february[OL.POINTS_MONTH]) == (1, 1, 5.0)
    assert (april[OL.ADOPTED_MONTH], april[OL.ADOPTIONS_MONTH], april[OL.POINTS_MONTH]) == (0, 1, 10.0)
    assert april[OL.ADOPTED_YTD] == 1


def test_an_adoption_dated_in_may_reported_in_june_counts_in_june():
    may, june = month_figures("2025-05"), month_figures("2025-06")
    assert (may[OL.ADOPTED_MONTH], may[OL.ADOPTIONS_MONTH], may[OL.POINTS_MONTH]) == (0, 0, 0.0)
    assert (june[OL.ADOPTED_MONTH], june[OL.ADOPTIONS_MONTH], june[OL.POINTS_MONTH]) == (1, 1, 5.0)


def test_rows_dated_before_their_form_are_marked_补报_and_kept():
    pieces = gather(ROWS, PLAN, "2025-06")
    april = S.late_rows(pieces, "2025-04")
    # row 1 of April: 迟, first listed, sent in March -> 报送; row 2: 双 again (not its first
    # listing, its adoption dated in April) -> nothing
    assert april.to_dict() == {1: OL.LATE_SENT, 2: ""}
    assert S.late_rows(pieces, "2025-06").to_dict() == {1: OL.LATE_ADOPTED}
    assert S.late_rows(pieces, "2025-05").to_dict() == {1: ""}


def test_a_units_months_add_up_to_its_quarters_and_its_year():
    months = [month_figures(m) for m in YEAR]
    december = months[-1]
    # 报送: 双, 迟, 晚 = 3; 采用: 双, 晚 = 2; 条次: X, Y, Z = 3; 得分: 5 + 10 + 5 = 20
    assert (december[OL.SENT_YTD], december[OL.ADOPTED_YTD], december[OL.POINTS_YTD]) == (3, 2, 20.0)
    assert sum(m[OL.SENT_MONTH] for m in months) == 3
    assert sum(m[OL.ADOPTED_MONTH] for m in months) == 2
    assert sum(m[OL.ADOPTIONS_MONTH] for m in months) == 3
    assert sum(m[OL.POINTS_MONTH] for m in months) == 20.0
    quarters = [
        periods.figures(ROWS, all_returned(YEAR), YEAR, PLAN, periods.quarter(f"2025-Q{q}")) for q in range(1, 5)
    ]
    a01 = [q.period_units.loc["A01"] for q in quarters]
    assert [q[periods.SENT] for q in a01] == [1, 2, 0, 0]
    assert [q[periods.ADOPTED] for q in a01] == [1, 1, 0, 0]
    assert [q[periods.ADOPTIONS] for q in a01] == [1, 2, 0, 0]
    assert [q[periods.POINTS] for q in a01] == [5.0, 15.0, 0.0, 0.0]
    assert [q.totals.sent for q in quarters] == [1, 2, 0, 0]
    year = C.year_totals(gather(ROWS, PLAN, "2025-12"), 2025)
    assert (year.sent, year.adopted, year.adoptions) == (3, 2, 3)
    assert year.by_month[OL.YEAR_SENT].sum() == 3
    assert year.by_month[OL.YEAR_ADOPTED].sum() == 2


def test_采用率_is_the_share_of_the_periods_pieces_adopted_by_its_end():
    # Q2: 迟 and 晚 sent (双 was Q1's); 晚 adopted by June's end: 1 of 2 = 50 %. 采用数 of Q2 is 1
    # (晚) too, but in Q1 a piece sent in January and adopted in Q2 would have made it exceed 100 %.
    q2 = periods.figures(ROWS, all_returned(YEAR), YEAR, PLAN, periods.quarter("2025-Q2"))
    assert (q2.totals.sent, q2.totals.adopted_of_sent, q2.totals.rate) == (2, 1, 0.5)
    # April alone: 迟 sent and not adopted; 双's April adoption does not count towards April's rate
    april = periods.figures(ROWS, all_returned(YEAR), YEAR, PLAN, periods.single_month("2025-04"))
    assert (april.totals.sent, april.totals.adopted, april.totals.adopted_of_sent) == (1, 0, 0)
    assert april.totals.rate == 0.0
