"""The demo county's plan, 示范县国土资源局 2025: its roster, targets, points, rewards and rules.

`plan_sheets()` gives the plan workbook's sheets as grids (tests alter them to make faults);
`demo_files.write_plan` writes them. `roster_entry` and `annual_targets` are how the year's
simulation (`year`) and the returned forms (`returns`) look a unit up.
"""

from __future__ import annotations

from typing import Any

from pipeline.core import labels as L

BUREAU = "示范县国土资源局"
YEAR = 2025

# (code, name, category, officer, phone, assessed)
UNITS: list[tuple[str, str, str, str, str, str]] = [
    ("GS01", "办公室", "股室", "王晓燕", "0539-3221001", L.YES),
    ("GS02", "规划利用股", "股室", "李建国", "0539-3221002", L.YES),
    ("GS03", "耕地保护股", "股室", "张丽", "0539-3221003", L.YES),
    ("GS04", "地籍管理股", "股室", "刘洋", "0539-3221004", L.YES),
    ("GS05", "矿产资源管理股", "股室", "陈志强", "0539-3221005", L.YES),
    ("GS06", "政策法规股", "股室", "杨帆", "0539-3221006", L.YES),
    ("GS07", "财务审计股", "股室", "赵敏", "0539-3221007", L.YES),
    ("GS08", "人事教育股", "股室", "孙静", "0539-3221008", L.NO),
    ("SO01", "城关国土资源所", "国土资源所", "周海涛", "0539-3222001", L.YES),
    ("SO02", "东关国土资源所", "国土资源所", "吴磊", "0539-3222002", L.YES),
    ("SO03", "西湖国土资源所", "国土资源所", "郑红", "0539-3222003", L.YES),
    ("SO04", "南岭国土资源所", "国土资源所", "冯刚", "0539-3222004", L.YES),
    ("SO05", "北山国土资源所", "国土资源所", "褚文博", "0539-3222005", L.YES),
    ("SO06", "青石国土资源所", "国土资源所", "卫东", "0539-3222006", L.YES),
    ("SO07", "柳河国土资源所", "国土资源所", "蒋小芳", "0539-3222007", L.YES),
    ("SO08", "白马国土资源所", "国土资源所", "沈立新", "0539-3222008", L.YES),
    ("ZX01", "土地储备中心", "中心", "韩梅", "0539-3223001", L.YES),
    ("ZX02", "不动产登记中心", "中心", "朱晓东", "0539-3223002", L.YES),
    ("ZX03", "国土资源信息中心", "中心", "秦雪", "0539-3223003", L.YES),
    ("DD01", "国土资源执法监察大队", "大队", "尤振华", "0539-3224001", L.YES),
]

# (单位类别, 单位代码, 年度报送任务, 年度采用任务, 年度得分任务, 每月最低报送数)
TARGETS: list[tuple[Any, ...]] = [
    ("股室", None, 30, 15, None, 2),
    ("国土资源所", None, 24, 10, None, 2),
    ("中心", None, 30, 15, None, 2),
    ("大队", None, 36, 18, None, 2),
    (None, "GS01", 60, 36, None, 4),
]

# 稿件类别 -> (县级, 市级, 省级, 国家级) points; rewards in yuan by level.
POINTS = {
    "政务信息": (5, 10, 20, 50),
    "新闻宣传": (2, 4, 6, 20),
    "调研文章": (10, 20, 40, 100),
    "党建信息": (5, 10, 20, 50),
}
REWARDS = (20, 40, 60, 80)
BONUS = {"县级": 10, "市级": 30, "省级": 40, "国家级": 50}

RULES: list[tuple[str, Any]] = [
    (L.R_MULTI_LEVEL, "累计"),
    (L.R_CO_WRITTEN, "均分"),
    (L.R_REWARD_SPLIT, "均分"),
    (L.R_MISSING_DEDUCTION, 2),
    (L.R_SHORTFALL_DEDUCTION, 0),
    (L.R_PASS, "数量"),
    (L.R_TOP_UNITS, 3),
    (L.R_TOP_PERSONS, 5),
    (L.R_DEADLINE_DAY, 5),
    (L.R_ISSUER, "示范县国土资源局办公室"),
    (L.R_DOC_PREFIX, "示国土办"),
]


def plan_sheets(
    units: list[tuple[Any, ...]] = UNITS,
    targets: list[tuple[Any, ...]] = TARGETS,
    points: dict[str, tuple[float, ...]] = POINTS,
    rewards: tuple[float, ...] = REWARDS,
    bonus: dict[str, float] = BONUS,
    rules: list[tuple[str, Any]] = RULES,
) -> dict[str, list[list[Any]]]:
    """The plan workbook's sheets as grids (header row first); tests alter them to make faults."""
    return {
        L.S_ROSTER: [list(L.ROSTER_COLUMNS), *map(list, units)],
        L.S_TARGETS: [list(L.TARGET_COLUMNS), *map(list, targets)],
        L.S_POINTS: [
            list(L.POINTS_COLUMNS),
            *[[c, lv, p, r] for c, row in points.items() for lv, p, r in zip(L.LEVELS, row, rewards, strict=True)],
        ],
        L.S_BONUS: [list(L.BONUS_COLUMNS), *[[lv, b] for lv, b in bonus.items()]],
        L.S_RULES: [list(L.RULE_COLUMNS), *map(list, rules)],
    }


def roster_entry(code: str) -> tuple[str, ...]:
    """The unit's roster row: (code, name, category, officer, phone, assessed)."""
    return next(u for u in UNITS if u[0] == code)


def annual_targets(code: str) -> tuple[int, int]:
    """The unit's annual (报送, 采用) targets: its own 任务指标 row, else its category's."""
    rows = {row[0] or row[1]: row for row in TARGETS}
    row = rows.get(code) or rows[roster_entry(code)[2]]
    return int(row[2]), int(row[3])
