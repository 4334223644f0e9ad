"""A scheme's value of each adoption and piece (docs/schemes.md): an adoption's base from the
catalogue row (or 上级计分, or the less specific row, or 计分标准), times 倍数 and the 计分加成;
which adoptions of a piece count by 多级采用计分; and the 批示 part of a piece."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.text import outlet_key
from pipeline.plan.plan import Plan
from pipeline.plan.rules import MultiLevel
from pipeline.plan.scheme_model import Outlet, Scheme
from pipeline.plan.scheme_outlets import catalogue_row, match_outlet, outlet_names
from pipeline.scoring.pieces import PIECE, list_items
from pipeline.scoring.scheme_units import fmt as _fmt


def _base_of(scheme: Scheme, plan: Plan, row: Outlet, category: str) -> float | None:
    """A catalogue row's base when its 分值 is blank: the less specific row's, else 计分标准."""
    if row.points is not None:
        return row.points
    wider = [
        o
        for o in scheme.outlets
        if o.name == row.name
        and o is not row
        and o.points is not None
        and o.use_form == ""
        and o.category in ("", category)
    ]
    if wider:
        return max(wider, key=lambda o: 1 if o.category else 0).points
    return _standard(plan, category, row.level)


def _standard_reward(plan: Plan, category: str, level: str) -> float:
    key = (category, level)
    return float(plan.points.at[key, L.PT_REWARD]) if key in plan.points.index else 0.0


def _standard(plan: Plan, category: str, level: str) -> float | None:
    key = (category, level)
    return float(plan.points.at[key, L.PT_POINTS]) if key in plan.points.index else None


# --- Adoptions -----------------------------------------------------------------------------------


def _cell(record: dict, column: str) -> str:
    value = record.get(column, "")
    return value if isinstance(value, str) else ("" if value is None or pd.isna(value) else str(value))


def adoptions(rows: pd.DataFrame, plan: Plan, scheme: Scheme) -> tuple[pd.DataFrame, list[P.Problem]]:
    names = outlet_names(scheme)
    problems: list[P.Problem] = []
    records = []
    adopted = rows[(rows[L.STATUS] == L.ADOPTED) & rows[L.ADOPT_DATE].notna()]
    for record in adopted.to_dict("records"):
        where = {"unit_code": record[L.UNIT_CODE], "row": record.get(L.SOURCE_ROW), "row_id": record.get(L.ROW_ID)}
        typed, category = _cell(record, L.OUTLET), _cell(record, L.CATEGORY)
        use_form = _cell(record, S.F_USE_FORM)
        why: list[str] = []
        name, how, choices = match_outlet(typed, names) if names else (None, "unknown", ())
        row = catalogue_row(scheme, name, category, use_form) if name else None
        if how == "guessed" and row is not None:
            problems.append(P.make("row-outlet-guessed", column=L.OUTLET, value=typed, outlet=name, **where))
        if how == "ambiguous":
            problems.append(
                P.make("row-outlet-ambiguous", column=L.OUTLET, value=typed, choices="、".join(choices), **where)
            )
        value: float | None
        per_unit = False
        if row is not None:
            level, per_unit = row.level, row.per_unit
            label = row.name + (f"（{row.use_form}）" if row.use_form else "")
            if row.external:
                try:
                    value = float(_cell(record, S.F_EXTERNAL))
                except ValueError:
                    value = None
                if value is None or value != value:
                    problems.append(P.make("row-external-missing", column=S.F_EXTERNAL, outlet=row.name, **where))
                    value = 0.0
                why.append(f"{label}：上级计分 {_fmt(value)}")
            else:
                value = _base_of(scheme, plan, row, category)
                if value is None:
                    problems.append(P.make("row-unscored", column=L.OUTLET, category=category, level=level, **where))
                    value = 0.0
                why.append(f"{label}：{_fmt(value)} 分")
            if row.factor != 1:
                value *= row.factor
                why.append(f"×{_fmt(row.factor)}")
            outlet = row.name
        elif name is not None:
            # the outlet is known, but only for other categories or use forms
            fits = [o for o in scheme.outlets if o.name == name]
            problems.append(
                P.make(
                    "row-outlet-no-row",
                    column=S.F_USE_FORM if any(o.use_form for o in fits) else L.CATEGORY,
                    outlet=name,
                    category=category,
                    value=use_form,
                    allowed="；".join(f"{o.category or '任何类别'}·{o.use_form or '任何形式'}" for o in fits),
                    **where,
                )
            )
            continue
        elif scheme.rules.closed_outlets or how == "ambiguous":
            if how != "ambiguous":
                problems.append(P.make("row-outlet-unknown", column=L.OUTLET, value=typed, **where))
            continue
        else:
            level, outlet = _cell(record, L.LEVEL), outlet_key(typed)
            value = _standard(plan, category, level)
            if value is None:
                problems.append(P.make("row-unscored", column=L.LEVEL, category=category, level=level, **where))
                value = 0.0
            why.append(f"{category}·{level}：{_fmt(value)} 分")
        value = _apply_modifiers(record, scheme, category, value, why, problems, where)
        records.append(
            {
                PIECE: record[PIECE],
                "outlet": outlet,
                S.F_USE_FORM: use_form if row is None or row.use_form else "",
                L.CATEGORY: category,
                L.LEVEL: level,
                L.ADOPT_DATE: record[L.ADOPT_DATE],
                "rank": scheme.vocabulary.level_rank(level),
                "value": value,
                "per_unit": per_unit,
                "reward": row.reward
                if row is not None and row.reward is not None
                else _standard_reward(plan, category, level),
                "why": " ".join(why) + f" = {_fmt(value)}" if len(why) > 1 else why[0],
                L.ROW_ID: record[L.ROW_ID],
                L.MONTH: record[L.MONTH],
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            PIECE,
            "outlet",
            S.F_USE_FORM,
            L.CATEGORY,
            L.LEVEL,
            L.ADOPT_DATE,
            "rank",
            "value",
            "per_unit",
            "reward",
            "why",
            L.ROW_ID,
            L.MONTH,
        ],
    )
    # the first listing counts, by the month of its form then its date (counting.md rule 4)
    frame = frame.sort_values([PIECE, "outlet", S.F_USE_FORM, L.MONTH, L.ADOPT_DATE], kind="stable")
    return frame.drop_duplicates([PIECE, "outlet", S.F_USE_FORM], keep="first").reset_index(drop=True), problems


def row_checks(held: pd.DataFrame, scheme: Scheme) -> list[P.Problem]:
    """What the month's row checks would say and the scheme needs: a category the plan does not
    name, an adoption without its date (it cannot be counted, so it is said, not dropped)."""
    problems = []
    categories = scheme.vocabulary.categories
    for record in held.to_dict("records"):
        where = {"unit_code": record[L.UNIT_CODE], "row": record.get(L.SOURCE_ROW), "row_id": record.get(L.ROW_ID)}
        if record[L.CATEGORY] not in categories:
            allowed = "、".join(categories)
            problems.append(
                P.make("row-not-in-list", column=L.CATEGORY, value=record[L.CATEGORY], allowed=allowed, **where)
            )
        if record[L.STATUS] == L.ADOPTED and pd.isna(record[L.ADOPT_DATE]):
            problems.append(P.make("row-adoption-incomplete", column=L.ADOPT_DATE, **where))
    return problems


def _apply_modifiers(
    record: dict, scheme: Scheme, category: str, value: float, why: list[str], problems: list, where: dict
) -> float:
    listed = list_items(_cell(record, S.F_MODIFIERS))
    known = [scheme.modifiers[n] for n in listed if n in scheme.modifiers]
    for name in listed:
        if name not in scheme.modifiers:
            problems.append(
                P.make(
                    "row-unknown-modifier",
                    column=S.F_MODIFIERS,
                    value=name,
                    allowed="、".join(scheme.modifiers),
                    **where,
                )
            )
    applicable = [m for m in known if m.category in ("", category)]
    for modifier in (m for m in known if m not in applicable):
        problems.append(
            P.make(
                "row-modifier-not-applicable",
                column=S.F_MODIFIERS,
                value=modifier.name,
                category=modifier.category,
                row_category=category,
                **where,
            )
        )
    for modifier in (m for m in applicable if m.times):
        value *= modifier.value
        why.append(f"{modifier.name} ×{_fmt(modifier.value)}")
    for modifier in (m for m in applicable if not m.times):
        value += modifier.value
        why.append(f"{modifier.name} {modifier.value:+g}")
    return value


def counting(adoptions: pd.DataFrame, rule: MultiLevel) -> pd.DataFrame:
    """The adoptions that count under 多级采用计分 (ties: the earliest, then the outlet)."""
    if rule is MultiLevel.CUMULATIVE or adoptions.empty:
        return adoptions
    if rule is MultiLevel.HIGHEST:
        ordered = adoptions.sort_values([PIECE, "value", L.ADOPT_DATE, "outlet"], ascending=[True, False, True, True])
        return ordered.drop_duplicates(PIECE)
    ordered = adoptions.sort_values(
        [PIECE, "rank", "value", L.ADOPT_DATE, "outlet"], ascending=[True, False, False, True, True]
    )
    return ordered.drop_duplicates([PIECE, "rank"]).groupby(PIECE, sort=False).head(2)


# --- Instructions --------------------------------------------------------------------------------


def instructions(rows: pd.DataFrame, scheme: Scheme) -> tuple[dict[str, list[str]], list[P.Problem]]:
    """Each piece's instructions, highest first; a level listed on several rows (carried rows
    repeat it) counts as many times as the row listing it most often."""
    known = scheme.vocabulary.instructions
    counts: dict[str, Counter] = {}
    problems = []
    for record in rows.to_dict("records"):
        # not list_items: "县级、县级" is two instructions, and each may count
        cell = _cell(record, L.INSTRUCTION).split(L.LIST_SEPARATOR)
        listed = [x.strip() for x in cell if x.strip() and x.strip() != L.NO_INSTRUCTION]
        for level in listed:
            if level not in known:
                problems.append(
                    P.make(
                        "row-not-in-list",
                        column=L.INSTRUCTION,
                        value=level,
                        allowed="、".join((L.NO_INSTRUCTION, *known)),
                        unit_code=record[L.UNIT_CODE],
                        row=record.get(L.SOURCE_ROW),
                        row_id=record.get(L.ROW_ID),
                    )
                )
        here = Counter(x for x in listed if x in known)
        counts.setdefault(record[PIECE], Counter())
        counts[record[PIECE]] |= here
    ordered = {piece: sorted(counter.elements(), key=lambda lv: -known.index(lv)) for piece, counter in counts.items()}
    return ordered, problems


def bonus(adopt: float, levels: list[str], plan: Plan, scheme: Scheme) -> tuple[float, str]:
    """The instruction part of a piece's points and its reason."""
    if not levels:
        return 0.0, ""
    taken = levels if scheme.rules.instruction_each else levels[:1]
    total_factor, added, parts = 1.0, 0.0, []
    for position, level in enumerate(taken):
        rule = scheme.instructions.get(level)
        if rule is None:
            added += plan.bonus_of(level)
            parts.append(f"{level}批示 +{_fmt(plan.bonus_of(level))}")
        elif rule.doubling:
            total_factor *= rule.value
            parts.append(f"{level}批示 ×{_fmt(rule.value)}")
        else:
            amount = rule.further if position > 0 and rule.further is not None else rule.value
            added += amount
            parts.append(f"{level}批示 +{_fmt(amount)}")
    return adopt * (total_factor - 1) + added, "；".join(parts)
