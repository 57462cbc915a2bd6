"""Which place a plan is for: a gazetteer vote over the plan's own words.

Owns ``detect_region``. Place names (``region_names``) vote for divisions; how the plan speaks of itself
(我市/全省/县委) decides whether it is a city's, a province's or a county's plan. A city that is never named
is given only when landmarks point to it strongly and agree with any province the text names; otherwise
only the province. Every weight of the vote is a named field of ``RegionWeights`` (``WEIGHTS``), documented
where it is declared, so a change to the vote is a change to one named number.

The decision, in order (each step returns when it applies):
1. ``titled-county``: a county-level unit the title opens with, that speaks of itself that way in the body;
2. ``province``: the plan speaks of itself as a province (or its title names one) — the best province;
3. ``county``: it speaks of itself as a county or district and names one often enough;
4. ``county-level-city``: a county-level city (我市) named more than its prefecture;
5. ``city``: the best city, named, or inferred from strong landmarks — unless the city is never named itself
   and one of its counties is (东至县…, never 池州市): then that county;
6. ``province-only``: the city is unknown, the province is not;
7. nothing: only the kind of plan, if known.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from innocity.domain.divisions import MUNICIPALITIES, Division, Divisions
from innocity.domain.plan import Region, Span
from innocity.parsing.region_names import (
    Hit,
    abbreviations_and_scope,
    gazetteer,
    scan,
    scope_of,
    title_county,
    title_division,
)


@dataclass(frozen=True, slots=True)
class RegionWeights:
    """Every weight of the region vote, by name."""

    # -- reading names
    head_chars: int = 400  # the title and preamble, where a plan names itself …
    head_boost: float = 2.0  # … so a name there counts double
    self_naming_boost: float = 1.5  # 西宁市人民政府, 唐山市委: a name followed by its own organs counts 1.5×
    stop_short_name: float = 0.3  # 大同, 长治: a short name that is also an everyday word counts a little
    landmark_kinds: tuple[tuple[str, float], ...] = field(default=(  # 曹妃甸 (zone), 泉城 (nickname) …
        ("zone", 1.0), ("landmark", 1.0), ("nickname", 1.0)))
    other_landmark: float = 0.7  # companies, products, institutions point to a city less surely
    landmark_repeat: float = 0.25  # the same landmark again adds a quarter: distinct landmarks add up
    abbreviation: float = 0.7  # 在湘院士, 鲁企: a province abbreviation in context votes for the province
    # -- passing votes up the hierarchy
    county_to_city: float = 0.5  # a county's name lends half its weight to its prefecture
    city_to_province: float = 0.3  # a city's score lends 0.3 of itself to its province
    county_short_use: float = 0.5  # 长兴 for 长兴县, once the full name is seen: each extra use adds 0.5 …
    county_short_cap: int = 3  # … up to 3 extra uses per use of the full name
    # -- how a plan speaks of itself
    scope_min: int = 3  # self-references (全省, 全县) needed before they outvote 全市
    city_self_min: float = 3.0  # a city named this much, more than its province, makes 全省 a citation
    # -- deciding
    titled_county_base: float = 2.0  # a county the title opens with starts from this score
    province_named_min: float = 2.0  # a province named this much, more than any city, is the plan's own place
    county_named_min: float = 1.0  # a county's plan must name its county at least once (full name)
    county_city_share: float = 0.6  # a county-level city wins when named ≥ 0.6 of the top prefecture …
    county_city_confidence: float = 0.8  # … with its confidence scaled down
    city_named_min: float = 1.0  # a city counts as named by the text at this score of its own names
    strong_landmarks: float = 1.5  # landmarks this strong name a city the text never names
    winner_share: float = 0.6  # the winner's share of the top two scores needed to answer at all
    inferred_confidence: float = 0.85  # an inferred city's confidence is scaled by this
    max_city_confidence: float = 0.99
    province_fallback_min: float = 1.0  # the province alone, when no city is certain enough
    saturation: float = 2.5  # confidence = 1 − exp(−score / saturation)


WEIGHTS = RegionWeights()


@dataclass(slots=True)
class _Votes:
    """The scores of one plan's place names, by division."""

    hits: list[Hit]
    named: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # adcode → names' weight
    land: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # city → landmarks' weight
    prov_votes: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # named provinces
    abbr_spans: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))
    city_named: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    county_named: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    city_score: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    prov_total: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def detect_region(text: str, span: Span, *, weights: RegionWeights = WEIGHTS) -> Region:
    """The place the plan in ``text[span[0]:span[1]]`` is for.

    ``name`` is the city (or the province, for a provincial plan; or the county, for a county's plan),
    ``province`` its province, ``level`` the kind of plan (province | city | county, known from how the
    plan speaks of itself even when ``name`` is null), ``inferred`` True when the place is never named
    and was recognised from its landmarks, ``evidence`` the spans of the words that support the answer.
    """
    w = weights
    g = gazetteer(w.stop_short_name, w.landmark_kinds, w.other_landmark)
    divs = g.divisions
    start, end = span
    plan = text[start:end]  # place names are plain ideographs that fold() leaves alone: scan the raw slice
    hits = scan(plan, start, g, head_chars=w.head_chars, head_boost=w.head_boost, self_boost=w.self_naming_boost)
    abbrs, counts = abbreviations_and_scope(plan, start, g)
    scope = scope_of(counts, w.scope_min)
    v = _count_votes(plan, hits, abbrs, scope, divs, w)

    def answer(d: Division, conf: float, codes: set[str], level: str, *, inferred: bool = False,
               extra: list[Span] | None = None) -> Region:
        p = divs.province_of(d)
        return Region(d.name, p.name if p else d.province, round(conf, 3), _evidence(hits, codes, divs, extra),
                      adcode=d.adcode, level=level, inferred=inferred)

    titled = title_county(plan, start, hits, scope, counts, divs)
    if titled is not None:
        conf = _saturate(w.titled_county_base + v.county_named.get(titled.adcode, 0.0), w)
        return answer(titled, conf, {titled.adcode}, "county")

    title_div = title_division(plan, start, hits, divs)
    if scope == "province" and title_div is not None and title_div.level == "city":
        scope = "city"  # "合肥市科技创新若干措施" that cites 全省 often is still the city's own plan
    elif scope != "city" and title_div is not None and title_div.level == "province":
        scope = "province"  # "内蒙古自治区…方案" speaking of 全区: the region's plan, not a district's
    elif scope is None and title_div is not None and title_div.level == "city":
        scope = "city"  # "宜昌区域科技创新中心建设方案": a title that opens with a city speaks for it
    elif scope == "province" and title_div is None and _city_speaks(v, divs, w):
        scope = "city"  # "宜昌…在全省率先突破": a city that names itself more than its province cites 全省

    best_prov = _best(v.prov_total)
    if best_prov is not None and scope != "province":
        # 全区/区直 in an autonomous region's plan, or a short provincial text that never says 全省:
        # the province is the plan's own place when it is named more than any city
        top = divs.by_adcode(best_prov[0])
        own = v.prov_votes.get(best_prov[0], 0.0)
        if top is not None and own >= w.province_named_min and own > max(v.city_named.values(), default=0.0):
            if scope is None or (scope == "district" and top.name.endswith("自治区")):
                scope = "province"
    if scope == "province" and best_prov is not None:
        code, share = best_prov
        p = divs.by_adcode(code)
        assert p is not None
        return answer(p, share * _saturate(v.prov_total[code], w), {code}, "province",
                      inferred=not v.prov_votes.get(code), extra=v.abbr_spans.get(code))

    if scope in ("county", "district") and v.county_named:
        code, share = _best(v.county_named) or ("", 0.0)
        d = divs.by_adcode(code)
        if d is not None and v.county_named[code] >= w.county_named_min:
            return answer(d, share * _saturate(v.county_named[code], w), {code}, "county")

    level = "county" if scope in ("county", "district") else ("city" if scope else None)
    county_city = _county_level_city(v, divs, w)
    if county_city is not None:
        return answer(county_city, _saturate(v.county_named[county_city.adcode], w) * w.county_city_confidence,
                      {county_city.adcode}, "county")

    found = _city(v, divs, w, answer)
    if found is not None:
        only = _only_county(v, found, divs)
        if only is not None:
            # 东至县…涉及尧渡等9个乡镇: a text that names one county and never its city is about that county
            return answer(only, _saturate(v.county_named[only.adcode], w), {only.adcode}, "county")
        return found
    if best_prov is not None:
        code, share = best_prov
        p = divs.by_adcode(code)
        assert p is not None
        if v.prov_total[code] >= w.province_fallback_min and share >= w.winner_share:
            conf = share * _saturate(v.prov_total[code], w)
            ev = _evidence(hits, {code}, divs, v.abbr_spans.get(code))
            # the plan's own place is unknown; only its province and its kind are
            return Region(None, p.name, round(conf, 3), ev, level=level)
    return Region(None, None, 0.0, [], level=level if scope else None)


def _count_votes(plan: str, hits: list[Hit], abbrs: list[tuple[str, Span]], scope: str | None,
                 divs: Divisions, w: RegionWeights) -> _Votes:
    v = _Votes(hits)
    land_forms: dict[str, set[str]] = defaultdict(set)
    for h in hits:
        for code, wt in h.targets:
            if h.kind == "landmark":
                first = h.form not in land_forms[code]
                v.land[code] += wt * (1.0 if first else w.landmark_repeat)
                land_forms[code].add(h.form)
            else:
                v.named[code] += wt * h.boost
    for code, wt in v.named.items():
        d = divs.by_adcode(code)
        if d is not None and d.level == "province":
            v.prov_votes[code] += wt
    for pname, sp in abbrs:
        pd = divs.by_name(pname)
        if pd:
            v.prov_votes[pd[0].adcode] += w.abbreviation
            v.abbr_spans[pd[0].adcode].append(sp)
    _county_short_names(plan, v.named, hits, scope, divs, w)
    # city scores: the city's own names, its counties' names (in part), its landmarks
    for code, wt in v.named.items():
        d = divs.by_adcode(code)
        if d is None or (d.level == "province" and d.name not in MUNICIPALITIES):
            continue
        c = divs.city_of(d)
        if d.level == "county":
            v.county_named[code] += wt
        if c is not None:
            v.city_named[c.adcode] += wt if c.adcode == code else w.county_to_city * wt
    v.city_score.update(v.city_named)
    for code, wt in v.land.items():
        v.city_score[code] += wt
    v.prov_total.update(v.prov_votes)  # named cities lend weight to their province
    for code, wt in v.city_score.items():
        d = divs.by_adcode(code)
        p = divs.province_of(d) if d else None
        if p is not None and p.name not in MUNICIPALITIES:
            v.prov_total[p.adcode] += w.city_to_province * wt
    return v


def _only_county(v: _Votes, city: Region, divs: Divisions) -> Division | None:
    """The one county a city was named through, when the city itself is never named."""
    if city.inferred or city.level != "city" or not city.adcode or v.named.get(city.adcode, 0.0) > 0:
        return None
    mine = [c for c, x in v.county_named.items() if x > 0 and (d := divs.by_adcode(c)) is not None
            and (p := divs.city_of(d)) is not None and p.adcode == city.adcode]
    return divs.by_adcode(mine[0]) if len(mine) == 1 else None


def _city_speaks(v: _Votes, divs: Divisions, w: RegionWeights) -> bool:
    """True when a city (by its own names, 宜昌 or 宜昌市) is named more than its province and at least
    ``city_self_min``: its 全省 are citations of the province it belongs to, as a city's work report makes."""
    best = _best({c: x for c, x in v.named.items() if (d := divs.by_adcode(c)) is not None and d.level == "city"})
    if best is None:
        return False
    d = divs.by_adcode(best[0])
    p = divs.province_of(d) if d is not None else None
    own = v.named[best[0]]
    return own >= w.city_self_min and own > v.prov_votes.get(p.adcode, 0.0) if p is not None else False


def _county_level_city(v: _Votes, divs: Divisions, w: RegionWeights) -> Division | None:
    """A county-level city calls itself 我市: it wins when its own name outweighs its prefecture's."""
    if not (v.county_named and v.city_named):
        return None
    ccode, _ = _best(v.county_named) or ("", 0.0)
    cdiv = divs.by_adcode(ccode)
    parent = divs.city_of(cdiv) if cdiv else None
    own_city_direct = v.named.get(parent.adcode, 0.0) if parent else 0.0
    if (cdiv is not None and cdiv.name[-1] == "市" and v.county_named[ccode] > own_city_direct
            and v.county_named[ccode] >= w.county_city_share * max(v.city_named.values())):
        return cdiv
    return None


def _city(v: _Votes, divs: Divisions, w: RegionWeights, answer: Callable[..., Region]) -> Region | None:
    """The best city, when it is named (or its landmarks are strong) and clearly ahead of the next."""
    best = _best(v.city_score)
    if best is None:
        return None
    code, share = best
    c = divs.by_adcode(code)
    assert c is not None
    p = divs.province_of(c)
    stated_prov = {k for k, x in v.prov_votes.items() if x > 0}
    is_named = v.city_named.get(code, 0.0) >= w.city_named_min
    strong_land = v.land.get(code, 0.0) >= w.strong_landmarks and (
        not stated_prov or (p is not None and p.adcode in stated_prov))
    if share < w.winner_share or not (is_named or strong_land):
        return None
    conf = share * _saturate(v.city_score[code], w) * (1.0 if is_named else w.inferred_confidence)
    extra = v.abbr_spans.get(p.adcode, []) if p else []
    codes = {code} | ({p.adcode} if p else set())
    level = "city" if c.level == "city" or c.name in MUNICIPALITIES else c.level
    return answer(c, min(conf, w.max_city_confidence), codes, level, inferred=not is_named, extra=extra)


def _county_short_names(plan: str, named: dict[str, float], hits: list[Hit], scope: str | None,
                        divs: Divisions, w: RegionWeights) -> None:
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
        named[code] += w.county_short_use * min(max(extra, 0), w.county_short_cap * n_full)


def _evidence(hits: list[Hit], codes: set[str], divs: Divisions, extra: list[Span] | None = None) -> list[Span]:
    """The spans of the names that support the answer: each distinct form first, then repeats (20 at most)."""
    chosen: list[Span] = []
    seen: set[str] = set()
    rest: list[Span] = []
    supports: dict[str, bool] = {}  # by form: a form always names the same divisions (a plan repeats a few)
    for h in hits:
        ok = supports.get(h.form)
        if ok is None:
            ok = supports[h.form] = (any(c in codes for c, _ in h.targets)
                                     or any(_inside(c, codes, divs) for c, _ in h.targets))
        if ok:
            (rest if h.form in seen else chosen).append(h.span)
            seen.add(h.form)
    return sorted((chosen + rest + (extra or []))[:20])


def _saturate(score: float, w: RegionWeights) -> float:
    return 1.0 - math.exp(-score / w.saturation)


def _inside(code: str, codes: set[str], divs: Divisions) -> bool:
    """True when division ``code`` lies within one of ``codes`` (a county of the chosen city)."""
    d: Division | None = divs.by_adcode(code)
    if d is None or d.level != "county":
        return False
    c = divs.city_of(d)
    return c is not None and c.adcode in codes


def _best(scores: dict[str, float]) -> tuple[str, float] | None:
    """The top key and its share of the top two (1.0 when unopposed); None when nothing scored."""
    items = sorted(((x, k) for k, x in scores.items() if x > 0), reverse=True)
    if not items:
        return None
    top = items[0][0]
    second = items[1][0] if len(items) > 1 else 0.0
    return items[0][1], top / (top + second)
