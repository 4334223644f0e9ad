"""What a circular adds when the plan counts by the office's own 考核办法 (docs/schemes.md): that
得分 is the 办法's, and the office's 约稿 and 事件 of the period — the units that missed a 约稿 or
sent it late, the events that added or took points — each named with its points, so that the
figures of the tables are explained where people read them."""

from __future__ import annotations

import pandas as pd

from pipeline.documents import official
from pipeline.plan.plan import Plan
from pipeline.scoring import scheme_units as SU
from pipeline.scoring.periods import Figures

# The sections of 四、存在问题 this module may add, in this order.
COMMISSIONS_SECTION = "未按要求完成约稿的单位"
EVENTS_SECTION = "考核事项加减分"


def points_note(figures: Figures, plan: Plan) -> str:
    """The sentence under the ranking table saying what 得分 includes under a scheme."""
    if not figures.by_scheme:
        return ""
    return f"得分按{official.method(plan)}计算，含约稿、考核事项等加减分。"


def sections(figures: Figures, plan_unit_name) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the period's 约稿 results and events; none when there are none."""
    happened = figures.happenings
    if happened.empty:
        return []
    found = []
    commissions = happened[happened[SU.H_KIND] == SU.H_COMMISSION]
    failed = commissions[commissions[SU.H_RESULT].isin([SU.MISSED, SU.LATE])]
    if not failed.empty:
        found.append((COMMISSIONS_SECTION, [_commissions(failed, plan_unit_name)]))
    events = happened[happened[SU.H_KIND] == SU.H_EVENT]
    if not events.empty:
        found.append((EVENTS_SECTION, [_events(events, plan_unit_name)]))
    return found


def _points(value: float) -> str:
    return f"{'加' if value > 0 else '扣'}{SU.fmt(abs(value))}分"


def _commissions(failed: pd.DataFrame, unit_name) -> str:
    parts = []
    for (name, date), group in failed.groupby([SU.H_NAME, SU.H_DATE], sort=True):
        day = pd.Timestamp(date)
        named = []
        for result in (SU.MISSED, SU.LATE):
            mine = group[group[SU.H_RESULT] == result]
            if mine.empty:
                continue
            units = "、".join(unit_name(code) for code in mine[SU.H_UNIT])
            cost = mine[SU.H_POINTS].iloc[0]
            each = "各" if len(mine) > 1 else ""
            named.append(f"{result}的有{units}" + (f"（{each}{_points(cost)}）" if cost else ""))
        parts.append(f"约稿{name}（截止{day.month}月{day.day}日），" + "，".join(named))
    return "；".join(parts) + "。请上述单位高度重视约稿任务，今后按时保质报送。"


def _events(events: pd.DataFrame, unit_name) -> str:
    parts = []
    for record in events.sort_values([SU.H_DATE, SU.H_UNIT], kind="stable").to_dict("records"):
        day = pd.Timestamp(record[SU.H_DATE])
        note = f"（{record[SU.H_RESULT]}）" if record[SU.H_RESULT] else ""
        points = record[SU.H_POINTS]
        lost = "，取消年度评优资格" if record[SU.H_LOSES] else ""
        amount = f"，{_points(points)}" if points else ""
        parts.append(f"{day.month}月{day.day}日，{unit_name(record[SU.H_UNIT])}{record[SU.H_NAME]}{note}{amount}{lost}")
    return "；".join(parts) + "。"
