"""The circular's tables (季度通报 / 月度通报): the ranking of the assessed units and the two annexes
(得分情况统计表, 采用稿件目录), with numbers as the circular prints them. `circular` puts them into
its context beside the text."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import chinese_date
from pipeline.plan.plan import Plan
from pipeline.plan.rules import AUTO_GROUPED_ABOVE, AnnexGrouping
from pipeline.scoring import periods
from pipeline.scoring.periods import Figures

RANK_NONE = "—"
HIGH_LEVELS = ("国家级", "省级")


# --- Numbers as printed ------------------------------------------------------------------------


def count_text(value: float) -> str:
    """A count: 12."""
    return str(int(value))


def points_text(value: float) -> str:
    """Points without needless decimals: 36, 12.5, 3.33; "" for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{round(float(value), 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def rate_text(value: float) -> str:
    """A rate as a percentage with one decimal: 41.7%; "" for NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{float(value) * 100:.1f}%"


# --- 二、各单位完成情况 --------------------------------------------------------------------------


def ranked(figures: Figures, shown: int | None = None) -> pd.DataFrame:
    """The assessed units of 单位统计 by rank; with `shown`, those ranked `shown` or better."""
    units = figures.units[figures.units[OL.RANK].notna()]
    return units if shown is None else units[units[OL.RANK] <= shown]


def ranking(figures: Figures, shown: int | None = None) -> list[dict[str, str]]:
    """The ranking table: assessed units by rank (with `shown`, those ranked `shown` or better);
    the period's counts, 采用率 and points, the year's 累计得分 and 完成率 (the figures of 月度统计)."""
    rows = []
    for code, unit in ranked(figures, shown).iterrows():
        mine = figures.period_units.loc[code]
        rows.append(
            {
                "rank": count_text(unit[OL.RANK]),
                "unit": str(unit[L.UNIT_NAME]),
                "sent": count_text(mine[periods.SENT]),
                "adopted": count_text(mine[periods.ADOPTED]),
                "adopt_rate": rate_text(
                    mine[periods.ADOPTED_OF_SENT] / mine[periods.SENT] if mine[periods.SENT] else math.nan
                ),
                "points": points_text(mine[periods.POINTS]),
                "points_ytd": points_text(unit[OL.POINTS_YTD]),
                "submit_rate": rate_text(unit[OL.SUBMIT_RATE]),
                "adopt_year_rate": rate_text(unit[OL.ADOPT_RATE]),
            }
        )
    return rows


# --- 附件 ----------------------------------------------------------------------------------------


def on_time_text(statuses: pd.Series) -> str:
    """A unit's 按时报送 over the period's months: 按时, or 迟报1次 / 未报送2次 (one month: 迟报,
    未报送)."""
    late, missing = int((statuses == OL.LATE).sum()), int((statuses == OL.NOT_RETURNED).sum())
    if not late and not missing:
        return "按时"
    if len(statuses) == 1:
        return OL.LATE if late else OL.NOT_RETURNED
    parts = [f"迟报{late}次"] if late else []
    parts += [f"未报送{missing}次"] if missing else []
    return "，".join(parts)


def annex_scores(figures: Figures) -> list[dict[str, str]]:
    """附件1: every roster unit (assessed by rank, then the others): the period's and the year's
    figures of 单位统计."""
    rows = []
    for code, unit in figures.units.iterrows():
        mine = figures.period_units.loc[code]
        rows.append(
            {
                "unit": str(unit[L.UNIT_NAME]),
                "sent": count_text(mine[periods.SENT]),
                "adopted": count_text(mine[periods.ADOPTED]),
                "adoptions": count_text(mine[periods.ADOPTIONS]),
                "points": points_text(mine[periods.POINTS]),
                "sent_ytd": count_text(unit[OL.SENT_YTD]),
                "adopted_ytd": count_text(unit[OL.ADOPTED_YTD]),
                "points_ytd": points_text(unit[OL.POINTS_YTD]),
                "deductions": points_text(unit[OL.DEDUCTIONS]),
                "submit_rate": rate_text(unit[OL.SUBMIT_RATE]),
                "adopt_rate": rate_text(unit[OL.ADOPT_RATE]),
                "points_rate": rate_text(unit[OL.POINTS_RATE]),
                "progress": str(unit[OL.PROGRESS]),
                "rank": RANK_NONE if pd.isna(unit[OL.RANK]) else count_text(unit[OL.RANK]),
                "on_time": on_time_text(figures.returns.loc[code]),
            }
        )
    return rows


def annex_adoptions(figures: Figures) -> list[dict[str, str]]:
    """附件2: every adoption dated in the period, by date."""
    return [
        {
            "no": str(i),
            "title": str(item[periods.TITLE]),
            "unit": str(item[periods.UNIT_NAMES]),
            "authors": str(item[periods.AUTHORS]),
            "outlet": str(item[periods.OUTLET]),
            "level": str(item[periods.LEVEL]),
            "date": chinese_date(pd.Timestamp(item[periods.DATE]).date()),
        }
        for i, (_, item) in enumerate(figures.adoptions.iterrows(), start=1)
    ]


# --- A large body: the annex sums units by group -----------------------------------------------

GROUP_BLANK = "未分组"
RANKING_SHOWN = 20  # the units a grouped circular's ranking table and chart show, ties included
_GROUPED_BY = {L.P_UNIT_CATEGORY: "单位类别", L.P_GROUP: "分组"}


def grouped_by(plan: Plan) -> str | None:
    """The roster column a circular's annex sums units by (单位类别 or 分组), or None when it
    lists every unit: the plan's 通报附件分组; under 自动, every unit up to
    `rules.AUTO_GROUPED_ABOVE` units on the roster, beyond that by 分组 when the roster fills
    it for some unit, else by 单位类别."""
    choice = plan.rules.annex_grouping
    if choice == AnnexGrouping.UNITS:
        return None
    if choice == AnnexGrouping.CATEGORY:
        return L.P_UNIT_CATEGORY
    if choice == AnnexGrouping.GROUP:
        return L.P_GROUP
    if len(plan.units) <= AUTO_GROUPED_ABOVE:
        return None
    return L.P_GROUP if _group_labels(plan, L.P_GROUP).ne(GROUP_BLANK).any() else L.P_UNIT_CATEGORY


def grouped_word(column: str) -> str:
    """单位类别 / 分组, as the circular names what it sums by."""
    return _GROUPED_BY[column]


def _group_labels(plan: Plan, column: str) -> pd.Series:
    if column not in plan.units.columns:
        return pd.Series(GROUP_BLANK, index=plan.units.index)
    labels = plan.units[column].fillna("").astype(str).str.strip()
    return labels.where(labels != "", GROUP_BLANK)


def unit_figures(figures: Figures, plan: Plan, column: str) -> pd.DataFrame:
    """Every roster unit's figures as numbers, in 单位统计's order, with its group under `column`:
    what the grouped annex sums and the circular's workbook lists."""
    units, mine = figures.units, figures.period_units.reindex(figures.units.index)
    returns = figures.returns.reindex(units.index)
    return pd.DataFrame(
        {
            L.UNIT_NAME: units[L.UNIT_NAME].astype(str),
            column: _group_labels(plan, column).reindex(units.index).fillna(GROUP_BLANK),
            "sent": mine[periods.SENT].astype(int),
            "adopted": mine[periods.ADOPTED].astype(int),
            "adoptions": mine[periods.ADOPTIONS].astype(int),
            "points": mine[periods.POINTS].astype(float),
            "sent_ytd": units[OL.SENT_YTD].astype(int),
            "adopted_ytd": units[OL.ADOPTED_YTD].astype(int),
            "points_ytd": units[OL.POINTS_YTD].astype(float),
            "deductions": units[OL.DEDUCTIONS].astype(float),
            L.T_SUBMIT: units[L.T_SUBMIT].astype(float),
            L.T_ADOPT: units[L.T_ADOPT].astype(float),
            L.T_POINTS: units[L.T_POINTS].astype(float),
            "behind": (units[OL.PROGRESS] == OL.BEHIND).astype(int),
            "assessed": units[OL.RANK].notna().astype(int),
            "late": (returns == OL.LATE).sum(axis=1).astype(int),
            "missing": (returns == OL.NOT_RETURNED).sum(axis=1).astype(int),
        },
        index=units.index,
    )


_POINTS = ("points", "points_ytd", "deductions")
_SUMMED = ("sent", "adopted", "adoptions", "points", "sent_ytd", "adopted_ytd", "points_ytd", "deductions")
_RATES = (("submit_rate", "sent_ytd", L.T_SUBMIT), ("adopt_rate", "adopted_ytd", L.T_ADOPT),
          ("points_rate", "points_ytd", L.T_POINTS))  # fmt: skip


def annex_groups(figures: Figures, plan: Plan, column: str) -> list[dict[str, str]]:
    """附件1 of a large body: one row per group of `column` (in the roster's order of their first
    unit), then 合计; the columns of `annex_scores`. Counts, points and deductions are the sums
    of the group's units; a 完成率 is the sum of the year's figure over the sum of the targets
    of the group's units that have one; 进度 counts the units behind; 按时报送 counts the late
    and missing forms of the period."""
    table = unit_figures(figures, plan, column)
    groups = dict(list(table.groupby(column, sort=False)))
    order = [name for name in dict.fromkeys(_group_labels(plan, column)) if name in groups]
    rows = [_group_row(f"{name}（{len(groups[name])}个单位）", groups[name]) for name in order]
    return [*rows, _group_row(f"合计（{len(table)}个单位）", table)]


def _group_row(label: str, part: pd.DataFrame) -> dict[str, str]:
    sums = part[list(_SUMMED)].sum()
    row = {key: (points_text if key in _POINTS else count_text)(sums[key]) for key in _SUMMED}
    for key, actual, target in _RATES:
        having = part[part[target] > 0]
        row[key] = rate_text(having[actual].sum() / having[target].sum()) if len(having) else ""
    behind, assessed = int(part["behind"].sum()), int(part["assessed"].sum())
    late, missing = int(part["late"].sum()), int(part["missing"].sum())
    parts = [f"迟报{late}次"] if late else []
    parts += [f"未报送{missing}次"] if missing else []
    return {
        "unit": label,
        **row,
        "progress": (f"{OL.BEHIND}{behind}个" if behind else OL.ON_SCHEDULE) if assessed else "",
        "rank": RANK_NONE,
        "on_time": "，".join(parts) or "按时",
    }


def high_adoptions(figures: Figures) -> list[dict[str, str]]:
    """附件2 of a large body: the adoptions at 省级 or above dated in the period, by date."""
    high = figures.adoptions[figures.adoptions[periods.LEVEL].isin(HIGH_LEVELS)]
    return annex_adoptions(dataclasses.replace(figures, adoptions=high))
