"""Each month's rows kept as one columnar record beside the rows table: read back, they are the
rows the table holds, and a record that no longer matches its month is not used."""

from __future__ import annotations

import sqlite3
import zlib

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.files import ledger_rows, ledger_schema, row_frames
from pipeline.ledger import Ledger
from tests.test_ledger import frame, make_row, run


def _month(month: str, first_id: int, count: int) -> pd.DataFrame:
    """`count` rows of `month` with blanks, a time of day, an adoption, a scheme cell and a
    title every month repeats (a carried piece)."""
    rows = []
    for n in range(count):
        row_id = first_id + n
        values = {"month": month, "title": "每月都列的稿件" if n == 0 else f"{month} 的第 {n} 篇"}
        if n % 3 == 1:
            values |= {"adopted": f"{month}-20", "sent": f"{month}-03 14:30:00"}
        if n % 4 == 2:
            values |= {"co": "SO01", "authors": "", S.F_MODIFIERS: "转发"}
        rows.append(make_row(row_id, **{k: v for k, v in values.items() if k != S.F_MODIFIERS}))
        rows[-1][S.F_MODIFIERS] = values.get(S.F_MODIFIERS, "")
    return frame(*rows)


def _ledger(path, months=("2025-01", "2025-02", "2025-03")) -> Ledger:
    store = Ledger(path)
    for n, month in enumerate(months):
        store.replace_month(month, _month(month, 1, 7 + n), [], [], run())
    return store


def _changed(tmp_path, *statements: str | tuple[str, tuple]):
    """The path of a ledger of three months (`_ledger`) whose file `statements` then changed
    behind its back."""
    path = tmp_path / "ledger.sqlite"
    _ledger(path).close()
    with sqlite3.connect(path) as db:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            db.execute(sql, params)
    return path


def _from_table(path, where: str = "", params: tuple = (), names: list[str] | None = None) -> pd.DataFrame:
    """The rows as the rows table gives them, without the frames."""
    names = names or list(L.ROW_COLUMNS)
    columns = ", ".join(ledger_schema.quoted(c) for c in names)
    order = f"{ledger_schema.quoted(L.MONTH)}, {ledger_schema.quoted(L.ROW_ID)}"
    with sqlite3.connect(path) as db:
        return ledger_rows.rows_frame(db.execute(f"SELECT {columns} FROM rows {where} ORDER BY {order}", params), names)


def test_every_month_written_keeps_one_frame_naming_its_run(tmp_path):
    path = tmp_path / "ledger.sqlite"
    _ledger(path).close()
    with sqlite3.connect(path) as db:
        kept = db.execute("SELECT month, run FROM row_frames ORDER BY month").fetchall()
        latest = db.execute("SELECT month, MAX(id) FROM runs GROUP BY month ORDER BY month").fetchall()
    assert kept == latest == [("2025-01", 1), ("2025-02", 2), ("2025-03", 3)]


@pytest.mark.parametrize(
    ("selection", "where", "params"),
    [
        ({}, "", ()),
        ({"year": 2025}, "", ()),
        ({"months": ["2025-02"]}, "WHERE 月份 = ?", ("2025-02",)),
        ({"since": "2025-02", "through": "2025-03"}, "WHERE 月份 >= ?", ("2025-02",)),
        ({"through": "2025-01"}, "WHERE 月份 <= ?", ("2025-01",)),
    ],
)
def test_rows_read_from_the_frames_equal_the_rows_the_table_holds(tmp_path, selection, where, params):
    path = tmp_path / "ledger.sqlite"
    with _ledger(path) as store:
        read = store.rows(**selection)
    pd.testing.assert_frame_equal(read, _from_table(path, where, params), check_exact=True)
    assert read[L.ADOPT_DATE].isna().any() and read[L.ADOPT_DATE].notna().any()  # blanks stay NaT
    assert (read[L.SENT_DATE].dt.hour == 14).any()  # and a time of day is kept


def test_columns_left_out_are_not_in_what_the_frames_give(tmp_path):
    path = tmp_path / "ledger.sqlite"
    without = (L.PROOF, L.NOTES, L.SOURCE_SHEET)
    with _ledger(path) as store:
        read = store.rows(without=without)
    names = [c for c in L.ROW_COLUMNS if c not in without]
    pd.testing.assert_frame_equal(read, _from_table(path, names=names), check_exact=True)


def test_a_text_every_month_repeats_is_one_object_in_what_is_read(tmp_path):
    with _ledger(tmp_path / "ledger.sqlite") as store:
        titles = store.rows()[L.TITLE]
    repeated = [t for t in titles if t == "每月都列的稿件"]
    assert len(repeated) == 3 and all(t is repeated[0] for t in repeated)


def test_a_frame_another_run_wrote_is_not_used(tmp_path):
    path = _changed(  # a month changed and its run recorded, its frame left as it was
        tmp_path,
        "UPDATE rows SET 稿件标题 = '改过的标题' WHERE 月份 = '2025-02' AND row_id = 2",
        "INSERT INTO runs (started, finished, month, reason, counts, files) SELECT started, finished,"
        " month, reason, counts, files FROM runs WHERE month = '2025-02'",
    )
    with Ledger(path) as store:
        february = store.rows(months=["2025-02"])
    assert february.loc[february[L.ROW_ID] == 2, L.TITLE].tolist() == ["改过的标题"]
    pd.testing.assert_frame_equal(february, _from_table(path, "WHERE 月份 = ?", ("2025-02",)), check_exact=True)


def test_rows_no_run_accounts_for_are_read_from_the_table(tmp_path):
    path = _changed(tmp_path, "UPDATE rows SET 月份 = '2025-04' WHERE 月份 = '2025-03' AND row_id = 1")
    with Ledger(path) as store:
        read = store.rows()
    assert len(read) == 7 + 8 + 9 and read[L.MONTH].iloc[-1] == "2025-04"
    pd.testing.assert_frame_equal(read, _from_table(path), check_exact=True)


def test_a_ledger_from_before_frames_reads_the_same_and_gains_them_when_next_written(tmp_path):
    path = _changed(tmp_path, "DELETE FROM row_frames")
    with Ledger(path) as store:
        pd.testing.assert_frame_equal(store.rows(), _from_table(path), check_exact=True)
        store.replace_month("2025-04", _month("2025-04", 1, 2), [], [], run())
        pd.testing.assert_frame_equal(store.rows(), _from_table(path), check_exact=True)
    with sqlite3.connect(path) as db:
        kept = [m for (m,) in db.execute("SELECT month FROM row_frames ORDER BY month")]
    assert kept == ["2025-01", "2025-02", "2025-03", "2025-04"]


def test_a_month_replaced_with_no_rows_reads_as_none(tmp_path):
    path = tmp_path / "ledger.sqlite"
    with _ledger(path) as store:
        store.replace_month("2025-02", frame(), [], [], run())
        read = store.rows()
        assert store.rows(months=["2025-02"]).empty
    assert sorted(set(read[L.MONTH])) == ["2025-01", "2025-03"]
    pd.testing.assert_frame_equal(read, _from_table(path), check_exact=True)


def test_a_frame_this_program_cannot_read_is_read_from_the_table(tmp_path):
    record = row_frames.encode(_month("2025-02", 1, 8))
    later = zlib.compress(zlib.decompress(record).replace(b'"format": 2', b'"format": 9', 1))
    # a code past the texts of its column (a damaged record that still decompresses)
    raw = zlib.decompress(row_frames.encode(_month("2025-01", 1, 7)))
    damaged = zlib.compress(raw[:-4] + (10**6).to_bytes(4, "little"))
    frame_of = "UPDATE row_frames SET frame = ? WHERE month = ?"
    path = _changed(
        tmp_path,
        (frame_of, (later, "2025-02")),
        (frame_of, (b"not a frame", "2025-03")),
        (frame_of, (damaged, "2025-01")),
    )
    with pytest.raises(ValueError, match="format 9"):
        row_frames.decode(later, [L.TITLE], {})
    with Ledger(path) as store:
        read = store.rows()
    pd.testing.assert_frame_equal(read, _from_table(path), check_exact=True)
