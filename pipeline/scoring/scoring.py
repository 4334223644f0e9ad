"""Scoring: counts, points, deductions, targets, ranks and rewards of a month and its year to date.

Pure functions over frames, no file I/O. The input is the ledger's ACCEPTED rows (the rows frame
documented in `labels.py`, after the checks), possibly spanning several months and the end of the
previous year, plus the accepted returns (`labels.RETURN_COLUMNS`), the months processed so far and
the `Plan`. This module makes the month's score table (the sheets of 月度统计) from the pieces
(`pipeline.scoring.pieces`: identity, adoptions, points and shares of units) and the persons
(`pipeline.scoring.persons`: authors, points, 奖励金额 to the fen).
Every figure follows the counting rules of docs/counting.md, made precise here:

1. Piece identity: (reporting unit, 稿件键). Rows of different units with the same 稿件键 are one
   co-written piece when at least one of them names the other in 合作单位 (transitively). A
   piece's units are its reporting units and every unit named in 合作单位 on any of its rows; its
   first unit is the reporting unit with the earliest 报送日期, then the lowest 单位代码.
2. Periods: month m of year Y; year to date (YTD) = January..m of Y. A period is (after, until]
   in "YYYY-MM" months; "as of" a month means as of that month's last day.
3. 报送数: distinct pieces whose reporting month (the 月份 of the first accepted form listing
   them) falls in the period, credited to each unit of the piece; a piece listed again later is
   not counted again. A row dated before its form's month is 补报 (`late_rows`), never dropped.
4. An adoption is a distinct (piece, folded 采用载体) with the 采用级别 and 采用日期 of its first
   listing; its reporting month is the 月份 of the first form reporting it. 采用数: pieces whose
   first adoption is reported in the period (a piece is adopted once); 采用条次: adoptions
   reported in the period; both credited to each unit of the piece.
5. Points of a piece as of t: the adoptions reported up to t combined by 多级采用计分 (累计: all;
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
    spread over its own rows of month m that carry an adoption first reported in m, in proportion to each
    row's own 分值; its share of the bonus part goes to its first row (by row_id) of month m carrying
    the piece's highest 领导批示 of the month. A unit's row points of a month therefore add up to
    its gross points from the pieces whose gain its rows carry. (Spreading the gain over
    all of the piece's rows before taking shares would break that sum when both units of a
    co-written piece list the same adoption; spreading within each unit keeps it right.)

Under the office's own 考核办法 (`plan.scheme` set) the points, deductions, persons' points and
rewards, row points and the rows' reasons come from the scheme engine instead
(`scheme_month`, docs/schemes.md): a period's figure is the difference of two years to date, so
months add up to the year; the counts stay the ones above, over the scheme's adoptions.

Decisions where the counting rules are silent: rows of months after the scored month are ignored, so
re-scoring an earlier month gives the figures it had; 未报送单位 lists assessed units only (others
have no duty to return a form); 个人统计 lists every author on a row of the year up to the month,
plus anyone credited from a piece carried over from the year before (a month is scored from
`Ledger.year_rows`: of the year before, only the pieces listed again this year, all that counts
this year); earlier-year adoptions are valued with this year's plan; a 报送日期 that is missing
counts as the first day of the row's month.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import is_behind_schedule, month_number, previous_month, year_start
from pipeline.core.text import outlet_key
from pipeline.plan.plan import Plan
from pipeline.scoring import scheme_month as SM
from pipeline.scoring.persons import (
    PERSON_NAME,
    authors_on,
    month_persons,
    pair_rows,
    period_rewards,
    piece_codes,
)
from pipeline.scoring.piece_worth import Gains, gains, piece_points
from pipeline.scoring.pieces import (
    ADOPT,
    ADOPTED_IN,
    BONUS,
    FIRST_ADOPTED_IN,
    INSTRUCTION_RANKS,
    OUTLET,
    PIECE,
    REWARD,
    SENT_IN,
    SHARE,
    Pieces,
    in_period,
    is_adoption,
    month_of,
    plan_values,
    reported_adoptions,
)

# --- The sheets of 月度统计 (labels in core/output_labels) -------------------------------------

UNIT_COLUMNS = (
    L.UNIT_CODE,
    L.UNIT_NAME,
    L.P_UNIT_CATEGORY,
    OL.SENT_MONTH,
    OL.ADOPTED_MONTH,
    OL.ADOPTIONS_MONTH,
    OL.POINTS_MONTH,
    OL.SENT_YTD,
    OL.ADOPTED_YTD,
    OL.POINTS_YTD,
    OL.DEDUCTIONS,
    L.T_SUBMIT,
    L.T_ADOPT,
    L.T_POINTS,
    OL.SUBMIT_RATE,
    OL.ADOPT_RATE,
    OL.POINTS_RATE,
    OL.PROGRESS,
    OL.RANK,
    OL.ON_TIME,
)
PERSON_COLUMNS = (L.UNIT_CODE, L.UNIT_NAME, PERSON_NAME, OL.POINTS_MONTH, OL.POINTS_YTD, OL.REWARD_MONTH, OL.REWARD_YTD)
MISSING_COLUMNS = (L.UNIT_CODE, L.UNIT_NAME, L.P_OFFICER, L.P_PHONE)


# Columns of the ledger's rows that scoring never reads (nor the cross-month checks nor 看板,
# which are given the same history): a run leaves them out of the year's rows it reads.
UNREAD_COLUMNS = (
    L.SOURCE_SHEET,
    L.SEQ,
    L.SENT_TO,
    L.PROOF,
    L.REVIEWER,
    L.SECRECY,
    L.NOTES,
    *(c + L.RAW_SUFFIX for c in L.DATE_COLUMNS),
)


@dataclass(frozen=True)
class Scores:
    """The month's statistics, as the sheets of 月度统计.xlsx show them.

    Attributes:
        units: sheet 单位统计, columns UNIT_COLUMNS.
        persons: sheet 个人统计, columns PERSON_COLUMNS.
        missing: sheet 未报送单位, columns MISSING_COLUMNS.
        row_points: 得分 of each of the month's rows, indexed by row_id.
        late_rows: 补报 of each of the month's rows, indexed by row_id (`late_rows`).
        row_reasons: under a scheme, why each row of the month scored what it scored, by row_id
            (empty without a scheme: 计分标准 says it all).
        unit_lines: under a scheme, what the office's 约稿 and 事件 of the month did to each
            unit, in words, by 单位代码 (for its receipt).
        month: the month scored.
        pieces: the pieces scored (`scheme_month.gather` of the rows through `month`), and
        gained: their gains: a quarter's circular and the year's page of the same run reuse
            them instead of gathering a province's year again.
    """

    units: pd.DataFrame
    persons: pd.DataFrame
    missing: pd.DataFrame
    row_points: pd.Series
    late_rows: pd.Series
    row_reasons: pd.Series = field(default_factory=lambda: pd.Series(dtype=object))
    unit_lines: dict[str, list[str]] = field(default_factory=dict)
    month: str = ""
    pieces: Pieces | None = field(default=None, repr=False)
    gained: Gains | None = field(default=None, repr=False)


# --- Units -------------------------------------------------------------------------------------


def unit_counts(pieces: Pieces, after: str, until: str) -> pd.DataFrame:
    """报送数, 采用数 and 采用条次 of the period (after, until], each in the month of the form that
    first reports it (docs/counting.md, rules 4 and 5), credited to every unit of a piece.

    Returns:
        A frame indexed by 单位代码 (units with any count) with columns OL.SENT_MONTH, OL.ADOPTED_MONTH,
        OL.ADOPTIONS_MONTH (the labels of the month; the caller relabels them for other periods).
    """
    table = pieces.table
    sent = in_period(table[SENT_IN], after, until).to_numpy()
    adopted = in_period(table[FIRST_ADOPTED_IN], after, until).to_numpy()
    reported = reported_adoptions(pieces, after, until)
    per_piece = (
        np.bincount(table.index.get_indexer(reported[PIECE]), minlength=len(table))
        if len(reported)
        else np.zeros(len(table), dtype=np.int64)
    )
    counts = pd.DataFrame(
        {
            OL.SENT_MONTH: pieces.by_member(sent.astype(np.int64)),
            OL.ADOPTED_MONTH: pieces.by_member(adopted.astype(np.int64)),
            OL.ADOPTIONS_MONTH: pieces.by_member(per_piece.astype(np.int64)),
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
    sent = pd.DataFrame(
        {m: pieces.by_member((pieces.table[SENT_IN] == m).to_numpy(dtype=np.int64)) for m in months},
        columns=months,
    ).reindex(index=assessed, fill_value=0)
    has_return = _has_return(returns, assessed, months)
    active = active_months(plan, assessed, months)
    missing = ((~has_return) & active).sum(axis=1) * plan.rules.missing_return_deduction
    shortfall = (sent.rsub(minimum, axis=0).clip(lower=0) * active).sum(axis=1) * plan.rules.shortfall_deduction
    return (missing + shortfall).astype(float)


def _has_return(returns: pd.DataFrame, units: pd.Index, months: list[str]) -> pd.DataFrame:
    """Whether each unit has an accepted return in each month: a frame of booleans, `units` by
    `months` (`pd.crosstab(unit, month) > 0`, which counts group by group in Python: a province's
    year of returns took half a second)."""
    has_return = pd.DataFrame(False, index=units, columns=pd.Index(months, dtype=object))
    if months:
        rows = units.get_indexer(returns[L.UNIT_CODE])
        columns = pd.Index(months).get_indexer(returns[L.MONTH])
        found = (rows >= 0) & (columns >= 0)
        marks = has_return.to_numpy(copy=True)
        marks[rows[found], columns[found]] = True
        has_return = pd.DataFrame(marks, index=units, columns=has_return.columns)
    return has_return


def active_months(plan: Plan, codes: pd.Index, months: list[str]) -> pd.DataFrame:
    """True where a unit is assessed in a month: from its 起始月份 on (a unit joining mid-year
    owes nothing for the months before)."""
    start = start_months(plan, codes)
    numbers = pd.Series([month_number(m) for m in months], index=months, dtype=int)
    return pd.DataFrame(
        numbers.to_numpy()[None, :] >= start.to_numpy()[:, None], index=codes, columns=months, dtype=bool
    )


def start_months(plan: Plan, codes: pd.Index) -> pd.Series:
    """`plan.start_month` of each unit (1..12), all at once."""
    if L.P_START_MONTH not in plan.units.columns:
        return pd.Series(1, index=codes, dtype=int)
    return plan.units[L.P_START_MONTH].reindex(codes).fillna(1).astype(int)


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
        actuals: OL.SENT_YTD, OL.ADOPTED_YTD, OL.POINTS_YTD by unit.
        targets: 年度报送任务, 年度采用任务, 年度得分任务 by unit (same index).
        month: the month m.
    """
    m = month_number(month)
    behind = pd.Series(False, index=actuals.index)
    for actual, target in ((OL.SENT_YTD, L.T_SUBMIT), (OL.ADOPTED_YTD, L.T_ADOPT), (OL.POINTS_YTD, L.T_POINTS)):
        goal = targets[target].where(targets[target] > 0)
        behind = behind | is_behind_schedule(actuals[actual], m, goal)
    return behind.map({True: OL.BEHIND, False: OL.ON_SCHEDULE})


def units_behind_schedule(units: pd.DataFrame) -> pd.DataFrame:
    """The rows of 单位统计 whose 进度 is 滞后 (the circular's 督办 list)."""
    return units[units[OL.PROGRESS] == OL.BEHIND].reset_index(drop=True)


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
    status = in_time.map({True: L.YES, False: OL.LATE})
    return status.reindex(plan.units.index).fillna(OL.NOT_RETURNED).astype(object)


def missing_returns(returns: pd.DataFrame, plan: Plan, month: str) -> pd.DataFrame:
    """未报送单位: assessed units (from their 起始月份 on) with no accepted return for `month`, by code."""
    returned = set(returns.loc[returns[L.MONTH] == month, L.UNIT_CODE])
    assessed = pd.Index(sorted(plan.assessed))
    started = assessed[start_months(plan, assessed).to_numpy() <= month_number(month)].tolist()
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
    rule = plan.rules.co_written
    month_counts = unit_counts(pieces, before, month).reindex(codes, fill_value=0)
    ytd_counts = unit_counts(pieces, start, month).reindex(codes, fill_value=0)
    if plan.scheme is not None:
        # the scheme's 考核得分 (its per-unit rules included), year to date and its month's part
        tally = SM.tally_of(pieces, plan, returns, processed)
        ytd, earlier = tally.unit_figures(month, codes), tally.unit_figures(before, codes)
        month_points, ytd_points, ytd_cut = ytd[SM.POINTS] - earlier[SM.POINTS], ytd[SM.POINTS], ytd[SM.CUT]
    else:
        month_gross = pieces.credit(piece_points(gained.month), rule).reindex(codes, fill_value=0.0)
        ytd_gross = pieces.credit(piece_points(gained.ytd), rule).reindex(codes, fill_value=0.0)
        month_cut = deductions(pieces, returns, processed, plan, before, month).reindex(codes, fill_value=0.0)
        ytd_cut = deductions(pieces, returns, processed, plan, start, month).reindex(codes, fill_value=0.0)
        month_points, ytd_points = month_gross - month_cut, ytd_gross - ytd_cut
    targets = plan.targets.reindex(codes)
    frame = pd.DataFrame(
        {
            L.UNIT_CODE: codes,
            L.UNIT_NAME: plan.units[L.P_UNIT_NAME],
            L.P_UNIT_CATEGORY: plan.units[L.P_UNIT_CATEGORY],
            OL.SENT_MONTH: month_counts[OL.SENT_MONTH],
            OL.ADOPTED_MONTH: month_counts[OL.ADOPTED_MONTH],
            OL.ADOPTIONS_MONTH: month_counts[OL.ADOPTIONS_MONTH],
            OL.POINTS_MONTH: month_points,
            OL.SENT_YTD: ytd_counts[OL.SENT_MONTH],
            OL.ADOPTED_YTD: ytd_counts[OL.ADOPTED_MONTH],
            OL.POINTS_YTD: ytd_points,
            OL.DEDUCTIONS: ytd_cut,
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
    ranks = rank(frame.loc[assessed, OL.POINTS_YTD]).astype(float)
    frame = frame.assign(
        **{
            OL.SUBMIT_RATE: completion_rate(frame[OL.SENT_YTD], frame[L.T_SUBMIT]),
            OL.ADOPT_RATE: completion_rate(frame[OL.ADOPTED_YTD], frame[L.T_ADOPT]),
            OL.POINTS_RATE: completion_rate(frame[OL.POINTS_YTD], frame[L.T_POINTS]),
            OL.PROGRESS: progress(frame, frame, month).where(assessed, ""),
            OL.RANK: ranks.reindex(frame.index),
            OL.ON_TIME: on_time(returns, plan, month).reindex(frame.index),
        }
    )
    order = frame.assign(_late=~assessed, _rank=frame[OL.RANK].fillna(0.0))
    order = order.sort_values(["_late", "_rank", L.UNIT_CODE], kind="stable")
    return frame.loc[order.index, list(UNIT_COLUMNS)]


# --- Persons -----------------------------------------------------------------------------------


def person_statistics(pieces: Pieces, gained: Gains, plan: Plan, month: str) -> pd.DataFrame:
    """个人统计: points and rewards of the month and the year to date of every author on a row
    of the year up to `month`, and of anyone credited from an earlier year's piece.

    Sorted by 累计得分 descending, then 单位代码 and 姓名.
    """
    if plan.scheme is not None:
        figures = _scheme_person_figures(pieces, plan, month)
    else:
        gains_of = pd.DataFrame({OL.POINTS_MONTH: piece_points(gained.month), OL.POINTS_YTD: piece_points(gained.ytd)})
        ends = pd.DataFrame({"now": gained.now[REWARD], "before": gained.before[REWARD], "start": gained.start[REWARD]})
        points, fen = month_persons(pieces, month, gains_of, ends, plan.rules)
        figures = {
            OL.POINTS_MONTH: points[OL.POINTS_MONTH],
            OL.REWARD_MONTH: period_rewards(fen, "now", "before"),
            OL.POINTS_YTD: points[OL.POINTS_YTD],
            OL.REWARD_YTD: period_rewards(fen, "now", "start"),
        }
    # the two columns it reads, not a copy of the year's rows whole at the run's peak
    of_year = (pieces.rows[L.MONTH] > year_start(month)).to_numpy()
    people = authors_on(pieces.rows.loc[of_year, [L.UNIT_CODE, L.AUTHORS]])
    for credited in figures.values():
        people = people.union(credited.index, sort=False)
    frame = pd.DataFrame({label: credited.reindex(people) for label, credited in figures.items()}, index=people)
    frame = frame.fillna(0.0).astype(float).reset_index()
    frame = frame.assign(**{L.UNIT_NAME: frame[L.UNIT_CODE].map(plan.unit_name)})
    order = frame.assign(_key=-frame[OL.POINTS_YTD].round(9)).sort_values(["_key", L.UNIT_CODE, PERSON_NAME])
    return frame.loc[order.index, list(PERSON_COLUMNS)].reset_index(drop=True)


def _scheme_person_figures(pieces: Pieces, plan: Plan, month: str) -> dict[str, pd.Series]:
    """The persons' points and rewards of the month and the year to date by the scheme (its
    3:2 author split, its rewards withheld from units that fail), as year-to-date differences."""
    tally = SM.tally_of(pieces, plan)
    ytd = tally.person_figures(month)
    of_month = tally.person_period(previous_month(month), month)
    # an author dropped from a piece's latest row is listed only for what they lost this month
    of_month = of_month[of_month.index.isin(ytd.index) | (of_month.abs().sum(axis=1) > 0)]
    return {
        OL.POINTS_MONTH: of_month[SM.POINTS],
        OL.REWARD_MONTH: of_month[SM.REWARD],
        OL.POINTS_YTD: ytd[SM.POINTS],
        OL.REWARD_YTD: ytd[SM.REWARD],
    }


# --- Rows of the month -------------------------------------------------------------------------


def row_points(pieces: Pieces, gain: pd.DataFrame, plan: Plan, month: str) -> pd.Series:
    """得分 of each row of `month`: its reporting unit's share of what the row added to its piece.

    For each (piece, reporting unit), the unit's share of the piece's month adoption gain is
    spread over the unit's rows of the month carrying an adoption first reported in the month, in
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
    if plan.scheme is not None:
        return SM.tally_of(pieces, plan).row_points(pieces, month)
    of_month = (pieces.rows[L.MONTH] == month).to_numpy()
    rows = pieces.rows[of_month]
    shares = pieces.shares(plan.rules.co_written)
    row_pieces = pieces.table.index.get_indexer(rows[PIECE])
    found = pair_rows(pieces.share_places(plan.rules.co_written), shares[L.UNIT_CODE], row_pieces, rows[L.UNIT_CODE])
    share = np.append(shares[SHARE].to_numpy(dtype=float), 0.0)[found]  # -1, no share: the 0 appended
    carries = _carries_new_adoption(rows, pieces, month)
    weight = np.where(carries, plan_values(plan, rows[L.CATEGORY], rows[L.LEVEL], L.PT_POINTS), 0.0)
    weight = pd.Series(weight, index=rows.index)
    # by the rows' (piece, unit) ranks: the same groups, each summed in the rows' order
    total = weight.groupby(pieces.nodes[of_month], sort=False).transform("sum")
    portion = (weight / total.where(total > 0)).fillna(0.0)
    # the pieces' gains taken by the rows' places in the table, not looked up by name again
    gained = gain[[ADOPT, BONUS]].reindex(pieces.table.index).to_numpy()[row_pieces]
    adopt_part = pd.Series(gained[:, 0], index=rows.index) * portion
    bonus_part = pd.Series(gained[:, 1], index=rows.index) * _bonus_carriers(rows, row_pieces)
    points = (adopt_part + bonus_part) * share
    return pd.Series(points.to_numpy(dtype=float), index=rows[L.ROW_ID].to_numpy(), name=L.POINTS)


def _carries_new_adoption(rows: pd.DataFrame, pieces: Pieces, month: str) -> pd.Series:
    """True for the rows of `month` listing an adoption first reported this month (its 采用日期
    may be earlier: a 补报 row carries the adoption's points all the same). A scheme's adoptions
    (`scheme_month.gather`) name the row of their first listing.

    Made once per month of the pieces (row points and 补报 both ask)."""
    return pieces.memo(("carries new adoption", month), lambda: _find_new_adoptions(rows, pieces, month))


def _find_new_adoptions(rows: pd.DataFrame, pieces: Pieces, month: str) -> pd.Series:
    if L.ROW_ID in pieces.adoptions.columns:
        new = pieces.adoptions.loc[pieces.adoptions[ADOPTED_IN] == month, L.ROW_ID]
        return rows[L.ROW_ID].isin(set(new))
    new = pieces.adoptions.loc[pieces.adoptions[ADOPTED_IN] == month, [PIECE, OUTLET]]
    # only a row recording an adoption can carry one; each outlet folded once
    adopted = np.flatnonzero(is_adoption(rows).to_numpy())
    outlets = rows[L.OUTLET].iloc[adopted]
    folded = outlets.map({outlet: outlet_key(outlet) for outlet in outlets.unique()})
    new_pieces, row_pieces = piece_codes(pieces.table.index, new[PIECE], rows[PIECE].iloc[adopted])
    carries = np.zeros(len(rows), dtype=bool)
    carries[adopted[pair_rows(new_pieces, new[OUTLET], row_pieces, folded) >= 0]] = True
    return pd.Series(carries, index=rows.index)


def late_rows(pieces: Pieces, month: str) -> pd.Series:
    """补报 of each row of `month`, indexed by row_id: "报送" when the row is its piece's first
    listing and its 报送日期 falls in an earlier month, "采用" when it reports an adoption for the
    first time with a 采用日期 in an earlier month, both joined by 、, "" otherwise. Such rows
    count in `month` (docs/counting.md, rule 4) and are shown as 补报, never dropped."""
    rows = pieces.rows[pieces.rows[L.MONTH] == month]
    first_listed = rows[PIECE].map(pieces.table[SENT_IN]) == month
    sent_late = first_listed & (month_of(rows[L.SENT_DATE]) < month)
    adopt_late = _carries_new_adoption(rows, pieces, month) & (month_of(rows[L.ADOPT_DATE]) < month)
    text = [
        L.LIST_SEPARATOR.join(word for word, on in ((OL.LATE_SENT, s), (OL.LATE_ADOPTED, a)) if on)
        for s, a in zip(sent_late.to_numpy(), adopt_late.to_numpy(), strict=True)
    ]
    return pd.Series(text, index=rows[L.ROW_ID].to_numpy(), name=OL.LATE_REPORT, dtype=object)


def _bonus_carriers(rows: pd.DataFrame, row_pieces: np.ndarray) -> pd.Series:
    """1.0 for each unit's first row (by row_id) of a piece carrying the piece's highest
    领导批示 of the month, 0.0 elsewhere; `row_pieces`: each row's piece's place in the table."""
    level = rows[L.INSTRUCTION].map(INSTRUCTION_RANKS).fillna(0).astype(int)
    highest = level.groupby(row_pieces, sort=False).transform("max")
    candidates = rows[(level == highest) & (level > 0)].sort_values(L.ROW_ID, kind="stable")
    first = candidates.drop_duplicates([PIECE, L.UNIT_CODE], keep="first").index
    return pd.Series(rows.index.isin(first).astype(float), index=rows.index)


# --- The month ---------------------------------------------------------------------------------


def score_month(
    rows: pd.DataFrame,
    returns: pd.DataFrame,
    processed: list[str],
    plan: Plan,
    month: str,
    *,
    pieces: Pieces | None = None,
) -> Scores:
    """Scores a month and its year to date (for the year's sheet, score "YYYY-12").

    Args:
        rows: the ledger's accepted rows (any months; those after `month` are ignored).
        returns: the accepted forms (labels.RETURN_COLUMNS).
        processed: the months processed so far, "YYYY-MM".
        plan: the year's plan.
        month: the month scored, "YYYY-MM".
        pieces: `scheme_month.gather(rows, plan, month)`, when the caller made it already.

    Returns:
        The sheets of 月度统计.xlsx and the 得分 of the month's rows.
    """
    pieces = SM.gather(rows, plan, month) if pieces is None else pieces
    gained = gains(pieces, plan, month)
    scores = Scores(
        units=unit_statistics(pieces, gained, returns, processed, plan, month),
        persons=person_statistics(pieces, gained, plan, month),
        missing=missing_returns(returns, plan, month),
        row_points=row_points(pieces, gained.month, plan, month),
        late_rows=late_rows(pieces, month),
        month=month,
        pieces=pieces,
        gained=gained,
    )
    if plan.scheme is None:
        return scores
    tally = SM.tally_of(pieces, plan, returns, processed)
    return dataclasses.replace(
        scores, row_reasons=tally.row_reasons(month), unit_lines=SM.month_lines(tally.happenings(month), month)
    )
