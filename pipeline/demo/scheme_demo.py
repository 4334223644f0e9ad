"""The demo county under a published scheme: `python run.py demo --regenerate --scheme FILE`.

`write_scheme_demo(inputs, scheme_file)` writes the demo county's plan under the scheme (the
scheme workbook's sheets, with the demo's roster and targets in the scheme's own 单位类别; the
scheme's example units named in its 任务项目, 任务完成, 约稿任务 and 事件登记 become demo units,
and the office enters two events where the scheme has 事件类型) and a year of the demo's forms
on the scheme's template. The units' pieces are the demo year's (`year.simulate_year`), named in
the scheme's vocabulary; their adoptions name the scheme's outlets (with their 采用级别 and
采用形式; a few outlets outside an open catalogue), now and then a 计分加成, a 上级计分 where the
outlet takes one; the units asked for a 约稿 deliver most of them on time, some late, some
never. A few mistakes are planted (`PLANTED_UNDER_SCHEME`), each with the problem it raises.

Everything is seeded as the demo's year is, and files are saved reproducibly, so the same
scheme gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.core.months import month_number
from pipeline.core.text import outlet_key
from pipeline.demo import plan as demo_plan
from pipeline.demo.facts import NO_HEAD, PEOPLE
from pipeline.demo.files import FORM_ROWS, save_reproducibly
from pipeline.demo.returns import file_name, fill_date
from pipeline.demo.year import MONTHS, Adoption, Piece, is_planted, rng_for, simulate_year
from pipeline.forms import forms
from pipeline.plan.plan import Plan, load_plan
from pipeline.plan.scheme_model import Commission, Outlet, Scheme
from pipeline.plan.scheme_outlets import match_outlet, outlet_names
from pipeline.xlsx import styles as xlsx

PLAN_SAVED_AT = dt.datetime(demo_plan.YEAR - 1, 12, 20, 9, 0)
OPEN_SHARE = 0.2  # adoptions by an outlet outside an open catalogue (scored by 采用级别)
MODIFIER_SHARE = 0.08
EXTERNAL_POINTS = (2, 3, 5)  # what the higher office gives, when the outlet takes 上级计分
ON_TIME, LATE = 0.7, 0.15  # a unit asked for a 约稿: on time, late, else never
EVENTS = (("GS06", dt.date(2025, 4, 15)), ("SO03", dt.date(2025, 9, 10)))  # entered by the office
WRONG_COMMISSION = "YG-未登记"


@dataclass(frozen=True)
class SchemePlanted:
    """A mistake planted in the scheme demo and the problem it raises; `needs` is the form column
    (or "outlets") the scheme must use for the mistake to be planted."""

    month: str
    unit: str
    kind: str
    expect: str
    needs: str


PLANTED_UNDER_SCHEME = (
    SchemePlanted("2025-02", "SO02", "old-template", "file-scheme-column-missing", "any"),
    SchemePlanted("2025-04", "GS01", "outlet-variant", "row-outlet-guessed", "outlets"),
    SchemePlanted("2025-05", "GS01", "unknown-modifier", "row-unknown-modifier", S.F_MODIFIERS),
    SchemePlanted("2025-03", "GS01", "unknown-commission", "row-unknown-commission", S.F_COMMISSION),
    SchemePlanted("2025-06", "GS02", "default-category", "row-not-in-list", "own-names"),
)
DEFAULT_CATEGORY = L.CATEGORIES[0]  # what a unit used to labels.py's names types out of habit


def planted_under(scheme: Scheme) -> list[SchemePlanted]:
    """The mistakes planted under this scheme (those its columns and catalogue allow)."""
    columns = scheme.form_columns()
    allowed = {
        "any": bool(columns),
        "outlets": bool(scheme.outlets and _variant(scheme)),
        "own-names": DEFAULT_CATEGORY not in scheme.vocabulary.categories,
    }
    return [p for p in PLANTED_UNDER_SCHEME if allowed.get(p.needs, p.needs in columns)]


def write_scheme_demo(inputs: Path, scheme_file: Path) -> None:
    """Writes the plan under the scheme and the twelve months' forms into `inputs`."""
    target = inputs / L.PLAN_FILE.format(year=demo_plan.YEAR)
    write_scheme_plan(Path(scheme_file), target)
    plan = load_plan(inputs, demo_plan.YEAR)
    assert plan.scheme is not None  # the workbook's scheme sheets were kept
    names = _Names(plan.scheme)
    by_unit = simulate_year()
    commissions = _deliveries(plan, by_unit)
    planted = planted_under(plan.scheme)
    for month in MONTHS:
        for code, *_ in demo_plan.UNITS:
            if is_planted(month, code, "no-return"):
                continue
            rows = [names.row(piece, adoption, commissions) for piece, adoption in _listed(by_unit[code], month)]
            kinds = {p.kind for p in planted if (p.month, p.unit) == (month, code)}
            _plant(kinds, rows, plan.scheme)
            _write_form(plan, code, month, rows, old_template="old-template" in kinds, folder=inputs / month)


# --- The plan ------------------------------------------------------------------------------------


def write_scheme_plan(scheme_file: Path, target: Path) -> None:
    """The scheme workbook with the demo's roster and targets in the scheme's 单位类别."""
    workbook = load_workbook(scheme_file)
    rows = {
        name: list(workbook[name].iter_rows(values_only=True))
        for name in (L.S_ROSTER, S.S_VOCABULARY)
        if name in workbook
    }
    example_units = [str(r[0]) for r in _below(rows[L.S_ROSTER], L.P_UNIT_CODE)]
    named = [str(r[1]) for r in _below(rows.get(S.S_VOCABULARY, []), S.V_KIND) if r[0] == S.K_UNIT_CATEGORY]
    category = _category_map(named)
    roster = [(code, name, category[kind], *rest) for code, name, kind, *rest in demo_plan.UNITS]
    _replace_table(workbook[L.S_ROSTER], L.ROSTER_COLUMNS, roster)
    targets, seen = [], set()
    for kind, code, *numbers in demo_plan.TARGETS:
        if code is not None or category[kind] not in seen:
            targets.append((None if kind is None else category[kind], code, *numbers))
            seen.add(category.get(kind))
    _replace_table(workbook[L.S_TARGETS], L.TARGET_COLUMNS, targets)
    units = dict(zip(example_units, (u[0] for u in demo_plan.UNITS if u[5] == L.YES), strict=False))
    for name in (S.S_TASKS, S.S_TASK_RESULTS, S.S_COMMISSIONS, S.S_EVENTS):
        if name in workbook.sheetnames:
            _rename_units(workbook[name], units)
    if S.S_EVENT_KINDS in workbook.sheetnames and S.S_EVENTS in workbook.sheetnames:
        kinds = [r[0] for r in _below(list(workbook[S.S_EVENT_KINDS].iter_rows(values_only=True)), S.EK_NAME)]
        events = [
            (code, day, kinds[n % len(kinds)], f"{day.month}月{day.day}日{kinds[n % len(kinds)]}", None)
            for n, (code, day) in enumerate(EVENTS)
        ]
        _replace_table(workbook[S.S_EVENTS], S.EVENT_COLUMNS, events)
    if S.S_TRIAL in workbook.sheetnames:
        del workbook[S.S_TRIAL]  # its rows name the scheme's example units
    save_reproducibly(workbook, target, PLAN_SAVED_AT)


def _below(rows: list[tuple], first_label: str) -> list[tuple]:
    """The data rows under the header row that starts with `first_label`."""
    header = next((i for i, row in enumerate(rows) if row and row[0] == first_label), None)
    return [] if header is None else [row for row in rows[header + 1 :] if row and row[0] not in (None, "")]


def _category_map(named: list[str]) -> dict[str, str]:
    """The demo's 单位类别 -> the scheme's (in order, the last ones sharing), or themselves."""
    if not named:
        return {kind: kind for kind in L.UNIT_CATEGORIES}
    return {kind: named[i * len(named) // len(L.UNIT_CATEGORIES)] for i, kind in enumerate(L.UNIT_CATEGORIES)}


def _replace_table(ws: Worksheet, labels: tuple[str, ...], rows: list[tuple]) -> None:
    """The sheet's table (its header row found by its first label) holding `rows`."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == labels[0])
    ws.delete_rows(header + 1, ws.max_row)
    for r, row in enumerate(rows, start=header + 1):
        for c, value in enumerate(row, start=1):
            xlsx.put(ws.cell(row=r, column=c), value)


def _rename_units(ws: Worksheet, units: dict[str, str]) -> None:
    """Every cell naming the scheme's example units (one or a 、-joined list) names demo units."""
    for row in ws.iter_rows():
        for cell in row:
            parts = str(cell.value).split(L.LIST_SEPARATOR) if isinstance(cell.value, str) else []
            if parts and all(part in units for part in parts):
                cell.value = L.LIST_SEPARATOR.join(units[part] for part in parts)


# --- The forms -----------------------------------------------------------------------------------


def _listed(pieces: list[Piece], month: str) -> list[tuple[Piece, Adoption | None]]:
    """A unit's rows of the month: pieces sent and not adopted in it, then every adoption in it."""
    number = month_number(month)
    listed = [(p, None) for p in pieces if p.sent.month == number and not p.adoptions_in(number)]
    listed += [(p, a) for p in pieces for a in p.adoptions_in(number)]
    return sorted(listed, key=lambda pa: (pa[0].sent, pa[0].title, pa[1].day if pa[1] else pa[0].sent))


class _Names:
    """A demo piece's row in the scheme's names: its category, level, outlet and use form."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.vocab = scheme.vocabulary
        self.names = outlet_names(scheme)
        self.used: dict[str, list[str]] = {}  # the outlets each piece was adopted by, in order

    def category(self, piece: Piece) -> str:
        mapped = _mapped(self.vocab.categories, L.CATEGORIES.index(piece.category))
        fitting = [o for o in self.scheme.outlets if o.category in ("", mapped)]
        if self.scheme.outlets and self.scheme.rules.closed_outlets and not fitting:
            return next(o.category for o in self.scheme.outlets if o.category)
        return mapped

    def row(self, piece: Piece, adoption: Adoption | None, commissions: dict[int, Commission]) -> dict[str, Any]:
        category = self.category(piece)
        row: dict[str, Any] = {
            L.TITLE: piece.title,
            L.CATEGORY: category,
            L.AUTHORS: piece.authors,
            L.SENT_DATE: piece.sent,
            L.SENT_TO: piece.sent_to,
            L.STATUS: L.ADOPTED if adoption else L.NOT_ADOPTED,
            L.INSTRUCTION: L.NO_INSTRUCTION,
            L.CO_UNITS: piece.co_unit or None,
            L.REVIEWER: piece.reviewer,
            L.SECRECY: L.YES,
        }
        if id(piece) in commissions:
            row[S.F_COMMISSION] = commissions[id(piece)].id
        if adoption is None:
            return row
        if adoption.instruction:
            row[L.INSTRUCTION] = _mapped(self.vocab.instructions, L.LEVELS.index(adoption.instruction))
        row.update({L.ADOPT_DATE: adoption.day, L.PROOF: adoption.proof})
        row.update(self._adoption(piece, adoption, category))
        return row

    def _adoption(self, piece: Piece, adoption: Adoption, category: str) -> dict[str, Any]:
        used = self.used.setdefault(piece.title, [])
        rng = rng_for("scheme-outlet", piece.title, len(used))
        level = _mapped(self.vocab.levels, L.LEVELS.index(adoption.outlet.level))
        rows = [o for o in self.scheme.outlets if o.category in ("", category) and o.name not in used]
        # the demo's own outlet, when the catalogue does not hold it (an open catalogue scores it by level)
        outside = match_outlet(adoption.outlet.name, self.names)[1] == "unknown"
        if outside and (not rows or (not self.scheme.rules.closed_outlets and rng.random() < OPEN_SHARE)):
            used.append(adoption.outlet.name)
            return {L.OUTLET: adoption.outlet.name, L.LEVEL: level}
        outlet: Outlet = rng.choice(rows)
        used.append(outlet.name)
        values: dict[str, Any] = {L.OUTLET: outlet.name, L.LEVEL: outlet.level or level}
        values[S.F_USE_FORM] = outlet.use_form or None
        if outlet.external:
            values[S.F_EXTERNAL] = rng.choice(EXTERNAL_POINTS)
        modifiers = [m.name for m in self.scheme.modifiers.values() if m.category in ("", category)]
        if modifiers and rng.random() < MODIFIER_SHARE:
            values[S.F_MODIFIERS] = rng.choice(modifiers)
        return values


def _mapped(names: tuple[str, ...], index: int) -> str:
    """The demo's name at `index` of four in the scheme's list (spread evenly, lowest first)."""
    return names[index * len(names) // len(L.LEVELS)]


def _deliveries(plan: Plan, by_unit: dict[str, list[Piece]]) -> dict[int, Commission]:
    """id(piece) -> the 约稿 it delivers: each unit asked delivers its first piece sent in the
    window (on time), or its first one sent in the month after the deadline (late), or none."""
    scheme = plan.scheme
    assert scheme is not None
    delivered: dict[int, Commission] = {}
    for commission in scheme.commissions.values():
        issued = commission.issued or dt.date(demo_plan.YEAR, 1, 1)
        for code in commission.units or tuple(plan.assessed):
            roll = rng_for("commission", commission.id, code).random()
            if roll >= ON_TIME + LATE:
                continue
            start, end = (
                (issued, commission.deadline)
                if roll < ON_TIME
                else (commission.deadline + dt.timedelta(days=1), commission.deadline + dt.timedelta(days=30))
            )
            piece = next((p for p in by_unit[code] if start <= p.sent <= end and id(p) not in delivered), None)
            if piece is not None:
                delivered[id(piece)] = commission
    return delivered


def _variant(scheme: Scheme) -> tuple[str, str] | None:
    """An outlet of the catalogue typed the way people shorten or extend it, which the matching
    takes for that outlet with a warning: (typed, outlet)."""
    names = outlet_names(scheme)
    for outlet in scheme.outlets:
        typed = f"{outlet_key(outlet.name)}编辑部"
        if match_outlet(typed, names) == (outlet.name, "guessed", ()):
            return typed, outlet.name
    return None


def _plant(kinds: set[str], rows: list[dict[str, Any]], scheme: Scheme) -> None:
    """Plants the month's mistakes of the unit (`PLANTED_UNDER_SCHEME`) in its rows."""
    adopted = [row for row in rows if row[L.STATUS] == L.ADOPTED and row.get(L.OUTLET)]
    if "outlet-variant" in kinds:
        _type_outlet_variant(adopted, scheme)
    if "unknown-modifier" in kinds:
        adopted[-1][S.F_MODIFIERS] = "头版头条加倍"
    if "default-category" in kinds:
        rows[0][L.CATEGORY] = DEFAULT_CATEGORY
    if "unknown-commission" in kinds:
        rows[0][S.F_COMMISSION] = WRONG_COMMISSION


def _type_outlet_variant(adopted: list[dict[str, Any]], scheme: Scheme) -> None:
    """An adoption by the variant's outlet (the first adoption, moved to that outlet, when there
    is none) with the outlet typed as the variant."""
    variant = _variant(scheme)
    assert variant is not None  # planted only when there is one
    typed, name = variant
    row = next((r for r in adopted if r[L.OUTLET] == name), None)
    if row is None:
        outlet = next(o for o in scheme.outlets if o.name == name)
        row = adopted[0]
        row.update({L.CATEGORY: outlet.category or row[L.CATEGORY], L.LEVEL: outlet.level or row[L.LEVEL]})
        row.update({S.F_USE_FORM: outlet.use_form or None, S.F_MODIFIERS: None})
        row[S.F_EXTERNAL] = EXTERNAL_POINTS[0] if outlet.external else None
    row[L.OUTLET] = typed


def _write_form(
    plan: Plan, code: str, month: str, rows: list[dict[str, Any]], *, old_template: bool, folder: Path
) -> None:
    """The unit's form as it returns it; an older template (without the scheme's columns) when
    `old_template`."""
    issued_under = dataclasses.replace(plan, scheme=None) if old_template else plan
    workbook = forms.build_form(issued_under, code, month, None, prepared_rows=FORM_ROWS)
    layout = forms.layout_of(issued_under)
    ws = workbook[L.FORM_SHEET]
    filled = fill_date(code, month)
    values = {L.H_HEAD: None if code in NO_HEAD else PEOPLE[code][0], L.H_FILL_DATE: filled}
    for label, row, _, first, _ in forms.HEADER_BLOCK:
        if label in values:
            xlsx.put(ws.cell(row=row, column=first), values[label])
    for offset, record in enumerate(rows):
        xlsx.put(ws.cell(row=forms.FIRST_DATA_ROW + offset, column=layout.column[L.SEQ]), offset + 1)
        for label, col in layout.column.items():
            if label in record:
                xlsx.put(ws.cell(row=forms.FIRST_DATA_ROW + offset, column=col), record[label])
    target = folder / file_name(code, month)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_reproducibly(workbook, target, dt.datetime.combine(filled, dt.time(9, 30)))
