"""What every circular carries beside its figures (公文要素), from the plan's 考核规则 with defaults:
主送机关, 抄送机关, the 附注 naming the contact and phone, the name of the 考核办法 it applies, and
the wording of the body that decided the year's results. The quarterly, monthly and year-end
circulars take them from here, so that they agree.
"""

from __future__ import annotations

from pipeline.core import labels as L
from pipeline.plan.plan import Plan

# How 单位类别 are addressed in the default 主送 line, in this order.
ADDRESSEES = {"股室": "股室", "国土资源所": "所", "中心": "中心", "大队": "大队"}
# The roster unit whose 信息员 is the circulars' default contact: the office that issues them.
OFFICE_UNIT = "办公室"


def recipients(plan: Plan) -> str:
    """主送机关 with its colon: the plan's, else 各 + the roster's categories (各股室、所、中心、大队)."""
    given = plan.rules.recipients
    if given:
        return given.rstrip("：:") + "："
    present = set(plan.units[L.P_UNIT_CATEGORY])
    words = [word for category, word in ADDRESSEES.items() if category in present]
    words += sorted(str(c) for c in present if c not in ADDRESSEES)
    return ("各" + "、".join(words) if words else "局属各单位") + "："


def cc(plan: Plan) -> str:
    """抄送机关 (without the final 。); "" when the plan writes 无."""
    given = plan.rules.cc
    return L.CC_DEFAULT if given is None else given.rstrip("。")


def method(plan: Plan) -> str:
    """The 考核办法 the circular applies, in 《》: the plan's name, else 《YYYY年度信息宣传工作考核办法》."""
    name = plan.rules.method or f"{plan.year}年度信息宣传工作考核办法"
    return f"《{name.strip('《》')}》"


def decision(plan: Plan) -> str:
    """Who decided the year's results, as the year-end circular says it (经局党组研究决定); ""
    when the plan writes 无."""
    given = plan.rules.decision
    return L.DECISION_DEFAULT if given is None else given.rstrip("，,。")


def contact(plan: Plan) -> str:
    """The 附注 under the date (GB/T 9704-2012 §7.3.7): （联系人：王晓燕，联系电话：0539-3221001）.

    The plan's 联系人 and 联系电话; when it names no 联系人, the 信息员 of the roster's 办公室
    (the office that issues the circular) with that unit's phone. "" when there is no one to
    name, or the plan writes 无.
    """
    rules = plan.rules
    name, phone = rules.contact, rules.contact_phone
    if name is None:
        office = plan.units[plan.units[L.P_UNIT_NAME] == OFFICE_UNIT]
        name = _roster_text(office, L.P_OFFICER)
        if phone is None:
            phone = _roster_text(office, L.P_PHONE)
    if not name:
        return ""
    return f"（联系人：{name}，联系电话：{phone}）" if phone else f"（联系人：{name}）"


def _roster_text(units, column: str) -> str:
    if units.empty or column not in units.columns:
        return ""
    value = units[column].iloc[0]
    return "" if value is None or value != value else str(value).strip()
