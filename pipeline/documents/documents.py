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
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from pipeline.core.errors import TemplateInvalid
from pipeline.documents import chart
from pipeline.files.atomic import atomic_path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
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
    # The templates' fallback names (their font table's w:altName), should a reader turn to them.
    "仿宋": (("FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    "楷体": (("KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"), None),
}
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")

# LibreOffice names a face it embeds from a Noto CJK collection (.ttc) after the collection's shared
# CFF font, the Japanese one ("NotoSerifCJKjp-…"), whichever language's face it printed with. So the
# conversion prints with standalone copies of the collections' Simplified Chinese faces, their CFF
# names made the face's own as in Adobe's per-language OTFs, and hides the collections' SC faces.
# The copies are made once per collection file (size and time in the folder's name) under the
# user's cache folder; without fc-list or fontTools, or on any failure, the collections are used.
SIMPLIFIED_FAMILIES = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC"})
SIMPLIFIED_WEIGHTS = frozenset({80, 200})  # fontconfig's regular and bold: the templates use no other
FONT_CACHE = Path("county-publicity-assessment") / "fonts"

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


def start_pdf(docx: Path, target: Path) -> PdfJob:
    """Starts converting `docx` to `target` with headless LibreOffice (a private profile, so runs
    at the same time do not collide; a time limit): LibreOffice runs in its own process until
    `finish()` waits for it. Never raises: without a PDF, `finish()` returns (None, the Chinese
    reason) and removes a `target` left by an earlier run so no stale PDF stays beside the new
    Word file."""
    job = PdfJob(target)
    soffice = _soffice()
    if soffice is None:
        job.reason = NOTE_NO_LIBREOFFICE
        return job
    job.work = Path(tempfile.mkdtemp(prefix="soffice-"))
    try:
        source = job.work / f"{target.stem}.docx"
        shutil.copyfile(docx, source)
        job.process, reason = _start_conversion(soffice, source, job.work)
    except BaseException:  # a stop (Ctrl-C, SIGTERM) before the caller holds the job to abandon
        job.abandon()
        raise
    if reason is not None:
        job.reason = NOTE_PDF_FAILED.format(reason=reason)
    return job


@dataclass
class PdfJob:
    """A PDF LibreOffice is making from a copy of the Word file in its own work folder."""

    target: Path
    work: Path | None = None
    process: subprocess.Popen | None = None
    reason: str = ""  # why there will be no PDF, when known at the start
    started: float = field(default_factory=time.monotonic)

    def finish(self) -> tuple[Path | None, str]:
        """The PDF at `target`, or (None, the Chinese reason) with any earlier `target` removed."""
        try:
            reason = self.reason or self._wait()
            if reason:
                _remove_stale(self.target)
                return None, reason
            with atomic_path(self.target) as tmp:
                shutil.copyfile(self.work / f"{self.target.stem}.pdf", tmp)
            return self.target, ""
        except BaseException:  # a stop while waiting: LibreOffice must not outlive the run
            self.abandon()
            raise
        finally:
            self._clean()

    def abandon(self) -> None:
        """Ends LibreOffice if it still runs, and removes the work folder."""
        if self.process is not None and self.process.poll() is None:
            _end(self.process)
        self._clean()

    def _wait(self) -> str:
        left = max(0.0, PDF_TIMEOUT - (time.monotonic() - self.started))
        try:
            returncode = self.process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            _end(self.process)
            return NOTE_PDF_FAILED.format(reason=f"超过 {PDF_TIMEOUT} 秒未完成")
        if returncode != 0:
            return NOTE_PDF_FAILED.format(reason=f"退出码 {returncode}")
        if not (self.work / f"{self.target.stem}.pdf").is_file():
            return NOTE_PDF_FAILED.format(reason="未输出文件")
        return ""

    def _clean(self) -> None:
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)


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


def _start_conversion(soffice: str, source: Path, outdir: Path) -> tuple[subprocess.Popen | None, str | None]:
    """Starts LibreOffice; its process, or the Chinese reason it could not start."""
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
        return None, f"无法启动：{exc.strerror or exc}"
    return process, None


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
    # Its own temporary files (lu*.tmp) in the work folder, removed with it even when it is killed.
    env.update(dict.fromkeys(("TMPDIR", "TMP", "TEMP"), str(work)))
    system = Path(env.get("FONTCONFIG_FILE") or SYSTEM_FONTCONFIG)
    if system.is_file():
        config = work / "fonts.conf"
        config.write_text(_fontconfig(system, *simplified_copies()), encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(config)
    return env


def simplified_copies() -> tuple[list[Path], list[tuple[Path, int]]]:
    """The folders of standalone copies of the installed Noto CJK collections' Simplified Chinese
    faces (made on first use), and the (collection, face index) pairs they stand for. ([], []) where
    fc-list is missing; a collection whose copies cannot be made is left out."""
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "--format", "%{file}|%{index}|%{weight}|%{family}\n"],
            capture_output=True,
            text=True,
            errors="replace",  # a path that is not UTF-8 then names no file, and its collection is left out
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return [], []
    faces: dict[Path, list[int]] = {}
    for line in listed.splitlines():
        file, index, weight, families = [*line.split("|", 3), "", "", ""][:4]
        if (
            file.lower().endswith(".ttc")
            and index.isdigit()
            and weight.isdigit()
            and int(weight) in SIMPLIFIED_WEIGHTS
            and SIMPLIFIED_FAMILIES & set(families.split(","))
        ):
            faces.setdefault(Path(file), []).append(int(index))
    folders, hidden = [], []
    for collection, indexes in sorted(faces.items()):
        if (folder := _copies(collection, sorted(indexes))) is not None:
            folders.append(folder)
            hidden += [(collection, index) for index in indexes]
    return folders, hidden


def _copies(collection: Path, indexes: list[int]) -> Path | None:
    """The folder holding the copies of `collection`'s faces `indexes`, made if missing; None when
    they cannot be made or are not all there."""
    try:
        stat = collection.stat()
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / FONT_CACHE
        folder = root / f"{collection.stem}-{stat.st_size}-{stat.st_mtime_ns}"
        if not folder.is_dir():
            _make_copies(collection, indexes, root, folder)
        # A folder emptied by hand would hide the collection's faces without standing in for them.
        return folder if len(list(folder.glob("*.otf"))) == len(indexes) else None
    # fontTools raises many kinds of error on a font it cannot read, and a missing fontTools, an
    # unwritable home or a full disk raise others: each only means the collection is printed as is.
    except Exception:
        return None


def _make_copies(collection: Path, indexes: list[int], root: Path, folder: Path) -> None:
    """Writes the copies into a fresh folder beside `folder`, then renames it into place whole, so
    runs at the same time never see (nor fontconfig scan) half a copy."""
    from fontTools.ttLib import TTCollection  # here: without fontTools, only the copies are missing

    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".making-", dir=root))
    try:
        with TTCollection(collection, lazy=True) as fonts:
            for index in indexes:
                face = fonts.fonts[index]
                _write_face(face, work / f"{face['name'].getDebugName(6)}.otf")
        try:
            work.rename(folder)
        except OSError:
            if not folder.is_dir():  # else another run made it first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_face(face, target: Path) -> None:
    """One face of a collection as a standalone OpenType file: its own tables as they are, the CFF
    table shared by the collection's faces with its names made this face's own."""
    from fontTools.ttLib.sfnt import SFNTWriter

    tags = sorted(face.reader.keys())
    if "CFF " not in tags:
        raise ValueError(f"{target.name}: no CFF table")
    with target.open("wb") as file:
        writer = SFNTWriter(file, len(tags), sfntVersion=face.reader.sfntVersion)
        for tag in tags:
            writer[tag] = _own_cff_names(face) if tag == "CFF " else face.reader[tag]
        writer.close()


def _own_cff_names(face) -> bytes:
    """The face's CFF table with the shared font's names ("NotoSerifCJKjp-Regular", its FDArray's
    "NotoSerifCJKjp-Regular-Kana", …, "Noto Serif CJK JP") turned into the face's own
    ("NotoSerifCJKsc-…", "Noto Serif CJK SC"). Only the Name and String INDEX change, and only by
    names of the same length, so every offset in the table stays right; the result is read back."""
    import fontTools.cffLib

    data = face.reader["CFF "]
    shared = face["CFF "].cff
    own_name, own_family = face["name"].getDebugName(6), face["name"].getDebugName(1)
    top = shared.topDictIndex[0]
    replacements = [(shared.fontNames[0].split("-")[0], own_name.split("-")[0]), (top.FamilyName, own_family)]
    if any(len(old) != len(new) for old, new in replacements):
        raise ValueError(f"{own_name}: names of different length")
    names_start = data[2]  # the header's size
    strings_start = _index_end(data, _index_end(data, names_start))
    strings_end = _index_end(data, strings_start)
    patched = bytearray(data)
    for start, end in ((names_start, _index_end(data, names_start)), (strings_start, strings_end)):
        part = bytes(patched[start:end])
        for old, new in replacements:
            part = part.replace(old.encode("ascii"), new.encode("ascii"))
        patched[start:end] = part
    check = fontTools.cffLib.CFFFontSet()
    check.decompile(io.BytesIO(bytes(patched)), face, isCFF2=False)
    names = [check.fontNames[0]] + [fd.FontName for fd in check.topDictIndex[0].FDArray]
    if check.fontNames[0] != own_name or not all(name.startswith(own_name) for name in names):
        raise ValueError(f"{own_name}: CFF names left {names}")
    return bytes(patched)


def _index_end(data: bytes, start: int) -> int:
    """Where the CFF INDEX beginning at `start` ends: count, offset size, offsets, then the data."""
    count = int.from_bytes(data[start : start + 2], "big")
    if count == 0:
        return start + 2
    size = data[start + 2]
    offsets_end = start + 3 + (count + 1) * size
    return offsets_end + int.from_bytes(data[offsets_end - size : offsets_end], "big") - 1


def _fontconfig(system: Path, folders: list[Path], hidden: list[tuple[Path, int]]) -> str:
    rules = []
    for family, (stand_ins, weight) in FONT_STAND_INS.items():
        prefer = "".join(f"<string>{xml_escape(name)}</string>" for name in stand_ins)
        bold = f'<edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>' if weight else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{xml_escape(family)}</string></test>'
            f'<edit name="family" mode="append" binding="strong">{prefer}</edit>{bold}</match>'
        )
    rules += [f"<dir>{xml_escape(str(folder))}</dir>" for folder in folders]
    if hidden:
        rejected = "".join(
            f'<pattern><patelt name="file"><string>{xml_escape(str(file))}</string></patelt>'
            f'<patelt name="index"><int>{index}</int></patelt></pattern>'
            for file, index in hidden
        )
        rules.append(f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>")
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">{xml_escape(str(system))}</include>\n' + "\n".join(rules) + "\n</fontconfig>\n"
    )


def _remove_stale(target: Path) -> None:
    if target.is_file():
        target.unlink()
