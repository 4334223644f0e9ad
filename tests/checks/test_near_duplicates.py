"""一稿多报?: near-duplicate titles across units are warned about, pieces that only look alike
(each unit's own place, other figures, co-written, far apart) are not."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.near_duplicates import near_duplicates
from pipeline.core import labels as L


def _rows(*rows: tuple[str, str, str, str, str], month: str = "2025-03", first_id: int = 1) -> pd.DataFrame:
    """(unit code, unit name, title, 报送日期, 合作单位) per row."""
    return pd.DataFrame(
        [
            {
                L.ROW_ID: first_id + n,
                L.MONTH: month,
                L.UNIT_CODE: code,
                L.UNIT_NAME: name,
                L.TITLE: title,
                L.SENT_DATE: pd.Timestamp(sent),
                L.CO_UNITS: co,
                L.SOURCE_FILE: f"{name}.xlsx",
                L.SOURCE_SHEET: "报送表",
                L.SOURCE_ROW: 6 + n,
            }
            for n, (code, name, title, sent, co) in enumerate(rows)
        ]
    )


def test_the_same_piece_under_a_changed_word_or_punctuation_is_warned_once_naming_the_first():
    rows = _rows(
        ("GS01", "办公室", "示范县国土资源局推行“标准地”出让助力项目开工", "2025-03-05", ""),
        ("GS07", "财务审计股", "县国土资源局推行标准地出让，助力项目开工", "2025-03-12", ""),
    )
    [warning] = near_duplicates(rows, rows.iloc[:0])
    assert (warning.unit_code, warning.row, warning.row_id) == ("GS07", 7, 2)
    assert "GS01 办公室 2025-03" in warning.message and "“办公室.xlsx”第 6 行" in warning.message


def test_pieces_that_only_look_alike_are_not_warned():
    earlier = _rows(
        ("SO01", "城关国土资源所", "城关国土所开展农村乱占耕地建房问题排查", "2025-02-20", ""), month="2025-02"
    )
    rows = _rows(
        ("SO02", "东关国土资源所", "东关国土所开展农村乱占耕地建房问题排查", "2025-03-05", ""),  # its own place
        ("GS01", "办公室", "示范县国土资源局完成9个批次建设用地组卷报批", "2025-03-05", ""),
        ("GS02", "规划利用股", "示范县国土资源局完成14个批次建设用地组卷报批", "2025-03-06", ""),  # other figures
        ("ZX01", "土地储备中心", "我局召开国土空间规划委员会会议审议项目", "2025-03-08", "GS03"),
        ("GS03", "耕地保护股", "我局召开国土空间规划委员会会议，审议项目", "2025-03-08", ""),  # co-written
        first_id=1,
    )
    assert near_duplicates(rows, earlier) == []
    far = _rows(("GS04", "地籍管理股", "县国土资源局开展机关效能建设督查工作", "2025-01-02", ""), month="2025-01")
    late = _rows(("GS05", "矿产资源管理股", "示范县国土资源局开展机关效能建设督查工作", "2025-03-20", ""))
    assert near_duplicates(late, far) == []  # sent two and a half months apart
