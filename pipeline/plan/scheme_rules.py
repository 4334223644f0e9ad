"""The scheme's parameters on the 考核规则 sheet (every one optional), checked into `SchemeRules`."""

from __future__ import annotations

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.plan.scheme_cells import SheetChecker
from pipeline.plan.scheme_model import SchemeRules


def _rule_allowed(param: str) -> str:
    return {
        S.R_INSTRUCTION_COUNTING: f"{S.INSTRUCTION_HIGHEST}、{S.INSTRUCTION_EACH}",
        S.R_BASE_ONLY: "是、否",
        S.R_REWARD_PASSING: "是、否",
        S.R_REWARD_BASIS: f"{S.REWARD_AS_POINTS}、{S.REWARD_HIGHEST}",
        S.R_CLOSED_OUTLETS: "是、否",
        S.R_AUTHOR_SPLIT: f"{S.AUTHORS_EVEN}、{S.AUTHORS_3_2}",
        S.R_CONVERT_BASE: f"正数或“{S.CONVERT_TOP}”",
        S.R_MISSED_LIMIT: "0 或正整数（0 表示不取消）",
        S.R_PASS_MONTHS: "0 到 12 的整数（0 表示不按月判定合格）",
        S.R_QUARTER_MIN: "0 或正整数",
        S.R_PASS_QUARTERS: "0 到 4 的整数（0 表示不按季判定合格）",
        S.R_PASS_RATE: "0 到 100 的数（百分数，如 30 表示采用率须达到 30%）",
    }.get(param, "0 或正数")


def scheme_rules(frame: pd.DataFrame | None) -> tuple[SchemeRules, list[P.Problem]]:
    """The scheme's parameters on the 考核规则 sheet (every one optional)."""
    if frame is None:
        return SchemeRules(), []
    check = SheetChecker(L.S_RULES)
    found = {r[L.R_PARAM]: r for r in frame.to_dict("records") if r[L.R_PARAM] in S.SCHEME_RULE_PARAMS}
    values: dict[str, object] = {}

    def bad(param: str) -> None:
        record = found[param]
        check.add("plan-rule-invalid", record, L.R_VALUE, record[L.R_VALUE], param=param, allowed=_rule_allowed(param))

    for param, record in found.items():
        value = record[L.R_VALUE]
        if value == "":
            continue
        if param in (
            S.R_INSTRUCTION_COUNTING,
            S.R_BASE_ONLY,
            S.R_CLOSED_OUTLETS,
            S.R_AUTHOR_SPLIT,
            S.R_REWARD_BASIS,
            S.R_REWARD_PASSING,
        ):
            allowed = _rule_allowed(param).split("、")
            if value not in allowed:
                bad(param)
            values[param] = value
            continue
        if param == S.R_CONVERT_BASE and value == S.CONVERT_TOP:
            values[param] = None
            continue
        try:
            number = float(value)
        except ValueError:
            bad(param)
            continue
        integral = param in (S.R_MISSED_LIMIT, S.R_PASS_MONTHS, S.R_QUARTER_MIN, S.R_PASS_QUARTERS)
        too_many = (
            (param == S.R_PASS_MONTHS and number > 12)
            or (param == S.R_PASS_QUARTERS and number > 4)
            or (param == S.R_PASS_RATE and number > 100)
        )
        if not number >= 0 or (integral and not number.is_integer()) or too_many:
            bad(param)
            continue
        if param == S.R_CONVERT_BASE and number == 0:
            bad(param)
            continue
        values[param] = number
    if S.R_CONVERT_BASE in values and S.R_CONVERT_FULL not in values:
        check.add(
            "plan-scheme-conflict",
            found[S.R_CONVERT_BASE],
            L.R_PARAM,
            S.R_CONVERT_BASE,
            detail=f"填写了“{S.R_CONVERT_BASE}”，但没有填写“{S.R_CONVERT_FULL}”。折算须两项都填。",
        )
    if check.problems:
        return SchemeRules(), check.problems
    return (
        SchemeRules(
            instruction_each=values.get(S.R_INSTRUCTION_COUNTING) == S.INSTRUCTION_EACH,
            base=float(values.get(S.R_BASE, 0.0)),
            base_only=values.get(S.R_BASE_ONLY) == L.YES,
            cap=values.get(S.R_CAP),
            convert_full=values.get(S.R_CONVERT_FULL),
            convert_base=values.get(S.R_CONVERT_BASE),
            missed_limit=int(values.get(S.R_MISSED_LIMIT, 0)),
            authors_3_2=values.get(S.R_AUTHOR_SPLIT) == S.AUTHORS_3_2,
            closed_outlets=values.get(S.R_CLOSED_OUTLETS) == L.YES,
            pass_months=int(values.get(S.R_PASS_MONTHS, 0)),
            quarter_min=int(values.get(S.R_QUARTER_MIN, 0)),
            pass_quarters=int(values.get(S.R_PASS_QUARTERS, 0)),
            pass_rate=values.get(S.R_PASS_RATE),
            reward_highest=values.get(S.R_REWARD_BASIS) == S.REWARD_HIGHEST,
            reward_passing_only=values.get(S.R_REWARD_PASSING) == L.YES,
        ),
        [],
    )
