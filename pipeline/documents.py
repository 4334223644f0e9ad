"""The document engine: a context dict rendered through `templates/<kind>.docx` and
`templates/<kind>.html` into a Word file, a printable web page and, where LibreOffice is installed,
a PDF converted from the Word file.

It knows nothing about what a circular says (the caller's context does): kind "通报" serves the
quarterly and monthly circulars, other kinds bring their own pair of templates. Both templates are
rendered with autoescape, so whatever a unit typed shows literally. When the context has a
"chart" ({"title", "labels", "values"}), the templates also get `chart_image` (a PNG for Word) and
`chart_svg` (inline SVG for the web page).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline import chart
from pipeline.errors import TemplateInvalid
from pipeline.xlsx import atomic_path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SOFFICE_NAMES = ("soffice", "libreoffice")
PDF_TIMEOUT = 180  # seconds; a first start of LibreOffice with a fresh profile takes a few
CHART_WIDTH = Mm(150)

# Where the standard's fonts are missing (most Linux machines), LibreOffice would print the whole
# circular in a sans-serif fallback; these stand-ins keep its look: serif body, bold serif titles.
# Used only for the conversion, through a private fontconfig file; the named font still wins where installed.
FONT_STAND_INS = {
    "方正小标宋简体": (("FZXiaoBiaoSong-B05S", "STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC"), "bold"),
    "仿宋_GB2312": (("FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    "楷体_GB2312": (("KaiTi", "楷体", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"), None),
    "黑体": (("SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC"), None),
    "宋体": (("SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
}
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")

# A 2号 (22 pt) title line holds 20 characters in the 156 mm text block; one is kept for the
# spacing Word and LibreOffice add between Chinese and digits.
TITLE_LINE_EMS = 19.0
BREAK_AFTER = ("关于", "年", "季度", "月份", "的", "、", "和", "与", "及", "）", "》", "”")

NOTE_NO_LIBREOFFICE = "未安装 LibreOffice（soffice），未生成 PDF；可用 Word 或 WPS 打开 .docx 另存为 PDF。"
NOTE_PDF_FAILED = "LibreOffice 转换 PDF 失败（{reason}），未生成 PDF；可用 Word 或 WPS 打开 .docx 另存为 PDF。"


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
    present, .pdf converted from the .docx. Atomic writes (pipeline/xlsx.atomic_path).

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
    folder = Path(folder)
    docx = _render_docx(kind, context, folder / f"{stem}.docx")
    html = _render_html(kind, context, folder / f"{stem}.html")
    pdf, note = to_pdf(docx, folder / f"{stem}.pdf")
    return Rendered(docx=docx, html=html, pdf=pdf, note=note)


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


def to_pdf(docx: Path, target: Path) -> tuple[Path | None, str]:
    """Converts `docx` to `target` with headless LibreOffice (a private profile, so runs at the
    same time do not collide; a time limit). Never raises: without a PDF it returns (None, the
    Chinese reason), and removes a `target` left by an earlier run so no stale PDF stays beside
    the new Word file."""
    soffice = _soffice()
    if soffice is None:
        _remove_stale(target)
        return None, NOTE_NO_LIBREOFFICE
    with tempfile.TemporaryDirectory(prefix="soffice-") as work:
        work = Path(work)
        source = work / f"{target.stem}.docx"
        shutil.copyfile(docx, source)
        reason = _convert(soffice, source, work)
        produced = work / f"{target.stem}.pdf"
        if reason is None and not produced.is_file():
            reason = "未输出文件"
        if reason is not None:
            _remove_stale(target)
            return None, NOTE_PDF_FAILED.format(reason=reason)
        with atomic_path(target) as tmp:
            shutil.copyfile(produced, tmp)
    return target, ""


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


def _convert(soffice: str, source: Path, outdir: Path) -> str | None:
    """Runs LibreOffice; the Chinese reason it failed, or None."""
    profile = outdir / "profile"
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(source),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_conversion_env(outdir),
            start_new_session=True,  # its own process group, so a hung LibreOffice is ended whole
        )
    except OSError as exc:
        return f"无法启动：{exc.strerror or exc}"
    try:
        returncode = process.wait(timeout=PDF_TIMEOUT)
    except subprocess.TimeoutExpired:
        _end(process)
        return f"超过 {PDF_TIMEOUT} 秒未完成"
    return f"退出码 {returncode}" if returncode != 0 else None


def _end(process: subprocess.Popen) -> None:
    """Ends the LibreOffice this run started (soffice is a launcher: its children share its group)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()
    process.wait()


def _soffice() -> str | None:
    """LibreOffice's command: on PATH, or where the Windows installer puts it."""
    for name in SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    for folder in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if folder and (candidate := Path(folder) / "LibreOffice" / "program" / "soffice.exe").is_file():
            return str(candidate)
    return None


def _conversion_env(work: Path) -> dict[str, str]:
    """The environment for LibreOffice: no display, and on fontconfig systems the font stand-ins."""
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    system = Path(env.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG)
    if system.is_file():
        config = work / "fonts.conf"
        config.write_text(_fontconfig(system), encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(config)
    return env


def _fontconfig(system: Path) -> str:
    rules = []
    for family, (stand_ins, weight) in FONT_STAND_INS.items():
        prefer = "".join(f"<string>{xml_escape(name)}</string>" for name in stand_ins)
        bold = f'<edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>' if weight else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{xml_escape(family)}</string></test>'
            f'<edit name="family" mode="append" binding="strong">{prefer}</edit>{bold}</match>'
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">{xml_escape(str(system))}</include>\n' + "\n".join(rules) + "\n</fontconfig>\n"
    )


def _remove_stale(target: Path) -> None:
    if target.is_file():
        target.unlink()
