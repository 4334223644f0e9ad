"""A whole demo year, processed at December (catching up the eleven months before), adds up in
every document: a unit's twelve months of 月度统计 give its year to date and its line of the
年终考核表, the four quarters' circulars give the year's circular, per unit and in total; every
采用率 is at most 100 %; every circular is dated when its forms were in and sets its deadlines at
least five working days later (docs/counting.md; issue 21)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline import flow, ledger
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.workdays import working_days_between
from pipeline.demo import county as demo
from pipeline.documents import pdf
from pipeline.plan.plan import load_plan
from pipeline.reports import period_outputs
from pipeline.scoring import assessment, periods, scoring

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]
QUARTERS = [periods.quarter(f"2025Q{q}") for q in range(1, 5)]
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> tuple[Path, Path, flow.MonthResult]:
    inputs, outputs = tmp_path_factory.mktemp("in"), tmp_path_factory.mktemp("out")
    demo.generate(inputs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_soffice", lambda: None)  # the pages are looked at by hand; the text here
        result = flow.run_month(inputs, outputs, "2025-12")
    return inputs, outputs, result


def _units_sheet(outputs: Path, month: str) -> pd.DataFrame:
    rows = list(openpyxl.load_workbook(outputs / month / "月度统计.xlsx", read_only=True)[OL.UNITS_SHEET].values)
    header = next(i for i, r in enumerate(rows) if r and r[0] == L.UNIT_CODE)
    frame = pd.DataFrame([r for r in rows[header + 1 :] if r and r[0]], columns=rows[header])
    return frame.set_index(L.UNIT_CODE)


def _date(text: str) -> dt.date:
    year, month, day = map(int, CHINESE_DATE.search(text).groups())
    return dt.date(year, month, day)


def _html(outputs: Path, folder: str, name: str) -> str:
    return re.sub(r"<[^>]+>", "", (outputs / folder / name).read_text(encoding="utf-8"))


def test_a_units_twelve_months_add_up_to_its_year_in_the_monthly_statistics(year):
    _, outputs, _ = year
    months = [_units_sheet(outputs, m) for m in MONTHS]
    december = months[-1]
    for month_label, ytd_label in (
        (OL.SENT_MONTH, OL.SENT_YTD),
        (OL.ADOPTED_MONTH, OL.ADOPTED_YTD),
        (OL.POINTS_MONTH, OL.POINTS_YTD),
    ):
        summed = sum(m[month_label].astype(float) for m in months)
        assert (summed - december[ytd_label].astype(float)).abs().max() < 1e-6, month_label


def test_the_quarters_add_up_to_the_year_per_unit_and_in_total(year):
    inputs, outputs, _ = year
    plan = load_plan(inputs, 2025)
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        rows, returns, processed = store.rows(), store.returns(year=2025), store.processed_months()
    quarters = [periods.figures(rows, returns, processed, plan, q) for q in QUARTERS]
    december = _units_sheet(outputs, "2025-12")
    months = [_units_sheet(outputs, m) for m in MONTHS]
    adoptions = sum(m[OL.ADOPTIONS_MONTH].astype(int) for m in months)
    for column, ytd in (
        (periods.SENT, december[OL.SENT_YTD]),
        (periods.ADOPTED, december[OL.ADOPTED_YTD]),
        (periods.ADOPTIONS, adoptions),
    ):
        summed = sum(q.period_units[column] for q in quarters)
        assert (summed.reindex(ytd.index) == ytd.astype(int)).all(), column
    points = sum(q.period_units[periods.POINTS] for q in quarters).reindex(december.index)
    assert (points - december[OL.POINTS_YTD].astype(float)).abs().max() < 1e-6
    # In total, each piece once: the four circulars' sentences give the year circular's.
    said = [re.search(r"全局共报送信息宣传稿件(\d+)篇，被采用(\d+)篇", _html(outputs, f"2025-Q{n}", "季度通报.html"))
            for n in range(1, 5)]  # fmt: skip
    year_text = _html(outputs, "2025", "年度通报.html")
    sent, adopted = map(int, re.search(r"全年共报送信息(\d+)篇，被采用(\d+)篇", year_text).groups())
    assert sum(int(s.group(1)) for s in said) == sent
    assert sum(int(s.group(2)) for s in said) == adopted


def test_the_year_end_sheet_gives_each_units_year(year):
    _, outputs, _ = year
    december = _units_sheet(outputs, "2025-12")
    ws = openpyxl.load_workbook(outputs / "2025" / "年终考核表.xlsx", read_only=True)["单位考核"]
    rows = list(ws.values)
    labels = rows[1]  # row 2: the labels (row 3 holds the levels under 采用条次)
    checked = 0
    for r in rows[3:]:
        line = dict(zip(labels, r, strict=False))
        code = line.get(L.UNIT_CODE)
        if code not in december.index:
            continue
        unit = december.loc[code]
        assert line[OL.YEAR_SENT] == unit[OL.SENT_YTD], code
        assert line[OL.YEAR_ADOPTED] == unit[OL.ADOPTED_YTD], code
        assert abs(float(line[OL.YEAR_POINTS]) - float(unit[OL.POINTS_YTD])) < 0.01, code
        checked += 1
    assert checked >= 19


def test_no_adoption_rate_above_100_percent_and_every_document_defines_it(year):
    _, outputs, _ = year
    texts = {f"2025-Q{n}": _html(outputs, f"2025-Q{n}", "季度通报.html") for n in range(1, 5)}
    texts["2025"] = _html(outputs, "2025", "年度通报.html")
    for name, text in texts.items():
        rates = [float(r) for r in re.findall(r"采[用发]率（?[^0-9%，。]{0,6}(\d+\.\d)%", text)]
        assert rates and max(rates) <= 100.0, name
        assert "已被采用的篇数所占比例（不超过100%）" in text, name
    for n in range(1, 5):
        ranking = re.search(r"<thead><tr><th>排名</th>.*?</tbody>", (outputs / f"2025-Q{n}" / "季度通报.html").read_text(encoding="utf-8"), re.S)  # fmt: skip
        rows = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", ranking.group(0))]
        rates = [float(cells[4].rstrip("%")) for cells in rows if len(cells) > 4 and cells[4]]  # 采用率
        assert rates and max(rates) <= 100.0


def test_circulars_are_dated_when_their_forms_were_in_and_give_five_working_days(year):
    _, outputs, _ = year
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        returns = store.returns(year=2025)
    for quarter in QUARTERS:
        page = (outputs / quarter.folder / "季度通报.html").read_text(encoding="utf-8")
        issued = _date(re.search(r'<p class="date">([^<]+)</p>', page).group(1))
        mine = returns[returns[L.MONTH].isin(quarter.months)]
        assert issued >= pd.to_datetime(mine[L.SUBMITTED_ON]).max().date(), quarter.name
        assert issued.year == 2025 or quarter.last == 12, quarter.name  # not the day the tests run
        for deadline in re.findall(r"于(\d{4}年\d{1,2}月\d{1,2}日)前", re.sub(r"<[^>]+>", "", page)):
            assert working_days_between(issued, _date(deadline)) >= 5, (quarter.name, deadline)


def test_the_summary_lists_every_circular_the_catch_up_wrote(year):
    import run

    _, outputs, result = year
    assert [month for month, files, _ in result.other_circulars if files] == ["2025-03", "2025-06", "2025-09"]
    summary = run.summary(result)
    for quarter in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        assert f"{outputs / quarter}/（季度通报.docx、季度通报.html）" in summary, quarter


def test_the_summary_asks_for_the_heads_the_year_end_will_need(year):
    import run
    from pipeline.demo.facts import NO_HEAD

    _, _, result = year
    assert sorted(code.split()[0] for code in result.no_head) == sorted(NO_HEAD)
    assert "尚无单位负责人（名册和报送表均未填写）" in run.summary(result)


def test_the_fourth_quarter_looks_to_the_year_end_not_to_catching_up(year):
    _, outputs, _ = year
    q4 = _html(outputs, "2025-Q4", "季度通报.html")
    assert "（一）认真总结全年工作。2025年度信息宣传工作已经结束" in q4
    assert "迎头赶上" not in q4 and "今后3个月" not in q4
    assert "迎头赶上" in _html(outputs, "2025-Q1", "季度通报.html")


def test_each_quarters_circular_states_what_the_ledger_alone_gives(year):
    # The run hands a quarter's circular the rows and scores of the quarter's last month instead
    # of reading and counting them again: what it states must be what the ledger alone gives.
    inputs, outputs, _ = year
    plan = load_plan(inputs, 2025)
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        returns, processed = store.returns(year=2025), store.processed_months()
        for quarter in QUARTERS:
            rows = store.rows(through=quarter.until)
            rows = rows[rows[L.MONTH] >= "2024-01"]
            fresh = periods.figures(rows, returns, processed, plan, quarter)
            record = json.loads((outputs / quarter.folder / f".{quarter.stem}.json").read_text(encoding="utf-8"))
            assert record["figures"] == json.loads(json.dumps(period_outputs.circular_figures(fresh)))
            scored = scoring.score_month(rows, returns, store.processed_months(year=2025), plan, quarter.until)
            reused = periods.figures(rows, returns, processed, plan, quarter, scored=scored)
            for name in ("units", "period_units", "persons", "adoptions", "instructed", "returns"):
                pd.testing.assert_frame_equal(
                    pd.DataFrame(getattr(reused, name)), pd.DataFrame(getattr(fresh, name)), obj=name
                )
            assert (reused.totals, reused.previous) == (fresh.totals, fresh.previous)


def test_the_year_assessed_with_decembers_own_scoring_is_the_year_from_the_ledger_alone(year):
    inputs, outputs, _ = year
    plan = load_plan(inputs, 2025)
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        rows = store.rows(through="2025-12")
        returns, processed = store.returns(year=2025), store.processed_months(year=2025)
        heads = period_outputs.year_heads(plan, store)
    fresh = assessment.assess_year(rows, returns, processed, plan, heads)
    december = scoring.score_month(rows, returns, processed, plan, "2025-12")
    reused = assessment.assess_year(rows, returns, processed, plan, heads, scored=december)
    for name in ("units", "apart", "persons", "payout"):
        pd.testing.assert_frame_equal(getattr(reused, name), getattr(fresh, name), obj=name)
    for name in ("by_category", "by_level", "by_month"):
        pd.testing.assert_frame_equal(getattr(reused.totals, name), getattr(fresh.totals, name), obj=name)
    assert (reused.totals.sent, reused.totals.adopted, reused.totals.adoptions) == (
        fresh.totals.sent,
        fresh.totals.adopted,
        fresh.totals.adoptions,
    )
