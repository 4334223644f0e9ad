"""Real renderers for tests: LibreOffice to PDF, poppler to read PDFs back, headless Chromium.

A test that needs one calls `require(...)` first: outside CI a missing tool skips the test, in CI
(`CI` set, as `.ci/run` is run) it fails, because `.ci/run` installs every tool listed here.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

SOFFICE = ("soffice", "libreoffice")
CHROMIUM = ("chromium-headless-shell", "chromium", "chromium-browser")


def find(names: tuple[str, ...] | str) -> str | None:
    """The first of `names` on PATH (or in Debian's chromium-headless-shell folder)."""
    for name in (names,) if isinstance(names, str) else names:
        found = shutil.which(name) or _debian_path(name)
        if found:
            return found
    return None


def require(names: tuple[str, ...] | str) -> str:
    """The tool's path; skips the test when it is missing, except in CI where that is a failure."""
    found = find(names)
    if found:
        return found
    message = f"{names} is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def to_pdf(source: Path, folder: Path) -> Path:
    """Converts a .docx/.xlsx/.html file to PDF with LibreOffice, with a private profile so that
    conversions running at once do not collide."""
    soffice = require(SOFFICE)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    pdf = Path(folder) / (Path(source).stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {source}"
    return pdf


def pdf_pages(pdf: Path) -> int:
    """Number of pages, from pdfinfo."""
    info = subprocess.run([require("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(pdf: Path, *, page: int | None = None, layout: bool = False) -> str:
    """The PDF's text (one page when `page` is given, 1-based), from pdftotext."""
    args = [require("pdftotext"), "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_bbox(pdf: Path) -> str:
    """The XHTML of `pdftotext -bbox-layout`: every word with its box, in points."""
    return subprocess.run(
        [require("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _debian_path(name: str) -> str | None:
    candidate = Path("/usr/lib/chromium-headless-shell") / name
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def to_pdfs(sources: list[Path], folder: Path) -> list[Path]:
    """Converts several files to PDF in one LibreOffice run (starting it costs more than a
    conversion); the sources' names must differ. Returns the PDFs in the sources' order."""
    soffice = require(SOFFICE)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    pdfs = [Path(folder) / (Path(source).stem + ".pdf") for source in sources]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


def pdf_words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width, height and words (xMin, yMin, xMax, yMax, text), from `pdf_bbox`."""
    pages = []
    page_re = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
    word_re = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
    for page in page_re.finditer(pdf_bbox(pdf)):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in word_re.findall(page[3])
        ]
        pages.append((float(page[1]), float(page[2]), words))
    return pages


def pdf_rules(pdf: Path) -> list[tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]]:
    """Each page's vertical and horizontal lines (a table's cell borders), each as (x, y0, y1)
    or (y, x0, x1), read with PyMuPDF."""
    import pymupdf

    pages = []
    with pymupdf.open(pdf) as document:
        for page in document:
            vertical, horizontal = [], []
            for drawing in page.get_drawings():
                for item in drawing["items"]:
                    if item[0] == "l":
                        (a, b) = item[1], item[2]
                    elif item[0] == "re":
                        a, b = item[1].top_left, item[1].bottom_right
                    else:
                        continue
                    if abs(a.x - b.x) < 1.5 and abs(a.y - b.y) > 3:
                        vertical.append(((a.x + b.x) / 2, min(a.y, b.y), max(a.y, b.y)))
                    elif abs(a.y - b.y) < 1.5 and abs(a.x - b.x) > 3:
                        horizontal.append(((a.y + b.y) / 2, min(a.x, b.x), max(a.x, b.x)))
            pages.append((vertical, horizontal))
    return pages


def hanging_soffice(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in LibreOffice that starts a child and waits for it (30 s), found by
    `pipeline.documents.pdf._soffice`; returns the file where the child's pid is written."""
    from pipeline.documents import pdf

    fake, child = folder / "soffice", folder / "child.pid"
    fake.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > {child}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    return child


def ended(pid: int) -> bool:
    """Whether `pid` has ended within a few seconds (a zombie waiting to be reaped counts as ended)."""
    for _ in range(50):
        status = Path(f"/proc/{pid}/status")
        if not status.exists() or "\nState:\tZ" in status.read_text():
            return True
        time.sleep(0.05)
    return False
