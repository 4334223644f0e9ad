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

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from pipeline.core import labels as L
from pipeline.core import problems as P

SIMILAR_FROM = 90  # percent: one or two characters of a 20-character title changed
SHORTEST = 8  # characters of the folded title; shorter ones ("工作动态") say too little
DAYS_APART = 31  # 报送日期 further apart: another piece on the same theme
BLOCK = 256  # rows compared with the year's at a time
_FIGURES = re.compile(r"\d+")


def near_duplicates(rows: pd.DataFrame, earlier: pd.DataFrame) -> list[P.Problem]:
    """Warnings `row-near-duplicate` for this month's rows whose title nearly repeats another
    unit's row of this month (the earlier row in row order is named) or of an earlier month.

    Args:
        rows: the month's accepted rows (`L.ROW_COLUMNS`).
        earlier: the year's accepted rows of earlier months.

    Returns:
        One warning per row, naming its closest match, in row_id order.
    """
    current = _keyed(rows)
    others = pd.concat([_keyed(earlier), current], ignore_index=True)
    others = others.drop_duplicates([L.UNIT_CODE, "_key"], keep="first")  # carried pieces: once
    if current.empty or len(others) < 2:
        return []
    keys = others["_key"].tolist()
    records = current.to_dict("records")
    best = {}
    for rows_at, among in _groups(records, _days(current), others):
        if not len(among):
            best.update((n, (among, np.zeros(0, dtype=np.uint8))) for n in rows_at)
            continue
        block_keys = [records[n]["_key"] for n in rows_at]
        # Scores as bytes: a province's month against the year would be gigabytes of floats.
        scores = process.cdist(
            block_keys,
            [keys[j] for j in among],
            scorer=fuzz.ratio,
            score_cutoff=SIMILAR_FROM,
            dtype=np.uint8,
            workers=-1,
        )
        for n, row_scores in zip(rows_at, scores, strict=True):
            best[n] = (among, row_scores)
    by_position = _ByPosition(others)
    problems = []
    for n, row in enumerate(records):
        among, row_scores = best[n]
        closest = _closest(row, among, row_scores, by_position)
        if closest is not None:
            problems.append(_problem(row, *closest))
    return problems


def _days(rows: pd.DataFrame) -> np.ndarray:
    """报送日期 as datetime64 (NaT where there is none), as `pd.Timestamp` reads each."""
    return pd.to_datetime(rows[L.SENT_DATE]).to_numpy(dtype="datetime64[ns]")


def _groups(records: list[dict], days: np.ndarray, others: pd.DataFrame) -> Iterator[tuple[list[int], np.ndarray]]:
    """Blocks of at most `BLOCK` rows (their positions in `records`), each with the positions of
    `others` (ascending) that can be its row's match: a superset of the rows `_unrelated` can
    accept, found without comparing titles.

    Two titles whose figures differ are different pieces, so only others with the same figures
    are compared; nor are pieces sent more than `DAYS_APART` days apart, so a block of rows (by
    报送日期) meets only the others sent within a few days more of it (and those with no date).
    The comparisons then grow with the month's rows, not with the year's."""
    figures = [tuple(_FIGURES.findall(key)) for key in others["_key"]]
    sent = _days(others)
    by_figures: dict[tuple[str, ...], list[int]] = {}
    for j, found in enumerate(figures):
        by_figures.setdefault(found, []).append(j)
    wanted: dict[tuple[str, ...], list[int]] = {}
    for n, row in enumerate(records):
        wanted.setdefault(tuple(_FIGURES.findall(row["_key"])), []).append(n)
    margin = np.timedelta64(DAYS_APART + 2, "D")
    for found, positions in wanted.items():
        among = np.asarray(by_figures.get(found, []), dtype=np.int64)
        dated = sent[among]
        undated = among[np.isnat(dated)]
        order = among[~np.isnat(dated)][np.argsort(dated[~np.isnat(dated)], kind="stable")]
        order_dates = sent[order]
        row_dates = days[positions]
        # Rows with no date may match any other; the others by date, a block at a time.
        no_date = [n for n, day in zip(positions, row_dates, strict=True) if np.isnat(day)]
        for start in range(0, len(no_date), BLOCK):
            yield no_date[start : start + BLOCK], among
        with_date = sorted((day, n) for n, day in zip(positions, row_dates, strict=True) if not np.isnat(day))
        for start in range(0, len(with_date), BLOCK):
            block = with_date[start : start + BLOCK]
            low = np.searchsorted(order_dates, block[0][0] - margin, side="left")
            high = np.searchsorted(order_dates, block[-1][0] + margin, side="right")
            yield [n for _, n in block], np.sort(np.concatenate([order[low:high], undated]))


class _ByPosition:
    """A frame's rows by position, each a dict of its values made when asked for: a carried
    piece meets its own earlier listing, so nearly every row of a province's month has a
    candidate, and `iloc` cost a tenth of a millisecond each."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._columns = {name: frame[name].to_numpy() for name in frame.columns}

    def __getitem__(self, position: int) -> dict:
        return {name: values[position] for name, values in self._columns.items()}


def _closest(row: dict, among: np.ndarray, scores: np.ndarray, others: _ByPosition) -> tuple[dict, int] | None:
    """The most similar row of another unit that came first (the lowest position among equal
    scores), with its score; None when none. `scores` are those of the others at `among`."""
    candidates = np.flatnonzero(scores)
    for k in candidates[np.argsort(-scores[candidates].astype(int), kind="stable")]:
        other = others[int(among[k])]
        if _unrelated(row, other) and _before(other, row):
            return other, int(scores[k])
    return None


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return rows.assign(_key=pd.Series(dtype=str), _co=pd.Series(dtype=object))
    keys = [_folded(title) for title in rows[L.TITLE]]
    co = [set(filter(None, str(value).split(L.LIST_SEPARATOR))) for value in rows[L.CO_UNITS]]
    keyed = rows.assign(_key=keys, _co=co)
    return keyed[keyed["_key"].str.len() >= SHORTEST]


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


def _before(other: dict, row: dict) -> bool:
    """The other row came first: an earlier month, or this month's earlier row (each pair is said once)."""
    return (other[L.MONTH], int(other[L.ROW_ID])) < (row[L.MONTH], int(row[L.ROW_ID]))


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
