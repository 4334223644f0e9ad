"""看板.html: written after a month's run, self-contained, hostile titles inert, and every figure
equal to the months' 月度统计.xlsx; loaded in headless Chromium with the network off."""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

import run
from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.dashboard import figures, page
from pipeline.plan.plan import load_plan
from pipeline.reports import reports
from pipeline.scoring import periods, scheme_month, scoring
from tests import tools
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

SCRIPT_TITLE = "<script>alert(1)</script>关于耕地保护的报道"
FORMULA_TITLE = "=cmd|' /C calc'!A0"
JANUARY = {L.H_MONTH: "2025-01", L.H_FILL_DATE: "2025-02-02"}
FEBRUARY = {L.H_MONTH: "2025-02", L.H_FILL_DATE: "2025-03-02"}
GS02 = {L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"}


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, flow.MonthResult]:
    """The small county's January and February (GS03 never returns; GS02 skips February),
    February run; a quarter's end is left out, its circular's PDF would cost seconds."""
    folder = small_inputs(tmp_path_factory.mktemp("run") / "in")
    january = {L.SENT_DATE: "2025-01-03", L.ADOPT_DATE: "2025-01-20"}
    write_form(folder / "2025-01" / "办公室1月.xlsx", [piece(**january)], header=JANUARY)
    write_form(
        folder / "2025-01" / "规划股1月.xlsx",
        [piece(**{L.TITLE: "规划股一月稿件", L.AUTHORS: "李明", **january, L.STATUS: "未采用"})],
        header={**JANUARY, **GS02},
    )
    dates = {L.SENT_DATE: "2025-02-03", L.ADOPT_DATE: "2025-02-12"}
    hostile = {L.TITLE: SCRIPT_TITLE, L.LEVEL: "省级", L.OUTLET: "《国土资源报》<b>", L.INSTRUCTION: "市级"}
    formula = {L.TITLE: FORMULA_TITLE, L.LEVEL: "国家级", L.OUTLET: '=HYPERLINK("http://x")'}
    rows = [piece(**dates, **hostile), piece(**dates, **formula)]
    _as_typed(write_form(folder / "2025-02" / "办公室2月.xlsx", rows, header=FEBRUARY))
    out = folder.parent / "out"
    return out, flow.run_month(folder, out, "2025-02")


def _as_typed(form: Path) -> None:
    """Cells starting with '=' as text, the way a person types them after a quote: openpyxl
    would store them as formulas with no value."""
    workbook = openpyxl.load_workbook(form)
    for row in workbook[L.FORM_SHEET].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    workbook.save(form)


def _page(out: Path) -> Path:
    return out / "2025" / page.PAGE_FILE


def _data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _sheet(path: Path, name: str) -> list[dict]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = [list(row) for row in workbook[name].iter_rows(values_only=True)]
    workbook.close()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _same(page_value, workbook_value) -> bool:
    """A figure of the page against the workbook's cell (blank cells are None or "")."""
    if page_value is None or page_value == "":
        return workbook_value is None or workbook_value == ""
    if isinstance(page_value, (int, float)) and not isinstance(page_value, bool):
        return workbook_value is not None and math.isclose(page_value, workbook_value, abs_tol=1e-9)
    return page_value == workbook_value


def test_a_month_run_writes_the_years_page_and_names_it_in_the_summary(processed):
    out, result = processed
    assert result.dashboard == _page(out) and _page(out).is_file()
    assert any(line.strip().startswith("2025 年看板：") for line in run.summary(result).splitlines())


def test_the_page_loads_nothing_from_the_network(processed):
    html = _page(processed[0]).read_text(encoding="utf-8")
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?https?:", html, re.I)
    assert "fetch(" not in html and "XMLHttpRequest" not in html and "<iframe" not in html
    assert len(re.findall(r"<script\b", html)) == 4  # error counter, data, ECharts, the page's own


def test_hostile_titles_stay_text_in_the_page(processed):
    html = _page(processed[0]).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>" not in html
    data = _data(html)
    titles = {item["title"] for item in data["high"]}
    assert titles == {SCRIPT_TITLE, FORMULA_TITLE}
    assert {item["outlet"] for item in data["high"]} == {"《国土资源报》<b>", '=HYPERLINK("http://x")'}
    assert [item["title"] for item in data["instructed"]] == [SCRIPT_TITLE]


def test_the_pages_figures_equal_the_months_statistics_workbooks(processed):
    out, _ = processed
    data = _data(_page(out).read_text(encoding="utf-8"))
    assert data["asOf"] == "2025-02" and data["months"] == ["2025-01", "2025-02"]
    statistics = out / "2025-02" / reports.STATISTICS_FILE
    units = _sheet(statistics, "单位统计")
    assert [row[L.UNIT_CODE] for row in units] == [record[0] for record in data["units"]]
    for row, record in zip(units, data["units"], strict=True):
        assert list(row) == data["unitColumns"]
        for column, value in zip(data["unitColumns"], record, strict=True):
            assert _same(value, row[column]), (row[L.UNIT_CODE], column, value, row[column])
    persons = _sheet(statistics, "个人统计")
    assert len(persons) == len(data["persons"])
    for row, record in zip(persons, data["persons"], strict=True):
        for column, value in zip(data["personColumns"], record, strict=True):
            assert _same(value, row[column]), (column, value, row[column])
    missing = _sheet(statistics, "未报送单位")
    assert [[row[c] for c in data["missingColumns"]] for row in missing] == data["missing"]
    assert [row[0] for row in data["missing"]] == ["GS02", "GS03"]


def test_each_months_trend_equals_that_months_statistics_workbook(processed):
    out, _ = processed
    data = _data(_page(out).read_text(encoding="utf-8"))
    for index, month in enumerate(data["months"]):
        for row in _sheet(out / month / reports.STATISTICS_FILE, "单位统计"):
            trend = data["trend"][row[L.UNIT_CODE]]
            assert trend["month"][index] == month
            assert trend["sent"][index] == row["本月报送数"]
            assert trend["adopted"][index] == row["本月采用数"]
            assert math.isclose(trend["points"][index], row["本月得分"], abs_tol=1e-9)
            assert trend["onTime"][index] == row["按时报送"]
    assert data["trend"]["GS03"]["onTime"] == ["未报送", "未报送"]


def test_the_named_pieces_are_those_the_whole_ledger_names(processed):
    out, _ = processed
    plan = load_plan(out.parent / "in", 2025)
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        rows = store.rows(through="2025-02")
        whole = periods.figures(
            rows, store.returns(year=2025), store.processed_months(), plan, periods.Period(2025, 1, 2)
        )
    data = _data(_page(out).read_text(encoding="utf-8"))
    high = whole.adoptions[whole.adoptions[periods.LEVEL].isin(figures.HIGH_LEVELS)].iloc[::-1]
    assert [(h["title"], h["outlet"], h["date"]) for h in data["high"]] == [
        (r[periods.TITLE], r[periods.OUTLET], r[periods.DATE].strftime("%Y-%m-%d")) for _, r in high.iterrows()
    ]
    assert [(h["title"], h["level"]) for h in data["instructed"]] == list(
        zip(whole.instructed[periods.TITLE], whole.instructed[periods.LEVEL], strict=True)
    )
    assert len(whole.adoptions) == 3  # January's 县级 piece is in the ledger, not on the page's lists
    assert data["highTotal"] == len(high) == 2


def test_a_province_s_page_names_the_newest_pieces_and_counts_them_all(processed, monkeypatch):
    # February has two adoptions at 省级 or above (国家级 on the 12th, 省级 on the 12th) and one
    # instructed piece; a page naming one of each says there are two adoptions in all.
    out, _ = processed
    plan = load_plan(out.parent / "in", 2025)
    monkeypatch.setattr(figures, "NAMED_AT_MOST", 1)
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        data = figures.page_data(store, plan, "2025-02")
    assert (len(data["high"]), data["highTotal"]) == (1, 2)
    assert (len(data["instructed"]), data["yearToDate"]["instructed"]) == (1, 1)


def test_the_page_from_the_months_own_scores_equals_the_page_counted_from_the_ledger(processed):
    # the run hands the page its scores, whose pieces' rows are the rows: the named pieces are
    # then chosen among them, not looked up again by (月份, row_id)
    out, _ = processed
    plan = load_plan(out.parent / "in", 2025)
    with ledger.Ledger(out / ledger.STORE_FILE) as store:
        rows = store.year_rows(2025, "2025-02", without=scoring.UNREAD_COLUMNS)
        pieces = scheme_month.gather(rows, plan, "2025-02")
        returns, months = store.returns(year=2025), store.processed_months(year=2025)
        scored = scoring.score_month(pieces.rows, returns, months, plan, "2025-02", pieces=pieces)
        reused = figures.page_data(store, plan, "2025-02", rows=pieces.rows, scored=scored)
        anew = figures.page_data(store, plan, "2025-02")
    assert reused == anew
    assert len(reused["high"]) == 2 and len(reused["instructed"]) == 1


def test_rerunning_an_earlier_month_keeps_the_page_at_the_latest_month(processed):
    out, result = processed
    again = flow.run_month(result.outputs.parent.parent / "in", out, "2025-01")
    assert again.refreshed == ["2025-02"] and again.dashboard == _page(out)
    assert _data(_page(out).read_text(encoding="utf-8"))["asOf"] == "2025-02"


def _chromium(browser: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Headless Chromium with no way out to the network (a dead proxy for every request)."""
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            f"--user-data-dir={profile}",
            "--hide-scrollbars",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_chromium_shows_the_page_offline_without_errors_at_desktop_and_print_sizes(processed, tmp_path):
    browser = tools.require(tools.CHROMIUM)
    uri = _page(processed[0]).as_uri()
    dom = _chromium(browser, tmp_path / "p1", "--window-size=1600,1000", "--dump-dom", uri).stdout
    root = re.search(r"<html[^>]*>", dom).group(0)
    assert 'data-ready="1"' in root and "data-errors" not in root, root
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于耕地保护的报道" in dom  # shown, as text
    assert dom.count('<tr class="behind">') + dom.count("<tr>") > 3 and "催报名单" in dom
    shot = tmp_path / "desktop.png"
    _chromium(browser, tmp_path / "p2", "--window-size=1600,1000", f"--screenshot={shot}", uri)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one
    pdf = tmp_path / "print.pdf"
    _chromium(browser, tmp_path / "p3", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", uri)
    info = subprocess.run([tools.require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = tools.pdf_text(pdf)
    assert "各单位序时进度" in text and "数字与月度统计.xlsx一致" in text
    subprocess.run(
        [tools.require("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "a4")],
        check=True,
    )
    assert (tmp_path / "a4-1.png").stat().st_size > 10_000
