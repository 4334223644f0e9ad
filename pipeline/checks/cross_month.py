"""Two rules that look across months, on the rows of the ledger's earlier months.

`earlier_claims` rejects an adoption already counted in an earlier month, and `carry_over_table`
lists each unit's pieces that are still waiting for an adoption, for next month's form. Both take rows
frames (`L.ROW_COLUMNS`), e.g. from `Ledger.rows`, and read nothing themselves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.text import outlet_key

CARRY_COLUMNS = L.CARRY_COLUMNS
CLAIM_COLUMNS = (L.MONTH, L.PIECE_KEY, L.STATUS, L.OUTLET)  # what `earlier_claims` reads of earlier rows


def earlier_claims(rows: pd.DataFrame, earlier: pd.DataFrame) -> list[P.Problem]:
    """Adoptions of this month already counted in an earlier month, as `row-claimed-earlier`.

    An adoption is a piece (稿件键) at an outlet (folded 采用载体). It is a duplicate claim when
    an earlier month holds the same adoption for the same unit, for a unit linked to it through
    合作单位, or for an unrelated unit: the outlet published the piece once, so whoever counted it
    first keeps it. Only 已采用 rows count, and only earlier rows of an earlier 月份.

    Args:
        rows: the month's rows after the checks (`L.ROW_COLUMNS`).
        earlier: accepted rows of earlier months, e.g. `Ledger.rows(through=previous month)`;
            only `CLAIM_COLUMNS` are read.

    Returns:
        One error per claimed row, in row_id order, naming the month the adoption was counted in.
    """
    current = _adoptions(rows)
    if current.empty:
        return []
    before = _adoptions(earlier, of=pd.unique(current[L.PIECE_KEY]))
    if before.empty:
        return []
    pairs = current.merge(
        before[[L.PIECE_KEY, "_outlet", L.MONTH]].rename(columns={L.MONTH: "_other_month"}),
        on=[L.PIECE_KEY, "_outlet"],
    )
    pairs = pairs[pairs["_other_month"] < pairs[L.MONTH]]
    first = pairs.sort_values([L.ROW_ID, "_other_month"]).drop_duplicates(L.ROW_ID)
    return [_claim_problem(row) for row in first.to_dict("records")]


def _adoptions(rows: pd.DataFrame, *, of: np.ndarray | None = None) -> pd.DataFrame:
    """The 已采用 rows (only those of the pieces `of` when given) with their folded outlets."""
    if rows.empty:
        return pd.DataFrame(columns=[*L.ROW_COLUMNS, "_outlet"])
    adopted = rows[rows[L.STATUS] == L.ADOPTED]
    if of is not None:
        # A province's year is hundreds of thousands of adoptions, of which the month's pieces
        # are a small part: only theirs are folded and joined.
        adopted = adopted[adopted[L.PIECE_KEY].isin(of)]
    # Each distinct outlet folded once: a province's year is half a million adoptions.
    codes, outlets = pd.factorize(adopted[L.OUTLET], use_na_sentinel=False)
    folded = np.asarray([outlet_key(str(o)) for o in outlets], dtype=object)
    return adopted.assign(_outlet=folded[codes])


def _claim_problem(row: dict[str, Any]) -> P.Problem:
    return P.at_row(
        "row-claimed-earlier", row, L.OUTLET, value=row[L.TITLE], outlet=row[L.OUTLET], other_month=row["_other_month"]
    )


def carry_over_table(rows: pd.DataFrame, columns: tuple[str, ...] = CARRY_COLUMNS) -> pd.DataFrame:
    """Every unit's pieces still waiting for an adoption, to pre-fill its next form.

    Args:
        rows: accepted rows of every month up to and including the month just processed, across
            years: a piece sent last year and never adopted carries into January.
        columns: the rows' columns given for each piece (the forms' own, `CARRY_COLUMNS`, unless
            the caller joins some of them afterwards by 月份 and row_id).

    Returns:
        单位代码 and `columns`, by unit code; per unit one row per piece the unit itself
        listed (稿件键), with the values of its latest row (by 月份, then row_id), sorted by 报送日期
        then 稿件标题. A piece is left out once it has any adoption: by the unit, or by a unit
        linked to it through 合作单位 (either side naming the other). One sort for all units: a
        sort per unit cost more than its form.
    """
    # Stable sorts: by the pieces' order first, then by unit, which keeps that order within a unit.
    ordered = _carry_order(_waiting_pieces(rows)).loc[:, [L.UNIT_CODE, *columns]]
    return ordered.sort_values(L.UNIT_CODE, kind="stable").reset_index(drop=True)


def _waiting_pieces(rows: pd.DataFrame) -> pd.DataFrame:
    """The latest row of every (unit, piece) that no one has adopted, with 单位代码."""
    if rows.empty:
        return pd.DataFrame(columns=list(dict.fromkeys([L.UNIT_CODE, *CARRY_COLUMNS, L.PIECE_KEY, *rows.columns])))
    ordered = rows.sort_values([L.MONTH, L.ROW_ID], kind="stable")
    adopted = (ordered[L.STATUS] == L.ADOPTED).to_numpy()
    links = _co_unit_links(ordered, named_only=not (ordered[L.UNIT_CODE].to_numpy()[adopted] == "").any())
    # (unit, 稿件键) pairs as integers, one code per pair across the rows and their links: a
    # province's half year is most of a million rows, too many for sets of tuples.
    own, co_named, naming = _pair_codes(
        (ordered[L.UNIT_CODE], ordered[L.PIECE_KEY]),
        (links["_co"], links[L.PIECE_KEY]),
        (links[L.UNIT_CODE], links[L.PIECE_KEY]),
    )
    direct = own[adopted]
    linked_adopted = (links[L.STATUS] == L.ADOPTED).to_numpy()
    # The adopting unit named this unit as co-writer.
    named = co_named[linked_adopted & (links["_co"] != "").to_numpy()]
    # This unit named a co-writer that reported the adoption itself.
    naming = naming[_among(co_named, direct)]
    taken = np.concatenate([direct, named, naming])
    latest = ~pd.Series(own).duplicated(keep="last").to_numpy()
    return ordered[latest & ~_among(own, taken) & (ordered[L.STATUS] == L.NOT_ADOPTED).to_numpy()]


def _among(codes: np.ndarray, of: np.ndarray) -> np.ndarray:
    """Which of `codes` (integers) are in `of`: by a hash table, where `np.isin` sorts or hashes
    both arrays (a tenth of a second for each of a province's half year of pairs)."""
    return pd.Series(codes).isin(of).to_numpy()


def _pair_codes(*pairs: tuple[pd.Series, pd.Series]) -> list[np.ndarray]:
    """Each (unit, 稿件键) pair of every given pair of columns as one integer: equal pairs, and only
    they, get equal integers across all of them."""
    units, _ = pd.factorize(np.concatenate([u.to_numpy(dtype=object) for u, _ in pairs]), use_na_sentinel=False)
    keys, names = pd.factorize(np.concatenate([k.to_numpy(dtype=object) for _, k in pairs]), use_na_sentinel=False)
    codes = units.astype(np.int64) * max(len(names), 1) + keys
    return np.split(codes, np.cumsum([len(u) for u, _ in pairs])[:-1])


def _co_unit_links(rows: pd.DataFrame, *, named_only: bool = False) -> pd.DataFrame:
    """One line per row and named co-unit (`_co`, '' when none) with 单位代码, 稿件键, 采用情况.
    With `named_only`, the rows that name no co-unit are left out (when no unit's code is blank,
    their '' names no one)."""
    co = rows[L.CO_UNITS].fillna("").astype(str)
    kept = (co != "").to_numpy() if named_only else np.ones(len(rows), dtype=bool)
    links = rows.loc[kept, [L.UNIT_CODE, L.PIECE_KEY, L.STATUS]].assign(_co=co[kept].str.split(L.LIST_SEPARATOR))
    links = links.explode("_co")
    return links.assign(_co=links["_co"].fillna("").str.strip())


def _carry_order(waiting: pd.DataFrame) -> pd.DataFrame:
    return waiting.sort_values([L.SENT_DATE, L.TITLE, L.PIECE_KEY], na_position="last", kind="stable")
