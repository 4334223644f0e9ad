"""The demo county, 示范县国土资源局: its plan workbook and a year of returned forms.

`generate(inputs)` writes `inputs/plan-2025.xlsx` and every unit's returned forms for the twelve
months of 2025 into `inputs/2025-MM/`, built with `forms.build_form` and filled the way officers
fill them: realistic titles per unit and month, pieces adopted one to three months after they
were sent (listed 未采用 in the sending month and 已采用, with the original 报送日期, in the
adoption month), a few co-written pieces, occasional leader instructions, one unit that returns
nothing for two months (SO06, May and June), one unit chronically behind its target (SO08), and
the mistakes people make, listed one by one in `PLANTED` with the problem each should raise.

Everything comes from a fixed seed through `random.Random` instances keyed by unit and month,
never from time or set ordering; files are saved with timestamps derived from their 填报日期,
so re-running the generator rewrites the committed files byte for byte.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import io
import os
import random
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import docx
import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from pipeline import forms, months, xlsx
from pipeline import labels as L
from pipeline.plan import Plan, load_plan
from pipeline.sheets import fold

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


def write_plan(
    path: Path,
    sheets: dict[str, list[list[Any]]] | None = None,
    *,
    title: str = BUREAU,
    saved_at: dt.datetime | None = None,
) -> Path:
    """Writes a plan workbook with a title row above each table, as offices lay them out.

    With `saved_at`, the file is saved reproducibly (fixed timestamps) instead of atomically
    with the current time; the demo generator uses it so the committed plan never changes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, grid in (sheets or plan_sheets()).items():
        ws = workbook.create_sheet(name)
        xlsx.put(ws.cell(row=1, column=1), f"{title}{YEAR}年信息宣传考核计划——{name}")
        ws.cell(row=1, column=1).font = xlsx.HEADER_FONT
        for r, row in enumerate(grid, start=2):
            for c, value in enumerate(row, start=1):
                xlsx.put(ws.cell(row=r, column=c), value)
        xlsx.style_header_row(ws, 2, len(grid[0]))
        xlsx.set_widths(ws, {c: max(12, xlsx.display_width(v) + 4) for c, v in enumerate(grid[0], start=1)})
        ws.freeze_panes = "A3"
    if saved_at is None:
        xlsx.save_workbook(workbook, path)
    else:
        save_reproducibly(workbook, path, saved_at)
    return path


# --- The demo county's returned forms ----------------------------------------------------------

SEED = 20250305
FORM_ROWS = 30  # prepared rows of the demo's forms: enough for any unit, and fast to build
MONTHS = tuple(f"{YEAR}-{m:02d}" for m in range(1, 13))
CITY = "临州"
TOWNS = ("城关", "东关", "西湖", "南岭", "北山", "青石", "柳河", "白马")
VILLAGES = (
    "王家庄", "李家洼", "前进", "红旗", "张家湾", "后营", "石桥", "大柳树", "马庄", "杨家岭",
    "小河口", "黄土坡", "东岗", "西沟", "新立", "胜利", "刘家屯", "北洼", "南店", "孙家集",
    "周庄", "高家坪", "槐树底", "桃园", "枣林", "白云寨", "青龙湾", "双河", "杏花", "罗家坝",
)  # fmt: skip

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


_NEWS, _GOV, _RESEARCH, _PARTY = "新闻宣传", "政务信息", "调研文章", "党建信息"
OUTLETS = (
    Outlet("《要情快报》", "县级", "县委办信息科", (_GOV,), "weekly"),
    Outlet("《示范县政务信息》", "县级", "县政府办公室", (_GOV, _RESEARCH), "weekly"),
    Outlet("示范县融媒体中心", "县级", "县融媒体中心", (_NEWS, _PARTY), "link", "http://www.sfxrmt.cn/news"),
    Outlet("县电视台《示范新闻》", "县级", "县融媒体中心", (_NEWS,), "tv"),
    Outlet("《示范党建》", "县级", "县委组织部", (_PARTY,), "monthly"),
    Outlet(f"《{CITY}国土资源信息》", "市级", "市局办公室", (_GOV, _RESEARCH, _PARTY), "monthly"),
    Outlet(f"《{CITY}政务信息》", "市级", "市政府办公室", (_GOV,), "weekly"),
    Outlet(f"《{CITY}日报》", "市级", f"{CITY}日报社", (_NEWS, _RESEARCH), "paper"),
    Outlet(
        f"{CITY}市国土资源局网站", "市级", "市局办公室", (_NEWS, _GOV, _PARTY), "link", "http://gtj.linzhou.gov.cn/art"
    ),
    Outlet("《大众日报》", "省级", f"大众日报社{CITY}记者站", (_NEWS,), "paper"),
    Outlet("《国土资源通讯》", "省级", "省厅办公室", (_GOV, _RESEARCH), "monthly"),
    Outlet("省国土资源厅网站", "省级", "省厅办公室", (_NEWS, _GOV, _PARTY), "link", "http://www.sgtzyt.gov.cn/art"),
    Outlet("《中国国土资源报》", "国家级", "中国国土资源报社", (_NEWS, _RESEARCH), "paper"),
    Outlet("国土资源部网站", "国家级", "省厅办公室", (_NEWS, _GOV), "link", "http://www.mlr.gov.cn/xwdt/dfdt"),
)
LEVEL_WEIGHTS = {"default": (60, 32, 6, 1), "GS01": (45, 38, 14, 3), BEHIND_UNIT: (80, 20, 0, 0)}

# Title templates: {who} the unit as it calls itself, {party} its party branch, {town} and
# {village} places, {n} a quantity, {k} a count, {few} 1-5, {y} the year, {m} the month.
# A (text, months) pair is only used in those months.
ANY = tuple(range(1, 13))
Template = tuple[str, tuple[int, ...]]


def _t(text: str, *months: int) -> Template:
    return (text, months or ANY)


TEMPLATES: dict[str, tuple[Template, ...]] = {
    "耕地保护": (
        _t("{who}扎实开展{y}年度耕地保护目标责任考核"),
        _t("{who}全面推行“田长制”，{k}名镇级田长、{n}名村级田长上岗履职"),
        _t("{who}开展耕地“非农化”“非粮化”专项排查，整改问题图斑{k}处"),
        _t("{town}镇{village}村高标准农田建设项目通过县级验收"),
        _t("{who}完成耕地占补平衡项目入库{k}个，新增耕地{n}亩"),
        _t("严守耕地红线 {who}多措并举遏制农村乱占耕地建房"),
        _t("{who}召开永久基本农田保护工作推进会"),
        _t("{who}开展春耕期间耕地保护巡查", 3, 4, 5),
        _t("{who}“三夏”期间加强耕地保护动态巡查", 6),
        _t("{who}秋冬季耕地保护“百日攻坚”行动全面启动", 9, 10, 11),
        _t("{who}对{town}镇新增建设用地占用耕地情况开展核查"),
        _t("{who}与{k}个镇（街道）签订耕地保护目标责任书", 1, 2, 3),
        _t("{who}建立耕地保护网格化监管机制"),
        _t("{who}开展耕地质量等别年度更新评价"),
    ),
    "不动产登记": (
        _t("{who}推出“交房即交证”服务，{k}户业主当天领证"),
        _t("不动产登记“一窗受理、并行办理”，{who}办理时限压缩至{few}个工作日"),
        _t("{who}开通不动产登记“延时服务”窗口"),
        _t("{who}上门为{town}镇{k}户行动不便群众办理不动产登记"),
        _t("{who}推进农村房地一体确权登记，颁发不动产权证书{n}本"),
        _t("{who}实现不动产登记与水电气过户“一次办”"),
        _t("{who}开展不动产登记历史遗留问题专项攻坚，化解{k}个小区办证难题"),
        _t("“互联网+不动产登记”让群众少跑腿 {who}网上受理{n}件"),
        _t("{who}开展不动产登记窗口作风建设“回头看”"),
        _t("{who}推行不动产抵押登记“不见面办理”"),
        _t("{who}为{k}家企业开辟不动产登记“绿色通道”"),
        _t("{who}{m}月份办理各类不动产登记{n}件"),
        _t("{who}召开不动产登记业务培训会"),
        _t("{who}开展不动产登记档案规范化整理"),
    ),
    "土地整治": (
        _t("{town}镇{village}村土地整治项目新增耕地{n}亩"),
        _t("{who}实施城乡建设用地增减挂钩项目，复垦农村建设用地{n}亩"),
        _t("{who}开展土地整治项目后期管护专项检查"),
        _t("{town}镇工矿废弃地复垦项目顺利完工"),
        _t("{who}{k}个土地综合整治项目全面开工", 3, 4, 5, 6),
        _t("{who}召开全域土地综合整治试点推进会"),
        _t("{who}开展高标准农田建设项目竣工验收"),
        _t("{town}镇{village}村土地开发项目通过省级复核"),
    ),
    "矿产管理": (
        _t("{who}开展{y}年度矿山地质环境恢复治理检查"),
        _t("{who}对{k}家矿山企业开展安全生产督导检查"),
        _t("{who}完成{y}年度矿产资源储量统计工作", 1, 2, 3),
        _t("{who}开展矿业权人勘查开采信息公示实地核查"),
        _t("{who}推进绿色矿山建设，{k}家矿山通过评估"),
        _t("{who}召开矿产资源管理工作座谈会"),
        _t("{who}开展废弃矿山生态修复项目现场调度"),
        _t("{who}完成{town}镇关闭采石场生态修复"),
        _t("{who}规范矿产资源开发秩序，关停不达标矿点{k}处"),
    ),
    "执法监察": (
        _t("{who}开展非法采砂专项整治行动，查处案件{k}起"),
        _t("{who}联合公安、水利部门开展夜间非法开采联合巡查"),
        _t("{who}开展卫片执法检查，实地核查图斑{n}个"),
        _t("{who}立案查处{town}镇违法占地案件{k}起"),
        _t("{who}开展违法用地动态巡查，及时制止违法行为{k}起"),
        _t("{who}召开打击非法采矿联席会议"),
        _t("{who}建立网格化执法巡查机制，实现巡查全覆盖"),
        _t("{who}拆除{town}镇违法建筑{k}处，复耕土地{n}亩"),
        _t("{who}开展节假日期间执法巡查", 1, 2, 5, 10),
        _t("{who}开展国土资源执法案卷评查"),
        _t("{who}对{village}村违法占地建房依法下达停工通知"),
        _t("“早发现、早制止、严查处” {who}筑牢违法用地防线"),
    ),
    "国土空间规划": (
        _t("{who}国土空间总体规划（2021—2035年）通过专家评审"),
        _t("{town}镇村庄规划编制工作全面启动"),
        _t("{who}完成“三区三线”划定成果落地上图"),
        _t("{who}召开国土空间规划委员会会议，审议项目{k}个"),
        _t("{who}开展国土空间规划“一张图”实施监督"),
        _t("{who}为重点项目提供规划选址服务{k}次"),
        _t("{who}开展国土空间规划公众意见征集"),
        _t("{town}镇{village}村“多规合一”实用性村庄规划获批"),
        _t("{who}开展城镇开发边界内用地布局优化"),
        _t("{who}开展规划许可批后监管，核查项目{k}个"),
    ),
    "用地保障": (
        _t("{who}为{k}个重点项目办理用地预审"),
        _t("{who}一季度报批建设用地{n}亩", 4),
        _t("{who}推行“标准地”出让 助力项目“拿地即开工”"),
        _t("{who}开展批而未供和闲置土地专项处置，消化存量土地{n}亩"),
        _t("{who}主动上门服务，保障{town}镇产业园项目用地"),
        _t("{who}召开重点项目用地保障调度会"),
        _t("{who}完成{k}个批次建设用地组卷报批"),
        _t("{who}开展建设用地节约集约利用评价"),
    ),
    "土地储备": (
        _t("{who}完成{town}镇地块收储{n}亩"),
        _t("{who}前{m}个月完成国有建设用地出让{k}宗", 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
        _t("{who}开展储备土地巡查管护"),
        _t("{who}推进城区低效用地再开发"),
        _t("{who}召开土地储备项目征收推进会"),
        _t("{who}完成储备地块前期开发，{k}宗土地具备供地条件"),
        _t("{who}规范土地出让合同履约监管"),
        _t("{who}对{k}宗储备土地开展围挡和临时绿化"),
    ),
    "地籍调查": (
        _t("{who}开展第三次国土调查成果年度变更调查"),
        _t("{who}完成{town}镇地籍调查{n}宗"),
        _t("{who}开展宅基地和集体建设用地使用权地籍调查"),
        _t("{who}推进地籍数据库更新，入库宗地{n}宗"),
        _t("{who}开展土地权属争议调处，化解纠纷{k}起"),
        _t("{who}完成{town}镇城镇地籍补充调查"),
        _t("{who}开展地籍测绘成果质量检查"),
        _t("{who}召开年度土地变更调查工作部署会", 9, 10, 11),
    ),
    "信息化": (
        _t("{who}建成国土资源“一张图”综合监管平台"),
        _t("{who}开展网络安全自查，整改隐患{k}项"),
        _t("{who}推进档案数字化，完成扫描档案{n}卷"),
        _t("{who}做好不动产登记信息平台运维保障"),
        _t("{who}开展国土资源数据共享交换"),
        _t("{who}完成视频会议系统升级改造"),
        _t("{who}上线“掌上国土”便民查询服务"),
        _t("{who}开展信息系统等级保护测评"),
    ),
    "法治宣传": (
        _t("{who}开展“谁执法谁普法”宣传进村入户活动"),
        _t("{who}开展“4·22”世界地球日主题宣传活动", 4),
        _t("{who}组织开展第35个全国“土地日”宣传活动", 6),
        _t("{who}开展“12·4”国家宪法日普法宣传", 12),
        _t("{who}组织干部职工参加国土资源法律知识考试"),
        _t("{who}完成规范性文件清理{k}件"),
        _t("{who}开展行政复议和应诉案件分析"),
        _t("{who}举办国土资源法律法规专题讲座"),
        _t("{who}在{town}镇集市开展国土资源法律宣传，发放资料{n}份"),
        _t("{who}开展法治政府建设年度自查"),
    ),
    "财务审计": (
        _t("{who}开展国土资源专项资金使用情况审计"),
        _t("{who}开展预算执行情况自查"),
        _t("{who}规范耕地开垦费征收管理"),
        _t("{who}加强内部控制制度建设"),
        _t("{who}完成{y}年度部门决算编报", 1, 2, 3),
        _t("{who}开展公务接待和差旅费用专项检查"),
        _t("{who}加强土地出让收支管理"),
    ),
    "人事教育": (
        _t("{who}举办国土资源业务知识培训班，培训干部{n}人次"),
        _t("{who}开展干部作风建设“提升年”活动"),
        _t("{who}组织新入职人员岗前培训"),
        _t("{who}开展“业务大比武”活动"),
        _t("{who}举办信息写作培训班 提升信息员写作水平"),
        _t("{who}开展年轻干部“导师帮带”活动"),
        _t("{who}组织干部职工参加网络学院学习"),
    ),
    "地质灾害": (
        _t("{who}开展汛前地质灾害隐患排查", 3, 4, 5),
        _t("{who}落实汛期地质灾害防治值班制度", 6, 7, 8),
        _t("{who}开展地质灾害应急演练", 5, 6),
        _t("{town}镇{village}村地质灾害隐患点完成工程治理"),
        _t("{who}向受威胁群众发放地质灾害防灾明白卡{n}份"),
        _t("{who}开展汛后地质灾害隐患核查", 9, 10),
        _t("{who}为{k}名群测群防员开展业务培训"),
    ),
    "基层所务": (
        _t("{who}开展农村宅基地审批“回头看”"),
        _t("{who}耐心调处一起土地权属纠纷"),
        _t("{who}开展“进村入户”国土资源法律宣传"),
        _t("{who}协助完成{village}村宅基地确权登记"),
        _t("{who}“便民服务五个一”获群众点赞"),
        _t("{who}为民办实事 解决{village}村群众办证难题"),
        _t("{who}开展辖区违法用地动态巡查"),
        _t("{who}协助镇政府完成{village}村项目用地征收"),
        _t("{who}召开村级国土资源协管员工作会议"),
        _t("{who}开展辖区地质灾害隐患点巡查"),
        _t("{who}规范农村建房用地审批，受理申请{k}件"),
        _t("{who}及时制止{village}村一起违法占地行为"),
        _t("{who}开展耕地保护春季巡查", 3, 4),
        _t("{who}开展“三夏”期间耕地保护巡查", 6),
        _t("{who}对{village}村新增违法占地实行“零容忍”"),
        _t("{who}配合完成{town}镇卫片图斑实地核查{k}个"),
        _t("{who}开展农村乱占耕地建房问题排查"),
        _t("{who}召开辖区耕地保护田长工作会议"),
        _t("{who}协助{town}镇做好高标准农田项目选址"),
        _t("{who}开展“国土资源政策进万家”宣传活动"),
        _t("{who}上门为{village}村群众办理宅基地审批手续"),
        _t("{who}组织协管员开展节假日巡查", 1, 2, 5, 10),
        _t("{who}助力{town}镇重点项目用地报批"),
        _t("{who}化解{village}村一起土地承包边界纠纷"),
    ),
    "综合": (
        _t("{who}召开{y}年全县国土资源工作会议", 1, 2),
        _t("{who}召开信息宣传工作推进会"),
        _t("{who}开展“我为群众办实事”实践活动"),
        _t("{who}全面完成上半年各项目标任务", 7),
        _t("{who}召开一季度工作调度会", 4),
        _t("{who}召开二季度工作调度会", 7),
        _t("{who}召开三季度工作调度会", 10),
        _t("{who}开展安全生产大检查"),
        _t("{who}扎实推进优化营商环境工作"),
        _t("{who}召开年度述职述廉会议", 12, 1),
        _t("{who}开展政务公开工作自查"),
        _t("{who}办理人大代表建议和政协提案{k}件"),
        _t("{who}开展机关效能建设督查"),
        _t("{who}迎接市局年度综合考核", 12),
        _t("{who}开展“12345”热线诉求办理“回头看”"),
    ),
    _PARTY: (
        _t("{party}开展“两学一做”学习教育专题党课"),
        _t("{party}开展“主题党日”活动"),
        _t("{party}组织党员赴{town}镇革命纪念馆开展党性教育"),
        _t("{party}召开党风廉政建设工作会议"),
        _t("{party}召开年度组织生活会", 1, 2, 12),
        _t("{party}开展“七一”系列纪念活动", 6, 7),
        _t("{party}开展“两学一做”知识竞赛"),
        _t("{party}党员志愿者走进{village}村开展志愿服务"),
        _t("{party}开展廉政警示教育"),
        _t("{party}推进“三会一课”规范化建设"),
        _t("{party}开展党员“亮身份、作表率”活动"),
        _t("{party}与{village}村党支部开展结对共建"),
        _t("{party}开展“不忘初心、牢记使命”专题学习"),
        _t("{party}开展党员积分制管理"),
    ),
}

# Research articles, by the topic of the units that write them ("" for any unit).
RESEARCH: dict[str, tuple[str, ...]] = {
    "": ("浅谈国土资源信息宣传工作的实践与体会", "关于提升基层政务信息报送质量的几点思考"),
    "耕地保护": ("关于{town}镇耕地保护经济补偿机制的调研报告", "关于完善耕地保护“田长制”的调研与建议"),
    "土地整治": ("关于提高土地整治项目后期管护水平的思考", "关于{town}镇土地综合整治的调研报告"),
    "基层所务": (
        "浅析基层国土资源所执法监管的难点与对策",
        "基层国土资源所建设现状与对策研究",
        "关于{town}镇农村宅基地管理的调研与思考",
    ),
    "执法监察": ("关于{town}镇违法占地成因及治理对策的调研", "对国土资源执法“事前防范”的几点思考"),
    "不动产登记": ("新形势下做好不动产登记便民服务的思考", "关于我县不动产登记历史遗留问题的调研报告"),
    "用地保障": ("关于破解重点项目用地难题的几点建议", "关于批而未供土地处置情况的调研报告"),
    "土地储备": ("关于提升土地储备效益的调研与思考", "关于推进城镇低效用地再开发的思考"),
    "矿产管理": ("关于加强矿山地质环境治理的调研", "关于{town}镇砂石资源开发利用的调研"),
    "地质灾害": ("关于{town}镇地质灾害群测群防体系建设的调研",),
    "国土空间规划": ("乡村振兴背景下村庄规划编制的思考", "关于{town}镇国土空间规划实施情况的调研"),
    "人事教育": ("关于加强国土资源干部队伍建设的思考",),
    "法治宣传": ("关于推进国土资源依法行政的调研与思考",),
    "财务审计": ("关于加强国土资源专项资金监管的思考",),
    "信息化": ("关于推进国土资源信息化建设的调研",),
    "地籍调查": ("关于做好农村地籍调查工作的思考",),
    "综合": ("关于优化国土资源领域营商环境的调研",),
}

_STATION_TOPICS = ("基层所务", "地质灾害")
TOPICS: dict[str, tuple[str, ...]] = {
    "GS01": ("综合", "耕地保护", "用地保障", "法治宣传", "不动产登记"),
    "GS02": ("国土空间规划", "用地保障"),
    "GS03": ("耕地保护", "土地整治"),
    "GS04": ("地籍调查", "不动产登记"),
    "GS05": ("矿产管理", "地质灾害"),
    "GS06": ("法治宣传", "执法监察"),
    "GS07": ("财务审计", "综合"),
    "GS08": ("人事教育", "综合"),
    **{code: _STATION_TOPICS for code in ("SO01", "SO02", "SO03", "SO04", "SO05", "SO06", "SO07", "SO08")},
    "ZX01": ("土地储备", "用地保障"),
    "ZX02": ("不动产登记",),
    "ZX03": ("信息化", "地籍调查"),
    "DD01": ("执法监察", "矿产管理"),
}
# Share of party and research pieces per unit (the rest is 政务信息 or 新闻宣传).
KIND_SHARES = {
    "default": (0.09, 0.03),
    "GS01": (0.1, 0.08),
    "GS06": (0.06, 0.1),
    "GS07": (0.3, 0.03),
    "GS08": (0.35, 0.05),
}
PARTY_BRANCHES = {
    "GS01": "局机关党委",
    "GS02": "局机关第一党支部",
    "GS03": "局机关第一党支部",
    "GS04": "局机关第二党支部",
    "GS05": "局机关第二党支部",
    "GS06": "局机关第三党支部",
    "GS07": "局机关第三党支部",
    "GS08": "局机关党委",
}

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
    Planted("2025-05", "GS06", "adopted-outside-month", "row-adopted-outside-month", "采用日期 in April"),
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


@dataclass
class Adoption:
    outlet: Outlet
    day: dt.date
    proof: str
    instruction: str = ""


@dataclass
class Piece:
    """One piece a unit wrote, with every adoption it gets during the year."""

    unit: str
    title: str
    category: str
    authors: str
    sent: dt.date
    sent_to: str
    reviewer: str
    adoptions: list[Adoption] = field(default_factory=list)
    co_unit: str = ""  # the co-writing unit, as this unit writes it

    def adoptions_in(self, month: int) -> list[Adoption]:
        return [a for a in self.adoptions if a.day.month == month]

    @property
    def first_adopted(self) -> int | None:
        return min((a.day.month for a in self.adoptions), default=None)


@dataclass
class ReturnedForm:
    """One file as a unit sends it: its header, its rows (a row is a dict of table labels; an
    empty dict is a blank line) and the pending pieces its issued form came pre-filled with."""

    unit: str
    month: str
    path: str
    filled: dt.date
    rows: list[dict[str, Any]]
    carried: list[Piece]
    sheet_edits: tuple[str, ...] = ()


def generate(inputs: Path) -> None:
    """Writes the demo county's plan and a year of returned forms under `inputs`.

    The twelve month folders `inputs/2025-MM/` are replaced whole, so nothing from an earlier
    generation lingers.
    """
    inputs = Path(inputs)
    write_plan(inputs / L.PLAN_FILE.format(year=YEAR), saved_at=dt.datetime(YEAR - 1, 12, 20, 9, 0))
    plan = load_plan(inputs, YEAR)
    for month, returned in returned_forms(simulate_year()).items():
        folder = inputs / month
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        for form in returned:
            _write_form(plan, form, folder / form.path)
        _write_stray_files(folder, month)


def simulate_year() -> dict[str, list[Piece]]:
    """Every unit's pieces of the year, with their adoptions, instructions and co-writers."""
    titles = _Titles()
    by_unit = {code: _unit_pieces(code, titles) for code, *_ in UNITS}
    _give_instructions([piece for pieces in by_unit.values() for piece in pieces])
    _co_write(by_unit)
    return by_unit


def returned_forms(by_unit: dict[str, list[Piece]]) -> dict[str, list[ReturnedForm]]:
    """The forms found in each month's folder, planted mistakes included, in roster order."""
    folders: dict[str, list[ReturnedForm]] = {month: [] for month in MONTHS}
    for code, *_ in UNITS:
        for index, month in enumerate(MONTHS):
            if _planted(month, code, "no-return"):
                continue
            folder = MONTHS[index + 1] if _planted(month, code, "misfiled") else month
            folders[folder] += _versions(_unit_return(code, by_unit[code], month))
    return folders


def _rng(*parts: object) -> random.Random:
    """A generator of its own per concern, so that changing one unit's story keeps the others'."""
    return random.Random(":".join(map(str, (SEED, *parts))))


def _planted(month: str, unit: str, kind: str) -> bool:
    return any((p.month, p.unit, p.kind) == (month, unit, kind) for p in PLANTED)


def _unit(code: str) -> tuple[str, ...]:
    return next(u for u in UNITS if u[0] == code)


def _returning_months(code: str) -> list[int]:
    return [m for m in range(1, 13) if not _planted(MONTHS[m - 1], code, "no-return")]


def _month_end(month: int) -> dt.date:
    return dt.date(YEAR, month, calendar.monthrange(YEAR, month)[1])


# --- The year's pieces -------------------------------------------------------------------------


def _targets(code: str) -> tuple[int, int]:
    """The unit's annual (报送, 采用) targets: its own 任务指标 row, else its category's."""
    rows = {row[0] or row[1]: row for row in TARGETS}
    row = rows.get(code) or rows[_unit(code)[2]]
    return int(row[2]), int(row[3])


def _yearly_volume(rng: random.Random, code: str) -> tuple[int, int]:
    """Pieces sent and pieces adopted in the year: most units a little above target, the
    laggard well below, the unit outside the assessment a handful."""
    submit, adopt = _targets(code)
    if code == BEHIND_UNIT:
        factors = (0.6, 0.4)
    elif _unit(code)[5] != L.YES:
        factors = (0.45, 0.35)
    else:
        factors = (rng.uniform(1.08, 1.3), rng.uniform(1.15, 1.4))
    sent = round(submit * factors[0])
    return sent, min(sent, round(adopt * factors[1]))


def _monthly_counts(rng: random.Random, code: str, total: int) -> dict[int, int]:
    """At least one piece in every month the unit returns a form; the rest spread by season."""
    months = _returning_months(code)
    counts = dict.fromkeys(months, 1)
    weights = [SEASON[m - 1] for m in months]
    for month in rng.choices(months, weights=weights, k=max(total - len(months), 0)):
        counts[month] += 1
    return counts


def _workday(rng: random.Random, month: int) -> dt.date:
    days = (dt.date(YEAR, month, d) for d in range(1, _month_end(month).day + 1))
    return rng.choice([d for d in days if d.weekday() < 5 and d not in HOLIDAYS])


def _unit_pieces(code: str, titles: _Titles) -> list[Piece]:
    rng = _rng("pieces", code)
    total, adopted_count = _yearly_volume(rng, code)
    counts = _monthly_counts(rng, code, total)
    adopted = set(rng.sample(range(sum(counts.values())), adopted_count))
    pieces: list[Piece] = []
    for month, count in counts.items():
        for sent in sorted(_workday(rng, month) for _ in range(count)):
            pieces.append(_new_piece(rng, code, sent, titles, len(pieces) in adopted))
    return pieces


def _new_piece(rng: random.Random, code: str, sent: dt.date, titles: _Titles, adopted: bool) -> Piece:
    title, kind = titles.draw(rng, code, sent.month, _kind(rng, code))
    category = kind if kind in (_PARTY, _RESEARCH) else (_GOV if rng.random() < 0.55 else _NEWS)
    outlet = _pick_outlet(rng, code, category)
    assert outlet is not None  # every category has outlets at 县级
    via_office = code != "GS01" and rng.random() < 0.3
    piece = Piece(
        unit=code,
        title=title,
        category=category,
        authors=_authors(rng, code),
        sent=sent,
        sent_to="局办公室" if via_office else outlet.sent_to,
        reviewer=_reviewer(rng, code),
    )
    if adopted:
        piece.adoptions = _adoptions(rng, code, piece, outlet)
    return piece


def _kind(rng: random.Random, code: str) -> str:
    party, research = KIND_SHARES.get(code, KIND_SHARES["default"])
    roll = rng.random()
    return _PARTY if roll < party else _RESEARCH if roll < party + research else "news"


class _Titles:
    """Draws titles from the templates, never the same title twice (compared folded), and
    spreads use over the templates so that none is worn out."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.uses: Counter[str] = Counter()

    def draw(self, rng: random.Random, code: str, month: int, kind: str) -> tuple[str, str]:
        """A fresh title of the kind (news, party or research) and the kind it has: a unit that
        has used up its research topics writes news instead."""
        title = self._fresh(rng, code, month, self._pool(code, month, kind))
        if title is None:
            kind = "news"
            title = self._fresh(rng, code, month, self._pool(code, month, kind))
        if title is None:
            raise RuntimeError(f"no fresh title for {code} in month {month}")
        return title, kind

    @staticmethod
    def _pool(code: str, month: int, kind: str) -> list[str]:
        if kind == _RESEARCH:
            return [text for topic in ("", *TOPICS[code]) for text in RESEARCH.get(topic, ())]
        topics = TOPICS[code] if kind == "news" else (kind,)
        return [text for topic in topics for text, months in TEMPLATES[topic] if month in months]

    def _fresh(self, rng: random.Random, code: str, month: int, pool: list[str]) -> str | None:
        for _ in range(30):
            fewest = min(self.uses[text] for text in pool)
            text = rng.choice([t for t in pool if self.uses[t] == fewest])
            self.uses[text] += 1
            title = text.format(**_slots(rng, code, month))
            if fold(title) not in self.used:
                self.used.add(fold(title))
                return title
        return None


def _slots(rng: random.Random, code: str, month: int) -> dict[str, Any]:
    _, name, category, *_ = _unit(code)
    town = name.removesuffix("国土资源所") if category == "国土资源所" else rng.choice(TOWNS)
    return {
        "who": rng.choice(_subjects(code)),
        "party": PARTY_BRANCHES.get(code, f"{name}党支部"),
        "town": town,
        "village": rng.choice(VILLAGES),
        "n": rng.randint(12, 860),
        "k": rng.randint(2, 16),
        "few": rng.randint(1, 5),
        "y": YEAR,
        "m": month,
    }


def _subjects(code: str) -> tuple[str, ...]:
    """How a unit's titles name who did the work."""
    _, name, category, *_ = _unit(code)
    if category == "股室":
        return ("我局", "县国土资源局", BUREAU)
    if category == "国土资源所":
        town = name.removesuffix("国土资源所")
        return (name, f"{town}所", f"{town}国土所")
    return (f"县{name}", f"我局{name}")


def _authors(rng: random.Random, code: str) -> str:
    officer, others = _unit(code)[3], PEOPLE[code][2]
    count = min(rng.choices((1, 2, 3), weights=(55, 35, 10))[0], 1 + len(others))
    first = officer if rng.random() < 0.65 or not others else rng.choice(others)
    rest = [p for p in (officer, *others) if p != first]
    return L.LIST_SEPARATOR.join([first, *rng.sample(rest, count - 1)])


def _reviewer(rng: random.Random, code: str) -> str:
    head, deputy, _ = PEOPLE[code]
    return head if rng.random() < 0.8 else deputy


def _pick_outlet(rng: random.Random, code: str, category: str, at_least: int = 0, exclude: str = "") -> Outlet | None:
    """An outlet carrying the category, weighted by the unit's usual levels."""
    level_weights = LEVEL_WEIGHTS.get(code, LEVEL_WEIGHTS["default"])
    candidates = [
        o for o in OUTLETS if category in o.categories and o.name != exclude and L.LEVELS.index(o.level) >= at_least
    ]
    per_level = Counter(o.level for o in candidates)
    weights = [level_weights[L.LEVELS.index(o.level)] / per_level[o.level] for o in candidates]
    if not candidates or not any(weights):
        return None
    return rng.choices(candidates, weights=weights)[0]


def _adoptions(rng: random.Random, code: str, piece: Piece, outlet: Outlet) -> list[Adoption]:
    """The outlet the piece was sent to adopts it 0-3 months later; some pieces are picked up by
    a second outlet at the same or a higher level."""
    lag = rng.choices((0, 1, 2, 3), weights=(45, 35, 15, 5))[0]
    first = _adoption(rng, code, piece.sent, outlet, lag)
    if first is None:
        return []
    adoptions = [first]
    if rng.random() < (0.2 if code == "GS01" else 0.12):
        other = _pick_outlet(rng, code, piece.category, L.LEVELS.index(outlet.level), exclude=outlet.name)
        second = other and _adoption(rng, code, first.day, other, rng.choices((0, 1), weights=(60, 40))[0])
        if second:
            adoptions.append(second)
    return adoptions


def _adoption(rng: random.Random, code: str, after: dt.date, outlet: Outlet, lag: int) -> Adoption | None:
    """An adoption after `after`, `lag` months later, in a month the unit returns a form."""
    month = min(after.month + lag, 12)
    while month not in _returning_months(code) and month < 12:
        month += 1
    start = after + dt.timedelta(days=1) if month == after.month else dt.date(YEAR, month, 1)
    end = _month_end(month)
    if start > end or month not in _returning_months(code):
        return None if month == 12 else _adoption(rng, code, after, outlet, lag + 1)
    day = start + dt.timedelta(days=rng.randint(0, min((end - start).days, 10 if month == after.month else 27)))
    return Adoption(outlet, day, _proof(rng, outlet, day))


def _proof(rng: random.Random, outlet: Outlet, day: dt.date) -> str:
    if rng.random() < 0.1:
        return rng.choice(("复印件已交局办公室", f"采用截图{day:%m%d}.jpg"))
    if outlet.proof == "weekly":
        return f"{outlet.name}{day.year}年第{(day.timetuple().tm_yday - 1) // 7 + 1}期"
    if outlet.proof == "monthly":
        return f"{outlet.name}{day.year}年第{day.month}期"
    if outlet.proof == "paper":
        return f"{outlet.name}{day.month}月{day.day}日第{rng.randint(1, 8)}版"
    if outlet.proof == "tv":
        return f"{outlet.name}{day.month}月{day.day}日播出截图.jpg"
    return f"{outlet.site}/{day.year}/{day.month}/{day.day}/art_{rng.randint(1000, 9999)}_{rng.randint(100000, 999999)}.html"


def _give_instructions(pieces: list[Piece]) -> None:
    """A few leader instructions, each on the first adoption of a piece at the leader's level;
    county leaders comment on 政务信息."""
    rng = _rng("instructions")
    for level, count in INSTRUCTIONS.items():
        candidates = [
            p
            for p in pieces
            if p.adoptions and p.adoptions[0].outlet.level == level and (level != "县级" or p.category == _GOV)
        ]
        for piece in rng.sample(candidates, min(count, len(candidates))):
            piece.adoptions[0].instruction = level


def _co_write(by_unit: dict[str, list[Piece]]) -> None:
    """Marks the co-written pieces; where the co-unit lists the piece too, it gets its own copy
    (its own authors and reviewer) naming the writing unit."""
    for month, writer, partner, both, style in CO_WRITTEN:
        candidates = [p for p in by_unit[writer] if p.sent.month == int(month[5:]) and not p.co_unit]
        piece = next((p for p in candidates if p.adoptions), candidates[0])
        piece.co_unit = _unit_reference(partner, style)
        if both:
            rng = _rng("co-written", month, partner)
            mirror = replace(
                piece,
                unit=partner,
                authors=_authors(rng, partner),
                reviewer=_reviewer(rng, partner),
                adoptions=copy.deepcopy(piece.adoptions),
                co_unit=_unit_reference(writer, style),
            )
            by_unit[partner] = sorted([*by_unit[partner], mirror], key=lambda p: (p.sent, p.title))


def _unit_reference(code: str, style: str) -> str:
    return code if style == "code" else _unit(code)[1]


# --- What each unit returns --------------------------------------------------------------------


def _unit_return(code: str, pieces: list[Piece], month: str) -> ReturnedForm:
    carried, rows = _month_rows(code, pieces, month)
    for planted in PLANTED:
        if (planted.month, planted.unit) == (month, code) and planted.kind in ROW_MISTAKES:
            ROW_MISTAKES[planted.kind](rows, month, planted.value)
    edits = tuple(p.kind for p in PLANTED if (p.month, p.unit) == (month, code) and p.kind in SHEET_MISTAKES)
    return ReturnedForm(code, month, _file_name(code, month), _fill_date(code, month), rows, carried, edits)


def _month_rows(code: str, pieces: list[Piece], month: str) -> tuple[list[Piece], list[dict[str, Any]]]:
    """The pending pieces the unit's form came pre-filled with, and the rows the unit returns:
    those pieces first (updated when adopted this month), then its other rows by date."""
    rng = _rng("rows", code, month)
    number = int(month[5:])
    carried = sorted(
        (
            p
            for p in pieces
            if code in CARRYING_UNITS
            and p.sent.month == number - 1
            and (p.first_adopted is None or p.first_adopted >= number)
        ),
        key=lambda p: (p.sent, p.title),
    )
    carried_ids = {id(p) for p in carried}
    listed = [(p, (p.adoptions_in(number) or [None])[0]) for p in carried]
    others = []
    for piece in pieces:
        adoptions = piece.adoptions_in(number)
        extra = adoptions[1:] if id(piece) in carried_ids else adoptions
        if id(piece) not in carried_ids and not adoptions and piece.sent.month == number:
            extra = [None]
        others += [(piece, adoption) for adoption in extra]
    others.sort(key=lambda pa: (pa[0].sent, pa[0].title, pa[1].day if pa[1] else pa[0].sent))
    rows = [_row(rng, piece, adoption) for piece, adoption in [*listed, *others]]
    if code not in NO_NUMBERING:
        for number_in_form, row in enumerate(rows, start=1):
            row[L.SEQ] = number_in_form
    return carried, rows


def _row(rng: random.Random, piece: Piece, adoption: Adoption | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        PIECE: piece,
        L.TITLE: piece.title,
        L.CATEGORY: piece.category,
        L.AUTHORS: piece.authors,
        L.SENT_DATE: piece.sent,
        L.SENT_TO: piece.sent_to,
        L.STATUS: L.ADOPTED if adoption else L.NOT_ADOPTED,
        L.CO_UNITS: piece.co_unit or None,
        L.REVIEWER: piece.reviewer,
        L.SECRECY: L.YES,
    }
    instruction = adoption.instruction if adoption else ""
    row[L.INSTRUCTION] = instruction or (L.NO_INSTRUCTION if piece.unit in WRITES_NO_INSTRUCTION else None)
    if adoption:
        row.update({L.OUTLET: adoption.outlet.name, L.LEVEL: adoption.outlet.level})
        row.update({L.ADOPT_DATE: adoption.day, L.PROOF: adoption.proof})
        if adoption.day.month != piece.sent.month and rng.random() < 0.4:
            row[L.NOTES] = f"{piece.sent.month}月已报送"
    return row


def _file_name(code: str, month: str) -> str:
    if _planted(month, code, "default-name"):
        return "新建 XLSX 工作表.xlsx"
    pattern = FILE_NAMES[code]
    name = forms.form_filename(code, _unit(code)[1]) if pattern is None else pattern
    name = name.format(y=YEAR, m=int(month[5:]), mm=month[5:])
    return f"邮件附件/{name}" if _planted(month, code, "subfolder") else name


def _fill_date(code: str, month: str) -> dt.date:
    """填报日期: mostly in the first days of the next month, some on the month's last days, a
    few late; the late unit usually late."""
    rng = _rng("filled", code, month)
    last = _month_end(int(month[5:]))
    late = 0.6 if code == LATE_UNIT else 0.08
    roll = rng.random()
    if roll < late:
        return last + dt.timedelta(days=rng.randint(6, 12))
    if roll < late + 0.2:
        return last - dt.timedelta(days=rng.randint(0, 2))
    return last + dt.timedelta(days=rng.randint(1, 5))


def _versions(form: ReturnedForm) -> list[ReturnedForm]:
    """A unit that resends: the first version lacks its last row and a 审核人; the corrected one
    is filled in a day later and named (修改版)."""
    if not _planted(form.month, form.unit, "resent"):
        return [form]
    first_rows = [dict(row) for row in form.rows[:-1]]
    _pieces_of(first_rows)[0][L.REVIEWER] = None
    first = replace(form, rows=first_rows, filled=form.filled - dt.timedelta(days=1))
    stem = form.path.removesuffix(".xlsx")
    return [first, replace(form, path=f"{stem}(修改版).xlsx")]


# --- The mistakes people make ------------------------------------------------------------------

PIECE = "_piece"  # the Piece a row stands for; never written
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _pieces_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in rows if row.get(L.TITLE)]
    if not found:
        raise RuntimeError("a planted mistake needs a row with a piece")
    return found


def _adopted_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = [row for row in _pieces_of(rows) if row[L.STATUS] == L.ADOPTED]
    if not found:
        raise RuntimeError("a planted mistake needs an adopted row")
    return found


def _missing_reviewer(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.REVIEWER] = None


def _secrecy_no(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[-1][L.SECRECY] = L.NO


def _unknown_category(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _pieces_of(rows)[0][L.CATEGORY] = value


def _adopted_no_level(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.LEVEL] = None


def _adopted_no_proof(rows: list[dict[str, Any]], month: str, value: str) -> None:
    _adopted_rows(rows)[0][L.PROOF] = None


def _adopted_outside_month(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """An adoption dated in the previous month, on a piece sent well before it."""
    first_day, _ = months.month_bounds(month)
    claimed = first_day - dt.timedelta(days=2)
    row = next((r for r in _adopted_rows(rows) if r[L.SENT_DATE] < claimed), None)
    if row is None:
        raise RuntimeError("no adopted row sent before the previous month's end")
    row[L.ADOPT_DATE] = claimed


def _date_as_text(rows: list[dict[str, Any]], month: str, value: str) -> None:
    pieces = _pieces_of(rows)
    day = pieces[0][L.SENT_DATE]
    pieces[0][L.SENT_DATE] = f"{day.year}.{day.month}.{day.day}"
    for row in pieces[1:2]:
        row[L.SENT_DATE] = f"{row[L.SENT_DATE].month}月{row[L.SENT_DATE].day}日"


def _full_width(rows: list[dict[str, Any]], month: str, value: str) -> None:
    for row in _pieces_of(rows):
        row[L.SEQ] = str(row.get(L.SEQ) or "").translate(_FULL_WIDTH) or None
        row[L.SENT_DATE] = f"{row[L.SENT_DATE]:%Y-%m-%d}".translate(_FULL_WIDTH)
    first = next((r for r in _pieces_of(rows) if any(ch.isdigit() for ch in r[L.TITLE])), _pieces_of(rows)[0])
    first[L.TITLE] = first[L.TITLE].translate(_FULL_WIDTH)


def _formula_title(rows: list[dict[str, Any]], month: str, value: str) -> None:
    """A title pasted with a leading '-' or '=', on a piece listed only this month, so the
    change does not split the piece across months."""
    number = int(month[5:])
    row = next(
        r
        for r in _pieces_of(rows)
        if r[PIECE].sent.month == number and all(a.day.month == number for a in r[PIECE].adoptions)
    )
    row[L.TITLE] = value + row[L.TITLE]


def _blank_lines(rows: list[dict[str, Any]], month: str, value: str) -> None:
    if len(_pieces_of(rows)) < 2:
        raise RuntimeError("blank lines inside the table need two rows")
    rows.insert(1, {})
    if len(rows) > 4:
        rows.insert(4, {})


def _stub_rows(rows: list[dict[str, Any]], month: str, value: str) -> None:
    count = len(_pieces_of(rows))
    rows += [{L.SEQ: count + extra} for extra in (1, 2, 3)]


ROW_MISTAKES = {
    "missing-reviewer": _missing_reviewer,
    "secrecy-no": _secrecy_no,
    "unknown-category": _unknown_category,
    "adopted-no-level": _adopted_no_level,
    "adopted-no-proof": _adopted_no_proof,
    "adopted-outside-month": _adopted_outside_month,
    "date-as-text": _date_as_text,
    "full-width": _full_width,
    "formula-title": _formula_title,
    "blank-lines": _blank_lines,
    "stub-rows": _stub_rows,
}


def _rows_above(ws: Worksheet, form: ReturnedForm) -> None:
    """Two rows inserted above the title, as when a form is pasted into a document as 附件1.

    openpyxl's insert_rows moves cells only, so merged cells, validations, frozen panes and
    print settings are moved here the way Excel moves them.
    """
    count = 2
    merged = [r.coord for r in ws.merged_cells.ranges]
    for coord in merged:
        ws.unmerge_cells(coord)
    ws.insert_rows(1, count)
    for coord in merged:
        ws.merge_cells(_shifted(coord, count))
    for validation in ws.data_validations.dataValidation:
        validation.sqref = MultiCellRange([_shifted(r.coord, count) for r in validation.sqref.ranges])
    ws.auto_filter.ref = _shifted(ws.auto_filter.ref, count)
    ws.freeze_panes = ws.cell(row=forms.FIRST_DATA_ROW + count, column=1)
    ws.print_title_rows = f"{forms.HEADER_ROW + count}:{forms.HEADER_ROW + count}"
    xlsx.put(ws.cell(row=1, column=1), "附件1")


def _shifted(coord: str, rows: int) -> str:
    moved = CellRange(coord)
    moved.shift(row_shift=rows)
    return moved.coord


def _title_retyped(ws: Worksheet, form: ReturnedForm) -> None:
    title = next(c for c in ws["A"] if isinstance(c.value, str) and c.value.endswith(L.FORM_TITLE_SUFFIX))
    xlsx.put(title, f"{SHORT_NAMES[form.unit]}{YEAR}年{int(form.month[5:])}月份信息宣传报送表")


SHEET_MISTAKES = {"rows-above": _rows_above, "title-retyped": _title_retyped}
FILE_MISTAKES = ("misfiled", "resent", "lock-file", "note-docx", "subfolder", "default-name", "no-return")


# --- Writing the files -------------------------------------------------------------------------


def _write_form(plan: Plan, form: ReturnedForm, target: Path) -> None:
    workbook = forms.build_form(plan, form.unit, form.month, _carry_over(form.carried), prepared_rows=FORM_ROWS)
    ws = workbook[L.FORM_SHEET]
    values = {L.H_HEAD: None if form.unit in NO_HEAD else PEOPLE[form.unit][0], L.H_FILL_DATE: form.filled}
    for label, row, _, first, _ in forms.HEADER_BLOCK:
        if label in values:
            xlsx.put(ws.cell(row=row, column=first), values[label])
    for offset, record in enumerate(form.rows):
        for label, col in forms.COLUMN.items():
            xlsx.put(ws.cell(row=forms.FIRST_DATA_ROW + offset, column=col), record.get(label))
    for kind in form.sheet_edits:
        SHEET_MISTAKES[kind](ws, form)
    save_reproducibly(workbook, target, _saved_at(form.filled))


def _carry_over(pieces: list[Piece]) -> pd.DataFrame | None:
    """The pending pieces as the ledger hands them to `forms.build_form`."""
    if not pieces:
        return None
    return pd.DataFrame(
        [
            {
                L.TITLE: p.title,
                L.CATEGORY: p.category,
                L.AUTHORS: p.authors,
                L.SENT_DATE: pd.Timestamp(p.sent),
                L.SENT_TO: p.sent_to,
                L.STATUS: L.NOT_ADOPTED,
                L.CO_UNITS: p.co_unit,
                L.REVIEWER: p.reviewer,
                L.SECRECY: L.YES,
            }
            for p in pieces
        ]
    )


def _saved_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30))


def _write_stray_files(folder: Path, month: str) -> None:
    """The files that are not forms: an Office lock file, a note saying the form came by mail."""
    for planted in PLANTED:
        if planted.month != month:
            continue
        if planted.kind == "lock-file":
            target = folder / f"~${_file_name(planted.unit, month)}"
            target.write_bytes(_lock_file_bytes("wangxy"))
            _set_mtime(target, _saved_at(_fill_date(planted.unit, month)))
        if planted.kind == "note-docx":
            officer = _unit(planted.unit)[3]
            lines = [
                "局办公室：",
                f"{_unit(planted.unit)[1]}{int(month[5:])}月份信息报送表及采用证明附件见邮件，请查收。",
            ]
            _write_note(
                folder / "附件见邮件.docx", [*lines, officer], officer, _saved_at(_fill_date(planted.unit, month))
            )


def _lock_file_bytes(user: str) -> bytes:
    """What Excel leaves beside an open workbook: the user's name, padded, twice."""
    name = user.encode("ascii")
    return (
        bytes([len(name)]) + name.ljust(53, b" ") + len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    ).ljust(165, b"\x00")


def _write_note(target: Path, lines: list[str], author: str, when: dt.datetime) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = when
    buffer = io.BytesIO()
    document.save(buffer)
    _write_restamped(buffer.getvalue(), target, when)


def save_reproducibly(workbook: Workbook, target: Path, when: dt.datetime) -> None:
    """Saves a workbook so that the same content always gives the same bytes: the document's
    timestamps and the zip entries' times are `when`, not the current time (openpyxl's own
    save stamps both with the clock)."""
    workbook.properties.created = workbook.properties.modified = when
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    _write_restamped(buffer.getvalue(), target, when)


def _write_restamped(data: bytes, target: Path, when: dt.datetime) -> None:
    """Rewrites a zip package with every entry dated `when`, atomically, and dates the file too."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            package.writestr(entry, source.read(info.filename))
    with xlsx.atomic_path(target) as tmp:
        tmp.write_bytes(out.getvalue())
    _set_mtime(target, when)


def _set_mtime(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))
