"""The periods a circular covers (a quarter or a single month) and their figures.

Every figure comes from the scoring stage's own functions over the ledger's rows: the period's
counts and points are `scoring.unit_counts`, `scoring.period_values`, `scoring.credit` and
`scoring.deductions` over (month before the period, last month]; the year to date, ranks and
完成率 are `scoring.score_month` of the period's last month, exactly as 月度统计 shows them.
The bureau's totals count each piece once (a co-written piece is one piece for the bureau, while
each of its units counts it in its own figures). Under the office's own 考核办法 the period's
points and persons' points are the scheme's (`scheme_month.Tally.unit_period`), and the figures
carry the 约稿 and 事件 of the period for the circular.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.errors import PipelineError
from pipeline.core.months import is_quarter_end, month_key, next_month, parse_month, previous_month, quarter_of
from pipeline.plan.plan import Plan
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scheme_month as SM
from pipeline.scoring import scoring
from pipeline.scoring.instructions_risen import instruction_ladder, new_instructions
from pipeline.scoring.year_counts import plan_levels

QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")

# Columns of the period's unit figures (`Figures.period_units`).
SENT = "sent"
ADOPTED = "adopted"
ADOPTED_OF_SENT = "adopted_of_sent"  # of the period's SENT pieces, those adopted by its end (采用率)
ADOPTIONS = "adoptions"
POINTS = "points"

# Columns of the pieces shown by name (`Figures.adoptions`, `Figures.instructed`).
TITLE = "title"
UNIT_NAMES = "units"
AUTHORS = "authors"
OUTLET = "outlet"
LEVEL = "level"
DATE = "date"
ASSESSED = "assessed"


class BadQuarter(PipelineError):
    """季度“{value}”格式不对，应为 YYYYQn，例如 2025Q1。"""

    exit_code = 2


class PeriodNotProcessed(PipelineError):
    """无法生成{period}的通报：{months} 尚未处理。请先运行 python run.py --month {last}（会自动补处理此前的月份），再生成通报。"""

    exit_code = 8


@dataclass(frozen=True)
class Period:
    """A quarter (three months) or a single month of one year.

    Attributes:
        year: the year.
        first: the first month's number (1..12).
        last: the last month's number (first + 2 for a quarter).
    """

    year: int
    first: int
    last: int

    @property
    def is_quarter(self) -> bool:
        return self.last != self.first

    @property
    def serial(self) -> int:
        """The quarter's number (1..4), or the month's (1..12)."""
        return quarter_of(self.last) if self.is_quarter else self.last

    @property
    def months(self) -> list[str]:
        return [month_key(self.year, m) for m in range(self.first, self.last + 1)]

    @property
    def after(self) -> str:
        """The month before the period: its figures are (after, until]."""
        return previous_month(self.months[0])

    @property
    def until(self) -> str:
        return self.months[-1]

    @property
    def name(self) -> str:
        """2025年第一季度 or 2025年5月."""
        if self.is_quarter:
            return f"{self.year}年{QUARTER_NAMES[self.serial - 1]}"
        return f"{self.year}年{self.last}月"

    @property
    def this(self) -> str:
        """How the circular's text refers to its own period: 本季度 or 本月."""
        return "本季度" if self.is_quarter else "本月"

    @property
    def folder(self) -> str:
        """The outputs folder: 2025-Q1, or the month's own 2025-05."""
        return f"{self.year}-Q{self.serial}" if self.is_quarter else self.until

    @property
    def stem(self) -> str:
        """The circular's file name without suffix."""
        return "季度通报" if self.is_quarter else "月度通报"

    def previous(self) -> Period:
        """The period just before: the previous quarter or month, across a year's start."""
        if not self.is_quarter:
            year, month = parse_month(previous_month(self.until))
            return Period(year, month, month)
        if self.first == 1:
            return Period(self.year - 1, 10, 12)
        return Period(self.year, self.first - 3, self.last - 3)

    def year_before(self) -> Period:
        """The same period of the previous year."""
        return Period(self.year - 1, self.first, self.last)


def quarter(text: str) -> Period:
    """ "2025Q1" (or 2025-Q1, 2025q1) → the quarter; raises BadQuarter for anything else."""
    found = _QUARTER.match(str(text).strip())
    if not found:
        raise BadQuarter(value=text)
    year, number = int(found[1]), int(found[2])
    return Period(year, 3 * number - 2, 3 * number)


def single_month(month: str) -> Period:
    """ "2025-05" → that month as a period."""
    year, number = parse_month(month)
    return Period(year, number, number)


def quarter_ending(month: str) -> Period | None:
    """The quarter whose last month is `month` (03, 06, 09, 12), else None."""
    year, number = parse_month(month)
    return Period(year, number - 2, number) if is_quarter_end(number) else None


def require_processed(period: Period, processed: list[str]) -> None:
    """Raises PeriodNotProcessed naming the period's months the ledger does not hold."""
    missing = [m for m in period.months if m not in set(processed)]
    if missing:
        raise PeriodNotProcessed(period=period.name, months="、".join(missing), last=period.until)


def has_months(period: Period, processed: list[str]) -> bool:
    return all(m in set(processed) for m in period.months)


def year_known_by(year: int, returns: pd.DataFrame, deadline_day: int) -> dt.date:
    """`known_by` of the whole year: the year circular's default 成文日期."""
    day = dt.date(year + 1, 1, deadline_day)
    came = pd.to_datetime(returns.loc[returns[L.MONTH].str.startswith(f"{year}-"), L.SUBMITTED_ON]).dropna()
    return max(day, came.max().date()) if len(came) else day


def known_by(period: Period, returns: pd.DataFrame, deadline_day: int) -> dt.date:
    """The first day on which everything a circular of `period` states was known: the forms'
    deadline (day 报送截止日 of the month after the period) or, when later, the day the last
    accepted form of the period's months came in. The default 成文日期, so that a past period
    rendered later (a catch-up) is dated when its forms were in, not on the day the program runs."""
    year, number = parse_month(next_month(period.until))
    day = dt.date(year, number, deadline_day)
    mine = returns[returns[L.MONTH].isin(period.months)]
    came = pd.to_datetime(mine[L.SUBMITTED_ON]).dropna()
    return max(day, came.max().date()) if len(came) else day


# --- Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """The bureau's counts of a period, each piece once.

    Attributes:
        sent: pieces whose 报送 counts in the period (报送数).
        adopted: pieces whose (first) 采用 counts in the period (采用数).
        adopted_of_sent: of the `sent` pieces, those adopted by the period's end.
        adoptions: adoptions first reported in the period (采用条次).
        by_level: 采用条次 by 采用级别, highest level first.
        instructed: pieces that received a (higher) 领导批示 in the period.
        late_sent: of the `sent` pieces, those sent before the period (补报).
        late_adoptions: of the `adoptions`, those dated before the period's months they were
            reported in (补报).
    """

    sent: int
    adopted: int
    adopted_of_sent: int
    adoptions: int
    by_level: dict[str, int]
    instructed: int
    late_sent: int = 0
    late_adoptions: int = 0

    @property
    def rate(self) -> float:
        """采用率 (采发率): of the pieces sent in the period, the share adopted by its end (never
        above 1), NaN when nothing was sent."""
        return self.adopted_of_sent / self.sent if self.sent else float("nan")


# Gives a period's totals kept from an earlier run, else counts them with the function given and
# keeps them (`reports.period_outputs` keeps them in the ledger; figures of the months up to the
# period's end, dropped when one of those months is replaced).
TotalsKeeper = Callable[["Period", Callable[[], Totals]], Totals]


@dataclass(frozen=True)
class Figures:
    """Everything a circular states about its period.

    Attributes:
        period: the period.
        units: 月度统计's 单位统计 of the period's last month (year to date, 完成率, 进度, 排名),
            indexed by 单位代码, in its order.
        period_units: the period's SENT, ADOPTED, ADOPTED_OF_SENT, ADOPTIONS and POINTS (net of the period's
            deductions) of every roster unit, indexed by 单位代码.
        persons: each person's points of the period, indexed by (单位代码, 姓名).
        totals: the bureau's totals of the period.
        previous: the previous period's totals, None when the ledger lacks any of its months.
        year_before: the same period last year, None likewise.
        adoptions: every adoption dated in the period: TITLE, UNIT_NAMES, AUTHORS, OUTLET, LEVEL,
            DATE, ASSESSED (any unit of the piece is assessed), by date.
        instructed: the pieces that received a 领导批示 in the period: TITLE, UNIT_NAMES, AUTHORS,
            LEVEL.
        returns: 按时报送 (是/迟报/未报送) of every roster unit (rows) in each month (columns).
        happenings: under a scheme, the office's 约稿 due in the period (with their results as of
            its end) and 事件 of the period (scheme_units.HAPPENING_COLUMNS); empty otherwise.
        by_scheme: whether the plan counts by the office's own 考核办法 (a scheme).
    """

    period: Period
    units: pd.DataFrame
    period_units: pd.DataFrame
    persons: pd.Series
    totals: Totals
    previous: Totals | None
    year_before: Totals | None
    adoptions: pd.DataFrame
    instructed: pd.DataFrame
    returns: pd.DataFrame
    happenings: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    by_scheme: bool = False


def figures(
    rows: pd.DataFrame,
    returns: pd.DataFrame,
    processed: list[str],
    plan: Plan,
    period: Period,
    *,
    scored: scoring.Scores | None = None,
    keep: TotalsKeeper | None = None,
    earlier: Callable[[Period], pd.DataFrame] | None = None,
) -> Figures:
    """The figures of a period, from the ledger alone.

    Args:
        rows: the ledger's accepted rows (`Ledger.year_rows` of the period's year through its
            end, or more; months after the period are ignored).
        returns: the accepted forms of the period's year (labels.RETURN_COLUMNS).
        processed: every processed month, "YYYY-MM".
        plan: the period's year's plan.
        period: the period; all its months must have been processed.
        scored: `scoring.score_month` of the period's last month over the same `rows` and
            `returns`, when the caller just made it (a quarter's circular after its last month):
            reused, not counted again. Ignored when it scored another month.
        keep: gives a period's totals kept from an earlier run, else counts them (the function
            it is handed) and keeps them: the quarter before is then not gathered again.
        earlier: the rows a period of an earlier year is counted from (`Ledger.year_rows` of
            its year): `rows` hold of the year before only the pieces carried into this one.
            Without it `rows` must hold that year whole.

    Returns:
        The period's figures.
    """
    require_processed(period, processed)
    if scored is not None and scored.month == period.until and scored.pieces is not None:
        pieces, scores = scored.pieces, scored
    else:
        pieces = SM.gather(rows, plan, period.until)
        scores = scoring.score_month(rows, returns, processed, plan, period.until, pieces=pieces)
    values = PW.period_values(pieces, plan, period.after, period.until)
    shares = pieces.shares(plan.rules.co_written)
    authors = PN.latest_authors_of(pieces, period.until)
    period_units = _period_units(pieces, values, returns, processed, plan, period)
    persons = PN.person_points(PW.piece_points(values), shares, authors)
    happenings = pd.DataFrame()
    if plan.scheme is not None:
        # the scheme's figures of the period: differences of its years to date
        tally = SM.tally_of(pieces, plan, returns, processed)
        period_units[POINTS] = tally.unit_period(period.after, period.until, plan.units.index)[SM.POINTS]
        persons = tally.person_period(period.after, period.until)[SM.POINTS]
        happenings = SM.period_happenings(tally.happenings(period.until), period.after, period.until)
    return Figures(
        period=period,
        units=scores.units.set_index(L.UNIT_CODE, drop=False),
        period_units=period_units,
        persons=persons,
        totals=(keep or _counted)(period, lambda: totals(pieces, period, plan)),
        previous=_totals_if_held(rows, plan, period, period.previous(), processed, keep, earlier),
        year_before=_totals_if_held(rows, plan, period, period.year_before(), processed, keep, earlier),
        adoptions=_adoptions(pieces, authors, plan, period),
        instructed=_instructed(pieces, authors, plan, period),
        returns=pd.DataFrame({m: scoring.on_time(returns, plan, m) for m in period.months}),
        happenings=happenings,
        by_scheme=plan.scheme is not None,
    )


def named(rows: pd.DataFrame, plan: Plan, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`figures(rows, ..., plan, period)`'s `adoptions` and `instructed` alone: what a list of
    pieces by name needs, without the figures of every roster unit, person and return (a
    province's 月度统计 and deductions counted again, a second of its 看板's time)."""
    pieces = SM.gather(rows, plan, period.until)
    authors = PN.latest_authors_of(pieces, period.until)
    return _adoptions(pieces, authors, plan, period), _instructed(pieces, authors, plan, period)


def _period_units(
    pieces: PC.Pieces,
    values: pd.DataFrame,
    returns: pd.DataFrame,
    processed: list[str],
    plan: Plan,
    period: Period,
) -> pd.DataFrame:
    codes = plan.units.index
    counts = scoring.unit_counts(pieces, period.after, period.until).reindex(codes, fill_value=0)
    gross = pieces.credit(PW.piece_points(values), plan.rules.co_written).reindex(codes, fill_value=0.0)
    cut = scoring.deductions(pieces, returns, processed, plan, period.after, period.until)
    members = pieces.members
    adopted_of_sent = PC.adopted_of_sent(pieces, period.after, period.until)
    of_sent = members[PC.PIECE].isin(adopted_of_sent).astype(int).groupby(members[L.UNIT_CODE]).sum()
    return pd.DataFrame(
        {
            SENT: counts[OL.SENT_MONTH],
            ADOPTED: counts[OL.ADOPTED_MONTH],
            ADOPTED_OF_SENT: of_sent.reindex(codes, fill_value=0).astype(int),
            ADOPTIONS: counts[OL.ADOPTIONS_MONTH],
            POINTS: gross - cut.reindex(codes, fill_value=0.0),
        },
        index=codes,
    )


def totals(pieces: PC.Pieces, period: Period, plan: Plan | None = None) -> Totals:
    """The bureau's counts of `period` over gathered pieces (each piece once), by the plan's own
    采用级别 and 批示级别 when it has a scheme (labels.py's without a plan)."""
    levels = plan_levels(plan) if plan is not None else L.LEVELS
    dated = PC.reported_adoptions(pieces, period.after, period.until)
    counted = dated[L.LEVEL].value_counts()
    sent = PC.sent_in(pieces, period.after, period.until)
    return Totals(
        sent=int(sent.sum()),
        adopted=len(PC.adopted_pieces(pieces, period.after, period.until)),
        adopted_of_sent=len(PC.adopted_of_sent(pieces, period.after, period.until)),
        adoptions=len(dated),
        by_level={level: int(counted.get(level, 0)) for level in reversed(levels)},
        instructed=len(new_instructions(pieces, period.after, period.until, instruction_ladder(plan))),
        # The circular notes what it counts although dated before the period's first month; a
        # row dated April and reported in May is 补报 on May's receipt but inside the second quarter.
        late_sent=_dated_before(pieces.table[PC.SENT][sent], period),
        late_adoptions=_dated_before(dated[L.ADOPT_DATE], period),
    )


def _dated_before(dates: pd.Series, period: Period) -> int:
    """How many `dates` fall in a month before the period's first (a missing date in none): what
    comparing their `PC.month_of` with `period.after` counts, without writing each date's month
    as text (a province's year to date has a few hundred thousand)."""
    first_day = np.datetime64(period.months[0], "M")
    return int((dates.to_numpy(dtype="datetime64[ns]") < first_day).sum())


def _totals_if_held(
    rows: pd.DataFrame,
    plan: Plan,
    now: Period,
    period: Period,
    processed: list[str],
    keep: TotalsKeeper | None = None,
    earlier: Callable[[Period], pd.DataFrame] | None = None,
) -> Totals | None:
    """The totals of a period before `now` as its own circular had them (later rows left out),
    or None when the ledger does not hold all its months. A period of an earlier year is
    counted from `earlier(period)` when given (see `figures`)."""
    if not has_months(period, processed):
        return None

    def count() -> Totals:
        held = earlier(period) if earlier is not None and period.year < now.year else rows
        return totals(SM.gather(held, plan, period.until), period, plan)

    return (keep or _counted)(period, count)


def _counted(_period: Period, count: Callable[[], Totals]) -> Totals:
    return count()


def _piece_labels(pieces: PC.Pieces, authors: pd.DataFrame, plan: Plan, wanted: pd.Index) -> pd.DataFrame:
    """The `wanted` pieces' TITLE (its first row's), UNIT_NAMES, AUTHORS (reporting units'
    authors, first unit first) and ASSESSED, indexed by PIECE.

    Only the pieces a circular names are labelled: each label comes from the piece's own rows,
    and labelling every piece of a province's year cost tens of seconds."""
    table = pieces.table[pieces.table.index.isin(wanted)]
    rows = pieces.rows[pieces.rows[PC.PIECE].isin(wanted)]
    recipients = PN.reward_recipients(table, authors[authors[PC.PIECE].isin(wanted)])
    names = _joined_names(recipients[[PC.PIECE, PN.PERSON_NAME]].drop_duplicates())
    unit_names = {code: plan.unit_name(code) for code in {code for codes in table[PC.UNITS] for code in codes}}
    assessed = set(plan.assessed)
    return pd.DataFrame(
        {
            TITLE: rows.groupby(PC.PIECE)[L.TITLE].first(),
            UNIT_NAMES: [L.LIST_SEPARATOR.join(unit_names[code] for code in codes) for codes in table[PC.UNITS]],
            AUTHORS: names.reindex(table.index).fillna(""),
            ASSESSED: [any(code in assessed for code in codes) for codes in table[PC.UNITS]],
        },
        index=table.index,
    )


def _joined_names(named: pd.DataFrame) -> pd.Series:
    """Each piece's persons joined in the order they come, indexed by PIECE: `named` holds each
    (PIECE, 姓名) once. One join per piece, not a pandas group per piece (a province's quarter
    names a hundred thousand pieces)."""
    codes, pieces = pd.factorize(named[PC.PIECE])
    order = np.argsort(codes, kind="stable")
    people = named[PN.PERSON_NAME].to_numpy()[order]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    joined = [L.LIST_SEPARATOR.join(each) for each in np.split(people, bounds)] if len(people) else []
    return pd.Series(joined, index=pieces, dtype=named[PN.PERSON_NAME].dtype)


def _adoptions(pieces: PC.Pieces, authors: pd.DataFrame, plan: Plan, period: Period) -> pd.DataFrame:
    dated = PC.reported_adoptions(pieces, period.after, period.until)
    wanted = pd.Index(dated[PC.PIECE].unique())
    labels = _piece_labels(pieces, authors, plan, wanted).reindex(dated[PC.PIECE])
    keys = [PC.PIECE, PC.OUTLET]
    frame = pd.DataFrame(
        {
            PC.PIECE: dated[PC.PIECE].to_numpy(),
            TITLE: labels[TITLE].to_numpy(),
            UNIT_NAMES: labels[UNIT_NAMES].to_numpy(),
            AUTHORS: labels[AUTHORS].to_numpy(),
            # a scheme's adoptions are named by their catalogue outlet already
            OUTLET: _outlet_texts(pieces.rows[pieces.rows[PC.PIECE].isin(wanted)])
            .reindex(pd.MultiIndex.from_frame(dated[keys]))
            .fillna(pd.Series(dated[PC.OUTLET].to_numpy(), index=pd.MultiIndex.from_frame(dated[keys])))
            .to_numpy(),
            LEVEL: dated[L.LEVEL].to_numpy(),
            DATE: dated[L.ADOPT_DATE].to_numpy(),
            ASSESSED: labels[ASSESSED].to_numpy(),
            "_rank": dated[PC.LEVEL_RANK].to_numpy(),
        }
    )
    frame = frame.sort_values([DATE, "_rank", TITLE], ascending=[True, False, True], kind="stable")
    return frame.drop(columns="_rank").reset_index(drop=True)


def _outlet_texts(rows: pd.DataFrame) -> pd.Series:
    """The 采用载体 as typed on the listing `scoring.list_adoptions` keeps for each (piece, folded
    outlet), indexed by (PIECE, OUTLET); a piece's listings come from its own rows alone, so
    `rows` may be those of the pieces wanted only."""
    return PC.first_listings(rows).set_index([PC.PIECE, PC.OUTLET])[L.OUTLET]


def _instructed(pieces: PC.Pieces, authors: pd.DataFrame, plan: Plan, period: Period) -> pd.DataFrame:
    ladder = instruction_ladder(plan)
    levels = new_instructions(pieces, period.after, period.until, ladder)
    labels = _piece_labels(pieces, authors, plan, levels.index).reindex(levels.index)
    frame = labels[[TITLE, UNIT_NAMES, AUTHORS]].assign(**{LEVEL: levels})
    order = levels.map({level: i for i, level in enumerate(ladder)})
    return frame.assign(_rank=-order).sort_values(["_rank", TITLE], kind="stable").drop(columns="_rank")
