"""Every workbook and Word file a processed quarter-end month writes (next month's forms, the
receipts, 汇总台账, 月度统计, 审核问题, the quarter's and the month's circulars) passes the strict
reader of tests/strict_files.py, which rejects a form written before its header rows were fixed;
the circular's PDF uses Simplified Chinese glyphs. The year-end files are checked in
test_yearbook.py and test_year_circular.py."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipeline import flow
from pipeline.core import labels as L
from pipeline.documents import documents, pdf
from pipeline.scoring import periods
from tests import strict_files, tools
from tests.circular_fixture import context
from tests.intake_helpers import piece, write_form
from tests.small_county import small_inputs

# GS01's April form as the form writer of commit c3231aa copied it: rows 1–5 twice, the first
# copy holding the template's placeholders.
FORM_BEFORE_THE_FIX = Path(__file__).parent / "data" / "form-before-strict-fix.xlsx"
# "直骨角化写说述递关" printed by LibreOffice from a Word file naming Noto Serif CJK JP: 直, 骨, 角, 化
# and 递 take Japanese shapes.
JAPANESE_GLYPHS = Path(__file__).parent / "data" / "japanese-glyphs.pdf"
SIMPLIFIED = {strict_files.NOTO_CJK.format(style, "SC") for style in ("Serif", "Sans")}


@pytest.fixture(scope="module")
def march(tmp_path_factory) -> Path:
    """The outputs of a three-unit county's first quarter, processed at March, and March's circular."""
    inputs = small_inputs(tmp_path_factory.mktemp("in"))
    for month in ("2025-01", "2025-02", "2025-03"):
        header = {L.H_MONTH: month, L.H_FILL_DATE: f"{month}-25"}
        day = f"{month}-05"
        write_form(
            inputs / month / f"办公室{month}.xlsx",
            [piece(**{L.SENT_DATE: day, L.ADOPT_DATE: day}), piece(**{L.TITLE: "=1+1 不是公式", L.SENT_DATE: day})],
            header=header,
        )
    outputs = tmp_path_factory.mktemp("out")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "_soffice", lambda: None)  # the PDF's fonts are checked below, once
        result = flow.run_month(inputs, outputs, "2025-03")
        assert result.circular, result.circular_note
        flow.render_circular(inputs, outputs, periods.single_month("2025-03"))
    return outputs


def _written(outputs: Path) -> list[Path]:
    return sorted(p for p in outputs.rglob("*") if p.suffix in (".xlsx", ".docx"))


def test_the_strict_reader_rejects_a_form_written_before_the_fix() -> None:
    found = strict_files.problems(FORM_BEFORE_THE_FIX)
    assert "xl/worksheets/sheet1.xml: row 1 after row 5" in found
    assert any("placeholder text" in fault and "ZZUNITNAMEZZ" in fault for fault in found)


def test_a_streaming_reader_sees_the_placeholders_in_a_form_written_before_the_fix() -> None:
    ws = openpyxl.load_workbook(FORM_BEFORE_THE_FIX, read_only=True).worksheets[0]
    assert ws["F2"].value == "ZZUNITCODEZZ"
    assert openpyxl.load_workbook(FORM_BEFORE_THE_FIX).worksheets[0]["F2"].value == "GS01"


def test_a_quarter_end_month_writes_every_kind_of_file(march) -> None:
    names = {p.relative_to(march).as_posix() for p in _written(march)}
    expected = {
        "forms/2025-04/GS01-办公室.xlsx",
        "2025-03/回执/GS01-办公室.xlsx",
        "2025-03/汇总台账.xlsx",
        "2025-03/月度统计.xlsx",
        "2025-03/审核问题.xlsx",
    }
    assert expected <= names
    assert any(name.endswith("季度通报.docx") for name in names) and any(
        name.endswith("月度通报.docx") for name in names
    )


def test_every_file_of_a_quarter_end_month_passes_the_strict_reader(march) -> None:
    assert {p.relative_to(march).as_posix(): strict_files.problems(p) for p in _written(march)} == {
        p.relative_to(march).as_posix(): [] for p in _written(march)
    }


def test_a_form_shows_its_units_own_header_to_a_streaming_reader(march) -> None:
    ws = openpyxl.load_workbook(march / "forms" / "2025-04" / "GS02-规划利用股.xlsx", read_only=True).worksheets[0]
    assert (ws["B2"].value, ws["F2"].value) == ("规划利用股", "GS02")


def test_the_circulars_pdf_names_and_uses_only_simplified_chinese_faces(tmp_path) -> None:
    tools.require("pdffonts")
    tools.require(pdf.SOFFICE_NAMES)
    strict_files.require_noto_cjk()
    rendered = documents.render("通报", context(), tmp_path, "季度通报")
    assert rendered.pdf is not None, rendered.note
    names = strict_files.pdf_font_names(rendered.pdf)
    assert names and all("CJK" in name for name in names), names
    assert strict_files.not_simplified_chinese(rendered.pdf) == [], names
    assert strict_files.cjk_faces(rendered.pdf) <= SIMPLIFIED


def test_the_glyph_check_tells_japanese_shapes_from_simplified_ones_though_the_font_names_match() -> None:
    tools.require("pdffonts")
    strict_files.require_noto_cjk()
    faces = strict_files.cjk_faces(JAPANESE_GLYPHS)
    assert "Noto Serif CJK JP" in faces and not faces <= SIMPLIFIED
    assert strict_files.pdf_font_names(JAPANESE_GLYPHS) == ["NotoSerifCJKjp-Regular-VKana"]
    assert strict_files.not_simplified_chinese(JAPANESE_GLYPHS) == ["NotoSerifCJKjp-Regular-VKana"]
