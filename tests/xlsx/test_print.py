"""Every workbook the office or a unit prints is legible on A4: one month's outputs are printed to
PDF with LibreOffice and read back with poppler (body text at least 8 pt high, running header
and footer whole on every page, the longest texts whole, the form without pages of empty grid,
the chart of assessed units with every name, highest on top); and the layout arithmetic."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import flow
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.forms import forms
from pipeline.reports import reports
from pipeline.xlsx import printing
from pipeline.xlsx import styles as xlsx
from tests import tools
from tests.intake_helpers import piece, write_form

MONTH = "2025-03"
MARGIN_TOP, MARGIN_BOTTOM = printing.TOP_MARGIN * 72, printing.BOTTOM_MARGIN * 72
MAX_BLANK_LINES = 1.6  # in word boxes; 1.26 in the receipt, 2.3 before its rows were fitted
LONG_TITLE = "我局召开全县耕地保护和自然资源执法监管工作推进会暨“百日攻坚”专项行动部署会议"


def _pieces() -> list[dict[str, object]]:
    """Forty rows for the office: long titles, pieces not yet adopted (carried over to April),
    and rows with problems whose notes run over several lines."""
    rows = []
    for n in range(1, 41):
        values = {L.SEQ: n, L.TITLE: f"{LONG_TITLE}（第{n}篇）" if n % 3 else f"信息第{n}篇"}
        if n % 2:
            values |= {L.STATUS: L.NOT_ADOPTED, L.OUTLET: "", L.LEVEL: "", L.ADOPT_DATE: "", L.PROOF: ""}
        if n == 7:
            values |= {L.CATEGORY: "信息", L.REVIEWER: ""}
        if n == 12:
            values |= {L.LEVEL: "", L.TITLE: "=1+1 <b>&"}
        rows.append(piece(**values))
    return rows


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, demo_plan_dir: Path) -> dict[str, Path]:
    """The month's workbooks of each kind and their PDFs, converted in one LibreOffice run."""
    root = tmp_path_factory.mktemp("print")
    inputs, outputs = root / "in", root / "out"
    inputs.mkdir()
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", inputs)
    write_form(inputs / MONTH / "办公室3月.xlsx", _pieces())
    write_form(inputs / MONTH / "规划股.xlsx", [piece()], header={L.H_UNIT_CODE: "GS02", L.H_UNIT_NAME: "规划利用股"})
    flow.run_month(inputs, outputs, MONTH)
    month = outputs / MONTH
    books = {
        "problems": month / reports.PROBLEMS_FILE,
        "receipt": month / reports.RECEIPTS_DIR / "GS01-办公室.xlsx",
        "ledger": month / reports.SUMMARY_LEDGER_FILE,
        "statistics": month / reports.STATISTICS_FILE,
        "form": outputs / forms.FORMS_DIR / "2025-04" / "GS01-办公室.xlsx",
    }
    folder = root / "pdf"
    folder.mkdir()
    copies = [shutil.copy(path, folder / f"{kind}.xlsx") for kind, path in books.items()]
    pdfs = tools.to_pdfs([Path(c) for c in copies], folder)
    return {**books, **{f"{kind}.pdf": pdf for kind, pdf in zip(books, pdfs, strict=True)}}


def _squeeze(text: str) -> str:
    return "".join(str(text).split())


def _is_subsequence(needle: str, haystack: str) -> bool:
    letters = iter(haystack)
    return all(ch in letters for ch in needle)


@pytest.mark.parametrize("kind", ["problems", "receipt", "ledger", "statistics", "form"])
def test_every_word_prints_at_least_8_points_high(printed: dict[str, Path], kind: str) -> None:
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    small = [(n, word) for n, (_, _, words) in enumerate(pages, 1) for word in words if word[3] - word[1] < 8]
    assert pages and not small


@pytest.mark.parametrize("kind", ["problems", "receipt", "ledger", "statistics", "form"])
def test_every_page_shows_its_whole_header_and_footer_inside_the_margins(printed: dict[str, Path], kind: str) -> None:
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    for number, (width, height, words) in enumerate(pages, start=1):
        assert all(w[0] >= 0 and w[2] <= width and w[1] >= 0 and w[3] <= height for w in words)
        top = _squeeze("".join(w[4] for w in words if w[3] <= MARGIN_TOP))
        bottom = _squeeze("".join(w[4] for w in words if w[1] >= height - MARGIN_BOTTOM))
        assert bottom == f"第{number}页，共{len(pages)}页"
        if kind != "form":  # the form's title is on the sheet; it has a footer only
            assert top.startswith("示范县国土资源局") or top == f"{MONTH}各单位累计得分"
        body = [w for w in words if w[3] > MARGIN_TOP and w[1] < height - MARGIN_BOTTOM]
        assert body and min(w[1] for w in body) > max((w[3] for w in words if w[3] <= MARGIN_TOP), default=0)


def _longest(path: Path, label: str) -> str:
    ws = openpyxl.load_workbook(path).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    header = next(c for c in cells if c.value == label)
    texts = [str(ws.cell(row=r, column=header.column).value or "") for r in range(header.row + 1, ws.max_row + 1)]
    return max(texts, key=len)


@pytest.mark.parametrize(
    ("kind", "label"),
    [("receipt", OL.RECEIPT_NOTES), ("problems", "说明"), ("ledger", L.TITLE), ("form", L.TITLE)],
)
def test_the_longest_text_prints_whole(printed: dict[str, Path], kind: str, label: str) -> None:
    text = _longest(printed[kind], label)
    assert len(text) > 30
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    assert any(_is_subsequence(_squeeze(text), "".join(w[4] for w in words)) for _, _, words in pages)


def test_the_receipt_heading_prints_whole(printed: dict[str, Path]) -> None:
    ws = openpyxl.load_workbook(printed["receipt"]).active
    text = "".join(w[4] for w in tools.pdf_words(printed["receipt.pdf"])[0][2])
    for row in range(1, 6):
        assert _is_subsequence(_squeeze(ws.cell(row=row, column=1).value), text)


def test_the_form_prints_its_carried_rows_then_ends_with_that_page(printed: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(printed["form"])[L.FORM_SHEET]
    titles = [sheet.cell(row=r, column=2).value for r in range(forms.FIRST_DATA_ROW, sheet.max_row + 1)]
    carried = [t for t in titles if t]
    last_carried = forms.FIRST_DATA_ROW + len(carried) - 1
    last = int(str(sheet.print_area).rsplit("$", 1)[-1])
    assert len(carried) > 10 and last_carried < last < forms.FIRST_DATA_ROW + forms.DATA_ROWS - 1
    pages = [_squeeze("".join(w[4] for w in words)) for _, _, words in tools.pdf_words(printed["form.pdf"])]
    guide = [n for n, text in enumerate(pages) if "三、填写示例" in text]
    assert guide == [len(pages) - 1]
    assert _is_subsequence(_squeeze(carried[-1]), pages[-2])
    assert all(_squeeze(carried[0])[:8] in text for text in pages[:1])


def test_the_chart_names_every_assessed_unit_once_highest_first(printed: dict[str, Path], plan) -> None:
    units = openpyxl.load_workbook(printed["statistics"])[OL.UNITS_SHEET]
    rows = list(units.iter_rows(min_row=2, values_only=True))
    header = [c.value for c in units[1]]
    ranked = [r[header.index(L.UNIT_NAME)] for r in rows if r[header.index(OL.RANK)] is not None]
    others = [r[header.index(L.UNIT_NAME)] for r in rows if r[header.index(OL.RANK)] is None]
    assert len(ranked) == len(plan.assessed) and others
    _width, _height, words = tools.pdf_words(printed["statistics.pdf"])[-1]
    names = {w[4]: w[1] for w in words if w[4] in ranked + others}
    assert set(names) == set(ranked)
    tops = [names[name] for name in ranked]
    assert tops == sorted(tops)


def test_widths_narrow_the_long_columns_most_and_never_below_their_minimum() -> None:
    widths = printing.fit_widths([50, 12, 30, 8], [20, 12, 8, 8], 80)
    assert sum(widths) == pytest.approx(80, abs=0.5)
    assert widths[1] == 12 and widths[3] == 8 and widths[0] > widths[2] >= 8
    assert printing.fit_widths([10, 10], [8, 8], 40) == [10, 10]
    assert printing.fit_widths([10, 10], [9, 9], 10) == [9, 9]


def test_wrapped_lines_count_cjk_characters_double() -> None:
    assert printing.text_lines("", 10) == 1
    assert printing.text_lines("a\nb", 10) == pytest.approx(2 * printing.text_lines("a", 10), abs=0.02)
    narrow = printing.text_lines("稿" * 40, 12)
    assert narrow > printing.text_lines("a" * 40, 12)
    assert printing.text_lines("稿" * 40, 40) < narrow
    assert printing.row_height(2) > printing.row_height(1) >= 15


def test_a_print_area_ends_with_the_page_of_the_last_used_row() -> None:
    page = printing.page_points("landscape")[1] * 0.96
    heights = [20.0] * 200
    per_page = int(page // 20)
    assert printing.last_row_of_page(heights, 10, 5, 1.0) == per_page
    second = printing.last_row_of_page(heights, per_page + 3, 5, 1.0)
    assert second == per_page + int((page - 20) // 20)
    assert printing.last_row_of_page(heights[:15], 10, 5, 1.0) == 15


def test_libreoffice_opens_the_written_workbooks_and_keeps_their_values(printed: dict[str, Path]) -> None:
    soffice = tools.require(tools.SOFFICE)
    kinds = ["receipt", "ledger", "form"]
    sources = [printed[f"{kind}.pdf"].with_suffix(".xlsx") for kind in kinds]
    folder = sources[0].parent / "resaved"
    profile = f"-env:UserInstallation=file://{folder}/profile"
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "xlsx", "--outdir", str(folder), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for source in sources:
        ours = openpyxl.load_workbook(source).worksheets[0]
        theirs = openpyxl.load_workbook(folder / source.name).worksheets[0]
        values = [[c.value for c in row] for row in ours.iter_rows(max_row=40)]
        assert [[c.value for c in row] for row in theirs.iter_rows(max_row=40, max_col=ours.max_column)] == values


def _crossing(word: tuple[float, float, float, float, str], rules: list[tuple[float, float, float]]) -> bool:
    """Whether a line runs through a word (not along its edge), across its middle."""
    x0, y0, x1, y1, _ = word
    return any(x0 + 0.5 < x < x1 - 0.5 and a <= (y0 + y1) / 2 <= b for x, a, b in rules)


@pytest.mark.parametrize("kind", ["problems", "receipt", "ledger", "statistics"])
def test_every_date_and_number_prints_whole_inside_its_cell(printed: dict[str, Path], kind: str) -> None:
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    rules = tools.pdf_rules(printed[f"{kind}.pdf"])
    for (_, _, words), (vertical, horizontal) in zip(pages, rules, strict=True):
        assert vertical and not [w for w in words if "###" in w[4]]
        figures = [w for w in words if re.search(r"\d", w[4])]
        assert figures and not [w for w in figures if _crossing(w, vertical)]
        flipped = [(y0, x0, y1, x1, text) for x0, y0, x1, y1, text in words]
        assert not [w for w in flipped if _crossing(w, horizontal)]  # no line cut at a row's bottom


@pytest.mark.parametrize("kind", ["receipt", "ledger"])
def test_every_date_of_a_table_prints_whole_and_clear_of_its_cell_borders(printed: dict[str, Path], kind: str) -> None:
    sheet = openpyxl.load_workbook(printed[kind]).worksheets[0]
    dates = {c.value.strftime("%Y-%m-%d") for row in sheet.iter_rows() for c in row if isinstance(c.value, dt.datetime)}
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    assert "2025-03-12" in dates and dates <= {w[4] for _, _, words in pages for w in words}
    rules = tools.pdf_rules(printed[f"{kind}.pdf"])
    for (_, _, words), (vertical, _) in zip(pages, rules, strict=True):
        for x0, y0, x1, y1, _ in (w for w in words if w[4] in dates):
            lines = [x for x, a, b in vertical if a <= (y0 + y1) / 2 <= b]
            left, right = max(x for x in lines if x <= x0), min(x for x in lines if x >= x1)
            assert x0 - left >= 1.5 and right - x1 >= 1.5  # clear of both borders, not touching one


@pytest.mark.parametrize("kind", ["receipt", "ledger"])
def test_no_row_prints_much_higher_than_its_text(printed: dict[str, Path], kind: str) -> None:
    """Below each row's lowest word, at most about a line and a half of blank: what Excel's
    narrower lines need more than LibreOffice's (rows of 2 lines used to get room for 4 or 5)."""
    pages = tools.pdf_words(printed[f"{kind}.pdf"])
    rules = tools.pdf_rules(printed[f"{kind}.pdf"])
    spares = []
    for (_, _, words), (_, horizontal) in zip(pages, rules, strict=True):
        line = statistics.median(w[3] - w[1] for w in words)  # a word's box: 1.3 em, a line 1.45
        rows = sorted({round(y, 1) for y, _, _ in horizontal})
        for top, bottom in itertools.pairwise(rows):
            inside = [w[3] for w in words if top < (w[1] + w[3]) / 2 < bottom]
            spares += [(bottom - max(inside)) / line] if inside else []
    assert len(spares) > 10 and max(spares) < MAX_BLANK_LINES


def test_a_text_wrapping_onto_two_lines_gets_two_lines_of_height() -> None:
    title = "我局召开全县耕地保护和自然资源执法监管工作推进会"  # 24 characters
    frame = pd.DataFrame({"标题": [title, "短"], "日期": [dt.datetime(2025, 3, 16)] * 2, "完成率": [1.167, 0.3]})
    widths, heights = xlsx.table_layout(frame, max_width=26, number_formats={"完成率": "0.0%"})
    assert widths[0] == 26 and widths[1] >= printing.shown_width("2025-03-16") + 0.5
    assert widths[2] >= printing.shown_width("116.7%") + 0.5  # not ### in LibreOffice
    assert printing.text_lines(title, 26) == 2 and heights[1] == printing.row_height(2) < printing.row_height(3)
    assert heights[2] == printing.row_height(1)


def test_wrapped_lines_follow_where_libreoffice_and_excel_break() -> None:
    url = "http://gtj.linzhou.gov.cn/art/2025/3/11/art_8241_459765.html"
    assert printing.lines_in_libreoffice("我局3月份办理各类不动产登记655件", 25.7) == 2  # as it prints
    assert printing.lines_in_excel("我局3月份办理各类不动产登记655件", 25.7) == 2
    assert printing.lines_in_libreoffice(url, 17.2) == 5  # http:// gtj.linzhou.gov.cn/ art/2025/3/11/ ...
    assert printing.lines_in_excel(url, 17.2) == 6  # with or without a break after a slash, the more
    assert printing.text_lines("国土资源执法监察大队", 9) > printing.text_lines("国土资源执法监察大队", 12) == 2


def test_widths_go_where_they_lower_the_rows_most() -> None:
    texts = [["稿" * 30, "单位" * 3, ""], ["短", "单位", ""]]
    widths = printing.balance_widths([62, 14, 11], [20, 8, 11], 60, texts)
    assert sum(widths) <= 60.1 and widths[2] == 11 and widths[0] > 30
    assert printing.balance_widths([10, 10], [8, 8], 40, texts) == [10, 10]
