"""The committed scheme workbooks are what `templates/build_scheme_plans.py` builds: a change of
the builder shows here until the workbooks are built again and committed."""

from __future__ import annotations

import importlib.util

from tests.scheme_helpers import SCHEMES


def test_the_committed_scheme_workbooks_are_the_builders_bytes(tmp_path):
    spec = importlib.util.spec_from_file_location("build_scheme_plans", SCHEMES.parent / "build_scheme_plans.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    builder.main(tmp_path)
    built = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert built == sorted(p.name for p in SCHEMES.glob("*.xlsx"))
    for name in built:
        assert (tmp_path / name).read_bytes() == (SCHEMES / name).read_bytes(), name
