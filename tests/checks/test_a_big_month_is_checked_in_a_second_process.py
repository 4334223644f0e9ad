"""A big month's rows are checked by a second process while the run reads the earlier rows: the
same problems, in the same order, and the same clear error when the checks cannot run."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.files import gx, parallel
from tests.checks.test_checks import MONTH, frame, row


def _rows() -> pd.DataFrame:
    return frame(
        row(1),
        row(2, **{L.CATEGORY: "信息", L.TITLE: "类别不对的稿件"}),
        row(3, **{L.REVIEWER: "", L.TITLE: "缺审核人的稿件"}),
        row(4, **{L.CO_UNITS: "SO01、火星所", L.TITLE: "合作单位不明的稿件"}),
        row(5, **{L.ADOPT_DATE: pd.Timestamp("2025-03-02"), L.TITLE: "采用早于报送的稿件"}),
        row(6, **{L.TITLE: "类别不对的稿件"}),
    )


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_the_second_process_finds_the_problems_this_one_finds(plan, monkeypatch):
    here = checks.validate_rows(_rows(), plan, MONTH)
    assert len(here) >= 4
    monkeypatch.setattr(checks, "APART_FROM", 1)
    job = checks.start_validation(_rows(), plan, MONTH)
    assert job is not None
    assert job.result() == here


def test_a_small_month_is_checked_by_the_run_itself(plan):
    assert len(_rows()) < checks.APART_FROM
    assert checks.start_validation(_rows(), plan, MONTH) is None


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_checks_that_cannot_run_in_the_second_process_stop_with_the_same_clear_error(plan, monkeypatch):
    def broken(*_args, **_kwargs):
        raise gx.ExpectationsInvalid(path="expectations/rows.json", reason="无法识别的规则：expect_no_such_thing")

    monkeypatch.setattr(checks, "APART_FROM", 1)
    monkeypatch.setattr(gx, "validate", broken)
    job = checks.start_validation(_rows(), plan, MONTH)
    with pytest.raises(gx.ExpectationsInvalid) as info:
        job.result()
    assert info.value.exit_code == 7
    assert "rows.json" in info.value.message and "expect_no_such_thing" in info.value.message
