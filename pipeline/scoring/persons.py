"""Persons: who wrote a piece, a person's points, and 奖励金额 shared to the fen.

Pure functions over `pipeline.scoring.pieces` frames, following points 7 and 8 of the counting
definitions in `pipeline.scoring.scoring`'s docstring: persons are (单位代码, 姓名); a unit's share of a
piece's points is split equally among the 作者 on its latest row; rewards go to the reporting
units' authors in reward order, in whole fen by the largest remainder.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.plan.rules import RewardSplit, Rules
from pipeline.scoring.piece_columns import places
from pipeline.scoring.pieces import PIECE, REPORTERS, SHARE, Pieces, split_lists

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
        shares: see `pieces.unit_shares` (one row per piece and unit).
        authors: see `latest_authors`.

    Returns:
        Points indexed by (单位代码, 姓名): a series, or a frame with the columns of `points`.
    """
    share_pieces, author_pieces = piece_codes(points.index, shares[PIECE], authors[PIECE])
    return _points_by_codes(points, shares, share_pieces, authors, author_pieces)


def _points_by_codes(
    points: pd.Series | pd.DataFrame,
    shares: pd.DataFrame,
    share_pieces: np.ndarray,
    authors: pd.DataFrame,
    author_pieces: np.ndarray,
) -> pd.Series | pd.DataFrame:
    """`person_points`, the pieces of the shares and the authors given as `piece_codes` in
    the points' index."""
    found = pair_rows(share_pieces, shares[L.UNIT_CODE], author_pieces, authors[L.UNIT_CODE])
    kept = np.flatnonzero(found >= 0)  # authors of a unit without a share: none
    taken = found[kept]
    # a share row is one (piece, unit): its authors, counted, are the unit's authors of the piece
    count = np.bincount(taken, minlength=len(shares))[taken].astype(float)
    values = at_pieces(points.fillna(0.0).to_numpy(dtype=float), author_pieces[kept])
    share = shares[SHARE].to_numpy(dtype=float)[taken]
    if values.ndim == 2:
        share, count = share[:, None], count[:, None]
    amounts = values * share / count
    keys = [authors[column].iloc[kept].reset_index(drop=True) for column in (L.UNIT_CODE, PERSON_NAME)]
    if isinstance(points, pd.DataFrame):
        return pd.DataFrame(amounts, columns=points.columns, copy=False).groupby(keys).sum()
    return pd.Series(amounts, name=AMOUNT).groupby(keys).sum()


def pair_rows(known_pieces: np.ndarray, known: pd.Series, pieces: np.ndarray, texts: pd.Series) -> np.ndarray:
    """The row among the known (piece, text) pairs (each once) of each (piece, text) pair, -1
    where there is none; the pieces given as integers of one numbering (`piece_codes`, or
    places in a table, where -1 for a piece not in it matches nothing), the texts (unit codes,
    outlets) as they are.

    The pairs are joined as integers: a province's month joins 900,000 authors to half a
    million shares, which a merge or a MultiIndex of the names did in most of a second."""
    known_codes, names = pd.factorize(known, use_na_sentinel=False)
    # a text no known pair has matches nothing: one code past the known texts' stands for them all
    codes = pd.Index(names).get_indexer(texts)
    codes[codes < 0] = len(names)
    width = len(names) + 1
    known_keys = known_pieces.astype(np.int64) * width + known_codes
    return pd.Index(known_keys).get_indexer(pieces.astype(np.int64) * width + codes)


def piece_codes(index: pd.Index, *names: pd.Series) -> list[np.ndarray]:
    """Integers standing for the pieces `names` name: a piece's position in `index` (unique),
    a piece not in it one number after the index's end, the same in every list of names.

    Looking the names up in the pieces' index costs a fraction of numbering them anew (half a
    million distinct names in a province's year)."""
    joined = np.concatenate([listed.to_numpy(dtype=object) for listed in names])
    codes = index.get_indexer(joined)
    unknown = np.flatnonzero(codes < 0)
    if len(unknown):
        codes[unknown] = len(index) + pd.factorize(joined[unknown], use_na_sentinel=False)[0]
    return np.split(codes, np.cumsum([len(listed) for listed in names])[:-1])


def at_pieces(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """The rows of `values` (one per piece of an index) at `piece_codes`, 0 for a piece not in
    the index."""
    padded = np.concatenate([values, np.zeros((1, *values.shape[1:]), dtype=values.dtype)])
    return padded[np.minimum(codes, len(values))]


def month_persons(
    pieces: Pieces, until: str, points: pd.DataFrame, rewards: pd.DataFrame, rules: Rules
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`person_points(points, pieces.shares(...), authors)` and `person_rewards(rewards,
    reward_recipients(pieces.table, authors), ...)` of the authors up to `until`
    (`latest_authors_of`) under the plan's rules, the same frames with the pieces' names
    looked up in their table once."""
    index = pieces.table.index
    authors = latest_authors_of(pieces, until)
    # every author's piece is one of the table's, as every share's
    author_pieces = index.get_indexer(authors[PIECE])
    shares = pieces.shares(rules.co_written)
    share_pieces = pieces.share_places(rules.co_written)
    points = _points_by_codes(points.reindex(index), shares, share_pieces, authors, author_pieces)
    order = _recipient_order(pieces.table, authors, author_pieces)
    recipients = authors[[PIECE, L.UNIT_CODE, PERSON_NAME]].iloc[order].reset_index(drop=True)
    fen = _rewards_by_codes(rewards.reindex(index), recipients, author_pieces[order], rules.reward_split)
    return points, fen


def reward_recipients(table: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """A piece's authors across its reporting units, first unit's first, in reward order.

    Returns:
        PIECE, 单位代码, PERSON_NAME, sorted by piece, then reward order.
    """
    order = _recipient_order(table, authors, table.index.get_indexer(authors[PIECE]))
    return authors[[PIECE, L.UNIT_CODE, PERSON_NAME]].iloc[order].reset_index(drop=True)


def _recipient_order(table: pd.DataFrame, authors: pd.DataFrame, author_piece: np.ndarray) -> np.ndarray:
    """The rows of `authors` that are `reward_recipients`, in their order; `author_piece`: each
    author's piece's position in the table (-1: none)."""
    reporters = table[REPORTERS].to_numpy()
    counts = np.fromiter(map(len, reporters), dtype=np.int64, count=len(reporters))
    # (piece's position, unit) of every reporting unit, and its place in the piece's reward order
    piece_of = np.repeat(np.arange(len(reporters)), counts)
    place = places(counts)
    units = pd.Series(list(itertools.chain.from_iterable(reporters)), dtype=object)
    found = pair_rows(piece_of, units, author_piece, authors[L.UNIT_CODE])
    kept = np.flatnonzero((found >= 0) & (author_piece >= 0))  # authors of no reporting unit: none
    # by piece name: the table's order when it is sorted, as `gather` makes it
    index = table.index
    rank = np.arange(len(index)) if index.is_monotonic_increasing else np.argsort(np.argsort(index, kind="stable"))
    keys = (authors[POSITION].to_numpy()[kept], place[found[kept]], rank[author_piece[kept]])
    return kept[np.lexsort(keys)]


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
    (codes,) = piece_codes(rewards.index, recipients[PIECE])
    return _rewards_by_codes(rewards, recipients, codes, rule)


def _rewards_by_codes(
    rewards: pd.DataFrame, recipients: pd.DataFrame, codes: np.ndarray, rule: RewardSplit
) -> pd.DataFrame:
    """`person_rewards`, the recipients' pieces given as `piece_codes` in the rewards' index."""
    # each recipient's place among its piece's, in their order: the places of the pieces' runs
    # once the recipients are put piece by piece
    by_piece = np.argsort(codes, kind="stable")
    position = np.empty(len(codes), dtype=np.int64)
    counts = np.bincount(codes)
    position[by_piece] = places(counts)
    if rule is RewardSplit.FIRST_AUTHOR:
        first = np.flatnonzero(position == 0)
        recipients, codes, position = recipients.iloc[first], codes[first], position[first]
        counts = np.minimum(counts, 1)
    # each piece's amount rounded to the fen once, not once per recipient
    fen = at_pieces(np.round(rewards.fillna(0.0).to_numpy(dtype=float) * 100).astype(np.int64), codes)
    parts = share_fen(fen, position[:, None], counts[codes][:, None])
    paid = pd.DataFrame(parts, index=recipients.index, columns=rewards.columns, copy=False)
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
    base, left = np.divmod(fen, count)
    return base + (position < left)


def authors_on(rows: pd.DataFrame) -> pd.MultiIndex:
    """Every (单位代码, 姓名) named as an author on the rows."""
    # A unit's same list of authors comes back on many rows: each (unit, list) is split once,
    # in order of first appearance, which keeps the pairs' order of first appearance.
    rows = rows[[L.UNIT_CODE, L.AUTHORS]].drop_duplicates()
    pairs = rows[[L.UNIT_CODE]].assign(**{PERSON_NAME: split_lists(rows[L.AUTHORS])}).explode(PERSON_NAME)
    pairs = pairs.dropna(subset=[PERSON_NAME]).drop_duplicates()
    return pd.MultiIndex.from_arrays([pairs[L.UNIT_CODE], pairs[PERSON_NAME]], names=[L.UNIT_CODE, PERSON_NAME])
