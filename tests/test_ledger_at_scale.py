"""The ledger at a province's size: rows read a chunk at a time with shared texts, and derived
figures kept until a month they count on is replaced."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline import ledger as ledger_module
from pipeline.checks import cross_month
from pipeline.core import labels as L
from pipeline.core.text import fold
from pipeline.files import ledger_rows
from pipeline.ledger import Ledger
from pipeline.scoring import scoring
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


def _store(ledger: Ledger, month: str, *titles: str) -> None:
    rows = frame(*(make_row(n, month=month, title=t, sent=f"{month}-05") for n, t in enumerate(titles, start=1)))
    ledger.replace_month(month, rows, [], [file_record(f"{month}.xlsx", month=month)], run())


def _two_years(ledger: Ledger) -> None:
    _store(ledger, "2023-12", "前年的稿件", "去年三月的稿件")
    _store(ledger, "2024-03", "去年三月的稿件", "去年只报过的稿件")
    _store(ledger, "2024-11", "十一月的稿件", "去年只报过的稿件")
    _store(ledger, "2025-01", "去年三月的稿件", "一月的新稿件")
    _store(ledger, "2025-02", "十一月的稿件")


def _listed(rows: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(rows[L.MONTH], rows[L.TITLE], strict=True))


def test_a_years_rows_hold_of_the_year_before_only_the_pieces_listed_in_the_year(ledger: Ledger) -> None:
    _two_years(ledger)

    rows = ledger.year_rows(2025, "2025-02")

    assert _listed(rows) == [
        ("2024-03", "去年三月的稿件"),
        ("2024-11", "十一月的稿件"),
        ("2025-01", "去年三月的稿件"),
        ("2025-01", "一月的新稿件"),
        ("2025-02", "十一月的稿件"),
    ]
    full = ledger.rows(since="2024-01", through="2025-02")
    pd.testing.assert_frame_equal(rows, full[full[L.TITLE] != "去年只报过的稿件"].reset_index(drop=True))
    pd.testing.assert_frame_equal(rows, ledger_module.history_of(full, 2025))
    # a carried piece's title is one object in both years
    assert len({id(t) for t in rows[L.TITLE] if t == "去年三月的稿件"}) == 1


def test_a_month_not_stored_yet_names_the_pieces_it_lists_and_later_months_are_not_read(ledger: Ledger) -> None:
    _two_years(ledger)

    january = ledger.year_rows(2025, "2025-01")
    before_january = ledger.year_rows(2025, "2024-12", listed=[fold("去年只报过的稿件")])

    assert _listed(january) == [
        ("2024-03", "去年三月的稿件"),
        ("2025-01", "去年三月的稿件"),
        ("2025-01", "一月的新稿件"),
    ]
    assert _listed(before_january) == [("2024-03", "去年只报过的稿件"), ("2024-11", "去年只报过的稿件")]
    assert ledger.year_rows(2025, "2024-12").empty
    assert list(ledger.year_rows(2025, "2024-12").columns) == list(L.ROW_COLUMNS)
    with pytest.raises(ValueError, match="稿件键"):
        ledger.year_rows(2025, "2025-02", without=(L.PIECE_KEY,))


def test_a_second_years_month_finds_every_earlier_claim_in_its_years_rows_and_the_older_adoptions(
    ledger: Ledger,
) -> None:
    # What flow hands `earlier_claims`: `year_rows` (the year before only for the pieces the
    # month's forms list) and the 已采用 rows of the years before that of the same pieces.
    titles = [f"第{n}篇稿件" for n in range(12)]
    rng = random.Random(5)
    for month in ("2023-04", "2023-11", "2024-02", "2024-09", "2025-01", "2025-02"):
        rows = frame(
            *(
                make_row(
                    n,
                    month=month,
                    title=rng.choice(titles),
                    adopted=f"{month}-20" if rng.random() < 0.6 else None,
                    outlet=rng.choice(["要情快报", "国土资源报"]),
                )
                for n in range(1, 9)
            )
        )
        ledger.replace_month(month, rows, [], [file_record(f"{month}.xlsx", month=month)], run())
    march = frame(
        *(
            make_row(n, month="2025-03", title=t, adopted="2025-03-20", outlet=o)
            for n, (t, o) in enumerate([(t, o) for t in titles[:8] for o in ("要情快报", "国土资源报")], start=1)
        )
    )
    listed = march[L.PIECE_KEY]
    earlier = ledger.year_rows(2025, "2025-02", listed=listed)
    claimed = pd.concat(
        [ledger.adoptions(through="2023-12", listed=listed), earlier[list(cross_month.CLAIM_COLUMNS)]],
        ignore_index=True,
    )

    claims = cross_month.earlier_claims(march, claimed)

    assert claims == cross_month.earlier_claims(march, ledger.rows(through="2025-02"))
    assert {claim.message[claim.message.index("已在") :][3:10] for claim in claims} >= {"2023-04", "2024-02"}


def _listed_by_sql(ledger: Ledger, through: str, listed_since: str, names: list[str]) -> pd.DataFrame:
    """The rows of the pieces listed from `listed_since` on, as one SQL query finds them."""
    columns = ", ".join(f'"{c}"' for c in names)
    query = (
        f'SELECT {columns} FROM rows WHERE "{L.MONTH}" <= ? AND "{L.PIECE_KEY}" IN '
        f'(SELECT "{L.PIECE_KEY}" FROM rows WHERE "{L.MONTH}" >= ?) ORDER BY "{L.MONTH}", "{L.ROW_ID}"'
    )
    with sqlite3.connect(ledger.path) as db:
        return ledger_rows.rows_frame(db.execute(query, (through, listed_since)), names)


@pytest.mark.parametrize("seed", range(4))
def test_the_rows_of_pieces_listed_since_a_month_are_those_one_sql_query_finds(ledger: Ledger, seed: int) -> None:
    rng = random.Random(seed)
    months = ["2024-08", "2024-11", "2025-01", "2025-02", "2025-04", "2025-06"]
    for month in months:
        titles = rng.sample([f"第{n}篇稿件" for n in range(15)], 6)
        _store(ledger, month, *titles)
    for through, since in (
        ("2025-04", "2024-11"),
        ("2025-02", "2025-04"),
        ("2025-06", "2025-06"),
        ("2024-08", "2025-01"),
    ):
        for without in ((), scoring.UNREAD_COLUMNS, (L.PIECE_KEY, L.PROOF)):
            names = [c for c in L.ROW_COLUMNS if c not in without]
            found = ledger.rows(through=through, listed_since=since, without=without)
            pd.testing.assert_frame_equal(found, _listed_by_sql(ledger, through, since, names))


def test_a_month_without_its_columnar_frame_is_chosen_from_the_rows_table_alike(ledger: Ledger) -> None:
    _two_years(ledger)
    with_frames = ledger.year_rows(2025, "2025-02"), ledger.rows(through="2025-02", listed_since="2024-11")
    adoptions = ledger.adoptions(through="2025-02", listed=[fold("去年三月的稿件")])
    with sqlite3.connect(ledger.path) as db:
        db.execute("DELETE FROM row_frames WHERE month IN ('2024-03', '2025-01')")

    pd.testing.assert_frame_equal(ledger.year_rows(2025, "2025-02"), with_frames[0])
    pd.testing.assert_frame_equal(ledger.rows(through="2025-02", listed_since="2024-11"), with_frames[1])
    pd.testing.assert_frame_equal(ledger.adoptions(through="2025-02", listed=[fold("去年三月的稿件")]), adoptions)
