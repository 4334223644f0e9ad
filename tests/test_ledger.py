"""The ledger: month replacement, atomicity, round trips, and the cross-month rules."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline import ledger as ledger_module
from pipeline.checks import cross_month
from pipeline.checks.cross_month import CARRY_COLUMNS, carry_over_table, earlier_claims
from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.core import scheme_labels as S
from pipeline.core.errors import OutputsUnwritable, PipelineError
from pipeline.core.records import REJECTED, SKIPPED, SUPERSEDED, FileRecord
from pipeline.core.text import fold
from pipeline.files import ledger_records, ledger_schema
from pipeline.ledger import CATCH_UP, Ledger

UNIT_NAMES = {"GS01": "办公室", "GS02": "规划利用股", "SO01": "城关国土资源所", "ZX01": "土地储备中心"}


def make_row(row_id: int, **values: Any) -> dict[str, Any]:
    """One accepted row with believable defaults; keyword names are the labels' ASCII aliases."""
    unit = values.pop("unit", "GS01")
    title = values.pop("title", "我县召开耕地保护工作推进会")
    adopted = values.pop("adopted", None)
    row = {
        L.ROW_ID: row_id,
        L.MONTH: values.pop("month", "2025-03"),
        L.UNIT_CODE: unit,
        L.UNIT_NAME: UNIT_NAMES[unit],
        L.SOURCE_FILE: values.pop("file", f"{unit}-3月报送表.xlsx"),
        L.SOURCE_SHEET: L.FORM_SHEET,
        L.SOURCE_ROW: values.pop("excel_row", row_id + 6),
        L.SEQ: str(row_id),
        L.TITLE: title,
        L.CATEGORY: values.pop("category", "政务信息"),
        L.AUTHORS: values.pop("authors", "王晓燕"),
        L.SENT_DATE: pd.Timestamp(values.pop("sent", "2025-03-05")),
        L.SENT_TO: values.pop("sent_to", "县委办"),
        L.STATUS: L.ADOPTED if adopted else L.NOT_ADOPTED,
        L.OUTLET: values.pop("outlet", "《要情快报》" if adopted else ""),
        L.LEVEL: values.pop("level", "县级" if adopted else ""),
        L.ADOPT_DATE: pd.Timestamp(adopted) if adopted else pd.NaT,
        L.INSTRUCTION: values.pop("instruction", L.NO_INSTRUCTION),
        L.CO_UNITS: values.pop("co", ""),
        L.PROOF: "第12期" if adopted else "",
        L.REVIEWER: "李局长",
        L.SECRECY: L.YES,
        L.NOTES: values.pop("notes", ""),
        L.SENT_DATE + L.RAW_SUFFIX: "2025.3.5",
        L.ADOPT_DATE + L.RAW_SUFFIX: adopted or "",
        L.PIECE_KEY: fold(title),
        **{column: values.pop(column, "") for column in S.SCHEME_FORM_COLUMNS},
    }
    assert not values, f"unknown row fields {values}"
    return row


def frame(*rows: dict[str, Any]) -> pd.DataFrame:
    result = pd.DataFrame(list(rows), columns=list(L.ROW_COLUMNS))
    for column in L.DATE_COLUMNS:
        result[column] = pd.to_datetime(result[column]).astype(ledger_module._DATE_DTYPE)
    return result


def file_record(path: str, unit: str = "GS01", **values: Any) -> FileRecord:
    return FileRecord(
        path=path,
        sha256=values.pop("sha256", "ab" * 32),
        size=values.pop("size", 10240),
        modified=values.pop("modified", 1743650000.5),
        unit_code=unit,
        unit_name=UNIT_NAMES.get(unit, ""),
        month=values.pop("month", "2025-03"),
        header={L.H_OFFICER: "王晓燕", L.H_PHONE: "0539-3221001"},
        template_version=L.FORM_VERSION,
        **values,
    )


def run(reason: str = "requested", **counts: int) -> dict[str, Any]:
    return {
        "started": dt.datetime(2025, 4, 3, 9, 0, 0),
        "finished": dt.datetime(2025, 4, 3, 9, 0, 7),
        "reason": reason,
        "counts": counts,
    }


def problem(row_id: int, code: str = "row-required") -> P.Problem:
    return P.make(
        code,
        column=L.REVIEWER,
        unit_code="GS01",
        unit_name="办公室",
        source_file="GS01-3月报送表.xlsx",
        sheet=L.FORM_SHEET,
        row=row_id + 6,
        row_id=row_id,
    )


MARCH_ROWS = frame(
    make_row(1, title="城关所开展土地卫片执法检查", unit="SO01", file="城关所.xlsx"),
    make_row(2, adopted="2025-03-20", notes="=SUM(A1)"),
)
MARCH_FILES = [
    file_record("GS01-3月报送表.xlsx"),
    file_record("城关所.xlsx", unit="SO01", fill_date=dt.date(2025, 4, 1)),
]
MARCH_PROBLEMS = [problem(3), P.make("file-no-rows", unit_code="SO01", source_file="城关所.xlsx")]


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "outputs" / "ledger.sqlite") as opened:
        yield opened


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row/problem/file, in storage order: what determinism compares."""
    with sqlite3.connect(path) as db:
        return {
            "rows": db.execute(f'SELECT * FROM rows ORDER BY "{L.MONTH}", row_id').fetchall(),
            "problems": db.execute("SELECT * FROM problems ORDER BY month, seq").fetchall(),
            "files": db.execute("SELECT * FROM files ORDER BY month, path").fetchall(),
        }


# --- replacing months --------------------------------------------------------------------------


def test_replacing_a_month_twice_keeps_only_the_second_and_leaves_earlier_months(ledger: Ledger) -> None:
    february = frame(make_row(1, month="2025-02", sent="2025-02-10"))
    ledger.replace_month("2025-02", february, [problem(9)], [file_record("二月.xlsx", month="2025-02")], run())
    ledger.replace_month("2025-03", MARCH_ROWS, MARCH_PROBLEMS, MARCH_FILES, run())
    second = frame(make_row(5, title="我县国土资源信息化建设取得新进展", unit="GS02", file="规划股.xlsx"))
    ledger.replace_month("2025-03", second, [], [file_record("规划股.xlsx", unit="GS02")], run())

    pd.testing.assert_frame_equal(ledger.rows(months=["2025-03"]), second)
    pd.testing.assert_frame_equal(ledger.rows(months=["2025-02"]), february)
    assert ledger.problems("2025-03") == []
    assert ledger.problems("2025-02") == [problem(9)]
    assert [f.path for f in ledger.files("2025-03")] == ["规划股.xlsx"]
    assert [f.path for f in ledger.files("2025-02")] == ["二月.xlsx"]
    assert [r["month"] for r in ledger.runs()] == ["2025-02", "2025-03", "2025-03"]


def test_a_failure_mid_transaction_leaves_the_previous_state(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger.replace_month("2025-03", MARCH_ROWS, MARCH_PROBLEMS, MARCH_FILES, run())
    before = dump(ledger.path)

    def broken(*args: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(ledger_records, "insert_files", broken)
    with pytest.raises(RuntimeError, match="disk gone"):
        ledger.replace_month("2025-03", frame(make_row(7)), [], [], run())

    assert dump(ledger.path) == before
    assert len(ledger.runs()) == 1
    monkeypatch.undo()
    ledger.replace_month("2025-03", frame(make_row(7)), [], [], run())
    assert ledger.rows()[L.ROW_ID].tolist() == [7]


def test_bad_arguments_write_nothing(ledger: Ledger) -> None:
    ledger.replace_month("2025-03", MARCH_ROWS, MARCH_PROBLEMS, MARCH_FILES, run())
    before = dump(ledger.path)
    with pytest.raises(ValueError, match="2025-02"):
        ledger.replace_month("2025-03", frame(make_row(1, month="2025-02")), [], [], run())
    with pytest.raises(ValueError, match="reason"):
        ledger.replace_month("2025-03", MARCH_ROWS, [], [], run(reason="manual"))
    with pytest.raises(ValueError, match="unknown keys"):
        ledger.replace_month("2025-03", MARCH_ROWS, [], [], {**run(), "why": "requested"})
    with pytest.raises(ValueError, match="YYYY-MM"):
        ledger.replace_month("2025-3", MARCH_ROWS, [], [], run())
    assert dump(ledger.path) == before


def test_the_same_inputs_store_the_same_ledger(tmp_path: Path) -> None:
    paths = [tmp_path / "a" / "ledger.sqlite", tmp_path / "b" / "ledger.sqlite"]
    for index, path in enumerate(paths):
        with Ledger(path) as ledger:
            for _ in range(index + 1):
                ledger.replace_month("2025-03", MARCH_ROWS, MARCH_PROBLEMS, MARCH_FILES, run())
    assert dump(paths[0]) == dump(paths[1])
    assert dump(paths[0])["rows"][0][:3] == (1, "2025-03", "SO01")


def test_a_second_writer_is_told_the_ledger_is_busy(ledger: Ledger) -> None:
    with sqlite3.connect(ledger.path, isolation_level=None) as other:
        other.execute("BEGIN IMMEDIATE")
        with Ledger(ledger.path, timeout=0.05) as second, pytest.raises(OutputsUnwritable) as caught:
            second.replace_month("2025-03", MARCH_ROWS, [], [], run())
        other.execute("ROLLBACK")
    assert "台账正被另一次运行占用" in caught.value.message
    assert ledger.rows().empty


# --- round trips -------------------------------------------------------------------------------


def test_rows_round_trip_with_their_dtypes(ledger: Ledger) -> None:
    rows = frame(
        make_row(3, title="＝1+1 国土所“三查”活动", notes="", excel_row=40, outlet="", co=""),
        make_row(1, adopted="2025-03-31", co="SO01、ZX01", instruction="市级", authors="王晓燕、李建国"),
        make_row(2, sent="2025-03-01 14:30"),
    )
    ledger.replace_month("2025-03", rows, [], [], run())
    stored = ledger.rows()

    expected = rows.sort_values(L.ROW_ID).reset_index(drop=True)
    pd.testing.assert_frame_equal(stored, expected)
    assert list(stored.columns) == list(L.ROW_COLUMNS)
    assert stored[L.ROW_ID].dtype == "int64" and stored[L.SOURCE_ROW].dtype == "int64"
    assert stored[L.ADOPT_DATE].tolist()[1:] == [pd.NaT, pd.NaT]
    assert stored.at[0, L.ADOPT_DATE] == pd.Timestamp("2025-03-31")
    assert stored.at[1, L.SENT_DATE] == pd.Timestamp("2025-03-01 14:30")
    assert stored.at[2, L.TITLE] == "＝1+1 国土所“三查”活动"
    assert stored.at[2, L.NOTES] == "" and stored.at[2, L.OUTLET] == ""
    with sqlite3.connect(ledger.path) as db:
        stored_text = db.execute(f'SELECT "{L.SENT_DATE}", "{L.ADOPT_DATE}" FROM rows ORDER BY row_id').fetchall()
    assert stored_text == [("2025-03-05", "2025-03-31"), ("2025-03-01T14:30:00", None), ("2025-03-05", None)]


def test_rows_filters_by_year_months_and_through(ledger: Ledger) -> None:
    for month in ("2024-12", "2025-01", "2025-03"):
        ledger.replace_month(month, frame(make_row(1, month=month), make_row(2, month=month)), [], [], run())

    def months(**filters: Any) -> list[str]:
        return ledger.rows(**filters)[L.MONTH].tolist()

    assert months() == ["2024-12", "2024-12", "2025-01", "2025-01", "2025-03", "2025-03"]
    assert months(year=2025) == ["2025-01", "2025-01", "2025-03", "2025-03"]
    assert months(through="2025-01") == ["2024-12", "2024-12", "2025-01", "2025-01"]
    assert months(year=2025, through="2025-02") == ["2025-01", "2025-01"]
    assert months(since="2025-01") == ["2025-01", "2025-01", "2025-03", "2025-03"]
    assert months(since="2025-01", through="2025-02") == ["2025-01", "2025-01"]
    assert months(months=["2025-03", "2024-12"]) == ["2024-12", "2024-12", "2025-03", "2025-03"]
    assert months(months=[]) == []
    empty = ledger.rows(year=2023)
    assert list(empty.columns) == list(L.ROW_COLUMNS) and empty[L.SENT_DATE].dtype.kind == "M"


def test_problems_files_and_runs_round_trip(ledger: Ledger) -> None:
    files = [
        *MARCH_FILES,
        file_record("~$草稿.xlsx", unit="", fate=SKIPPED, reason="是 Office 临时文件", sha256="cd" * 32),
    ]
    ledger.replace_month("2025-03", MARCH_ROWS, MARCH_PROBLEMS, files, run(CATCH_UP, 行数=2, 问题=2))

    assert ledger.problems("2025-03") == MARCH_PROBLEMS
    assert ledger.files("2025-03") == sorted(files, key=lambda f: f.path)
    assert ledger.files("2025-03")[0].header == {L.H_OFFICER: "王晓燕", L.H_PHONE: "0539-3221001"}
    [recorded] = ledger.runs("2025-03")
    assert recorded["started"] == "2025-04-03T09:00:00" and recorded["finished"] == "2025-04-03T09:00:07"
    assert recorded["reason"] == "catch-up"
    assert recorded["counts"] == {"行数": 2, "问题": 2}
    assert recorded["files"] == [
        ["GS01-3月报送表.xlsx", "ab" * 32],
        ["~$草稿.xlsx", "cd" * 32],
        ["城关所.xlsx", "ab" * 32],
    ]


def test_file_hashes_cover_every_file_whatever_its_fate(ledger: Ledger) -> None:
    files = [
        file_record("a.xlsx", sha256="1" * 64),
        file_record("旧版/a.xlsx", fate=SUPERSEDED, sha256="2" * 64),
        file_record("坏.xls", unit="", fate=REJECTED, sha256="3" * 64),
    ]
    ledger.replace_month("2025-03", MARCH_ROWS, [], files, run())
    assert ledger.file_hashes("2025-03") == {"a.xlsx": "1" * 64, "旧版/a.xlsx": "2" * 64, "坏.xls": "3" * 64}
    assert ledger.file_hashes("2025-04") == {}


def test_processed_months_by_year(ledger: Ledger) -> None:
    for month in ("2025-03", "2024-12", "2025-01", "2025-03"):
        ledger.replace_month(month, frame(), [], [], run())
    assert ledger.processed_months() == ["2024-12", "2025-01", "2025-03"]
    assert ledger.processed_months(year=2025) == ["2025-01", "2025-03"]
    assert ledger.processed_months(year=2026) == []


def test_returns_use_the_fill_date_else_the_local_modification_date(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    # 2025-04-02 17:00 UTC is 2025-04-03 01:00 in the county.
    late_evening = dt.datetime(2025, 4, 2, 17, 0, tzinfo=dt.UTC).timestamp()
    march = [
        file_record("b.xlsx", unit="SO01", modified=late_evening),
        file_record("a.xlsx", unit="GS01", fill_date=dt.date(2025, 4, 1), modified=late_evening),
        file_record("c.xlsx", unit="GS02", fate=SUPERSEDED, fill_date=dt.date(2025, 4, 1)),
    ]
    ledger.replace_month("2025-03", MARCH_ROWS, [], march, run())
    ledger.replace_month(
        "2025-02", frame(), [], [file_record("d.xlsx", unit="ZX01", fill_date=dt.date(2025, 3, 3))], run()
    )
    ledger.replace_month("2024-12", frame(), [], [file_record("e.xlsx", fill_date=dt.date(2025, 1, 2))], run())
    try:
        returns = ledger.returns(year=2025)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

    expected = pd.DataFrame(
        {
            L.MONTH: ["2025-02", "2025-03", "2025-03"],
            L.UNIT_CODE: ["ZX01", "GS01", "SO01"],
            L.SUBMITTED_ON: pd.to_datetime(["2025-03-03", "2025-04-01", "2025-04-03"]),
        }
    )
    expected[L.SUBMITTED_ON] = expected[L.SUBMITTED_ON].astype(ledger_module._DATE_DTYPE)
    expected[L.FIRST_SUBMITTED_ON] = expected[L.SUBMITTED_ON]  # no unit sent two versions
    pd.testing.assert_frame_equal(returns, expected, check_dtype=False)
    assert list(returns.columns) == list(L.RETURN_COLUMNS)
    assert returns[L.SUBMITTED_ON].dtype.kind == "M"
    assert ledger.returns(year=2026).empty


# --- guarding the file -------------------------------------------------------------------------


def test_a_file_that_is_not_a_ledger_stops_the_run(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.write_bytes("这不是数据库".encode() * 100)
    with pytest.raises(PipelineError) as caught:
        Ledger(path)
    assert caught.value.exit_code == 13
    assert caught.value.message.startswith(f"台账 {path} 已损坏（file is not a database）")


def test_a_ledger_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {ledger_schema.SCHEMA_VERSION + 1}")
    with pytest.raises(PipelineError, match="由更新版本的程序创建"):
        Ledger(path)


def test_a_folder_in_the_way_is_reported_as_unwritable(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    path.mkdir()
    with pytest.raises(OutputsUnwritable) as caught:
        Ledger(path)
    assert caught.value.exit_code == 6
    assert "台账数据库无法打开" in caught.value.message


def test_reopening_keeps_the_schema_and_the_data(tmp_path: Path) -> None:
    path = tmp_path / "new" / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.replace_month("2025-03", MARCH_ROWS, [], [], run())
    with Ledger(path) as ledger:
        assert len(ledger.rows()) == 2
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == ledger_schema.SCHEMA_VERSION


# --- adoptions claimed in an earlier month -----------------------------------------------------


def test_an_adoption_counted_in_an_earlier_month_is_rejected_naming_that_month() -> None:
    earlier = frame(
        make_row(4, month="2025-01", adopted="2025-01-15", outlet="要情快报 "),
        make_row(9, month="2025-02", adopted="2025-02-10", outlet="《要情快报》"),
    )
    rows = frame(make_row(2, adopted="2025-03-20", excel_row=8, outlet="《要情快报》"))
    [claim] = earlier_claims(rows, earlier)
    assert claim == P.Problem(
        code="row-claimed-earlier",
        severity=L.ERROR,
        message="该稿件在“《要情快报》”的采用已在 2025-01 计入，不能重复计分。请删除本行。",
        unit_code="GS01",
        unit_name="办公室",
        source_file="GS01-3月报送表.xlsx",
        sheet=L.FORM_SHEET,
        row=8,
        column=L.OUTLET,
        value="我县召开耕地保护工作推进会",
        row_id=2,
    )


def test_another_outlet_or_an_unadopted_row_is_not_a_claim() -> None:
    earlier = frame(
        make_row(1, month="2025-02", adopted="2025-02-10", outlet="临沂日报", level="市级"),
        make_row(2, month="2025-02", title="西湖所开展地质灾害巡查"),
    )
    rows = frame(
        make_row(1, adopted="2025-03-20", outlet="《要情快报》"),
        make_row(2, title="西湖所开展地质灾害巡查", adopted="2025-03-22"),
        make_row(3, title="西湖所开展地质灾害巡查", outlet="临沂日报", level="市级"),
    )
    assert earlier_claims(rows, earlier) == []
    assert earlier_claims(rows, frame()) == []
    assert earlier_claims(frame(), earlier) == []


def test_a_claim_by_a_linked_co_unit_or_an_unrelated_unit_is_rejected_too() -> None:
    earlier = frame(
        make_row(1, month="2025-02", unit="SO01", adopted="2025-02-10", co="GS01"),
        make_row(2, month="2025-02", unit="ZX01", title="土地储备中心完成年度收储计划", adopted="2025-02-11"),
    )
    rows = frame(
        make_row(1, adopted="2025-03-20"),
        make_row(2, unit="GS02", title="土地储备中心完成年度收储计划", adopted="2025-03-21", excel_row=12),
    )
    claims = earlier_claims(rows, earlier)
    assert [(c.unit_code, c.row, c.row_id, c.value) for c in claims] == [
        ("GS01", 7, 1, "我县召开耕地保护工作推进会"),
        ("GS02", 12, 2, "土地储备中心完成年度收储计划"),
    ]
    assert all("已在 2025-02 计入" in c.message for c in claims)


def test_an_adoption_counted_years_before_is_claimed_from_the_ledger_s_adoptions(ledger: Ledger) -> None:
    ledger.replace_month(
        "2023-05",
        frame(
            make_row(1, month="2023-05", adopted="2023-05-10", outlet="要情快报"),
            make_row(2, month="2023-05", title="西湖所开展地质灾害巡查"),
        ),
        [],
        [],
        run(),
    )
    ledger.replace_month("2024-02", frame(make_row(1, month="2024-02", adopted="2024-02-10")), [], [], run())

    adoptions = ledger.adoptions(through="2023-12")

    assert adoptions.to_dict("records") == [
        {L.MONTH: "2023-05", L.PIECE_KEY: fold("我县召开耕地保护工作推进会"), L.STATUS: L.ADOPTED, L.OUTLET: "要情快报"}
    ]
    rows = frame(make_row(1, month="2025-03", adopted="2025-03-20"))
    [claim] = earlier_claims(rows, adoptions)
    assert "已在 2023-05 计入" in claim.message


def test_the_adoptions_of_the_pieces_a_month_lists_are_those_of_every_adoption_of_theirs(ledger: Ledger) -> None:
    ledger.replace_month(
        "2023-05",
        frame(
            make_row(1, month="2023-05", adopted="2023-05-10", outlet="要情快报"),
            make_row(2, month="2023-05", title="西湖所开展地质灾害巡查", adopted="2023-05-11"),
            make_row(3, month="2023-05", title="土地储备中心完成年度收储计划"),
        ),
        [],
        [],
        run(),
    )
    ledger.replace_month(
        "2023-07", frame(make_row(1, month="2023-07", adopted="2023-07-10", outlet="国土资源报")), [], [], run()
    )
    listed = [fold("我县召开耕地保护工作推进会"), fold("土地储备中心完成年度收储计划"), "从未报过的稿件"]

    adoptions = ledger.adoptions(through="2023-12", listed=listed)

    everything = ledger.adoptions(through="2023-12")
    assert len(everything) == 3
    pd.testing.assert_frame_equal(adoptions, everything[everything[L.PIECE_KEY].isin(listed)].reset_index(drop=True))
    assert adoptions[L.OUTLET].tolist() == ["要情快报", "国土资源报"]
    assert ledger.adoptions(through="2023-12", listed=[]).empty
    assert list(ledger.adoptions(through="2022-12").columns) == [L.MONTH, L.PIECE_KEY, L.STATUS, L.OUTLET]


def test_rows_of_a_later_month_do_not_claim_backwards() -> None:
    later = frame(make_row(1, month="2025-04", adopted="2025-04-02"))
    assert earlier_claims(frame(make_row(1, adopted="2025-03-20")), later) == []


# --- carrying unadopted pieces over ------------------------------------------------------------


def carry_over(rows: pd.DataFrame, unit_code: str) -> pd.DataFrame:
    """Reference: one unit's waiting pieces, sorted on their own (the pipeline sorts every unit's
    pieces at once in `carry_over_table`)."""
    waiting = cross_month._waiting_pieces(rows)
    mine = waiting[waiting[L.UNIT_CODE] == unit_code]
    ordered = mine.sort_values([L.SENT_DATE, L.TITLE, L.PIECE_KEY], na_position="last", kind="stable")
    return ordered.loc[:, list(CARRY_COLUMNS)].reset_index(drop=True)


def carry_overs(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """`carry_over_table` split by unit: 单位代码 -> its pieces (units with none are absent)."""
    table = carry_over_table(rows)
    positions = table.groupby(L.UNIT_CODE, sort=True).indices
    pieces = table.loc[:, list(CARRY_COLUMNS)]
    return {str(code): pieces.iloc[positions[code]].reset_index(drop=True) for code in sorted(positions)}


def test_carry_over_keeps_unadopted_pieces_with_their_latest_values() -> None:
    rows = frame(
        make_row(1, month="2025-02", title="东关所宣传土地管理法", sent="2025-02-20", notes="二月"),
        make_row(3, month="2025-03", title="东关所宣传土地管理法", sent="2025-02-20", notes="三月补充"),
        make_row(2, month="2025-03", title="规划利用股编制村庄规划", sent="2025-03-02", co="SO01"),
        make_row(4, month="2025-02", title="已采用的稿件", sent="2025-02-01"),
        make_row(5, month="2025-03", title="已采用的稿件", sent="2025-02-01", adopted="2025-03-09"),
        make_row(6, month="2025-03", title="别的单位的稿件", unit="GS02"),
        make_row(7, month="2025-03", title="阿拉伯数字开头的稿件", sent="2025-02-20"),
    )
    carried = carry_over(rows, "GS01")

    assert list(carried.columns) == list(CARRY_COLUMNS)
    assert carried[L.TITLE].tolist() == ["东关所宣传土地管理法", "阿拉伯数字开头的稿件", "规划利用股编制村庄规划"]
    assert carried[L.NOTES].tolist() == ["三月补充", "", ""]
    assert carried[L.SENT_DATE].tolist() == [pd.Timestamp("2025-02-20")] * 2 + [pd.Timestamp("2025-03-02")]
    assert carried.at[2, L.CO_UNITS] == "SO01"
    # SO01 is only named as co-writer: the piece stays GS01's to carry.
    assert carry_over(rows, "SO01").empty
    assert list(carry_overs(rows)) == ["GS01", "GS02"]
    pd.testing.assert_frame_equal(carry_overs(rows)["GS01"], carried)


def test_a_piece_adopted_by_a_linked_co_unit_is_not_carried_over() -> None:
    rows = frame(
        make_row(1, month="2025-02", title="合写稿件甲", co="SO01"),
        make_row(2, month="2025-03", title="合写稿件甲", unit="SO01", adopted="2025-03-10"),
        make_row(3, month="2025-02", title="合写稿件乙"),
        make_row(4, month="2025-03", title="合写稿件乙", unit="SO01", co="GS01", adopted="2025-03-11"),
        make_row(5, month="2025-02", title="同名不同单位"),
        make_row(6, month="2025-03", title="同名不同单位", unit="ZX01", adopted="2025-03-12"),
    )
    assert carry_over(rows, "GS01")[L.TITLE].tolist() == ["同名不同单位"]


def test_last_years_unadopted_pieces_carry_into_january(ledger: Ledger) -> None:
    november = frame(make_row(1, month="2024-11", title="去年报送尚未采用的稿件", sent="2024-11-20"))
    december = frame(
        make_row(1, month="2024-12", title="去年报送尚未采用的稿件", sent="2024-11-20"),
        make_row(2, month="2024-12", title="十二月采用的稿件", sent="2024-12-01", adopted="2024-12-30"),
    )
    ledger.replace_month("2024-11", november, [], [], run())
    ledger.replace_month("2024-12", december, [], [], run())

    carried = carry_over(ledger.rows(through="2024-12"), "GS01")
    assert carried[L.TITLE].tolist() == ["去年报送尚未采用的稿件"]
    assert carried.at[0, L.SENT_DATE] == pd.Timestamp("2024-11-20")


def test_carry_over_of_nothing_is_an_empty_form() -> None:
    carried = carry_over(frame(), "GS01")
    assert carried.empty and list(carried.columns) == list(CARRY_COLUMNS)
    assert carry_overs(frame()) == {}


def test_carry_overs_of_many_units_equal_each_units_own_carry_over() -> None:
    # Same sent dates and titles across units, ties broken by 稿件键, a missing date, an adoption.
    units = ["GS01", "GS02", "SO01", "ZX01"]
    rows = frame(
        *(
            make_row(
                n,
                unit=units[n % 4],
                month="2025-02" if n % 3 else "2025-03",
                title=f"稿件{n % 7}",
                sent=None if n == 5 else f"2025-02-{1 + n % 5:02d}",
                adopted="2025-03-09" if n % 11 == 0 else None,
            )
            for n in range(1, 60)
        )
    )
    together = carry_overs(rows)
    assert list(together) == sorted(together) and len(together) == 4
    for code in units:
        pd.testing.assert_frame_equal(together[code], carry_over(rows, code))


def test_rows_listed_since_a_month_are_those_pieces_with_every_row_of_theirs(ledger: Ledger) -> None:
    # What next month's forms may carry: pieces some form lists from the month on, with their
    # earlier rows (an adoption there ends the carrying), and no piece listed only before.
    old = make_row(1, month="2025-01", title="一月稿件", sent="2025-01-05", adopted="2025-01-20")
    gone = make_row(2, month="2025-01", title="只在一月的稿件", sent="2025-01-06")
    again = make_row(1, month="2025-08", title="一月稿件", sent="2025-01-05")
    new = make_row(2, month="2025-08", title="八月稿件", sent="2025-08-03")
    ledger.replace_month("2025-01", frame(old, gone), [], [file_record("一月.xlsx", month="2025-01")], run())
    ledger.replace_month("2025-08", frame(again, new), [], [file_record("八月.xlsx", month="2025-08")], run())

    rows = ledger.rows(through="2025-08", listed_since="2025-03", without=(L.PROOF,))

    assert list(zip(rows[L.MONTH], rows[L.TITLE], strict=True)) == [
        ("2025-01", "一月稿件"),
        ("2025-08", "一月稿件"),
        ("2025-08", "八月稿件"),
    ]
    assert L.PROOF not in rows.columns
    assert set(carry_over_table(rows)[L.TITLE]) == {"八月稿件"}  # the January adoption still counts
