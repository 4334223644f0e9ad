"""Processes the demo county's whole year into a given outputs folder, as the office would.

Usage (from the repository root): python benchmarks/demo_year.py OUTPUTS_DIR

Runs `run.py --month 2025-01` … `2025-12` one after another (each its own process, the ledger
growing month by month; December also writes the year's results), then `run.py yearend --year
2025`, and prints the wall time. With `benchmarks/compare_outputs.py` it shows whether a change
of the code changes any output.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025


def main(outputs: Path) -> None:
    start = time.perf_counter()
    commands = [["--month", f"{YEAR}-{month:02d}"] for month in range(1, 13)]
    commands.append(["yearend", "--year", str(YEAR)])
    for arguments in commands:
        subprocess.run(
            [sys.executable, str(ROOT / "run.py"), "--outputs", str(outputs), *arguments],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(f"demo year {YEAR} written to {outputs} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]).resolve())
