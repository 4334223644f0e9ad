"""A big month's 月度统计 and 审核问题, written by `big_table` from samples of their tables, are
the very workbooks openpyxl writes cell by cell: the same parts, byte for byte (the chart of
月度统计 and the severity fills of 审核问题 included), and a strict reader finds nothing wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.core import problems as P
from pipeline.reports import reports
from pipeline.xlsx import big_table
from tests import strict_files

UNITS = 30


def _sheets() -> dict[str, pd.DataFrame]:
    units = pd.DataFrame(
        {
            L.UNIT_CODE: [f"GS{n:02d}" for n in range(UNITS)],
            L.UNIT_NAME: [f"第{n}股" for n in range(UNITS)],
            "本月得分": [n * 1.5 for n in range(UNITS)],
            OL.POINTS_YTD: [n * 2.25 for n in range(UNITS)],
            "任务完成率": [n / UNITS for n in range(UNITS)],
            OL.RANK: [n + 1 if n < UNITS - 5 else None for n in range(UNITS)],
            "按时报送": ["是" if n % 3 else "迟报" for n in range(UNITS)],
        }
    )
    persons = pd.DataFrame(
        {
            L.UNIT_NAME: [f"第{n % 7}股" for n in range(50)],
            "姓名": [f"=人{n}" if n == 9 else f"人{n}" for n in range(50)],
        }
    )
    missing = pd.DataFrame({L.UNIT_CODE: ["GS99"], L.UNIT_NAME: ["未报送股"]})
    return {OL.UNITS_SHEET: units, OL.PERSONS_SHEET: persons, OL.MISSING_SHEET: missing}


def _problems() -> list[P.Problem]:
    found = []
    for n in range(40):
        where = {"unit_code": f"GS{n % 6:02d}", "unit_name": f"第{n % 6}股", "source_file": f"{n % 6}.xlsx"}
        if n % 4 == 0:
            found.append(P.make("row-required", column=L.REVIEWER, row=n + 5, **where))
        elif n % 4 == 1:
            found.append(P.make("file-superseded", newer="b.xlsx", **where))
        else:
            found.append(
                P.make("row-required", column=L.TITLE, row=n + 5, value=f"-值{n}", severity=L.WARNING, **where)
            )
    return found


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if n != "docProps/core.xml"}


def _statistics(path: Path) -> Path:
    return reports.write_statistics(
        _sheets(),
        path,
        chart_sheet=OL.UNITS_SHEET,
        chart_value=OL.POINTS_YTD,
        chart_title="累计得分",
        chart_rank=OL.RANK,
    )


@pytest.mark.parametrize("write", [_statistics, lambda path: reports.write_problems(_problems(), path, title="审核")])
def test_a_big_months_workbook_written_from_samples_is_the_one_openpyxl_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write
) -> None:
    monkeypatch.setattr(big_table, "SAMPLE_FROM", 10**9)
    plain = write(tmp_path / "openpyxl.xlsx")
    monkeypatch.setattr(big_table, "SAMPLE_FROM", 2)
    sampled = write(tmp_path / "sampled.xlsx")
    assert _parts(sampled) == _parts(plain)
    assert strict_files.problems(sampled) == []
