"""The demo county, 示范县国土资源局: its plan workbook and a year of returned forms.

`generate(inputs)` writes `inputs/plan-2025.xlsx` and every unit's returned forms for the twelve
months of 2025 into `inputs/2025-MM/`, built with `forms.build_form` and filled the way officers
fill them: realistic titles per unit and month, pieces adopted one to three months after they
were sent (listed 未采用 in the sending month and 已采用, with the original 报送日期, in the
adoption month), a few co-written pieces, occasional leader instructions, one unit that returns
nothing for two months (SO06, May and June), one unit chronically behind its target (SO08), and
the mistakes people make, listed one by one in `PLANTED` with the problem each should raise.

Everything comes from a fixed seed through `random.Random` instances keyed by unit and month,
never from time or set ordering; files are saved with timestamps derived from their 填报日期,
so re-running the generator rewrites the committed files byte for byte.

The county's data lives beside this module: what units write about in `pipeline.demo_texts`,
their people, habits, outlets, calendar and planted mistakes in `pipeline.demo_facts`.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import hashlib
import io
import json
import os
import random
import shutil
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import docx
import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline import forms, months, xlsx
from pipeline import labels as L
from pipeline.demo_facts import (
    BEHIND_UNIT,
    CARRYING_UNITS,
    CO_WRITTEN,
    FILE_NAMES,
    HOLIDAYS,
    INSTRUCTIONS,
    LATE_UNIT,
    LEVEL_WEIGHTS,
    NO_HEAD,
    NO_NUMBERING,
    OUTLETS,
    PEOPLE,
    PLANTED,
    SEASON,
    SHORT_NAMES,
    WRITES_NO_INSTRUCTION,
    Outlet,
)
from pipeline.demo_facts import Planted as Planted
from pipeline.demo_texts import (
    GOV,
    KIND_SHARES,
    NEWS,
    PARTY,
    PARTY_BRANCHES,
    RESEARCH,
    RESEARCH_ARTICLE,
    TEMPLATES,
    TOPICS,
    TOWNS,
    VILLAGES,
)
from pipeline.errors import PipelineError
from pipeline.plan import Plan, load_plan
from pipeline.sheets import fold

BUREAU = "示范县国土资源局"
YEAR = 2025

# (code, name, category, officer, phone, assessed)
UNITS: list[tuple[str, str, str, str, str, str]] = [
    ("GS01", "办公室", "股室", "王晓燕", "0539-3221001", L.YES),
    ("GS02", "规划利用股", "股室", "李建国", "0539-3221002", L.YES),
    ("GS03", "耕地保护股", "股室", "张丽", "0539-3221003", L.YES),
    ("GS04", "地籍管理股", "股室", "刘洋", "0539-3221004", L.YES),
    ("GS05", "矿产资源管理股", "股室", "陈志强", "0539-3221005", L.YES),
    ("GS06", "政策法规股", "股室", "杨帆", "0539-3221006", L.YES),
    ("GS07", "财务审计股", "股室", "赵敏", "0539-3221007", L.YES),
    ("GS08", "人事教育股", "股室", "孙静", "0539-3221008", L.NO),
    ("SO01", "城关国土资源所", "国土资源所", "周海涛", "0539-3222001", L.YES),
    ("SO02", "东关国土资源所", "国土资源所", "吴磊", "0539-3222002", L.YES),
    ("SO03", "西湖国土资源所", "国土资源所", "郑红", "0539-3222003", L.YES),
    ("SO04", "南岭国土资源所", "国土资源所", "冯刚", "0539-3222004", L.YES),
    ("SO05", "北山国土资源所", "国土资源所", "褚文博", "0539-3222005", L.YES),
    ("SO06", "青石国土资源所", "国土资源所", "卫东", "0539-3222006", L.YES),
    ("SO07", "柳河国土资源所", "国土资源所", "蒋小芳", "0539-3222007", L.YES),
    ("SO08", "白马国土资源所", "国土资源所", "沈立新", "0539-3222008", L.YES),
    ("ZX01", "土地储备中心", "中心", "韩梅", "0539-3223001", L.YES),
    ("ZX02", "不动产登记中心", "中心", "朱晓东", "0539-3223002", L.YES),
    ("ZX03", "国土资源信息中心", "中心", "秦雪", "0539-3223003", L.YES),
    ("DD01", "国土资源执法监察大队", "大队", "尤振华", "0539-3224001", L.YES),
]

# (单位类别, 单位代码, 年度报送任务, 年度采用任务, 年度得分任务, 每月最低报送数)
TARGETS: list[tuple[Any, ...]] = [
    ("股室", None, 30, 15, None, 2),
    ("国土资源所", None, 24, 10, None, 2),
    ("中心", None, 30, 15, None, 2),
    ("大队", None, 36, 18, None, 2),
    (None, "GS01", 60, 36, None, 4),
]

# 稿件类别 -> (县级, 市级, 省级, 国家级) points; rewards in yuan by level.
POINTS = {
    "政务信息": (5, 10, 20, 50),
    "新闻宣传": (2, 4, 6, 20),
    "调研文章": (10, 20, 40, 100),
    "党建信息": (5, 10, 20, 50),
}
REWARDS = (20, 40, 60, 80)
BONUS = {"县级": 10, "市级": 30, "省级": 40, "国家级": 50}

RULES: list[tuple[str, Any]] = [
    (L.R_MULTI_LEVEL, "累计"),
    (L.R_CO_WRITTEN, "均分"),
    (L.R_REWARD_SPLIT, "均分"),
    (L.R_MISSING_DEDUCTION, 2),
    (L.R_SHORTFALL_DEDUCTION, 0),
    (L.R_PASS, "数量"),
    (L.R_TOP_UNITS, 3),
    (L.R_TOP_PERSONS, 5),
    (L.R_DEADLINE_DAY, 5),
    (L.R_ISSUER, "示范县国土资源局办公室"),
    (L.R_DOC_PREFIX, "示国土办"),
]


def plan_sheets(
    units: list[tuple[Any, ...]] = UNITS,
    targets: list[tuple[Any, ...]] = TARGETS,
    points: dict[str, tuple[float, ...]] = POINTS,
    rewards: tuple[float, ...] = REWARDS,
    bonus: dict[str, float] = BONUS,
    rules: list[tuple[str, Any]] = RULES,
) -> dict[str, list[list[Any]]]:
    """The plan workbook's sheets as grids (header row first); tests alter them to make faults."""
    return {
        L.S_ROSTER: [list(L.ROSTER_COLUMNS), *map(list, units)],
        L.S_TARGETS: [list(L.TARGET_COLUMNS), *map(list, targets)],
        L.S_POINTS: [
            list(L.POINTS_COLUMNS),
            *[[c, lv, p, r] for c, row in points.items() for lv, p, r in zip(L.LEVELS, row, rewards, strict=True)],
        ],
        L.S_BONUS: [list(L.BONUS_COLUMNS), *[[lv, b] for lv, b in bonus.items()]],
        L.S_RULES: [list(L.RULE_COLUMNS), *map(list, rules)],
    }


def write_plan(
    path: Path,
    sheets: dict[str, list[list[Any]]] | None = None,
    *,
    title: str = BUREAU,
    saved_at: dt.datetime | None = None,
) -> Path:
    """Writes a plan workbook with a title row above each table, as offices lay them out.

    With `saved_at`, the file is saved reproducibly (fixed timestamps) instead of atomically
    with the current time; the demo generator uses it so the committed plan never changes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, grid in (sheets or plan_sheets()).items():
        ws = workbook.create_sheet(name)
        xlsx.put(ws.cell(row=1, column=1), f"{title}{YEAR}年信息宣传考核计划——{name}")
        ws.cell(row=1, column=1).font = xlsx.HEADER_FONT
        for r, row in enumerate(grid, start=2):
            for c, value in enumerate(row, start=1):
                xlsx.put(ws.cell(row=r, column=c), value)
        xlsx.style_header_row(ws, 2, len(grid[0]))
        xlsx.set_widths(ws, {c: max(12, xlsx.display_width(v) + 4) for c, v in enumerate(grid[0], start=1)})
        ws.freeze_panes = "A3"
    if saved_at is None:
        xlsx.save_workbook(workbook, path)
    else:
        save_reproducibly(workbook, path, saved_at)
    return path


# --- The demo county's returned forms ----------------------------------------------------------

SEED = 20250305
FORM_ROWS = 30  # prepared rows of the demo's forms: enough for any unit, and fast to build
MONTHS = tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))


@dataclass
class Adoption:
    outlet: Outlet
    day: dt.date
    proof: str
    instruction: str = ""


@dataclass
class Piece:
    """One piece a unit wrote, with every adoption it gets during the year."""

    unit: str
    title: str
    category: str
    authors: str
    sent: dt.date
    sent_to: str
    reviewer: str
    adoptions: list[Adoption] = field(default_factory=list)
    co_unit: str = ""  # the co-writing unit, as this unit writes it

    def adoptions_in(self, month: int) -> list[Adoption]:
        return [a for a in self.adoptions if a.day.month == month]

    @property
    def first_adopted(self) -> int | None:
        return min((a.day.month for a in self.adoptions), default=None)


@dataclass
class ReturnedForm:
    """One file as a unit sends it: its header, its rows (a row is a dict of table labels; an
    empty dict is a blank line) and the pending pieces its issued form came pre-filled with."""

    unit: str
    month: str
    path: str
    filled: dt.date
    rows: list[dict[str, Any]]
    carried: list[Piece]
    sheet_edits: tuple[str, ...] = ()


WRITTEN_FILE = ".demo-files.json"  # in inputs: sha256 of every file the demo wrote last time


class DemoWouldOverwrite(PipelineError):
    """在 {inputs} 中重新生成示范数据会覆盖或删除以下 {count} 个不是示范程序写的（或写后被改过的）文件，已拒绝，没有做任何改动：\n{files}\n请先把这些文件移到别处，或用 --inputs 指定另一个目录。"""

    exit_code = 11

    @property
    def message(self) -> str:
        return (self.__doc__ or "").strip().format(**self.fields)


def generate(inputs: Path) -> None:
    """Writes the demo county's plan and a year of returned forms under `inputs`.

    The demo's places are `plan-2025.xlsx` and the twelve folders `inputs/2025-MM/`. A file there
    is replaced or removed only when the demo wrote it (its sha256 is in `WRITTEN_FILE`, kept
    beside them) or it already holds what the demo writes now; anything else there (a form the
    office put in, an edited plan) makes the whole generation stop before any change.

    Raises:
        DemoWouldOverwrite: files that would be lost, listed; nothing was written.
    """
    inputs = Path(inputs)
    with tempfile.TemporaryDirectory(prefix="demo-") as staging:
        staged = Path(staging)
        _write_demo(staged)
        new = _hashes(staged)
        current = _hashes(inputs)
        lost = files_lost(current, new, _written_before(inputs))
        if lost:
            raise DemoWouldOverwrite(inputs=inputs, count=len(lost), files="\n".join(f"- {name}" for name in lost))
        for name in sorted(set(current) - set(new)):
            (inputs / name).unlink()
        for name, digest in new.items():
            if current.get(name) != digest:
                _copy(staged / name, inputs / name)
    for month in MONTHS:
        _remove_empty_folders(inputs / month)
    xlsx.write_text(inputs / WRITTEN_FILE, json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def files_lost(current: dict[str, str], new: dict[str, str], written_before: dict[str, str]) -> list[str]:
    """The files at the demo's places (name -> sha256) that generating `new` would overwrite or
    remove although the demo did not write them as they are (`written_before`), sorted."""
    return sorted(
        name for name, digest in current.items() if digest != new.get(name) and digest != written_before.get(name)
    )


def _write_demo(inputs: Path) -> None:
    write_plan(inputs / L.PLAN_FILE.format(year=YEAR), saved_at=dt.datetime(YEAR - 1, 12, 20, 9, 0))
    plan = load_plan(inputs, YEAR)
    for month, returned in returned_forms(simulate_year()).items():
        folder = inputs / month
        folder.mkdir(parents=True, exist_ok=True)
        for form in returned:
            _write_form(plan, form, folder / form.path)
        _write_stray_files(folder, month)


def _hashes(inputs: Path) -> dict[str, str]:
    """sha256 of the files at the demo's places under `inputs`, by path relative to it."""
    paths = [inputs / L.PLAN_FILE.format(year=YEAR), *(p for m in MONTHS for p in (inputs / m).rglob("*"))]
    return {
        path.relative_to(inputs).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(paths)
        if path.is_file()
    }


def _written_before(inputs: Path) -> dict[str, str]:
    try:
        written = json.loads((inputs / WRITTEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return written if isinstance(written, dict) else {}


def _copy(source: Path, target: Path) -> None:
    """Copies a staged file into place atomically, keeping its modification time (the demo dates
    each form by its 填报日期)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with xlsx.atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
    stamp = source.stat().st_mtime
    os.utime(target, (stamp, stamp))


def _remove_empty_folders(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def simulate_year() -> dict[str, list[Piece]]:
    """Every unit's pieces of the year, with their adoptions, instructions and co-writers."""
    titles = _Titles()
    by_unit = {code: _unit_pieces(code, titles) for code, *_ in UNITS}
    _give_instructions([piece for pieces in by_unit.values() for piece in pieces])
    _co_write(by_unit)
    return by_unit


def returned_forms(by_unit: dict[str, list[Piece]]) -> dict[str, list[ReturnedForm]]:
    """The forms found in each month's folder, planted mistakes included, in roster order."""
    folders: dict[str, list[ReturnedForm]] = {month: [] for month in MONTHS}
    for code, *_ in UNITS:
        for index, month in enumerate(MONTHS):
            if _planted(month, code, "no-return"):
                continue
            folder = MONTHS[index + 1] if _planted(month, code, "misfiled") else month
            folders[folder] += _versions(_unit_return(code, by_unit[code], month))
    return folders


def _rng(*parts: object) -> random.Random:
    """A generator of its own per concern, so that changing one unit's story keeps the others'."""
    return random.Random(":".join(map(str, (SEED, *parts))))


def _planted(month: str, unit: str, kind: str) -> bool:
    return any((p.month, p.unit, p.kind) == (month, unit, kind) for p in PLANTED)


def _unit(code: str) -> tuple[str, ...]:
    return next(u for u in UNITS if u[0] == code)


def _returning_months(code: str) -> list[int]:
    return [m for m in range(1, 13) if not _planted(MONTHS[m - 1], code, "no-return")]


def _month_end(month: int) -> dt.date:
    return dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])


# --- The year's pieces -------------------------------------------------------------------------


def _targets(code: str) -> tuple[int, int]:
    """The unit's annual (报送, 采用) targets: its own 任务指标 row, else its category's."""
    rows = {row[0] or row[1]: row for row in TARGETS}
    row = rows.get(code) or rows[_unit(code)[2]]
    return int(row[2]), int(row[3])


def _yearly_volume(rng: random.Random, code: str) -> tuple[int, int]:
    """Pieces sent and pieces adopted in the year: most units a little above target, the
    laggard well below, the unit outside the assessment a handful."""
    submit, adopt = _targets(code)
    if code == BEHIND_UNIT:
        factors = (0.6, 0.4)
    elif _unit(code)[5] != L.YES:
        factors = (0.45, 0.35)
    else:
        factors = (rng.uniform(1.08, 1.3), rng.uniform(1.15, 1.4))
    sent = round(submit * factors[0])
    return sent, min(sent, round(adopt * factors[1]))


def _monthly_counts(rng: random.Random, code: str, total: int) -> dict[int, int]:
    """At least one piece in every month the unit returns a form; the rest spread by season."""
    months = _returning_months(code)
    counts = dict.fromkeys(months, 1)
    weights = [SEASON[m - 1] for m in months]
    for month in rng.choices(months, weights=weights, k=max(total - len(months), 0)):
        counts[month] += 1
    return counts


def _workday(rng: random.Random, month: int) -> dt.date:
    days = (dt.date(YEAR, month, d) for d in range(1, _month_end(month).day + 1))
    return rng.choice([d for d in days if d.weekday() < 5 and d not in HOLIDAYS])


def _unit_pieces(code: str, titles: _Titles) -> list[Piece]:
    rng = _rng("pieces", code)
    total, adopted_count = _yearly_volume(rng, code)
    counts = _monthly_counts(rng, code, total)
    adopted = set(rng.sample(range(sum(counts.values())), adopted_count))
    pieces: list[Piece] = []
    for month, count in counts.items():
        for sent in sorted(_workday(rng, month) for _ in range(count)):
            pieces.append(_new_piece(rng, code, sent, titles, len(pieces) in adopted))
    return pieces


def _new_piece(rng: random.Random, code: str, sent: dt.date, titles: _Titles, adopted: bool) -> Piece:
    title, kind = titles.draw(rng, code, sent.month, _kind(rng, code))
    category = kind if kind in (PARTY, RESEARCH_ARTICLE) else (GOV if rng.random() < 0.55 else NEWS)
    outlet = _pick_outlet(rng, code, category)
    assert outlet is not None  # every category has outlets at 县级
    via_office = code != "GS01" and rng.random() < 0.3
    piece = Piece(
        unit=code,
        title=title,
        category=category,
        authors=_authors(rng, code),
        sent=sent,
        sent_to="局办公室" if via_office else outlet.sent_to,
        reviewer=_reviewer(rng, code),
    )
    if adopted:
        piece.adoptions = _adoptions(rng, code, piece, outlet)
    return piece


def _kind(rng: random.Random, code: str) -> str:
    party, research = KIND_SHARES.get(code, KIND_SHARES["default"])
    roll = rng.random()
    return PARTY if roll < party else RESEARCH_ARTICLE if roll < party + research else "news"


class _Titles:
    """Draws titles from the templates, never the same title twice (compared folded), and
    spreads use over the templates so that none is worn out."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.uses: Counter[str] = Counter()

    def draw(self, rng: random.Random, code: str, month: int, kind: str) -> tuple[str, str]:
        """A fresh title of the kind (news, party or research) and the kind it has: a unit that
        has used up its research topics writes news instead."""
        title = self._fresh(rng, code, month, self._pool(code, month, kind))
        if title is None:
            kind = "news"
            title = self._fresh(rng, code, month, self._pool(code, month, kind))
        if title is None:
            raise RuntimeError(f"no fresh title for {code} in month {month}")
        return title, kind

    @staticmethod
    def _pool(code: str, month: int, kind: str) -> list[str]:
        if kind == RESEARCH_ARTICLE:
            return [text for topic in ("", *TOPICS[code]) for text in RESEARCH.get(topic, ())]
        topics = TOPICS[code] if kind == "news" else (kind,)
        return [text for topic in topics for text, months in TEMPLATES[topic] if month in months]

    def _fresh(self, rng: random.Random, code: str, month: int, pool: list[str]) -> str | None:
        for _ in range(30):
            fewest = min(self.uses[text] for text in pool)
            text = rng.choice([t for t in pool if self.uses[t] == fewest])
            self.uses[text] += 1
            title = text.format(**_slots(rng, code, month))
            if fold(title) not in self.used:
                self.used.add(fold(title))
                return title
        return None


def _slots(rng: random.Random, code: str, month: int) -> dict[str, Any]:
    _, name, category, *_ = _unit(code)
    town = name.removesuffix("国土资源所") if category == "国土资源所" else rng.choice(TOWNS)
    return {
        "who": rng.choice(_subjects(code)),
        "party": PARTY_BRANCHES.get(code, f"{name}党支部"),
        "town": town,
        "village": rng.choice(VILLAGES),
        "n": rng.randint(12, 860),
        "k": rng.randint(2, 16),
        "few": rng.randint(1, 5),
        "y": YEAR,
        "m": month,
    }


def _subjects(code: str) -> tuple[str, ...]:
    """How a unit's titles name who did the work."""
    _, name, category, *_ = _unit(code)
    if category == "股室":
        return ("我局", "县国土资源局", BUREAU)
    if category == "国土资源所":
        town = name.removesuffix("国土资源所")
        return (name, f"{town}所", f"{town}国土所")
    return (f"县{name}", f"我局{name}")


def _authors(rng: random.Random, code: str) -> str:
    officer, others = _unit(code)[3], PEOPLE[code][2]
    count = min(rng.choices((1, 2, 3), weights=(55, 35, 10))[0], 1 + len(others))
    first = officer if rng.random() < 0.65 or not others else rng.choice(others)
    rest = [p for p in (officer, *others) if p != first]
    return L.LIST_SEPARATOR.join([first, *rng.sample(rest, count - 1)])


def _reviewer(rng: random.Random, code: str) -> str:
    head, deputy, _ = PEOPLE[code]
    return head if rng.random() < 0.8 else deputy


def _pick_outlet(rng: random.Random, code: str, category: str, at_least: int = 0, exclude: str = "") -> Outlet | None:
    """An outlet carrying the category, weighted by the unit's usual levels."""
    level_weights = LEVEL_WEIGHTS.get(code, LEVEL_WEIGHTS["default"])
    candidates = [
        o for o in OUTLETS if category in o.categories and o.name != exclude and L.LEVELS.index(o.level) >= at_least
    ]
    per_level = Counter(o.level for o in candidates)
    weights = [level_weights[L.LEVELS.index(o.level)] / per_level[o.level] for o in candidates]
    if not candidates or not any(weights):
        return None
    return rng.choices(candidates, weights=weights)[0]


def _adoptions(rng: random.Random, code: str, piece: Piece, outlet: Outlet) -> list[Adoption]:
    """The outlet the piece was sent to adopts it 0-3 months later; some pieces are picked up by
    a second outlet at the same or a higher level."""
    lag = rng.choices((0, 1, 2, 3), weights=(45, 35, 15, 5))[0]
    first = _adoption(rng, code, piece.sent, outlet, lag)
    if first is None:
        return []
    adoptions = [first]
    if rng.random() < (0.2 if code == "GS01" else 0.12):
        other = _pick_outlet(rng, code, piece.category, L.LEVELS.index(outlet.level), exclude=outlet.name)
        second = other and _adoption(rng, code, first.day, other, rng.choices((0, 1), weights=(60, 40))[0])
        if second:
            adoptions.append(second)
    return adoptions


def _adoption(rng: random.Random, code: str, after: dt.date, outlet: Outlet, lag: int) -> Adoption | None:
    """An adoption after `after`, `lag` months later, in a month the unit returns a form."""
    month = min(after.month + lag, 12)
    while month not in _returning_months(code) and month < 12:
        month += 1
    start = after + dt.timedelta(days=1) if month == after.month else dt.date(YEAR, month, 1)
    end = _month_end(month)
    if start > end or month not in _returning_months(code):
        return None if month == 12 else _adoption(rng, code, after, outlet, lag + 1)
    day = start + dt.timedelta(days=rng.randint(0, min((end - start).days, 10 if month == after.month else 27)))
    return Adoption(outlet, day, _proof(rng, outlet, day))


def _proof(rng: random.Random, outlet: Outlet, day: dt.date) -> str:
    if rng.random() < 0.1:
        return rng.choice(("复印件已交局办公室", f"采用截图{day:%m%d}.jpg"))
    if outlet.proof == "weekly":
        return f"{outlet.name}{day.year}年第{(day.timetuple().tm_yday - 1) // 7 + 1}期"
    if outlet.proof == "monthly":
        return f"{outlet.name}{day.year}年第{day.month}期"
    if outlet.proof == "paper":
        return f"{outlet.name}{day.month}月{day.day}日第{rng.randint(1, 8)}版"
    if outlet.proof == "tv":
        return f"{outlet.name}{day.month}月{day.day}日播出截图.jpg"
    return f"{outlet.site}/{day.year}/{day.month}/{day.day}/art_{rng.randint(1000, 9999)}_{rng.randint(100000, 999999)}.html"


def _give_instructions(pieces: list[Piece]) -> None:
    """A few leader instructions, each on the first adoption of a piece at the leader's level;
    county leaders comment on 政务信息."""
    rng = _rng("instructions")
    for level, count in INSTRUCTIONS.items():
        candidates = [
            p
            for p in pieces
            if p.adoptions and p.adoptions[0].outlet.level == level and (level != "县级" or p.category == GOV)
        ]
        for piece in rng.sample(candidates, min(count, len(candidates))):
            piece.adoptions[0].instruction = level


def _co_write(by_unit: dict[str, list[Piece]]) -> None:
    """Marks the co-written pieces; where the co-unit lists the piece too, it gets its own copy
    (its own authors and reviewer) naming the writing unit."""
    for month, writer, partner, both, style in CO_WRITTEN:
        candidates = [p for p in by_unit[writer] if p.sent.month == int(month[5:]) and not p.co_unit]
        piece = next((p for p in candidates if p.adoptions), candidates[0])
        piece.co_unit = _unit_reference(partner, style)
        if both:
            rng = _rng("co-written", month, partner)
            mirror = replace(
                piece,
                unit=partner,
                authors=_authors(rng, partner),
                reviewer=_reviewer(rng, partner),
                adoptions=copy.deepcopy(piece.adoptions),
                co_unit=_unit_reference(writer, style),
            )
            by_unit[partner] = sorted([*by_unit[partner], mirror], key=lambda p: (p.sent, p.title))


def _unit_reference(code: str, style: str) -> str:
    return code if style == "code" else _unit(code)[1]


# --- What each unit returns --------------------------------------------------------------------


def _unit_return(code: str, pieces: list[Piece], month: str) -> ReturnedForm:
    carried, rows = _month_rows(code, pieces, month)
    for planted in PLANTED:
        if (planted.month, planted.unit) == (month, code) and planted.kind in ROW_MISTAKES:
            ROW_MISTAKES[planted.kind](rows, month, planted.value)
    edits = tuple(p.kind for p in PLANTED if (p.month, p.unit) == (month, code) and p.kind in SHEET_MISTAKES)
    return ReturnedForm(code, month, _file_name(code, month), _fill_date(code, month), rows, carried, edits)


def _month_rows(code: str, pieces: list[Piece], month: str) -> tuple[list[Piece], list[dict[str, Any]]]:
    """The pending pieces the unit's form came pre-filled with, and the rows the unit returns:
    those pieces first (updated when adopted this month), then its other rows by date."""
    rng = _rng("rows", code, month)
    number = int(month[5:])
    carried = sorted(
        (
            p
            for p in pieces
            if code in CARRYING_UNITS
            and p.sent.month == number - 1
            and (p.first_adopted is None or p.first_adopted >= number)
        ),
        key=lambda p: (p.sent, p.title),
    )
    carried_ids = {id(p) for p in carried}
    listed = [(p, (p.adoptions_in(number) or [None])[0]) for p in carried]
    others = []
    for piece in pieces:
        adoptions = piece.adoptions_in(number)
        extra = adoptions[1:] if id(piece) in carried_ids else adoptions
        if id(piece) not in carried_ids and not adoptions and piece.sent.month == number:
            extra = [None]
        others += [(piece, adoption) for adoption in extra]
    others.sort(key=lambda pa: (pa[0].sent, pa[0].title, pa[1].day if pa[1] else pa[0].sent))
    rows = [_row(rng, piece, adoption) for piece, adoption in [*listed, *others]]
    if code not in NO_NUMBERING:
        for number_in_form, row in enumerate(rows, start=1):
            row[L.SEQ] = number_in_form
    return carried, rows


def _row(rng: random.Random, piece: Piece, adoption: Adoption | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        PIECE: piece,
        L.TITLE: piece.title,
        L.CATEGORY: piece.category,
        L.AUTHORS: piece.authors,
        L.SENT_DATE: piece.sent,
        L.SENT_TO: piece.sent_to,
        L.STATUS: L.ADOPTED if adoption else L.NOT_ADOPTED,
        L.CO_UNITS: piece.co_unit or None,
        L.REVIEWER: piece.reviewer,
        L.SECRECY: L.YES,
    }
    instruction = adoption.instruction if adoption else ""
    row[L.INSTRUCTION] = instruction or (L.NO_INSTRUCTION if piece.unit in WRITES_NO_INSTRUCTION else None)
    if adoption:
        row.update({L.OUTLET: adoption.outlet.name, L.LEVEL: adoption.outlet.level})
        row.update({L.ADOPT_DATE: adoption.day, L.PROOF: adoption.proof})
        if adoption.day.month != piece.sent.month and rng.random() < 0.4:
            row[L.NOTES] = f"{piece.sent.month}月已报送"
    return row


def _file_name(code: str, month: str) -> str:
    if _planted(month, code, "default-name"):
        return "新建 XLSX 工作表.xlsx"
    pattern = FILE_NAMES[code]
    name = forms.form_filename(code, _unit(code)[1]) if pattern is None else pattern
    name = name.format(y=YEAR, m=int(month[5:]), mm=month[5:])
    return f"邮件附件/{name}" if _planted(month, code, "subfolder") else name


def _fill_date(code: str, month: str) -> dt.date:
    """填报日期: mostly in the first days of the next month, some on the month's last days, a
    few late; the late unit usually late."""
    rng = _rng("filled", code, month)
    last = _month_end(int(month[5:]))
    late = 0.6 if code == LATE_UNIT else 0.08
    roll = rng.random()
    if roll < late:
        return last + dt.timedelta(days=rng.randint(6, 12))
    if roll < late + 0.2:
        return last - dt.timedelta(days=rng.randint(0, 2))
    return last + dt.timedelta(days=rng.randint(1, 5))


def _versions(form: ReturnedForm) -> list[ReturnedForm]:
    """A unit that resends: the first version lacks its last row and a 审核人; the corrected one
    is filled in a day later and named (修改版)."""
    if not _planted(form.month, form.unit, "resent"):
        return [form]
    first_rows = [dict(row) for row in form.rows[:-1]]
    _pieces_of(first_rows)[0][L.REVIEWER] = None
    first = replace(form, rows=first_rows, filled=form.filled - dt.timedelta(days=1))
    stem = form.path.removesuffix(".xlsx")
    return [first, replace(form, path=f"{stem}(修改版).xlsx")]


# --- The mistakes people make ------------------------------------------------------------------

PIECE = "_piece"  # the Piece a row stands for; never written
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _pieces_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in rows if row.get(L.TITLE)]
    if not found:
        raise RuntimeError("a planted mistake needs a row with a piece")
    return found


def _adopted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in _pieces_of(rows) if row[L.STATUS] == L.ADOPTED]
    if not found:
        raise RuntimeError("a planted mistake needs an adopted row")
    return found


def _missing_reviewer(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.REVIEWER] = None


def _secrecy_no(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.SECRECY] = L.NO


def _unknown_category(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[0][L.CATEGORY] = value


def _adopted_no_level(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.LEVEL] = None


def _adopted_no_proof(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.PROOF] = None


def _adopted_outside_month(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """An adoption dated in the previous month, on a piece sent well before it."""
    first_day, _ = months.month_bounds(month)
    claimed = first_day - dt.timedelta(days=2)
    row = next((r for r in _adopted_rows(rows) if r[L.SENT_DATE] < claimed), None)
    if row is None:
        raise RuntimeError("no adopted row sent before the previous month's end")
    row[L.ADOPT_DATE] = claimed


def _date_as_text(rows: list[dict[str, Any]], month: str, value: str) -> None:
    pieces = _pieces_of(rows)
    day = pieces[0][L.SENT_DATE]
    pieces[0][L.SENT_DATE] = f"{day.year}.{day.month}.{day.day}"
    for row in pieces[1:2]:
        row[L.SENT_DATE] = f"{row[L.SENT_DATE].month}月{row[L.SENT_DATE].day}日"


def _full_width(rows: list[dict[str, Any]], month: str, value: str) -> None:
    for row in _pieces_of(rows):
        row[L.SEQ] = str(row.get(L.SEQ) or "").translate(_FULL_WIDTH) or None
        row[L.SENT_DATE] = f"{row[L.SENT_DATE]:%Y-%m-%d}".translate(_FULL_WIDTH)
    first = next((r for r in _pieces_of(rows) if any(ch.isdigit() for ch in r[L.TITLE])), _pieces_of(rows)[0])
    first[L.TITLE] = first[L.TITLE].translate(_FULL_WIDTH)


def _formula_title(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """A title pasted with a leading '-' or '=', on a piece listed only this month, so the
    change does not split the piece across months."""
    number = int(month[5:])
    row = next(
        r
        for r in _pieces_of(rows)
        if r[PIECE].sent.month == number and all(a.day.month == number for a in r[PIECE].adoptions)
    )
    row[L.TITLE] = value + row[L.TITLE]


def _blank_lines(rows: list[dict[str, Any]], month: str, value: str) -> None:
    if len(_pieces_of(rows)) < 2:
        raise RuntimeError("blank lines inside the table need two rows")
    rows.insert(1, {})
    if len(rows) > 4:
        rows.insert(4, {})


def _stub_rows(rows: list[dict[str, Any]], month: str, value: str) -> None:
    count = len(_pieces_of(rows))
    rows += [{L.SEQ: count + extra} for extra in (1, 2, 3)]


ROW_MISTAKES = {
    "missing-reviewer": _missing_reviewer,
    "secrecy-no": _secrecy_no,
    "unknown-category": _unknown_category,
    "adopted-no-level": _adopted_no_level,
    "adopted-no-proof": _adopted_no_proof,
    "adopted-outside-month": _adopted_outside_month,
    "date-as-text": _date_as_text,
    "full-width": _full_width,
    "formula-title": _formula_title,
    "blank-lines": _blank_lines,
    "stub-rows": _stub_rows,
}


def _rows_above(ws: Worksheet, form: ReturnedForm) -> None:
    """Two rows inserted above the title, as when a form is pasted into a document as 附件1.

    openpyxl's insert_rows moves cells only, so merged cells, validations, frozen panes and
    print settings are moved here the way Excel moves them.
    """
    count = 2
    merged = [r.coord for r in ws.merged_cells.ranges]
    for coord in merged:
        ws.unmerge_cells(coord)
    ws.insert_rows(1, count)
    for coord in merged:
        ws.merge_cells(_shifted(coord, count))
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange([_shifted(r.coord, count) for r in validation.sqref.ranges])
    ws.auto_filter.ref = _shifted(ws.auto_filter.ref, count)
    ws.freeze_panes = ws.cell(row=forms.FIRST_DATA_ROW + count, column=1)
    ws.print_title_rows = f"{forms.HEADER_ROW + count}:{forms.HEADER_ROW + count}"
    xlsx.put(ws.cell(row=1, column=1), "附件1")


def _shifted(coord: str, rows: int) -> str:
    moved = CellRange(coord)
    moved.shift(row_shift=rows)
    return moved.coord


def _title_retyped(ws: Worksheet, form: ReturnedForm) -> None:
    title = next(c for c in ws["A"] if isinstance(c.value, str) and c.value.endswith(L.FORM_TITLE_SUFFIX))
    xlsx.put(title, f"{SHORT_NAMES[form.unit]}{YEAR}年{int(form.month[5:])}月份信息宣传报送表")


SHEET_MISTAKES = {"rows-above": _rows_above, "title-retyped": _title_retyped}
FILE_MISTAKES = ("misfiled", "resent", "lock-file", "note-docx", "subfolder", "default-name", "no-return")


# --- Writing the files -------------------------------------------------------------------------


def _write_form(plan: Plan, form: ReturnedForm, target: Path) -> None:
    workbook = forms.build_form(plan, form.unit, form.month, _carry_over(form.carried), prepared_rows=FORM_ROWS)
    ws = workbook[L.FORM_SHEET]
    values = {L.H_HEAD: None if form.unit in NO_HEAD else PEOPLE[form.unit][0], L.H_FILL_DATE: form.filled}
    for label, row, _, first, _ in forms.HEADER_BLOCK:
        if label in values:
            xlsx.put(ws.cell(row=row, column=first), values[label])
    for offset, record in enumerate(form.rows):
        for label, col in forms.COLUMN.items():
            xlsx.put(ws.cell(row=forms.FIRST_DATA_ROW + offset, column=col), record.get(label))
    for kind in form.sheet_edits:
        SHEET_MISTAKES[kind](ws, form)
    save_reproducibly(workbook, target, _saved_at(form.filled))


def _carry_over(pieces: list[Piece]) -> pd.DataFrame | None:
    """The pending pieces as the ledger hands them to `forms.build_form`."""
    if not pieces:
        return None
    return pd.DataFrame(
        [
            {
                L.TITLE: p.title,
                L.CATEGORY: p.category,
                L.AUTHORS: p.authors,
                L.SENT_DATE: pd.Timestamp(p.sent),
                L.SENT_TO: p.sent_to,
                L.STATUS: L.NOT_ADOPTED,
                L.CO_UNITS: p.co_unit,
                L.REVIEWER: p.reviewer,
                L.SECRECY: L.YES,
            }
            for p in pieces
        ]
    )


def _saved_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30))


def _write_stray_files(folder: Path, month: str) -> None:
    """The files that are not forms: an Office lock file, a note saying the form came by mail."""
    for planted in PLANTED:
        if planted.month != month:
            continue
        if planted.kind == "lock-file":
            target = folder / f"~${_file_name(planted.unit, month)}"
            target.write_bytes(_lock_file_bytes("wangxy"))
            _set_mtime(target, _saved_at(_fill_date(planted.unit, month)))
        if planted.kind == "note-docx":
            officer = _unit(planted.unit)[3]
            lines = [
                "局办公室：",
                f"{_unit(planted.unit)[1]}{int(month[5:])}月份信息报送表及采用证明附件见邮件，请查收。",
            ]
            _write_note(
                folder / "附件见邮件.docx", [*lines, officer], officer, _saved_at(_fill_date(planted.unit, month))
            )


def _lock_file_bytes(user: str) -> bytes:
    """What Excel leaves beside an open workbook: the user's name, padded, twice."""
    name = user.encode("ascii")
    return (
        bytes([len(name)]) + name.ljust(53, b" ") + len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    ).ljust(165, b"\x00")


def _write_note(target: Path, lines: list[str], author: str, when: dt.datetime) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    document.save(buffer)
    _write_restamped(buffer.getvalue(), target, when)


def save_reproducibly(workbook: Workbook, target: Path, when: dt.datetime) -> None:
    """Saves a workbook so that the same content always gives the same bytes: the document's
    timestamps and the zip entries' times are `when`, not the current time (openpyxl's own
    save stamps both with the clock)."""
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    _write_restamped(buffer.getvalue(), target, when)


def _write_restamped(data: bytes, target: Path, when: dt.datetime) -> None:
    """Rewrites a zip package with every entry dated `when`, atomically, and dates the file too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            package.writestr(entry, source.read(info.filename))
    with xlsx.atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())
    _set_mtime(target, when)


def _set_mtime(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))
