"""Persons: who wrote a piece, a person's points, and 奖励金额 shared to the fen.

Pure functions over `pipeline.scoring.pieces` frames, following points 7 and 8 of the counting
definitions in `pipeline.scoring.scoring`'s docstring: persons are (单位代码, 姓名); a unit's share of a
piece's points is split equally among the 作者 on its latest row; rewards go to the reporting
units' authors in reward order, in whole fen by the largest remainder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.plan.rules import RewardSplit
from pipeline.scoring.pieces import PIECE, REPORTERS, SHARE, Pieces, places, split_lists

PERSON_NAME = "姓名"  # a column of 个人统计 and of the frames below
AMOUNT = "amount"
POSITION = "position"  # an author's place on the row (0 for the first author)


def latest_authors(rows: pd.DataFrame, until: str, nodes: np.ndarray | None = None) -> pd.DataFrame:
    """The authors on each unit's latest row of each piece (by 月份, then 来源行号) up to `until`.

    Args:
        rows: rows with PIECE, in ROW_ORDER.
        until: the last month taken into account.
        nodes: `Pieces.nodes` of `rows`, when they are a `Pieces`' rows (the same result, faster).

    Returns:
        PIECE, 单位代码, PERSON_NAME, POSITION (0 for the first author), one row per author.
    """
    if nodes is not None and (fast := _latest_authors_of_nodes(rows, until, nodes)) is not None:
        return fast
    held = rows[rows[L.MONTH] <= until]
    latest = held.groupby([PIECE, L.UNIT_CODE], sort=False).tail(1)
    authors = latest[[PIECE, L.UNIT_CODE]].assign(**{PERSON_NAME: split_lists(latest[L.AUTHORS])})
    authors = authors.explode(PERSON_NAME).dropna(subset=[PERSON_NAME])
    authors = authors.assign(**{POSITION: authors.groupby([PIECE, L.UNIT_CODE], sort=False).cumcount()})
    return authors.sort_values([PIECE, L.UNIT_CODE, POSITION], kind="stable").reset_index(drop=True)


def latest_authors_of(pieces: Pieces, until: str) -> pd.DataFrame:
    """`latest_authors` of the pieces' rows up to `until`, made once per month for the pieces
    (the month's persons, the year's results and a circular ask for the same; callers must not
    change it)."""
    return pieces.memo(("latest authors", until), lambda: latest_authors(pieces.rows, until, pieces.nodes))


def _latest_authors_of_nodes(rows: pd.DataFrame, until: str, nodes: np.ndarray) -> pd.DataFrame | None:
    """`latest_authors`, grouping and ordering by the rows' (piece, unit) ranks (None when there
    is no author: the general way gives the empty frame its dtypes)."""
    held = np.flatnonzero((rows[L.MONTH] <= until).to_numpy())
    last = ~pd.Series(nodes[held]).duplicated(keep="last").to_numpy()
    chosen = held[last]
    names = split_lists(rows[L.AUTHORS].iloc[chosen])
    counts = np.fromiter((len(n) for n in names), dtype=np.int64, count=len(names))
    taken = np.repeat(chosen, counts)
    node = nodes[taken]
    # each row's authors follow each other: an author's position is its place in its row's list
    position = places(counts)
    order = np.lexsort((position, node))
    taken, position = taken[order], position[order]
    flat = [name for row in names for name in row]
    if not flat:
        return None
    return pd.DataFrame(
        {
            PIECE: pd.Series(rows[PIECE].to_numpy()[taken], dtype=rows[PIECE].dtype),
            L.UNIT_CODE: pd.Series(rows[L.UNIT_CODE].to_numpy()[taken], dtype=rows[L.UNIT_CODE].dtype),
            PERSON_NAME: np.array(flat, dtype=object)[order],
            POSITION: position.astype(np.int64),
        }
    )


def person_points(
    points: pd.Series | pd.DataFrame, shares: pd.DataFrame, authors: pd.DataFrame
) -> pd.Series | pd.DataFrame:
    """Each person's points: their unit's share of a piece, split equally among the unit's authors.

    Args:
        points: the pieces' points, indexed by PIECE; a frame shares each of its columns.
        shares: see `pieces.unit_shares`.
        authors: see `latest_authors`.

    Returns:
        Points indexed by (单位代码, 姓名): a series, or a frame with the columns of `points`.
    """
    counts = authors.groupby([PIECE, L.UNIT_CODE], sort=False)[PERSON_NAME].transform("size")
    merged = authors.assign(_n=counts).merge(shares, on=[PIECE, L.UNIT_CODE], how="inner")
    values = points.reindex(merged[PIECE].to_numpy()).fillna(0.0).to_numpy(dtype=float)
    share, count = merged[SHARE].to_numpy(dtype=float), merged["_n"].to_numpy(dtype=float)
    if values.ndim == 2:
        share, count = share[:, None], count[:, None]
    amounts = values * share / count
    keys = [merged[L.UNIT_CODE], merged[PERSON_NAME]]
    if isinstance(points, pd.DataFrame):
        return pd.DataFrame(amounts, columns=points.columns, index=merged.index).groupby(keys).sum()
    return pd.Series(amounts, index=merged.index, name=AMOUNT).groupby(keys).sum()


def reward_recipients(table: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """A piece's authors across its reporting units, first unit's first, in reward order.

    Returns:
        PIECE, 单位代码, PERSON_NAME, sorted by piece, then reward order.
    """
    reporters = table[REPORTERS].to_numpy()
    counts = np.fromiter((len(r) for r in reporters), dtype=np.int64, count=len(reporters))
    # (piece's position, unit) of every reporting unit, and its place in the piece's reward order
    piece_of = np.repeat(np.arange(len(reporters)), counts)
    place = places(counts)
    units = np.array([code for r in reporters for code in r], dtype=object)
    author_piece = table.index.get_indexer(authors[PIECE])
    codes, _ = pd.factorize(np.concatenate([units, authors[L.UNIT_CODE].to_numpy(dtype=object)]))
    width = int(codes.max()) + 1 if len(codes) else 1
    reporting = pd.Index(piece_of * width + codes[: len(units)])
    found = reporting.get_indexer(author_piece.astype(np.int64) * width + codes[len(units) :])
    kept = np.flatnonzero((found >= 0) & (author_piece >= 0))  # authors of no reporting unit: none
    # by piece name: the table's order when it is sorted, as `gather` makes it
    index = table.index
    rank = np.arange(len(index)) if index.is_monotonic_increasing else np.argsort(np.argsort(index, kind="stable"))
    keys = (authors[POSITION].to_numpy()[kept], place[found[kept]], rank[author_piece[kept]])
    order = kept[np.lexsort(keys)]
    return authors[[PIECE, L.UNIT_CODE, PERSON_NAME]].iloc[order].reset_index(drop=True)


def person_rewards(rewards: pd.DataFrame, recipients: pd.DataFrame, rule: RewardSplit) -> pd.DataFrame:
    """Each person's share of the pieces' 奖励金额 under 奖励分配, to the fen: 均分 splits a
    piece's amount among its recipients by the largest remainder (100 among three: 33.34, 33.33,
    33.33, the extra fen to the recipients first in reward order), 第一作者 gives it all to the
    first.

    A piece's amount is paid out exactly, so the persons' amounts add up to the pieces'.

    Args:
        rewards: the pieces' 奖励金额 indexed by PIECE, one column per day they are taken as of.
        recipients: see `reward_recipients`.
        rule: 奖励分配.

    Returns:
        Whole fen (integers) indexed by (单位代码, 姓名), for every recipient, one column per
        column of `rewards`.
    """
    if rule is RewardSplit.FIRST_AUTHOR:
        recipients = recipients.drop_duplicates(PIECE, keep="first")
    codes, _ = pd.factorize(recipients[PIECE])
    position = pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()
    count = np.bincount(codes)[codes] if len(codes) else codes
    amounts = rewards.reindex(recipients[PIECE].to_numpy()).fillna(0.0).to_numpy(dtype=float)
    fen = np.round(amounts * 100).astype(np.int64)
    parts = share_fen(fen, position[:, None], count[:, None])
    paid = pd.DataFrame(parts, index=recipients.index, columns=rewards.columns)
    return paid.groupby([recipients[L.UNIT_CODE], recipients[PERSON_NAME]]).sum()


def period_rewards(fen: pd.DataFrame, end: str, start: str) -> pd.Series:
    """Each person's 奖励金额 of a period, in yuan: their share (`person_rewards`) of the pieces'
    amounts as of the period's end (column `end` of `fen`) minus their share as of its start.

    So periods add up to the fen, as points do: a person's months make their year to date, and
    a period's amounts add up to what the pieces gained in it. (Sharing each period's gain on
    its own would not: ¥20 and then ¥40 among three would pay the first author 6.67 + 13.34.)
    """
    return (fen[end] - fen[start]) / 100


def share_fen(fen: np.ndarray, position: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The whole fen each of `count` takers gets of `fen`, by the largest remainder: equal parts,
    and the fen left over one each to the takers at the first positions.

    Args:
        fen: the amount to share, in fen, for each taker's row.
        position: the taker's position among the amount's takers (0 first).
        count: how many takers share the amount.
    """
    base = fen // count
    return base + (position < fen - base * count)


def authors_on(rows: pd.DataFrame) -> pd.MultiIndex:
    """Every (单位代码, 姓名) named as an author on the rows."""
    # A unit's same list of authors comes back on many rows: each (unit, list) is split once,
    # in order of first appearance, which keeps the pairs' order of first appearance.
    rows = rows[[L.UNIT_CODE, L.AUTHORS]].drop_duplicates()
    pairs = rows[[L.UNIT_CODE]].assign(**{PERSON_NAME: split_lists(rows[L.AUTHORS])}).explode(PERSON_NAME)
    pairs = pairs.dropna(subset=[PERSON_NAME]).drop_duplicates()
    return pd.MultiIndex.from_arrays([pairs[L.UNIT_CODE], pairs[PERSON_NAME]], names=[L.UNIT_CODE, PERSON_NAME])
