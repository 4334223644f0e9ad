"""Builds the initial Word template of the circular, `templates/通报.docx` (GB/T 9704-2012 layout).

Run once by a developer (`python templates/build_templates.py`); the generated file is committed.
The office may restyle the template afterwards in Word or WPS (styles named 公文正文, 一级标题, …),
and from then on that edited file, not this script, is the template.

The document: A4 portrait body (margins 37/26/35/28 mm, exact line pitch giving 22 lines a page),
版头 with the red issuer and a red separator line, the body with its ranking table and chart, the
附件 list, signature and date; then annex 1 on a landscape page (15 columns), annex 2 on landscape
pages too, and the 版记 held at the foot of the last page (GB/T 9704-2012 §8: annexes come before the
版记). Page numbers "— N —" in 4号宋体, odd pages right, even pages left.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from lxml import etree

HERE = Path(__file__).resolve().parent

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
# The name Word and WPS fall back to where a standard's font is not installed: the GB2312-era fonts
# are absent from current Windows, which ships 仿宋 and 楷体 instead. The PDF conversion names its
# own stand-ins (pipeline/documents/fonts.py FONT_STAND_INS, Noto Serif/Sans CJK SC on Linux).
ALT_NAMES = {XIAOBIAOSONG: SONGTI, FANGSONG: "仿宋", KAITI: "楷体", HEITI: "", SONGTI: ""}
SERIF = {XIAOBIAOSONG, FANGSONG, KAITI, SONGTI}
RED = RGBColor(0xFF, 0x00, 0x00)

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
ISSUER_SIZE = Pt(30)  # 14 characters fit the 156 mm line
PAGE_NUMBER_SIZE = Pt(14)  # 4号
TABLE_SIZE = Pt(12)  # 小4, the ranking table in the body
ANNEX_TABLE_SIZE = Pt(10.5)  # 5号, the annex tables
LINE = Twips(579)  # 28.95 pt exact: 22 lines in the 225 mm text block
CHAR = 320  # twips of one 3号 character, for indents

A4_SHORT, A4_LONG = Mm(210), Mm(297)
# Portrait margins from the standard; the landscape annex keeps the same 156 x 225 mm text block,
# turned, so the binding edge stays on the same side of the sheet.
PORTRAIT = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
LANDSCAPE = {"top": Mm(28), "bottom": Mm(26), "left": Mm(37), "right": Mm(35)}
TEXT_WIDTH = Mm(156)
LANDSCAPE_TEXT_WIDTH = Mm(225)

# Successors of w:framePr and w:pBdr in w:pPr (the schema fixes the order of its children).
AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                 "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                 "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                 "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                 "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
               "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
               "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")  # fmt: skip
AFTER_FRAME = ("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *AFTER_BORDERS)

RANKING = (  # 442 pt, the portrait text block; a 小4 character is 12 pt, a cell's margins 4 pt
    ("排名", "rank", 30),
    ("单位", "unit", 127),  # "国土资源执法监察大队" on one line
    ("报送数", "sent", 30),
    ("采用数", "adopted", 30),
    ("采用率", "adopt_rate", 47),  # "100.0%" and the header on one line
    ("得分", "points", 42),  # "99.25" and "192.5" on one line (a scheme's quarter points)
    ("累计\n得分", "points_ytd", 42),  # headers broken in even lines, not 累计得 / 分
    # "999.9%" on one line: a year's completion passes 100% by the autumn; Noto Serif CJK, which
    # LibreOffice draws 仿宋 with, spaces "225.0%" 41.8 pt wide, more than 47 pt less 5.7 pt margins
    ("报送\n完成率", "submit_rate", 47),
    ("采用\n完成率", "adopt_year_rate", 47),
)
RANKING_MARGINS = 40  # twips each side (2 pt): the room "999.9%" needs that no column can give up
# Widths in points, 637 in all (the landscape text block): a 5号 character is 10.5 pt, and a cell
# loses 5.7 pt to its margins; Word and LibreOffice add about a quarter em between Chinese and digits.
ANNEX1 = (
    ("单位", "unit", 112),  # "国土资源执法监察大队" on one line
    ("本期报送", "sent", 33),
    ("本期采用", "adopted", 33),
    ("本期采用条次", "adoptions", 40),  # the header on two lines
    ("本期\n得分", "points", 38),  # headers broken in even lines, not 本期得 / 分
    ("累计报送", "sent_ytd", 33),
    ("累计采用", "adopted_ytd", 33),
    ("累计\n得分", "points_ytd", 38),
    ("扣分", "deductions", 30),
    ("报送\n完成率", "submit_rate", 42),  # "100.0%" on one line
    ("采用\n完成率", "adopt_rate", 42),
    ("得分\n完成率", "points_rate", 42),  # hidden (its width to 单位) when no unit has a points target
    ("进度", "progress", 30),
    ("排名", "rank", 28),
    ("按时报送", "on_time", 63),  # "未报送1次", and the header, on one line
)
# 附件1 of a large body (`annex1_grouped`): its rows are groups of hundreds of units, their sums six
# digits ("150004", "110506.5") and points seven ("1448395.5"), a 完成率 past 100%; 排名 (always —)
# goes to make the room, the group's label is two lines of its own ("国土资源所" over "750个单位"),
# and 进度 ("滞后12个") and 按时报送 wrap instead.
ANNEX1_GROUPED = (
    ("单位", "unit", 65),  # "国土资源所" and "3000个单位" on one line each
    ("本期\n报送", "sent", 42),  # "150004" on one line; headers in even lines, not 本期报 / 送
    ("本期\n采用", "adopted", 42),
    ("本期采用条次", "adoptions", 42),
    ("本期\n得分", "points", 60),  # "1448395.5" on one line
    ("累计\n报送", "sent_ytd", 42),
    ("累计\n采用", "adopted_ytd", 42),
    ("累计\n得分", "points_ytd", 60),
    ("扣分", "deductions", 32),  # "1322" on one line
    ("报送\n完成率", "submit_rate", 44),  # "999.9%" on one line
    ("采用\n完成率", "adopt_rate", 44),
    ("得分\n完成率", "points_rate", 44),  # hidden as in ANNEX1
    ("进度", "progress", 34),
    ("按时\n报送", "on_time", 44),
)
# Landscape too: the titles need the width (portrait wrapped them over four lines).
ANNEX2 = (
    ("序号", "no", 32),  # the header on one line
    ("稿件标题", "title", 175),
    ("单位", "unit", 96),
    ("作者", "authors", 70),  # "董鹏、蒋小芳" on one line
    ("采用载体", "outlet", 116),  # "临州市国土资源局网站" on one line
    ("采用级别", "level", 48),  # the header on one line
    ("采用日期", "date", 100),  # "2025年12月31日" on one line (LibreOffice spaces digits wider)
)


def build(target: Path) -> None:
    """Writes the circular's Word template to `target`."""
    document = official_document("信息宣传工作情况通报")
    add_head(document)
    _body(document)
    add_closing(document)
    add_annex(document, 1, "{{ annex1_title }}", ANNEX1, "annex1", landscape=True, grouped=ANNEX1_GROUPED)
    document.add_paragraph("{%p if annex1_note %}", style="表注")
    document.add_paragraph("{{ annex1_note }}", style="表注")
    document.add_paragraph("{%p endif %}", style="表注")
    add_annex(document, 2, "{{ annex2_title }}", ANNEX2, "annex2", landscape=True)
    document.add_paragraph("{%p if annex2_note %}", style="表注")
    document.add_paragraph("{{ annex2_note }}", style="表注")
    document.add_paragraph("{%p endif %}", style="表注")
    add_colophon(document, landscape=True)
    save(document, target)


def save(document, target: Path) -> None:
    """Saves `document` with a font table naming the standard's Chinese fonts (GB2312 character
    set, their fallback names) instead of python-docx's default, which names Japanese fonts."""
    document.save(target)
    with zipfile.ZipFile(target) as package:
        members = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            package.writestr(info, _font_table(data) if info.filename == "word/fontTable.xml" else data)


def _font_table(data: bytes) -> bytes:
    table = etree.fromstring(data)
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) not in ("Times New Roman", "Symbol", "Arial"):
            table.remove(font)
    for name, alternative in ALT_NAMES.items():
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        if alternative:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alternative)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "roman" if name in SERIF else "modern")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    return etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def official_document(title: str):
    """An empty A4 document with the standard's page set-up, styles and page numbers; other
    documents' template scripts (the year-end circular) start from it too."""
    document = Document()
    _clear_body(document)
    _page(document.sections[0], PORTRAIT, landscape=False)
    _styles(document)
    _page_numbers(document)
    document.core_properties.title = title
    document.core_properties.author = ""
    _valid_settings(document)
    return document


def _valid_settings(document) -> None:
    """Mends what python-docx's default document carries that strict readers reject: a
    `<w:zoom>` without the w:percent ECMA-376 requires, and Word 2010's stylesWithEffects part
    (dropping its relationship drops the part and its content type from the saved package)."""
    document.settings.element.find(qn("w:zoom")).set(qn("w:percent"), "100")
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)


# Page set-up and styles ---------------------------------------------------------------------


def _clear_body(document) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _page(section, margins: dict, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin, section.bottom_margin = margins["top"], margins["bottom"]
    section.left_margin, section.right_margin = margins["left"], margins["right"]
    section.header_distance = Mm(15)
    # The page number's dashes sit about 7 mm below the text block (GB/T 9704-2012 §7.5).
    section.footer_distance = margins["bottom"] - Mm(11)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        section._sectPr.remove(grid)


def _fonts(rpr_owner, name: str) -> None:
    """Sets one font for Latin and East-Asian text alike (w:ascii, w:hAnsi, w:eastAsia, w:cs)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        fonts.attrib.pop(attribute)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), name)


def _style(document, name: str, *, font: str, size, base: str | None = "Normal", **layout):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = styles[base]
    style.quick_style = True
    _fonts(style.element, font)
    style.font.size = size
    style.font.color.rgb = layout.pop("color", RGBColor(0, 0, 0))
    style.font.bold = layout.pop("bold", False)
    fmt = style.paragraph_format
    fmt.alignment = layout.pop("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if layout.get("line", LINE) else WD_LINE_SPACING.SINGLE
    if layout.get("line", LINE):
        fmt.line_spacing = layout.pop("line", LINE)
    else:
        layout.pop("line")
    fmt.space_before = layout.pop("before", Pt(0))
    fmt.space_after = layout.pop("after", Pt(0))
    fmt.keep_with_next = layout.pop("keep", False)
    fmt.page_break_before = layout.pop("page_break", False)
    fmt.widow_control = False
    _indent(style.element, **layout)
    return style


def _indent(element, *, first=0, left=0, right=0, hanging=0, outline=None, char=CHAR) -> None:
    """Indents in characters (w:firstLineChars …) with the twips Word and LibreOffice fall back to."""
    ppr = element.get_or_add_pPr()
    ppr._remove_ind()
    ind = ppr.get_or_add_ind()
    for key, chars in (("left", left), ("right", right), ("firstLine", first), ("hanging", hanging)):
        if chars:
            ind.set(qn(f"w:{key}Chars"), str(int(chars * 100)))
            ind.set(qn(f"w:{key}"), str(int(chars * char)))
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr_default.find(qn("w:rFonts"))
    for attribute in list(fonts.attrib):
        fonts.attrib.pop(attribute)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FANGSONG)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")

    _style(document, "Normal", font=FANGSONG, size=BODY_SIZE, base=None)
    # Not "正文" or "页码": Chinese Word shows its built-in Normal and Page Number styles by those names.
    _style(document, "公文正文", font=FANGSONG, size=BODY_SIZE, first=2)
    _style(document, "主送机关", font=FANGSONG, size=BODY_SIZE)
    _style(document, "发文机关标志", font=XIAOBIAOSONG, size=ISSUER_SIZE, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER,
           line=None, after=Pt(20))  # fmt: skip
    _style(document, "发文字号", font=FANGSONG, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(document, "公文标题", font=XIAOBIAOSONG, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35),
           before=LINE * 2, after=LINE)  # fmt: skip
    _style(document, "一级标题", font=HEITI, size=BODY_SIZE, first=2, keep=True, outline=0)
    _style(document, "二级标题", font=KAITI, size=BODY_SIZE, first=2, keep=True, outline=1)
    _style(document, "表格文字", font=FANGSONG, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(16))
    _style(document, "表头", font=HEITI, size=TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(16))
    # 13 pt lines: a county's 20 units, the 合计 and its note fit one landscape page.
    _style(document, "附件表格文字", font=FANGSONG, size=ANNEX_TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
           line=Pt(13))  # fmt: skip
    _style(document, "附件表头", font=HEITI, size=ANNEX_TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(13))
    _style(document, "表注", font=FANGSONG, size=PAGE_NUMBER_SIZE, line=Pt(22), before=Pt(4))
    _style(document, "图表", font=FANGSONG, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=None,
           before=Pt(6), after=Pt(6))  # fmt: skip
    # Kept with what follows, so that the signature and date never stand on a page without text.
    _style(document, "附件说明", font=FANGSONG, size=BODY_SIZE, left=5, hanging=3, before=LINE, keep=True)
    _style(document, "附件说明续", font=FANGSONG, size=BODY_SIZE, left=5, keep=True)
    _style(document, "署名", font=FANGSONG, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, right=2, before=LINE,
           keep=True)  # fmt: skip
    _style(document, "成文日期", font=FANGSONG, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
    _style(document, "附注", font=FANGSONG, size=BODY_SIZE, first=2)
    _style(document, "附件标签", font=HEITI, size=BODY_SIZE, page_break=True, keep=True)
    # Kept with the table's header and first row (documents.table_layout keeps those together).
    _style(document, "附件标题", font=XIAOBIAOSONG, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35),
           after=Pt(10), keep=True)  # fmt: skip
    _style(document, "版记", font=FANGSONG, size=PAGE_NUMBER_SIZE, left=1, right=1, char=280)
    _style(document, "公文页码", font=SONGTI, size=PAGE_NUMBER_SIZE, line=None)
    _style(document, "分节", font=FANGSONG, size=Pt(1), line=Pt(1))


# Page numbers -------------------------------------------------------------------------------


def _page_numbers(document) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(paragraph, align) -> None:
    """The page number "— N —", 4号宋体, one character in from the outer edge (GB/T 9704-2012 §7.5)."""
    paragraph.style = "公文页码"
    paragraph.alignment = align
    side = {"right": 1} if align == WD_ALIGN_PARAGRAPH.RIGHT else {"left": 1}
    _indent(paragraph._p, **side, char=280)
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


# The document -------------------------------------------------------------------------------


def add_head(document) -> None:
    """版头: the red issuer, the document number and the red line as wide as the text block."""
    document.add_paragraph("{{ issuer }}", style="发文机关标志")
    number = document.add_paragraph("{{ number }}", style="发文字号")
    _border(number._p.get_or_add_pPr(), {"bottom": 12}, color="FF0000", space=8)


def _body(document) -> None:
    document.add_paragraph("{{ title|title_lines }}", style="公文标题")
    document.add_paragraph("{{ recipients }}", style="主送机关")
    document.add_paragraph("{{ intro }}", style="公文正文")
    document.add_paragraph("一、总体情况", style="一级标题")
    _loop(document, "p in overview", "{{ p }}")
    document.add_paragraph("二、各单位完成情况", style="一级标题")
    document.add_paragraph("{{ ranking_intro }}", style="公文正文").paragraph_format.keep_with_next = True
    _data_table(document, RANKING, "ranking", "表头", "表格文字", margins=RANKING_MARGINS)
    document.add_paragraph("{%p if ranking_note %}", style="表注")
    document.add_paragraph("{{ ranking_note }}", style="表注")
    document.add_paragraph("{%p endif %}", style="表注")
    document.add_paragraph("{{ chart_image }}", style="图表")
    document.add_paragraph("三、表扬", style="一级标题")
    _sections_loop(document, "praise")
    document.add_paragraph("四、存在问题", style="一级标题")
    _sections_loop(document, "problems")
    document.add_paragraph("五、下步要求", style="一级标题")
    document.add_paragraph("{%p for s in next_steps %}", style="公文正文")
    paragraph = document.add_paragraph(style="公文正文")
    _fonts(paragraph.add_run("{{ s.lead }}")._r, KAITI)
    paragraph.add_run("{{ s.text }}")
    document.add_paragraph("{%p endfor %}", style="公文正文")


def _loop(document, head: str, text: str, style: str = "公文正文") -> None:
    document.add_paragraph("{%p for " + head + " %}", style=style)
    document.add_paragraph(text, style=style)
    document.add_paragraph("{%p endfor %}", style=style)


def _sections_loop(document, key: str) -> None:
    document.add_paragraph("{%p for s in " + key + " %}", style="公文正文")
    document.add_paragraph("{{ s.heading }}", style="二级标题")
    _loop(document, "p in s.paragraphs", "{{ p }}")
    document.add_paragraph("{%p endfor %}", style="公文正文")


def add_closing(document) -> None:
    """附件说明, signature and date (GB/T 9704-2012 §7.3.5–7.3.6, not sealed)."""
    document.add_paragraph("附件：1. {{ annex1_title }}", style="附件说明")
    document.add_paragraph("2. {{ annex2_title }}", style="附件说明续")
    document.add_paragraph("{{ signature }}", style="署名")
    document.add_paragraph("{{ date }}", style="成文日期")
    add_note(document)


def add_note(document) -> None:
    """附注 one line below the date, two characters in, in brackets (GB/T 9704-2012 §7.3.7):
    the contact and phone, when the context names them."""
    document.add_paragraph("{%p if contact %}", style="附注")
    document.add_paragraph("{{ contact }}", style="附注").paragraph_format.space_before = LINE
    document.add_paragraph("{%p endif %}", style="附注")


def add_annex(
    document, number: int, title: str, columns, key: str, *, landscape: bool, grouped=None, switch: str = ""
) -> None:
    """附件N on a new page (its own section, landscape when asked), its title, and a table of
    `columns` ((label, field, width in points), …) with one row per item of the context's `key`;
    with `grouped`, the table of those columns instead when the context's `switch` (by default
    `annex<N>_grouped`) is true."""
    document.add_section(WD_SECTION.NEW_PAGE)
    _section_break_paragraph(document)
    _page(document.sections[-1], LANDSCAPE if landscape else PORTRAIT, landscape=landscape)
    document.add_paragraph(f"附件{number}", style="附件标签")
    document.add_paragraph(title, style="附件标题")
    if grouped is None:
        _data_table(document, columns, key, "附件表头", "附件表格文字")
        return
    document.add_paragraph(f"{{%p if {switch or f'annex{number}_grouped'} %}}", style="附件表格文字")
    _data_table(document, grouped, key, "附件表头", "附件表格文字")
    document.add_paragraph("{%p else %}", style="附件表格文字")
    _data_table(document, columns, key, "附件表头", "附件表格文字")
    document.add_paragraph("{%p endif %}", style="附件表格文字")


def _section_break_paragraph(document) -> None:
    """The empty paragraph python-docx adds to carry the previous section's end: keep it 1 pt high."""
    body = document.element.body
    paragraphs = body.findall(qn("w:p"))
    holder = paragraphs[-1]
    ppr = holder.get_or_add_pPr()
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), document.styles["分节"].style_id)
    ppr.insert(0, style)


# Tables -------------------------------------------------------------------------------------


def _data_table(document, columns, key: str, head_style: str, cell_style: str, *, margins: int = 57) -> None:
    """A bordered table the width of the text block: a header row repeated on every page, then
    one row per item of `key` (docxtpl's {%tr for %} rows); `margins`: each cell's left and
    right margin in twips."""
    table = document.add_table(rows=4, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_frame(table, [Pt(width) for _, _, width in columns], borders={"all": 4}, margins=margins)
    header, opening, row, closing = table.rows
    _repeat_header(header)
    for cell, (_, field, _) in zip(row.cells, columns, strict=True):
        cell.paragraphs[0].text = "{{ r." + field + " }}"
        cell.paragraphs[0].style = cell_style
    for cell, (label, _, _) in zip(header.cells, columns, strict=True):
        cell.paragraphs[0].text = label
        cell.paragraphs[0].style = head_style
    opening.cells[0].paragraphs[0].text = "{%tr for r in " + key + " %}"
    closing.cells[0].paragraphs[0].text = "{%tr endfor %}"
    for tag_row in (opening, closing):
        for cell in tag_row.cells:
            cell.paragraphs[0].style = cell_style
    for table_row in (header, row):
        _cant_split(table_row)
        for cell in table_row.cells:
            _cell_vertical_centre(cell)


def _table_frame(table, widths, *, borders: dict, margins: int = 57) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    for name in ("w:tblW", "w:tblBorders", "w:tblCellMar"):
        for old in tbl_pr.findall(qn(name)):
            tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.insert_element_before(width, *TBLPR_ORDER[TBLPR_ORDER.index("w:tblW") + 1 :])
    _table_borders(tbl_pr, borders)
    cell_margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(margins))
        margin.set(qn("w:type"), "dxa")
        cell_margins.append(margin)
    tbl_pr.insert_element_before(cell_margins, *TBLPR_ORDER[TBLPR_ORDER.index("w:tblCellMar") + 1 :])
    for grid_col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _table_borders(tbl_pr, borders: dict) -> None:
    element = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        size = borders.get(side, borders.get("all", 0))
        border = OxmlElement(f"w:{side}")
        border.set(qn("w:val"), "single" if size else "nil")
        if size:
            border.set(qn("w:sz"), str(size))
            border.set(qn("w:space"), "0")
            border.set(qn("w:color"), "000000")
        element.append(border)
    tbl_pr.insert_element_before(element, *TBLPR_ORDER[TBLPR_ORDER.index("w:tblBorders") + 1 :])


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.insert(0, OxmlElement("w:cantSplit"))


def _cell_vertical_centre(cell) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "center")
    tc_pr.append(align)


def _border(ppr, sizes: dict[str, int], *, color: str, space: int) -> None:
    borders = OxmlElement("w:pBdr")
    for side, size in sizes.items():
        if size:
            border = OxmlElement(f"w:{side}")
            for name, value in (("val", "single"), ("sz", str(size)), ("space", str(space)), ("color", color)):
                border.set(qn(f"w:{name}"), value)
            borders.append(border)
    ppr.insert_element_before(borders, *AFTER_BORDERS)


# 版记 ---------------------------------------------------------------------------------------


def add_colophon(document, *, landscape: bool = False) -> None:
    """版记: 抄送 (when given) and 印发机关和印发日期 between separator lines as wide as the text
    block (thick first and last lines, thin between), each line a frame placed on the page so that
    the last one ends at the foot of the text block of the last page.

    Frames at fixed places rather than a floating table: LibreOffice keeps a full-width floating
    table in the text flow, and groups framed paragraphs only when their borders are identical.
    `landscape`: the last page is a landscape annex's.
    """
    foot = A4_SHORT - LANDSCAPE["bottom"] if landscape else A4_LONG - PORTRAIT["bottom"]
    width = LANDSCAPE_TEXT_WIDTH if landscape else TEXT_WIDTH
    document.add_paragraph("{%p if cc %}", style="公文正文")
    cc = "抄送：{{ cc }}{% if not cc.endswith('。') %}。{% endif %}"
    _colophon_line(document, cc, foot - 2 * LINE, width, top=8)
    _colophon_line(document, "{{ printer }}\t{{ print_date }}", foot - LINE, width, top=6, bottom=8)
    document.add_paragraph("{%p else %}", style="公文正文")
    _colophon_line(document, "{{ printer }}\t{{ print_date }}", foot - LINE, width, top=8, bottom=8)
    document.add_paragraph("{%p endif %}", style="公文正文")


def _colophon_line(document, text: str, top_edge: int, width: int, *, top: int = 0, bottom: int = 0) -> None:
    paragraph = document.add_paragraph(text, style="版记")
    paragraph.paragraph_format.tab_stops.add_tab_stop(width - Pt(14), WD_TAB_ALIGNMENT.RIGHT)
    ppr = paragraph._p.get_or_add_pPr()
    frame = OxmlElement("w:framePr")
    place = {"w": width, "h": LINE, "hRule": "exact", "wrap": "notBeside", "vAnchor": "page",
             "hAnchor": "margin", "xAlign": "center", "y": top_edge}  # fmt: skip
    for name, value in place.items():
        frame.set(qn(f"w:{name}"), value if isinstance(value, str) else str(round(Emu(value).twips)))
    ppr.insert_element_before(frame, *AFTER_FRAME)
    _border(ppr, {"top": top, "bottom": bottom}, color="000000", space=0)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "通报.docx"
    build(out)
    print(f"wrote {out}")
