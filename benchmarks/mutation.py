"""Mutation testing of the modules that decide results, with mutmut 3, by hand (not in CI: the
ten modules make about 4,200 mutants, hours on one core):

    pip install mutmut==3.8.1 -c constraints.txt
    python benchmarks/mutation.py assessment year_counts     # those modules' mutants only
    python benchmarks/mutation.py                            # all of them
    python benchmarks/mutation.py --report                   # the table of the last runs only

mutmut reads its settings from pyproject.toml ([tool.mutmut]: the modules it mutates and the fast
tests each mutant runs against), copies the code into mutants/ and keeps each mutant's result
there, so a run can be stopped and resumed, and a later run only retries what changed. It runs
the tests that cover the mutated function, so a mutant of a small helper costs seconds and one
of `scoring.gather` runs most of the selection.

The table gives, per module, the mutants killed, survived, without any test, timed out, and not
yet checked, and the kill ratio killed ÷ (checked). `mutmut show NAME` prints a survivor's diff,
`mutmut browse` lets you walk them.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# short name -> the module under pipeline/ (the list of [tool.mutmut] only_mutate in pyproject.toml)
MODULES = {
    "pieces": "scoring.pieces",
    "persons": "scoring.persons",
    "scoring": "scoring.scoring",
    "assessment": "scoring.assessment",
    "year_counts": "scoring.year_counts",
    "periods": "scoring.periods",
    "circular": "documents.circular",
    "circular_tables": "documents.circular_tables",
    "year_circular": "documents.year_circular",
    "yearbook": "reports.yearbook",
}


def mutmut(*args: str, capture: bool = False) -> subprocess.CompletedProcess:
    # mutmut asks to be started by its own script, not `python -m mutmut`
    script = Path(sys.executable).with_name("mutmut")
    if not script.exists():
        sys.exit(f"mutmut is not installed beside {sys.executable}: pip install mutmut==3.8.1 -c constraints.txt")
    return subprocess.run([str(script), *args], cwd=ROOT, text=True, capture_output=capture, check=False)


def report(modules: tuple[str, ...]) -> str:
    """The per-module table of `mutmut results --all true`."""
    listed = mutmut("results", "--all", "true", capture=True).stdout
    counts: dict[str, collections.Counter] = {m: collections.Counter() for m in modules}
    for line in listed.splitlines():
        name, _, status = line.strip().rpartition(": ")
        for module in counts:
            if name.startswith(f"pipeline.{MODULES[module]}."):
                counts[module][status] += 1
    lines = [f"{'module':<14}{'killed':>8}{'survived':>10}{'no tests':>10}{'timeout':>9}{'unchecked':>11}{'ratio':>8}"]
    total: collections.Counter = collections.Counter()
    for module, seen in counts.items():
        total += seen
        lines.append(_row(module, seen))
    lines.append(_row("all", total))
    return "\n".join(lines)


def _row(module: str, seen: collections.Counter) -> str:
    unchecked = seen["not checked"]
    checked = sum(seen.values()) - unchecked
    ratio = f"{seen['killed'] / checked:.1%}" if checked else "—"
    return (
        f"{module:<14}{seen['killed']:>8}{seen['survived']:>10}{seen['no tests']:>10}"
        f"{seen['timeout']:>9}{unchecked:>11}{ratio:>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"modules of pipeline/ among {', '.join(MODULES)} (default: all)")
    parser.add_argument("--children", type=int, default=1, help="mutants run at once (default 1: the CPU is shared)")
    parser.add_argument("--report", action="store_true", help="only print the table of the results kept in mutants/")
    args = parser.parse_args()
    unknown = sorted(set(args.modules) - set(MODULES))
    if unknown:
        parser.error(f"not a module that decides results: {', '.join(unknown)}")
    modules = tuple(args.modules) or tuple(MODULES)
    if not args.report:
        patterns = [f"pipeline.{MODULES[module]}.*" for module in modules]
        os.nice(10)  # inherited by mutmut and its workers
        mutmut("run", "--max-children", str(args.children), *patterns)
    print(report(modules))


if __name__ == "__main__":
    main()
