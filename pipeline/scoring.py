"""Scoring: counts, points, deductions, targets, ranks and rewards of a month and its year to date.

Pure functions over frames, no file I/O. The input is the ledger's ACCEPTED rows (the rows frame
documented in `labels.py`, after the checks), possibly spanning several months and the end of the
previous year, plus the accepted returns (`labels.RETURN_COLUMNS`), the months processed so far and
the `Plan`. Every figure follows DOMAIN.md's "Counting definitions" as the lead made them precise:

1. Piece identity: (reporting unit, 稿件键). Rows of different units with the same 稿件键 are one
   co-written piece when at least one of them names the other in 合作单位 (transitively). A
   piece's units are its reporting units and every unit named in 合作单位 on any of its rows; its
   first unit is the reporting unit with the earliest 报送日期, then the lowest 单位代码.
2. Periods: month m of year Y; year to date (YTD) = January..m of Y. A period is (after, until]
   in "YYYY-MM" months; "as of" a month means as of that month's last day.
3. 报送数: distinct pieces whose earliest 报送日期 falls in the period, credited to each unit of
   the piece; a piece listed again later is not counted again.
4. An adoption is a distinct (piece, folded 采用载体) with the 采用级别 and 采用日期 of its earliest
   listing. 采用数: pieces with an adoption dated in the period; 采用条次: adoptions dated in the
   period; both credited to each unit of the piece.
5. Points of a piece as of t: the adoptions dated up to t combined by 多级采用计分 (累计: all;
   最高级: the single highest 分值; 最高两级: the highest 分值 at each of the two highest levels),
   plus the bonus of the highest 领导批示 on any of its rows of a month up to t, once. The points
   of a period are the difference of two "as of" values, so YTD(m) subtracts what the piece had
   at the end of the previous year (earlier-year rows serve only that subtraction).
6. Unit shares: 均分 equally among all the piece's units; 第一单位 all to the first unit.
7. Persons are (单位代码, 姓名): a unit's share of a piece, split equally among the 作者 on that
   unit's latest row of the piece (by 月份 then 来源行号) up to the period's end.
8. Rewards: 奖励金额 of the adoptions that count under 多级采用计分 (ties: earliest 采用日期, then
   outlet), by period as for points, to the authors of the reporting units' latest rows (first
   unit's first, then the other reporting units by earliest 报送日期 and code): 均分 equally among
   them, 第一作者 all to the first; in whole fen, a piece's amount as of a day shared by the
   largest remainder (the extra fen to the recipients first in that order), so it is paid out
   exactly, and a person's reward of a period is their share as of its end minus their share as
   of its start, so the months add up to the year to date to the fen.
9. Deductions of assessed units, for each processed month of the period from the unit's 起始月份
   on: 月度漏报扣分 when no form was accepted; 月度欠报扣分 × max(0, 每月最低报送数 − that
   month's 报送数).
10. 完成率 = YTD figure / annual target (NaN when the target is 0 or unset); 进度 is 滞后 when
    报送完成率 or 采用完成率 (or 得分完成率, where a points target is set) is below m/12.
11. 排名: assessed units by net 累计得分, ties share the lowest rank (1, 2, 2, 4), listed by code.
12. 按时报送: 是 when a form was accepted by day 报送截止日 of the next month (or its date is
    unknown), 迟报 when later, 未报送 when none was accepted.
13. Row points (得分 of the ledger's rows of month m): a piece's month gain is split into its
    adoption part and its bonus part. For each reporting unit, its share of the adoption part is
    spread over its own rows of month m that carry an adoption dated in m, in proportion to each
    row's own 分值; its share of the bonus part goes to its first row (by row_id) of month m carrying
    the piece's highest 领导批示 of the month. A unit's row points of a month therefore add up to
    its gross points from the pieces whose gain its rows carry. (The brief spreads the gain over
    all of the piece's rows before taking shares; spreading within each unit is what keeps that
    sum right when both units of a co-written piece list the same adoption.)

Decisions where the brief was silent: rows of months after the scored month are ignored, so
re-scoring an earlier month gives the figures it had; 未报送单位 lists assessed units only (others
have no duty to return a form); 个人统计 lists every author on a row of the year up to the month,
plus anyone credited from an earlier year's piece; earlier-year adoptions are valued with this
year's plan; a 报送日期 that is missing counts as the first day of the row's month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline import labels as L
from pipeline.months import previous_month
from pipeline.plan import CoWritten, MultiLevel, Plan, RewardSplit
from pipeline.sheets import outlet_key

# --- Output labels (the reports module imports them from here) ---------------------------------

UNITS_SHEET = "单位统计"
PERSONS_SHEET = "个人统计"
MISSING_SHEET = "未报送单位"

SENT_MONTH = "本月报送数"
ADOPTED_MONTH = "本月采用数"
ADOPTIONS_MONTH = "本月采用条次"
POINTS_MONTH = "本月得分"
SENT_YTD = "累计报送数"
ADOPTED_YTD = "累计采用数"
POINTS_YTD = "累计得分"
DEDUCTIONS = "扣分"
SUBMIT_RATE = "报送完成率"
ADOPT_RATE = "采用完成率"
POINTS_RATE = "得分完成率"
PROGRESS = "进度"
RANK = "排名"
ON_TIME = "按时报送"
ON_SCHEDULE = "正常"
BEHIND = "滞后"
LATE = "迟报"
NOT_RETURNED = "未报送"

PERSON_NAME = "姓名"
REWARD_MONTH = "本月奖励金额"
REWARD_YTD = "累计奖励金额"

UNIT_COLUMNS = (
    L.UNIT_CODE,
    L.UNIT_NAME,
    L.P_UNIT_CATEGORY,
    SENT_MONTH,
    ADOPTED_MONTH,
    ADOPTIONS_MONTH,
    POINTS_MONTH,
    SENT_YTD,
    ADOPTED_YTD,
    POINTS_YTD,
    DEDUCTIONS,
    L.T_SUBMIT,
    L.T_ADOPT,
    L.T_POINTS,
    SUBMIT_RATE,
    ADOPT_RATE,
    POINTS_RATE,
    PROGRESS,
    RANK,
    ON_TIME,
)
PERSON_COLUMNS = (L.UNIT_CODE, L.UNIT_NAME, PERSON_NAME, POINTS_MONTH, POINTS_YTD, REWARD_MONTH, REWARD_YTD)
MISSING_COLUMNS = (L.UNIT_CODE, L.UNIT_NAME, L.P_OFFICER, L.P_PHONE)

# --- Internal column names ---------------------------------------------------------------------

PIECE = "piece"  # "<lowest reporting unit code>|<稿件键>"
OUTLET = "outlet"  # folded 采用载体
SENT = "sent"  # a piece's (or a unit's) earliest 报送日期
SENT_IN = "sent_month"
ADOPTED_IN = "adopt_month"
LEVEL_RANK = "level_rank"
VALUE = "value"  # 分值 of an adoption
REWARD = "reward"  # 奖励金额 of an adoption
ADOPT = "adopt"  # a piece's points from its adoptions
BONUS = "bonus"  # a piece's leader-instruction bonus
FIRST_UNIT = "first_unit"
REPORTERS = "reporters"  # reporting units, first unit first
UNITS = "units"  # every unit of the piece, by code
SHARE = "share"
AMOUNT = "amount"
POSITION = "position"

ROW_ORDER = [L.MONTH, L.UNIT_CODE, L.SOURCE_FILE, L.SOURCE_ROW, L.ROW_ID]
_LEVEL_RANK = {level: rank for rank, level in enumerate(L.LEVELS)}
_INSTRUCTION_RANK = {level: rank for rank, level in enumerate(L.INSTRUCTION_LEVELS)}


@dataclass(frozen=True)
class Scores:
    """The month's statistics, as the sheets of 月度统计.xlsx show them.

    Attributes:
        units: sheet 单位统计, columns UNIT_COLUMNS.
        persons: sheet 个人统计, columns PERSON_COLUMNS.
        missing: sheet 未报送单位, columns MISSING_COLUMNS.
        row_points: 得分 of each of the month's rows, indexed by row_id.
    """

    units: pd.DataFrame
    persons: pd.DataFrame
    missing: pd.DataFrame
    row_points: pd.Series


@dataclass(frozen=True)
class Pieces:
    """The ledger seen as pieces.

    Attributes:
        rows: the rows, in ROW_ORDER, with their PIECE.
        table: one row per piece, indexed by PIECE: SENT, SENT_IN, FIRST_UNIT, REPORTERS, UNITS.
        adoptions: one row per (piece, outlet): PIECE, OUTLET, 稿件类别, 采用级别, 采用日期,
            ADOPTED_IN, LEVEL_RANK, VALUE, REWARD.
    """

    rows: pd.DataFrame
    table: pd.DataFrame
    adoptions: pd.DataFrame


# --- Months ------------------------------------------------------------------------------------


def year_start(month: str) -> str:
    """The month the year to date of `month` starts after: December of the previous year."""
    return f"{int(month[:4]) - 1}-12"


def month_number(month: str) -> int:
    """m of a "YYYY-MM" month (1..12)."""
    return int(month[5:7])


# --- Pieces and adoptions ----------------------------------------------------------------------


def _names(text: object) -> list[str]:
    """The items of a 、-joined list (authors or co-units), without blanks or repeats; a missing
    value is an empty list."""
    if not isinstance(text, str):
        return []
    items = [item.strip() for item in text.split(L.LIST_SEPARATOR)]
    return list(dict.fromkeys(item for item in items if item))


def identify_pieces(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with the PIECE each belongs to.

    Rows of one unit with one 稿件键 are one piece; rows of several units with the same 稿件键 are
    one piece when the units are linked by naming each other in 合作单位. A piece is named after
    its lowest unit code, so the name does not depend on the order of the rows.

    Args:
        rows: accepted rows (labels.py's rows frame).

    Returns:
        A copy of `rows` with a PIECE column.
    """
    nodes = list(zip(rows[L.UNIT_CODE], rows[L.PIECE_KEY], strict=True))
    parent = {node: node for node in nodes}

    def root(node: tuple[str, str]) -> tuple[str, str]:
        while parent[node] != node:
            node = parent[node]
        return node

    for (unit, key), co_units in zip(nodes, rows[L.CO_UNITS], strict=True):
        for other in _names(co_units):
            if (other, key) in parent:
                low, high = sorted((root((unit, key)), root((other, key))))
                parent[high] = low  # the lowest node stays the root: a stable name
    return rows.assign(**{PIECE: [f"{root(node)[0]}|{node[1]}" for node in nodes]})


def piece_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per piece: when it was first sent, its first unit, reporting units and units.

    Args:
        rows: rows with PIECE (see `identify_pieces`).

    Returns:
        A frame indexed by PIECE with SENT, SENT_IN, FIRST_UNIT, REPORTERS (tuple, first unit
        first, then by earliest 报送日期 and code) and UNITS (tuple of codes, sorted).
    """
    sent = rows[L.SENT_DATE].fillna(pd.to_datetime(rows[L.MONTH] + "-01"))
    by_unit = (
        rows.assign(**{SENT: sent})
        .groupby([PIECE, L.UNIT_CODE], sort=True)[SENT]
        .min()
        .reset_index()
        .sort_values([PIECE, SENT, L.UNIT_CODE], kind="stable")
    )
    reporters: dict[str, list[str]] = {}
    for piece, code in zip(by_unit[PIECE], by_unit[L.UNIT_CODE], strict=True):
        reporters.setdefault(piece, []).append(code)
    units = {piece: set(codes) for piece, codes in reporters.items()}
    named = rows[rows[L.CO_UNITS] != ""]
    for piece, co_units in zip(named[PIECE], named[L.CO_UNITS], strict=True):
        units[piece].update(_names(co_units))
    first_sent = by_unit.groupby(PIECE, sort=True)[SENT].min()
    index = first_sent.index
    return pd.DataFrame(
        {
            SENT: first_sent,
            SENT_IN: first_sent.dt.strftime("%Y-%m"),
            FIRST_UNIT: pd.Series([reporters[p][0] for p in index], index=index, dtype=object),
            REPORTERS: pd.Series([tuple(reporters[p]) for p in index], index=index, dtype=object),
            UNITS: pd.Series([tuple(sorted(units[p])) for p in index], index=index, dtype=object),
        },
        index=index,
    )


def _plan_values(plan: Plan, categories: pd.Series, levels: pd.Series, column: str) -> np.ndarray:
    """分值 or 奖励金额 of each (category, level); rows the checks accepted always name a known
    pair, anything else is worth nothing."""
    keys = pd.MultiIndex.from_arrays([categories.to_numpy(), levels.to_numpy()])
    return plan.points[column].reindex(keys).fillna(0.0).to_numpy(dtype=float)


def is_adoption(rows: pd.DataFrame) -> pd.Series:
    """Rows that record an adoption: 已采用 with a level and a date."""
    return (rows[L.STATUS] == L.ADOPTED) & rows[L.LEVEL].isin(L.LEVELS) & rows[L.ADOPT_DATE].notna()


def list_adoptions(rows: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The distinct adoptions (piece × folded outlet), each with its earliest listing.

    Args:
        rows: rows with PIECE, in ROW_ORDER.
        plan: gives each adoption's 分值 and 奖励金额.

    Returns:
        One row per adoption: PIECE, OUTLET, 稿件类别, 采用级别, 采用日期, ADOPTED_IN, LEVEL_RANK,
        VALUE, REWARD, sorted by PIECE and OUTLET.
    """
    adopted = rows[is_adoption(rows)]
    frame = adopted.assign(**{OUTLET: adopted[L.OUTLET].map(outlet_key)})
    frame = frame.sort_values([PIECE, OUTLET, L.ADOPT_DATE, *ROW_ORDER], kind="stable")
    frame = frame.drop_duplicates([PIECE, OUTLET], keep="first").reset_index(drop=True)
    return pd.DataFrame(
        {
            PIECE: frame[PIECE],
            OUTLET: frame[OUTLET],
            L.CATEGORY: frame[L.CATEGORY],
            L.LEVEL: frame[L.LEVEL],
            L.ADOPT_DATE: frame[L.ADOPT_DATE],
            ADOPTED_IN: frame[L.ADOPT_DATE].dt.strftime("%Y-%m"),
            LEVEL_RANK: frame[L.LEVEL].map(_LEVEL_RANK).astype(int),
            VALUE: _plan_values(plan, frame[L.CATEGORY], frame[L.LEVEL], L.PT_POINTS),
            REWARD: _plan_values(plan, frame[L.CATEGORY], frame[L.LEVEL], L.PT_REWARD),
        }
    )


def gather(rows: pd.DataFrame, plan: Plan, until: str) -> Pieces:
    """The pieces of the ledger's rows of months up to `until`.

    Args:
        rows: accepted rows of any months (later months are left out).
        plan: the year's plan.
        until: the last month taken into account, "YYYY-MM".

    Returns:
        The rows, pieces and adoptions, in an order that does not depend on the input's.
    """
    held = rows[rows[L.MONTH] <= until].sort_values(ROW_ORDER, kind="stable").reset_index(drop=True)
    held = identify_pieces(held)
    return Pieces(held, piece_table(held), list_adoptions(held, plan))


# --- Points of pieces --------------------------------------------------------------------------


def counting_adoptions(adoptions: pd.DataFrame, rule: MultiLevel, until: str) -> pd.DataFrame:
    """The adoptions dated up to the end of `until` that count under 多级采用计分.

    累计: all; 最高级: the one with the highest 分值 (ties: earliest 采用日期, then outlet);
    最高两级: at each of the two highest levels, the one with the highest 分值 (same ties).
    """
    held = adoptions[adoptions[ADOPTED_IN] <= until]
    if rule is MultiLevel.CUMULATIVE:
        return held
    if rule is MultiLevel.HIGHEST:
        best = held.sort_values(
            [PIECE, VALUE, L.ADOPT_DATE, OUTLET], ascending=[True, False, True, True], kind="stable"
        )
        return best.drop_duplicates(PIECE, keep="first")
    best = held.sort_values(
        [PIECE, LEVEL_RANK, VALUE, L.ADOPT_DATE, OUTLET], ascending=[True, False, False, True, True], kind="stable"
    )
    return best.drop_duplicates([PIECE, LEVEL_RANK], keep="first").groupby(PIECE, sort=False).head(2)


def instruction_bonus(rows: pd.DataFrame, plan: Plan, until: str) -> pd.Series:
    """Each piece's bonus for the highest 领导批示 on its rows of months up to `until`, once."""
    held = rows[rows[L.MONTH] <= until]
    top = held[L.INSTRUCTION].map(_INSTRUCTION_RANK).fillna(0).astype(int).groupby(held[PIECE]).max()
    return top.map(lambda rank: plan.bonus_of(L.INSTRUCTION_LEVELS[rank])).astype(float)


def piece_values(pieces: Pieces, plan: Plan, until: str) -> pd.DataFrame:
    """What each piece is worth as of the end of `until`.

    Returns:
        A frame indexed by PIECE (every piece) with ADOPT (adoption points), BONUS (instruction
        bonus) and REWARD (奖励金额 of the counting adoptions).
    """
    counted = counting_adoptions(pieces.adoptions, plan.rules.multi_level, until)
    values = pd.DataFrame(
        {
            ADOPT: counted.groupby(PIECE)[VALUE].sum(),
            BONUS: instruction_bonus(pieces.rows, plan, until),
            REWARD: counted.groupby(PIECE)[REWARD].sum(),
        }
    )
    return values.reindex(pieces.table.index).fillna(0.0).astype(float)


def period_values(pieces: Pieces, plan: Plan, after: str, until: str) -> pd.DataFrame:
    """What each piece gained in the period (after, until]: ADOPT, BONUS and REWARD."""
    return piece_values(pieces, plan, until) - piece_values(pieces, plan, after)


@dataclass(frozen=True)
class Gains:
    """What each piece gained (ADOPT, BONUS, REWARD) in the month and in the year to date, and
    what it was worth at the ends of those periods (money is shared out as of each end).

    Attributes:
        month: the gains of the month.
        ytd: the gains of the year to date.
        now: the values as of the month's end.
        before: the values as of the previous month's end.
        start: the values as of the end of the previous year.
    """

    month: pd.DataFrame
    ytd: pd.DataFrame
    now: pd.DataFrame
    before: pd.DataFrame
    start: pd.DataFrame


def gains(pieces: Pieces, plan: Plan, month: str) -> Gains:
    """The pieces' gains of `month` and of its year to date."""
    now = piece_values(pieces, plan, month)
    before = piece_values(pieces, plan, previous_month(month))
    start = before if previous_month(month) == year_start(month) else piece_values(pieces, plan, year_start(month))
    return Gains(month=now - before, ytd=now - start, now=now, before=before, start=start)


def piece_points(values: pd.DataFrame) -> pd.Series:
    """A piece's points: its adoption points plus its bonus."""
    return values[ADOPT] + values[BONUS]


# --- Units -------------------------------------------------------------------------------------


def piece_units(table: pd.DataFrame) -> pd.DataFrame:
    """One row per (piece, unit of the piece): PIECE, 单位代码."""
    return table[UNITS].explode().dropna().rename(L.UNIT_CODE).rename_axis(PIECE).reset_index()


def unit_shares(table: pd.DataFrame, rule: CoWritten) -> pd.DataFrame:
    """How a piece's points are shared among units under 合作稿件计分.

    均分: equally among all the piece's units; 第一单位: all to the first unit.

    Returns:
        PIECE, 单位代码, SHARE; a piece's shares add up to 1.
    """
    if rule is CoWritten.FIRST_UNIT:
        return pd.DataFrame({PIECE: table.index, L.UNIT_CODE: table[FIRST_UNIT].to_numpy(), SHARE: 1.0})
    members = piece_units(table)
    counts = members[PIECE].map(table[UNITS].map(len))
    return members.assign(**{SHARE: 1.0 / counts.astype(float)})


def credit(amounts: pd.Series, shares: pd.DataFrame) -> pd.Series:
    """Each unit's share of the pieces' amounts (points or rewards), by 单位代码."""
    weighted = shares[SHARE] * shares[PIECE].map(amounts).fillna(0.0)
    return weighted.groupby(shares[L.UNIT_CODE]).sum()


def unit_counts(pieces: Pieces, after: str, until: str) -> pd.DataFrame:
    """报送数, 采用数 and 采用条次 of the period (after, until], credited to every unit of a piece.

    Returns:
        A frame indexed by 单位代码 (units with any count) with columns SENT_MONTH, ADOPTED_MONTH,
        ADOPTIONS_MONTH (the labels of the month; the caller relabels them for other periods).
    """
    members = piece_units(pieces.table)
    table, adoptions = pieces.table, pieces.adoptions
    sent = table.index[(table[SENT_IN] > after) & (table[SENT_IN] <= until)]
    dated = adoptions[(adoptions[ADOPTED_IN] > after) & (adoptions[ADOPTED_IN] <= until)]
    per_piece = dated.groupby(PIECE).size()
    by_unit = members[L.UNIT_CODE]
    counts = pd.DataFrame(
        {
            SENT_MONTH: members[PIECE].isin(sent).astype(int).groupby(by_unit).sum(),
            ADOPTED_MONTH: members[PIECE].isin(per_piece.index).astype(int).groupby(by_unit).sum(),
            ADOPTIONS_MONTH: members[PIECE].map(per_piece).fillna(0).astype(int).groupby(by_unit).sum(),
        }
    )
    return counts.astype(int)


def deductions(
    pieces: Pieces, returns: pd.DataFrame, processed: list[str], plan: Plan, after: str, until: str
) -> pd.Series:
    """Deductions of the assessed units over the processed months of (after, until].

    For each such month: 月度漏报扣分 when the unit has no accepted return, plus 月度欠报扣分 for
    each piece its 报送数 falls short of 每月最低报送数. Unprocessed months cost nothing.

    Returns:
        A positive amount per assessed unit, indexed by 单位代码.
    """
    assessed = pd.Index(plan.assessed, name=L.UNIT_CODE)
    minimum = plan.targets[L.T_MONTHLY_MIN].reindex(assessed).fillna(0).astype(float)
    months = sorted(m for m in set(processed) if after < m <= until)
    members = piece_units(pieces.table)
    sent_in = members[PIECE].map(pieces.table[SENT_IN])
    sent = pd.crosstab(members[L.UNIT_CODE], sent_in).reindex(index=assessed, columns=months, fill_value=0)
    returned = returns[returns[L.MONTH].isin(months)]
    has_return = pd.crosstab(returned[L.UNIT_CODE], returned[L.MONTH]) > 0
    has_return = has_return.reindex(index=assessed, columns=months, fill_value=False)
    active = active_months(plan, assessed, months)
    missing = ((~has_return) & active).sum(axis=1) * plan.rules.missing_return_deduction
    shortfall = (sent.rsub(minimum, axis=0).clip(lower=0) * active).sum(axis=1) * plan.rules.shortfall_deduction
    return (missing + shortfall).astype(float)


def active_months(plan: Plan, codes: pd.Index, months: list[str]) -> pd.DataFrame:
    """True where a unit is assessed in a month: from its 起始月份 on (a unit joining mid-year
    owes nothing for the months before)."""
    start = pd.Series([plan.start_month(code) for code in codes], index=codes)
    numbers = pd.Series([month_number(m) for m in months], index=months, dtype=int)
    return pd.DataFrame(
        numbers.to_numpy()[None, :] >= start.to_numpy()[:, None], index=codes, columns=months, dtype=bool
    )


def rank(points: pd.Series) -> pd.Series:
    """Ranks by points, highest first; ties share the lowest rank (1, 2, 2, 4).

    Points are compared to 1e-9 so that float noise of shared pieces cannot split a tie.
    """
    return points.round(9).rank(method="min", ascending=False).astype(int)


def completion_rate(actual: pd.Series, target: pd.Series) -> pd.Series:
    """actual / target, NaN where the target is 0 or unset."""
    usable = target.where(target > 0)
    return actual / usable


def progress(actuals: pd.DataFrame, targets: pd.DataFrame, month: str) -> pd.Series:
    """正常 or 滞后 per unit ("时间过半、任务过半"): 滞后 when a year-to-date figure is below m/12
    of its annual target (报送, 采用, and 得分 where a points target is set).

    Args:
        actuals: SENT_YTD, ADOPTED_YTD, POINTS_YTD by unit.
        targets: 年度报送任务, 年度采用任务, 年度得分任务 by unit (same index).
        month: the month m.
    """
    m = month_number(month)
    behind = pd.Series(False, index=actuals.index)
    for actual, target in ((SENT_YTD, L.T_SUBMIT), (ADOPTED_YTD, L.T_ADOPT), (POINTS_YTD, L.T_POINTS)):
        goal = targets[target].where(targets[target] > 0)
        # compared as actual × 12 < m × target so that whole numbers compare exactly
        behind = behind | (actuals[actual] * 12 < m * goal)
    return behind.map({True: BEHIND, False: ON_SCHEDULE})


def units_behind_schedule(units: pd.DataFrame) -> pd.DataFrame:
    """The rows of 单位统计 whose 进度 is 滞后 (the circular's 督办 list)."""
    return units[units[PROGRESS] == BEHIND].reset_index(drop=True)


def on_time(returns: pd.DataFrame, plan: Plan, month: str) -> pd.Series:
    """按时报送 of every roster unit: 是, 迟报 or 未报送.

    The deadline is day 报送截止日 of the month after `month`. A unit is on time when the first
    version it sent for the month arrived by then (首次提交日期, when the returns have it, else
    提交日期): a correction its receipt asked for, sent later, does not make it late. A return
    with no known date is taken as on time.
    """
    period = pd.Period(month, freq="M") + 1
    deadline = pd.Timestamp(period.year, period.month, plan.rules.deadline_day)
    mine = returns[returns[L.MONTH] == month]
    submitted = pd.to_datetime(mine[L.SUBMITTED_ON])
    if L.FIRST_SUBMITTED_ON in mine:
        submitted = pd.to_datetime(mine[L.FIRST_SUBMITTED_ON]).fillna(submitted)
    submitted = submitted.dt.normalize()
    in_time = (~(submitted > deadline)).groupby(mine[L.UNIT_CODE]).any()
    status = in_time.map({True: L.YES, False: LATE})
    return status.reindex(plan.units.index).fillna(NOT_RETURNED).astype(object)


def missing_returns(returns: pd.DataFrame, plan: Plan, month: str) -> pd.DataFrame:
    """未报送单位: assessed units (from their 起始月份 on) with no accepted return for `month`, by code."""
    returned = set(returns.loc[returns[L.MONTH] == month, L.UNIT_CODE])
    started = [code for code in sorted(plan.assessed) if plan.start_month(code) <= month_number(month)]
    codes = [code for code in started if code not in returned]
    roster = plan.units.loc[codes]
    return pd.DataFrame(
        {
            L.UNIT_CODE: codes,
            L.UNIT_NAME: roster[L.P_UNIT_NAME].to_numpy(),
            L.P_OFFICER: roster[L.P_OFFICER].to_numpy(),
            L.P_PHONE: roster[L.P_PHONE].to_numpy(),
        },
        columns=list(MISSING_COLUMNS),
    )


def unit_statistics(
    pieces: Pieces, gained: Gains, returns: pd.DataFrame, processed: list[str], plan: Plan, month: str
) -> pd.DataFrame:
    """单位统计: one row per roster unit, assessed units first by 排名 then code, others by code."""
    codes = plan.units.index.rename(None)  # 单位代码 is a column of the sheet, not its index
    start, before = year_start(month), previous_month(month)
    shares = unit_shares(pieces.table, plan.rules.co_written)
    month_counts = unit_counts(pieces, before, month).reindex(codes, fill_value=0)
    ytd_counts = unit_counts(pieces, start, month).reindex(codes, fill_value=0)
    month_gross = credit(piece_points(gained.month), shares)
    ytd_gross = credit(piece_points(gained.ytd), shares)
    month_cut = deductions(pieces, returns, processed, plan, before, month).reindex(codes, fill_value=0.0)
    ytd_cut = deductions(pieces, returns, processed, plan, start, month).reindex(codes, fill_value=0.0)
    targets = plan.targets.reindex(codes)
    frame = pd.DataFrame(
        {
            L.UNIT_CODE: codes,
            L.UNIT_NAME: plan.units[L.P_UNIT_NAME],
            L.P_UNIT_CATEGORY: plan.units[L.P_UNIT_CATEGORY],
            SENT_MONTH: month_counts[SENT_MONTH],
            ADOPTED_MONTH: month_counts[ADOPTED_MONTH],
            ADOPTIONS_MONTH: month_counts[ADOPTIONS_MONTH],
            POINTS_MONTH: month_gross.reindex(codes, fill_value=0.0) - month_cut,
            SENT_YTD: ytd_counts[SENT_MONTH],
            ADOPTED_YTD: ytd_counts[ADOPTED_MONTH],
            POINTS_YTD: ytd_gross.reindex(codes, fill_value=0.0) - ytd_cut,
            DEDUCTIONS: ytd_cut,
            L.T_SUBMIT: targets[L.T_SUBMIT].astype(float),
            L.T_ADOPT: targets[L.T_ADOPT].astype(float),
            L.T_POINTS: targets[L.T_POINTS].astype(float),
        },
        index=codes,
    )
    return _with_assessment(frame, returns, plan, month).reset_index(drop=True)


def _with_assessment(frame: pd.DataFrame, returns: pd.DataFrame, plan: Plan, month: str) -> pd.DataFrame:
    """Adds rates, 进度, 排名 and 按时报送, and orders the units; non-assessed units get no
    rates, 进度 or 排名."""
    assessed = plan.units[L.P_ASSESSED].reindex(frame.index).astype(bool)
    ranks = rank(frame.loc[assessed, POINTS_YTD]).astype(float)
    frame = frame.assign(
        **{
            SUBMIT_RATE: completion_rate(frame[SENT_YTD], frame[L.T_SUBMIT]),
            ADOPT_RATE: completion_rate(frame[ADOPTED_YTD], frame[L.T_ADOPT]),
            POINTS_RATE: completion_rate(frame[POINTS_YTD], frame[L.T_POINTS]),
            PROGRESS: progress(frame, frame, month).where(assessed, ""),
            RANK: ranks.reindex(frame.index),
            ON_TIME: on_time(returns, plan, month).reindex(frame.index),
        }
    )
    order = frame.assign(_late=~assessed, _rank=frame[RANK].fillna(0.0))
    order = order.sort_values(["_late", "_rank", L.UNIT_CODE], kind="stable")
    return frame.loc[order.index, list(UNIT_COLUMNS)]


# --- Persons -----------------------------------------------------------------------------------


def latest_authors(rows: pd.DataFrame, until: str) -> pd.DataFrame:
    """The authors on each unit's latest row of each piece (by 月份, then 来源行号) up to `until`.

    Returns:
        PIECE, 单位代码, PERSON_NAME, POSITION (0 for the first author), one row per author.
    """
    held = rows[rows[L.MONTH] <= until]
    latest = held.groupby([PIECE, L.UNIT_CODE], sort=True).tail(1)
    authors = latest[[PIECE, L.UNIT_CODE]].assign(**{PERSON_NAME: latest[L.AUTHORS].map(_names)})
    authors = authors.explode(PERSON_NAME).dropna(subset=[PERSON_NAME])
    authors = authors.assign(**{POSITION: authors.groupby([PIECE, L.UNIT_CODE]).cumcount()})
    return authors.sort_values([PIECE, L.UNIT_CODE, POSITION], kind="stable").reset_index(drop=True)


def person_points(points: pd.Series, shares: pd.DataFrame, authors: pd.DataFrame) -> pd.Series:
    """Each person's points: their unit's share of a piece, split equally among the unit's authors.

    Returns:
        Points indexed by (单位代码, 姓名).
    """
    counts = authors.groupby([PIECE, L.UNIT_CODE])[PERSON_NAME].transform("size")
    merged = authors.assign(_n=counts).merge(shares, on=[PIECE, L.UNIT_CODE], how="inner")
    merged = merged.assign(**{AMOUNT: merged[PIECE].map(points).fillna(0.0) * merged[SHARE] / merged["_n"]})
    return merged.groupby([L.UNIT_CODE, PERSON_NAME])[AMOUNT].sum()


def reward_recipients(table: pd.DataFrame, authors: pd.DataFrame) -> pd.DataFrame:
    """A piece's authors across its reporting units, first unit's first, in reward order.

    Returns:
        PIECE, 单位代码, PERSON_NAME, sorted by piece, then reward order.
    """
    reporters = table[REPORTERS].explode().rename(L.UNIT_CODE).rename_axis(PIECE).reset_index()
    reporters = reporters.assign(_unit=reporters.groupby(PIECE).cumcount())
    ordered = authors.merge(reporters, on=[PIECE, L.UNIT_CODE], how="inner")
    ordered = ordered.sort_values([PIECE, "_unit", POSITION], kind="stable")
    return ordered[[PIECE, L.UNIT_CODE, PERSON_NAME]].reset_index(drop=True)


def person_rewards(rewards: pd.Series, recipients: pd.DataFrame, rule: RewardSplit) -> pd.Series:
    """Each person's share of the pieces' 奖励金额 under 奖励分配, to the fen: 均分 splits a
    piece's amount among its recipients by the largest remainder (100 among three: 33.34, 33.33,
    33.33, the extra fen to the recipients first in reward order), 第一作者 gives it all to the
    first.

    A piece's amount is paid out exactly, so the persons' amounts add up to the pieces'.

    Returns:
        Whole fen (integers) indexed by (单位代码, 姓名), for every recipient.
    """
    if rule is RewardSplit.FIRST_AUTHOR:
        recipients = recipients.drop_duplicates(PIECE, keep="first")
    fen = np.round(recipients[PIECE].map(rewards).fillna(0.0).to_numpy(dtype=float) * 100).astype(np.int64)
    parts = share_fen(
        fen,
        recipients.groupby(PIECE).cumcount().to_numpy(),
        recipients.groupby(PIECE)[PIECE].transform("size").to_numpy(),
    )
    paid = pd.Series(parts, index=recipients.index)
    return paid.groupby([recipients[L.UNIT_CODE], recipients[PERSON_NAME]]).sum()


def period_rewards(at_end: pd.Series, at_start: pd.Series, recipients: pd.DataFrame, rule: RewardSplit) -> pd.Series:
    """Each person's 奖励金额 of a period: their share (`person_rewards`) of the pieces' amounts
    as of the period's end minus their share of the amounts as of its start.

    So periods add up to the fen, as points do: a person's months make their year to date, and
    a period's amounts add up to what the pieces gained in it. (Sharing each period's gain on
    its own would not: ¥20 and then ¥40 among three would pay the first author 6.67 + 13.34.)

    Args:
        at_end: each piece's 奖励金额 as of the period's end.
        at_start: each piece's 奖励金额 as of the period's start.
        recipients: see `reward_recipients`.
        rule: 奖励分配.

    Returns:
        Rewards in yuan (whole fen) indexed by (单位代码, 姓名).
    """
    end = person_rewards(at_end, recipients, rule)
    return (end - person_rewards(at_start, recipients, rule)) / 100


def share_fen(fen: np.ndarray, position: np.ndarray, count: np.ndarray) -> np.ndarray:
    """The whole fen each of `count` takers gets of `fen`, by the largest remainder: equal parts,
    and the fen left over one each to the takers at the first positions.

    Args:
        fen: the amount to share, in fen, for each taker's row.
        position: the taker's position among the amount's takers (0 first).
        count: how many takers share the amount.
    """
    base = fen // count
    return base + (position < fen - base * count)


def authors_on(rows: pd.DataFrame) -> pd.MultiIndex:
    """Every (单位代码, 姓名) named as an author on the rows."""
    pairs = rows[[L.UNIT_CODE]].assign(**{PERSON_NAME: rows[L.AUTHORS].map(_names)}).explode(PERSON_NAME)
    pairs = pairs.dropna(subset=[PERSON_NAME]).drop_duplicates()
    return pd.MultiIndex.from_arrays([pairs[L.UNIT_CODE], pairs[PERSON_NAME]], names=[L.UNIT_CODE, PERSON_NAME])


def person_statistics(pieces: Pieces, gained: Gains, plan: Plan, month: str) -> pd.DataFrame:
    """个人统计: points and rewards of the month and the year to date of every author on a row
    of the year up to `month`, and of anyone credited from an earlier year's piece.

    Sorted by 累计得分 descending, then 单位代码 and 姓名.
    """
    shares = unit_shares(pieces.table, plan.rules.co_written)
    authors = latest_authors(pieces.rows, month)
    recipients = reward_recipients(pieces.table, authors)
    figures = {}
    for values, start, points_label, reward_label in (
        (gained.month, gained.before, POINTS_MONTH, REWARD_MONTH),
        (gained.ytd, gained.start, POINTS_YTD, REWARD_YTD),
    ):
        figures[points_label] = person_points(piece_points(values), shares, authors)
        figures[reward_label] = period_rewards(gained.now[REWARD], start[REWARD], recipients, plan.rules.reward_split)
    people = authors_on(pieces.rows[pieces.rows[L.MONTH] > year_start(month)])
    for credited in figures.values():
        people = people.union(credited.index, sort=False)
    frame = pd.DataFrame({label: credited.reindex(people) for label, credited in figures.items()}, index=people)
    frame = frame.fillna(0.0).astype(float).reset_index()
    frame = frame.assign(**{L.UNIT_NAME: frame[L.UNIT_CODE].map(plan.unit_name)})
    order = frame.assign(_key=-frame[POINTS_YTD].round(9)).sort_values(["_key", L.UNIT_CODE, PERSON_NAME])
    return frame.loc[order.index, list(PERSON_COLUMNS)].reset_index(drop=True)


# --- Rows of the month -------------------------------------------------------------------------


def row_points(pieces: Pieces, gain: pd.DataFrame, plan: Plan, month: str) -> pd.Series:
    """得分 of each row of `month`: its reporting unit's share of what the row added to its piece.

    For each (piece, reporting unit), the unit's share of the piece's month adoption gain is
    spread over the unit's rows of the month carrying an adoption dated in the month, in
    proportion to each row's own 分值; its share of the bonus gain goes to the unit's first row
    (by row_id) of the month carrying the piece's highest 领导批示 of the month.

    Args:
        pieces: the ledger up to `month`.
        gain: the pieces' gains of the month (`Gains.month`).
        plan: the year's plan.
        month: the month whose rows are scored.

    Returns:
        Points indexed by row_id, named 得分; 0 for rows that add nothing.
    """
    rows = pieces.rows[pieces.rows[L.MONTH] == month]
    shares = unit_shares(pieces.table, plan.rules.co_written).set_index([PIECE, L.UNIT_CODE])[SHARE]
    keys = pd.MultiIndex.from_arrays([rows[PIECE], rows[L.UNIT_CODE]])
    share = shares.reindex(keys).fillna(0.0).to_numpy()
    carries = is_adoption(rows) & (rows[L.ADOPT_DATE].dt.strftime("%Y-%m") == month)
    weight = np.where(carries, _plan_values(plan, rows[L.CATEGORY], rows[L.LEVEL], L.PT_POINTS), 0.0)
    weight = pd.Series(weight, index=rows.index)
    total = weight.groupby([rows[PIECE], rows[L.UNIT_CODE]]).transform("sum")
    portion = (weight / total.where(total > 0)).fillna(0.0)
    adopt_part = rows[PIECE].map(gain[ADOPT]) * portion
    bonus_part = rows[PIECE].map(gain[BONUS]) * _bonus_carriers(rows)
    points = (adopt_part + bonus_part) * share
    return pd.Series(points.to_numpy(dtype=float), index=rows[L.ROW_ID].to_numpy(), name=L.POINTS)


def _bonus_carriers(rows: pd.DataFrame) -> pd.Series:
    """1.0 for each unit's first row (by row_id) of a piece carrying the piece's highest
    领导批示 of the month, 0.0 elsewhere."""
    level = rows[L.INSTRUCTION].map(_INSTRUCTION_RANK).fillna(0).astype(int)
    highest = level.groupby(rows[PIECE]).transform("max")
    candidates = rows[(level == highest) & (level > 0)].sort_values(L.ROW_ID, kind="stable")
    first = candidates.drop_duplicates([PIECE, L.UNIT_CODE], keep="first").index
    return pd.Series(rows.index.isin(first).astype(float), index=rows.index)


# --- The month ---------------------------------------------------------------------------------


def score_month(rows: pd.DataFrame, returns: pd.DataFrame, processed: list[str], plan: Plan, month: str) -> Scores:
    """Scores a month and its year to date (for the year's sheet, score "YYYY-12").

    Args:
        rows: the ledger's accepted rows (any months; those after `month` are ignored).
        returns: the accepted forms (labels.RETURN_COLUMNS).
        processed: the months processed so far, "YYYY-MM".
        plan: the year's plan.
        month: the month scored, "YYYY-MM".

    Returns:
        The sheets of 月度统计.xlsx and the 得分 of the month's rows.
    """
    pieces = gather(rows, plan, month)
    gained = gains(pieces, plan, month)
    return Scores(
        units=unit_statistics(pieces, gained, returns, processed, plan, month),
        persons=person_statistics(pieces, gained, plan, month),
        missing=missing_returns(returns, plan, month),
        row_points=row_points(pieces, gained.month, plan, month),
    )
