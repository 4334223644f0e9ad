"""The long tables of a Word file rendered apart from docxtpl (`table_rows`) come out exactly as
docxtpl renders them itself, unit names with markup, template syntax and line breaks included."""

from __future__ import annotations

import zipfile

import pytest
from docxtpl import DocxTemplate

from pipeline.documents import documents, table_rows
from tests.circular_fixture import TRICKY_UNIT, context


def _long_context() -> dict:
    values = context()
    for key in ("ranking", "annex1", "annex2"):
        values[key] = [{**row, "unit": f"{row['unit']}{n}"} for n in range(40) for row in values[key]]
    values["annex1"][3]["unit"] = "两行的\n单位名称\t甲"
    return values


def _document_xml(path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml")


def test_every_row_loop_of_the_circular_template_is_rendered_apart():
    template = DocxTemplate(documents.TEMPLATES / "通报.docx")
    loops = table_rows.take_row_loops(template, _long_context())
    # 附件1 twice: the table of groups (annex1_grouped) and the table of units
    assert [loop.key for loop in loops] == ["ranking", "annex1", "annex1", "annex2"]
    assert "{%tr" not in template.get_xml()


@pytest.mark.parametrize("grouped", [False, True])
def test_the_rows_rendered_apart_are_those_docxtpl_renders(tmp_path, monkeypatch, grouped):
    values = {**_long_context(), "annex1_grouped": grouped}
    ours = _document_xml(documents._render_docx("通报", values, tmp_path / "ours.docx"))
    monkeypatch.setattr(table_rows, "take_row_loops", lambda _template, _context: [])
    theirs = _document_xml(documents._render_docx("通报", values, tmp_path / "theirs.docx"))
    assert ours == theirs
    text = ours.decode("utf-8")
    assert text.count("<w:tr>") + text.count("<w:tr ") == 1 + 200 + 1 + 200 + 1 + 200
    assert TRICKY_UNIT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "0" in text
    assert "两行的</w:t><w:br/>" in text
