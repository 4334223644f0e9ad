"""The rows of a Word template's tables, rendered apart from the rest of the document.

docxtpl renders a whole document as one string and then swaps the parsed result into the
document (its `map_tree`), which for a table of a few thousand rows took more than a minute. A
table row loop of the plain form the templates use (a row holding only `{%tr for r in KEY %}`,
one model row, a row holding only `{%tr endfor %}`) is taken out of the template before docxtpl
renders it, with a marker row in its place; the model row is then rendered for every item of
`KEY`, with the same jinja environment and docxtpl's own clean-up of the row's XML, parsed once
and put where the marker is. The output is the same as docxtpl's own. A loop of another form
(a condition in the model row, several model rows) is left to docxtpl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

_OPENING = re.compile(r"\{%tr for r in ([A-Za-z_][A-Za-z0-9_]*) %\}")
_CLOSING = "{%tr endfor %}"
# The start tag of a serialized row: its namespace declarations go on the wrapper it is parsed in.
_START_TAG = re.compile(r"^<w:tr\b[^>]*?(/?)>")
_DECLARATION = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_LISTING = "\t\a\n\f"  # what docxtpl's resolve_listing turns into tabs, paragraphs and breaks


@dataclass(frozen=True)
class RowLoop:
    """A table row loop taken out of the template: the context key it loops over, the model
    row's XML and the marker standing in its place."""

    key: str
    model: str
    marker: str
    namespaces: dict[str | None, str]


def take_row_loops(template: DocxTemplate, context: dict) -> list[RowLoop]:
    """Replaces each plain row loop over a list of `context` in the template's body with a marker
    row; the loops taken, for `put_rows` after docxtpl rendered the rest."""
    loops: list[RowLoop] = []
    body = template.get_docx().element.body
    for table in list(body.iter(qn("w:tbl"))):
        rows = table.findall(qn("w:tr"))
        for opening, model, closing in zip(rows, rows[1:], rows[2:], strict=False):
            found = _OPENING.fullmatch(_text(opening))
            if found is None or _text(closing) != _CLOSING or "{%" in _text(model):
                continue
            key = found.group(1)
            if not isinstance(context.get(key), list) or opening.getparent() is None:
                continue
            marker = f"@@docx-rows-{len(loops)}@@"
            loops.append(RowLoop(key, etree.tostring(model, encoding="unicode"), marker, dict(table.nsmap)))
            _mark(closing, marker)
            table.remove(opening)
            table.remove(model)
    return loops


def put_rows(template: DocxTemplate, loops: list[RowLoop], context: dict, env: jinja2.Environment) -> None:
    """Renders each loop's rows (jinja `env`, the whole `context` in scope as in docxtpl) in
    place of its marker row.

    Raises:
        jinja2.TemplateError: a model row that does not render.
    """
    if not loops:
        return
    markers = {loop.marker: loop for loop in loops}
    body = template.docx.element.body
    for row in [r for r in body.iter(qn("w:tr")) if _text(r) in markers]:
        loop = markers[_text(row)]
        for made in _rendered_rows(template, loop, context, env):
            row.addprevious(made)
        row.getparent().remove(row)


def _rendered_rows(template: DocxTemplate, loop: RowLoop, context: dict, env: jinja2.Environment) -> list:
    model = _START_TAG.sub(lambda tag: _DECLARATION.sub("", tag.group(0)), loop.model, count=1)
    source = "{% for r in " + loop.key + " %}" + template.patch_xml(model) + "{% endfor %}"
    rendered = env.from_string(source).render(context)
    # docxtpl's own steps after jinja: its escapes of literal braces, then tabs and line breaks
    rendered = rendered.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(char in rendered for char in _LISTING):  # it rewrites every run: only when it changes some
        rendered = template.resolve_listing(rendered)
    declarations = "".join(
        f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"' for prefix, uri in loop.namespaces.items()
    )
    return list(parse_xml(f"<w:rows{declarations}>{rendered}</w:rows>"))


def _text(row) -> str:
    return "".join(text.text or "" for text in row.iter(qn("w:t"))).strip()


def _mark(row, marker: str) -> None:
    """The row's first text becomes the marker, every other text of it is emptied."""
    texts = list(row.iter(qn("w:t")))
    for text in texts:
        text.text = ""
    texts[0].text = marker
