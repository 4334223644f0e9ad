"""Province-year benchmark: a generated province (3,000 units) through a whole year, month by month.

Run by hand, not by the test suite (the full year takes long; run it niced on a shared machine):

    nice -n 10 python benchmarks/bench_province.py                 # 3,000 units, 01-12 and the year-end
    python benchmarks/bench_province.py --units 1000 --months 01-03  # a quick first quarter
    python benchmarks/bench_province.py --json year.json            # also write the figures as JSON
    python benchmarks/bench_province.py --years 2                   # two years, pieces carried over

It writes a plan with `--units` units, then, for each month in turn, that month's forms and
`python run.py --month YYYY-MM` as a child process of its own, as an office runs it. The forms
grow as a real year's do: each unit lists 5 to 30 new pieces, half adopted at once, and lists
again every piece of earlier months still waiting for an adoption (about a third of them
reported adopted each month, some with an adoption date in an earlier month: 补报); some
pieces are sent in the previous month and first listed now (补报 too), some are co-written
with another unit or carry a leader's instruction, about 3 % of rows are faulty and about 2 %
of units send nothing in a month. After December, `python run.py yearend` re-renders the
year's results on its own. With `--years 2` the next year follows, its plan written after the
year-end, each unit listing again its pieces still waiting: from the second year on a month
also reads the pieces carried over from the year before.

For every run it prints the wall time, the child's peak resident memory (the largest single
process, `ru_maxrss` of the child and the processes it waited for: a forked child's resident
size includes the pages it still shares with its parent) and the peak of the physical memory
the whole process tree holds at once (the sum of each process's PSS, sampled from /proc every
0.2 s: forms and PDFs are written by processes of their own), the stage timings the month's manifest records, and the ratio of each
quarter-end month to the plain month before it in the same run. With `--profile` (default: on)
the first quarter-end month in the range is run a second time under cProfile, on a copy of the
outputs as they were before it, and the table of where its time goes is printed.

The machine is noisy (shared, 2 cores): compare the ratios measured in one run, not seconds
across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_month import OUTLETS, write_form, write_plan  # noqa: E402

from pipeline.core import labels as L  # noqa: E402

NEW_PIECES = (5, 30)  # new pieces per unit and month
ADOPTED_AT_ONCE = 0.5
ADOPTED_LATER = 0.35  # of a unit's waiting pieces, the share reported adopted in a month
LATE = 0.1  # of the adoptions and new pieces, the share dated in an earlier month (补报)
CO_WRITTEN = 0.02
INSTRUCTED = 0.03
FAULTY = 0.03
SILENT = 0.02  # units that send no form in a month
# Titles are drawn from these words, three at a time: two units' titles alike enough to be
# taken for one piece sent twice (near_duplicates) stay as rare as in real forms.
WORDS = (
    "耕地保护",
    "不动产登记",
    "执法监察",
    "地质灾害",
    "土地整治",
    "矿产资源",
    "规划编制",
    "信访维稳",
    "增减挂钩",
    "宅基地",
    "确权颁证",
    "批后监管",
    "卫片执法",
    "矿山复绿",
    "征地拆迁",
    "用地报批",
    "节约集约",
    "测绘地理",
    "权籍调查",
    "闲置土地",
    "供地率",
    "储备土地",
    "基本农田",
    "生态修复",
    "党风廉政",
    "优化营商",
    "一窗受理",
    "数据治理",
    "档案整理",
    "业务培训",
    "安全生产",
    "防汛值守",
)
ACTIONS = ("工作取得新进展", "专项行动全面启动", "推进会召开", "经验做法获肯定", "迎来检查验收", "攻坚战打响")
QUARTER_ENDS = ("03", "06", "09", "12")

# Where a quarter-end's time goes: (label, file suffix, function) whose cumulative time cProfile
# records. Nested entries are indented; the first level adds up to the run less imports.
STAGES = (
    ("month: intake (forms read)", "intake/intake.py", "read_month"),
    # a big month's rows are checked by a second process (`checks.start_validation`): here 0
    ("month: checks, in this process", "checks/checks.py", "validate_rows"),
    ("month: earlier claims", "checks/cross_month.py", "earlier_claims"),
    ("month: near duplicates", "checks/near_duplicates.py", "near_duplicates"),
    ("month: ledger rows read", "pipeline/ledger.py", "rows"),
    ("month: ledger written", "pipeline/ledger.py", "replace_month"),
    ("  of which backup copy", "files/backup.py", "keep"),
    ("month: scoring", "scoring/scoring.py", "score_month"),
    ("month: receipts, statistics", "reports/month_outputs.py", "write_month_outputs"),
    ("circular: figures", "scoring/periods.py", "figures"),
    ("circular: started", "reports/period_outputs.py", "start_quarterly_circular"),
    ("circular: finished (PDF wait)", "reports/period_outputs.py", "finish"),
    ("  docx rendering", "documents/documents.py", "_render_docx"),
    ("next month's forms", "forms/issue.py", "issue_month_forms"),
    ("dashboard", "dashboard/page.py", "write_page"),
    ("year-end", "reports/period_outputs.py", "write_year"),
    ("whole run (flow.run_month)", "pipeline/flow.py", "run_month"),
)


@dataclass
class Piece:
    title: str
    category: str
    authors: str
    sent: str
    instruction: str = "无"
    co_units: str = ""


@dataclass
class Unit:
    code: str
    name: str
    waiting: list[Piece] = field(default_factory=list)
    made: int = 0


class Province:
    """The province's year as its units report it: each unit's pieces still waiting for adoption."""

    def __init__(self, roster: list[tuple[str, ...]], year: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.year = year
        self.units = [Unit(code, name) for code, name, *_ in roster]

    def write_month(self, inputs: Path, month_number: int) -> int:
        """Writes the month's forms into `inputs/YYYY-MM`; returns the number of rows written."""
        month = f"{self.year}-{month_number:02d}"
        folder = inputs / month
        folder.mkdir(parents=True, exist_ok=True)
        rows = 0
        for unit in self.units:
            if self.rng.random() < SILENT:
                continue  # its pieces keep waiting: they are listed again next month
            table = self._unit_rows(unit, month_number)
            write_form(folder / f"{unit.name}{month}信息报送.xlsx", unit.code, unit.name, month, table)
            rows += len(table)
        return rows

    def _unit_rows(self, unit: Unit, month_number: int) -> list[list[object]]:
        rng, month = self.rng, f"{self.year}-{month_number:02d}"
        table, still = [], []
        for piece in unit.waiting:
            adopted = rng.random() < ADOPTED_LATER
            table.append(self._row(len(table) + 1, piece, month_number, adopted))
            if not adopted:
                still.append(piece)
        for _ in range(rng.randint(*NEW_PIECES)):
            unit.made += 1
            sent_month = month_number - 1 if month_number > 1 and rng.random() < LATE else month_number
            piece = Piece(
                title=f"{unit.name}{''.join(rng.sample(WORDS, 2))}{rng.choice(ACTIONS)}（{month}-{unit.made}）",
                category=rng.choice(L.CATEGORIES),
                authors="张三、李四" if unit.made % 3 else "王五",
                sent=f"{self.year}-{sent_month:02d}-{rng.randint(1, 20):02d}",
                instruction=rng.choice(("县级", "市级")) if rng.random() < INSTRUCTED else "无",
                co_units=self.rng.choice(self.units).code if rng.random() < CO_WRITTEN else "",
            )
            if piece.co_units == unit.code:
                piece.co_units = ""
            adopted = rng.random() < ADOPTED_AT_ONCE
            table.append(self._row(len(table) + 1, piece, month_number, adopted))
            if not adopted:
                still.append(piece)
        unit.waiting = still
        return table

    def _row(self, n: int, piece: Piece, month_number: int, adopted: bool) -> list[object]:
        rng = self.rng
        outlet, level = rng.choice(OUTLETS)
        adopt_month = month_number - 1 if month_number > 1 and rng.random() < LATE else month_number
        adopt_day = max(int(piece.sent[-2:]), 21) if adopt_month == month_number else 28
        faulty = rng.random() < FAULTY
        return [
            n,
            piece.title,
            piece.category,
            piece.authors,
            piece.sent,
            "省自然资源厅",
            L.ADOPTED if adopted else L.NOT_ADOPTED,
            outlet if adopted else "",
            level if adopted else "",
            f"{self.year}-{adopt_month:02d}-{adopt_day:02d}" if adopted else "",
            piece.instruction,
            piece.co_units,
            "第3期" if adopted else "",
            "" if faulty else "局长",
            L.YES,
            "",
        ]


class TreeMemory:
    """Samples the memory of a process and all its descendants at once, keeping the peak (MiB):
    each process's proportional set size (PSS: a page shared by n processes counts 1/n in each),
    so the sum is the physical memory the run holds. Summing resident sizes instead would count
    every page a forked child (the forms' process, the pool's workers) still shares with its
    parent once per process."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, sum(_pss_mib(pid) for pid in _tree(self.pid)))


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
        except OSError:
            continue
    return found


def _pss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_child(args: list[str]) -> tuple[float, float, float]:
    """Runs a child process; returns its wall seconds, its largest process's peak resident MiB
    and the sampled peak of its process tree's resident MiB."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, *args], stdout=out, stderr=err, cwd=ROOT)
        memory = TreeMemory(child.pid)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        tree = memory.stop()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            out.seek(0)
            err.seek(0)
            raise RuntimeError(f"{args} failed ({child.returncode}): {out.read()[-2000:]!r} {err.read()[-2000:]!r}")
    return seconds, usage.ru_maxrss / 1024, max(tree, usage.ru_maxrss / 1024)


def month_timings(outputs: Path, month: str, seconds: float) -> dict[str, float]:
    """The stage seconds the month's manifest records, `reports` the main process's share of the
    month's files (the manifest is written before that stage ends: its problems sheet and
    receipts; the big workbooks are written beside them in a second process), and `other`: the
    rest of `seconds` (imports, the circular, next month's forms, the dashboard, the year's
    results)."""
    manifest = outputs / month / "manifest.json"
    if not manifest.is_file():
        return {}
    timings = json.loads(manifest.read_text(encoding="utf-8")).get("timings_seconds", {})
    timings.setdefault("reports", timings.get("reports.problems", 0.0) + timings.get("reports.receipts", 0.0))
    stages = sum(v for k, v in timings.items() if "." not in k)
    return {**timings, "other": seconds - stages}


def profile_month(inputs: Path, outputs: Path, month: str, scratch: Path) -> list[tuple[str, float]]:
    """Runs `month` again under cProfile on `outputs` (a copy taken before the month) and returns
    each stage's cumulative seconds."""
    profile = scratch / f"{month}.prof"
    args = [__file__, "--profile-child", str(profile), "--inputs", str(inputs), "--outputs", str(outputs)]
    run_child([*args, "--month", month])
    stats = pstats.Stats(str(profile))
    cumulative: dict[tuple[str, str], float] = {}
    for (filename, _, function), (_, _, _, seconds, _) in stats.stats.items():
        for _label, suffix, name in STAGES:
            if function == name and filename.replace(os.sep, "/").endswith(suffix):
                cumulative[suffix, name] = cumulative.get((suffix, name), 0.0) + seconds
    total = max((v for (_, _, _, v, _) in stats.stats.values()), default=0.0)
    rows = [(label, cumulative.get((suffix, name), 0.0)) for label, suffix, name in STAGES]
    return [*rows, ("whole process (imports included, profiled)", total)]


def profiled_child(profile: Path, argv: list[str]) -> None:
    """The profiled child: `run.py` with `argv`, its profile written before it leaves (run.py ends
    with os._exit, which skips cProfile's own writing)."""
    import cProfile
    import runpy

    profiler = cProfile.Profile()
    leave = os._exit

    def dump() -> None:
        profiler.disable()
        profiler.dump_stats(profile)

    # Forked children (the forms' process, pool workers) inherit this patch: only the profiled
    # process itself writes the profile.
    profiled = os.getpid()
    os._exit = lambda code: (dump() if os.getpid() == profiled else None, leave(code))
    sys.argv = [str(ROOT / "run.py"), *argv]
    profiler.enable()
    try:
        runpy.run_path(str(ROOT / "run.py"), run_name="__main__")
    finally:
        dump()


def parse_months(text: str) -> list[int]:
    first, _, last = text.partition("-")
    months = list(range(int(first), int(last or first) + 1))
    if not months or months[0] < 1 or months[-1] > 12:
        raise argparse.ArgumentTypeError(f"months 01-12, not {text}")
    return months


def report(results: list[dict], profiled: dict | None) -> str:
    stages = ["intake", "checks", "ledger", "scoring", "reports", "other"]
    lines = [
        f"{'month':>8}{'rows':>8}{'wall s':>9}{'peak MiB':>10}{'tree MiB':>10}{'÷ plain':>9}"
        + "".join(f"{s:>10}" for s in stages)
    ]
    for r in results:
        ratio = f"{r['ratio']:>9.2f}" if r.get("ratio") else f"{'':>9}"
        lines.append(
            f"{r['month']:>8}{r.get('rows', 0):>8}{r['seconds']:>9.1f}{r['peak_mib']:>10.0f}{r['tree_mib']:>10.0f}"
            + ratio
            + "".join(f"{r['timings'].get(s, 0):>10.1f}" for s in stages)
        )
    if profiled:
        lines += ["", f"where {profiled['month']}'s time goes (cProfile, cumulative seconds, a second run):"]
        lines += [f"  {label:<44}{seconds:>8.1f}" for label, seconds in profiled["stages"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--months", type=parse_months, default=list(range(1, 13)), help="e.g. 01-03 (default 01-12)")
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--years", type=int, default=1, help="years one after another, pieces carried over (default 1)")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--no-profile", dest="profile", action="store_false", help="skip the cProfile of a quarter end")
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs in this (new) folder")
    if sys.argv[1:2] == ["--profile-child"]:
        profiled_child(Path(sys.argv[2]), sys.argv[3:])
        return
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="bench-province-"))
    inputs, outputs = scratch / "inputs", scratch / "outputs"
    inputs.mkdir(parents=True, exist_ok=args.keep is not None)
    roster = write_plan(inputs, args.units, args.year)
    province = Province(roster, args.year, args.seed)
    results: list[dict] = []
    profiled = None
    try:
        for year in range(args.year, args.year + args.years):
            if year != args.year:  # the next year's plan, and the units' waiting pieces carried into it
                write_plan(inputs, args.units, year)
                province.year = year
            last = args.months[-1] if args.years == 1 else 12
            for number in range(1, last + 1):
                month = f"{year}-{number:02d}"
                rows = province.write_month(inputs, number)
                if year == args.year and number < args.months[0]:
                    run_child(["run.py", "--inputs", str(inputs), "--outputs", str(outputs), "--month", month])
                    continue  # earlier months, processed beforehand, not measured
                quarter_end = month[-2:] in QUARTER_ENDS
                copy = None
                if quarter_end and args.profile and profiled is None:
                    copy = scratch / "profiled-outputs"
                    shutil.copytree(outputs, copy) if outputs.exists() else None
                seconds, peak, tree = run_child(
                    ["run.py", "--inputs", str(inputs), "--outputs", str(outputs), "--month", month]
                )
                result = {"month": month, "rows": rows, "seconds": seconds, "peak_mib": peak, "tree_mib": tree}
                result["timings"] = month_timings(outputs, month, seconds)
                plain = next((r for r in reversed(results) if r["month"][-2:] not in QUARTER_ENDS), None)
                if quarter_end and plain is not None:
                    result["ratio"] = seconds / plain["seconds"]
                results.append(result)
                print(report(results[-1:], None).splitlines()[-1], flush=True)
                if copy is not None:
                    profiled = {"month": month, "stages": profile_month(inputs, copy, month, scratch)}
                    shutil.rmtree(copy, ignore_errors=True)
            if last == 12:
                seconds, peak, tree = run_child(
                    ["run.py", "--inputs", str(inputs), "--outputs", str(outputs), "yearend", "--year", str(year)]
                )
                plain = next((r for r in reversed(results) if r["month"][-2:] not in QUARTER_ENDS), None)
                results.append(
                    {
                        "month": "yearend" if args.years == 1 else f"{year} end",
                        "seconds": seconds,
                        "peak_mib": peak,
                        "tree_mib": tree,
                        "timings": {},
                        "ratio": seconds / plain["seconds"] if plain else None,
                    }
                )
                print(report(results[-1:], None).splitlines()[-1], flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        f"{args.units} units; peak = largest process (ru_maxrss), tree = physical memory of all processes at once (PSS, sampled)"
    )
    print(report(results, profiled))
    if args.json:
        figures = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()},
            "units": args.units,
            "results": results,
            "profile": profiled,
        }
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
