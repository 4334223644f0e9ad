"""A large body's year circular (年度通报) sums its assessed units by group in its annex, as the
quarter's 附件1 does, and counts by group (or names the first of) the units and persons that a
county's names one by one, saying where in 年终考核表.xlsx the whole list is.

The first figures are test_year_circular.py's year (its per-unit annex is checked there):

    unit      category    targets (sent/adopted)  sent  adopted  points  result  eligibility  先进单位
    办公室    股室        1 / 1                    1     1        20      达标    具备          是
    规划股    股室        1 / 1                    1     1        5       达标    具备          是
    (tricky)  国土资源所  1 / 1                    0     0        0       不达标  取消
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from docx import Document

from pipeline.core import labels as L
from pipeline.documents import circular_groups, documents, pdf, year_circular
from pipeline.plan.rules import AnnexGrouping
from pipeline.scoring import assessment as A
from tests import tools
from tests.documents.test_year_circular import TODAY, YEAR, _year_end
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

SUMMED = ("sent_target", "sent", "adopt_target", "adopted", "points")


def _grouped(year_end: A.YearEnd, grouping: AnnexGrouping, groups: dict[str, str] | None = None) -> A.YearEnd:
    plan = year_end.plan
    units = plan.units if groups is None else plan.units.assign(**{L.P_GROUP: pd.Series(groups)})
    rules = dataclasses.replace(plan.rules, annex_grouping=grouping)
    return dataclasses.replace(year_end, plan=dataclasses.replace(plan, units=units, rules=rules))


def test_the_annex_of_a_grouped_year_sums_each_category_in_roster_order_and_ends_with_the_total():
    context = year_circular.circular_context(_grouped(_year_end(), AnnexGrouping.CATEGORY), TODAY)
    assert context["annex_title"] == "2025年度信息宣传工作年终考核结果\n（按单位类别汇总）"
    assert context["annex_grouped"] is True
    assert context["annex"] == [
        {
            "unit": "股室",
            "units": "2",
            "sent_target": "2",
            "sent": "2",  # 1 + 1
            "adopt_target": "2",
            "adopted": "2",
            "points": "25",  # 20 + 5
            "passed": "2",
            "ineligible": "0",
            "top": "2",
        },
        {
            "unit": "国土资源所",
            "units": "1",
            "sent_target": "1",
            "sent": "0",
            "adopt_target": "1",
            "adopted": "0",
            "points": "0",
            "passed": "0",
            "ineligible": "1",
            "top": "0",
        },
        {
            "unit": "合计",
            "units": "3",
            "sent_target": "3",
            "sent": "2",
            "adopt_target": "3",
            "adopted": "2",
            "points": "25",
            "passed": "2",
            "ineligible": "1",
            "top": "2",
        },
    ]


def test_the_groups_add_up_to_the_total_row_and_the_total_is_the_per_unit_annexs():
    # 分组 splits the 股室: 东区 = 办公室 + the tricky 所 (20 + 0 points), 西区 = 规划股 (5)
    year_end = _year_end()
    grouped = _grouped(year_end, AnnexGrouping.GROUP, {"A01": "东区", "A02": "西区", "A03": "东区"})
    *groups, total = year_circular.circular_context(grouped, TODAY)["annex"]
    *units, unit_total = year_circular.circular_context(year_end, TODAY)["annex"]
    assert [(g["unit"], g["units"], g["points"], g["sent"]) for g in groups] == [
        ("东区", "2", "20", "1"),
        ("西区", "1", "5", "1"),
    ]
    for key in SUMMED:
        assert sum(float(g[key]) for g in groups) == float(total[key]) == sum(float(u[key]) for u in units), key
        assert total[key] == unit_total[key], key
    assert total["units"] == str(len(units)) == "3"


def test_a_grouped_year_says_where_every_units_results_are():
    said = year_circular.circular_context(_grouped(_year_end(), AnnexGrouping.CATEGORY), TODAY)
    results = next(s for s in said["sections"] if s["heading"] == "二、考核结果")["paragraphs"][0]
    assert results.endswith(
        "各单位考核结果按单位类别汇总见附件；每个单位的得分、排名、考核结果和评优资格，"
        "见与本通报同一文件夹中的《年终考核表.xlsx》“单位考核”表。"
    )
    # a few names still fit a paragraph: the county's sentences, word for word
    county = year_circular.circular_context(_year_end(), TODAY)
    assert said["sections"][2:] == county["sections"][2:]


def _long_year() -> A.YearEnd:
    # Four assessed units (targets 1 / 1), two not assessed; 办公室 and 规划股 joined in July (a
    # note each on the annex) and pass, the two 所 send nothing and fail; one author each.
    units = [
        ("A01", "办公室", "股室", True),
        ("A02", "规划股", "股室", True),
        ("A03", "城关所", "国土资源所", True),
        ("A04", "河口所", "国土资源所", True),
        ("N01", "人事股", "股室", False),
        ("N02", "档案室", "股室", False),
    ]
    plan = make_plan(units=units, targets={code: (1, 1, math.nan, 0) for code in ("A01", "A02", "A03", "A04")})
    roster = plan.units.assign(**{L.P_START_MONTH: [7, 7, 1, 1, 1, 1]})
    rules = dataclasses.replace(plan.rules, annex_grouping=AnnexGrouping.CATEGORY)
    plan = dataclasses.replace(plan, units=roster, rules=rules)
    records = [
        row("A01", "甲", "2025-08", level="省级", authors="张三"),
        row("A02", "乙", "2025-09", level="县级", authors="李四"),
    ]
    returns = all_returned(YEAR, tuple(code for code, *_ in units))
    return A.assess_year(rows_frame(records), returns, YEAR, plan, {"A03": "王所长", "A04": "赵所长"})


@pytest.fixture
def one_named(monkeypatch):
    monkeypatch.setattr(circular_groups, "NAMED_AT_MOST", 1)


def _said(context: dict, heading: str) -> list[str]:
    section = next(s for s in context["sections"] if s["heading"] == heading)
    return section["paragraphs"] + [p for sub in section["subsections"] for p in sub["paragraphs"]]


def test_beyond_the_names_a_paragraph_holds_the_commended_are_the_first_and_等n_with_where_the_list_is(one_named):
    praise = _said(year_circular.circular_context(_long_year(), TODAY), "三、表扬")
    assert praise == [
        "办公室等2个单位全年信息宣传工作成绩突出，评为2025年度信息宣传工作先进单位，予以通报表扬。"
        "名单见《年终考核表.xlsx》“单位考核”表中“先进单位”为“是”的单位。",
        "张三（办公室）等2名同志评为2025年度信息宣传工作先进个人。"
        "名单见《年终考核表.xlsx》“个人”表中“先进个人”为“是”的人员。",
        "信息员A01（办公室）等2名同志评为2025年度优秀信息员。"
        "名单见《年终考核表.xlsx》“个人”表中“优秀信息员”为“是”的人员。",
    ]


def test_units_losing_eligibility_and_units_not_assessed_are_counted_by_group_when_too_many(one_named):
    context = year_circular.circular_context(_long_year(), TODAY)
    assert _said(context, "四、取消评优资格") == [
        "取消2个单位（国土资源所2个）及其负责人2025年度评优资格，其中考核不达标的2个；"
        "名单见《年终考核表.xlsx》“单位考核”表中“评优资格”为“取消”的单位，原因见该表“备注”列。"
    ]
    results = _said(context, "二、考核结果")[0]
    assert (
        "2个单位不参加考核（股室2个），不列入排名，"
        "名单见《年终考核表.xlsx》“单位考核”表中“不参加考核的单位”部分。" in results
    )
    assert "人事股" not in results and "王所长" not in str(context["sections"])


def test_the_annex_note_counts_the_units_with_a_note_when_too_many_to_name(one_named):
    note = year_circular.circular_context(_long_year(), TODAY)["annex_note"]
    assert note.endswith(
        "2个达标单位的备注（年中起参加考核、得分并列的处理等）见《年终考核表.xlsx》“单位考核”表“备注”列。"
    )
    assert "办公室：" not in note


def test_a_county_names_every_unit_however_many_lose_eligibility(one_named):
    year_end = _grouped(_long_year(), AnnexGrouping.UNITS)  # the same year, listed unit by unit
    context = year_circular.circular_context(year_end, TODAY)
    assert [p.split("：")[0] for p in _said(context, "四、取消评优资格")] == ["城关所", "河口所"]
    assert "人事股、档案室不参加考核，不列入排名。" in _said(context, "二、考核结果")[0]
    assert context["annex_grouped"] is False and len(context["annex"]) == 5  # four units and 合计


def test_word_and_html_print_the_annex_of_groups_with_its_own_header(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    grouped = _grouped(_year_end(), AnnexGrouping.CATEGORY)
    rendered = year_circular.write_year_circular(grouped, tmp_path, TODAY)
    table = Document(rendered.docx).tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "单位",
        "单位数",
        "报送\n任务",
        "报送数",
        "采用\n任务",
        "采用数",
        "得分",
        "考核\n达标",
        "取消\n评优",
        "先进\n单位",
    ]
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        ["股室", "2", "2", "2", "2", "2", "25", "2", "0", "2"],
        ["国土资源所", "1", "1", "0", "1", "0", "0", "0", "1", "0"],
        ["合计", "3", "3", "2", "3", "2", "25", "2", "1", "2"],
    ]
    paragraphs = Document(rendered.docx).paragraphs
    titles = [p.text for p in paragraphs if p.style.name == "附件标题"]
    assert titles == ["2025年度信息宣传工作年终考核结果\n（按单位类别汇总）"]  # broken before its bracket
    # 附件说明 wraps where its line ends (a justified line before a break would be spread out)
    assert [p.text for p in paragraphs if p.style.name == "附件说明"] == [
        "附件：2025年度信息宣传工作年终考核结果（按单位类别汇总）"
    ]
    page = documents.render_html_text(year_circular.KIND, year_circular.circular_context(grouped, TODAY))
    assert '<p class="annex-title">2025年度信息宣传工作年终考核结果（按单位类别汇总）</p>' in page
    assert "<th>单位数</th>" in page and "<th>排名</th>" not in page
    assert "<tr><td>国土资源所</td><td>1</td><td>1</td><td>0</td>" in page


def test_libreoffice_prints_a_provinces_group_sums_and_labels_each_on_one_line(tmp_path):
    tools.require(tools.SOFFICE)
    context = year_circular.circular_context(_grouped(_year_end(), AnnexGrouping.CATEGORY), TODAY)
    total = context["annex"][-1]
    total.update(units="3000", sent_target="90000", sent="5964910", adopt_target="43500", adopted="513960")
    total.update(points="1475303.5", passed="3000", ineligible="1200", top="300")
    rendered = documents.render(year_circular.KIND, context, tmp_path, year_circular.STEM)
    assert rendered.pdf is not None, rendered.note
    words = [word[4] for _, _, page in tools.pdf_words(rendered.pdf) for word in page]
    for shown in ("国土资源所", "5964910", "1475303.5", "90000", "43500", "513960", "3000", "1200", "300"):
        assert shown in words, shown
