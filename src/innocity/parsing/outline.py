"""The heading tree of one plan: 第一章 / 第一节 / 第一条, 一、, (一), 1. / 1、, (1), ①.

Headings are found on the folded copy (so （一） and (一), １． and 1. are one style) and quoted from the
original. A heading is either a line of its own ("二、试点目标") or run in at the start of a paragraph
("(一)指导思想。坚持…": the title is the first clause). Numbered items inside a paragraph count too
when they follow a colon or a full stop and keep their numbering in sequence ("具体目标:(1)…。(2)…"),
because plans file their targets under them. "一是…", "1-3个", "3.5%" and "2009年," are not headings.

Levels come from nesting: a marker style seen before closes everything below its earlier occurrence;
a new style opens a level under the current heading, unless it is conventionally higher than the
current style (一、 > (一) > 1. > (1) > ①), in which case it replaces the deeper levels.

A section's span runs from its marker to the start of the next heading at the same or a higher level
(or the end of the span given); ``heading_span`` covers the marker and title alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from innocity.domain.plan import Section, Span
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_CN = "一二三四五六七八九十"
_CN_VAL = {c: i + 1 for i, c in enumerate(_CN)}

# One alternation per style; group names are the styles. Applied at the start of a line.
_LINE_MARK = rx(
    rf"^[ \t]*(?:"
    rf"(?P<zhang>第[{_CN}百零〇\d]{{1,4}}章)|(?P<bufen>第[{_CN}\d]{{1,3}}部分)|(?P<jie>第[{_CN}百零〇\d]{{1,4}}节)|"
    rf"(?P<tiao>第[{_CN}百零〇\d]{{1,5}}条)|"
    rf"(?P<zh>[{_CN}]{{1,3}}[、.](?![{_CN}]、))|(?P<zhp>\([{_CN}]{{1,3}}\))|"
    r"(?P<ard>\d{1,2}\.(?![\d.]))|(?P<arc>\d{1,2}、(?!\d))|(?P<arp>\(\d{1,2}\))|(?P<arh>\d{1,2}\)(?![\d)]))|"
    r"(?P<circ>[①-⑳])"
    r")[ \t]*",
    re.M,
)
# The same after a line break: a literal first character, which the engine finds at C speed, where ^ under
# re.M is tried at every position (14 → 8 ms on the sample x40); the page's first line is matched with
# _LINE_MARK itself. A mark never spans a line break, so the two together find what _LINE_MARK alone did.
_AFTER_BREAK_MARK = rx("\n" + _LINE_MARK.pattern.removeprefix("^"), re.M)
# Numbered items inside a paragraph: after a colon, full stop or semicolon. The punctuation is matched, not
# looked behind at, so the engine skips to it at C speed instead of trying every position (2.3× faster);
# only the style group's offsets are read.
_INLINE_MARK = rx(
    rf"[:。;][ \t]*(?:(?P<zhp>\([{_CN}]{{1,3}}\))|(?P<ard>\d{{1,2}}\.(?![\d.%]))|(?P<arc>\d{{1,2}}、(?!\d))|"
    r"(?P<arp>\(\d{1,2}\))|(?P<circ>[①-⑳]))[ \t]*"
)
_STYLES = ("zhang", "bufen", "jie", "tiao", "zh", "zhp", "ard", "arc", "arp", "arh", "circ")
_RANK = {
    "zhang": 0,
    "bufen": 0,
    "jie": 1,
    "tiao": 2,
    "zh": 3,
    "zhp": 4,
    "ard": 5,
    "arc": 5,
    "arp": 6,
    "arh": 6,
    "circ": 7,
}
_CLAUSE_END = rx(r"[。;:!?]")
_NON_DIGIT = rx(r"\D")
_NON_CN = rx(rf"[^{_CN}]")
_COMMA = rx(r",")
_MAX_LINE_TITLE = 60  # a line without a full stop and at most this long is a heading line
_MAX_TITLE = 40
_LOOKAHEAD = 200  # how far past a marker its title can reach


@dataclass(slots=True)
class _Head:
    style: str
    number: int | None
    start: int  # marker start (absolute)
    marker_end: int
    title_span: Span
    inline: bool


def _number(marker: str) -> int | None:
    digits = _NON_DIGIT.sub("", marker)
    if digits:
        return int(digits)
    if "①" <= marker[0] <= "⑳":
        return ord(marker[0]) - ord("①") + 1
    core = _NON_CN.sub("", marker)
    if not core:
        return None
    if len(core) == 1:
        return _CN_VAL[core]
    if core[0] == "十":  # 十一 …
        return 10 + _CN_VAL.get(core[1], 0)
    tens = _CN_VAL[core[0]] * 10
    return tens + (_CN_VAL.get(core[2], 0) if len(core) == 3 else 0)


def _title(folded: str, text_start: int, line_end: int, inline: bool) -> Span:
    """Where the heading's title ends: the whole short line, or the first clause of a paragraph."""
    line = folded[text_start:line_end]
    if not inline and len(line) <= _MAX_LINE_TITLE and "。" not in line.rstrip("。"):
        end = text_start + len(line.rstrip(" \t。,;:"))
        return (text_start, max(end, text_start))
    m = _CLAUSE_END.search(folded, text_start, line_end)
    end = m.start() if m else line_end
    if end - text_start > _MAX_TITLE:
        c = _COMMA.search(folded, text_start, end)
        end = c.start() if c and c.start() > text_start + 1 else text_start + _MAX_TITLE
    return (text_start, end)


def _line_end(folded: str, pos: int) -> int:
    """End of the line at ``pos``, looking no further than a title could reach (keeps this linear)."""
    limit = min(len(folded), pos + _LOOKAHEAD)
    te = folded.find("\n", pos, limit)
    return limit if te < 0 else te


def _candidates(folded: str, base: int) -> list[_Head]:
    heads: list[_Head] = []
    for m, inline in _marks(folded):
        style = m.lastgroup
        if style is None:
            continue
        te = _line_end(folded, m.end())
        if m.end() >= te:  # a bare number on its own line is a table cell, not a heading
            continue
        title = _title(folded, m.end(), te, inline)
        heads.append(
            _Head(
                style,
                _number(m.group(style)),
                base + m.start(style),
                base + m.end(style),
                _shift(title, base),
                inline,
            )
        )
    heads.sort(key=lambda h: h.start)
    return heads


def _marks(folded: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Every heading mark: (match, inline) — at line starts, then inside paragraphs."""
    first = _LINE_MARK.match(folded)
    if first is not None:
        yield first, False
    for m in _AFTER_BREAK_MARK.finditer(folded):
        yield m, False
    for m in _INLINE_MARK.finditer(folded):
        yield m, True


def _shift(span: Span, base: int) -> Span:
    return (span[0] + base, span[1] + base)


def _keep_inline_in_sequence(heads: list[_Head]) -> list[_Head]:
    """Inline items count only as a run 1, 2, 3 …; a lone "(3)" inside a sentence is not a heading."""
    kept: list[_Head] = []
    last: dict[str, int] = {}  # style → number of the last kept heading of that style
    for h in heads:
        if h.inline:
            prev = last.get(h.style)
            if not (h.number == 1 or (prev is not None and h.number == prev + 1)):
                continue
        if h.number is not None:
            last[h.style] = h.number
        # a higher heading restarts the numbering of the styles below it
        for st in _STYLES:
            if _RANK[st] > _RANK[h.style] and st in last and not h.inline:
                del last[st]
        kept.append(h)
    return kept


def build_outline(text: str, span: Span, *, folded: str | None = None) -> list[Section]:
    """The heading tree of ``text[span[0]:span[1]]``; spans are absolute offsets into ``text``. ``folded`` is
    ``fold(text)`` when the caller already has it (folding is per character, so its slice is the same)."""
    start, end = max(0, span[0]), min(len(text), span[1])
    if end <= start:
        return []
    folded = fold(text[start:end]) if folded is None else folded[start:end]
    heads = _keep_inline_in_sequence(_candidates(folded, start))
    roots: list[Section] = []
    stack: list[tuple[str, Section]] = []
    for h in heads:
        styles = [s for s, _ in stack]
        if h.style in styles:
            idx = styles.index(h.style)
        else:
            idx = len(stack)
            while idx > 0 and _RANK[stack[idx - 1][0]] > _RANK[h.style]:
                idx -= 1
        for _, sec in stack[idx:]:
            sec.span = (sec.span[0], h.start)
        del stack[idx:]
        sec = Section(
            marker=text[h.start : h.marker_end],
            level=idx + 1,
            title=text[h.title_span[0] : h.title_span[1]].strip(),
            span=(h.start, end),
            heading_span=(h.start, h.title_span[1]),
        )
        (stack[-1][1].children if stack else roots).append(sec)
        stack.append((h.style, sec))
    return roots
