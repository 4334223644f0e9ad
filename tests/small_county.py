"""A three-unit county (the demo's GS01–GS03 and its rules) for tests that run whole months
many times: each month then writes three forms and receipts instead of twenty."""

from __future__ import annotations

from pathlib import Path

from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan

UNITS = demo_plan.UNITS[:3]


def small_inputs(folder: Path) -> Path:
    """Creates `folder` holding only plan-2025.xlsx of the three-unit county."""
    folder.mkdir(parents=True, exist_ok=True)
    demo_files.write_plan(folder / "plan-2025.xlsx", demo_plan.plan_sheets(units=UNITS))
    return folder
