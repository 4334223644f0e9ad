"""The near-duplicate check compares a row only with the others that can be its match (the same
figures, sent within days): its warnings are those of comparing every pair."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pipeline.checks import near_duplicates as ND
from pipeline.core import labels as L
from tests.checks.near_duplicates_reference import every_pair

WORDS = ("国土所开展", "耕地保护", "执法检查", "不动产登记", "便民服务", "地质灾害", "巡查", "排查", "工作")


def _random_rows(rng: random.Random, month: str, count: int, first_id: int) -> pd.DataFrame:
    units = [(f"U{n:02d}", f"第{n}单位") for n in range(12)]
    rows = []
    for n in range(count):
        code, name = rng.choice(units)
        figure = rng.choice(["", "", "", "3个", "12个", "2025年"])
        title = "示范县" + "".join(rng.sample(WORDS, 3)) + figure + rng.choice(["", "，", "工作"])
        day = rng.choice([None, *(f"2025-{m:02d}-{d:02d}" for m in range(1, int(month[5:]) + 1) for d in range(1, 29))])
        rows.append(
            {
                L.ROW_ID: first_id + n,
                L.MONTH: month,
                L.UNIT_CODE: code,
                L.UNIT_NAME: name,
                L.TITLE: title,
                L.SENT_DATE: pd.Timestamp(day) if day else pd.NaT,
                L.CO_UNITS: rng.choice(["", "", "", "", "U03"]),
                L.SOURCE_FILE: f"{name}.xlsx",
                L.SOURCE_SHEET: "报送表",
                L.SOURCE_ROW: 6 + n,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("wide", [0, 40, 10**9], ids=["in-blocks", "both", "pair-by-pair"])
def test_the_warnings_are_those_of_comparing_every_pair_of_the_year(monkeypatch, wide):
    monkeypatch.setattr(ND, "PAIRS", 50)  # a few rows' pairs at a time: the month in many parts
    monkeypatch.setattr(ND, "BLOCK", 3)  # blocks of rows a few days long: each meets few others
    monkeypatch.setattr(ND, "WIDE", wide)
    rng = random.Random(23)
    earlier = pd.concat([_random_rows(rng, f"2025-{m:02d}", 150, 1000 * m) for m in range(1, 6)], ignore_index=True)
    rows = _random_rows(rng, "2025-06", 300, 6000)
    rows = pd.concat([rows, earlier.sample(40, random_state=1).assign(**{L.MONTH: "2025-06"})], ignore_index=True)
    rows[L.ROW_ID] = range(6000, 6000 + len(rows))

    found = ND.near_duplicates(rows, earlier)

    assert found == every_pair(rows, earlier)
    assert len(found) > 50  # the random year does have many near duplicates, dated and undated
    assert {w.row_id for w in found} & set(rows.loc[rows[L.SENT_DATE].isna(), L.ROW_ID])


@pytest.mark.parametrize("wide", [0, 10**9], ids=["in-blocks", "pair-by-pair"])
def test_pairs_at_the_edge_of_the_days_apart_and_beyond_the_year_s_dates_are_those_of_every_pair(monkeypatch, wide):
    monkeypatch.setattr(ND, "BLOCK", 2)
    monkeypatch.setattr(ND, "WIDE", wide)
    title = "示范县国土资源局开展机关效能建设督查工作"
    day = pd.Timestamp("2025-03-15")
    earlier = pd.DataFrame(
        [
            {
                L.ROW_ID: n,
                L.MONTH: "2025-02",
                L.UNIT_CODE: f"E{n:02d}",
                L.UNIT_NAME: f"第{n}股",
                L.TITLE: title[: 16 + n % 3] + "事项"[: n % 2],
                L.SENT_DATE: day - pd.Timedelta(days=gap) if gap is not None else pd.NaT,
                L.CO_UNITS: "",
                L.SOURCE_FILE: f"第{n}股.xlsx",
                L.SOURCE_SHEET: "报送表",
                L.SOURCE_ROW: 6 + n,
            }
            for n, gap in enumerate([34, 33, 32, 31, 30, None, -30, -31, -32, -33])
        ]
    )
    rows = pd.concat(
        [
            earlier.assign(**{L.MONTH: "2025-03", L.UNIT_CODE: "R01", L.SENT_DATE: day}).iloc[[3]],
            earlier.assign(**{L.MONTH: "2025-03", L.UNIT_CODE: "R02", L.SENT_DATE: pd.NaT}).iloc[[0]],
            # Sent long before and long after every earlier row: no window reaches them.
            earlier.assign(**{L.MONTH: "2025-03", L.UNIT_CODE: "R03", L.SENT_DATE: day - pd.Timedelta(days=200)}),
            earlier.assign(**{L.MONTH: "2025-03", L.UNIT_CODE: "R04", L.SENT_DATE: day + pd.Timedelta(days=200)}),
        ],
        ignore_index=True,
    )
    rows[L.ROW_ID] = range(100, 100 + len(rows))

    found = ND.near_duplicates(rows, earlier)

    assert found == every_pair(rows, earlier)
    by_row = {w.row_id: w for w in found}
    assert "E03 第3股" in by_row[100].message  # 31 days apart: still the same piece
    assert {100, 101} <= set(by_row)


def _near(rng: random.Random, title: str) -> str:
    """Another unit's take on a title: a word changed, a character added, punctuation."""
    at = rng.randrange(3, len(title))
    return rng.choice(
        [
            title[:at] + "新" + title[at + 1 :],
            title[:at] + "，" + title[at:],
            title + "工作",
            title[:at] + "“" + title[at:] + "”",  # the same folded title
        ]
    )


def _a_year_with_carried_pieces(rng: random.Random, months: int) -> pd.DataFrame:
    """Each month each unit sends new pieces, some near another unit's, and lists again those
    still waiting (the same piece, now and then its title punctuated otherwise or its date and
    co-unit retyped), some naming a co-unit, some undated, dates weeks before and after."""
    units = [(f"U{n:02d}", f"第{n}单位") for n in range(10)]
    waiting: dict[str, list[tuple[str, str | None, str]]] = {code: [] for code, _ in units}
    sent: list[str] = []
    records = []
    for month in range(1, months + 1):
        for code, name in units:
            new = []
            for _ in range(rng.randint(1, 4)):
                title = _near(rng, rng.choice(sent)) if sent and rng.random() < 0.5 else _fresh(rng)
                day = rng.choice(
                    [None, *(f"2025-{m:02d}-{d:02d}" for m in (max(month - 1, 1), month) for d in (1, 9, 17, 28))]
                )
                new.append((title, day, rng.choice(["", "", "", rng.choice(units)[0]])))
            for title, day, co in waiting[code] + new:
                shown = title if rng.random() < 0.7 else title.replace("县", "县 ", 1)
                if shown != title and rng.random() < 0.5:  # retyped: another date, co-unit
                    day = rng.choice([None, f"2025-{month:02d}-{rng.randint(1, 28):02d}"])
                    co = rng.choice(["", rng.choice(units)[0]])
                records.append(
                    {
                        L.ROW_ID: len(records) + 1,
                        L.MONTH: f"2025-{month:02d}",
                        L.UNIT_CODE: code,
                        L.UNIT_NAME: name,
                        L.TITLE: shown,
                        L.SENT_DATE: pd.Timestamp(day) if day else pd.NaT,
                        L.CO_UNITS: co,
                        L.SOURCE_FILE: f"{name}.xlsx",
                        L.SOURCE_SHEET: "报送表",
                        L.SOURCE_ROW: 6 + len(records),
                    }
                )
            sent += [title for title, _, _ in new]
            waiting[code] = [piece for piece in waiting[code] + new if rng.random() < 0.7]
    return pd.DataFrame(records)


def _fresh(rng: random.Random) -> str:
    return "示范县" + "".join(rng.sample(WORDS, 3)) + rng.choice(["", "3个", "12个"])


def test_a_year_of_carried_pieces_is_warned_about_as_comparing_every_pair_and_names_a_piece_s_first_row():
    year = _a_year_with_carried_pieces(random.Random(31), months=6)
    # A piece carried from January to June, punctuated otherwise in March; another unit sends
    # it again, a word changed, in June.
    title = "示范县国土资源局推进不动产登记便民服务"
    carried = year.iloc[:6].assign(
        **{
            L.ROW_ID: range(9001, 9007),
            L.MONTH: [f"2025-{m:02d}" for m in range(1, 7)],
            L.UNIT_CODE: "C1",
            L.UNIT_NAME: "城关所",
            L.TITLE: [title, title, title + "。", title, title, title],
            L.SENT_DATE: pd.Timestamp("2025-05-20"),
            L.CO_UNITS: "",
        }
    )
    again = carried.iloc[[5]].assign(
        **{L.ROW_ID: 9100, L.UNIT_CODE: "C2", L.UNIT_NAME: "东关所", L.TITLE: title.replace("推进", "推动")}
    )
    year = pd.concat([year, carried, again], ignore_index=True)
    earlier, rows = year[year[L.MONTH] < "2025-06"], year[year[L.MONTH] == "2025-06"]

    found = ND.near_duplicates(rows, earlier)

    assert found == every_pair(rows, earlier)
    assert len(found) > 20
    [named] = [warning for warning in found if warning.row_id == 9100]
    assert "C1 城关所 2025-01" in named.message  # the first row of the carried piece
    assert {warning.row_id for warning in found} & set(rows.loc[rows[L.SENT_DATE].isna(), L.ROW_ID])
