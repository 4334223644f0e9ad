"""The demo county, 示范县国土资源局: `generate(inputs)` writes its plan and a year of returned forms.

`generate` writes `inputs/plan-2025.xlsx` and every unit's returned forms for the twelve months
of 2025 into `inputs/2025-MM/`, filled the way officers fill them, with the mistakes people make
listed one by one in `PLANTED` with the problem each should raise. It writes into a staging
folder first and replaces only what the demo wrote before (sha256 in `WRITTEN_FILE`): anything
else at the demo's places makes it stop before any change (`DemoWouldOverwrite`).

Everything comes from a fixed seed, never from time or set ordering, and files are saved with
timestamps derived from their 填报日期, so re-running the generator rewrites the files byte for
byte. The county lives in the modules beside this one:

- `plan`: the plan (roster, targets, points, rewards, rules) as grids;
- `year`: every piece each unit writes in the year, with its adoptions;
- `returns`: what each unit returns each month, planted mistakes included;
- `files`: writing the plan, the forms and the stray files reproducibly;
- `texts`, `facts`: what units write about; their people, habits, outlets, calendar and planted
  mistakes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.core import labels as L
from pipeline.core.errors import PipelineError
from pipeline.demo.files import write_demo
from pipeline.demo.plan import YEAR
from pipeline.demo.scheme_demo import write_scheme_demo
from pipeline.demo.year import MONTHS
from pipeline.files import atomic

WRITTEN_FILE = ".demo-files.json"  # in inputs: sha256 of every file the demo wrote last time


class DemoWouldOverwrite(PipelineError):
    """在 {inputs} 中重新生成示范数据会覆盖或删除以下 {count} 个不是示范程序写的（或写后被改过的）文件，已拒绝，没有做任何改动：\n{files}\n请先把这些文件移到别处，或用 --inputs 指定另一个目录。"""

    exit_code = 11

    @property
    def message(self) -> str:
        return (self.__doc__ or "").strip().format(**self.fields)


def generate(inputs: Path, scheme: Path | None = None) -> None:
    """Writes the demo county's plan and a year of returned forms under `inputs`; with `scheme`
    (a plan workbook with scheme sheets, e.g. templates/schemes/*.xlsx), the county's plan under
    that scheme and forms that use its columns and catalogues (`scheme_demo`).

    The demo's places are `plan-2025.xlsx` and the twelve folders `inputs/2025-MM/`. A file there
    is replaced or removed only when the demo wrote it (its sha256 is in `WRITTEN_FILE`, kept
    beside them) or it already holds what the demo writes now; anything else there (a form the
    office put in, an edited plan) makes the whole generation stop before any change.

    Raises:
        DemoWouldOverwrite: files that would be lost, listed; nothing was written.
    """
    inputs = Path(inputs)
    with tempfile.TemporaryDirectory(prefix="demo-") as staging:
        staged = Path(staging)
        if scheme is None:
            write_demo(staged)
        else:
            write_scheme_demo(staged, Path(scheme))
        new = _hashes(staged)
        current = _hashes(inputs)
        lost = files_lost(current, new, _written_before(inputs))
        if lost:
            raise DemoWouldOverwrite(inputs=inputs, count=len(lost), files="\n".join(f"- {name}" for name in lost))
        for name in sorted(set(current) - set(new)):
            (inputs / name).unlink()
        for name, digest in new.items():
            if current.get(name) != digest:
                _copy(staged / name, inputs / name)
    for month in MONTHS:
        _remove_empty_folders(inputs / month)
    atomic.write_text(inputs / WRITTEN_FILE, json.dumps(new, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def files_lost(current: dict[str, str], new: dict[str, str], written_before: dict[str, str]) -> list[str]:
    """The files at the demo's places (name -> sha256) that generating `new` would overwrite or
    remove although the demo did not write them as they are (`written_before`), sorted."""
    return sorted(
        name for name, digest in current.items() if digest != new.get(name) and digest != written_before.get(name)
    )


def _hashes(inputs: Path) -> dict[str, str]:
    """sha256 of the files at the demo's places under `inputs`, by path relative to it."""
    paths = [inputs / L.PLAN_FILE.format(year=YEAR), *(p for m in MONTHS for p in (inputs / m).rglob("*"))]
    return {
        path.relative_to(inputs).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(paths)
        if path.is_file()
    }


def _written_before(inputs: Path) -> dict[str, str]:
    try:
        written = json.loads((inputs / WRITTEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return written if isinstance(written, dict) else {}


def _copy(source: Path, target: Path) -> None:
    """Copies a staged file into place atomically, keeping its modification time (the demo dates
    each form by its 填报日期)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic.atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
    stamp = source.stat().st_mtime
    os.utime(target, (stamp, stamp))


def _remove_empty_folders(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
