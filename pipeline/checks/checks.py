"""Checks of the month's returned rows.

The rules of the form contract run as the Great Expectations suite `expectations/rows.json`, in
one pass over all the month's rows; what GX cannot express (a piece listed by two units, the same
adoption listed twice, co-units naming the unit itself) runs here in pandas and reports the same
`Problem`s. A row with any 错误 is rejected whole; rows with only 警告 are accepted with the note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.checks.scheme_rows import scheme_row_problems
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.months import month_bounds
from pipeline.core.text import outlet_key
from pipeline.files import gx, parallel
from pipeline.plan.plan import Plan

SUITE_FILE = "rows.json"
_RAW = L.RAW_SUFFIX


def validate_rows(
    rows: pd.DataFrame, plan: Plan, month: str, *, expectations: Path = gx.EXPECTATIONS_DIR
) -> list[P.Problem]:
    """All row problems of the month: the GX suite, then the pandas checks.

    Args:
        rows: the month's rows as intake returns them (columns `L.ROW_COLUMNS`).
        plan: the year's plan (units, its vocabulary, its scheme's catalogues).
        month: "YYYY-MM" being processed.
        expectations: folder holding rows.json.

    Returns:
        Problems located by unit, file, Excel row, column and row_id.
    """
    if rows.empty:
        return []
    suite_file = expectations / SUITE_FILE
    (suite,) = gx.load_suites(suite_file)
    start, end = (pd.Timestamp(day) for day in month_bounds(month))
    vocab = plan.vocabulary  # the plan's own names under a scheme, labels.py's otherwise
    parameters = {
        "categories": list(vocab.categories),
        "levels": list(vocab.levels),
        "statuses": list(L.STATUSES),
        "instruction_levels": [L.NO_INSTRUCTION, *vocab.instructions],
        "month_start": start,
        "month_end": end,
        "co_unit_pattern": co_unit_pattern(plan),
    }
    failures = gx.validate(_for_gx(rows), suite, id_column=L.ROW_ID, parameters=parameters, source=suite_file)
    # The failing rows as records, each made once: a row looked up by label per failure cost
    # seconds at a province's size.
    failing = rows[rows[L.ROW_ID].isin({row_id for failure in failures for row_id in failure.row_ids})]
    records = dict(zip(failing[L.ROW_ID], failing.to_dict("records"), strict=True))
    problems = [
        _row_problem(failure, records[row_id], plan, month) for failure in failures for row_id in failure.row_ids
    ]
    problems += duplicate_adoptions(rows) + pieces_across_units(rows, plan) + self_co_units(rows, plan)
    return problems + scheme_row_problems(rows, plan)


# Rows of a month from which `start_validation` checks them in a second process: below,
# forking costs more than the overlap saves.
APART_FROM = 20_000


def start_validation(rows: pd.DataFrame, plan: Plan, month: str) -> parallel.Background | None:
    """`validate_rows` under way in a forked process, for a big month where the system can fork,
    so that the caller reads the earlier rows meanwhile and then takes `.result()` (or calls
    `.abandon()` when it fails first); None otherwise (the caller checks the rows itself)."""
    if len(rows) < APART_FROM or not parallel.can_fork():
        return None
    return parallel.Background(validate_rows, (rows, plan, month))


def co_unit_pattern(plan: Plan) -> str:
    """A regex matching a 、-joined list of known unit codes or exact unit names."""
    names = sorted({*plan.units.index, *plan.units[L.P_UNIT_NAME]}, key=len, reverse=True)
    one = "(?:" + "|".join(re.escape(n) for n in names) + ")"
    return f"^{one}(?:{L.LIST_SEPARATOR}{one})*$"


def split_rows(rows: pd.DataFrame, problems: list[P.Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accepted and rejected rows: a row is rejected when any 错误 names its row_id."""
    bad = {p.row_id for p in problems if p.severity == L.ERROR and p.row_id is not None}
    rejected = rows[L.ROW_ID].isin(bad)
    return rows[~rejected], rows[rejected]


def accepted_form(rows: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Accepted rows as the ledger keeps them: 合作单位 as unit codes without the unit itself,
    领导批示 "无" where blank, adoption fields emptied on 未采用 rows (a scheme's 采用形式,
    计分加成 and 上级计分 too; 约稿编号 stays: a piece delivers a 约稿 when it is sent)."""
    co_units = [
        L.LIST_SEPARATOR.join(c for c in _co_unit_codes(value, plan) if c != unit)
        for value, unit in zip(rows[L.CO_UNITS], rows[L.UNIT_CODE], strict=True)
    ]
    not_adopted = rows[L.STATUS] != L.ADOPTED
    return rows.assign(
        **{
            L.CO_UNITS: co_units,
            L.INSTRUCTION: rows[L.INSTRUCTION].replace("", L.NO_INSTRUCTION),
            L.LEVEL: rows[L.LEVEL].mask(not_adopted, ""),
            L.OUTLET: rows[L.OUTLET].mask(not_adopted, ""),
            L.ADOPT_DATE: rows[L.ADOPT_DATE].mask(not_adopted, pd.NaT),
            **{c: rows[c].mask(not_adopted, "") for c in (S.F_USE_FORM, S.F_MODIFIERS, S.F_EXTERNAL)},
        }
    )


def duplicate_adoptions(rows: pd.DataFrame) -> list[P.Problem]:
    """The same adoption (piece × outlet) listed twice by one unit in the month: later rows are
    rejected, naming the first."""
    adopted = rows[(rows[L.STATUS] == L.ADOPTED) & (rows[L.OUTLET] != "")]
    adopted = adopted.assign(_outlet=adopted[L.OUTLET].map(outlet_key)).sort_values(L.ROW_ID)
    key = [L.UNIT_CODE, L.PIECE_KEY, "_outlet"]
    first = adopted.drop_duplicates(key).set_index(key)
    problems = []
    for _, row in adopted[adopted.duplicated(key)].iterrows():
        original = first.loc[tuple(row[key])]
        other = f"“{original[L.SOURCE_FILE]}”第 {original[L.SOURCE_ROW]} 行"
        problems.append(_problem("row-duplicate-adoption", row, L.OUTLET, row[L.OUTLET], other=other))
    return problems


def pieces_across_units(rows: pd.DataFrame, plan: Plan) -> list[P.Problem]:
    """A piece (same normalised title) listed by several units in the month.

    When neither unit names the other in 合作单位 the claim is ambiguous and every such row is
    rejected; when only one side names the other, it is the same co-written piece and the silent
    side gets a warning.
    """
    titled = rows[rows[L.PIECE_KEY] != ""]
    shared = titled[titled.groupby(L.PIECE_KEY)[L.UNIT_CODE].transform("nunique") > 1]
    named = {
        (unit, code)
        for unit, value in zip(shared[L.UNIT_CODE], shared[L.CO_UNITS], strict=True)
        for code in _co_unit_codes(value, plan)
    }
    units_of = shared.groupby(L.PIECE_KEY)[L.UNIT_CODE].agg(lambda units: sorted(set(units)))
    problems = []
    for row in shared.sort_values(L.ROW_ID).to_dict("records"):
        for other in (unit for unit in units_of[row[L.PIECE_KEY]] if unit != row[L.UNIT_CODE]):
            label = f"{other} {plan.unit_name(other)}"
            if (row[L.UNIT_CODE], other) in named:
                continue
            if (other, row[L.UNIT_CODE]) in named:
                problems.append(_problem("row-co-unit-one-sided", row, L.CO_UNITS, row[L.TITLE], other=label))
            else:
                problems.append(_problem("row-duplicate-piece", row, L.TITLE, row[L.TITLE], other=label))
    return problems


def self_co_units(rows: pd.DataFrame, plan: Plan) -> list[P.Problem]:
    """合作单位 naming the reporting unit itself (ignored, with a warning)."""
    problems = []
    for row in rows[rows[L.CO_UNITS] != ""].to_dict("records"):
        if row[L.UNIT_CODE] in _co_unit_codes(row[L.CO_UNITS], plan):
            problems.append(_problem("row-self-co-unit", row, L.CO_UNITS, row[L.UNIT_NAME]))
    return problems


def _co_unit_codes(value: str, plan: Plan) -> list[str]:
    if not value:
        return []
    codes = (plan.resolve_unit(part) for part in value.split(L.LIST_SEPARATOR))
    return [c for c in codes if c]


def _for_gx(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as GX sees them: blanks as nulls, so not-null and in-set rules apply cleanly."""
    text_columns = [c for c in rows.columns if pd.api.types.is_string_dtype(rows[c]) or rows[c].dtype == object]
    return rows.assign(**{c: rows[c].astype(object).where(rows[c] != "", None) for c in text_columns})


def _row_problem(failure: gx.Failure, row: dict, plan: Plan, month: str) -> P.Problem:
    column = failure.column.removesuffix(_RAW) or L.ADOPT_DATE
    raw = row.get(column + _RAW) if column in L.DATE_COLUMNS else row.get(column)
    value = raw if raw not in (None, "") or column not in L.DATE_COLUMNS else row.get(column)
    fields = {
        "allowed": "、".join(map(str, failure.kwargs.get("value_set") or [])),
        "month": month,
        "month_end": month_bounds(month)[1].strftime("%Y-%m-%d"),
        "sent": P.display(row.get(L.SENT_DATE)),
        "length": len(str(row.get(L.TITLE) or "")),
    }
    if failure.code == "row-unknown-co-unit":
        value = L.LIST_SEPARATOR.join(
            part for part in str(row[L.CO_UNITS]).split(L.LIST_SEPARATOR) if plan.resolve_unit(part) is None
        )
    return _problem(failure.code, row, column, value, severity=failure.severity, message=failure.message, **fields)


def _problem(code: str, row: Mapping[str, Any], column: str, value: object, **fields: object) -> P.Problem:
    return P.at_row(code, row, column, value=value, **fields)
