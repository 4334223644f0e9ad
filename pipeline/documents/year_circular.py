"""The year-end circular (年度通报): what it says, as the context of the "年度通报" templates.

Rendering is the document engine's (`documents.render`); this module only puts the year's
results (`assessment.YearEnd`) into words: the totals, the results, the units and persons
commended by name, the units and heads losing award eligibility with the reason, and the
assessment table as its annex. Every figure is taken from the YearEnd, none is computed here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import chinese_date
from pipeline.documents import circular_groups, documents, official, year_groups
from pipeline.documents.circular_groups import Summed
from pipeline.scoring import assessment as A
from pipeline.scoring import persons as PN

KIND = "年度通报"
STEM = "年度通报"
# Two full-width spaces where the office writes the serial by hand: they keep their width in Word
# and in HTML (where ASCII spaces would collapse into one).
BLANK_SERIAL = "\u3000\u3000"
NEXT_YEAR = (
    "各单位要对照考核结果认真总结经验、查找不足，把信息宣传工作纳入{next}年重点工作，明确专人负责，"
    "及早谋划，确保全年任务按月推进、均衡完成。",
    "未完成{year}年度任务的单位要深入分析原因，拿出整改措施，{next}年一季度末前向局办公室书面报告整改情况。",
)


def circular_context(year_end: A.YearEnd, today: dt.date, number: int | None = None) -> dict:
    """The templates' values: text already formatted, tables as lists of dicts.

    Args:
        year_end: the year's results.
        today: the circular's date (成文日期 and 印发日期); its year is the 发文字号's.
        number: n of the 发文字号 (〔年份〕n号); None leaves room to write it by hand.
    """
    plan, year = year_end.plan, year_end.year
    issuer = plan.rules.issuer
    serial = BLANK_SERIAL if number is None else number
    # a large body's: units summed by group, long lists cut, 年终考核表.xlsx named for the rest
    summed = year_groups.summed(year_end)
    return {
        "issuer": issuer,
        "number": f"{plan.rules.doc_prefix}〔{today.year}〕{serial}号",
        "title": f"关于{year}年度信息宣传工作考核结果的通报",
        "recipients": official.recipients(plan),
        "intro": _intro(year_end),
        "sections": [
            _section("一、全年总体情况", _overview(year_end)),
            _section("二、考核结果", _results(year_end, summed), chart=True),
            _section("三、表扬", [], _praise(year_end, summed)),
            _section("四、取消评优资格", _losses(year_end, summed)),
        ],
        "last": _section("五、下步要求", [text.format(year=year, next=year + 1) for text in _next_steps(year_end)]),
        "chart": _chart(year_end),
        **_annex_of(year_end, summed),
        "annex_note": _annex_note(year_end, summed),
        "signature": issuer,
        "date": chinese_date(today),
        "contact": official.contact(plan),
        "cc": official.cc(plan),
        "printer": issuer,
        "print_date": f"{chinese_date(today)}印发",
    }


def write_year_circular(
    year_end: A.YearEnd, folder: Path, today: dt.date | None = None, number: int | None = None
) -> documents.Rendered:
    """Renders 年度通报.docx, .html and (with LibreOffice) .pdf into `folder`.

    Args:
        year_end: the year's results.
        folder: where the files go.
        today: the circular's date (default: today).
        number: n of the 发文字号 (default: left blank for the office to write in).
    """
    return start_year_circular(year_end, folder, today, number).finish()


def start_year_circular(
    year_end: A.YearEnd, folder: Path, today: dt.date | None = None, number: int | None = None
) -> documents.PendingRender:
    """`write_year_circular`, returning once the Word and web files are written while
    LibreOffice makes the PDF: the caller writes the year's workbook meanwhile, then calls
    `finish()` (or `abandon()` when it fails first)."""
    context = circular_context(year_end, today or dt.date.today(), number)
    return documents.start_render(KIND, context, folder, STEM)


def _intro(year_end: A.YearEnd) -> str:
    """The opening: the 办法 applied, and what the bureau's leadership decided (经局党组研究决定,
    the plan's 年度结果决定用语), in the figures of the sections below."""
    plan, year = year_end.plan, year_end.year
    text = f"按照{official.method(plan)}，局办公室对各单位{year}年全年信息报送和采用情况进行了统计考核。"
    honours = [
        f"{word}{len(frame)}{measure}"
        for word, frame, measure in (
            ("先进单位", year_end.top_units, "个"),
            ("先进个人", year_end.top_persons, "名"),
            ("优秀信息员", year_end.top_officers, "名"),
        )
        if len(frame)
    ]
    decided = [f"评选{'、'.join(honours)}"] if honours else []
    failed = len(year_end.failed_units)
    if failed:
        decided.append(f"取消{failed}个考核不达标单位及其负责人的年度评优资格")
    if not decided:
        decided.append("确定各单位年度考核结果")
    lead = official.decision(plan)
    return text + (f"{lead}，" if lead else "") + "，".join(decided) + "。现将考核结果通报如下："


def _chart(year_end: A.YearEnd) -> dict:
    """The year's points by unit; for a body whose circulars sum units by group, the first
    `RANKING_SHOWN` units (a bar per unit of a province's thousands is neither drawn fast nor
    read)."""
    units, year = year_end.units, year_end.year
    title = f"{year}年各单位全年得分"
    if circular_groups.grouped_by(year_end.plan) is not None:
        shown = circular_groups.RANKING_SHOWN
        units = units.sort_values(OL.YEAR_POINTS, ascending=False, kind="stable").head(shown)
        title = f"{year}年全年得分前{shown}位的单位"
    return {
        "title": title,
        "labels": list(units[L.UNIT_NAME]),
        "values": [round(float(v), 2) for v in units[OL.YEAR_POINTS]],
    }


def _section(heading: str, paragraphs: list[str], subsections: list[dict] | None = None, *, chart=False) -> dict:
    return {"heading": heading, "paragraphs": paragraphs, "subsections": subsections or [], "chart": chart}


def _overview(year_end: A.YearEnd) -> list[str]:
    totals = year_end.totals
    rate = f"，采发率{totals.rate:.1%}" if totals.sent else ""
    first = f"{totals.sentence()}，共被各级载体采用{totals.adoptions}条次{rate}。"
    by_category = totals.by_category[totals.by_category[OL.YEAR_SENT] + totals.by_category[OL.YEAR_ADOPTED] > 0]
    parts = [f"{r[L.CATEGORY]}报送{r[OL.YEAR_SENT]}篇、采用{r[OL.YEAR_ADOPTED]}篇" for _, r in by_category.iterrows()]
    levels = totals.by_level[totals.by_level[OL.YEAR_ADOPTIONS] > 0]
    adopted = [f"{r[L.LEVEL]}{r[OL.YEAR_ADOPTIONS]}条次" for _, r in levels.iterrows()]
    second = "按稿件类别分，" + "，".join(parts) + "。" if parts else ""
    third = "按采用级别分，" + "，".join(adopted) + "。" if adopted else ""
    return [first + second + third]


def _next_steps(year_end: A.YearEnd) -> tuple[str, ...]:
    return NEXT_YEAR if len(year_end.failed_units) else NEXT_YEAR[:1]


def _results(year_end: A.YearEnd, summed: Summed | None) -> list[str]:
    units = year_end.units
    passed = int((units[OL.RESULT] == OL.PASSED).sum())
    condition = {
        "数量": "报送数和采用数均达到年度任务",
        "得分": "得分达到年度得分任务",
        "数量和得分": "报送数、采用数和得分均达到年度任务",
    }
    rule = condition[year_end.plan.rules.pass_condition.value]
    text = f"全局{len(units)}个参加考核单位中，{passed}个单位{rule}，考核达标；{len(units) - passed}个单位考核不达标。"
    if len(units):
        top = units.iloc[0]
        text += f"全年得分最高的是{top[L.UNIT_NAME]}（{A.number(top[OL.YEAR_POINTS])}分）。"
    if summed is not None and summed.too_many(len(year_end.apart)):
        text += year_groups.apart_counted(year_end, summed)
    elif len(year_end.apart):
        text += f"{'、'.join(year_end.apart[L.UNIT_NAME])}不参加考核，不列入排名。"
    return [text + ("各单位考核结果见附件。" if summed is None else year_groups.results_note(year_end, summed))]


def _praise(year_end: A.YearEnd, summed: Summed | None) -> list[dict]:
    """三: the 先进单位, 先进个人 and 优秀信息员 by name; in a grouped circular, the first
    `circular_groups.NAMED_AT_MOST` of each, and where the whole list is (`year_groups.named`)."""
    year, top_units = year_end.year, year_end.top_units
    units = year_groups.named(list(top_units[L.UNIT_NAME]), summed, "个单位")
    sections = []
    if units:
        listed = year_groups.where_listed(summed, len(top_units), OL.YEAR_UNITS_SHEET, "“先进单位”为“是”的单位")
        sections.append(
            {
                "heading": "（一）先进单位",
                "paragraphs": [
                    f"{units}全年信息宣传工作成绩突出，评为{year}年度信息宣传工作先进单位，予以通报表扬。{listed}"
                ],
            }
        )
    for honour, persons, said in (
        (OL.TOP_PERSON, year_end.top_persons, f"评为{year}年度信息宣传工作先进个人。"),
        (OL.TOP_OFFICER, year_end.top_officers, f"评为{year}年度优秀信息员。"),
    ):
        names = [f"{r[PN.PERSON_NAME]}（{r[L.UNIT_NAME]}）" for _, r in persons.iterrows()]
        if names:
            listed = year_groups.where_listed(summed, len(names), OL.YEAR_PERSONS_SHEET, f"“{honour}”为“是”的人员")
            sections.append(
                {
                    "heading": f"（{_ordinal(len(sections))}）{honour}",
                    "paragraphs": [f"{year_groups.named(names, summed, '名同志')}{said}{listed}"],
                }
            )
    if not sections:
        sections.append({"heading": "（一）先进单位", "paragraphs": ["本年度没有达标单位，不评先进单位和先进个人。"]})
    return sections


def _ordinal(done: int) -> str:
    return "一二三四"[done]


def _losses(year_end: A.YearEnd, summed: Summed | None) -> list[str]:
    lost = year_end.ineligible_units
    if not len(lost):
        return ["全局参加考核单位均完成年度任务，没有单位被取消评优资格。"]
    if summed is not None and summed.too_many(len(lost)):
        return [year_groups.losses_counted(year_end, summed)]
    lines = []
    for _, unit in lost.iterrows():
        # the scheme's reasons end with what they cost; the sentence says it once
        reasons = [
            r.removesuffix("，取消评优资格").removesuffix("，不参加评优和奖励")
            for r in year_end.losses(unit[L.UNIT_CODE])
        ]
        head = f"负责人{unit[OL.UNIT_HEAD]}" if unit[OL.UNIT_HEAD] else "负责人"
        verdict = "考核不达标，" if unit[OL.RESULT] == OL.FAILED else ""
        lines.append(
            f"{unit[L.UNIT_NAME]}：{'；'.join(reasons)}，{verdict}取消该单位及其{head}{year_end.year}年度评优资格。"
        )
    return lines


def _annex(units: pd.DataFrame) -> list[dict]:
    return [
        {
            "rank": A.number(u[OL.RANK]),
            "unit": u[L.UNIT_NAME],
            "sent_target": A.number(u[L.T_SUBMIT]),
            "sent": str(u[OL.YEAR_SENT]),
            "adopt_target": A.number(u[L.T_ADOPT]),
            "adopted": str(u[OL.YEAR_ADOPTED]),
            "points": A.number(u[OL.YEAR_POINTS]),
            "result": u[OL.RESULT],
            "eligibility": u[OL.ELIGIBILITY],
            "top": u[OL.TOP_UNIT],
        }
        for _, u in units.iterrows()
    ]


def _annex_total(units: pd.DataFrame) -> dict:
    """The annex's 合计 row: the assessed units' targets, counts and points summed; the
    judgements blank."""
    blank = dict.fromkeys(("rank", "result", "eligibility", "top"), "")
    return blank | {"unit": "合计", **year_groups.unit_sums(units)}


def _annex_of(year_end: A.YearEnd, summed: Summed | None) -> dict:
    """The annex's title and rows: every assessed unit and their 合计, or (grouped) the groups'."""
    if summed is not None:
        return year_groups.annex(year_end, summed)
    return {
        "annex_title": f"{year_end.year}年度信息宣传工作年终考核结果",
        year_groups.GROUPED: False,
        "annex": [*_annex(year_end.units), _annex_total(year_end.units)],
    }


def _annex_note(year_end: A.YearEnd, summed: Summed | None) -> str:
    text = (
        "注：得分为全年累计得分，已扣除漏报、欠报扣分。各项数字按各单位首次填报的月份统计，"
        "补报的稿件和采用计入填报当月；采发率为全年报送的稿件中截至年底已被采用的篇数所占比例（不超过100%）。"
    )
    text += "合计为参加考核单位的数字之和，合作稿件在各合作单位分别计数。"
    if year_end.scheme is not None:
        text += (
            f"得分按{official.method(year_end.plan)}计算，含约稿、考核事项等加减分，"
            "各单位加减分的原因见年终考核表的备注。"
        )
    if any(year_end.plan.start_month(code) > 1 for code in year_end.units[L.UNIT_CODE]):
        text += "年中起参加考核的单位，任务按参加考核的月数折算。"
    notes = [
        f"{u[L.UNIT_NAME]}：{u[OL.YEAR_NOTE]}。"
        for _, u in year_end.units.iterrows()
        if u[OL.YEAR_NOTE] and u[OL.RESULT] == OL.PASSED
    ]
    return text + year_groups.notes_counted(notes, summed)
