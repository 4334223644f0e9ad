"""The document engine: a context dict rendered through `templates/<kind>.docx` and
`templates/<kind>.html` into a Word file, a printable web page and, where LibreOffice is installed,
a PDF converted from the Word file (`pdf`, with the fonts of `fonts`).

It knows nothing about what a circular says (the caller's context does): kind "通报" serves the
quarterly and monthly circulars, other kinds bring their own pair of templates. Both templates are
rendered with autoescape, so whatever a unit typed shows literally. When the context has a
"chart" ({"title", "labels", "values"}), the templates also get `chart_image` (a PNG for Word) and
`chart_svg` (inline SVG for the web page). The Word file's tables keep their first and last rows
together across pages, and lose the columns the context lists in "hidden_columns" (by header
label; the HTML template leaves them out itself) — see `table_layout`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline.core.errors import TemplateInvalid
from pipeline.documents import chart
from pipeline.documents.pdf import PdfJob, start_pdf
from pipeline.documents.table_layout import lay_out_tables
from pipeline.files.atomic import atomic_path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CHART_WIDTH = Mm(150)

# A 2号 (22 pt) title line holds 20 characters in the 156 mm text block; one is kept for the
# spacing Word and LibreOffice add between Chinese and digits.
TITLE_LINE_EMS = 19.0
BREAK_AFTER = ("关于", "年", "季度", "月份", "的", "、", "和", "与", "及", "）", "》", "”")


@dataclass(frozen=True)
class Rendered:
    """The files written for one document; `note` says in Chinese why there is no PDF, else ""."""

    docx: Path
    html: Path
    pdf: Path | None
    note: str


def render(kind: str, context: dict, folder: Path, stem: str) -> Rendered:
    """Renders templates/<kind>.docx (docxtpl, autoescape) and templates/<kind>.html (jinja2,
    autoescape) with `context` into <folder>/<stem>.docx, .html and, when LibreOffice (soffice) is
    present, .pdf converted from the .docx. Atomic writes (`pipeline.files.atomic.atomic_path`).

    Args:
        kind: the template pair's name, e.g. "通报".
        context: the values the templates show, already formatted as text (chart values numbers).
        folder: where the files go (created when missing).
        stem: the files' name without extension, e.g. "季度通报".

    Returns:
        The paths written; pdf is None (and note says why) when no PDF could be made.

    Raises:
        TemplateInvalid: a template is missing, or was edited so that it no longer renders.
    """
    return start_render(kind, context, folder, stem).finish()


@dataclass
class PendingRender:
    """A render whose Word and web files are written and whose PDF LibreOffice is making."""

    docx: Path
    html: Path
    pdf: PdfJob

    def finish(self) -> Rendered:
        """Waits for the PDF (at most PDF_TIMEOUT seconds from its start)."""
        pdf, note = self.pdf.finish()
        return Rendered(docx=self.docx, html=self.html, pdf=pdf, note=note)

    def abandon(self) -> None:
        """Stops the PDF's conversion (the caller failed before it needed the PDF)."""
        self.pdf.abandon()


def start_render(kind: str, context: dict, folder: Path, stem: str) -> PendingRender:
    """`render`, returning once the Word and web files are written, while LibreOffice makes the
    PDF in its own process: the caller does other work meanwhile, then calls `finish()` (or
    `abandon()` when it fails first)."""
    folder = Path(folder)
    docx = _render_docx(kind, context, folder / f"{stem}.docx")
    html = _render_html(kind, context, folder / f"{stem}.html")
    return PendingRender(docx=docx, html=html, pdf=start_pdf(docx, folder / f"{stem}.pdf"))


def environment() -> jinja2.Environment:
    """The jinja2 set-up both templates share: autoescape on, and a missing value is an error
    rather than a silent blank in a document leaders sign."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["title_lines"] = title_lines
    return env


def title_lines(title: str, width: float = TITLE_LINE_EMS) -> str:
    """The title with a line break where the standard wants it when it does not fit one line:
    at a word boundary (after 关于, 年, 度, 月份, 的, 、 …), the two lines as even as possible.

    A title that fits, or has no such place, is returned as it is (and wraps where it must).
    """
    if "\n" in title or _ems(title) <= width:
        return title
    splits = [i for i in range(2, len(title) - 1) if title[:i].endswith(BREAK_AFTER)]
    fitting = [i for i in splits if _ems(title[:i]) <= width and _ems(title[i:]) <= width]
    if not fitting:
        return title
    best = min(fitting, key=lambda i: abs(_ems(title[:i]) - _ems(title[i:])))
    return f"{title[:best]}\n{title[best:]}"


def _ems(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.5 for char in text)


def render_html_text(kind: str, context: dict) -> str:
    """The HTML page of `kind` for `context`, as text."""
    path = TEMPLATES / f"{kind}.html"
    try:
        template = environment().get_template(path.name)
        return template.render(_with_chart_svg(context))
    except jinja2.TemplateNotFound as exc:
        raise TemplateInvalid(path=path, reason="文件不存在") from exc
    except jinja2.TemplateError as exc:
        raise TemplateInvalid(path=path, reason=str(exc)) from exc


def _render_docx(kind: str, context: dict, target: Path) -> Path:
    path = TEMPLATES / f"{kind}.docx"
    if not path.is_file():
        raise TemplateInvalid(path=path, reason="文件不存在")
    template = DocxTemplate(path)
    values = dict(context)
    if "chart" in context:
        values["chart_image"] = _chart_image(template, context["chart"])
    try:
        template.render(values, jinja_env=environment(), autoescape=True)
    except jinja2.TemplateError as exc:
        raise TemplateInvalid(path=path, reason=str(exc)) from exc
    lay_out_tables(template.docx.element.body, context.get("hidden_columns", ()))
    with atomic_path(target) as tmp:
        template.save(tmp)
    return target


def _render_html(kind: str, context: dict, target: Path) -> Path:
    text = render_html_text(kind, context)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def _chart_image(template: DocxTemplate, values: dict) -> InlineImage | str:
    if not values["labels"]:
        return ""
    return InlineImage(template, image_descriptor=io.BytesIO(chart.png(values)), width=CHART_WIDTH)


def _with_chart_svg(context: dict) -> dict:
    if "chart" not in context:
        return context
    values = context["chart"]
    return {**context, "chart_svg": chart.svg(values) if values["labels"] else ""}
