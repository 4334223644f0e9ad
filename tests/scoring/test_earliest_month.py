"""`pieces.earliest`: the minimum of text per group, as pandas' groupby min gives it, all at once."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd

from pipeline.scoring import pieces as PC


def _texts(values: list[object]) -> pd.Series:
    return pd.Series(values, dtype=object).astype(str).where(pd.Series(values).notna())


def test_the_earliest_month_of_each_piece_equals_groupby_min_with_gaps_and_ties() -> None:
    rng = random.Random(5)
    months = [rng.choice(["2025-03", "2024-12", "2025-01", None, "2025-01"]) for _ in range(400)]
    pieces = pd.Series([f"U{rng.randint(0, 40):02d}|稿件{rng.randint(0, 5)}" for _ in range(400)], dtype=str)
    values = _texts(months)
    values.iloc[:3] = np.nan  # and a piece whose every month is missing
    pieces.iloc[:3] = "U99|无月份"

    expected = values.groupby(pieces).min()
    found = PC.earliest(values, pieces)

    pd.testing.assert_series_equal(found, expected)
    assert pd.isna(found["U99|无月份"])


def test_the_earliest_month_by_two_keys_and_of_nothing() -> None:
    values = _texts(["2025-05", "2025-02", "2025-04", "2025-01"])
    keys = [pd.Series(["a", "a", "a", "b"], dtype=str), pd.Series(["县级", "县级", "市级", "县级"], dtype=str)]

    pd.testing.assert_series_equal(PC.earliest(values, keys), values.groupby(keys).min())
    empty = _texts([])
    pd.testing.assert_series_equal(
        PC.earliest(empty, pd.Series([], dtype=str)), empty.groupby(pd.Series([], dtype=str)).min()
    )
