"""Every figure 看板.html shows, from the ledger through the scoring stage's own functions.

Nothing here counts anew. A month's unit figures are `scoring.unit_statistics` over
`scheme_month.gather` and `PW.gains` of that month, the very calls `scoring.score_month` makes for
月度统计's 单位统计, so the page's figures equal the workbook's by construction; 个人统计 and
未报送单位 of the latest month are `scoring.person_statistics` and `scoring.missing_returns`; the
bureau's totals of a month or a quarter are `periods.totals`, and the named pieces
(省级 and above, 领导批示) are `periods.figures`' lists of the year to date (`periods.named`), as
the circulars have them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline import ledger
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import month_key, parse_month
from pipeline.files import program
from pipeline.plan.plan import Plan
from pipeline.scoring import kept_totals, periods, scheme_month, scoring
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring.year_counts import provincial_levels, shown_levels

# The levels a leader asks about by name ("省级以上").
HIGH_LEVELS = L.LEVELS[L.LEVELS.index("省级") :]

# Columns of the units table, exactly 月度统计's 单位统计 (UNIT_COLUMNS), in its order.
UNIT_COLUMNS = list(scoring.UNIT_COLUMNS)
PERSON_COLUMNS = [L.UNIT_CODE, L.UNIT_NAME, PN.PERSON_NAME, OL.POINTS_YTD, OL.REWARD_YTD]
MISSING_COLUMNS = list(scoring.MISSING_COLUMNS)


def latest_month(store: ledger.Ledger, year: int) -> str | None:
    """The year's latest processed month: the page shows the year as far as the ledger holds it
    (a correction of March after December was processed refreshes December too)."""
    months = store.processed_months(year=year)
    return months[-1] if months else None


def page_data(
    store: ledger.Ledger,
    plan: Plan,
    month: str,
    *,
    rows: pd.DataFrame | None = None,
    scored: scoring.Scores | None = None,
) -> dict[str, Any]:
    """The page's data as plain JSON-ready values, as of the end of `month`.

    Each earlier month's figures (its units' trend, levels, categories, totals) and each whole
    quarter's totals are kept in the ledger (`Ledger.keep_derived`) and reused while that month
    and those before it are unchanged, under the same plan and program: counting every month of
    the year again cost a province seconds per month processed.

    Args:
        store: the ledger.
        plan: the year's plan (the one the months were scored under).
        month: the latest processed month of the year, "YYYY-MM".
        rows: `Ledger.year_rows` of the year through `month`, when the caller holds them (read
            from the ledger otherwise).
        scored: `scoring.score_month` of `month` over `rows`, when the caller just made it: its
            pieces, units, persons and missing returns are the page's, not counted again.
    """
    year, last = parse_month(month)
    if rows is None:
        # The same history and months flow.py scores a month with.
        rows = store.year_rows(year, month, without=scoring.UNREAD_COLUMNS)
    returns = store.returns(year=year)
    processed = store.processed_months(year=year)
    months = [m for m in processed if m <= month]
    key = program.figures_key(year, plan.source)

    # The latest month's pieces: its units, persons and named pieces are shown in full.
    reuse = scored is not None and scored.month == months[-1] == month and scored.pieces is not None
    if reuse:
        pieces, gained, units = scored.pieces, scored.gained, scored.units
    else:
        pieces = scheme_month.gather(rows, plan, months[-1])
        gained = PW.gains(pieces, plan, months[-1])
        units = scoring.unit_statistics(pieces, gained, returns, processed, plan, months[-1])
    by_month = []
    for m in months:
        kept = store.derived(m, _MONTH_FIGURES, key)
        if kept is None:
            kept = _month_figures(rows, returns, processed, plan, m) if m != months[-1] else None
            kept = kept or _figures_of(pieces, units, m, plan)
            store.keep_derived(m, _MONTH_FIGURES, key, kept)
        by_month.append(kept)
    trend: dict[str, dict[str, list[Any]]] = {}
    for m, kept in zip(months, by_month, strict=True):
        _add_trend(trend, kept["trend"], m)
    if reuse:
        persons, missing = scored.persons, scored.missing
    else:
        persons = scoring.person_statistics(pieces, gained, plan, month)
        missing = scoring.missing_returns(returns, plan, month)
    named = periods.Period(year, _first_of_run(months, last), last)
    listed = _named_pieces(rows, plan, named, pieces)

    return {
        "bureau": plan.bureau_name(),
        "year": year,
        "asOf": month,
        "monthNumber": last,
        "months": months,
        "unitCategories": list(L.UNIT_CATEGORIES),
        "unitColumns": UNIT_COLUMNS,
        "units": _records(units, UNIT_COLUMNS),
        "trend": trend,
        "levels": list(shown_levels(plan)),
        "levelsByMonth": [[kept["levels"][level] for level in shown_levels(plan)] for kept in by_month],
        "categories": list(L.CATEGORIES),
        "categoriesByMonth": [[kept["categories"].get(c, 0) for c in L.CATEGORIES] for kept in by_month],
        "totalsByMonth": [kept["totals"] for kept in by_month],
        "yearToDate": _totals(periods.totals(pieces, named, plan)) | {"from": named.first},
        "high": _high_adoptions(listed[0], provincial_levels(plan))[:NAMED_AT_MOST] if listed else [],
        "highTotal": len(_high(pieces, named, plan)),
        "instructed": _instructed(listed, pieces)[:NAMED_AT_MOST] if listed else [],
        "quarter": _quarter(store, rows, plan, pieces, last, year),
        "personColumns": PERSON_COLUMNS,
        "persons": _records(persons, PERSON_COLUMNS),
        "missingColumns": MISSING_COLUMNS,
        "missing": _records(missing, MISSING_COLUMNS),
        "plan": {"file": plan.source.name, "sha256": program.plan_digest(plan.source)},
    }


_MONTH_FIGURES = "看板月度"


def _month_figures(
    rows: pd.DataFrame, returns: pd.DataFrame, processed: list[str], plan: Plan, month: str
) -> dict[str, Any]:
    """A month's figures as its 月度统计 has them, counted anew."""
    pieces = scheme_month.gather(rows, plan, month)
    units = scoring.unit_statistics(pieces, PW.gains(pieces, plan, month), returns, processed, plan, month)
    return _figures_of(pieces, units, month, plan)


def _figures_of(pieces: PC.Pieces, units: pd.DataFrame, month: str, plan: Plan) -> dict[str, Any]:
    """The month's trend rows (单位代码, 本月报送数, 本月采用数, 本月得分, 按时报送), its 采用条次 by
    level and by category, and its totals, as JSON values."""
    bureau = periods.totals(pieces, periods.single_month(month), plan)
    trend = zip(
        units[L.UNIT_CODE],
        units[OL.SENT_MONTH],
        units[OL.ADOPTED_MONTH],
        units[OL.POINTS_MONTH],
        units[OL.ON_TIME],
        strict=True,
    )
    return {
        "trend": [
            [str(code), int(sent), int(adopted), _plain(points), str(on_time)]
            for code, sent, adopted, points, on_time in trend
        ],
        "levels": bureau.by_level,
        "categories": _adoptions_by_category(pieces, month),
        "totals": {"sent": bureau.sent, "adopted": bureau.adopted, "adoptions": bureau.adoptions},
    }


# The pieces at 省级 or above, and those with a 领导批示, the page names at most (each list): the
# newest; the page says how many there are in all.
NAMED_AT_MOST = 200


def _named_pieces(
    rows: pd.DataFrame, plan: Plan, period: periods.Period, pieces: PC.Pieces
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """`periods.named` (the adoptions and instructed pieces of `periods.figures`) of the period
    over the rows of the pieces the page names: those with an adoption at 省级 or above dated in
    the period, and those with a 领导批示 on any row.

    Everything `periods.figures` says about a piece (title, units, authors, outlets, dates, the
    instruction that rose) comes from that piece's own rows, and a piece is the same piece among
    its own rows as among all, so its lists are those of the whole ledger; labelling every piece
    of a province's ledger instead cost tens of seconds. None when the page names no piece.
    """
    high = _high(pieces, period, plan)
    held = pieces.rows
    instructed = held[~held[L.INSTRUCTION].isin(["", L.NO_INSTRUCTION])]
    # A province's year has tens of thousands of each: the page names the newest, and its note
    # gives the count and says where the rest are (`NAMED_AT_MOST`).
    newest = high.sort_values([L.ADOPT_DATE, PC.ADOPTED_IN], ascending=False, kind="stable")[PC.PIECE]
    instructed = instructed[instructed[L.MONTH] > period.after].sort_values(L.MONTH, ascending=False, kind="stable")
    chosen = set(newest.drop_duplicates().head(NAMED_AT_MOST)) | set(
        instructed[PC.PIECE].drop_duplicates().head(NAMED_AT_MOST)
    )
    named = held[held[PC.PIECE].isin(chosen)]
    if named.empty:
        return None
    if rows is not held:  # the pieces' rows are the rows themselves when the month's scores are reused
        keys = pd.MultiIndex.from_frame(named[[L.MONTH, L.ROW_ID]])
        named = rows[pd.MultiIndex.from_frame(rows[[L.MONTH, L.ROW_ID]]).isin(keys)]
    return periods.named(named, plan, period)


def _add_trend(trend: dict[str, dict[str, list[Any]]], rows: list[list[Any]], month: str) -> None:
    """Appends each unit's month (本月报送数, 本月采用数, 本月得分, 按时报送) to its series."""
    for code, sent, adopted, points, on_time in rows:
        series = trend.setdefault(code, {"month": [], "sent": [], "adopted": [], "points": [], "onTime": []})
        series["month"].append(month)
        series["sent"].append(sent)
        series["adopted"].append(adopted)
        series["points"].append(points)
        series["onTime"].append(on_time)


def _first_of_run(months: list[str], last: int) -> int:
    """The first month of the unbroken run of processed months ending with `last`: a period's
    figures need every month of it (a month whose folder never came is left out, with those
    before it)."""
    held = {int(m[5:]) for m in months}
    first = last
    while first - 1 in held:
        first -= 1
    return first


def _totals(counted: periods.Totals) -> dict[str, Any]:
    return {
        "sent": counted.sent,
        "adopted": counted.adopted,
        "adoptions": counted.adoptions,
        "rate": _plain(counted.rate),
        "byLevel": counted.by_level,
        "instructed": counted.instructed,
    }


def _adoptions_by_category(pieces: PC.Pieces, month: str) -> dict[str, int]:
    """采用条次 dated in `month` by 稿件类别: the adoptions `periods.totals` counts by level."""
    adoptions = pieces.adoptions
    dated = adoptions[adoptions[PC.ADOPTED_IN] == month]
    return {str(k): int(v) for k, v in dated[L.CATEGORY].value_counts().items()}


def _high(pieces: PC.Pieces, period: periods.Period, plan: Plan) -> pd.DataFrame:
    """The period's adoptions (条次) at 省级 or above, all of them."""
    adoptions = pieces.adoptions
    return adoptions[
        adoptions[L.LEVEL].isin(provincial_levels(plan))
        & (adoptions[PC.ADOPTED_IN] > period.after)
        & (adoptions[PC.ADOPTED_IN] <= period.until)
    ]


def _high_adoptions(adoptions: pd.DataFrame, high_levels: tuple[str, ...] = HIGH_LEVELS) -> list[dict[str, Any]]:
    """The year's adoptions at 省级 and above, newest first: title, units, authors, outlet, level, date."""
    high = adoptions[adoptions[periods.LEVEL].isin(high_levels)].iloc[::-1]
    return [
        {
            "title": str(row[periods.TITLE]),
            "units": str(row[periods.UNIT_NAMES]),
            "authors": str(row[periods.AUTHORS]),
            "outlet": str(row[periods.OUTLET]),
            "level": str(row[periods.LEVEL]),
            "date": _date(row[periods.DATE]),
        }
        for _, row in high.iterrows()
    ]


def _instructed(year_to_date: tuple[pd.DataFrame, pd.DataFrame], pieces: PC.Pieces) -> list[dict[str, Any]]:
    """The pieces that received a 领导批示 this year (`periods.named` of the year to date):
    title, units, level, the month a form first reported it (the form has no date of its own
    for an instruction), and the piece's outlets of the year."""
    adoptions, instructed = year_to_date
    outlets = adoptions.groupby(PC.PIECE)[periods.OUTLET].agg(lambda texts: L.LIST_SEPARATOR.join(dict.fromkeys(texts)))
    rows = pieces.rows[pieces.rows[PC.PIECE].isin(instructed.index)]
    reported = PC.earliest(rows[L.MONTH], [rows[PC.PIECE], rows[L.INSTRUCTION]])
    return [
        {
            "title": str(item[periods.TITLE]),
            "units": str(item[periods.UNIT_NAMES]),
            "authors": str(item[periods.AUTHORS]),
            "level": str(item[periods.LEVEL]),
            "month": str(reported.get((piece, item[periods.LEVEL]), "")),
            "outlet": str(outlets.get(piece, "")),
        }
        for piece, item in instructed.iterrows()
    ]


def _quarter(
    store: ledger.Ledger, rows: pd.DataFrame, plan: Plan, pieces: PC.Pieces, last: int, year: int
) -> dict[str, Any] | None:
    """The latest whole quarter against the quarter before and the same quarter last year, each
    as its circular counts it (None for a comparison the ledger lacks months of), kept as the
    circulars keep them (`kept_totals`). `pieces` are those gathered at month `last`."""
    if last < 3:
        return None
    quarter = periods.quarter(f"{year}Q{last // 3}")
    processed = store.processed_months()
    keep = kept_totals.keeper(store, plan)

    def held(period: periods.Period) -> dict[str, Any] | None:
        if not periods.has_months(period, processed):
            return None

        def count() -> periods.Totals:
            if period.until == month_key(year, last):
                return periods.totals(pieces, period, plan)
            # `rows` hold of the year before only the pieces carried into this one
            held = (
                rows
                if period.year == year
                else store.year_rows(period.year, period.until, without=scoring.UNREAD_COLUMNS)
            )
            return periods.totals(scheme_month.gather(held, plan, period.until), period, plan)

        return {"name": period.name} | _totals(keep(period, count))

    return {"now": held(quarter), "previous": held(quarter.previous()), "yearBefore": held(quarter.year_before())}


def _records(frame: pd.DataFrame, columns: list[str]) -> list[list[Any]]:
    return [[_plain(value) for value in row] for row in frame[columns].itertuples(index=False, name=None)]


def _plain(value: Any) -> Any:
    """A JSON value: NaN or NA (no target, no rank, a blank cell) becomes null, numpy numbers
    plain numbers."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _date(value: Any) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")
