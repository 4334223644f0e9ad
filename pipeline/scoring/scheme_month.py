"""The month's, a period's and the year's figures when the plan describes a scheme.

`pipeline.scoring.scoring`, `periods` and `assessment` count by today's rules; when `plan.scheme`
is set they take every point, deduction, reward and 评优资格 from here instead, and here every
figure comes from `scheme_points.score_year` (docs/schemes.md). As counting.md rule 8 does for
points, the figure of a period is the difference of two year-to-date values: the year as of the
period's last month minus the year as of the month before it (nothing when that month is of the
previous year), so months add up to quarters and to the year.

The counts (报送数, 采用数, 采用条次) stay those of `pieces`: `gather` lists a scheme's adoptions
as the scheme sees them (an outlet matched to the catalogue, its level from the catalogue) so
that they count once each, in the month of the form first reporting them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core.months import previous_month, year_start
from pipeline.plan.plan import Plan
from pipeline.scoring import pieces as PC
from pipeline.scoring import scheme_adoptions
from pipeline.scoring import scheme_units as SU
from pipeline.scoring.persons import PERSON_NAME
from pipeline.scoring.scheme_points import SchemeYear, score_year

# Columns of `Tally.unit_figures` (and of `person_figures`).
POINTS = "points"  # the year's points as of the month (单位: 考核得分 of the scheme)
CUT = "cut"  # the monthly deductions in it (月度漏报 / 欠报扣分), positive
BONUS = "bonus"  # its 批示 part
REWARD = "reward"  # yuan


def gather(rows: pd.DataFrame | list[pd.DataFrame], plan: Plan, until: str) -> PC.Pieces:
    """`pieces.gather`, with the scheme's adoptions when the plan has a scheme: one per (piece,
    catalogue outlet, 采用形式), at the catalogue's level, in the month of the form first
    reporting it, with the scheme's value and reward."""
    if plan.scheme is None:
        return PC.gather(rows, plan, until)
    held = PC.identify_pieces(PC.ordered_rows(rows, until))
    table, nodes = PC.piece_table_and_nodes(held)
    found, _ = scheme_adoptions.adoptions(held, plan, plan.scheme)
    adoptions = pd.DataFrame(
        {
            PC.PIECE: found[PC.PIECE],
            PC.OUTLET: found["outlet"],
            L.CATEGORY: found[L.CATEGORY],
            L.LEVEL: found[L.LEVEL],
            L.ADOPT_DATE: found[L.ADOPT_DATE],
            PC.ADOPTED_IN: found[L.MONTH],
            PC.LATE: PC.month_of(found[L.ADOPT_DATE]) < found[L.MONTH],
            PC.LEVEL_RANK: found["rank"].astype(int),
            PC.VALUE: found["value"].astype(float),
            PC.REWARD: found["reward"].astype(float),
            L.ROW_ID: found[L.ROW_ID],
        }
    ).sort_values([PC.PIECE, PC.OUTLET], kind="stable")
    adoptions = adoptions.reset_index(drop=True)
    first_adopted = adoptions.groupby(PC.PIECE)[PC.ADOPTED_IN].min().reindex(table.index)
    return PC.Pieces.of(held, table.assign(**{PC.FIRST_ADOPTED_IN: first_adopted}), adoptions, nodes)


@dataclass
class Tally:
    """The scheme's year as of any month of the plan's year, each counted once.

    Args:
        rows: the ledger's accepted rows (months after the last one asked for are ignored).
        plan: a plan whose `scheme` is set.
        returns: the accepted forms (for 月度漏报扣分).
        processed: the months processed (the monthly deductions look at these only).
    """

    rows: pd.DataFrame
    plan: Plan
    returns: pd.DataFrame | None = None
    processed: list[str] | None = None
    _years: dict[str, SchemeYear] = field(default_factory=dict, repr=False)

    def year(self, until: str) -> SchemeYear | None:
        """The year as of the end of `until`; None for a month before the plan's year."""
        if until < f"{self.plan.year}-01":
            return None
        if until not in self._years:
            self._years[until] = score_year(self.rows, self.plan, until, self.returns, self.processed)
        return self._years[until]

    def unit_figures(self, until: str, codes: pd.Index) -> pd.DataFrame:
        """Each unit's year to date as of `until`: POINTS, CUT, BONUS (0 before the year).

        Assessed units have the scheme's 考核得分 (every per-unit rule applied); the others, which
        the scheme does not assess, their points from pieces only.
        """
        frame = pd.DataFrame(0.0, index=codes, columns=[POINTS, CUT, BONUS])
        year = self.year(until)
        if year is None:
            return frame
        by_unit = year.credits.groupby(L.UNIT_CODE)[["points", "bonus"]].sum()
        frame[POINTS] = by_unit["points"].reindex(codes).fillna(0.0)
        frame[BONUS] = by_unit["bonus"].reindex(codes).fillna(0.0)
        assessed = codes.intersection(year.units.index)
        frame.loc[assessed, POINTS] = year.units.loc[assessed, SU.U_RAW].astype(float)
        frame.loc[assessed, CUT] = -year.units.loc[assessed, SU.U_SHORTFALL].astype(float)
        return frame

    def unit_period(self, after: str, until: str, codes: pd.Index) -> pd.DataFrame:
        """`unit_figures` of the period (after, until]: as of `until` minus as of `after`."""
        return self.unit_figures(until, codes) - self.unit_figures(after, codes)

    def person_figures(self, until: str) -> pd.DataFrame:
        """Each person's year to date as of `until`: POINTS and REWARD, indexed by (单位代码, 姓名)."""
        year = self.year(until)
        index = pd.MultiIndex.from_tuples([], names=[L.UNIT_CODE, PERSON_NAME])
        if year is None or year.persons.empty:
            return pd.DataFrame({POINTS: pd.Series(dtype=float), REWARD: pd.Series(dtype=float)}, index=index)
        persons = year.persons.set_index([L.UNIT_CODE, PERSON_NAME])
        return pd.DataFrame({POINTS: persons[L.POINTS], REWARD: persons[SU.U_REWARD]}).astype(float)

    def person_period(self, after: str, until: str) -> pd.DataFrame:
        now, before = self.person_figures(until), self.person_figures(after)
        people = now.index.union(before.index, sort=False)
        return now.reindex(people).fillna(0.0) - before.reindex(people).fillna(0.0)

    def row_points(self, pieces: PC.Pieces, month: str) -> pd.Series:
        """得分 of each row of `month` (counting.md rule 13, by the scheme): each unit's gain of
        a piece in the month (its credit as of the month minus as of the month before) is spread
        over its rows of the month that first list an adoption of the piece, in proportion to
        the scheme's value of each; with none of them (a 批示, an adopted 约稿, a co-unit's
        adoption) it goes to the unit's first row of the piece in the month. A unit's row points
        add up to its points from pieces of the month (before 年度上限 and the per-unit rules).
        """
        rows = pieces.rows[pieces.rows[L.MONTH] == month]
        gain = self._credit_gain(month)
        weight = pd.Series(0.0, index=rows.index)
        year = self.year(month)
        if year is not None and not year.adoptions.empty:
            new = year.adoptions[year.adoptions[L.MONTH] == month].groupby(L.ROW_ID)["value"].sum()
            weight = rows[L.ROW_ID].map(new).fillna(0.0).astype(float)
        keys = [rows[L.UNIT_CODE], rows[L.PIECE_KEY]]
        total = weight.groupby(keys).transform("sum")
        first = ~rows.sort_values(L.ROW_ID, kind="stable").duplicated([L.UNIT_CODE, L.PIECE_KEY]).reindex(rows.index)
        portion = np.where(total > 0, weight / total.where(total > 0), first.astype(float))
        unit_gain = pd.MultiIndex.from_arrays(keys).map(lambda key: gain.get(key, 0.0))
        points = np.asarray(unit_gain, dtype=float) * portion
        return pd.Series(points, index=rows[L.ROW_ID].to_numpy(), name=L.POINTS, dtype=float)

    def _credit_gain(self, month: str) -> dict[tuple[str, str], float]:
        """(单位代码, 稿件键) -> the unit's gain of its piece with that key in the month. Keyed by
        稿件键, not by piece: a piece's name changes when a co-unit's rows join it."""

        def credits(until: str) -> pd.Series:
            year = self.year(until)
            if year is None or year.credits.empty:
                return pd.Series(dtype=float)
            key = year.credits[PC.PIECE].str.split("|", n=1).str[1]
            return year.credits.groupby([year.credits[L.UNIT_CODE], key])["points"].sum()

        now = credits(month)
        before = (
            credits(previous_month(month)) if previous_month(month) != year_start(month) else pd.Series(dtype=float)
        )
        gain = now.sub(before.reindex(now.index).fillna(0.0), fill_value=0.0)
        return gain[gain != 0].to_dict()

    def row_reasons(self, month: str) -> pd.Series:
        """Why each row of `month` scored what it scored (`SchemeYear.row_notes`), by row_id."""
        year = self.year(month)
        notes = {} if year is None else {r: n for (m, r), n in year.row_notes.items() if m == month}
        return pd.Series(notes, dtype=object)

    def happenings(self, until: str) -> pd.DataFrame:
        """The year's 约稿 and 事件 results as of `until` (scheme_units.HAPPENING_COLUMNS)."""
        year = self.year(until)
        if year is None:
            return pd.DataFrame(columns=list(SU.HAPPENING_COLUMNS))
        return year.happenings


def tally_of(
    pieces: PC.Pieces, plan: Plan, returns: pd.DataFrame | None = None, processed: list[str] | None = None
) -> Tally:
    """The `Tally` of the gathered pieces' rows, made once: the month's unit figures, persons and
    row points all ask for the same years. Only the units' monthly deductions depend on the
    returns, so a caller without them (persons, rows) takes any tally already made."""
    tallies: dict = pieces.memo("scheme-tallies", dict)
    if returns is None and tallies:
        return next(iter(tallies.values()))
    key = (id(returns), tuple(processed) if processed is not None else None)
    if key not in tallies:
        tallies[key] = Tally(pieces.rows, plan, returns, processed)
    return tallies[key]


def period_happenings(happenings: pd.DataFrame, after: str, until: str) -> pd.DataFrame:
    """The happenings dated in (after, until]: 约稿 whose deadline falls in the period (with
    their result as of its end) and 事件 of the period; 待报送 ones left out."""
    months = pd.to_datetime(happenings[SU.H_DATE]).dt.strftime("%Y-%m")
    inside = (months > after) & (months <= until) & (happenings[SU.H_RESULT] != SU.PENDING)
    return happenings[inside.to_numpy(dtype=bool)].reset_index(drop=True)


def happening_text(record: dict) -> str:
    """One happening in the words of a receipt or a circular."""
    date = pd.Timestamp(record[SU.H_DATE])
    points = record[SU.H_POINTS]
    amount = f"，{'加' if points > 0 else '扣'} {SU.fmt(abs(points))} 分" if points else ""
    lost = "，取消评优资格" if record[SU.H_LOSES] else ""
    if record[SU.H_KIND] == SU.H_COMMISSION:
        due = f"（截止{date.month}月{date.day}日）"
        result = "尚未报送，请按时报送" if record[SU.H_RESULT] == SU.PENDING else record[SU.H_RESULT]
        return f"约稿 {record[SU.H_NAME]}{due}：{result}{amount}{lost}"
    note = f"（{record[SU.H_RESULT]}）" if record[SU.H_RESULT] else ""
    return f"{date.month}月{date.day}日 {record[SU.H_NAME]}{note}{amount}{lost}"


def month_lines(happenings: pd.DataFrame, month: str) -> dict[str, list[str]]:
    """What a unit's receipt of `month` says of the office's 约稿 and 事件: those dated in the
    month, and the 约稿 issued to it still to be sent (with their deadline)."""
    lines: dict[str, list[str]] = {}
    of_month = period_happenings(happenings, previous_month(month), month)
    pending = happenings[happenings[SU.H_RESULT] == SU.PENDING]
    for record in [*of_month.to_dict("records"), *pending.to_dict("records")]:
        lines.setdefault(record[SU.H_UNIT], []).append(happening_text(record))
    return lines
