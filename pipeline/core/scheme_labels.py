"""The Chinese labels of the scheme sheets of the plan workbook and of the form columns they add.

Kept apart from `labels.py` so that the scheme engine (docs/schemes.md) reads as one unit; the
labels are contracts with the office and the units like every other label.
"""

from __future__ import annotations

# --- Optional plan sheets (a plan without them counts exactly as before) -----------------------

S_VOCABULARY = "类别级别"
V_KIND = "项目"
V_NAME = "名称"
V_RANK = "级次"
V_CAP = "年度上限"
V_QUOTA = "年度最低报送数"
VOCABULARY_COLUMNS = (V_KIND, V_NAME, V_RANK, V_CAP, V_QUOTA)
K_CATEGORY = "稿件类别"
K_LEVEL = "采用级别"
K_INSTRUCTION = "批示级别"
K_UNIT_CATEGORY = "单位类别"
VOCABULARY_KINDS = (K_CATEGORY, K_LEVEL, K_INSTRUCTION, K_UNIT_CATEGORY)

S_OUTLETS = "采用载体"
O_NAME = "载体名称"
O_ALIASES = "别名"
O_LEVEL = "采用级别"
O_CATEGORY = "稿件类别"
O_FORM = "采用形式"
O_POINTS = "分值"
O_FACTOR = "倍数"
O_PER_UNIT = "每单位计分"
O_REWARD = "奖励金额"
OUTLET_COLUMNS = (O_NAME, O_ALIASES, O_LEVEL, O_CATEGORY, O_FORM, O_POINTS, O_FACTOR, O_PER_UNIT, O_REWARD)
EXTERNAL = "上级计分"  # in 分值: the points the higher office gave, from the form's 上级计分 column

S_MODIFIERS = "计分加成"
M_NAME = "加成名称"
M_MODE = "方式"
M_VALUE = "值"
M_CATEGORY = "适用稿件类别"
MODIFIER_COLUMNS = (M_NAME, M_MODE, M_VALUE, M_CATEGORY)
TIMES = "乘"
PLUS = "加"
MODES = (TIMES, PLUS)

# 批示加分 gains two optional columns.
B_MODE = "方式"
B_FURTHER = "其后加分"
INSTRUCTION_MODES = ("加分", "倍数")

S_LUMPS = "达量加分"
U_COUNT = "计数"
U_REACH = "达到数"
U_POINTS = "加分"
U_MISS = "未达扣分"
U_UNIT_CATEGORY = "单位类别"
LUMP_COLUMNS = (U_COUNT, U_REACH, U_POINTS, U_MISS, U_UNIT_CATEGORY)
COUNT_SENT = "报送数"
COUNT_ADOPTED = "采用数"
COUNTS = (COUNT_SENT, COUNT_ADOPTED)

S_COMMISSIONS = "约稿任务"
C_ID = "约稿编号"
C_SUBJECT = "约稿内容"
C_ISSUED = "下达日期"
C_DEADLINE = "截止日期"
C_UNITS = "承担单位"
C_DONE = "按时报送加分"
C_ADOPTED = "采用分值"
C_MISSED = "未报扣分"
C_LATE = "迟报扣分"
COMMISSION_COLUMNS = (C_ID, C_SUBJECT, C_ISSUED, C_DEADLINE, C_UNITS, C_DONE, C_ADOPTED, C_MISSED, C_LATE)

S_TASKS = "任务项目"
T_NAME = "任务名称"
T_UNIT_CATEGORY = "单位类别"
T_UNIT_CODE = "单位代码"
T_DONE = "完成得分"
T_FAILED = "未完成得分"
TASK_COLUMNS = (T_NAME, T_UNIT_CATEGORY, T_UNIT_CODE, T_DONE, T_FAILED)

S_TASK_RESULTS = "任务完成"
TR_NAME = "任务名称"
TR_UNIT = "单位代码"
TR_DONE = "完成"
TASK_RESULT_COLUMNS = (TR_NAME, TR_UNIT, TR_DONE)

S_EVENT_KINDS = "事件类型"
EK_NAME = "事件名称"
EK_POINTS = "分值"
EK_ELIGIBILITY = "取消评优资格"
EVENT_KIND_COLUMNS = (EK_NAME, EK_POINTS, EK_ELIGIBILITY)

S_EVENTS = "事件登记"
E_UNIT = "单位代码"
E_DATE = "日期"
E_KIND = "事件名称"
E_NOTE = "说明"
E_POINTS = "分值"
EVENT_COLUMNS = (E_UNIT, E_DATE, E_KIND, E_NOTE, E_POINTS)

S_NOTES = "说明"  # free notes of the office; never read by the plan reader
S_TRIAL = "试算稿件"  # example rows a scheme trial counts (`run.py scheme-trial`); not read by the plan reader

SCHEME_SHEETS = (
    S_VOCABULARY,
    S_OUTLETS,
    S_MODIFIERS,
    S_LUMPS,
    S_COMMISSIONS,
    S_TASKS,
    S_TASK_RESULTS,
    S_EVENT_KINDS,
    S_EVENTS,
)

# --- Optional 考核规则 parameters ----------------------------------------------------------------

R_INSTRUCTION_COUNTING = "批示计分"
INSTRUCTION_HIGHEST = "最高一次"
INSTRUCTION_EACH = "逐次累计"
R_BASE = "基础分"
R_BASE_ONLY = "扣完为止"
R_CAP = "年度得分上限"
R_CONVERT_FULL = "折算满分"
R_CONVERT_BASE = "折算基准"
CONVERT_TOP = "最高分"
R_MISSED_LIMIT = "约稿未报取消评优次数"
R_AUTHOR_SPLIT = "作者计分"
AUTHORS_EVEN = "均分"
AUTHORS_3_2 = "前两位3比2"
R_CLOSED_OUTLETS = "载体须在目录内"
R_PASS_MONTHS = "合格月数"
R_QUARTER_MIN = "每季最低报送数"
R_PASS_RATE = "合格采用率"
R_REWARD_BASIS = "奖励计算"
REWARD_AS_POINTS = "随计分"
REWARD_HIGHEST = "最高级"
R_REWARD_PASSING = "奖励仅限合格"
R_PASS_QUARTERS = "合格季度数"
SCHEME_RULE_PARAMS = (
    R_INSTRUCTION_COUNTING,
    R_BASE,
    R_BASE_ONLY,
    R_CAP,
    R_CONVERT_FULL,
    R_CONVERT_BASE,
    R_MISSED_LIMIT,
    R_AUTHOR_SPLIT,
    R_CLOSED_OUTLETS,
    R_PASS_MONTHS,
    R_QUARTER_MIN,
    R_PASS_QUARTERS,
    R_PASS_RATE,
    R_REWARD_BASIS,
    R_REWARD_PASSING,
)

# --- Form columns a scheme adds (only when the year's plan uses them) --------------------------

F_USE_FORM = "采用形式"
F_MODIFIERS = "计分加成"
F_COMMISSION = "约稿编号"
F_EXTERNAL = "上级计分"
SCHEME_FORM_COLUMNS = (F_USE_FORM, F_MODIFIERS, F_COMMISSION, F_EXTERNAL)
