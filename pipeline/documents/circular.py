"""The circular's content (季度通报 / 月度通报): the context the templates print, from a period's
figures (`periods.figures`).

Every value is a ready-to-print Chinese string, worded as a bureau office writes a circular:
totals with the previous period and the same period last year where the ledger has them, the
ranking of the assessed units, praise by name, and the units behind schedule, without output
or with missing or late forms, named with a date to catch up by. Units that are not assessed
(参加考核 = 否) appear in the totals and the annexes only. The ranking and the annexes are built
in `circular_tables`.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import chinese_date, chinese_month, is_behind_schedule
from pipeline.core.workdays import add_working_days
from pipeline.documents import circular_groups, circular_scheme, official
from pipeline.documents.circular_tables import byline, count_text, points_text, ranked, ranking, rate_text
from pipeline.documents.year_circular import BLANK_SERIAL
from pipeline.plan.plan import Plan
from pipeline.scoring import periods, scoring
from pipeline.scoring.periods import Figures, Period, Totals
from pipeline.scoring.year_counts import provincial_levels

KIND = "通报"
SERIALS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


def _listed(items: list[str]) -> str:
    return "、".join(items)


# --- The context -------------------------------------------------------------------------------


def context(
    figures: Figures, plan: Plan, *, number: int | None = None, issued: dt.date, workbook: str | None = None
) -> dict:
    """The circular's context dict (the contract with `documents.render`).

    A large body (`circular_groups.grouped_by`) gets a readable circular: the ranking table and
    the chart show the first `circular_groups.RANKING_SHOWN` units, 附件1 sums the units by group, 附件2 lists
    the adoptions at 省级 or above, and the text names the workbook holding every unit's row
    and every adoption (`workbook_tables`).

    Args:
        figures: the period's figures.
        plan: the period's year's plan (发文机关, 发文字号前缀, 先进单位名额, 报送截止日, roster,
            通报附件分组).
        number: n of the 发文字号; by default left blank for the office to write in.
        issued: the circular's date.
        workbook: the name of that workbook (default: the period's, e.g. 季度通报.xlsx).

    Returns:
        Every key of the contract, every value a plain string (or lists/dicts of them; the
        chart's values are floats).
    """
    period = figures.period
    issuer = plan.rules.issuer
    date = chinese_date(issued)
    # a quarter's serial as the number collided with the bureau's other documents: the office
    # writes the number in, or gives it with --number
    serial = BLANK_SERIAL if number is None else number
    column = circular_groups.grouped_by(plan)
    shown = None if column is None else circular_groups.RANKING_SHOWN
    workbook = workbook or f"{period.stem}.xlsx"
    summed = None if column is None else circular_groups.Summed(column, workbook)
    assessed = ranked(figures, shown)
    return {
        "issuer": issuer,
        "number": f"{plan.rules.doc_prefix}〔{issued.year}〕{serial}号",
        "title": f"关于{_title_period(period)}信息宣传工作情况的通报",
        "period": period.name,
        "recipients": official.recipients(plan),
        "intro": _intro(period, plan),
        "overview": overview(figures, plan),
        "ranking_intro": _ranking_intro(period)
        if column is None
        else circular_groups.grouped_intro(figures, plan, column, len(assessed), workbook),
        "ranking": ranking(figures, shown),
        "ranking_note": _ranking_note(figures, plan, summed),
        "chart": {
            "title": f"{period.name}末{'各单位' if column is None else f'累计得分前{shown}位的单位'}累计得分",
            "labels": [str(name) for name in assessed[L.UNIT_NAME]],
            "values": [float(round(v, 2)) for v in assessed[OL.POINTS_YTD]],
        },
        "praise": praise(figures, plan, summed),
        "problems": problems(figures, plan, pd.Timestamp(issued), summed),
        "next_steps": next_steps(figures, plan),
        "signature": issuer,
        "date": date,
        "contact": official.contact(plan),
        "cc": official.cc(plan),
        "printer": issuer,
        "print_date": f"{date}印发",
        **circular_groups.annexes(figures, plan, summed),
    }


def _title_period(period: Period) -> str:
    return period.name if period.is_quarter else f"{period.year}年{period.last}月份"


def _span(period: Period) -> str:
    """（1月至3月） for a quarter, nothing for a month."""
    return f"（{period.first}月至{period.last}月）" if period.is_quarter else ""


def _intro(period: Period, plan: Plan) -> str:
    return (
        f"为全面掌握各单位信息宣传工作进展，进一步调动各单位做好信息宣传工作的积极性，"
        f"根据{official.method(plan)}，局办公室依据各单位报送的月度报送表，"
        f"对{period.name}{_span(period)}各单位信息报送和采用情况进行了统计。现将有关情况通报如下："
    )


def _ranking_intro(period: Period) -> str:
    return (
        f"各单位完成情况见下表（报送数、采用数、采用率和得分为{period.this}数据，"
        f"累计得分和完成率为截至{period.last}月底的全年累计数据，按累计得分排名），详细得分情况见附件1。"
    )


def rate_definition(period: Period) -> str:
    """What 采用率 means, stated under every table that shows it (docs/counting.md, rule 6)."""
    return (
        f"采用率为{period.this}报送的稿件中截至{period.last}月底已被采用的篇数所占比例（不超过100%）；"
        f"各项数字按各单位首次填报的月份统计，补报的稿件和采用计入填报当月。"
    )


def _ranking_note(figures: Figures, plan: Plan, summed: circular_groups.Summed | None = None) -> str:
    assessed = set(plan.assessed)
    others = [code for code in plan.units.index if code not in assessed]
    text = f"注：{rate_definition(figures.period)}{circular_scheme.points_note(figures, plan)}"
    if not others:
        return text
    if summed is not None and summed.too_many(len(others)):
        return (
            text + f"{len(others)}个单位不参加考核（{summed.by_group(plan, others)}），未列入排名，"
            f"{summed.listed_in('排名为空的单位')}。"
        )
    return text + f"{_listed([plan.unit_name(code) for code in others])}不参加考核，未列入排名。"


# --- 一、总体情况 --------------------------------------------------------------------------------


def overview(figures: Figures, plan: Plan) -> list[str]:
    """The paragraphs of 一、总体情况: the period's totals, the comparisons the ledger allows,
    and the year to date against the year's targets."""
    paragraphs = [_totals_sentence(figures.period, figures.totals)]
    comparisons = []
    if figures.previous is not None:
        before = "上季度" if figures.period.is_quarter else "上月"
        comparisons.append(_comparison(f"与{before}相比", figures.totals, figures.previous))
    if figures.year_before is not None:
        comparisons.append(_comparison("与去年同期相比", figures.totals, figures.year_before))
    if comparisons:
        paragraphs.append("；".join(comparisons) + "。")
    paragraphs.append(_year_to_date(figures, plan))
    return paragraphs


def _totals_sentence(period: Period, totals: Totals) -> str:
    if totals.sent == 0 and totals.adopted == 0:
        text = f"{period.name}，全局没有报送信息宣传稿件，也没有稿件被采用。"
    elif totals.adopted == 0:
        text = f"{period.name}，全局共报送信息宣传稿件{totals.sent}篇，暂无稿件被采用。"
    else:
        sent = (
            f"全局共报送信息宣传稿件{totals.sent}篇，被采用{totals.adopted}篇，采用率（采发率）{rate_text(totals.rate)}"
            if totals.sent
            else f"全局没有新报送稿件，此前报送的稿件被采用{totals.adopted}篇"
        )
        levels = [f"{level}{n}条次" for level, n in totals.by_level.items() if n]
        text = f"{period.name}，{sent}；共被各级载体采用{totals.adoptions}条次，其中{_listed(levels)}。"
    if totals.instructed:
        text += f"{period.this}共有{totals.instructed}篇稿件获得领导批示。"
    return text + _late_sentence(period, totals)


def _late_sentence(period: Period, totals: Totals) -> str:
    """The 补报 the period's figures include: counted in the month of the form that first
    reported them, although dated earlier (docs/counting.md, rule 4)."""
    parts = [f"稿件{totals.late_sent}篇"] if totals.late_sent else []
    parts += [f"采用{totals.late_adoptions}条次"] if totals.late_adoptions else []
    if not parts:
        return ""
    return (
        f"以上数字含补报的{'、'.join(parts)}（日期在{period.this}以前、{period.this}首次填报），"
        f"按首次填报的月份计入{period.this}。"
    )


def _change(label: str, now: int, before: int) -> str:
    if now == before:
        return f"{label}持平"
    word, grow = ("增加", "增长") if now > before else ("减少", "下降")
    text = f"{label}{word}{abs(now - before)}篇"
    if not before:
        return text
    shown = rate_text(abs(now - before) / before)
    # a change of a few pieces in a province's tens of thousands is not "下降0.0%"
    return text + f"（{grow}{'不到0.1%' if shown == '0.0%' else shown}）"


def _comparison(lead: str, now: Totals, before: Totals) -> str:
    parts = [_change("报送数", now.sent, before.sent), _change("采用数", now.adopted, before.adopted)]
    if not (math.isnan(now.rate) or math.isnan(before.rate)):
        points = round((now.rate - before.rate) * 100, 1)
        if points == 0:
            parts.append("采用率持平")
        else:
            parts.append(f"采用率{'提高' if points > 0 else '降低'}{abs(points):.1f}个百分点")
    return f"{lead}，" + "，".join(parts)


def _year_to_date(figures: Figures, plan: Plan) -> str:
    period = figures.period
    units = figures.units[figures.units[OL.RANK].notna()]
    share = rate_text(period.last / 12)
    head = f"截至{period.last}月底，{len(units)}个考核单位"
    if units.empty:
        return f"截至{period.last}月底，没有参加考核的单位。"
    sent, adopted = int(units[OL.SENT_YTD].sum()), int(units[OL.ADOPTED_YTD].sum())
    points = points_text(units[OL.POINTS_YTD].sum())
    submit, adopt = units[L.T_SUBMIT].sum(), units[L.T_ADOPT].sum()
    text = f"{head}累计报送稿件{sent}篇、采用{adopted}篇（合作稿件在各合作单位分别计数），累计得分{points}分"
    rates = []
    if submit > 0:
        rates.append(("报送", submit, sent / submit))
    if adopt > 0:
        rates.append(("采用", adopt, adopted / adopt))
    if not rates:
        return text + "。"
    tasks = "、".join(f"{word}{count_text(target)}篇" for word, target, _ in rates)
    done = "和".join(rate_text(rate) for _, _, rate in rates)
    text += f"，{'分别' if len(rates) > 1 else ''}完成年度任务（{tasks}）的{done}，按序时进度应完成{share}"
    # compared as rate × 12 < m, as scoring.progress compares a unit's figures
    lagging = [word for word, _, rate in rates if is_behind_schedule(rate, period.last)]
    if not lagging:
        return text + "，总体进度符合要求。"
    return text + f"，{'、'.join(lagging)}完成率{'均' if len(lagging) > 1 else ''}低于序时进度。"


# --- 三、表扬 ------------------------------------------------------------------------------------


def _top(values: pd.Series, places: int) -> pd.Series:
    """The highest positive values down to the `places`-th, with every value tied with it."""
    positive = values[values.round(9) > 0].sort_values(ascending=False, kind="stable")
    if len(positive) <= places:
        return positive
    cut = positive.round(9).iloc[places - 1]
    return positive[positive.round(9) >= cut]


def top_units(figures: Figures, plan: Plan) -> pd.Series:
    """The assessed units with the highest points of the period: 先进单位名额 of them, more when
    tied at the last place; ties listed by code."""
    points = figures.period_units.loc[plan.assessed, periods.POINTS].sort_index()
    return _top(points, plan.rules.top_units)


def top_persons(figures: Figures, plan: Plan) -> pd.Series:
    """The persons of assessed units with the highest points of the period: 先进个人名额 of them,
    more when tied; ties listed by unit code and name."""
    persons = figures.persons[figures.persons.index.get_level_values(0).isin(plan.assessed)].sort_index()
    return _top(persons, plan.rules.top_persons)


def _lead(what: str, noun: str, measure: str, chosen: pd.Series, places: int) -> str:
    """得分最高的单位是 / 得分居前3位的单位是 / 得分居前3位的单位（含并列）共4个，分别是."""
    if len(chosen) == 1:
        return f"{what}最高的{noun}是"
    if len(chosen) > places:
        return f"{what}居前{places}位的{noun}（含并列）共{len(chosen)}{measure}，分别是"
    return f"{what}居前{len(chosen)}位的{noun}是"


def praise(figures: Figures, plan: Plan, summed: circular_groups.Summed | None = None) -> list[dict]:
    """The sections of 三、表扬: top units, top persons, pieces adopted at 省级 or above (a grouped
    circular with many of them refers to its 附件2), pieces with a 领导批示; a period without
    any says so plainly."""
    period, sections = figures.period, []
    units = top_units(figures, plan)
    if len(units):
        named = [
            f"{plan.unit_name(code)}（{points_text(points)}分，采用{count_text(figures.period_units.at[code, periods.ADOPTED])}篇）"
            for code, points in units.items()
        ]
        lead = _lead("得分", "单位", "个", units, plan.rules.top_units)
        closing = "上述单位" if len(units) > 1 else "该单位"
        sections.append(
            (
                "先进单位",
                [
                    f"{period.this}{lead}：{_listed(named)}。"
                    f"{closing}重视信息宣传工作，报送积极，采用质量较高，予以通报表扬。"
                ],
            )
        )
    persons = top_persons(figures, plan)
    if len(persons):
        named = [
            f"{name}（{plan.unit_name(code)}，{points_text(points)}分）" for (code, name), points in persons.items()
        ]
        lead = _lead("个人得分", "同志", "名", persons, plan.rules.top_persons)
        closing = "希望受到表扬的同志再接再厉，其他同志以他们为榜样，多写稿、写好稿。"
        # persons by points, co-authors among them: not only the roster's 信息员
        sections.append(("表现突出的个人", [f"{period.this}{lead}：{_listed(named)}。{closing}"]))
    levels = provincial_levels(plan)
    high = figures.adoptions[figures.adoptions[periods.LEVEL].isin(levels)]
    if len(high):
        listed = summed is None or not summed.too_many(len(high))
        text = (
            _high_adoptions(period, high, levels[-1])
            if listed
            else circular_groups.high_praise(figures, plan, len(high), summed)
        )
        sections.append(("省级以上采用稿件", [text]))
    if len(figures.instructed):
        sections.append(("获领导批示的稿件", [_instructions(figures, plan, summed)]))
    if not sections:
        status = "各单位暂无稿件被采用" if figures.totals.adopted == 0 else "参加考核的单位暂无得分"
        sections.append(
            (
                "总体评价",
                [
                    f"{period.this}{status}，本期不作表扬。"
                    f"希望各单位在提高稿件质量上下功夫，积极向各级载体投稿，争取早日实现突破。"
                ],
            )
        )
    return _numbered(sections)


def _high_adoptions(period: Period, high: pd.DataFrame, top: str) -> str:
    """三's paragraph on the adoptions at 省级 or above: each named while a paragraph can hold
    them (`circular_groups.NAMED_AT_MOST`); beyond, only those at the `top` level, the rest
    left to 附件2, which lists every adoption of the period."""

    def named(items: pd.DataFrame) -> str:
        return "；".join(
            f"{byline(item)}被{item[periods.OUTLET]}（{item[periods.LEVEL]}）采用" for _, item in items.iterrows()
        )

    if len(high) <= circular_groups.NAMED_AT_MOST:
        return f"{period.this}共有{len(high)}篇次稿件被省级以上载体采用：{named(high)}。"
    lead = f"{period.this}共有{len(high)}篇次稿件被省级以上载体采用，目录见附件2"
    highest = high[high[periods.LEVEL] == top]
    if highest.empty or len(highest) > circular_groups.NAMED_AT_MOST:
        return f"{lead}。"
    return f"{lead}；其中被{top}载体采用{len(highest)}篇次：{named(highest)}。"


def _instructions(figures: Figures, plan: Plan, summed: circular_groups.Summed | None) -> str:
    """三's paragraph on the pieces with a 领导批示: each named, unless a grouped circular has more
    than `circular_groups.NAMED_AT_MOST` of them (`circular_groups.instructed_praise`)."""
    instructed = figures.instructed
    if summed is not None and summed.too_many(len(instructed)):
        return circular_groups.instructed_praise(figures, plan, summed)
    items = [f"{byline(item)}获{item[periods.LEVEL]}领导批示" for _, item in instructed.iterrows()]
    return f"{figures.period.this}共有{len(instructed)}篇稿件获得领导批示：{'；'.join(items)}。"


def _numbered(sections: list[tuple[str, list[str]]]) -> list[dict]:
    return [
        {"heading": f"{SERIALS[i]}{heading}", "paragraphs": paragraphs}
        for i, (heading, paragraphs) in enumerate(sections)
    ]


# --- 四、存在问题 --------------------------------------------------------------------------------


def catch_up_deadline(plan: Plan, issued: dt.date) -> tuple[dt.date, bool]:
    """The date units are told to act by: 督办期限工作日 (default 5) working days after the
    circular's date, weekends and legal holidays skipped; and whether the holiday calendar knew
    the year (else only weekends were skipped, which the run's summary says)."""
    return add_working_days(issued, plan.rules.catch_up_days)


def calendar_note(plan: Plan, issued: dt.date) -> str:
    """The summary's warning when the deadline was counted without the year's legal holidays."""
    deadline, known = catch_up_deadline(plan, issued)
    if known:
        return ""
    return (
        f"注意：节假日日历（chinese-calendar）尚未收录{deadline.year}年的法定节假日，"
        f"通报中的期限（{chinese_date(deadline)}）只跳过了周末，请核对；升级 chinese-calendar 后重新生成即可。"
    )


def problems(
    figures: Figures, plan: Plan, issued: pd.Timestamp, summed: circular_groups.Summed | None = None
) -> list[dict]:
    """The sections of 四、存在问题: units behind schedule (always: nobody behind is said plainly),
    units without submissions or adoptions in the period, units whose forms were missing or
    late; each named, with the date to catch up by (a grouped circular with more than
    `circular_groups.NAMED_AT_MOST` of them counts them by group and names its workbook). Under a
    scheme, the units that missed a 约稿 or sent it late and the period's events (`circular_scheme`)."""
    deadline = chinese_date(catch_up_deadline(plan, issued.date())[0])
    sections = [("进度滞后的单位", [_behind(figures, deadline, plan, summed)])]
    silent, unadopted = _idle(figures, plan, deadline, summed)
    if silent:
        sections.append(("报送为零的单位", [silent]))
    if unadopted:
        sections.append(("采用为零的单位", [unadopted]))
    forms = _forms(figures, plan, deadline, summed)
    if forms:
        sections.append(("未按时报送月度报表的单位", [forms]))
    sections += circular_scheme.sections(figures, plan.unit_name)
    return _numbered(sections)


_RATES = ((OL.SUBMIT_RATE, "报送"), (OL.ADOPT_RATE, "采用"), (OL.POINTS_RATE, "得分"))


def _behind(figures: Figures, deadline: str, plan: Plan, summed: circular_groups.Summed | None = None) -> str:
    period = figures.period
    share = rate_text(period.last / 12)
    behind = scoring.units_behind_schedule(figures.units.reset_index(drop=True))
    if behind.empty:
        return f"截至{period.last}月底，各考核单位报送、采用完成率均达到{share}的序时进度，没有进度滞后的单位。"
    lead = f"按照序时进度，截至{period.last}月底各单位应完成年度任务的{share}。"
    if summed is not None and summed.too_many(len(behind)):
        codes = list(figures.units.index[behind.index.to_numpy()])
        return (
            lead + f"{len(behind)}个单位进度滞后（{summed.by_group(plan, codes)}），"
            f"{summed.listed_in('进度为“滞后”的单位')}。"
            f"请上述单位认真分析原因，采取有效措施加快工作进度，于{deadline}前将整改措施报局办公室。"
        )
    named = []
    for _, unit in behind.iterrows():
        low = [
            f"{word}完成率{rate_text(unit[column])}"
            for column, word in _RATES
            if not pd.isna(unit[column]) and is_behind_schedule(unit[column], period.last)
        ]
        named.append(f"{unit[L.UNIT_NAME]}（{_listed(low)}）")
    if len(named) == 1:
        return lead + f"{named[0]}进度滞后，请该单位认真分析原因，加快工作进度，于{deadline}前将整改措施报局办公室。"
    return (
        lead + f"以下{len(named)}个单位进度滞后：{_listed(named)}。"
        f"请上述单位认真分析原因，采取有效措施加快工作进度，于{deadline}前将整改措施报局办公室。"
    )


def _idle(figures: Figures, plan: Plan, deadline: str, summed: circular_groups.Summed | None = None) -> tuple[str, str]:
    """The paragraphs on assessed units that sent nothing in the period, and on those whose
    pieces of the period were none adopted ("" where there are none): two different failings,
    asked for two different things."""
    mine = figures.period_units.loc[plan.assessed]
    silent = [plan.unit_name(code) for code in mine.index[mine[periods.SENT] == 0]]
    unadopted = mine[(mine[periods.SENT] > 0) & (mine[periods.ADOPTED] == 0)]
    this = figures.period.this
    if summed is not None and summed.too_many(max(len(silent), len(unadopted))):
        return circular_groups.idle_counted(figures, plan, deadline, summed)
    silent_text = (
        f"{this}{_listed(silent)}没有报送稿件。请{'上述单位' if len(silent) > 1 else '该单位'}高度重视，"
        f"于{deadline}前报送稿件，力争实现零的突破。"
        if silent
        else ""
    )
    named = [f"{plan.unit_name(code)}（报送{int(u[periods.SENT])}篇）" for code, u in unadopted.iterrows()]
    unadopted_text = (
        f"{_listed(named)}{this}报送的稿件均未被采用。请{'上述单位' if len(named) > 1 else '该单位'}"
        "对照各级载体的用稿要求，提高稿件质量，力争早日实现采用零的突破。"
        if named
        else ""
    )
    return silent_text, unadopted_text


def _forms(figures: Figures, plan: Plan, deadline: str, summed: circular_groups.Summed | None = None) -> str:
    statuses = figures.returns.loc[plan.assessed]
    if summed is not None:
        absent = list(statuses.index[(statuses == OL.NOT_RETURNED).any(axis=1)])
        slow = list(statuses.index[(statuses == OL.LATE).any(axis=1)])
        if summed.too_many(max(len(absent), len(slow))):
            return circular_groups.forms_counted(plan, deadline, summed, absent, slow)
    missing, late = [], []
    for code, months in statuses.iterrows():
        absent = [chinese_month(m) for m, s in months.items() if s == OL.NOT_RETURNED]
        slow = [chinese_month(m) for m, s in months.items() if s == OL.LATE]
        if absent:
            missing.append(f"{plan.unit_name(code)}（{_listed(absent)}）")
        if slow:
            late.append(f"{plan.unit_name(code)}（{_listed(slow)}）")
    if not missing and not late:
        return ""
    parts = []
    if missing:
        parts.append(f"未报送月度报送表的有{_listed(missing)}，请于{deadline}前补报")
    if late:
        day = plan.rules.deadline_day
        parts.append(f"迟报的有{_listed(late)}，请今后严格按照次月{day}日前的时限报送")
    return "；".join(parts) + "。"


# --- 五、下步要求 --------------------------------------------------------------------------------

_ORDINALS = "一二三四五六"
_REVIEW = (
    "严格审核把关",
    "报送稿件须经单位负责人审核，严格执行保密审查制度，做到涉密不上网、上网不涉密；对数据、事实、表述认真核实，"
    "确保信息真实、准确、规范。",
)


def next_steps(figures: Figures, plan: Plan) -> list[dict]:
    """五、下步要求, written for the period and from its figures: the year's remaining months
    and the units behind during the year; the year's summing-up and the next year's start after
    December; the forms that came late or not at all."""
    period = figures.period
    behind = len(scoring.units_behind_schedule(figures.units.reset_index(drop=True)))
    steps: list[tuple[str, str]] = []
    if period.last == 12:
        steps.append(
            (
                "认真总结全年工作",
                f"{period.year}年度信息宣传工作已经结束，年度考核结果另行通报。各单位要认真总结全年信息宣传工作的"
                f"经验和不足，未完成年度任务的单位要深入分析原因，拿出整改措施。",
            )
        )
        steps.append(
            (
                "及早谋划新年度工作",
                f"各单位要对照{period.year + 1}年度任务，明确专人负责，及早谋划选题，从一月起按月均衡推进，避免前松后紧。",
            )
        )
    else:
        left = 12 - period.last
        pace = (
            f"截至{period.last}月底有{behind}个单位进度滞后，要认真查找原因，在今后{left}个月内迎头赶上，确保完成全年任务。"
            if behind
            else f"各单位要保持进度，在今后{left}个月内均衡推进，确保完成全年任务。"
        )
        steps.append(
            (
                "加大报送力度",
                "各单位要紧扣中心工作和重点任务，深入挖掘工作亮点、典型经验和创新做法，多报送有分析、有建议、"
                "有深度的信息稿件，着力提高稿件质量和采用率。" + pace,
            )
        )
    steps.append(_REVIEW)
    statuses = figures.returns.loc[plan.assessed]
    slow = int(((statuses == OL.LATE) | (statuses == OL.NOT_RETURNED)).any(axis=1).sum())
    day = plan.rules.deadline_day
    forms = (
        (f"{period.this}有{slow}个单位迟报或未报送月度报表。" if slow else "")
        + f"各单位要在次月{day}日前报送信息宣传工作报送表，采用情况如实填写并附证明材料，逾期不报或漏报的将按{official.method(plan)}扣分。"
    )
    steps.append(("按时报送报表", forms))
    return [{"lead": f"（{_ORDINALS[i]}）{lead}。", "text": text} for i, (lead, text) in enumerate(steps)]
