"""一稿多报?: the same piece sent by two units under slightly different titles (a word changed,
punctuation), this month or in an earlier month of the year. A warning naming both rows, never a
rejection: two units may well write about the same event, and the office decides.

Titles are compared with rapidfuzz's normalised Indel similarity (`fuzz.ratio`) on the titles
folded as `piece_key` does, punctuation and spaces dropped. Rows of one unit are never paired
(a carried piece repeats every month), nor rows of units linked through 合作单位 (a co-written
piece is listed by each), nor titles too short to say anything. Two units' pieces on the same
theme differ where each names itself ("东关所开展…" / "城关所开展…") or in their figures ("完成 9
个批次" / "完成 14 个批次"): such pairs, and pieces sent more than `DAYS_APART` days apart, are
different pieces, not one piece sent twice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from pipeline.core import distinct
from pipeline.core import labels as L
from pipeline.core import problems as P

SIMILAR_FROM = 90  # percent: one or two characters of a 20-character title changed
SHORTEST = 8  # characters of the folded title; shorter ones ("工作动态") say too little
DAYS_APART = 31  # 报送日期 further apart: another piece on the same theme
PAIRS = 1 << 20  # pairs of titles compared at a time: a province's month meets a year of rows
WIDE = 64  # others a row may match from which it is compared in a block of rows, not pair by pair
BLOCK = 256  # rows of a block
_FIGURES = re.compile(r"\d+")
_MARGIN = DAYS_APART + 2  # days: a superset of the pairs `_different_pieces` keeps by date
# What is read of another row: to find it (title, units, order, date) and to name it.
EARLIER_COLUMNS = (
    L.ROW_ID,
    L.MONTH,
    L.UNIT_CODE,
    L.UNIT_NAME,
    L.SOURCE_FILE,
    L.SOURCE_ROW,
    L.TITLE,
    L.SENT_DATE,
    L.CO_UNITS,
)


def near_duplicates(rows: pd.DataFrame, earlier: pd.DataFrame) -> list[P.Problem]:
    """Warnings `row-near-duplicate` for this month's rows whose title nearly repeats another
    unit's row of this month (the earlier row in row order is named) or of an earlier month.

    Args:
        rows: the month's accepted rows (`L.ROW_COLUMNS`).
        earlier: the year's accepted rows of earlier months; only `EARLIER_COLUMNS` are read.

    Returns:
        One warning per row, naming its closest match, in row order.
    """
    titles = _Titles(rows, earlier)
    current, others = titles.current(), titles.others()
    if len(current) == 0 or len(others) < 2:
        return []
    n, j, score = _similar(titles, current, others)
    this = _ByPosition(titles, rows.columns, current)
    by_position = _ByPosition(titles, EARLIER_COLUMNS, others)
    problems = []
    decided = -1
    # Best score first, then the other that came first in `others`: the first that is really
    # another piece's row is the closest.
    for k in np.lexsort((j, -score.astype(int), n)):
        if n[k] == decided:
            continue
        row, other = this[int(n[k])], by_position[int(j[k])]
        if _unrelated(row, other):
            problems.append(_problem(row, other, int(score[k])))
            decided = n[k]
    return problems


class _Titles:
    """The year's earlier rows and the month's in one range of positions (earlier rows first),
    with each row's folded title (`_key`) and unit as integer codes.

    Over every row of the year goes only what must, in C: a code per title and per unit, and
    whether a row is the first of its (unit, title). Each distinct title is folded once: a carried
    piece repeats month after month under one title, and only its first row may be a match."""

    def __init__(self, rows: pd.DataFrame, earlier: pd.DataFrame) -> None:
        self.rows, self.earlier, self.size = rows, earlier, len(earlier)
        both = itertools.chain(earlier[L.TITLE].to_numpy(dtype=object), rows[L.TITLE].to_numpy(dtype=object))
        title_codes, titles = distinct.codes(both, len(earlier) + len(rows))
        unit_codes, _ = pd.factorize(pd.concat([earlier[L.UNIT_CODE], rows[L.UNIT_CODE]], ignore_index=True))
        folded = np.empty(len(titles), dtype=object)
        folded[:] = list(map(_folded, titles))
        long_enough = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded)) >= SHORTEST
        key_of_title, self.keys = distinct.codes(folded, len(folded))
        self.key = key_of_title[title_codes]
        self.long_enough = long_enough[title_codes]
        self.unit = unit_codes
        self._first_of_title = _firsts(unit_codes, title_codes, len(titles))

    def current(self) -> np.ndarray:
        """Positions of the month's rows with a title long enough to compare."""
        return self.size + np.flatnonzero(self.long_enough[self.size :])

    def others(self) -> np.ndarray:
        """Positions of the rows a row may match: the first of each (unit, folded title)."""
        candidates = np.flatnonzero(self._first_of_title & self.long_enough)
        firsts = _firsts(self.unit[candidates], self.key[candidates], len(self.keys))
        return candidates[firsts]

    def days(self) -> np.ndarray:
        """报送日期 of every row as `_day_numbers`."""
        return np.concatenate([_day_numbers(self.earlier[L.SENT_DATE]), _day_numbers(self.rows[L.SENT_DATE])])

    def column(self, name: str, positions: np.ndarray) -> np.ndarray:
        """A column's values at `positions` (ascending, earlier rows first)."""
        split = int(np.searchsorted(positions, self.size))
        return np.concatenate(
            [
                self.earlier[name].to_numpy()[positions[:split]],
                self.rows[name].to_numpy()[positions[split:] - self.size],
            ]
        )


def _firsts(units: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """Whether each position is the first of its (unit, value) pair."""
    pairs = units.astype(np.int64) * max(count, 1) + values
    return ~pd.Series(pairs).duplicated().to_numpy()


def _similar(titles: _Titles, current: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positions (n in `current`, j in `others`) and scores of the pairs alike from `SIMILAR_FROM`
    whose other row may be the match: another unit's, come first (an earlier month, or this
    month's earlier row: each pair is said once), with the same figures, sent within days of it
    or with no date on either side (`_different_pieces` decides the exact days).

    The others a row may match are found by sorting, without comparing titles, and only they are
    compared: the comparisons grow with the month's rows and the rows near each, not with the
    year's. A row with few such others is compared pair by pair; rows with many, a block at a
    time against all of the block's (`cdist` reads a title once for a whole row of the matrix)."""
    positions = np.concatenate([current, others])
    keys, codes = np.unique(titles.key[positions], return_inverse=True)
    figures = np.asarray([" ".join(_FIGURES.findall(key)) for key in titles.keys[keys]], dtype=object)
    groups = pd.factorize(figures)[0][codes]
    units = titles.unit[positions]
    months, named = pd.factorize(np.concatenate([titles.column(L.MONTH, current), titles.column(L.MONTH, others)]))
    ranks = np.argsort(np.argsort(np.asarray(named, dtype=str)))[months]
    row_ids = np.concatenate([titles.column(L.ROW_ID, current), titles.column(L.ROW_ID, others)]).astype(np.int64)
    days = titles.days()[positions]
    texts = titles.keys[titles.key[positions]]
    size = len(current)

    def possible(n: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Another unit's row that came first."""
        o = j + size
        return (units[o] != units[n]) & ((ranks[o] < ranks[n]) | ((ranks[o] == ranks[n]) & (row_ids[o] < row_ids[n])))

    windows = _Windows(groups[size:], days[size:])
    lows, highs = windows.ranges(groups[:size], days[:size])
    lengths = (highs - lows).sum(axis=1)
    wide = lengths >= WIDE
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    narrow = np.flatnonzero(~wide)
    ends = np.cumsum(lengths[narrow])
    start = 0
    while start < len(narrow):
        stop = max(int(np.searchsorted(ends, ends[start] - lengths[narrow[start]] + PAIRS, side="right")), start + 1)
        part = narrow[start:stop]
        n, j = windows.pairs(lows[part], highs[part])
        n = part[n]
        kept = possible(n, j)
        n, j = n[kept], j[kept]
        # Scores as bytes: a province's month against the year is millions of pairs.
        score = process.cpdist(
            texts[n], texts[j + size], scorer=fuzz.ratio, score_cutoff=SIMILAR_FROM, dtype=np.uint8, workers=-1
        )
        alike = np.flatnonzero(score)
        found.append((n[alike], j[alike], score[alike]))
        start = stop
    for block in _blocks(np.flatnonzero(wide), groups[:size], days[:size]):
        among = windows.among(lows[block], highs[block])
        scores = process.cdist(
            texts[block],
            texts[among + size],
            scorer=fuzz.ratio,
            score_cutoff=SIMILAR_FROM,
            dtype=np.uint8,
            workers=-1,
        )
        at, of = np.nonzero(scores)
        kept = possible(block[at], among[of])
        found.append((block[at][kept], among[of][kept], scores[at, of][kept]))
    n, j, score = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return n, j, score


def _blocks(rows: np.ndarray, groups: np.ndarray, days: np.ndarray) -> Iterator[np.ndarray]:
    """`rows` in blocks of at most `BLOCK` of one figures group, by 报送日期 (undated first): the
    others a block meets are those of its first and last rows' windows and all between."""
    ordered = rows[np.lexsort((days[rows], groups[rows]))]
    bounds = [*np.flatnonzero(np.diff(groups[ordered], prepend=-1)), len(ordered)]
    for first, last in pairwise(bounds):
        for at in range(first, last, BLOCK):
            yield ordered[at : min(at + BLOCK, last)]


def _day_numbers(sent_dates: pd.Series) -> np.ndarray:
    """报送日期 as whole days since 1970 (`_NO_DAY` where there is none), as `pd.Timestamp` reads each."""
    sent = pd.to_datetime(sent_dates).to_numpy(dtype="datetime64[ns]")
    return np.where(np.isnat(sent), _NO_DAY, sent.astype("datetime64[D]").astype(np.int64))


_NO_DAY = np.iinfo(np.int64).min


class _Windows:
    """The others by figures and 报送日期, to find those a row may match: with the same figures,
    sent within `_MARGIN` days of the row's date (any, when it has none) or with no date."""

    def __init__(self, groups: np.ndarray, days: np.ndarray) -> None:
        dated = days != _NO_DAY
        self._first = int(days[dated].min()) if dated.any() else 0
        self._span = (int(days[dated].max()) - self._first if dated.any() else 0) + 2 * _MARGIN + 1
        positions = np.arange(len(groups))
        self._dated = positions[dated][np.argsort(self._sort_key(groups[dated], days[dated]), kind="stable")]
        self._dated_keys = self._sort_key(groups[self._dated], days[self._dated])
        self._undated = positions[~dated][np.argsort(groups[~dated], kind="stable")]
        self._undated_groups = groups[self._undated]

    def _sort_key(self, groups: np.ndarray, days: np.ndarray) -> np.ndarray:
        return groups.astype(np.int64) * self._span + (days - self._first + _MARGIN)

    def ranges(self, groups: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row, [low, high) in the dated others' order and in the undated others' (columns 0, 1)."""
        dated = days != _NO_DAY
        base = groups.astype(np.int64) * self._span
        # Days of rows outside the others' dates are clipped: the window stays in the row's group.
        offset = np.clip(np.where(dated, days, self._first) - self._first + _MARGIN, 0, self._span - 1)
        low = np.where(dated, base + np.maximum(offset - _MARGIN, 0), base)
        high = np.where(dated, base + np.minimum(offset + _MARGIN, self._span - 1), base + self._span - 1)
        lows = np.column_stack(
            [
                np.searchsorted(self._dated_keys, low, side="left"),
                np.searchsorted(self._undated_groups, groups, side="left"),
            ]
        )
        highs = np.column_stack(
            [
                np.searchsorted(self._dated_keys, high, side="right"),
                np.searchsorted(self._undated_groups, groups, side="right"),
            ]
        )
        return lows, highs

    def among(self, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
        """The others of all the ranges of rows of one group (dated, then undated)."""
        return np.concatenate(
            [self._dated[lows[:, 0].min() : highs[:, 0].max()], self._undated[lows[0, 1] : highs[0, 1]]]
        )

    def pairs(self, lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every (row, other) of the ranges: row positions in `lows`, others' positions."""
        rows, dated = _expand(lows[:, 0], highs[:, 0])
        undated_rows, undated = _expand(lows[:, 1], highs[:, 1])
        return np.concatenate([rows, undated_rows]), np.concatenate([self._dated[dated], self._undated[undated]])


def _expand(lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, p) for every p in range(lows[i], highs[i])."""
    lengths = highs - lows
    owners = np.repeat(np.arange(len(lows)), lengths)
    starts = np.cumsum(lengths) - lengths
    return owners, np.arange(int(lengths.sum())) - np.repeat(starts - lows, lengths)


class _ByPosition:
    """Rows of `_Titles` by their index in `positions`, each a dict of `columns` with its folded
    title (`_key`) and its set of named co-units (`_co`), made when asked for: only rows with a
    similar title are ever asked for, and a column is read once, when first asked for."""

    def __init__(self, titles: _Titles, columns: Iterable[str], positions: np.ndarray) -> None:
        self._titles, self._names, self._positions = titles, list(columns), positions
        self._columns: dict[tuple[bool, str], np.ndarray] = {}

    def __getitem__(self, index: int) -> dict:
        position = int(self._positions[index])
        earlier = position < self._titles.size
        at = position if earlier else position - self._titles.size
        row = {name: self._column(earlier, name)[at] for name in self._names}
        co = set(filter(None, str(row[L.CO_UNITS]).split(L.LIST_SEPARATOR)))
        return {**row, "_key": self._titles.keys[self._titles.key[position]], "_co": co}

    def _column(self, earlier: bool, name: str) -> np.ndarray:
        if (earlier, name) not in self._columns:
            frame = self._titles.earlier if earlier else self._titles.rows
            self._columns[earlier, name] = frame[name].to_numpy()
        return self._columns[earlier, name]


def _unrelated(row: dict, other: dict) -> bool:
    """Two different units, neither naming the other as 合作单位, and the titles alike beyond
    what tells two pieces apart (`_different_pieces`)."""
    unit, other_unit = row[L.UNIT_CODE], other[L.UNIT_CODE]
    linked = unit == other_unit or other_unit in row["_co"] or unit in other["_co"]
    return not linked and not _different_pieces(row, other)


def _different_pieces(row: dict, other: dict) -> bool:
    """Other figures, sent far apart, or a word replaced by the unit's own name."""
    a, b = row["_key"], other["_key"]
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return True
    sent, other_sent = pd.Timestamp(row[L.SENT_DATE]), pd.Timestamp(other[L.SENT_DATE])
    if pd.notna(sent) and pd.notna(other_sent) and abs((sent - other_sent).days) > DAYS_APART:
        return True
    names = _folded(row[L.UNIT_NAME]), _folded(other[L.UNIT_NAME])
    return any(
        a[i1:i2] in names[0] or b[j1:j2] in names[1]
        for tag, i1, i2, j1, j2 in Levenshtein.opcodes(a, b).as_list()
        if tag == "replace"
    )


def _folded(text: str) -> str:
    return utils.default_process(str(text)).replace(" ", "")


def _problem(row: dict, other: dict, score: float) -> P.Problem:
    return P.at_row(
        "row-near-duplicate",
        row,
        L.TITLE,
        value=row[L.TITLE],
        other_unit=f"{other[L.UNIT_CODE]} {other[L.UNIT_NAME]}",
        other_month=other[L.MONTH],
        other_file=other[L.SOURCE_FILE],
        other_row=int(other[L.SOURCE_ROW]),
        other_title=other[L.TITLE],
        score=int(score),
    )
