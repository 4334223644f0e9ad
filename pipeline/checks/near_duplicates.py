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
    problems = []
    keys, records = others["_key"].tolist(), current.to_dict("records")
    others = _ByPosition(others)
    # A block of rows at a time, scores as bytes: a province's month against its year would
    # otherwise be a matrix of gigabytes. Every core: the comparisons grow with the year's rows,
    # and nothing else of the run works meanwhile.
    for start in range(0, len(records), BLOCK):
        block = records[start : start + BLOCK]
        scores = process.cdist(
            [row["_key"] for row in block],
            keys,
            scorer=fuzz.ratio,
            score_cutoff=SIMILAR_FROM,
            dtype=np.uint8,
            workers=-1,
        )
        for row, row_scores in zip(block, scores, strict=True):
            best = _closest(row, row_scores, others)
            if best is not None:
                problems.append(_problem(row, *best))
    return problems


class _ByPosition:
    """A frame's rows by position, each a dict of its values made when asked for: a carried
    piece meets its own earlier listing, so nearly every row of a province's month has a
    candidate, and `iloc` cost a tenth of a millisecond each."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._columns = {name: frame[name].to_numpy() for name in frame.columns}

    def __getitem__(self, position: int) -> dict:
        return {name: values[position] for name, values in self._columns.items()}


def _closest(row: dict, scores: np.ndarray, others: _ByPosition) -> tuple[dict, int] | None:
    """The most similar row of another unit that came first, with its score; None when none."""
    candidates = np.flatnonzero(scores)
    for j in candidates[np.argsort(-scores[candidates].astype(int), kind="stable")]:
        other = others[j]
        if _unrelated(row, other) and _before(other, row):
            return other, int(scores[j])
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
    return P.make(
        "row-near-duplicate",
        value=row[L.TITLE],
        other_unit=f"{other[L.UNIT_CODE]} {other[L.UNIT_NAME]}",
        other_month=other[L.MONTH],
        other_file=other[L.SOURCE_FILE],
        other_row=int(other[L.SOURCE_ROW]),
        other_title=other[L.TITLE],
        score=int(score),
        unit_code=row[L.UNIT_CODE],
        unit_name=row[L.UNIT_NAME],
        source_file=row[L.SOURCE_FILE],
        sheet=row[L.SOURCE_SHEET],
        row=int(row[L.SOURCE_ROW]),
        column=L.TITLE,
        row_id=int(row[L.ROW_ID]),
    )
