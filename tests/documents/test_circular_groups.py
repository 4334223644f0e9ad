"""A large body's circular sums its units by group in 附件1 (单位类别 or the roster's 分组),
shows the first units only in its ranking, lists the adoptions at 省级 or above in 附件2, and
names the workbook beside it that holds every unit and every adoption.

The figures are those of tests/documents/test_circular.py's first quarter (its per-unit annex is
checked there); the grouped rows here are summed by hand from those per-unit rows:

    unit    category    sent adopted adoptions points ytd-sent ytd-adopted deductions  targets  progress  on time
    城关所  国土资源所    1     1       1        50      1         1          0        12/6    滞后      迟报1次
    办公室  股室          3     2       3        25      3         2          0        12/6    正常      按时
    规划股  股室          1     0       0        -2      1         0          2        12/6    滞后      未报送1次
    人事股  股室          1     1       1         5      1         1          0        (not assessed)
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.documents import circular, circular_groups, circular_workbook, documents
from pipeline.files.sheets import EXCEL_ROW
from pipeline.plan import fingerprint
from pipeline.plan.rules import AUTO_GROUPED_ABOVE, AnnexGrouping, read_rules
from pipeline.scoring import periods
from pipeline.xlsx import big_table
from tests import strict_files
from tests.documents.test_circular import PLAN, Q1, _figures
from tests.scoring_helpers import make_plan


def _plan(grouping: AnnexGrouping, groups: dict[str, str] | None = None, plan=PLAN):
    units = plan.units if groups is None else plan.units.assign(**{L.P_GROUP: pd.Series(groups)})
    return dataclasses.replace(plan, units=units, rules=dataclasses.replace(plan.rules, annex_grouping=grouping))


def _context(plan, **kwargs) -> dict:
    return circular.context(_figures(Q1, plan=plan), plan, issued=dt.date(2025, 4, 3), **kwargs)


ZEROES = {"points_rate": "", "rank": "—"}


def test_a_grouped_annex_sums_each_category_in_roster_order_and_ends_with_the_total():
    plan = _plan(AnnexGrouping.CATEGORY)
    annex = _context(plan)["annex1"]
    assert annex == [
        {
            "unit": "股室\n3个单位",
            "sent": "5",  # 3 + 1 + 1
            "adopted": "3",
            "adoptions": "4",
            "points": "28",  # 25 - 2 + 5
            "sent_ytd": "5",
            "adopted_ytd": "3",
            "points_ytd": "28",
            "deductions": "2",
            "submit_rate": "16.7%",  # (3 + 1) / (12 + 12): 人事股 has no target
            "adopt_rate": "16.7%",  # (2 + 0) / (6 + 6)
            "progress": "滞后1个",
            "on_time": "未报送1次",
            **ZEROES,
        },
        {
            "unit": "国土资源所\n1个单位",
            "sent": "1",
            "adopted": "1",
            "adoptions": "1",
            "points": "50",
            "sent_ytd": "1",
            "adopted_ytd": "1",
            "points_ytd": "50",
            "deductions": "0",
            "submit_rate": "8.3%",
            "adopt_rate": "16.7%",
            "progress": "滞后1个",
            "on_time": "迟报1次",
            **ZEROES,
        },
        {
            "unit": "合计\n4个单位",
            "sent": "6",
            "adopted": "4",
            "adoptions": "5",
            "points": "78",
            "sent_ytd": "6",
            "adopted_ytd": "4",
            "points_ytd": "78",
            "deductions": "2",
            "submit_rate": "13.9%",  # 5 / 36
            "adopt_rate": "16.7%",  # 3 / 18
            "progress": "滞后2个",
            "on_time": "迟报1次，未报送1次",
            **ZEROES,
        },
    ]


def test_the_groups_add_up_to_the_total_row_and_the_per_unit_annex():
    plan = _plan(AnnexGrouping.GROUP, {"A01": "东区", "A02": "西区", "A03": "东区", "N01": "西区"})
    *groups, total = _context(plan)["annex1"]
    *units, unit_total = _context(PLAN)["annex1"]  # the per-unit annex ends with its own 合计 row
    for key in ("sent", "adopted", "adoptions", "points", "sent_ytd", "adopted_ytd", "points_ytd", "deductions"):
        assert sum(float(g[key]) for g in groups) == float(total[key]) == sum(float(u[key]) for u in units), key
        assert float(unit_total[key]) == float(total[key]), key
    assert [g["unit"] for g in groups] == ["东区\n2个单位", "西区\n2个单位"]
    # 东区 = 办公室 + 城关所: (3 + 1) / 24 sent, (2 + 1) / 12 adopted
    assert (groups[0]["submit_rate"], groups[0]["adopt_rate"]) == ("16.7%", "25.0%")


def test_units_without_a_group_are_summed_under_未分组_in_the_rosters_order():
    plan = _plan(AnnexGrouping.GROUP, {"A01": "东区", "A02": " ", "A03": "东区", "N01": "西区"})
    annex = _context(plan)["annex1"]
    assert [row["unit"] for row in annex] == [
        "东区\n2个单位",
        "未分组\n1个单位",
        "西区\n1个单位",
        "合计\n4个单位",
    ]
    assert (annex[1]["sent"], annex[1]["points"], annex[1]["progress"]) == ("1", "-2", "滞后1个")
    assert (annex[2]["progress"], annex[2]["submit_rate"]) == ("", "")  # 人事股 is not assessed


def _roster(count: int) -> list[tuple[str, str, str, bool]]:
    return [(f"U{i:03d}", f"第{i}单位", ("股室", "国土资源所")[i % 2], True) for i in range(count)]


def test_auto_lists_every_unit_of_a_county_and_groups_a_larger_body():
    assert circular_groups.grouped_by(PLAN) is None
    small, large = make_plan(units=_roster(AUTO_GROUPED_ABOVE)), make_plan(units=_roster(AUTO_GROUPED_ABOVE + 1))
    assert circular_groups.grouped_by(small) is None
    assert circular_groups.grouped_by(large) == L.P_UNIT_CATEGORY
    assert circular_groups.grouped_by(_plan(AnnexGrouping.AUTO, {"U000": "东区"}, plan=large)) == L.P_GROUP
    assert circular_groups.grouped_by(_plan(AnnexGrouping.UNITS, plan=large)) is None
    assert circular_groups.grouped_by(_plan(AnnexGrouping.CATEGORY)) == L.P_UNIT_CATEGORY


def test_a_grouped_circular_ranks_the_first_units_lists_high_adoptions_and_names_its_workbook(monkeypatch):
    monkeypatch.setattr(circular_groups, "RANKING_SHOWN", 2)
    context = _context(_plan(AnnexGrouping.CATEGORY), workbook="季度通报（更正）.xlsx")
    assert [r["unit"] for r in context["ranking"]] == ["城关所", "办公室"]
    assert context["chart"]["labels"] == ["城关所", "办公室"]
    assert context["chart"]["title"] == "2025年第一季度末累计得分前2位的单位累计得分"
    intro = context["ranking_intro"]
    assert "全局4个单位中，累计得分排名前2位的单位见下表" in intro
    assert "按单位类别汇总的情况见附件1" in intro
    assert "与本通报同一文件夹中的《季度通报（更正）.xlsx》" in intro
    assert context["annex1_title"] == "2025年第一季度得分情况统计表（按单位类别汇总）"
    assert context["annex2_title"] == "2025年第一季度省级以上采用稿件目录"
    assert [(a["no"], a["title"], a["level"]) for a in context["annex2"]] == [("1", "c1", "省级")]


def test_a_county_circular_is_not_changed_by_the_grouping_code():
    plain, listed = _context(PLAN), _context(_plan(AnnexGrouping.UNITS))
    assert plain == listed
    assert plain["annex1_title"] == "2025年第一季度各单位得分情况统计表" and len(plain["annex1"]) == 5  # 4 units, 合计
    assert "xlsx" not in plain["ranking_intro"]


def test_the_workbook_lists_every_unit_and_every_adoption_and_passes_the_strict_reader(tmp_path):
    assert circular_workbook.tables(_figures(Q1), PLAN) == []
    plan = _plan(AnnexGrouping.CATEGORY)
    path = big_table.save_tables(tmp_path / "季度通报.xlsx", circular_workbook.tables(_figures(Q1, plan=plan), plan))
    assert strict_files.problems(path) == []
    workbook = openpyxl.load_workbook(path)
    # Q1's one instructed piece, c1 (县级), has its own sheet too
    assert workbook.sheetnames == ["得分情况统计表", "采用稿件目录", "领导批示稿件目录"]
    assert list(workbook["领导批示稿件目录"].iter_rows(values_only=True)) == [
        ("序号", "稿件标题", "单位", "作者", "批示级别"),
        (1, "c1", "城关所", "赵六", "县级"),
    ]
    units = list(workbook["得分情况统计表"].iter_rows(values_only=True))
    assert units[0][:6] == ("单位", "单位类别", "本季度报送", "本季度采用", "本季度采用条次", "本季度得分")
    assert [row[:6] for row in units[1:]] == [
        ("城关所", "国土资源所", 1, 1, 1, 50),
        ("办公室", "股室", 3, 2, 3, 25),
        ("规划股", "股室", 1, 0, 0, -2),
        ("人事股", "股室", 1, 1, 1, 5),
    ]
    assert [row[-2:] for row in units[1:]] == [(1, "迟报1次"), (2, "按时"), (3, "未报送1次"), (None, "按时")]
    adoptions = list(workbook["采用稿件目录"].iter_rows(values_only=True))
    assert [(row[0], row[1], row[5]) for row in adoptions[1:]] == [
        (1, "a1", "县级"),
        (2, "c1", "省级"),
        (3, "a2", "市级"),
        (4, "n1", "县级"),
        (5, "a1", "市级"),
    ]
    assert adoptions[1][6] == dt.datetime(2025, 1, 10)


def _rules(value: str) -> pd.DataFrame:
    values = {
        L.R_MULTI_LEVEL: "累计",
        L.R_CO_WRITTEN: "均分",
        L.R_REWARD_SPLIT: "均分",
        L.R_MISSING_DEDUCTION: "2",
        L.R_SHORTFALL_DEDUCTION: "0",
        L.R_PASS: "数量",
        L.R_TOP_UNITS: "3",
        L.R_TOP_PERSONS: "5",
        L.R_DEADLINE_DAY: "5",
        L.R_ISSUER: "示范县国土资源局办公室",
        L.R_DOC_PREFIX: "示国土办",
        L.R_ANNEX_GROUPING: value,
    }
    return pd.DataFrame({L.R_PARAM: list(values), L.R_VALUE: list(values.values()), EXCEL_ROW: range(2, 14)})


@pytest.mark.parametrize(("value", "chosen"), [("", AnnexGrouping.AUTO), ("按分组", AnnexGrouping.GROUP)])
def test_the_plan_chooses_the_grouping_and_blank_means_auto(value, chosen):
    rules, problems = read_rules(_rules(value))
    assert problems == [] and rules.annex_grouping == chosen


def test_a_grouping_the_plan_does_not_know_is_refused_with_the_values_it_allows():
    rules, problems = read_rules(_rules("按城市"))
    assert rules is None
    assert [p.code for p in problems] == ["plan-rule-invalid"]
    assert "自动、逐单位、按单位类别、按分组（不填为自动）" in problems[0].message


def test_choosing_a_grouping_or_filling_groups_reprocesses_no_month():
    before = fingerprint.plan_lines(PLAN)
    after = fingerprint.plan_lines(_plan(AnnexGrouping.GROUP, {"A01": "东区"}))
    assert after == before


def _paragraphs(sections: list[dict]) -> dict[str, str]:
    return {s["heading"][3:]: "".join(s["paragraphs"]) for s in sections}


def test_a_grouped_circular_counts_the_units_it_would_name_by_group_and_names_its_workbook(monkeypatch):
    monkeypatch.setattr(circular_groups, "NAMED_AT_MOST", 0)
    context = _context(_plan(AnnexGrouping.CATEGORY))
    problems = _paragraphs(context["problems"])
    # behind: 城关所 (国土资源所) and 规划股 (股室), counted in the roster's order of the groups
    assert (
        "2个单位进度滞后（股室1个、国土资源所1个），名单见《季度通报.xlsx》“得分情况统计表”中进度为“滞后”的单位。"
        in (problems["进度滞后的单位"])
    )
    assert problems["采用为零的单位"].startswith("本季度有1个单位报送的稿件均未被采用（股室1个），")
    assert "报送为零的单位" not in problems
    forms = problems["未按时报送月度报表的单位"]
    assert forms.startswith("1个单位有月度报送表未报送（股室1个），请于")
    assert "；1个单位有迟报（国土资源所1个），请今后严格按照次月5日前的时限报送；名单见《季度通报.xlsx》" in forms
    praise = _paragraphs(context["praise"])
    assert praise["省级以上采用稿件"] == "本季度共有1篇次稿件被省级以上载体采用，目录见附件2。"


def test_a_grouped_circular_names_the_units_while_they_are_few():
    grouped, listed = _context(_plan(AnnexGrouping.CATEGORY)), _context(PLAN)
    assert grouped["problems"] == listed["problems"] and grouped["praise"] == listed["praise"]


def test_a_grouped_circular_with_many_provincial_adoptions_lists_the_national_ones(monkeypatch):
    monkeypatch.setattr(circular_groups, "LISTED_AT_MOST", 0)
    monkeypatch.setattr(circular_groups, "NAMED_AT_MOST", 0)
    context = _context(_plan(AnnexGrouping.CATEGORY))
    assert (context["annex2_title"], context["annex2"]) == ("2025年第一季度国家级采用稿件目录", [])  # c1 is 省级
    assert "国家级载体采用的稿件见附件2" in context["ranking_intro"]
    assert _paragraphs(context["praise"])["省级以上采用稿件"] == (
        "本季度共有1篇次稿件被省级以上载体采用（均为省级），目录见《季度通报.xlsx》。"
    )
    figures = _figures(Q1, plan=_plan(AnnexGrouping.CATEGORY))  # c1 made 国家级 below
    adoptions = figures.adoptions.assign(**{periods.LEVEL: figures.adoptions[periods.LEVEL].replace("省级", "国家级")})
    summed = circular_groups.Summed(L.P_UNIT_CATEGORY, "季度通报.xlsx")
    assert circular_groups.high_praise(
        dataclasses.replace(figures, adoptions=adoptions), _plan(AnnexGrouping.CATEGORY), 1, summed
    ) == ("本季度共有1篇次稿件被省级以上载体采用，其中国家级1篇次，目录见附件2；全部采用稿件目录见《季度通报.xlsx》。")


def _instructed(levels: list[str]) -> pd.DataFrame:
    """Pieces with a 领导批示 as `periods.figures` gives them: highest level first, then by title."""
    order = {"省级": 0, "市级": 1, "县级": 2}
    levels = sorted(levels, key=order.__getitem__)
    return pd.DataFrame(
        {
            periods.TITLE: [f"p{i:02d}" for i in range(len(levels))],
            periods.UNIT_NAMES: ["办公室"] * len(levels),
            periods.AUTHORS: ["张三"] * len(levels),
            periods.LEVEL: levels,
        }
    )


def _instructions_paragraph(plan, levels: list[str]) -> str:
    figures = dataclasses.replace(_figures(Q1, plan=plan), instructed=_instructed(levels))
    context = circular.context(figures, plan, issued=dt.date(2025, 4, 3))
    return next(s for s in context["praise"] if s["heading"].endswith("获领导批示的稿件"))["paragraphs"][0]


def test_a_grouped_circular_with_31_instructed_pieces_counts_them_names_the_highest_level_and_its_workbook_sheet():
    # 2 at 省级, 4 at 市级, 25 at 县级: 31 in all, one more than a paragraph names
    text = _instructions_paragraph(_plan(AnnexGrouping.CATEGORY), ["省级"] * 2 + ["市级"] * 4 + ["县级"] * 25)
    assert text == (
        "本季度共有31篇稿件获得领导批示（省级2篇、市级4篇、县级25篇），目录见《季度通报.xlsx》“领导批示稿件目录”；"
        "其中获省级领导批示的是办公室张三撰写的《p00》、办公室张三撰写的《p01》。"
    )


def test_a_grouped_circular_with_more_than_30_at_the_highest_level_names_none_of_them():
    text = _instructions_paragraph(_plan(AnnexGrouping.CATEGORY), ["市级"] * 31 + ["县级"] * 3)
    assert text == "本季度共有34篇稿件获得领导批示（市级31篇、县级3篇），目录见《季度通报.xlsx》“领导批示稿件目录”。"
    alike = _instructions_paragraph(_plan(AnnexGrouping.CATEGORY), ["县级"] * 31)
    assert alike == "本季度共有31篇稿件获得领导批示（均为县级），目录见《季度通报.xlsx》“领导批示稿件目录”。"


def test_a_grouped_circular_with_30_instructed_pieces_still_names_each():
    text = _instructions_paragraph(_plan(AnnexGrouping.CATEGORY), ["县级"] * 30)
    assert text.startswith("本季度共有30篇稿件获得领导批示：办公室张三撰写的《p00》获县级领导批示；")
    assert text.count("获县级领导批示") == 30 and "xlsx" not in text


def test_a_county_circular_names_every_one_of_31_instructed_pieces():
    text = _instructions_paragraph(PLAN, ["省级"] * 2 + ["县级"] * 29)
    assert text.startswith(
        "本季度共有31篇稿件获得领导批示：办公室张三撰写的《p00》获省级领导批示；办公室张三撰写的《p01》获省级领导批示；"
    )
    assert text.count("获县级领导批示") == 29 and text.endswith("《p30》获县级领导批示。")


def test_the_workbook_lists_every_instructed_piece_highest_level_first(tmp_path):
    plan = _plan(AnnexGrouping.CATEGORY)
    figures = dataclasses.replace(_figures(Q1, plan=plan), instructed=_instructed(["县级", "省级", "市级"] * 11))
    path = big_table.save_tables(tmp_path / "季度通报.xlsx", circular_workbook.tables(figures, plan))
    assert strict_files.problems(path) == []
    rows = list(openpyxl.load_workbook(path)["领导批示稿件目录"].iter_rows(values_only=True))
    assert len(rows) == 1 + 33
    assert rows[1] == (1, "p00", "办公室", "张三", "省级")
    assert [row[4] for row in rows[1:]] == ["省级"] * 11 + ["市级"] * 11 + ["县级"] * 11
    assert rows[-1] == (33, "p32", "办公室", "张三", "县级")


def test_a_grouped_circular_counts_its_units_not_assessed_by_group_when_too_many_to_name(monkeypatch):
    plan = _plan(AnnexGrouping.CATEGORY)
    assert _context(plan)["ranking_note"].endswith("人事股不参加考核，未列入排名。")
    monkeypatch.setattr(circular_groups, "NAMED_AT_MOST", 0)
    # 人事股 (股室) is the only unit not assessed
    assert _context(plan)["ranking_note"].endswith(
        "1个单位不参加考核（股室1个），未列入排名，名单见《季度通报.xlsx》“得分情况统计表”中排名为空的单位。"
    )


def test_a_grouped_circular_without_adoptions_to_list_in_its_annex_says_so_under_it():
    plan = _plan(AnnexGrouping.CATEGORY)
    assert _context(plan)["annex2_note"] == "" and _context(PLAN)["annex2_note"] == ""
    figures = _figures(Q1, plan=plan)
    # Q1 without c1, its one adoption at 省级
    county_level = figures.adoptions[~figures.adoptions[periods.LEVEL].isin(["省级", "国家级"])]
    context = circular.context(
        dataclasses.replace(figures, adoptions=county_level), plan, issued=dt.date(2025, 4, 3), workbook="季度通报.xlsx"
    )
    assert context["annex2"] == []
    assert (
        context["annex2_note"]
        == "注：本季度没有稿件被省级以上载体采用，全部采用稿件目录见《季度通报.xlsx》“采用稿件目录”。"
    )


def test_a_grouped_circulars_web_page_has_no_排名_column_in_附件1_and_its_labels_keep_their_two_lines():
    page = documents.render_html_text(circular.KIND, _context(_plan(AnnexGrouping.CATEGORY)))
    annex1 = page.split('<p class="annex-label">附件1</p>')[1].split("</table>")[0]
    assert "<th>排名</th>" not in annex1 and "—" not in annex1
    rows = annex1.split("<tbody>")[1].split("</tr>")[:-1]
    columns = annex1.count("<col ") + annex1.count("<col>")  # a width for each header
    assert columns == annex1.count("<th>") == 13  # 得分完成率 hidden: no unit has a points target
    assert [row.count("<td") for row in rows] == [columns] * 3
    assert '<td style="white-space: pre-line">股室\n3个单位</td>' in rows[0]
    county = documents.render_html_text(circular.KIND, _context(PLAN))
    assert county.count("<th>排名</th>") == 2  # the ranking's and 附件1's
