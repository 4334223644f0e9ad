"""看板.html: the year at a glance, one self-contained page (`outputs/YYYY/看板.html`).

The page carries everything it needs: its data as JSON in a <script type="application/json">
read with JSON.parse, its own script and stylesheet, and Apache ECharts (vendored under
`templates/vendor/echarts/`, Apache-2.0) inlined, so it opens from a shared drive in any browser
with no network. Every text that came from a form is placed with textContent by the page's
script (and the JSON escapes every '<', so no title can close the script element); the
template itself is rendered with autoescape.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from pipeline import ledger
from pipeline.dashboard import figures
from pipeline.documents import documents
from pipeline.files.atomic import atomic_path
from pipeline.plan.plan import Plan
from pipeline.scoring import scoring

PAGE_FILE = "看板.html"
TEMPLATE = "看板.html"
ECHARTS = documents.TEMPLATES / "vendor" / "echarts" / "echarts.min.js"
STATISTICS_NOTE = "数字与月度统计.xlsx一致"


def write_page(
    store: ledger.Ledger,
    plan: Plan,
    outputs: Path,
    *,
    scored: scoring.Scores | None = None,
) -> Path | None:
    """Writes `<outputs>/YYYY/看板.html` for the plan's year as far as the ledger holds it.

    Args:
        store: the ledger.
        plan: the year's plan.
        outputs: the outputs folder.
        scored: `scoring.score_month` of the year's latest month, when the caller just made it:
            its rows (`Ledger.year_rows`) and pieces are reused, a province's
            year is not read again. Ignored unless it scored the year's latest month.

    Returns:
        The page, or None when no month of the year was processed yet.
    """
    return save_page(outputs, plan, page_text(store, plan, scored=scored))


def page_text(store: ledger.Ledger, plan: Plan, *, scored: scoring.Scores | None = None) -> str | None:
    """The page `write_page` writes, as text (None when no month of the year was processed yet):
    made while the year's folder is being replaced, it is saved by `save_page` after."""
    month = figures.latest_month(store, plan.year)
    if month is None:
        return None
    if scored is not None and (scored.month != month or scored.pieces is None):
        scored = None
    rows = scored.pieces.rows if scored is not None else None
    return render(figures.page_data(store, plan, month, rows=rows, scored=scored))


def save_page(outputs: Path, plan: Plan, text: str | None) -> Path | None:
    """Writes `page_text` to `<outputs>/YYYY/看板.html`; the page's path, or None for no page."""
    if text is None:
        return None
    target = Path(outputs) / str(plan.year) / PAGE_FILE
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def render(data: dict[str, Any], *, generated: dt.datetime | None = None) -> str:
    """The page's HTML for `data` (`figures.page_data`)."""
    template = documents.environment().get_template(TEMPLATE)
    return template.render(
        title=f"{data['bureau']} {data['year']}年信息宣传工作看板",
        bureau=data["bureau"],
        year=data["year"],
        as_of=data["asOf"],
        plan_file=data["plan"]["file"],
        plan_hash=data["plan"]["sha256"],
        generated=(generated or dt.datetime.now()).strftime("%Y-%m-%d %H:%M"),
        statistics_note=STATISTICS_NOTE,
        data_json=Markup(script_json(data)),
        echarts=Markup(script_text(ECHARTS.read_text(encoding="utf-8"))),
    )


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: '<', '>' and '&' as \\u escapes, which JSON.parse
    reads back as the characters, so no text (a title holding "</script>") can end the element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def script_text(code: str) -> str:
    """JavaScript safe inside a <script> element: every '</' becomes '<\\/' (the library has
    them only inside string literals, where both mean the same)."""
    return code.replace("</", "<\\/")
