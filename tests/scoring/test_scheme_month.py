"""The month's scoring counts by the plan's scheme when it has one: points, deductions, persons,
row points, the rows' reasons and the receipt's lines come from the scheme engine, the months add
up to the year to date, and a scheme restating today's rules gives today's figures."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.scheme_labels import SCHEME_FORM_COLUMNS as S_COLUMNS
from pipeline.plan.scheme_model import Event, Scheme, Vocabulary
from pipeline.scoring import periods
from pipeline.scoring import piece_worth as PW
from pipeline.scoring import pieces as PC
from pipeline.scoring import scheme_points as SP
from pipeline.scoring import scheme_units as SU
from pipeline.scoring import scoring as S
from tests.scheme_helpers import row, scheme_plan
from tests.scoring.test_scoring import ledgers
from tests.scoring_helpers import empty_rows, returns_frame, rows_frame

PROPERTY = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
Q1 = ("2025-01", "2025-02", "2025-03")
FEEDBACK = "批示要求反馈的信息不报或迟报"


def ledger(*records: dict) -> pd.DataFrame:
    """Scheme rows (with 采用形式, 约稿编号 … as str columns) in the ledger's shape."""
    table = [{c: r.get(c, "") for c in L.TABLE_COLUMNS} | r for r in records]
    frame = rows_frame(table)
    for column in S_COLUMNS:
        frame[column] = [r[column] for r in records]
    return frame


def guangyuan_plan(tmp_path, events=()):
    """方案6 as shipped, with the office's 事件登记 given here."""
    plan = scheme_plan(tmp_path, "方案6-广元市政务信息.xlsx")
    return dataclasses.replace(plan, scheme=dataclasses.replace(plan.scheme, events=tuple(events)))


def guangyuan_quarter():
    """GY01's first quarter under 方案6, and GY02's and GY03's 约稿 YG2025-01 (due 20 March).

    By hand (方案6: 《政务晨讯》 2, 《政务参阅》 5, portal 文字 1 / 图片 0.5, 市政府领导批示 +5,
    an adopted 约稿 scores 5 instead of its outlet, a 约稿 not sent by its deadline −10):
    - January: A in 《政务晨讯》 → GY01 2.
    - February: B in 《政务参阅》 with a 市政府领导 批示 → 5 + 5 = 10; C on the portal as text and
      picture → 1 + 0.5 = 1.5; GY01 11.5, year to date 13.5. GY02's event (14 Feb) → −10.
    - March: E delivers YG2025-01 on 15 March and is adopted → 5 (not 2); GY01 5, year to date
      18.5. GY02 delivered F on 10 March (按时, +0); GY03 sent nothing → −10.
    """
    return ledger(
        row("GY01", "A", "政务信息", outlet="政务晨讯", sent="2025-01-10", adopted="2025-01-20"),
        row(
            "GY01",
            "B",
            "政务信息",
            outlet="《政务参阅》",
            sent="2025-02-03",
            adopted="2025-02-06",
            instruction="市政府领导",
        ),
        row("GY01", "C", "政务信息", outlet="市政府门户网站", use_form="文字", sent="2025-02-03", adopted="2025-02-07"),
        row("GY01", "C", "政务信息", outlet="市政府门户网站", use_form="图片", sent="2025-02-03", adopted="2025-02-07"),
        row(
            "GY01",
            "E",
            "政务信息",
            outlet="《政务晨讯》",
            sent="2025-03-15",
            adopted="2025-03-25",
            commission="YG2025-01",
        ),
        row("GY02", "F", "政务信息", sent="2025-03-10", commission="YG2025-01"),
    )


def all_forms(months=Q1, codes=("GY01", "GY02", "GY03")) -> pd.DataFrame:
    return returns_frame([(m, c, f"{m}-28") for m in months for c in codes])


def feedback_event() -> Event:
    return Event("GY02", dt.date(2025, 2, 14), FEEDBACK, "春耕情况", -10.0, False)


def month_figures(scores: S.Scores, column: str) -> dict[str, float]:
    return dict(zip(scores.units[L.UNIT_CODE], scores.units[column], strict=True))


def test_guangyuan_unit_points_by_month_follow_the_hand_count(tmp_path):
    plan, rows = guangyuan_plan(tmp_path, [feedback_event()]), guangyuan_quarter()
    scores = {m: S.score_month(rows, all_forms(), list(Q1), plan, m) for m in Q1}
    assert month_figures(scores["2025-01"], OL.POINTS_MONTH) == {"GY01": 2, "GY02": 0, "GY03": 0}
    assert month_figures(scores["2025-02"], OL.POINTS_MONTH) == {"GY01": 11.5, "GY02": -10, "GY03": 0}
    assert month_figures(scores["2025-03"], OL.POINTS_MONTH) == {"GY01": 5, "GY02": 0, "GY03": -10}
    assert month_figures(scores["2025-03"], OL.POINTS_YTD) == {"GY01": 18.5, "GY02": -10, "GY03": -10}
    # 采用条次 of February: B once, C as text and as picture (two adoptions of one piece)
    assert month_figures(scores["2025-02"], OL.ADOPTIONS_MONTH)["GY01"] == 3
    assert month_figures(scores["2025-02"], OL.ADOPTED_MONTH)["GY01"] == 2


def test_guangyuan_months_add_up_to_the_year_to_date(tmp_path):
    plan, rows = guangyuan_plan(tmp_path, [feedback_event()]), guangyuan_quarter()
    scores = [S.score_month(rows, all_forms(), list(Q1), plan, m) for m in Q1]
    summed = sum(pd.Series(month_figures(s, OL.POINTS_MONTH)) for s in scores)
    assert summed.to_dict() == month_figures(scores[-1], OL.POINTS_YTD)
    persons = sum(s.persons.set_index([L.UNIT_CODE, "姓名"])[OL.POINTS_MONTH] for s in scores)
    ytd = scores[-1].persons.set_index([L.UNIT_CODE, "姓名"])[OL.POINTS_YTD]
    assert persons.reindex(ytd.index).fillna(0.0).to_dict() == ytd.to_dict()


def test_guangyuan_rows_carry_their_pieces_points_and_say_why(tmp_path):
    plan, rows = guangyuan_plan(tmp_path), guangyuan_quarter()
    february = S.score_month(rows, all_forms(), list(Q1), plan, "2025-02")
    # B carries 5 + the 批示's 5; C's 1.5 splits 1 : 0.5 over its two rows as their values do
    assert february.row_points.to_dict() == {1: 10.0, 2: 1.0, 3: 0.5}
    assert february.row_reasons[1] == "本稿合计 10 分：《政务参阅》：5 分；市政府领导批示 +5"
    assert february.row_reasons[3] == "市政府门户网站（图片）：0.5 分"
    march = S.score_month(rows, all_forms(), list(Q1), plan, "2025-03")
    assert march.row_points[1] == 5.0
    assert march.row_reasons[1] == (
        "《政务晨讯》：2 分。本稿合计 5 分：约稿 YG2025-01 被采用：按约稿计 5 分（替代载体分值）"
    )


def test_guangyuan_receipt_lines_name_the_commission_and_the_event(tmp_path):
    plan, rows = guangyuan_plan(tmp_path, [feedback_event()]), guangyuan_quarter()
    february = S.score_month(rows, all_forms(), list(Q1), plan, "2025-02")
    assert february.unit_lines == {"GY02": [f"2月14日 {FEEDBACK}（春耕情况），扣 10 分"]}
    march = S.score_month(rows, all_forms(), list(Q1), plan, "2025-03")
    due = "约稿 YG2025-01（一季度经济运行专题）（截止3月20日）"
    assert march.unit_lines["GY03"] == [f"{due}：未报送，扣 10 分"]
    assert march.unit_lines["GY02"] == [f"{due}：按时报送"]


def test_a_commission_issued_and_not_yet_due_is_a_reminder_on_the_receipt(tmp_path):
    plan, rows = guangyuan_plan(tmp_path), guangyuan_quarter()
    months = [*Q1, "2025-04", "2025-05", "2025-06"]
    june = S.score_month(rows, all_forms(months), months, plan, "2025-06")
    assert june.unit_lines["GY01"] == ["约稿 YG2025-02（防汛工作专题）（截止6月15日）：未报送，扣 10 分"]
    may = S.score_month(rows, all_forms(months), months, plan, "2025-05")
    assert "GY01" not in may.unit_lines  # YG2025-02 is issued on 1 June


def test_missing_forms_cost_the_monthly_deduction_under_a_scheme(tmp_path):
    plan = guangyuan_plan(tmp_path)
    plan = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, missing_return_deduction=2.0))
    forms = all_forms().query("not (单位代码 == 'GY01' and 月份 == '2025-02')")
    scores = S.score_month(guangyuan_quarter(), forms, list(Q1), plan, "2025-03")
    units = scores.units.set_index(L.UNIT_CODE)
    # GY01: 18.5 from its pieces, −2 for February's missing form
    assert units.at["GY01", OL.POINTS_YTD] == 16.5
    assert units.at["GY01", OL.DEDUCTIONS] == 2.0
    year = SP.score_year(guangyuan_quarter(), plan, "2025-03", forms, list(Q1))
    assert "2月未报送报送表，每月扣 2 分，共扣 2 分" in year.units.at["GY01", SU.U_NOTES]


def test_without_the_returns_the_engine_names_the_missing_form_deduction_and_leaves_it_out(tmp_path):
    plan = guangyuan_plan(tmp_path)
    plan = dataclasses.replace(plan, rules=dataclasses.replace(plan.rules, missing_return_deduction=2.0))
    year = SP.score_year(guangyuan_quarter(), plan, "2025-03")
    assert year.units.at["GY01", SU.U_RAW] == 18.5
    assert "月度漏报扣分按各月是否收到报送表计算，此处未计" in year.units.at["GY01", SU.U_NOTES]


def test_an_adoption_of_december_reported_in_january_counts_in_the_new_year(tmp_path):
    plan = guangyuan_plan(tmp_path)
    late = ledger(
        row("GY01", "A", "政务信息", outlet="政务晨讯", sent="2024-12-20", adopted="2024-12-28", month="2025-01")
    )
    scores = S.score_month(late, all_forms(), list(Q1), plan, "2025-01")
    assert month_figures(scores, OL.POINTS_MONTH)["GY01"] == 2
    assert scores.late_rows[1] == "报送、采用"


@PROPERTY
@given(ledgers())
def test_a_scheme_restating_todays_rules_gives_the_months_figures_of_today(case):
    records, plan, processed, returns, _ = case
    rows = rows_frame(records) if records else empty_rows()
    today = S.score_month(rows, returns, processed, plan, "2025-03")
    with_scheme = dataclasses.replace(plan, scheme=Scheme(Vocabulary()))
    scheme = S.score_month(rows, returns, processed, with_scheme, "2025-03")
    # the year to date is today's; a month is the difference of two years to date, which is
    # today's figure too unless a piece's units or authors changed during the year (today shares
    # the month's gain as of its end, so its months need not add up to the year to date)
    figures = [OL.POINTS_YTD, OL.DEDUCTIONS, OL.SENT_YTD, OL.ADOPTED_YTD, OL.ADOPTIONS_MONTH, OL.RANK]
    mine, theirs = (s.units.set_index(L.UNIT_CODE)[figures].sort_index() for s in (scheme, today))
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False, atol=1e-9)
    keys, money = [L.UNIT_CODE, "姓名"], [OL.POINTS_YTD, OL.REWARD_YTD]
    mine, theirs = (s.persons.set_index(keys)[money].sort_index() for s in (scheme, today))
    mine, theirs = (f[f.abs().sum(axis=1) > 1e-9] for f in (mine, theirs))
    pd.testing.assert_frame_equal(mine, theirs, check_dtype=False, atol=1e-9)
    assert scheme.late_rows.to_dict() == today.late_rows.to_dict()


@PROPERTY
@given(ledgers())
def test_a_units_rows_carry_its_gain_of_each_piece_it_lists_in_the_month(case):
    records, plan, processed, returns, _ = case
    rows = rows_frame(records) if records else empty_rows()
    with_scheme = dataclasses.replace(plan, scheme=Scheme(Vocabulary()))
    scores = S.score_month(rows, returns, processed, with_scheme, "2025-03")

    # by today's counting: each unit's points of each of its pieces as of March minus as of
    # February (by 稿件键: a piece joined by a co-unit's rows changes name), kept where the
    # unit lists the piece in March
    def held(until: str) -> pd.Series:
        pieces = PC.gather(rows, plan, until)
        values = PW.piece_points(PW.period_values(pieces, plan, "2024-12", until))
        shares = pieces.shares(plan.rules.co_written)
        points = shares[PC.SHARE] * shares[PC.PIECE].map(values).fillna(0.0)
        return points.groupby([shares[L.UNIT_CODE], shares[PC.PIECE].astype(str).str.split("|").str[1]]).sum()

    now, before = held("2025-03"), held("2025-02")
    gain = now.sub(before.reindex(now.index).fillna(0.0), fill_value=0.0)
    march = rows[rows[L.MONTH] == "2025-03"]
    listed = set(zip(march[L.UNIT_CODE], march[L.PIECE_KEY], strict=True))
    expected = gain[[key in listed for key in gain.index]].groupby(level=0).sum()
    carried = scores.row_points.groupby(march.set_index(L.ROW_ID)[L.UNIT_CODE]).sum()
    for code in expected.index.union(carried.index):
        assert carried.get(code, 0.0) == pytest.approx(expected.get(code, 0.0), abs=1e-9)


YEAR = tuple(f"2025-{m:02d}" for m in range(1, 13))
UNTRUE = Event("GY03", dt.date(2025, 5, 10), "不实信息", "报送数据失实", -5.0, True)


def guangyuan_year(tmp_path):
    """方案6's year: the first quarter above, then nobody delivers 约稿 YG2025-02 (due 15 June,
    −10 each), GY03 is recorded on 10 May for 不实信息 (−5, loses 评优资格), two missed 约稿
    lose it too (约稿未报取消评优次数 = 2), 《政务参阅》 pays 100 yuan, the targets are met (set to
    0 here). By hand, as of December:
    - GY01 利州区政府办公室: pieces 18.5, 约稿 −10 → 8.5; keeps 评优资格.
    - GY02 市发改委: event −10, 约稿 −10 (YG2025-01 on time) → −20; keeps it (one missed).
    - GY03 市交通局: 约稿 −10 −10, event −5 → −25; loses it twice over.
    - 张三 of GY01: 100 yuan for B.
    """
    plan = guangyuan_plan(tmp_path, [feedback_event(), UNTRUE])
    scheme = plan.scheme
    outlets = tuple(dataclasses.replace(o, reward=100.0) if o.name == "《政务参阅》" else o for o in scheme.outlets)
    scheme = dataclasses.replace(scheme, outlets=outlets, rules=dataclasses.replace(scheme.rules, missed_limit=2))
    targets = plan.targets.assign(**{L.T_SUBMIT: 0.0, L.T_ADOPT: 0.0})
    return dataclasses.replace(plan, scheme=scheme, targets=targets)


def test_guangyuan_year_by_the_engine_follows_the_hand_count(tmp_path):
    plan = guangyuan_year(tmp_path)
    year = SP.score_year(guangyuan_quarter(), plan, "2025-12", all_forms(YEAR), list(YEAR))
    assert year.units[SU.U_RAW].to_dict() == {"GY01": 8.5, "GY02": -20.0, "GY03": -25.0}
    assert year.units[SU.U_ELIGIBLE].to_dict() == {"GY01": "是", "GY02": "是", "GY03": "否"}
    assert year.units.at["GY03", SU.U_LOST] == (
        "未报约稿 2 次，达到 2 次，取消评优资格；5月10日 不实信息（报送数据失实） -5 分，取消评优资格"
    )
    rewards = year.persons.set_index([L.UNIT_CODE, "姓名"])[SU.U_REWARD].to_dict()
    assert rewards == {("GY01", "张三"): 100.0, ("GY02", "张三"): 0.0}


def test_a_quarters_points_are_its_months_points_added_up(tmp_path):
    # Q2 of guangyuan_year: nobody sends 约稿 YG2025-02 (due 15 June, −10 each); GY03's 不实信息
    # of 10 May costs 5 more: GY01 −10, GY02 −10, GY03 −15.
    plan, rows = guangyuan_year(tmp_path), guangyuan_quarter()
    months = list(YEAR[:6])
    quarter = periods.figures(rows, all_forms(months), months, plan, periods.quarter("2025Q2"))
    assert quarter.period_units[periods.POINTS].to_dict() == {"GY01": -10.0, "GY02": -10.0, "GY03": -15.0}
    added = sum(
        pd.Series(month_figures(S.score_month(rows, all_forms(months), months, plan, m), OL.POINTS_MONTH))
        for m in months[3:]
    )
    assert added.to_dict() == quarter.period_units[periods.POINTS].to_dict()
    assert list(quarter.happenings[SU.H_NAME]) == [
        "YG2025-02（防汛工作专题）",
        "YG2025-02（防汛工作专题）",
        "不实信息",
        "YG2025-02（防汛工作专题）",
    ]
