"""The labels of what the pipeline writes (月度统计, 年终考核表, receipts): sheet names, column
headings and the statuses printed in them, in one place. Sibling of `labels`, which holds the
labels of what the office and the units fill in (the plan, the form) and of the rows frame."""

from __future__ import annotations

# --- 月度统计.xlsx: the month's statistics of units and persons, and their statuses --------------

UNITS_SHEET = "单位统计"
PERSONS_SHEET = "个人统计"
MISSING_SHEET = "未报送单位"
SENT_MONTH = "本月报送数"
ADOPTED_MONTH = "本月采用数"
ADOPTIONS_MONTH = "本月采用条次"
POINTS_MONTH = "本月得分"
SENT_YTD = "累计报送数"
ADOPTED_YTD = "累计采用数"
POINTS_YTD = "累计得分"
DEDUCTIONS = "扣分"
SUBMIT_RATE = "报送完成率"
ADOPT_RATE = "采用完成率"
POINTS_RATE = "得分完成率"
PROGRESS = "进度"
RANK = "排名"
ON_TIME = "按时报送"
ON_SCHEDULE = "正常"
BEHIND = "滞后"
LATE = "迟报"
NOT_RETURNED = "未报送"
LATE_REPORT = "补报"  # a row counted in its form's month though its date is earlier (counting.md rule 4)
LATE_SENT = "报送"
LATE_ADOPTED = "采用"
LATE_NOTE = "补报（{what}）：日期早于本月，计入本月统计。"
REASON_NOTE = "计分：{why}"  # a receipt row's reason under the office's own 考核办法
REASON_COLUMN = "计分说明"  # 汇总台账's column of the rows' reasons under the office's own 考核办法
RECEIPT_HAPPENING = "约稿及考核事项："  # a receipt heading line under the office's own 考核办法
REWARD_MONTH = "本月奖励金额"
REWARD_YTD = "累计奖励金额"

# --- The year's counts (年终考核表 and 年度汇总) ------------------------------------------------------

YEAR_SENT = "报送数"
YEAR_ADOPTED = "采用数"
YEAR_ADOPTIONS = "采用条次"
YEAR_PIECES = "稿件数"
PROVINCIAL = "省级以上采用数"

# --- 年终考核表: the year-end verdicts and the payout ---------------------------------------------

YEAR_BONUS = "批示加分"
YEAR_POINTS = "得分"
RESULT = "考核结果"
ELIGIBILITY = "评优资格"
TOP_UNIT = "先进单位"
TOP_PERSON = "先进个人"
TOP_OFFICER = "优秀信息员"
UNIT_HEAD = "单位负责人"
YEAR_NOTE = "备注"
YEAR_REWARD = "奖励金额"
PAYOUT_AMOUNT = "金额"
PAYOUT_UNIT = "单位"
SIGNATURE = "领取人签字"
PASSED = "达标"
FAILED = "不达标"
KEEPS = "具备"
LOSES = "取消"

# --- 年终考核表.xlsx: its sheets and totals -------------------------------------------------------

ASSESSMENT_FILE = "年终考核表.xlsx"  # named by the year circular, which sums its units
YEAR_UNITS_SHEET = "单位考核"
YEAR_PERSONS_SHEET = "个人"
PAYOUT_SHEET = "奖励发放"
YEAR_SUMMARY_SHEET = "年度汇总"
SUBTOTAL = "小计"
TOTAL = "合计"

# --- Receipts (回执) and the month's ledger workbook: review results ---------------------------

RECEIPT_SHEET = "审核回执"
COMMENT_AUTHOR = "局办公室"
RECEIPT_STATUS = "审核结果"
RECEIPT_NOTES = "审核意见"
COUNTED = "计入"
NOT_COUNTED = "未计入"
