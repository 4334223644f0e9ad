"""A large body's circular (`grouped_by`): 附件1 sums the units by group (单位类别, or the
roster's 分组), 附件2 lists the adoptions at 省级 or above, the ranking table and the chart show
the first `RANKING_SHOWN` units, and the text names the workbook beside the circular that holds
every unit and every adoption (`circular_workbook`). A county's circular lists every unit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.documents.circular_tables import (
    RANK_NONE,
    annex_adoptions,
    annex_scores,
    annex_total,
    annex_total_note,
    byline,
    count_text,
    points_text,
    rate_text,
)
from pipeline.plan.plan import Plan
from pipeline.plan.rules import AUTO_GROUPED_ABOVE, AnnexGrouping
from pipeline.scoring import periods
from pipeline.scoring.periods import Figures
from pipeline.scoring.year_counts import provincial_levels

GROUP_BLANK = "未分组"
UNITS_SHEET = "得分情况统计表"  # the workbook's sheet of every unit (`circular_workbook`)
ADOPTIONS_SHEET = "采用稿件目录"  # its sheet of every adoption of the period
INSTRUCTED_SHEET = "领导批示稿件目录"  # its sheet of every piece with a 领导批示 of the period
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
    return L.P_GROUP if group_labels(plan, L.P_GROUP).ne(GROUP_BLANK).any() else L.P_UNIT_CATEGORY


def grouped_word(column: str) -> str:
    """单位类别 / 分组, as the circular names what it sums by."""
    return _GROUPED_BY[column]


def group_labels(plan: Plan, column: str) -> pd.Series:
    """Each roster unit's group under `column` (by unit code), `GROUP_BLANK` where it has none."""
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
            column: group_labels(plan, column).reindex(units.index).fillna(GROUP_BLANK),
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
    unit), labelled with its count of units, then 合计; the columns of `annex_scores`. Counts,
    points and deductions are the sums of the group's units; a 完成率 is the sum of the year's
    figure over the sum of the targets of the group's units that have one; 进度 counts the units
    behind; 按时报送 counts the late and missing forms of the period."""
    table = unit_figures(figures, plan, column)
    rows = [_group_row(_label(name, len(part)), part) for name, part in in_groups(table, plan, column)]
    return [*rows, _group_row(_label("合计", len(table)), table)]


def _label(name: str, units: int) -> str:
    """国土资源所 over 750个单位: a group's label on two lines of its own (on one, 附件1's narrow
    column broke it where it filled, 国土资源所（750个单 / 位）)."""
    return f"{name}\n{units}个单位"


def in_groups(table: pd.DataFrame, plan: Plan, column: str) -> list[tuple[str, pd.DataFrame]]:
    """`table`'s rows split by their group under `column` (a column of theirs), the groups in the
    roster's order of their first unit: what a grouped annex sums, a row per group."""
    groups = dict(list(table.groupby(column, sort=False)))
    return [(name, groups[name]) for name in dict.fromkeys(group_labels(plan, column)) if name in groups]


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


LISTED_AT_MOST = 200  # adoptions of 附件2 beyond which a grouped circular lists 国家级 ones only


def provincial_up(plan: Plan) -> tuple[str, ...]:
    """The plan's levels at 省级 or above, highest first (`year_counts.provincial_levels`)."""
    return tuple(reversed(provincial_levels(plan)))


def listed_levels(figures: Figures, plan: Plan) -> tuple[str, ...]:
    """The levels whose adoptions a grouped circular's 附件2 lists: 省级 and above, or the
    highest only when those are more than `LISTED_AT_MOST` (a province's own outlets are 省级)."""
    levels = provincial_up(plan)
    high = figures.adoptions[periods.LEVEL].isin(levels).sum()
    return levels if high <= LISTED_AT_MOST else levels[:1]


def levels_word(levels: tuple[str, ...]) -> str:
    return "省级以上" if len(levels) > 1 else levels[0]


def high_adoptions(figures: Figures, plan: Plan) -> list[dict[str, str]]:
    """附件2 of a large body: the adoptions of `listed_levels` dated in the period, by date."""
    high = figures.adoptions[figures.adoptions[periods.LEVEL].isin(listed_levels(figures, plan))]
    return annex_adoptions(dataclasses.replace(figures, adoptions=high))


def high_praise(figures: Figures, plan: Plan, count: int, summed: Summed) -> str:
    """三's paragraph on the `count` adoptions at 省级 or above, when too many to name."""
    this, levels = figures.period.this, listed_levels(figures, plan)
    if levels == provincial_up(plan):
        return f"{this}共有{count}篇次稿件被省级以上载体采用，目录见附件2。"
    national = int(figures.adoptions[periods.LEVEL].isin(levels).sum())
    if not national:
        return f"{this}共有{count}篇次稿件被省级以上载体采用（均为省级），目录见《{summed.workbook}》。"
    return (
        f"{this}共有{count}篇次稿件被省级以上载体采用，其中{levels_word(levels)}{national}篇次，目录见附件2；"
        f"全部采用稿件目录见《{summed.workbook}》。"
    )


def instructed_praise(figures: Figures, plan: Plan, summed: Summed) -> str:
    """三's paragraph on the pieces with a 领导批示, when too many to name: their count by level,
    the workbook's sheet that lists them, and by name those at the highest level present when
    `NAMED_AT_MOST` at most."""
    instructed = figures.instructed
    place = {level: i for i, level in enumerate(periods.instruction_ladder(plan))}
    counts = instructed[periods.LEVEL].value_counts()
    levels = sorted(counts.index, key=lambda level: place.get(level, -1), reverse=True)
    split = f"均为{levels[0]}" if len(levels) == 1 else "、".join(f"{level}{counts[level]}篇" for level in levels)
    lead = (
        f"{figures.period.this}共有{len(instructed)}篇稿件获得领导批示（{split}），"
        f"目录见《{summed.workbook}》“{INSTRUCTED_SHEET}”"
    )
    highest = instructed[instructed[periods.LEVEL] == levels[0]]
    if len(highest) > NAMED_AT_MOST:
        return f"{lead}。"
    named = "、".join(byline(item) for _, item in highest.iterrows())
    return f"{lead}；其中获{levels[0]}领导批示的是{named}。"


def grouped_intro(figures: Figures, plan: Plan, column: str, shown: int, workbook: str) -> str:
    """二's lead-in of a grouped circular: what its table shows, and where every unit's row is."""
    period, count = figures.period, len(figures.units)
    ties = f"（含并列共{shown}个）" if shown > RANKING_SHOWN else ""
    return (
        f"全局{count}个单位中，累计得分排名前{RANKING_SHOWN}位的单位{ties}见下表（报送数、采用数、采用率和得分为"
        f"{period.this}数据，累计得分和完成率为截至{period.last}月底的全年累计数据）。各单位按{grouped_word(column)}"
        f"汇总的情况见附件1，{levels_word(listed_levels(figures, plan))}载体采用的稿件见附件2；每个单位的得分、完成率和排名，以及{period.this}全部采用"
        f"稿件目录，见与本通报同一文件夹中的《{workbook}》。"
    )


def annexes(figures: Figures, plan: Plan, summed: Summed | None) -> dict:
    """附件1 and 附件2 with their titles (naming the period): every unit, its 合计 row, and every
    adoption, or (grouped, `summed`) the groups with their 合计 and the adoptions at 省级 or
    above (`listed_levels`), an empty 附件2 saying so and where every adoption is listed.
    得分完成率 is hidden when no unit has a 年度得分任务 (it would be empty)."""
    period = figures.period.name
    hidden = [] if figures.units[OL.POINTS_RATE].notna().any() else [OL.POINTS_RATE]
    if summed is None:
        return {
            "annex1_title": f"{period}各单位得分情况统计表",
            "annex1_grouped": False,
            "annex1": [*annex_scores(figures), annex_total(figures)],
            "annex1_note": annex_total_note(figures),
            "hidden_columns": hidden,
            "annex2_title": f"{period}采用稿件目录",
            "annex2": annex_adoptions(figures),
            "annex2_note": "",
        }
    column, listed = summed.column, high_adoptions(figures, plan)
    levels = levels_word(listed_levels(figures, plan))
    return {
        "annex1_title": f"{period}得分情况统计表（按{grouped_word(column)}汇总）",
        # the template's table of groups: wider numbers, no 排名
        "annex1_grouped": True,
        "annex1": annex_groups(figures, plan, column),
        # the groups' 合计 sums the units as 附件1's does: the same note when co-writing makes it exceed
        "annex1_note": annex_total_note(figures),
        "hidden_columns": hidden,
        "annex2_title": f"{period}{levels}采用稿件目录",
        "annex2": listed,
        "annex2_note": ""
        if listed
        else f"注：{figures.period.this}没有稿件被{levels}载体采用，全部采用稿件目录见《{summed.workbook}》“{ADOPTIONS_SHEET}”。",
    }


NAMED_AT_MOST = 30  # units or pieces a grouped circular names in one paragraph; beyond, it counts them


@dataclass(frozen=True)
class Summed:
    """What a grouped circular's paragraphs need to count units instead of naming them: the
    roster column of the groups and the workbook that names every unit."""

    column: str
    workbook: str
    sheet: str = UNITS_SHEET  # the workbook's sheet of every unit

    def too_many(self, count: int) -> bool:
        return count > NAMED_AT_MOST

    def by_group(self, plan: Plan, codes: list[str]) -> str:
        """股室3个、国土资源所2个: how many of `codes` each group has, in the roster's order."""
        labels = group_labels(plan, self.column)
        counts = labels.loc[list(codes)].value_counts()
        return "、".join(f"{group}{counts[group]}个" for group in dict.fromkeys(labels) if group in counts.index)

    def listed_in(self, where: str) -> str:
        """名单见《季度通报.xlsx》“得分情况统计表”中… / 名单见《年终考核表.xlsx》“单位考核”表中…"""
        # a sheet whose name does not end in 表 is called one (“单位考核”表), as the office says it
        called = "" if self.sheet.endswith("表") else "表"
        return f"名单见《{self.workbook}》“{self.sheet}”{called}中{where}"


def idle_counted(figures: Figures, plan: Plan, deadline: str, summed: Summed) -> tuple[str, str]:
    """`circular._idle` for a grouped circular: the units counted by group, their names in the workbook."""
    mine = figures.period_units.loc[plan.assessed]
    silent = list(mine.index[mine[periods.SENT] == 0])
    unadopted = list(mine.index[(mine[periods.SENT] > 0) & (mine[periods.ADOPTED] == 0)])
    this = figures.period.this
    silent_text = (
        f"{this}有{len(silent)}个单位没有报送稿件（{summed.by_group(plan, silent)}），"
        f"{summed.listed_in(f'{this}报送为0的单位')}。请上述单位高度重视，于{deadline}前报送稿件，力争实现零的突破。"
        if silent
        else ""
    )
    unadopted_text = (
        f"{this}有{len(unadopted)}个单位报送的稿件均未被采用（{summed.by_group(plan, unadopted)}），"
        f"{summed.listed_in(f'{this}报送不为0、采用为0的单位')}。"
        "请上述单位对照各级载体的用稿要求，提高稿件质量，力争早日实现采用零的突破。"
        if unadopted
        else ""
    )
    return silent_text, unadopted_text


def forms_counted(plan: Plan, deadline: str, summed: Summed, absent: list, slow: list) -> str:
    """`circular._forms` for a grouped circular: the units counted by group, their names in the workbook."""
    parts = []
    if absent:
        parts.append(f"{len(absent)}个单位有月度报送表未报送（{summed.by_group(plan, absent)}），请于{deadline}前补报")
    if slow:
        day = plan.rules.deadline_day
        parts.append(f"{len(slow)}个单位有迟报（{summed.by_group(plan, slow)}），请今后严格按照次月{day}日前的时限报送")
    return "；".join(parts) + f"；{summed.listed_in('“按时报送”一列')}。"
