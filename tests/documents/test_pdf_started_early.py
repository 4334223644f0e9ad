"""Within a run's one LibreOffice, `pdf.start_waiting` starts converting the Word files waiting
so far, so the run writes the year's workbook meanwhile: the first `finish()` then waits for
that same LibreOffice (one start for all), a file added later gets a start of its own after it,
and LibreOffice never outlives the run or the last job waiting for it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.documents import pdf

# A stand-in LibreOffice: logs its Word files, waits for a go file, writes a PDF for each.
FAKE = """#!/bin/sh
out=""; prev=""; files=""
for a in "$@"; do
  [ "$prev" = "--outdir" ] && out="$a"
  case "$a" in *.docx) files="$files $a";; esac
  prev="$a"
done
echo "$files" >> {log}
while [ ! -e {go} ]; do sleep 0.05; done
for a in $files; do n=$(basename "$a" .docx); printf "%%PDF-1.4 %s" "$n" > "$out/$n.pdf"; done
"""


@pytest.fixture
def soffice(tmp_path, monkeypatch) -> tuple[Path, Path]:
    log, go, fake = tmp_path / "starts.log", tmp_path / "go", tmp_path / "soffice"
    fake.write_text(FAKE.format(log=log, go=go), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    return log, go


def _docx(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.docx"
    path.write_bytes(b"PK")
    return path


def _started(log: Path) -> list[list[str]]:
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return [[Path(f).stem for f in line.split()] for line in log.read_text().splitlines()]


def test_files_waiting_are_converted_from_start_waiting_on_by_one_libreoffice(soffice, tmp_path):
    log, go = soffice
    with pdf.one_libreoffice():
        quarter = pdf.start_pdf(_docx(tmp_path, "季度通报"), tmp_path / "季度通报.pdf")
        year = pdf.start_pdf(_docx(tmp_path, "年度通报"), tmp_path / "年度通报.pdf")
        assert not log.exists()  # nothing starts before it is asked to
        pdf.start_waiting()
        assert _started(log) == [["000季度通报", "001年度通报"]]  # started before any finish()
        go.touch()
        assert year.finish() == (tmp_path / "年度通报.pdf", "")
        assert quarter.finish() == (tmp_path / "季度通报.pdf", "")
    assert _started(log) == [["000季度通报", "001年度通报"]]
    assert (tmp_path / "季度通报.pdf").read_bytes().startswith(b"%PDF-1.4")


def test_a_file_added_while_libreoffice_runs_waits_for_it_then_gets_its_own(soffice, tmp_path):
    log, go = soffice
    with pdf.one_libreoffice():
        first = pdf.start_pdf(_docx(tmp_path, "甲"), tmp_path / "甲.pdf")
        pdf.start_waiting()
        later = pdf.start_pdf(_docx(tmp_path, "乙"), tmp_path / "乙.pdf")
        go.touch()
        assert later.finish() == (tmp_path / "乙.pdf", "")
        assert first.finish() == (tmp_path / "甲.pdf", "")
    assert _started(log) == [["000甲"], ["001乙"]]


def test_libreoffice_started_early_is_ended_with_the_run_or_its_last_job(soffice, tmp_path):
    log, _ = soffice
    with pdf.one_libreoffice():
        job = pdf.start_pdf(_docx(tmp_path, "甲"), tmp_path / "甲.pdf")
        batch = job.batch
        pdf.start_waiting()
        process = batch.running.process
        _started(log)
        job.abandon()
        assert process.poll() is not None and batch.running is None
    with pdf.one_libreoffice():
        job = pdf.start_pdf(_docx(tmp_path, "乙"), tmp_path / "乙.pdf")
        pdf.start_waiting()
        process = job.batch.running.process
    assert process.poll() is not None  # the run ended without waiting: LibreOffice with it
    assert not (tmp_path / "甲.pdf").exists() and not (tmp_path / "乙.pdf").exists()


def test_start_waiting_outside_a_run_batch_does_nothing(soffice, tmp_path):
    log, go = soffice
    go.touch()
    job = pdf.start_pdf(_docx(tmp_path, "甲"), tmp_path / "甲.pdf")  # starts at once there
    pdf.start_waiting()
    assert job.finish() == (tmp_path / "甲.pdf", "")
    assert _started(log) == [["甲"]]
