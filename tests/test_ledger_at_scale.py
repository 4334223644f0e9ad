"""The ledger at a province's size: rows read a chunk at a time with shared texts, and derived
figures kept until a month they count on is replaced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import ledger as ledger_module
from pipeline.core import labels as L
from pipeline.files import ledger_rows
from pipeline.ledger import Ledger
from tests.test_ledger import file_record, frame, make_row, run


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    with Ledger(tmp_path / "outputs" / "ledger.sqlite") as opened:
        yield opened


def _month(ledger: Ledger, month: str, count: int = 3) -> pd.DataFrame:
    rows = frame(
        *(
            make_row(
                n,
                month=month,
                title=f"第{n}篇{month}稿件",
                sent=f"{month}-05",
                adopted=f"{month}-20" if n % 2 else None,
            )
            for n in range(1, count + 1)
        )
    )
    ledger.replace_month(month, rows, [], [file_record(f"{month}.xlsx", month=month)], run())
    return rows


def test_rows_read_a_few_at_a_time_equal_the_rows_stored(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = pd.concat([_month(ledger, "2025-01", 5), _month(ledger, "2025-02", 4)], ignore_index=True)
    monkeypatch.setattr(ledger_rows, "CHUNK", 2)

    pd.testing.assert_frame_equal(ledger.rows(), stored)
    pd.testing.assert_frame_equal(ledger.rows(months=["2025-02"]), stored.iloc[5:].reset_index(drop=True))


def test_equal_texts_of_the_rows_read_together_share_one_object(ledger: Ledger) -> None:
    _month(ledger, "2025-01", 5)
    _month(ledger, "2025-02", 5)

    rows = ledger.rows()

    for column in (L.UNIT_NAME, L.CATEGORY, L.REVIEWER, L.MONTH):
        texts = rows[column].tolist()
        assert len({id(text) for text in texts}) == len(set(texts)), column
    assert rows[L.OUTLET].tolist().count("") == 4 and len({id(t) for t in rows[L.OUTLET] if t == ""}) == 1


def test_no_rows_read_is_an_empty_frame_with_the_columns_and_types(ledger: Ledger) -> None:
    rows = ledger.rows()

    assert rows.empty and list(rows.columns) == list(L.ROW_COLUMNS)
    assert rows[L.ROW_ID].dtype == "int64" and rows[L.SENT_DATE].dtype == ledger_module._DATE_DTYPE


def test_derived_figures_come_back_only_under_the_same_key(ledger: Ledger) -> None:
    _month(ledger, "2025-01")
    ledger.keep_derived("2025-01", "看板月度", "plan-a", {"sent": 3, "rate": 0.5, "units": ["GS01"]})

    assert ledger.derived("2025-01", "看板月度", "plan-a") == {"sent": 3, "rate": 0.5, "units": ["GS01"]}
    assert ledger.derived("2025-01", "看板月度", "plan-b") is None
    assert ledger.derived("2025-01", "看板季度", "plan-a") is None
    assert ledger.derived("2025-02", "看板月度", "plan-a") is None


def test_replacing_a_month_drops_its_derived_figures_and_later_months_but_keeps_earlier_ones(ledger: Ledger) -> None:
    for month in ("2024-12", "2025-01", "2025-02", "2025-03"):
        _month(ledger, month)
        ledger.keep_derived(month, "看板月度", "k", {"month": month})

    _month(ledger, "2025-02", 2)

    kept = {m: ledger.derived(m, "看板月度", "k") for m in ("2024-12", "2025-01", "2025-02", "2025-03")}
    assert kept == {"2024-12": {"month": "2024-12"}, "2025-01": {"month": "2025-01"}, "2025-02": None, "2025-03": None}


def test_derived_figures_that_are_not_numbers_are_refused(ledger: Ledger) -> None:
    with pytest.raises(ValueError):
        ledger.keep_derived("2025-01", "看板月度", "k", {"rate": float("nan")})
    with pytest.raises(ValueError):
        ledger.keep_derived("2025-1", "看板月度", "k", {})


def test_rows_without_some_columns_are_the_other_columns_of_the_same_rows(ledger: Ledger) -> None:
    _month(ledger, "2025-01", 4)
    left_out = (L.NOTES, L.PROOF, L.SENT_DATE + L.RAW_SUFFIX)

    pd.testing.assert_frame_equal(ledger.rows(without=left_out), ledger.rows().drop(columns=list(left_out)))
