"""The scheme sheets of the plan workbook: an office's own 信息工作考核办法 as data.

Every sheet here is optional. A plan without any of them is today's plan and counts exactly as
before (`Plan.scheme` is None). With them, `pipeline.scoring.scheme_points` counts by the rules
they describe; docs/schemes.md explains each sheet and how the rules compose.

`read_scheme_frames` reads the sheets that are present; `vocabulary` gives the categories and
levels the plan names (the defaults of labels.py when it names none), which the plan's own
checks use; `build_scheme` checks every row and returns the typed `Scheme`, or the problems,
each naming sheet, row and column.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.files.sheets import EXCEL_ROW, Sheet, column_positions, table_below, text
from pipeline.plan import scheme_entries as entries
from pipeline.plan.scheme_cells import SheetChecker
from pipeline.plan.scheme_model import Scheme, Vocabulary
from pipeline.plan.scheme_rules import scheme_rules

# (all labels, required labels) of each optional sheet.
_SHEETS = {
    S.S_VOCABULARY: (S.VOCABULARY_COLUMNS, (S.V_KIND, S.V_NAME)),
    S.S_OUTLETS: (S.OUTLET_COLUMNS, (S.O_NAME,)),
    S.S_MODIFIERS: (S.MODIFIER_COLUMNS, (S.M_NAME, S.M_MODE, S.M_VALUE)),
    S.S_LUMPS: (S.LUMP_COLUMNS, (S.U_COUNT, S.U_REACH, S.U_POINTS)),
    S.S_COMMISSIONS: (S.COMMISSION_COLUMNS, (S.C_ID, S.C_DEADLINE)),
    S.S_TASKS: (S.TASK_COLUMNS, (S.T_NAME, S.T_DONE)),
    S.S_TASK_RESULTS: (S.TASK_RESULT_COLUMNS, S.TASK_RESULT_COLUMNS),
    S.S_EVENT_KINDS: (S.EVENT_KIND_COLUMNS, (S.EK_NAME, S.EK_POINTS)),
    S.S_EVENTS: (S.EVENT_COLUMNS, (S.E_UNIT, S.E_DATE, S.E_KIND)),
    # 批示加分 is a core sheet; its two optional columns are read here.
    L.S_BONUS: ((L.B_LEVEL, S.B_MODE, S.B_FURTHER), (L.B_LEVEL,)),
}


def read_scheme_frames(sheets: dict[str, Sheet]) -> tuple[dict[str, pd.DataFrame], list[P.Problem]]:
    """The optional sheets that are present, as frames of cleaned text with EXCEL_ROW."""
    frames: dict[str, pd.DataFrame] = {}
    problems: list[P.Problem] = []
    for name, (labels, required) in _SHEETS.items():
        sheet = sheets.get(name)
        if sheet is None:
            continue
        header = _header_row(sheet.rows, required)
        if header is None:
            if name != L.S_BONUS:
                problems += [P.make("plan-column-missing", sheet=name, column=c) for c in required]
            continue
        positions = column_positions(sheet.rows[header], labels)
        missing = [c for c in required if c not in positions]
        problems += [P.make("plan-column-missing", sheet=name, column=c, row=header + 1) for c in missing]
        if missing:
            continue
        frame = table_below(sheet.rows, header, positions)
        frames[name] = frame.assign(**{c: frame[c].map(text) if c in frame else "" for c in labels})
    return frames, problems


def _header_row(rows: list[list], required: tuple[str, ...], scan: int = 30) -> int | None:
    found = [(len(column_positions(row, required)), -index) for index, row in enumerate(rows[:scan])]
    best = max(found, default=(0, 0))
    return -best[1] if best[0] else None


def _bonus_extended(frames: dict[str, pd.DataFrame]) -> bool:
    bonus = frames.get(L.S_BONUS)
    return bonus is not None and bool((bonus[[S.B_MODE, S.B_FURTHER]] != "").to_numpy().any())


def uses_scheme(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether the plan describes anything beyond today's rule variants."""
    return _bonus_extended(frames) or any(name in frames for name in S.SCHEME_SHEETS)


def vocabulary(frames: dict[str, pd.DataFrame]) -> tuple[Vocabulary, list[P.Problem]]:
    """The plan's own categories and levels (the defaults for a kind it does not name)."""
    frame = frames.get(S.S_VOCABULARY)
    if frame is None:
        return Vocabulary(), []
    check = SheetChecker(S.S_VOCABULARY)
    named: dict[str, list[tuple[float, str]]] = {kind: [] for kind in S.VOCABULARY_KINDS}
    caps: dict[str, float] = {}
    quotas: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for record in frame.to_dict("records"):
        kind = check.choice(record, S.V_KIND, S.VOCABULARY_KINDS)
        name = check.required(record, S.V_NAME)
        if kind is None or not name:
            continue
        if (kind, name) in seen:
            check.add("plan-duplicate", record, S.V_NAME, name, other_row=seen[(kind, name)])
            continue
        seen[(kind, name)] = record[EXCEL_ROW]
        ranked = kind in (S.K_LEVEL, S.K_INSTRUCTION)
        rank = check.number(record, S.V_RANK, required=ranked, negative=True)
        if kind == S.K_CATEGORY and record[S.V_CAP]:
            cap = check.number(record, S.V_CAP)
            if cap is not None:
                caps[name] = cap
        if kind == S.K_CATEGORY and record[S.V_QUOTA]:
            quota = check.integer(record, S.V_QUOTA)
            if quota is not None:
                quotas[name] = quota
        named[kind].append((rank if rank is not None else 0.0, name))

    def ordered(kind: str, default: tuple[str, ...]) -> tuple[str, ...]:
        entries = named[kind]
        return tuple(n for _, n in sorted(entries, key=lambda e: e[0])) if entries else default

    vocab = Vocabulary(
        categories=ordered(S.K_CATEGORY, L.CATEGORIES),
        levels=ordered(S.K_LEVEL, L.LEVELS),
        instructions=ordered(S.K_INSTRUCTION, L.LEVELS),
        unit_categories=ordered(S.K_UNIT_CATEGORY, L.UNIT_CATEGORIES),
        caps=caps,
        quotas=quotas,
    )
    return vocab, check.problems


def build_scheme(
    frames: dict[str, pd.DataFrame],
    plan_frames: dict[str, pd.DataFrame],
    vocab: Vocabulary,
    units: pd.DataFrame,
    year: int,
) -> tuple[Scheme | None, list[P.Problem]]:
    """The typed scheme, or None when the plan uses none of it; problems for every bad cell.

    Args:
        frames: `read_scheme_frames`' frames.
        plan_frames: the core sheets (考核规则 carries the scheme's parameters).
        vocab: `vocabulary(frames)`.
        units: the roster indexed by 单位代码 (units must exist).
        year: the plan's year (the dates of 约稿 deadlines and events must fall in it).
    """
    if not uses_scheme(frames):
        return None, []
    problems: list[P.Problem] = []
    outlets, more = entries.outlets(frames.get(S.S_OUTLETS), vocab)
    problems += more
    modifiers, more = entries.modifiers(frames.get(S.S_MODIFIERS), vocab)
    problems += more
    instructions, more = entries.instructions(frames.get(L.S_BONUS), plan_frames.get(L.S_BONUS), vocab)
    problems += more
    lumps, more = entries.lumps(frames.get(S.S_LUMPS), vocab)
    problems += more
    commissions, more = entries.commissions(frames.get(S.S_COMMISSIONS), units, year)
    problems += more
    tasks, results, more = entries.tasks(frames.get(S.S_TASKS), frames.get(S.S_TASK_RESULTS), vocab, units)
    problems += more
    events, more = entries.events(frames.get(S.S_EVENT_KINDS), frames.get(S.S_EVENTS), units, year)
    problems += more
    rules, more = scheme_rules(plan_frames.get(L.S_RULES))
    problems += more
    if problems:
        return None, problems
    return (
        Scheme(vocab, outlets, modifiers, instructions, lumps, commissions, tasks, results, events, rules),
        [],
    )
