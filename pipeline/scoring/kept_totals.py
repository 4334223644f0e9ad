"""A period's totals (`periods.totals`), kept in the ledger's derived figures once counted, under
the plan and the program they were counted with: a quarter's circular and 看板 compare with the
quarter before and the same quarter last year without gathering those again. Replacing one of
the period's months drops them (`Ledger.keep_derived`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pipeline import ledger
from pipeline.core import labels as L
from pipeline.files import program
from pipeline.plan.plan import Plan
from pipeline.scoring import periods

KIND = "看板季度"  # the name 看板, which kept them first, gave them


def keeper(store: ledger.Ledger, plan: Plan) -> periods.TotalsKeeper:
    """The totals of a period as `store` keeps them, else counted with the function given and kept.

    A period of an earlier year is first looked for as its own year's circular kept it, under
    that year's plan (its file beside this one): a second year's first quarter compares with
    the first year's without reading and counting that year again."""
    key = program.figures_key(plan.year, plan.source)

    def keys(period: periods.Period) -> list[str]:
        own = Path(plan.source).with_name(L.PLAN_FILE.format(year=period.year))
        earlier = period.year != plan.year and own.is_file()
        return [program.figures_key(period.year, own), key] if earlier else [key]

    def keep(period: periods.Period, count: Callable[[], periods.Totals]) -> periods.Totals:
        for each in keys(period):
            kept = store.derived(period.until, KIND, each)
            if kept is not None:
                return periods.Totals(**kept)
        counted = count()
        store.keep_derived(period.until, KIND, key, dataclasses.asdict(counted))
        return counted

    return keep
