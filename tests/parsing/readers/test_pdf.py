"""PDF: text layers re-flowed into sentences; scans and damaged files refused with a reason."""

from __future__ import annotations

import pytest

from innocity.errors import DocumentError
from innocity.parsing.readers import MEDIA_PDF, read_document
from innocity.parsing.readers.pdf import reflow


def test_text_layer_is_reflowed_without_headers_and_page_numbers(docs, build) -> None:
    doc = read_document(docs["plan.pdf"].read_bytes(), "plan.pdf")
    assert doc.media_type == MEDIA_PDF
    # Lines were cut every 30 characters on the page; the reader joins them back into paragraphs and
    # drops the running header (株洲市人民政府文件) and the page numbers (- 2 -).
    assert doc.text == "\n\n".join(build.plan_lines()[:-1] * 3)


def test_scanned_pdf_has_no_text_layer(docs) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(docs["scanned.pdf"].read_bytes(), "scan.pdf")
    assert info.value.message == "no text layer (scanned PDF?)"
    assert info.value.source == "scan.pdf"


def test_truncated_pdf_is_refused(docs) -> None:
    with pytest.raises(DocumentError, match="truncated or corrupt PDF"):
        read_document(docs["truncated.pdf"].read_bytes(), "truncated.pdf")


def test_pdf_named_txt_is_read_as_pdf(docs) -> None:
    assert read_document(docs["plan.pdf"].read_bytes(), "plan.txt").media_type == MEDIA_PDF


def test_not_a_pdf() -> None:
    with pytest.raises(DocumentError, match="not a PDF"):
        read_document(b"hello, this is text", "x.pdf")


def test_reflow_rules() -> None:
    page1 = "\n".join(
        [
            "关于印发某市创新型城市建设",
            "实施方案的通知",  # short title line: ends the paragraph
            "一、总体要求",
            "坚持创新驱动发展，到2025年全市研发经费投入强度",
            "达到2.6%，高新技术企业达到600家；",
            "(一)基本原则",
            "市场主导，政府引导。",
            "第 1 页 共 2 页",
        ]
    )
    page2 = "\n".join(
        [
            "— 2 —",
            "1.加强平台建设。由市科技局牵头，市发改委",
            "配合。",
            "Innovation and",
            "technology",
        ]
    )
    assert reflow([page1, page2]).split("\n\n") == [
        "关于印发某市创新型城市建设实施方案的通知",
        "一、总体要求",
        "坚持创新驱动发展，到2025年全市研发经费投入强度达到2.6%，高新技术企业达到600家；",
        "(一)基本原则",
        "市场主导，政府引导。",
        "1.加强平台建设。由市科技局牵头，市发改委配合。",
        "Innovation and technology",
    ]


def test_bare_numbers_are_page_numbers_only_at_page_edges() -> None:
    page = "\n".join(
        ["3", "表1 主要指标", "指标名称", "目标值", "2025", "高新技术企业（家）", "800", "结束。", "12"]
    )
    text = reflow([page])
    assert text.startswith("表1") and text.endswith("结束。")  # the edge numbers 3 and 12 are gone
    assert "2025" in text and "800" in text  # the table's numbers are kept


def test_pdf_with_every_glyph_placed_alone_reads_as_lines(docs) -> None:
    doc = read_document(docs["glyphs.pdf"].read_bytes(), "glyphs.pdf")
    assert doc.text.split("\n\n") == [
        "一、发展目标",
        "到2025年，全社会研发经费投入强度达到3.5%以上，高新技术企业达到500家。",
        "二、重点任务",
    ]


def test_running_header_of_a_two_page_document_is_dropped() -> None:
    p1 = "某市科学技术局文件\n一、总体要求\n到2025年，研发投入强度达到3%。\n第 1 页"
    p2 = "某市科学技术局文件\n二、重点任务\n建设创新平台。\n第 2 页"
    assert reflow([p1, p2]).split("\n\n") == [
        "一、总体要求",
        "到2025年，研发投入强度达到3%。",
        "二、重点任务",
        "建设创新平台。",
    ]


@pytest.mark.parametrize(("user_password", "readable"), [("secret", False), ("", True)])
def test_encrypted_pdf(user_password: str, readable: bool) -> None:
    import io

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption(user_password, ownerPassword="owner"))
    c.drawString(72, 700, "R&D intensity 3% by 2025.")
    c.showPage()
    c.save()
    if readable:  # only an owner password: anyone may open it
        assert read_document(buf.getvalue(), "open.pdf").text == "R&D intensity 3% by 2025."
    else:
        with pytest.raises(DocumentError, match="needs a password"):
            read_document(buf.getvalue(), "locked.pdf")


def test_fake_bold_lines_are_read_once(docs, build) -> None:
    doc = read_document(docs["fake-bold.pdf"].read_bytes(), "fake-bold.pdf")
    assert doc.text.split("\n\n") == [build.TITLE, "一、总体要求", "到2025年，研发投入强度达到3%。"]
