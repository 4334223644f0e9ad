"""The year-end circular (年度通报) read back like the quarterly one: Word page geometry and fonts,
no template tag left, what units typed shown literally (Word) or escaped (HTML), the commended
and the units losing eligibility named, and LibreOffice's print."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from pipeline.documents import circular_groups, documents, pdf, year_circular
from pipeline.plan.rules import AnnexGrouping
from pipeline.scoring import assessment as A
from tests import strict_files, tools
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

TRICKY_UNIT = "<b>城关</b>{{ x }}&所"
TRICKY_PERSON = "{% raw %}张<i>三"
YEAR = [f"2025-{m:02d}" for m in range(1, 13)]
TODAY = dt.date(2026, 1, 8)


def _year_end() -> A.YearEnd:
    # A01 办公室 and A02 规划股 pass (targets 1 / 1) and are 先进单位 (quota 2); A03 (the tricky
    # name) sends nothing and fails: 报送数0篇 of 1, 采用数0篇 of 1; its head is 李所长.
    units = [
        ("A01", "办公室", "股室", True),
        ("A02", "规划股", "股室", True),
        ("A03", TRICKY_UNIT, "国土资源所", True),
    ]
    plan = make_plan(units=units, targets={code: (1, 1, math.nan, 0) for code in ("A01", "A02", "A03")})
    plan = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, top_units=2, top_persons=2))
    records = [
        row("A01", "甲", "2025-03", level="省级", authors=TRICKY_PERSON),
        row("A02", "乙", "2025-05", level="县级", authors="李四"),
    ]
    returns = all_returned(YEAR, ("A01", "A02", "A03"))
    return A.assess_year(rows_frame(records), returns, YEAR, plan, {"A03": "李所长"})


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return year_circular.write_year_circular(_year_end(), tmp_path_factory.mktemp("year"), TODAY)


@pytest.fixture(scope="module")
def word(rendered):
    return Document(rendered.docx)


def _text(document) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in document.element.body.iter(qn("w:p")))


def _near(length, mm: float) -> bool:
    return abs(length - Mm(mm)) < Mm(0.1)


def test_files_are_named_after_the_year_circular(rendered):
    assert rendered.docx.name == "年度通报.docx" and rendered.html.name == "年度通报.html"


def test_word_pages_are_a4_with_the_standard_margins_annex_included(word):
    for section in word.sections:
        assert _near(section.page_width, 210) and _near(section.page_height, 297)
        assert _near(section.top_margin, 37) and _near(section.bottom_margin, 35)
        assert _near(section.left_margin, 28) and _near(section.right_margin, 26)


def test_title_headings_and_body_use_the_standard_styles(word):
    by_text = {p.text: p for p in word.paragraphs}
    assert by_text["关于2025年度信息宣传工作考核结果的通报"].style.name == "公文标题"
    assert by_text["一、全年总体情况"].style.name == "一级标题"
    assert by_text["（一）先进单位"].style.name == "二级标题"
    assert by_text["五、下步要求"].style.name == "一级标题"
    fonts = word.styles["公文正文"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and word.styles["公文正文"].font.size.pt == 16
    assert word.styles["公文标题"].element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert by_text["示国土办〔2026〕\u3000\u3000号"].style.name == "发文字号"
    assert by_text["2026年1月8日"].style.name == "成文日期"


def test_a_serial_not_given_is_left_blank_with_room_to_write_it_by_hand(word, rendered):
    # Two full-width spaces: ASCII spaces would collapse into one in HTML and look like a slip.
    blank = "示国土办〔2026〕\u3000\u3000号"
    assert [p.text for p in word.paragraphs if p.style.name == "发文字号"] == [blank]
    assert f'<p class="number">{blank}</p>' in rendered.html.read_text(encoding="utf-8")


def test_a_number_and_date_given_are_printed_in_word_and_html(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "_soffice", lambda: None)  # LibreOffice prints the fixture's, below
    given = year_circular.write_year_circular(_year_end(), tmp_path, dt.date(2026, 1, 15), number=12)
    paragraphs = {p.style.name: p.text for p in Document(given.docx).paragraphs}
    assert paragraphs["发文字号"] == "示国土办〔2026〕12号"
    assert paragraphs["成文日期"] == "2026年1月15日"
    assert "2026年1月15日印发" in _text(Document(given.docx))
    page = given.html.read_text(encoding="utf-8")
    assert '<p class="number">示国土办〔2026〕12号</p>' in page
    assert '<p class="date">2026年1月15日</p>' in page and "2026年1月15日印发" in page


def test_no_template_tag_is_left(word, rendered):
    text = _text(word).replace(TRICKY_UNIT, "").replace(TRICKY_PERSON, "")
    assert "{{" not in text and "{%" not in text and "}}" not in text
    page = rendered.html.read_text(encoding="utf-8")
    assert "{{" not in page.replace("{{ x }}", "") and "{%" not in page.replace("{% raw %}", "")


def test_what_units_typed_shows_literally_in_word_and_escaped_in_html(word, rendered):
    text = _text(word)
    assert TRICKY_UNIT in text and TRICKY_PERSON in text
    page = rendered.html.read_text(encoding="utf-8")
    assert "&lt;b&gt;城关&lt;/b&gt;{{ x }}&amp;所" in page and "<b>城关" not in page
    assert "张&lt;i&gt;三" in page


def test_commended_and_losing_units_are_named_with_the_reason(word):
    text = _text(word)
    assert "全年共报送信息2篇，被采用2篇，其中省级以上1篇，共被各级载体采用2条次，采发率100.0%。" in text
    assert "办公室、规划股全年信息宣传工作成绩突出，评为2025年度信息宣传工作先进单位" in text
    assert f"{TRICKY_PERSON}（办公室）、李四（规划股）评为2025年度信息宣传工作先进个人" in text
    assert "信息员A01（办公室）、信息员A02（规划股）评为2025年度优秀信息员" in text
    assert (
        f"{TRICKY_UNIT}：报送数0篇，未达年度报送任务1篇；采用数0篇，未达年度采用任务1篇，考核不达标，"
        "取消该单位及其负责人李所长2025年度评优资格。"
    ) in text


def test_annex_holds_the_assessment_table_on_a_page_of_its_own(word):
    label = next(p for p in word.paragraphs if p.text == "附件")
    assert label.style.paragraph_format.page_break_before
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells][:4] == ["排名", "单位", "报送任务", "报送数"]
    # broken into two even lines, not 考核结 / 果
    assert [c.text for c in table.rows[0].cells][7:] == ["考核\n结果", "评优\n资格", "先进\n单位"]
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        ["1", "办公室", "1", "1", "1", "1", "20", "达标", "具备", "是"],
        ["2", "规划股", "1", "1", "1", "1", "5", "达标", "具备", "是"],
        ["3", TRICKY_UNIT, "1", "0", "1", "0", "0", "不达标", "取消", ""],
        # by hand: targets 1 + 1 + 1, counts 1 + 1 + 0, points 20 + 5 + 0
        ["", "合计", "3", "2", "3", "2", "25", "", "", ""],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_libreoffice_prints_it_on_a4_with_the_annex_last(rendered, tmp_path):
    tools.require(tools.SOFFICE)
    pdf = rendered.pdf or tools.to_pdf(rendered.docx, tmp_path)
    pages = tools.pdf_pages(pdf)
    assert pages >= 2

    def page_text(n: int) -> str:  # pdftotext spaces digits apart from Chinese text
        return "".join(tools.pdf_text(pdf, page=n).split())

    assert "关于2025年度信息宣传工作考核结果的通报" in page_text(1)
    assert "—1—" in page_text(1)
    last = page_text(pages)
    assert "2025年度信息宣传工作年终考核结果" in last and "2026年1月8日印发" in last


GOLDEN = Path(__file__).parents[1] / "golden" / "年度通报.html"


def test_the_html_page_matches_the_golden_file():
    # After an intended change: REGENERATE_GOLDEN=1 python -m pytest tests/documents/test_year_circular.py -k golden
    page = documents.render_html_text(year_circular.KIND, year_circular.circular_context(_year_end(), TODAY))
    if os.environ.get("REGENERATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_the_year_circulars_word_file_passes_the_strict_reader_and_its_pdf_names_and_uses_only_simplified_chinese_faces(
    rendered,
):
    assert strict_files.problems(rendered.docx) == []
    tools.require(tools.SOFFICE)
    tools.require("pdffonts")
    strict_files.require_noto_cjk()
    assert rendered.pdf is not None, rendered.note
    pdf = rendered.pdf
    assert all("CJK" in name for name in strict_files.pdf_font_names(pdf))
    assert strict_files.not_simplified_chinese(pdf) == []
    assert strict_files.cjk_faces(pdf) <= {"Noto Serif CJK SC", "Noto Sans CJK SC"}


def test_the_year_results_say_who_decided_them_the_method_applied_and_who_to_call(word):
    text = _text(word)
    assert "按照《2025年度信息宣传工作考核办法》" in text
    assert (
        "经局党组研究决定，评选先进单位2个、先进个人2名、优秀信息员2名，"
        "取消1个考核不达标单位及其负责人的年度评优资格。现将考核结果通报如下：" in text
    )
    assert "各股室、所：" in text
    assert "（联系人：信息员A01，联系电话：0539-0000000）" in text
    assert "抄送：局领导班子成员。" in text


def test_the_deciding_body_s_wording_comes_from_the_plan():
    year_end = _year_end()
    rules = dataclasses.replace(year_end.plan.rules, decision="经局长办公会议研究决定", recipients="局属各单位")
    year_end = dataclasses.replace(year_end, plan=dataclasses.replace(year_end.plan, rules=rules))
    context = year_circular.circular_context(year_end, TODAY)
    assert context["intro"].count("经局长办公会议研究决定，评选先进单位2个") == 1
    assert "局党组" not in context["intro"]
    assert context["recipients"] == "局属各单位："


def test_only_the_last_paragraph_before_the_signature_is_kept_with_it(word):
    # 下步要求 has two paragraphs here (a unit failed): keeping both with the signature moved the
    # whole section to the next page, leaving a third of a page blank
    first = next(p for p in word.paragraphs if p.text.startswith("各单位要对照考核结果"))
    last = next(p for p in word.paragraphs if p.text.startswith("未完成2025年度任务的单位"))
    assert not first.paragraph_format.keep_with_next
    assert last.paragraph_format.keep_with_next


def test_a_body_whose_circulars_sum_units_by_group_charts_its_first_units_by_points(monkeypatch):
    # The three units score A01 (省级) > A02 (县级) > A03 (nothing); with a chart of two, the
    # first two are drawn, highest first, and the title says so.
    year_end = _year_end()
    rules = dataclasses.replace(year_end.plan.rules, annex_grouping=AnnexGrouping.CATEGORY)
    grouped = dataclasses.replace(year_end, plan=dataclasses.replace(year_end.plan, rules=rules))
    monkeypatch.setattr(circular_groups, "RANKING_SHOWN", 2)
    chart = year_circular.circular_context(grouped, TODAY)["chart"]
    assert chart["labels"] == ["办公室", "规划股"]
    assert chart["values"][0] > chart["values"][1]
    assert chart["title"] == "2025年全年得分前2位的单位"
    assert len(year_circular.circular_context(_year_end(), TODAY)["chart"]["labels"]) == 3
