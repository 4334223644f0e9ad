"""How 看板.html behaves with 3,000 units, measured in headless Chromium.

Builds a synthetic year (N units, twelve months, a person or two per unit) in the shape of
`pipeline.dashboard.figures.page_data`, renders it with the product's own `page.render`, adds a
measuring script, and loads it with the network disabled. The script times, with
performance.now(), the page's own script (the table's first rows, the charts, the lists), each
sort of the units table (rows re-ordered and laid out: the layout is forced by reading a row's
position), a walk down the scrolling table a screen at a time, and a filter by 单位类别; the
figures come back through --dump-dom.

    python benchmarks/bench_dashboard.py [--units 3000] [--repeat 3] [--keep page.html]

Not asserted anywhere: the machine is shared and noisy. Paint is not in the figures (a
synchronous script cannot wait for it); layout is.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.core import labels as L
from pipeline.dashboard import figures, page

MEASURE = """
<script>
(function () {
  var root = document.documentElement, result = {};
  result.pageScriptMs = window.__pageEnd - window.__pageStart;
  result.readyMs = window.__pageEnd;  // since navigation began: reading the file, parsing, ECharts, the page
  var wrap = document.querySelector("#schedule .table-wrap"), body = document.getElementById("units-body");
  function settle() { return body.lastElementChild ? body.lastElementChild.getBoundingClientRect().top : 0; }
  settle();
  var heads = Array.prototype.slice.call(document.querySelectorAll("#units-head th"));
  result.sortMs = {};
  heads.forEach(function (th, c) {
    if (!th.classList.contains("sortable")) return;
    var times = [];
    for (var i = 0; i < REPEAT; i++) {
      var t0 = performance.now();
      window.dashboard.sortBy(c);
      settle();
      times.push(performance.now() - t0);
    }
    result.sortMs[th.textContent] = times;
  });
  var t0 = performance.now(), steps = 0;
  for (var top = 0; top < wrap.scrollHeight; top += wrap.clientHeight) {
    wrap.scrollTop = top;
    window.dashboard.draw();  // what the page's scroll handler does on the next frame
    settle();
    steps++;
  }
  result.scrollSteps = steps;
  result.scrollMsPerStep = (performance.now() - t0) / steps;
  var t1 = performance.now();
  document.getElementById("category").value = "国土资源所";
  window.dashboard.render();
  settle();
  result.filterMs = performance.now() - t1;
  result.rows = window.dashboard.built();
  root.setAttribute("data-bench", JSON.stringify(result));
})();
</script>
"""


def synthetic(units: int, seed: int = 7) -> dict:
    """A year of `units` units in the page's data shape (values plausible, not scored)."""
    rnd = random.Random(seed)
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    rows, trend, persons = [], {}, []
    for i in range(units):
        code = f"U{i:04d}"
        category = rnd.choice(L.UNIT_CATEGORIES)
        sent = [rnd.randint(0, 6) for _ in months]
        adopted = [min(s, rnd.randint(0, 3)) for s in sent]
        points = [a * rnd.choice((2, 5, 10)) - (2 if s == 0 else 0) for s, a in zip(sent, adopted, strict=True)]
        on_time = ["未报送" if s == 0 else rnd.choice(("是", "是", "迟报")) for s in sent]
        trend[code] = {"month": months, "sent": sent, "adopted": adopted, "points": points, "onTime": on_time}
        t_submit, t_adopt = rnd.choice((24, 30, 36)), rnd.choice((10, 15))
        ytd_sent, ytd_adopted, ytd_points = sum(sent), sum(adopted), float(sum(points))
        behind = ytd_sent < t_submit or ytd_adopted < t_adopt
        rows.append(
            [
                code,
                f"第{i + 1}国土资源所",
                category,
                sent[-1],
                adopted[-1],
                adopted[-1],
                float(points[-1]),
                ytd_sent,
                ytd_adopted,
                ytd_points,
                2.0 * on_time.count("未报送"),
                float(t_submit),
                float(t_adopt),
                None,
                ytd_sent / t_submit,
                ytd_adopted / t_adopt,
                None,
                "滞后" if behind else "正常",
                None,
                on_time[-1],
            ]
        )
        for person in range(rnd.randint(1, 2)):
            persons.append([code, rows[-1][1], f"作者{i}-{person}", ytd_points / 2, round(ytd_adopted * 25.0, 2)])
    order = sorted(range(units), key=lambda k: -rows[k][9])
    for rank, k in enumerate(order, start=1):
        rows[k][18] = rank
    rows = [rows[k] for k in order]
    persons.sort(key=lambda p: -p[3])
    level_months = [
        [rnd.randint(0, 20), rnd.randint(0, 80), rnd.randint(50, 400), rnd.randint(300, 900)] for _ in months
    ]
    return {
        "bureau": "合成省厅",
        "year": 2025,
        "asOf": "2025-12",
        "monthNumber": 12,
        "months": months,
        "unitCategories": list(L.UNIT_CATEGORIES),
        "unitColumns": figures.UNIT_COLUMNS,
        "units": rows,
        "trend": trend,
        "levels": list(reversed(L.LEVELS)),
        "levelsByMonth": level_months,
        "categories": list(L.CATEGORIES),
        "categoriesByMonth": [[rnd.randint(50, 400) for _ in L.CATEGORIES] for _ in months],
        "totalsByMonth": [
            {"sent": rnd.randint(5000, 9000), "adopted": rnd.randint(500, 1500), "adoptions": 0} for _ in months
        ],
        "yearToDate": {
            "sent": 80000,
            "adopted": 12000,
            "adoptions": 14000,
            "rate": 0.15,
            "byLevel": {"国家级": 60, "省级": 500, "市级": 3000, "县级": 10440},
            "instructed": 80,
            "from": 1,
        },
        "high": [
            {
                "title": f"稿件{i}",
                "units": "第1国土资源所",
                "authors": "作者",
                "outlet": "《中国自然资源报》",
                "level": "省级",
                "date": "2025-06-01",
            }
            for i in range(500)
        ],
        "instructed": [],
        "quarter": None,
        "personColumns": figures.PERSON_COLUMNS,
        "persons": persons,
        "missingColumns": figures.MISSING_COLUMNS,
        "missing": [[r[0], r[1], "信息员", "0539-0000000"] for r in rows if r[19] == "未报送"],
        "plan": {"file": "plan-2025.xlsx", "sha256": "0" * 64},
    }


def instrumented(html: str, repeat: int) -> str:
    """The page with a mark before and after its own script and the measuring script at the end."""
    own = html.rindex("<script>")
    html = html[:own] + "<script>window.__pageStart = performance.now();</script>" + html[own:]
    ready = 'document.documentElement.setAttribute("data-ready", "1");'
    html = html.replace(ready, ready + " window.__pageEnd = performance.now();")
    end = html.rindex("</body>")
    return html[:end] + MEASURE.replace("REPEAT", str(repeat)) + html[end:]


def browser() -> str:
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("no Chromium found (chromium-headless-shell, chromium)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3, help="sorts of each column")
    parser.add_argument("--keep", type=Path, help="also write the measured page here")
    args = parser.parse_args()
    html = instrumented(page.render(synthetic(args.units)), args.repeat)
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as work:
        target = Path(work) / page.PAGE_FILE
        target.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        dom = subprocess.run(
            [
                browser(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--proxy-server=127.0.0.1:9",
                f"--user-data-dir={Path(work) / 'profile'}",
                "--window-size=1600,1000",
                "--dump-dom",
                target.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
    root = re.search(r"<html[^>]*>", dom).group(0)
    found = re.search(r'data-bench="([^"]*)"', root)
    if not found or "data-errors" in root:
        sys.exit(f"the page did not finish cleanly: {root[:300]}")
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    print(f"{args.units} units, page {len(html) / 1e6:.1f} MB, table rows built by the end {result['rows']}")
    print(
        f"page script (first rows, charts, lists): {result['pageScriptMs']:.0f} ms; page ready {result['readyMs']:.0f} ms after navigation began"
    )
    for column, times in result["sortMs"].items():
        print(
            f"sort by {column}: median {statistics.median(times):.0f} ms (runs {', '.join(f'{t:.0f}' for t in times)})"
        )
    print(f"scroll: {result['scrollSteps']} screens, {result['scrollMsPerStep']:.1f} ms each")
    print(f"filter by 单位类别: {result['filterMs']:.0f} ms")


if __name__ == "__main__":
    main()
