"""The program's own digest, for figures kept in the ledger: what an earlier version of the
program counted is not taken for this one's."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def digest() -> str:
    """sha256 of the pipeline's source files, by their paths and contents."""
    root = Path(__file__).resolve().parent.parent
    hashed = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        hashed.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()


def plan_digest(plan_source: Path) -> str:
    """sha256 of the plan file's bytes."""
    return hashlib.sha256(Path(plan_source).read_bytes()).hexdigest()


def figures_key(year: int, plan_source: Path) -> str:
    """What figures kept for `year` were counted with: the plan file's bytes and the program."""
    return hashlib.sha256(f"{year} {plan_digest(plan_source)} {digest()}".encode()).hexdigest()
