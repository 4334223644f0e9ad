"""Small plans, ledger rows and returns for the scoring tests, built directly as frames."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.plan.plan import Plan
from pipeline.plan.rules import CoWritten, MultiLevel, PassCondition, RewardSplit, Rules

# 稿件类别 -> (县级, 市级, 省级, 国家级): the demo county's defaults.
POINTS = {
    "政务信息": (5, 10, 20, 50),
    "新闻宣传": (2, 4, 6, 20),
    "调研文章": (10, 20, 40, 100),
    "党建信息": (5, 10, 20, 50),
}
REWARDS = (20, 40, 60, 80)
BONUS = {"县级": 10, "市级": 30, "省级": 40, "国家级": 50}

# (code, name, category, assessed)
UNITS = [
    ("A01", "办公室", "股室", True),
    ("A02", "规划股", "股室", True),
    ("A03", "城关所", "国土资源所", True),
    ("N01", "人事股", "股室", False),
]


def make_plan(
    *,
    multi_level: MultiLevel = MultiLevel.CUMULATIVE,
    co_written: CoWritten = CoWritten.SPLIT,
    reward_split: RewardSplit = RewardSplit.SPLIT,
    missing: float = 2.0,
    shortfall: float = 0.0,
    deadline_day: int = 5,
    targets: dict[str, tuple[float, float, float, int]] | None = None,
    units: list[tuple[str, str, str, bool]] = UNITS,
) -> Plan:
    """A 2025 plan; `targets` maps a code to (年度报送任务, 年度采用任务, 年度得分任务, 每月最低报送数),
    by default (12, 6, NaN, 0) for every assessed unit."""
    roster = pd.DataFrame(
        {
            L.P_UNIT_NAME: [u[1] for u in units],
            L.P_UNIT_CATEGORY: [u[2] for u in units],
            L.P_OFFICER: [f"信息员{u[0]}" for u in units],
            L.P_PHONE: [f"0539-{i:07d}" for i, _ in enumerate(units)],
            L.P_ASSESSED: [u[3] for u in units],
        },
        index=pd.Index([u[0] for u in units], name=L.P_UNIT_CODE),
    )
    given = targets or {}
    assessed = [u[0] for u in units if u[3]]
    target_rows = {code: given.get(code, (12, 6, float("nan"), 0)) for code in assessed}
    target_frame = pd.DataFrame.from_dict(
        target_rows, orient="index", columns=[L.T_SUBMIT, L.T_ADOPT, L.T_POINTS, L.T_MONTHLY_MIN]
    ).astype({L.T_SUBMIT: float, L.T_ADOPT: float, L.T_POINTS: float, L.T_MONTHLY_MIN: int})
    target_frame.index.name = L.UNIT_CODE
    points = pd.DataFrame(
        [
            (category, level, float(p), float(r))
            for category, row in POINTS.items()
            for level, p, r in zip(L.LEVELS, row, REWARDS, strict=True)
        ],
        columns=[L.PT_CATEGORY, L.PT_LEVEL, L.PT_POINTS, L.PT_REWARD],
    ).set_index([L.PT_CATEGORY, L.PT_LEVEL])
    rules = Rules(
        multi_level=multi_level,
        co_written=co_written,
        reward_split=reward_split,
        missing_return_deduction=missing,
        shortfall_deduction=shortfall,
        pass_condition=PassCondition.COUNTS,
        top_units=3,
        top_persons=5,
        deadline_day=deadline_day,
        issuer="示范县国土资源局办公室",
        doc_prefix="示国土办",
    )
    bonus = {**{k: float(v) for k, v in BONUS.items()}, L.NO_INSTRUCTION: 0.0}
    return Plan(2025, roster, target_frame, points, bonus, rules, Path("plan-2025.xlsx"))


def row(
    unit: str,
    title: str,
    month: str,
    *,
    sent: str | None = None,
    level: str = "",
    outlet: str = "",
    adopted: str | None = None,
    authors: str = "张三",
    category: str = "政务信息",
    instruction: str = L.NO_INSTRUCTION,
    co_units: str = "",
) -> dict[str, Any]:
    """One accepted ledger row; it is 已采用 when a level is given (adopted on the 10th of the
    month unless `adopted` says otherwise), sent on the 2nd of the month unless `sent` says."""
    is_adopted = bool(level)
    return {
        L.MONTH: month,
        L.UNIT_CODE: unit,
        L.TITLE: title,
        L.PIECE_KEY: title,
        L.CATEGORY: category,
        L.AUTHORS: authors,
        L.SENT_DATE: pd.Timestamp(sent or f"{month}-02"),
        L.SENT_TO: "县委办",
        L.STATUS: L.ADOPTED if is_adopted else L.NOT_ADOPTED,
        L.OUTLET: outlet or (f"《{level}要情》" if is_adopted else ""),
        L.LEVEL: level,
        L.ADOPT_DATE: pd.Timestamp(adopted or f"{month}-10") if is_adopted else pd.NaT,
        L.INSTRUCTION: instruction,
        L.CO_UNITS: co_units,
        L.PROOF: "第1期" if is_adopted else "",
        L.REVIEWER: "局长",
        L.SECRECY: L.YES,
        L.NOTES: "",
    }


def rows_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows frame of labels.py: row_id numbered within each month, 来源行号 within each
    unit's form, from 5 (the form's first data row)."""
    if not records:
        return empty_rows()
    frame = pd.DataFrame(records)
    frame[L.ROW_ID] = frame.groupby(L.MONTH).cumcount() + 1
    frame[L.SOURCE_ROW] = frame.groupby([L.MONTH, L.UNIT_CODE]).cumcount() + 5
    frame[L.SOURCE_FILE] = frame[L.UNIT_CODE] + "-" + frame[L.MONTH] + ".xlsx"
    frame[L.SOURCE_SHEET] = L.FORM_SHEET
    frame[L.UNIT_NAME] = frame[L.UNIT_CODE]
    frame[L.SENT_DATE + L.RAW_SUFFIX] = frame[L.SENT_DATE].dt.strftime("%Y-%m-%d")
    frame[L.ADOPT_DATE + L.RAW_SUFFIX] = frame[L.ADOPT_DATE].dt.strftime("%Y-%m-%d").fillna("")
    frame[L.SEQ] = ""
    # the columns a scheme adds to the form: "" unless a record names them
    frame = frame.assign(**{c: frame[c].fillna("") if c in frame else "" for c in S.SCHEME_FORM_COLUMNS})
    return frame[list(L.ROW_COLUMNS)]


def empty_rows() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in L.ROW_COLUMNS})
    return frame.astype({L.SENT_DATE: "datetime64[ns]", L.ADOPT_DATE: "datetime64[ns]", L.ROW_ID: int})


def returns_frame(entries: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    """Accepted returns from (月份, 单位代码, 提交日期 or None)."""
    return pd.DataFrame(
        {
            L.MONTH: [e[0] for e in entries],
            L.UNIT_CODE: [e[1] for e in entries],
            L.SUBMITTED_ON: pd.to_datetime(pd.Series([e[2] for e in entries], dtype=object)),
        },
        columns=list(L.RETURN_COLUMNS),
    )


def all_returned(months: list[str], units: tuple[str, ...] = ("A01", "A02", "A03", "N01")) -> pd.DataFrame:
    """Every unit returned every month on time (the 3rd of the next month)."""
    entries = []
    for month in months:
        after = pd.Period(month, freq="M") + 1
        entries += [(month, code, f"{after}-03") for code in units]
    return returns_frame(entries)
