"""Named programmes that declare their parts, and whether the text enumerates as many as it declares.

Three shapes, found on the folded text and quoted from the original:
  code-named   "“5568”创新工程,即“5个行动、5个平台、6个专项、8个产学研创新基地”" — the parts come from the
               clause after 即/包括; items from the outline section that names the part ("(一)推进“五个
               行动”" → its numbered children) or, failing that, from a listing "A行动、B行动…" in it.
               A code without a declaration ("十、百、千"工程, “四城一河”) is kept: parts read from the code
               itself when it spells them (一城五区 → 城 1, 区 5), otherwise none.
  listed       "实施A、B…和H等八大工程", "“专利、品牌、商标、标准”四大战略", "…四个科技创新服务平台" —
               the count labels a list written just before it.
  counted      "推进四大平台建设": N大 + label with nothing listed.

``consistent`` is True when every part whose items are enumerated has as many as declared.
``checkable`` is False when nothing at all is enumerated; ``consistent`` is then False as well, since
agreement was not shown (readers should look at ``checkable`` first).
"""

from __future__ import annotations

import re

from innocity.domain.plan import Program, ProgramPart, Section, Span
from innocity.parsing.program_items import (
    QUOTES_CLOSE,
    QUOTES_OPEN,
    cn_int,
    items_after,
    items_before,
    items_for_part,
    orig,
    sections,
    split_list,
)
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

_CN = "零〇一二两三四五六七八九十百千"
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
_CJK = r"\u4e00-\u9fff"
_Q_OPEN = QUOTES_OPEN
_Q_CLOSE = QUOTES_CLOSE
# “5568”创新工程 / “十、百、千”农业科技创新示范工程 / “一区六基地二十个示范企业”
_CODE = rx(
    rf"[{_Q_OPEN}](?P<code>(?=[^{_Q_CLOSE}]{{0,16}}?[\d{_CN}])[\d{_CN}、{_CJK}]{{2,16}}?)[{_Q_CLOSE}]"
    rf"(?P<tail>(?:(?!的)[{_CJK}]){{0,14}}?(?:工程|计划|行动|战略|体系|布局|格局|建设|管理体制|要求|融合))?"
)
_DECL = rx(r"^\s*[,:]?\s*(?:即|包括|就是|主要是|具体为|分别是)\s*[:“\"]?")
_PART = rx(
    rf"(?P<n>{_NUM})\s*(?P<unit>个|大|家|项|类|条|所|座|支)(?:左右|以上|多)?(?:的)?(?P<label>[{_CJK}、]{{1,40}})"
)
_CODE_PAIR = rx(rf"(?P<n>[{_CN}]{{1,3}}|\d{{1,3}})(?P<m>个|大)?(?P<label>[^{_CN}\d、]{{1,4}})")
_STRONG_TAIL = rx(r"工程|计划|行动|战略")
_STRONG_LABEL = rx(r"(?:工程|计划|行动|战略|专项)$")
# A count that labels a list before it: "…和H等八大工程", "…四个科技创新服务平台"
# words that end a counted label: "三大化工产业链向…", "五大产业完成增加值…"
_AFTER_LABEL = r"建设|的|为|和|与|及|等|向|在|是|完成|实现|达到|取得|成为|作为|已|将|均"
# The first numeral is written out (X then X{0,2}, the same as X{1,3}) so the pattern opens with a character
# class, which the engine skips to instead of trying every position: 29 → 19 ms on the sample x40.
_COUNT = rx(
    rf"(?P<n>[{_CN}\d][{_CN}\d]{{0,2}})\s*(?P<unit>[大个项类])(?P<label>[{_CJK}]{{1,10}}?)"
    rf"(?=[,。;:、)”\"\n]|$|{_AFTER_LABEL})"
)
_CONJ = rx(r"\s*(?:以及|及|和|并|还有)")
_CLAUSE_STOP = rx(r"[。;]")


def _parts_from_code(code: str) -> list[ProgramPart]:
    """Parts a code spells itself: 一城五区 → 城 1, 区 5; 四个发展 → 发展 4; 三足鼎立 → none."""
    pairs = list(_CODE_PAIR.finditer(code))
    if not pairs or sum(len(p.group()) for p in pairs) != len(code):
        return []
    if any(_STRONG_TAIL.fullmatch(p.group("label")) and not p.group("m") for p in pairs):
        return []  # “三百计划”: the number is the name, not a count of parts
    longest = max(len(p.group("label")) for p in pairs)
    if longest > (2 if len(pairs) == 1 else 4):
        return []
    parts = []
    for pm in pairs:
        n = cn_int(pm.group("n"))
        if n is None:
            return []
        parts.append(ProgramPart(label=pm.group("label"), declared=n))
    return parts


_AMOUNT = rx(rf"(?P<label>[{_CJK}]{{0,16}}?)(?P<n>\d{{1,5}})\s*(?P<unit>亿元|万元|亿|万|元|家|个|项)")
_AMOUNT_LEAD = rx(r"^(?:年|末|底|全市|全省|全县|全区|到|至|力争|使)|(?:达到|突破|超过|实现|达)$")


def _amount_label(label: str) -> str:
    """ "全市高新技术产业产值达到" → "高新技术产业产值"."""
    for _ in range(3):
        label = _AMOUNT_LEAD.sub("", label)
    return label


_BUILT_OF = rx(r"(?:构成|组成|组合|形成)的[^、,]*$")


def _list_before_code(
    text: str, folded: str, base: int, at: int, parts: list[ProgramPart]
) -> tuple[int, ProgramPart, list[str]] | None:
    """ "以A、B、C和D构成的唐山湾“四点一带”": the items of one part, listed right before the code."""
    if not parts:
        return None
    lo = max(0, at - 200)
    before = folded[lo:at]
    cut = _clause_start(before)
    clause = before[cut:]
    built = _BUILT_OF.search(clause)
    if built is None:
        return None
    raw = orig(text, base, lo + cut, lo + cut + built.start())
    items = split_list(raw)
    for part in parts:
        if items and len(items) == part.declared:
            return lo + cut + raw.find(items[0]), part, items
    return None


def _code_program(text: str, folded: str, base: int, m: re.Match[str], secs: list[Section]) -> Program:
    code = m.group("code")
    end = m.end()
    parts: list[ProgramPart] = []
    rest = folded[end : end + 300]
    d = _DECL.match(rest)
    if d:
        stop = _CLAUSE_STOP.search(rest)
        clause_end = stop.start() if stop else len(rest)
        clause = rest[d.end() : clause_end]
        digits = [int(c) for c in code] if code.isdigit() else []
        last = d.end()
        for pm in _PART.finditer(clause):
            n = cn_int(pm.group("n"))
            if n is None:
                continue
            if code.isdigit():
                # a numeric code spells its parts' counts: 4315 → 4 …, 30 …, 10 …, 500 …
                if not digits or str(n)[0] != str(digits[0]):
                    continue
                digits.pop(0)
            label = pm.group("label").split("的")[-1].strip("、")
            if label:
                part = ProgramPart(label=label, declared=n)
                seg = orig(text, base, end + last, end + d.end() + pm.start())
                part.found = items_before(seg, label)
                parts.append(part)
                last = d.end() + pm.end()
        for extra in _AMOUNT.finditer(clause, last - d.end()) if digits else ():
            # the code's remaining digits may be amounts rather than counts: 4315 → … 500亿元
            if not digits or extra.group("n")[0] != str(digits[0]):
                continue
            digits.pop(0)
            parts.append(
                ProgramPart(
                    label=f"{_amount_label(extra.group('label'))}({extra.group('unit')})",
                    declared=int(extra.group("n")),
                )
            )
            last = d.end() + extra.end()
        if parts:
            close = rest[last : last + 1]
            end = end + last + (1 if close and close in _Q_CLOSE else 0)
    else:
        parts = _parts_from_code(code)
        listed = _list_before_code(text, folded, base, m.start(), parts)
        if listed is not None:
            start_at, part, items = listed
            part.found = items
            start = base + start_at
            return _program(text, (start, base + m.end()), text[base + m.start() : base + m.end()], parts)
    for part in parts:
        if not part.found:
            part.found = items_for_part(text, folded, base, secs, base + m.start(), part)
    start = base + m.start()
    return _program(text, (start, base + end), text[start : base + m.end()], parts)


def _program(text: str, span: Span, name: str, parts: list[ProgramPart]) -> Program:
    listed = [p for p in parts if p.found]
    checkable = bool(listed)
    consistent = checkable and all(len(p.found) == p.declared for p in listed)
    return Program(
        text=text[span[0] : span[1]],
        span=span,
        name=name,
        parts=parts,
        consistent=consistent,
        checkable=checkable,
    )


def _clause_start(before: str) -> int:
    """Where the clause that ends ``before`` begins (after the last , 。 ; : ! ? newline or bracket)."""
    return max(before.rfind(c) for c in ",。;:!?\n(") + 1


def _launched(before: str, label: str) -> bool:
    """ "组织实施10个重大科技专项": a counted programme launched by name, even with nothing listed."""
    return before.endswith(("实施", "启动", "开展")) and bool(_STRONG_LABEL.search(label))


def _list_program(text: str, folded: str, base: int, m: re.Match[str], secs: list[Section]) -> Program | None:
    """A count that labels a list: items before it, right after it, or as the children of its heading."""
    n = cn_int(m.group("n"))
    label = m.group("label")
    if n is None or n < 2 or n > 50 or not label:
        return None
    lo = max(0, m.start() - 200)
    before = folded[lo : m.start()]
    items: list[str] = []
    start = m.start()
    quoted = before[-1:] in _Q_CLOSE and before[-1:] != ""
    if quoted:  # “专利、品牌、商标、标准”四大战略
        q = max(before.rfind(c, 0, len(before) - 1) for c in _Q_OPEN)
        if q < 0 or len(before) - q > 82:
            return None
        items = split_list(orig(text, base, lo + q + 1, lo + len(before) - 1))
        start = lo + q
    else:
        cut = _clause_start(before)
        conj = _CONJ.match(before, cut)
        if conj:
            cut = conj.end()
        clause = before[cut:]
        etc = clause.endswith("等")
        if etc or "、" in clause or "和" in clause:
            clause = orig(text, base, lo + cut, m.start() - (1 if etc else 0))
            if "、" in clause or "和" in clause:
                items = split_list(clause)
            elif etc:  # "包括A等12个子平台": one item named, the rest left out
                items = split_list(clause + "、XX")[:1]
            if items:
                start = lo + cut + clause.find(items[0])
    after = [] if items else items_after(text, folded, base, m.end())
    if not items and not after and m.group("unit") != "大" and not _launched(before, label):
        return None  # "五个县市区" with nothing listed is just a count
    if not items:
        items = after or items_for_part(text, folded, base, secs, base + m.start(), ProgramPart(label, n))
    if m.group("unit") == "项" and before.endswith("等") and 0 < len(items) < n:
        return None  # "A、B等29项关键技术的研究": examples of a tally, not a programme's parts
    s, e = base + start, base + m.end()
    name = text[s:e] if quoted else text[base + m.start() : e]
    return _program(text, (s, e), name, [ProgramPart(label=label, declared=n, found=items)])


_MAX_MENTIONS = 4  # mentions of one code examined for its declaration or listing


def extract_programs(text: str, span: Span, outline: list[Section], *, folded: str | None = None) -> list[Program]:
    """The programmes declared in ``text[span]``, in document order (``folded``: ``fold(text)``, if at hand)."""
    s0, s1 = max(0, span[0]), min(len(text), span[1])
    if s1 <= s0:
        return []
    folded = fold(text[s0:s1]) if folded is None else folded[s0:s1]
    secs = sections(outline)
    out: list[Program] = []
    by_code: dict[str, int] = {}
    known: set[tuple[str, int]] = set()
    mentions: dict[str, int] = {}
    for m in _CODE.finditer(folded):
        code = m.group("code")
        mentions[code] = mentions.get(code, 0) + 1
        if code in by_code and (out[by_code[code]].checkable or mentions[code] > _MAX_MENTIONS):
            continue  # already have its enumerating mention, or have looked at enough of them
        prog = _code_program(text, folded, s0, m, secs)
        tail = m.group("tail") or ""
        strong = bool(_STRONG_TAIL.search(tail) or _STRONG_TAIL.search(code[-2:])) or code.isdigit()
        if not (strong or prog.parts):
            continue  # “两型社会”, “三足鼎立”: slogans, not programmes with parts
        if code in by_code:
            # a programme is named again later ("全面落实“5568”创新工程的各项任务"): keep the declaring mention
            k = by_code[code]
            if (not out[k].parts and prog.parts) or (prog.checkable and not out[k].checkable):
                out[k] = prog  # the mention that declares or enumerates the parts is the programme
                known |= {(part.label, part.declared) for part in prog.parts}
            continue
        parts = {(part.label, part.declared) for part in prog.parts}
        if parts and parts <= known:
            continue  # “五个行动”: a part of a programme declared earlier, named again
        known |= parts
        by_code[code] = len(out)
        out.append(prog)
    labels_by_count: dict[int, list[str]] = {}
    for lab, n in known:
        labels_by_count.setdefault(n, []).append(lab)
    taken = sorted(p.span for p in out)
    k = 0
    for m in _COUNT.finditer(folded):
        a, b = s0 + m.start(), s0 + m.end()
        while k < len(taken) and taken[k][1] <= a:
            k += 1  # count matches come in order: code spans wholly before this one are done
        if any(x < b and a < y for x, y in taken[k : k + 8]):
            continue
        if _ordinal(folded, m):
            continue
        p = _list_program(text, folded, s0, m, secs)
        if p is None:
            continue
        part = p.parts[0]
        if any(
            lab.endswith(part.label) or part.label.endswith(lab)
            for lab in labels_by_count.get(part.declared, [])
        ):
            continue  # the listing of a part of a code-named programme ("六个科技专项" of “5568”)
        out.append(p)
    out.sort(key=lambda p: p.span[0])
    return _merge_pairs(text, out)


# 党的二十大精神, 十九大和十九届二中全会, 第十四个五年规划: ordinals of congresses and plans, not counts.
_CONGRESS_AFTER = rx(r"(?:精神|报告|以来|和|、|胜利|召开|提出|部署|作出|重要|及)")


def _ordinal(folded: str, m: re.Match[str]) -> bool:
    before = folded[max(0, m.start() - 2): m.start()]
    if before.endswith("第") or before.endswith("党的"):
        return True
    n = m.group("n")
    return m.group("unit") == "大" and len(n) >= 2 and bool(_CONGRESS_AFTER.match(m.group("label")))


def _merge_pairs(text: str, progs: list[Program]) -> list[Program]:
    """ "10大特色产业基地和10大研发中心": two counts joined by 和 are one programme with two parts."""
    out: list[Program] = []
    for p in progs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.checkable
            and not p.checkable
            and len(prev.parts) == 1
            and len(p.parts) == 1
            and text[prev.span[1] : p.span[0]] in ("和", "及", "、", "以及")
        ):
            out[-1] = _program(
                text, (prev.span[0], p.span[1]), text[prev.span[0] : p.span[1]], prev.parts + p.parts
            )
        else:
            out.append(p)
    return out
