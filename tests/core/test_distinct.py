"""Distinct texts numbered through a dict: pandas' own numbering, without its UTF-8 copies."""

from __future__ import annotations

import random
import sys

import numpy as np
import pandas as pd

from pipeline.core import distinct


def _texts(seed: int, count: int) -> np.ndarray:
    """Chinese and ASCII texts, many repeated, some differing only in case or width."""
    pick = random.Random(seed)
    words = ["稿件", "国土", "耕地", "ab", "AB", "ａｂ", "", "第0单位", "(2025-04-37)", "|", "键"]
    texts = ["".join(pick.choice(words) for _ in range(pick.randint(0, 4))) for _ in range(count)]
    values = np.empty(count, dtype=object)
    values[:] = texts
    return values


def test_codes_number_texts_as_pandas_factorize_does():
    for seed in range(20):
        values = _texts(seed, 300)
        numbered, uniques = distinct.codes(values, len(values))
        expected, expected_uniques = pd.factorize(values, use_na_sentinel=False)
        assert numbered.tolist() == expected.tolist()
        assert uniques.tolist() == list(expected_uniques)


def test_sorted_codes_number_texts_as_pandas_factorize_with_sort_does():
    for seed in range(20):
        values = _texts(seed, 300)
        numbered, uniques = distinct.sorted_codes(values, len(values))
        expected, expected_uniques = pd.factorize(pd.Series(values, dtype=str), sort=True)
        assert numbered.tolist() == expected.tolist()
        assert uniques.tolist() == list(expected_uniques)


def test_unique_keeps_the_texts_in_the_order_pandas_unique_does():
    for seed in range(20):
        values = _texts(seed, 300)
        assert distinct.unique(iter(values)).tolist() == list(pd.unique(values))


def test_nothing_is_numbered_from_no_texts():
    numbered, uniques = distinct.sorted_codes([], 0)
    assert numbered.tolist() == [] and uniques.tolist() == []
    assert distinct.unique([]).tolist() == []


def test_numbering_leaves_no_utf8_copy_inside_the_texts():
    # fresh strings, never hashed by pandas: pandas' numbering of the same texts grows each one
    values = np.array(["".join(["稿件键", str(n)]) for n in range(50)], dtype=object)
    sizes = [sys.getsizeof(value) for value in values]
    distinct.codes(values, len(values))
    distinct.sorted_codes(values, len(values))
    distinct.unique(values)
    assert [sys.getsizeof(value) for value in values] == sizes
    pd.factorize(values)
    assert [sys.getsizeof(value) for value in values] != sizes  # what the module avoids
