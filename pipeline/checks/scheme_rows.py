"""Checks of the columns a plan's scheme adds to the form (docs/schemes.md), in the plan's own
names: the outlet typed against the catalogue, 采用形式, 计分加成, 约稿编号 and 上级计分.

What makes a row's points unknowable is an error (the row is rejected, the unit corrects it and
sends the form again); what the count can settle on its own is a warning. docs/contracts.md
lists which is which. 稿件类别, 采用级别 and 领导批示 are checked against the plan's vocabulary
by the GX suite (`checks.validate_rows` passes the plan's names).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.plan.plan import Plan
from pipeline.plan.scheme_model import Outlet, Scheme
from pipeline.plan.scheme_outlets import catalogue_row, match_outlet, outlet_names


def scheme_row_problems(rows: pd.DataFrame, plan: Plan) -> list[P.Problem]:
    """Every problem of the scheme's columns in the month's rows; none for a plan without a scheme.

    Args:
        rows: the month's rows as intake returns them (`L.ROW_COLUMNS`).
        plan: the year's plan.
    """
    scheme = plan.scheme
    if scheme is None or rows.empty:
        return []
    names = outlet_names(scheme)
    problems: list[P.Problem] = []
    for record in rows.to_dict("records"):
        adopted = record[L.STATUS] == L.ADOPTED
        outlet = _outlet_row(record, scheme, names, problems) if adopted and names else None
        if adopted:
            problems += _use_form(record, scheme) + _modifiers(record, scheme) + _external(record, outlet)
        problems += _commission(record, scheme)
    return problems


def _outlet_row(record: dict[str, Any], scheme: Scheme, names: dict[str, str], problems: list) -> Outlet | None:
    """The catalogue row of an adopted row's outlet; its problems appended to `problems`."""
    typed = record[L.OUTLET]
    if not typed:
        return None  # the GX suite reports the missing outlet
    name, how, choices = match_outlet(typed, names)
    if how == "ambiguous":
        problems.append(_located("row-outlet-ambiguous", record, L.OUTLET, typed, choices="、".join(choices)))
        return None
    if name is None:
        if scheme.rules.closed_outlets:
            problems.append(_located("row-outlet-unknown", record, L.OUTLET, typed))
        return None
    if how == "guessed":
        problems.append(_located("row-outlet-guessed", record, L.OUTLET, typed, outlet=name))
    row = catalogue_row(scheme, name, record[L.CATEGORY], record[S.F_USE_FORM])
    if row is None:
        fits = [o for o in scheme.outlets if o.name == name]
        problems.append(
            _located(
                "row-outlet-no-row",
                record,
                S.F_USE_FORM if any(o.use_form for o in fits) else L.CATEGORY,
                record[S.F_USE_FORM],
                outlet=name,
                category=record[L.CATEGORY],
                allowed="；".join(f"{o.category or '任何类别'}·{o.use_form or '任何形式'}" for o in fits),
            )
        )
        return None
    if record[L.LEVEL] and row.level and record[L.LEVEL] != row.level:
        problems.append(
            _located("row-outlet-level-differs", record, L.LEVEL, record[L.LEVEL], outlet=name, level=row.level)
        )
    return row


def _use_form(record: dict[str, Any], scheme: Scheme) -> list[P.Problem]:
    value = record[S.F_USE_FORM]
    if not value or value in scheme.use_forms:
        return []
    return [_located("row-not-in-list", record, S.F_USE_FORM, value, allowed="、".join(scheme.use_forms))]


def _modifiers(record: dict[str, Any], scheme: Scheme) -> list[P.Problem]:
    problems = []
    for name in filter(None, record[S.F_MODIFIERS].split(L.LIST_SEPARATOR)):
        modifier = scheme.modifiers.get(name)
        if modifier is None:
            allowed = "、".join(scheme.modifiers)
            problems.append(_located("row-unknown-modifier", record, S.F_MODIFIERS, name, allowed=allowed))
        elif modifier.category not in ("", record[L.CATEGORY]):
            problems.append(
                _located(
                    "row-modifier-not-applicable",
                    record,
                    S.F_MODIFIERS,
                    name,
                    category=modifier.category,
                    row_category=record[L.CATEGORY],
                )
            )
    return problems


def _commission(record: dict[str, Any], scheme: Scheme) -> list[P.Problem]:
    value = record[S.F_COMMISSION]
    commission = scheme.commissions.get(value)
    if not value or (commission is not None and (not commission.units or record[L.UNIT_CODE] in commission.units)):
        return []
    return [_located("row-unknown-commission", record, S.F_COMMISSION, value)]


def _external(record: dict[str, Any], outlet: Outlet | None) -> list[P.Problem]:
    value = record[S.F_EXTERNAL]
    if outlet is None or not outlet.external:
        return [_located("row-external-ignored", record, S.F_EXTERNAL, value)] if value and outlet else []
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None or number != number or number < 0:
        return [_located("row-external-not-number", record, S.F_EXTERNAL, value, outlet=outlet.name)]
    return []


def _located(code: str, record: dict[str, Any], column: str, value: object, **fields: object) -> P.Problem:
    return P.at_row(code, record, column, value=value, **fields)
