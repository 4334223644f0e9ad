"""Shared fixtures: the demo county's plan, written to a temporary inputs folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.demo import files as demo_files
from pipeline.plan.plan import Plan, load_plan


@pytest.fixture(scope="session")
def demo_plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An inputs folder holding only the demo county's plan-2025.xlsx."""
    folder = tmp_path_factory.mktemp("plan-inputs")
    demo_files.write_plan(folder / "plan-2025.xlsx")
    return folder


@pytest.fixture(scope="session")
def plan(demo_plan_dir: Path) -> Plan:
    """The demo county's validated plan for 2025."""
    return load_plan(demo_plan_dir, 2025)
