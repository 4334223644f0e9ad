"""Scale benchmark: one synthetic province-size month through the whole pipeline.

Run by hand, not by the test suite:

    python benchmarks/bench_month.py --units 400 --rows 25

It writes a plan with N units and one returned form per unit (R rows each, a few with mistakes)
into a scratch folder, then measures in the same process:

- the baseline: reading every form with openpyxl (read-only mode), the way a hand-written script
  would, doing nothing else;
- the pipeline, stage by stage (intake, checks, ledger, scoring, reports, forms), from the
  manifest's timings, and end to end.

Times are printed as seconds and as ratios to the baseline, because the machine is noisy and
only the ratios carry over; peak memory is the process's maximum resident size.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import demo, flow
from pipeline import labels as L

CATEGORIES = ("股室", "国土资源所", "中心", "大队")
OUTLETS = [("《要情快报》", "县级"), ("市国土资源信息", "市级"), ("省自然资源厅网站", "省级"), ("县融媒体中心", "县级")]


def make_inputs(folder: Path, units: int, rows: int, month: str, seed: int = 7) -> None:
    """A plan with `units` units and one form per unit with `rows` rows (about 2% faulty)."""
    rng = random.Random(seed)
    roster = [
        (f"U{i:04d}", f"第{i}单位", CATEGORIES[i % 4], f"信息员{i}", f"0539-{i:07d}", L.YES) for i in range(units)
    ]
    demo.write_plan(folder / f"plan-{month[:4]}.xlsx", demo.plan_sheets(units=roster, targets=demo.TARGETS[:4]))
    for code, name, *_ in roster:
        _write_form(folder / month / f"{name}{month}信息报送.xlsx", code, name, month, rows, rng)


def _write_form(path: Path, code: str, name: str, month: str, rows: int, rng: random.Random) -> None:
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(L.FORM_SHEET)
    ws.append([f"{name}{L.FORM_TITLE_SUFFIX}"])
    ws.append([L.H_UNIT_NAME, name, L.H_UNIT_CODE, code, L.H_MONTH, month])
    ws.append([L.H_OFFICER, "张三", L.H_PHONE, "0539-1234567", L.H_FILL_DATE, f"{month}-28"])
    ws.append(list(L.TABLE_COLUMNS))
    for n in range(1, rows + 1):
        outlet, level = rng.choice(OUTLETS)
        adopted = rng.random() < 0.5
        ws.append(
            [
                n,
                f"{name}关于国土资源工作的第{n}篇信息",
                rng.choice(L.CATEGORIES),
                "张三、李四" if n % 3 else "王五",
                f"{month}-{rng.randint(1, 20):02d}",
                "县委办公室",
                L.ADOPTED if adopted else L.NOT_ADOPTED,
                outlet if adopted else "",
                level if adopted else "",
                f"{month}-{rng.randint(21, 28):02d}" if adopted else "",
                "无",
                "",
                "第3期" if adopted else "",
                "" if rng.random() < 0.02 else "局长",
                L.YES,
                "",
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def openpyxl_baseline(folder: Path) -> float:
    """Seconds to read every cell of every form with openpyxl's read-only mode."""
    start = time.perf_counter()
    cells = 0
    for path in sorted(folder.rglob("*.xlsx")):
        workbook = load_workbook(path, read_only=True, data_only=True)
        for ws in workbook:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        workbook.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=400)
    parser.add_argument("--rows", type=int, default=25)
    parser.add_argument("--month", default="2025-03")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-month-"))
    try:
        inputs, outputs = scratch / "inputs", scratch / "outputs"
        start = time.perf_counter()
        make_inputs(inputs, args.units, args.rows, args.month)
        print(f"made {args.units} forms × {args.rows} rows in {time.perf_counter() - start:.1f} s ({inputs})")
        baseline = openpyxl_baseline(inputs / args.month)
        start = time.perf_counter()
        result = flow.run_month(inputs, outputs, args.month)
        total = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"rows read {result.rows_read}, accepted {result.rows_accepted}, rejected {result.rows_rejected}")
        print(f"{'stage':<10}{'seconds':>10}{'× baseline':>12}")
        print(f"{'baseline':<10}{baseline:>10.2f}{1:>12.2f}   (openpyxl read-only, every cell)")
        for stage, seconds in result.timings.items():
            print(f"{stage:<10}{seconds:>10.2f}{seconds / baseline:>12.2f}")
        print(f"{'total':<10}{total:>10.2f}{total / baseline:>12.2f}")
        print(f"peak resident memory {peak_mb:.0f} MiB")
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
