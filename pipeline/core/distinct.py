"""Distinct texts numbered through a dict, not through pandas' hash tables.

pandas hashes an array of strings (`pd.factorize`, `pd.unique`, `Series.unique`, `groupby`) through
each string's UTF-8 form, which Python then keeps inside every non-ASCII string for as long as the
string lives: a province's year of 稿件键 is half a million Chinese texts, some 30 MB more held
until the end of the run. A dict hashes the string itself (the hash is kept in the string anyway).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def codes(values: Iterable, count: int) -> tuple[np.ndarray, np.ndarray]:
    """An integer code for each of `count` values, equal values one code, numbered in the order
    they first come, and the values by code: `pd.factorize(values, use_na_sentinel=False)` of
    texts (missing values are not folded into one: a NaN equals only itself here)."""
    index: dict[object, int] = {}
    numbered = np.fromiter((index.setdefault(value, len(index)) for value in values), np.int64, count)
    return numbered, _array(index)


def unique(values: Iterable) -> np.ndarray:
    """The distinct values in the order they first come, as an object array: `pd.unique` of
    texts (missing values are not folded into one)."""
    return _array(dict.fromkeys(values))


def _array(index: dict) -> np.ndarray:
    values = np.empty(len(index), dtype=object)
    values[:] = list(index)
    return values


def sorted_codes(values: Iterable, count: int) -> tuple[np.ndarray, np.ndarray]:
    """`codes`, numbered in the values' sorted order instead: `pd.factorize(values, sort=True)`
    of texts."""
    numbered, uniques = codes(values, count)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[numbered], uniques[order]
