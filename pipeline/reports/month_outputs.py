"""The month's own folder: 审核问题, the receipts, 汇总台账, 月度统计 and the manifest, written
into a fresh folder that replaces the old one only once everything succeeded."""

from __future__ import annotations

import functools
import hashlib
import platform
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import pandas as pd

import pipeline
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core import problems as P
from pipeline.core.dependencies import RUNTIME_PACKAGES
from pipeline.files import memory, parallel, workspace
from pipeline.intake import intake
from pipeline.plan.plan import Plan
from pipeline.reports import reports
from pipeline.scoring import scoring
from pipeline.xlsx import styles as xlsx

# Called with a stage's line when it starts; stages that write one file per unit call it again
# with the same line and `done=`, `total=` keyword arguments after each file.
Progress = Callable[..., None]

PACKAGES = RUNTIME_PACKAGES  # their versions go into the manifest


# What a month's folder holds that this program writes (the monthly circular included: it goes
# with the folder when the month is processed again); anything else there is the office's.
_WRITTEN_HERE = re.compile(
    rf"^({re.escape(reports.PROBLEMS_FILE)}|{re.escape(reports.SUMMARY_LEDGER_FILE)}|{re.escape(reports.STATISTICS_FILE)}"
    rf"|{re.escape(reports.MANIFEST_FILE)}|月度通报\.(docx|html|pdf|xlsx)|{re.escape(reports.RECEIPTS_DIR)}/[^/]+\.xlsx)$"
)


def written_here(name: str) -> bool:
    """Whether a file of a month's folder (path relative to it) is one this program writes."""
    return bool(_WRITTEN_HERE.match(name))


def write_month_outputs(
    plan: Plan,
    month: str,
    found: intake.Intake,
    accepted: pd.DataFrame,
    problems: list[P.Problem],
    scores: scoring.Scores,
    outputs: Path,
    timings: dict[str, float],
    say: Progress,
) -> int:
    """Writes the month's folder into a fresh temporary folder, then swaps it in. The time of
    each file kind goes into `timings` as "reports.<kind>"."""
    with workspace.fresh_folder(outputs / month, ours=written_here) as folder:
        heading = f"{plan.bureau_name()} {month} 信息宣传月报"
        receipts = _write_big_outputs(plan, month, found, accepted, problems, scores, folder, heading, timings, say)
        reports.write_manifest(_manifest(plan, month, found, problems, timings), folder / reports.MANIFEST_FILE)
    return len(receipts)


def _write_big_outputs(
    plan: Plan,
    month: str,
    found: intake.Intake,
    accepted: pd.DataFrame,
    problems: list[P.Problem],
    scores: scoring.Scores,
    folder: Path,
    heading: str,
    timings: dict[str, float],
    say: Progress,
) -> list[Path]:
    """审核问题, the receipts, 汇总台账 and 月度统计: for a big month in two processes together (the
    workbooks first, each in a process of its own as one is free, the receipts filling whatever
    is free), so that neither core waits. The seconds spent on each workbook go into `timings`
    as "reports.problems", "reports.ledger" and "reports.statistics", those of the whole step as
    "reports.receipts"."""
    line = "生成回执"
    jobs = reports.receipt_jobs(
        plan,
        month,
        found.rows,
        set(accepted[L.ROW_ID]),
        found.files,
        problems,
        scores.row_points,
        folder / reports.RECEIPTS_DIR,
        late=scores.late_rows,
        reasons=scores.row_reasons,
        unit_lines=scores.unit_lines,
    )
    sheets = {
        OL.UNITS_SHEET: scores.units,
        OL.PERSONS_SHEET: scores.persons,
        OL.MISSING_SHEET: scores.missing,
    }
    statistics = functools.partial(
        reports.write_statistics,
        chart_sheet=OL.UNITS_SHEET,
        chart_value=OL.POINTS_YTD,
        chart_rank=OL.RANK,
        chart_title=f"{month} 各单位累计得分",
        title=f"{heading}——月度统计",
    )
    workbooks = [
        (
            functools.partial(
                reports.write_ledger,
                late=scores.late_rows,
                title=f"{heading}——汇总台账",
                reasons=scores.row_reasons if plan.scheme is not None else None,
            ),
            (accepted, scores.row_points, folder / reports.SUMMARY_LEDGER_FILE),
        ),
        (statistics, (sheets, folder / reports.STATISTICS_FILE)),
        (
            functools.partial(reports.write_problems, title=f"{heading}——审核问题"),
            (problems, folder / reports.PROBLEMS_FILE),
        ),
    ]
    with timed(timings, "reports.receipts"), xlsx.many_cells():
        written, receipts = parallel.run_together(
            workbooks,
            reports.write_receipt_job,
            jobs,
            lambda done, total: say(line, done=done, total=total),
            parallel_from=reports.PARALLEL_FROM,
        )
    timings["reports.ledger"], timings["reports.statistics"], timings["reports.problems"] = (
        seconds for _, seconds in written
    )
    return receipts


def _manifest(
    plan: Plan, month: str, found: intake.Intake, problems: list[P.Problem], timings: dict[str, float]
) -> dict:
    read = sum(f.rows_read for f in found.files)
    accepted = sum(f.rows_accepted for f in found.files)
    rejected = sum(f.rows_rejected for f in found.files)
    return {
        "month": month,
        "plan": {"path": plan.source.name, "sha256": hashlib.sha256(plan.source.read_bytes()).hexdigest()},
        "inputs": [reports.file_entry(f) for f in found.files],
        "rows": {"read": read, "accepted": accepted, "rejected": rejected, "reconciled": read == accepted + rejected},
        "problems": {
            "total": len(problems),
            "by_severity": dict(sorted(Counter(p.severity for p in problems).items())),
            "by_code": dict(sorted(Counter(p.code for p in problems).items())),
        },
        "timings_seconds": {k: round(v, 3) for k, v in timings.items()},
        "versions": {
            "pipeline": pipeline.__version__,
            "python": platform.python_version(),
            **{name: _version(name) for name in PACKAGES},
        },
    }


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Adds the stage's seconds to `timings[stage]`, and gives back the memory it freed."""
    start = time.perf_counter()
    try:
        yield
    finally:
        memory.give_back()
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""
