"""Where a quarter's circular spends its time: a synthetic quarter of N units, processed month by
month, then `run.py circular --quarter` timed and profiled.

Run by hand, not by the test suite:

    python benchmarks/bench_circular.py                  # 1,000 units
    python benchmarks/bench_circular.py --units 3000     # a province
    python benchmarks/bench_circular.py --keep DIR       # keep (or reuse) the scratch folder

The three months are generated as `bench_month.make_inputs` makes a month (one form per unit, 5
to 30 rows) but with random titles
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
import random
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
    ("Word 文件（_render_docx，含图表 PNG）", ("documents.py:_render_docx",)),
    ("  其中 docxtpl map_tree", ("template.py:map_tree",)),
    ("  其中 长表格另行生成（table_rows）", ("table_rows.py:put_rows",)),
    ("网页（_render_html，含图表 SVG）", ("documents.py:_render_html",)),
    ("明细工作簿（save_tables）", ("big_table.py:save_tables",)),
    ("PDF（等待 LibreOffice）", ("pdf.py:finish",)),
)

# Titles drawn from these characters: `bench_month`'s titles differ between units by the unit's
# number only, which near_duplicates.py compares pair by pair (hours for a province's month).
POOL = "土地矿产规划耕地保护执法监察不动产登记地质灾害防治测绘生态修复整治开发利用审批监管改革服务群众项目建设"


def make_quarter(inputs: Path, units: int) -> None:
    """bench_month's plan and forms for the three months, with titles that do not nearly repeat."""
    import bench_month
    from openpyxl import Workbook

    from pipeline.core import labels as L
    from pipeline.demo import files as demo_files
    from pipeline.demo import plan as demo_plan

    roster = [
        (f"U{i:04d}", f"第{i}单位", bench_month.CATEGORIES[i % 4], f"信息员{i}", f"0539-{i:07d}", L.YES)
        for i in range(units)
    ]
    sheets = demo_plan.plan_sheets(units=roster, targets=demo_plan.TARGETS[:4])
    demo_files.write_plan(inputs / "plan-2025.xlsx", sheets)
    for n, month in enumerate(MONTHS):
        rng = random.Random(7 + n)
        for code, name, *_ in roster:
            workbook = Workbook(write_only=True)
            ws = workbook.create_sheet(L.FORM_SHEET)
            ws.append([f"{name}{L.FORM_TITLE_SUFFIX}"])
            ws.append([L.H_UNIT_NAME, name, L.H_UNIT_CODE, code, L.H_MONTH, month])
            ws.append([L.H_OFFICER, "张三", L.H_PHONE, "0539-1234567", L.H_FILL_DATE, f"{month}-28"])
            ws.append(list(L.TABLE_COLUMNS))
            for row in range(1, rng.randint(5, 30) + 1):
                outlet, level = rng.choice(bench_month.OUTLETS)
                adopted = rng.random() < 0.5
                title = "".join(rng.choices(POOL, k=16))
                day = f"{month}-{rng.randint(1, 20):02d}"
                ws.append(
                    [row, title, rng.choice(L.CATEGORIES), "张三、李四" if row % 3 else "王五", day, "县委办公室"]
                    + (
                        [L.ADOPTED, outlet, level, f"{month}-{rng.randint(21, 28):02d}"]
                        if adopted
                        else [L.NOT_ADOPTED, "", "", ""]
                    )
                    + ["无", "", "第3期" if adopted else "", "局长", L.YES, ""]
                )
            path = inputs / month / f"{name}{month}信息报送.xlsx"
            path.parent.mkdir(parents=True, exist_ok=True)
            workbook.save(path)


def prepare(folder: Path, units: int) -> None:
    """The quarter's inputs and its three months processed (skipped when already there)."""
    inputs, outputs = folder / "inputs", folder / "outputs"
    if (outputs / "2025-03" / "manifest.json").is_file():
        return
    make_quarter(inputs, units)
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
