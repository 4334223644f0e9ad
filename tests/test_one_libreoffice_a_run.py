"""A run that catches up several months renders each quarter's circular once and makes every
PDF of the run with one LibreOffice at its end; LibreOffice's failure leaves a Chinese note on
each circular, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import flow
from pipeline.core import labels as L
from pipeline.documents import documents, pdf
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

MONTHS = [f"2025-{m:02d}" for m in range(1, 7)]


def _fake_soffice(folder: Path, *, fails: bool = False) -> tuple[Path, Path]:
    """A stand-in LibreOffice that logs each start and writes a small PDF for every Word file."""
    log, fake = folder / "starts.log", folder / "soffice"
    body = "exit 5" if fails else (
        'out=""; prev=""\n'
        'for a in "$@"; do\n'
        '  [ "$prev" = "--outdir" ] && out="$a"\n'
        '  case "$a" in *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.4 %s" "$n" > "$out/$n.pdf";; esac\n'
        '  prev="$a"\n'
        "done"
    )  # fmt: skip
    fake.write_text(f'#!/bin/sh\necho "$#" >> {log}\n{body}\n', encoding="utf-8")
    fake.chmod(0o755)
    return fake, log


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = small_inputs(tmp_path_factory.mktemp("in"))
    for month in MONTHS:
        day = f"{month}-05"
        header = {L.H_MONTH: month, L.H_FILL_DATE: f"{month}-25"}
        write_form(
            folder / month / f"办公室{month}.xlsx", [piece(**{L.SENT_DATE: day, L.ADOPT_DATE: day})], header=header
        )
    return folder


def test_a_catch_up_renders_each_quarter_once_and_starts_libreoffice_once(inputs, tmp_path, monkeypatch):
    fake, log = _fake_soffice(tmp_path)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    renders = []
    start_render = documents.start_render
    monkeypatch.setattr(
        documents,
        "start_render",
        lambda kind, context, folder, stem: (
            renders.append(context["period"]) or start_render(kind, context, folder, stem)
        ),
    )
    outputs = tmp_path / "out"
    result = flow.run_month(inputs, outputs, "2025-06")
    assert result.caught_up == MONTHS[:5]
    assert renders == ["2025年第一季度", "2025年第二季度"]
    assert log.read_text().split() == ["9"]  # one start: seven options and the two Word files
    for quarter in ("2025-Q1", "2025-Q2"):
        assert (outputs / quarter / "季度通报.pdf").read_bytes().startswith(b"%PDF-1.4")
    assert result.circular == [outputs / "2025-Q2" / f"季度通报.{kind}" for kind in ("docx", "html", "pdf")]
    assert result.circular_note == ""
    assert [(month, files[-1].name, note) for month, files, note in result.other_circulars] == [
        ("2025-03", "季度通报.pdf", "")
    ]
    assert "pdf" in result.timings


def test_libreoffice_failing_leaves_every_circular_without_a_pdf_and_a_chinese_note(inputs, tmp_path, monkeypatch):
    fake, log = _fake_soffice(tmp_path, fails=True)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake))
    outputs = tmp_path / "out"
    result = flow.run_month(inputs, outputs, "2025-06")
    assert len(log.read_text().split()) == 1
    assert [p.suffix for p in result.circular] == [".docx", ".html"]
    assert "LibreOffice 转换 PDF 失败（退出码 5）" in result.circular_note
    assert "退出码 5" in result.other_circulars[0][2]
    assert not list(outputs.rglob("*.pdf"))
