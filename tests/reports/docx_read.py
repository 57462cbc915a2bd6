"""Reading a generated DOCX back: the font and size that apply to a paragraph's text, resolved the way Word
does it (run properties, then the paragraph style and the styles it is based on, then the document
defaults), and the section and settings values the layout tests check."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load(data: bytes) -> DocumentType:
    return Document(io.BytesIO(data))


@dataclass
class Face:
    east_asia: str | None
    ascii: str | None
    size_pt: float | None
    theme: bool  # a theme font attribute is present somewhere on the way (it would win over the name)


def _rpr_chain(doc: DocumentType, p: Paragraph, run: Any | None) -> list[Any]:
    chain = []
    if run is not None and run._r.rPr is not None:
        chain.append(run._r.rPr)
    style = p.style
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None:
            chain.append(rpr)
        style = style.base_style
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    chain.append(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    return chain


def face(doc: DocumentType, p: Paragraph, run: Any | None = None) -> Face:
    """The effective East Asian font, ASCII font and size of ``run`` (default: the paragraph's first)."""
    if run is None and p.runs:
        run = p.runs[0]
    east = asc = None
    size = None
    theme = False
    for rpr in _rpr_chain(doc, p, run):
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            theme = theme or any(k.endswith("Theme") or k.endswith("theme") for k in fonts.attrib)
            east = east or fonts.get(qn("w:eastAsia"))
            asc = asc or fonts.get(qn("w:ascii"))
        sz = rpr.find(qn("w:sz"))
        if size is None and sz is not None:
            size = int(sz.get(qn("w:val"))) / 2
    return Face(east, asc, size, theme)


def style_ppr(doc: DocumentType, name: str) -> Any:
    return doc.styles[name].element.pPr


def text_of(doc: DocumentType) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def table_with_header(doc: DocumentType, header: list[str]) -> Table:
    for t in doc.tables:
        if [c.text for c in t.rows[0].cells] == header:
            return t
    raise AssertionError(f"no table with header {header}")


def rows_of(t: Table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in t.rows[1:]]


def sect(doc: DocumentType) -> Any:
    return doc.sections[0]._sectPr


def attr(el: Any, name: str) -> str | None:
    return None if el is None else el.get(qn(name))
