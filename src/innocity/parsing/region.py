"""Which place a plan is for: a gazetteer vote over the plan's own words.

Owns ``detect_region``. Every surface form that can name a place (full division names 西宁市/湖南省,
safe short names 西宁/湖南, and the landmarks, parks and nicknames in ``data/landmarks.csv``: 曹妃甸, 泉城,
九华经济区) goes into one Aho-Corasick automaton (leftmost-longest), so a plan is scanned in a single pass
in compiled code: a Python ``re`` alternation of 3,500 names costs ~1 µs per character. Hits vote for divisions; how the plan speaks of itself (我市/全省/县委) decides whether it is
a city's, a province's or a county's plan. A city that is never named is given only when landmarks
point to it strongly and agree with any province the text names; otherwise only the province.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import ahocorasick_rs

from innocity.domain.divisions import (
    MUNICIPALITIES,
    PROVINCE_ABBREVIATIONS,
    Division,
    Divisions,
    load_divisions,
)
from innocity.domain.plan import Region, Span
from innocity.parsing.vocabulary import SELF_SCOPE_WORDS, TITLE_WORD

# Short names of prefecture-level units that are everyday words or collide with common phrases
# (长治久安, 四平八稳, 文山会海, 大理石, 日照时数, 沿海口岸, 新乡村, 黄河源 …): only their full names count.
_SHORT_STOP = frozenset(
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
_ABBR_NOT_NEXT = set("尔州江西南北潭乡阳林东")  # 在鄂尔多斯, 在桂林: a place name, not the abbreviation
# How a plan speaks of itself. Provincial plans also address 各市/设区市;
# city plans also cite 全省, so the counts are compared, not merely found.
_SCOPE_WORDS = SELF_SCOPE_WORDS
_SCOPE_OF = {w: k for k, words in _SCOPE_WORDS.items() for w in words}
_KIND_WEIGHT = {
    "zone": 1.0,
    "landmark": 1.0,
    "nickname": 1.0,
    "company": 0.7,
    "product": 0.7,
    "institution": 0.7,
}
_NOT_AFTER = set("岸麓畔")
_HEAD_CHARS = 400  # the title and preamble, where a plan names itself
_SELF_AFTER = re.compile(r"(?:市委|市人民政府|市政府|国家创新型|创新型|为国家|人民政府|省委|省政府)")


@dataclass(frozen=True, slots=True)
class _Form:
    kind: str  # full | short | landmark
    targets: tuple[tuple[str, float], ...]  # (adcode, weight)


@dataclass(slots=True)
class _Gazetteer:
    divisions: Divisions
    forms: dict[str, _Form]
    names: list[str]
    matcher: ahocorasick_rs.AhoCorasick  # leftmost-longest over every surface form, in C
    abbr: list[str]  # abbreviations in context, then the self-reference words
    abbr_matcher: ahocorasick_rs.AhoCorasick


def _load_landmarks() -> list[tuple[str, str, str]]:
    raw = resources.files("innocity.data").joinpath("landmarks.csv").read_text(encoding="utf-8")
    return [(r["name"], r["city_adcode"], r["kind"]) for r in csv.DictReader(io.StringIO(raw))]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    divs = load_divisions()
    full: dict[str, list[str]] = defaultdict(list)
    short: dict[str, list[str]] = defaultdict(list)
    for d in divs:
        if len(d.name) > 2 and d.name not in _FULL_STOP:
            full[d.name].append(d.adcode)
        if d.level in ("province", "city") and len(d.short) >= 2 and d.short != d.name:
            short[d.short].append(d.adcode)
    forms: dict[str, _Form] = {}
    for name, codes in full.items():
        forms[name] = _Form("full", tuple((c, 1.0 / len(codes)) for c in codes))
    for name, codes in short.items():
        if name in forms:
            continue
        if name in _SHORT_STOP:
            if len(codes) == 1:  # counts a little: a plan may still call its own city 大同 throughout
                forms[name] = _Form("short", ((codes[0], 0.3),))
            continue
        if len(codes) > 1:
            # 吉林, 海南: bare, they mean the province far more often than the prefecture of that name
            codes = [c for c in codes if (div := divs.by_adcode(c)) is not None and div.level == "province"]
            if len(codes) != 1:
                continue
        forms[name] = _Form("short", ((codes[0], 1.0),))
    for name, code, kind in _load_landmarks():
        if name not in forms:
            forms[name] = _Form("landmark", ((code, _KIND_WEIGHT.get(kind, 0.7)),))
    names = sorted(forms)
    matcher = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    # Abbreviations in context and the self-reference words share one overlapping pass.
    abbr = [f"{b}{a}" for a in _ABBR_OK for b in _ABBR_BEFORE] + [
        f"{a}{b}" for a in _ABBR_OK for b in _ABBR_AFTER
    ]
    abbr += [w for words in _SCOPE_WORDS.values() for w in words]
    abbr_matcher = ahocorasick_rs.AhoCorasick(abbr)
    return _Gazetteer(divs, forms, names, matcher, abbr, abbr_matcher)


@dataclass(slots=True)
class _Hit:
    span: Span
    form: str
    kind: str
    targets: tuple[tuple[str, float], ...]
    boost: float


def _scan(plan: str, offset: int, g: _Gazetteer) -> list[_Hit]:
    hits: list[_Hit] = []
    head_end = min(_HEAD_CHARS, len(plan) // 5 + 100)
    n = len(plan)
    for idx, s, e in g.matcher.find_matches_as_indexes(plan):
        name = g.names[idx]
        nxt = plan[e] if e < n else ""
        # 合作市场, 江北区域, 黄河北岸: the name is part of another word
        if (nxt == "场" and name[-1] == "市") or (nxt == "域" and name[-1] == "区") or nxt in _NOT_AFTER:
            continue
        form = g.forms[name]
        boost = 1.0
        if s < head_end:
            boost *= 2.0
        if _SELF_AFTER.match(plan, e):
            boost *= 1.5
        hits.append(_Hit((s + offset, e + offset), name, form.kind, form.targets, boost))
    return hits


def _aux(
    plan: str, offset: int, g: _Gazetteer
) -> tuple[list[tuple[str, Span]], str | None, dict[str, int]]:
    """Province abbreviations where they are one (在湘院士, 湘商) as (province, span), and the plan's scope."""
    out: list[tuple[str, Span]] = []
    n = len(plan)
    counts: dict[str, int] = defaultdict(int)
    for idx, s, e in g.abbr_matcher.find_matches_as_indexes(plan, overlapping=True):
        word = g.abbr[idx]
        scope = _SCOPE_OF.get(word)
        if scope is not None:
            if not (word[-1] == "市" and e < n and plan[e] == "场"):  # 各市场主体 is not 各市
                counts[scope] += 1
            continue
        if word[0] in _ABBR_BEFORE:
            if e < n and plan[e] in _ABBR_NOT_NEXT:
                continue
            pos = s + 1
        else:
            pos = s
        out.append((PROVINCE_ABBREVIATIONS[plan[pos]], (pos + offset, pos + offset + 1)))
    return out, _scope(counts), counts


def _scope(counts: dict[str, int]) -> str | None:
    city, prov, county, district = counts["city"], counts["province"], counts["county"], counts["district"]
    if prov > city and prov >= max(county, district) and prov >= 3:
        return "province"
    if county > city and county >= 3:
        return "county"
    if district > city and district >= 3:
        return "district"
    if not (city or prov or county or district):
        return None
    if city and city >= max(county, district):
        return "city"  # a city plan also cites 全省 now and then
    # Few self-references and no more 全市 than 全县: a short county plan says 全县 twice and 县委 once
    ranked = sorted((("county", county), ("district", district), ("province", prov)), key=lambda kv: -kv[1])
    return ranked[0][0]


def _saturate(score: float) -> float:
    return 1.0 - math.exp(-score / 2.5)


def detect_region(text: str, span: Span) -> Region:
    """The place the plan in ``text[span[0]:span[1]]`` is for.

    ``name`` is the city (or the province, for a provincial plan; or the county, for a county's plan),
    ``province`` its province, ``level`` the kind of plan (province | city | county, known from how the
    plan speaks of itself even when ``name`` is null), ``inferred`` True when the place is never named
    and was recognised from its landmarks, ``evidence`` the spans of the words that support the answer.
    """
    g = _gazetteer()
    start, end = span
    # Place names are plain ideographs that fold() leaves alone, so the raw slice is scanned directly.
    plan = text[start:end]
    hits = _scan(plan, start, g)
    divs = g.divisions
    abbrs, scope, self_counts = _aux(plan, start, g)

    named: dict[str, float] = defaultdict(float)  # adcode → weight of hits that name it
    land: dict[str, float] = defaultdict(float)  # city adcode → weight of its landmarks
    land_forms: dict[str, set[str]] = defaultdict(set)
    for h in hits:
        for code, w in h.targets:
            if h.kind == "landmark":
                # repetition of one landmark adds little; distinct landmarks add up
                first = h.form not in land_forms[code]
                land[code] += w * (1.0 if first else 0.25)
                land_forms[code].add(h.form)
            else:
                named[code] += w * h.boost
    prov_votes: dict[str, float] = defaultdict(float)
    for code, w in named.items():
        d = divs.by_adcode(code)
        if d is not None and d.level == "province":
            prov_votes[code] += w
    abbr_spans: dict[str, list[Span]] = defaultdict(list)
    for pname, sp in abbrs:
        pd = divs.by_name(pname)
        if pd:
            prov_votes[pd[0].adcode] += 0.7
            abbr_spans[pd[0].adcode].append(sp)

    # city scores: the city's own names, its counties' names (half), its landmarks
    city_named: dict[str, float] = defaultdict(float)
    county_named: dict[str, float] = defaultdict(float)
    _county_short_names(plan, named, hits, scope, divs)
    for code, w in named.items():
        d = divs.by_adcode(code)
        if d is None or (d.level == "province" and d.name not in MUNICIPALITIES):
            continue
        c = divs.city_of(d)
        if d.level == "county":
            county_named[code] += w
        if c is not None:
            city_named[c.adcode] += w if c.adcode == code else 0.5 * w
    city_score = defaultdict(float, city_named)
    for code, w in land.items():
        city_score[code] += w
    # named cities lend weight to their province
    prov_total = defaultdict(float, prov_votes)
    for code, w in city_score.items():
        d = divs.by_adcode(code)
        p = divs.province_of(d) if d else None
        if p is not None and p.name not in MUNICIPALITIES:
            prov_total[p.adcode] += 0.3 * w

    def evidence_for(codes: set[str], extra: list[Span] | None = None) -> list[Span]:
        chosen: list[Span] = []
        seen: set[str] = set()
        rest: list[Span] = []
        for h in hits:
            if any(c in codes for c, _ in h.targets) or any(_inside(c, codes, divs) for c, _ in h.targets):
                (rest if h.form in seen else chosen).append(h.span)
                seen.add(h.form)
        spans = chosen + rest + (extra or [])
        return sorted(spans[:20])

    titled = _title_county(plan, start, hits, scope, self_counts, divs)
    if titled is not None:
        p = divs.province_of(titled)
        conf = _saturate(2.0 + county_named.get(titled.adcode, 0.0))
        return Region(titled.name, p.name if p else titled.province, round(conf, 3),
                      evidence_for({titled.adcode}), adcode=titled.adcode, level="county")  # fmt: skip

    title_div = _title_division(plan, start, hits, divs)
    if scope == "province" and title_div is not None and title_div.level == "city":
        scope = "city"  # "合肥市科技创新若干措施" that cites 全省 often is still the city's own plan
    elif scope != "city" and title_div is not None and title_div.level == "province":
        scope = "province"  # "内蒙古自治区…方案" speaking of 全区: the region's plan, not a district's

    best_prov = _best(prov_total)
    if best_prov is not None and scope != "province":
        # 全区/区直 in an autonomous region's plan, or a short provincial text that never says 全省:
        # the province is the plan's own place when it is named more than any city
        top = divs.by_adcode(best_prov[0])
        own = prov_votes.get(best_prov[0], 0.0)
        if top is not None and own >= 2.0 and own > max(city_named.values(), default=0.0):
            if scope is None or (scope == "district" and top.name.endswith("自治区")):
                scope = "province"
    if scope == "province" and best_prov is not None:
        code, share = best_prov
        p = divs.by_adcode(code)
        assert p is not None
        conf = share * _saturate(prov_total[code])
        ev = evidence_for({code}, abbr_spans.get(code))
        return Region(
            p.name, p.name, round(conf, 3), ev, adcode=p.adcode, level="province", inferred=not prov_votes.get(code)
        )

    if scope in ("county", "district") and county_named:
        code, share = _best(county_named) or ("", 0.0)
        d = divs.by_adcode(code)
        if d is not None and county_named[code] >= 1.0:
            p = divs.province_of(d)
            conf = share * _saturate(county_named[code])
            return Region(d.name, p.name if p else d.province, round(conf, 3), evidence_for({code}),
                          adcode=d.adcode, level="county")  # fmt: skip

    level = "county" if scope in ("county", "district") else ("city" if scope else None)
    # a county-level city calls itself 我市; it wins when its own name outweighs every prefecture's
    if county_named and city_named:
        ccode, _ = _best(county_named) or ("", 0.0)
        top_city = max(city_named.values())
        cdiv = divs.by_adcode(ccode)
        parent = divs.city_of(cdiv) if cdiv else None
        own_city_direct = named.get(parent.adcode, 0.0) if parent else 0.0
        if (
            cdiv
            and cdiv.name[-1] == "市"
            and county_named[ccode] > own_city_direct
            and county_named[ccode] >= 0.6 * top_city
        ):
            p = divs.province_of(cdiv)
            conf = _saturate(county_named[ccode]) * 0.8
            return Region(cdiv.name, p.name if p else cdiv.province, round(conf, 3),
                          evidence_for({ccode}), adcode=cdiv.adcode, level="county")  # fmt: skip

    best_city = _best(city_score)
    if best_city is not None:
        code, share = best_city
        c = divs.by_adcode(code)
        assert c is not None
        p = divs.province_of(c)
        pname = p.name if p else c.province
        stated_prov = {k for k, v in prov_votes.items() if v > 0}
        is_named = city_named.get(code, 0.0) >= 1.0
        strong_land = land.get(code, 0.0) >= 1.5 and (
            not stated_prov or (p is not None and p.adcode in stated_prov)
        )
        if share >= 0.6 and (is_named or strong_land):
            conf = share * _saturate(city_score[code]) * (1.0 if is_named else 0.85)
            extra = abbr_spans.get(p.adcode, []) if p else []
            codes = {code} | ({p.adcode} if p else set())
            return Region(c.name, pname, round(min(conf, 0.99), 3), evidence_for(codes, extra), adcode=c.adcode,
                          level="city" if c.level == "city" or c.name in MUNICIPALITIES else c.level,
                          inferred=not is_named)  # fmt: skip
    if best_prov is not None:
        code, share = best_prov
        p = divs.by_adcode(code)
        assert p is not None
        if prov_total[code] >= 1.0 and share >= 0.6:
            conf = share * _saturate(prov_total[code])
            ev = evidence_for({code}, abbr_spans.get(code))
            # the plan's own place is unknown; only its province and its kind are
            return Region(None, p.name, round(conf, 3), ev, level=level)
    return Region(None, None, 0.0, [], level=level if scope else None)


def _county_short_names(
    plan: str, named: dict[str, float], hits: list[_Hit], scope: str | None, divs: Divisions
) -> None:
    """Count 长兴 for 长兴县 once the full name has been seen: county short names are too ambiguous to
    look for blindly (合作, 东川, 城中), but a county's plan names itself by them throughout."""
    full_hits: dict[str, int] = defaultdict(int)
    for h in hits:
        if h.kind == "full" and len(h.targets) == 1:
            full_hits[h.targets[0][0]] += 1
    for code, n_full in full_hits.items():
        d = divs.by_adcode(code)
        if d is None or d.level != "county" or (n_full < 2 and scope not in ("county", "district")):
            continue
        short = d.short
        if len(short) < 2 or short == d.name:
            continue
        extra = plan.count(short) - plan.count(d.name)
        named[code] += 0.5 * min(max(extra, 0), 3 * n_full)


# How a county-level unit speaks of itself, by the last character of its name.
_SELF_KIND = {"县": "county", "旗": "county", "区": "district", "市": "city"}


def _title_end(plan: str) -> int | None:
    """End of the plan's title line when the first line reads like a title (方案, 规划 …), else None."""
    lead = len(plan) - len(plan.lstrip())
    nl = plan.find("\n", lead)
    title_end = min(nl if nl >= 0 else len(plan), lead + 80)
    return title_end if TITLE_WORD.search(plan, lead, title_end) else None


def _title_division(plan: str, offset: int, hits: list[_Hit], divs: Divisions) -> Division | None:
    """The last division named by its full name in the title line ("江苏省昆山市…" → 昆山市), if any."""
    title_end = _title_end(plan)
    if title_end is None:
        return None
    found = None
    for h in hits:
        if h.span[0] - offset >= title_end:
            break
        if h.kind == "full" and len(h.targets) == 1 and plan.rfind("《", 0, h.span[0] - offset) < 0:
            found = divs.by_adcode(h.targets[0][0])
    return found


def _title_county(
    plan: str, offset: int, hits: list[_Hit], scope: str | None, counts: dict[str, int], divs: Divisions
) -> Division | None:
    """A county, district or county-level city that names itself in the plan's title line
    ("长兴县科技创新三年行动计划", "滨江区科技创新行动方案") and speaks of itself the same way in the body
    (全县/县委 for a 县, 全区 for a 区, 全市 for a county-level 市): that unit is the plan's own place,
    however often its province or prefecture is mentioned."""
    title_end = _title_end(plan)
    if title_end is None:
        return None
    place_end = len(plan) - len(plan.lstrip())  # where the title's run of place names has reached
    for h in hits:
        s, e = h.span[0] - offset, h.span[1] - offset
        if s >= title_end or plan[place_end:s].strip() not in ("", "中共"):
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


def _inside(code: str, codes: set[str], divs: Divisions) -> bool:
    """True when division ``code`` lies within one of ``codes`` (a county of the chosen city)."""
    d: Division | None = divs.by_adcode(code)
    if d is None or d.level != "county":
        return False
    c = divs.city_of(d)
    return c is not None and c.adcode in codes


def _best(scores: dict[str, float]) -> tuple[str, float] | None:
    """The top key and its share of the top two (1.0 when unopposed); None when nothing scored."""
    items = sorted(((v, k) for k, v in scores.items() if v > 0), reverse=True)
    if not items:
        return None
    top = items[0][0]
    second = items[1][0] if len(items) > 1 else 0.0
    return items[0][1], top / (top + second)
