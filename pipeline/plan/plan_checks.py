"""The plan's checks that Great Expectations cannot express, in pandas: keys combined over
several columns, coverage of every category and level, targets for every unit, start months,
former unit codes, amounts in whole fen. Each finding is a `Problem` naming sheet, row and column.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.files.sheets import EXCEL_ROW
from pipeline.plan.rules import allowed_text
from pipeline.plan.scheme_model import Vocabulary

NUMBER_SUFFIX = "(数值)"  # beside a numeric column: its values as numbers (NaN where not a number)


def pandas_checks(frames: dict[str, pd.DataFrame], vocab: Vocabulary, outlets_named: bool) -> list[P.Problem]:
    problems: list[P.Problem] = []
    roster = frames.get(L.S_ROSTER)
    if roster is not None and roster.empty:
        problems.append(P.make("plan-no-units", sheet=L.S_ROSTER))
    if roster is not None:
        problems += _start_months(roster) + _former_codes(roster)
    if roster is not None and L.S_TARGETS in frames:
        problems += _target_rows(frames[L.S_TARGETS], set(roster[L.P_UNIT_CODE]) - {""})
    if L.S_POINTS in frames:
        problems += _duplicates(frames[L.S_POINTS], L.S_POINTS, (L.PT_CATEGORY, L.PT_LEVEL))
        if not outlets_named:
            problems += _points_coverage(frames[L.S_POINTS], vocab)
        problems += _whole_fen(frames[L.S_POINTS], L.S_POINTS, L.PT_REWARD)
    if L.S_BONUS in frames:
        problems += _duplicates(frames[L.S_BONUS], L.S_BONUS, (L.B_LEVEL,))
        present = set(frames[L.S_BONUS][L.B_LEVEL])
        problems += [
            P.make("plan-bonus-missing", sheet=L.S_BONUS, level=lv) for lv in vocab.instructions if lv not in present
        ]
    if L.S_RULES in frames:
        problems += _duplicates(frames[L.S_RULES], L.S_RULES, (L.R_PARAM,))
        present = set(frames[L.S_RULES][L.R_PARAM])
        problems += [
            P.make("plan-rule-missing", sheet=L.S_RULES, param=param, allowed=allowed_text(param))
            for param in L.RULE_PARAMS
            if param not in present
        ]
    return problems


def _start_months(roster: pd.DataFrame) -> list[P.Problem]:
    """起始月份, when filled, must be a whole month number 1..12."""
    numbers = roster[L.P_START_MONTH + NUMBER_SUFFIX]
    bad = (roster[L.P_START_MONTH] != "") & ~(numbers.between(1, 12) & (numbers % 1 == 0))
    return [
        P.make(
            "plan-not-in-list",
            sheet=L.S_ROSTER,
            row=int(record[EXCEL_ROW]),
            column=L.P_START_MONTH,
            value=record[L.P_START_MONTH],
            allowed="1 至 12 的整数（该单位从哪个月起参加考核；年初起参加的留空）",
        )
        for record in roster[bad].to_dict("records")
    ]


def _former_codes(roster: pd.DataFrame) -> list[P.Problem]:
    """原单位代码 says "this unit was that code": it must name no unit still on the roster, and
    no two units may claim it (either would silently split one unit's history in two)."""
    codes = set(roster[L.P_UNIT_CODE]) - {""}
    in_use = roster[(roster[L.P_FORMER_CODE] != "") & roster[L.P_FORMER_CODE].isin(codes)]
    problems = [
        P.make(
            "plan-former-in-use",
            sheet=L.S_ROSTER,
            row=int(r[EXCEL_ROW]),
            column=L.P_FORMER_CODE,
            value=r[L.P_FORMER_CODE],
        )
        for r in in_use.to_dict("records")
    ]
    filled = roster[roster[L.P_FORMER_CODE] != ""]
    first = filled.drop_duplicates(L.P_FORMER_CODE).set_index(L.P_FORMER_CODE)[EXCEL_ROW]
    return problems + [
        P.make(
            "plan-former-split",
            sheet=L.S_ROSTER,
            row=int(r[EXCEL_ROW]),
            column=L.P_FORMER_CODE,
            value=r[L.P_FORMER_CODE],
            other_row=int(first[r[L.P_FORMER_CODE]]),
        )
        for r in filled[filled.duplicated(L.P_FORMER_CODE, keep="first")].to_dict("records")
    ]


def _target_rows(targets: pd.DataFrame, codes: set[str]) -> list[P.Problem]:
    problems = []
    for record in targets.to_dict("records"):
        category, code, excel_row = record[L.T_UNIT_CATEGORY], record[L.T_UNIT_CODE], int(record[EXCEL_ROW])
        if bool(category) == bool(code):
            problems.append(P.make("plan-target-ambiguous", sheet=L.S_TARGETS, row=excel_row, column=L.T_UNIT_CODE))
        elif code and code not in codes:
            problems.append(
                P.make("plan-unknown-unit", sheet=L.S_TARGETS, row=excel_row, column=L.T_UNIT_CODE, value=code)
            )
    key = targets[L.T_UNIT_CODE].where(targets[L.T_UNIT_CODE] != "", targets[L.T_UNIT_CATEGORY])
    return problems + _duplicates(
        targets.assign(_key=key), L.S_TARGETS, ("_key",), shown=(L.T_UNIT_CODE, L.T_UNIT_CATEGORY)
    )


def _duplicates(
    frame: pd.DataFrame, sheet: str, key: tuple[str, ...], shown: tuple[str, ...] | None = None
) -> list[P.Problem]:
    filled = frame[(frame[list(key)] != "").all(axis=1)]
    dup = filled[filled.duplicated(list(key), keep="first")]
    problems = []
    for _, row in dup.iterrows():
        first = filled[(filled[list(key)] == row[list(key)]).all(axis=1)][EXCEL_ROW].min()
        column = next((c for c in (shown or key) if row.get(c)), (shown or key)[0])
        problems.append(
            P.make(
                "plan-duplicate",
                sheet=sheet,
                row=int(row[EXCEL_ROW]),
                column=column,
                value="、".join(str(row[c]) for c in key),
                other_row=int(first),
            )
        )
    return problems


def _whole_fen(frame: pd.DataFrame, sheet: str, column: str) -> list[P.Problem]:
    """Money is paid in whole fen: an amount with a fraction of a fen could not be shared out
    to the fen so that every share adds up to it."""
    amounts = frame[column + NUMBER_SUFFIX]
    bad = amounts.notna() & ((amounts * 100 - (amounts * 100).round()).abs() > 1e-6)
    return [
        P.make("plan-below-fen", sheet=sheet, row=int(record[EXCEL_ROW]), column=column, value=record[column])
        for record in frame[bad].to_dict("records")
    ]


def _points_coverage(points: pd.DataFrame, vocab: Vocabulary) -> list[P.Problem]:
    present = set(zip(points[L.PT_CATEGORY], points[L.PT_LEVEL], strict=True))
    return [
        P.make("plan-points-missing", sheet=L.S_POINTS, category=c, level=lv)
        for c in vocab.categories
        for lv in vocab.levels
        if (c, lv) not in present
    ]


def dedupe(problems: list[P.Problem]) -> list[P.Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.sheet, p.row, p.column, p.code, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
