"""Finding the items a programme enumerates: lists before or after a count, and outline children.

Used by ``programs``. Lists are cut from the original text (so items are quoted as written); the words
in front of the first item (a verb, a modifier ending in 的) are not part of it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from innocity.domain.plan import ProgramPart, Section
from innocity.parsing.rx import rx

QUOTES_OPEN = '“"「『'
QUOTES_CLOSE = '”"」』'
_VERB = rx(
    r"实施|形成|发展|建设好|建设|打造|构建|推进|培育|包括|涵盖|围绕|重点|着力|加快|大力|突出|做强|做大|壮大|"
    r"聚焦|布局|依托|抓好|建成|组建|设立|成立|推动|开展|即|以|是|为|有|整体|积极|深入|全面|继续|进一步|通过|其中|组织|重点发展"
)
_LEAD_VERB = rx(r"^(?:实施|打造|构建|推进|建设|加快|加强|建立|组建|培育|发展|开展|推动)")

_SPLIT = rx(r"、|以及|和|及")
_PIECES = rx(r"[,;，；]|和|以及")
_CLAUSES = rx(r"[,;，；]")
_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def orig(text: str, base: int, a: int, b: int) -> str:
    """The original words between two offsets of the folded slice (lists are quoted as written)."""
    return text[base + a : base + b]


def cn_int(s: str) -> int | None:
    """Arabic or Chinese numerals below 10000 (五 → 5, 十二 → 12, 二十 → 20, 三百 → 300)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch in "十百千":
            mult = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * mult
            cur = 0
        else:
            return None
    return total + cur


_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def numeral_forms(n: int) -> str:
    """A regex alternative matching ``n`` written in digits or Chinese (5 / 五, 10 / 十, 12 / 十二)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        cn = digits[n] + ("|两" if n == 2 else "")
    elif n < 20:
        cn = "十" + (digits[n - 10] if n > 10 else "")
    elif n < 100:
        cn = digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    else:
        cn = str(n)
    wide = str(n).translate(_WIDE)  # titles are matched as written, where digits may be full-width
    return rf"(?:{n}|{wide}|{cn})"


def strip_lead(item: str) -> str:
    for _ in range(2):
        m = _LEAD_VERB.match(item)
        if m and len(item) - m.end() >= 2:
            item = item[m.end() :]
    return item.strip('“”" ')


def unquote(item: str) -> str:
    item = item.strip()
    if len(item) > 2 and item[0] in QUOTES_OPEN and item[-1] in QUOTES_CLOSE:
        return item[1:-1]
    return item


def split_list(clause: str) -> list[str]:
    """Items of "A、B、C和D"; the words in front of A (a verb, a modifier ending in 的) are cut off."""
    items = [unquote(x) for x in _SPLIT.split(clause)]
    if len(items) < 2 or any(not x for x in items):
        return []
    # "布局合理、特色鲜明、运转高效的A平台、B平台": everything up to the last 的 only describes the items.
    with_de = [k for k, x in enumerate(items) if "的" in x]
    if with_de:
        k = with_de[-1]
        items = [items[k].rsplit("的", 1)[1], *items[k + 1 :]]
        if len(items) < 2 or not items[0]:
            return []
    rest = items[1:]
    avg = sum(len(x) for x in rest) / len(rest)
    first = items[0]
    while (lead := _VERB.match(first)) and len(first) - lead.end() >= 2:
        first = first[lead.end() :]  # 打造软件、… / 组织实施新能源、…
    cuts = [0] + [m.end() for m in _VERB.finditer(first)]
    # the cut that makes A about as long as the other items; a verb cut beats no cut on a tie
    cut = min(
        (c for c in cuts if len(first) - c >= 2),
        key=lambda c: (abs(len(first) - c - avg) + (0.75 if c == 0 else 0), -c),
        default=0,
    )
    items[0] = first[cut:]
    if any(len(x) > 30 or len(x) < 2 for x in items):
        return []  # a sentence, or single characters (汉、藏、蒙、回), not a list of names
    return items


def sections(outline: list[Section]) -> list[Section]:
    return [s for top in outline for s in top.walk()]


_MAX_SECTIONS_AHEAD = 300  # where a declared part is expanded: within this many headings after it


def _names_part(title: str, part: ProgramPart) -> bool:
    """True when ``title`` names ``part``: its label right after its count (六大行动, 5个“平台”).

    The label is found with str.find and the count checked before it, so no pattern is compiled per label
    (a plan's parts are all different words: compiling one each cost its first parse ~0.3 ms a part)."""
    i = title.find(part.label)
    while i >= 0:
        if _count_ending(part.declared).search(title, 0, i):
            return True
        i = title.find(part.label, i + 1)
    return False


@lru_cache(maxsize=256)
def _count_ending(n: int) -> re.Pattern[str]:
    """``n`` as a count ending exactly where a label starts: 六大 / 5个“ / 十 项."""
    return re.compile(rf"{numeral_forms(n)}\s*[个大项类家]?\s*[“\"＂]?\Z")


def items_for_part(
    text: str, folded: str, base: int, secs: list[Section], after: int, part: ProgramPart
) -> list[str]:
    """Items of one declared part: children of the section naming it, else a listing inside that section."""
    first = bisect_left(secs, after, key=lambda x: x.span[0])
    head = secs[first - 1].heading_span if first else None
    own: Section | None = None
    if head is not None and head[0] <= after < head[1] and secs[first - 1].children:
        own = secs[first - 1]  # the count is in a heading ("三、实施六大行动"): its children are the items
    for sec in ([own] if own else []) + secs[first : first + _MAX_SECTIONS_AHEAD]:
        if not _names_part(sec.title, part):
            continue
        if sec.children:
            return [strip_lead(c.title) for c in sec.children]
        suffix = re.escape(part.label[-2:])
        body = text[sec.span[0] : sec.span[1]]
        lst = re.search(rf"[^,，。;；:：\n]*?{suffix}(?:(?:、|和|及)[^,，。;；:：\n、]*?{suffix})+", body)
        if lst:
            return split_list(lst.group())
        return []
    # No section names the part: look for a listing of items ending with the label right after the declaration.
    return []


_ITEMS_FOLLOW = rx(r"\s*(?::|,?\s*(?:即|包括|分别是|分别为|主要是|具体是))\s*")


def items_after(text: str, folded: str, base: int, pos: int) -> list[str]:
    """ "实施八大工程:A工程、B工程…" / "…三个平台,即A、B和C": the items named right after a count."""
    lead = _ITEMS_FOLLOW.match(folded, pos)
    if lead is None:
        return []
    stop = min(len(folded), lead.end() + 200)
    ends = [i for i in (folded.find(c, lead.end(), stop) for c in "。;\n") if i >= 0]
    return split_list(orig(text, base, lead.end(), min(ends, default=stop)))


def items_before(segment: str, label: str) -> list[str]:
    """Items named just before a declared count: "以…为代表的A产业,以…为代表的B产业和…等4个高新技术产业"."""
    segment = segment.rstrip("、,，")
    if segment.endswith("等"):
        segment = segment[:-1]
    head = label[-2:]
    pieces = [x for x in _PIECES.split(segment) if x]
    items = [x.rsplit("的", 1)[-1].strip() for x in pieces if x.endswith(head)]
    if len(items) >= 2:
        return items
    last = _CLAUSES.split(segment)[-1]  # "重点发展A、B和C等3个主导产业"
    return split_list(last) if "、" in last else []
