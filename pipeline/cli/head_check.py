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
SHOWN = 10  # units named on one line; a province's thousands are counted, and `check` lists them all
_MISSING = "尚无单位负责人（名册和报送表均未填写）"
_ADVICE = "年终考核取消评优资格时须写明负责人，请在计划表“单位名册”的“单位负责人”列补填，或请该单位在报送表中填写。"
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
    named = [f"{code} {plan.unit_name(code)}" for code in missing]
    found = f"{plan.year} 年有 {len(missing)} 个参加考核单位{_MISSING}"
    if len(named) <= SHOWN:
        return [Finding(WARN, ITEM, f"{found}：{'、'.join(named)}。{_ADVICE}")]
    # A province's thousands of units, a line of `SHOWN` each under the finding: readable, and
    # the whole list when the check's output is kept in a file.
    listed = "".join(f"\n    {'、'.join(named[at : at + SHOWN])}" for at in range(0, len(named), SHOWN))
    return [Finding(WARN, ITEM, f"{found}，名单如下：{listed}\n    {_ADVICE}")]


def no_head_note(named: list[str]) -> str:
    """The line of a run's summary on the assessed units with no head ("代码 名称" each): all of
    them when few; else the first `SHOWN`, how many, and the command that lists them all."""
    if len(named) <= SHOWN:
        return f"注意：{'、'.join(named)} {_MISSING}。{_ADVICE}"
    shown = "、".join(named[:SHOWN])
    return f"注意：{shown} 等 {len(named)} 个单位{_MISSING}，完整名单请运行 python run.py check 查看。{_ADVICE}"
