"""The document engine renders the circular as Word (GB/T 9704-2012 layout), HTML and PDF."""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Twips

from pipeline.core.errors import TemplateInvalid
from pipeline.documents import chart, documents, pdf
from tests import tools
from tests.circular_fixture import TRICKY_TITLE, TRICKY_UNIT, context

GOLDEN = Path(__file__).parents[1] / "golden" / "通报.html"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> documents.Rendered:
    return documents.render("通报", context(), tmp_path_factory.mktemp("circular"), "季度通报")


@pytest.fixture(scope="module")
def word(rendered):
    return Document(rendered.docx)


def _all_text(document) -> str:
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if p.text == text)


def _font(style, slot: str) -> str:
    return style.element.rPr.rFonts.get(qn(f"w:{slot}"))


def _near(length, mm: float) -> bool:
    return abs(length - Mm(mm)) < Mm(0.1)


def test_render_writes_word_html_and_pdf_named_after_the_stem(rendered):
    assert rendered.docx.name == "季度通报.docx" and rendered.docx.is_file()
    assert rendered.html.name == "季度通报.html" and rendered.html.is_file()
    if tools.find(tools.SOFFICE):
        assert rendered.pdf == rendered.docx.with_suffix(".pdf") and rendered.pdf.is_file()
        assert rendered.note == ""
    assert not [p for p in rendered.docx.parent.iterdir() if p.name.startswith(".tmp-")]


def test_the_word_body_is_a4_with_the_standard_margins(word):
    body = word.sections[0]
    assert _near(body.page_width, 210) and _near(body.page_height, 297)
    assert _near(body.top_margin, 37) and _near(body.bottom_margin, 35)
    assert _near(body.left_margin, 28) and _near(body.right_margin, 26)


def test_the_line_pitch_gives_twenty_two_lines_a_page(word):
    section = word.sections[0]
    pitch = word.styles["公文正文"].paragraph_format.line_spacing
    assert int((section.page_height - section.top_margin - section.bottom_margin) / pitch) == 22
    assert word.styles["公文正文"].paragraph_format.first_line_indent == Twips(640)  # two 16 pt characters


def test_title_body_and_headings_name_the_standard_fonts_for_chinese_text(word):
    expected = {
        "公文标题": ("方正小标宋简体", 22),
        "公文正文": ("仿宋_GB2312", 16),
        "一级标题": ("黑体", 16),
        "二级标题": ("楷体_GB2312", 16),
        "发文机关标志": ("方正小标宋简体", 30),
    }
    for name, (font, size) in expected.items():
        style = word.styles[name]
        assert (_font(style, "eastAsia"), _font(style, "ascii")) == (font, font), name
        assert style.font.size.pt == size, name
    assert str(word.styles["发文机关标志"].font.color.rgb) == "FF0000"
    assert _paragraph(word, "关于2025年第一季度\n信息宣传工作情况的通报").style.name == "公文标题"
    assert _paragraph(word, "一、总体情况").style.name == "一级标题"
    assert _paragraph(word, "（一）先进单位").style.name == "二级标题"
    assert _paragraph(word, context()["overview"][0]).style.name == "公文正文"


def test_a_title_too_long_for_one_line_breaks_between_words_into_even_lines():
    assert (
        documents.title_lines("关于2025年第一季度信息宣传工作情况的通报")
        == "关于2025年第一季度\n信息宣传工作情况的通报"
    )
    assert documents.title_lines("关于2025年3月份信息宣传工作情况的通报") == "关于2025年3月份信息宣传工作情况的通报"
    long = "关于2025年度信息宣传工作考核结果及先进单位和先进个人的通报"
    assert documents.title_lines(long) == "关于2025年度信息宣传工作考核结果及\n先进单位和先进个人的通报"
    nowhere = "关于" + "信" * 40
    assert documents.title_lines(nowhere) == nowhere


def test_the_red_line_under_the_document_number_spans_the_text_block(word):
    number = _paragraph(word, context()["number"])
    line = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert line.get(qn("w:color")) == "FF0000"
    assert number.paragraph_format.left_indent in (None, 0) and number.paragraph_format.right_indent in (None, 0)


def test_the_ranking_table_has_one_row_per_unit_in_rank_order(word):
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "排名")
    header = [cell.text for cell in table.rows[0].cells]
    # the longer headers broken in even lines (累计 / 得分), not where the width ends (累计得 / 分)
    assert header == [
        "排名",
        "单位",
        "报送数",
        "采用数",
        "采用率",
        "得分",
        "累计\n得分",
        "报送\n完成率",
        "采用\n完成率",
    ]
    keys = ("rank", "unit", "sent", "adopted", "adopt_rate", "points", "points_ytd", "submit_rate", "adopt_year_rate")
    expected = [[row[key] for key in keys] for row in context()["ranking"]]
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == expected
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_annex_tables_repeat_their_header_and_hold_every_row(word):
    annex1 = next(t for t in word.tables if t.rows[0].cells[0].text == "单位")
    annex2 = next(t for t in word.tables if t.rows[0].cells[0].text == "序号")
    assert len(annex1.columns) == 15 and len(annex1.rows) == 1 + len(context()["annex1"])
    assert [row.cells[1].text for row in annex2.rows[1:]] == [item["title"] for item in context()["annex2"]]
    for table in (annex1, annex2):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def _grid(table) -> list[int]:
    return [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _kept(row) -> bool:
    return all(p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in row._tr.iter(qn("w:p")))


def test_a_table_keeps_its_header_with_its_first_row_and_its_last_three_rows_together(word):
    annex2 = next(t for t in word.tables if t.rows[0].cells[0].text == "序号")
    rows = annex2.rows
    assert len(rows) > 5
    # header and first row, then the last rows but the last one: Word and LibreOffice move the
    # last three rows to the next page together rather than leave one alone at its top
    assert [_kept(row) for row in rows] == [True, True] + [False] * (len(rows) - 5) + [True, True, False]
    title = _paragraph(word, context()["annex2_title"])
    assert title.style.paragraph_format.keep_with_next


def test_a_hidden_column_is_removed_from_the_word_table_and_its_width_goes_to_the_widest(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    shown = Document(documents.render("通报", context(), tmp_path / "shown", "季度通报").docx)
    hidden = Document(
        documents.render("通报", {**context(), "hidden_columns": ["得分完成率"]}, tmp_path / "hidden", "季度通报").docx
    )
    before = next(t for t in shown.tables if t.rows[0].cells[0].text == "单位")
    after = next(t for t in hidden.tables if t.rows[0].cells[0].text == "单位")
    labels = [cell.text.replace("\n", "") for cell in after.rows[0].cells]  # a header may break in two lines
    assert "得分完成率" not in labels and len(labels) == 14
    assert all(len(row._tr.findall(qn("w:tc"))) == 14 for row in after.rows)
    assert sum(_grid(after)) == sum(_grid(before))
    assert _grid(after)[0] == _grid(before)[0] + _grid(before)[labels.index("采用完成率") + 1]
    html = documents.render_html_text("通报", {**context(), "hidden_columns": ["得分完成率"]})
    assert "得分完成率" not in html and "得分完成率" in documents.render_html_text("通报", context())


def test_no_template_tag_is_left_in_the_word_file(word):
    text = _all_text(word).replace(TRICKY_UNIT, "").replace(TRICKY_TITLE, "")
    assert "{{" not in text and "{%" not in text and "}}" not in text


def test_markup_and_template_syntax_typed_by_units_show_literally_in_word(word):
    text = _all_text(word)
    assert TRICKY_UNIT in text
    assert f"《{TRICKY_TITLE}》" in text


def test_each_annex_starts_on_a_new_page_in_word(word):
    for label in ("附件1", "附件2"):
        paragraph = _paragraph(word, label)
        assert paragraph.style.paragraph_format.page_break_before
        previous = paragraph._p.getprevious()
        assert previous.pPr.sectPr.find(qn("w:type")) is None or previous.pPr.sectPr.type == "nextPage"
    landscape = word.sections[1]
    assert landscape.page_width > landscape.page_height


def test_page_numbers_are_dashed_and_differ_on_odd_and_even_pages(word):
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = word.sections[0].footer.paragraphs[0], word.sections[0].even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"
    assert (odd.alignment, even.alignment) == (2, 0)  # right, left
    assert "PAGE" in "".join(odd._p.itertext())
    assert _font(odd.style, "eastAsia") == "宋体" and odd.style.font.size.pt == 14


def test_the_colophon_line_for_cc_is_left_out_when_there_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    values = context()
    values["cc"] = ""
    done = documents.render("通报", values, tmp_path, "月度通报")
    assert "抄送" not in _all_text(Document(done.docx))
    assert "抄送" not in done.html.read_text(encoding="utf-8")
    printed = _paragraph(Document(done.docx), "示范县国土资源局办公室\t2025年4月3日印发")
    borders = printed._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")).get(qn("w:sz")) == borders.find(qn("w:bottom")).get(qn("w:sz")) == "8"


def test_without_libreoffice_there_is_no_pdf_and_a_chinese_note(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    (tmp_path / "月度通报.pdf").write_bytes(b"%PDF- an earlier run")
    done = documents.render("通报", context(), tmp_path, "月度通报")
    assert done.pdf is None
    assert "未安装 LibreOffice" in done.note and "未生成 PDF" in done.note
    assert not (tmp_path / "月度通报.pdf").exists()


def test_a_failing_conversion_gives_a_note_instead_of_an_error(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    done = documents.render("通报", context(), tmp_path / "out", "季度通报")
    assert done.pdf is None and "退出码 3" in done.note


def test_a_template_broken_by_editing_stops_with_a_chinese_message(tmp_path, monkeypatch):
    shutil.copy(documents.TEMPLATES / "通报.docx", tmp_path / "通报.docx")
    (tmp_path / "通报.html").write_text("<p>{{ title </p>", encoding="utf-8")
    monkeypatch.setattr(documents, "TEMPLATES", tmp_path)
    with pytest.raises(TemplateInvalid, match=r"文书模板 .*通报\.html 无法使用"):
        documents.render("通报", context(), tmp_path / "out", "季度通报")
    with pytest.raises(TemplateInvalid, match="文件不存在"):
        documents.render("年度通报", context(), tmp_path / "out", "年度通报")


# HTML -----------------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def test_the_html_page_matches_the_golden_file():
    page = documents.render_html_text("通报", context())
    if os.environ.get("REGENERATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_markup_and_template_syntax_typed_by_units_show_literally_in_html(rendered):
    page = rendered.html.read_text(encoding="utf-8")
    assert "<b>信息" not in page and "<b>耕地" not in page
    assert html.escape(TRICKY_UNIT, quote=False) in page
    text = _visible_text(page)
    assert text.count(TRICKY_UNIT) >= 4  # ranking, annex 1, annex 2, praise (the chart's label is SVG text too)
    assert f"《{TRICKY_TITLE}》" in text


def test_the_html_chart_has_one_bar_per_unit_with_escaped_labels():
    svg = str(chart.svg(context()["chart"]))
    assert svg.count("<rect") == len(context()["ranking"])
    assert "&lt;b&gt;信息&lt;/b&gt;&amp;中心{{ 1+1 }}" in svg


# The chart image --------------------------------------------------------------------------------


def _label_pixels(values: dict, index: int) -> bytes:
    """The PNG's pixels left of the bars on the row of label `index`."""
    shape = chart.layout(values)
    pixmap = pymupdf.Pixmap(chart.png(values))
    scale = pixmap.width / shape.width
    top, bottom = int(shape.bars[index].top * scale), int((shape.bars[index].top + chart.ROW) * scale)
    right = int(shape.bar_left * scale) - 2
    rows = []
    for y in range(top, bottom):
        start = (y * pixmap.width) * pixmap.n
        rows.append(pixmap.samples[start : start + right * pixmap.n])
    return b"".join(rows)


def test_the_chart_labels_are_drawn_with_real_chinese_glyphs():
    values = context()["chart"]
    for label in values["labels"]:
        assert all(chart.font().has_glyph(ord(char)) for char in label), label
    first = _label_pixels(values, 0)
    assert min(first) < 100  # dark strokes drawn where the label is
    # Same length, different characters: missing glyphs would draw identical boxes, real ones differ.
    other = {**values, "labels": ["执法监察大队所", *values["labels"][1:]]}
    assert len(other["labels"][0]) == len(values["labels"][0])
    assert _label_pixels(other, 0) != first
    assert _label_pixels(other, 1) == _label_pixels(values, 1)


def test_the_chart_png_is_in_the_word_file(word, rendered):
    images = [rel for rel in word.part.rels.values() if "image" in rel.reltype]
    assert len(images) == 1 and images[0].target_part.blob.startswith(b"\x89PNG")


def test_a_chart_without_units_draws_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    values = context()
    values["chart"] = {"title": "各单位累计得分", "labels": [], "values": []}
    done = documents.render("通报", values, tmp_path, "季度通报")
    assert "<svg" not in done.html.read_text(encoding="utf-8")
    assert not [rel for rel in Document(done.docx).part.rels.values() if "image" in rel.reltype]


# Real renderers -----------------------------------------------------------------------------------


def _page_starting_with(pdf: Path, label: str) -> int:
    for page in range(1, tools.pdf_pages(pdf) + 1):
        if tools.pdf_text(pdf, page=page).replace(" ", "").startswith(label):
            return page
    raise AssertionError(f"no page starts with {label}")


def test_the_word_file_prints_through_libreoffice_with_each_annex_on_its_own_page(rendered):
    tools.require(tools.SOFFICE)
    pdf = rendered.pdf
    pages = tools.pdf_pages(pdf)
    assert 4 <= pages <= 8
    first = tools.pdf_text(pdf, page=1)
    assert "示范县国土资源局办公室" in first and "总体情况" in first
    annex1, annex2 = _page_starting_with(pdf, "附件1"), _page_starting_with(pdf, "附件2")
    assert 1 < annex1 < annex2 == pages
    assert "得分情况统计表" in tools.pdf_text(pdf, page=annex1)
    assert "采用稿件目录" in tools.pdf_text(pdf, page=annex2)
    assert "附件1" not in tools.pdf_text(pdf, page=annex1 - 1).replace(" ", "")


def test_the_colophon_sits_at_the_foot_of_the_last_page_and_page_numbers_alternate(rendered):
    tools.require(tools.SOFFICE)
    boxes = tools.pdf_bbox(rendered.pdf)
    pages = re.findall(r"<page width=\"([\d.]+)\" height=\"([\d.]+)\">(.*?)</page>", boxes, re.S)
    width, height, last = pages[-1]
    printed = re.search(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">日印发</word>', last)
    # the last page is annex 2's, landscape: its bottom margin is 26 mm (a portrait page's 35 mm)
    assert float(width) > float(height)
    foot = float(height) - 26 / 25.4 * 72
    assert printed and foot - 10 < float(printed.group(1)) <= foot + 1
    for number, (page_width, _, words) in enumerate(pages, start=1):
        dash = re.findall(r'<word xMin="([\d.]+)"[^>]*>—</word>', words)
        assert dash, number
        on_right = float(dash[0]) > float(page_width) / 2
        assert on_right == (number % 2 == 1), number


def test_the_html_page_prints_on_a4_in_chromium(rendered, tmp_path):
    browser = tools.require(tools.CHROMIUM)
    pdf = tmp_path / "通报.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            rendered.html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    info = subprocess.run([tools.require("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert round(float(size.group(1))) == 595 and round(float(size.group(2))) == 842
    annex1, annex2 = _page_starting_with(pdf, "附件1"), _page_starting_with(pdf, "附件2")
    assert 1 < annex1 < annex2
    assert "总体情况" in tools.pdf_text(pdf, page=1)


def test_a_hung_conversion_is_ended_after_the_time_limit(tmp_path, monkeypatch):
    child = tools.hanging_soffice(tmp_path, monkeypatch)
    monkeypatch.setattr(pdf, "PDF_TIMEOUT", 1)
    done = documents.render("通报", context(), tmp_path / "out", "季度通报")
    assert done.pdf is None and "超过 1 秒未完成" in done.note
    assert tools.ended(int(child.read_text()))


def test_a_conversion_abandoned_is_ended_and_leaves_no_pdf_and_no_work_folder(tmp_path, monkeypatch):
    child = tools.hanging_soffice(tmp_path, monkeypatch)
    pending = documents.start_render("通报", context(), tmp_path / "out", "季度通报")
    assert pending.docx.is_file() and pending.html.is_file()  # written before the PDF is waited for
    work = pending.pdf.work
    for _ in range(100):  # the fake LibreOffice has started its own child
        if child.is_file() and child.read_text().strip():
            break
        time.sleep(0.05)
    pending.abandon()
    assert tools.ended(int(child.read_text()))
    assert not work.exists() and not (tmp_path / "out" / "季度通报.pdf").exists()


def test_the_pdf_shows_serif_stand_ins_where_the_standard_fonts_are_missing(rendered):
    tools.require(tools.SOFFICE)
    fonts = subprocess.run([tools.require("pdffonts"), str(rendered.pdf)], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts and "Bold" in fonts  # 仿宋 body and 小标宋 titles (.ci/run installs Noto CJK)


def test_body_lines_in_the_pdf_are_28_95_points_apart(rendered):
    tools.require(tools.SOFFICE)
    page = next(
        p for p in range(1, tools.pdf_pages(rendered.pdf)) if "下步要求" in tools.pdf_text(rendered.pdf, page=p)
    )
    layout = subprocess.run(
        [tools.require("pdftotext"), "-f", str(page), "-l", str(page), "-bbox-layout", str(rendered.pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tops = sorted({float(y) for y in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)"', layout)})
    gaps = [b - a for a, b in itertools.pairwise(tops) if b - a < 40]
    assert len(gaps) >= 8
    assert all(abs(gap - 28.95) < 0.2 for gap in gaps)


def _annex2_rows_by_page(tmp_path: Path, count: int) -> list[int]:
    """The rows of an annex 2 of `count` one-line rows on each of its pages, as LibreOffice prints it."""
    item = {**context()["annex2"][0], "title": "短标题", "unit": "办公室", "authors": "张三", "outlet": "《县级要情》"}
    rows = [{**item, "no": str(n)} for n in range(1, count + 1)]
    done = documents.render("通报", {**context(), "annex2": rows}, tmp_path / str(count), "季度通报")
    first = _page_starting_with(done.pdf, "附件2")
    return [
        len(re.findall(r"^\s*\d+\s+短标题", tools.pdf_text(done.pdf, page=page, layout=True), re.M))
        for page in range(first, tools.pdf_pages(done.pdf) + 1)
    ]


def test_a_table_one_row_too_long_for_its_page_carries_three_rows_over_not_one(tmp_path):
    tools.require(tools.SOFFICE)
    fitting = _annex2_rows_by_page(tmp_path, 60)[0]  # the rows annex 2's first page holds
    # one row more: without the kept rows it would stand alone at the top of the next page
    assert _annex2_rows_by_page(tmp_path, fitting + 1) == [fitting - 2, 3]


def test_annex_2_prints_a_december_date_and_its_headers_each_on_one_line(tmp_path):
    tools.require(tools.SOFFICE)
    item = {**context()["annex2"][0], "date": "2025年12月31日", "level": "国家级"}
    done = documents.render("通报", {**context(), "annex2": [item]}, tmp_path, "季度通报")
    page = tools.pdf_text(done.pdf, page=_page_starting_with(done.pdf, "附件2"), layout=True)
    assert re.search(r"2025\s*年\s*12\s*月\s*31\s*日", page)
    assert re.search(r"序号\s+稿件标题\s+单位\s+作者\s+采用载体\s+采用级别\s+采用日期", page)
