"""Who and what the demo county's year involves: each unit's people, file names and habits,
the outlets that publish pieces, the calendar, the co-written pieces, and every mistake planted
on purpose in the returned forms with the problem it should raise.

Pure data for the demo county's modules (`pipeline.demo`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipeline.demo.texts import GOV, NEWS, PARTY, RESEARCH_ARTICLE

CITY = "临州"

# Per unit: its head (单位负责人, who signs pieces off), the deputy director in charge, and the
# staff who write besides the officer.
PEOPLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "GS01": ("王建军", "马俊峰", ("刘佳", "陈思远", "赵倩")),
    "GS02": ("周国平", "李国华", ("孙浩", "马丽娟")),
    "GS03": ("钱永刚", "李国华", ("李明", "王海波")),
    "GS04": ("吴德胜", "李国华", ("郭婷", "杜文")),
    "GS05": ("郑建华", "张卫东", ("何勇", "宋晓光")),
    "GS06": ("冯雪梅", "马俊峰", ("唐亮",)),
    "GS07": ("曹立平", "马俊峰", ("许晶",)),
    "GS08": ("彭志远", "马俊峰", ("邓琳",)),
    "SO01": ("高振宇", "张卫东", ("谢军", "潘红霞")),
    "SO02": ("梁德明", "张卫东", ("田野",)),
    "SO03": ("邹春生", "张卫东", ("罗斌", "魏晓琳")),
    "SO04": ("袁长林", "张卫东", ("蔡东升",)),
    "SO05": ("程国栋", "张卫东", ("丁一鸣",)),
    "SO06": ("卢振江", "张卫东", ("姚兰",)),
    "SO07": ("苏建平", "张卫东", ("董鹏",)),
    "SO08": ("叶茂盛", "张卫东", ()),
    "ZX01": ("任继东", "李国华", ("吕志勇",)),
    "ZX02": ("夏文华", "李国华", ("贾璐", "方圆", "石磊")),
    "ZX03": ("江涛", "李国华", ("范伟",)),
    "DD01": ("侯保国", "张卫东", ("邱勇", "金鹏飞", "段刚")),
}

# How each unit names its file ({y} year, {m} month, {mm} two-digit month); None keeps the
# name of the form the office issued.
FILE_NAMES: dict[str, str | None] = {
    "GS01": "办公室-{m}月.xlsx",
    "GS02": "规划股{y}年{m}月信息报送表.xlsx",
    "GS03": "耕保股{m}月信息报表.xlsx",
    "GS04": "地籍股 信息宣传月报 {y}.{mm}.xlsx",
    "GS05": "矿管股-{y}-{mm}.xlsx",
    "GS06": "法规股{m}月份信息.xlsx",
    "GS07": "财审股信息报送{y}年{m}月.xlsx",
    "GS08": "人教股{m}月.xlsx",
    "SO01": "城关所{y}年{m}月份信息报送.xlsx",
    "SO02": "东关所信息报送表（{m}月）.xlsx",
    "SO03": "西湖国土所 {y}年{m}月.xlsx",
    "SO04": "南岭所{m}月信息.xlsx",
    "SO05": "北山所-信息报送-{y}{mm}.xlsx",
    "SO06": "青石所{m}月报表.xlsx",
    "SO07": "柳河所{y}.{m}信息宣传.xlsx",
    "SO08": "白马所 {m}月.xlsx",
    "ZX01": "储备中心{m}月信息报送.xlsx",
    "ZX02": "不动产中心_{y}年{m}月信息报送表.xlsx",
    "ZX03": None,
    "DD01": "执法大队{y}年{m}月信息宣传报送表.xlsx",
}
SHORT_NAMES = {
    "GS01": "办公室", "GS02": "规划股", "GS03": "耕保股", "GS04": "地籍股", "GS05": "矿管股",
    "GS06": "法规股", "GS07": "财审股", "GS08": "人教股", "SO01": "城关所", "SO02": "东关所",
    "SO03": "西湖所", "SO04": "南岭所", "SO05": "北山所", "SO06": "青石所", "SO07": "柳河所",
    "SO08": "白马所", "ZX01": "储备中心", "ZX02": "不动产中心", "ZX03": "信息中心", "DD01": "执法大队",
}  # fmt: skip

# Habits: units that keep the pre-filled pending pieces on their form, that write 无 under
# 领导批示, that leave 序号 empty, that never fill 单位负责人, and the one that is always late.
CARRYING_UNITS = ("GS03", "ZX02", "SO01", "DD01")
WRITES_NO_INSTRUCTION = ("GS01", "GS03", "GS05", "SO01", "ZX02", "DD01")
NO_NUMBERING = ("SO02", "ZX03")
NO_HEAD = ("SO03", "SO08")
LATE_UNIT = "SO08"
BEHIND_UNIT = "SO08"

# Relative output per month: the Spring Festival in January and February, a push before the
# half-year and the year end.
SEASON = (0.75, 0.6, 1.0, 1.05, 1.0, 1.15, 1.0, 0.85, 1.1, 1.0, 1.05, 1.2)
HOLIDAYS = {
    dt.date(2025, 1, 1),
    *(dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)),
    *(dt.date(2025, 4, 4) + dt.timedelta(days=i) for i in range(3)),
    *(dt.date(2025, 5, 1) + dt.timedelta(days=i) for i in range(5)),
    *(dt.date(2025, 5, 31) + dt.timedelta(days=i) for i in range(3)),
    *(dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)),
}


@dataclass(frozen=True)
class Outlet:
    """Where pieces are published: its level, where pieces for it are sent, what it carries, and
    how its proof looks (weekly/monthly issue number, newspaper page, web link, TV screenshot)."""

    name: str
    level: str
    sent_to: str
    categories: tuple[str, ...]
    proof: str
    site: str = ""


OUTLETS = (
    Outlet("《要情快报》", "县级", "县委办信息科", (GOV,), "weekly"),
    Outlet("《示范县政务信息》", "县级", "县政府办公室", (GOV, RESEARCH_ARTICLE), "weekly"),
    Outlet("示范县融媒体中心", "县级", "县融媒体中心", (NEWS, PARTY), "link", "http://www.sfxrmt.cn/news"),
    Outlet("县电视台《示范新闻》", "县级", "县融媒体中心", (NEWS,), "tv"),
    Outlet("《示范党建》", "县级", "县委组织部", (PARTY,), "monthly"),
    Outlet(f"《{CITY}国土资源信息》", "市级", "市局办公室", (GOV, RESEARCH_ARTICLE, PARTY), "monthly"),
    Outlet(f"《{CITY}政务信息》", "市级", "市政府办公室", (GOV,), "weekly"),
    Outlet(f"《{CITY}日报》", "市级", f"{CITY}日报社", (NEWS, RESEARCH_ARTICLE), "paper"),
    Outlet(
        f"{CITY}市国土资源局网站", "市级", "市局办公室", (NEWS, GOV, PARTY), "link", "http://gtj.linzhou.gov.cn/art"
    ),
    Outlet("《大众日报》", "省级", f"大众日报社{CITY}记者站", (NEWS,), "paper"),
    Outlet("《国土资源通讯》", "省级", "省厅办公室", (GOV, RESEARCH_ARTICLE), "monthly"),
    Outlet("省国土资源厅网站", "省级", "省厅办公室", (NEWS, GOV, PARTY), "link", "http://www.sgtzyt.gov.cn/art"),
    Outlet("《中国国土资源报》", "国家级", "中国国土资源报社", (NEWS, RESEARCH_ARTICLE), "paper"),
    Outlet("国土资源部网站", "国家级", "省厅办公室", (NEWS, GOV), "link", "http://www.mlr.gov.cn/xwdt/dfdt"),
)
LEVEL_WEIGHTS = {"default": (60, 32, 6, 1), "GS01": (45, 38, 14, 3), BEHIND_UNIT: (80, 20, 0, 0)}

# Co-written pieces: (month, writing unit, co-unit, whether the co-unit lists it too, whether
# units are named by code or by full name).
CO_WRITTEN = (
    ("2025-02", "GS03", "SO01", True, "code"),
    ("2025-03", "DD01", "SO04", True, "name"),
    ("2025-03", "ZX02", "GS04", False, "code"),
    ("2025-05", "GS02", "ZX01", True, "name"),
    ("2025-06", "GS05", "DD01", False, "name"),
    ("2025-07", "GS01", "GS08", True, "code"),
    ("2025-09", "SO02", "SO03", False, "code"),
    ("2025-10", "GS03", "SO05", True, "code"),
    ("2025-11", "ZX03", "GS04", True, "name"),
)
INSTRUCTIONS = {"县级": 8, "市级": 3, "省级": 1}  # how many adopted pieces get one


@dataclass(frozen=True)
class Planted:
    """A mistake planted on purpose, and the problem code intake and the checks should report
    ("" when intake must absorb it silently and read the rows correctly)."""

    month: str
    unit: str
    kind: str
    expect: str
    note: str
    value: str = ""


# Every planted mistake. Row and sheet kinds change one form; file kinds change what lands in
# the month's folder.
PLANTED = (
    Planted("2025-01", "GS04", "missing-reviewer", "row-required", "last row has no 审核人"),
    Planted("2025-02", "SO03", "full-width", "", "序号 and 报送日期 typed with full-width digits, one title too"),
    Planted("2025-02", "SO07", "misfiled", "file-wrong-month", "February form saved in the 2025-03 folder"),
    Planted("2025-03", "GS01", "lock-file", "file-skipped", "Office lock file ~$办公室-3月.xlsx beside the form"),
    Planted("2025-03", "GS02", "formula-title", "", "a title starts with '-' (pasted from WeChat)", "-"),
    Planted("2025-03", "GS03", "resent", "file-superseded", "first version lacks a row and a 审核人; (修改版) later"),
    Planted("2025-03", "GS05", "unknown-category", "row-not-in-list", "稿件类别 '信息' on the first row", "信息"),
    Planted("2025-03", "GS05", "secrecy-no", "row-secrecy", "保密审查 = 否 on the last row"),
    Planted("2025-03", "SO01", "date-as-text", "", "报送日期 typed as '2025.3.x' and 'x月y日' text"),
    Planted("2025-03", "ZX01", "adopted-no-level", "row-adoption-incomplete", "first 已采用 row has no 采用级别"),
    Planted("2025-03", "DD01", "rows-above", "", "two rows inserted above the title ('附件1')"),
    Planted("2025-03", "DD01", "blank-lines", "", "blank lines inside the table"),
    Planted("2025-03", "DD01", "stub-rows", "", "three rows with only 序号 after the last piece"),
    Planted("2025-04", "ZX02", "adopted-no-proof", "row-adoption-incomplete", "first 已采用 row has no 证明材料"),
    Planted("2025-04", "GS07", "title-retyped", "", "the form's title retyped by the unit"),
    Planted("2025-05", "GS06", "adopted-outside-month", "row-adopted-reported-late", "采用日期 in April: 补报"),
    Planted("2025-05", "SO06", "no-return", "", "no form (also 2025-06): missing return, deduction"),
    Planted("2025-06", "SO06", "no-return", "", "no form"),
    Planted("2025-06", "SO02", "subfolder", "", "form saved in a sub-folder 邮件附件/"),
    Planted("2025-07", "SO04", "blank-lines", "", "blank lines inside the table"),
    Planted("2025-08", "SO02", "note-docx", "file-skipped", "a .docx note '附件见邮件' beside the form"),
    Planted("2025-08", "GS02", "unknown-category", "row-not-in-list", "稿件类别 '宣传' on the first row", "宣传"),
    Planted("2025-09", "SO08", "rows-above", "", "rows inserted above the title"),
    Planted("2025-09", "SO08", "title-retyped", "", "the title retyped"),
    Planted("2025-09", "GS04", "formula-title", "", "a title starts with '='", "="),
    Planted("2025-10", "ZX03", "adopted-no-proof", "row-adoption-incomplete", "first 已采用 row has no 证明材料"),
    Planted("2025-10", "SO03", "default-name", "", "file left as '新建 XLSX 工作表.xlsx'"),
    Planted("2025-11", "SO05", "date-as-text", "", "报送日期 typed as text"),
    Planted("2025-12", "SO01", "missing-reviewer", "row-required", "last row has no 审核人"),
    Planted("2025-12", "GS01", "stub-rows", "", "three rows with only 序号"),
)
