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

from dataclasses import dataclass, field

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.plan.plan import Plan
from pipeline.plan.rules import CoWritten
from pipeline.plan.scheme_model import Scheme
from pipeline.scoring import scheme_adoptions
from pipeline.scoring.persons import PERSON_NAME, latest_authors, period_rewards, person_rewards, reward_recipients
from pipeline.scoring.pieces import FIRST_UNIT, PIECE, ROW_ORDER, UNITS, identify_pieces, list_items, piece_table
from pipeline.scoring.scheme_units import U_ELIGIBLE, U_NOTES, U_REWARD, unit_results, year_facts
from pipeline.scoring.scheme_units import fmt as _fmt


@dataclass(frozen=True)
class SchemeYear:
    """What the scheme gives for a year up to a month.

    Attributes:
        adoptions: one row per adoption: PIECE, 载体, 采用形式, 稿件类别, 采用级别, value, counted,
            per_unit, why.
        pieces: indexed by PIECE: adopt, bonus, points, why.
        units: indexed by 单位代码 (assessed units), UNIT_COLUMNS and 合格月数.
        persons: 单位代码, 姓名, 得分, 奖励金额.
        row_notes: (月份, row_id) -> why the row scored what it scored (row ids are per month).
        problems: the rows' problems (unknown outlets, modifiers, commissions).
        credits: one row per (piece, unit of the piece): PIECE, 单位代码, points (the unit's
            points of the piece, 批示 included, before 年度上限), bonus (its 批示 part), category.
        happenings: what the office's 约稿 and 事件 did to each assessed unit
            (scheme_units.HAPPENING_COLUMNS).
    """

    adoptions: pd.DataFrame
    pieces: pd.DataFrame
    units: pd.DataFrame
    persons: pd.DataFrame
    row_notes: dict[tuple[str, int], str] = field(default_factory=dict)
    problems: list[P.Problem] = field(default_factory=list)
    credits: pd.DataFrame = field(default_factory=pd.DataFrame)
    happenings: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- The year ------------------------------------------------------------------------------------


def score_year(
    rows: pd.DataFrame,
    plan: Plan,
    until: str,
    returns: pd.DataFrame | None = None,
    processed: list[str] | None = None,
) -> SchemeYear:
    """Scores the year's rows up to `until` ("YYYY-MM") by the plan's scheme.

    Args:
        rows: accepted rows (labels.py's rows frame, plus the scheme's form columns when used).
        plan: a plan whose `scheme` is set.
        until: the last month taken into account.
        returns: the accepted forms (labels.RETURN_COLUMNS), which 月度漏报扣分 needs; None
            (a trial's rows): that deduction is named in 备注, not applied.
        processed: the months processed; the monthly deductions look at these only (None:
            every month up to `until`).
    """
    scheme = plan.scheme
    if scheme is None:
        raise ValueError("the plan describes no scheme; count it with pipeline.scoring.scoring")
    order = [c for c in ROW_ORDER if c in rows.columns]  # the ledger's order decides ties, as in pieces
    held = rows[rows[L.MONTH] <= until].sort_values(order, kind="stable")
    held = identify_pieces(held.reset_index(drop=True))
    table = piece_table(held)
    adoptions, problems = scheme_adoptions.adoptions(held, plan, scheme)
    problems += scheme_adoptions.row_checks(held, scheme)
    problems += scheme_adoptions.instructions(held, scheme)[1]
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
    facts = year_facts(held, table, adoptions, credits, plan, until, commission_rows, returns, processed)
    units, happenings = unit_results(facts, plan)
    rewards = _rewards(held, table, now["reward"], start["reward"], plan, until, units)
    keys = {L.UNIT_CODE: object, PERSON_NAME: object}  # empty frames come typed as floats
    persons = _persons(held, credits, scheme).astype(keys).merge(rewards.astype(keys), on=list(keys), how="outer")
    persons = persons.fillna({L.POINTS: 0.0, U_REWARD: 0.0})
    units[U_REWARD] = rewards.groupby(L.UNIT_CODE)[U_REWARD].sum().reindex(units.index).fillna(0.0)
    row_notes = _row_notes(held, adoptions, pieces)
    return SchemeYear(adoptions, pieces, units, persons, row_notes, problems, credits, happenings)


def _values_as_of(
    held: pd.DataFrame, table: pd.DataFrame, adoptions: pd.DataFrame, plan: Plan, commission_rows: dict, t: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each piece's shared and per-unit adoption points, its instruction part and the reason, as
    of the end of month `t` (adoptions and instructions on rows of months up to then); and the
    adoptions that count then."""
    scheme = plan.scheme
    # an adoption counts in the month of the form first reporting it (counting.md rule 4): one
    # dated December and reported in January counts in January's year
    dated = adoptions.loc[(adoptions[L.MONTH] <= t).astype(bool)]
    counted = scheme_adoptions.counting(dated, plan.rules.multi_level)
    instructions, _ = scheme_adoptions.instructions(held[held[L.MONTH] <= t], scheme)
    values = pd.DataFrame(index=table.index)
    per_unit = counted["per_unit"].astype(bool)  # an empty column is of object dtype
    values["shared"] = counted.loc[~per_unit].groupby(PIECE)["value"].sum().reindex(values.index).fillna(0.0)
    values["each"] = counted.loc[per_unit].groupby(PIECE)["value"].sum().reindex(values.index).fillna(0.0)
    whys: dict[str, list[str]] = {p: list(g) for p, g in counted.groupby(PIECE)["why"]}
    for piece, commission in commission_rows.items():
        if commission.adopted is not None and (values.at[piece, "shared"] or values.at[piece, "each"]):
            values.at[piece, "shared"], values.at[piece, "each"] = commission.adopted, 0.0
            whys[piece] = [f"约稿 {commission.id} 被采用：按约稿计 {_fmt(commission.adopted)} 分（替代载体分值）"]
    adopt = (values["shared"] + values["each"]).to_numpy()  # .at per piece costs seconds on a big year
    bonuses = [
        scheme_adoptions.bonus(a, instructions[p], plan, scheme) if instructions.get(p) else (0.0, "")
        for p, a in zip(values.index, adopt, strict=True)
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
    split = plan.rules.co_written is not CoWritten.FIRST_UNIT
    values = pieces.reindex(table.index)
    for piece, units, first, shared, each, bonus, category in zip(
        table.index,
        table[UNITS],
        table[FIRST_UNIT],
        values["shared"] + values["bonus"],
        values["each"],
        values["bonus"],
        values["category"],
        strict=True,
    ):
        for unit in units:
            share = 1 / len(units) if split else float(unit == first)
            records.append(
                {
                    PIECE: piece,
                    L.UNIT_CODE: unit,
                    "points": shared * share + each,
                    "bonus": bonus * share,
                    "category": category,
                }
            )
    return pd.DataFrame(records, columns=[PIECE, L.UNIT_CODE, "points", "bonus", "category"])


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
    whys = pieces["why"].to_dict()
    totals = (pieces["shared"] + pieces["each"] + pieces["bonus"]).to_dict()
    for piece, month, row_id in zip(first_rows.index, first_rows[L.MONTH], first_rows[L.ROW_ID], strict=True):
        whole = whys[piece]
        if whole:
            key = (month, int(row_id))
            total = totals[piece]
            own = notes.get(key, "")
            summary = f"本稿合计 {_fmt(total)} 分：{whole}"
            notes[key] = f"{own}。{summary}" if own and own not in whole else summary
    return notes
