"""Text as the pipeline compares it: spaces and full-width forms folded, blank cells recognised,
an 采用载体 reduced to its key. Pure functions shared by intake, checks and scoring."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pandas as pd

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# The control characters an .xlsx cannot hold (XML 1.0 forbids them; old .xls files carry them):
# the same set as openpyxl's ILLEGAL_CHARACTERS_RE, so a text cleaned here is one openpyxl stores.
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def clean_text(text: str) -> str:
    """Removes characters a workbook cannot hold (control characters from old .xls files)."""
    return _ILLEGAL.sub("", text)


def fold(text: str) -> str:
    """Folds full-width letters, digits and punctuation to half-width and removes all spaces,
    including full-width and non-breaking ones."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def squeeze(text: str) -> str:
    """Trims spaces (including full-width and non-breaking) at both ends and folds inner runs of
    spaces to one ordinary space; letters and digits are folded to half-width."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def is_blank(value: Any) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not _SPACES.sub("", value)


_OUTLET_MARKS = re.compile(r"[《》〈〉<>\"'“”‘’]")


def outlet_key(outlet: str) -> str:
    """An 采用载体 reduced to what identifies the outlet: 《要情快报》, 要情快报 and ＜要情快报＞ are
    one outlet. Every check and every count of adoptions uses this one key."""
    return _OUTLET_MARKS.sub("", fold(str(outlet))).lower()
