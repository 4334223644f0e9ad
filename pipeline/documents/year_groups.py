"""The year circular (年度通报) of a large body (`circular_groups.grouped_by`): its annex sums the
assessed units by group as the quarter's 附件1 does, and the paragraphs that would name a
province's units by the hundred (the units and persons commended beyond
`circular_groups.NAMED_AT_MOST`, the units losing 评优资格, the units not assessed, the annex's
notes on single units) name the first or count the units by group, and say where in
年终考核表.xlsx — which lists every unit and every person — the whole list is. A county's year
circular names every one (`year_circular`).
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.documents import circular_groups, official
from pipeline.documents.circular_groups import (
    GROUP_BLANK,
    Summed,
    group_labels,
    grouped_by,
    grouped_word,
    in_groups,
)
from pipeline.scoring import assessment as A

GROUPED = "annex_grouped"  # the context's switch to the templates' table of groups


def summed(year_end: A.YearEnd) -> Summed | None:
    """How the year's circular counts units instead of naming them, or None when it names every
    one: the plan's groups, and 年终考核表.xlsx's 单位考核 sheet as the list of every unit."""
    column = grouped_by(year_end.plan)
    return None if column is None else Summed(column, OL.ASSESSMENT_FILE, OL.YEAR_UNITS_SHEET)


def unit_sums(units: pd.DataFrame) -> dict[str, str]:
    """The annex's sums of `units`: their targets, counts and points (the county's 合计 row)."""
    return {
        "sent_target": A.number(units[L.T_SUBMIT].sum()),
        "sent": str(int(units[OL.YEAR_SENT].sum())),
        "adopt_target": A.number(units[L.T_ADOPT].sum()),
        "adopted": str(int(units[OL.YEAR_ADOPTED].sum())),
        "points": A.number(units[OL.YEAR_POINTS].sum()),
    }


def annex(year_end: A.YearEnd, summed: Summed) -> dict:
    """The annex of a grouped year circular: its title, and a row per group of the assessed
    units (in the roster's order of their first unit), then 合计: the group's units counted,
    their targets, counts and points summed (`unit_sums`), and how many of them are 达标, lost
    评优资格 and are 先进单位."""
    units, column = year_end.units, summed.column
    labels = group_labels(year_end.plan, column)
    table = units.assign(**{column: labels.reindex(units[L.UNIT_CODE]).fillna(GROUP_BLANK).to_numpy()})
    rows = [_group_row(name, part) for name, part in in_groups(table, year_end.plan, column)]
    return {
        # the annex page's title on two lines, broken before its bracket (a 2号 line holds 19
        # characters: it broke in 单位类别); 附件说明 and the web page drop the break
        "annex_title": f"{year_end.year}年度信息宣传工作年终考核结果\n（按{grouped_word(column)}汇总）",
        GROUPED: True,
        "annex": [*rows, _group_row(OL.TOTAL, table)],
    }


def _group_row(label: str, part: pd.DataFrame) -> dict[str, str]:
    def count(holds: pd.Series) -> str:
        return str(int(holds.sum()))

    return {
        "unit": label,
        "units": str(len(part)),
        **unit_sums(part),
        "passed": count(part[OL.RESULT] == OL.PASSED),
        "ineligible": count(part[OL.ELIGIBILITY] == OL.LOSES),
        "top": count(part[OL.TOP_UNIT] == L.YES),
    }


def results_note(year_end: A.YearEnd, summed: Summed) -> str:
    """二's last sentence: where the annex's groups and each unit's results are."""
    return (
        f"各单位考核结果按{grouped_word(summed.column)}汇总见附件；每个单位的得分、排名、考核结果和评优资格，"
        f"见与本通报同一文件夹中的《{summed.workbook}》“{summed.sheet}”表。"
    )


def apart_counted(year_end: A.YearEnd, summed: Summed) -> str:
    """二's sentence on the units not assessed, too many to name."""
    apart = year_end.apart
    return (
        f"{len(apart)}个单位不参加考核（{summed.by_group(year_end.plan, list(apart[L.UNIT_CODE]))}），不列入排名，"
        f"{summed.listed_in('“不参加考核的单位”部分')}。"
    )


def named(names: list[str], summed: Summed | None, measure: str) -> str:
    """甲、乙、丙; beyond `circular_groups.NAMED_AT_MOST` in a grouped circular, the first of
    them and 等N个单位 (`measure`: 个单位, 名同志)."""
    if summed is None or not summed.too_many(len(names)):
        return "、".join(names)
    return "、".join(names[: circular_groups.NAMED_AT_MOST]) + f"等{len(names)}{measure}"


def where_listed(summed: Summed | None, count: int, sheet: str, where: str) -> str:
    """The sentence saying where the whole list of `count` commended is, when `named` cut it."""
    if summed is None or not summed.too_many(count):
        return ""
    return f"{dataclasses.replace(summed, sheet=sheet).listed_in(where)}。"


def losses_counted(year_end: A.YearEnd, summed: Summed) -> str:
    """四's paragraph when too many units lost 评优资格 to name: how many, by group and why, and
    where each is listed with its reasons."""
    lost, year = year_end.ineligible_units, year_end.year
    failed = int((lost[OL.RESULT] == OL.FAILED).sum())
    why = [f"考核不达标的{failed}个"] if failed else []
    if len(lost) > failed:
        why.append(f"因{official.method(year_end.plan)}规定的其他情形取消的{len(lost) - failed}个")
    return (
        f"取消{len(lost)}个单位（{summed.by_group(year_end.plan, list(lost[L.UNIT_CODE]))}）及其负责人{year}年度评优资格，"
        f"其中{'、'.join(why)}；{summed.listed_in('“评优资格”为“取消”的单位')}，原因见该表“备注”列。"
    )


def notes_counted(notes: list[str], summed: Summed | None) -> str:
    """The annex note's sentences on single units (a tie at a cut-off, a unit that joined in the
    year): each, or in a grouped circular with more than `circular_groups.NAMED_AT_MOST`, where
    they are."""
    if summed is None or not summed.too_many(len(notes)):
        return "".join(notes)
    return f"{len(notes)}个达标单位的备注（年中起参加考核、得分并列的处理等）见《{summed.workbook}》“{summed.sheet}”表“备注”列。"
