"""Each month's rows kept beside the rows table as one columnar record (`row_frames`), so a run
reads a year of rows in a second rather than fetching a million records through SQLite.

The rows table stays the record of what was accepted; a frame is a copy of one month of it,
written in the transaction that replaces the month (from the rows as stored, read back), and
used only while it still matches: it names the run that wrote the month, and a month whose
latest run is another one, or whose frame holds other columns, is read from the rows table
instead. A ledger from before frames gets each month's frame the next time it is written.

The format is plain data, never pickled objects (a ledger is a file that can be handed around):
a JSON header, then per column int64 values (整数列), int64 ticks of a datetime64 unit (dates,
NaT as its own tick), or the column's distinct texts as a JSON list followed by each row's int32
code into it; compressed with zlib. A reader decodes only the columns it asks for.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.files import ledger_rows, ledger_schema

FORMAT = 2
_LEVEL = 1  # zlib: the codes of a month compress five- to tenfold at its fastest level
_HEADER = 8  # bytes of the header's length

Columns = dict[str, np.ndarray]


def encode(frame: pd.DataFrame) -> bytes:
    """`frame` (as `ledger_rows.rows_frame` gives it) as one compressed record."""
    header: dict = {"format": FORMAT, "rows": len(frame), "columns": []}
    parts = []
    for name in frame.columns:
        values = frame[name]
        if name in ledger_schema.INT_COLUMNS:
            data, entry = values.to_numpy(np.int64).tobytes(), {"kind": "int"}
        elif name in L.DATE_COLUMNS:
            stamps = values.to_numpy()
            data, entry = stamps.view(np.int64).tobytes(), {"kind": "date", "dtype": str(stamps.dtype)}
        else:
            codes, texts = pd.factorize(values.to_numpy(object), use_na_sentinel=False)
            listed = json.dumps([str(t) for t in texts], ensure_ascii=False).encode()
            data, entry = listed + codes.astype(np.int32).tobytes(), {"kind": "text", "texts": len(listed)}
        parts.append(data)
        header["columns"].append({"name": name, "bytes": len(data), **entry})
    head = json.dumps(header, ensure_ascii=False).encode()
    return zlib.compress(len(head).to_bytes(_HEADER, "little") + head + b"".join(parts), _LEVEL)


def decode(
    record: bytes,
    names: list[str],
    seen: dict[str, dict[str, str]],
    select: tuple[str, Callable[[np.ndarray], np.ndarray]] | None = None,
) -> tuple[int, Columns]:
    """The number of rows and the columns `names` of a record `encode` made, as the arrays
    `ledger_rows.assembled` joins. A text column's texts are shared through `seen[name]` (one
    object per distinct text of the column over the months read, as `ledger_rows.rows_frame`
    shares them): a carried piece's title, listed again month after month, is held once.

    `select` = (column, choose): only the rows `choose(that column's values)` marks are made,
    the other columns' values taken for those rows alone (a month of the year before of which
    a few pieces are wanted is not decoded whole)."""
    raw = zlib.decompress(record)
    length = int.from_bytes(raw[:_HEADER], "little")
    header = json.loads(raw[_HEADER : _HEADER + length])
    if header["format"] != FORMAT:
        raise ValueError(f"row frame format {header['format']}")
    rows, wanted, offset, entries = header["rows"], set(names), _HEADER + length, {}
    for entry in header["columns"]:
        entries[entry["name"]], offset = (entry, offset), offset + entry["bytes"]
    chosen, columns = None, {}
    if select is not None:
        column, choose = select
        values = _column(raw, rows, *entries[column], seen)
        chosen = np.flatnonzero(choose(values))
        columns[column] = values[chosen]
    for entry, start in entries.values():
        if entry["name"] in wanted and entry["name"] not in columns:
            columns[entry["name"]] = _column(raw, rows, entry, start, seen, chosen)
    return rows, {name: columns[name] for name in names if name in columns}


def _column(
    raw: bytes, rows: int, entry: dict, start: int, seen: dict[str, dict[str, str]], chosen: np.ndarray | None = None
) -> np.ndarray:
    """One column of a decoded record, only the rows `chosen` (positions) when given."""
    if entry["kind"] == "text":
        known = seen.setdefault(entry["name"], {})
        codes = np.frombuffer(raw, np.int32, rows, start + entry["texts"])
        if chosen is not None:
            codes = codes[chosen]
        listed = json.loads(raw[start : start + entry["texts"]])
        texts = np.empty(len(listed), dtype=object)
        if chosen is None:
            texts[:] = [known.setdefault(t, t) for t in listed]
        else:  # only the texts of the rows chosen are shared and kept
            used = np.unique(codes)
            texts[used] = [known.setdefault(listed[i], listed[i]) for i in used]
        return texts[codes]
    values = np.frombuffer(raw, np.int64, rows, start)
    values = values[chosen] if chosen is not None else values.copy()
    if entry["kind"] == "date":
        values = values.view(np.dtype(entry["dtype"])).astype(ledger_rows.DATE_DTYPE)
    return values


def keep(db: sqlite3.Connection, month: str, stored: list[tuple] | None = None) -> None:
    """Writes `month`'s frame from its rows, naming the month's latest run; inside the caller's
    transaction, after the month's rows and run are in.

    Args:
        stored: the records just inserted as the month's rows (`L.ROW_COLUMNS` order, Python
            ints, str and None, which sqlite3 returns as given): the frame is made from them
            instead of reading the month back. Default: read from the rows table.
    """
    (run,) = db.execute("SELECT MAX(id) FROM runs WHERE month = ?", (month,)).fetchone()
    names = list(L.ROW_COLUMNS)
    if stored is None:
        records = _month_cursor(db, month, names)
    else:
        at = names.index(L.ROW_ID)
        records = _Records(sorted(stored, key=lambda record: record[at]))  # as the table orders them
    frame = ledger_rows.rows_frame(records, names)
    db.execute(
        "INSERT OR REPLACE INTO row_frames (month, run, columns, frame) VALUES (?, ?, ?, ?)",
        (month, run, _names(L.ROW_COLUMNS), encode(frame)),
    )


class _Records:
    """Records held in a list, fetched as from a cursor."""

    def __init__(self, records: list[tuple]) -> None:
        self._records, self._at = records, 0

    def fetchmany(self, size: int) -> list[tuple]:
        chunk = self._records[self._at : self._at + size]
        self._at += len(chunk)
        return chunk


def keep_missing(db: sqlite3.Connection) -> None:
    """Frames for the processed months that have none (a ledger written before frames)."""
    lacking = db.execute(
        "SELECT DISTINCT month FROM runs WHERE month NOT IN (SELECT month FROM row_frames) ORDER BY month"
    ).fetchall()
    for (month,) in lacking:
        keep(db, month)


def read(
    db: sqlite3.Connection,
    month_filter: Callable[[str], tuple[str, tuple]],
    names: list[str],
    *,
    select: tuple[str, Callable[[np.ndarray], np.ndarray]] | None = None,
    seen: dict[str, dict[str, str]] | None = None,
) -> pd.DataFrame | None:
    """The rows `month_filter` selects (a WHERE clause on the month column it is given), sorted
    by (月份, row_id): each month from its frame when the frame names the month's latest run,
    can be read by this program and holds as many rows as the rows table does, else from the
    rows table. None when no row is selected (the caller's own read gives the empty frame).

    Args:
        select: (column, choose): of each month, only the rows `choose(the column's values)`
            marks (a boolean mask), applied month by month so that the rows left out are never
            held together; the column must be one of `names`.
        seen: the texts of an earlier read whose objects this one shares (see `decode`).
    """
    month_column = ledger_schema.quoted(L.MONTH)
    where, params = month_filter(month_column)
    stored = db.execute(
        f"SELECT {month_column}, COUNT(*) FROM rows {where} GROUP BY {month_column} ORDER BY {month_column}", params
    ).fetchall()
    if not stored:
        return None
    where, params = month_filter("month")
    latest = dict(db.execute(f"SELECT month, MAX(id) FROM runs {where} GROUP BY month", params))
    kept = {
        month: (run, columns, record)
        for month, run, columns, record in db.execute(
            f"SELECT month, run, columns, frame FROM row_frames {where}", params
        )
    }
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    seen = {} if seen is None else seen
    for month, count in stored:
        run, columns, record = kept.pop(month, (None, None, None))
        found = None
        if run is not None and run == latest.get(month) and columns == _names(L.ROW_COLUMNS):
            try:
                found = decode(record, names, seen, select)
            except (ValueError, KeyError, TypeError, IndexError, zlib.error):
                found = None  # a frame this program cannot read: the rows table holds the month
        if found is None or found[0] != count:
            found = _from_table(db, month, names, seen)
            if select is not None:
                chosen = select[1](found[1][select[0]])
                found = (found[0], {name: values[chosen] for name, values in found[1].items()})
        columns = found[1]
        for name in names:
            parts[name].append(columns[name])
    return ledger_rows.assembled(parts, names)


def _from_table(
    db: sqlite3.Connection, month: str, names: list[str], seen: dict[str, dict[str, str]]
) -> tuple[int, Columns]:
    """A month without a matching frame, read from the rows table, in `decode`'s shape."""
    table = ledger_rows.rows_frame(_month_cursor(db, month, names), names)
    columns: Columns = {}
    for name in names:
        values = table[name].to_numpy()
        if name not in ledger_schema.INT_COLUMNS and name not in L.DATE_COLUMNS:
            known = seen.setdefault(name, {})
            values = np.array([known.setdefault(t, t) for t in values], dtype=object)
        columns[name] = values
    return len(table), columns


def _month_cursor(db: sqlite3.Connection, month: str, names: list[str]) -> sqlite3.Cursor:
    columns = ", ".join(ledger_schema.quoted(c) for c in names)
    month_column, row_id = ledger_schema.quoted(L.MONTH), ledger_schema.quoted(L.ROW_ID)
    return db.execute(f"SELECT {columns} FROM rows WHERE {month_column} = ? ORDER BY {row_id}", (month,))


def _names(columns: tuple[str, ...] | list[str]) -> str:
    return json.dumps(list(columns), ensure_ascii=False)
