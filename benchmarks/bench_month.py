"""Scale benchmark: a synthetic month of a county, a city and a province through the whole pipeline.

Run by hand, not by the test suite:

    python benchmarks/bench_month.py                      # N = 30, 300, 3000 forms
    python benchmarks/bench_month.py --units 30 300       # a quicker run
    python benchmarks/bench_month.py --json results.json  # also write the figures as JSON

For every N it writes a plan with N units and one returned form per unit (5 to 30 rows, about
3 % of the rows faulty) into a scratch folder, then measures, in the same run:

- the pipeline, as a child process (imports included, as `python run.py --month` runs it): its
  wall time, each stage's time (intake, checks, ledger, scoring, reports, forms) and the child's
  peak resident memory;
- for N up to --naive-max, a naive pipeline: every form read with openpyxl, one Great
  Expectations validation per file, the scoring row by row (it writes nothing);
- importing great_expectations alone, and the demo county's April, a usual month (earlier
  months processed beforehand, so without catch-up), each twice as a child process, the
  quickest of each kept; and once its March, a quarter's end, whose circular adds a PDF made
  by LibreOffice.

The machine is noisy (shared, 2 cores): compare the ratios measured in the same run, not the
seconds across runs. The slope is the least-squares seconds per 1,000 forms over the N measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.core import labels as L  # noqa: E402
from pipeline.demo import files as demo_files  # noqa: E402
from pipeline.demo import plan as demo_plan  # noqa: E402

CATEGORIES = ("股室", "国土资源所", "中心", "大队")
OUTLETS = [("《要情快报》", "县级"), ("市国土资源信息", "市级"), ("省自然资源厅网站", "省级"), ("县融媒体中心", "县级")]
FAULTY = 0.03


def make_inputs(folder: Path, units: int, month: str, seed: int = 7) -> int:
    """A plan with `units` units and one form per unit with 5-30 rows (about 3 % faulty).
    Returns the number of rows written."""
    rng = random.Random(seed)
    roster = write_plan(folder, units, int(month[:4]))
    rows = 0
    for code, name, *_ in roster:
        count = rng.randint(5, 30)
        _write_form(folder / month / f"{name}{month}信息报送.xlsx", code, name, month, count, rng)
        rows += count
    return rows


def write_plan(folder: Path, units: int, year: int) -> list[tuple[str, ...]]:
    """plan-YEAR.xlsx with `units` units (codes U0000…, four categories in turn); returns the roster."""
    roster = [
        (f"U{i:04d}", f"第{i}单位", CATEGORIES[i % 4], f"信息员{i}", f"0539-{i:07d}", L.YES) for i in range(units)
    ]
    demo_files.write_plan(
        folder / f"plan-{year}.xlsx", demo_plan.plan_sheets(units=roster, targets=demo_plan.TARGETS[:4])
    )
    return roster


def _write_form(path: Path, code: str, name: str, month: str, rows: int, rng: random.Random) -> None:
    write_form(path, code, name, month, [_random_row(name, month, n, rng) for n in range(1, rows + 1)])


def _random_row(name: str, month: str, n: int, rng: random.Random) -> list[object]:
    outlet, level = rng.choice(OUTLETS)
    adopted = rng.random() < 0.5
    faulty = rng.random() < FAULTY
    return [
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
        "" if faulty else "局长",
        L.YES,
        "",
    ]


def write_form(path: Path, code: str, name: str, month: str, rows: list[list[object]]) -> None:
    """A returned form of `name` for `month` with the given table rows (`L.TABLE_COLUMNS` order)."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(L.FORM_SHEET)
    ws.append([f"{name}{L.FORM_TITLE_SUFFIX}"])
    ws.append([L.H_UNIT_NAME, name, L.H_UNIT_CODE, code, L.H_MONTH, month])
    ws.append([L.H_OFFICER, "张三", L.H_PHONE, "0539-1234567", L.H_FILL_DATE, f"{month}-28"])
    ws.append(list(L.TABLE_COLUMNS))
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def naive_pipeline(inputs: Path, month: str) -> dict[str, float]:
    """Seconds of a naive month: openpyxl reading, one GX validation per file, row-by-row scoring."""
    from pipeline.checks import checks
    from pipeline.intake import intake
    from pipeline.plan.plan import load_plan

    plan = load_plan(inputs, int(month[:4]))
    seconds = {}
    start = time.perf_counter()
    for path in sorted((inputs / month).rglob("*.xlsx")):
        workbook = load_workbook(path, read_only=True, data_only=True)
        for ws in workbook:
            list(ws.iter_rows(values_only=True))
        workbook.close()
    seconds["read"] = time.perf_counter() - start
    rows = intake.read_month(inputs / month, plan, month).rows  # the same frame, not timed
    start = time.perf_counter()
    problems = []
    for _, frame in rows.groupby(L.SOURCE_FILE, sort=True):
        problems += checks.validate_rows(frame, plan, month)
    seconds["checks"] = time.perf_counter() - start
    start = time.perf_counter()
    faulty = {p.row_id for p in problems}
    total = 0.0
    for _, row in rows.iterrows():
        if row[L.ROW_ID] not in faulty and row[L.STATUS] == L.ADOPTED:
            total += plan.points_of(row[L.CATEGORY], row[L.LEVEL])
    seconds["scoring"] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    return seconds


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Runs a child process; returns its wall seconds, its peak resident MiB and its stdout."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.PIPE, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        error = child.stderr.read().decode()
        child.stderr.close()
        out.seek(0)
        stdout = out.read().decode()
    if child.returncode:
        raise RuntimeError(f"{args} failed ({child.returncode}): {error[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout


def child_month(inputs: str, outputs: str, month: str) -> None:
    """The child: one month through the pipeline; prints its stage seconds as JSON."""
    started = time.perf_counter()
    from pipeline import flow

    imported = time.perf_counter() - started
    result = flow.run_month(Path(inputs), Path(outputs), month)
    timings = {"imports": imported, **result.timings, "total": time.perf_counter() - started}
    print(json.dumps({"timings": timings, "rows": result.rows_read, "caught_up": result.caught_up}))
    import run  # ends as `python run.py` ends

    run.leave(0)


def measure(units: int, month: str, scratch: Path, naive_max: int) -> dict[str, object]:
    inputs, outputs = scratch / f"n{units}" / "inputs", scratch / f"n{units}" / "outputs"
    rows = make_inputs(inputs, units, month)
    wall, peak, stdout = run_child([__file__, "--child", str(inputs), str(outputs), month])
    result = {"units": units, "rows": rows, "seconds": wall, "peak_mib": peak, **json.loads(stdout)}
    if units <= naive_max:
        result["naive"] = naive_pipeline(inputs, month)
    shutil.rmtree(scratch / f"n{units}", ignore_errors=True)
    return result


def reference_times(scratch: Path, repeats: int = 2) -> dict[str, float]:
    """Importing great_expectations alone; the demo county's April (a usual month: January to
    March processed beforehand, so without catch-up) and its March (a quarter's end, with the
    quarter's circular and its PDF made by LibreOffice), each as a child process. The import and
    April are measured `repeats` times, interleaved, and the quickest of each kept (the machine
    is shared: the quickest run is the one least disturbed)."""
    inputs, outputs = scratch / "demo" / "inputs", scratch / "demo" / "outputs"
    shutil.copytree(ROOT / "inputs", inputs)
    run_child([__file__, "--child", str(inputs), str(outputs), "2025-02"])
    quarter_end, _, stdout = run_child([__file__, "--child", str(inputs), str(outputs), "2025-03"])
    assert not json.loads(stdout)["caught_up"]
    imports, months, peaks = [], [], []
    for _ in range(repeats):
        imports.append(run_child(["-c", "import great_expectations"])[0])
        seconds, peak, stdout = run_child([__file__, "--child", str(inputs), str(outputs), "2025-04"])
        assert not json.loads(stdout)["caught_up"]
        months.append(seconds)
        peaks.append(peak)
    return {
        "gx_import": min(imports),
        "gx_import_runs": imports,
        "demo_month": min(months),
        "demo_month_runs": months,
        "demo_peak_mib": max(peaks),
        "demo_quarter_end": quarter_end,
    }


def slope(results: list[dict[str, object]]) -> float | None:
    """Least-squares seconds per 1,000 forms."""
    if len(results) < 2:
        return None
    xs, ys = [r["units"] / 1000 for r in results], [r["seconds"] for r in results]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def report(results: list[dict[str, object]], reference: dict[str, float], per_thousand: float | None) -> str:
    stages = ["imports", "intake", "checks", "ledger", "scoring", "reports", "forms"]
    lines = [
        f"{'N':>6}{'rows':>8}{'total s':>9}"
        + "".join(f"{s:>9}" for s in stages)
        + f"{'peak MiB':>10}{'naive s':>9}{'naive×':>8}"
    ]
    for r in results:
        naive = r.get("naive", {}).get("total")
        lines.append(
            f"{r['units']:>6}{r['rows']:>8}{r['seconds']:>9.2f}"
            + "".join(f"{r['timings'].get(s, 0):>9.2f}" for s in stages)
            + f"{r['peak_mib']:>10.0f}"
            + (f"{naive:>9.2f}{naive / r['seconds']:>8.1f}" if naive else f"{'-':>9}{'-':>8}")
        )
    gx_import = reference["gx_import"]
    lines.append(
        f"great_expectations import alone {gx_import:.2f} s; demo county's April (a usual month) "
        f"{reference['demo_month']:.2f} s = {reference['demo_month'] / gx_import:.2f}× the import; "
        f"its March (a quarter's end, circular and PDF included) {reference['demo_quarter_end']:.2f} s = "
        f"{reference['demo_quarter_end'] / gx_import:.2f}×"
    )
    if per_thousand is not None:
        lines.append(f"slope {per_thousand:.2f} s per 1,000 forms")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, nargs="+", default=[30, 300, 3000])
    parser.add_argument("--month", default="2025-03")
    parser.add_argument("--naive-max", type=int, default=300, help="run the naive pipeline up to this N")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--child", nargs=3, metavar=("INPUTS", "OUTPUTS", "MONTH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_month(*args.child)
        return
    scratch = Path(tempfile.mkdtemp(prefix="bench-month-"))
    try:
        reference = reference_times(scratch)
        results = [measure(units, args.month, scratch, args.naive_max) for units in args.units]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    per_thousand = slope(results)
    print(report(results, reference, per_thousand))
    figures = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()},
        "reference": reference,
        "slope_seconds_per_1000_forms": per_thousand,
        "results": results,
    }
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
