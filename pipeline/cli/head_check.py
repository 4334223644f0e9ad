"""`run.py check`'s look at the office's data beside the environment: the assessed units with no
单位负责人 on record (neither the roster nor any accepted form names one). The year's results name
the head of a unit that loses 评优资格, so the office is asked well before December.

Run after the environment's checks pass (it needs pandas and the plan's checks); the newest
plan in the inputs folder is read, with the ledger when the outputs folder has one.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline import ledger
from pipeline.cli.doctor import PASS, WARN, Finding
from pipeline.core.errors import PipelineError
from pipeline.plan.plan import load_plan
from pipeline.reports.period_outputs import units_without_head

ITEM = "单位负责人"
_PLAN = re.compile(r"plan-(\d{4})\.xlsx")


def check_heads(inputs: Path, outputs: Path) -> list[Finding]:
    """One finding on the newest year's plan (none when there is no readable plan: the monthly
    run explains a plan's faults)."""
    years = sorted(int(m[1]) for path in Path(inputs).glob("plan-*.xlsx") if (m := _PLAN.fullmatch(path.name)))
    if not years:
        return []
    try:
        plan = load_plan(inputs, years[-1])
    except PipelineError:
        return []
    store_path = Path(outputs) / ledger.STORE_FILE
    if store_path.is_file():
        with ledger.Ledger(store_path) as store:
            missing = units_without_head(plan, store)
    else:
        heads = plan.roster_heads()
        missing = [code for code in sorted(plan.assessed) if code not in heads]
    if not missing:
        return [Finding(PASS, ITEM, f"{plan.year} 年参加考核的单位都有单位负责人记录。")]
    named = "、".join(f"{code} {plan.unit_name(code)}" for code in missing)
    return [
        Finding(
            WARN,
            ITEM,
            f"{plan.year} 年有 {len(missing)} 个参加考核单位尚无单位负责人（名册和报送表均未填写）：{named}。"
            "年终考核取消评优资格时须写明负责人，请在计划表“单位名册”的“单位负责人”列补填，或请该单位在报送表中填写。",
        )
    ]
