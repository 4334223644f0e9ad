"""The office's scheme as typed data: what `pipeline.plan.scheme` reads from the plan's scheme
sheets and `pipeline.scoring.scheme_points` counts by (docs/schemes.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S


@dataclass(frozen=True)
class Vocabulary:
    """The names the plan uses: its own where it names them, labels.py's otherwise.

    Attributes:
        categories: 稿件类别.
        levels: 采用级别, lowest first.
        instructions: 批示级别 without 无, lowest first.
        unit_categories: 单位类别.
        caps: the yearly cap of a unit's points per 稿件类别, where one is set.
        quotas: the pieces of a 稿件类别 a unit must send in the year to pass, where set.
    """

    categories: tuple[str, ...] = L.CATEGORIES
    levels: tuple[str, ...] = L.LEVELS
    instructions: tuple[str, ...] = L.LEVELS
    unit_categories: tuple[str, ...] = L.UNIT_CATEGORIES
    caps: dict[str, float] = field(default_factory=dict)
    quotas: dict[str, int] = field(default_factory=dict)

    def level_rank(self, level: str) -> int:
        return self.levels.index(level) if level in self.levels else -1


@dataclass(frozen=True)
class Outlet:
    """One row of 采用载体: what an adoption in this outlet (of this category, in this use form)
    is worth. `points` None: the 计分标准 value of (category, level), or the outlet's row without a
    use form; `external`: the points the higher office gave, from the form's 上级计分."""

    name: str
    aliases: tuple[str, ...]
    level: str
    category: str
    use_form: str
    points: float | None
    external: bool
    factor: float
    per_unit: bool
    row: int
    reward: float | None = None  # 奖励金额 per adoption; None: 计分标准's for (category, level)


@dataclass(frozen=True)
class Modifier:
    name: str
    times: bool  # 乘 when True, 加 otherwise
    value: float
    category: str  # "" = every category


@dataclass(frozen=True)
class InstructionRule:
    level: str
    doubling: bool  # 倍数: the piece's adoption points are multiplied by `value`
    value: float
    further: float | None  # 逐次累计: each further instruction on the piece (None: `value` again)


@dataclass(frozen=True)
class LumpSum:
    count: str  # 报送数 / 采用数
    reach: int
    points: float
    miss: float
    unit_category: str  # "" = every unit
    row: int


@dataclass(frozen=True)
class Commission:
    id: str
    subject: str
    issued: dt.date | None
    deadline: dt.date
    units: tuple[str, ...]  # codes; empty = every assessed unit
    done: float
    adopted: float | None  # replaces the piece's adoption points when set
    missed: float
    late: float


@dataclass(frozen=True)
class Task:
    name: str
    unit_category: str
    unit_code: str
    done: float
    failed: float


@dataclass(frozen=True)
class EventKind:
    name: str
    points: float
    loses_eligibility: bool


@dataclass(frozen=True)
class Event:
    unit: str
    date: dt.date
    kind: str
    note: str
    points: float
    loses_eligibility: bool


@dataclass(frozen=True)
class SchemeRules:
    instruction_each: bool = False
    base: float = 0.0
    base_only: bool = False
    cap: float | None = None
    convert_full: float | None = None
    convert_base: float | None = None  # None with convert_full: relative to the top unit
    missed_limit: int = 0
    authors_3_2: bool = False
    closed_outlets: bool = False
    pass_months: int = 0
    quarter_min: int = 0
    pass_quarters: int = 0
    pass_rate: float | None = None  # percent: 采用数 ÷ 报送数 × 100 needed to pass
    reward_highest: bool = False  # 奖励计算 = 最高级: a piece's reward is its highest adoption's
    reward_passing_only: bool = False  # 奖励仅限合格: units that fail get no reward


@dataclass(frozen=True)
class Scheme:
    vocabulary: Vocabulary
    outlets: tuple[Outlet, ...] = ()
    modifiers: dict[str, Modifier] = field(default_factory=dict)
    instructions: dict[str, InstructionRule] = field(default_factory=dict)
    lumps: tuple[LumpSum, ...] = ()
    commissions: dict[str, Commission] = field(default_factory=dict)
    tasks: tuple[Task, ...] = ()
    task_results: dict[tuple[str, str], bool] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    rules: SchemeRules = SchemeRules()

    @property
    def use_forms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.use_form for o in self.outlets if o.use_form))

    def form_columns(self) -> tuple[str, ...]:
        """The extra form columns this scheme needs, in the form's order."""
        wanted = {
            S.F_USE_FORM: bool(self.use_forms),
            S.F_MODIFIERS: bool(self.modifiers),
            S.F_COMMISSION: bool(self.commissions),
            S.F_EXTERNAL: any(o.external for o in self.outlets),
        }
        return tuple(c for c in S.SCHEME_FORM_COLUMNS if wanted[c])
