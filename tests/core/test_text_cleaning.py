"""Text cleaned for a workbook: exactly the characters openpyxl refuses are removed."""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pipeline.core.text import clean_text


def test_clean_text_removes_exactly_the_characters_openpyxl_refuses():
    every = "".join(map(chr, range(0x3100)))
    assert clean_text(every) == ILLEGAL_CHARACTERS_RE.sub("", every)
    assert clean_text("标题\x07\x0b附件\t\n") == "标题附件\t\n"
