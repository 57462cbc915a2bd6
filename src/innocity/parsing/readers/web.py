"""HTML pages: the article, not the site around it.

The charset comes from the page (``<meta charset>`` or ``http-equiv``); GB2312/GBK pages are decoded as
GB18030, their superset, because real "gb2312" pages use GBK characters. Without a declaration, or when
the declared charset fails, the bytes go through the same detection as plain text. The article is
extracted from the decoded string by trafilatura (structure kept: paragraphs, headings, table rows); if
it finds nothing, a small lxml heuristic takes the block with the most paragraph text after dropping
navigation, headers, footers and sidebars. Paragraphs are separated by a blank line, table rows by a
line break with cells joined by a tab.
"""

from __future__ import annotations

import re
from typing import Any

from innocity.errors import DocumentError

from .text import decode_text

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "csgb2312"}
_JUNK = re.compile(
    r"nav|menu|footer|header|sidebar|side-bar|breadcrumb|crumb|copyright|banner|share|toolbar|"
    r"related|comment|login|search|topbar|bottom",
    re.IGNORECASE,
)
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "pre", "blockquote")


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB, as a Python codec name."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    return "gb18030" if name in _GB else name


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """(markup, encoding, warnings): the page decoded by its declared charset, else detected."""
    warnings: list[str] = []
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):  # a BOM outranks <meta> (HTML spec)
        decoded = decode_text(data)
        return decoded.text, decoded.encoding, decoded.warnings
    declared = declared_charset(data)
    if declared:
        try:
            markup = data.decode(declared)
            return markup.removeprefix("\ufeff"), declared, warnings
        except (LookupError, UnicodeDecodeError) as exc:
            warnings.append(
                f"declared charset {declared} does not fit the bytes ({type(exc).__name__}); detected instead"
            )
    decoded = decode_text(data)
    return decoded.text, decoded.encoding, [*warnings, *decoded.warnings]


def read_html(data: bytes) -> tuple[str, str, list[str]]:
    """(article text, encoding, warnings) of an HTML page."""
    markup, encoding, warnings = decode_html(data)
    lines = _trafilatura_blocks(markup)
    if not lines:
        lines = _fallback_blocks(markup)
        if lines:
            warnings.append("article found by the fallback heuristic, not trafilatura")
    if not lines:
        raise DocumentError("no article text found in the HTML page")
    title = _page_heading(markup)
    if title and not any(title in ln for ln in lines[:3]):
        lines.insert(0, title)
    return "\n\n".join(lines), encoding, warnings


def _clean(s: str) -> str:
    # Inside one block the HTML source wraps lines arbitrarily; a block is one paragraph.
    return " ".join(s.split()) if "\n" in s or "  " in s else s.strip()


def _paragraphs(el: Any, br: str) -> list[str]:
    """The paragraphs of one block element: a line break (<br>, trafilatura's <lb>) starts a new one.

    Government pages often put a whole section in one <p> with <br> between its paragraphs and
    ideographic spaces as indentation; joining those would glue a heading onto the text below it.
    """
    parts: list[list[str]] = [[]]

    def walk(node: Any) -> None:
        if node.text and isinstance(node.tag, str):  # comments and processing instructions are not text
            parts[-1].append(node.text)
        for child in node:
            if child.tag == br:
                parts.append([])
            elif isinstance(child.tag, str) and child.tag not in ("script", "style"):
                walk(child)
            if child.tail:
                parts[-1].append(child.tail)

    walk(el)
    return [t for t in (_clean("".join(x)) for x in parts) if t]


def _trafilatura_blocks(markup: str) -> list[str]:
    import trafilatura
    from lxml import etree

    try:
        xml = trafilatura.extract(
            markup, output_format="xml", include_tables=True, include_comments=False, favor_recall=True
        )
    except Exception:  # trafilatura raising on odd markup must not cost us the document
        return []
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    if main is None:
        return []
    out: list[str] = []
    for el in main.iterchildren():
        if el.tag == "table":
            rows = []
            for row in el.iter("row"):
                cells = [_clean("".join(c.itertext())) for c in row.iterchildren("cell")]
                if any(cells):
                    rows.append("\t".join(cells))
            if rows:
                out.append("\n".join(rows))
        elif el.tag == "list":
            for item in el.iter("item"):
                out.extend(_paragraphs(item, "lb"))
        else:
            out.extend(_paragraphs(el, "lb"))
    return out


def _fallback_blocks(markup: str) -> list[str]:
    """Readability-like: drop chrome, pick the container whose own blocks hold the most text."""
    from lxml import html as lhtml

    try:
        doc = lhtml.document_fromstring(markup)
    except Exception:
        return []
    for el in list(doc.iter("script", "style", "noscript", "nav", "header", "footer", "aside", "form")):
        _drop(el)
    for el in list(doc.iter()):
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if marks.strip() and _JUNK.search(marks) and el.tag not in ("html", "body"):
            _drop(el)
    best: Any = None
    best_len = 0
    for container in doc.iter("div", "article", "section", "td", "body"):
        n = sum(len(b.text_content().strip()) for b in container.iterchildren(*_BLOCK_TAGS))
        if n > best_len:
            best, best_len = container, n
    if best is None:
        return []
    out: list[str] = []
    _collect(best, out)
    return out


_CONTAINERS = ("div", "section", "article", "main", "td", "th", "ul", "ol", "center", "font", "span", "body")


def _collect(node: Any, out: list[str]) -> None:
    """Paragraphs under ``node`` in document order: block elements, table rows, and loose text in
    containers (a <div> holding text and <br>s is as common on these sites as a proper <p>)."""
    pending: list[str] = []

    def flush() -> None:
        t = _clean("".join(pending))
        if t:
            out.append(t)
        pending.clear()

    if node.text and node.tag not in ("script", "style"):
        pending.append(node.text)
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            flush()
        elif tag == "table":
            flush()
            for tr in child.iter("tr"):
                cells = [_clean(c.text_content()) for c in tr.iterchildren("td", "th")]
                if any(cells):
                    out.append("\t".join(cells))
        elif tag in _BLOCK_TAGS:
            flush()
            out.extend(_paragraphs(child, "br"))
        elif tag in _CONTAINERS and any(True for _ in child.iter(*_BLOCK_TAGS, "br", "div", "table")):
            flush()
            _collect(child, out)
        elif tag:
            pending.append(child.text_content())
        if child.tail:
            pending.append(child.tail)
    flush()


def _drop(el: Any) -> None:
    parent = el.getparent()
    if parent is not None:
        el.drop_tree()


def _page_heading(markup: str) -> str | None:
    """The article's <h1> (trafilatura moves it to metadata, but a plan's title names its city).

    An <h1> inside the site's header or navigation (the site logo) is not the article's title.
    """
    from lxml import html as lhtml

    try:
        doc = lhtml.document_fromstring(markup)
    except Exception:
        return None
    for h1 in doc.iter("h1"):
        chrome = False
        for anc in h1.iterancestors():
            marks = f"{anc.get('class', '')} {anc.get('id', '')}"
            if anc.tag in ("header", "nav", "footer", "aside") or (marks.strip() and _JUNK.search(marks)):
                chrome = True
                break
        title = _clean(h1.text_content())
        if title and not chrome:
            return title
    return None
