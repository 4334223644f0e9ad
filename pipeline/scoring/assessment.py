"""Year-end assessment (年终考核): pass or fail, award eligibility, commendations and rewards.

Pure functions over the ledger's rows, like `scoring`, whose functions give every figure: the
year is scored as its December (`scoring.unit_statistics`, `scoring.person_statistics`), and
this module only adds what the year end decides (docs/counting.md, "The year end"):

1. Targets: the plan's annual targets; a unit whose 单位名册 gives 起始月份 s (it joined in
   the year) is assessed on ⌈target × (13 − s) / 12⌉ (whole pieces, whole points), and owes
   no deductions for the months before s (`scoring.deductions`).
2. 考核结果 by 达标条件 — 数量: 报送数 ≥ 年度报送任务 and 采用数 ≥ 年度采用任务; 得分: net
   得分 ≥ 年度得分任务; 数量和得分: both. 不达标 takes away 评优资格 (取消), from the unit and
   its 单位负责人 (from its latest accepted form).
3. 先进单位: the first 先进单位名额 of the 达标 units by 得分, then 采用数, then 采用条次 at
   省级 and above, then 单位代码. 先进个人: the first 先进个人名额 persons with points of the
   units that keep 评优资格, by 得分, then 采用数, then 单位代码 and 姓名. A tie at a cut-off
   settled by the later keys is said in 备注. 优秀信息员: the roster's 信息员 of each 先进单位.
4. Under the office's own 考核办法 (`plan.scheme`), every figure is the scheme's
   (`scheme_month`): 得分 is its 考核得分, its parts (稿件得分, 约稿得分, 事件得分 …) and 折算得分
   are columns of their own where the scheme uses them; 达标 also needs the scheme's own pass
   rules (合格月数 …), 评优资格 is kept only where the scheme keeps it (约稿 missed, events), and
   备注 says every rule that changed the unit's result.
5. Units with 参加考核 = 否 in the plan (the plan processed with December is the year's plan: a
   unit that left during the year is assessed as the December plan says) get their figures
   but no result, 排名 or eligibility; they are listed apart.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.months import month_key, year_start
from pipeline.core.records import ACCEPTED, FileRecord
from pipeline.plan.plan import Plan
from pipeline.plan.rules import PassCondition
from pipeline.scoring import persons as PN
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scheme_month as SM
from pipeline.scoring import scheme_units as SU
from pipeline.scoring import scoring as S
from pipeline.scoring.year_counts import (
    LEVELS_SHOWN,
    Totals,
    level_label,
    paid_adoptions,
    person_counts,
    provincial_levels,
    shown_levels,
    unit_levels,
    year_totals,
)

# --- The sheets of 年终考核表 (labels in core/output_labels) ---------------------------------


UNIT_COLUMNS = (
    L.SEQ,
    L.UNIT_CODE,
    L.UNIT_NAME,
    L.P_UNIT_CATEGORY,
    L.T_SUBMIT,
    OL.YEAR_SENT,
    L.T_ADOPT,
    OL.YEAR_ADOPTED,
    *[level_label(level) for level in LEVELS_SHOWN],
    OL.YEAR_BONUS,
    OL.DEDUCTIONS,
    L.T_POINTS,
    OL.YEAR_POINTS,
    OL.SUBMIT_RATE,
    OL.ADOPT_RATE,
    OL.POINTS_RATE,
    OL.RANK,
    OL.RESULT,
    OL.ELIGIBILITY,
    OL.TOP_UNIT,
    OL.UNIT_HEAD,
    OL.YEAR_NOTE,
)
PERSON_COLUMNS = (
    L.UNIT_CODE,
    L.UNIT_NAME,
    PN.PERSON_NAME,
    OL.YEAR_PIECES,
    OL.YEAR_ADOPTED,
    OL.YEAR_POINTS,
    OL.YEAR_REWARD,
    OL.TOP_PERSON,
    OL.TOP_OFFICER,
    OL.YEAR_NOTE,
)
PAYOUT_COLUMNS = (
    L.SEQ,
    OL.PAYOUT_UNIT,
    PN.PERSON_NAME,
    *[level_label(level) for level in LEVELS_SHOWN],
    OL.PAYOUT_AMOUNT,
    OL.SIGNATURE,
)


@dataclass(frozen=True)
class YearEnd:
    """The year's results, as the sheets of 年终考核表.xlsx and the year's circular show them.

    Attributes:
        year: the year.
        plan: the year's plan (targets as planned; `units` shows the pro-rated ones).
        units: 单位考核 of the assessed units, by 排名 then code (UNIT_COLUMNS).
        apart: the units with 参加考核 = 否, same columns, no result.
        persons: 个人 (PERSON_COLUMNS), by 得分 descending.
        payout: 奖励发放, one row per person with money due (PAYOUT_COLUMNS without totals), by
            unit code and 姓名; 金额 in whole fen.
        totals: the county's figures.
        scheme: under the office's own 考核办法, the scheme's results of the assessed units as
            of December (scheme_units.UNIT_COLUMNS, indexed by 单位代码); None otherwise.
    """

    year: int
    plan: Plan
    units: pd.DataFrame
    apart: pd.DataFrame
    persons: pd.DataFrame
    payout: pd.DataFrame
    totals: Totals
    scheme: pd.DataFrame | None = None

    @property
    def top_units(self) -> pd.DataFrame:
        return self.units[self.units[OL.TOP_UNIT] == L.YES]

    @property
    def failed_units(self) -> pd.DataFrame:
        return self.units[self.units[OL.RESULT] == OL.FAILED]

    @property
    def ineligible_units(self) -> pd.DataFrame:
        """The units that lost 评优资格: the failed ones, and under a scheme those its rules took
        it from (约稿 missed, events)."""
        return self.units[self.units[OL.ELIGIBILITY] == OL.LOSES]

    def losses(self, code: str) -> list[str]:
        """Why a unit lost 评优资格, in words: its shortfalls against the targets, then the
        scheme's reasons."""
        unit = self.units.set_index(L.UNIT_CODE).loc[code]
        reasons = shortfalls(unit, self.plan.rules.pass_condition) if unit[OL.RESULT] == OL.FAILED else []
        if self.scheme is not None and code in self.scheme.index and self.scheme.at[code, SU.U_LOST]:
            reasons += self.scheme.at[code, SU.U_LOST].split("；")
        return reasons

    @property
    def top_persons(self) -> pd.DataFrame:
        return self.persons[self.persons[OL.TOP_PERSON] == L.YES]

    @property
    def top_officers(self) -> pd.DataFrame:
        return self.persons[self.persons[OL.TOP_OFFICER] == L.YES]


# --- Targets -----------------------------------------------------------------------------------


def prorated(plan: Plan) -> Plan:
    """The plan with each assessed unit's annual targets pro-rated from its 起始月份 s:
    ⌈target × (13 − s) / 12⌉; units assessed from January keep theirs."""
    targets = plan.targets.copy()
    for code in targets.index:
        months = 13 - plan.start_month(code)
        if months == 12:
            continue
        for column in (L.T_SUBMIT, L.T_ADOPT, L.T_POINTS):
            value = targets.at[code, column]
            if pd.notna(value):
                # rounded first so that 12 × 6 / 12 is 6, not 6.000000001 rounded up to 7
                targets.at[code, column] = float(math.ceil(round(value * months / 12, 9)))
    return dataclasses.replace(plan, targets=targets)


# --- Heads of units ----------------------------------------------------------------------------


def latest_heads(files: Iterable[tuple[str, FileRecord]]) -> dict[str, str]:
    """Each unit's 单位负责人 from the header of its latest accepted form that names one.

    Args:
        files: (月份, file record) of the year's processed months, in any order.
    """
    heads: dict[str, tuple[str, str]] = {}
    for month, record in files:
        head = str((record.header or {}).get(L.H_HEAD) or "").strip()
        if record.fate != ACCEPTED or not head or not record.unit_code:
            continue
        if record.unit_code not in heads or heads[record.unit_code][0] <= month:
            heads[record.unit_code] = (month, head)
    return {code: head for code, (_, head) in heads.items()}


# --- The assessment ----------------------------------------------------------------------------


def assess_year(
    rows: pd.DataFrame,
    returns: pd.DataFrame,
    processed: list[str],
    plan: Plan,
    heads: dict[str, str] | None = None,
    *,
    scored: S.Scores | None = None,
) -> YearEnd:
    """Assesses the plan's year from the ledger.

    Args:
        rows: the ledger's accepted rows (the year and the year before; later months ignored).
        returns: the year's accepted forms (labels.RETURN_COLUMNS).
        processed: the months processed so far.
        plan: the year's plan.
        heads: 单位负责人 by unit code (`latest_heads`).
        scored: `scoring.score_month` of December over the same rows, when the caller just
            made it: its pieces and gains are reused, not gathered again.

    Returns:
        The year's results.
    """
    year, end = plan.year, month_key(plan.year, 12)
    start = year_start(end)
    assessed_plan = prorated(plan)
    reuse = scored is not None and scored.month == end and scored.pieces is not None
    if reuse:
        pieces, gained = scored.pieces, scored.gained
    else:
        pieces = SM.gather(rows, plan, end)
        gained = PW.gains(pieces, plan, end)
    if reuse and assessed_plan.targets.equals(plan.targets):
        # December's 单位统计 is the year's when no target was pro-rated: the same call
        stats = scored.units.copy()
    else:
        stats = S.unit_statistics(pieces, gained, returns, processed, assessed_plan, end)
    stats = stats.set_index(stats[L.UNIT_CODE].rename(None))
    levels = unit_levels(pieces, start, end, tuple(reversed(shown_levels(plan)))).reindex(stats.index, fill_value=0)
    bonus = pieces.credit(gained.ytd[PC.BONUS], plan.rules.co_written)
    verdicts = None
    if plan.scheme is not None:
        tally = SM.tally_of(pieces, assessed_plan, returns, processed)
        bonus = tally.unit_figures(end, stats.index)[SM.BONUS]
        verdicts = tally.year(end).units
    frame = _unit_frame(stats, levels, bonus.reindex(stats.index, fill_value=0.0), heads or {}, shown_levels(plan))
    if verdicts is not None:
        frame = _with_scheme_parts(frame, verdicts, plan)
    assessed = plan.units[L.P_ASSESSED].reindex(frame.index).astype(bool)
    units = _judge(frame[assessed], assessed_plan, verdicts)
    apart = frame[~assessed].assign(**{OL.RESULT: "", OL.ELIGIBILITY: "", OL.TOP_UNIT: "", OL.YEAR_NOTE: "不参加考核"})
    # December's 个人统计 is the year's (the same call); the authors of each piece's latest
    # rows are read once for the persons' counts and for the payout
    person_stats = scored.persons.copy() if reuse else S.person_statistics(pieces, gained, plan, end)
    authors = PN.latest_authors_of(pieces, end)
    persons = _persons(pieces, person_stats, plan, units, start, end, authors)
    payout = _payout(pieces, plan, persons, start, end, authors)
    return YearEnd(
        year=year,
        plan=plan,
        units=_numbered(units),
        apart=_numbered(apart),
        persons=persons,
        payout=payout,
        totals=year_totals(pieces, year, plan),
        scheme=verdicts,
    )


def _unit_frame(
    stats: pd.DataFrame,
    levels: pd.DataFrame,
    bonus: pd.Series,
    heads: dict[str, str],
    shown: tuple[str, ...] = LEVELS_SHOWN,
) -> pd.DataFrame:
    """单位考核's columns (UNIT_COLUMNS; a scheme's own levels in place of labels.py's)."""
    return pd.DataFrame(
        {
            L.SEQ: 0,
            L.UNIT_CODE: stats[L.UNIT_CODE],
            L.UNIT_NAME: stats[L.UNIT_NAME],
            L.P_UNIT_CATEGORY: stats[L.P_UNIT_CATEGORY],
            L.T_SUBMIT: stats[L.T_SUBMIT],
            OL.YEAR_SENT: stats[OL.SENT_YTD],
            L.T_ADOPT: stats[L.T_ADOPT],
            OL.YEAR_ADOPTED: stats[OL.ADOPTED_YTD],
            **{level_label(level): levels[level] for level in shown},
            OL.YEAR_BONUS: bonus,
            OL.DEDUCTIONS: stats[OL.DEDUCTIONS],
            L.T_POINTS: stats[L.T_POINTS],
            OL.YEAR_POINTS: stats[OL.POINTS_YTD],
            OL.SUBMIT_RATE: stats[OL.SUBMIT_RATE],
            OL.ADOPT_RATE: stats[OL.ADOPT_RATE],
            OL.POINTS_RATE: stats[OL.POINTS_RATE],
            OL.RANK: stats[OL.RANK],
            OL.RESULT: "",
            OL.ELIGIBILITY: "",
            OL.TOP_UNIT: "",
            OL.UNIT_HEAD: [heads.get(code, "") for code in stats.index],
            OL.YEAR_NOTE: "",
        },
        index=stats.index,
    )


# The scheme's parts of a unit's 得分 shown on 单位考核 where the scheme uses them (placed before
# 年度得分任务), and its 折算得分 (after 得分).
SCHEME_PARTS = (SU.U_PIECES, SU.U_LUMPS, SU.U_COMMISSIONS, SU.U_TASKS, SU.U_EVENTS, SU.U_BASE)


def _with_scheme_parts(frame: pd.DataFrame, verdicts: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """单位考核 with the scheme's parts of 得分 that any unit has (稿件得分 always) and 折算得分
    when the scheme converts; units the scheme does not assess show nothing there."""
    shown = [c for c in SCHEME_PARTS if c == SU.U_PIECES or (verdicts[c].astype(float) != 0).any()]
    columns = list(frame.columns)
    at = columns.index(L.T_POINTS)
    columns[at:at] = shown
    if plan.scheme.rules.convert_full is not None:
        columns.insert(columns.index(OL.YEAR_POINTS) + 1, SU.U_CONVERTED)
    parts = verdicts.reindex(frame.index)[[*shown, SU.U_CONVERTED]].astype(float)
    return frame.assign(**{c: parts[c] for c in parts.columns})[columns]


def passes(frame: pd.DataFrame, condition: PassCondition) -> pd.Series:
    """达标 per unit under 达标条件, with the frame's (pro-rated) targets."""
    counts = (frame[OL.YEAR_SENT] >= frame[L.T_SUBMIT].fillna(0)) & (
        frame[OL.YEAR_ADOPTED] >= frame[L.T_ADOPT].fillna(0)
    )
    points = frame[OL.YEAR_POINTS].round(9) >= frame[L.T_POINTS].fillna(0)
    if condition is PassCondition.COUNTS:
        return counts
    if condition is PassCondition.POINTS:
        return points
    return counts & points


def shortfalls(unit: pd.Series, condition: PassCondition) -> list[str]:
    """The reasons a unit is 不达标, in words."""
    reasons = []
    if condition is not PassCondition.POINTS:
        if unit[OL.YEAR_SENT] < unit[L.T_SUBMIT]:
            reasons.append(f"报送数{unit[OL.YEAR_SENT]}篇，未达年度报送任务{number(unit[L.T_SUBMIT])}篇")
        if unit[OL.YEAR_ADOPTED] < unit[L.T_ADOPT]:
            reasons.append(f"采用数{unit[OL.YEAR_ADOPTED]}篇，未达年度采用任务{number(unit[L.T_ADOPT])}篇")
    if condition is not PassCondition.COUNTS and round(unit[OL.YEAR_POINTS], 9) < unit[L.T_POINTS]:
        reasons.append(f"得分{number(unit[OL.YEAR_POINTS])}分，未达年度得分任务{number(unit[L.T_POINTS])}分")
    return reasons


def number(value: float) -> str:
    """A figure as the text shows it: whole numbers without decimals, others to 0.01."""
    rounded = round(float(value), 2)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.2f}".rstrip("0")


def _judge(frame: pd.DataFrame, plan: Plan, verdicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """考核结果, 评优资格, 先进单位 and 备注 of the assessed units; under a scheme (`verdicts`: its
    units' results) 达标 also needs the scheme's 考核合格, 评优资格 its 评优资格, and 备注 adds
    the rules the scheme applied."""
    condition = plan.rules.pass_condition
    on_targets = passes(frame, condition)
    passed, keeps = on_targets, on_targets
    if verdicts is not None:
        mine = verdicts.reindex(frame.index)
        passed = on_targets & (mine[SU.U_PASSED] == L.YES)
        keeps = passed & (mine[SU.U_ELIGIBLE] == L.YES)
    notes = {code: [] for code in frame.index}
    for code in frame.index:
        start = plan.start_month(code)
        if start > 1:
            notes[code].append(f"{start}月起参加考核，年度任务按{13 - start}个月折算")
        if not on_targets[code]:
            notes[code] += shortfalls(frame.loc[code], condition)
        if verdicts is not None and verdicts.at[code, SU.U_NOTES]:
            notes[code].append(verdicts.at[code, SU.U_NOTES])
    eligible = frame[keeps]
    provincial = eligible[[level_label(level) for level in provincial_levels(plan)]].sum(axis=1)
    candidates = eligible.assign(
        _key=-eligible[OL.YEAR_POINTS].round(9), _adopted=-eligible[OL.YEAR_ADOPTED], _prov=-provincial
    )
    chosen, tie_notes = select_top(
        candidates,
        ["_key", "_adopted", "_prov", L.UNIT_CODE],
        plan.rules.top_units,
        {
            "_adopted": ("采用数", OL.YEAR_ADOPTED),
            "_prov": ("省级及以上采用条次", None),
            L.UNIT_CODE: ("单位代码排序", None),
        },
        name=lambda row: row[L.UNIT_NAME],
        points=lambda row: number(row[OL.YEAR_POINTS]),
        honour=OL.TOP_UNIT,
    )
    for code, text in tie_notes.items():
        notes[code].append(text)
    return frame.assign(
        **{
            OL.RESULT: passed.map({True: OL.PASSED, False: OL.FAILED}),
            OL.ELIGIBILITY: keeps.map({True: OL.KEEPS, False: OL.LOSES}),
            OL.TOP_UNIT: [L.YES if code in chosen else "" for code in frame.index],
            OL.YEAR_NOTE: ["；".join(notes[code]) for code in frame.index],
        }
    )


def select_top(
    candidates: pd.DataFrame,
    keys: list[str],
    quota: int,
    tie_keys: dict[str, tuple[str, str | None]],
    *,
    name: Callable[[pd.Series], str],
    points: Callable[[pd.Series], str],
    honour: str,
) -> tuple[set, dict]:
    """The first `quota` candidates in the order of `keys` (the first key is the points), and a
    note for each candidate of a points tie the cut-off split.

    Args:
        candidates: one row per candidate, indexed by its id, holding the key columns.
        keys: sort keys, ascending; the first is the (negated) points.
        quota: how many are chosen.
        tie_keys: for each later key, its Chinese name and the column showing its value (or None).
        name: a candidate's name in the note; points: its points as text.
        honour: what is awarded (先进单位 or 先进个人).

    Returns:
        The chosen ids and the notes by id.
    """
    ordered = candidates.sort_values(keys, kind="stable")
    chosen = list(ordered.index[:quota])
    if quota <= 0 or len(ordered) <= quota:
        return set(chosen), {}
    last_in, first_out = ordered.iloc[quota - 1], ordered.iloc[quota]
    if last_in[keys[0]] != first_out[keys[0]]:
        return set(chosen), {}
    deciding = next(key for key in keys[1:] if last_in[key] != first_out[key])
    label, shown = tie_keys[deciding]
    tied = ordered[ordered[keys[0]] == last_in[keys[0]]]
    notes = {}
    for index, row in tied.iterrows():
        others = "、".join(name(other) for i, other in tied.iterrows() if i != index)
        inside = index in chosen
        detail = f"（{row[shown]}）" if shown else ""
        verdict = f"按{label}{detail}{'列为' if inside else '未列为'}{honour}"
        notes[index] = f"得分{points(row)}分，与{others}并列，{verdict}（名额{quota}个）"
    return set(chosen), notes


def _persons(
    pieces: PC.Pieces,
    stats: pd.DataFrame,
    plan: Plan,
    units: pd.DataFrame,
    start: str,
    end: str,
    authors: pd.DataFrame,
) -> pd.DataFrame:
    """个人: the persons of the year with their counts, points and rewards, 先进个人 and
    优秀信息员, from the year's 个人统计 (`scoring.person_statistics` of December) and the
    authors of the pieces' latest rows (`persons.latest_authors` through December)."""
    stats = stats.set_index(pd.MultiIndex.from_frame(stats[[L.UNIT_CODE, PN.PERSON_NAME]], names=[None, None]))
    counts = person_counts(pieces, start, end, authors)
    counts.index = counts.index.set_names([None, None])
    counts = counts.reindex(stats.index, fill_value=0)
    frame = pd.DataFrame(
        {
            L.UNIT_CODE: stats[L.UNIT_CODE],
            L.UNIT_NAME: stats[L.UNIT_NAME],
            PN.PERSON_NAME: stats[PN.PERSON_NAME],
            OL.YEAR_PIECES: counts[OL.YEAR_PIECES],
            OL.YEAR_ADOPTED: counts[OL.YEAR_ADOPTED],
            OL.YEAR_POINTS: stats[OL.POINTS_YTD],
            OL.YEAR_REWARD: stats[OL.REWARD_YTD],
            OL.TOP_PERSON: "",
            OL.TOP_OFFICER: "",
            OL.YEAR_NOTE: "",
        },
        index=stats.index,
    )
    frame = _with_officers(frame, plan, units)
    keeping = set(units.index[units[OL.ELIGIBILITY] == OL.KEEPS])
    eligible = frame[frame[L.UNIT_CODE].isin(keeping) & (frame[OL.YEAR_POINTS].round(9) > 0)]
    candidates = eligible.assign(_key=-eligible[OL.YEAR_POINTS].round(9), _adopted=-eligible[OL.YEAR_ADOPTED])
    chosen, notes = select_top(
        candidates,
        ["_key", "_adopted", L.UNIT_CODE, PN.PERSON_NAME],
        plan.rules.top_persons,
        {
            "_adopted": ("采用数", OL.YEAR_ADOPTED),
            L.UNIT_CODE: ("单位代码排序", None),
            PN.PERSON_NAME: ("姓名排序", None),
        },
        name=lambda row: f"{row[L.UNIT_NAME]}{row[PN.PERSON_NAME]}",
        points=lambda row: number(row[OL.YEAR_POINTS]),
        honour=OL.TOP_PERSON,
    )
    frame[OL.TOP_PERSON] = [L.YES if key in chosen else "" for key in frame.index]
    frame[OL.YEAR_NOTE] = [notes.get(key, "") for key in frame.index]
    return frame.reset_index(drop=True)[list(PERSON_COLUMNS)]


def _with_officers(frame: pd.DataFrame, plan: Plan, units: pd.DataFrame) -> pd.DataFrame:
    """Marks the 信息员 of each 先进单位 as 优秀信息员, adding them when they authored nothing."""
    officers = []
    for code in units.index[units[OL.TOP_UNIT] == L.YES]:
        officer = str(plan.units.at[code, L.P_OFFICER]).strip()
        if officer:
            officers.append((code, officer))
    missing = [key for key in officers if key not in frame.index]
    if missing:
        extra = pd.DataFrame(
            {
                L.UNIT_CODE: [c for c, _ in missing],
                L.UNIT_NAME: [plan.unit_name(c) for c, _ in missing],
                PN.PERSON_NAME: [n for _, n in missing],
                OL.YEAR_PIECES: 0,
                OL.YEAR_ADOPTED: 0,
                OL.YEAR_POINTS: 0.0,
                OL.YEAR_REWARD: 0.0,
                OL.TOP_PERSON: "",
                OL.TOP_OFFICER: "",
                OL.YEAR_NOTE: "",
            },
            index=pd.MultiIndex.from_tuples(missing),
        )
        frame = pd.concat([frame, extra])
    frame = frame.copy()
    frame[OL.TOP_OFFICER] = [L.YES if key in set(officers) else "" for key in frame.index]
    return frame


def _payout(
    pieces: PC.Pieces, plan: Plan, persons: pd.DataFrame, start: str, end: str, authors: pd.DataFrame
) -> pd.DataFrame:
    """奖励发放: one row per person with money due, by unit code and 姓名."""
    due = persons[persons[OL.YEAR_REWARD].round(2) > 0]
    due = due.set_index(pd.MultiIndex.from_frame(due[[L.UNIT_CODE, PN.PERSON_NAME]], names=[None, None]))
    due = due.sort_index(kind="stable")
    paid = paid_adoptions(pieces, plan, start, end, authors)
    paid.index = paid.index.set_names([None, None])
    paid = paid.reindex(due.index, fill_value=0)
    frame = pd.DataFrame(
        {
            L.SEQ: np.arange(1, len(due) + 1),
            L.UNIT_CODE: due[L.UNIT_CODE],
            OL.PAYOUT_UNIT: due[L.UNIT_NAME],
            PN.PERSON_NAME: due[PN.PERSON_NAME],
            **{level_label(level): paid[level].astype(int) for level in shown_levels(plan)},
            OL.PAYOUT_AMOUNT: due[OL.YEAR_REWARD].round(2),
            OL.SIGNATURE: "",
        }
    )
    return frame.reset_index(drop=True)


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(**{L.SEQ: np.arange(1, len(frame) + 1)}).reset_index(drop=True)


def fen(amounts: pd.Series) -> int:
    """A sum of money amounts, in whole fen (no float noise)."""
    return int(fen_each(amounts).sum())


def fen_each(amounts: pd.Series) -> np.ndarray:
    """Each money amount in whole fen."""
    return np.round(amounts.to_numpy(dtype=float) * 100).astype(np.int64)
