"""The ledger's rows table read into a frame at a province's size: a chunk of records at a time,
each column keeping one object per distinct text of a chunk."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.files import ledger_schema

# The resolution pandas gives parsed dates on this version (ns on 2.x, us on 3.x), so rows read
# back compare equal to rows intake parsed.
DATE_DTYPE = pd.Series(pd.to_datetime(["2000-01-01"])).dtype
CHUNK = 50_000  # records fetched at a time


def rows_frame(cursor: sqlite3.Cursor, names: list[str]) -> pd.DataFrame:
    """The selected rows as a frame, read `CHUNK` records at a time.

    A province's year is a million rows: as one list of records (a fresh string object per
    cell) and a frame built from it, the same text was held several times over, gigabytes. Each
    column instead keeps one object per distinct value (a category, a unit's name, a carried
    piece's title repeated month after month), shared by every row that has it."""
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    seen: dict[str, dict] = {name: {} for name in names}
    while chunk := cursor.fetchmany(CHUNK):
        for name, values in zip(names, zip(*chunk, strict=True), strict=True):
            parts[name].append(_typed(name, _shared(np.array(values, dtype=object), seen[name])))
        del chunk
    if not any(parts.values()):
        parts = {name: [_typed(name, np.array([], dtype=object))] for name in names}
    return assembled(parts, names)


def _typed(name: str, values: np.ndarray) -> np.ndarray:
    """A chunk of a column as the database gave it, typed as `assembled` joins it: int64, dates
    as `DATE_DTYPE` (NaT when blank), texts ('' when blank)."""
    if name in ledger_schema.INT_COLUMNS:
        return values.astype(np.int64)
    if name in L.DATE_COLUMNS:
        return pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601").astype(DATE_DTYPE).to_numpy()
    return np.where(pd.isna(values), "", values)


def _shared(values: np.ndarray, seen: dict) -> np.ndarray:
    """`values` with one object per distinct value (None kept), the object `seen` holds for
    it when an earlier chunk had it: a carried piece's title, listed again month after month,
    is kept once for the whole read."""
    codes, uniques = pd.factorize(values)
    objects = [seen.setdefault(value, value) for value in uniques]
    shared = np.array([*objects, None], dtype=object)
    return shared[codes]  # -1 (a None) takes the appended None


def assembled(parts: dict[str, list[np.ndarray]], names: list[str]) -> pd.DataFrame:
    """A frame of the columns `names`, each joined from its typed parts (int64, `DATE_DTYPE`,
    texts), in order: the rows' dtypes, whether read from the table (`rows_frame`) or from the
    months' frames (`row_frames`); each column's parts are let go once joined."""
    columns = {}
    for name in names:
        values = np.concatenate(parts[name])
        parts[name].clear()
        if name in ledger_schema.INT_COLUMNS:
            columns[name] = pd.Series(values, dtype="int64")
        elif name in L.DATE_COLUMNS:
            columns[name] = pd.Series(values).astype(DATE_DTYPE)
        else:
            columns[name] = pd.Series(values, dtype=object).astype(str)
    return pd.DataFrame(columns, columns=names)
