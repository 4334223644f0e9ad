"""The ledger (台账): the canonical store of every processed month, `<outputs>/ledger.sqlite`.

It holds, per month, the accepted rows, the problems and the input files of the month's latest
run, and the history of every run. Processing a month replaces that month in one transaction, so
a crash or an exception leaves the previous state intact; earlier months are never touched.

The rules that look across months on the ledger's rows (`earlier_claims`, `carry_over_table`)
live in `pipeline.checks.cross_month`.

Storage choices: dates are ISO text (`YYYY-MM-DD`, or with a time when one was given), floats
REAL, the header block and run counts JSON; one writer at a time (`BEGIN IMMEDIATE`, WAL).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.core import distinct
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.errors import LedgerDamaged
from pipeline.core.months import month_key
from pipeline.core.records import ACCEPTED, SUPERSEDED, FileRecord
from pipeline.files import backup, faults, ledger_records, ledger_rows, ledger_schema, memory, row_frames

STORE_FILE = faults.LEDGER_NAME

REQUESTED = "requested"
CATCH_UP = "catch-up"
REFRESH = "refresh"  # a later month processed again because an earlier month changed
RUN_REASONS = (REQUESTED, CATCH_UP, REFRESH)
RUN_KEYS = ("started", "finished", "reason", "counts", "plan")

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE_DTYPE = ledger_rows.DATE_DTYPE

_PROBLEM_FIELDS = tuple(f.name for f in dataclasses.fields(P.Problem))


class Ledger:
    """The ledger database, opened for one run of the pipeline.

    Use as a context manager, or call `close()`. One writer at a time: a second run that tries to
    replace a month while another is writing waits up to `timeout` seconds, then stops with a
    Chinese message.
    """

    def __init__(self, path: Path, *, timeout: float = 30.0, checked: bool = False) -> None:
        """Opens the ledger at `path`, creating its folder, the file and the schema as needed.
        `checked`: the run that forked this process opened (and so checked) the ledger already;
        its pages are not all read again (most of a second at a province's ledger).

        Raises:
            OutputsUnwritable: the folder or the file cannot be created, opened or locked.
            PipelineError: the file is not a ledger, or was written by a newer version.
        """
        self.path = Path(path)
        self._kept = False  # a generation is kept before this run first changes the ledger
        self._pending: backup.Pending | None = None  # that generation, being copied meanwhile
        self._db = ledger_schema.connect(self.path, timeout)
        try:
            _guarded(self.path, lambda: ledger_schema.migrate(self._db, self.path, check=not checked))
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        pending, self._pending = self._pending, None
        try:
            if pending is not None:
                pending.drop()
        finally:
            self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------------

    def replace_month(
        self,
        month: str,
        rows: pd.DataFrame,
        problems: list[P.Problem],
        files: list[FileRecord],
        run: dict[str, Any],
    ) -> None:
        """Replaces everything stored for `month` and records the run, in one transaction.

        Args:
            month: "YYYY-MM".
            rows: the month's accepted rows (`L.ROW_COLUMNS`; other columns are not stored); every
                row's 月份 must be `month`.
            problems: every problem of the month, stored in the order given.
            files: every file found in the month's folder.
            run: `started` (datetime or ISO text), `reason` (`REQUESTED`, `CATCH_UP` or `REFRESH`; default
                `REQUESTED`), `finished` (default: when the run is recorded), `counts` (a
                JSON-able dict; default empty). The run also records each file's path and sha256.

        Raises:
            ValueError: a bad month, rows of another month, or a bad run record; nothing is written.
        """
        _check_month(month)
        row_values = list(ledger_records.row_values(month, rows))
        run_record = _run_record(month, run, files)
        self._keep_generation()
        _guarded(self.path, lambda: self._replace(month, row_values, problems, files, run_record))

    def start_generation(self) -> None:
        """Starts copying the ledger into the generation `replace_month` keeps before this run's
        first change, in a process of its own while the run reads its forms (`backup.Pending`):
        for a ledger of `backup.BACKGROUND_FROM` bytes or more that holds a run, seconds a month
        at a province's size. Nothing is kept if the run changes nothing."""
        if self._kept or self._pending is not None or self.path.stat().st_size < backup.BACKGROUND_FROM:
            return
        if self._has_runs():
            self._pending = backup.Pending(self.path, self.path.parent)

    def _keep_generation(self) -> None:
        """Before this run's first change, the ledger as it was goes into `backup`'s generations."""
        if self._kept:
            return
        pending, self._pending = self._pending, None
        try:
            if pending is not None:
                pending.keep(self._db)
            elif self._has_runs():
                backup.keep(self._db, self.path.parent)
        except sqlite3.DatabaseError as exc:
            raise faults.ledger_fault(self.path, exc) from exc
        self._kept = True

    def _has_runs(self) -> bool:
        """Whether any run was recorded: a new ledger has nothing to keep a generation of."""
        return self._db.execute("SELECT 1 FROM runs LIMIT 1").fetchone() is not None

    def all_outputs_due(self) -> None:
        """Marks every processed month's outputs as due (a restored ledger's months are written
        again from it by the next run)."""
        _guarded(
            self.path, lambda: self._db.execute("INSERT OR IGNORE INTO pending (month) SELECT DISTINCT month FROM runs")
        )

    def _replace(
        self,
        month: str,
        row_values: list[tuple[Any, ...]],
        problems: list[P.Problem],
        files: list[FileRecord],
        run_record: tuple[Any, ...],
    ) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            for table in ("rows", "problems", "files"):
                month_column = ledger_schema.quoted(L.MONTH) if table == "rows" else "month"
                self._db.execute(f"DELETE FROM {table} WHERE {month_column} = ?", (month,))
            ledger_records.insert_rows(self._db, row_values)
            ledger_records.insert_problems(self._db, month, problems)
            ledger_records.insert_files(self._db, month, files)
            _insert_run(self._db, run_record)
            row_frames.keep(self._db, month, row_values)
            row_frames.keep_missing(self._db)  # once, in a ledger written before frames
            # Figures derived from this month, or from later months (they count on it), are stale.
            self._db.execute("DELETE FROM derived WHERE month >= ?", (month,))
            # This month's outputs, and those of every later month (they count on it), are due.
            self._db.execute(
                "INSERT OR IGNORE INTO pending (month) SELECT DISTINCT month FROM runs WHERE month >= ?", (month,)
            )
            self._db.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back on its own (a full disk, for one).
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def keep_derived(self, month: str, kind: str, key: str, value: Any) -> None:
        """Keeps `value` (JSON-able), figures of `kind` derived from the months up to `month` with
        what `key` names; replacing `month` or an earlier month drops them."""
        _check_month(month)
        record = (month, kind, key, json.dumps(value, ensure_ascii=False, allow_nan=False))
        _guarded(self.path, lambda: self._db.execute("INSERT OR REPLACE INTO derived VALUES (?, ?, ?, ?)", record))

    def derived(self, month: str, kind: str, key: str) -> Any | None:
        """The figures `keep_derived` kept for (`month`, `kind`) with the same `key`, else None."""
        found = self._db.execute(
            "SELECT value FROM derived WHERE month = ? AND kind = ? AND key = ?", (month, kind, key)
        ).fetchone()
        return None if found is None else json.loads(found[0])

    def outputs_written(self, month: str) -> None:
        """Records that `month`'s outputs (and what depends on them) now match the ledger."""
        _guarded(self.path, lambda: self._db.execute("DELETE FROM pending WHERE month = ?", (month,)))

    # --- reading -----------------------------------------------------------------------------

    def pending_months(self) -> list[str]:
        """Months whose outputs were not written since their data, or an earlier month's, changed."""
        return [m for (m,) in self._db.execute("SELECT month FROM pending ORDER BY month")]

    def later_months(self, month: str) -> list[str]:
        """Processed months after `month`, of any year, ascending."""
        records = self._db.execute("SELECT DISTINCT month FROM runs WHERE month > ? ORDER BY month", (month,))
        return [m for (m,) in records]

    def rows(
        self,
        *,
        year: int | None = None,
        months: list[str] | None = None,
        since: str | None = None,
        through: str | None = None,
        without: tuple[str, ...] = (),
        listed_since: str | None = None,
    ) -> pd.DataFrame:
        """Accepted rows, filtered by all the arguments given, sorted by (月份, row_id).

        Args:
            year: only this year's months.
            months: only these months ("YYYY-MM").
            since: only months from this one on ("YYYY-MM").
            through: only months up to and including this one ("YYYY-MM").
            without: columns left out (a province's year is a million rows: what the caller
                never reads costs seconds and memory).
            listed_since: only rows of the pieces (稿件键) some row of this month or a later one
                lists, with all their rows, earlier ones included.

        Returns:
            `L.ROW_COLUMNS` (less `without`) with their dtypes: Timestamps (NaT when blank) for
            报送日期 and 采用日期, int for row_id and 来源行号, str ("" when blank) elsewhere.
        """
        names = [c for c in L.ROW_COLUMNS if c not in without]
        read: list[str] = names
        select = None
        if listed_since is not None:
            # the pieces listed from that month on, and their rows taken month by month from the
            # months' frames: the SQL below scans the whole table for them (seconds at a
            # province's second year, where the forms carry pieces back into the year before)
            _check_month(listed_since)
            listed = self.rows(since=listed_since, without=tuple(c for c in L.ROW_COLUMNS if c != L.PIECE_KEY))
            keys = pd.Index(listed[L.PIECE_KEY].unique())
            read = names if L.PIECE_KEY in names else [*names, L.PIECE_KEY]
            select = _of_pieces(keys)
        kept = row_frames.read(
            self._db,
            lambda column: _month_filter(column, year=year, months=months, since=since, through=through),
            read,
            select=select,
        )
        if kept is not None:
            memory.give_back()  # what decoding freed: a few hundred MB at a province's year
            return kept[names] if read is not names else kept
        # no month selected has a row: the empty frame, with its dtypes
        where, params = _month_filter(
            ledger_schema.quoted(L.MONTH), year=year, months=months, since=since, through=through
        )
        columns = ", ".join(ledger_schema.quoted(c) for c in names)
        order = f"{ledger_schema.quoted(L.MONTH)}, {ledger_schema.quoted(L.ROW_ID)}"
        cursor = self._db.execute(f"SELECT {columns} FROM rows {where} ORDER BY {order}", params)
        frame = ledger_rows.rows_frame(cursor, names)
        memory.give_back()
        return frame

    def year_rows(
        self, year: int, through: str, *, without: tuple[str, ...] = (), listed: Iterable[str] = ()
    ) -> pd.DataFrame:
        """The rows a month of `year` up to `through` is counted from (`history_of`): every row
        of `year`'s months up to `through`, and of the year before only the rows of the pieces
        (稿件键) one of those rows lists, or `listed` names (a month's rows not stored yet).

        The year before serves only the pieces carried into this year: their identity, when
        they were first sent and adopted, what they were worth at its end. Its other pieces
        count for nothing this year, and a province's year is a million rows: holding them
        made every month of a second year cost what a whole year does.

        Returns:
            `rows`' frame (less `without`, which must keep 稿件键), sorted by (月份, row_id).
        """
        if L.PIECE_KEY in without:
            raise ValueError("year_rows needs 稿件键")
        names = [c for c in L.ROW_COLUMNS if c not in without]
        start, seen = month_key(year, 1), {}
        current = None
        if through >= start:
            current = row_frames.read(
                self._db, lambda column: _month_filter(column, since=start, through=through), names, seen=seen
            )
        keys = pd.Index(distinct.unique(itertools.chain(_keys(current), listed)))
        before = row_frames.read(
            self._db,
            lambda column: _month_filter(column, year=year - 1),
            names,
            select=_of_pieces(keys),
            seen=seen,
        )
        found = [frame for frame in (before, current) if frame is not None]
        memory.give_back()
        if not found:
            return self.rows(months=[], without=without)
        return found[0] if len(found) == 1 else pd.concat(found, ignore_index=True)

    def adoptions(self, *, through: str, listed: Iterable[str] | None = None) -> pd.DataFrame:
        """The 已采用 rows of months up to and including `through` (only those of the pieces
        (稿件键) `listed` names, when given), only their 月份, 稿件键, 采用情况 and 采用载体,
        sorted by (月份, row_id): what a later claim of the same adoption is checked against,
        without reading years of rows whole."""
        names = [L.MONTH, L.PIECE_KEY, L.STATUS, L.OUTLET]
        keys = None if listed is None else pd.Index(pd.unique(np.asarray(list(listed), dtype=object)))
        # the listed pieces' rows first, when listed: a few of the years' rows
        select = (L.STATUS, lambda values: values == L.ADOPTED) if keys is None else _of_pieces(keys)
        found = row_frames.read(self._db, lambda column: _month_filter(column, through=through), names, select=select)
        if found is None:
            return self.rows(months=[], without=tuple(c for c in L.ROW_COLUMNS if c not in names))[names]
        return found if keys is None else found[found[L.STATUS] == L.ADOPTED].reset_index(drop=True)

    def returns(self, *, year: int) -> pd.DataFrame:
        """One row per accepted form of each processed month of `year` (`L.RETURN_COLUMNS`).

        提交日期 is the form's 填报日期, else the local date of the file's modification time, as a
        Timestamp; 首次提交日期 is the earliest 提交日期 of the unit's versions of the month, the
        accepted one and those it superseded (a correction does not move the first receipt).
        Sorted by 月份 and 单位代码.
        """
        where, params = _month_filter("month", year=year)
        records = self._db.execute(
            f"SELECT month, unit_code, fate, fill_date, modified FROM files {where} AND fate IN (?, ?)"
            " ORDER BY month, unit_code",
            (*params, ACCEPTED, SUPERSEDED),
        ).fetchall()
        first: dict[tuple[str, str], dt.date] = {}
        accepted = []
        for month, code, fate, fill, modified in records:
            on = _submitted_on(fill, modified)
            first[month, code] = min(on, first.get((month, code), on))
            if fate == ACCEPTED:
                accepted.append((month, code, on))
        frame = pd.DataFrame(
            [(month, code, on, first[month, code]) for month, code, on in accepted], columns=list(L.RETURN_COLUMNS)
        )
        for column in (L.SUBMITTED_ON, L.FIRST_SUBMITTED_ON):
            frame[column] = pd.to_datetime(frame[column]).astype(_DATE_DTYPE)
        return frame.astype({L.MONTH: str, L.UNIT_CODE: str})

    def processed_months(self, *, year: int | None = None) -> list[str]:
        """Months with at least one recorded run, ascending."""
        where, params = _month_filter("month", year=year)
        return [m for (m,) in self._db.execute(f"SELECT DISTINCT month FROM runs {where} ORDER BY month", params)]

    def units_seen(self, *, year: int) -> dict[str, str]:
        """单位代码 -> 单位名称 of every unit whose form was accepted in a processed month of `year`."""
        where, params = _month_filter("month", year=year)
        found = self._db.execute(
            f"SELECT unit_code, unit_name FROM files {where} AND fate = ? AND unit_code != '' ORDER BY month",
            (*params, ACCEPTED),
        )
        return dict(found.fetchall())

    def planned_units(self) -> dict[str, str]:
        """单位代码 -> 单位名称 of every unit on the roster of any plan a run recorded."""
        prefix, suffix = f"{L.S_ROSTER} ", f" {L.P_UNIT_NAME}"
        units: dict[str, str] = {}
        for (lines,) in self._db.execute("SELECT lines FROM plans"):
            for key, value in json.loads(lines).items():
                if key.startswith(prefix) and key.endswith(suffix):
                    units[key.removeprefix(prefix).removesuffix(suffix)] = value
        return units

    def plan_of(self, month: str) -> str | None:
        """The hash of the plan `month`'s latest run used (None: not processed, or processed
        before plans were recorded)."""
        found = self._db.execute("SELECT plan FROM runs WHERE month = ? ORDER BY id DESC LIMIT 1", (month,)).fetchone()
        return found[0] if found else None

    def plan_lines(self, plan_hash: str) -> dict[str, str]:
        """The lines (`run["plan"]["lines"]`) recorded for a plan's hash."""
        found = self._db.execute("SELECT lines FROM plans WHERE hash = ?", (plan_hash,)).fetchone()
        return json.loads(found[0]) if found else {}

    def file_hashes(self, month: str) -> dict[str, str]:
        """path -> sha256 of every file recorded for `month`, whatever became of it."""
        records = self._db.execute("SELECT path, sha256 FROM files WHERE month = ? ORDER BY path", (month,))
        return dict(records.fetchall())

    def problems(self, month: str) -> list[P.Problem]:
        """The month's problems, in the order they were stored."""
        columns = ", ".join(_PROBLEM_FIELDS)
        records = self._db.execute(f"SELECT {columns} FROM problems WHERE month = ? ORDER BY seq", (month,))
        return [P.Problem(**dict(zip(_PROBLEM_FIELDS, record, strict=True))) for record in records]

    def files(self, month: str) -> list[FileRecord]:
        """The month's input files, in path order."""
        records = self._db.execute(
            f"SELECT {ledger_records.FILE_SELECT} FROM files WHERE month = ? ORDER BY path", (month,)
        )
        return [ledger_records.file_record(record) for record in records]

    def runs(self, month: str | None = None) -> list[dict[str, Any]]:
        """Every recorded run (of `month` only, when given), oldest first.

        Returns:
            Dicts with id, started, finished, month, reason, counts (dict) and files (a list of
            [path, sha256]).
        """
        where, params = ("WHERE month = ?", (month,)) if month else ("", ())
        records = self._db.execute(
            f"SELECT id, started, finished, month, reason, counts, files FROM runs {where} ORDER BY id", params
        )
        return [
            {
                "id": i,
                "started": s,
                "finished": f,
                "month": m,
                "reason": r,
                "counts": json.loads(c),
                "files": json.loads(fs),
            }
            for i, s, f, m, r, c, fs in records
        ]


def is_sound(path: Path) -> bool:
    """Whether the ledger at `path` opens and passes its checks (pages, tables, columns)."""
    try:
        Ledger(path).close()
    except LedgerDamaged:
        return False
    return True


def months_in(path: Path) -> list[str]:
    """The processed months a ledger file (a kept generation) holds, read without changing it."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            return [m for (m,) in db.execute("SELECT DISTINCT month FROM runs ORDER BY month")]
    except sqlite3.DatabaseError:
        return []


def _guarded(path: Path, action: Callable[[], Any]) -> Any:
    """Runs a database action, turning what stops the run into a Chinese error."""
    try:
        return action()
    except sqlite3.DatabaseError as exc:
        raise faults.ledger_fault(path, exc) from exc


# --- writing helpers ---------------------------------------------------------------------------


def _check_month(month: str) -> None:
    if not isinstance(month, str) or not _MONTH.match(month):
        raise ValueError(f"month must be 'YYYY-MM', got {month!r}")


def _run_record(month: str, run: dict[str, Any], files: list[FileRecord]) -> tuple[Any, ...]:
    unknown = sorted(set(run) - set(RUN_KEYS))
    if unknown or "started" not in run:
        raise ValueError(f"a run needs 'started' and may have {RUN_KEYS}; unknown keys: {unknown}")
    reason = run.get("reason", REQUESTED)
    if reason not in RUN_REASONS:
        raise ValueError(f"a run's reason is one of {RUN_REASONS}, got {reason!r}")
    finished = run.get("finished") or dt.datetime.now()
    counts = ledger_records.to_json(run.get("counts", {}))
    file_list = ledger_records.to_json([[f.path, f.sha256] for f in sorted(files, key=lambda f: f.path)])
    plan = run.get("plan") or {}
    plan_values = (plan.get("hash"), ledger_records.to_json(plan.get("lines", {})))
    return (
        ledger_records.iso_time(run["started"]),
        ledger_records.iso_time(finished),
        month,
        reason,
        counts,
        file_list,
        *plan_values,
    )


def _insert_run(db: sqlite3.Connection, record: tuple[Any, ...]) -> None:
    *run, plan_hash, plan_lines = record
    db.execute(
        "INSERT INTO runs (started, finished, month, reason, counts, files, plan) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*run, plan_hash),
    )
    if plan_hash is not None:
        db.execute("INSERT OR IGNORE INTO plans (hash, lines) VALUES (?, ?)", (plan_hash, plan_lines))


# --- reading helpers ---------------------------------------------------------------------------


def _keys(frame: pd.DataFrame | None) -> np.ndarray:
    """The distinct 稿件键 of `frame`'s rows, numbered through a dict (`distinct`): the keys are
    held with the rows until the end of the run."""
    return np.array([], dtype=object) if frame is None else distinct.unique(frame[L.PIECE_KEY].to_numpy(dtype=object))


def _of_pieces(keys: pd.Index) -> tuple[str, Callable[[np.ndarray], np.ndarray]]:
    """`row_frames.read`'s choice of the rows of the pieces (稿件键, unique) `keys` holds."""
    return L.PIECE_KEY, lambda values: keys.get_indexer(values) >= 0


def history_of(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """`rows` (sorted by month, from January of the year before) as `Ledger.year_rows` of
    `year` gives them: the year before's rows only for the pieces (稿件键) a row of `year`
    lists. A run that reads the earlier months before its month is stored trims its rows so."""
    start = month_key(year, 1)
    first = int(rows[L.MONTH].searchsorted(start))
    if first == 0:
        return rows
    listed = pd.Index(distinct.unique(rows[L.PIECE_KEY].to_numpy(dtype=object)[first:]))
    kept = np.ones(len(rows), dtype=bool)
    kept[:first] = _of_pieces(listed)[1](rows[L.PIECE_KEY].iloc[:first])
    return rows if kept.all() else rows[kept].reset_index(drop=True)


def _month_filter(
    column: str,
    *,
    year: int | None = None,
    months: list[str] | None = None,
    since: str | None = None,
    through: str | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """A WHERE clause (always present, so callers may append AND ...) and its parameters."""
    clauses, params = ["1 = 1"], []
    if year is not None:
        clauses.append(f"{column} LIKE ?")
        params.append(f"{int(year):04d}-%")
    if months is not None:
        clauses.append(f"{column} IN ({', '.join('?' for _ in months)})")
        params.extend(months)
    if since is not None:
        _check_month(since)
        clauses.append(f"{column} >= ?")
        params.append(since)
    if through is not None:
        _check_month(through)
        clauses.append(f"{column} <= ?")
        params.append(through)
    return "WHERE " + " AND ".join(clauses), tuple(params)


def _submitted_on(fill_date: str | None, modified: float) -> dt.date:
    if fill_date:
        return dt.date.fromisoformat(fill_date)
    return dt.datetime.fromtimestamp(modified).date()
