"""The package layout is the architecture: imports point one way (core ← files ← stages ← flow ←
cli), with no cycle between modules or between packages. Read from the code with `ast`, nothing
imported."""

from __future__ import annotations

import ast
from pathlib import Path

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
# The packages in the order data flows through them: each may import only those before it.
# `xlsx` (cell styles, print setup, the fast writers' parts) serves every stage that reads or writes
# a workbook; the demo county's generator writes plans and forms, and the month's wiring (`flow`)
# and the command line helpers (`cli`) sit on top.
LAYERS = (
    "core",
    "files",
    "xlsx",
    "plan",
    "intake",
    "checks",
    "ledger",
    "scoring",
    "forms",
    "documents",
    "reports",
    "dashboard",
    "demo",
    "flow",
    "cli",
)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PIPELINE.rglob("*.py")):
        parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """The pipeline modules a file imports, at any depth of the file (function-level imports too)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != "pipeline":
                out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) - {name} for name, path in known.items()}


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pipeline"


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(graph()) == []


def test_no_package_imports_another_that_imports_it_back() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in graph().items():
        packages.setdefault(package_of(module), set()).update(package_of(t) for t in targets)
    assert cycles({p: t - {p} for p, t in packages.items()}) == []


def test_each_package_imports_only_the_packages_before_it() -> None:
    upward = []
    for module, targets in graph().items():
        package = package_of(module)
        if package == "pipeline":  # the package's own __init__
            continue
        for target in sorted(targets):
            if LAYERS.index(package_of(target)) > LAYERS.index(package):
                upward.append(f"{module} -> {target}")
    assert upward == []


def test_core_imports_nothing_of_ours_but_core() -> None:
    core = {m: t for m, t in graph().items() if package_of(m) == "core"}
    assert core and all(package_of(t) == "core" for targets in core.values() for t in targets)


def test_every_package_is_placed_in_a_layer() -> None:
    assert {package_of(m) for m in modules()} - {"pipeline"} == set(LAYERS)


def test_package_init_files_hold_no_code() -> None:
    for init in PIPELINE.glob("*/__init__.py"):
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert all(isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant) for n in body), init


def test_the_check_sees_a_cycle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
