"""Builds the year-end circular's templates, `templates/年度通报.docx` and `templates/年度通报.html`.

Run once by a developer (`python templates/build_year_templates.py`); the generated files are
committed, and the office may restyle them afterwards. The Word file starts from the quarterly
circular's builder (`build_templates.official_document`, its 版头, annex and 版记), so both
circulars share the GB/T 9704-2012 page set-up, styles and page numbers; the HTML page takes the
quarterly page's stylesheet from `通报.html`, so the two print alike.

The document: 版头, title, the year's totals, the results, the commendations (先进单位, 先进个人,
优秀信息员) by name, the units and heads losing award eligibility with the reason, next year's
requirements, 附件说明, signature and date; annex 1 (the assessment table, or a large body's
table of its groups) on a portrait page of its own, and the 版记 at the foot of that last page.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_templates import add_annex, add_colophon, add_head, add_note, official_document, save  # noqa: E402

KIND = "年度通报"
GROUPED = "annex_grouped"  # the context's switch to the annex of groups (pipeline/documents/year_groups.py)

# (label, field, width in points): 442 pt is the portrait text block's width.
ANNEX = (
    ("排名", "rank", 30),  # the header on one line (5号: 21 pt and the cell's 5.7 pt margins)
    ("单位", "unit", 114),  # "国土资源执法监察大队" on one line
    ("报送任务", "sent_target", 34),
    ("报送数", "sent", 38),  # the header on one line
    ("采用任务", "adopt_target", 34),
    ("采用数", "adopted", 38),
    ("得分", "points", 40),
    # "不达标" on one line; the headers broken in two even lines (else 考核结 / 果)
    ("考核\n结果", "result", 38),
    ("评优\n资格", "eligibility", 38),
    ("先进\n单位", "top", 38),
)
# The annex of a large body (`annex_grouped`): a row per group of hundreds of units, their sums six
# or seven digits ("596491", "1475303.5"); the group's units counted in a column of their own, so
# that its name ("国土资源所") prints on one line, and 达标, 取消评优 and 先进单位 as counts.
ANNEX_GROUPED = (
    ("单位", "unit", 66),
    ("单位数", "units", 38),  # the header on one line
    ("报送\n任务", "sent_target", 42),
    ("报送数", "sent", 46),  # "5964910" on one line
    ("采用\n任务", "adopt_target", 42),
    ("采用数", "adopted", 46),
    ("得分", "points", 60),  # "1475303.5" on one line (LibreOffice spaces digits wider)
    ("考核\n达标", "passed", 34),
    ("取消\n评优", "ineligible", 34),
    ("先进\n单位", "top", 34),
)


def build_docx(target: Path) -> None:
    """Writes the year-end circular's Word template to `target`."""
    document = official_document("信息宣传工作年度考核通报")
    add_head(document)
    document.add_paragraph("{{ title|title_lines }}", style="公文标题")
    document.add_paragraph("{{ recipients }}", style="主送机关")
    document.add_paragraph("{{ intro }}", style="公文正文")
    document.add_paragraph("{%p for s in sections %}", style="公文正文")
    document.add_paragraph("{{ s.heading }}", style="一级标题")
    _loop(document, "p in s.paragraphs", "{{ p }}")
    document.add_paragraph("{%p for sub in s.subsections %}", style="公文正文")
    document.add_paragraph("{{ sub.heading }}", style="二级标题")
    _loop(document, "p in sub.paragraphs", "{{ p }}")
    document.add_paragraph("{%p endfor %}", style="公文正文")
    document.add_paragraph("{%p if s.chart %}", style="公文正文")
    document.add_paragraph("{{ chart_image }}", style="图表")
    document.add_paragraph("{%p endif %}", style="公文正文")
    document.add_paragraph("{%p endfor %}", style="公文正文")
    # The last paragraph stays with the 附件说明, signature and date, which never stand alone;
    # the paragraphs before it fill the page (keeping them all moved the section, leaving a third
    # of the page blank).
    document.add_paragraph("{{ last.heading }}", style="一级标题")
    document.add_paragraph("{%p for p in last.paragraphs %}", style="公文正文")
    document.add_paragraph("{%p if loop.last %}", style="公文正文")
    document.add_paragraph("{{ p }}", style="公文正文").paragraph_format.keep_with_next = True
    document.add_paragraph("{%p else %}", style="公文正文")
    document.add_paragraph("{{ p }}", style="公文正文")
    document.add_paragraph("{%p endif %}", style="公文正文")
    document.add_paragraph("{%p endfor %}", style="公文正文")
    # the annex title's break is its page's (a justified line before a break is spread out)
    document.add_paragraph('附件：{{ annex_title|replace("\\n", "") }}', style="附件说明")
    document.add_paragraph("{{ signature }}", style="署名")
    document.add_paragraph("{{ date }}", style="成文日期")
    add_note(document)
    add_annex(document, 1, "{{ annex_title }}", ANNEX, "annex", landscape=False, grouped=ANNEX_GROUPED, switch=GROUPED)
    document.add_paragraph("{%p if annex_note %}", style="表注")
    document.add_paragraph("{{ annex_note }}", style="表注")
    document.add_paragraph("{%p endif %}", style="表注")
    _drop_annex_number(document)
    add_colophon(document)
    save(document, target)


def _loop(document, head: str, text: str) -> None:
    document.add_paragraph("{%p for " + head + " %}", style="公文正文")
    document.add_paragraph(text, style="公文正文")
    document.add_paragraph("{%p endfor %}", style="公文正文")


def _drop_annex_number(document) -> None:
    """A single annex is labelled 附件, not 附件1 (GB/T 9704-2012 §7.3.5)."""
    for paragraph in document.paragraphs:
        if paragraph.text == "附件1":
            paragraph.runs[0].text = "附件"


HTML_BODY = """<body>
<div class="page">
<header>
<p class="issuer">{{ issuer }}</p>
<p class="number">{{ number }}</p>
</header>
<main class="body">
<h1>{{ title|title_lines }}</h1>
<p class="recipients">{{ recipients }}</p>
<p>{{ intro }}</p>
{% for s in sections %}
<h2>{{ s.heading }}</h2>
{% for p in s.paragraphs %}
<p>{{ p }}</p>
{% endfor %}
{% for sub in s.subsections %}
<h3>{{ sub.heading }}</h3>
{% for p in sub.paragraphs %}
<p>{{ p }}</p>
{% endfor %}
{% endfor %}
{% if s.chart and chart_svg %}
<figure class="chart">{{ chart_svg }}</figure>
{% endif %}
{% endfor %}
<div class="closing">
<h2>{{ last.heading }}</h2>
{% for p in last.paragraphs %}
<p>{{ p }}</p>
{% endfor %}
<p class="attachments">附件：{{ annex_title|replace("\\n", "") }}</p>
<p class="signature">{{ signature }}</p>
<p class="date">{{ date }}</p>
{% if contact %}
<p class="note-contact">{{ contact }}</p>
{% endif %}
</div>
</main>
</div>
<section class="page annex">
<p class="annex-label">附件</p>
<p class="annex-title">{{ annex_title|replace("\\n", "") }}</p>
<table class="data small">
<colgroup>{% if annex_grouped %}GROUPED_COLUMNS{% else %}COLUMNS{% endif %}</colgroup>
<thead><tr>{% if annex_grouped %}GROUPED_HEADER{% else %}HEADER{% endif %}</tr></thead>
<tbody>
{% for r in annex %}
<tr>{% if annex_grouped %}GROUPED_CELLS{% else %}CELLS{% endif %}</tr>
{% endfor %}
</tbody>
</table>
{% if annex_note %}
<p class="note">{{ annex_note }}</p>
{% endif %}
<footer class="colophon">
{% if cc %}
<p>抄送：{{ cc }}{% if not cc.endswith('。') %}。{% endif %}</p>
{% endif %}
<p class="printed"><span>{{ printer }}</span><span>{{ print_date }}</span></p>
</footer>
</section>
</body>
</html>
"""


def build_html(target: Path, quarterly: Path) -> None:
    """Writes the year-end circular's HTML template: the quarterly page's head and stylesheet,
    this document's body."""
    head = quarterly.read_text(encoding="utf-8").split("<body>")[0]
    body = HTML_BODY
    for prefix, annex in (("GROUPED_", ANNEX_GROUPED), ("", ANNEX)):
        total = sum(width for _, _, width in annex)
        columns = "".join(f'<col style="width:{100 * width / total:.1f}%">' for _, _, width in annex)
        header = "".join(f"<th>{label.replace(chr(10), '<br>')}</th>" for label, _, _ in annex)
        cells = "".join(f"<td>{{{{ r.{field} }}}}</td>" for _, field, _ in annex)
        for name, text in (("COLUMNS", columns), ("HEADER", header), ("CELLS", cells)):
            body = body.replace(f"{prefix}{name}", text)
    target.write_text(re.sub(r"\n+$", "\n", head + body), encoding="utf-8")


if __name__ == "__main__":
    build_docx(HERE / f"{KIND}.docx")
    build_html(HERE / f"{KIND}.html", HERE / "通报.html")
    print(f"wrote {HERE / (KIND + '.docx')} and {HERE / (KIND + '.html')}")
