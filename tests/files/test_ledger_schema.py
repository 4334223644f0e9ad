"""The ledger's fourth schema version: the columns a scheme adds to the form, added in place to a
ledger of version 3 (its rows kept, the new columns '' for them) and stored like every text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.files import ledger_schema
from pipeline.ledger import Ledger
from tests.test_ledger import frame, make_row, run

SCHEME_VALUES = {
    S.F_USE_FORM: "综合",
    S.F_MODIFIERS: "转发、头版头条",
    S.F_COMMISSION: "YG2025-01",
    S.F_EXTERNAL: "2.5",
}


def _version_3_ledger(path: Path) -> None:
    """A ledger as version 3 of the program left it, holding one row of February."""
    with sqlite3.connect(path) as db:
        for statements in ledger_schema._MIGRATIONS[:3]:
            for statement in statements:
                db.execute(statement)
        db.execute("PRAGMA user_version = 3")
        columns = [c for c in L.ROW_COLUMNS if c not in S.SCHEME_FORM_COLUMNS]
        values = {c: "" for c in columns} | {L.ROW_ID: 1, L.MONTH: "2025-02", L.SOURCE_ROW: 6, L.TITLE: "二月的稿件"}
        values |= {L.UNIT_CODE: "GS01", L.SENT_DATE: "2025-02-03", L.ADOPT_DATE: None}
        marks = ", ".join("?" for _ in columns)
        names = ", ".join(ledger_schema.quoted(c) for c in columns)
        db.execute(f"INSERT INTO rows ({names}) VALUES ({marks})", [values[c] for c in columns])


def test_a_version_3_ledger_gains_the_scheme_columns_in_place_and_keeps_its_rows(tmp_path):
    path = tmp_path / "ledger.sqlite"
    _version_3_ledger(path)
    with Ledger(path) as ledger:
        [stored] = ledger.rows().to_dict("records")
    assert (stored[L.TITLE], stored[L.SENT_DATE]) == ("二月的稿件", pd.Timestamp("2025-02-03"))
    assert [stored[c] for c in S.SCHEME_FORM_COLUMNS] == ["", "", "", ""]
    with sqlite3.connect(path) as db:
        assert (
            db.execute("PRAGMA user_version").fetchone()[0] == 6 == ledger_schema.SCHEMA_VERSION
        )  # then the derived figures (5) and the months' row frames (6)
        columns = [row[1] for row in db.execute("PRAGMA table_info(rows)")]
    assert columns == list(L.ROW_COLUMNS)  # the same columns, in the same order, as a new ledger's


def test_a_migrated_ledger_stores_the_scheme_columns_of_a_new_month(tmp_path):
    path = tmp_path / "ledger.sqlite"
    _version_3_ledger(path)
    with Ledger(path) as ledger:
        ledger.replace_month("2025-03", frame(make_row(1, **SCHEME_VALUES), make_row(2, title="另一篇")), [], [], run())
        march = ledger.rows(months=["2025-03"])
    assert march[list(S.SCHEME_FORM_COLUMNS)].values.tolist() == [list(SCHEME_VALUES.values()), ["", "", "", ""]]


def test_the_scheme_columns_round_trip_as_text(tmp_path):
    rows = frame(make_row(1, **SCHEME_VALUES), make_row(2, title="另一篇"))
    with Ledger(tmp_path / "new" / "ledger.sqlite") as ledger:
        ledger.replace_month("2025-03", rows, [], [], run())
        stored = ledger.rows()
    pd.testing.assert_frame_equal(stored, rows)
    assert all(isinstance(v, str) for c in S.SCHEME_FORM_COLUMNS for v in stored[c])
