"""The install: README's two commands set up everything themselves, with the tested pins."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The lines of README.md's first ```bash block, as .ci/run extracts them."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("```bash") + 1
    end = lines.index("```", start)
    return [line for line in lines[start:end] if line.strip()]


def pins() -> dict[str, str]:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    found = [line.split("==") for line in text.splitlines() if line and not line.startswith("#")]
    return {canonicalize_name(name): version for name, version in found}


def requirements() -> list[Requirement]:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    return [Requirement(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_opens_with_two_commands_that_make_their_own_environment():
    demo, tests = readme_commands()
    setup = "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt -c constraints.txt && "
    assert demo == setup + ".venv/bin/python run.py --month 2025-03"
    assert tests == setup + ".venv/bin/python -m pytest"


def test_ci_runs_the_readme_commands_as_written_without_an_environment_of_its_own():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'bash -c "$test_command"' in script and 'bash -c "$demo_command"' in script
    assert "-m venv" not in script and "activate" not in script
    assert script.index('bash -c "$test_command"') < script.index('bash -c "$demo_command"')


def test_constraints_pin_every_requirement_within_its_lower_bound():
    pinned = pins()
    for requirement in requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, name
        assert requirement.specifier.contains(Version(pinned[name])), (name, pinned[name])


def test_constraints_pin_every_dependency_installed_with_the_requirements():
    pinned = pins()
    seen: set[str] = set()
    todo = [requirement.name for requirement in requirements()]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            dependency = Requirement(line)
            if dependency.marker is None or dependency.marker.evaluate({"extra": ""}):
                todo.append(dependency.name)
    assert sorted(seen - set(pinned)) == []
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.+!]*", version) for version in pinned.values())


def test_readme_tells_how_to_install_on_windows_linux_desktops_and_offline_and_how_to_refresh_the_pins():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (
        "### Windows",
        "py -3.11 -m venv .venv",
        ".venv\\Scripts\\activate",
        "### 麒麟（Kylin）、统信（UOS）等国产 Linux 桌面",
        "sudo apt install python3-venv",
        "### 离线安装（办公电脑不能上网）",
        "--platform win_amd64 --python-version 3.11",
        "pip install --no-index --find-links wheels -r requirements.txt -c constraints.txt",
        "/tmp/lock/bin/pip freeze) > constraints.new && mv constraints.new constraints.txt",
        "python run.py check",
    ):
        assert text in readme, text
