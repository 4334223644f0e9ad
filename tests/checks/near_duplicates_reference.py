"""The near-duplicate check as its rule reads, row by row: what the fast check must find."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.checks import near_duplicates as ND
from pipeline.core import labels as L


def every_pair(rows: pd.DataFrame, earlier: pd.DataFrame) -> list:
    """Each row of the month against every other of the year (the first row of each unit's
    folded title), best score first, then the other that came first."""
    current = _keyed(rows.to_dict("records"))
    others, seen = [], set()
    for other in _keyed(earlier.loc[:, list(ND.EARLIER_COLUMNS)].to_dict("records")) + current:
        if (other[L.UNIT_CODE], other["_key"]) not in seen:
            seen.add((other[L.UNIT_CODE], other["_key"]))
            others.append(other)
    if not current or len(others) < 2:
        return []
    keys = [other["_key"] for other in others]
    problems = []
    for row in current:
        [scores] = process.cdist([row["_key"]], keys, scorer=fuzz.ratio, score_cutoff=ND.SIMILAR_FROM, dtype=np.uint8)
        candidates = np.flatnonzero(scores)
        for j in candidates[np.argsort(-scores[candidates].astype(int), kind="stable")]:
            other = others[j]
            if ND._unrelated(row, other) and (other[L.MONTH], other[L.ROW_ID]) < (row[L.MONTH], row[L.ROW_ID]):
                problems.append(ND._problem(row, other, int(scores[j])))
                break
    return problems


def _keyed(records: list[dict]) -> list[dict]:
    keyed = []
    for record in records:
        key = ND._folded(record[L.TITLE])
        if len(key) >= ND.SHORTEST:
            co = set(filter(None, str(record[L.CO_UNITS]).split(L.LIST_SEPARATOR)))
            keyed.append({**record, "_key": key, "_co": co})
    return keyed
