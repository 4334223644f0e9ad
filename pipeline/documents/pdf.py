"""The PDF of a rendered Word file: headless LibreOffice converts it in its own process, with a
private profile, a time limit and the font set-up of `fonts`; without LibreOffice, or when it
fails, there is no PDF and a Chinese note says why.

A run that writes several circulars (a month caught up with its quarters, the year's end) makes
their PDFs with one LibreOffice at its end (`one_libreoffice`): each start of LibreOffice with a
fresh profile costs seconds, and a circular written twice in a run would be converted twice.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.documents import fonts
from pipeline.files.atomic import atomic_path

SOFFICE_NAMES = ("soffice", "libreoffice")
PDF_TIMEOUT = 180  # seconds; a first start of LibreOffice with a fresh profile takes a few

NOTE_NO_LIBREOFFICE = "未安装 LibreOffice（soffice），未生成 PDF；可用 Word 或 WPS 打开 .docx 另存为 PDF。"
NOTE_PDF_FAILED = "LibreOffice 转换 PDF 失败（{reason}），未生成 PDF；可用 Word 或 WPS 打开 .docx 另存为 PDF。"


def start_pdf(docx: Path, target: Path) -> PdfJob:
    """Starts converting `docx` to `target` with headless LibreOffice (a private profile, so runs
    at the same time do not collide; a time limit): LibreOffice runs in its own process until
    `finish()` waits for it. Never raises: without a PDF, `finish()` returns (None, the Chinese
    reason) and removes a `target` left by an earlier run so no stale PDF stays beside the new
    Word file."""
    job = PdfJob(target)
    if _BATCH.get() is not None:
        job.deferred = True
        return job
    soffice = _soffice()
    if soffice is None:
        job.reason = NOTE_NO_LIBREOFFICE
        return job
    job.work = Path(tempfile.mkdtemp(prefix="soffice-"))
    try:
        source = job.work / f"{target.stem}.docx"
        shutil.copyfile(docx, source)
        job.process, reason = _start_conversion(soffice, [source], job.work)
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
    deferred: bool = False  # left to the run's one LibreOffice (`later`)

    def finish(self) -> tuple[Path | None, str]:
        """The PDF at `target`, or (None, the Chinese reason) with any earlier `target` removed;
        (None, "") for a PDF left to the run's one LibreOffice."""
        if self.deferred:
            return None, ""
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


_BATCH: contextvars.ContextVar[PdfBatch | None] = contextvars.ContextVar("pdf_batch", default=None)


@dataclass
class PdfBatch:
    """The PDFs a run leaves to its one LibreOffice: (the Word file at its final place, the PDF
    beside it), in the order they were written."""

    wanted: list[tuple[Path, Path]] = field(default_factory=list)

    def convert(self) -> dict[Path, str]:
        """Converts every Word file with one LibreOffice (a time limit of `PDF_TIMEOUT` seconds a
        file) and writes each PDF beside it. Never raises for LibreOffice's failure.

        Returns:
            By PDF path: "" when written, else the Chinese reason (an earlier PDF removed).
        """
        wanted, self.wanted = self.wanted, []
        if not wanted:
            return {}
        soffice = _soffice()
        if soffice is None:
            return _without_pdfs(wanted, NOTE_NO_LIBREOFFICE)
        work = Path(tempfile.mkdtemp(prefix="soffice-"))
        process = None
        try:
            # one output folder: numbered names keep two circulars of the same name apart
            sources = [work / f"{n:03d}{docx.stem}.docx" for n, (docx, _) in enumerate(wanted)]
            for (docx, _), source in zip(wanted, sources, strict=True):
                shutil.copyfile(docx, source)
            process, reason = _start_conversion(soffice, sources, work)
            limit = PDF_TIMEOUT * len(sources)
            if process is not None:
                try:
                    returncode = process.wait(timeout=limit)
                    reason = f"退出码 {returncode}" if returncode != 0 else None
                except subprocess.TimeoutExpired:
                    _end(process)
                    reason = f"超过 {limit} 秒未完成"
            notes = {}
            for (_, target), source in zip(wanted, sources, strict=True):
                made = work / f"{source.stem}.pdf"
                if reason is None and made.is_file():
                    with atomic_path(target) as tmp:
                        shutil.copyfile(made, tmp)
                    notes[target] = ""
                else:
                    notes |= _without_pdfs([(source, target)], NOTE_PDF_FAILED.format(reason=reason or "未输出文件"))
            return notes
        except BaseException:  # a stop while waiting: LibreOffice must not outlive the run
            if process is not None and process.poll() is None:
                _end(process)
            raise
        finally:
            shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def one_libreoffice() -> Iterator[PdfBatch]:
    """Within it, `start_pdf` starts no LibreOffice: its caller hands the Word file at its final
    place to `later`, and the batch yielded converts them all when its owner calls `convert`."""
    batch = PdfBatch()
    token = _BATCH.set(batch)
    try:
        yield batch
    finally:
        _BATCH.reset(token)


def later(docx: Path, target: Path) -> None:
    """Leaves the PDF of `docx` (at its final place) to the run's one LibreOffice."""
    batch = _BATCH.get()
    if batch is not None:
        batch.wanted.append((docx, target))


def _without_pdfs(wanted: list[tuple[Path, Path]], note: str) -> dict[Path, str]:
    for _, target in wanted:
        _remove_stale(target)
    return dict.fromkeys((target for _, target in wanted), note)


def _start_conversion(soffice: str, sources: list[Path], outdir: Path) -> tuple[subprocess.Popen | None, str | None]:
    """Starts LibreOffice on `sources`; its process, or the Chinese reason it could not start."""
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
        *map(str, sources),
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
    system = Path(env.get("FONTCONFIG_FILE") or fonts.SYSTEM_FONTCONFIG)
    if system.is_file():
        config = work / "fonts.conf"
        config.write_text(fonts.fontconfig_for_conversion(system), encoding="utf-8")
        env["FONTCONFIG_FILE"] = str(config)
    return env


def _remove_stale(target: Path) -> None:
    if target.is_file():
        target.unlink()
