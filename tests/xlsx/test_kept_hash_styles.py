"""The table styles keep their hash (openpyxl hashes a style anew each time a cell is given it):
they hash and compare as plain openpyxl styles of the same fields, in both directions, forget
their hash when a field is set or when pickled, and a workbook written with them is, member by
member, the workbook written with plain styles."""

from __future__ import annotations

import copy
import datetime as dt
import operator
import pickle
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Font, Side

from pipeline.xlsx import styles as xlsx

KEPT = ("HEADER_FONT", "TITLE_FONT", "BODY_FONT", "HEADER_FILL", "ERROR_FILL", "WARNING_FILL", "BOX", "WRAP", "CENTER")
KEPT += ("DATE_ALIGNMENT",)


def _plain(style):
    """The same style as openpyxl's own class."""
    plain = type(style).__mro__[2]
    assert plain.__module__.startswith("openpyxl.")
    return plain.from_tree(style.to_tree())


@pytest.mark.parametrize("name", KEPT)
def test_a_kept_style_hashes_and_compares_as_the_plain_style(name):
    kept = getattr(xlsx, name)
    plain = _plain(kept)
    assert type(plain) is not type(kept)
    assert hash(kept) == hash(plain)
    assert kept == plain and plain == kept and (kept != plain) is False and (plain != kept) is False
    assert {plain: "plain"}[kept] == "plain" and {kept: "kept"}[plain] == "kept"


def test_a_kept_style_compares_with_a_cells_style_as_the_plain_style_does():
    cell = Workbook().active["A1"]
    cell.font = xlsx.BODY_FONT
    plain = _plain(xlsx.BODY_FONT)
    kept_first, plain_first = operator.eq(xlsx.BODY_FONT, cell.font), operator.eq(plain, cell.font)
    assert (kept_first, cell.font == xlsx.BODY_FONT) == (plain_first, cell.font == plain)


def test_a_kept_style_differs_from_other_styles_and_forgets_its_hash_when_changed():
    assert xlsx.BODY_FONT != xlsx.HEADER_FONT and Font(name="宋体", size=12) != xlsx.BODY_FONT
    assert xlsx.BODY_FONT != xlsx.BOX and xlsx.BODY_FONT != "宋体"
    bold = copy.copy(xlsx.BODY_FONT)
    hash(bold)
    bold.b = True
    assert bold == xlsx.HEADER_FONT and hash(bold) == hash(_plain(xlsx.HEADER_FONT))
    assert xlsx.BODY_FONT.b is False  # the copy changed, not the table style


def test_a_kept_style_adds_up_with_a_plain_one_as_two_plain_ones_do():
    thick = Border(left=Side(style="thick"), top=Side(style="thick"))
    plain_box = _plain(xlsx.BOX)
    for total, expected in ((xlsx.BOX + thick, plain_box + thick), (thick + xlsx.BOX, thick + plain_box)):
        assert type(total) is Border and total == expected
        assert total.to_tree().attrib == expected.to_tree().attrib
    assert (thick + xlsx.BOX).left.style == "thick" and (xlsx.BOX + thick).left.style == "thin"
    with pytest.raises(TypeError):
        xlsx.BOX + xlsx.WRAP


def test_a_pickled_kept_style_works_its_hash_out_again():
    hash(xlsx.BOX)
    again = pickle.loads(pickle.dumps(xlsx.BOX))
    assert "_kept_hash" not in again.__dict__
    assert again == xlsx.BOX and hash(again) == hash(_plain(xlsx.BOX))


def _workbook(path) -> dict[str, bytes]:
    frame = pd.DataFrame(
        {
            "标题": ["耕地保护会议", "=1+1 不是公式", "不动产登记"],
            "报送日期": [pd.Timestamp("2025-03-05"), "3月32日", dt.datetime(2025, 3, 7)],
            "得分": [5.0, 12.5, float("nan")],
            "完成率": [0.5, 1.25, 0.0],
        }
    )
    workbook = Workbook()
    sheet = workbook.active
    xlsx.write_frame(sheet, frame, number_formats={"完成率": "0.0%"})
    # a plain style equal to a table style, given after it and before it
    sheet.cell(row=6, column=1).font = Font(name="宋体", size=11)
    other = workbook.create_sheet("二")
    other.cell(row=1, column=1).font = Font(name="宋体", bold=True, size=14)
    other.cell(row=2, column=1).fill = xlsx.ERROR_FILL
    other.cell(row=3, column=1).fill = xlsx.WARNING_FILL
    other.cell(row=3, column=2).alignment = xlsx.CENTER
    other.cell(row=4, column=1).font = xlsx.TITLE_FONT
    # a merged range adds up its cells' borders: kept and plain, either way round
    other.cell(row=5, column=1).border = xlsx.BOX
    other.cell(row=5, column=3).border = Border(left=Side(style="thick"))
    other.merge_cells("A5:C5")
    other.cell(row=6, column=1).border = Border(top=Side(style="thick"))
    other.cell(row=6, column=2).border = xlsx.BOX
    other.merge_cells("A6:B6")
    workbook.save(path)
    with zipfile.ZipFile(path) as package:
        return {n: package.read(n) for n in package.namelist() if not n.startswith("docProps/")}


def test_a_workbook_written_with_kept_styles_is_the_one_written_with_plain_styles(tmp_path, monkeypatch):
    kept = _workbook(tmp_path / "kept.xlsx")
    for name in KEPT:
        monkeypatch.setattr(xlsx, name, _plain(getattr(xlsx, name)))
    plain = _workbook(tmp_path / "plain.xlsx")
    assert sorted(kept) == sorted(plain)
    for name, data in kept.items():
        assert data == plain[name], name
