"""Plain text: every supported encoding is detected, decoded exactly, and anything else is refused."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from innocity.errors import DocumentError
from innocity.parsing.readers import MEDIA_TEXT, read_document
from innocity.parsing.readers.text import decode_text, plausibility

CASES = [
    ("plan-utf8.txt", "utf-8"),
    ("plan-utf8-bom.txt", "utf-8-sig"),
    ("plan-gb18030.txt", "gb18030"),
    ("plan-utf16le-bom.txt", "utf-16-le"),
    ("plan-utf16be-bom.txt", "utf-16-be"),
    ("plan-utf16le.txt", "utf-16-le"),
    ("plan-utf16be.txt", "utf-16-be"),
]


@pytest.mark.parametrize(("name", "encoding"), CASES)
def test_each_encoding_is_detected_and_decoded_exactly(docs, build, name, encoding) -> None:
    data = docs[name].read_bytes()
    doc = read_document(data, name)
    assert doc.encoding == encoding
    assert doc.text == build.plan_text()  # BOM removed, nothing else touched
    assert doc.media_type == MEDIA_TEXT
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.name == name


def test_text_is_kept_exactly_crlf_tabs_and_trailing_spaces() -> None:
    text = "  一、总体目标\r\n\t到2025年，研发投入强度达到2.8%。  \r\n\r\n\ufeff内嵌的BOM保留"
    for enc in ("utf-8", "gb18030", "utf-16-le"):
        data = ("\ufeff" + text).encode(enc) if enc != "gb18030" else text.encode(enc)
        assert read_document(data, "a.txt").text == text


def test_gbk_page_with_gb18030_four_byte_characters() -> None:
    text = "新建𠮷野科技园，专利申请量达到1200件。" * 3  # 𠮷 needs GB18030's four-byte form
    doc = decode_text(text.encode("gb18030"))
    assert (doc.text, doc.encoding) == (text, "gb18030")


def test_utf16_without_bom_and_without_any_ascii_is_still_recognised() -> None:
    # Pure CJK in UTF-16 has no NUL bytes, so only the plausibility check can tell it from GB18030.
    text = "创新型城市建设实施方案由市科技局牵头负责组织实施"
    for enc in ("utf-16-le", "utf-16-be"):
        assert decode_text(text.encode(enc)).text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x10" * 200, "binary"),
        ("caf\xe9 cr\xe8me br\xfbl\xe9e".encode("latin-1"), "undecodable"),
        (b"\xef\xbb\xbf" + "好".encode("gbk"), "not valid utf-8"),
        (b"   \r\n\t  ", "no text"),
    ],
)
def test_not_text_is_a_document_error_naming_the_file(data, reason) -> None:
    with pytest.raises(DocumentError) as info:
        read_document(data, "bad.txt")
    assert reason in info.value.message
    assert info.value.source == "bad.txt"


def test_random_bytes_are_refused(docs) -> None:
    with pytest.raises(DocumentError, match=r"binary|undecodable"):
        read_document(docs["junk.txt"].read_bytes(), "junk.txt")


def test_plausibility_separates_chinese_from_mojibake(build) -> None:
    text = build.plan_text()
    assert plausibility(text) > 0.99
    wrong = text.encode("gb18030").decode("utf-16-le", errors="replace")
    assert plausibility(wrong) < 0.9


_PLAN_ALPHABET = st.sampled_from(
    list(
        "一二三四五六七八九十、，。；：%（）()年月到达超过以上不低于牵头配合市科技局发改委亿万元个家件创新城市建设"
    )
    + list("0123456789.- \n\t")
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(_PLAN_ALPHABET, min_size=1, max_size=200),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16-be"]),
    bom=st.booleans(),
)
def test_plan_like_text_decodes_exactly_or_is_refused_never_silently_wrong(text, encoding, bom) -> None:
    data = text.encode(encoding)
    # Known limit: UTF-16 without BOM whose every byte is ASCII ("三" is b"\t N") is also valid ASCII.
    assume(bom or not (data.isascii() and not text.isascii()))
    if bom and encoding != "gb18030":
        data = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding] + data
    try:
        doc = decode_text(data)
    except DocumentError:
        assert not (bom and encoding != "gb18030"), "a BOM-marked text must always decode"
        return
    assert doc.text == text


@settings(max_examples=200, deadline=None)
@given(data=st.binary(min_size=1, max_size=400))
def test_arbitrary_bytes_decode_or_raise_document_error(data) -> None:
    try:
        doc = read_document(data, "any.txt")
    except DocumentError as exc:
        assert exc.source == "any.txt" and exc.message
        return
    assert doc.text.strip()


def test_traditional_chinese_utf8_is_utf8() -> None:
    text = "臺灣與澳門創新體系建設：研發經費投入強度達到3%以上。" * 4  # mostly outside GB2312
    doc = decode_text(text.encode("utf-8"))
    assert (doc.text, doc.encoding) == (text, "utf-8")
