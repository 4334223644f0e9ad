"""Compares two output trees of the pipeline and prints every difference; exit code 1 when any.

Usage (from the repository root):

    python benchmarks/compare_outputs.py BEFORE_DIR AFTER_DIR

Run by hand, e.g. to show that a change of the code changes no output of a demo year
(`benchmarks/demo_year.py` makes one). A file is the same when its bytes are; a file that holds
the time it was made is compared by content instead:

- .xlsx: sheet names and every cell's value of every sheet (openpyxl, values as stored), and
  every member of the package but docProps/ (creation and modification times), so a change of
  styles, widths or print setup shows too;
- .docx: every member of the package but docProps/;
- .pdf: the text `pdftotext -layout` reads (a PDF holds its creation time and a random id);
- .json: the data with the keys that hold times, durations or absolute paths left out;
- ledger .sqlite: every table's rows, without the runs' start and end times and the input
  files' modification times;
- .html: the text with the page's 生成时间 (看板.html states when it was made) left out;
- anything else: the bytes.

`.lock` (the holder's pid and start time) and SQLite's -wal and -shm files are not compared.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

SKIPPED = {".lock", "ledger.sqlite-wal", "ledger.sqlite-shm"}
# JSON keys whose values change from run to run with the same inputs and code
VOLATILE_KEYS = ("time", "timing", "seconds", "started", "finished", "duration", "path", "folder", "outputs", "inputs")
VOLATILE_COLUMNS = {"runs": {"started", "finished", "id"}, "files": {"modified"}}
SHOWN = 10  # differences listed per file
GENERATED = re.compile(r"生成时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}")  # 看板.html's footer


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    before, after = (Path(a) for a in argv)
    differences = compare_trees(before, after)
    for line in differences:
        print(line)
    files = sum(1 for p in before.rglob("*") if p.is_file())
    print(f"{len(differences)} difference(s) over {files} file(s) of {before}")
    return 1 if differences else 0


def compare_trees(before: Path, after: Path) -> list[str]:
    left = {p.relative_to(before) for p in before.rglob("*") if p.is_file() and p.name not in SKIPPED}
    right = {p.relative_to(after) for p in after.rglob("*") if p.is_file() and p.name not in SKIPPED}
    out = [f"only in {before}: {p}" for p in sorted(left - right)]
    out += [f"only in {after}: {p}" for p in sorted(right - left)]
    for relative in sorted(left & right):
        a, b = before / relative, after / relative
        if a.read_bytes() == b.read_bytes():
            continue
        out += [f"{relative}: {d}" for d in compare_file(a, b)[:SHOWN]]
    return out


def compare_file(a: Path, b: Path) -> list[str]:
    suffix = a.suffix.lower()
    if suffix == ".xlsx":
        cells = _diff(_workbook(a), _workbook(b))
        return cells or _diff(_package(a, skip="docProps/"), _package(b, skip="docProps/"))
    if suffix == ".docx":
        return _diff(_package(a, skip="docProps/"), _package(b, skip="docProps/"))
    if suffix == ".pdf":
        return _diff(_pdf_text(a), _pdf_text(b))
    if suffix == ".json":
        return _diff(_json(a), _json(b))
    if suffix == ".sqlite":
        return _diff(_database(a), _database(b))
    if suffix == ".html":
        return _diff(_html(a), _html(b))
    return ["bytes differ"]


def _diff(left: dict[str, Any], right: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(left) | set(right), key=str):
        if left.get(key) != right.get(key):
            out.append(f"{key}: {_short(left.get(key))} != {_short(right.get(key))}")
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _workbook(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path, read_only=True)
    cells: dict[str, Any] = {"sheets": book.sheetnames}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells[f"{sheet.title}!{cell.coordinate}"] = cell.value
    book.close()
    return cells


def _package(path: Path, skip: str) -> dict[str, Any]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if not name.startswith(skip)}


def _html(path: Path) -> dict[str, Any]:
    lines = GENERATED.sub("生成时间 …", path.read_text(encoding="utf-8")).splitlines()
    return {f"line {number}": line for number, line in enumerate(lines, 1)}


def _pdf_text(path: Path) -> dict[str, Any]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return {f"line {n}": line for n, line in enumerate(text.decode("utf-8").splitlines(), start=1)}


def _json(path: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    _flatten(json.loads(path.read_text(encoding="utf-8")), "", flat)
    return flat


def _flatten(value: Any, prefix: str, into: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not any(word in str(key).lower() for word in VOLATILE_KEYS):
                _flatten(item, f"{prefix}.{key}", into)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}[{index}]", into)
    else:
        into[prefix] = value


def _database(path: Path) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    # a copy, because opening a WAL database even read-only leaves -wal and -shm files beside it
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        _read_tables(copy, rows)
    return rows


def _read_tables(path: Path, rows: dict[str, Any]) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            if table == "sqlite_sequence":
                continue
            columns = [c[1] for c in db.execute(f'pragma table_info("{table}")')]
            kept = [c for c in columns if c not in VOLATILE_COLUMNS.get(table, set())]
            listed = ", ".join(f'"{c}"' for c in kept)
            for n, row in enumerate(sorted(db.execute(f'select {listed} from "{table}"'), key=repr)):
                rows[f"{table} row {n}"] = dict(zip(kept, row, strict=True))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
