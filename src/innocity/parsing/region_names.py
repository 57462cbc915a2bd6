"""Place names in a plan's text, for the region vote (``region.detect_region``).

Owns the gazetteer: every surface form that can name a place (full division names 西宁市/湖南省/环县, safe
short names 西宁/湖南, and the landmarks, parks and nicknames of ``data/landmarks.csv``: 曹妃甸, 泉城,
九华经济区) in one Aho-Corasick automaton (leftmost-longest), so a plan is scanned in a single pass in
compiled code (a Python ``re`` alternation of 3,500 names costs ~1 µs per character). Also finds the
province abbreviations where they are one (在湘院士, 鲁企) and counts how a plan speaks of itself
(我市/全省/县委), and reads the plan's title line for the place it opens with.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs

from innocity.domain.divisions import PROVINCE_ABBREVIATIONS, Division, Divisions, load_divisions
from innocity.domain.plan import Span
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import SELF_SCOPE_WORDS, TITLE_WORD

# Short names of prefecture-level units that are everyday words or collide with common phrases
# (长治久安, 四平八稳, 文山会海, 大理石, 日照时数, 沿海口岸, 新乡村, 黄河源 …): only their full names count.
SHORT_STOP = frozenset(
    "大同 长治 安康 日照 来宾 中山 阿里 普洱 大理 红河 怒江 玉树 海西 海北 山南 白银 朝阳 兴安 北海 黄山 "
    "淮南 文山 白山 黑河 海口 江门 新乡 河源 四平 广安".split()
)
_FULL_STOP = frozenset(
    "海城市 兴城市 合作市 新城区 城关区 新市区 市中区 城东区 城西区 城北区 城中区 城南区 郊区 矿区 城区 "
    "东区 西区 南区 北区 中区 高新区 开发区 新区 长安区 白云区 和平区 新华区 铁西区 铁东区".split()
)
_ABBR_OK = "湘鄂粤闽赣皖豫冀鲁黔滇渝沪陇琼桂京浙川"
_ABBR_BEFORE = "在来入驻赴援留返"  # 在湘院士, 来湘投资, 入黔
_ABBR_AFTER = "商企籍"  # 湘商, 鲁企, 湘籍
ABBR_NOT_NEXT = set("尔州江西南北潭乡阳林东")  # 在鄂尔多斯, 在桂林: a place name, not the abbreviation
SCOPE_OF = {w: k for k, words in SELF_SCOPE_WORDS.items() for w in words}
_NOT_AFTER = set("岸麓畔")
_SELF_AFTER = rx(r"(?:市委|市人民政府|市政府|国家创新型|创新型|为国家|人民政府|省委|省政府)")
# Two-character county names (环县, 岷县, 沛县) are safe as written: the 县 is part of the name.
_SHORT_COUNTY = rx(r"^[\u4e00-\u9fff][县旗]$")
_ORGANS_AFTER = rx(r"委|人民政府|政府|人大|政协")
_CJK = rx(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Form:
    kind: str  # full | short | landmark
    targets: tuple[tuple[str, float], ...]  # (adcode, weight)


@dataclass(slots=True)
class Gazetteer:
    divisions: Divisions
    forms: dict[str, Form]
    names: list[str]
    matcher: ahocorasick_rs.AhoCorasick  # leftmost-longest over every surface form, in C
    abbr: list[str]  # abbreviations in context, then the self-reference words
    abbr_matcher: ahocorasick_rs.AhoCorasick


@dataclass(slots=True)
class Hit:
    """One place name in the text: its span (absolute), surface form, kind, divisions and weight boost."""

    span: Span
    form: str
    kind: str
    targets: tuple[tuple[str, float], ...]
    boost: float


def _load_landmarks() -> list[tuple[str, str, str]]:
    raw = resources.files("innocity.data").joinpath("landmarks.csv").read_text(encoding="utf-8")
    return [(r["name"], r["city_adcode"], r["kind"]) for r in csv.DictReader(io.StringIO(raw))]


@lru_cache(maxsize=4)
def gazetteer(stop_short: float, landmark_kinds: tuple[tuple[str, float], ...], other_landmark: float) -> Gazetteer:
    """The automaton over every surface form; ``stop_short`` is the weight of a short name that is also an
    everyday word, ``landmark_kinds`` the weight of each kind of landmark (others: ``other_landmark``)."""
    divs = load_divisions()
    full: dict[str, list[str]] = defaultdict(list)
    short: dict[str, list[str]] = defaultdict(list)
    for d in divs:
        if (len(d.name) > 2 or _SHORT_COUNTY.match(d.name)) and d.name not in _FULL_STOP:
            full[d.name].append(d.adcode)
        if d.level in ("province", "city"):
            sh = d.short  # computed from the name on every access (strips suffixes and ethnic names)
            if len(sh) >= 2 and sh != d.name:
                short[sh].append(d.adcode)
    forms: dict[str, Form] = {}
    for name, codes in full.items():
        forms[name] = Form("full", tuple((c, 1.0 / len(codes)) for c in codes))
    for name, codes in short.items():
        if name in forms:
            continue
        if name in SHORT_STOP:
            if len(codes) == 1:  # counts a little: a plan may still call its own city 大同 throughout
                forms[name] = Form("short", ((codes[0], stop_short),))
            continue
        if len(codes) > 1:
            # 吉林, 海南: bare, they mean the province far more often than the prefecture of that name
            codes = [c for c in codes if (div := divs.by_adcode(c)) is not None and div.level == "province"]
            if len(codes) != 1:
                continue
        forms[name] = Form("short", ((codes[0], 1.0),))
    kinds = dict(landmark_kinds)
    for name, code, kind in _load_landmarks():
        if name not in forms:
            forms[name] = Form("landmark", ((code, kinds.get(kind, other_landmark)),))
    names = sorted(forms)
    matcher = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    # Abbreviations in context and the self-reference words share one overlapping pass.
    abbr = [f"{b}{a}" for a in _ABBR_OK for b in _ABBR_BEFORE] + [f"{a}{b}" for a in _ABBR_OK for b in _ABBR_AFTER]
    abbr += [w for words in SELF_SCOPE_WORDS.values() for w in words]
    # A DFA for the 240 short words: built in 0.5 ms, it scans twice as fast as the default automaton (the
    # 3,800 names above stay on the default: their DFA costs 15 ms more to build than it saves on 1.5 M chars).
    abbr_matcher = ahocorasick_rs.AhoCorasick(abbr, implementation=ahocorasick_rs.Implementation.DFA)
    return Gazetteer(divs, forms, names, matcher, abbr, abbr_matcher)


def scan(plan: str, offset: int, g: Gazetteer, *, head_chars: int, head_boost: float,
         self_boost: float) -> list[Hit]:
    """Every place name in ``plan`` (which starts at ``offset``); names in the title and preamble are
    boosted by ``head_boost``, names followed by their own organs (西宁市人民政府) by ``self_boost``."""
    hits: list[Hit] = []
    head_end = min(head_chars, len(plan) // 5 + 100)
    n = len(plan)
    sure: set[str] = set()
    for idx, s, e in g.matcher.find_matches_as_indexes(plan):
        name = g.names[idx]
        nxt = plan[e] if e < n else ""
        # 合作市场, 江北区域, 黄河北岸: the name is part of another word
        if (nxt == "场" and name[-1] == "市") or (nxt == "域" and name[-1] == "区") or nxt in _NOT_AFTER:
            continue
        if len(name) == 2 and name[-1] in "县旗" and name not in sure:
            # 环县, 高县, 范县: two-character county names hide in words (提高县域, 示范县). One counts once the
            # plan has named it in its title or preamble, or beside its own organs (环县人民政府, 中共环县委).
            prev = plan[s - 1] if s else ""
            if (_CJK.match(prev) and prev not in "省市州共") or (s >= head_end and not _ORGANS_AFTER.match(plan, e)):
                continue
            sure.add(name)
        form = g.forms[name]
        boost = 1.0
        if s < head_end:
            boost *= head_boost
        if _SELF_AFTER.match(plan, e):
            boost *= self_boost
        hits.append(Hit((s + offset, e + offset), name, form.kind, form.targets, boost))
    return hits


def abbreviations_and_scope(plan: str, offset: int, g: Gazetteer) -> tuple[list[tuple[str, Span]], dict[str, int]]:
    """Province abbreviations where they are one (在湘院士, 湘商) as (province, span), and how often the plan
    speaks of itself as each kind of place (city/province/county/district)."""
    out: list[tuple[str, Span]] = []
    n = len(plan)
    counts: dict[str, int] = defaultdict(int)
    for idx, s, e in g.abbr_matcher.find_matches_as_indexes(plan, overlapping=True):
        word = g.abbr[idx]
        scope = SCOPE_OF.get(word)
        if scope is not None:
            if not (word[-1] == "市" and e < n and plan[e] == "场"):  # 各市场主体 is not 各市
                counts[scope] += 1
            continue
        if word[0] in _ABBR_BEFORE:
            if e < n and plan[e] in ABBR_NOT_NEXT:
                continue
            pos = s + 1
        else:
            pos = s
        out.append((PROVINCE_ABBREVIATIONS[plan[pos]], (pos + offset, pos + offset + 1)))
    return out, counts


def scope_of(counts: dict[str, int], scope_min: int) -> str | None:
    """The kind of place the plan speaks of itself as: ``scope_min`` self-references outvote 全市."""
    city, prov, county, district = counts["city"], counts["province"], counts["county"], counts["district"]
    if prov > city and prov >= max(county, district) and prov >= scope_min:
        return "province"
    if county > city and county >= scope_min:
        return "county"
    if district > city and district >= scope_min:
        return "district"
    if not (city or prov or county or district):
        return None
    if city and city >= max(county, district):
        return "city"  # a city plan also cites 全省 now and then
    # Few self-references and no more 全市 than 全县: a short county plan says 全县 twice and 县委 once
    ranked = sorted((("county", county), ("district", district), ("province", prov)), key=lambda kv: -kv[1])
    return ranked[0][0]


# How a county-level unit speaks of itself, by the last character of its name.
_SELF_KIND = {"县": "county", "旗": "county", "区": "district", "市": "city"}


def title_end(plan: str) -> int | None:
    """End of the plan's title when its first line reads like a title (方案, 规划 …), or its first two lines do
    (a title broken after its first words: "洞头区大力提升科技创新能力\n全面落实…实施方案"); else None."""
    lead = len(plan) - len(plan.lstrip())
    nl = plan.find("\n", lead)
    end = min(nl if nl >= 0 else len(plan), lead + 80)
    if TITLE_WORD.search(plan, lead, end):
        return end
    if nl < 0 or end - lead > 30:
        return None
    nl2 = plan.find("\n", nl + 1)
    end2 = min(nl2 if nl2 >= 0 else len(plan), nl + 1 + 80)
    return end2 if TITLE_WORD.search(plan, nl + 1, end2) else None


def title_division(plan: str, offset: int, hits: list[Hit], divs: Divisions) -> Division | None:
    """The last division named in the title line ("江苏省昆山市…" → 昆山市), by its full name or, for a
    city, its short name ("宜昌区域科技创新中心建设方案" → 宜昌市), outside any 《》 it cites."""
    end = title_end(plan)
    if end is None:
        return None
    found = None
    for h in hits:
        if h.span[0] - offset >= end:
            break
        if h.kind in ("full", "short") and len(h.targets) == 1 and plan.rfind("《", 0, h.span[0] - offset) < 0:
            d = divs.by_adcode(h.targets[0][0])
            if d is not None and (h.kind == "full" or d.level in ("city", "province")):
                found = d
    return found


def title_county(plan: str, offset: int, hits: list[Hit], scope: str | None, counts: dict[str, int],
                 divs: Divisions) -> Division | None:
    """A county, district or county-level city that names itself in the plan's title line
    ("长兴县科技创新三年行动计划", "滨江区科技创新行动方案") and speaks of itself the same way in the body
    (全县/县委 for a 县, 全区 for a 区, 全市 for a county-level 市): that unit is the plan's own place,
    however often its province or prefecture is mentioned."""
    end = title_end(plan)
    if end is None:
        return None
    place_end = len(plan) - len(plan.lstrip())  # where the title's run of place names has reached
    for h in hits:
        s, e = h.span[0] - offset, h.span[1] - offset
        if s >= end or plan[place_end:s].strip() not in ("", "中共"):
            break  # only the names the title opens with ("苏州市吴中区…"), not "金华市关于支持义乌市…"
        place_end = e
        if h.kind != "full" or len(h.targets) != 1:
            continue
        d = divs.by_adcode(h.targets[0][0])
        if d is None or d.level != "county":
            continue
        kind = _SELF_KIND.get(d.name[-1])
        # its own words need not outnumber 全市 (a district plan cites its city's goals), only be there
        if kind is not None and scope != "province" and (scope == kind or counts.get(kind, 0) >= 1):
            return d
    return None
