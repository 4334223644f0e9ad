"""看板's short ways to the pieces it names give what the circulars' definitions give, on random
ledgers: `periods.named` is `periods.figures`' adoptions and instructed pieces, and the 领导批示
ranked once by each distinct cell and kept on the pieces rise as the plain per-row ranking says,
whatever periods and ladders are asked in turn, and the 补报 the totals count by dates are those
the dates' month texts count."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.scoring import instructions_risen, periods
from pipeline.scoring import pieces as PC
from tests.scoring.test_fast_paths_agree_with_the_plain_definitions import MONTHS, random_ledger
from tests.scoring_helpers import all_returned, make_plan

PERIODS = [periods.single_month(m) for m in MONTHS[1:]] + [periods.Period(2025, 1, 3), periods.Period(2025, 1, 4)]
SCHEME_LADDER = (L.NO_INSTRUCTION, "市级", "县级", "重要批示")


@pytest.mark.parametrize("seed", range(30))
def test_the_named_pieces_of_a_period_are_the_adoptions_and_instructed_pieces_of_its_figures(seed):
    rows, plan = random_ledger(seed), make_plan()
    for period in PERIODS:
        whole = periods.figures(rows, all_returned(list(MONTHS)), list(MONTHS), plan, period)
        adoptions, instructed = periods.named(rows, plan, period)
        pd.testing.assert_frame_equal(adoptions, whole.adoptions, check_exact=True)
        pd.testing.assert_frame_equal(instructed, whole.instructed, check_exact=True)


def plain_rank(cell: object, ladder: tuple[str, ...]) -> int:
    """A cell's highest level's place on `ladder`, the cell's items taken one by one."""
    if not isinstance(cell, str):
        return 0
    return max(ladder.index(item.strip()) if item.strip() in ladder else 0 for item in cell.split(L.LIST_SEPARATOR))


def plain_new_instructions(rows: pd.DataFrame, period: periods.Period, ladder: tuple[str, ...]) -> dict[str, str]:
    rank = rows[L.INSTRUCTION].map(lambda cell: plain_rank(cell, ladder))
    highest = {}
    for piece in rows[PC.PIECE].unique():
        own = rows[PC.PIECE] == piece
        before = rank[own & (rows[L.MONTH] <= period.after)].max()
        now = rank[own & (rows[L.MONTH] <= period.until)].max()
        if pd.notna(now) and now > (0 if pd.isna(before) else before):
            highest[piece] = ladder[now]
    return highest


@pytest.mark.parametrize("seed", range(30))
def test_instructions_ranked_once_per_pieces_rise_as_each_rows_own_rank_says_for_every_ladder(seed):
    rng = random.Random(seed)
    rows = random_ledger(seed)
    # cells of several items, spaces, levels off the ladder and blank cells, as typed
    cells = [L.NO_INSTRUCTION, "市级", "县级、省级", " 重要批示 、市级", "其他", None, float("nan"), ""]
    rows[L.INSTRUCTION] = [rng.choice(cells) for _ in range(len(rows))]
    pieces = PC.gather(rows, make_plan(), MONTHS[-1])
    # the ladders asked in turn of the same pieces: each keeps its own ranks
    for ladder in (L.INSTRUCTION_LEVELS, SCHEME_LADDER, L.INSTRUCTION_LEVELS):
        for period in PERIODS:
            found = instructions_risen.new_instructions(pieces, period.after, period.until, ladder)
            assert found.to_dict() == plain_new_instructions(pieces.rows, period, ladder)


@pytest.mark.parametrize("dtype", [object, "string"])
def test_a_column_of_instructions_ranks_each_cell_as_it_ranks_alone(dtype):
    cells = pd.Series(["县级、省级", None, "无", " 市级", "批示", "县级、省级", "国家级"] * 3, dtype=dtype, name="x")
    cells.index = cells.index * 7
    ranks = instructions_risen.instruction_ranks(cells, L.INSTRUCTION_LEVELS)
    plain = cells.map(lambda cell: plain_rank(cell if isinstance(cell, str) else None, L.INSTRUCTION_LEVELS))
    pd.testing.assert_series_equal(ranks, plain.astype(int), check_exact=True)


def test_dates_before_a_periods_first_month_are_those_whose_month_text_is_not_after_the_month_before():
    dates = pd.Series(
        pd.to_datetime(
            ["2024-12-31 23:59:59", "2025-01-01", None, "2025-03-31 12:00", "2025-04-01", "2025-02-28", "2023-06-15"],
            format="ISO8601",
        )
    )
    for period in [*PERIODS, periods.Period(2025, 4, 6), periods.single_month("2024-12")]:
        plain = int((PC.month_of(dates) <= period.after).sum())
        assert periods._dated_before(dates, period) == plain
        assert periods._dated_before(dates.iloc[:0], period) == 0


@pytest.mark.parametrize("seed", range(30))
def test_a_periods_totals_count_the_sent_and_late_pieces_as_their_names_and_month_texts_say(seed):
    rows = random_ledger(seed)
    pieces = PC.gather(rows, make_plan(), MONTHS[-1])
    for period in PERIODS:
        totals = periods.totals(pieces, period, make_plan())
        sent = PC.sent_pieces(pieces, period.after, period.until)
        of_sent = sent[(pieces.table[PC.FIRST_ADOPTED_IN].reindex(sent) <= period.until).to_numpy()]
        dated = PC.reported_adoptions(pieces, period.after, period.until)
        assert PC.adopted_of_sent(pieces, period.after, period.until).tolist() == of_sent.tolist()
        assert (totals.sent, totals.adopted_of_sent) == (len(sent), len(of_sent))
        assert totals.late_sent == int((PC.month_of(pieces.table.loc[sent, PC.SENT]) <= period.after).sum())
        assert totals.late_adoptions == int((PC.month_of(dated[L.ADOPT_DATE]) <= period.after).sum())
