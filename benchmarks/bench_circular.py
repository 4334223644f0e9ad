"""Where a quarter's circular spends its time: a synthetic quarter of N units, processed month by
month, then `run.py circular --quarter` timed and profiled.

Run by hand, not by the test suite:

    python benchmarks/bench_circular.py                  # 1,000 units
    python benchmarks/bench_circular.py --units 3000     # a province
    python benchmarks/bench_circular.py --keep DIR       # keep (or reuse) the scratch folder

The three months are generated with `bench_month.make_inputs` (one form per unit, 5 to 30 rows)
and processed as the office does (`run.py --month`, each its own process); the quarter's
circular is then re-rendered once under cProfile in a child process, and its wall time, peak
memory and the seconds of each stage (the figures, the Word file, the web page, the chart, the
PDF) are printed as a table. With --keep, a folder that already holds the processed quarter is
reused, so a change of the rendering can be measured before and after on the same ledger.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MONTHS = ("2025-01", "2025-02", "2025-03")
# (stage, the functions whose cumulative time it is): the first match in the profile counts.
STAGES = (
    ("台账与计分（periods.figures）", ("periods.py:figures",)),
    ("通报内容（circular.context）", ("circular.py:context",)),
    ("图表（chart.png / chart.svg）", ("chart.py:png", "chart.py:svg")),
    ("Word 文件（_render_docx）", ("documents.py:_render_docx",)),
    ("网页（_render_html）", ("documents.py:_render_html",)),
    ("明细工作簿（circular_workbook）", ("circular_workbook.py:write_workbook",)),
    ("PDF（LibreOffice）", ("pdf.py:finish", "pdf.py:convert")),
)


def prepare(folder: Path, units: int) -> None:
    """The quarter's inputs and its three months processed (skipped when already there)."""
    from bench_month import make_inputs

    inputs, outputs = folder / "inputs", folder / "outputs"
    if (outputs / "2025-03" / "manifest.json").is_file():
        return
    for n, month in enumerate(MONTHS):
        make_inputs(inputs, units, month, seed=7 + n)
    for month in MONTHS:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "run.py"),
                "--inputs",
                str(inputs),
                "--outputs",
                str(outputs),
                "--month",
                month,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        print(f"{month} processed in {time.perf_counter() - started:.1f} s", flush=True)


def profile_circular(folder: Path) -> None:
    """Child: renders the quarter's circular under cProfile and prints the stage table."""
    import run

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    arguments = ["--inputs", str(folder / "inputs"), "--outputs", str(folder / "outputs")]
    run.cli.main([*arguments, "circular", "--quarter", "2025Q1"], standalone_mode=False)
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    cumulative = {f"{Path(file).name}:{name}": entry[3] for (file, _, name), entry in stats.stats.items()}
    print(f"\n| 阶段 | 秒 |\n| --- | ---: |\n| 合计（circular --quarter） | {wall:.1f} |")
    for stage, names in STAGES:
        seconds = sum(cumulative.get(name, 0.0) for name in names)
        print(f"| {stage} | {seconds:.1f} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:.0f} MB")
    stats.sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="scratch folder kept (and reused) instead of a temporary one")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        profile_circular(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="bench-circular-") as scratch:
        folder = args.keep.resolve() if args.keep else Path(scratch)
        prepare(folder, args.units)
        subprocess.run([sys.executable, __file__, "--child", str(folder)], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
