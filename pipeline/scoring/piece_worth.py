"""What a piece is worth: its points as of a month under 多级采用计分 and its leader-instruction
bonus (point 5 of the counting definitions in `pipeline.scoring.scoring`'s docstring), and what
it gained in a period, as the difference of two "as of" values.

Pure functions over `pipeline.scoring.pieces.Pieces`; each figure is summed by the pieces'
positions in the table (integers), not by their names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core.months import previous_month, year_start
from pipeline.plan.plan import Plan
from pipeline.plan.rules import MultiLevel
from pipeline.scoring.pieces import (
    ADOPT,
    ADOPTED_IN,
    BONUS,
    INSTRUCTION_RANKS,
    LEVEL_RANK,
    OUTLET,
    PIECE,
    REWARD,
    SENT_IN,
    VALUE,
    Pieces,
)


def counting_adoptions(adoptions: pd.DataFrame, rule: MultiLevel, until: str) -> pd.DataFrame:
    """The adoptions reported up to `until` that count under 多级采用计分.

    累计: all; 最高级: the one with the highest 分值 (ties: earliest 采用日期, then outlet);
    最高两级: at each of the two highest levels, the one with the highest 分值 (same ties).
    """
    held = adoptions[adoptions[ADOPTED_IN] <= until]
    if rule is MultiLevel.CUMULATIVE:
        return held
    if rule is MultiLevel.HIGHEST:
        best = held.sort_values(
            [PIECE, VALUE, L.ADOPT_DATE, OUTLET], ascending=[True, False, True, True], kind="stable"
        )
        return best.drop_duplicates(PIECE, keep="first")
    best = held.sort_values(
        [PIECE, LEVEL_RANK, VALUE, L.ADOPT_DATE, OUTLET], ascending=[True, False, False, True, True], kind="stable"
    )
    return best.drop_duplicates([PIECE, LEVEL_RANK], keep="first").groupby(PIECE, sort=False).head(2)


def instruction_bonus(pieces: Pieces, plan: Plan, until: str) -> pd.Series:
    """Each piece's bonus for the highest 领导批示 on its rows of months up to `until`, once,
    indexed like `pieces.table`."""
    ranks = pieces.memo("instruction ranks", lambda: _instruction_ranks(pieces))
    # Most rows carry no instruction: only the others are grouped (a province's year is a
    # million rows, a few percent of them instructed).
    held = ranks[ranks[L.MONTH] <= until]
    bonus = np.array([plan.bonus_of(level) for level in L.INSTRUCTION_LEVELS], dtype=float)
    index = pieces.table.index
    chosen = np.zeros(len(index), dtype=int)  # each piece's highest rank, by its position
    np.maximum.at(chosen, held["place"].to_numpy(), held["rank"].to_numpy())
    listed = (pieces.table[SENT_IN] <= until).to_numpy()  # a piece with no row yet has no bonus
    return pd.Series(np.where(listed, bonus[chosen], 0.0), index=index, dtype=float)


def _instruction_ranks(pieces: Pieces) -> pd.DataFrame:
    """The rows ranked above no instruction: 月份, rank and place (the piece's position in the
    table)."""
    rows = pieces.rows
    rank = rows[L.INSTRUCTION].map(INSTRUCTION_RANKS).fillna(0).astype(int)
    ranked = (rank > 0).to_numpy()
    return pd.DataFrame(
        {
            L.MONTH: rows[L.MONTH].to_numpy()[ranked],
            "rank": rank.to_numpy()[ranked],
            "place": pieces.table.index.get_indexer(rows[PIECE].to_numpy()[ranked]),
        }
    )


def piece_values(pieces: Pieces, plan: Plan, until: str) -> pd.DataFrame:
    """What each piece is worth as of the end of `until`.

    Returns:
        A frame indexed by PIECE (every piece) with ADOPT (adoption points), BONUS (instruction
        bonus) and REWARD (奖励金额 of the counting adoptions).
    """
    counted = counting_adoptions(pieces.adoptions, plan.rules.multi_level, until)
    index = pieces.table.index
    # Summed by the pieces' positions (integers), each in the table's order at once, not
    # grouped by piece names (a province's year is hundreds of thousands of adoptions).
    places = pieces.adoption_places[counted.index.to_numpy()]
    sums = counted[[VALUE, REWARD]].set_axis(places).groupby(level=0, sort=False).sum()
    values = pd.DataFrame(
        {
            ADOPT: _placed(sums[VALUE], len(index)),
            BONUS: instruction_bonus(pieces, plan, until).to_numpy(),
            REWARD: _placed(sums[REWARD], len(index)),
        },
        index=index,
    )
    return values.astype(float)


def _placed(sums: pd.Series, size: int) -> np.ndarray:
    """Sums by position put at their positions among `size`, 0.0 elsewhere."""
    placed = np.zeros(size, dtype=float)
    placed[sums.index.to_numpy()] = sums.fillna(0.0).to_numpy(dtype=float)
    return placed


def period_values(pieces: Pieces, plan: Plan, after: str, until: str) -> pd.DataFrame:
    """What each piece gained in the period (after, until]: ADOPT, BONUS and REWARD."""
    return piece_values(pieces, plan, until) - piece_values(pieces, plan, after)


@dataclass(frozen=True)
class Gains:
    """What each piece gained (ADOPT, BONUS, REWARD) in the month and in the year to date, and
    what it was worth at the ends of those periods (money is shared out as of each end).

    Attributes:
        month: the gains of the month.
        ytd: the gains of the year to date.
        now: the values as of the month's end.
        before: the values as of the previous month's end.
        start: the values as of the end of the previous year.
    """

    month: pd.DataFrame
    ytd: pd.DataFrame
    now: pd.DataFrame
    before: pd.DataFrame
    start: pd.DataFrame


def gains(pieces: Pieces, plan: Plan, month: str) -> Gains:
    """The pieces' gains of `month` and of its year to date."""
    now = piece_values(pieces, plan, month)
    before = piece_values(pieces, plan, previous_month(month))
    start = before if previous_month(month) == year_start(month) else piece_values(pieces, plan, year_start(month))
    return Gains(month=now - before, ytd=now - start, now=now, before=before, start=start)


def piece_points(values: pd.DataFrame) -> pd.Series:
    """A piece's points: its adoption points plus its bonus."""
    return values[ADOPT] + values[BONUS]
