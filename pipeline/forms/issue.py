"""Issuing a month's forms: which plan they follow, each unit's still-unadopted pieces carried
over from the ledger, and for a big roster the forms written in a process of their own while the
month is scored. Used by the month's run (`flow`) and by `run.py --forms`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import ledger
from pipeline.checks import cross_month
from pipeline.core import labels as L
from pipeline.core.months import month_key, parse_month, previous_month
from pipeline.files import faults, parallel, workspace
from pipeline.forms import form_copies, forms
from pipeline.plan.plan import Plan, load_plan
from pipeline.scoring import assessment

CARRY_MONTHS = 6


def issue_forms(
    inputs: Path, outputs: Path, month: str, *, plan: Plan | None = None, progress: Callable[..., None] | None = None
) -> list[Path]:
    """Writes the blank forms for `month` (with each unit's still-unadopted pieces carried over
    from the ledger, when there is one). The roster is that of the month's own plan, else of
    the `plan` given (the processed month's), else of the previous year's plan."""
    with faults.said(inputs, outputs), workspace.outputs_session(Path(outputs)):
        return issue_month_forms(inputs, outputs, month, plan=plan, progress=progress)


def missing_plan_year(inputs: Path, month: str) -> int | None:
    """The year of `month` when its plan does not exist (forms for it follow last year's plan)."""
    year, _ = parse_month(month)
    return None if (Path(inputs) / L.PLAN_FILE.format(year=year)).is_file() else year


def issue_month_forms(
    inputs: Path, outputs: Path, month: str, *, plan: Plan | None = None, progress: Callable[..., None] | None = None
) -> list[Path]:
    """`month`'s forms under the plan they follow (`forms_plan`), inside a run that already holds
    the outputs folder."""
    line = f"生成 {month} 报送表"
    tick = (lambda done, total: progress(line, done=done, total=total)) if progress else None
    return write_forms_from_ledger(forms_plan(inputs, month, plan), outputs, month, tick=tick)


def forms_plan(inputs: Path, month: str, plan: Plan | None) -> Plan:
    """The plan `month`'s forms follow: the month's own, else `plan`, else last year's."""
    year, _ = parse_month(month)
    if (Path(inputs) / L.PLAN_FILE.format(year=year)).is_file():
        return plan if plan is not None and plan.year == year else load_plan(inputs, year)
    return plan if plan is not None else load_plan(inputs, year - 1)


def write_forms_from_ledger(
    plan: Plan,
    outputs: Path,
    month: str,
    *,
    tick: Callable[[int, int], None] | None = None,
    one_process: bool = False,
    held: HeldRows | None = None,
    checked: bool = False,
) -> list[Path]:
    """`month`'s forms, each unit's still-unadopted pieces carried over from the ledger (from
    `held`, the run's own rows, where they serve). `checked`: the run that forked this process
    checked the ledger (`Ledger(checked=…)`)."""
    carried: dict[str, list[dict[str, Any]]] = {}
    store_path = Path(outputs) / ledger.STORE_FILE
    if store_path.is_file():
        with ledger.Ledger(store_path, checked=checked) as store:
            carried = carried_pieces(store, month, held)
            plan = with_latest_heads(plan, store, month)
    return form_copies.write_forms(plan, month, Path(outputs), carried, tick=tick, one_process=one_process)


@dataclasses.dataclass(frozen=True)
class HeldRows:
    """The ledger's rows a run holds already (`Ledger.rows`, in its order): every row of the
    months from `since` through `through` (and perhaps some of earlier months, as
    `Ledger.year_rows` holds the year before's: carrying reads those months from the ledger),
    with the columns scoring reads (of `CARRY_READS`, those it lacks are read for the pieces
    carried alone: `carried_pieces`)."""

    rows: pd.DataFrame
    since: str
    through: str


def carried_pieces(store: ledger.Ledger, month: str, held: HeldRows | None = None) -> dict[str, list[dict[str, Any]]]:
    """Each unit's pieces `month`'s form carries over, as form rows: `recent_rows` of
    `cross_month.carry_over_table` of `carry_rows`.

    The columns of `CARRY_COLUMNS` the rows lack (`held` holds scoring's columns) are read for
    the pieces carried alone, from the months of their latest rows: which pieces wait, and in
    which order, never depends on them. Reading them for every row of every piece listed since
    the cutoff cost a province's forms seconds."""
    rows = carry_rows(store, month, held)
    present = tuple(c for c in L.CARRY_COLUMNS if c in rows.columns)
    lacking = [c for c in L.CARRY_COLUMNS if c not in rows.columns]
    if not lacking:
        return recent_rows(cross_month.carry_over_table(rows), month)
    keys = [L.MONTH, L.ROW_ID]
    table = _recent(cross_month.carry_over_table(rows, (*present, *keys)), month)
    if table.empty:
        return {}
    lacked = store.rows(
        months=sorted(table[L.MONTH].unique()),
        without=tuple(c for c in L.ROW_COLUMNS if c not in (*keys, *lacking)),
    )
    table = table.merge(lacked, on=keys, how="left", validate="one_to_one")
    return forms.carried_rows_of_table(table.loc[:, [L.UNIT_CODE, *L.CARRY_COLUMNS]])


def carry_rows(store: ledger.Ledger, month: str, held: HeldRows | None = None) -> pd.DataFrame:
    """What `month`'s forms may carry: only the pieces listed since the cutoff's month (a piece
    is listed no earlier than the month it was sent), with every row of theirs (an earlier
    adoption ends the carrying), and only the columns carrying reads: a province's year is a
    million rows.

    The rows come from `held` when it ends with the month before `month` and the ledger has no
    later month (whose listings would count): the months before `held.since` (of which `held`
    may hold some rows, not all) are then all the ledger is asked for, and only when it has
    such months. Reading the year whole again beside the run that holds it cost a province's
    forms seconds. The frame is the one `Ledger.rows(through=…, listed_since=…)` gives, less
    the columns of `CARRY_READS` that `held` lacks (`carried_pieces` reads them for the pieces
    carried).
    """
    through, listed_since = previous_month(month), month_key(*_cutoff_month(month))
    if held is None or held.through != through or store.later_months(through):
        without = tuple(c for c in L.ROW_COLUMNS if c not in CARRY_READS)
        return store.rows(through=through, listed_since=listed_since, without=without)
    rows = held.rows
    columns = [c for c in L.ROW_COLUMNS if c in CARRY_READS and c in rows.columns]
    own = (rows[L.MONTH] >= held.since).to_numpy()
    listed = pd.Index(rows.loc[own & (rows[L.MONTH] >= listed_since).to_numpy(), L.PIECE_KEY].unique())
    older = None
    if any(m < held.since for m in store.processed_months()):
        without = tuple(c for c in L.ROW_COLUMNS if c not in columns)
        older = store.rows(through=previous_month(held.since), listed_since=listed_since, without=without)
        listed = listed.union(pd.Index(older.loc[older[L.MONTH] >= listed_since, L.PIECE_KEY].unique()))
    mine = rows.loc[own & rows[L.PIECE_KEY].isin(listed).to_numpy(), columns]
    if older is None or older.empty:
        return mine.reset_index(drop=True)
    return pd.concat([older, mine], ignore_index=True)


def with_latest_heads(plan: Plan, store: ledger.Ledger, month: str) -> Plan:
    """The plan whose roster carries each unit's 单位负责人 as its latest accepted form before
    `month` gives it (else the roster's): a head a unit wrote in once is pre-filled from then on."""
    before = [m for m in store.processed_months() if m < month]
    heads = assessment.latest_heads((m, record) for m in before for record in store.files(m))
    heads = {code: head for code, head in heads.items() if code in plan.units.index}
    if not heads:
        return plan
    roster = plan.units.copy()
    if L.P_HEAD not in roster.columns:
        roster[L.P_HEAD] = None
    roster[L.P_HEAD] = roster[L.P_HEAD].astype(object)
    for code, head in heads.items():
        roster.at[code, L.P_HEAD] = head
    return dataclasses.replace(plan, units=roster)


def start_forms(
    inputs: Path, outputs: Path, month: str, plan: Plan, held: HeldRows | None = None
) -> parallel.Background | None:
    """For a big roster, `month`'s forms written in a process of their own (carry-over included,
    from `held` where it serves: the forked process inherits it), started as soon as the ledger
    holds the month before: it fills the second core while this process scores the month alone.
    None for a county (the forms are written after the month's outputs, as quickly)."""
    if len(plan.units) < form_copies.PARALLEL_FROM or not parallel.can_fork():
        return None
    form_plan = forms_plan(inputs, month, plan)  # the plan's errors are raised here, not in the child
    return parallel.Background(
        write_forms_from_ledger, (form_plan, Path(outputs), month), {"one_process": True, "held": held, "checked": True}
    )


def recent_rows(table: pd.DataFrame, month: str) -> dict[str, list[dict]]:
    """Each unit's carried-over pieces (`cross_month.carry_over_table(rows)`) sent within the last
    CARRY_MONTHS months, as form rows: an older piece is unlikely to be published still, and
    would otherwise sit on every form for ever (a unit cannot withdraw a piece by deleting its
    row). From the one table, without a frame per unit (which cost seconds a province)."""
    return forms.carried_rows_of_table(_recent(table, month))


def _recent(table: pd.DataFrame, month: str) -> pd.DataFrame:
    return table[table[L.SENT_DATE] >= _carry_cutoff(month)]


def _carry_cutoff(month: str) -> pd.Timestamp:
    year, mon = parse_month(month)
    return pd.Timestamp(year, mon, 1) - pd.DateOffset(months=CARRY_MONTHS)


def _cutoff_month(month: str) -> tuple[int, int]:
    cutoff = _carry_cutoff(month)
    return cutoff.year, cutoff.month


# The columns `cross_month.carry_over_table` reads: identity, order, adoption, links and what the
# form pre-fills.
CARRY_READS = {L.UNIT_CODE, L.PIECE_KEY, L.MONTH, L.ROW_ID, L.STATUS, L.CO_UNITS, *L.CARRY_COLUMNS}
