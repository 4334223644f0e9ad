"""看板's comparison with the same quarter last year counts that year from its own rows: the rows a
run holds (`Ledger.year_rows`) have of the year before only the pieces carried into this one."""

from __future__ import annotations

from pathlib import Path

from pipeline import ledger
from pipeline.core import labels as L
from pipeline.dashboard import figures
from pipeline.plan.plan import load_plan
from pipeline.scoring import periods, scheme_month
from tests.small_county import small_inputs
from tests.test_ledger import file_record, frame, make_row, run


def test_the_same_quarter_last_year_is_counted_from_that_years_own_rows(tmp_path: Path) -> None:
    plan = load_plan(small_inputs(tmp_path / "in"), 2025)
    months = {
        # 2024's first quarter: two pieces adopted, one of them listed again in 2025
        "2024-01": [("去年一月的稿件", "2024-01-20"), ("又报了一次的稿件", None)],
        "2024-02": [("去年二月的稿件", "2024-02-20")],
        "2024-03": [("又报了一次的稿件", "2024-03-25")],
        "2024-10": [("去年十月的稿件", None)],
        "2024-11": [],
        "2024-12": [],
        "2025-01": [("又报了一次的稿件", None), ("今年一月的稿件", "2025-01-20")],
        "2025-02": [],
        "2025-03": [("今年三月的稿件", None)],
    }
    with ledger.Ledger(tmp_path / "ledger.sqlite") as store:
        for month, pieces in months.items():
            rows = [
                make_row(n, month=month, title=title, sent=f"{month}-02", adopted=adopted)
                for n, (title, adopted) in enumerate(pieces, start=1)
            ]
            store.replace_month(month, frame(*rows), [], [file_record(f"{month}.xlsx", month=month)], run())
        held = store.year_rows(2025, "2025-03")
        assert "去年一月的稿件" not in set(held[L.TITLE])
        pieces = scheme_month.gather(held, plan, "2025-03")

        compared = figures._quarter(store, held, plan, pieces, 3, 2025)

        whole = store.rows()
    last_year = periods.quarter("2024Q1")
    expected = periods.totals(scheme_month.gather(whole, plan, last_year.until), last_year, plan)
    assert compared["yearBefore"] == {"name": last_year.name} | figures._totals(expected)
    assert compared["yearBefore"]["sent"] == 3 and compared["yearBefore"]["adopted"] == 3
