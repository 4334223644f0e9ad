"""Checks of returned rows: every rule of the form contract, by GX and by pandas."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.checks import checks
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core.text import outlet_key
from pipeline.files import gx

MONTH = "2025-03"


def row(row_id: int = 1, **values: object) -> dict:
    """A valid adopted row of GS02 in March 2025; keyword arguments override by label."""
    base = {
        L.ROW_ID: row_id,
        L.MONTH: MONTH,
        L.UNIT_CODE: "GS02",
        L.UNIT_NAME: "规划利用股",
        L.SOURCE_FILE: "规划股3月.xlsx",
        L.SOURCE_SHEET: "报送表",
        L.SOURCE_ROW: 8 + row_id,
        L.SEQ: str(row_id),
        L.TITLE: "我县完成国土空间总体规划编制",
        L.CATEGORY: "政务信息",
        L.AUTHORS: "李建国",
        L.SENT_DATE: pd.Timestamp("2025-03-03"),
        L.SENT_TO: "县委办",
        L.STATUS: L.ADOPTED,
        L.OUTLET: "《要情快报》",
        L.LEVEL: "县级",
        L.ADOPT_DATE: pd.Timestamp("2025-03-10"),
        L.INSTRUCTION: "",
        L.CO_UNITS: "",
        L.PROOF: "第12期",
        L.REVIEWER: "王局长",
        L.SECRECY: L.YES,
        L.NOTES: "",
        L.SENT_DATE + L.RAW_SUFFIX: "2025-03-03",
        L.ADOPT_DATE + L.RAW_SUFFIX: "2025-03-10",
    }
    base.update(values)
    base.setdefault(L.PIECE_KEY, base[L.TITLE].lower())
    if L.PIECE_KEY not in values:
        base[L.PIECE_KEY] = str(base[L.TITLE]).replace(" ", "").lower()
    return base


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows), columns=list(L.ROW_COLUMNS))
    for column in L.DATE_COLUMNS:
        out[column] = pd.to_datetime(out[column])
    return out


def codes(problems: list[P.Problem]) -> list[tuple[int | None, str, str]]:
    return sorted((p.row_id, p.code, p.column) for p in problems)


def test_a_valid_row_has_no_problem(plan):
    assert checks.validate_rows(frame(row()), plan, MONTH) == []


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({L.TITLE: "", L.PIECE_KEY: ""}, ("row-required", L.TITLE)),
        ({L.TITLE: "我"}, ("row-title-length", L.TITLE)),
        ({L.TITLE: "长" * 201}, ("row-title-length", L.TITLE)),
        ({L.CATEGORY: ""}, ("row-required", L.CATEGORY)),
        ({L.CATEGORY: "信息"}, ("row-not-in-list", L.CATEGORY)),
        ({L.AUTHORS: ""}, ("row-required", L.AUTHORS)),
        ({L.SENT_DATE: pd.NaT, L.SENT_DATE + L.RAW_SUFFIX: ""}, ("row-required", L.SENT_DATE)),
        (
            {
                L.SENT_DATE: pd.Timestamp("2025-04-01"),
                L.ADOPT_DATE: pd.NaT,
                L.STATUS: L.NOT_ADOPTED,
                L.LEVEL: "",
                L.OUTLET: "",
                L.PROOF: "",
                L.ADOPT_DATE + L.RAW_SUFFIX: "",
            },
            ("row-sent-after-month", L.SENT_DATE),
        ),
        ({L.SENT_TO: ""}, ("row-required", L.SENT_TO)),
        ({L.STATUS: ""}, ("row-required", L.STATUS)),
        ({L.STATUS: "采用"}, ("row-not-in-list", L.STATUS)),
        ({L.OUTLET: ""}, ("row-adoption-incomplete", L.OUTLET)),
        ({L.LEVEL: ""}, ("row-adoption-incomplete", L.LEVEL)),
        ({L.LEVEL: "区级"}, ("row-not-in-list", L.LEVEL)),
        ({L.ADOPT_DATE: pd.NaT, L.ADOPT_DATE + L.RAW_SUFFIX: ""}, ("row-adoption-incomplete", L.ADOPT_DATE)),
        (
            {L.ADOPT_DATE: pd.Timestamp("2025-02-27"), L.SENT_DATE: pd.Timestamp("2025-02-20")},
            ("row-adopted-outside-month", L.ADOPT_DATE),
        ),
        ({L.ADOPT_DATE: pd.Timestamp("2025-03-02")}, ("row-adopted-before-sent", L.ADOPT_DATE)),
        ({L.PROOF: ""}, ("row-adoption-incomplete", L.PROOF)),
        ({L.INSTRUCTION: "乡级"}, ("row-not-in-list", L.INSTRUCTION)),
        ({L.CO_UNITS: "SO01、火星所"}, ("row-unknown-co-unit", L.CO_UNITS)),
        ({L.REVIEWER: ""}, ("row-required", L.REVIEWER)),
        ({L.SECRECY: ""}, ("row-required", L.SECRECY)),
        ({L.SECRECY: L.NO}, ("row-secrecy", L.SECRECY)),
    ],
)
def test_each_rule_rejects_the_row(plan, override, expected):
    problems = checks.validate_rows(frame(row(1, **override), row(2, **{L.TITLE: "另一篇正常的稿件"})), plan, MONTH)
    assert codes(problems) == [(1, *expected)]
    assert problems[0].severity == L.ERROR
    accepted, rejected = checks.split_rows(frame(row(1), row(2)).iloc[[0]], problems)
    assert accepted.empty and rejected[L.ROW_ID].tolist() == [1]


def test_messages_say_what_is_wrong_and_where(plan):
    problems = checks.validate_rows(
        frame(row(3, **{L.CATEGORY: "信息", L.CO_UNITS: "SO01、火星所", L.SECRECY: L.NO})), plan, MONTH
    )
    by_code = {p.code: p for p in problems}
    assert by_code["row-not-in-list"].message == (
        "“稿件类别”填写了“信息”，应为：政务信息、新闻宣传、调研文章、党建信息。请从下拉列表中选择。"
    )
    unknown = by_code["row-unknown-co-unit"]
    assert unknown.message == ("合作单位“火星所”不在单位名册中。请填写名册中的单位代码或全称，多个单位用“、”分隔。")
    assert (unknown.unit_code, unknown.source_file, unknown.row, unknown.column) == (
        "GS02",
        "规划股3月.xlsx",
        11,
        L.CO_UNITS,
    )
    assert by_code["row-secrecy"].message == "“保密审查”为“否”。稿件须经保密审查（填“是”）方可报送和统计。"


def test_date_problems_show_the_text_as_typed(plan):
    bad = row(1, **{L.ADOPT_DATE: pd.Timestamp("2025-04-02"), L.ADOPT_DATE + L.RAW_SUFFIX: "4月2日"})
    (problem,) = checks.validate_rows(frame(bad), plan, MONTH)
    assert problem.value == "4月2日"
    assert problem.message.startswith("采用日期 4月2日 不在报送月份 2025-03 内。")


def test_not_adopted_row_with_a_level_is_accepted_with_a_warning(plan):
    rows = frame(row(1, **{L.STATUS: L.NOT_ADOPTED, L.ADOPT_DATE: pd.NaT, L.ADOPT_DATE + L.RAW_SUFFIX: ""}))
    problems = checks.validate_rows(rows, plan, MONTH)
    assert codes(problems) == [(1, "row-not-adopted-with-adoption", L.LEVEL)]
    assert problems[0].severity == L.WARNING
    accepted, _ = checks.split_rows(rows, problems)
    assert accepted[L.ROW_ID].tolist() == [1]
    cleaned = checks.accepted_form(accepted, plan)
    assert cleaned[[L.LEVEL, L.OUTLET]].iloc[0].tolist() == ["", ""]
    assert pd.isna(cleaned[L.ADOPT_DATE].iloc[0])


def test_not_adopted_rows_need_no_adoption_fields(plan):
    rows = frame(
        row(
            1,
            **{
                L.STATUS: L.NOT_ADOPTED,
                L.OUTLET: "",
                L.LEVEL: "",
                L.PROOF: "",
                L.ADOPT_DATE: pd.NaT,
                L.ADOPT_DATE + L.RAW_SUFFIX: "",
                L.SENT_DATE: pd.Timestamp("2025-01-20"),
            },
        )
    )
    assert checks.validate_rows(rows, plan, MONTH) == []


def test_same_adoption_listed_twice_rejects_the_later_row(plan):
    rows = frame(row(1), row(2, **{L.OUTLET: "要情快报", L.SOURCE_ROW: 15}), row(3, **{L.OUTLET: "《县融媒体》"}))
    problems = checks.validate_rows(rows, plan, MONTH)
    assert codes(problems) == [(2, "row-duplicate-adoption", L.OUTLET)]
    assert "已在 “规划股3月.xlsx”第 9 行 填报过" in problems[0].message


def test_piece_listed_by_two_units_that_do_not_name_each_other(plan):
    rows = frame(row(1), row(2, **{L.UNIT_CODE: "SO01", L.UNIT_NAME: "城关国土资源所", L.SOURCE_FILE: "城关所.xlsx"}))
    problems = checks.validate_rows(rows, plan, MONTH)
    assert codes(problems) == [(1, "row-duplicate-piece", L.TITLE), (2, "row-duplicate-piece", L.TITLE)]
    assert "也由“SO01 城关国土资源所”报送" in problems[0].message


def test_one_sided_co_writing_is_one_piece_with_a_warning(plan):
    rows = frame(
        row(1, **{L.CO_UNITS: "城关国土资源所"}),
        row(2, **{L.UNIT_CODE: "SO01", L.UNIT_NAME: "城关国土资源所"}),
    )
    problems = checks.validate_rows(rows, plan, MONTH)
    assert codes(problems) == [(2, "row-co-unit-one-sided", L.CO_UNITS)]
    accepted, rejected = checks.split_rows(rows, problems)
    assert len(accepted) == 2 and rejected.empty


def test_mutually_named_co_writing_is_clean_and_resolved_to_codes(plan):
    rows = frame(
        row(1, **{L.CO_UNITS: "城关国土资源所"}),
        row(2, **{L.UNIT_CODE: "SO01", L.UNIT_NAME: "城关国土资源所", L.CO_UNITS: "GS02"}),
    )
    assert checks.validate_rows(rows, plan, MONTH) == []
    assert checks.accepted_form(rows, plan)[L.CO_UNITS].tolist() == ["SO01", "GS02"]


def test_naming_oneself_as_co_unit_is_a_warning_and_dropped(plan):
    rows = frame(row(1, **{L.CO_UNITS: "GS02、SO01"}))
    assert codes(checks.validate_rows(rows, plan, MONTH)) == [(1, "row-self-co-unit", L.CO_UNITS)]
    assert checks.accepted_form(rows, plan)[L.CO_UNITS].tolist() == ["SO01"]


def test_blank_instruction_becomes_none(plan):
    assert checks.accepted_form(frame(row(1)), plan)[L.INSTRUCTION].tolist() == [L.NO_INSTRUCTION]


def test_formula_like_text_is_just_text(plan):
    assert checks.validate_rows(frame(row(1, **{L.TITLE: '=HYPERLINK("http://x")的问题'})), plan, MONTH) == []


def test_outlet_key_folds_brackets_and_width():
    assert outlet_key("《要情快报》") == outlet_key(" 要情快报 ") == outlet_key("<要情快报>") == "要情快报"
    assert outlet_key("ＸＸ日报") == "xx日报"


def test_every_code_in_the_suites_is_catalogued():
    for name in ("rows.json", "plan.json"):
        for suite in gx.load_suites(gx.EXPECTATIONS_DIR / name):
            for expectation in suite["expectations"]:
                assert expectation["meta"]["code"] in P.CATALOGUE, expectation


def test_an_edited_suite_with_a_bad_rule_stops_with_a_clear_error(plan, tmp_path):
    suite = json.loads((gx.EXPECTATIONS_DIR / "rows.json").read_text(encoding="utf-8"))
    suite["expectations"].append(
        {"type": "expect_no_such_thing", "kwargs": {"column": L.TITLE}, "meta": {"code": "row-required"}}
    )
    (tmp_path / "rows.json").write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(gx.ExpectationsInvalid) as info:
        checks.validate_rows(frame(row()), plan, MONTH, expectations=tmp_path)
    assert info.value.exit_code == 7
    assert "rows.json" in info.value.message
