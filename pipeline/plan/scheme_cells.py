"""Typed reads of a scheme sheet's cells: each bad cell becomes a problem naming sheet, row and
column, so one pass over a sheet reports every slip at once."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import problems as P
from pipeline.files.sheets import EXCEL_ROW


class SheetChecker:
    """Typed reads of one sheet's cells, each bad cell a located problem."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.problems: list[P.Problem] = []

    def add(self, code: str, record: dict, column: str, value: object = "", **extra: object) -> None:
        self.problems.append(
            P.make(code, sheet=self.sheet, row=int(record[EXCEL_ROW]), column=column, value=value, **extra)
        )

    def required(self, record: dict, column: str) -> str:
        value = record.get(column, "")
        if not value:
            self.add("plan-required", record, column)
        return value

    def number(self, record: dict, column: str, *, required: bool = False, negative: bool = False) -> float | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        try:
            parsed = float(value)
        except ValueError:
            self.add("plan-not-number", record, column, value)
            return None
        if parsed != parsed or parsed in (float("inf"), float("-inf")):
            self.add("plan-not-number", record, column, value)
            return None
        if parsed < 0 and not negative:
            self.add("plan-negative", record, column, value)
            return None
        return parsed

    def fen(self, record: dict, column: str) -> float | None:
        """An amount of money: 0 or more, in whole fen (see plan_checks._whole_fen)."""
        amount = self.number(record, column)
        if amount is not None and abs(amount * 100 - round(amount * 100)) > 1e-6:
            self.add("plan-below-fen", record, column, record[column])
            return None
        return amount

    def integer(self, record: dict, column: str, *, required: bool = False) -> int | None:
        parsed = self.number(record, column, required=required)
        if parsed is not None and not parsed.is_integer():
            self.add("plan-not-integer", record, column, record[column])
            return None
        return None if parsed is None else int(parsed)

    def choice(self, record: dict, column: str, allowed: tuple[str, ...], *, required: bool = True) -> str | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        if value not in allowed:
            self.add("plan-not-in-list", record, column, value, allowed="、".join(allowed))
            return None
        return value

    def date(self, record: dict, column: str, *, required: bool = False) -> dt.date | None:
        value = record.get(column, "")
        if not value:
            if required:
                self.add("plan-required", record, column)
            return None
        parsed = pd.to_datetime(
            value.replace("年", "-").replace("月", "-").rstrip("日").replace(".", "-"), errors="coerce"
        )
        if pd.isna(parsed):
            self.add("plan-not-date", record, column, value)
            return None
        return parsed.date()

    def in_year(self, record: dict, column: str, day: dt.date | None, year: int) -> dt.date | None:
        """The date when it falls in the plan's year; a date of another year is a typing slip or
        belongs in that year's plan."""
        if day is not None and day.year != year:
            self.add("plan-not-in-list", record, column, record[column], allowed=f"{year} 年内的日期")
            return None
        return day

    def unit(self, record: dict, column: str, value: str, units: pd.DataFrame) -> str | None:
        if value in units.index:
            return value
        by_name = units.index[units[L.P_UNIT_NAME] == value]
        if len(by_name) == 1:
            return str(by_name[0])
        self.add("plan-unknown-unit", record, column, value)
        return None
