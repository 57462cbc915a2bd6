"""DOCX: paragraphs and tables in document order, with Word's automatic numbering written out.

python-docx leaves list numbers out of ``paragraph.text`` (they are computed by Word from
``numbering.xml``), yet "一、" or "（三）" is exactly what tells a heading from prose. So we walk the body
XML ourselves, resolve each paragraph's ``w:numPr`` (direct or through its style), count per list and
level the way Word does, and render the level's ``lvlText`` ("%1、", "（%1）", "%1.%2") with its ``numFmt``.
Tables become one line per row, cells joined by a tab, so a 任务/牵头单位/配合单位 table reads line by line.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from innocity.errors import DocumentError

from .numerals import format_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(slots=True)
class _Level:
    fmt: str
    text: str
    start: int
    suffix: str  # tab | space | nothing
    legal: bool = False  # w:isLgl: every number of the marker in arabic digits (1.1 under 第一章)


class _Numbering:
    """Counters for every list of one document, following numbering.xml.

    As in Word (ECMA-376 §17.9), the running count belongs to the abstract definition: several w:num
    instances of one abstractNum continue one sequence, and an instance with a startOverride restarts it
    the first time that instance is used at that level.
    """

    def __init__(self, numbering_el: Any | None, styles: _Styles | None = None) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # numId → ilvl → level
        self.abstract_of: dict[str, str] = {}  # numId → abstractNumId
        self.starts: dict[tuple[str, int], int] = {}  # startOverride per (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → last number shown
        self.entered: set[tuple[str, int]] = set()
        if numbering_el is None:
            return
        abstract: dict[str, dict[int, _Level]] = {}
        style_links: dict[str, str] = {}
        for an in numbering_el.iter(f"{W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in an.iter(f"{W}lvl"):
                levels[_ilvl(lvl.get(f"{W}ilvl"))] = _Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=(_val(lvl, "lvlText") or "") if lvl.find(f"{W}lvlText") is not None else "%1.",
                    start=_start(_val(lvl, "start")),
                    suffix=_val(lvl, "suff") or "tab",
                    legal=lvl.find(f"{W}isLgl") is not None,
                )
            abstract[an.get(f"{W}abstractNumId", "")] = levels
            link = _val(an, "numStyleLink")
            if link and not levels:
                style_links[an.get(f"{W}abstractNumId", "")] = link
        num_to_abstract = {
            num.get(f"{W}numId", ""): _val(num, "abstractNumId") or "" for num in numbering_el.iter(f"{W}num")
        }
        # An abstractNum may only point at a numbering style ("标题编号"), whose own list holds the levels.
        linked: dict[str, str] = {}
        for abstract_id, style_id in style_links.items():
            target_num = styles.num.get(style_id, (None, None))[0] if styles else None
            target = num_to_abstract.get(target_num or "", "")
            if target and abstract.get(target):
                abstract[abstract_id] = abstract[target]
                linked[abstract_id] = target
        for num in numbering_el.iter(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            abstract_id = ref.get(f"{W}val", "") if ref is not None else ""
            levels = dict(abstract.get(abstract_id, {}))
            self.abstract_of[num_id] = linked.get(abstract_id, abstract_id)
            for ov in num.iter(f"{W}lvlOverride"):
                ilvl = _ilvl(ov.get(f"{W}ilvl"))
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    self.starts[(num_id, ilvl)] = _start(so.get(f"{W}val"))
            self.levels[num_id] = levels

    def marker(self, num_id: str, ilvl: int) -> str:
        """The rendered number of the next item of list ``num_id`` at level ``ilvl`` ('' if none)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counts = self.counters.setdefault(self.abstract_of.get(num_id, num_id), {})
        level = levels[ilvl]
        override = self.starts.get((num_id, ilvl))
        if override is not None and (num_id, ilvl) not in self.entered:
            counts[ilvl] = override - 1
        self.entered.add((num_id, ilvl))
        counts[ilvl] = counts.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:  # a new item restarts its sublists
            del counts[deeper]
        if level.fmt in ("bullet", "none"):
            return ""
        out = level.text
        for k in range(9):
            token = f"%{k + 1}"
            if token in out:
                lv = levels.get(k)
                n = counts.get(k, lv.start if lv else 1)
                fmt = "decimal" if level.legal or lv is None else lv.fmt
                out = out.replace(token, format_number(n, fmt))
        if level.suffix == "nothing" or not out or (out[-1] in "、）)．.:：" and _is_cjk_marker(out)):
            return out
        return out + " "


MAX_START = 32767  # Word's own limit for a list's first number


def _int_attr(text: str | None, default: int, lo: int, hi: int, what: str) -> int:
    """An integer attribute of numbering.xml or a paragraph; anything else is a damaged document."""
    if text is None or text == "":
        return default
    t = text.strip()
    if not (t.lstrip("-").isdigit() and len(t) <= 6) or not lo <= int(t) <= hi:
        raise DocumentError(f"corrupt DOCX: {what} {text[:20]!r} is not a number from {lo} to {hi}")
    return int(t)


def _ilvl(text: str | None) -> int:
    return _int_attr(text, 0, 0, 8, "list level w:ilvl")


def _start(text: str | None) -> int:
    return _int_attr(text, 1, 0, MAX_START, "list start w:start")


def _is_cjk_marker(marker: str) -> bool:
    return any("\u3000" <= c <= "\u9fff" or c in "（）．" for c in marker)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None


class _Styles:
    """Paragraph styles that carry numbering (e.g. "List Number"), with basedOn inheritance."""

    def __init__(self, styles_el: Any | None) -> None:
        self.num: dict[str, tuple[str | None, int | None]] = {}
        self.based: dict[str, str] = {}
        if styles_el is None:
            return
        for st in styles_el.iter(f"{W}style"):
            sid = st.get(f"{W}styleId", "")
            based = _val(st, "basedOn")
            if based:
                self.based[sid] = based
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                ilvl = _val(numpr, "ilvl")
                self.num[sid] = (_val(numpr, "numId"), _ilvl(ilvl) if ilvl else None)

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.num:
                return self.num[style_id]
            style_id = self.based.get(style_id)
        return None, None


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_text(p: Any) -> str:
    """The visible text of a w:p: runs, hyperlinks, tabs and line breaks (deleted text excluded).

    A text box is stored twice (mc:Choice for new Word, mc:Fallback VML for old); only the first counts.
    """
    parts: list[str] = []

    def walk(node: Any) -> None:
        for el in node.iterchildren():
            tag = el.tag
            if tag == f"{W}t":
                parts.append(el.text or "")
            elif tag == f"{W}tab" and node.tag == f"{W}r":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag != _MC_FALLBACK and tag not in (f"{W}delText", f"{W}instrText", f"{W}pPr", f"{W}rPr"):
                walk(el)

    walk(p)
    return "".join(parts)


def _blocks(parent: Any) -> Iterator[Any]:
    """w:p and w:tbl children in document order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)


class _Renderer:
    def __init__(self, numbering: _Numbering, styles: _Styles) -> None:
        self.numbering = numbering
        self.styles = styles

    def paragraph(self, p: Any) -> str:
        text = _paragraph_text(p)
        ppr = p.find(f"{W}pPr")
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            style_num = self.styles.numbering(_val(ppr, "pStyle"))
            num_id, ilvl = style_num
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None:
                num_id = _val(numpr, "numId") or num_id
                lv = _val(numpr, "ilvl")
                ilvl = _ilvl(lv) if lv else ilvl
        if num_id is None or not text.strip():
            return text
        return self.numbering.marker(num_id, ilvl or 0) + text

    def table(self, tbl: Any) -> list[str]:
        lines: list[str] = []
        for tr in tbl.iter(f"{W}tr"):
            if tr.getparent() is not tbl:  # nested tables are read as part of their cell's text
                continue
            cells = []
            for tc in tr.iterchildren(f"{W}tc"):
                paras = [self.paragraph(p).strip() for p in tc.iter(f"{W}p")]
                cells.append(" ".join(x for x in paras if x))
            if any(cells):
                lines.append("\t".join(cells))
        return lines


MAX_UNPACKED = 256 * 2**20
MAX_RATIO = 100


def _check_package(zf: zipfile.ZipFile, size: int) -> None:
    """Refuse a zip bomb (by the sizes the archive declares, which bound what unpacking yields) and any
    XML part declaring a DTD (never in a Word file; the way to entity-expansion bombs)."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED or (total > 8 * 2**20 and total > MAX_RATIO * max(size, 1)):
        raise DocumentError(
            f"the document unpacks to {total / 2**20:.0f} MB from {size / 2**20:.1f} MB; refused as a zip bomb"
        )
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as f:
                prolog = f.read(4096).replace(b"\x00", b"").upper()
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise DocumentError(
                    f"the part {info.filename[:60]} declares a DTD (never in a Word file); refused"
                )


def read_docx(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) of a .docx; paragraphs separated by a blank line, table rows by one."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names:
                raise DocumentError("a zip archive but not a Word document (no word/document.xml)")
            _check_package(zf, len(data))
            bad = zf.testzip()
            if bad is not None:
                raise DocumentError(f"corrupt DOCX: member {bad} is damaged")
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocumentError(f"truncated or corrupt DOCX (bad zip: {exc})") from None
    except PackageNotFoundError:
        raise DocumentError("truncated or corrupt DOCX (not a Word package)") from None
    except DocumentError:
        raise
    except Exception as exc:  # malformed XML inside the package and the like
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__}: {exc})") from None

    try:
        numbering_el = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        numbering_el = None
    try:
        chunks = _render(document, numbering_el)
    except DocumentError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as exc:
        # numbering and styles are read by hand above: a damaged part must still be one line
        raise DocumentError(f"corrupt DOCX ({type(exc).__name__}: {str(exc)[:80]})") from None
    warnings: list[str] = []
    if not chunks:
        raise DocumentError("the Word document contains no text")
    return "\n\n".join(chunks), "utf-8", warnings


def _render(document: Any, numbering_el: Any | None) -> list[str]:
    styles = _Styles(document.styles.element)
    renderer = _Renderer(_Numbering(numbering_el, styles), styles)
    chunks: list[str] = []
    for block in _blocks(document.element.body):
        if block.tag == f"{W}p":
            text = renderer.paragraph(block)
            if text.strip():
                chunks.append(text)
        else:
            rows = renderer.table(block)
            if rows:
                chunks.append("\n".join(rows))
    return chunks
