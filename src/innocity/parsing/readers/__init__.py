"""Document readers: the bytes a user has (txt, html, docx, pdf) → one decoded text that spans point into.

``read_document(data, name)`` sniffs the content (magic bytes first, then the file extension) and hands
the bytes to the reader for that format. Every reader returns the text exactly as later stages will
quote it; nothing downstream may re-normalise it. Anything that is not a readable document raises
``DocumentError`` with a reason a person can act on, never a library traceback.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from innocity.errors import DocumentError

from .model import (
    MEDIA_DOCX,
    MEDIA_HTML,
    MEDIA_PDF,
    MEDIA_TEXT,
    DecodedDocument,
)

__all__ = [
    "MEDIA_DOCX",
    "MEDIA_HTML",
    "MEDIA_PDF",
    "MEDIA_TEXT",
    "SUPPORTED_SUFFIXES",
    "DecodedDocument",
    "read_document",
]

SUPPORTED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".docx", ".pdf")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, .xls …


def _sniff(data: bytes, suffix: str) -> tuple[str, list[str]]:
    """The format to read ``data`` as, and warnings: the content decides, the extension breaks ties."""
    from .text import looks_like_html

    head = data[:1024]
    if head.lstrip(b"\r\n\t \x00")[:5] == b"%PDF-" or (suffix == ".pdf" and b"%PDF-" in head):
        return "pdf", []
    if data.startswith(_ZIP_MAGIC):
        return "docx", []
    if data.startswith(_OLE_MAGIC):
        raise DocumentError("legacy Word/Excel 97-2003 file: save it as .docx")
    if head.lstrip()[:5] == b"{\\rtf":
        raise DocumentError("RTF document: save it as .docx")
    if suffix == ".pdf":
        raise DocumentError("not a PDF file (no %PDF header)")
    if suffix == ".docx":
        # Sites often serve a Word "web page" under a Word name; anything else is damaged.
        if looks_like_html(head):
            return "html", [f"named {suffix} but is an HTML page: read as HTML"]
        raise DocumentError("truncated or corrupt DOCX (not a zip package)")
    if suffix in (".html", ".htm", ".xhtml") or looks_like_html(head):
        return "html", []
    return "text", []


def read_document(data: bytes, name: str) -> DecodedDocument:
    """Decode ``data`` (the bytes of the file called ``name``) into text.

    Raises ``DocumentError(reason, source=name)`` for empty files, binary junk, truncated or corrupt
    DOCX/PDF, PDFs without a text layer and text whose encoding cannot be told for sure.
    """
    if not data:
        raise DocumentError("empty file", source=name)
    suffix = PurePath(name).suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    try:
        kind, sniff_warnings = _sniff(data, suffix)
        if kind == "pdf":
            from .pdf import read_pdf

            text, encoding, warnings = read_pdf(data)
            media = MEDIA_PDF
        elif kind == "docx":
            from .word import read_docx

            text, encoding, warnings = read_docx(data)
            media = MEDIA_DOCX
        elif kind == "html":
            from .web import read_html

            text, encoding, warnings = read_html(data)
            media = MEDIA_HTML
        else:
            from .text import decode_text

            decoded = decode_text(data)
            text, encoding, warnings = decoded.text, decoded.encoding, decoded.warnings
            media = MEDIA_TEXT
    except DocumentError as exc:
        if exc.source is None:
            exc.source = name
        raise
    if not text.strip():
        raise DocumentError("no text in the document", source=name)
    warnings = [*sniff_warnings, *warnings]
    if kind == "text" and suffix not in ("", ".txt", ".text"):
        warnings.append(f"unknown extension {suffix!r}: read as plain text")
    return DecodedDocument(
        text=text, encoding=encoding, media_type=media, sha256=sha, name=name, warnings=warnings
    )
