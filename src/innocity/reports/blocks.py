"""Building blocks of a 公文 body on a document from ``gongwen.new_document``: title, headings, paragraphs,
highlighted placeholders, captions, notes, ruled tables and pictures. The styles they use carry the fonts
and sizes (``gongwen``); these helpers only choose the style and the few direct settings a block needs.
"""

from __future__ import annotations

import io
from typing import Any

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from .gongwen import STYLE_CAPTION, STYLE_NOTE, STYLE_TABLE, STYLE_TITLE, TWIPS_PER_MM


def title(doc: Document, text: str) -> Paragraph:
    """The document title (二号小标宋, centred, one blank line after it)."""
    return doc.add_paragraph(text, style=STYLE_TITLE)


def heading(doc: Document, text: str, level: int) -> Paragraph:
    """A numbered heading (the caller writes 一、/（一）/1./（1）); carries outline level ``level - 1``."""
    return doc.add_paragraph(text, style=f"Heading {level}")


def para(doc: Document, text: str = "", *, indent: bool = True, align: str | None = None) -> Paragraph:
    """A body paragraph, indented two characters unless ``indent`` is false."""
    p = doc.add_paragraph(text)
    if not indent:
        p.paragraph_format.first_line_indent = Pt(0)
        _no_chars_indent(p)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    return p


def _no_chars_indent(p: Paragraph) -> None:
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "0")


def mark(p: Paragraph, text: str, *, highlight: bool = True, bold: bool = False) -> Any:
    """Append ``text`` to ``p`` highlighted (placeholders a person must fill in, warnings)."""
    run = p.add_run(text)
    run.bold = bold or None
    if highlight:
        rpr = run._r.get_or_add_rPr()
        hl = OxmlElement("w:highlight")
        hl.set(qn("w:val"), "yellow")
        rpr.append(hl)
    return run


def placeholder(doc: Document, prompt: str) -> Paragraph:
    """A visible 【待补充：…】 paragraph, highlighted so that it cannot go out unnoticed."""
    p = doc.add_paragraph()
    mark(p, f"【待补充：{prompt}】")
    return p


def caption(doc: Document, text: str, *, above: bool = True) -> Paragraph:
    """A table title (``above``: kept with the table below it) or a figure title (below the picture)."""
    p = doc.add_paragraph(text, style=STYLE_CAPTION)
    p.paragraph_format.keep_with_next = above
    if above:
        p.paragraph_format.space_before = Pt(6)
    else:
        p.paragraph_format.space_after = Pt(6)
    return p


def note(doc: Document, text: str) -> Paragraph:
    """A note under a table or chart (表注, 宋体五号)."""
    return doc.add_paragraph(text, style=STYLE_NOTE)


def _new_table(doc: Document, rows: int, widths_mm: list[float]) -> Table:
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # a fixed layout (w:tblLayout), so that Word and LibreOffice agree on the widths
    # 0.8 mm cell padding instead of Word's 1.9 mm: a 13 mm column then holds three characters of 五号.
    # Schema order: tblCellMar comes after tblLayout and before tblLook.
    t._tbl.tblPr.find(qn("w:tblLayout")).addnext(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="45" w:type="dxa"/><w:right w:w="45" w:type="dxa"/>'
        "</w:tblCellMar>"
    ))
    for col, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(w * TWIPS_PER_MM)))
    widths = [Mm(w) for w in widths_mm]
    for row in t.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    return t


def _fill(cell: Any, value: str, *, style: str, align: WD_ALIGN_PARAGRAPH | None, bold: bool) -> None:
    """Write ``value`` into ``cell`` in the paragraph style whose id is ``style``; "\n" is a line break.

    The style id is set on the XML directly: python-docx's ``paragraph.style = …`` looks the style up among
    all styles on every call, which was most of the time of a 60-row table."""
    p = cell.paragraphs[0]
    p._p.style = style
    if align is not None:
        p.alignment = align
    for k, part in enumerate(value.split("\n")):
        run = p.add_run(part)
        if k:
            run._r.insert(0, OxmlElement("w:br"))
        if bold:
            run.bold = True


def table(
    doc: Document,
    header: list[str],
    rows: list[list[str]],
    *,
    widths_mm: list[float],
    left_cols: frozenset[int] = frozenset(),
) -> Table:
    """A ruled table in 宋体五号 whose header row repeats on every page; columns ``left_cols`` are
    left-aligned (text), the others centred. Widths are fixed so that Word and LibreOffice agree."""
    t = _new_table(doc, 1 + len(rows), widths_mm)
    style = doc.styles[STYLE_TABLE].style_id
    for r_i, values in enumerate([header, *rows]):
        row = t.rows[r_i]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row is never split across pages
        if r_i == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        cells = row.cells  # python-docx rebuilds this list on every access
        for c_i, value in enumerate(values):
            left = bool(r_i) and c_i in left_cols
            _fill(cells[c_i], value, style=style, align=WD_ALIGN_PARAGRAPH.LEFT if left else None,
                  bold=r_i == 0)
    return t


def form(doc: Document, rows: list[list[str | None]], *, widths_mm: list[float],
         min_height_mm: dict[int, float] | None = None) -> Table:
    """A form: label cells (even columns) in bold and centred, content cells left-aligned. ``None`` in a
    row merges that cell into the one before it; ``min_height_mm`` gives rows room to write in by hand."""
    t = _new_table(doc, len(rows), widths_mm)
    style = doc.styles[STYLE_TABLE].style_id
    for r_i, values in enumerate(rows):
        row = t.rows[r_i]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        tall = bool(min_height_mm and r_i in min_height_mm)
        if min_height_mm and tall:
            row.height = Mm(min_height_mm[r_i])
        start = 0
        for c_i, value in enumerate(values):
            if value is None:
                row.cells[start].merge(row.cells[c_i])
                continue
            start = c_i
            label = c_i % 2 == 0
            _fill(row.cells[c_i], value, style=style,
                  align=WD_ALIGN_PARAGRAPH.CENTER if label else WD_ALIGN_PARAGRAPH.LEFT, bold=label)
            # labels centred; the content of a row left room for handwriting starts at the top
            top = tall and not label
            row.cells[c_i].vertical_alignment = (WD_CELL_VERTICAL_ALIGNMENT.TOP if top
                                                 else WD_CELL_VERTICAL_ALIGNMENT.CENTER)
    return t


def picture(doc: Document, png: bytes, *, width_mm: float) -> Paragraph:
    """A centred picture (a chart), ``width_mm`` wide, on a paragraph that does not snap to the grid; it
    keeps with the next paragraph, its caption (图题 go below a figure, 表题 above a table)."""
    p = doc.add_paragraph(style=STYLE_TABLE)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm))
    return p


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
