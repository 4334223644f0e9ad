"""Ledger rows and shipped scheme plans for the scheme tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import scheme_labels as S
from pipeline.core.text import fold
from pipeline.plan.plan import Plan, load_plan

SCHEMES = Path(__file__).resolve().parents[1] / "templates" / "schemes"


def scheme_plan(tmp_path: Path, file: str) -> Plan:
    """The shipped scheme workbook, read as the year's plan by the real plan reader."""
    shutil.copy(SCHEMES / file, tmp_path / "plan-2025.xlsx")
    return load_plan(tmp_path, 2025)


def row(
    unit: str,
    title: str,
    category: str,
    *,
    outlet: str = "",
    level: str = "",
    adopted: str | None = None,
    sent: str = "2025-03-02",
    month: str | None = None,
    instruction: str = L.NO_INSTRUCTION,
    co_units: str = "",
    authors: str = "张三",
    use_form: str = "",
    modifiers: str = "",
    commission: str = "",
    external: str = "",
) -> dict:
    """One accepted ledger row; 已采用 when `adopted` (a date) is given."""
    return {
        L.MONTH: month or (adopted or sent)[:7],
        L.UNIT_CODE: unit,
        L.TITLE: title,
        L.PIECE_KEY: fold(title),
        L.CATEGORY: category,
        L.AUTHORS: authors,
        L.SENT_DATE: pd.Timestamp(sent),
        L.STATUS: L.ADOPTED if adopted else L.NOT_ADOPTED,
        L.OUTLET: outlet,
        L.LEVEL: level,
        L.ADOPT_DATE: pd.Timestamp(adopted) if adopted else pd.NaT,
        L.INSTRUCTION: instruction,
        L.CO_UNITS: co_units,
        S.F_USE_FORM: use_form,
        S.F_MODIFIERS: modifiers,
        S.F_COMMISSION: commission,
        S.F_EXTERNAL: external,
    }


def rows(*records: dict) -> pd.DataFrame:
    """The records as the ledger's rows frame, numbered as a month's rows are."""
    frame = pd.DataFrame(list(records))
    frame[L.ROW_ID] = range(1, len(frame) + 1)
    frame[L.SOURCE_ROW] = range(5, len(frame) + 5)
    return frame
