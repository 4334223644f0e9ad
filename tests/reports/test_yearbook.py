"""The year end from the ledger: `python run.py yearend`, the refusal of an unfinished year,
the roster's 起始月份, and 年终考核表.xlsx read back cell by cell (and printed by LibreOffice)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import math
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import run
from pipeline import ledger
from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core.errors import PlanInvalid
from pipeline.core.records import FileRecord
from pipeline.demo import files as demo_files
from pipeline.demo import plan as demo_plan
from pipeline.documents import pdf
from pipeline.plan.plan import load_plan
from pipeline.reports import yearbook
from pipeline.scoring import assessment as A
from pipeline.scoring import persons as PN
from tests import strict_files, tools
from tests.scoring_helpers import all_returned, make_plan, row, rows_frame

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def _form(code: str, month: str, head: str = "") -> FileRecord:
    return FileRecord(
        f"{code}.xlsx", "ab" * 32, 1, 0.0, unit_code=code, month=month, header={L.H_HEAD: head}, fill_date=None
    )


def _record(store: ledger.Ledger, month: str, records: list[dict], units: list[str]) -> None:
    rows = rows_frame(records) if records else rows_frame([row(units[0], "占位", month)]).iloc[:0]
    files = [_form(code, month, head=f"{code}负责人") for code in units if code != "SO08"]
    files += [_form("SO08", month)] if "SO08" in units else []
    run_info = {"started": dt.datetime(2026, 1, 5, 9), "finished": dt.datetime(2026, 1, 5, 9, 1), "reason": "requested"}
    store.replace_month(month, rows, [], files, {**run_info, "counts": {}})


@pytest.fixture
def folders(tmp_path: Path, demo_plan_dir: Path) -> tuple[Path, Path]:
    inputs, outputs = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", inputs)
    return inputs, outputs


def test_unfinished_year_is_refused_naming_the_missing_months(folders):
    inputs, outputs = folders
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        for month in MONTHS:
            if month not in ("2025-05", "2025-11", "2025-12"):
                _record(store, month, [], ["GS01"])
    result = invoke("--inputs", str(inputs), "--outputs", str(outputs), "yearend", "--year", "2025")
    assert result.exit_code == 8
    assert result.output == (
        "错误：2025 年还有 3 个月未处理：2025-05、2025-11、2025-12。"
        "请先用 python run.py --month YYYY-MM 处理这些月份，再生成年终考核结果。\n"
    )
    assert not (outputs / "2025").exists()


def test_year_without_a_ledger_is_refused(folders):
    inputs, outputs = folders
    result = invoke("--inputs", str(inputs), "--outputs", str(outputs), "yearend", "--year", "2025")
    assert result.exit_code == 8
    assert "2025 年还有 12 个月未处理：2025-01、" in result.output


# GS01 (targets 60 sent / 36 adopted) fails; GS02 (30 / 15, overridden in the demo plan?) is
# read from the plan. The demo plan's units: every roster unit returns every month except
# ZX03, which has no December form and still gets its result.
YEAR_RECORDS = [
    row("GS01", "甲", "2025-03", level="省级", authors="王晓燕、刘佳", outlet="X"),
    row("GS01", "甲", "2025-04", sent="2025-03-02", level="国家级", authors="王晓燕、刘佳", outlet="Y"),
    row("ZX03", "乙", "2025-06", level="县级", authors="秦雪"),
]


@pytest.fixture(scope="module")
def year_done(tmp_path_factory, demo_plan_dir):
    inputs, outputs = tmp_path_factory.mktemp("in"), tmp_path_factory.mktemp("out")
    shutil.copy(demo_plan_dir / "plan-2025.xlsx", inputs)
    plan = load_plan(inputs, 2025)
    units = list(plan.units.index)
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        for month in MONTHS:
            records = [r for r in YEAR_RECORDS if r[L.MONTH] == month]
            _record(store, month, records, [c for c in units if not (c == "ZX03" and month == "2025-12")])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_soffice", lambda: None)  # the circular's PDF is test_year_circular's
        result = invoke("--inputs", str(inputs), "--outputs", str(outputs), "yearend", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert f"  {pdf.NOTE_NO_LIBREOFFICE}" in result.output
    return outputs / "2025" / yearbook.ASSESSMENT_FILE, result.output


def _table(ws, first_data_row: int = 4) -> list[dict]:
    """The sheet's table as dicts: labels from header rows 2-3 (a level under its group)."""
    labels, group = [], None
    for column in range(1, ws.max_column + 1):
        top, sub = ws.cell(row=2, column=column).value, ws.cell(row=3, column=column).value
        group = top if top and sub else (group if sub else None)
        labels.append(f"{sub}{group}" if sub else top)
    records = []
    for r in range(first_data_row, ws.max_row + 1):
        values = [ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)]
        if values[0] is None:
            break
        records.append(dict(zip(labels, values, strict=True)))
    return records


def test_year_end_workbook_read_back(year_done):
    path, output = year_done
    book = load_workbook(path)
    assert book.sheetnames == ["单位考核", "个人", "奖励发放", "年度汇总"]
    units = {r[L.UNIT_CODE]: r for r in _table(book["单位考核"])}
    assert len(units) == 19  # the assessed units; GS08 is listed apart
    gs01 = units["GS01"]
    # 甲: 省级 20 + 国家级 50 = 70 points; sent 1 of 60, adopted 1 of 36: 不达标.
    assert (gs01["报送数"], gs01["采用数"], gs01["得分"], gs01["排名"]) == (1, 1, 70, 1)
    assert (gs01["国家级采用条次"], gs01["省级采用条次"], gs01["县级采用条次"]) == (1, 1, 0)
    assert (gs01["考核结果"], gs01["评优资格"], gs01["先进单位"]) == ("不达标", "取消", None)
    assert gs01["单位负责人"] == "GS01负责人"
    assert gs01["备注"] == "报送数1篇，未达年度报送任务60篇；采用数1篇，未达年度采用任务36篇"
    assert isinstance(gs01["报送完成率"], float) and book["单位考核"]["P4"].number_format == "0.0%"
    # ZX03 returned no December form: still assessed, with its result.
    # 县级 5 − 2 for the missing December return
    assert units["ZX03"]["考核结果"] == "不达标" and units["ZX03"]["得分"] == 3 and units["ZX03"]["扣分"] == 2
    # Every unit fails here (targets are far above one piece), so none is 先进单位.
    assert all(u["先进单位"] is None and u["评优资格"] == "取消" for u in units.values())
    assert "请核实" not in units["SO08"]["备注"]
    apart = [c.value for c in book["单位考核"][f"A{4 + 19 + 2}:Z{4 + 19 + 2}"][0]]
    assert apart[1:3] == ["GS08", "人事教育股"]
    # 奖励发放: 60 + 80 = 140 yuan for 甲, 70 each; 秦雪 20; totals per unit and overall.
    payout = _table(book["奖励发放"])
    assert [(r["序号"], r["单位"], r["姓名"], r["金额"]) for r in payout] == [
        (1, "办公室", "刘佳", 70),
        (2, "办公室", "王晓燕", 70),
        ("小计", "办公室", None, 140),
        (3, "国土资源信息中心", "秦雪", 20),
        ("小计", "国土资源信息中心", None, 20),
        ("合计", None, None, 160),
    ]
    assert payout[0]["国家级采用篇次"] == 1 and payout[0]["省级采用篇次"] == 1
    summary = book["年度汇总"]
    assert summary["A2"].value == (
        "全年共报送信息2篇，被采用2篇，其中省级以上1篇，共被各级载体采用3条次，"
        "采发率100.0%（全年报送的稿件中截至年底已被采用的比例）。"
    )
    assert len(summary._charts) == 1
    ws = book["单位考核"]
    # the title row repeats with the header on every page, and no page header prints it again
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$3"
    assert not ws.oddHeader.center.text
    assert "达标单位 0/19" in output and "取消评优资格：" in output


def test_year_end_workbook_prints_readably(year_done, tmp_path):
    path, _ = year_done
    pdf = tools.to_pdf(path, tmp_path)
    text = tools.pdf_text(pdf)
    assert "单位考核" in text and "领取人签字" in text and "全年共报送信息2篇" in text
    pages = [tools.pdf_text(pdf, page=n) for n in range(1, tools.pdf_pages(pdf) + 1)]
    units_pages = [text for text in pages if "单位考核" in text]
    # 单位考核 is never split across pages by columns: every page shows 序号 to 备注
    assert units_pages and all("序号" in text and "备注" in text for text in units_pages)
    # the units' table, scaled to the page's width, still prints at about 8 pt or more
    first = tools.pdf_bbox(pdf).split("</page>")[0]
    heights = [float(b) - float(a) for a, b in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', first)]
    assert sorted(heights)[len(heights) // 2] >= 7.5


def _roster_with_start(start: object) -> dict:
    sheets = copy.deepcopy(demo_plan.plan_sheets())
    roster = sheets[L.S_ROSTER]
    roster[0].append(L.P_START_MONTH)
    for index, unit_row in enumerate(roster[1:]):
        unit_row.append(start if index == 2 else None)
    return sheets


def test_roster_start_month_is_read_and_checked(tmp_path):
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", _roster_with_start(7))
    plan = load_plan(tmp_path, 2025)
    third = plan.units.index[2]
    assert plan.start_month(third) == 7 and plan.start_month(plan.units.index[0]) == 1
    assert A.prorated(plan).targets.at[third, L.T_SUBMIT] == math.ceil(plan.targets.at[third, L.T_SUBMIT] / 2)
    demo_files.write_plan(tmp_path / "plan-2025.xlsx", _roster_with_start(13))
    with pytest.raises(PlanInvalid) as info:
        load_plan(tmp_path, 2025)
    assert "工作表“单位名册”第 5 行“起始月份”列：“起始月份”的值“13”不在允许范围内" in info.value.message


def _ledger_months(outputs: Path, months: list[str], units: list[str]) -> None:
    with ledger.Ledger(outputs / ledger.STORE_FILE) as store:
        for month in months:
            _record(store, month, [r for r in YEAR_RECORDS if r[L.MONTH] == month], units)


def test_processing_december_writes_the_year_when_every_month_is_processed(folders, monkeypatch):
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    inputs, outputs = folders
    _ledger_months(outputs, MONTHS[:11], ["GS01", "ZX03"])
    (inputs / "2025-12").mkdir()
    result = invoke("--inputs", str(inputs), "--outputs", str(outputs), "--month", "2025-12")
    assert result.exit_code == 0, result.output
    year = outputs / "2025"
    assert sorted(p.name for p in year.iterdir()) == [
        "年度通报.docx",
        "年度通报.html",
        "年终考核表.xlsx",
        "看板.html",
    ]
    assert f"2025 年 12 个月均已处理，年终考核表、年度通报已更新：{year}/" in result.output
    # December had no form from anyone: every unit still has its result in the year's sheet.
    units = _table(load_workbook(year / yearbook.ASSESSMENT_FILE)["单位考核"])
    assert len(units) == 19 and all(u["考核结果"] for u in units)


def test_processing_december_with_a_month_missing_says_which(folders):
    inputs, outputs = folders
    _ledger_months(outputs, [m for m in MONTHS[:11] if m != "2025-07"], ["GS01"])
    (inputs / "2025-12").mkdir()
    result = invoke("--inputs", str(inputs), "--outputs", str(outputs), "--month", "2025-12")
    assert result.exit_code == 0, result.output
    assert "  年终考核表未生成：2025-07 尚未处理" in result.output
    assert [p.name for p in (outputs / "2025").iterdir()] == ["看板.html"]  # the year's page only


def test_yearend_help_is_chinese():
    result = invoke("yearend", "--help")
    assert result.exit_code == 0
    assert result.output.startswith("用法：") and "yearend [选项]" in result.output
    assert "--year YYYY        年份，例如 2025。（必填）" in result.output and "退出码" in result.output
    assert "--number N         年度通报发文字号的序号 N（〔年份〕N号），默认留空由办公室填写。" in result.output
    assert "--date YYYY-MM-DD  年度通报的成文日期，默认为全年报送表全部收到之日" in result.output
    assert "Usage" not in result.output and "[required]" not in result.output
    assert invoke("yearend").exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--number", "x"), "用法错误：选项 --number 的值无效：“x”应为正整数，例如 3。"),
        (("--number", "0"), "用法错误：选项 --number 的值无效：“0”应为正整数，例如 3。"),
        (("--date", "1月8日"), "用法错误：选项 --date 的值无效：“1月8日”应为 YYYY-MM-DD，例如 2025-04-03。"),
        (("--number",), "用法错误：选项 --number 后面须写上值（N）。"),
    ],
)
def test_yearend_usage_errors_for_number_and_date_are_chinese(args, message, tmp_path):
    result = invoke("--outputs", str(tmp_path), "yearend", "--year", "2025", *args)
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == message
    assert not (tmp_path / "2025").exists()


def _circular_text(folder: Path) -> tuple[str, str]:
    """The year circular's Word text (paragraphs joined) and its HTML page."""
    from docx import Document

    word = "\n".join(p.text for p in Document(folder / "年度通报.docx").paragraphs)
    return word, (folder / "年度通报.html").read_text(encoding="utf-8")


def test_yearend_prints_the_number_and_date_given_in_the_year_circular(folders, monkeypatch):
    monkeypatch.setattr(pdf, "_soffice", lambda: None)
    inputs, outputs = folders
    _ledger_months(outputs, MONTHS, ["GS01"])
    args = ("--inputs", str(inputs), "--outputs", str(outputs), "yearend", "--year", "2025")
    result = invoke(*args, "--number", "5", "--date", "2026-01-20")
    assert result.exit_code == 0, result.output
    word, page = _circular_text(outputs / "2025")
    for text in ("示国土办〔2026〕5号", "2026年1月20日", "2026年1月20日印发"):
        assert text in word and text in page, text
    assert '<p class="number">示国土办〔2026〕5号</p>' in page


def test_yearend_without_number_or_date_leaves_the_serial_blank_and_dates_it_when_the_forms_were_in(year_done):
    path, _ = year_done
    word, page = _circular_text(path.parent)
    # every form of the year came by the deadline: dated on January's deadline day, not the run's day
    blank = "示国土办〔2026〕\u3000\u3000号"
    assert blank in word.splitlines() and f'<p class="number">{blank}</p>' in page
    dated = "2026年1月5日"
    assert dated in word.splitlines() and f'<p class="date">{dated}</p>' in page


def test_a_person_whose_year_is_below_zero_is_named_under_the_payout_not_dropped(tmp_path):
    # 甲's piece earns 20 yuan (县级, scoring_helpers' defaults) for 张三 and 李四 (10 each). Say
    # the year had lowered an earlier year's piece of 王五 by 12.50 yuan: nothing to pay him, but
    # the payout list must say so under its 合计.
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    records = [row("A01", "甲", "2025-03", level="县级", authors="张三、李四")]
    year_end = A.assess_year(rows_frame(records), all_returned(months), months, make_plan(), {})
    owing = year_end.persons.iloc[:1].assign(**{PN.PERSON_NAME: "王五", OL.YEAR_REWARD: -12.5})
    year_end = dataclasses.replace(year_end, persons=pd.concat([year_end.persons, owing], ignore_index=True))
    path = yearbook.write_yearbook(year_end, tmp_path / "年终考核表.xlsx")
    ws = load_workbook(path)["奖励发放"]
    texts = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str)]
    assert sum(t.startswith("注：另有 1 人全年奖励金额为负数，未列入发放：王五（A01 ") for t in texts) == 1
    assert any("-12.50 元" in t for t in texts)
    payout = [r for r in _table(ws) if r["姓名"]]
    assert {r["姓名"]: r["金额"] for r in payout} == {"张三": 10, "李四": 10}
    assert yearbook.owing_note(year_end.persons.iloc[:2]) == ""


def test_the_year_end_workbook_and_circular_pass_the_strict_reader(year_done):
    path, _ = year_done
    assert strict_files.problems(path) == []
    assert [strict_files.problems(p) for p in sorted(path.parent.rglob("*.docx"))] == [[]]


def test_yearend_writes_the_years_page_again_into_the_replaced_folder(year_done):
    path, _ = year_done
    html = (path.parent / "看板.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
    assert data["asOf"] == "2025-12" and len(data["months"]) == 12


def _shown_number(value: float, number_format: str) -> str:
    if number_format == "0.0%":
        return f"{value * 100:.1f}%"
    if number_format == "0.00":
        return f"{value:.2f}"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _sheet_rows(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_each_year_end_sheet_is_signed_under_its_table_and_fits_its_figures(year_done):
    path, _ = year_done
    book = load_workbook(path)
    for name in ("单位考核", "个人", "奖励发放"):
        ws = book[name]
        texts = [v for row in _sheet_rows(ws) for v in row if isinstance(v, str)]
        assert any(t.startswith("制表人：") and "审核人：" in t and "分管领导：" in t and "日期：" in t for t in texts)
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        # no number wider than its column (Excel would print ####), a CJK character counted two
        for cells in ws.iter_rows(min_row=4):
            for cell in cells:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    shown = _shown_number(cell.value, cell.number_format)
                    width = ws.column_dimensions[cell.column_letter].width
                    assert len(shown) + 1 <= width, (name, cell.coordinate, shown, width)
    # one title per page: the sheet's own row, not a page header as well
    assert all(not book[name].oddHeader.center.text for name in book.sheetnames)


def test_the_payout_list_states_its_basis_and_its_total_in_words_for_finance(year_done):
    path, _ = year_done
    ws = load_workbook(path)["奖励发放"]
    texts = [v for row in _sheet_rows(ws) for v in row if isinstance(v, str)]
    # 甲 140 (60 省级 + 80 国家级) and 乙 20: 160.00 yuan
    assert "合计金额（大写）：人民币壹佰陆拾元整（小写：160.00元）" in texts
    basis = next(t for t in texts if t.startswith("发放事由："))
    assert "2025年度信息宣传稿件采用奖励" in basis and "《2025年度信息宣传工作考核办法》" in basis


def test_the_year_summary_s_category_and_month_tables_end_with_their_totals(year_done):
    path, _ = year_done
    rows = _sheet_rows(load_workbook(path)["年度汇总"])
    totals = [[v for v in r if v is not None] for r in rows if r[0] == "合计"]
    # 甲 (March, adopted 省级 then 国家级 in April) and 乙 (June, 县级): 2 sent, 2 adopted, 3
    # adoptions, 1 piece adopted at 省级 or above; by category (both 政务信息) and by month alike
    assert totals == [["合计", 2, 2, 3], ["合计", 2, 2, 3, 1]]
