"""The fonts LibreOffice converts the documents with, given to it through a private fontconfig file.

The templates name the fonts of GB/T 9704-2012 (仿宋_GB2312, 方正小标宋简体 …), which most Linux
machines lack; the file names stand-ins that keep the documents' look, and standalone copies of the
installed Noto CJK collections' Simplified Chinese faces so the PDF names its fonts as Chinese ones.
`fontconfig_for_conversion` is the one entry; on a machine without fontconfig nothing here is used.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

# Where the standard's fonts are missing (most Linux machines), LibreOffice would print the whole
# circular in a sans-serif fallback; these stand-ins keep its look: serif body, bold serif titles.
# Used only for the conversion, through a private fontconfig file; the named font still wins where installed.
FONT_STAND_INS = {
    "方正小标宋简体": (("FZXiaoBiaoSong-B05S", "STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC"), "bold"),
    "仿宋_GB2312": (("FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    "楷体_GB2312": (("KaiTi", "楷体", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"), None),
    "黑体": (("SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC"), None),
    "宋体": (("SimSun", "STSong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    # The templates' fallback names (their font table's w:altName), should a reader turn to them.
    "仿宋": (("FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"), None),
    "楷体": (("KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC"), None),
}
SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")

# LibreOffice names a face it embeds from a Noto CJK collection (.ttc) after the collection's shared
# CFF font, the Japanese one ("NotoSerifCJKjp-…"), whichever language's face it printed with. So the
# conversion prints with standalone copies of the collections' Simplified Chinese faces, their CFF
# names made the face's own as in Adobe's per-language OTFs, and hides the collections' SC faces.
# The copies are made once per collection file (size and time in the folder's name) under the
# user's cache folder; without fc-list or fontTools, or on any failure, the collections are used.
SIMPLIFIED_FAMILIES = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC"})
SIMPLIFIED_WEIGHTS = frozenset({80, 200})  # fontconfig's regular and bold: the templates use no other
FONT_CACHE = Path("county-publicity-assessment") / "fonts"


def fontconfig_for_conversion(system_config: Path) -> str:
    """The text of the fontconfig file for one conversion: `system_config` (the machine's own file)
    included, then the stand-ins, the folders of the SC copies (made on first use) and the
    collections' SC faces hidden."""
    return _fontconfig(system_config, *simplified_copies())


def simplified_copies() -> tuple[list[Path], list[tuple[Path, int]]]:
    """The folders of standalone copies of the installed Noto CJK collections' Simplified Chinese
    faces (made on first use), and the (collection, face index) pairs they stand for. ([], []) where
    fc-list is missing; a collection whose copies cannot be made is left out."""
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "--format", "%{file}|%{index}|%{weight}|%{family}\n"],
            capture_output=True,
            text=True,
            errors="replace",  # a path that is not UTF-8 then names no file, and its collection is left out
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return [], []
    faces: dict[Path, list[int]] = {}
    for line in listed.splitlines():
        file, index, weight, families = [*line.split("|", 3), "", "", ""][:4]
        if (
            file.lower().endswith(".ttc")
            and index.isdigit()
            and weight.isdigit()
            and int(weight) in SIMPLIFIED_WEIGHTS
            and SIMPLIFIED_FAMILIES & set(families.split(","))
        ):
            faces.setdefault(Path(file), []).append(int(index))
    folders, hidden = [], []
    for collection, indexes in sorted(faces.items()):
        if (folder := _copies(collection, sorted(indexes))) is not None:
            folders.append(folder)
            hidden += [(collection, index) for index in indexes]
    return folders, hidden


def _copies(collection: Path, indexes: list[int]) -> Path | None:
    """The folder holding the copies of `collection`'s faces `indexes`, made if missing; None when
    they cannot be made or are not all there."""
    try:
        stat = collection.stat()
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / FONT_CACHE
        folder = root / f"{collection.stem}-{stat.st_size}-{stat.st_mtime_ns}"
        if not folder.is_dir():
            _make_copies(collection, indexes, root, folder)
        # A folder emptied by hand would hide the collection's faces without standing in for them.
        return folder if len(list(folder.glob("*.otf"))) == len(indexes) else None
    # fontTools raises many kinds of error on a font it cannot read, and a missing fontTools, an
    # unwritable home or a full disk raise others: each only means the collection is printed as is.
    except Exception:
        return None


def _make_copies(collection: Path, indexes: list[int], root: Path, folder: Path) -> None:
    """Writes the copies into a fresh folder beside `folder`, then renames it into place whole, so
    runs at the same time never see (nor fontconfig scan) half a copy."""
    from fontTools.ttLib import TTCollection  # here: without fontTools, only the copies are missing

    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".making-", dir=root))
    try:
        with TTCollection(collection, lazy=True) as fonts:
            for index in indexes:
                face = fonts.fonts[index]
                _write_face(face, work / f"{face['name'].getDebugName(6)}.otf")
        try:
            work.rename(folder)
        except OSError:
            if not folder.is_dir():  # else another run made it first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_face(face, target: Path) -> None:
    """One face of a collection as a standalone OpenType file: its own tables as they are, the CFF
    table shared by the collection's faces with its names made this face's own."""
    from fontTools.ttLib.sfnt import SFNTWriter

    tags = sorted(face.reader.keys())
    if "CFF " not in tags:
        raise ValueError(f"{target.name}: no CFF table")
    with target.open("wb") as file:
        writer = SFNTWriter(file, len(tags), sfntVersion=face.reader.sfntVersion)
        for tag in tags:
            writer[tag] = _own_cff_names(face) if tag == "CFF " else face.reader[tag]
        writer.close()


def _own_cff_names(face) -> bytes:
    """The face's CFF table with the shared font's names ("NotoSerifCJKjp-Regular", its FDArray's
    "NotoSerifCJKjp-Regular-Kana", …, "Noto Serif CJK JP") turned into the face's own
    ("NotoSerifCJKsc-…", "Noto Serif CJK SC"). Only the Name and String INDEX change, and only by
    names of the same length, so every offset in the table stays right; the result is read back."""
    import fontTools.cffLib

    data = face.reader["CFF "]
    shared = face["CFF "].cff
    own_name, own_family = face["name"].getDebugName(6), face["name"].getDebugName(1)
    top = shared.topDictIndex[0]
    replacements = [(shared.fontNames[0].split("-")[0], own_name.split("-")[0]), (top.FamilyName, own_family)]
    if any(len(old) != len(new) for old, new in replacements):
        raise ValueError(f"{own_name}: names of different length")
    names_start = data[2]  # the header's size
    strings_start = _index_end(data, _index_end(data, names_start))
    strings_end = _index_end(data, strings_start)
    patched = bytearray(data)
    for start, end in ((names_start, _index_end(data, names_start)), (strings_start, strings_end)):
        part = bytes(patched[start:end])
        for old, new in replacements:
            part = part.replace(old.encode("ascii"), new.encode("ascii"))
        patched[start:end] = part
    check = fontTools.cffLib.CFFFontSet()
    check.decompile(io.BytesIO(bytes(patched)), face, isCFF2=False)
    names = [check.fontNames[0]] + [fd.FontName for fd in check.topDictIndex[0].FDArray]
    if check.fontNames[0] != own_name or not all(name.startswith(own_name) for name in names):
        raise ValueError(f"{own_name}: CFF names left {names}")
    return bytes(patched)


def _index_end(data: bytes, start: int) -> int:
    """Where the CFF INDEX beginning at `start` ends: count, offset size, offsets, then the data."""
    count = int.from_bytes(data[start : start + 2], "big")
    if count == 0:
        return start + 2
    size = data[start + 2]
    offsets_end = start + 3 + (count + 1) * size
    return offsets_end + int.from_bytes(data[offsets_end - size : offsets_end], "big") - 1


def _fontconfig(system: Path, folders: list[Path], hidden: list[tuple[Path, int]]) -> str:
    rules = []
    for family, (stand_ins, weight) in FONT_STAND_INS.items():
        prefer = "".join(f"<string>{xml_escape(name)}</string>" for name in stand_ins)
        bold = f'<edit name="weight" mode="assign" binding="strong"><const>{weight}</const></edit>' if weight else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{xml_escape(family)}</string></test>'
            f'<edit name="family" mode="append" binding="strong">{prefer}</edit>{bold}</match>'
        )
    rules += [f"<dir>{xml_escape(str(folder))}</dir>" for folder in folders]
    if hidden:
        rejected = "".join(
            f'<pattern><patelt name="file"><string>{xml_escape(str(file))}</string></patelt>'
            f'<patelt name="index"><int>{index}</int></patelt></pattern>'
            for file, index in hidden
        )
        rules.append(f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>")
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">{xml_escape(str(system))}</include>\n' + "\n".join(rules) + "\n</fontconfig>\n"
    )
