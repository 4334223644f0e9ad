"""The workbook beside a large body's circular (`<stem>.xlsx`): every unit's row of the period,
every adoption and every piece with a 领导批示, which the circular itself sums by group (`circular_groups.grouped_by`).

A province's circular cannot print 3,000 units and tens of thousands of adoptions; the office
still needs each unit's figures, so they are written here, as numbers the office can sort and
filter, and the circular's text names this file.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core import labels as L
from pipeline.core import output_labels as OL
from pipeline.documents import circular_groups
from pipeline.documents.circular_groups import grouped_by, grouped_word, unit_figures
from pipeline.documents.circular_tables import on_time_text
from pipeline.plan.plan import Plan
from pipeline.scoring import periods
from pipeline.scoring.periods import Figures
from pipeline.xlsx import big_table

UNITS_SHEET = circular_groups.UNITS_SHEET
ADOPTIONS_SHEET = circular_groups.ADOPTIONS_SHEET
INSTRUCTED_SHEET = circular_groups.INSTRUCTED_SHEET


def tables(figures: Figures, plan: Plan) -> list[big_table.Table]:
    """The workbook's sheets: every roster unit in 单位统计's order, every adoption dated in the
    period by date, and (when any) every piece with a 领导批示 of the period, highest level first;
    none when the circular lists every unit itself."""
    column = grouped_by(plan)
    if column is None:
        return []
    period = figures.period
    units = unit_figures(figures, plan, column)
    frame = pd.DataFrame(
        {
            "单位": units[L.UNIT_NAME],
            grouped_word(column): units[column],
            f"{period.this}报送": units["sent"],
            f"{period.this}采用": units["adopted"],
            f"{period.this}采用条次": units["adoptions"],
            f"{period.this}得分": units["points"].round(2),
            "累计报送": units["sent_ytd"],
            "累计采用": units["adopted_ytd"],
            "累计得分": units["points_ytd"].round(2),
            "扣分": units["deductions"].round(2),
            OL.SUBMIT_RATE: figures.units[OL.SUBMIT_RATE],
            OL.ADOPT_RATE: figures.units[OL.ADOPT_RATE],
            OL.POINTS_RATE: figures.units[OL.POINTS_RATE],
            OL.PROGRESS: figures.units[OL.PROGRESS].astype(str),
            OL.RANK: figures.units[OL.RANK].astype("Int64"),
            OL.ON_TIME: [on_time_text(figures.returns.loc[code]) for code in units.index],
        }
    ).reset_index(drop=True)
    rates = {c: "0.0%" for c in frame.columns if c.endswith("完成率")}
    points = {c: "0.##" for c in frame.columns if c.endswith(("得分", "扣分"))}
    adoptions = figures.adoptions
    listed = _numbered(adoptions, {**_PIECE_COLUMNS, "采用载体": periods.OUTLET, "采用级别": periods.LEVEL}).assign(
        采用日期=pd.to_datetime(adoptions[periods.DATE]).dt.to_pydatetime()
    )
    sheets = [
        big_table.Table(frame, UNITS_SHEET, f"{period.name}{UNITS_SHEET}", rates | points),
        big_table.Table(
            listed, ADOPTIONS_SHEET, f"{period.name}{ADOPTIONS_SHEET}", {"采用日期": "yyyy-mm-dd"}, ("稿件标题",)
        ),
    ]
    instructed = figures.instructed
    if len(instructed):
        pieces = _numbered(instructed, {**_PIECE_COLUMNS, "批示级别": periods.LEVEL})
        sheets.append(big_table.Table(pieces, INSTRUCTED_SHEET, f"{period.name}{INSTRUCTED_SHEET}", wide=("稿件标题",)))
    return sheets


_PIECE_COLUMNS = {"稿件标题": periods.TITLE, "单位": periods.UNIT_NAMES, "作者": periods.AUTHORS}


def _numbered(items: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """A listing of `items`: 序号, then each header's column of theirs as text."""
    return pd.DataFrame(
        {"序号": range(1, len(items) + 1), **{header: items[c].astype(str).to_numpy() for header, c in columns.items()}}
    )
