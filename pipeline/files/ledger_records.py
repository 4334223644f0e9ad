"""How a month's rows, problems and input files are written as the ledger's records, and a
file's record read back: the values sqlite3 stores (ISO dates and times, JSON text, Python
numbers), in the tables' column order (`ledger_schema`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.records import FileRecord
from pipeline.files import ledger_schema

_TEXT_COLUMNS = tuple(c for c in L.ROW_COLUMNS if c not in ledger_schema.INT_COLUMNS and c not in L.DATE_COLUMNS)
_PROBLEM_FIELDS = tuple(f.name for f in dataclasses.fields(P.Problem))
_FILE_FIELDS = tuple(f.name for f in dataclasses.fields(FileRecord))


def row_values(month: str, rows: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """The rows as database tuples in `L.ROW_COLUMNS` order: dates as ISO text, blanks as ''."""
    frame = rows.loc[:, list(L.ROW_COLUMNS)]
    others = sorted(set(frame[L.MONTH].astype(str)) - {month})
    if others:
        raise ValueError(f"rows of {others} cannot be stored as {month}")
    columns = {
        **{c: frame[c].astype("int64") for c in ledger_schema.INT_COLUMNS},
        **{c: _iso_dates(frame[c]) for c in L.DATE_COLUMNS},
        **{c: frame[c].astype(object).where(frame[c].notna(), "").astype(str) for c in _TEXT_COLUMNS},
    }
    # `tolist` gives Python ints, str and None: what sqlite3 stores, and returns, as they are
    lists = [columns[c].tolist() for c in L.ROW_COLUMNS]
    return zip(*lists, strict=True)


def _iso_dates(values: pd.Series) -> pd.Series:
    """Dates as `YYYY-MM-DD` (with `THH:MM:SS` only when there is a time), None when missing."""
    stamps = pd.to_datetime(values)
    text = stamps.dt.strftime("%Y-%m-%dT%H:%M:%S").str.removesuffix("T00:00:00")
    return text.astype(object).where(stamps.notna(), None)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value sqlite3 stores."""
    return value.item() if hasattr(value, "item") else value


def insert_rows(db: sqlite3.Connection, values: Iterable[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" for _ in L.ROW_COLUMNS)
    db.executemany(f"INSERT INTO rows VALUES ({marks})", values)


def insert_problems(db: sqlite3.Connection, month: str, problems: list[P.Problem]) -> None:
    columns = ", ".join(_PROBLEM_FIELDS)
    marks = ", ".join("?" for _ in range(len(_PROBLEM_FIELDS) + 2))
    db.executemany(
        f"INSERT INTO problems (month, seq, {columns}) VALUES ({marks})",
        (
            (month, seq, *(_plain(getattr(problem, name)) for name in _PROBLEM_FIELDS))
            for seq, problem in enumerate(problems)
        ),
    )


# FileRecord.month is the month the form's header names; the table keeps it as form_month.
_FILE_COLUMNS = tuple("form_month" if name == "month" else name for name in _FILE_FIELDS)
FILE_SELECT = ", ".join(_FILE_COLUMNS)


def insert_files(db: sqlite3.Connection, month: str, files: list[FileRecord]) -> None:
    marks = ", ".join("?" for _ in range(len(_FILE_COLUMNS) + 1))
    db.executemany(
        f"INSERT INTO files (month, {FILE_SELECT}) VALUES ({marks})",
        ((month, *_file_values(record)) for record in files),
    )


def _file_values(record: FileRecord) -> tuple[Any, ...]:
    values = dataclasses.asdict(record)
    fill_date = values["fill_date"]
    if isinstance(fill_date, dt.datetime):
        fill_date = fill_date.date()
    values["fill_date"] = fill_date.isoformat() if fill_date else None
    values["header"] = to_json(values["header"])
    values["modified"] = float(values["modified"])
    return tuple(_plain(values[name]) for name in _FILE_FIELDS)


def file_record(record: tuple[Any, ...]) -> FileRecord:
    values = dict(zip(_FILE_FIELDS, record, strict=True))
    values["fill_date"] = dt.date.fromisoformat(values["fill_date"]) if values["fill_date"] else None
    values["header"] = json.loads(values["header"])
    return FileRecord(**values)


def iso_time(value: Any) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else str(value)


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=_json_default)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)
