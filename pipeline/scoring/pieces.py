"""Pieces: the ledger's rows seen as pieces and adoptions, what a piece is worth as of a month,
what it gained in a period, and how it is shared among units.

Pure functions over frames, following points 1 to 6 of the counting definitions in
`pipeline.scoring.scoring`'s docstring (piece identity, periods, the reporting month of a piece and
of an adoption, points as of a month under 多级采用计分, shares of units under 合作稿件计分).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core.text import outlet_key
from pipeline.plan.plan import Plan
from pipeline.plan.rules import CoWritten

# The pieces' column names and helpers, and the piece table, are re-exported: callers know them here.
from pipeline.scoring.piece_columns import (  # noqa: F401
    ADOPT,
    ADOPTED_IN,
    BONUS,
    FIRST_ADOPTED_IN,
    FIRST_UNIT,
    INSTRUCTION_RANKS,
    LATE,
    LEVEL_RANK,
    LEVEL_RANKS,
    OUTLET,
    PIECE,
    REPORTERS,
    REWARD,
    ROW_ORDER,
    SENT,
    SENT_IN,
    SHARE,
    UNHELD_COLUMNS,
    UNITS,
    VALUE,
    earliest,
    list_items,
    month_of,
    split_lists,
)
from pipeline.scoring.piece_table import (  # noqa: F401
    identified,
    identify_pieces,
    piece_table,
    piece_table_and_nodes,
    table_nodes_places,
)


@dataclass(frozen=True)
class Pieces:
    """The ledger seen as pieces.

    Attributes:
        rows: the rows, in ROW_ORDER, with their PIECE.
        table: one row per piece, indexed by PIECE: SENT, SENT_IN, FIRST_ADOPTED_IN, LATE,
            FIRST_UNIT, REPORTERS, UNITS.
        adoptions: one row per (piece, outlet): PIECE, OUTLET, 稿件类别, 采用级别, 采用日期,
            ADOPTED_IN, LATE, LEVEL_RANK, VALUE, REWARD.
    """

    rows: pd.DataFrame
    table: pd.DataFrame
    adoptions: pd.DataFrame
    _cache: dict[object, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def members(self) -> pd.DataFrame:
        """`piece_units` of the table, made once (callers must not change it)."""
        if "members" not in self._cache:
            self._cache["members"] = piece_units(self.table)
        return self._cache["members"]

    def memo(self, key: object, make: Callable[[], object]) -> object:
        """What `make()` gives, made once per key for these pieces (callers must not change it)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @classmethod
    def of(
        cls,
        rows: pd.DataFrame,
        table: pd.DataFrame,
        adoptions: pd.DataFrame,
        nodes: np.ndarray,
        places: np.ndarray | None = None,
    ) -> Pieces:
        """The pieces, their rows' `nodes` already known (`piece_table_and_nodes`), and the
        adoptions' `places` when known (`list_adoptions`)."""
        pieces = cls(rows, table, adoptions)
        pieces._cache["nodes"] = nodes
        if places is not None:
            pieces._cache["adoption places"] = places
        return pieces

    @property
    def adoption_places(self) -> np.ndarray:
        """For each adoption, its piece's position in the table (the table is sorted by PIECE):
        a figure per piece is summed from the adoptions by integers, not by names."""
        return self.memo("adoption places", lambda: self.table.index.get_indexer(self.adoptions[PIECE]))

    def credit(self, amounts: pd.Series, rule: CoWritten) -> pd.Series:
        """`credit(amounts, self.shares(rule))` of a figure indexed like the table, each share's
        piece found by its position rather than by its name."""
        shares = self.shares(rule)
        if not amounts.index.equals(self.table.index):
            return credit(amounts, shares)
        at = self.share_places(rule)
        weighted = shares[SHARE] * pd.Series(amounts.to_numpy()[at], index=shares.index).fillna(0.0)
        return weighted.groupby(shares[L.UNIT_CODE]).sum()

    @property
    def nodes(self) -> np.ndarray:
        """For each row, the rank of its (PIECE, 单位代码) among the rows' pairs sorted by piece,
        then unit: integers a province's million rows are grouped and ordered by in
        milliseconds, where the names took seconds."""
        return self.memo("nodes", self._nodes)

    def _nodes(self) -> np.ndarray:
        pieces = self.table.index.get_indexer(self.rows[PIECE])  # the table is sorted by PIECE
        units, _ = pd.factorize(self.rows[L.UNIT_CODE], sort=True)
        pairs = pieces.astype(np.int64) * (int(units.max()) + 1 if len(units) else 1) + units
        return pd.factorize(pairs, sort=True)[0]

    def by_member(self, values: np.ndarray) -> pd.Series:
        """`pd.Series(values[position of each member's piece]).groupby(members' 单位代码).sum()`:
        a per-piece figure (in the table's order) summed over each unit's pieces, without
        hashing piece names and codes again for every figure (a province's year is half a
        million pieces)."""
        positions, codes, units = self.memo("member positions", self._member_positions)
        sums = np.bincount(codes, weights=np.asarray(values)[positions], minlength=len(units))
        if np.asarray(values).dtype.kind in "bi":
            sums = np.rint(sums).astype(np.int64)
        return pd.Series(sums, index=units)

    def _member_positions(self) -> tuple[np.ndarray, np.ndarray, pd.Index]:
        members = self.members
        positions = self.table.index.get_indexer(members[PIECE])
        codes, units = pd.factorize(members[L.UNIT_CODE], sort=True)
        return positions, codes, units.rename(L.UNIT_CODE)

    def share_places(self, rule: CoWritten) -> np.ndarray:
        """For each row of `shares(rule)`, its piece's position in the table: under 均分 its rows
        are the members', under 第一单位 the table's own."""
        if rule is CoWritten.FIRST_UNIT:
            return np.arange(len(self.table))
        return self.memo("member positions", self._member_positions)[0]

    def shares(self, rule: CoWritten) -> pd.DataFrame:
        """`unit_shares` of the table under `rule`, made once (callers must not change it)."""
        if rule not in self._cache:
            if rule is CoWritten.FIRST_UNIT:
                self._cache[rule] = unit_shares(self.table, rule)
            else:  # `unit_shares`'s 均分, each member's piece found by its position
                positions = self.memo("member positions", self._member_positions)[0]
                sizes = np.fromiter(map(len, self.table[UNITS]), dtype=np.int64, count=len(self.table))
                self._cache[rule] = self.members.assign(**{SHARE: 1.0 / sizes[positions].astype(float)})
        return self._cache[rule]


# --- Pieces and adoptions ----------------------------------------------------------------------


def plan_values(plan: Plan, categories: pd.Series, levels: pd.Series, column: str) -> np.ndarray:
    """分值 or 奖励金额 of each (category, level); rows the checks accepted always name a known
    pair, anything else is worth nothing."""
    keys = pd.MultiIndex.from_arrays([categories.to_numpy(), levels.to_numpy()])
    return plan.points[column].reindex(keys).fillna(0.0).to_numpy(dtype=float)


def is_adoption(rows: pd.DataFrame) -> pd.Series:
    """Rows that record an adoption: 已采用 with a level and a date."""
    return (rows[L.STATUS] == L.ADOPTED) & rows[L.LEVEL].isin(L.LEVELS) & rows[L.ADOPT_DATE].notna()


# The columns of a first listing (`first_listings`): what its callers read, and its order.
LISTING_COLUMNS = list(dict.fromkeys([PIECE, L.OUTLET, L.CATEGORY, L.LEVEL, L.ADOPT_DATE, *ROW_ORDER]))


def first_listings(rows: pd.DataFrame) -> pd.DataFrame:
    """Each adoption's (piece × folded outlet) first listing: the row of the earliest form that
    reports it (by 月份, then 采用日期, then ROW_ORDER), its LISTING_COLUMNS with OUTLET; sorted by
    PIECE and OUTLET. (A province's year has hundreds of thousands of adoptions: the rows' other
    columns are not copied and sorted with them.)"""
    frame = _adopted_rows(rows)
    frame = frame.sort_values([PIECE, OUTLET, L.MONTH, L.ADOPT_DATE, *ROW_ORDER], kind="stable")
    return frame.drop_duplicates([PIECE, OUTLET], keep="first").reset_index(drop=True)


def _adopted_rows(rows: pd.DataFrame) -> pd.DataFrame:
    adopted = rows.loc[is_adoption(rows).to_numpy(), LISTING_COLUMNS]
    outlets = adopted[L.OUTLET]
    return adopted.assign(**{OUTLET: outlets.map({outlet: outlet_key(outlet) for outlet in outlets.unique()})})


def _first_listings_by_places(rows: pd.DataFrame, places: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """`first_listings` of rows in ROW_ORDER whose pieces' positions in the (sorted) table are
    `places`, ordered by integers rather than by names; and each listing's piece position."""
    mask = is_adoption(rows).to_numpy()
    frame = _adopted_rows(rows)
    at = places[mask]
    outlets = pd.factorize(frame[OUTLET].to_numpy(dtype=object), sort=True)[0]
    months = pd.factorize(frame[L.MONTH].to_numpy(dtype=object), sort=True)[0]
    dates = frame[L.ADOPT_DATE].to_numpy(dtype="datetime64[ns]").view(np.int64)  # an adoption has a date
    # the rows are in ROW_ORDER already: a stable order by the other keys keeps it among ties
    order = np.lexsort((np.arange(len(frame)), dates, months, outlets, at))
    at, outlets = at[order], outlets[order]
    first = np.r_[True, (at[1:] != at[:-1]) | (outlets[1:] != outlets[:-1])] if len(order) else np.array([], bool)
    chosen = order[first]
    return frame.iloc[chosen].reset_index(drop=True), at[first]


def list_adoptions(rows: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The distinct adoptions (piece × folded outlet), each with its first listing.

    Args:
        rows: rows with PIECE, in ROW_ORDER.
        plan: gives each adoption's 分值 and 奖励金额.

    Returns:
        One row per adoption: PIECE, OUTLET, 稿件类别, 采用级别, 采用日期, ADOPTED_IN (the 月份 of
        the first form reporting it, where its 条次 and points count), LATE (补报: 采用日期 in an
        earlier month than ADOPTED_IN), LEVEL_RANK, VALUE, REWARD, sorted by PIECE and OUTLET.
    """
    return _adoptions_of(first_listings(rows), plan)


def _adoptions_of(frame: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """`list_adoptions` of the first listings."""
    return pd.DataFrame(
        {
            PIECE: frame[PIECE],
            OUTLET: frame[OUTLET],
            L.CATEGORY: frame[L.CATEGORY],
            L.LEVEL: frame[L.LEVEL],
            L.ADOPT_DATE: frame[L.ADOPT_DATE],
            ADOPTED_IN: frame[L.MONTH],
            LATE: month_of(frame[L.ADOPT_DATE]) < frame[L.MONTH],
            LEVEL_RANK: frame[L.LEVEL].map(LEVEL_RANKS).astype(int),
            VALUE: plan_values(plan, frame[L.CATEGORY], frame[L.LEVEL], L.PT_POINTS),
            REWARD: plan_values(plan, frame[L.CATEGORY], frame[L.LEVEL], L.PT_REWARD),
        }
    )


def gather(rows: pd.DataFrame | list[pd.DataFrame], plan: Plan, until: str) -> Pieces:
    """The pieces of the ledger's rows of months up to `until`.

    Args:
        rows: accepted rows of any months (later months are left out), or a list of such
            frames, which is emptied (see `ordered_rows`).
        plan: the year's plan.
        until: the last month taken into account, "YYYY-MM".

    Returns:
        The rows, pieces and adoptions, in an order that does not depend on the input's.
    """
    held, coded = identified(ordered_rows(rows, until, without=UNHELD_COLUMNS))
    table, nodes, places = table_nodes_places(held, coded)
    listings, adopted_at = _first_listings_by_places(held, places)
    adoptions = _adoptions_of(listings, plan)
    first_adopted = _earliest_by_places(adoptions[ADOPTED_IN], adopted_at, len(table))
    first_adopted = pd.Series(first_adopted, index=table.index, name=ADOPTED_IN)
    return Pieces.of(held, table.assign(**{FIRST_ADOPTED_IN: first_adopted}), adoptions, nodes, adopted_at)


def _earliest_by_places(values: pd.Series, places: np.ndarray, size: int) -> pd.api.extensions.ExtensionArray:
    """`earliest(values, pieces)` put at the pieces' positions among `size` (missing where a
    piece has no value), by integers."""
    codes, uniques = pd.factorize(values.array, sort=True)
    missing = np.iinfo(np.int64).max
    lowest = np.full(size, missing, dtype=np.int64)
    np.minimum.at(lowest, places, np.where(codes < 0, missing, codes))
    return pd.api.extensions.take(uniques, np.where(lowest == missing, -1, lowest), allow_fill=True)


def ordered_rows(rows: pd.DataFrame | list[pd.DataFrame], until: str, *, without: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of months up to `until` in ROW_ORDER, indexed 0..n-1, less the columns `without`
    (left out before sorting: not copied).

    A list of frames (the months the checks read and the month just stored) is joined and
    emptied: when the caller keeps no other reference, the frames are let go as soon as their
    rows are sorted, not held beside the sorted copy while the month is scored (a province's
    year is a million rows, hundreds of megabytes a copy)."""
    if isinstance(rows, list):
        parts, rows = rows, pd.concat(rows, ignore_index=True)
        parts.clear()
    rows = through(rows, until)
    rows = rows.drop(columns=[c for c in without if c in rows.columns])
    return rows.sort_values(ROW_ORDER, kind="stable").reset_index(drop=True)


def through(rows: pd.DataFrame, until: str) -> pd.DataFrame:
    """The rows of months up to `until`: `rows` itself when it holds no later month (a copy of
    a province's year costs a few hundred megabytes at the run's peak)."""
    later = rows[L.MONTH] > until
    return rows[~later] if later.any() else rows


def in_period(months: pd.Series, after: str, until: str) -> pd.Series:
    """True where a "YYYY-MM" month falls in the period (after, until] (False for NaN)."""
    return (months > after) & (months <= until)


def sent_in(pieces: Pieces, after: str, until: str) -> np.ndarray:
    """Whether each piece's 报送 counts in the period, by the table's positions (`sent_pieces`)."""
    return in_period(pieces.table[SENT_IN], after, until).to_numpy()


def sent_pieces(pieces: Pieces, after: str, until: str) -> pd.Index:
    """The pieces whose 报送 counts in the period: first listed on a form of one of its months."""
    return pieces.table.index[sent_in(pieces, after, until)]


def adopted_pieces(pieces: Pieces, after: str, until: str) -> pd.Index:
    """The pieces whose 采用 counts in the period: their first adoption reported on a form of one
    of its months (a piece is adopted once; later adoptions add 条次 and points only)."""
    return pieces.table.index[in_period(pieces.table[FIRST_ADOPTED_IN], after, until)]


def reported_adoptions(pieces: Pieces, after: str, until: str) -> pd.DataFrame:
    """The adoptions whose 条次 counts in the period: first reported on a form of one of its months."""
    return pieces.adoptions[in_period(pieces.adoptions[ADOPTED_IN], after, until)]


def adopted_of_sent(pieces: Pieces, after: str, until: str) -> pd.Index:
    """Of the pieces whose 报送 counts in the period, those adopted by the end of `until` (the
    numerator of 采用率, so the rate never exceeds 100 %)."""
    # by the table's positions, which hold each piece once: no look-up of a province's names
    adopted = (pieces.table[FIRST_ADOPTED_IN] <= until).to_numpy()
    return pieces.table.index[sent_in(pieces, after, until) & adopted]


# --- Shares of units ---------------------------------------------------------------------------


def piece_units(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (piece, unit of the piece): PIECE, 单位代码."""
    return table[UNITS].explode().dropna().rename(L.UNIT_CODE).rename_axis(PIECE).reset_index()


def unit_shares(table: pd.DataFrame, rule: CoWritten, members: pd.DataFrame | None = None) -> pd.DataFrame:
    """How a piece's points are shared among units under 合作稿件计分.

    均分: equally among all the piece's units; 第一单位: all to the first unit.

    Args:
        table: the pieces (`Pieces.table`).
        rule: 合作稿件计分.
        members: `piece_units(table)` when the caller has it already.

    Returns:
        PIECE, 单位代码, SHARE; a piece's shares add up to 1.
    """
    if rule is CoWritten.FIRST_UNIT:
        return pd.DataFrame({PIECE: table.index, L.UNIT_CODE: table[FIRST_UNIT].to_numpy(), SHARE: 1.0})
    members = piece_units(table) if members is None else members
    counts = members[PIECE].map(table[UNITS].map(len))
    return members.assign(**{SHARE: 1.0 / counts.astype(float)})


def credit(amounts: pd.Series, shares: pd.DataFrame) -> pd.Series:
    """Each unit's share of the pieces' amounts (points or rewards), by 单位代码."""
    weighted = shares[SHARE] * shares[PIECE].map(amounts).fillna(0.0)
    return weighted.groupby(shares[L.UNIT_CODE]).sum()
