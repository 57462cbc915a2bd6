"""The reading rules of the target extractor: the kind of a target (level / growth / change), its
indicator phrase, and shared subjects that stand for several targets. Which numbers are not values at all
(hard negatives) is the rule table of ``targets_negatives``; fact or target, that of ``targets_tense``.

Everything works on small windows of folded text around one quantity, so each rule is a cheap regex.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from innocity.parsing.numbers import Quantity
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import COUNT_UNITS, FROM_FIGURE

_YEAR_IN = rx(r"(?<![比较与同在])(?:19|20)[0-9Xx*]{2}\s*年(?:底|末)?(?:前)?(?!的|基础|水平|基数|相比|比)")
_COMPARED = rx(r"(?:比|较|相比|相较于?)(?:“|\d|上|十|20|19|同期|基期)")
# A noun right after a value ("8个…基地"), not a verb or a particle ("5家提升至", "3%以上").
NOUN_START = rx(r"(?!增|提|发|降|下|上|减|扩|达|到|至|翻|实|突|占|比|较|以|左|的|及|和|与|或)[\u4e00-\u9fff]")
_NOUN_END = rx(r"[,;。:\s]|(?:和|及|与|、)?\d")
_NOUN_LEAD = rx(r"^(?:以上|左右|及以上|以内|多|余)?(?:的)?")
_BRACKETED = rx(r"“[^”]*”|\([^)]*\)")
_AND = rx(r"和|及|与")


# --- kind -----------------------------------------------------------------------------------------------
_GROWTH_TAIL = rx(
    r"(?P<avg>年均|年平均|平均每年|每年|逐年|年)?(?P<verb>增长|增加|递增|提高|提升|上升|增幅|增速|涨幅|上涨|下降|降低|减少|削减|缩减|压减|压缩|降幅)"
    r"(?:了)?(?:率)?(?:幅度)?(?:保持在|控制在|达到|达|为|在)?(?:约|近)?\s*$"
)
_DOWN = ("下降", "降低", "减少", "削减", "缩减", "压减", "压缩", "降幅")
_BASELINE = rx(r"(?:比|较|相比|相较于?)(?P<b>[^,;。比较]{1,16}?)(?:年均|平均)?(?:增长|增加|提高|提升|上升|下降|降低|减少|削减|缩减)")


def kind_of(q: Quantity, pre: str) -> tuple[str, str | None, bool]:
    """(kind, baseline text, decrease?) for a quantity and the text before it in its clause."""
    unit = q.unit or ""
    if q.special == "double":
        return "change", None, False  # 翻一番: a multiple of the baseline (see targets_shapes)
    if unit not in ("%", "百分点", "‰"):
        return "level", None, False
    m = _GROWTH_TAIL.search(pre, max(0, len(pre) - 20))
    if m is None:
        return "level", None, False
    down = m.group("verb") in _DOWN
    b = _BASELINE.search(pre)
    if b is not None:
        return "change", b.group("b").strip(), down
    if m.group("avg"):
        return "growth", None, down
    if unit == "百分点" or m.group("verb") in ("提高", "提升", "上升"):
        return "change", None, down
    return "growth", None, down


# --- indicator phrase ----------------------------------------------------------------------------------
_LEAD = rx(
    r"^(?:(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}[、.]|[①-⑳]|——|-|—|"
    r"[一二三四五六七八九十]{1,2}是|其[一二三四五六七八九十](?![^,;。\s]{0,3}(?:产业|类))|首先|其次|再次|最后|"
    r"今年|明年|全年|要(?!素|求|点|件|闻)|"
    r"其中|同时|并且|并|且|以及|及|和|另外|此外|力争|争取|确保|努力|预计|计划|基本|初步|使得|使|"
    r"全市|全省|全区|全县|我市|我省|本市|全社会(?=研发|R&D)|到|至|达到|实现|累计|新增|"
    r"(?:到|至|截至)?\s*(?:19|20)[0-9Xx*]{2}\s*年(?:底|末)?|“?十[一二三四五]五”?(?:末|期末|期间)?)[,\s]*)+"
)
# Words that end a subject before its value (达到, 力争达到约 …), stripped from the end one at a time.
_TAIL_WORDS = frozenset(
    """力争 争取 稳定 保持 控制 分别 均 都 要 将 已经 已 能 总计 合计 累计 共 达到 达至 达 突破 超过 超 不低于 不少于
    不超过 不高于 低于 高于 控制在 保持在 稳定在 提高到 提升到 提升至 提高至 增加到 增至 增长到 降至 降低到 下降到 下降至
    调整为 调整到 实现 为 占 在 ≥ ≤ > < 约 近 大约 达道 达倒 打到 到达 确保 努力 完成 新增 净增 累计完成""".split()  # typos as typed: 达道/达倒
)


# The tail words reversed, longest first, matched at the start of the reversed tail: one anchored match.
# Words of one length in a fixed order, so the pattern is the same text in every process (see alternation).
_TAIL_REV = rx("(?:(?:" + "|".join(re.escape(w[::-1]) for w in sorted(_TAIL_WORDS, key=lambda w: (-len(w), w)))
                       + r")\s*)*")


def _strip_tail(subj: str) -> str:
    subj = subj.rstrip()
    m = _TAIL_REV.match(subj[: -13 : -1] if len(subj) > 12 else subj[::-1])
    return subj[: len(subj) - m.end()] if m and m.end() else subj


_COUNT_VERB = rx(
    r"(?:建成|建设|新建|培育|引进|组织实施|实施|创建|扶持|形成|选择|设立|建立|打造|研究|落实|举办|推广|新增|"
    r"拥有|有|吸引|集聚|招引|认定|培养|支持|开展|研发|开发|制定|攻克|突破|完成)\s*$"
)
_LIST_SPLIT = rx(r"、|和(?=[^和、]*$)")
_HEAD_NOUN = rx(r"(?:率|量|额|数|值|比重|比例|收入|产值|总量|规模|投入|支出|面积|人数|数量|强度)$")


def indicator_of(pre: str, post: str, q: Quantity) -> str:
    """The indicator as the plan names it: the subject before the verb, or the noun after a counted value."""
    subj = pre.strip()
    lead = _LEAD.match(subj)  # match, not sub: an anchored sub still tries every position
    if lead is not None:
        subj = subj[lead.end() :]
    # The tail pattern ends in $: search only the last few characters so long clauses stay cheap.
    subj = _strip_tail(subj).strip(" ,、的")
    fm = FROM_FIGURE.search(subj)
    if fm is not None and fm.start() > 1:
        subj = subj[: fm.start()]  # 专利拥有量从2020年的10.2件提升至… → 专利拥有量
    yms = list(_YEAR_IN.finditer(subj)) if "年" in subj else []
    ym = yms[-1] if yms else None
    if ym is not None and 0 < ym.start() and ym.end() < len(subj):
        # 会议提出了2025年全县科技型企业总数: the words before a year clause inside the subject are framing
        subj = subj[ym.end():]
        lead = _LEAD.match(subj)
        subj = subj[lead.end():] if lead else subj
    if q.unit in ("%", "百分点"):
        cmp_at = _COMPARED.search(subj)
        if cmp_at is not None and cmp_at.start() > 1:
            subj = subj[: cmp_at.start()]  # 科技进步贡献率比“十五”期末提高 → 科技进步贡献率
    if pre.rstrip().endswith(("和", "及", "与", "、")):
        subj = ""  # "10大基地和10大研发中心": the second count names its noun after it
    tail = pre.rstrip()[-8:]
    counted = (q.unit or "") in COUNT_UNITS and bool(NOUN_START.match(post))
    if not subj or counted or (q.unit not in ("%", "百分点") and _COUNT_VERB.search(tail)):
        noun = _NOUN_END.split(post, maxsplit=1)[0]
        nl = _NOUN_LEAD.match(noun)
        noun = noun[nl.end() :] if nl else noun
        return (subj + noun)[:60] if noun else subj
    return subj[:60]


def split_subjects(subject: str, q: Quantity, kind: str, pre: str, post: str = "") -> list[str]:
    """Several indicators when a rate or a 均-predicate is shared ("A、B和C均达到90%以上"); else one.

    Counts stay one combined total ("人才和学科带头人达到300名") unless 均/分别 says each; a share of what
    follows it ("A区、B区50%的社区建成…") is one target whose list only says where.
    """
    # 均 says each conjunct reaches the value; 分别 pairs conjuncts with several values, already separate.
    shared = "均" in pre[-6:] and "分别" not in pre
    rate = (q.unit in ("%", "百分点", "‰")) or kind == "growth"
    if not subject or not (shared or rate) or (post.startswith("的") and not shared):
        return [subject]
    head, sep, tail = subject.partition("占")
    if sep and not shared:
        region = head
    else:
        region, tail = subject, ""
    if "“" in region or "(" in region:
        region_plain = _BRACKETED.sub(lambda m: "#" * len(m.group()), region)
    else:
        region_plain = region
    if "、" in region_plain:
        cuts = [m.start() for m in _LIST_SPLIT.finditer(region_plain)]
    else:
        m = _AND.search(region_plain)
        if m is None or not _HEAD_NOUN.search(region_plain, max(0, m.start() - 4), m.start()):
            return [subject]
        cuts = [m.start()]
    parts: list[str] = []
    last = 0
    for c in cuts:
        parts.append(region[last:c])
        last = c + 1
    parts.append(region[last:])
    parts = [p.strip() for p in parts if p.strip()]
    if len(parts) < 2:
        return [subject]
    suffix = (sep + tail) if sep and not shared else ""
    return [p + suffix for p in parts]


_CLAUSE_BEFORE = rx(r"[^,;。:\n]{2,40}$")


def previous_clause_subject(f: str, seg_start: int, q: Quantity, q_starts: list[int]) -> str:
    """The subject a figure without one takes from the clause right before it ("争取上级资金支持,确保超过6000万元"),
    when that clause holds no figure of its own (else the previous target's indicator is the better guess)."""
    if seg_start < 2:
        return ""
    if f[seg_start - 1] == "\n":
        # a hard line break inside a sentence ("高新技术企业达\n到1000家"), as pages copied from PDFs have
        ls = f.rfind("\n", 0, seg_start - 1) + 1
        if f[seg_start - 2] in "。;:!?" or seg_start - 1 - ls < 10:
            return ""
    elif f[seg_start - 1] not in ",;":
        return ""
    m = _CLAUSE_BEFORE.search(f, max(0, seg_start - 41), seg_start - 1)
    if m is None or not m.group().strip():
        return ""
    if bisect_left(q_starts, m.start()) < bisect_left(q_starts, seg_start):
        return ""
    return indicator_of(m.group(), "", q)


# --- 分别: subjects paired with values ----------------------------------------------------------------
_RESP_VERB = rx(r"[^\d,;。:、和]{0,6}$")
_RESP_JOIN = rx(r"\s*(?:和|、|及|与|以及|,)\s*$")
_SUBJ_CUT = rx(r"在|比|较|相比|实现|达到|均|要|将|分别")
_CONJUNCTS = rx(r"、|和|及|与")
_CLAUSE_BACK = rx(r"[^,;。:]{0,60}$")


def respective(f: str, qs: list[Quantity], ps: int) -> dict[int, tuple[str, str, str]]:
    """Values paired with subjects by 分别 ("总产值、增加值分别为190亿元和67亿元", "A和B…,分别超过90家和870家"):
    quantity start → (its own indicator, comparator, the words before the list's first value). The
    comparator (超过, 不低于) and the verb (年均增长) written before the first value govern every value of the
    list; when the counts of subjects and values differ, the indicator is left empty for the caller."""
    out: dict[int, tuple[str, str, str]] = {}
    i = 0
    while i < len(qs):
        q = qs[i]
        k = f.rfind("分别", max(ps, q.start - 8), q.start)
        if k < 0 or not _RESP_VERB.search(f, k + 2, q.start):
            i += 1
            continue
        group = [q]
        while i + len(group) < len(qs):
            nxt = qs[i + len(group)]
            if nxt.start - group[-1].end > 4 or not _RESP_JOIN.match(f, group[-1].end, nxt.start):
                break
            group.append(nxt)
        i += len(group)
        if len(group) < 2:
            continue
        names = _respective_subjects(f, ps, k)
        if len(names) != len(group):
            names = [""] * len(group)  # the subjects cannot be paired; the verb and comparator still govern all
        comp = next((g.comparator for g in group if g.comparator != "="), "=")
        lead_pre = f[k: q.start]
        for g, name in zip(group, names, strict=True):
            out[g.start] = (name, g.comparator if g.comparator != "=" or g.value_max is not None else comp, lead_pre)
    return out


def _respective_subjects(f: str, ps: int, k: int) -> list[str]:
    """The conjuncts named before 分别 at ``k``: in its own clause, or else in the clause before it."""
    m = _CLAUSE_BACK.search(f, max(ps, k - 60), k)
    own = m.group() if m else ""
    names = _conjuncts(own)
    if len(names) < 2 and m is not None and m.start() > ps:
        prev = _CLAUSE_BACK.search(f, max(ps, m.start() - 61), m.start() - 1)
        names = _conjuncts(prev.group()) if prev else names
    return names


def _conjuncts(clause: str) -> list[str]:
    lead = _LEAD.match(clause.strip())
    subj = clause.strip()[lead.end():] if lead else clause.strip()
    cut = _SUBJ_CUT.search(subj, 2)
    subj = _strip_tail(subj[: cut.start()] if cut else subj).strip(" ,、的")
    if "“" in subj or "(" in subj:
        return [subj] if subj else []
    return [p.strip() for p in _CONJUNCTS.split(subj) if p.strip()]
