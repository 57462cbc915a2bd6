"""Word files built to hurt: numbering attributes that are not numbers or absurdly large, a DTD with
entity expansion, a zip bomb behind a .docx name. Each is one DocumentError line, quickly, in bounded
memory; a document with merely odd numbering still reads."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

from innocity.errors import DocumentError
from innocity.parsing.readers import read_document


def _rewrite(data: bytes, member: str, edit: object) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == member:
                body = edit(body)  # type: ignore[operator]
            zout.writestr(item, body)
    return out.getvalue()


def _sub(pattern: str, repl: str) -> object:
    return lambda b: re.sub(pattern.encode(), repl.encode(), b, count=1)


@pytest.mark.parametrize(
    ("member", "pattern", "repl", "what"),
    [
        ("word/document.xml", r'w:ilvl w:val="\d"', 'w:ilvl w:val="one"', "w:ilvl"),
        ("word/document.xml", r'w:ilvl w:val="\d"', 'w:ilvl w:val="99999999999999999999"', "w:ilvl"),
        ("word/numbering.xml", r'w:start w:val="1"', 'w:start w:val="1e9"', "w:start"),
        ("word/numbering.xml", r'w:start w:val="1"', 'w:start w:val="9999999999999999999999999"', "w:start"),
        ("word/numbering.xml", r'w:lvl w:ilvl="0"', 'w:lvl w:ilvl="-3"', "w:ilvl"),
    ],
    ids=["ilvl text", "ilvl huge", "start float", "start huge", "negative level"],
)
def test_malformed_numbering_is_one_line(
    docs: dict[str, Path], member: str, pattern: str, repl: str, what: str
) -> None:
    data = _rewrite(docs["plan.docx"].read_bytes(), member, _sub(pattern, repl))
    with pytest.raises(DocumentError) as err:
        read_document(data, "plan.docx")
    assert what in err.value.message and "\n" not in err.value.one_line()
    assert err.value.source == "plan.docx"


def test_a_large_but_valid_list_start_still_reads(docs: dict[str, Path]) -> None:
    data = _rewrite(
        docs["plan.docx"].read_bytes(),
        "word/numbering.xml",
        _sub(r'w:start w:val="1"', 'w:start w:val="300"'),
    )
    assert read_document(data, "plan.docx").text.strip()


def test_an_entity_expansion_bomb_is_refused(docs: dict[str, Path]) -> None:
    dtd = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document ['
        + '<!ENTITY a "'
        + "x" * 100
        + '">'
        + "".join(
            f'<!ENTITY {c} "' + f"&{p};" * 10 + '">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "]>"
    )

    def bomb(b: bytes) -> bytes:
        body = b.split(b"?>", 1)[1] if b.startswith(b"<?xml") else b
        return dtd.encode() + body.replace(b"<w:t>", b"<w:t>&i;", 1)

    data = _rewrite(docs["plan.docx"].read_bytes(), "word/document.xml", bomb)
    t = time.perf_counter()
    with pytest.raises(DocumentError, match="DTD"):
        read_document(data, "plan.docx")
    assert time.perf_counter() - t < 10


def test_a_zip_bomb_named_docx_is_refused_before_unpacking(docs: dict[str, Path]) -> None:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docs["plan.docx"].read_bytes())) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("word/media/image1.bin", "w") as f:  # 1 GB of zeros, about 1 MB packed
            chunk = b"\0" * 2**20
            for _ in range(1024):
                f.write(chunk)
    data = out.getvalue()
    assert len(data) < 2 * 2**20
    t = time.perf_counter()
    with pytest.raises(DocumentError, match="zip bomb"):
        read_document(data, "plan.docx")
    assert time.perf_counter() - t < 10
