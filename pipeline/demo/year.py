"""The demo county's year: every piece each unit writes in 2025, and what becomes of it.

`simulate_year()` gives each unit's pieces with realistic titles per unit and month (drawn from
`texts`), adoptions one to three months after they were sent by outlets at the unit's usual
levels (`demo_facts.OUTLETS`), a few co-written pieces and occasional leader instructions; the
laggard unit writes well below its target, the unit outside the assessment a handful.

Everything comes from a fixed seed through `random.Random` instances keyed by unit and month
(`rng_for`), never from time or set ordering, so that the year is the same on every run.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from pipeline.core import labels as L
from pipeline.core.months import month_number, months_of
from pipeline.core.text import fold
from pipeline.demo.facts import (
    BEHIND_UNIT,
    CO_WRITTEN,
    HOLIDAYS,
    INSTRUCTIONS,
    LEVEL_WEIGHTS,
    OUTLETS,
    PEOPLE,
    PLANTED,
    SEASON,
    Outlet,
)
from pipeline.demo.plan import BUREAU, UNITS, YEAR, annual_targets, roster_entry
from pipeline.demo.texts import (
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

SEED = 20250305
MONTHS = tuple(months_of(YEAR))


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


def simulate_year() -> dict[str, list[Piece]]:
    """Every unit's pieces of the year, with their adoptions, instructions and co-writers."""
    titles = _Titles()
    by_unit = {code: _unit_pieces(code, titles) for code, *_ in UNITS}
    _give_instructions([piece for pieces in by_unit.values() for piece in pieces])
    _co_write(by_unit)
    return by_unit


def rng_for(*parts: object) -> random.Random:
    """A generator of its own per concern, so that changing one unit's story keeps the others'."""
    return random.Random(":".join(map(str, (SEED, *parts))))


def is_planted(month: str, unit: str, kind: str) -> bool:
    """Whether `PLANTED` holds a mistake of this kind for the unit in the month."""
    return any((p.month, p.unit, p.kind) == (month, unit, kind) for p in PLANTED)


def _returning_months(code: str) -> list[int]:
    return [m for m in range(1, 13) if not is_planted(MONTHS[m - 1], code, "no-return")]


def month_end(month: int) -> dt.date:
    return dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])


def _yearly_volume(rng: random.Random, code: str) -> tuple[int, int]:
    """Pieces sent and pieces adopted in the year: most units a little above target, the
    laggard well below, the unit outside the assessment a handful."""
    submit, adopt = annual_targets(code)
    if code == BEHIND_UNIT:
        factors = (0.6, 0.4)
    elif roster_entry(code)[5] != L.YES:
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
    days = (dt.date(YEAR, month, d) for d in range(1, month_end(month).day + 1))
    return rng.choice([d for d in days if d.weekday() < 5 and d not in HOLIDAYS])


def _unit_pieces(code: str, titles: _Titles) -> list[Piece]:
    rng = rng_for("pieces", code)
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
    _, name, category, *_ = roster_entry(code)
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
    _, name, category, *_ = roster_entry(code)
    if category == "股室":
        return ("我局", "县国土资源局", BUREAU)
    if category == "国土资源所":
        town = name.removesuffix("国土资源所")
        return (name, f"{town}所", f"{town}国土所")
    return (f"县{name}", f"我局{name}")


def _authors(rng: random.Random, code: str) -> str:
    officer, others = roster_entry(code)[3], PEOPLE[code][2]
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
    end = month_end(month)
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
    rng = rng_for("instructions")
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
        candidates = [p for p in by_unit[writer] if p.sent.month == month_number(month) and not p.co_unit]
        piece = next((p for p in candidates if p.adoptions), candidates[0])
        piece.co_unit = _unit_reference(partner, style)
        if both:
            rng = rng_for("co-written", month, partner)
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
    return code if style == "code" else roster_entry(code)[1]
