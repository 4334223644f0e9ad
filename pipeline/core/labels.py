"""Every Chinese label the product reads or writes, in one place.

The labels are contracts: the plan workbook's sheets and columns with the office, the monthly
form's header and table with the units, the output files' columns with everyone who reads them.
Modules refer to them through these names, never through string literals.
"""

from __future__ import annotations

from pipeline.core.scheme_labels import SCHEME_FORM_COLUMNS

# --- The monthly return form -------------------------------------------------------------------

FORM_TITLE_SUFFIX = "信息宣传工作月度报送表"
FORM_SHEET = "报送表"
FORM_GUIDE_SHEET = "填报说明"
FORM_LIST_SHEET = "选项"
FORM_VERSION_LABEL = "模板版本"
FORM_VERSION = "2025.1"

# Header block: a label cell with its value in the next non-empty cell to the right.
H_UNIT_NAME = "填报单位"
H_UNIT_CODE = "单位代码"
H_MONTH = "报送月份"
H_OFFICER = "信息员"
H_PHONE = "联系电话"
H_HEAD = "单位负责人"
H_FILL_DATE = "填报日期"
HEADER_LABELS = (H_UNIT_NAME, H_UNIT_CODE, H_MONTH, H_OFFICER, H_PHONE, H_HEAD, H_FILL_DATE)

# Table columns, one row per (piece, adoption).
SEQ = "序号"
TITLE = "稿件标题"
CATEGORY = "稿件类别"
AUTHORS = "作者"
SENT_DATE = "报送日期"
SENT_TO = "报送去向"
STATUS = "采用情况"
OUTLET = "采用载体"
LEVEL = "采用级别"
ADOPT_DATE = "采用日期"
INSTRUCTION = "领导批示"
CO_UNITS = "合作单位"
PROOF = "证明材料"
REVIEWER = "审核人"
SECRECY = "保密审查"
NOTES = "备注"
TABLE_COLUMNS = (
    SEQ,
    TITLE,
    CATEGORY,
    AUTHORS,
    SENT_DATE,
    SENT_TO,
    STATUS,
    OUTLET,
    LEVEL,
    ADOPT_DATE,
    INSTRUCTION,
    CO_UNITS,
    PROOF,
    REVIEWER,
    SECRECY,
    NOTES,
)
# Columns that identify the table: a row holding all of them is the table's header row.
TABLE_KEY_COLUMNS = (TITLE, CATEGORY, AUTHORS, SENT_DATE, STATUS)
DATE_COLUMNS = (SENT_DATE, ADOPT_DATE)

# Separator between several authors or co-writing units.
LIST_SEPARATOR = "、"

# --- Enumerations ------------------------------------------------------------------------------

CATEGORIES = ("政务信息", "新闻宣传", "调研文章", "党建信息")
LEVELS = ("县级", "市级", "省级", "国家级")  # ascending
NO_INSTRUCTION = "无"
INSTRUCTION_LEVELS = (NO_INSTRUCTION, *LEVELS)
ADOPTED = "已采用"
NOT_ADOPTED = "未采用"
STATUSES = (ADOPTED, NOT_ADOPTED)
YES = "是"
NO = "否"
YES_NO = (YES, NO)
UNIT_CATEGORIES = ("股室", "国土资源所", "中心", "大队")

# --- Provenance and derived columns of the month's rows ----------------------------------------
#
# The rows frame (intake -> checks -> ledger -> scoring) holds, one row per table row of a form:
#   row_id          int, unique within one month's run; GX reports failures by it
#   月份            str "YYYY-MM", the form's month
#   单位代码, 单位名称, 来源文件 (path relative to the month folder, "/"-separated), 来源工作表,
#   来源行号        int, the Excel row number the person sees
#   every TABLE_COLUMNS label: str, "" when blank, spaces trimmed, full-width letters and digits
#                   folded; 作者 and 合作单位 re-joined with "、"; except
#   报送日期, 采用日期  datetime64 (NaT when blank or unreadable), with the text as typed kept in
#                   报送日期(原值) and 采用日期(原值)
#   稿件键          the normalised title that identifies a piece within its unit
#   采用形式, 计分加成, 约稿编号, 上级计分 (scheme_labels.SCHEME_FORM_COLUMNS): str, "" when blank,
#                   typed as the other texts (计分加成 re-joined with "、"); read only from the
#                   columns the year's scheme puts on the form (`Scheme.form_columns`), "" in every
#                   other case (a plan without a scheme: always "")
# After the checks, accepted rows have 合作单位 resolved to unit codes (self removed) and
# 领导批示 "无" where it was blank.

ROW_ID = "row_id"
UNIT_CODE = "单位代码"
UNIT_NAME = "单位名称"
SOURCE_FILE = "来源文件"
SOURCE_SHEET = "来源工作表"
SOURCE_ROW = "来源行号"
MONTH = "月份"
PIECE_KEY = "稿件键"
RAW_SUFFIX = "(原值)"
POINTS = "得分"
PROVENANCE_COLUMNS = (ROW_ID, MONTH, UNIT_CODE, UNIT_NAME, SOURCE_FILE, SOURCE_SHEET, SOURCE_ROW)
ROW_COLUMNS = (
    *PROVENANCE_COLUMNS,
    *TABLE_COLUMNS,
    SENT_DATE + RAW_SUFFIX,
    ADOPT_DATE + RAW_SUFFIX,
    PIECE_KEY,
    *SCHEME_FORM_COLUMNS,
)

# What a still-unadopted piece carries over onto next month's form (its adoption columns are
# left for the officer), in the form's column order.
CARRY_COLUMNS = (TITLE, CATEGORY, AUTHORS, SENT_DATE, SENT_TO, INSTRUCTION, CO_UNITS, REVIEWER, SECRECY, NOTES)

# The returns frame (ledger -> scoring): one row per accepted form of a month.
SUBMITTED_ON = "提交日期"  # 填报日期 from the header, else the file's modification date
FIRST_SUBMITTED_ON = "首次提交日期"  # 提交日期 of the earliest version received (superseded ones count)
RETURN_COLUMNS = (MONTH, UNIT_CODE, SUBMITTED_ON, FIRST_SUBMITTED_ON)

# --- The plan workbook -------------------------------------------------------------------------

PLAN_FILE = "plan-{year}.xlsx"

S_ROSTER = "单位名册"
S_TARGETS = "任务指标"
S_POINTS = "计分标准"
S_BONUS = "批示加分"
S_RULES = "考核规则"
PLAN_SHEETS = (S_ROSTER, S_TARGETS, S_POINTS, S_BONUS, S_RULES)

# 单位名册
P_UNIT_CODE = "单位代码"
P_UNIT_NAME = "单位名称"
P_UNIT_CATEGORY = "单位类别"
P_OFFICER = "信息员"
P_PHONE = "联系电话"
P_ASSESSED = "参加考核"
ROSTER_COLUMNS = (P_UNIT_CODE, P_UNIT_NAME, P_UNIT_CATEGORY, P_OFFICER, P_PHONE, P_ASSESSED)
# Optional: the month (1-12) a unit joining mid-year starts being assessed; blank = January.
P_START_MONTH = "起始月份"
P_HEAD = "单位负责人"  # optional: the unit's head, pre-filled on its forms; a later form's value wins
# Optional: the code a unit had before a re-organisation (its history is carried over to its code).
P_FORMER_CODE = "原单位代码"

# 任务指标
T_UNIT_CATEGORY = "单位类别"
T_UNIT_CODE = "单位代码"
T_SUBMIT = "年度报送任务"
T_ADOPT = "年度采用任务"
T_POINTS = "年度得分任务"
T_MONTHLY_MIN = "每月最低报送数"
TARGET_COLUMNS = (T_UNIT_CATEGORY, T_UNIT_CODE, T_SUBMIT, T_ADOPT, T_POINTS, T_MONTHLY_MIN)
TARGET_REQUIRED = (T_UNIT_CATEGORY, T_UNIT_CODE, T_SUBMIT, T_ADOPT)

# 计分标准
PT_CATEGORY = "稿件类别"
PT_LEVEL = "采用级别"
PT_POINTS = "分值"
PT_REWARD = "奖励金额"
POINTS_COLUMNS = (PT_CATEGORY, PT_LEVEL, PT_POINTS, PT_REWARD)

# 批示加分
B_LEVEL = "批示级别"
B_BONUS = "加分"
BONUS_COLUMNS = (B_LEVEL, B_BONUS)

# 考核规则
R_PARAM = "参数"
R_VALUE = "值"
RULE_COLUMNS = (R_PARAM, R_VALUE)

R_MULTI_LEVEL = "多级采用计分"
R_CO_WRITTEN = "合作稿件计分"
R_REWARD_SPLIT = "奖励分配"
R_MISSING_DEDUCTION = "月度漏报扣分"
R_SHORTFALL_DEDUCTION = "月度欠报扣分"
R_PASS = "达标条件"
R_TOP_UNITS = "先进单位名额"
R_TOP_PERSONS = "先进个人名额"
R_DEADLINE_DAY = "报送截止日"
R_ISSUER = "发文机关"
R_DOC_PREFIX = "发文字号前缀"
R_CATCH_UP_DAYS = "督办期限工作日"  # optional: working days from a circular's date to the deadlines it sets
CATCH_UP_DAYS_DEFAULT = 5
# Optional: what a circular carries beside its figures (docs/contracts.md); 无 leaves a line out.
R_RECIPIENTS = "主送机关"  # default: 各 + the roster's 单位类别 (各股室、所、中心、大队)
R_CC = "抄送机关"
CC_DEFAULT = "局领导班子成员"
R_CONTACT = "联系人"  # default: the 信息员 of the roster's 办公室
R_CONTACT_PHONE = "联系电话"  # default: that 信息员's 联系电话
R_METHOD = "考核办法名称"  # default: YYYY年度信息宣传工作考核办法
R_DECISION = "年度结果决定用语"
DECISION_DEFAULT = "经局党组研究决定"
NONE_WORD = "无"
OPTIONAL_RULE_PARAMS = (R_CATCH_UP_DAYS, R_RECIPIENTS, R_CC, R_CONTACT, R_CONTACT_PHONE, R_METHOD, R_DECISION)
RULE_PARAMS = (
    R_MULTI_LEVEL,
    R_CO_WRITTEN,
    R_REWARD_SPLIT,
    R_MISSING_DEDUCTION,
    R_SHORTFALL_DEDUCTION,
    R_PASS,
    R_TOP_UNITS,
    R_TOP_PERSONS,
    R_DEADLINE_DAY,
    R_ISSUER,
    R_DOC_PREFIX,
)

# --- Severities --------------------------------------------------------------------------------

ERROR = "错误"
WARNING = "警告"

# --- Problem lists the office reads (审核问题.xlsx, receipts): the Chinese title leads ------------
PROBLEM_TITLE = "问题"
PROBLEM_CODE = "问题代码"
