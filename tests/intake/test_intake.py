"""Intake of returned forms: file fates, unit and month identification, supersession, provenance,
normalisation and the row reconciliation.

`tests/data/form-saved-as.xls` and `.ods` were made with LibreOffice (`soffice --headless
--convert-to xls|ods`) from a form written by `intake_helpers.write_form` with two rows inserted
above it: data rows at Excel rows 8 and 10 (real dates, "2025.3.5"), a blank row 9, a stub row 11
(only 序号) and row 12 with a full-width title, the serial number 45721, "3月18日" and a BEL control
character in 备注 (LibreOffice keeps it in .xls, drops it in .ods). `form-encrypted.xlsx` is such a
form encrypted with the password 1234 (msoffcrypto-tool).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipeline.core import labels as L
from pipeline.core.problems import CATALOGUE, Problem
from pipeline.core.records import ACCEPTED, REJECTED, SKIPPED, SUPERSEDED, FileRecord
from pipeline.intake.intake import Intake, read_month
from pipeline.intake.typed_values import parse_date, parse_reported_month, piece_key
from pipeline.plan.plan import Plan
from tests.intake_helpers import fill_form_sheet, piece, write_form

MONTH = "2025-03"
DATA = Path(__file__).parents[1] / "data"
MARCH_5 = dt.date(2025, 3, 5)


def record_of(intake: Intake, path: str) -> FileRecord:
    return next(r for r in intake.files if r.path == path)


def problems_of(intake: Intake, path: str) -> list[Problem]:
    return [p for p in intake.problems if p.source_file == path]


def codes_of(intake: Intake, path: str) -> list[str]:
    return [p.code for p in problems_of(intake, path)]


def rows_of(intake: Intake, path: str) -> pd.DataFrame:
    return intake.rows[intake.rows[L.SOURCE_FILE] == path].reset_index(drop=True)


def unit(code: str, name: str, **header: object) -> dict[str, object]:
    return {L.H_UNIT_CODE: code, L.H_UNIT_NAME: name, **header}


# --- dates, months, piece keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        MARCH_5,
        dt.datetime(2025, 3, 5, 10, 30),
        45721,
        45721.0,
        45721.75,
        "45721",
        "2025-03-05",
        "2025/3/5",
        "2025.3.5",
        "2025年3月5日",
        "2025年3月5号",
        "2025-03-05 00:00:00",
        " 2025 - 03 - 05 ",
        "２０２５－０３－０５",
        "20250305",
        20250305,
        "3月5日",
        "3.5",
        "3-5",
        "3/5",
        3.5,
    ],
)
def test_dates_people_type_are_read(value: object) -> None:
    assert parse_date(value, MONTH) == MARCH_5


@pytest.mark.parametrize(
    "value",
    ["2025-02-30", "三月五日", "下旬", "13.5", "2025.3", 5, 5.0, "", None, True, "3025-03-05", dt.date(3025, 3, 5)],
)
def test_values_that_are_not_dates(value: object) -> None:
    assert parse_date(value, MONTH) is None


def test_month_and_day_take_the_year_of_the_form() -> None:
    assert parse_date("12月28日", "2026-01") == dt.date(2025, 12, 28)  # sent in December, on January's form
    assert parse_date("4月1日", "2025-03") == dt.date(2025, 4, 1)  # a later month stays in the year
    assert parse_date("3.10", "2025-03") == dt.date(2025, 3, 10)  # text keeps the day a number cell loses


@pytest.mark.parametrize(
    "value",
    [
        "2025-03",
        "2025.3",
        "2025/03",
        "2025年3月",
        "2025年03月份",
        "２０２５年３月",
        "202503",
        202503,
        "3月",
        "2025-03-15",
        dt.date(2025, 3, 1),
        dt.datetime(2025, 3, 1),
        45717,
        2025.03,
    ],
)
def test_months_people_type_are_read(value: object) -> None:
    assert parse_reported_month(value, MONTH) == MONTH


def test_a_number_cell_with_year_point_one_is_january_or_october() -> None:
    assert parse_reported_month(2025.1, "2025-10") == "2025-10"
    assert parse_reported_month(2025.1, "2025-03") == "2025-01"
    assert parse_reported_month("2025.10", "2025-03") == "2025-10"


@pytest.mark.parametrize("value", ["", None, "三月", "2025-13", "本月", 3])
def test_values_that_are_not_months(value: object) -> None:
    assert parse_reported_month(value, MONTH) is None


def test_piece_key_folds_width_case_and_every_space() -> None:
    assert piece_key(" 关于ＡＢＣ\u3000 工作的\u00a0报告 ") == "关于abc工作的报告"


# --- normalisation of one form ----------------------------------------------------------------------


def test_values_are_normalised(tmp_path: Path, plan: Plan) -> None:
    messy = piece(
        **{
            L.SEQ: 3.0,
            L.TITLE: " 我县\u3000召开 ＡＢＣ  会议\u00a0",
            L.AUTHORS: "王晓燕，李建国 / 张丽;赵敏  孙静",
            L.CO_UNITS: "ＧＳ０２、 SO01",
            L.SENT_DATE: "2025.3.5",
            L.ADOPT_DATE: 45730,
            L.PROOF: 12.0,
            L.REVIEWER: "马\u200b主任",
            L.INSTRUCTION: None,
            L.NOTES: "电话 13912345678",
        }
    )
    write_form(tmp_path / "GS01.xlsx", [messy])
    intake = read_month(tmp_path, plan, MONTH)
    row = intake.rows.iloc[0]
    assert row[L.SEQ] == "3"
    assert row[L.TITLE] == "我县 召开 ABC 会议"
    assert row[L.AUTHORS] == "王晓燕、李建国、张丽、赵敏、孙静"
    assert row[L.CO_UNITS] == "GS02、SO01"
    assert row[L.SENT_DATE] == pd.Timestamp("2025-03-05")
    assert row[L.SENT_DATE + L.RAW_SUFFIX] == "2025.3.5"
    assert row[L.ADOPT_DATE] == pd.Timestamp("2025-03-14")
    assert row[L.ADOPT_DATE + L.RAW_SUFFIX] == "45730"
    assert row[L.PROOF] == "12"
    assert row[L.REVIEWER] == "马主任"
    assert row[L.INSTRUCTION] == ""
    assert row[L.NOTES] == "电话 13912345678"
    assert row[L.PIECE_KEY] == "我县召开abc会议"
    assert intake.problems == []


def test_rows_frame_has_the_documented_columns_and_types(tmp_path: Path, plan: Plan) -> None:
    write_form(tmp_path / "GS01.xlsx", [piece()])
    rows = read_month(tmp_path, plan, MONTH).rows
    assert list(rows.columns) == list(L.ROW_COLUMNS)
    assert rows[L.ROW_ID].dtype == "int64" and rows[L.SOURCE_ROW].dtype == "int64"
    assert rows[L.SENT_DATE].dtype == "datetime64[ns]" and rows[L.ADOPT_DATE].dtype == "datetime64[ns]"
    provenance = rows.iloc[0][list(L.PROVENANCE_COLUMNS)].tolist()
    assert provenance == [1, MONTH, "GS01", "办公室", "GS01.xlsx", L.FORM_SHEET, 6]


def test_no_accepted_form_gives_an_empty_rows_frame_with_the_same_columns(tmp_path: Path, plan: Plan) -> None:
    (tmp_path / "说明.txt").write_text("本月无稿件", encoding="utf-8")
    intake = read_month(tmp_path, plan, MONTH)
    assert intake.rows.empty
    assert list(intake.rows.columns) == list(L.ROW_COLUMNS)
    assert intake.rows[L.SENT_DATE].dtype == "datetime64[ns]"


def test_an_unreadable_date_is_a_row_error_with_the_text_kept(tmp_path: Path, plan: Plan) -> None:
    write_form(tmp_path / "GS01.xlsx", [piece(), piece(**{L.TITLE: "第二篇", L.ADOPT_DATE: "三月中旬"})])
    intake = read_month(tmp_path, plan, MONTH)
    row = intake.rows.iloc[1]
    assert pd.isna(row[L.ADOPT_DATE])
    assert row[L.ADOPT_DATE + L.RAW_SUFFIX] == "三月中旬"
    assert intake.problems == [
        Problem(
            code="row-bad-date",
            severity=L.ERROR,
            message="“采用日期”的值“三月中旬”不是有效日期。请填写为 2025-03-05 这样的格式。",
            unit_code="GS01",
            unit_name="办公室",
            source_file="GS01.xlsx",
            sheet=L.FORM_SHEET,
            row=7,
            column=L.ADOPT_DATE,
            value="三月中旬",
            row_id=2,
        )
    ]
    assert record_of(intake, "GS01.xlsx").fate == ACCEPTED


# --- layouts --------------------------------------------------------------------------------------


def test_rows_keep_the_excel_row_numbers_people_see(tmp_path: Path, plan: Plan) -> None:
    # Three rows and two columns inserted above and left: title on row 4, table header on row 8.
    rows = [piece(**{L.TITLE: "第一篇"}), None, {L.SEQ: 2}, piece(**{L.TITLE: "第三篇"}), None, None]
    write_form(tmp_path / "GS01.xlsx", rows, above=3, left=2)
    intake = read_month(tmp_path, plan, MONTH)
    assert intake.rows[L.SOURCE_ROW].tolist() == [9, 12]
    assert intake.rows[L.TITLE].tolist() == ["第一篇", "第三篇"]
    assert record_of(intake, "GS01.xlsx").rows_read == 2


def test_a_form_made_with_another_tool_is_found_by_its_labels(tmp_path: Path, plan: Plan) -> None:
    workbook = Workbook()
    guide = workbook.active
    guide.title = "说明"
    guide["A1"] = "请按月填报，稿件标题须完整。"
    ws = workbook.create_sheet("Sheet1")
    ws["A1"] = "2025年3月份信息报送统计表"
    ws.merge_cells("A1:H1")
    ws["A2"], ws["D2"] = "填报单位：土地储备中心", "单位代码： zx01"
    ws["A3"], ws["B3"], ws["D3"], ws["F3"] = "报送月份", "2025年3月", "填报日期", dt.date(2025, 4, 1)
    labels = ["*稿件标题", "稿件类别", "*作者", "字数", "报送日期（必填）", "采用情况", "报送去向"]
    labels += ["采用载体", "采用级别", "采用日期", "领导批示", "合作单位", "证明材料", "审核人", "保密审查"]
    ws.append([])
    ws.append(labels)
    ws.append(["土地储备中心完成年度收储计划", "政务信息", "韩梅", 1200, "2025-03-03", "未采用", "县委办"])
    ws.append([])
    ws.append(
        ["储备土地巡查常态化", "新闻宣传", "韩梅、朱晓东", 800, dt.datetime(2025, 3, 7), "未采用", "县融媒体中心"]
    )
    ws.append([None, None, None, 999])  # only the extra column: not a table row
    workbook.save(tmp_path / "储备中心3月.xlsx")

    intake = read_month(tmp_path, plan, MONTH)
    record = record_of(intake, "储备中心3月.xlsx")
    assert (record.fate, record.unit_code, record.unit_name) == (ACCEPTED, "ZX01", "土地储备中心")
    assert record.fill_date == dt.date(2025, 4, 1)
    assert record.template_version == ""
    assert record.header[L.H_UNIT_NAME] == "土地储备中心"
    assert intake.problems == []
    assert intake.rows[L.SOURCE_SHEET].tolist() == ["Sheet1", "Sheet1"]
    assert intake.rows[L.SOURCE_ROW].tolist() == [6, 8]
    assert intake.rows[L.SENT_DATE].tolist() == [pd.Timestamp("2025-03-03"), pd.Timestamp("2025-03-07")]
    assert intake.rows[L.SEQ].tolist() == ["", ""] and intake.rows[L.NOTES].tolist() == ["", ""]
    assert intake.rows[L.SENT_TO].tolist() == ["县委办", "县融媒体中心"]


def test_visible_sheets_are_preferred_to_hidden_ones(tmp_path: Path, plan: Plan) -> None:
    workbook = Workbook()
    old = workbook.active
    old.title = "旧表"
    fill_form_sheet(old, [piece(**{L.TITLE: "上月的旧稿"})])
    old.sheet_state = "hidden"
    fill_form_sheet(workbook.create_sheet(L.FORM_SHEET), [piece(**{L.TITLE: "本月新稿"})], above=1)
    workbook.save(tmp_path / "GS01.xlsx")
    intake = read_month(tmp_path, plan, MONTH)
    assert intake.rows[L.TITLE].tolist() == ["本月新稿"]
    assert intake.rows[L.SOURCE_ROW].tolist() == [7]


def test_a_repeated_header_row_is_not_a_row(tmp_path: Path, plan: Plan) -> None:
    header_again = {label: label for label in L.TABLE_COLUMNS}
    write_form(tmp_path / "GS01.xlsx", [piece(), header_again, piece(**{L.TITLE: "第二篇"})])
    intake = read_month(tmp_path, plan, MONTH)
    assert intake.rows[L.SOURCE_ROW].tolist() == [6, 8]


# --- files saved by other programs ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["form-saved-as.xls", "form-saved-as.ods"])
def test_forms_saved_as_xls_and_ods_are_read(tmp_path: Path, plan: Plan, name: str) -> None:
    shutil.copy(DATA / name, tmp_path / name)
    intake = read_month(tmp_path, plan, MONTH)
    record = record_of(intake, name)
    assert (record.fate, record.unit_code, record.rows_read, record.template_version) == (ACCEPTED, "GS01", 3, "2025.1")
    rows = intake.rows
    assert rows[L.SOURCE_ROW].tolist() == [8, 10, 12]
    assert rows[L.SEQ].tolist() == ["1", "2", "4"]
    assert rows[L.TITLE].tolist() == [
        "我县开展土地卫片执法检查",
        "城关所推进不动产登记便民服务",
        "GS02协助完成年度变更调查",
    ]
    assert rows[L.AUTHORS].tolist() == ["王晓燕、李建国", "王晓燕", "王晓燕"]
    assert rows[L.SENT_DATE].tolist() == [pd.Timestamp(d) for d in ("2025-03-03", "2025-03-05", "2025-03-05")]
    assert rows[L.SENT_DATE + L.RAW_SUFFIX].tolist() == ["2025-03-03", "2025.3.5", "45721"]
    assert rows[L.ADOPT_DATE + L.RAW_SUFFIX].tolist() == ["2025-03-10", "", "3月18日"]
    assert rows[L.ADOPT_DATE].iloc[2] == pd.Timestamp("2025-03-18")
    assert rows[L.NOTES].tolist() == ["", "", "见附件"]


def test_control_characters_from_xls_are_removed_with_a_warning(tmp_path: Path, plan: Plan) -> None:
    shutil.copy(DATA / "form-saved-as.xls", tmp_path / "GS01.xls")
    intake = read_month(tmp_path, plan, MONTH)
    (problem,) = intake.problems
    assert (problem.code, problem.severity, problem.row, problem.column, problem.row_id) == (
        "row-text-cleaned",
        L.WARNING,
        12,
        L.NOTES,
        3,
    )
    assert problem.message == "“备注”含有无法保存的控制字符，已删除。请核对内容。"


def test_a_wps_et_file_is_read_when_calamine_knows_its_format(tmp_path: Path, plan: Plan) -> None:
    shutil.copy(DATA / "form-saved-as.xls", tmp_path / "GS01.et")
    intake = read_month(tmp_path, plan, MONTH)
    assert record_of(intake, "GS01.et").fate == ACCEPTED
    assert len(intake.rows) == 3


def test_a_workbook_is_read_by_its_content_not_its_extension(tmp_path: Path, plan: Plan) -> None:
    shutil.copy(DATA / "form-saved-as.xls", tmp_path / "GS01.xlsx")
    intake = read_month(tmp_path, plan, MONTH)
    assert record_of(intake, "GS01.xlsx").fate == ACCEPTED
    assert len(intake.rows) == 3


def test_an_unreadable_et_file_asks_for_xlsx(tmp_path: Path, plan: Plan) -> None:
    (tmp_path / "GS01.et").write_bytes(b"\x00WPS et\x00" * 64)
    intake = read_month(tmp_path, plan, MONTH)
    (problem,) = intake.problems
    assert problem.code == "file-corrupt"
    assert problem.message == (
        "文件无法打开（WPS 的 .et 格式无法直接读取，请在 WPS 中另存为 .xlsx）。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再发送。"
    )


def test_an_html_page_saved_as_xls_is_named_as_such(tmp_path: Path, plan: Plan) -> None:
    (tmp_path / "导出.xls").write_text("\ufeff<html><body><table><tr><td>稿件标题</td></tr></table></body></html>")
    intake = read_month(tmp_path, plan, MONTH)
    (problem,) = intake.problems
    assert problem.code == "file-corrupt"
    assert "文件实际是网页或 XML 格式" in problem.message


# --- a messy month: every kind of file at once ----------------------------------------------------


@pytest.fixture(scope="module")
def messy_month(tmp_path_factory: pytest.TempPathFactory, plan: Plan) -> Intake:
    folder = tmp_path_factory.mktemp("2025-03")
    write_form(folder / "GS01-办公室.xlsx", [piece(), piece(**{L.TITLE: "第二篇"})])
    (folder / "~$GS01-办公室.xlsx").write_bytes(b"\x08WPS lock" * 20)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not a form")
    (folder / "照片").mkdir()
    (folder / "照片" / "现场.JPG").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (folder / "README").write_text("说明", encoding="utf-8")
    (folder / "GS02-空.xlsx").write_bytes(b"")
    (folder / "GS03-损坏.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    shutil.copy(DATA / "form-encrypted.xlsx", folder / "GS04-加密.xlsx")
    write_form(folder / "GS05-无表格.xlsx", [piece()], header=unit("GS05", "矿产资源管理股"), columns=(L.SEQ, L.NOTES))
    missing = tuple(c for c in L.TABLE_COLUMNS if c not in (L.REVIEWER, L.SECRECY))
    write_form(folder / "GS06-缺列.xlsx", [piece()], header=unit("GS06", "政策法规股"), columns=missing)
    write_form(folder / "SO01-按名称.xlsx", [piece()], header=unit("S01", "城关国土资源所"))
    write_form(folder / "SO02-冲突.xlsx", [piece()], header=unit("so02", "西湖国土资源所"))
    write_form(folder / "SO04-未知.xlsx", [piece()], header=unit("ZZ99", "某某所"))
    write_form(folder / "SO05-无单位.xlsx", [piece()], header=unit(None, None))
    write_form(folder / "SO06-无月份.xlsx", [piece()], header=unit("SO06", "青石国土资源所", **{L.H_MONTH: None}))
    feb = unit("SO07", "柳河国土资源所", **{L.H_MONTH: "2025年2月"})
    write_form(folder / "SO07-二月.xlsx", [piece(), None, piece()], header=feb)
    write_form(folder / "SO08-旧模板.xlsx", [piece()], header=unit("SO08", "白马国土资源所"), stamp="2024.1")
    write_form(folder / "ZX02-空表.xlsx", [{L.SEQ: 1}, None], header=unit("ZX02", "不动产登记中心"))
    odd = "=HYPERLINK(1) #%&' ☺ 报送表 .xlsx"
    write_form(folder / "DD01" / odd, [piece()], header=unit("DD01", "国土资源执法监察大队"))
    (folder / "GS07.docx").write_bytes(b"")
    os.close(os.open(os.fsencode(folder) + b"/" + "报告".encode("gbk") + b".txt", os.O_CREAT | os.O_WRONLY))
    return read_month(folder, plan, MONTH)


def test_every_file_is_recorded_in_path_order(messy_month: Intake) -> None:
    paths = [r.path for r in messy_month.files]
    assert paths == sorted(paths)
    assert "DD01/=HYPERLINK(1) #%&' ☺ 报送表 .xlsx" in paths
    assert "照片/现场.JPG" in paths
    assert len(paths) == 22
    record = record_of(messy_month, "GS01-办公室.xlsx")
    assert len(record.sha256) == 64 and record.size > 0 and record.modified > 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "~$GS01-办公室.xlsx",
            "文件“~$GS01-办公室.xlsx”是 Office/WPS 打开文件时生成的临时锁定文件，不是报送表，已跳过，不计为报送。",
        ),
        (".DS_Store", "文件“.DS_Store”是隐藏文件，不是报送表，已跳过，不计为报送。"),
        ("说明.docx", "文件“说明.docx”是 .docx 文件，不是报送表，已跳过，不计为报送。"),
        ("照片/现场.JPG", "文件“照片/现场.JPG”是 .jpg 文件，不是报送表，已跳过，不计为报送。"),
        ("README", "文件“README”没有扩展名，不是报送表，已跳过，不计为报送。"),
        ("GS07.docx", "文件“GS07.docx”是 .docx 文件，不是报送表，已跳过，不计为报送。"),
        ("报告.txt", "文件“报告.txt”是 .txt 文件，不是报送表，已跳过，不计为报送。"),
    ],
)
def test_files_that_are_not_forms_are_skipped_with_a_warning(messy_month: Intake, path: str, message: str) -> None:
    record = record_of(messy_month, path)
    assert (record.fate, record.reason, record.rows_read) == (SKIPPED, message, 0)
    (problem,) = problems_of(messy_month, path)
    assert (problem.code, problem.severity, problem.message) == ("file-skipped", L.WARNING, message)


@pytest.mark.parametrize(
    ("path", "code", "unit_code"),
    [
        ("GS02-空.xlsx", "file-empty", ""),
        ("GS03-损坏.xlsx", "file-corrupt", ""),
        ("GS04-加密.xlsx", "file-encrypted", ""),
        ("GS05-无表格.xlsx", "file-no-table", "GS05"),
        ("SO04-未知.xlsx", "file-unit-unknown", ""),
        ("SO05-无单位.xlsx", "file-unit-missing", ""),
        ("SO06-无月份.xlsx", "file-month-missing", "SO06"),
        ("SO07-二月.xlsx", "file-wrong-month", "SO07"),
    ],
)
def test_unusable_forms_are_rejected_and_never_counted(
    messy_month: Intake, path: str, code: str, unit_code: str
) -> None:
    record = record_of(messy_month, path)
    assert record.fate == REJECTED
    (problem,) = problems_of(messy_month, path)
    assert (problem.code, problem.severity, problem.unit_code) == (code, L.ERROR, unit_code)
    assert record.reason == problem.message
    assert (problem.row, problem.column) == (None, "")
    assert rows_of(messy_month, path).empty


def test_rejection_messages_say_what_to_do(messy_month: Intake) -> None:
    def message(path: str) -> str:
        return problems_of(messy_month, path)[0].message

    assert message("SO07-二月.xlsx") == (
        "此表的报送月份是 2025-02，不是本次处理的 2025-03。请把它放到 2025-02 的文件夹，或改正报送月份。"
    )
    assert message("SO06-无月份.xlsx") == "表头“报送月份”为空或无法识别（“”）。请填写为 2025-03 这样的格式。"
    assert message("SO04-未知.xlsx").startswith("单位代码“ZZ99”不在单位名册中")
    assert message("GS03-损坏.xlsx") == (
        "文件无法打开（文件已损坏或不是 Excel/WPS 表格，CalamineError）。请用 Excel 或 WPS 打开确认后另存为 .xlsx 再发送。"
    )


def test_a_missing_required_column_rejects_the_form_but_its_rows_are_counted(messy_month: Intake) -> None:
    problems = problems_of(messy_month, "GS06-缺列.xlsx")
    assert [p.code for p in problems] == ["file-column-missing", "file-column-missing"]
    assert [p.message for p in problems] == [
        "报送表格缺少列“审核人”。请使用局办公室下发的模板，不要删除或改名表头列。",
        "报送表格缺少列“保密审查”。请使用局办公室下发的模板，不要删除或改名表头列。",
    ]
    assert {(p.column, p.row, p.sheet, p.unit_code) for p in problems} == {("", None, L.FORM_SHEET, "GS06")}
    record = record_of(messy_month, "GS06-缺列.xlsx")
    assert (record.fate, record.rows_read, record.rows_rejected) == (REJECTED, 1, 1)


def test_a_wrong_month_form_has_its_rows_counted_as_rejected(messy_month: Intake) -> None:
    record = record_of(messy_month, "SO07-二月.xlsx")
    assert (record.month, record.rows_read, record.rows_rejected, record.rows_accepted) == ("2025-02", 2, 2, 0)


def test_unit_found_by_name_is_accepted_with_a_warning(messy_month: Intake) -> None:
    record = record_of(messy_month, "SO01-按名称.xlsx")
    assert (record.fate, record.unit_code, record.unit_name) == (ACCEPTED, "SO01", "城关国土资源所")
    (problem,) = problems_of(messy_month, "SO01-按名称.xlsx")
    assert (problem.code, problem.severity) == ("file-unit-by-name", L.WARNING)
    assert (
        problem.message == "单位代码“S01”无效，已按填报单位名称识别为“城关国土资源所”。请下次填写正确的单位代码 SO01。"
    )
    assert rows_of(messy_month, "SO01-按名称.xlsx")[L.UNIT_CODE].tolist() == ["SO01"]


def test_code_wins_when_code_and_name_disagree(messy_month: Intake) -> None:
    record = record_of(messy_month, "SO02-冲突.xlsx")
    assert (record.fate, record.unit_code, record.unit_name) == (ACCEPTED, "SO02", "东关国土资源所")
    (problem,) = problems_of(messy_month, "SO02-冲突.xlsx")
    assert problem.code == "file-unit-conflict"
    assert (
        problem.message
        == "单位代码“SO02”对应“东关国土资源所”，但填报单位写的是“西湖国土资源所”。已按单位代码识别，请核对。"
    )


def test_braces_typed_in_a_header_reach_the_message_unchanged(tmp_path: Path, plan: Plan) -> None:
    write_form(tmp_path / "GS01.xlsx", [piece()], header=unit("GS01", "{unit}办公室{0}"))
    (problem,) = read_month(tmp_path, plan, MONTH).problems
    assert (
        problem.message == "单位代码“GS01”对应“办公室”，但填报单位写的是“{unit}办公室{0}”。已按单位代码识别，请核对。"
    )
    assert problem.value == "{unit}办公室{0}"


def test_an_old_template_is_read_with_a_warning(messy_month: Intake) -> None:
    record = record_of(messy_month, "SO08-旧模板.xlsx")
    assert (record.fate, record.template_version, record.rows_read) == (ACCEPTED, "2024.1", 1)
    (problem,) = problems_of(messy_month, "SO08-旧模板.xlsx")
    assert problem.message == "报送表模板版本为“2024.1”，当前为“2025.1”。已尽量读取，请下月改用新模板。"


def test_a_form_with_only_stub_rows_is_accepted_with_a_warning(messy_month: Intake) -> None:
    record = record_of(messy_month, "ZX02-空表.xlsx")
    assert (record.fate, record.rows_read) == (ACCEPTED, 0)
    assert codes_of(messy_month, "ZX02-空表.xlsx") == ["file-no-rows"]


def test_an_odd_file_name_breaks_nothing(messy_month: Intake) -> None:
    path = "DD01/=HYPERLINK(1) #%&' ☺ 报送表 .xlsx"
    assert record_of(messy_month, path).fate == ACCEPTED
    assert rows_of(messy_month, path)[L.SOURCE_FILE].tolist() == [path]


def test_the_header_block_is_kept_on_the_record(messy_month: Intake) -> None:
    record = record_of(messy_month, "GS01-办公室.xlsx")
    assert record.header == {
        L.H_UNIT_NAME: "办公室",
        L.H_UNIT_CODE: "GS01",
        L.H_MONTH: "2025-03",
        L.H_OFFICER: "王晓燕",
        L.H_PHONE: "0539-3221001",
        L.H_HEAD: "马主任",
        L.H_FILL_DATE: "2025-04-02",
    }
    assert (record.month, record.fill_date, record.template_version) == (MONTH, dt.date(2025, 4, 2), "2025.1")
    assert record_of(messy_month, "SO06-无月份.xlsx").header[L.H_MONTH] == ""


def test_rows_read_reconcile_with_rows_and_row_ids(messy_month: Intake) -> None:
    rows = messy_month.rows
    assert rows[L.ROW_ID].tolist() == list(range(1, len(rows) + 1))
    assert rows[L.SOURCE_FILE].is_monotonic_increasing
    for record in messy_month.files:
        counted = len(rows_of(messy_month, record.path))
        if record.fate == ACCEPTED:
            assert (counted, record.rows_accepted, record.rows_rejected) == (record.rows_read, 0, 0)
        else:
            assert (counted, record.rows_rejected) == (0, record.rows_read)
    accepted = sum(r.rows_read for r in messy_month.files if r.fate == ACCEPTED)
    assert accepted == len(rows) == 6


def test_every_problem_is_catalogued_and_located(messy_month: Intake) -> None:
    for problem in messy_month.problems:
        assert problem.code in CATALOGUE
        assert problem.severity == CATALOGUE[problem.code].severity
        assert problem.source_file in {r.path for r in messy_month.files}


# --- limits ---------------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_rejected_unread(tmp_path: Path, plan: Plan) -> None:
    (tmp_path / "GS01.xlsx").write_bytes(b"x" * 3000)
    intake = read_month(tmp_path, plan, MONTH, max_bytes=2048)
    (problem,) = intake.problems
    assert problem.code == "file-too-large"
    assert problem.message == "文件大小 2.9 KB 超过上限 2.0 KB。请只保留报送表，删除图片等无关内容后再发送。"
    assert record_of(intake, "GS01.xlsx").sha256 == hashlib.sha256(b"x" * 3000).hexdigest()


def test_a_sheet_over_the_row_limit_is_rejected(tmp_path: Path, plan: Plan) -> None:
    write_form(tmp_path / "GS01.xlsx", [piece(**{L.TITLE: f"第{i}篇"}) for i in range(15)])
    intake = read_month(tmp_path, plan, MONTH, max_rows=10)
    (problem,) = intake.problems
    assert (problem.code, problem.sheet, problem.unit_code) == ("file-too-many-rows", L.FORM_SHEET, "GS01")
    assert problem.message == "工作表有 20 行，超过上限 10 行。请删除多余的空行或无关内容后再发送。"
    assert record_of(intake, "GS01.xlsx").fate == REJECTED
    assert read_month(tmp_path, plan, MONTH, max_rows=20).rows.shape[0] == 15


# --- two forms from one unit ----------------------------------------------------------------------


def _two_forms(folder: Path, first: str, second: str) -> None:
    write_form(folder / "a.xlsx", [piece(**{L.TITLE: "旧版"})], header={L.H_FILL_DATE: first})
    write_form(
        folder / "b.xlsx", [piece(**{L.TITLE: "新版"}), piece(**{L.TITLE: "新版二"})], header={L.H_FILL_DATE: second}
    )


def test_the_latest_fill_date_wins(tmp_path: Path, plan: Plan) -> None:
    _two_forms(tmp_path, "2025-04-05", "2025年4月2日")
    intake = read_month(tmp_path, plan, MONTH)
    loser = record_of(intake, "b.xlsx")
    assert (loser.fate, loser.rows_read, loser.rows_rejected) == (SUPERSEDED, 2, 2)
    (problem,) = problems_of(intake, "b.xlsx")
    assert (problem.code, problem.severity, problem.unit_code) == ("file-superseded", L.WARNING, "GS01")
    assert problem.message == (
        "本单位本月有多份报送表，此文件已被“a.xlsx”替代（按填报日期、修改时间取最新一份），其内容未计入。"
    )
    assert loser.reason == problem.message
    assert intake.rows[L.TITLE].tolist() == ["旧版"]
    assert record_of(intake, "a.xlsx").fate == ACCEPTED


def test_on_the_same_fill_date_the_latest_modification_wins(tmp_path: Path, plan: Plan) -> None:
    _two_forms(tmp_path, "2025-04-02", "2025-04-02")
    os.utime(tmp_path / "a.xlsx", (1_743_600_000, 1_743_600_000))
    os.utime(tmp_path / "b.xlsx", (1_743_500_000, 1_743_500_000))
    intake = read_month(tmp_path, plan, MONTH)
    assert [r.fate for r in intake.files] == [ACCEPTED, SUPERSEDED]
    assert intake.rows[L.TITLE].tolist() == ["旧版"]


def test_with_nothing_else_to_tell_them_apart_the_last_path_wins(tmp_path: Path, plan: Plan) -> None:
    _two_forms(tmp_path, "2025-04-02", "2025-04-02")
    for name in ("a.xlsx", "b.xlsx"):
        os.utime(tmp_path / name, (1_743_600_000, 1_743_600_000))
    intake = read_month(tmp_path, plan, MONTH)
    assert [r.fate for r in intake.files] == [SUPERSEDED, ACCEPTED]
    assert intake.rows[L.TITLE].tolist() == ["新版", "新版二"]
    assert intake.rows[L.ROW_ID].tolist() == [1, 2]


def test_a_rejected_form_does_not_compete(tmp_path: Path, plan: Plan) -> None:
    write_form(tmp_path / "a.xlsx", [piece()], header={L.H_FILL_DATE: "2025-04-01"})
    write_form(tmp_path / "b.xlsx", [piece()], header={L.H_FILL_DATE: "2025-04-09", L.H_MONTH: "2025-04"})
    intake = read_month(tmp_path, plan, MONTH)
    assert [r.fate for r in intake.files] == [ACCEPTED, REJECTED]
    assert codes_of(intake, "b.xlsx") == ["file-wrong-month"]


def test_cells_merged_over_a_pieces_rows_count_on_every_row(tmp_path: Path, plan: Plan) -> None:
    # A piece adopted by two outlets: the officer merged 稿件标题, 作者 and 报送日期 over its two
    # rows; the form's merged title row above the table is left as it is.
    second = piece(**{L.TITLE: None, L.AUTHORS: None, L.SENT_DATE: None, L.OUTLET: "县融媒体中心", L.SEQ: None})
    path = write_form(tmp_path / "m" / "merged.xlsx", [piece(), second])
    workbook = load_workbook(path)
    ws = workbook[L.FORM_SHEET]
    for label in (L.TITLE, L.AUTHORS, L.SENT_DATE):
        column = L.TABLE_COLUMNS.index(label) + 1
        ws.merge_cells(start_row=6, start_column=column, end_row=7, end_column=column)
    workbook.save(path)
    rows = read_month(tmp_path / "m", plan, "2025-03").rows
    assert rows[L.TITLE].tolist() == ["我县召开耕地保护工作会议"] * 2
    assert rows[L.AUTHORS].tolist() == ["王晓燕"] * 2
    assert rows[L.SENT_DATE].tolist() == [pd.Timestamp("2025-03-05")] * 2
    assert rows[L.OUTLET].tolist() == ["《要情快报》", "县融媒体中心"]
