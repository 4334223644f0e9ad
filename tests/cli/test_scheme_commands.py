"""The scheme on the command line: `scheme-trial` counts a scheme workbook's example rows, and a
month's run of a scheme plan takes the scheme's form columns into the ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import run
from pipeline.forms.form_copies import write_forms
from pipeline.ledger import Ledger
from pipeline.plan.plan import load_plan
from tests.scheme_helpers import SCHEMES


def invoke(*args: str):
    return CliRunner().invoke(run.cli, list(args), catch_exceptions=False)


def test_scheme_trial_prints_each_units_result_and_writes_the_workbook(tmp_path):
    plan = SCHEMES / "方案4-开发区信息通讯员.xlsx"
    result = invoke("--outputs", str(tmp_path), "scheme-trial", "--plan", str(plan), "--year", "2025")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("已按计分方案试算 25 行示例稿件：")
    assert lines[0].endswith("方案试算-方案4-开发区信息通讯员.xlsx")
    assert "  CJ01 新港村：21 分，折算 10，评优资格 否" in lines
    assert (tmp_path / "方案试算-方案4-开发区信息通讯员.xlsx").is_file()


def _filled_form(issued: Path, target: Path, rows: list[dict[str, object]]) -> None:
    """The issued form of GS01 with `rows` (label -> value) typed in, as the unit sends it."""
    workbook = load_workbook(issued)
    sheet = workbook["报送表"]
    column = {cell.value: cell.column for cell in sheet[5]}
    for offset, row in enumerate(rows):
        for label, value in row.items():
            sheet.cell(row=6 + offset, column=column[label]).value = value
    workbook.save(target)


def test_a_months_run_of_a_scheme_plan_stores_the_forms_scheme_columns(tmp_path):
    shutil.copy(SCHEMES / "方案2-股室信息目标考核.xlsx", tmp_path / "plan-2025.xlsx")
    issued = write_forms(load_plan(tmp_path, 2025), "2025-03", tmp_path / "issued")
    (tmp_path / "2025-03").mkdir()
    same = {"作者": "王晓燕", "报送日期": "2025-03-03", "报送去向": "县委办", "审核人": "马主任", "保密审查": "是"}
    adopted = {**same, "采用情况": "已采用", "采用日期": "2025-03-20", "证明材料": "第3期", "稿件类别": "信息"}
    _filled_form(
        issued[0],
        tmp_path / "2025-03" / issued[0].name,
        [
            {**adopted, "稿件标题": "我县推进耕地保护", "采用载体": "重要信息", "采用级别": "县级", "采用形式": "综合"},
            {
                **adopted,
                "稿件标题": "关于土地流转的调研",
                "采用载体": "市委办",
                "采用级别": "市级",
                "计分加成": "调研参考或理论文章",
            },
            {
                **adopted,
                "稿件标题": "我县开展执法检查",
                "采用载体": "《县要情》",
                "采用级别": "县级",
                "采用形式": "单条 ",
            },
            {**adopted, "稿件标题": "我县整治违法用地", "采用载体": "重要信息", "采用级别": "县级"},
        ],
    )
    result = invoke("--month", "2025-03", "--inputs", str(tmp_path), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    with Ledger(tmp_path / "out" / "ledger.sqlite") as ledger:
        rows = ledger.rows()
    assert rows[["稿件标题", "采用形式", "计分加成", "约稿编号", "上级计分"]].values.tolist() == [
        ["我县推进耕地保护", "综合", "", "", ""],
        ["关于土地流转的调研", "", "调研参考或理论文章", "", ""],
        ["我县开展执法检查", "单条", "", "", ""],
    ]
    with Ledger(tmp_path / "out" / "ledger.sqlite") as ledger:
        [problem] = [p for p in ledger.problems("2025-03") if p.code == "row-outlet-no-row"]
    assert (problem.row, problem.column, problem.value, problem.severity) == (9, "采用形式", "", "错误")
