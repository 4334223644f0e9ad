"""The demo county under each shipped scheme (`run.py demo --regenerate --scheme FILE`): the plan
is the scheme's with the demo's roster, every form of the year passes intake and the checks with
exactly the planted problems, and the ledger holds the scheme's columns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import run
from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.demo import county as demo
from pipeline.demo import plan as demo_plan
from pipeline.demo.scheme_demo import PLANTED_UNDER_SCHEME, planted_under
from pipeline.demo.year import MONTHS
from pipeline.intake.intake import read_month
from pipeline.ledger import Ledger
from pipeline.plan.plan import Plan, load_plan
from pipeline.plan.scheme_outlets import match_outlet, outlet_names
from tests.scheme_helpers import SCHEMES

SCHEME_FILES = sorted(p.name for p in SCHEMES.glob("*.xlsx"))
# what each scheme's forms carry, and which planted mistakes it allows (by hand from its sheets)
EXPECTED = {
    "方案1-衢州市政务信息.xlsx": (("采用形式", "上级计分"), {"old-template", "outlet-variant"}),
    "方案2-股室信息目标考核.xlsx": (
        ("采用形式", "计分加成"),
        {"old-template", "outlet-variant", "unknown-modifier", "default-category"},
    ),
    "方案3-县住建局新闻信息宣传.xlsx": (
        ("计分加成",),
        {"old-template", "outlet-variant", "unknown-modifier", "default-category"},
    ),
    "方案4-开发区信息通讯员.xlsx": ((), {"default-category"}),
    "方案5-市畜牧局信息工作.xlsx": (("计分加成",), {"old-template", "unknown-modifier", "default-category"}),
    "方案6-广元市政务信息.xlsx": (("采用形式", "约稿编号"), {"old-template", "outlet-variant", "unknown-commission"}),
}


@pytest.fixture(scope="module", params=SCHEME_FILES)
def year(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Plan, Ledger, list]]:
    """The scheme's demo inputs, and a ledger holding every month's accepted rows."""
    inputs = tmp_path_factory.mktemp("inputs")
    demo.generate(inputs, SCHEMES / request.param)
    plan = load_plan(inputs, demo_plan.YEAR)
    ledger = Ledger(tmp_path_factory.mktemp("outputs") / "ledger.sqlite")
    found = []
    for month in MONTHS:
        intake = read_month(inputs / month, plan, month)
        problems = intake.problems + checks.validate_rows(intake.rows, plan, month)
        accepted, _ = checks.split_rows(intake.rows, problems)
        ledger.replace_month(month, checks.accepted_form(accepted, plan), problems, intake.files, _run())
        found += [(month, p.unit_code, p.code) for p in problems]
    yield request.param, inputs, plan, ledger, found
    ledger.close()


def _run() -> dict:
    now = dt.datetime(2026, 1, 5, 9, 0)
    return {"started": now, "finished": now, "reason": "requested", "counts": {}}


def test_the_demo_plan_is_the_schemes_with_the_demo_county_on_its_roster(year):
    file, _, plan, _, _ = year
    columns, _ = EXPECTED[file]
    assert plan.scheme is not None and plan.scheme.form_columns() == columns
    assert list(plan.units.index) == [u[0] for u in demo_plan.UNITS]
    assert set(plan.units[L.P_UNIT_CATEGORY]) <= set(plan.scheme.vocabulary.unit_categories)


def test_every_form_passes_intake_and_the_checks_with_only_the_planted_problems(year):
    file, _, plan, _, found = year
    _, kinds = EXPECTED[file]
    planted = planted_under(plan.scheme)
    assert {p.kind for p in planted} == kinds
    assert sorted(found) == sorted((p.month, p.unit, p.expect) for p in planted)


def test_the_ledger_holds_the_schemes_columns_as_the_forms_filled_them(year):
    file, _, plan, ledger, _ = year
    rows = ledger.rows(year=demo_plan.YEAR)
    filled = {c: int((rows[c] != "").sum()) for c in S.SCHEME_FORM_COLUMNS}
    columns, _ = EXPECTED[file]
    assert [c for c, count in filled.items() if count] == list(columns)
    adopted = rows[rows[L.STATUS] == L.ADOPTED]
    if S.F_EXTERNAL in columns:  # every adoption by an outlet the higher office scores carries its points
        takes = {o.name for o in plan.scheme.outlets if o.external}
        assert (adopted.loc[adopted[L.OUTLET].isin(takes), S.F_EXTERNAL] != "").all()
    if plan.scheme.rules.closed_outlets:  # a closed catalogue: every adoption kept names one of its outlets
        names = outlet_names(plan.scheme)
        assert {match_outlet(typed, names)[1] for typed in adopted[L.OUTLET]} <= {"exact", "guessed"}
    old = next(p for p in PLANTED_UNDER_SCHEME if p.kind == "old-template")
    if columns:  # the form of the old template was refused whole
        assert rows[(rows[L.MONTH] == old.month) & (rows[L.UNIT_CODE] == old.unit)].empty


def test_the_guangyuan_demo_has_commissions_delivered_late_and_missed_and_the_offices_events(year):
    file, _, plan, ledger, _ = year
    if file != "方案6-广元市政务信息.xlsx":
        pytest.skip("only 方案6 issues 约稿 and has 事件类型")
    rows = ledger.rows(year=demo_plan.YEAR)
    delivered = rows[rows[S.F_COMMISSION] == "YG2025-01"].drop_duplicates([L.UNIT_CODE, L.PIECE_KEY])
    deadline = plan.scheme.commissions["YG2025-01"].deadline
    on_time = delivered[delivered[L.SENT_DATE].dt.date <= deadline]
    assert 0 < len(on_time) < len(delivered) < len(plan.assessed)  # some late, some never sent
    assert [(e.unit, e.date.isoformat()) for e in plan.scheme.events] == [
        ("GS06", "2025-04-15"),
        ("SO03", "2025-09-10"),
    ]


def test_the_demo_under_a_scheme_is_regenerated_byte_for_byte_and_runs_a_month(year, tmp_path):
    file, inputs, _, _, _ = year
    if file != "方案6-广元市政务信息.xlsx":
        pytest.skip("one scheme is enough to show the command")
    again = ["--inputs", str(tmp_path / "again"), "demo", "--regenerate", "--scheme", str(SCHEMES / file)]
    result = CliRunner().invoke(run.cli, again)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "已重新生成示范县计划表（计分方案：方案6-广元市政务信息）和 2025 年 12 个月的报送表"
    )
    written = [
        json.loads((folder / ".demo-files.json").read_text(encoding="utf-8")) for folder in (inputs, tmp_path / "again")
    ]
    assert written[0] == written[1] and len(written[0]) > 200
    month = ["--inputs", str(inputs), "--outputs", str(tmp_path / "out"), "--month", "2025-01"]
    result = CliRunner().invoke(run.cli, month)
    assert result.exit_code == 0, result.output
    assert "2025-01 月报处理完成" in result.output
