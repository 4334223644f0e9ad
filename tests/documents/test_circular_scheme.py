"""What a circular says when the plan counts by the office's own 考核办法: the 办法 (考核办法名称)
named under the ranking as what 得分 is counted by, the scheme's points in the tables, the units that missed a 约稿 or
sent it late and the period's events. 方案6 (广元) through the first quarter, by hand in
tests/scoring/test_scheme_month.guangyuan_quarter: 利州区政府办公室 (GY01) 18.5, 市发改委 (GY02)
−10 for an event, 市交通局 (GY03) −10 for the 约稿 it never sent."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pipeline.documents import circular, circular_scheme, documents
from pipeline.scoring import periods
from tests import strict_files
from tests.scoring.test_scheme_month import Q1, all_forms, feedback_event, guangyuan_plan, guangyuan_quarter

NAME = "广元市政务信息工作计分办法"


def named(plan, name=NAME):
    return dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, method=name))


def quarter_context(plan, rows=None):
    figures = periods.figures(
        guangyuan_quarter() if rows is None else rows, all_forms(), list(Q1), plan, periods.quarter("2025Q1")
    )
    return circular.context(figures, plan, issued=dt.date(2025, 4, 8))


def test_the_quarters_tables_show_the_schemes_points(tmp_path):
    shown = quarter_context(guangyuan_plan(tmp_path, [feedback_event()]))
    points = {r["unit"]: (r["points"], r["points_ytd"], r["rank"]) for r in shown["ranking"]}
    assert points == {
        "利州区政府办公室": ("18.5", "18.5", "1"),
        "市发改委": ("-10", "-10", "2"),
        "市交通局": ("-10", "-10", "2"),
    }
    annex = {r["unit"]: (r["points"], r["adoptions"]) for r in shown["annex1"]}
    # GY01's five adoptions: A, B, C as text and as picture, E
    assert annex["利州区政府办公室"] == ("18.5", "5")


def test_the_ranking_note_says_points_are_the_office_s_own_method_s(tmp_path):
    shown = quarter_context(named(guangyuan_plan(tmp_path)))
    assert f"根据《{NAME}》，" in shown["intro"]
    assert shown["ranking_note"].endswith(f"得分按《{NAME}》计算，含约稿、考核事项等加减分。")


def test_a_scheme_plan_without_a_method_name_cites_the_years_default_method(tmp_path):
    shown = quarter_context(guangyuan_plan(tmp_path))
    assert "得分按《2025年度信息宣传工作考核办法》计算，含约稿、考核事项等加减分。" in shown["ranking_note"]


def test_a_plan_without_a_scheme_says_nothing_of_scheme_points(tmp_path):
    plan = dataclasses.replace(guangyuan_plan(tmp_path), scheme=None)
    figures = periods.figures(guangyuan_quarter(), all_forms(), list(Q1), plan, periods.quarter("2025Q1"))
    assert circular_scheme.points_note(figures, plan) == ""
    assert circular_scheme.sections(figures, plan.unit_name) == []


def test_units_that_missed_a_commission_and_the_periods_events_are_named_with_their_points(tmp_path):
    shown = quarter_context(guangyuan_plan(tmp_path, [feedback_event()]))
    sections = {s["heading"]: s["paragraphs"] for s in shown["problems"]}
    assert sections["（四）未按要求完成约稿的单位"] == [
        "约稿YG2025-01（一季度经济运行专题）（截止3月20日），未报送的有市交通局（扣10分）。"
        "请上述单位高度重视约稿任务，今后按时保质报送。"
    ]
    assert sections["（五）考核事项加减分"] == ["2月14日，市发改委批示要求反馈的信息不报或迟报（春耕情况），扣10分。"]


def test_a_quarter_where_every_commission_was_on_time_and_nothing_happened_adds_no_section(tmp_path):
    plan = guangyuan_plan(tmp_path)
    late_free = guangyuan_quarter()
    late_free = late_free[late_free["单位代码"] != "GY02"]  # GY03 still misses YG2025-01
    plan = dataclasses.replace(
        plan,
        scheme=dataclasses.replace(
            plan.scheme,
            commissions={k: dataclasses.replace(c, units=("GY01",)) for k, c in plan.scheme.commissions.items()},
        ),
    )
    headings = [s["heading"] for s in quarter_context(plan, late_free)["problems"]]
    assert not any("约稿" in h or "考核事项" in h for h in headings)


def test_the_schemes_circular_renders_to_a_word_file_a_strict_reader_accepts(tmp_path):
    shown = quarter_context(named(guangyuan_plan(tmp_path, [feedback_event()])))
    rendered = documents.render(circular.KIND, shown, tmp_path / "out", "季度通报")
    assert strict_files.problems(rendered.docx) == []
    text = rendered.html.read_text(encoding="utf-8")
    assert "未按要求完成约稿的单位" in text and "考核事项加减分" in text


def test_a_schemes_own_instruction_levels_are_the_quarters_instructed_pieces(tmp_path):
    # B received a 市政府领导 批示 (方案6's own 批示级别) in February
    plan = guangyuan_plan(tmp_path)
    figures = periods.figures(guangyuan_quarter(), all_forms(), list(Q1), plan, periods.quarter("2025Q1"))
    assert figures.totals.instructed == 1
    assert figures.instructed[[periods.TITLE, periods.LEVEL]].values.tolist() == [["B", "市政府领导"]]
    shown = circular.context(figures, plan, issued=dt.date(2025, 4, 8))
    assert any("获领导批示的稿件" in s["heading"] for s in shown["praise"])
