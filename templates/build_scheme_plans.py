"""Builds the six published schemes as plan workbooks, `templates/schemes/*.xlsx`.

Run once by a developer (`python templates/build_scheme_plans.py`); the generated files are
committed. Each workbook is a complete 2025 plan (the core sheets plus the scheme sheets of
docs/schemes.md) with a 说明 sheet recording where the published text is incomplete or
ambiguous and what the workbook chose; an office starts from the one closest to its own 办法
and replaces the example roster, targets and whatever its text says otherwise. Values the
published text does not give (targets, units) are examples marked as the office's to set.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pipeline.core import labels as L  # noqa: E402
from pipeline.core import scheme_labels as S  # noqa: E402
from pipeline.demo import files as demo_files  # noqa: E402
from pipeline.xlsx import printing  # noqa: E402
from pipeline.xlsx import styles as xlsx  # noqa: E402

TARGET = HERE / "schemes"
SAVED_AT = dt.datetime(2024, 12, 20, 9, 0)


def _rules(issuer: str, prefix: str, multi: str, co: str, extra: list[tuple[str, Any]]) -> list[list[Any]]:
    core = [
        (L.R_MULTI_LEVEL, multi),
        (L.R_CO_WRITTEN, co),
        (L.R_REWARD_SPLIT, "均分"),
        (L.R_MISSING_DEDUCTION, 0),
        (L.R_SHORTFALL_DEDUCTION, 0),
        (L.R_PASS, "数量"),
        (L.R_TOP_UNITS, 3),
        (L.R_TOP_PERSONS, 5),
        (L.R_DEADLINE_DAY, 5),
        (L.R_ISSUER, issuer),
        (L.R_DOC_PREFIX, prefix),
    ]
    return [list(L.RULE_COLUMNS), *map(list, core), *map(list, extra)]


def _vocabulary(categories, levels, instructions, unit_categories) -> list[list[Any]]:
    rows = [list(S.VOCABULARY_COLUMNS)]
    rows += [[S.K_CATEGORY, c, None, None] for c in categories]
    rows += [[S.K_LEVEL, name, rank, None] for rank, name in enumerate(levels, start=1)]
    rows += [[S.K_INSTRUCTION, name, rank, None] for rank, name in enumerate(instructions, start=1)]
    rows += [[S.K_UNIT_CATEGORY, c, None, None] for c in unit_categories]
    return rows


def _notes(lines: list[str]) -> list[list[Any]]:
    return [["序号", "说明"], *[[i, line] for i, line in enumerate(lines, start=1)]]


def _bonus(rows: list[tuple[str, float, str]]) -> list[list[Any]]:
    return [[L.B_LEVEL, L.B_BONUS, S.B_MODE], *map(list, rows)]


def _points(rows: list[tuple[str, str, float]]) -> list[list[Any]]:
    return [list(L.POINTS_COLUMNS), *[[c, lv, p, 0] for c, lv, p in rows]]


def _targets(rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    return [list(L.TARGET_COLUMNS), *map(list, rows)]


def _roster(rows: list[tuple[str, str, str]]) -> list[list[Any]]:
    return [list(L.ROSTER_COLUMNS), *[[c, n, k, f"信息员{c}", "", L.YES] for c, n, k in rows]]


OFFICE_SETS = "示例值，由本单位按实际填写（原文未规定）"

TRIAL_HEADER = [
    "单位代码",
    "稿件标题",
    "稿件类别",
    "作者",
    "报送日期",
    "采用情况",
    "采用载体",
    "采用级别",
    "采用日期",
    "领导批示",
    "合作单位",
    "采用形式",
    "计分加成",
    "约稿编号",
    "上级计分",
]


def _trial(*rows: dict[str, Any]) -> list[list[Any]]:
    """The 试算稿件 sheet: the scheme's worked example as rows (`run.py scheme-trial` counts them)."""
    grid = [TRIAL_HEADER]
    for row in rows:
        status = "已采用" if row.get("采用日期") else "未采用"
        grid.append([row.get(c, status if c == "采用情况" else None) for c in TRIAL_HEADER])
    return grid


def _r(
    unit: str, title: str, category: str, sent: str, adopted: str | None = None, outlet: str = "", **more: Any
) -> dict:
    return {
        "单位代码": unit,
        "稿件标题": title,
        "稿件类别": category,
        "作者": more.pop("作者", "张三"),
        "报送日期": sent,
        "采用日期": adopted,
        "采用载体": outlet or None,
        **more,
    }


def quzhou() -> dict[str, list[list[Any]]]:
    """Scheme 1: 衢州市政务信息工作考核办法 (outlets, routes × higher office's score, 合报均分)."""
    units = ("县(市、区)政府办公室", "市政府部门", "市政府办公室处室")
    outlets = [
        ("《衢州政务》信息版", "", "市级", "", 2, None),
        ("《衢州政务》特刊", "", "市级", "", 2, None),
        ("《衢州政务》专报信息", "专报信息", "市级", "", 3, None),
        ("《衢州政务》增刊", "", "市级", "", 10, None),
        ("送阅件信息", "送阅件", "市级", "", 2, None),
        ("省政府办公厅", "省府办", "省级", "直报", S.EXTERNAL, 1),
        ("省政府办公厅", "", "省级", "转报", S.EXTERNAL, 2),
        ("国务院办公厅", "国办", "国家级", "直报", S.EXTERNAL, 1),
        ("国务院办公厅", "", "国家级", "转报", S.EXTERNAL, 5),
    ]
    return {
        L.S_ROSTER: _roster(
            [
                ("QZ01", "市发改委", "市政府部门"),
                ("QZ02", "市财政局", "市政府部门"),
                ("QZ03", "柯城区政府办公室", "县(市、区)政府办公室"),
            ]
        ),
        L.S_TARGETS: _targets([(c, None, 24, 6, None, 0) for c in units]),
        L.S_POINTS: _points([]),
        L.S_BONUS: _bonus([("市委市政府领导", 10, "加分")]),
        L.S_RULES: _rules("衢州市人民政府办公室", "衢政办", "累计", "均分", [(S.R_CLOSED_OUTLETS, L.YES)]),
        S.S_VOCABULARY: _vocabulary(["政务信息"], ["市级", "省级", "国家级"], ["市委市政府领导"], units),
        S.S_OUTLETS: [
            list(S.OUTLET_COLUMNS),
            *[[n, a, lv, "", form, p, f, ""] for n, a, lv, form, p, f in outlets],
        ],
        S.S_TRIAL: _trial(
            _r("QZ01", "稿件a", "政务信息", "2025-02-01", "2025-02-10", "《衢州政务》信息版"),
            _r(
                "QZ01",
                "稿件b",
                "政务信息",
                "2025-03-01",
                "2025-03-10",
                "《衢州政务》专报信息",
                领导批示="市委市政府领导",
            ),
            _r("QZ01", "稿件c", "政务信息", "2025-04-01", "2025-04-10", "《衢州政务》增刊", 合作单位="QZ02"),
            _r("QZ02", "稿件c", "政务信息", "2025-04-01", "2025-04-10", "《衢州政务》增刊", 合作单位="QZ01"),
            _r("QZ01", "送阅件d", "政务信息", "2025-05-01", "2025-05-10", "送阅件信息"),
            _r("QZ01", "约稿e", "政务信息", "2025-06-01", "2025-06-10", "省政府办公厅", 采用形式="转报", 上级计分=5),
        ),
        S.S_NOTES: _notes(
            [
                "依据：衢州市政务信息工作考核办法（可读部分：二、计分标准全文）。原文第三部分（考核办法）以后缺失。",
                "省政府办公厅、国务院办公厅的分值原文为“按省（国务院）办公厅计分”：报送表填“上级计分”（上级给出的分值），"
                "本表按采用形式计算：直报 ×1，市府办转报省办 ×2，转报国办 ×5。",
                "合报信息“分数均分，不重复计分”：本表读作合报稿件的分值在合报单位之间均分（合作稿件计分=均分）。",
                "同一稿件被多个载体采用是否累计，原文未说明：本表选“累计”（多级采用计分=累计），各载体分别计分。",
                "批示加分只列“市委市政府领导”在市政府办公室信息刊物上的批示 +10；省级、国家级领导批示原文未规定，本表不计。",
                "专题约稿原文只作为报送内容，没有单独分值或扣分：按其采用载体计分，本表不设约稿任务。",
                "单位名册、任务指标为" + OFFICE_SETS + "。",
            ]
        ),
    }


def county_department() -> dict[str, list[list[Any]]]:
    """Scheme 2: 信息工作目标考核评比办法 (outlets by kind, 单条/综合, leader levels, ≥15 → 50)."""
    categories = ["信息", "动态信息", "信息约稿", "综合调研信息", "简讯"]
    leaders = ["县级领导", "市委市政府办公室领导", "市级领导", "省级领导", "中央和国家级领导"]
    outlets = [
        ("《县重要信息》", "重要信息", "县级", "", "单条", 5, ""),
        ("《县重要信息》", "", "县级", "", "综合", 3, L.YES),
        ("《县要情》", "要情", "县级", "", "", 10, ""),
        ("信息快报", "", "县级", "", "", 10, ""),
        ("《县政务信息》", "", "县级", "动态信息", "", 5, ""),
        ("《县政务信息》", "", "县级", "信息约稿", "", 10, ""),
        ("《县政务信息》", "", "县级", "综合调研信息", "", 10, ""),
        ("《县政务信息》", "", "县级", "简讯", "", 3, ""),
        ("《市政务信息》", "", "市级", "", "", 5, ""),
        ("《市政务信息》", "", "市级", "简讯", "", 3, ""),
        ("市委办", "市委办公室", "市级", "", "", 10, ""),
        ("省委省政府办公厅", "省委办公厅、省政府办公厅", "省级", "", "", 20, ""),
        ("国务院办公厅", "国办", "国家级", "", "", 30, ""),
        ("中央办公厅", "中办", "国家级", "", "", 50, ""),
    ]
    return {
        L.S_ROSTER: _roster([("GS01", "办公室", "股室"), ("GS02", "业务股", "股室"), ("GS03", "综合股", "股室")]),
        L.S_TARGETS: _targets([("股室", None, 15, 5, None, 0)]),
        L.S_POINTS: _points([]),
        L.S_BONUS: _bonus([(lv, p, "加分") for lv, p in zip(leaders, (10, 20, 30, 40, 50), strict=True)]),
        L.S_RULES: _rules("县局办公室", "县局办", "累计", "均分", [(S.R_CLOSED_OUTLETS, L.YES)]),
        S.S_VOCABULARY: _vocabulary(categories, ["县级", "市级", "省级", "国家级"], leaders, ["股室"]),
        S.S_OUTLETS: [list(S.OUTLET_COLUMNS), *[[n, a, lv, c, f, p, "", u] for n, a, lv, c, f, p, u in outlets]],
        S.S_MODIFIERS: [list(S.MODIFIER_COLUMNS), ["调研参考或理论文章", S.TIMES, 2, ""]],
        S.S_LUMPS: [list(S.LUMP_COLUMNS), [S.COUNT_SENT, 15, 50, 0, ""]],
        S.S_TRIAL: _trial(
            _r("GS01", "稿件A", "信息", "2025-03-01", "2025-03-05", "《县重要信息》", 采用形式="单条"),
            _r("GS01", "稿件A", "信息", "2025-03-01", "2025-03-20", "市委办", 领导批示="县级领导"),
            _r("GS01", "稿件B", "信息", "2025-04-01", "2025-04-05", "《县重要信息》", 采用形式="综合"),
            _r("GS01", "稿件C", "信息约稿", "2025-05-01", "2025-05-05", "《县政务信息》"),
            _r("GS01", "稿件D", "信息", "2025-06-01", "2025-06-05", "省委省政府办公厅"),
            _r("GS01", "稿件D", "信息", "2025-06-01", "2025-07-05", "国务院办公厅", 领导批示="省级领导"),
            _r("GS01", "稿件E", "信息", "2025-08-01", "2025-08-05", "市委办", 计分加成="调研参考或理论文章"),
            *[_r("GS01", f"未采用稿件{i}", "信息", f"2025-{i % 12 + 1:02d}-03") for i in range(11)],
        ),
        S.S_NOTES: _notes(
            [
                "依据：信息工作目标考核评比办法（可读到三(三)领导批示第4项）；发文单位、年份不详。",
                "原文载体名称前缀被遮挡（*重要信息、*要情、*政务信息）：本表取“县重要信息”“县要情”“县政务信息”“市政务信息”，请改为本地刊物名称。",
                "第4项、第5项都写作“*政务信息”：本表读作县、市两种刊物。",
                "转报中央办公厅原文未写“被采用”：本表按被采用计分（同第7条“未被采用一律不计分”）。",
                "第6条“以省、市采用得分乘以2计分”：本表读作替代原分值（×2），以计分加成“调研参考或理论文章”填报。",
                "第7条“可累计加分”：多级采用计分=累计。",
                "领导批示第5项（“同……”）原文缺失：本表选同一稿件只计最高一次批示（批示计分默认“最高一次”）。",
                "“全年报送15条（含15条）以上得50分”：按报送数（不论是否采用），不足15条得0分，不按比例。",
                "综合采用“每条（单位）3分”：每个被综合采用的单位各得3分（每单位计分=是）。",
                "单位名册、任务指标为" + OFFICE_SETS + "。",
            ]
        ),
    }


def housing_bureau() -> dict[str, list[list[Any]]]:
    """Scheme 3: 县住建局新闻信息宣传考核办法 (outlets by kind, 头版头条 ×2, 学术 ×½, task items)."""
    categories = ["新闻", "信息", "理论调研文章", "电视"]
    outlets = [
        ("《大众日报》", "大众日报", "省级", "新闻", 10),
        ("《中国建设报》", "中国建设报", "国家级", "新闻", 10),
        ("《市日报》", "", "市级", "新闻", 7),
        ("《市建设报》", "", "市级", "新闻", 5),
        ("《市信息》", "", "市级", "信息", 4),
        ("《市政务信息》", "", "市级", "信息", 4),
        ("《住房和城乡建设》", "住房和城乡建设", "市级", "信息", 3),
        ("《市人民政府网》", "市政府网", "市级", "信息", 2),
        ("《县人民政府网》", "县政府网", "县级", "信息", 2),
        ("《建设信息网》", "", "市级", "信息", 2),
    ]
    return {
        L.S_ROSTER: _roster([("ZJ01", "办公室", "股室"), ("ZJ02", "村镇建设股", "股室"), ("ZJ03", "城建股", "股室")]),
        L.S_TARGETS: _targets([("股室", None, 40, 10, None, 0)]),
        L.S_POINTS: _points(
            [
                ("理论调研文章", "县级", 5),
                ("理论调研文章", "市级", 7),
                ("理论调研文章", "省级", 10),
                ("理论调研文章", "国家级", 10),
                ("电视", "县级", 7),
                ("电视", "市级", 10),
            ]
        ),
        L.S_BONUS: _bonus([("上级领导", 5, "加分")]),
        L.S_RULES: _rules("县住房和城乡建设局办公室", "县住建办", "累计", "均分", []),
        S.S_VOCABULARY: _vocabulary(categories, ["县级", "市级", "省级", "国家级"], ["上级领导"], ["股室"]),
        S.S_OUTLETS: [list(S.OUTLET_COLUMNS), *[[n, a, lv, c, "", p, "", ""] for n, a, lv, c, p in outlets]],
        S.S_MODIFIERS: [
            list(S.MODIFIER_COLUMNS),
            ["头版头条", S.TIMES, 2, "新闻"],
            ["学术刊物", S.TIMES, 0.5, "理论调研文章"],
        ],
        S.S_TASKS: [
            list(S.TASK_COLUMNS),
            ["县住建局网站", "", "ZJ01", 10, 0],
            ["县住建局政务公开网站", "", "ZJ01", 20, 0],
            ["各股室每周报送信息", "股室", "", 20, 0],
        ],
        S.S_TASK_RESULTS: [list(S.TASK_RESULT_COLUMNS), ["各股室每周报送信息", "ZJ02", L.YES]],
        S.S_TRIAL: _trial(
            _r("ZJ02", "新闻1", "新闻", "2025-03-01", "2025-03-05", "《大众日报》", 计分加成="头版头条"),
            _r("ZJ02", "新闻2", "新闻", "2025-04-01", "2025-04-05", "《市日报》"),
            _r("ZJ02", "信息3", "信息", "2025-05-01", "2025-05-05", "《市政务信息》", 领导批示="上级领导"),
            _r(
                "ZJ02",
                "调研4",
                "理论调研文章",
                "2025-06-01",
                "2025-06-05",
                "《城乡规划研究》",
                采用级别="市级",
                计分加成="学术刊物",
            ),
            _r("ZJ02", "电视5", "电视", "2025-07-01", "2025-07-05", "县电视台", 采用级别="县级"),
            _r("ZJ02", "约稿6", "信息", "2025-08-05"),
        ),
        S.S_NOTES: _notes(
            [
                "依据：县住建局新闻信息宣传考核办法（可读到二(五)3）；附表（任务分值）不可读。",
                "刊物名称缺地名前缀（《日报》《建设报》《信息》等）：本表取“市日报”“市建设报”“市信息”等，请改为本地刊物全称。",
                "“其他报纸媒体按同级行业报刊计分”：原文未给出同级行业报刊的分值，本表无法表达；这类采用计0分并提示“没有对应分值”，"
                "请按本地规定在“采用载体”中登记。",
                "任务项目“基础分值 + 完成加分 / 未完成扣分”有两种读法：本表取读法(a)：完成得 基础分+加分（5+5、10+10、10+10），"
                "未完成得 基础分−扣分 = 0。如按读法(b)（未完成从总分倒扣），把“未完成得分”改为 −5、−10、−10。",
                "网站两项任务只对负责网站的单位（示例：ZJ01 办公室），每周报送任务对每个股室；完成情况由局办公室在“任务完成”表登记（示例一行：ZJ02 完成每周报送任务；没有登记的单位该项暂不计分，并在备注中写明）。",
                "头版头条 ×2 只用于新闻；学术刊物按同级综合性刊物的一半（×0.5），只用于理论调研文章。",
                "同一稿件多个载体采用是否累计原文未说明：本表选“累计”。上级领导批示 +5（每条一次）。",
                "个人同样考核（工作人员）：个人得分按作者均分。",
                "单位名册、任务指标为" + OFFICE_SETS + "。",
            ]
        ),
    }


def development_zone() -> dict[str, list[list[Any]]]:
    """Scheme 4: 开发区信息通讯员考核办法 (levels only, highest only, monthly minimum and pass)."""
    levels = ["本市级", "镇江市级", "省级以上"]
    return {
        L.S_ROSTER: _roster(
            [("BM01", "经济发展局", "部门"), ("CJ01", "新港村", "村(居)"), ("CJ02", "港南社区", "村(居)")]
        ),
        L.S_TARGETS: _targets([("部门", None, 12, 3, None, 1), ("村(居)", None, 24, 3, None, 2)]),
        L.S_POINTS: _points(
            [
                (c, lv, p)
                for c, row in (("信息", (1, 3, 5)), ("文章", (2, 5, 10)))
                for lv, p in zip(levels, row, strict=True)
            ]
        ),
        L.S_BONUS: _bonus([("领导批示", 0, "加分")]),
        L.S_RULES: _rules(
            "开发区宣传办公室",
            "开宣办",
            "最高级",
            "均分",
            [
                (S.R_PASS_MONTHS, 12),
                (S.R_CONVERT_FULL, 10),
                (S.R_CONVERT_BASE, S.CONVERT_TOP),
                (S.R_REWARD_PASSING, L.YES),
            ],
        ),
        S.S_VOCABULARY: _vocabulary(["信息", "文章"], levels, ["领导批示"], ["部门", "村(居)"]),
        S.S_TRIAL: _trial(
            _r("CJ01", "信息A", "信息", "2025-01-03", "2025-01-20", "市报", 采用级别="本市级"),
            _r("CJ01", "信息A", "信息", "2025-01-03", "2025-02-20", "镇江日报", 采用级别="镇江市级"),
            _r("CJ01", "信息B", "信息", "2025-02-03", "2025-02-21", "市报", 采用级别="本市级"),
            _r("CJ01", "信息C", "信息", "2025-03-03", "2025-03-21", "新华日报", 采用级别="省级以上"),
            _r("CJ01", "文章D", "文章", "2025-04-03", "2025-04-21", "市报", 采用级别="本市级"),
            _r("CJ01", "文章E", "文章", "2025-05-03", "2025-05-21", "镇江日报", 采用级别="镇江市级"),
            _r("CJ01", "文章E", "文章", "2025-05-03", "2025-06-21", "新华日报", 采用级别="省级以上"),
            *[
                _r("CJ01", f"2025-{m:02d}报送{i}", "信息", f"2025-{m:02d}-10")
                for m in range(1, 13)
                for i in range((1 if m == 8 else 2) - (1 if m <= 5 else 0))
            ],
        ),
        S.S_NOTES: _notes(
            [
                "依据：开发区信息通讯员考核办法（可读到“具体办法”之前）；年终奖励金额、档次原文缺失。",
                "“主流正面媒体”没有具体名单：本表不设载体目录，按报送表填写的采用级别（本市级 / 镇江市级 / 省级以上）计分。",
                "同一稿件多次多级采用“按最高分值计分，不累计加分”：多级采用计分=最高级。",
                "1000字以下的“文章”按信息计（稿件类别填“信息”）；本软件不核对字数，由信息员和审核人把关。",
                "每月最低报送数：部门 1 条、村(居) 2 条（任务指标表）。原文未写合格标准：本表读作每月达到最低报送数为该月合格，"
                "全年 12 个月都合格为考核合格（合格月数=12）；不合格的不参加评优和年终奖励（评优资格=否，奖励仅限合格=是）。"
                "年终奖励按实际用稿计，原文未给金额：计分标准的奖励金额为 0，由本单位填写。",
                "信息报送在目标责任状中占 10 分，原文未写折算办法：本表暂按“得分 ÷ 全区最高分 × 10”折算（折算满分=10，折算基准=最高分），"
                + "这是示例，请按本单位规定修改或删去这两行。",
                "领导批示、约稿、合写、扣分原文均未规定：批示加分为 0；约稿不计分，也不扣分。",
                "单位名册、任务指标中的年度任务为" + OFFICE_SETS + "。",
            ]
        ),
    }


def livestock_bureau() -> dict[str, list[list[Any]]]:
    """Scheme 5: 市畜牧局信息工作考核 (doubling by level, top two levels, 批示 doubles, 3:2 authors)."""
    levels = ["本局", "市级", "省级及以上"]
    return {
        L.S_ROSTER: _roster(
            [("XM01", "办公室", "科室"), ("XM02", "畜牧科", "科室"), ("XM03", "动物疫控中心", "局属单位")]
        ),
        L.S_TARGETS: _targets([("科室", None, 12, 4, None, 0), ("局属单位", None, 12, 4, None, 0)]),
        L.S_POINTS: _points(
            [
                (c, lv, p)
                for c, row in (("信息类", (2, 4, 8)), ("调研类", (6, 12, 24)))
                for lv, p in zip(levels, row, strict=True)
            ]
        ),
        L.S_BONUS: _bonus([("领导批示", 2, "倍数")]),
        L.S_RULES: _rules("市畜牧局办公室", "市牧办", "最高两级", "均分", [(S.R_AUTHOR_SPLIT, S.AUTHORS_3_2)]),
        S.S_VOCABULARY: _vocabulary(["信息类", "调研类"], levels, ["领导批示"], ["科室", "局属单位"]),
        S.S_OUTLETS: [
            list(S.OUTLET_COLUMNS),
            ["《畜牧》", "畜牧", "本局", "", "", "", "", ""],
            ["《畜牧网》", "畜牧网", "本局", "", "", "", "", ""],
        ],
        S.S_MODIFIERS: [
            list(S.MODIFIER_COLUMNS),
            ["转发", S.TIMES, 0.5, ""],
            ["800字以上按调研类", S.TIMES, 3, "信息类"],
        ],
        S.S_TRIAL: _trial(
            _r("XM02", "P1", "信息类", "2025-03-01", "2025-03-05", "《畜牧》"),
            _r("XM02", "P2", "信息类", "2025-03-01", "2025-03-06", "《畜牧网》"),
            _r("XM02", "P2", "信息类", "2025-03-01", "2025-04-06", "市委办公室", 采用级别="市级"),
            _r("XM02", "P3", "调研类", "2025-05-01", "2025-05-06", "《畜牧》", 领导批示="领导批示"),
            _r("XM02", "P4", "信息类", "2025-06-01", "2025-06-06", "《畜牧网》", 计分加成="转发"),
            _r(
                "XM02",
                "P5",
                "信息类",
                "2025-07-01",
                "2025-07-06",
                "市日报",
                采用级别="市级",
                计分加成="800字以上按调研类",
                作者="王五、赵六、刘七",
            ),
        ),
        S.S_NOTES: _notes(
            [
                "依据：市畜牧局信息工作考核安排（可读到“年底对全局信息情况进行综……”）；奖励、合格标准原文缺失。",
                "“市级加倍，更高层次再加倍”：本表读作逐级翻倍——本局 ×1、市级 ×2、省级及以上 ×4，直接写在计分标准中"
                "（信息类 2/4/8，调研类 6/12/24）。",
                "“取最高层次两次累计加分，同一层级只计一次分”：多级采用计分=最高两级（两个最高层级各取一次相加）。",
                "领导批示“加倍记分”：批示加分表方式=倍数、值=2，对稿件的采用得分翻倍（批示计分=最高一次，多次批示只翻倍一次）。",
                "转发文章减半：计分加成“转发”×0.5。",
                "“市级以上采用且800字以上的信息按调研类计分”：以计分加成“800字以上按调研类”×3 表达（信息类基础分2分×3=调研类6分，"
                "各级均为3倍，结果与改判类别后再翻倍一致）。本软件不核对字数和采用级别，由信息员填报、审核人把关。",
                "多人合写只计前两位作者，按3:2分配（作者计分=前两位3比2）；单位得全部分值。",
                "半年通报和排名按考核得分；年终奖励原文缺失，未设置。",
                "单位名册、任务指标为" + OFFICE_SETS + "。",
            ]
        ),
    }


def guangyuan() -> dict[str, list[list[Any]]]:
    """Scheme 6: 广元市2008年政务信息计分办法 (outlets with use forms, 约稿 ±, feedback event)."""
    leaders = ["市政府领导", "省政府领导", "国务院领导"]
    outlets = [
        ("《政务晨讯》", "政务晨讯", "市级", "", 2),
        ("《要情专报》", "要情专报", "市级", "", 2),
        ("《政府工作通报》", "政府工作通报", "市级", "", 5),
        ("《政务参阅》", "政务参阅", "市级", "", 5),
        ("市政府门户网站", "", "市级", "文字", 1),
        ("市政府门户网站", "", "市级", "图片", 0.5),
        ("国务院办公厅信息刊物", "国办信息", "国家级", "", 10),
        ("《川政晨讯》", "川政晨讯", "省级", "参阅", 3),
        ("《川政晨讯》", "", "省级", "重要", 5),
    ]
    return {
        L.S_ROSTER: _roster(
            [
                ("GY01", "利州区政府办公室", "县(区)政府"),
                ("GY02", "市发改委", "市政府部门"),
                ("GY03", "市交通局", "市政府部门"),
            ]
        ),
        L.S_TARGETS: _targets([("县(区)政府", None, 60, 20, None, 0), ("市政府部门", None, 30, 10, None, 0)]),
        L.S_POINTS: _points([]),
        L.S_BONUS: _bonus([(lv, p, "加分") for lv, p in zip(leaders, (5, 10, 20), strict=True)]),
        L.S_RULES: _rules("广元市人民政府办公室", "广府办", "累计", "均分", [(S.R_CLOSED_OUTLETS, L.YES)]),
        S.S_VOCABULARY: _vocabulary(["政务信息"], ["市级", "省级", "国家级"], leaders, ["县(区)政府", "市政府部门"]),
        S.S_OUTLETS: [list(S.OUTLET_COLUMNS), *[[n, a, lv, "", f, p, "", ""] for n, a, lv, f, p in outlets]],
        S.S_COMMISSIONS: [
            list(S.COMMISSION_COLUMNS),
            ["YG2025-01", "一季度经济运行专题", "2025-03-01", "2025-03-20", "", 0, 5, 10, 10],
            ["YG2025-02", "防汛工作专题", "2025-06-01", "2025-06-15", "", 0, 5, 10, 10],
        ],
        S.S_EVENT_KINDS: [list(S.EVENT_KIND_COLUMNS), ["批示要求反馈的信息不报或迟报", -10, L.NO]],
        S.S_EVENTS: [list(S.EVENT_COLUMNS)],
        S.S_TRIAL: _trial(
            _r("GY01", "A", "政务信息", "2025-02-01", "2025-02-05", "《政务晨讯》"),
            _r("GY01", "B", "政务信息", "2025-02-01", "2025-02-06", "《政务参阅》", 领导批示="市政府领导"),
            _r("GY01", "C", "政务信息", "2025-02-01", "2025-02-07", "市政府门户网站", 采用形式="文字"),
            _r("GY01", "C", "政务信息", "2025-02-01", "2025-02-07", "市政府门户网站", 采用形式="图片"),
            _r(
                "GY01",
                "D",
                "政务信息",
                "2025-04-01",
                "2025-04-07",
                "《川政晨讯》",
                采用形式="参阅",
                领导批示="省政府领导",
            ),
            _r("GY01", "E", "政务信息", "2025-03-15", "2025-03-25", "《政务晨讯》", 约稿编号="YG2025-01"),
        ),
        S.S_NOTES: _notes(
            [
                "依据：广元市2008年度政务信息工作目标任务“计分办法”（可读部分）；各单位目标分值原文不可见。",
                "《川政晨讯》分“参阅 3 分 / 重要 5 分”，市政府门户网站分“文字 1 分 / 图片 0.5 分”：以采用形式区分，报送表填“采用形式”。"
                "同一稿件的文字和图片分别计分。",
                "《政府工作通报》不含领导讲话：领导讲话不应报送为该载体的采用，由审核人把关，本软件不核对。",
                "约稿信息被采用计 5 分：本表读作替代该稿的载体分值（约稿任务“采用分值”=5），不再另计载体分。",
                "专题约稿不报或迟报每次倒扣 10 分（约稿任务“未报扣分”“迟报扣分”=10）；“视情况通报”由局办公室决定，不自动取消评优资格。",
                "批示要求反馈的信息不报或迟报每次倒扣 10 分：由局办公室在“事件登记”表登记（事件类型已建）。",
                "批示分与采用分相加（每条只计最高一次批示）；多个载体采用分别计分（累计）。",
                "“纳入年度综合目标考核并折算”：原文未给出折算公式，本表未设折算；请在考核规则表加“折算满分”“折算基准”两行。",
                "示例约稿编号、日期和单位名册、任务指标为" + OFFICE_SETS + "。",
            ]
        ),
    }


SCHEMES = {
    "方案1-衢州市政务信息.xlsx": ("衢州市人民政府办公室", quzhou),
    "方案2-股室信息目标考核.xlsx": ("县局", county_department),
    "方案3-县住建局新闻信息宣传.xlsx": ("县住房和城乡建设局", housing_bureau),
    "方案4-开发区信息通讯员.xlsx": ("开发区宣传办公室", development_zone),
    "方案5-市畜牧局信息工作.xlsx": ("市畜牧局", livestock_bureau),
    "方案6-广元市政务信息.xlsx": ("广元市人民政府办公室", guangyuan),
}


def main(target: Path = TARGET) -> None:
    target.mkdir(exist_ok=True)
    for file, (title, build) in SCHEMES.items():
        sheets = build()
        demo_files.write_plan(target / file, sheets, title=title, saved_at=SAVED_AT)
        _finish(target / file, sheets)
        print(target / file)


def _finish(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    workbook = load_workbook(path)
    _readable_notes(workbook)
    _trial_dropdowns(workbook, sheets)
    demo_files.save_reproducibly(workbook, path, SAVED_AT)


def _trial_dropdowns(workbook: Any, sheets: dict[str, list[list[Any]]]) -> None:
    """The 试算稿件 columns offer the plan's own names: categories, levels and instructions as
    written in 类别级别; outlets, modifiers and 约稿编号 straight from their sheets' first column, so
    an office's later rows there are offered too."""
    vocabulary = sheets[S.S_VOCABULARY][1:]
    named = {kind: [r[1] for r in vocabulary if r[0] == kind] for kind in S.VOCABULARY_KINDS}
    forms = sorted({r[4] for r in sheets.get(S.S_OUTLETS, [[]])[1:] if r[4]})
    lists = {
        "稿件类别": '"' + ",".join(named[S.K_CATEGORY]) + '"',
        "采用情况": '"已采用,未采用"',
        "采用级别": '"' + ",".join(named[S.K_LEVEL]) + '"',
        "领导批示": '"' + ",".join(["无", *named[S.K_INSTRUCTION]]) + '"',
        "采用形式": '"' + ",".join(forms) + '"' if forms else None,
    }
    for sheet, column in ((S.S_OUTLETS, "采用载体"), (S.S_MODIFIERS, "计分加成"), (S.S_COMMISSIONS, "约稿编号")):
        if sheet in sheets:
            lists[column] = f"'{sheet}'!$A$3:$A$300"
    trial = workbook[S.S_TRIAL]
    for index, label in enumerate(TRIAL_HEADER, start=1):
        formula = lists.get(label)
        if formula is None:
            continue
        # 采用载体 and 计分加成 stay open: a unit may type an outlet freely (it is matched) or
        # list several modifiers; the list is a help, not a rule
        strict = label not in ("采用载体", "计分加成")
        check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict)
        letter = get_column_letter(index)
        check.add(f"{letter}3:{letter}500")
        trial.add_data_validation(check)


def _readable_notes(workbook: Any) -> None:
    """The 说明 sheet's long sentences wrap in a wide column and print on A4 pages' width."""
    notes = workbook[S.S_NOTES]
    notes.column_dimensions["B"].width = 100
    for number, cell in notes.iter_rows(min_row=3, min_col=1, max_col=2):
        number.alignment = Alignment(horizontal="center", vertical="top")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Excel and LibreOffice keep a written row's height: give wrapped sentences their lines
        lines = -(-printing.display_width(str(cell.value or "")) // 98)
        notes.row_dimensions[cell.row].height = 15 * max(1, lines)
    xlsx.fit_to_a4(notes, "landscape")


if __name__ == "__main__":
    main()
