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

import datetime as dt

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.text import outlet_key
from pipeline.files.sheets import EXCEL_ROW, Sheet, column_positions, table_below, text
from pipeline.plan.scheme_model import (
    Commission,
    Event,
    EventKind,
    InstructionRule,
    LumpSum,
    Modifier,
    Outlet,
    Scheme,
    SchemeRules,
    Task,
    Vocabulary,
)

_NUMBER_SUFFIX = "(数值)"  # the numeric shadow column plan.read_plan_frames adds

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


def not_counted(frames: dict[str, pd.DataFrame]) -> P.Problem:
    """The problem that stops a month's run on a plan with a scheme, naming what makes it one."""
    used = [name for name in S.SCHEME_SHEETS if name in frames]
    used += [f"{L.S_BONUS}的{S.B_MODE}、{S.B_FURTHER}列"] if _bonus_extended(frames) else []
    return P.make("plan-scheme-not-counted", sheets="、".join(used))


def vocabulary(frames: dict[str, pd.DataFrame]) -> tuple[Vocabulary, list[P.Problem]]:
    """The plan's own categories and levels (the defaults for a kind it does not name)."""
    frame = frames.get(S.S_VOCABULARY)
    if frame is None:
        return Vocabulary(), []
    check = _Checker(S.S_VOCABULARY)
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
    outlets, more = _outlets(frames.get(S.S_OUTLETS), vocab)
    problems += more
    modifiers, more = _modifiers(frames.get(S.S_MODIFIERS), vocab)
    problems += more
    instructions, more = _instructions(frames.get(L.S_BONUS), plan_frames.get(L.S_BONUS), vocab)
    problems += more
    lumps, more = _lumps(frames.get(S.S_LUMPS), vocab)
    problems += more
    commissions, more = _commissions(frames.get(S.S_COMMISSIONS), units, year)
    problems += more
    tasks, results, more = _tasks(frames.get(S.S_TASKS), frames.get(S.S_TASK_RESULTS), vocab, units)
    problems += more
    events, more = _events(frames.get(S.S_EVENT_KINDS), frames.get(S.S_EVENTS), units, year)
    problems += more
    rules, more = scheme_rules(plan_frames.get(L.S_RULES))
    problems += more
    if problems:
        return None, problems
    return (
        Scheme(vocab, outlets, modifiers, instructions, lumps, commissions, tasks, results, events, rules),
        [],
    )


class _Checker:
    """Typed reads of one sheet's cells, each bad cell a located problem."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.problems: list[P.Problem] = []

    def add(self, code: str, record: dict, column: str, value: object = "", **extra: object) -> None:
        self.problems.append(
            P.make(code, sheet=self.sheet, row=int(record[EXCEL_ROW]), column=column, value=value, **extra)
        )

    def required(self, record: dict, column: str) -> str:
        value = record.get(column, "")
        if not value:
            self.add("plan-required", record, column)
        return value

    def number(self, record: dict, column: str, *, required: bool = False, negative: bool = False) -> float | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        try:
            parsed = float(value)
        except ValueError:
            self.add("plan-not-number", record, column, value)
            return None
        if parsed != parsed or parsed in (float("inf"), float("-inf")):
            self.add("plan-not-number", record, column, value)
            return None
        if parsed < 0 and not negative:
            self.add("plan-negative", record, column, value)
            return None
        return parsed

    def fen(self, record: dict, column: str) -> float | None:
        """An amount of money: 0 or more, in whole fen (see plan_checks._whole_fen)."""
        amount = self.number(record, column)
        if amount is not None and abs(amount * 100 - round(amount * 100)) > 1e-6:
            self.add("plan-below-fen", record, column, record[column])
            return None
        return amount

    def integer(self, record: dict, column: str, *, required: bool = False) -> int | None:
        parsed = self.number(record, column, required=required)
        if parsed is not None and not parsed.is_integer():
            self.add("plan-not-integer", record, column, record[column])
            return None
        return None if parsed is None else int(parsed)

    def choice(self, record: dict, column: str, allowed: tuple[str, ...], *, required: bool = True) -> str | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        if value not in allowed:
            self.add("plan-not-in-list", record, column, value, allowed="、".join(allowed))
            return None
        return value

    def date(self, record: dict, column: str, *, required: bool = False) -> dt.date | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        parsed = pd.to_datetime(
            value.replace("年", "-").replace("月", "-").rstrip("日").replace(".", "-"), errors="coerce"
        )
        if pd.isna(parsed):
            self.add("plan-not-date", record, column, value)
            return None
        return parsed.date()

    def in_year(self, record: dict, column: str, day: dt.date | None, year: int) -> dt.date | None:
        """The date when it falls in the plan's year; a date of another year is a typing slip or
        belongs in that year's plan."""
        if day is not None and day.year != year:
            self.add("plan-not-in-list", record, column, record[column], allowed=f"{year} 年内的日期")
            return None
        return day

    def unit(self, record: dict, column: str, value: str, units: pd.DataFrame) -> str | None:
        if value in units.index:
            return value
        by_name = units.index[units[L.P_UNIT_NAME] == value]
        if len(by_name) == 1:
            return str(by_name[0])
        self.add("plan-unknown-unit", record, column, value)
        return None


def _outlets(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[tuple[Outlet, ...], list[P.Problem]]:
    if frame is None:
        return (), []
    check = _Checker(S.S_OUTLETS)
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


def _modifiers(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[dict[str, Modifier], list[P.Problem]]:
    if frame is None:
        return {}, []
    check = _Checker(S.S_MODIFIERS)
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


def _instructions(
    frame: pd.DataFrame | None, core: pd.DataFrame | None, vocab: Vocabulary
) -> tuple[dict[str, InstructionRule], list[P.Problem]]:
    """批示加分 with its optional 方式 and 其后加分 (the core checks cover 批示级别 and 加分)."""
    if frame is None or core is None:
        return {}, []
    check = _Checker(L.S_BONUS)
    values = dict(zip(core[EXCEL_ROW], core[L.B_BONUS + _NUMBER_SUFFIX], strict=True))
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


def _lumps(frame: pd.DataFrame | None, vocab: Vocabulary) -> tuple[tuple[LumpSum, ...], list[P.Problem]]:
    if frame is None:
        return (), []
    check = _Checker(S.S_LUMPS)
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


def _commissions(
    frame: pd.DataFrame | None, units: pd.DataFrame, year: int
) -> tuple[dict[str, Commission], list[P.Problem]]:
    if frame is None:
        return {}, []
    check = _Checker(S.S_COMMISSIONS)
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


def _tasks(
    frame: pd.DataFrame | None, results: pd.DataFrame | None, vocab: Vocabulary, units: pd.DataFrame
) -> tuple[tuple[Task, ...], dict[tuple[str, str], bool], list[P.Problem]]:
    tasks: list[Task] = []
    check = _Checker(S.S_TASKS)
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
    result_check = _Checker(S.S_TASK_RESULTS)
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


def _events(
    kinds_frame: pd.DataFrame | None, frame: pd.DataFrame | None, units: pd.DataFrame, year: int
) -> tuple[tuple[Event, ...], list[P.Problem]]:
    check = _Checker(S.S_EVENT_KINDS)
    kinds: dict[str, EventKind] = {}
    for record in kinds_frame.to_dict("records") if kinds_frame is not None else []:
        name = check.required(record, S.EK_NAME)
        points = check.number(record, S.EK_POINTS, required=True, negative=True)
        loses = check.choice(record, S.EK_ELIGIBILITY, L.YES_NO, required=False) == L.YES
        if name and points is not None:
            kinds[name] = EventKind(name, points, loses)
    events: list[Event] = []
    event_check = _Checker(S.S_EVENTS)
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


def _rule_allowed(param: str) -> str:
    return {
        S.R_INSTRUCTION_COUNTING: f"{S.INSTRUCTION_HIGHEST}、{S.INSTRUCTION_EACH}",
        S.R_BASE_ONLY: "是、否",
        S.R_REWARD_PASSING: "是、否",
        S.R_REWARD_BASIS: f"{S.REWARD_AS_POINTS}、{S.REWARD_HIGHEST}",
        S.R_CLOSED_OUTLETS: "是、否",
        S.R_AUTHOR_SPLIT: f"{S.AUTHORS_EVEN}、{S.AUTHORS_3_2}",
        S.R_CONVERT_BASE: f"正数或“{S.CONVERT_TOP}”",
        S.R_MISSED_LIMIT: "0 或正整数（0 表示不取消）",
        S.R_PASS_MONTHS: "0 到 12 的整数（0 表示不按月判定合格）",
        S.R_QUARTER_MIN: "0 或正整数",
        S.R_PASS_QUARTERS: "0 到 4 的整数（0 表示不按季判定合格）",
        S.R_PASS_RATE: "0 到 100 的数（百分数，如 30 表示采用率须达到 30%）",
    }.get(param, "0 或正数")


def scheme_rules(frame: pd.DataFrame | None) -> tuple[SchemeRules, list[P.Problem]]:
    """The scheme's parameters on the 考核规则 sheet (every one optional)."""
    if frame is None:
        return SchemeRules(), []
    check = _Checker(L.S_RULES)
    found = {r[L.R_PARAM]: r for r in frame.to_dict("records") if r[L.R_PARAM] in S.SCHEME_RULE_PARAMS}
    values: dict[str, object] = {}

    def bad(param: str) -> None:
        record = found[param]
        check.add("plan-rule-invalid", record, L.R_VALUE, record[L.R_VALUE], param=param, allowed=_rule_allowed(param))

    for param, record in found.items():
        value = record[L.R_VALUE]
        if value == "":
            continue
        if param in (
            S.R_INSTRUCTION_COUNTING,
            S.R_BASE_ONLY,
            S.R_CLOSED_OUTLETS,
            S.R_AUTHOR_SPLIT,
            S.R_REWARD_BASIS,
            S.R_REWARD_PASSING,
        ):
            allowed = _rule_allowed(param).split("、")
            if value not in allowed:
                bad(param)
            values[param] = value
            continue
        if param == S.R_CONVERT_BASE and value == S.CONVERT_TOP:
            values[param] = None
            continue
        try:
            number = float(value)
        except ValueError:
            bad(param)
            continue
        integral = param in (S.R_MISSED_LIMIT, S.R_PASS_MONTHS, S.R_QUARTER_MIN, S.R_PASS_QUARTERS)
        too_many = (
            (param == S.R_PASS_MONTHS and number > 12)
            or (param == S.R_PASS_QUARTERS and number > 4)
            or (param == S.R_PASS_RATE and number > 100)
        )
        if not number >= 0 or (integral and not number.is_integer()) or too_many:
            bad(param)
            continue
        if param == S.R_CONVERT_BASE and number == 0:
            bad(param)
            continue
        values[param] = number
    if S.R_CONVERT_BASE in values and S.R_CONVERT_FULL not in values:
        check.add(
            "plan-scheme-conflict",
            found[S.R_CONVERT_BASE],
            L.R_PARAM,
            S.R_CONVERT_BASE,
            detail=f"填写了“{S.R_CONVERT_BASE}”，但没有填写“{S.R_CONVERT_FULL}”。折算须两项都填。",
        )
    if check.problems:
        return SchemeRules(), check.problems
    return (
        SchemeRules(
            instruction_each=values.get(S.R_INSTRUCTION_COUNTING) == S.INSTRUCTION_EACH,
            base=float(values.get(S.R_BASE, 0.0)),
            base_only=values.get(S.R_BASE_ONLY) == L.YES,
            cap=values.get(S.R_CAP),
            convert_full=values.get(S.R_CONVERT_FULL),
            convert_base=values.get(S.R_CONVERT_BASE),
            missed_limit=int(values.get(S.R_MISSED_LIMIT, 0)),
            authors_3_2=values.get(S.R_AUTHOR_SPLIT) == S.AUTHORS_3_2,
            closed_outlets=values.get(S.R_CLOSED_OUTLETS) == L.YES,
            pass_months=int(values.get(S.R_PASS_MONTHS, 0)),
            quarter_min=int(values.get(S.R_QUARTER_MIN, 0)),
            pass_quarters=int(values.get(S.R_PASS_QUARTERS, 0)),
            pass_rate=values.get(S.R_PASS_RATE),
            reward_highest=values.get(S.R_REWARD_BASIS) == S.REWARD_HIGHEST,
            reward_passing_only=values.get(S.R_REWARD_PASSING) == L.YES,
        ),
        [],
    )
