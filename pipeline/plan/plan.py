"""The plan workbook (`plan-YYYY.xlsx`): units, targets, points, bonuses and rules of one year.

`load_plan` reads and validates the whole workbook and either returns a `Plan` or raises
`PlanInvalid` listing every problem at once, each naming sheet, row and column. Validation is
the GX suites of `expectations/plan.json` (one per sheet) plus pandas checks for what GX cannot
express (missing sheets and labels, combined keys, coverage of every category and level, targets
for every unit).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.errors import PlanInvalid, PlanMissing, PlanUnreadable
from pipeline.files import gx
from pipeline.files.sheets import EXCEL_ROW, Sheet, column_positions, read_sheets, table_below, text
from pipeline.plan import plan_checks
from pipeline.plan import scheme as scheme_sheets
from pipeline.plan.plan_checks import NUMBER_SUFFIX
from pipeline.plan.rules import ENUM_RULES, PassCondition, Rules, read_rules
from pipeline.plan.scheme_model import Scheme, Vocabulary

SUITE_FILE = "plan.json"


@dataclass(frozen=True)
class Plan:
    """One year's validated plan.

    Attributes:
        year: the plan's year.
        units: 单位名册, one row per unit, indexed by 单位代码; 参加考核 as bool; 起始月份 as int
            (1 when not given).
        targets: one row per assessed unit, indexed by 单位代码: 年度报送任务, 年度采用任务,
            年度得分任务 (NaN when not set), 每月最低报送数 (0 when not set).
        points: 分值 and 奖励金额 indexed by (稿件类别, 采用级别).
        bonus: 加分 by 批示级别 (无 gives 0).
        rules: the 考核规则.
        source: the workbook it was read from.
    """

    year: int
    units: pd.DataFrame
    targets: pd.DataFrame
    points: pd.DataFrame
    bonus: dict[str, float]
    rules: Rules
    source: Path
    scheme: Scheme | None = None  # the office's own 办法 (docs/schemes.md); None: today's rules only

    @property
    def vocabulary(self) -> Vocabulary:
        return self.scheme.vocabulary if self.scheme is not None else Vocabulary()

    @property
    def assessed(self) -> list[str]:
        return self.units.index[self.units[L.P_ASSESSED].to_numpy(dtype=bool)].tolist()

    def start_month(self, code: str) -> int:
        """The month (1..12) the unit is assessed from: 起始月份, January when not given."""
        if L.P_START_MONTH not in self.units.columns or code not in self.units.index:
            return 1
        return int(self.units.at[code, L.P_START_MONTH])

    def roster_heads(self) -> dict[str, str]:
        """单位负责人 of the roster, by unit code, for the units that have one."""
        if L.P_HEAD not in self.units.columns:
            return {}
        heads = self.units[L.P_HEAD].fillna("").astype(str).str.strip()
        return {code: head for code, head in heads.items() if head}

    def unit_name(self, code: str) -> str:
        return str(self.units.at[code, L.P_UNIT_NAME]) if code in self.units.index else ""

    def resolve_unit(self, value: str) -> str | None:
        """A unit's code from its code or its exact full name; None when neither matches."""
        if value in self.units.index:
            return value
        matches = self.units.index[self.units[L.P_UNIT_NAME] == value]
        return str(matches[0]) if len(matches) == 1 else None

    def points_of(self, category: str, level: str) -> float:
        return float(self.points.at[(category, level), L.PT_POINTS])

    def reward_of(self, category: str, level: str) -> float:
        return float(self.points.at[(category, level), L.PT_REWARD])

    def bureau_name(self) -> str:
        """The bureau as named in form titles and outputs' headings: the plan's 发文机关 without a
        trailing 办公室, because the office issues the circular but the form is the whole bureau's."""
        return self.rules.issuer.removesuffix("办公室") or self.rules.issuer

    def bonus_of(self, level: str) -> float:
        return float(self.bonus.get(level, 0.0))


def plan_path(inputs: Path, year: int) -> Path:
    return Path(inputs) / L.PLAN_FILE.format(year=year)


def load_plan(inputs: Path, year: int, *, expectations: Path = gx.EXPECTATIONS_DIR) -> Plan:
    """Reads and validates `<inputs>/plan-<year>.xlsx`, with its scheme sheets (docs/schemes.md).

    Raises:
        PlanMissing: no plan for that year.
        PlanUnreadable: the file is not a workbook calamine can read.
        PlanInvalid: any problem in the plan; the message lists every one.
    """
    return read_plan_file(plan_path(inputs, year), year, expectations=expectations)


def read_plan_file(path: Path, year: int, *, expectations: Path = gx.EXPECTATIONS_DIR) -> Plan:
    """`load_plan` of a workbook at any path (a scheme trial reads templates/schemes/ in place)."""
    if not path.is_file():
        raise PlanMissing(year=year, path=path)
    try:
        sheets = {s.name.strip(): s for s in read_sheets(path)}
    except Exception as exc:  # calamine raises several types for broken files
        raise PlanUnreadable(path=path, reason=type(exc).__name__) from exc
    frames, problems = read_plan_frames(sheets)
    extra_frames, extra_problems = scheme_sheets.read_scheme_frames(sheets)
    vocab, vocab_problems = scheme_sheets.vocabulary(extra_frames)
    problems += extra_problems + vocab_problems
    problems += validate_plan_frames(
        frames, expectations / SUITE_FILE, vocab, outlets_named=scheme_sheets.S.S_OUTLETS in extra_frames
    )
    plan, build_problems = _build(year, frames, path)
    if plan is not None:
        scheme, scheme_problems = scheme_sheets.build_scheme(extra_frames, frames, vocab, plan.units, year)
        build_problems += scheme_problems
        plan = dataclasses.replace(plan, scheme=scheme)
    problems = plan_checks.dedupe(problems + build_problems)
    if problems or plan is None:
        raise PlanInvalid(path=path, count=len(problems), details=describe(problems))
    return plan


def describe(problems: list[P.Problem]) -> str:
    """One Chinese line per plan problem, naming sheet, row and column."""
    lines = []
    order = {name: i for i, name in enumerate(L.PLAN_SHEETS)}
    for p in sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.row or 0)):
        where = f"工作表“{p.sheet}”" if p.sheet else "计划表"
        if p.row:
            where += f"第 {p.row} 行"
        if p.column:
            where += f"“{p.column}”列"
        lines.append(f"- {where}：{p.message}")
    return "\n".join(lines)


_SHEET_LABELS = {
    L.S_ROSTER: ((*L.ROSTER_COLUMNS, L.P_START_MONTH, L.P_FORMER_CODE, L.P_HEAD, L.P_GROUP), L.ROSTER_COLUMNS),
    L.S_TARGETS: (L.TARGET_COLUMNS, L.TARGET_REQUIRED),
    L.S_POINTS: (L.POINTS_COLUMNS, (L.PT_CATEGORY, L.PT_LEVEL, L.PT_POINTS)),
    L.S_BONUS: (L.BONUS_COLUMNS, L.BONUS_COLUMNS),
    L.S_RULES: (L.RULE_COLUMNS, L.RULE_COLUMNS),
}

_NUMERIC = {
    L.S_ROSTER: (L.P_START_MONTH,),
    L.S_TARGETS: (L.T_SUBMIT, L.T_ADOPT, L.T_POINTS, L.T_MONTHLY_MIN),
    L.S_POINTS: (L.PT_POINTS, L.PT_REWARD),
    L.S_BONUS: (L.B_BONUS,),
}


def read_plan_frames(sheets: dict[str, Sheet]) -> tuple[dict[str, pd.DataFrame], list[P.Problem]]:
    """Each plan sheet as a frame of cleaned text (plus a numeric shadow of number columns).

    A missing sheet or a missing required label is a problem; optional labels become empty
    columns.
    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[P.Problem] = []
    for name, (labels, required) in _SHEET_LABELS.items():
        sheet = sheets.get(name)
        if sheet is None:
            problems.append(P.make("plan-sheet-missing", sheet=name))
            continue
        header = _best_header_row(sheet.rows, required)
        positions = column_positions(sheet.rows[header], labels) if header is not None else {}
        missing = [c for c in required if c not in positions]
        row = header + 1 if header is not None else None
        problems += [P.make("plan-column-missing", sheet=name, column=c, row=row) for c in missing]
        if missing:
            continue
        frame = table_below(sheet.rows, header, positions)
        frame = frame.assign(**{c: frame[c].map(text) if c in frame else "" for c in labels})
        for column in _NUMERIC.get(name, ()):
            frame[column + NUMBER_SUFFIX] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        frames[name] = frame[[*labels, *[c for c in frame.columns if c.endswith(NUMBER_SUFFIX)], EXCEL_ROW]]
    return frames, problems


def _best_header_row(rows: list[list], required: tuple[str, ...], scan: int = 30) -> int | None:
    """The row among the first `scan` holding the most required labels (None when none holds
    any): a header with a label missing or misspelt is still found, so the problem names only
    the labels really missing."""
    found = [(len(column_positions(row, required)), -index) for index, row in enumerate(rows[:scan])]
    best = max(found, default=(0, 0))
    return -best[1] if best[0] else None


def validate_plan_frames(
    frames: dict[str, pd.DataFrame],
    suite_file: Path,
    vocab: Vocabulary | None = None,
    *,
    outlets_named: bool = False,
) -> list[P.Problem]:
    """Runs the plan suites (GX) and the pandas checks over the sheets that could be read.

    `vocab` holds the categories and levels the plan names itself (labels.py's by default); with
    an outlet catalogue (`outlets_named`), 计分标准 need not cover every category and level.
    """
    problems: list[P.Problem] = []
    vocab = vocab or Vocabulary()
    parameters = {
        "unit_categories": list(vocab.unit_categories),
        "categories": list(vocab.categories),
        "levels": list(vocab.levels),
        "instruction_levels": [L.NO_INSTRUCTION, *vocab.instructions],
        "bonus_levels": list(vocab.instructions),
        "yes_no": list(L.YES_NO),
        "rule_params": [*L.RULE_PARAMS, *L.OPTIONAL_RULE_PARAMS, *scheme_sheets.S.SCHEME_RULE_PARAMS],
        **{f"rule_{e.__name__}": [m.value for m in e] for e in ENUM_RULES.values()},
    }
    for suite in gx.load_suites(suite_file):
        sheet = suite.get("meta", {}).get("sheet")
        frame = frames.get(sheet)
        if frame is None:
            continue
        frame = frame.replace({"": None})
        for failure in gx.validate(frame, suite, id_column=EXCEL_ROW, parameters=parameters, source=suite_file):
            problems += _failure_problems(failure, sheet, frame)
    return problems + plan_checks.pandas_checks(frames, vocab, outlets_named)


def _failure_problems(failure: gx.Failure, sheet: str, frame: pd.DataFrame) -> list[P.Problem]:
    column = failure.column.removesuffix(NUMBER_SUFFIX)
    allowed = failure.kwargs.get("value_set") or []
    out = []
    for row, value in zip(failure.row_ids, failure.values, strict=True):
        record = frame.loc[frame[EXCEL_ROW] == row].iloc[0]
        extra = {"allowed": "、".join(map(str, allowed)), "param": record.get(L.R_PARAM, "")}
        if failure.code == "plan-duplicate":
            same = frame[(frame[failure.column] == value) & (frame[EXCEL_ROW] != row)]
            extra["other_row"] = int(same[EXCEL_ROW].min()) if len(same) else ""
            if extra["other_row"] and extra["other_row"] > int(row):
                continue  # the first occurrence stays; later ones are the duplicates
        shown = record[column] if column in frame else value
        out.append(
            P.make(
                failure.code,
                severity=L.ERROR,
                message=failure.message,
                value=shown,
                sheet=sheet,
                row=int(row),
                column=column,
                **extra,
            )
        )
    return out


def _build(year: int, frames: dict[str, pd.DataFrame], path: Path) -> tuple[Plan | None, list[P.Problem]]:
    """Turns the validated frames into a Plan; the checks that need several sheets at once run
    here. Returns None for the plan when a sheet is missing or a value cannot be typed."""
    rules, problems = read_rules(frames[L.S_RULES]) if L.S_RULES in frames else (None, [])
    if set(frames) != set(_SHEET_LABELS):
        return None, problems
    units = _units(frames[L.S_ROSTER])
    if units.index.has_duplicates or not units.index.all():
        return None, problems
    targets, target_problems = resolve_targets(frames[L.S_TARGETS], units, rules)
    problems += target_problems
    points_frame, bonus_frame = frames[L.S_POINTS], frames[L.S_BONUS]
    points = points_frame.assign(
        **{
            L.PT_POINTS: points_frame[L.PT_POINTS + NUMBER_SUFFIX].astype(float),
            L.PT_REWARD: points_frame[L.PT_REWARD + NUMBER_SUFFIX].fillna(0.0).astype(float),
        }
    ).set_index([L.PT_CATEGORY, L.PT_LEVEL])[[L.PT_POINTS, L.PT_REWARD]]
    bonus = dict(zip(bonus_frame[L.B_LEVEL], bonus_frame[L.B_BONUS + NUMBER_SUFFIX].astype(float), strict=True))
    bonus[L.NO_INSTRUCTION] = 0.0
    if rules is None:
        return None, problems
    return Plan(year, units, targets, points, bonus, rules, path), problems


def _units(roster: pd.DataFrame) -> pd.DataFrame:
    start = roster[L.P_START_MONTH + NUMBER_SUFFIX]
    units = roster.drop(columns=[EXCEL_ROW, L.P_START_MONTH + NUMBER_SUFFIX]).set_index(L.P_UNIT_CODE)
    units[L.P_ASSESSED] = units[L.P_ASSESSED] == L.YES
    units[L.P_START_MONTH] = start.where(start.between(1, 12), 1).fillna(1).astype(int).to_numpy()
    return units


def resolve_targets(
    frame: pd.DataFrame, units: pd.DataFrame, rules: Rules | None
) -> tuple[pd.DataFrame, list[P.Problem]]:
    """One target row per assessed unit: its category's row, overridden field by field by a row
    naming the unit itself (blank optional fields of an override fall back to the category).

    Args:
        frame: the 任务指标 sheet as read by `read_plan_frames`.
        units: the roster indexed by 单位代码.
        rules: the rules, to know whether a points target is needed.

    Returns:
        The targets indexed by 单位代码, and a problem for each assessed unit left without one.
    """
    fields = (L.T_SUBMIT, L.T_ADOPT, L.T_POINTS, L.T_MONTHLY_MIN)
    numeric = frame[[c + NUMBER_SUFFIX for c in fields]].set_axis(fields, axis=1)
    # Duplicate rows are reported by the checks; the first one stands here.
    by_category = _first_by(numeric, frame[L.T_UNIT_CATEGORY])
    by_unit = _first_by(numeric, frame[L.T_UNIT_CODE])
    needs_points = rules is not None and rules.pass_condition is not PassCondition.COUNTS
    records, problems = {}, []
    for code, unit in units.iterrows():
        if not unit[L.P_ASSESSED]:
            continue
        base = by_category.loc[unit[L.P_UNIT_CATEGORY]] if unit[L.P_UNIT_CATEGORY] in by_category.index else None
        override = by_unit.loc[code] if code in by_unit.index else None
        if base is None and override is None:
            problems.append(
                P.make(
                    "plan-no-target",
                    sheet=L.S_TARGETS,
                    unit=f"{code} {unit[L.P_UNIT_NAME]}",
                    category=unit[L.P_UNIT_CATEGORY],
                )
            )
            continue
        merged = (
            override.combine_first(base)
            if override is not None and base is not None
            else (override if base is None else base)
        )
        if needs_points and pd.isna(merged[L.T_POINTS]):
            problems.append(
                P.make(
                    "plan-no-target",
                    sheet=L.S_TARGETS,
                    column=L.T_POINTS,
                    unit=f"{code} {unit[L.P_UNIT_NAME]}（达标条件含得分，须填年度得分任务）",
                    category=unit[L.P_UNIT_CATEGORY],
                )
            )
        records[code] = merged
    targets = pd.DataFrame.from_dict(records, orient="index", columns=list(fields))
    targets.index.name = L.UNIT_CODE
    targets[L.T_MONTHLY_MIN] = targets[L.T_MONTHLY_MIN].fillna(0).astype(int)
    return targets, problems


def _first_by(values: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    keyed = values[key != ""].set_axis(key[key != ""])
    return keyed[~keyed.index.duplicated()]
