"""Next year's plan, started from this year's: `python run.py next-plan --year 2026`.

The new `plan-2026.xlsx` holds the same sheets, roster, targets, points and rules as
`plan-2025.xlsx`, with the year in its titles moved on; the office then edits it (new units,
new targets) before issuing January's forms. An existing plan is never overwritten.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from pipeline.core import labels as L
from pipeline.core.errors import PipelineError, PlanMissing, PlanUnreadable
from pipeline.files import atomic


class PlanExists(PipelineError):
    """{year} 年考核计划表 {path} 已经存在，未做任何改动。如要重新以 {previous} 年计划表为底稿建立，请先把它移走或改名。"""

    exit_code = 11


def start_next_plan(inputs: Path, year: int) -> Path:
    """Writes `plan-{year}.xlsx` in `inputs` as a copy of `plan-{year - 1}.xlsx` for editing.

    Returns:
        The new plan's path.

    Raises:
        PlanExists: the year's plan exists already; nothing is written.
        PlanMissing: there is no plan of the year before to start from.
        PlanUnreadable: the year before's plan cannot be opened.
    """
    inputs = Path(inputs)
    source = inputs / L.PLAN_FILE.format(year=year - 1)
    target = inputs / L.PLAN_FILE.format(year=year)
    if target.exists():
        raise PlanExists(year=year, path=target, previous=year - 1)
    if not source.is_file():
        raise PlanMissing(year=year - 1, path=source)
    try:
        workbook = openpyxl.load_workbook(source)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise PlanUnreadable(path=source, reason=type(exc).__name__) from exc
    for ws in workbook:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = _moved_on(cell.value, year)
    with atomic.atomic_path(target) as tmp:
        workbook.save(tmp)
        if target.exists():  # written meanwhile by someone else: keep theirs
            raise PlanExists(year=year, path=target, previous=year - 1)
    return target


def _moved_on(text: str, year: int) -> str:
    """Titles and document numbers naming last year name the new one (`2025年` → `2026年`,
    `〔2025〕` → `〔2026〕`); other text is kept."""
    old = year - 1
    return text.replace(f"{old}年", f"{year}年").replace(f"〔{old}〕", f"〔{year}〕")
