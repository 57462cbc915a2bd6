"""PDF text layers, re-flowed into sentences.

A PDF's text comes back as layout lines: about four in five end mid-sentence. We join a line to the next
when it does not end in sentence punctuation and the next line does not start a heading (一、 (一) 1.
第X章 …), drop page-number lines and the running headers/footers that repeat on most pages, and separate
paragraphs by a blank line. A PDF with pages but no text is a scan: we say so rather than return nothing.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from typing import Any

from innocity.errors import DocumentError

_END = tuple("。；;：:！!？?")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百]+[)）]|\d{1,2}[、.．](?!\d)|"
    r"[(（]\d{1,2}[)）]|[①-⑳]|第[一二三四五六七八九十百\d]+[章节条篇部分]|篇[一二三四五六七八九十]|附件|附表)"
)
_PAGE_NO = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)\s*$"
)
# A bare number is a page number only at the top or bottom of a page; elsewhere it may be table data.
_BARE_NO = re.compile(r"^\s*\d{1,3}\s*$")
_DIGITS = re.compile(r"\d+")
# Non-ASCII, digits, "%" and "." : characters between which a layout-mode space is an artefact.
_GLYPH = r"[^\x00-\x24\x26-\x2d\x2f\x3a-\x7f]"
_CJK_GAP = re.compile(rf"(?<={_GLYPH}) +(?={_GLYPH})")
_PROSE = re.compile(r"[，,、。；;！!？?]")


def read_pdf(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) of a PDF's text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    warnings: list[str] = []
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # it logs every repaired xref to stderr
    if b"%%EOF" not in data[-2048:]:
        warnings.append("the PDF has no end-of-file marker (truncated?); read what is there")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError("encrypted PDF: needs a password")
        pages = [_page_text(page) for page in reader.pages]
    except DocumentError:
        raise
    except (
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        IndexError,
        RecursionError,
    ) as exc:
        raise DocumentError(f"truncated or corrupt PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files; none should reach the user raw
        raise DocumentError(f"corrupt PDF ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise DocumentError("truncated or corrupt PDF (no pages)")
    if not any(p.strip() for p in pages):
        raise DocumentError("no text layer (scanned PDF?)")
    return reflow(pages), "unicode", warnings


def _page_text(page: Any) -> str:
    """The page's text. Some PDF printers place every glyph on its own, which pypdf's plain mode returns
    one character per line; then the layout mode, which groups glyphs by position, reads it better."""
    text = page.extract_text() or ""
    lines = [x for x in text.splitlines() if x.strip()]
    if len(lines) >= 10 and sum(len(x.strip()) <= 2 for x in lines) > 0.6 * len(lines):
        layout = page.extract_text(extraction_mode="layout") or ""
        # Layout mode pads with spaces by position; Chinese has no spaces between characters.
        return "\n".join(_undouble(_CJK_GAP.sub("", x).strip()) for x in layout.splitlines())
    return text


def _undouble(line: str) -> str:
    """ "二二、、重重点点" → "二、重点": a heading made bold by printing each glyph twice, slightly shifted."""
    if len(line) >= 4 and len(line) % 2 == 0 and line[0::2] == line[1::2]:
        return line[0::2]
    return line


def _shape(line: str) -> str:
    """A line with its numbers masked, so "第 3 页" and "第 4 页" repeat as one running footer."""
    return _DIGITS.sub("#", line.strip())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Shapes of lines that open or close most pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_shape(x) for x in lines[:2] + lines[-2:] if x.strip()}
        counts.update(edge)
    return {shape for shape, n in counts.items() if n >= max(2, int(len(pages) * 0.6 + 0.5))}


def reflow(pages: list[str]) -> str:
    """Join layout lines into paragraphs; drop page numbers and running headers/footers."""
    split = [p.splitlines() for p in pages]
    running = _running_lines(split)
    lines: list[str] = []
    for page in split:
        for i, raw in enumerate(page):
            line = raw.strip()
            edge = i < 2 or i >= len(page) - 2
            if not line or _PAGE_NO.match(line) or (edge and _BARE_NO.match(line)):
                continue
            if edge and _shape(line) in running:
                continue
            if lines and line == lines[-1] and len(line) >= 6:
                continue  # the same line printed twice over itself: "fake bold" for a heading or title
            lines.append(line)
    if not lines:
        return ""
    lengths = sorted(len(x) for x in lines)
    full = lengths[int(len(lengths) * 0.9)] if len(lengths) >= 5 else lengths[-1]
    paragraphs: list[str] = []
    current = ""
    for idx, line in enumerate(lines):
        nxt = lines[idx + 1] if idx + 1 < len(lines) else ""
        current = _join(current, line)
        ends = (
            line.endswith(_END)
            or not nxt
            or _HEADING.match(nxt) is not None
            # A title line ("一、总体要求", a centred document title) stands alone: it starts with a heading
            # marker or is visibly short, and has no punctuation of running prose.
            or _title_line(line, full)
        )
        if ends:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _title_line(line: str, full: int) -> bool:
    m = _HEADING.match(line)
    if _PROSE.search(line[m.end() :] if m else line):
        return False
    return (m is not None and len(line) <= 40) or (full >= 15 and len(line) < full * 0.6)


def _join(left: str, right: str) -> str:
    if not left:
        return right
    # Latin words broken across lines keep a space; Chinese joins without one.
    if left[-1].isascii() and left[-1].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right
