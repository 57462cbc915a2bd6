"""The reader result shared by every format."""

from __future__ import annotations

from dataclasses import dataclass, field

MEDIA_TEXT = "text/plain"
MEDIA_HTML = "text/html"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_PDF = "application/pdf"


@dataclass(slots=True)
class DecodedDocument:
    """A document turned into text. Every span the parser reports points into ``text``."""

    text: str
    encoding: str  # how the bytes were decoded: utf-8, gb18030, utf-16-le …; "docx"/"pdf" for containers
    media_type: str
    sha256: str  # of the input bytes
    name: str
    warnings: list[str] = field(default_factory=list)
