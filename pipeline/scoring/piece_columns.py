"""The pieces' own column names, and the small helpers over lists and months every piece module
shares (`pieces`, `piece_table`): kept apart so that the piece table is a module of its own
without an import cycle."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import labels as L
from pipeline.core.scheme_labels import SCHEME_FORM_COLUMNS

# --- Internal column names ---------------------------------------------------------------------

PIECE = "piece"  # "<lowest reporting unit code>|<稿件键>"
OUTLET = "outlet"  # folded 采用载体
SENT = "sent"  # a piece's (or a unit's) earliest 报送日期
SENT_IN = "sent_month"  # the reporting month of a piece: the 月份 of the first form listing it
ADOPTED_IN = "adopt_month"  # the reporting month of an adoption: the 月份 of the first form reporting it
FIRST_ADOPTED_IN = "first_adopt_month"  # the reporting month of a piece's first adoption (NaN: none yet)
LATE = "late"  # 补报: the row's date falls in a month before the month it was first reported in
LEVEL_RANK = "level_rank"
VALUE = "value"  # 分值 of an adoption
REWARD = "reward"  # 奖励金额 of an adoption
ADOPT = "adopt"  # a piece's points from its adoptions
BONUS = "bonus"  # a piece's leader-instruction bonus
FIRST_UNIT = "first_unit"
REPORTERS = "reporters"  # reporting units, first unit first
UNITS = "units"  # every unit of the piece, by code
SHARE = "share"

ROW_ORDER = [L.MONTH, L.UNIT_CODE, L.SOURCE_FILE, L.SOURCE_ROW, L.ROW_ID]
# Columns of the rows that nothing counted from the pieces of a plan without a scheme reads (the
# units' names come from the plan): `gather` leaves them out of `Pieces.rows`, which a run holds
# until its end (a province's year: 8 MB a column, and as much again while the rows are sorted).
UNHELD_COLUMNS = (L.UNIT_NAME, *SCHEME_FORM_COLUMNS)
LEVEL_RANKS = {level: rank for rank, level in enumerate(L.LEVELS)}
INSTRUCTION_RANKS = {level: rank for rank, level in enumerate(L.INSTRUCTION_LEVELS)}


# --- Lists and months ---------------------------------------------------------------------------


def list_items(text: object) -> list[str]:
    """The items of a 、-joined list (authors or co-units), without blanks or repeats; a missing
    value is an empty list."""
    if not isinstance(text, str):
        return []
    items = [item.strip() for item in text.split(L.LIST_SEPARATOR)]
    return list(dict.fromkeys(item for item in items if item))


def split_lists(texts: pd.Series) -> list[list[str]]:
    """`list_items` of each text, each distinct text split once (the same lists of authors come
    back on many rows)."""
    split: dict[str, list[str]] = {}
    result = []
    for text in texts.to_numpy():
        if not isinstance(text, str):
            result.append([])
            continue
        items = split.get(text)
        if items is None:
            items = split[text] = list_items(text)
        result.append(items)
    return result


# The dtype of formatted dates: object under pandas 2, the string dtype under pandas 3.
_TEXT_DTYPE = pd.Series([], dtype="datetime64[ns]").dt.strftime("%Y-%m").dtype


def places(counts: np.ndarray) -> np.ndarray:
    """Each item's place (0 first) in its run, for runs of `counts` items one after another."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def month_of(dates: pd.Series) -> pd.Series:
    """The "YYYY-MM" of each date (NaN where there is none), as `dates.dt.strftime("%Y-%m")`
    gives it, without formatting each date on its own."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    text = values.astype("datetime64[M]").astype(str).astype(object)
    text[np.isnat(values)] = np.nan
    return pd.Series(text, index=dates.index, name=dates.name, dtype=_TEXT_DTYPE)


def earliest(values: pd.Series, by: pd.Series | list[pd.Series]) -> pd.Series:
    """`values.groupby(by).min()` of text (months "YYYY-MM"), the same values, index and dtype.

    pandas takes the minimum of text one group at a time in Python: seconds per hundred
    thousand pieces. The texts' ranks are integers, whose minimum it takes all at once."""
    codes, uniques = pd.factorize(values.array, sort=True)
    missing = np.iinfo(np.int64).max  # a missing text ranks after every text, as min skips it
    ranks = pd.Series(np.where(codes < 0, missing, codes), index=values.index)
    lowest = ranks.groupby(by).min()
    chosen = lowest.to_numpy()
    taken = pd.api.extensions.take(uniques, np.where(chosen == missing, -1, chosen), allow_fill=True)
    return pd.Series(taken, index=lowest.index, name=values.name, dtype=values.dtype)
