"""The outlet an 采用载体 typed freely names in a scheme's catalogue (docs/schemes.md): exact after
folding, else a unique containment or close spelling (the unit is told), else ambiguous or unknown;
and the catalogue row that fits a category and 采用形式."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from pipeline.core.text import outlet_key
from pipeline.plan.scheme_model import Outlet, Scheme

# rapidfuzz ratio: a character slipped into a longer name still matches (国土资源日报 for 国土资源报:
# 91), a changed character does not (政务晨报 for 政务晨讯: 75; 衢州政务特刊 for 增刊: 83), because
# names one character apart are as often two real outlets.
FUZZY_CUTOFF = 85
MIN_CONTAINED = 4
FUZZY_MARGIN = 5  # the best match must beat the runner-up by this much to be taken


def outlet_names(scheme: Scheme) -> dict[str, str]:
    """Every folded name and alias of the catalogue -> the outlet's name."""
    names: dict[str, str] = {}
    for outlet in scheme.outlets:
        for label in (outlet.name, *outlet.aliases):
            names.setdefault(outlet_key(label), outlet.name)
    return names


def match_outlet(typed: str, names: dict[str, str]) -> tuple[str | None, str, tuple[str, ...]]:
    """The catalogue outlet an outlet typed freely names.

    Returns:
        (name, how, choices): how is "exact", "guessed" (a unique containment or close spelling:
        the unit is told), "ambiguous" (choices lists the candidates) or "unknown".
    """
    key = outlet_key(typed)
    if key in names:
        return names[key], "exact", ()
    # a short name is inside too many others (市信息 in 城市信息报): containment needs four characters
    containing = {
        name
        for folded, name in names.items()
        if (folded in key and len(folded) >= MIN_CONTAINED) or (key in folded and len(key) >= MIN_CONTAINED)
    }
    if len(containing) == 1:
        return containing.pop(), "guessed", ()
    scored = process.extract(key, list(names), scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF)
    by_outlet: dict[str, float] = {}
    for folded, score, _ in scored:
        by_outlet[names[folded]] = max(score, by_outlet.get(names[folded], 0.0))
    ranked = sorted(by_outlet.items(), key=lambda item: -item[1])
    if len(containing) > 1:
        return None, "ambiguous", tuple(sorted(containing))
    if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
        return ranked[0][0], "guessed", ()
    if len(ranked) > 1:
        return None, "ambiguous", tuple(name for name, _ in ranked)
    return None, "unknown", ()


def catalogue_row(scheme: Scheme, name: str, category: str, use_form: str) -> Outlet | None:
    """The most specific row of the outlet for the category and use form (a use form outweighs a
    category: forms change the points of one outlet, categories pick among its products)."""
    fits = [
        o for o in scheme.outlets if o.name == name and o.category in ("", category) and o.use_form in ("", use_form)
    ]
    return max(fits, key=lambda o: (2 if o.use_form else 0) + (1 if o.category else 0), default=None)
