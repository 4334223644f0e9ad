"""A unit's year under the office's scheme: its share of piece points (capped per category), and
the per-unit rules of docs/schemes.md — 达量加分, 约稿, 任务项目, 事件, monthly and quarterly
quotas, 基础分 (扣完为止), 年度得分上限 and 折算 — each change named in the unit's 备注."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.plan.plan import Plan
from pipeline.plan.scheme_model import Scheme
from pipeline.scoring.pieces import PIECE, SENT, UNITS

# Result columns (Chinese: they are shown as they are).
U_PIECES = "稿件得分"
U_LUMPS = "达量加分"
U_COMMISSIONS = "约稿得分"
U_TASKS = "任务得分"
U_EVENTS = "事件得分"
U_SHORTFALL = "月度欠报扣分"
U_BASE = "基础分"
U_RAW = "考核得分"
U_CONVERTED = "折算得分"
U_ELIGIBLE = "评优资格"
U_PASSED = "考核合格"  # 是 / 否: the scheme's own pass rules (合格月数, 合格季度数, quotas, 合格采用率)
U_LOST = "取消评优原因"  # why the unit lost 评优资格 ("；"-joined), "" when it keeps it
U_NOTES = "备注"
U_MONTHS_PASSED = "合格月数"
U_QUARTERS_PASSED = "合格季度数"
U_REWARD = "奖励金额"  # yuan, to the fen
U_BONUS = "批示加分"  # the unit's share of its pieces' 批示 part (inside U_PIECES)

# Columns of `happenings`: what the office's 约稿 and 事件 did to each unit, in words.
H_UNIT = L.UNIT_CODE
H_DATE = "日期"  # a 约稿's 截止日期, an event's date
H_KIND = "事项"  # H_COMMISSION or H_EVENT
H_NAME = "名称"  # 约稿编号（内容）, or the event's type
H_RESULT = "结果"  # 按时报送 / 迟报 / 未报送 / 待报送, or the event's 说明
H_POINTS = "分值"
H_LOSES = "取消评优资格"  # bool
HAPPENING_COLUMNS = (H_UNIT, H_DATE, H_KIND, H_NAME, H_RESULT, H_POINTS, H_LOSES)
H_COMMISSION, H_EVENT = "约稿", "事件"
ON_TIME, LATE, MISSED, PENDING = "按时报送", "迟报", "未报送", "待报送"
UNIT_COLUMNS = (
    U_PIECES,
    U_LUMPS,
    U_COMMISSIONS,
    U_TASKS,
    U_EVENTS,
    U_SHORTFALL,
    U_BASE,
    U_RAW,
    U_CONVERTED,
    U_ELIGIBLE,
    U_PASSED,
    U_LOST,
    U_NOTES,
    U_MONTHS_PASSED,
    U_QUARTERS_PASSED,
)


def fmt(x: float) -> str:
    return f"{x:g}"


@dataclass
class _Unit:
    """One unit's running result while the rules are applied in order."""

    code: str
    category: str
    remarks: list[str] = field(default_factory=list)
    eligible: bool = True
    passed: bool = True
    lost: list[str] = field(default_factory=list)  # why it lost 评优资格
    parts: dict[str, float] = field(default_factory=dict)
    happenings: list[tuple] = field(default_factory=list)  # rows of HAPPENING_COLUMNS

    def lose_eligibility(self, reason: str) -> None:
        self.eligible = False
        self.remarks.append(reason)
        self.lost.append(reason)

    def fail(self, reason: str) -> None:
        """Short of one of the scheme's pass rules: 不合格, and so no 评优资格 either."""
        self.passed = False
        self.lose_eligibility(reason)


@dataclass(frozen=True)
class YearFacts:
    """What the per-unit rules look at, computed once for all units."""

    held: pd.DataFrame  # the rows with PIECE
    table: pd.DataFrame  # the pieces (pieces.piece_table)
    credits: pd.DataFrame  # (PIECE, 单位代码) -> points, category
    sent: pd.Series  # 单位代码 -> pieces first sent in the year
    adopted: pd.Series  # 单位代码 -> pieces adopted in the year
    monthly: pd.Series  # (单位代码, "YYYY-MM") -> pieces first sent that month
    by_category: pd.Series  # (单位代码, 稿件类别) -> pieces first sent in the year
    commission_rows: dict  # piece -> the Commission it delivers
    until: str
    returned: frozenset | None = None  # (单位代码, 月份) of the accepted forms; None: not known
    processed: frozenset | None = None  # the months processed; None: every month up to `until`


def year_facts(
    held: pd.DataFrame,
    table: pd.DataFrame,
    adoptions: pd.DataFrame,
    credits: pd.DataFrame,
    plan: Plan,
    until: str,
    commission_rows: dict,
    returns: pd.DataFrame | None = None,
    processed: list[str] | None = None,
) -> YearFacts:
    members = table[UNITS].explode().rename(L.UNIT_CODE).rename_axis(PIECE).reset_index()
    sent_year = table[SENT].dt.year == plan.year
    adopted_pieces = set(adoptions.loc[pd.to_datetime(adoptions[L.ADOPT_DATE]).dt.year == plan.year, PIECE])
    sent_month = table[SENT].dt.strftime("%Y-%m")
    return YearFacts(
        held=held,
        table=table,
        credits=credits,
        sent=members.loc[members[PIECE].map(sent_year).astype(bool)].groupby(L.UNIT_CODE).size(),
        adopted=members[members[PIECE].isin(adopted_pieces)].groupby(L.UNIT_CODE).size(),
        monthly=members.assign(month=members[PIECE].map(sent_month)).groupby([L.UNIT_CODE, "month"]).size(),
        by_category=members.loc[members[PIECE].map(sent_year).astype(bool)]
        .assign(category=lambda m: m[PIECE].map(held.groupby(PIECE)[L.CATEGORY].first()))
        .groupby([L.UNIT_CODE, "category"])
        .size(),
        commission_rows=commission_rows,
        until=until,
        returned=None if returns is None else frozenset(zip(returns[L.UNIT_CODE], returns[L.MONTH], strict=True)),
        processed=None if processed is None else frozenset(processed),
    )


def unit_results(facts: YearFacts, plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every assessed unit's result (UNIT_COLUMNS), indexed by 单位代码; and the happenings
    (HAPPENING_COLUMNS) of its 约稿 and 事件, by unit and date."""
    scheme = plan.scheme
    assert scheme is not None
    units = []
    for code in plan.assessed:
        unit = _Unit(code, plan.units.at[code, L.P_UNIT_CATEGORY])
        unit.parts[U_PIECES] = _piece_points(unit, facts, scheme)
        unit.parts[U_LUMPS] = _lumps(unit, facts, scheme)
        unit.parts[U_COMMISSIONS] = _commissions(unit, facts, scheme)
        unit.parts[U_TASKS] = _tasks(unit, scheme)
        unit.parts[U_EVENTS] = _events(unit, facts, plan, scheme)
        unit.parts[U_SHORTFALL] = _shortfall(unit, facts, plan)
        unit.parts[U_MONTHS_PASSED] = _months_passed(unit, facts, plan, scheme)
        unit.parts[U_QUARTERS_PASSED] = _quarters_passed(unit, facts, plan, scheme)
        _quotas_and_rate(unit, facts, scheme)
        unit.parts[U_BASE] = scheme.rules.base
        unit.parts[U_RAW] = _total(unit, scheme)
        units.append(unit)
    frame = pd.DataFrame(
        {
            u.code: {
                **u.parts,
                U_CONVERTED: float("nan"),
                U_ELIGIBLE: L.YES if u.eligible else L.NO,
                U_PASSED: L.YES if u.passed else L.NO,
                U_LOST: "；".join(u.lost),
                U_NOTES: "",
            }
            for u in units
        }
    ).T.reindex(columns=list(UNIT_COLUMNS))
    frame.index.name = L.UNIT_CODE
    texts = (U_ELIGIBLE, U_PASSED, U_LOST, U_NOTES, U_MONTHS_PASSED, U_QUARTERS_PASSED)
    numeric = [c for c in UNIT_COLUMNS if c not in texts]
    frame[numeric] = frame[numeric].astype(float)
    _convert(frame, units, scheme)
    frame[U_NOTES] = ["；".join(u.remarks) for u in units]
    happenings = pd.DataFrame([h for u in units for h in u.happenings], columns=list(HAPPENING_COLUMNS))
    happenings = happenings.astype({H_POINTS: float, H_LOSES: bool})
    return frame, happenings.sort_values([H_UNIT, H_DATE, H_KIND], kind="stable").reset_index(drop=True)


def _piece_points(unit: _Unit, facts: YearFacts, scheme: Scheme) -> float:
    mine = facts.credits[facts.credits[L.UNIT_CODE] == unit.code]
    total = 0.0
    for category, points in mine.groupby("category")["points"].sum().items():
        cap = scheme.vocabulary.caps.get(category)
        if cap is not None and points > cap:
            unit.remarks.append(f"{category}得分 {fmt(points)} 超过年度上限，按 {fmt(cap)} 计")
            points = cap
        total += points
    return total


def _lumps(unit: _Unit, facts: YearFacts, scheme: Scheme) -> float:
    """Rows of one 计数 form tiers ("10 条以上 5 分，20 条以上 10 分"): only the highest tier
    reached counts; reaching none costs the lowest tier's 未达扣分."""
    counts = {S.COUNT_SENT: int(facts.sent.get(unit.code, 0)), S.COUNT_ADOPTED: int(facts.adopted.get(unit.code, 0))}
    total = 0.0
    for kind in S.COUNTS:
        tiers = sorted(
            (lump for lump in scheme.lumps if lump.count == kind and lump.unit_category in ("", unit.category)),
            key=lambda lump: lump.reach,
        )
        if not tiers:
            continue
        count = counts[kind]
        reached = [lump for lump in tiers if count >= lump.reach]
        if reached:
            total += reached[-1].points
            unit.remarks.append(f"{kind} {count} 达到 {reached[-1].reach}，加 {fmt(reached[-1].points)} 分")
        elif tiers[0].miss:
            total -= tiers[0].miss
            unit.remarks.append(f"{kind} {count} 未达 {tiers[0].reach}，扣 {fmt(tiers[0].miss)} 分")
        else:
            unit.remarks.append(f"{kind} {count} 未达 {tiers[0].reach}，不加分")
    return total


def _month_end(month: str) -> dt.date:
    return (pd.Timestamp(month + "-01") + pd.offsets.MonthEnd(0)).date()


def _commissions(unit: _Unit, facts: YearFacts, scheme: Scheme) -> float:
    """按时报送 earns its points, 迟报 costs its points, 未报 by the deadline costs its points and
    counts toward losing eligibility; a commission not yet due costs nothing."""
    end = _month_end(facts.until)
    total, missed = 0.0, 0
    for commission in scheme.commissions.values():
        if commission.units and unit.code not in commission.units:
            continue
        delivered = [
            p
            for p, c in facts.commission_rows.items()
            if c.id == commission.id and unit.code in facts.table.at[p, UNITS]
        ]
        # a co-unit named in 合作单位 delivered it when the piece was first sent
        sent = min((facts.table.at[p, SENT] for p in delivered), default=pd.NaT)
        name = f"{commission.id}（{commission.subject}）" if commission.subject else commission.id
        if delivered and pd.notna(sent) and sent.date() <= commission.deadline:
            total += commission.done
            outcome, amount = ON_TIME, commission.done
            if commission.done:
                unit.remarks.append(f"约稿 {commission.id} 按时报送，加 {fmt(commission.done)} 分")
        elif delivered:
            total -= commission.late
            outcome, amount = LATE, -commission.late
            unit.remarks.append(f"约稿 {commission.id} 迟报，扣 {fmt(commission.late)} 分")
        elif commission.deadline <= end:
            total -= commission.missed
            missed += 1
            outcome, amount = MISSED, -commission.missed
            unit.remarks.append(f"约稿 {name}未报送，扣 {fmt(commission.missed)} 分")
        elif commission.issued is None or commission.issued <= end:
            outcome, amount = PENDING, 0.0
        else:
            continue  # not issued yet
        unit.happenings.append((unit.code, commission.deadline, H_COMMISSION, name, outcome, amount, False))
    limit = scheme.rules.missed_limit
    if limit and missed >= limit:
        unit.lose_eligibility(f"未报约稿 {missed} 次，达到 {limit} 次，取消评优资格")
    return total


def _tasks(unit: _Unit, scheme: Scheme) -> float:
    total = 0.0
    for task in scheme.tasks:
        applies = task.unit_code == unit.code if task.unit_code else task.unit_category in ("", unit.category)
        if not applies:
            continue
        done = scheme.task_results.get((task.name, unit.code))
        if done is None:
            unit.remarks.append(f"任务“{task.name}”未登记完成情况，暂不计分")
            continue
        amount = task.done if done else task.failed
        total += amount
        unit.remarks.append(f"任务“{task.name}”{'完成' if done else '未完成'}，{amount:+g} 分")
    return total


def _events(unit: _Unit, facts: YearFacts, plan: Plan, scheme: Scheme) -> float:
    first, end = dt.date(plan.year, 1, 1), _month_end(facts.until)
    total = 0.0
    for event in scheme.events:
        if event.unit != unit.code or not first <= event.date <= end:
            continue
        total += event.points
        unit.happenings.append(
            (unit.code, event.date, H_EVENT, event.kind, event.note, event.points, event.loses_eligibility)
        )
        what = f"{event.date.month}月{event.date.day}日 {event.kind}{f'（{event.note}）' if event.note else ''} {event.points:+g} 分"
        if event.loses_eligibility:
            unit.lose_eligibility(what + "，取消评优资格")
        else:
            unit.remarks.append(what)
    return total


def _shortfall(unit: _Unit, facts: YearFacts, plan: Plan) -> float:
    """The core rules' monthly deductions (counting.md rule 9), for each processed month from
    the unit's 起始月份: 月度漏报扣分 when no form of the month was accepted, 月度欠报扣分 × what
    the month's 报送数 fell short of 每月最低报送数. Which forms came in is not in the rows: without
    the returns 月度漏报扣分 is named, not applied."""
    months = [f"{plan.year}-{m:02d}" for m in range(plan.start_month(unit.code), int(facts.until[5:7]) + 1)]
    if facts.processed is not None:
        months = [m for m in months if m in facts.processed]
    total = 0.0
    per_return = plan.rules.missing_return_deduction
    if per_return and facts.returned is None:
        unit.remarks.append("月度漏报扣分按各月是否收到报送表计算，此处未计")
    elif per_return:
        missing = [m for m in months if (unit.code, m) not in facts.returned]
        if missing:
            total += len(missing) * per_return
            named = "、".join(f"{int(m[5:7])}月" for m in missing)
            unit.remarks.append(f"{named}未报送报送表，每月扣 {fmt(per_return)} 分，共扣 {fmt(total)} 分")
    per_piece = plan.rules.shortfall_deduction
    minimum = int(plan.targets.at[unit.code, L.T_MONTHLY_MIN]) if unit.code in plan.targets.index else 0
    if per_piece and minimum:
        short = sum(max(0, minimum - int(facts.monthly.get((unit.code, m), 0))) for m in months)
        if short:
            total += short * per_piece
            unit.remarks.append(f"各月共少报 {short} 条（每月最低 {minimum} 条），扣 {fmt(short * per_piece)} 分")
    return -total


def _months_passed(unit: _Unit, facts: YearFacts, plan: Plan, scheme: Scheme) -> float:
    needed = scheme.rules.pass_months
    if not needed:
        return float("nan")
    minimum = int(plan.targets.at[unit.code, L.T_MONTHLY_MIN]) if unit.code in plan.targets.index else 0
    months = [f"{plan.year}-{m:02d}" for m in range(plan.start_month(unit.code), int(facts.until[5:7]) + 1)]
    passed = sum(int(facts.monthly.get((unit.code, m), 0)) >= minimum for m in months)
    if passed < needed:
        unit.fail(
            f"报送达到每月最低数（{minimum} 条）的月份 {passed} 个，不足 {needed} 个，考核不合格，不参加评优和奖励"
        )
    return passed


def _quarters_passed(unit: _Unit, facts: YearFacts, plan: Plan, scheme: Scheme) -> float:
    needed, minimum = scheme.rules.pass_quarters, scheme.rules.quarter_min
    if not needed:
        return float("nan")
    complete = int(facts.until[5:7]) // 3  # only quarters that have ended are judged

    def sent_in(quarter: int) -> int:
        months = range(3 * quarter - 2, 3 * quarter + 1)
        return sum(int(facts.monthly.get((unit.code, f"{plan.year}-{m:02d}"), 0)) for m in months)

    passed = sum(sent_in(q) >= minimum for q in range(1, complete + 1))
    if passed < needed:
        unit.fail(
            f"报送达到每季最低数（{minimum} 条）的季度 {passed} 个，不足 {needed} 个，考核不合格，不参加评优和奖励"
        )
    return passed


def _quotas_and_rate(unit: _Unit, facts: YearFacts, scheme: Scheme) -> None:
    """Per-category yearly quotas and the adoption rate needed to pass: short, the unit is 不合格."""
    for category, quota in scheme.vocabulary.quotas.items():
        sent = int(facts.by_category.get((unit.code, category), 0))
        if sent < quota:
            unit.fail(f"{category}报送 {sent} 篇，未达年度最低 {quota} 篇，考核不合格，不参加评优和奖励")
    needed = scheme.rules.pass_rate
    if needed is None:
        return
    sent, adopted = int(facts.sent.get(unit.code, 0)), int(facts.adopted.get(unit.code, 0))
    rate = adopted / sent * 100 if sent else 0.0
    if rate < needed:
        unit.fail(
            f"采用率 {rate:.1f}%（采用 {adopted} / 报送 {sent}）低于 {fmt(needed)}%，考核不合格，不参加评优和奖励"
        )


def _total(unit: _Unit, scheme: Scheme) -> float:
    """基础分 + piece points + the per-unit parts; with 扣完为止 the deductions eat only the base."""
    signed = [unit.parts[k] for k in (U_LUMPS, U_COMMISSIONS, U_TASKS, U_EVENTS, U_SHORTFALL)]
    plus = sum(x for x in signed if x > 0)
    minus = -sum(x for x in signed if x < 0)
    base = scheme.rules.base
    if scheme.rules.base_only and base:
        if minus > base:
            unit.remarks.append(f"扣分 {fmt(minus)} 超过基础分 {fmt(base)}，扣完为止")
        raw = max(0.0, base - minus) + unit.parts[U_PIECES] + plus
    else:
        raw = base + unit.parts[U_PIECES] + plus - minus
    cap = scheme.rules.cap
    if cap is not None and raw > cap:
        unit.remarks.append(f"得分 {fmt(raw)} 超过年度上限，按 {fmt(cap)} 计")
        raw = cap
    return raw


def _convert(frame: pd.DataFrame, units: list[_Unit], scheme: Scheme) -> None:
    """折算: raw × 满分 ÷ 基准 (or ÷ the top unit's raw score), never above 满分 nor below 0."""
    full, base = scheme.rules.convert_full, scheme.rules.convert_base
    if full is None or frame.empty:
        return
    top = frame[U_RAW].max()
    divisor = base if base is not None else top
    basis = f"基准 {fmt(base)}" if base is not None else f"最高分 {fmt(top)}"
    for unit in units:
        raw = frame.at[unit.code, U_RAW]
        converted = round(min(full, max(0.0, raw) * full / divisor), 2) if divisor > 0 else 0.0
        frame.at[unit.code, U_CONVERTED] = converted
        unit.remarks.append(f"折算：{fmt(raw)} ÷ {basis} × {fmt(full)} = {fmt(converted)}")
