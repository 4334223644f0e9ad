"""Problem lists as the office reads them: the Chinese title of the problem leads, the code stays last."""

from __future__ import annotations

import openpyxl

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.reports import reports


def sample_problems() -> list[P.Problem]:
    return [
        P.make("row-required", column=L.REVIEWER, unit_code="GS01", unit_name="办公室", source_file="a.xlsx", row=7),
        P.make("file-superseded", newer="b.xlsx", unit_code="GS02", unit_name="规划股", source_file="b-old.xlsx"),
    ]


def header(ws) -> list[str]:
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def test_problems_file_leads_with_the_problem_title_and_keeps_the_code_last(tmp_path):
    path = reports.write_problems(sample_problems(), tmp_path / reports.PROBLEMS_FILE)
    workbook = openpyxl.load_workbook(path)
    ws = workbook["问题清单"]
    assert header(ws) == [
        "单位代码",
        "单位名称",
        "来源文件",
        "行号",
        "列",
        "问题",
        "严重程度",
        "说明",
        "原值",
        "问题代码",
    ]
    assert [c.value for c in ws[2]][5:7] == ["必填项为空", "错误"]
    assert ws.cell(row=2, column=10).value == "row-required"
    counts = workbook["按问题统计"]
    assert header(counts) == ["问题", "严重程度", "条数", "问题代码"]
    assert [c.value for c in counts[2]] == ["已被新版本替代", "警告", 1, "file-superseded"]


def test_a_receipt_note_names_the_problem_before_explaining_it():
    problem = sample_problems()[0]
    assert problem.note == "[错误] 必填项为空：“审核人”为空。请填写后重新报送。"
