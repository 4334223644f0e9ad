"""The demo county: a deterministic, realistic year of returned forms with planted mistakes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

import run
from pipeline.core import labels as L
from pipeline.core import months
from pipeline.core.text import is_blank
from pipeline.demo import county as demo
from pipeline.demo import facts as demo_facts
from pipeline.demo import plan as demo_plan
from pipeline.demo import returns as demo_returns
from pipeline.demo import year as demo_year
from pipeline.files.sheets import column_positions, find_header_row, read_sheets, table_below, text
from pipeline.forms import forms
from pipeline.plan.plan import load_plan

MONTH = "月份目录"  # the folder a form was found in
FILE = "文件"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-a")
    demo.generate(folder)
    return folder


@pytest.fixture(scope="module")
def returned(generated: Path) -> list[dict[str, Any]]:
    """Every form found in the month folders, read with calamine as intake reads it."""
    found = []
    for path in sorted(generated.glob("2025-*/**/*.xlsx")):
        if path.name.startswith("~$"):
            continue
        rows = next(s for s in read_sheets(path) if s.name == L.FORM_SHEET).rows
        header = find_header_row(rows, L.TABLE_KEY_COLUMNS)
        table = table_below(rows, header, column_positions(rows[header], L.TABLE_COLUMNS))
        found.append(
            {
                "path": path.relative_to(generated).as_posix(),
                "folder": path.relative_to(generated).parts[0],
                "header_row": header + 1,
                "header": _header_block(rows[:header]),
                "grid": rows,
                "table": table,
            }
        )
    return found


@pytest.fixture(scope="module")
def pieces() -> dict[str, list[demo_year.Piece]]:
    return demo_year.simulate_year()


def _header_block(rows: list[list[Any]]) -> dict[str, Any]:
    """Label -> the next non-empty cell to its right."""
    block = {}
    for row in rows:
        for index, cell in enumerate(row):
            if cell in L.HEADER_LABELS:
                block[cell] = next((v for v in row[index + 1 :] if not is_blank(v)), None)
    return block


def _forms_of(returned: list[dict[str, Any]], month: str, unit: str) -> list[dict[str, Any]]:
    return [f for f in returned if f["header"][L.H_MONTH] == month and f["header"][L.H_UNIT_CODE] == unit]


def _pieces_rows(form: dict[str, Any]) -> pd.DataFrame:
    table = form["table"]
    return table[table[L.TITLE].map(lambda v: not is_blank(v))]


def _adopted(form: dict[str, Any]) -> pd.DataFrame:
    rows = _pieces_rows(form)
    return rows[rows[L.STATUS] == L.ADOPTED]


def test_plan_and_every_month_folder_exist(generated: Path) -> None:
    plan = load_plan(generated, 2025)
    assert list(plan.units.index) == [u[0] for u in demo_plan.UNITS]
    assert plan.rules.deadline_day == 5
    assert sorted(p.name for p in generated.iterdir()) == [demo.WRITTEN_FILE, *demo_year.MONTHS, "plan-2025.xlsx"]


def test_generation_is_deterministic(generated: Path, tmp_path: Path) -> None:
    demo.generate(tmp_path)
    first = {p.relative_to(generated): _digest(p) for p in generated.rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path): _digest(p) for p in tmp_path.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_one_form_per_unit_and_month_apart_from_the_planted_cases(returned: list[dict[str, Any]]) -> None:
    counts = Counter((f["header"][L.H_MONTH], f["header"][L.H_UNIT_CODE]) for f in returned)
    expected = {(month, code): 1 for month in demo_year.MONTHS for code, *_ in demo_plan.UNITS}
    expected[("2025-05", "SO06")] = expected[("2025-06", "SO06")] = 0
    expected[("2025-03", "GS03")] = 2
    assert {key: counts.get(key, 0) for key in expected} == expected
    misplaced = [(f["folder"], f["path"]) for f in returned if f["folder"] != f["header"][L.H_MONTH]]
    assert misplaced == [("2025-03", "2025-03/柳河所2025.2信息宣传.xlsx")]


def test_headers_are_filled_like_people_fill_them(returned: list[dict[str, Any]]) -> None:
    for form in returned:
        header = form["header"]
        code = header[L.H_UNIT_CODE]
        assert header[L.H_UNIT_NAME] == demo_plan.roster_entry(code)[1]
        assert header[L.H_OFFICER] == demo_plan.roster_entry(code)[3]
        assert isinstance(header[L.H_FILL_DATE], dt.date)
        assert header[L.H_FILL_DATE] >= months.month_bounds(header[L.H_MONTH])[1] - dt.timedelta(days=3)
        assert (header[L.H_HEAD] is None) == (code in demo_facts.NO_HEAD)
    late = Counter(
        f["header"][L.H_UNIT_CODE]
        for f in returned
        if f["header"][L.H_FILL_DATE] > months.month_bounds(f["header"][L.H_MONTH])[1] + dt.timedelta(days=5)
    )
    assert late.most_common(1)[0][0] == demo_facts.LATE_UNIT


def test_file_names_vary_the_way_people_name_files(returned: list[dict[str, Any]]) -> None:
    names = {f["path"] for f in returned if f["folder"] == "2025-03"}
    for name in ("办公室-3月.xlsx", "城关所2025年3月份信息报送.xlsx", "地籍股 信息宣传月报 2025.03.xlsx"):
        assert f"2025-03/{name}" in names
    assert "2025-03/ZX03-国土资源信息中心.xlsx" in names
    assert {"2025-03/耕保股3月信息报表.xlsx", "2025-03/耕保股3月信息报表(修改版).xlsx"} <= names


# --- The planted mistakes, each checked where it was planted -----------------------------------


def _has_missing_reviewer(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return (_pieces_rows(form)[L.REVIEWER] == "").any()


def _has_secrecy_no(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return (_pieces_rows(form)[L.SECRECY] == L.NO).any()


def _has_unknown_category(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return (_pieces_rows(form)[L.CATEGORY] == planted.value).any()


def _has_adopted_no_level(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return (_adopted(form)[L.LEVEL] == "").any()


def _has_adopted_no_proof(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return (_adopted(form)[L.PROOF] == "").any()


def _has_adopted_outside_month(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    first, last = months.month_bounds(form["header"][L.H_MONTH])
    return any(not first <= day <= last for day in _adopted(form)[L.ADOPT_DATE])


def _has_date_as_text(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    typed = [v for v in _pieces_rows(form)[L.SENT_DATE] if isinstance(v, str)]
    return any(re.fullmatch(r"2025\.\d{1,2}\.\d{1,2}", v) for v in typed) and any("月" in v for v in typed)


def _has_full_width(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    rows = _pieces_rows(form)
    full = re.compile(r"[０-９]+")
    return all(full.fullmatch(str(n)) for n in rows[L.SEQ]) and all(
        re.fullmatch(r"２０２５－[０-９]{2}－[０-９]{2}", d) for d in rows[L.SENT_DATE]
    )


def _has_formula_title(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return any(title.startswith(planted.value) for title in _pieces_rows(form)[L.TITLE])


def _has_blank_lines(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    numbers = list(_pieces_rows(form)["行号"])
    return numbers != list(range(numbers[0], numbers[0] + len(numbers)))


def _has_stub_rows(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    table = form["table"]
    stubs = table[table[L.TITLE] == ""]
    return len(stubs) == 3 and (stubs.drop(columns=[L.SEQ, "行号"]) == "").all().all()


def _has_rows_above(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return form["header_row"] == forms.HEADER_ROW + 2 and form["grid"][0][0] == "附件1"


def _has_title_retyped(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    cells = [c for row in form["grid"][: form["header_row"]] for c in row if isinstance(c, str)]
    return not any(c.endswith(L.FORM_TITLE_SUFFIX) for c in cells) and any(
        c.endswith("月份信息宣传报送表") for c in cells
    )


def _has_subfolder(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return form["path"].count("/") == 2


def _has_default_name(form: dict[str, Any], planted: demo_facts.Planted) -> bool:
    return form["path"].endswith("/新建 XLSX 工作表.xlsx")


FORM_CHECKS = {
    "missing-reviewer": _has_missing_reviewer,
    "secrecy-no": _has_secrecy_no,
    "unknown-category": _has_unknown_category,
    "adopted-no-level": _has_adopted_no_level,
    "adopted-no-proof": _has_adopted_no_proof,
    "adopted-outside-month": _has_adopted_outside_month,
    "date-as-text": _has_date_as_text,
    "full-width": _has_full_width,
    "formula-title": _has_formula_title,
    "blank-lines": _has_blank_lines,
    "stub-rows": _has_stub_rows,
    "rows-above": _has_rows_above,
    "title-retyped": _has_title_retyped,
    "subfolder": _has_subfolder,
    "default-name": _has_default_name,
}


def test_every_planted_kind_is_implemented_and_checked() -> None:
    kinds = {p.kind for p in demo_facts.PLANTED}
    assert kinds <= {*demo_returns.ROW_MISTAKES, *demo_returns.SHEET_MISTAKES, *demo_returns.FILE_MISTAKES}
    assert kinds <= {*FORM_CHECKS, "misfiled", "resent", "lock-file", "note-docx", "no-return"}
    assert len({p.kind for p in demo_facts.PLANTED if p.month == "2025-03"}) >= 8
    assert all(p.expect == "" or p.expect.startswith(("row-", "file-")) for p in demo_facts.PLANTED)


@pytest.mark.parametrize(
    "planted", [p for p in demo_facts.PLANTED if p.kind in FORM_CHECKS], ids=lambda p: f"{p.month}-{p.unit}-{p.kind}"
)
def test_planted_mistake_is_in_its_form(returned: list[dict[str, Any]], planted: demo_facts.Planted) -> None:
    (form,) = _forms_of(returned, planted.month, planted.unit)
    assert FORM_CHECKS[planted.kind](form, planted)


def test_the_checks_find_nothing_in_unplanted_forms(returned: list[dict[str, Any]]) -> None:
    for kind, check in FORM_CHECKS.items():
        planted = next(p for p in demo_facts.PLANTED if p.kind == kind)
        assert [f["path"] for f in returned if not _planted_form(f) and check(f, planted)] == [], kind


def test_the_corrected_form_is_complete_and_filled_later(returned: list[dict[str, Any]]) -> None:
    first, corrected = sorted(_forms_of(returned, "2025-03", "GS03"), key=lambda f: "修改版" in f["path"])
    assert corrected["path"] == "2025-03/耕保股3月信息报表(修改版).xlsx"
    assert corrected["header"][L.H_FILL_DATE] == first["header"][L.H_FILL_DATE] + dt.timedelta(days=1)
    assert len(_pieces_rows(corrected)) == len(_pieces_rows(first)) + 1
    assert (_pieces_rows(first)[L.REVIEWER] == "").sum() == 1
    assert (_pieces_rows(corrected)[L.REVIEWER] != "").all()


def test_files_that_are_not_forms(generated: Path) -> None:
    lock = generated / "2025-03" / "~$办公室-3月.xlsx"
    assert lock.stat().st_size == 165
    with pytest.raises(Exception):  # noqa: B017 - calamine raises its own error types
        read_sheets(lock)
    note = generated / "2025-08" / "附件见邮件.docx"
    assert note.is_file() and note.read_bytes()[:2] == b"PK"
    assert not (generated / "2025-05" / "青石所5月报表.xlsx").exists()


# --- Realism: the rows outside the planted mistakes follow every rule of the form --------------


def _planted_form(form: dict[str, Any]) -> bool:
    header = form["header"]
    return any((p.month, p.unit) == (header[L.H_MONTH], header[L.H_UNIT_CODE]) for p in demo_facts.PLANTED)


def test_unplanted_rows_are_valid(returned: list[dict[str, Any]]) -> None:
    codes, names = {u[0] for u in demo_plan.UNITS}, {u[1] for u in demo_plan.UNITS}
    checked = 0
    for form in returned:
        if _planted_form(form):
            continue
        first, last = months.month_bounds(form["header"][L.H_MONTH])
        for row in _pieces_rows(form).to_dict("records"):
            checked += 1
            assert row[L.CATEGORY] in L.CATEGORIES and row[L.SECRECY] == L.YES and row[L.REVIEWER]
            assert row[L.AUTHORS] and row[L.SENT_TO] and 2 <= len(row[L.TITLE]) <= 200
            assert isinstance(row[L.SENT_DATE], dt.date) and row[L.SENT_DATE] <= last
            assert row[L.INSTRUCTION] in ("", *L.INSTRUCTION_LEVELS)
            assert all(u in codes | names for u in row[L.CO_UNITS].split("、") if u)
            if row[L.STATUS] == L.ADOPTED:
                assert row[L.OUTLET] and row[L.LEVEL] in L.LEVELS and row[L.PROOF]
                assert first <= row[L.ADOPT_DATE] <= last and row[L.ADOPT_DATE] > row[L.SENT_DATE]
            else:
                assert row[L.STATUS] == L.NOT_ADOPTED and row[L.OUTLET] == row[L.ADOPT_DATE] == ""
    assert checked > 600


def test_adopted_later_pieces_are_listed_twice_with_their_first_date(
    returned: list[dict[str, Any]], pieces: dict[str, list[demo_year.Piece]]
) -> None:
    listed = {
        (f["header"][L.H_MONTH], f["header"][L.H_UNIT_CODE], r[L.TITLE], r[L.STATUS], r[L.SENT_DATE])
        for f in returned
        if not _planted_form(f)
        for r in _pieces_rows(f).to_dict("records")
    }
    later = [(p, a) for unit in pieces.values() for p in unit for a in p.adoptions[:1] if a.day.month > p.sent.month]
    assert len(later) > 100
    for piece, adoption in later:
        sent_in = f"2025-{piece.sent.month:02d}"
        adopted_in = f"2025-{adoption.day.month:02d}"
        if any((p.month, p.unit) in ((sent_in, piece.unit), (adopted_in, piece.unit)) for p in demo_facts.PLANTED):
            continue
        assert (sent_in, piece.unit, piece.title, L.NOT_ADOPTED, piece.sent) in listed
        assert (adopted_in, piece.unit, piece.title, L.ADOPTED, piece.sent) in listed


def test_the_year_is_realistic(pieces: dict[str, list[demo_year.Piece]]) -> None:
    for code, *_, assessed in demo_plan.UNITS:
        submit, adopt = demo_plan.annual_targets(code)
        sent, adopted = len(pieces[code]), sum(1 for p in pieces[code] if p.adoptions)
        if code == demo_facts.BEHIND_UNIT:
            assert sent < submit and adopted < adopt
        elif assessed == L.YES:
            assert sent >= submit and adopted >= adopt, code
    assert max(pieces, key=lambda code: len(pieces[code])) == "GS01"
    adoptions = [a for unit in pieces.values() for p in unit for a in p.adoptions]
    levels = Counter(a.outlet.level for a in adoptions)
    assert levels["县级"] > levels["市级"] > levels["省级"] > levels["国家级"] >= 1
    provincial = {p.title for unit in pieces.values() for p in unit for a in p.adoptions if a.instruction == "省级"}
    assert len(provincial) == 1
    everything = [p for unit in pieces.values() for p in unit]
    categories = Counter(p.category for p in everything)
    assert categories["政务信息"] + categories["新闻宣传"] > 0.8 * len(everything)
    assert categories["调研文章"] > 5 and categories["党建信息"] > 20
    twice = [p for p in everything if len({a.outlet.level for a in p.adoptions}) == 2]
    assert twice
    assert any(a.day.month - p.sent.month == 3 for p in everything for a in p.adoptions)


def test_titles_are_never_repeated_by_accident(pieces: dict[str, list[demo_year.Piece]]) -> None:
    titles = Counter(text(p.title) for unit in pieces.values() for p in unit)
    repeated = {title for title, count in titles.items() if count > 1}
    co_written = {text(p.title) for unit in pieces.values() for p in unit if p.co_unit}
    assert repeated <= co_written
    both = [c for c in demo_facts.CO_WRITTEN if c[3]]
    assert len(repeated) == len(both)


def test_co_written_pieces_name_each_other(pieces: dict[str, list[demo_year.Piece]]) -> None:
    for month, writer, partner, both, style in demo_facts.CO_WRITTEN:
        (piece,) = [p for p in pieces[writer] if p.co_unit and p.sent.month == int(month[5:])]
        assert piece.co_unit == (partner if style == "code" else demo_plan.roster_entry(partner)[1])
        copies = [p for p in pieces[partner] if p.title == piece.title]
        assert len(copies) == int(both)
        if both:
            assert copies[0].co_unit == (writer if style == "code" else demo_plan.roster_entry(writer)[1])
            assert [a.day for a in copies[0].adoptions] == [a.day for a in piece.adoptions]


# --- Regenerating never destroys what the user has ----------------------------------------------


def test_regenerating_over_a_users_own_or_edited_files_is_refused_and_changes_nothing(generated, tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(generated, inputs)
    (inputs / "2025-03" / "我自己的报送表.xlsx").write_bytes(b"a form the office put here")
    (inputs / "plan-2025.xlsx").write_bytes((inputs / "plan-2025.xlsx").read_bytes() + b" edited")
    before = {p.relative_to(inputs): _digest(p) for p in inputs.rglob("*") if p.is_file()}
    result = CliRunner().invoke(run.cli, ["--inputs", str(inputs), "demo", "--regenerate"], catch_exceptions=False)
    assert result.exit_code == 11
    assert result.output.splitlines() == [
        f"错误：在 {inputs} 中重新生成示范数据会覆盖或删除以下 2 个不是示范程序写的（或写后被改过的）文件，"
        "已拒绝，没有做任何改动：",
        "- 2025-03/我自己的报送表.xlsx",
        "- plan-2025.xlsx",
        "请先把这些文件移到别处，或用 --inputs 指定另一个目录。",
    ]
    assert {p.relative_to(inputs): _digest(p) for p in inputs.rglob("*") if p.is_file()} == before


def test_only_files_the_demo_wrote_and_nobody_changed_are_replaced_or_removed():
    written_before = {"2025-03/a.xlsx": "old-a", "2025-03/gone.xlsx": "old-gone", "2025-04/b.xlsx": "old-b"}
    new = {"2025-03/a.xlsx": "new-a", "2025-04/b.xlsx": "old-b", "2025-05/c.xlsx": "new-c"}
    current = {
        "2025-03/a.xlsx": "old-a",  # written by the demo, unchanged: replaced
        "2025-03/gone.xlsx": "old-gone",  # written by the demo, no longer: removed
        "2025-04/b.xlsx": "old-b",  # the same either way
        "2025-04/mine.xlsx": "mine",  # the user's: lost
        "2025-05/c.xlsx": "edited",  # the user edited what the demo wrote: lost
    }
    assert demo.files_lost(current, new, written_before) == ["2025-04/mine.xlsx", "2025-05/c.xlsx"]
    assert demo.files_lost({k: v for k, v in current.items() if k in new and v == new[k]}, new, {}) == []
