"""A month end to end on small hand-made folders: outputs, reconciliation, re-runs, catch-up,
formula-like text, atomic replacement."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import flow, ledger
from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.core.errors import OutputsUnwritable
from pipeline.files import lock, parallel
from pipeline.forms import form_copies, issue
from pipeline.intake import intake
from pipeline.reports import reports
from tests.intake_helpers import piece, write_form

GS02 = {L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"}


@pytest.fixture
def inputs(tmp_path: Path, demo_plan_dir: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", folder)
    write_form(
        folder / "2025-03" / "办公室3月.xlsx",
        [
            piece(),
            piece(
                **{L.TITLE: "-1 元钱办成大事：我县推行不动产登记“一窗受理”", L.OUTLET: "县融媒体中心", L.LEVEL: "市级"}
            ),
            piece(**{L.TITLE: "缺审核人的稿件", L.REVIEWER: ""}),
        ],
    )
    write_form(
        folder / "2025-03" / "规划股" / "规划股.xlsx",
        [piece(**{L.TITLE: "规划股与办公室合写的稿件", L.AUTHORS: "李建国、张三", L.CO_UNITS: "GS01"})],
        header=GS02,
    )
    (folder / "2025-03" / "~$办公室3月.xlsx").write_bytes(b"lock")
    write_form(
        folder / "2025-02" / "规划股2月.xlsx",
        [piece(**{L.TITLE: "二月稿件", L.SENT_DATE: "2025-02-03", L.ADOPT_DATE: "2025-02-10", L.AUTHORS: "李建国"})],
        header={**GS02, L.H_MONTH: "2025-02", L.H_FILL_DATE: "2025-03-01"},
    )
    return folder


def _cells(path: Path) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [[c.value for c in row] for ws in workbook for row in ws.iter_rows()]


def test_a_month_end_to_end(inputs, tmp_path):
    out = tmp_path / "out"
    result = flow.run_month(inputs, out, "2025-03")
    assert result.caught_up == ["2025-02"]
    assert (result.rows_read, result.rows_accepted, result.rows_rejected) == (4, 3, 1)
    assert result.returned == ["GS01", "GS02"]
    assert [f.fate for f in result.files] == ["skipped", "accepted", "accepted"]
    month = out / "2025-03"
    for name in (reports.PROBLEMS_FILE, reports.SUMMARY_LEDGER_FILE, reports.STATISTICS_FILE, reports.MANIFEST_FILE):
        assert (month / name).is_file(), name
    assert sorted(p.name for p in (month / "回执").iterdir()) == ["GS01-办公室.xlsx", "GS02-规划利用股.xlsx"]
    assert len(list((out / "forms" / "2025-04").iterdir())) == 20
    manifest = json.loads((month / reports.MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["rows"] == {"read": 4, "accepted": 3, "rejected": 1, "reconciled": True}
    assert [(f["path"], f["fate"], f["rows_read"]) for f in manifest["inputs"]] == [
        ("~$办公室3月.xlsx", "skipped", 0),
        ("办公室3月.xlsx", "accepted", 3),
        ("规划股/规划股.xlsx", "accepted", 1),
    ]
    assert manifest["problems"]["by_code"] == {"file-skipped": 1, "row-required": 1}
    assert len(manifest["inputs"][1]["sha256"]) == 64


def test_statistics_follow_the_counting_definitions(inputs, tmp_path):
    # Feb: GS02's piece, 政务信息 县级 = 5. Mar: GS01's two pieces 5 (县级) + 10 (市级); the
    # co-written piece (5) is split 2.5 / 2.5. GS01 returned nothing in Feb: -2.
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    units = {row[0]: row for row in _cells(out / "2025-03" / reports.STATISTICS_FILE)[1:21]}
    header = _cells(out / "2025-03" / reports.STATISTICS_FILE)[0]
    at = {label: i for i, label in enumerate(header)}
    gs01, gs02 = units["GS01"], units["GS02"]
    assert gs01[at["本月得分"]] == 17.5 and gs01[at["累计得分"]] == 15.5 and gs01[at["扣分"]] == 2
    assert gs01[at["本月报送数"]] == 3 and gs01[at["本月采用条次"]] == 3
    assert gs02[at["本月得分"]] == 2.5 and gs02[at["累计得分"]] == 7.5 and gs02[at["累计报送数"]] == 2
    assert gs01[at["排名"]] == 1 and gs02[at["排名"]] == 2
    ledger_rows = _cells(out / "2025-03" / reports.SUMMARY_LEDGER_FILE)
    points = {r[2]: r[ledger_rows[0].index(L.POINTS)] for r in ledger_rows[1:]}
    assert points["规划股与办公室合写的稿件"] == 2.5


def test_formula_like_text_stays_text_in_every_output(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    title = "-1 元钱办成大事：我县推行不动产登记“一窗受理”"
    for path in [out / "2025-03" / reports.SUMMARY_LEDGER_FILE, out / "2025-03" / "回执" / "GS01-办公室.xlsx"]:
        workbook = openpyxl.load_workbook(path)
        cells = [c for ws in workbook for row in ws.iter_rows() for c in row if c.value == title]
        assert cells, path
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_rerunning_a_month_gives_the_same_results(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    first = {p.name: _cells(p) for p in (out / "2025-03").rglob("*.xlsx")}
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        rows_before = store.rows(year=2025)
    result = flow.run_month(inputs, out, "2025-03")
    assert result.caught_up == []
    assert {p.name: _cells(p) for p in (out / "2025-03").rglob("*.xlsx")} == first
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        assert store.rows(year=2025).equals(rows_before)
        assert [r["reason"] for r in store.runs()] == ["catch-up", "requested", "requested"]


def test_a_month_in_two_processes_writes_what_one_process_writes(inputs, tmp_path, monkeypatch):
    # A province's month shares two processes (intake; receipts with 汇总台账 and 月度统计; forms):
    # forced here on a small month, every workbook and the ledger must be the same as in one.
    written = {}
    for name, start in (("one", 10**6), ("two", 1)):
        for module in (reports, intake, form_copies):
            monkeypatch.setattr(module, "PARALLEL_FROM", start)
        out = tmp_path / name
        result = flow.run_month(inputs, out, "2025-03")
        with ledger.Ledger(out / ledger.STORE_FILE) as store:
            rows = store.rows(year=2025)
        workbooks = {p.relative_to(out).as_posix(): _cells(p) for p in sorted(out.rglob("*.xlsx"))}
        written[name] = (result.rows_read, result.rows_accepted, [f.path for f in result.files], rows, workbooks)
    one, two = written["one"], written["two"]
    assert one[:3] == two[:3] and one[3].equals(two[3])
    # February (caught up): 3 workbooks + 1 receipt; March: 3 + 2 receipts; forms of March and April: 20 each.
    assert one[4] == two[4] and len(one[4]) == 4 + 5 + 20 + 20
    assert {"reports.ledger", "reports.statistics"} <= set(result.timings)


def test_forms_written_in_a_process_of_their_own_report_its_failure_and_the_month_stays_pending(
    inputs, tmp_path, monkeypatch
):
    # A big roster's forms are written in a process of their own while the month is scored: its
    # failure stops the run as a failure here would, and the month is processed again next time.
    monkeypatch.setattr(form_copies, "PARALLEL_FROM", 1)

    def broken(template, folder, code, carried):
        raise OSError(f"磁盘已满：{code}")

    monkeypatch.setattr(form_copies, "_write_form", broken)
    out = tmp_path / "out"
    with pytest.raises(OutputsUnwritable, match="磁盘已满：GS01"):  # said in Chinese (pipeline.files.faults)
        flow.run_month(inputs, out, "2025-03")
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        assert store.pending_months() == ["2025-02"]  # the caught-up month failed first
    monkeypatch.undo()
    result = flow.run_month(inputs, out, "2025-03")
    assert result.caught_up == ["2025-02"] and len(result.forms) == 20


def test_a_changed_earlier_month_is_processed_again_first(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    write_form(
        inputs / "2025-02" / "办公室2月.xlsx",
        [piece(**{L.TITLE: "办公室二月补交", L.SENT_DATE: "2025-02-03", L.ADOPT_DATE: "2025-02-10"})],
        header={L.H_MONTH: "2025-02"},
    )
    result = flow.run_month(inputs, out, "2025-03")
    assert result.caught_up == ["2025-02"]
    units = _cells(out / "2025-03" / reports.STATISTICS_FILE)
    at = {label: i for i, label in enumerate(units[0])}
    gs01 = next(r for r in units if r[0] == "GS01")
    assert gs01[at["扣分"]] == 0 and gs01[at["累计得分"]] == 22.5


def test_an_earlier_month_rewritten_in_place_with_its_size_and_time_is_processed_again(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    form = inputs / "2025-02" / "规划股2月.xlsx"
    stat = form.stat()
    data = form.read_bytes()
    form.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit, in place: size and inode kept
    os.utime(form, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert flow.run_month(inputs, out, "2025-03").caught_up == ["2025-02"]


def test_a_rerun_does_not_read_unchanged_earlier_months_again(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    assert flow.run_month(inputs, out, "2025-03").caught_up == []
    assert [p for p in read if "2025-02" in p.parts] == []


def test_a_month_checked_by_a_second_process_stores_the_problems_checked_here(inputs, tmp_path, monkeypatch):
    flow.run_month(inputs, tmp_path / "here", "2025-03")
    monkeypatch.setattr(checks, "APART_FROM", 1)
    started = []
    original = parallel.Background

    def counted(function, *args, **kwargs):
        started.append(function)
        return original(function, *args, **kwargs)

    monkeypatch.setattr(parallel, "Background", counted)
    flow.run_month(inputs, tmp_path / "apart", "2025-03")
    if parallel.can_fork():
        assert started.count(checks.validate_rows) == 2  # February caught up, then March
    with (
        ledger.Ledger(tmp_path / "here" / ledger.STORE_FILE) as here,
        ledger.Ledger(tmp_path / "apart" / ledger.STORE_FILE) as apart,
    ):
        assert here.problems("2025-03")  # 缺审核人的稿件
        for month in ("2025-02", "2025-03"):
            assert apart.problems(month) == here.problems(month)
            assert apart.rows(months=[month]).equals(here.rows(months=[month]))


def test_a_failure_while_writing_leaves_the_previous_outputs(inputs, tmp_path, monkeypatch):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    before = {p.relative_to(out): p.read_bytes() for p in (out / "2025-03").rglob("*") if p.is_file()}

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reports, "write_statistics", broken)
    with pytest.raises(OutputsUnwritable, match="disk full"):
        flow.run_month(inputs, out, "2025-03")
    after = {p.relative_to(out): p.read_bytes() for p in (out / "2025-03").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != lock.LOCK_FILE]


def test_receipt_marks_problem_cells_and_explains_them(inputs, tmp_path):
    out = tmp_path / "out"
    flow.run_month(inputs, out, "2025-03")
    ws = openpyxl.load_workbook(out / "2025-03" / "回执" / "GS01-办公室.xlsx").active
    lines = [ws.cell(row=r, column=1).value for r in range(1, 6)]
    assert lines == [
        "示范县国土资源局办公室信息宣传月报审核回执",
        "单位：GS01 办公室\u3000\u3000报送月份：2025-03",
        "收到文件：办公室3月.xlsx（已受理）",
        "读取稿件 3 行：计入 2 行，未计入 1 行；错误 1 条，警告 0 条。",
        "请按下表标红的单元格及审核意见改正，于2025年4月5日前重新报送整份报送表（标黄的为提示，可不改）。",
    ]
    red = [c for row in ws.iter_rows() for c in row if c.comment and c.fill.fgColor.rgb.endswith("FFC7CE")]
    assert [(c.value, c.comment.text) for c in red] == [(None, "[错误] 必填项为空：“审核人”为空。请填写后重新报送。")]


def test_forms_carry_over_only_recent_unadopted_pieces():
    carried = pd.DataFrame(
        {
            L.UNIT_CODE: ["GS01", "GS01", "GS02"],
            L.TITLE: ["旧稿", "新稿", "更旧的稿"],
            L.SENT_DATE: pd.to_datetime(["2024-09-30", "2024-10-01", "2024-03-01"]),
        }
    )
    kept = issue.recent_rows(carried, "2025-04")
    assert list(kept) == ["GS01"]
    assert [row[L.TITLE] for row in kept["GS01"]] == ["新稿"]


def test_next_months_form_carries_the_units_unadopted_pieces(inputs, tmp_path):
    out = tmp_path / "out"
    write_form(
        inputs / "2025-03" / "规划股" / "规划股.xlsx",
        [
            piece(**{L.TITLE: "规划股与办公室合写的稿件", L.AUTHORS: "李建国、张三", L.CO_UNITS: "GS01"}),
            piece(
                **{
                    L.TITLE: "尚未采用的规划稿件",
                    L.STATUS: "未采用",
                    L.OUTLET: "",
                    L.LEVEL: "",
                    L.ADOPT_DATE: "",
                    L.PROOF: "",
                }
            ),
        ],
        header=GS02,
    )
    flow.run_month(inputs, out, "2025-03")
    cells = _cells(out / "forms" / "2025-04" / "GS02-规划利用股.xlsx")
    titles = [value for row in cells for value in row if isinstance(value, str) and "稿件" in value]
    assert "尚未采用的规划稿件" in titles
    assert "规划股与办公室合写的稿件" not in titles


def _month_with_forms_named(inputs: Path, folder: Path, names: list[str]) -> Path:
    """A copy of `inputs` whose March forms (in path order) are renamed to `names`."""
    shutil.copytree(inputs, folder)
    forms = sorted(p for p in (folder / "2025-03").rglob("*.xlsx") if not p.name.startswith("~$"))
    staged = [form.read_bytes() for form in forms]
    for form in forms:
        form.unlink()
    for name, content in zip(names, staged, strict=True):
        (folder / "2025-03" / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("names", [["b.xlsx", "a.xlsx"], ["z/1.xlsx", "0.xlsx"]])
def test_the_order_of_input_files_changes_nothing(inputs, tmp_path, names):
    (inputs / "2025-03" / "z").mkdir()
    reference = _month_with_forms_named(inputs, tmp_path / "ref", ["a.xlsx", "b.xlsx"])
    shuffled = _month_with_forms_named(inputs, tmp_path / "shuffled", names)
    flow.run_month(reference, tmp_path / "ref-out", "2025-03")
    flow.run_month(shuffled, tmp_path / "shuffled-out", "2025-03")
    for name in (reports.STATISTICS_FILE, reports.PROBLEMS_FILE):
        ref = _cells(tmp_path / "ref-out" / "2025-03" / name)
        got = _cells(tmp_path / "shuffled-out" / "2025-03" / name)
        if name == reports.PROBLEMS_FILE:  # file names differ by construction
            ref, got = ([r[:2] + r[3:] for r in rows] for rows in (ref, got))
        assert got == ref
