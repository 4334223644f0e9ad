"""The 考核规则 sheet of the plan: its parameters, the values each allows, and the typed `Rules`
they become. `plan` reads them with the rest of the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.files.sheets import EXCEL_ROW


class MultiLevel(StrEnum):
    CUMULATIVE = "累计"
    HIGHEST = "最高级"
    TOP_TWO = "最高两级"


class CoWritten(StrEnum):
    SPLIT = "均分"
    FIRST_UNIT = "第一单位"


class RewardSplit(StrEnum):
    SPLIT = "均分"
    FIRST_AUTHOR = "第一作者"


class PassCondition(StrEnum):
    COUNTS = "数量"
    POINTS = "得分"
    BOTH = "数量和得分"


@dataclass(frozen=True)
class Rules:
    """The 考核规则 sheet as typed values."""

    multi_level: MultiLevel
    co_written: CoWritten
    reward_split: RewardSplit
    missing_return_deduction: float
    shortfall_deduction: float
    pass_condition: PassCondition
    top_units: int
    top_persons: int
    deadline_day: int
    issuer: str
    doc_prefix: str
    catch_up_days: int = L.CATCH_UP_DAYS_DEFAULT
    # What circulars carry beside their figures: None where the plan has no such row (the
    # default of `documents.official`, some derived from the roster and the year), "" for 无.
    recipients: str | None = None
    cc: str | None = None
    contact: str | None = None
    contact_phone: str | None = None
    method: str | None = None
    decision: str | None = None


ENUM_RULES = {
    L.R_MULTI_LEVEL: MultiLevel,
    L.R_CO_WRITTEN: CoWritten,
    L.R_REWARD_SPLIT: RewardSplit,
    L.R_PASS: PassCondition,
}
NUMBER_RULES = (L.R_MISSING_DEDUCTION, L.R_SHORTFALL_DEDUCTION)
INTEGER_RULES = (L.R_TOP_UNITS, L.R_TOP_PERSONS, L.R_DEADLINE_DAY)
TEXT_RULES = (L.R_ISSUER, L.R_DOC_PREFIX)
# Optional texts by the Rules field they fill.
OPTIONAL_TEXTS = {
    L.R_RECIPIENTS: "recipients",
    L.R_CC: "cc",
    L.R_CONTACT: "contact",
    L.R_CONTACT_PHONE: "contact_phone",
    L.R_METHOD: "method",
    L.R_DECISION: "decision",
}


def allowed_text(param: str) -> str:
    if param in ENUM_RULES:
        return "、".join(m.value for m in ENUM_RULES[param])
    if param in NUMBER_RULES:
        return "0 或正数"
    if param == L.R_DEADLINE_DAY:
        return "1 到 28 的整数"
    if param == L.R_CATCH_UP_DAYS:
        return "1 到 60 的整数（不填为 5）"
    if param in INTEGER_RULES:
        return "0 或正整数"
    if param in OPTIONAL_TEXTS:
        return f"任意文字（可不填；填“{L.NONE_WORD}”表示不写这一项）"
    return "任意文字"


def read_rules(frame: pd.DataFrame) -> tuple[Rules | None, list[P.Problem]]:
    """The 考核规则 sheet as `Rules`; None when a parameter is missing or a value not allowed (each
    value not allowed is a problem)."""
    values = dict(zip(frame[L.R_PARAM], frame[L.R_VALUE], strict=True))
    rows = dict(zip(frame[L.R_PARAM], frame[EXCEL_ROW], strict=True))
    problems: list[P.Problem] = []

    def invalid(param: str) -> None:
        problems.append(
            P.make(
                "plan-rule-invalid",
                sheet=L.S_RULES,
                row=int(rows[param]),
                column=L.R_VALUE,
                value=values[param],
                param=param,
                allowed=allowed_text(param),
            )
        )

    def number(param: str, integer: bool = False) -> float:
        if param not in values:
            return 0.0
        try:
            parsed = float(values[param])
        except ValueError:
            parsed = float("nan")
        bad = not parsed >= 0 or (integer and not parsed.is_integer())
        if param == L.R_DEADLINE_DAY and not bad:
            bad = not 1 <= parsed <= 28
        if param == L.R_CATCH_UP_DAYS and not bad:
            bad = not 1 <= parsed <= 60
        if bad:
            invalid(param)
            return 0.0
        return parsed

    def choice(param: str, enum: type[Enum]) -> Enum | None:
        try:
            return enum(values[param])
        except (KeyError, ValueError):
            if values.get(param):
                invalid(param)
            return None

    numbers = {p: number(p) for p in NUMBER_RULES}
    integers = {p: int(number(p, integer=True)) for p in INTEGER_RULES}
    choices = {p: choice(p, e) for p, e in ENUM_RULES.items()}
    texts = {p: values.get(p, "") for p in TEXT_RULES}
    catch_up_days = (
        int(number(L.R_CATCH_UP_DAYS, integer=True)) if values.get(L.R_CATCH_UP_DAYS) else L.CATCH_UP_DAYS_DEFAULT
    )
    if problems or None in choices.values() or not all(p in values for p in L.RULE_PARAMS):
        return None, problems
    rules = Rules(
        multi_level=choices[L.R_MULTI_LEVEL],
        co_written=choices[L.R_CO_WRITTEN],
        reward_split=choices[L.R_REWARD_SPLIT],
        missing_return_deduction=numbers[L.R_MISSING_DEDUCTION],
        shortfall_deduction=numbers[L.R_SHORTFALL_DEDUCTION],
        pass_condition=choices[L.R_PASS],
        top_units=integers[L.R_TOP_UNITS],
        top_persons=integers[L.R_TOP_PERSONS],
        deadline_day=integers[L.R_DEADLINE_DAY],
        issuer=texts[L.R_ISSUER],
        doc_prefix=texts[L.R_DOC_PREFIX],
        catch_up_days=catch_up_days,
        **optional_texts(values),
    )
    return rules, []


def optional_texts(values: dict) -> dict[str, str | None]:
    """The optional texts' Rules fields: the plan's value, "" for 无, None when blank."""
    fields: dict[str, str | None] = {}
    for param, field in OPTIONAL_TEXTS.items():
        value = _text(values.get(param))
        fields[field] = "" if value == L.NONE_WORD else value or None
    return fields


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()
