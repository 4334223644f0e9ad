"""The circular's tables (季度通报 / 月度通报): the ranking of the assessed units and the two annexes
(得分情况统计表, 采用稿件目录), with numbers as the circular prints them. `circular` puts them into
its context beside the text."""

from __future__ import annotations

import math

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import chinese_date
from pipeline.scoring import periods
from pipeline.scoring.periods import Figures

RANK_NONE = "—"


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


TOTAL_LABEL = "合计"


def annex_total(figures: Figures) -> dict[str, str]:
    """附件1's 合计 row: the sums of its count and points columns over every roster unit; rates,
    progress, rank and 按时报送 stay blank (a sum of them means nothing)."""
    units = figures.units
    mine = figures.period_units.loc[units.index]
    blank = dict.fromkeys(("submit_rate", "adopt_rate", "points_rate", "progress", "rank", "on_time"), "")
    return blank | {
        "unit": TOTAL_LABEL,
        "sent": count_text(mine[periods.SENT].sum()),
        "adopted": count_text(mine[periods.ADOPTED].sum()),
        "adoptions": count_text(mine[periods.ADOPTIONS].sum()),
        "points": points_text(mine[periods.POINTS].sum()),
        "sent_ytd": count_text(units[OL.SENT_YTD].sum()),
        "adopted_ytd": count_text(units[OL.ADOPTED_YTD].sum()),
        "points_ytd": points_text(units[OL.POINTS_YTD].sum()),
        "deductions": points_text(units[OL.DEDUCTIONS].sum()),
    }


def annex_total_note(figures: Figures) -> str:
    """Under 附件1, when its 合计 of the period differs from the bureau's totals in the text (a
    piece written by several units counts once in each): why, with the bureau's figures."""
    total = annex_total(figures)
    totals = figures.totals
    pairs = (("报送", "sent", totals.sent, "篇"), ("采用", "adopted", totals.adopted, "篇"),
             ("采用", "adoptions", totals.adoptions, "条次"))  # fmt: skip
    if all(int(total[key]) == real for _, key, real, _ in pairs):
        return ""
    real = "、".join(f"{word}{value}{unit}" for word, _, value, unit in pairs)
    return f"注：合计为各单位数字之和，合作稿件在各合作单位分别计数；全局{figures.period.this}实际{real}。"


def byline(item: pd.Series) -> str:
    """A piece as the circular's text names it: 城关所赵六撰写的《c1》 (no 撰写的 without authors)."""
    authors = f"{item[periods.AUTHORS]}撰写的" if item[periods.AUTHORS] else ""
    return f"{item[periods.UNIT_NAMES]}{authors}《{item[periods.TITLE]}》"


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
