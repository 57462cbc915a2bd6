"""DOCX: paragraphs and tables in order, Word's automatic numbering written out, damaged files refused."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from innocity.errors import DocumentError
from innocity.parsing.readers import MEDIA_DOCX, read_document
from innocity.parsing.readers.numerals import chinese_counting, format_number


def test_numbering_tables_and_order_match_the_typed_text(docs, build) -> None:
    doc = read_document(docs["plan.docx"].read_bytes(), "plan.docx")
    assert doc.media_type == MEDIA_DOCX
    # The headings carry no typed numbers: 一、 and （一） come from numbering.xml; "List Number" style
    # numbering comes from styles.xml.
    assert doc.text == build.plan_text() + "\n\n1. 附：重点指标"


def test_duty_table_reads_line_by_line(docs) -> None:
    text = read_document(docs["plan.docx"].read_bytes(), "plan.docx").text
    assert "任务\t牵头单位\t配合单位\n建设湘江实验室株洲基地\t市科技局\t市发改委、市财政局\n" in text


def _doc_with_levels(
    levels: list[tuple[str, str, str]], items: list[tuple[int, str]], *, start_override: int | None = None
) -> bytes:
    """A document with one multi-level list (numFmt, lvlText per level) and the given (ilvl, text) items."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/>{extra}<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{txt}"/>'
        f'<w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, txt, extra) in enumerate(levels)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77">{lvls}</w:abstractNum>')
    numbering.find(qn("w:num")).addprevious(abstract)
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start_override}"/></w:lvlOverride>'
        if start_override
        else ""
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/>{override}</w:num>')
    )
    for ilvl, text in items:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="77"/></w:numPr>')
        )
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_chapter_and_legal_numbering_restart_per_parent() -> None:
    data = _doc_with_levels(
        [
            ("chineseCounting", "第%1章 ", ""),
            ("decimal", "%1.%2 ", "<w:isLgl/>"),
            ("decimalEnclosedCircle", "%3", ""),
        ],
        [
            (0, "总则"),
            (1, "目的"),
            (1, "依据"),
            (2, "科技部文件"),
            (2, "省政府文件"),
            (0, "目标"),
            (1, "总体目标"),
            (2, "研发投入"),
        ],
    )
    lines = read_document(data, "chapters.docx").text.split("\n\n")
    assert lines == [
        "第一章 总则",
        "1.1 目的",
        "1.2 依据",
        "①科技部文件",
        "②省政府文件",
        "第二章 目标",
        "2.1 总体目标",
        "①研发投入",
    ]


def test_without_is_lgl_word_keeps_the_parent_format() -> None:
    data = _doc_with_levels(
        [("chineseCounting", "%1、", ""), ("decimal", "%1.%2", "")], [(0, "目标"), (1, "总体目标")]
    )
    assert read_document(data, "x.docx").text == "一、目标\n\n一.1总体目标"


def test_start_override_and_parenthesised_decimal() -> None:
    data = _doc_with_levels([("decimal", "（%1）", "")], [(0, "第一项"), (0, "第二项")], start_override=5)
    assert read_document(data, "o.docx").text == "（5）第一项\n\n（6）第二项"


def test_instances_of_one_list_continue_and_a_start_override_restarts() -> None:
    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="60"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl></w:abstractNum>'
    )
    numbering.find(qn("w:num")).addprevious(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="61"><w:abstractNumId w:val="60"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="62"><w:abstractNumId w:val="60"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="63"><w:abstractNumId w:val="60"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    for num_id, text in [
        ("61", "总体要求"),
        ("62", "主要目标"),
        ("61", "重点任务"),
        ("63", "附则甲"),
        ("63", "附则乙"),
    ]:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
    buf = io.BytesIO()
    d.save(buf)
    assert read_document(buf.getvalue(), "shared.docx").text.split("\n\n") == [
        "一、总体要求",
        "二、主要目标",
        "三、重点任务",
        "一、附则甲",
        "二、附则乙",
    ]


def test_eleventh_item_in_chinese_counting() -> None:
    data = _doc_with_levels([("chineseCounting", "%1、", "")], [(0, f"任务{i}") for i in range(1, 13)])
    lines = read_document(data, "many.docx").text.split("\n\n")
    assert lines[9:] == ["十、任务10", "十一、任务11", "十二、任务12"]


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1001, "一千零一"),
    ],
)
def test_chinese_counting(n, expected) -> None:
    assert chinese_counting(n) == expected


def test_other_formats() -> None:
    assert [
        format_number(3, f) for f in ("lowerLetter", "upperRoman", "ideographTraditional", "decimalFullWidth")
    ] == [
        "c",
        "III",
        "丙",
        "３",
    ]


def test_truncated_docx_is_refused(docs) -> None:
    with pytest.raises(DocumentError, match="truncated or corrupt DOCX"):
        read_document(docs["truncated.docx"].read_bytes(), "truncated.docx")


def test_zip_that_is_not_a_word_document() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentError, match="not a Word document"):
        read_document(buf.getvalue(), "sheet.docx")


def test_word_97_file_is_refused_with_advice() -> None:
    with pytest.raises(DocumentError, match=r"save it as \.docx"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.doc")


def test_rtf_and_word_web_pages_under_a_word_name() -> None:
    with pytest.raises(DocumentError, match="RTF"):
        read_document(rb"{\rtf1\ansi \u21019?}", "plan.doc")
    page = "<html><body><p>到2025年，高新技术企业达到500家。</p></body></html>".encode()
    doc = read_document(page, "plan.docx")
    assert doc.media_type == "text/html"
    assert doc.text == "到2025年，高新技术企业达到500家。"
    assert doc.warnings == ["named .docx but is an HTML page: read as HTML"]


def test_heading_styles_numbered_through_a_numbering_style_link() -> None:
    # The common template layout: 标题 1/2 carry numPr to an abstractNum that only says numStyleLink,
    # and the linked numbering style's list holds the levels.
    d = docx.Document()
    numbering = d.part.numbering_part.element
    first = numbering.find(qn("w:num"))
    first.addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="50"><w:styleLink w:val="HeadingList"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
            '<w:suff w:val="nothing"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    first.addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="51"><w:numStyleLink w:val="HeadingList"/></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="50"><w:abstractNumId w:val="50"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="51"><w:abstractNumId w:val="51"/></w:num>'))
    d.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="HeadingList"><w:name w:val="标题编号"/>'
            '<w:pPr><w:numPr><w:numId w:val="50"/></w:numPr></w:pPr></w:style>'
        )
    )
    for style, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        d.styles[style].element.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="51"/></w:numPr>')
        )
    d.add_heading("总体要求", 1)
    d.add_paragraph("坚持创新驱动。")
    d.add_heading("发展目标", 2)
    d.add_heading("重点任务", 1)
    d.add_heading("平台建设", 2)
    d.add_heading("人才引进", 2)
    buf = io.BytesIO()
    d.save(buf)
    assert read_document(buf.getvalue(), "h.docx").text.split("\n\n") == [
        "一、总体要求",
        "坚持创新驱动。",
        "（一）发展目标",
        "二、重点任务",
        "（一）平台建设",
        "（二）人才引进",
    ]


def test_text_box_counted_once_and_tracked_deletions_left_out() -> None:
    d = docx.Document()
    p = d.add_paragraph("研发投入强度达到")
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    wps = 'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    vml = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    box = "<w:txbxContent><w:p><w:r><w:t>（注：含企业投入）</w:t></w:r></w:p></w:txbxContent>"
    p._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="审稿"><w:r><w:delText>2.5%</w:delText></w:r></w:del>'
        )
    )
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="审稿"><w:r><w:t>3%</w:t></w:r></w:ins>'))
    p._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")} {mc} {wps} {vml}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f"<wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{box}"
            "</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    buf = io.BytesIO()
    d.save(buf)
    assert read_document(buf.getvalue(), "box.docx").text == "研发投入强度达到3%（注：含企业投入）"
