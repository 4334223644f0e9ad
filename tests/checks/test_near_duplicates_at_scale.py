"""The near-duplicate check compares a row only with the others that can be its match (the same
figures, sent within days): its warnings are those of comparing every pair."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz, process

from pipeline.checks import near_duplicates as ND
from pipeline.core import labels as L

WORDS = ("国土所开展", "耕地保护", "执法检查", "不动产登记", "便民服务", "地质灾害", "巡查", "排查", "工作")


def _every_pair(rows: pd.DataFrame, earlier: pd.DataFrame) -> list:
    """The check as it was: each row against every other of the year, best score first."""
    current = ND._keyed(rows)
    others = pd.concat([ND._keyed(earlier), current], ignore_index=True)
    others = others.drop_duplicates([L.UNIT_CODE, "_key"], keep="first")
    if current.empty or len(others) < 2:
        return []
    keys = others["_key"].tolist()
    problems = []
    for row in current.to_dict("records"):
        [scores] = process.cdist([row["_key"]], keys, scorer=fuzz.ratio, score_cutoff=ND.SIMILAR_FROM, dtype=np.uint8)
        candidates = np.flatnonzero(scores)
        for j in candidates[np.argsort(-scores[candidates].astype(int), kind="stable")]:
            other = others.iloc[j]
            if ND._unrelated(row, other) and (other[L.MONTH], other[L.ROW_ID]) < (row[L.MONTH], row[L.ROW_ID]):
                problems.append(ND._problem(row, other, int(scores[j])))
                break
    return problems


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

    assert found == _every_pair(rows, earlier)
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

    assert found == _every_pair(rows, earlier)
    by_row = {w.row_id: w for w in found}
    assert "E03 第3股" in by_row[100].message  # 31 days apart: still the same piece
    assert {100, 101} <= set(by_row)
