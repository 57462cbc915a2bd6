"""HTML: the declared charset, the article without the site's chrome, tables row by row."""

from __future__ import annotations

import pytest

from innocity.errors import DocumentError
from innocity.parsing.readers import MEDIA_HTML, read_document
from innocity.parsing.readers.web import _fallback_blocks, declared_charset


def test_gb2312_page_article_only(docs, build) -> None:
    doc = read_document(docs["plan-gb2312.html"].read_bytes(), "plan-gb2312.html")
    assert doc.media_type == MEDIA_HTML
    assert doc.encoding == "gb18030"  # gb2312 pages really use GBK; GB18030 decodes both
    text = doc.text
    for chrome in ("政务公开", "办事服务", "当前位置", "相关链接", "ICP", "版权所有", "门户网站"):
        assert chrome not in text
    assert text.startswith(build.TITLE + "\n\n")
    assert text.count(build.TITLE) == 1
    for para in build.plan_lines()[1:-1]:
        assert f"\n\n{para}" in text
    assert "建设湘江实验室株洲基地\t市科技局\t市发改委、市财政局" in text


def test_utf8_page_without_declaration_is_detected() -> None:
    page = "<html><body><article><p>到2025年，全市高新技术企业达到800家。</p><p>责任单位：市科技局。</p></article></body></html>"
    doc = read_document(page.encode("utf-8"), "page.htm")
    assert doc.encoding == "utf-8"
    assert "到2025年，全市高新技术企业达到800家。" in doc.text


def test_wrong_declared_charset_falls_back_to_detection() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><div><p>全社会研发经费投入强度达到2.5%以上，技术合同成交额突破100亿元。</p></div></body></html>'
    doc = read_document(page.encode("gbk"), "mislabelled.html")
    assert doc.encoding == "gb18030"
    assert "研发经费投入强度达到2.5%以上" in doc.text
    assert any("does not fit" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<meta charset="GB2312">', "gb18030"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=gbk" />', "gb18030"),
        (b"<meta charset=utf-8>", "utf-8"),
        (b"<title>x</title>", None),
    ],
)
def test_declared_charset(head, expected) -> None:
    assert declared_charset(b"<html><head>" + head + b"</head></html>") == expected


def test_fallback_heuristic_skips_navigation_and_footer(docs) -> None:
    markup = docs["plan-gb2312.html"].read_bytes().decode("gbk")
    lines = _fallback_blocks(markup)
    assert lines[0].startswith("为贯彻落实创新驱动发展战略")
    assert not any("首页" in ln or "ICP" in ln for ln in lines)


def test_page_without_text_is_refused() -> None:
    with pytest.raises(DocumentError, match="no article text"):
        read_document(b"<html><body><img src=a.png></body></html>", "empty.html")


BR_PAGE = """<html><head><meta charset="utf-8"><title>关于印发某市方案的通知</title></head><body>
<div class="nav"><a>首页</a><a>新闻中心</a></div>
<div class="TRS_Editor"><p style="text-indent:2em">　　为加快建设创新型城市，制定本方案。</p>
<p>　　一、总体要求<br/>　　到2025年，研发投入强度达到<b>3%</b>。<br>　　二、重点任务<br>
　　（一）建设创新平台。由市科技局牵头，市财政局配合。</p>
<div>　　三、保障措施<br/>　　加强组织领导。</div></div>
<div class="footer">网站地图 | 联系我们</div></body></html>"""
BR_PARAGRAPHS = [
    "为加快建设创新型城市，制定本方案。",
    "一、总体要求",
    "到2025年，研发投入强度达到3%。",
    "二、重点任务",
    "（一）建设创新平台。由市科技局牵头，市财政局配合。",
    "三、保障措施",
    "加强组织领导。",
]


def test_line_breaks_inside_a_paragraph_separate_headings_from_text() -> None:
    doc = read_document(BR_PAGE.encode("utf-8"), "br.html")
    assert doc.text.split("\n\n") == BR_PARAGRAPHS


def test_fallback_also_splits_at_line_breaks_and_reads_loose_div_text() -> None:
    assert _fallback_blocks(BR_PAGE) == BR_PARAGRAPHS


def test_byte_order_mark_outranks_the_meta_charset() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>技术合同成交额突破50亿元。</p></body></html>'
    doc = read_document(b"\xef\xbb\xbf" + page.encode("utf-8"), "bom.html")
    assert doc.encoding == "utf-8-sig"
    assert "技术合同成交额突破50亿元。" in doc.text
    doc16 = read_document(b"\xff\xfe" + page.encode("utf-16-le"), "bom16.html")
    assert "技术合同成交额突破50亿元。" in doc16.text
