"""The numbers of one sentence that may be figures: every quantity ``numbers.find_quantities`` finds, the
parts of a structure ratio (三次产业结构 5.0:37.8:57.2), and the bare numbers of a list that share the
unit of the last one (上升0.1和0.8个百分点, 高1.9、0.9、0.1个百分点).

Also: a minus sign written before a number (人口自然增长率为-1.9‰), and a counter numbers.py does not know
after a bare scale word (760亿斤 → 亿斤). Works on folded text with footnote marks masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from innocity.parsing.bulletin_phrases import clean
from innocity.parsing.numbers import find_quantities

SENTENCE_END = "。!?\n"
CLAUSE_END = ",;:"
_LIST_BARE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:、|和|及|与)\s*$")
_RATIO = re.compile(r"(?<![\d.:])\d{1,3}(?:\.\d+)?(?::\d{1,3}(?:\.\d+)?){1,3}(?![\d.:])")
_RATIO_CONTEXT = re.compile(r"(?:比例|结构|构成|比)[^,;。]{0,40}$")
_RATIO_BASE = re.compile(r"由(?:(?P<last>上年|去年)|(?P<y>(?:19|20)\d\d)年)(?:末|底)?的?\s*$")
_RATIO_SPLIT = re.compile(r"由|调整为|变为|为")
_SCALES = frozenset({"万", "亿", "万亿", "千万", "百万"})
_COUNTER_AFTER = re.compile(r"斤|颗|棵|匹|艘|架|枚|盏|册|幢|只|头|口")


@dataclass(slots=True)
class Cand:
    """A number that may be a figure, in folded-text offsets."""

    start: int
    end: int
    value: float
    unit: str | None
    comparator: str = "="
    approx: bool = False
    chinese: bool = False
    double: bool = False  # 翻一番
    # ratio parts: (clause phrase, part index, number of parts, baseline year (-1: 上年), ratio start, end)
    ratio: tuple[str, int, int, int | None, int, int] | None = None


def clause_start(g: str, s: int, pos: int) -> int:
    """After the last , ; : or sentence end before ``pos`` (a colon between digits belongs to a ratio)."""
    i = pos - 1
    while i >= s and g[i] not in SENTENCE_END and (g[i] not in CLAUSE_END or (g[i] == ":" and g[i - 1: i].isdigit())):
        i -= 1
    return i + 1


def _ratios(g: str, s: int, e: int) -> list[Cand]:
    out: list[Cand] = []
    for m in _RATIO.finditer(g, s, e):
        cstart = clause_start(g, s, m.start())
        if not _RATIO_CONTEXT.search(g, cstart, m.start()):
            continue  # 14:30:01 is a time; a ratio is introduced by 比例/结构/构成/比
        base = _RATIO_BASE.search(g, max(cstart, m.start() - 8), m.start())
        base_year = None
        if base is not None:
            base_year = -1 if base.group("last") else int(base.group("y"))
        phrase = clean(_RATIO_SPLIT.split(g[cstart: m.start()])[0])
        parts = m.group().split(":")
        pos = m.start()
        for i, part in enumerate(parts):
            info = (phrase, i, len(parts), base_year, m.start(), m.end())
            out.append(Cand(pos, pos + len(part), float(part), None, ratio=info))
            pos += len(part) + 1
    return out


def candidates(g: str, s: int, e: int) -> list[Cand]:
    """Every possible figure in ``g[s:e]`` in order of position, none overlapping another."""
    out = _ratios(g, s, e)
    taken = [(c.start, c.end) for c in out]
    for q in find_quantities(g, s, e):
        if q.value is None or any(a < q.end and q.start < b for a, b in taken):
            continue
        start, value, end, unit = q.start, q.value, q.end, q.unit
        if start >= 1 and g[start - 1] == "-" and (start < 2 or not g[start - 2].isdigit()):
            start, value = start - 1, -value
        if unit in _SCALES and q.post is None and (m := _COUNTER_AFTER.match(g, end)) is not None:
            unit, end = unit + m.group(), m.end()
        out.append(Cand(start, end, value, unit, q.comparator, q.approx, q.chinese, q.special == "double"))
        if unit:
            pos = start
            while (m := _LIST_BARE.search(g, max(s, pos - 16), pos)) is not None:
                out.append(Cand(m.start(1), m.end(1), float(m.group(1)), unit))
                pos = m.start(1)
    out.sort(key=lambda c: c.start)
    dedup: list[Cand] = []
    for c in out:
        if not dedup or c.start >= dedup[-1].end:
            dedup.append(c)
    return dedup
