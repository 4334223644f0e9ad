"""A three-unit county (the demo's GS01–GS03 and its rules) for tests that run whole months
many times: each month then writes three forms and receipts instead of twenty."""

from __future__ import annotations

from pathlib import Path

from pipeline.demo import county as demo

UNITS = demo.UNITS[:3]


def small_inputs(folder: Path) -> Path:
    """Creates `folder` holding only plan-2025.xlsx of the three-unit county."""
    folder.mkdir(parents=True, exist_ok=True)
    demo.write_plan(folder / "plan-2025.xlsx", demo.plan_sheets(units=UNITS))
    return folder
