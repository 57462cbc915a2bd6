"""GB/T 9704-2012 page layout for python-docx: page, fonts, grid, headings, page numbers, tables, pictures.

What the standard asks, in docx terms (values from ``shared/reference/gongwen-format.md``):

- A4 (11906×16838 twips); 天头 37 mm (2098 tw), 订口 28 mm (1588 tw), right 26 mm (1474 tw), bottom 35 mm
  (1984 tw). The 订口 is the binding side, so margins are mirrored: on even pages it is on the right.
- 22 lines on the 225 mm text area: exactly 579 twips per line (``w:spacing w:line="579" exact``) and a
  ``w:docGrid`` of type ``lines`` with the same pitch. 28 characters of 3号 need 15.79 pt each on the 156 mm
  line: the text is condensed by 0.25 pt (``w:spacing w:val="-5"`` on the run properties). A
  ``linesAndChars`` grid would say the same to Word, but LibreOffice lays such a grid out at half the
  characters per line (seen when rendering), so the portable condensing is used instead.
- Title 二号 方正小标宋简体; body 三号 仿宋_GB2312 (the 2017 outline: 小三); headings 一、 黑体, （一） 楷体_GB2312,
  1. and （1） in the body font; every paragraph, heading included, indented two characters.
- Page numbers 四号 宋体 "— 1 —": odd pages right (空一字), even pages left (空一字), none on the first page.
- Tables 宋体五号, single-spaced and not snapped to the body grid (or each table line would take 28.95 pt).

Fonts are written by their official names into ``w:eastAsia`` (and ascii/hAnsi, as the standard wants
digits in the same face); no font is embedded. The font table gets charset 86 (GB2312) and a PANOSE value
for each, so that Word on a PC without them substitutes a Chinese face. Rendering on Linux maps the names
to free fonts through ``fontconfig/fonts.conf`` (tests only); the document never names the stand-ins.

A module of helpers over python-docx's XML: no data, no wording; ``annual`` and ``notice`` compose them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from docx.text.paragraph import Paragraph

TWIPS_PER_MM = 1440 / 25.4

# GB/T 9704 §5.2.1, in twips (rounded as the public templates do)
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_INSIDE, MARGIN_OUTSIDE, MARGIN_BOTTOM = 2098, 1588, 1474, 1984
TEXT_WIDTH_MM = 156.0
LINE_PITCH = 579  # 225 mm / 22 lines, in twips
# From the page's bottom edge to the page-number line: the dash's top lands about 7 mm below the text area
# (measured on LibreOffice's PDF; Word places the footer text the same way).
FOOTER_DISTANCE = round(22 * TWIPS_PER_MM)

SIZE = {"二号": 22.0, "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5}

# charset 86 = GB2312; PANOSE values as real Chinese documents carry them (方正小标宋简体: a 宋-like guess)
_FONT_TABLE = {
    "仿宋_GB2312": ("02010609030101010101", "modern", "fixed"),
    "仿宋": ("02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("02010609030101010101", "modern", "fixed"),
    "楷体": ("02010609060101010101", "modern", "fixed"),
    "黑体": ("02010609060101010101", "modern", "fixed"),
    "宋体": ("02010600030101010101", "auto", "variable"),
    "方正小标宋简体": ("02010600030101010101", "auto", "variable"),
}


@dataclass(frozen=True, slots=True)
class Layout:
    """Fonts and sizes of one template; ``bold_headings`` is a house rule some offices add (default off)."""

    name: str = "gbt9704"
    body_font: str = "仿宋_GB2312"
    body_size: float = SIZE["三号"]
    title_font: str = "方正小标宋简体"
    title_size: float = SIZE["二号"]
    h1_font: str = "黑体"
    h2_font: str = "楷体_GB2312"
    table_font: str = "宋体"
    table_size: float = SIZE["五号"]
    page_number_font: str = "宋体"
    page_number_size: float = SIZE["四号"]
    chars_per_line: int | None = 28
    bold_headings: bool = False

    @property
    def condense_twips(self) -> int:
        """Character spacing (twentieths of a point, ≤ 0) that fits ``chars_per_line`` on the text width."""
        if not self.chars_per_line:
            return 0
        per_char = TEXT_WIDTH_MM / 25.4 * 72 / self.chars_per_line
        # rounded down to a whole twentieth, so that the 28th character always fits
        return min(0, math.floor((per_char - self.body_size) * 20))

    def heading_font(self, level: int) -> str:
        """一、 黑体; （一） 楷体 (the 楷体 that goes with the chosen 仿宋); 1. and （1） the body font."""
        if level == 1:
            return self.h1_font
        if level == 2:
            return "楷体_GB2312" if self.body_font.endswith("_GB2312") else "楷体"
        return self.body_font


TEMPLATES: dict[str, Layout] = {
    "gbt9704": Layout(),
    # 国科创函〔2017〕3号 编写提纲: 正文 仿宋_GB2312 小三, 表格 宋体五号; no characters-per-line rule
    "outline2017": Layout(name="outline2017", body_size=SIZE["小三"], chars_per_line=None),
}
BODY_FONTS = ("仿宋_GB2312", "仿宋")


def layout_for(template: str, body_font: str | None = None) -> Layout:
    """The layout of ``template`` with the body font a city uses (仿宋_GB2312 or 仿宋)."""
    base = TEMPLATES[template]
    return replace(base, body_font=body_font) if body_font else base


# ---------------------------------------------------------------------- low-level XML


def set_run_fonts(rpr: Any, font: str) -> None:
    """Name ``font`` for every script of a run or style, dropping theme fonts (they would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _child(parent: Any, tag: str) -> Any:
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def _style_rpr(style: Any, font: str, size: float, *, bold: bool = False, condense: int = 0) -> None:
    rpr = style.element.get_or_add_rPr()
    for el in list(rpr):
        rpr.remove(el)
    set_run_fonts(rpr, font)
    if bold:
        rpr.append(OxmlElement("w:b"))
    color = OxmlElement("w:color")  # schema order: rFonts, b, color, spacing, sz, szCs, lang
    color.set(qn("w:val"), "000000")
    rpr.append(color)
    if condense:
        sp = OxmlElement("w:spacing")
        sp.set(qn("w:val"), str(condense))
        rpr.append(sp)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(round(size * 2)))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _style_ppr(
    style: Any,
    *,
    first_line_chars: int = 0,
    size: float,
    align: str = "both",
    line: int | None = LINE_PITCH,
    outline: int | None = None,
    keep_next: bool = False,
    snap: bool = True,
) -> None:
    ppr = style.element.get_or_add_pPr()
    for el in list(ppr):
        ppr.remove(el)
    if keep_next:
        ppr.append(OxmlElement("w:keepNext"))
    # no hanging punctuation (ECMA-376 §17.3.1.21: val 0 = punctuation may not extend past the line), so a
    # line-end 、，。 stays in the 版心 in Word and WPS. LibreOffice 7.4 reads this value the other way round
    # and hangs such a mark into the margin; the rendering tests allow exactly that one mark.
    punct = OxmlElement("w:overflowPunct")
    punct.set(qn("w:val"), "0")
    ppr.append(punct)
    if not snap:
        el = OxmlElement("w:snapToGrid")
        el.set(qn("w:val"), "0")
        ppr.append(el)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    if line is not None:
        spacing.set(qn("w:line"), str(line))
        spacing.set(qn("w:lineRule"), "exact")
    else:
        spacing.set(qn("w:line"), "240")
        spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)
    ind = OxmlElement("w:ind")
    ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
    ind.set(qn("w:firstLine"), str(round(first_line_chars * size * 20)))
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    ppr.append(jc)
    if outline is not None:
        el = OxmlElement("w:outlineLvl")
        el.set(qn("w:val"), str(outline))
        ppr.append(el)


# ---------------------------------------------------------------------- the document


STYLE_TITLE, STYLE_TABLE, STYLE_NOTE, STYLE_CAPTION, STYLE_PAGE = "Title", "表格", "表注", "Caption", "页码"


def new_document(layout: Layout) -> Document:
    """An empty document with the page, grid, styles, font table and odd/even page numbers of ``layout``."""
    doc = new_docx()
    _page(doc, layout)
    _styles(doc, layout)
    _font_table(doc, layout)
    _page_numbers(doc, layout)
    # the default template starts with one empty paragraph; the caller's first paragraph replaces it
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def _page(doc: Document, layout: Layout) -> None:
    sec = doc.sections[0]
    sec.start_type = WD_SECTION.NEW_PAGE
    sec.page_width, sec.page_height = Twips(PAGE_W), Twips(PAGE_H)
    sec.top_margin, sec.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    sec.left_margin, sec.right_margin = Twips(MARGIN_INSIDE), Twips(MARGIN_OUTSIDE)
    sec.header_distance, sec.footer_distance = Twips(round(15 * TWIPS_PER_MM)), Twips(FOOTER_DISTANCE)
    sec.gutter = Twips(0)
    grid = _child(sec._sectPr, "w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    settings = doc.settings.element
    # mirrored margins: the 订口 (binding side) is inside on both faces of a double-sided print. Word
    # checks the schema's element order, so it goes where CT_Settings puts it (after w:zoom).
    if settings.find(qn("w:mirrorMargins")) is None:
        zoom = settings.find(qn("w:zoom"))
        mirror = OxmlElement("w:mirrorMargins")
        if zoom is not None:
            zoom.addnext(mirror)
        else:
            settings.insert(0, mirror)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True


def _styles(doc: Document, layout: Layout) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_run_fonts(rpr, layout.body_font)
    lang = _child(rpr, "w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = _child(ppr, "w:spacing")
    spacing.set(qn("w:after"), "0")

    size = layout.body_size
    normal = styles["Normal"]
    _style_rpr(normal, layout.body_font, size, condense=layout.condense_twips)
    _style_ppr(normal, first_line_chars=2, size=size)
    normal.element.get_or_add_pPr().insert(0, parse_xml(f"<w:widowControl {nsdecls('w')}/>"))

    title = styles[STYLE_TITLE]
    _style_rpr(title, layout.title_font, layout.title_size)
    _style_ppr(title, size=layout.title_size, align="center", line=None, keep_next=True)
    _child(title.element.get_or_add_pPr(), "w:spacing").set(qn("w:after"), str(LINE_PITCH))

    for level in (1, 2, 3, 4):
        st = styles[f"Heading {level}"]
        _style_rpr(st, layout.heading_font(level), size, bold=layout.bold_headings and level in (2, 3),
                   condense=layout.condense_twips)
        _style_ppr(st, first_line_chars=2, size=size, outline=level - 1, keep_next=True)

    from docx.enum.style import WD_STYLE_TYPE

    for name, font, sz, align in (
        (STYLE_TABLE, layout.table_font, layout.table_size, "center"),
        (STYLE_NOTE, layout.table_font, layout.table_size, "both"),
        (STYLE_PAGE, layout.page_number_font, layout.page_number_size, "right"),
    ):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _style_rpr(st, font, sz)
        _style_ppr(st, size=sz, align=align, line=None, snap=False)
    caption = styles[STYLE_CAPTION]
    _style_rpr(caption, layout.h1_font, layout.table_size + 1.5)
    _style_ppr(caption, size=size, align="center", line=None, keep_next=True, snap=False)


def _font_table(doc: Document, layout: Layout) -> None:
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = parse_xml(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    names = [layout.body_font, layout.title_font, layout.h1_font, layout.heading_font(2), layout.table_font,
             layout.page_number_font]
    for name in dict.fromkeys(names):
        if name in have or name not in _FONT_TABLE:
            continue
        panose, family, pitch = _FONT_TABLE[name]
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        ))
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _field(paragraph: Paragraph, instr: str) -> None:
    """A complex field (``PAGE``) in its own runs, showing 1 until the viewer computes it."""
    def run_with(el: Any) -> None:
        r = paragraph.add_run()
        r._r.append(el)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instr} "
    run_with(code)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run("1")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_numbers(doc: Document, layout: Layout) -> None:
    """"— N —" outside (odd right, even left, each 空一字 from the edge of the text area); none on page 1."""
    sec = doc.sections[0]
    sec.different_first_page_header_footer = True
    sec.first_page_footer.is_linked_to_previous = False  # an empty footer of its own
    one_char = Pt(layout.page_number_size)
    for footer, align in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = doc.styles[STYLE_PAGE]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = one_char
        else:
            p.paragraph_format.left_indent = one_char
        p.add_run("— ")
        _field(p, "PAGE")
        p.add_run(" —")
