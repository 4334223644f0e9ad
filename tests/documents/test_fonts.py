"""The conversion's fonts: the stand-ins for the standard's fonts and the standalone Simplified
Chinese copies of the Noto CJK collections' faces, given to LibreOffice in a private fontconfig file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from pipeline.documents import fonts
from tests import strict_files, tools


def test_the_fontconfig_file_includes_the_systems_and_names_a_stand_in_for_each_standard_font(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-list: no copies, nothing hidden
    text = fonts.fontconfig_for_conversion(Path("/etc/其他/fonts.conf"))
    assert '<include ignore_missing="yes">/etc/其他/fonts.conf</include>' in text
    for family, (stand_ins, _) in fonts.FONT_STAND_INS.items():
        assert f'<test name="family"><string>{family}</string></test>' in text, family
        assert f"<string>{stand_ins[-1]}</string>" in text, family
    assert text.count("<const>bold</const>") == 1  # 方正小标宋简体, the titles
    assert "<dir>" not in text and "rejectfont" not in text


def _noto_collection_face(family: str) -> tuple[Path, int]:
    """Where fontconfig finds `family`: a Noto CJK collection file and the face's index in it."""
    strict_files.require_noto_cjk()
    found = subprocess.run(
        [tools.require("fc-match"), f"{family}:style=Regular", "--format=%{file}|%{index}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    file, index = found.split("|")
    if not file.endswith(".ttc"):
        pytest.skip(f"{family} is not installed as a collection here")
    return Path(file), int(index)


def test_the_simplified_chinese_copy_of_a_collection_face_names_itself_sc_and_keeps_its_glyphs(tmp_path, monkeypatch):
    collection, index = _noto_collection_face("Noto Serif CJK SC")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = fonts._copies(collection, [index])
    assert folder is not None and folder.parent == tmp_path / fonts.FONT_CACHE
    (copy,) = folder.iterdir()
    made = copy.stat().st_mtime_ns
    with TTFont(copy, lazy=True) as font, TTCollection(collection, lazy=True) as members:
        face = members.fonts[index]
        assert font["name"].getDebugName(6) == copy.stem == "NotoSerifCJKsc-Regular"
        cff = font["CFF "].cff
        names = [cff.fontNames[0], cff.topDictIndex[0].FamilyName]
        names += [fd.FontName for fd in cff.topDictIndex[0].FDArray]
        assert names[:2] == ["NotoSerifCJKsc-Regular", "Noto Serif CJK SC"]
        assert all(name.startswith("NotoSerifCJKsc-Regular-") for name in names[2:]), names
        assert font.getBestCmap() == face.getBestCmap()
        assert (
            font["CFF "].cff[0].CharStrings["cid01234"].bytecode == face["CFF "].cff[0].CharStrings["cid01234"].bytecode
        )
    assert fonts._copies(collection, [index]) == folder and copy.stat().st_mtime_ns == made  # made once
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no work folder left
    copy.unlink()
    assert fonts._copies(collection, [index]) is None  # a copy deleted by hand: the collection is used


def test_a_collection_that_cannot_be_copied_is_printed_as_it_is_and_nothing_else_is_touched(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    broken = tmp_path / "Broken.ttc"
    broken.write_bytes(b"ttcf" + bytes(64))
    theirs = tmp_path / "cache" / fonts.FONT_CACHE / "someone-elses.otf"
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"kept")
    assert fonts._copies(broken, [0]) is None
    assert sorted(p.name for p in theirs.parent.iterdir()) == ["someone-elses.otf"]
    assert theirs.read_bytes() == b"kept"


def test_without_fonttools_or_fc_list_the_conversion_uses_the_collections(tmp_path, monkeypatch):
    collection, index = _noto_collection_face("Noto Serif CJK SC")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setitem(sys.modules, "fontTools.ttLib", None)
    assert fonts._copies(collection, [index]) is None
    assert not (tmp_path / fonts.FONT_CACHE).exists() or not any((tmp_path / fonts.FONT_CACHE).iterdir())
    monkeypatch.setenv("PATH", str(tmp_path))
    assert fonts.simplified_copies() == ([], [])
