"""The year's counts beyond the month statistics, for the year end: 采用条次 by level per unit,
稿件数 and 采用数 per person, the adoptions each person is paid for, and the county's totals.

Pure functions over `scoring.Pieces`, counting as `scoring` does (docs/counting.md): a piece
once, an adoption once per (piece, folded outlet), co-written pieces credited to every unit of
the piece.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import chinese_month, month_key, months_of, previous_month
from pipeline.plan.plan import Plan
from pipeline.plan.rules import RewardSplit
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC

PROVINCIAL_UP = ("省级", "国家级")
LEVELS_SHOWN = tuple(reversed(L.LEVELS))  # 国家级 first, as the office reads them
_PROVINCIAL_WORDS = ("省", "国", "中央", "中办")


def plan_levels(plan: Plan) -> tuple[str, ...]:
    """The plan's 采用级别, lowest first: its scheme's own names when it has a scheme."""
    return plan.scheme.vocabulary.levels if plan.scheme is not None else L.LEVELS


def shown_levels(plan: Plan) -> tuple[str, ...]:
    """`plan_levels`, highest first, as the office reads them (LEVELS_SHOWN without a scheme)."""
    return tuple(reversed(plan_levels(plan)))


def provincial_levels(plan: Plan) -> tuple[str, ...]:
    """The levels counted as 省级以上: PROVINCIAL_UP; under a scheme, its levels whose names say
    省, 国 or 中央 (省级以上, 省委省政府, 国家级, 中办国办)."""
    if plan.scheme is None:
        return PROVINCIAL_UP
    return tuple(level for level in plan_levels(plan) if any(word in level for word in _PROVINCIAL_WORDS))


def level_label(level: str) -> str:
    """The column of a level's 采用条次 (and, in 奖励发放, 采用篇次)."""
    return f"{level}{OL.YEAR_ADOPTIONS}"


@dataclass(frozen=True)
class Totals:
    """The county's figures of the year (a piece co-written by several units counts once).

    Attributes:
        sent: pieces whose 报送 counts in the year; adopted: pieces whose 采用 counts in the year;
        adoptions: 采用条次 of the year; provincial: pieces first adopted at 省级 or above in the
        year (each in the month of the form that first reports it: docs/counting.md).
        by_category: 报送数, 采用数, 采用条次 by 稿件类别.
        by_level: 采用数 and 采用条次 by 采用级别 (国家级 first).
        by_month: 报送数, 采用数, 采用条次 and 省级以上采用数 by month.
        adopted_of_sent: of the `sent` pieces, those adopted by the year's end (采用率).
    """

    sent: int
    adopted: int
    adoptions: int
    provincial: int
    by_category: pd.DataFrame
    by_level: pd.DataFrame
    by_month: pd.DataFrame
    adopted_of_sent: int

    @property
    def rate(self) -> float:
        """采用率 (采发率): of the pieces sent in the year, the share adopted by its end (never
        above 1), NaN when nothing was sent."""
        return self.adopted_of_sent / self.sent if self.sent else float("nan")

    def sentence(self) -> str:
        """The year's totals in the words the reports use."""
        return f"全年共报送信息{self.sent}篇，被采用{self.adopted}篇，其中省级以上{self.provincial}篇"


def unit_levels(pieces: PC.Pieces, after: str, until: str, levels: tuple[str, ...] = L.LEVELS) -> pd.DataFrame:
    """采用条次 of the period by 采用级别, credited to every unit of the piece (as
    `scoring.unit_counts`, whose 采用条次 they add up to).

    Returns:
        A frame indexed by 单位代码 with one column per level of `levels`.
    """
    dated = PC.reported_adoptions(pieces, after, until)
    per_piece = _by_level(dated, dated[PC.PIECE], levels)
    members = pieces.members
    counts = per_piece.reindex(members[PC.PIECE]).fillna(0).astype(int).set_axis(members.index)
    return counts.groupby(members[L.UNIT_CODE]).sum()


def person_counts(pieces: PC.Pieces, after: str, until: str, authors: pd.DataFrame | None = None) -> pd.DataFrame:
    """稿件数 and 采用数 of the period per person: the pieces whose 报送, and the pieces whose
    采用, counts in the period, of which the person is an author on their unit's latest
    row (as for points). `authors`: `persons.latest_authors(pieces.rows, until)`, when the
    caller holds it.

    Returns:
        A frame indexed by (单位代码, 姓名) with OL.YEAR_PIECES and OL.YEAR_ADOPTED.
    """
    authors = PN.latest_authors_of(pieces, until) if authors is None else authors
    sent = PC.sent_pieces(pieces, after, until)
    adopted = PC.adopted_pieces(pieces, after, until)
    keys = [authors[L.UNIT_CODE], authors[PN.PERSON_NAME]]
    return pd.DataFrame(
        {
            OL.YEAR_PIECES: authors[PC.PIECE].isin(sent).astype(int).groupby(keys).sum(),
            OL.YEAR_ADOPTED: authors[PC.PIECE].isin(adopted).astype(int).groupby(keys).sum(),
        }
    )


def paid_adoptions(
    pieces: PC.Pieces, plan: Plan, after: str, until: str, authors: pd.DataFrame | None = None
) -> pd.DataFrame:
    """采用篇次 by level of the adoptions whose 奖励金额 each person shares in: the adoptions
    that count under 多级采用计分, dated in the period, of pieces the person is a reward
    recipient of (every recipient under 均分, the first under 第一作者). `authors`:
    `persons.latest_authors(pieces.rows, until)`, when the caller holds it.

    Returns:
        A frame indexed by (单位代码, 姓名) with one column per level of `plan_levels(plan)`.
    """
    counted = PW.counting_adoptions(pieces.adoptions, plan.rules.multi_level, until)
    counted = counted[counted[PC.ADOPTED_IN] > after]
    authors = PN.latest_authors_of(pieces, until) if authors is None else authors
    recipients = PN.reward_recipients(pieces.table, authors)
    if plan.rules.reward_split is RewardSplit.FIRST_AUTHOR:
        recipients = recipients.drop_duplicates(PC.PIECE, keep="first")
    paid = recipients.merge(counted[[PC.PIECE, L.LEVEL]], on=PC.PIECE, how="inner")
    return _by_level(paid, [paid[L.UNIT_CODE], paid[PN.PERSON_NAME]], plan_levels(plan))


def _by_level(frame: pd.DataFrame, by: pd.Series | list[pd.Series], levels: tuple[str, ...]) -> pd.DataFrame:
    """How many rows of `frame` each group of `by` has at each level of `levels` (a column each,
    in that order): `pd.crosstab(by, frame[L.LEVEL])` with the columns of `levels`, counted by
    sums of booleans (crosstab counts group by group in Python: seconds a province)."""
    found = frame[L.LEVEL].to_numpy()
    hits = pd.DataFrame({level: found == level for level in levels}, index=frame.index, columns=list(levels))
    return hits.groupby(by).sum()


def county_totals(
    pieces: PC.Pieces, after: str, until: str, provincial_up: tuple[str, ...] = PROVINCIAL_UP
) -> tuple[int, int, int, int]:
    """(报送数, 采用数, 采用条次, 省级以上采用数) of the period over the whole county, each piece
    once, in the month of the form that first reports it (a piece's 省级以上 in the month its first
    adoption at 省级 or above was reported), so months add up to the year."""
    return periods_totals(pieces, [(after, until)], provincial_up)[0]


def periods_totals(
    pieces: PC.Pieces, periods: list[tuple[str, str]], provincial_up: tuple[str, ...] = PROVINCIAL_UP
) -> list[tuple[int, int, int, int]]:
    """`county_totals` of each period (after, until] of `periods`, counted together: the pieces'
    and adoptions' months are few distinct texts, each compared with a period's bounds once."""
    high = pieces.adoptions[pieces.adoptions[L.LEVEL].isin(provincial_up)]
    months = (
        pieces.table[PC.SENT_IN],  # PC.sent_pieces
        pieces.table[PC.FIRST_ADOPTED_IN],  # PC.adopted_pieces
        pieces.adoptions[PC.ADOPTED_IN],  # PC.reported_adoptions
        PC.earliest(high[PC.ADOPTED_IN], high[PC.PIECE]),  # each piece's first at 省级 or above
    )
    counted = [_in_periods(column, periods) for column in months]
    return [tuple(column[i] for column in counted) for i in range(len(periods))]


def _in_periods(months: pd.Series, periods: list[tuple[str, str]]) -> list[int]:
    """How many of `months` fall in each period, as `PC.in_period` has it (a missing one in none)."""
    codes, distinct = pd.factorize(months.array)
    each = np.bincount(codes[codes >= 0], minlength=len(distinct))
    distinct = pd.Series(distinct, dtype=months.dtype)
    return [int(each[PC.in_period(distinct, after, until).to_numpy(dtype=bool)].sum()) for after, until in periods]


def year_totals(pieces: PC.Pieces, year: int, plan: Plan | None = None) -> Totals:
    """The county's figures of `year`, in total, by category, by level and by month (the plan's
    own categories and levels when it has a scheme)."""
    categories = plan.scheme.vocabulary.categories if plan is not None and plan.scheme is not None else L.CATEGORIES
    shown = shown_levels(plan) if plan is not None else LEVELS_SHOWN
    provincial_up = provincial_levels(plan) if plan is not None else PROVINCIAL_UP
    start, end = month_key(year - 1, 12), month_key(year, 12)
    first_rows = pieces.rows.drop_duplicates(PC.PIECE, keep="first").set_index(PC.PIECE)[L.CATEGORY]
    dated = PC.reported_adoptions(pieces, start, end)
    category = pd.DataFrame(
        {
            OL.YEAR_SENT: first_rows.reindex(PC.sent_pieces(pieces, start, end)).value_counts(),
            OL.YEAR_ADOPTED: first_rows.reindex(PC.adopted_pieces(pieces, start, end)).value_counts(),
            OL.YEAR_ADOPTIONS: dated[L.CATEGORY].value_counts(),
        }
    )
    category = category.reindex(list(categories)).fillna(0).astype(int).rename_axis(L.CATEGORY).reset_index()
    # a piece counts at a level once, in the month its first adoption at that level was reported
    by_level = pieces.adoptions.sort_values(PC.ADOPTED_IN, kind="stable").drop_duplicates([PC.PIECE, L.LEVEL])
    level = pd.DataFrame(
        {
            OL.YEAR_ADOPTED: by_level.loc[PC.in_period(by_level[PC.ADOPTED_IN], start, end), L.LEVEL].value_counts(),
            OL.YEAR_ADOPTIONS: dated[L.LEVEL].value_counts(),
        }
    )
    level = level.reindex(list(shown)).fillna(0).astype(int).rename_axis(L.LEVEL).reset_index()
    months = months_of(year)
    *monthly, whole = periods_totals(pieces, [*((previous_month(m), m) for m in months), (start, end)], provincial_up)
    by_month = pd.DataFrame(monthly, columns=[OL.YEAR_SENT, OL.YEAR_ADOPTED, OL.YEAR_ADOPTIONS, OL.PROVINCIAL])
    by_month.insert(0, L.MONTH, [chinese_month(m) for m in months])
    sent, adopted, adoptions_count, provincial = whole
    of_sent = len(PC.adopted_of_sent(pieces, start, end))
    return Totals(sent, adopted, adoptions_count, provincial, category, level, by_month, of_sent)
