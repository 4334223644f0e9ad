"""A strict reader's look at the files the product writes (.xlsx, .docx, .pdf): what Excel, WPS,
Word and streaming readers refuse or repair, which openpyxl's normal load forgives.

`problems(path)` lists, in English, every fault of one workbook or Word file:
- a member that is not well-formed XML, a part without a content type, a content type or an
  internal relationship naming a part that is not there;
- text left from a template's placeholders (`ZZ…ZZ`);
- in a worksheet, rows not strictly ascending, a row's cells out of column order or repeated, a
  cell whose reference names another row;
- a workbook whose cell values read with openpyxl's read_only (streaming) load differ from its
  normal load (the normal load keeps the last copy of a repeated row, streaming readers the first);
- in a Word file, `<w:zoom>` without `w:percent` (required by ECMA-376), and a stylesWithEffects
  part, relationship or content type (a Word 2010 leftover strict validators reject).

No ECMA-376 schema validation: no maintained validator or redistributable copy of the
transitional schemas is published on PyPI or npm (the Open XML SDK's validator is .NET), so
these are the structural rules the readers above are known to enforce.

`not_simplified_chinese(pdf)` lists the fonts `pdffonts` shows for a PDF that are neither a Noto CJK
SC face nor a system Chinese face (SimSun, FangSong, …). The names alone are not enough: LibreOffice
names a face taken from a Noto CJK collection after the collection's shared CFF font
(`NotoSerifCJKjp-…`) whichever language's face it used (pipeline/documents/fonts.py gives it standalone SC
copies instead). So `cjk_faces(pdf)` also names the CJK faces whose glyphs a PDF uses, by glyph
identity.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pymupdf
import pytest
from fontTools.ttLib import TTFont
from openpyxl.utils import column_index_from_string

PLACEHOLDER = re.compile(rb"ZZ[A-Z]+ZZ")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
NOTO_CJK = "Noto {} CJK {}"
# A PostScript name of a Noto/Source Han CJK SC face, or of a Chinese face Windows or a Chinese Linux ships.
SIMPLIFIED_CHINESE_FONT = re.compile(
    r"(?:Noto|SourceHan)(?:Sans|Serif)(?:Mono)?CJKsc-|SourceHan(?:Sans|Serif)(?:SC|CN)-"
    r"|N?SimSun|SimHei|FangSong|KaiTi|MicrosoftYaHei|ST(?:Song|Fangsong|Kaiti|Heiti|Zhongsong)|FZ"
)
REGIONS = ("SC", "TC", "HK", "JP", "KR")


def problems(path: Path) -> list[str]:
    """Every fault a strict reader finds in the .xlsx or .docx at `path` (empty when none)."""
    with zipfile.ZipFile(path) as package:
        members = {name: package.read(name) for name in package.namelist()}
    found = []
    trees = {}
    for name, data in members.items():
        if not name.endswith(_XML_SUFFIXES):
            continue
        try:
            trees[name] = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            found.append(f"{name}: not well-formed XML ({exc})")
            continue
        if PLACEHOLDER.search(data):
            found.append(f"{name}: placeholder text {sorted(set(PLACEHOLDER.findall(data)))}")
    found += _package_problems(members, trees)
    for name, tree in trees.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            found += [f"{name}: {fault}" for fault in _sheet_problems(tree)]
    if "word/document.xml" in members:
        found += _word_problems(members, trees)
    if "xl/workbook.xml" in members and not found:
        found += _streaming_problems(path)
    return found


def _package_problems(members: dict[str, bytes], trees: dict[str, ElementTree.Element]) -> list[str]:
    found = []
    types = trees.get("[Content_Types].xml")
    if types is None:
        return ["[Content_Types].xml missing"]
    defaults = {d.get("Extension").lower() for d in types.iter(f"{_TYPES}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{_TYPES}Override")}
    found += [f"[Content_Types].xml names a missing part {name}" for name in sorted(overrides - set(members))]
    for name in members:
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            found.append(f"{name}: no content type")
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        source_folder = posixpath.dirname(posixpath.dirname(name))
        for rel in tree.iter(f"{_RELS}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            part = posixpath.normpath(posixpath.join("/", source_folder, target)).lstrip("/")
            if part not in members:
                found.append(f"{name}: relationship {rel.get('Id')} to a missing part {part}")
    return found


def _sheet_problems(sheet: ElementTree.Element) -> list[str]:
    found = []
    last_row = 0
    for row in sheet.iter(f"{_MAIN}row"):
        number = int(row.get("r"))
        if number <= last_row:
            found.append(f"row {number} after row {last_row}")
        last_row = max(last_row, number)
        last_column = 0
        for cell in row.iter(f"{_MAIN}c"):
            letters, cell_row = _CELL_REF.fullmatch(cell.get("r")).groups()
            column = column_index_from_string(letters)
            if int(cell_row) != number:
                found.append(f"cell {cell.get('r')} in row {number}")
            if column <= last_column:
                found.append(f"cell {cell.get('r')} after column {last_column} of row {number}")
            last_column = max(last_column, column)
    return found


def _word_problems(members: dict[str, bytes], trees: dict[str, ElementTree.Element]) -> list[str]:
    found = []
    settings = trees.get("word/settings.xml")
    if settings is not None:
        for zoom in settings.iter(f"{_WORD}zoom"):
            if zoom.get(f"{_WORD}percent") is None:
                found.append("word/settings.xml: <w:zoom> without w:percent")
    for name, data in members.items():
        if "stylesWithEffects" in name:
            found.append(f"{name}: stale stylesWithEffects part")
        elif name.endswith((".rels", "[Content_Types].xml")) and b"stylesWithEffects" in data:
            found.append(f"{name}: names stylesWithEffects")
    return found


def _streaming_problems(path: Path) -> list[str]:
    normal = openpyxl.load_workbook(path)
    streamed = openpyxl.load_workbook(path, read_only=True)
    try:
        found = []
        for ws in normal.worksheets:
            expected = _values(ws.iter_rows(values_only=True))
            seen = _values(streamed[ws.title].iter_rows(values_only=True))
            if seen != expected:
                differing = sorted(set(seen.items()) ^ set(expected.items()))[:3]
                found.append(f"sheet {ws.title}: read_only load differs from the normal load, e.g. {differing}")
        return found
    finally:
        streamed.close()


def _values(rows) -> dict[tuple[int, int], object]:
    """The non-empty cells by (row, column): the two loads pad rows and columns differently."""
    return {
        (r, c): value
        for r, row in enumerate(rows, start=1)
        for c, value in enumerate(row, start=1)
        if value is not None
    }


def pdf_font_names(pdf: Path) -> list[str]:
    """The fonts `pdffonts` lists for `pdf`, without their subset prefix."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()]


def not_simplified_chinese(pdf: Path) -> list[str]:
    """The fonts `pdffonts` lists for `pdf` that are not a Simplified Chinese face (by PostScript name)."""
    return [name for name in pdf_font_names(pdf) if not SIMPLIFIED_CHINESE_FONT.match(name)]


def cjk_faces(pdf: Path) -> set[str]:
    """The Noto CJK faces ("Noto Serif CJK SC", …) whose language-specific glyphs `pdf` embeds.

    A glyph is taken as a face's own when that face's character map reaches it and the SC
    face's does not; glyphs every language shares are counted as SC's. Fonts that are not Noto CJK
    collections (SimSun, FangSong, …) are not counted."""
    used = set()
    with pymupdf.open(pdf) as document:
        for number in range(document.page_count):
            for font in document.get_page_fonts(number):
                name, _, _, program = document.extract_font(font[0])[:4]
                if "CJK" in name:
                    style = "Sans" if "Sans" in name else "Serif"
                    used |= {(style, int(cid)) for cid in re.findall(rb"/cid(\d+)", program)}
    faces = set()
    for style in {style for style, _ in used}:
        glyphs = {cid for s, cid in used if s == style}
        simplified = _glyphs(style, "SC")
        for region in REGIONS:
            own = _glyphs(style, region) - simplified if region != "SC" else simplified
            if glyphs & own:
                faces.add(NOTO_CJK.format(style, region))
    return faces


def require_noto_cjk() -> None:
    """Skips the test where fonts-noto-cjk is not installed, except in CI (.ci/run installs it)."""
    if _glyphs("Serif", "SC") and _glyphs("Serif", "JP"):
        return
    message = "fonts-noto-cjk is not installed (.ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@functools.cache
def _glyphs(style: str, region: str) -> frozenset[int]:
    """The glyph ids the character map of an installed Noto CJK face reaches."""
    family = NOTO_CJK.format(style, region)
    if shutil.which("fc-match") is None:
        return frozenset()
    where = subprocess.run(
        ["fc-match", f"{family}:style=Regular", "--format=%{family}|%{file}|%{index}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    families, file, index = where.split("|")
    if family not in families.split(","):
        return frozenset()
    font = TTFont(file, fontNumber=int(index), lazy=True)
    return frozenset(int(name.removeprefix("cid")) for name in font.getBestCmap().values() if name.startswith("cid"))
