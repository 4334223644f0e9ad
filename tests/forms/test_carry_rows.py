"""What next month's forms carry, taken from the rows a run holds instead of read again: always
the frame the ledger's own query gives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.checks import cross_month
from pipeline.core import labels as L
from pipeline.files import faults
from pipeline.forms import issue
from pipeline.ledger import Ledger
from pipeline.scoring import scoring
from tests.test_ledger import file_record, frame, make_row, run


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.sqlite") as opened:
        yield opened


def _month(store: Ledger, month: str, *rows: dict) -> None:
    store.replace_month(month, frame(*rows), [], [file_record(f"{month}.xlsx", month=month)], run())


def _held(store: Ledger, since: str, through: str, without: tuple[str, ...] = scoring.UNREAD_COLUMNS) -> issue.HeldRows:
    """The rows a month's run holds when it starts the forms (`flow._process`)."""
    return issue.HeldRows(store.rows(since=since, through=through, without=without), since, through)


def _as_the_ledger_gives(store: Ledger, month: str, held: issue.HeldRows) -> pd.DataFrame:
    """`carry_rows` from `held`, checked against the ledger's own query: the same frame (less the
    columns `held` lacks), and the same pieces carried with every column (`carried_pieces` reads
    those for the pieces carried alone)."""
    carried = issue.carry_rows(store, month, held)
    plain = issue.carry_rows(store, month)
    pd.testing.assert_frame_equal(carried, plain[list(carried.columns)])
    assert issue.carried_pieces(store, month, held) == issue.recent_rows(cross_month.carry_over_table(plain), month)
    return carried


def _year(store: Ledger) -> None:
    # A piece adopted in 2023 and listed again in 2025 (its adoption ends the carrying), one
    # carried from 2024, one new, one listed only in November (not since the cutoff, January).
    _month(
        store, "2023-05", make_row(1, month="2023-05", title="前年采用的稿件", sent="2023-05-02", adopted="2023-05-20")
    )
    _month(
        store,
        "2024-11",
        make_row(1, month="2024-11", title="去年报送的稿件", sent="2024-11-20", notes="去年"),
        make_row(2, month="2024-11", title="只在去年十一月的稿件", sent="2024-11-06"),
    )
    _month(store, "2025-01", make_row(2, month="2025-01", title="去年报送的稿件", sent="2024-11-20", notes="一月"))
    _month(
        store,
        "2025-06",
        make_row(1, month="2025-06", title="前年采用的稿件", sent="2023-05-02"),
        make_row(2, month="2025-06", title="去年报送的稿件", sent="2024-11-20", co="SO01", notes="六月"),
        make_row(3, month="2025-06", title="六月的新稿件", sent="2025-06-03", unit="GS02"),
    )


@pytest.mark.parametrize("without", [scoring.UNREAD_COLUMNS, ()], ids=["scoring's columns", "every column"])
def test_the_forms_carry_from_the_held_rows_what_the_ledger_s_query_gives(store: Ledger, without) -> None:
    _year(store)
    held = _held(store, "2024-01", "2025-06", without)

    carried = _as_the_ledger_gives(store, "2025-07", held)

    assert list(zip(carried[L.MONTH], carried[L.TITLE], strict=True)) == [
        ("2023-05", "前年采用的稿件"),  # before the held rows: read from the ledger
        ("2024-11", "去年报送的稿件"),
        ("2025-01", "去年报送的稿件"),
        ("2025-06", "前年采用的稿件"),
        ("2025-06", "去年报送的稿件"),
        ("2025-06", "六月的新稿件"),
    ]
    assert set(cross_month.carry_over_table(carried, (L.TITLE,))[L.TITLE]) == {"去年报送的稿件", "六月的新稿件"}


def test_rows_held_for_another_month_or_a_ledger_with_later_months_are_not_used(store: Ledger) -> None:
    _year(store)
    # A later month lists the November piece again: its November row is read by the ledger's
    # query (which counts every listing since the cutoff), not found among the rows held.
    _month(store, "2025-08", make_row(1, month="2025-08", title="只在去年十一月的稿件", sent="2024-11-06"))
    held = _held(store, "2024-01", "2025-06")

    carried = _as_the_ledger_gives(store, "2025-07", held)

    assert ("2024-11", "只在去年十一月的稿件") in set(zip(carried[L.MONTH], carried[L.TITLE], strict=True))
    _as_the_ledger_gives(store, "2025-09", held)  # held through June, the forms of September read through August


def _waiting_by_sets(rows: pd.DataFrame) -> pd.DataFrame:
    """Reference: the waiting pieces with the adopted (unit, 稿件键) pairs as sets of tuples."""
    latest = rows.sort_values([L.MONTH, L.ROW_ID], kind="stable").drop_duplicates(
        [L.UNIT_CODE, L.PIECE_KEY], keep="last"
    )
    co = rows[L.CO_UNITS].fillna("").astype(str).str.split(L.LIST_SEPARATOR)
    links = rows[[L.UNIT_CODE, L.PIECE_KEY, L.STATUS]].assign(_co=co).explode("_co")
    links = links.assign(_co=links["_co"].fillna("").str.strip())
    adopted = links[links[L.STATUS] == L.ADOPTED]
    direct = set(zip(adopted[L.UNIT_CODE], adopted[L.PIECE_KEY], strict=True))
    named = {(c, k) for c, k in zip(adopted["_co"], adopted[L.PIECE_KEY], strict=True) if c}
    naming = {
        (u, k) for u, c, k in zip(links[L.UNIT_CODE], links["_co"], links[L.PIECE_KEY], strict=True) if (c, k) in direct
    }
    taken = direct | named | naming
    keys = list(zip(latest[L.UNIT_CODE], latest[L.PIECE_KEY], strict=True))
    return latest[np.array([key not in taken for key in keys], dtype=bool) & (latest[L.STATUS] == L.NOT_ADOPTED)]


@pytest.mark.parametrize("seed", range(6))
def test_the_waiting_pieces_are_those_sets_of_adopted_pairs_leave(seed: int) -> None:
    # Shuffled rows of few units and titles, co-units named both ways (with blanks between
    # separators), a blank unit code that a blank co-unit then names, adoptions here and there.
    pick = random.Random(seed)
    units = ["GS01", "GS02", "SO01", "ZX01", *([""] if seed % 2 else [])]
    rows = []
    for n in range(1, 300):
        co = pick.choice(["", "", "", "SO01", "GS01、SO01", "GS02、 、", "ZX01 、GS01"])
        rows.append(
            make_row(
                n,
                unit=pick.choice(units) or "GS01",
                month=f"2025-0{pick.randint(1, 4)}",
                title=f"稿件{pick.randint(1, 25)}",
                co=co,
                adopted="2025-03-09" if pick.random() < 0.2 else None,
            )
        )
    table = frame(*rows).sample(frac=1, random_state=seed)
    if seed % 2:
        table.loc[table.index[:20], L.UNIT_CODE] = ""

    pd.testing.assert_frame_equal(cross_month._waiting_pieces(table), _waiting_by_sets(table))


def test_a_blank_unit_code_is_named_by_every_row_naming_no_co_unit_as_the_sets_had_it() -> None:
    # Never so in a real ledger (a row without 单位代码 is rejected), but the pairs keep it.
    rows = frame(make_row(1, title="合写稿件甲"), make_row(2, title="合写稿件甲", unit="GS02", adopted="2025-03-09"))
    rows.loc[1, L.UNIT_CODE] = ""

    assert cross_month._waiting_pieces(rows).empty
    pd.testing.assert_frame_equal(cross_month._waiting_pieces(rows), _waiting_by_sets(rows))


@pytest.mark.parametrize("through", ["2025-01", "2025-06"])
def test_the_forms_carry_what_the_ledger_gives_from_a_year_s_rows_holding_part_of_the_year_before(
    store: Ledger, through: str
) -> None:
    # The run holds `Ledger.year_rows`: this year's rows and, of 2024, only the pieces listed
    # in 2025. February's forms carry back to August 2024, so the November piece listed only
    # then is read from the ledger; July's carry from January 2025 only.
    _year(store)
    rows = store.year_rows(2025, through, without=scoring.UNREAD_COLUMNS)
    assert "只在去年十一月的稿件" not in set(rows[L.TITLE])
    held = issue.HeldRows(rows, "2025-01", through)
    month = "2025-02" if through == "2025-01" else "2025-07"

    carried = _as_the_ledger_gives(store, month, held)

    listed = set(zip(carried[L.MONTH], carried[L.TITLE], strict=True))
    assert (("2024-11", "只在去年十一月的稿件") in listed) == (month == "2025-02")


@pytest.mark.parametrize("seed", range(4))
def test_the_pieces_carried_from_held_rows_are_those_of_the_ledger_s_query_on_random_ledgers(
    store: Ledger, seed: int
) -> None:
    # Pieces listed month after month with other notes, 报送去向 and sent dates each time (the
    # carried row is the latest one, its columns scoring leaves out read afterwards), some
    # adopted, co-written both ways, some from the year before.
    pick = random.Random(seed)
    months = ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04"]
    for month in months:
        rows = [
            make_row(
                n,
                month=month,
                unit=pick.choice(["GS01", "GS02", "SO01", "ZX01"]),
                title=f"稿件{pick.randint(1, 30)}",
                sent=f"{month}-{pick.randint(1, 28):02d}",
                sent_to=pick.choice(["县委办", "市局", "县融媒体中心"]),
                notes=pick.choice(["", "", f"{month}备注{n}", "补报"]),
                co=pick.choice(["", "", "", "GS01", "SO01、ZX01"]),
                adopted=f"{month}-28" if pick.random() < 0.15 else None,
            )
            for n in range(1, 41)
        ]
        _month(store, month, *rows)
    rows = store.year_rows(2025, "2025-04", without=scoring.UNREAD_COLUMNS)
    held = issue.HeldRows(rows, "2025-01", "2025-04")

    carried = issue.carried_pieces(store, "2025-05", held)

    plain = issue.recent_rows(cross_month.carry_over_table(issue.carry_rows(store, "2025-05")), "2025-05")
    assert carried == plain
    pieces = [piece for unit in plain.values() for piece in unit]
    assert len(pieces) > 20 and {piece[L.NOTES] for piece in pieces} - {None}
    assert {piece[L.SENT_TO] for piece in pieces} > {"市局"}


def test_the_forms_process_a_run_forks_does_not_check_the_ledger_s_pages_again(
    store: Ledger, plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The run checked the ledger when it opened it; `run.py --forms`, a run of its own, checks it.
    _year(store)
    checks: list[Path] = []
    monkeypatch.setattr(faults, "check_store", lambda db, path, expected: checks.append(path))
    outputs = store.path.parent

    issue.write_forms_from_ledger(plan, outputs, "2025-07", checked=True)
    assert checks == []
    issue.write_forms_from_ledger(plan, outputs, "2025-07")
    assert checks == [store.path]
