"""What of a plan the figures depend on, as Chinese lines ("计分标准 政务信息/县级 分值" -> "5"),
and their hash. The ledger records the hash with each processed month: a month processed under
another plan is processed again (as a corrected month is), and the lines say what changed."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from pipeline.core import labels as L
from pipeline.plan.plan import Plan


def plan_lines(plan: Plan) -> dict[str, str]:
    """The plan's figures-relevant content, one line per value: 计分标准, 批示加分, 考核规则,
    each unit's 任务指标 and its roster entry (name, category, assessed, start month). The
    officer and phone change no figure and are left out, as is how a circular lays out its
    annex (通报附件分组, the roster's 分组): a plan that only adds them processes no month again."""
    lines: dict[str, str] = {}
    for (category, level), row in plan.points.iterrows():
        for column, value in row.items():
            lines[f"{L.S_POINTS} {category}/{level} {column}"] = _shown(value)
    for level, value in plan.bonus.items():
        lines[f"{L.S_BONUS} {level}"] = _shown(value)
    for name, value in vars(plan.rules).items():
        if name in _LAYOUT_RULES:
            continue
        lines[f"{L.S_RULES} {_RULE_NAMES.get(name, name)}"] = _shown(getattr(value, "value", value))
    for code, row in plan.targets.iterrows():
        for column, value in row.items():
            lines[f"{L.S_TARGETS} {code} {column}"] = _shown(value)
    kept = [c for c in plan.units.columns if c not in (L.P_OFFICER, L.P_PHONE, L.P_GROUP)]
    for code, row in plan.units[kept].iterrows():
        for column, value in row.items():
            lines[f"{L.S_ROSTER} {code} {column}"] = _shown(value)
    return lines


def plan_hash(lines: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(lines, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What changed from `before` to `after`, one Chinese phrase each ("计分标准 政务信息/县级 分值 5→6")."""
    said = []
    for key in sorted(before.keys() | after.keys(), key=_sheet_order):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        said.append(f"{key} {_said(old, '（无）')}→{_said(new, '（删除）')}")
    return said


def _said(value: str | None, absent: str) -> str:
    return absent if value is None else value or "（空）"


_SHEETS = (L.S_POINTS, L.S_BONUS, L.S_RULES, L.S_TARGETS, L.S_ROSTER)


def _sheet_order(key: str) -> tuple[int, str]:
    sheet = key.split(" ", 1)[0]
    return (_SHEETS.index(sheet) if sheet in _SHEETS else len(_SHEETS), key)


_LAYOUT_RULES = ("annex_grouping",)
_RULE_NAMES = {
    "multi_level": L.R_MULTI_LEVEL,
    "co_written": L.R_CO_WRITTEN,
    "reward_split": L.R_REWARD_SPLIT,
    "missing_return_deduction": L.R_MISSING_DEDUCTION,
    "shortfall_deduction": L.R_SHORTFALL_DEDUCTION,
    "pass_condition": L.R_PASS,
    "top_units": L.R_TOP_UNITS,
    "top_persons": L.R_TOP_PERSONS,
    "deadline_day": L.R_DEADLINE_DAY,
    "issuer": L.R_ISSUER,
    "doc_prefix": L.R_DOC_PREFIX,
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return L.YES if value else L.NO
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if hasattr(value, "item"):
        return _shown(value.item())
    return str(value)
