"""The rows of each optional scheme sheet, checked and typed: the outlet catalogue, modifiers,
instruction rules, lump sums, commissions, tasks and their results, events (docs/schemes.md)."""

from __future__ import annotations

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.text import outlet_key
from pipeline.files.sheets import EXCEL_ROW
from pipeline.plan.plan_checks import NUMBER_SUFFIX  # the numeric shadow column plan.read_plan_frames adds
from pipeline.plan.scheme_cells import SheetChecker
from pipeline.plan.scheme_model import (
    Commission,
    Event,
    EventKind,
    InstructionRule,
    LumpSum,
    Modifier,
    Outlet,
    Task,
    Vocabulary,
)


def outlets(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[tuple[Outlet, ...], list[P.Problem]]:
    if frame is None:
        return (), []
    check = SheetChecker(S.S_OUTLETS)
    outlets: list[Outlet] = []
    names: dict[str, tuple[str, int]] = {}  # folded name or alias -> (its outlet's name, row)
    keys: dict[tuple[str, str, str], int] = {}
    for record in frame.to_dict("records"):
        name = check.required(record, S.O_NAME)
        level = check.choice(record, S.O_LEVEL, vocab.levels)
        category = check.choice(record, S.O_CATEGORY, vocab.categories, required=False) or ""
        use_form = record[S.O_FORM]
        external = record[S.O_POINTS] == S.EXTERNAL
        points = None if external else check.number(record, S.O_POINTS, negative=False)
        factor = check.number(record, S.O_FACTOR)
        per_unit = check.choice(record, S.O_PER_UNIT, L.YES_NO, required=False) == L.YES
        reward = check.fen(record, S.O_REWARD)
        if not name or level is None:
            continue
        key = (outlet_key(name), category, use_form)
        if key in keys:
            check.add("plan-duplicate", record, S.O_NAME, f"{name}、{category}、{use_form}", other_row=keys[key])
            continue
        keys[key] = int(record[EXCEL_ROW])
        aliases = tuple(a for a in (x.strip() for x in record[S.O_ALIASES].split(L.LIST_SEPARATOR)) if a)
        for label in (name, *aliases):
            owner = names.setdefault(outlet_key(label), (name, int(record[EXCEL_ROW])))
            if owner[0] != name:
                column = S.O_NAME if label == name else S.O_ALIASES
                check.add("plan-outlet-ambiguous", record, column, label, other_row=owner[1])
        outlets.append(
            Outlet(
                name=name,
                aliases=aliases,
                level=level,
                category=category,
                use_form=use_form,
                points=points,
                external=external,
                factor=1.0 if factor is None else factor,
                per_unit=per_unit,
                row=int(record[EXCEL_ROW]),
                reward=reward,
            )
        )
    return tuple(outlets), check.problems


def modifiers(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[dict[str, Modifier], list[P.Problem]]:
    if frame is None:
        return {}, []
    check = SheetChecker(S.S_MODIFIERS)
    modifiers: dict[str, Modifier] = {}
    rows: dict[str, int] = {}
    for record in frame.to_dict("records"):
        name = check.required(record, S.M_NAME)
        mode = check.choice(record, S.M_MODE, S.MODES)
        value = check.number(record, S.M_VALUE, required=True, negative=mode == S.PLUS)
        category = check.choice(record, S.M_CATEGORY, vocab.categories, required=False) or ""
        if name in rows:
            check.add("plan-duplicate", record, S.M_NAME, name, other_row=rows[name])
            continue
        if not name or mode is None or value is None:
            continue
        rows[name] = int(record[EXCEL_ROW])
        modifiers[name] = Modifier(name, mode == S.TIMES, value, category)
    return modifiers, check.problems


def instructions(
    frame: pd.DataFrame | None, core: pd.DataFrame | None, vocab: Vocabulary
) -> tuple[dict[str, InstructionRule], list[P.Problem]]:
    """批示加分 with its optional 方式 and 其后加分 (the core checks cover 批示级别 and 加分)."""
    if frame is None or core is None:
        return {}, []
    check = SheetChecker(L.S_BONUS)
    values = dict(zip(core[EXCEL_ROW], core[L.B_BONUS + NUMBER_SUFFIX], strict=True))
    rules: dict[str, InstructionRule] = {}
    for record in frame.to_dict("records"):
        level = record[L.B_LEVEL]
        mode = check.choice(record, S.B_MODE, S.INSTRUCTION_MODES, required=False) or S.INSTRUCTION_MODES[0]
        further = check.number(record, S.B_FURTHER)
        value = values.get(record[EXCEL_ROW])
        if level not in vocab.instructions or value is None or pd.isna(value):
            continue
        rules[level] = InstructionRule(level, mode == S.INSTRUCTION_MODES[1], float(value), further)
    return rules, check.problems


def lumps(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[tuple[LumpSum, ...], list[P.Problem]]:
    if frame is None:
        return (), []
    check = SheetChecker(S.S_LUMPS)
    lumps = []
    for record in frame.to_dict("records"):
        count = check.choice(record, S.U_COUNT, S.COUNTS)
        reach = check.integer(record, S.U_REACH, required=True)
        points = check.number(record, S.U_POINTS, required=True)
        miss = check.number(record, S.U_MISS)
        category = check.choice(record, S.U_UNIT_CATEGORY, vocab.unit_categories, required=False) or ""
        if count is None or reach is None or points is None:
            continue
        lumps.append(LumpSum(count, reach, points, miss or 0.0, category, int(record[EXCEL_ROW])))
    return tuple(lumps), check.problems


def commissions(
    frame: pd.DataFrame | None, units: pd.DataFrame, year: int
) -> tuple[dict[str, Commission], list[P.Problem]]:
    if frame is None:
        return {}, []
    check = SheetChecker(S.S_COMMISSIONS)
    commissions: dict[str, Commission] = {}
    rows: dict[str, int] = {}
    for record in frame.to_dict("records"):
        ident = check.required(record, S.C_ID)
        issued = check.date(record, S.C_ISSUED)
        deadline = check.in_year(record, S.C_DEADLINE, check.date(record, S.C_DEADLINE, required=True), year)
        named = [u.strip() for u in record[S.C_UNITS].split(L.LIST_SEPARATOR) if u.strip()]
        codes = tuple(c for c in (check.unit(record, S.C_UNITS, u, units) for u in named) if c)
        done, adopted = check.number(record, S.C_DONE), check.number(record, S.C_ADOPTED)
        missed, late = check.number(record, S.C_MISSED), check.number(record, S.C_LATE)
        if issued and deadline and deadline < issued:
            check.add("plan-scheme-conflict", record, S.C_DEADLINE, deadline, detail="截止日期早于下达日期，请改正。")
        if ident in rows:
            check.add("plan-duplicate", record, S.C_ID, ident, other_row=rows[ident])
            continue
        if not ident or deadline is None:
            continue
        rows[ident] = int(record[EXCEL_ROW])
        commissions[ident] = Commission(
            ident, record[S.C_SUBJECT], issued, deadline, codes, done or 0.0, adopted, missed or 0.0, late or 0.0
        )
    return commissions, check.problems


def tasks(
    frame: pd.DataFrame | None, results: pd.DataFrame | None, vocab: Vocabulary, units: pd.DataFrame
) -> tuple[tuple[Task, ...], dict[tuple[str, str], bool], list[P.Problem]]:
    tasks: list[Task] = []
    check = SheetChecker(S.S_TASKS)
    for record in frame.to_dict("records") if frame is not None else []:
        name = check.required(record, S.T_NAME)
        category = check.choice(record, S.T_UNIT_CATEGORY, vocab.unit_categories, required=False) or ""
        code = check.unit(record, S.T_UNIT_CODE, record[S.T_UNIT_CODE], units) if record[S.T_UNIT_CODE] else ""
        done = check.number(record, S.T_DONE, required=True, negative=True)
        failed = check.number(record, S.T_FAILED, negative=True)
        if name and done is not None and code is not None:
            tasks.append(Task(name, category, code, done, failed or 0.0))
    known = {t.name for t in tasks}
    done_by: dict[tuple[str, str], bool] = {}
    result_check = SheetChecker(S.S_TASK_RESULTS)
    for record in results.to_dict("records") if results is not None else []:
        name = result_check.required(record, S.TR_NAME)
        if name and name not in known:
            result_check.add("plan-unknown-name", record, S.TR_NAME, name, where=S.S_TASKS)
        code = result_check.unit(record, S.TR_UNIT, record[S.TR_UNIT], units) if record[S.TR_UNIT] else None
        if not record[S.TR_UNIT]:
            result_check.add("plan-required", record, S.TR_UNIT)
        done = result_check.choice(record, S.TR_DONE, L.YES_NO)
        scope = [t for t in tasks if t.name == name and _applies(t, code, units)] if code else []
        if name in known and code and not scope:
            result_check.add(
                "plan-not-in-list",
                record,
                S.TR_UNIT,
                record[S.TR_UNIT],
                allowed=f"任务“{name}”适用的单位（见工作表“{S.S_TASKS}”的单位类别、单位代码）",
            )
        if scope and done:
            done_by[(name, code)] = done == L.YES
    return tuple(tasks), done_by, check.problems + result_check.problems


def _applies(task: Task, code: str, units: pd.DataFrame) -> bool:
    if task.unit_code:
        return task.unit_code == code
    return task.unit_category in ("", units.at[code, L.P_UNIT_CATEGORY])


def events(
    kinds_frame: pd.DataFrame | None, frame: pd.DataFrame | None, units: pd.DataFrame, year: int
) -> tuple[tuple[Event, ...], list[P.Problem]]:
    check = SheetChecker(S.S_EVENT_KINDS)
    kinds: dict[str, EventKind] = {}
    for record in kinds_frame.to_dict("records") if kinds_frame is not None else []:
        name = check.required(record, S.EK_NAME)
        points = check.number(record, S.EK_POINTS, required=True, negative=True)
        loses = check.choice(record, S.EK_ELIGIBILITY, L.YES_NO, required=False) == L.YES
        if name and points is not None:
            kinds[name] = EventKind(name, points, loses)
    events: list[Event] = []
    event_check = SheetChecker(S.S_EVENTS)
    for record in frame.to_dict("records") if frame is not None else []:
        code = event_check.unit(record, S.E_UNIT, record[S.E_UNIT], units) if record[S.E_UNIT] else None
        if not record[S.E_UNIT]:
            event_check.add("plan-required", record, S.E_UNIT)
        date = event_check.in_year(record, S.E_DATE, event_check.date(record, S.E_DATE, required=True), year)
        kind_name = event_check.required(record, S.E_KIND)
        kind = kinds.get(kind_name)
        if kind_name and kind is None:
            event_check.add("plan-unknown-name", record, S.E_KIND, kind_name, where=S.S_EVENT_KINDS)
        points = event_check.number(record, S.E_POINTS, negative=True)
        if code and date and kind:
            events.append(
                Event(
                    code,
                    date,
                    kind.name,
                    record[S.E_NOTE],
                    kind.points if points is None else points,
                    kind.loses_eligibility,
                )
            )
    return tuple(events), check.problems + event_check.problems
