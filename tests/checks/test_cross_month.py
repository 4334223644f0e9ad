"""Adoptions claimed again: the month's rows against a year of earlier adoptions, as a plain
row-by-row reading of the rule finds them."""

from __future__ import annotations

import random
import re

import pandas as pd

from pipeline.checks.cross_month import CLAIM_COLUMNS, earlier_claims
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.text import outlet_key

PIECES = [f"示范县国土资源局第{n}项工作" for n in range(120)]
OUTLETS = ["《要情快报》", "要情快报 ", "临沂日报", "《中国自然资源报》", "中国自然资源报", "县政府网站"]


def _rows(rng: random.Random, month: str, count: int, first_id: int) -> pd.DataFrame:
    rows = []
    for n in range(count):
        adopted = rng.random() < 0.6
        title = rng.choice(PIECES) if rng.random() < 0.8 else f"{month}新稿件{n}"
        rows.append(
            {
                L.ROW_ID: first_id + n,
                L.MONTH: month,
                L.UNIT_CODE: f"U{rng.randrange(8):02d}",
                L.UNIT_NAME: "某单位",
                L.SOURCE_FILE: "某单位.xlsx",
                L.SOURCE_SHEET: L.FORM_SHEET,
                L.SOURCE_ROW: 6 + n,
                L.TITLE: title,
                L.PIECE_KEY: title.lower(),
                L.STATUS: L.ADOPTED if adopted else L.NOT_ADOPTED,
                L.OUTLET: rng.choice(OUTLETS) if adopted else "",
            }
        )
    return pd.DataFrame(rows)


def _claims_row_by_row(rows: pd.DataFrame, earlier: pd.DataFrame) -> list[P.Problem]:
    """Each adopted row of the month against every earlier adoption: the first month that
    counted the same piece at the same outlet, before the row's own."""
    counted: dict[tuple[str, str], list[str]] = {}
    for month, piece, status, outlet in earlier[list(CLAIM_COLUMNS)].itertuples(index=False):
        if status == L.ADOPTED:
            counted.setdefault((piece, outlet_key(outlet)), []).append(month)
    problems = []
    for row in rows.sort_values(L.ROW_ID).to_dict("records"):
        months = [m for m in counted.get((row[L.PIECE_KEY], outlet_key(row[L.OUTLET])), []) if m < row[L.MONTH]]
        if row[L.STATUS] == L.ADOPTED and months:
            fields = {"value": row[L.TITLE], "outlet": row[L.OUTLET], "other_month": min(months)}
            problems.append(P.at_row("row-claimed-earlier", row, L.OUTLET, **fields))
    return problems


def test_a_month_s_claims_against_a_year_of_adoptions_are_those_of_reading_row_by_row():
    rng = random.Random(7)
    earlier = pd.concat(
        [_rows(rng, f"2025-{m:02d}", 200, 1000 * m) for m in (1, 2, 3, 4, 5, 7)], ignore_index=True
    ).sample(frac=1, random_state=2)  # any order; July's adoptions come after June's rows
    rows = _rows(rng, "2025-06", 150, 6000)

    claims = earlier_claims(rows, earlier)

    assert claims == _claims_row_by_row(rows, earlier)
    assert len(claims) > 30
    assert {re.search(r"已在 (\S+) 计入", claim.message)[1] for claim in claims} <= {
        f"2025-{m:02d}" for m in range(1, 6)
    }
    adoption = rows[L.PIECE_KEY] + rows[L.OUTLET].map(outlet_key)
    counted = earlier[earlier[L.STATUS] == L.ADOPTED]
    counted_as = counted[L.PIECE_KEY] + counted[L.OUTLET].map(outlet_key)
    only_later = adoption.isin(counted_as[counted[L.MONTH] == "2025-07"]) & ~adoption.isin(
        counted_as[counted[L.MONTH] < "2025-06"]
    )
    assert only_later.any()  # counted in July only: not a claim in June
    assert not set(rows.loc[only_later, L.ROW_ID]) & {claim.row_id for claim in claims}
