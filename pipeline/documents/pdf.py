"""The PDF of a rendered Word file: headless LibreOffice converts it in its own process, with a
private profile, a time limit and the font set-up of `fonts`; without LibreOffice, or when it
fails, there is no PDF and a Chinese note says why.

Within `one_libreoffice` (a month's run), a conversion started waits: the first `finish()`
converts every Word file started so far with one LibreOffice, so a run that writes several
circulars (the quarters of a catch-up, a quarter and the year) starts LibreOffice once, not once
a circular (each start with a fresh profile costs seconds).
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
    batch = _BATCH.get()
    if batch is not None:
        batch.add(job, docx)
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
    batch: PdfBatch | None = None  # the run's one LibreOffice converts it (`one_libreoffice`)
    source: Path | None = None  # the copy of the Word file LibreOffice converts

    def finish(self) -> tuple[Path | None, str]:
        """The PDF at `target`, or (None, the Chinese reason) with any earlier `target` removed."""
        try:
            if self.batch is not None:
                self.batch.convert_for(self)
            reason = self.reason or self._wait()
            if reason:
                _remove_stale(self.target)
                return None, reason
            with atomic_path(self.target) as tmp:
                shutil.copyfile(self._made(), tmp)
            return self.target, ""
        except BaseException:  # a stop while waiting: LibreOffice must not outlive the run
            self.abandon()
            raise
        finally:
            self._clean()

    def abandon(self) -> None:
        """Ends LibreOffice if it still runs, and removes the work folder."""
        if self.batch is not None:
            self.batch.drop(self)
        elif self.process is not None and self.process.poll() is None:
            _end(self.process)
        self._clean()

    def _made(self) -> Path:
        return self.work / f"{(self.source or self.target).stem}.pdf"

    def _wait(self) -> str:
        if self.process is None:  # converted with the others of its batch
            return "" if self._made().is_file() else NOTE_PDF_FAILED.format(reason="未输出文件")
        left = max(0.0, PDF_TIMEOUT - (time.monotonic() - self.started))
        try:
            returncode = self.process.wait(timeout=left)
        except subprocess.TimeoutExpired:
            _end(self.process)
            return NOTE_PDF_FAILED.format(reason=f"超过 {PDF_TIMEOUT} 秒未完成")
        if returncode != 0:
            return NOTE_PDF_FAILED.format(reason=f"退出码 {returncode}")
        if not self._made().is_file():
            return NOTE_PDF_FAILED.format(reason="未输出文件")
        return ""

    def _clean(self) -> None:
        if self.work is not None and self.batch is None:  # a batch's folder goes with the batch
            shutil.rmtree(self.work, ignore_errors=True)


_BATCH: contextvars.ContextVar[PdfBatch | None] = contextvars.ContextVar("pdf_batch", default=None)


@dataclass
class PdfBatch:
    """The conversions started within `one_libreoffice`: copies of their Word files in one work
    folder, converted together by the first `finish()` of any of them, or from `start_waiting`
    on (then the first `finish()` waits for them)."""

    work: Path
    waiting: list[PdfJob] = field(default_factory=list)
    running: _Running | None = None  # the one LibreOffice converting, and its jobs

    def add(self, job: PdfJob, docx: Path) -> None:
        # numbered: one output folder holds the PDFs of circulars of the same name
        job.batch, job.work = self, self.work
        job.source = self.work / f"{len(list(self.work.glob('*.docx'))):03d}{job.target.stem}.docx"
        shutil.copyfile(docx, job.source)
        self.waiting.append(job)

    def drop(self, job: PdfJob) -> None:
        if job in self.waiting:
            self.waiting.remove(job)
        running = self.running
        if running is not None and job in running.jobs:
            running.jobs.remove(job)
            if not running.jobs:  # nobody waits for this LibreOffice any more
                self.stop()

    def convert_for(self, job: PdfJob) -> None:
        """Converts every waiting Word file with one LibreOffice when `job` is among them (a time
        limit of `PDF_TIMEOUT` seconds a file, from the conversion's start), or waits for the
        conversion `start` began when `job` is in it; each job's `reason` says why it has no PDF."""
        if self.running is not None and job in self.running.jobs:
            self._wait_running()
            return
        if job not in self.waiting:
            return
        self._wait_running()  # one LibreOffice at a time: they would share the profile
        self.start()
        self._wait_running()

    def start(self) -> None:
        """Starts converting every waiting Word file with one LibreOffice, unless one runs."""
        if self.running is not None or not self.waiting:
            return
        jobs, self.waiting = self.waiting, []
        soffice = _soffice()
        if soffice is None:
            self.running = _Running(None, jobs, NOTE_NO_LIBREOFFICE)
            return
        process, failed = _start_conversion(soffice, [j.source for j in jobs], self.work)
        self.running = _Running(process, jobs, "" if failed is None else NOTE_PDF_FAILED.format(reason=failed))

    def stop(self) -> None:
        """Ends the LibreOffice `start` began, if it still runs."""
        running, self.running = self.running, None
        if running is not None and running.process is not None and running.process.poll() is None:
            _end(running.process)

    def _wait_running(self) -> None:
        running = self.running
        if running is None:
            return
        reason = running.reason
        if running.process is not None:
            reason = _waited(running.process, PDF_TIMEOUT * len(running.jobs), running.started)
        self.running = None
        for each in running.jobs:
            each.reason = each.reason or reason


@dataclass
class _Running:
    """A LibreOffice `PdfBatch.start` began: its process (None when it could not start; `reason`
    says why) and the jobs whose Word files it converts."""

    process: subprocess.Popen | None
    jobs: list[PdfJob]
    reason: str = ""
    started: float = field(default_factory=time.monotonic)


def start_waiting() -> None:
    """Within `one_libreoffice`, starts converting the Word files waiting so far now, so that
    LibreOffice works while the caller does something else before its `finish()`; outside it
    (a conversion starts at once there), nothing."""
    batch = _BATCH.get()
    if batch is not None:
        batch.start()


def _waited(process: subprocess.Popen, limit: int, started: float) -> str:
    """Waits for LibreOffice until `limit` seconds after `started` (time.monotonic); "" or why it
    failed."""
    try:
        returncode = process.wait(timeout=max(0.0, limit - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        _end(process)
        return NOTE_PDF_FAILED.format(reason=f"超过 {limit} 秒未完成")
    except BaseException:  # a stop while waiting: LibreOffice must not outlive the run
        _end(process)
        raise
    return NOTE_PDF_FAILED.format(reason=f"退出码 {returncode}") if returncode != 0 else ""


@contextlib.contextmanager
def one_libreoffice() -> Iterator[None]:
    """Within it, conversions wait for a `finish()`, which converts all waiting ones at once."""
    batch = PdfBatch(Path(tempfile.mkdtemp(prefix="soffice-")))
    token = _BATCH.set(batch)
    try:
        yield
    finally:
        _BATCH.reset(token)
        batch.stop()  # LibreOffice must not outlive the run
        shutil.rmtree(batch.work, ignore_errors=True)


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
