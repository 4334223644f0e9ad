"""Counting by the office's own 办法: the scheme sheets of the plan applied to a year's rows.

`score_year` takes the ledger's accepted rows (with the scheme's optional form columns when the
plan uses them: 采用形式, 计分加成, 约稿编号, 上级计分) and a plan whose `scheme` is set, and
gives every adoption's value with the reason, every piece's points, every unit's result with the
rules that changed it (备注), the persons' points and the rows' problems. docs/schemes.md states
the rules; the order of operations is:

1. an adoption is (piece, catalogue outlet, 采用形式); the outlet typed is matched to the
   catalogue (exact after folding, then a unique containment or close spelling, flagged);
2. its base is the catalogue row's 分值 (or the row's 上级计分, or the less specific row's, or
   计分标准 of (稿件类别, 采用级别)), times the row's 倍数, then the 计分加成 (乘 first, then 加);
3. a piece's adoptions combine by 多级采用计分; an adopted 约稿 with 采用分值 scores that instead;
4. 批示: the highest once (加分 or 倍数), or each one (逐次累计; further ones at 其后加分);
5. units share a piece by 合作稿件计分, except adoptions marked 每单位计分 (each unit in full);
   a 稿件类别's 年度上限 caps a unit's points of that category;
6. per unit: 达量加分, 约稿 (按时/迟报/未报), 任务项目, 事件; 基础分 (扣完为止: deductions eat
   only the base), 年度得分上限, then 折算.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.text import outlet_key
from pipeline.plan.plan import Plan
from pipeline.plan.rules import CoWritten, MultiLevel
from pipeline.plan.scheme_model import Outlet, Scheme
from pipeline.scoring.persons import PERSON_NAME, latest_authors, period_rewards, person_rewards, reward_recipients
from pipeline.scoring.pieces import FIRST_UNIT, PIECE, ROW_ORDER, UNITS, identify_pieces, list_items, piece_table
from pipeline.scoring.scheme_units import U_ELIGIBLE, U_NOTES, U_REWARD, unit_results, year_facts
from pipeline.scoring.scheme_units import fmt as _fmt

# rapidfuzz ratio: a character slipped into a longer name still matches (国土资源日报 for 国土资源报:
# 91), a changed character does not (政务晨报 for 政务晨讯: 75; 衢州政务特刊 for 增刊: 83), because
# names one character apart are as often two real outlets.
FUZZY_CUTOFF = 85
MIN_CONTAINED = 4
FUZZY_MARGIN = 5  # the best match must beat the runner-up by this much to be taken


@dataclass(frozen=True)
class SchemeYear:
    """What the scheme gives for a year up to a month.

    Attributes:
        adoptions: one row per adoption: PIECE, 载体, 采用形式, 稿件类别, 采用级别, value, counted,
            per_unit, why.
        pieces: indexed by PIECE: adopt, bonus, points, why.
        units: indexed by 单位代码 (assessed units), UNIT_COLUMNS and 合格月数.
        persons: 单位代码, 姓名, 得分.
        row_notes: (月份, row_id) -> why the row scored what it scored (row ids are per month).
        problems: the rows' problems (unknown outlets, modifiers, commissions).
    """

    adoptions: pd.DataFrame
    pieces: pd.DataFrame
    units: pd.DataFrame
    persons: pd.DataFrame
    row_notes: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[P.Problem] = field(default_factory=list)


# --- Outlets -------------------------------------------------------------------------------------


def outlet_names(scheme: Scheme) -> dict[str, str]:
    """Every folded name and alias of the catalogue -> the outlet's name."""
    names: dict[str, str] = {}
    for outlet in scheme.outlets:
        for label in (outlet.name, *outlet.aliases):
            names.setdefault(outlet_key(label), outlet.name)
    return names


def match_outlet(typed: str, names: dict[str, str]) -> tuple[str | None, str, tuple[str, ...]]:
    """The catalogue outlet an outlet typed freely names.

    Returns:
        (name, how, choices): how is "exact", "guessed" (a unique containment or close spelling:
        the unit is told), "ambiguous" (choices lists the candidates) or "unknown".
    """
    key = outlet_key(typed)
    if key in names:
        return names[key], "exact", ()
    # a short name is inside too many others (市信息 in 城市信息报): containment needs four characters
    containing = {
        name
        for folded, name in names.items()
        if (folded in key and len(folded) >= MIN_CONTAINED) or (key in folded and len(key) >= MIN_CONTAINED)
    }
    if len(containing) == 1:
        return containing.pop(), "guessed", ()
    scored = process.extract(key, list(names), scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF)
    by_outlet: dict[str, float] = {}
    for folded, score, _ in scored:
        by_outlet[names[folded]] = max(score, by_outlet.get(names[folded], 0.0))
    ranked = sorted(by_outlet.items(), key=lambda item: -item[1])
    if len(containing) > 1:
        return None, "ambiguous", tuple(sorted(containing))
    if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
        return ranked[0][0], "guessed", ()
    if len(ranked) > 1:
        return None, "ambiguous", tuple(name for name, _ in ranked)
    return None, "unknown", ()


def catalogue_row(scheme: Scheme, name: str, category: str, use_form: str) -> Outlet | None:
    """The most specific row of the outlet for the category and use form (a use form outweighs a
    category: forms change the points of one outlet, categories pick among its products)."""
    fits = [
        o for o in scheme.outlets if o.name == name and o.category in ("", category) and o.use_form in ("", use_form)
    ]
    return max(fits, key=lambda o: (2 if o.use_form else 0) + (1 if o.category else 0), default=None)


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


def _adoptions(rows: pd.DataFrame, plan: Plan, scheme: Scheme) -> tuple[pd.DataFrame, list[P.Problem]]:
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
    frame = frame.sort_values([PIECE, "outlet", S.F_USE_FORM, L.ADOPT_DATE], kind="stable")
    return frame.drop_duplicates([PIECE, "outlet", S.F_USE_FORM], keep="first").reset_index(drop=True), problems


def _row_checks(held: pd.DataFrame, scheme: Scheme) -> list[P.Problem]:
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


def _counting(adoptions: pd.DataFrame, rule: MultiLevel) -> pd.DataFrame:
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


def _instructions(rows: pd.DataFrame, scheme: Scheme) -> tuple[dict[str, list[str]], list[P.Problem]]:
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


def _bonus(adopt: float, levels: list[str], plan: Plan, scheme: Scheme) -> tuple[float, str]:
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


# --- The year ------------------------------------------------------------------------------------


def score_year(rows: pd.DataFrame, plan: Plan, until: str) -> SchemeYear:
    """Scores the year's rows up to `until` ("YYYY-MM") by the plan's scheme.

    Args:
        rows: accepted rows (labels.py's rows frame, plus the scheme's form columns when used).
        plan: a plan whose `scheme` is set.
        until: the last month taken into account.
    """
    scheme = plan.scheme
    if scheme is None:
        raise ValueError("the plan describes no scheme; count it with pipeline.scoring.scoring")
    order = [c for c in ROW_ORDER if c in rows.columns]  # the ledger's order decides ties, as in pieces
    held = rows[rows[L.MONTH] <= until].sort_values(order, kind="stable")
    held = identify_pieces(held.reset_index(drop=True))
    table = piece_table(held)
    adoptions, problems = _adoptions(held, plan, scheme)
    problems += _row_checks(held, scheme)
    problems += _instructions(held, scheme)[1]
    commission_rows, more = _commission_rows(held, plan, scheme)
    problems += more
    # counting.md rule 8: the year's points are the value as of `until` minus the value as of the
    # end of the previous year, so an adoption of last year counts there, not again now.
    now, counted = _values_as_of(held, table, adoptions, plan, commission_rows, until)
    start, _ = _values_as_of(held, table, adoptions, plan, commission_rows, f"{plan.year - 1}-12")
    adoptions = adoptions.assign(counted=adoptions.index.isin(counted.index))
    pieces = now[["shared", "each", "bonus"]] - start[["shared", "each", "bonus"]]
    earlier = start[["shared", "each", "bonus"]].sum(axis=1)
    pieces["why"] = [
        why + (f"；上年已计 {_fmt(before)} 分" if before else "")
        for why, before in zip(now["why"], earlier, strict=True)
    ]
    pieces["category"] = held.groupby(PIECE)[L.CATEGORY].first().reindex(pieces.index)

    credits = _unit_credits(pieces, table, plan)
    units = unit_results(year_facts(held, table, adoptions, credits, plan, until, commission_rows), plan)
    rewards = _rewards(held, table, now["reward"], start["reward"], plan, until, units)
    keys = {L.UNIT_CODE: object, PERSON_NAME: object}  # empty frames come typed as floats
    persons = _persons(held, credits, scheme).astype(keys).merge(rewards.astype(keys), on=list(keys), how="outer")
    persons = persons.fillna({L.POINTS: 0.0, U_REWARD: 0.0})
    units[U_REWARD] = rewards.groupby(L.UNIT_CODE)[U_REWARD].sum().reindex(units.index).fillna(0.0)
    row_notes = _row_notes(held, adoptions, pieces)
    return SchemeYear(adoptions, pieces, units, persons, row_notes, problems)


def _values_as_of(
    held: pd.DataFrame, table: pd.DataFrame, adoptions: pd.DataFrame, plan: Plan, commission_rows: dict, t: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each piece's shared and per-unit adoption points, its instruction part and the reason, as
    of the end of month `t` (adoptions dated up to then, instructions on rows of months up to
    then); and the adoptions that count then."""
    scheme = plan.scheme
    months = pd.to_datetime(adoptions[L.ADOPT_DATE]).dt.strftime("%Y-%m")
    dated = adoptions.loc[(months <= t).astype(bool)]
    counted = _counting(dated, plan.rules.multi_level)
    instructions, _ = _instructions(held[held[L.MONTH] <= t], scheme)
    values = pd.DataFrame(index=table.index)
    per_unit = counted["per_unit"].astype(bool)  # an empty column is of object dtype
    values["shared"] = counted.loc[~per_unit].groupby(PIECE)["value"].sum().reindex(values.index).fillna(0.0)
    values["each"] = counted.loc[per_unit].groupby(PIECE)["value"].sum().reindex(values.index).fillna(0.0)
    whys: dict[str, list[str]] = {p: list(g) for p, g in counted.groupby(PIECE)["why"]}
    for piece, commission in commission_rows.items():
        if commission.adopted is not None and (values.at[piece, "shared"] or values.at[piece, "each"]):
            values.at[piece, "shared"], values.at[piece, "each"] = commission.adopted, 0.0
            whys[piece] = [f"约稿 {commission.id} 被采用：按约稿计 {_fmt(commission.adopted)} 分（替代载体分值）"]
    bonuses = [
        _bonus(values.at[p, "shared"] + values.at[p, "each"], instructions.get(p, []), plan, scheme)
        for p in values.index
    ]
    values["bonus"] = [b for b, _ in bonuses]
    values["why"] = [
        "；".join([*whys.get(p, []), *([why] if why else [])])
        for p, (_, why) in zip(values.index, bonuses, strict=True)
    ]
    if scheme.rules.reward_highest:
        # rewards by the highest level reached, whatever 多级采用计分 does with the points
        top = dated.sort_values(
            [PIECE, "rank", "value", L.ADOPT_DATE, "outlet"], ascending=[True, False, False, True, True]
        ).drop_duplicates(PIECE)
        values["reward"] = top.groupby(PIECE)["reward"].sum().reindex(values.index).fillna(0.0)
    else:
        values["reward"] = counted.groupby(PIECE)["reward"].sum().reindex(values.index).fillna(0.0)
    return values, counted


def _commission_rows(held: pd.DataFrame, plan: Plan, scheme: Scheme) -> tuple[dict, list[P.Problem]]:
    """piece -> the commission it delivers; rows naming a commission not issued to their unit are
    problems."""
    if S.F_COMMISSION not in held.columns:
        return {}, []
    found, problems = {}, []
    for record in held[held[S.F_COMMISSION].fillna("") != ""].to_dict("records"):
        commission = scheme.commissions.get(record[S.F_COMMISSION])
        assigned = commission is not None and (not commission.units or record[L.UNIT_CODE] in commission.units)
        if not assigned:
            problems.append(
                P.make(
                    "row-unknown-commission",
                    column=S.F_COMMISSION,
                    value=record[S.F_COMMISSION],
                    unit_code=record[L.UNIT_CODE],
                    row=record.get(L.SOURCE_ROW),
                    row_id=record.get(L.ROW_ID),
                )
            )
            continue
        found[record[PIECE]] = commission
    return found, problems


def _unit_credits(pieces: pd.DataFrame, table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """(piece, unit) -> points: shared parts by 合作稿件计分, 每单位计分 parts to each unit in full."""
    records = []
    for piece, info in table.iterrows():
        units = list(info[UNITS])
        first = info[FIRST_UNIT]
        shared = pieces.at[piece, "shared"] + pieces.at[piece, "bonus"]
        for unit in units:
            if plan.rules.co_written is CoWritten.FIRST_UNIT:
                part = shared if unit == first else 0.0
            else:
                part = shared / len(units)
            records.append(
                {
                    PIECE: piece,
                    L.UNIT_CODE: unit,
                    "points": part + pieces.at[piece, "each"],
                    "category": pieces.at[piece, "category"],
                }
            )
    return pd.DataFrame(records, columns=[PIECE, L.UNIT_CODE, "points", "category"])


def _rewards(
    held: pd.DataFrame,
    table: pd.DataFrame,
    now: pd.Series,
    start: pd.Series,
    plan: Plan,
    until: str,
    units: pd.DataFrame,
) -> pd.DataFrame:
    """Each person's 奖励金额 of the year, to the fen, as counting.md rule 12 shares it (the pieces'
    rewards as of `until` minus as of the previous year's end, 奖励分配 among the reporting units'
    authors); with 奖励仅限合格, nothing to persons of units that lost 评优资格."""
    recipients = reward_recipients(table, latest_authors(held, until))
    fen = person_rewards(pd.DataFrame({"now": now, "start": start}), recipients, plan.rules.reward_split)
    paid = period_rewards(fen, "now", "start").rename(U_REWARD).reset_index()
    if plan.scheme.rules.reward_passing_only:
        failed = set(units.index[units[U_ELIGIBLE] == L.NO])
        withheld = paid[L.UNIT_CODE].isin(failed) & (paid[U_REWARD] != 0)
        for code, amount in paid[withheld].groupby(L.UNIT_CODE)[U_REWARD].sum().items():
            note = f"考核不合格，奖励 {amount:.2f} 元不发放"
            units.at[code, U_NOTES] = "；".join(x for x in (units.at[code, U_NOTES], note) if x)
        paid.loc[paid[L.UNIT_CODE].isin(failed), U_REWARD] = 0.0
    return paid


def _persons(held: pd.DataFrame, credits: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    """Each unit's points of a piece shared among the authors on its latest row of the piece."""
    latest = held.sort_values([L.MONTH, L.SOURCE_ROW], kind="stable").groupby([PIECE, L.UNIT_CODE]).tail(1)
    authors = {(r[PIECE], r[L.UNIT_CODE]): list_items(r[L.AUTHORS]) for r in latest.to_dict("records")}
    totals: dict[tuple[str, str], float] = {}
    for record in credits.to_dict("records"):
        names = authors.get((record[PIECE], record[L.UNIT_CODE]), [])
        if not names:
            continue
        if scheme.rules.authors_3_2 and len(names) >= 2:
            shares = [0.6, 0.4] + [0.0] * (len(names) - 2)
        else:
            shares = [1 / len(names)] * len(names)
        for name, share in zip(names, shares, strict=True):
            key = (record[L.UNIT_CODE], name)
            totals[key] = totals.get(key, 0.0) + record["points"] * share
    return pd.DataFrame(
        [(u, n, round(v, 6)) for (u, n), v in sorted(totals.items())], columns=[L.UNIT_CODE, PERSON_NAME, L.POINTS]
    )


def _row_notes(held: pd.DataFrame, adoptions: pd.DataFrame, pieces: pd.DataFrame) -> dict[tuple[str, int], str]:
    """Why each row scored what it scored: its adoption's reason (or why it did not count), and the
    piece's whole reason on the piece's first row."""
    notes: dict[tuple[str, int], str] = {}
    for record in adoptions.to_dict("records"):
        suffix = "" if record["counted"] else "（按多级采用计分规则不计入）"
        notes[(record[L.MONTH], int(record[L.ROW_ID]))] = record["why"] + suffix
    first_rows = held.groupby(PIECE)[[L.MONTH, L.ROW_ID]].first()
    for piece, (month, row_id) in first_rows.iterrows():
        whole = pieces.at[piece, "why"]
        if whole:
            key = (month, int(row_id))
            total = pieces.at[piece, "shared"] + pieces.at[piece, "each"] + pieces.at[piece, "bonus"]
            own = notes.get(key, "")
            summary = f"本稿合计 {_fmt(total)} 分：{whole}"
            notes[key] = f"{own}。{summary}" if own and own not in whole else summary
    return notes
