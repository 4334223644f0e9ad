"""The 领导批示 a circular counts: each piece's highest instruction on the plan's ladder (无 and
the 批示级别, a scheme's own names under a scheme), and the pieces whose highest rose in a
period (`periods.totals`' instructed, `periods.figures`' instructed pieces)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.plan.plan import Plan
from pipeline.scoring import pieces as PC


def instruction_ladder(plan: Plan | None) -> tuple[str, ...]:
    """无 and the 批示级别, lowest first: a scheme's own names when the plan has a scheme."""
    if plan is None or plan.scheme is None:
        return L.INSTRUCTION_LEVELS
    return (L.NO_INSTRUCTION, *plan.scheme.vocabulary.instructions)


def instruction_ranks(cells: pd.Series, ladder: tuple[str, ...]) -> pd.Series:
    """Each 领导批示 cell's highest level's place on `ladder` (a scheme's cell may list several).

    Each distinct cell is ranked once and the ranks taken by the cells' codes: mapping a
    province's million cells through a dict cost a tenth of a second each time."""
    place = {level: i for i, level in enumerate(ladder)}

    def rank(cell: object) -> int:
        items = str(cell).split(L.LIST_SEPARATOR) if isinstance(cell, str) else []
        return max((place.get(item.strip(), 0) for item in items), default=0)

    codes, cells_once = pd.factorize(cells)
    # a missing cell's code is -1: the last place, no instruction
    ranks = np.array([rank(cell) for cell in cells_once] + [0], dtype=int)
    return pd.Series(ranks[codes], index=cells.index, name=cells.name)


def _ranked_instructions(rows: pd.DataFrame, ladder: tuple[str, ...]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The rank, 月份 and PIECE of the rows whose 领导批示 ranks above none on `ladder`: only
    those can raise a piece's level, a few percent of a province's million rows."""
    rank = instruction_ranks(rows[L.INSTRUCTION], ladder)
    ranked = rank > 0
    return rank[ranked], rows.loc[ranked, L.MONTH], rows.loc[ranked, PC.PIECE]


def new_instructions(
    pieces: PC.Pieces, after: str, until: str, ladder: tuple[str, ...] = L.INSTRUCTION_LEVELS
) -> pd.Series:
    """The 领导批示 level of each piece whose highest instruction rose during the period (after, until]."""
    # ranked once per pieces: the page and the circulars count several periods of the same pieces
    rank, months, pieces_of = pieces.memo(
        ("ranked instructions", ladder), lambda: _ranked_instructions(pieces.rows, ladder)
    )
    held = months <= until
    before = rank[months <= after].groupby(pieces_of[months <= after]).max()
    now = rank[held].groupby(pieces_of[held]).max()
    rose = now[now > before.reindex(now.index).fillna(0)]
    return rose.astype(int).map(lambda i: ladder[i])
