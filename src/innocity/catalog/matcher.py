"""The phrase matcher: which catalogue indicator (if any) a target's or fact's indicator phrase names.

Scoring is the Dice coefficient of character bigrams between the normalised phrase and each normalised
alias (Chinese indicator names have no spaces, and bigrams catch 研发经费/专利申请 as units of meaning).
Similarity alone cannot tell a total from a rate or a level from a share, so every candidate must also pass
*gates* that look at what the phrase and its unit say:

- per-capita markers (每万人, 人均, 每万名, 每万家) must be the same in the phrase and the alias:
  万人专利申请量 (unit 件) is TEC09, 年专利申请量 (unit 件) is TEC15;
- a phrase naming a share (占 …, 比重) only matches ratio indicators;
- the unit must fit the indicator's unit (a level in % can only be a share; 件 fits 件/万人 only when the
  phrase says 每万人); growth and change targets (年均增长20%, 提高1.5个百分点) are the *same* indicator as
  their level, with percentage points only for percentages;
- the indicator's own ``match`` rules (required and excluded words) from the catalogue;
- a phrase listing several measures with one figure (高新技术产业总产值、增加值; 高新技术企业和科技型中小企业数)
  matches only when its parts do not name different indicators.

The best candidate that passes every gate and scores at least ``threshold`` wins; otherwise the phrase stays
unmatched: the matcher never falls back to the nearest indicator. Results are cached per
(phrase, unit, kind), because a long document repeats the same phrases many times.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain

from innocity.errors import UnitError

from . import units
from .model import RATIO_KINDS, Catalog, Indicator
from .normalize import Normalized, bigrams, listed_parts, normalize

DEFAULT_THRESHOLD = 0.66
_PER_MARKERS = ("每万人", "人均", "每万名", "每万家")
_CACHE_LIMIT = 200_000
_COUNTABLE = ((("item", 1),), (("person", 1),))


@dataclass(frozen=True, slots=True)
class Match:
    """The indicator a phrase names: its code, the similarity score (0–1) and why."""

    code: str
    score: float
    reason: str
    kind: str = "level"  # how the phrase was read: level, growth or change
    alias: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "score": round(self.score, 4), "kind": self.kind, "alias": self.alias,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One scored indicator for a phrase, with the gate that rejected it (``rejected`` is None if it passed)."""

    indicator: Indicator
    score: float
    alias: str
    rejected: str | None


@dataclass(frozen=True, slots=True)
class _Entry:
    indicator: Indicator
    alias: str
    norm: str
    grams: frozenset[str]
    markers: frozenset[str]
    size: int


def _markers(text: str) -> frozenset[str]:
    return frozenset(m for m in _PER_MARKERS if m in text)


def _is_share_phrase(text: str) -> bool:
    return "占" in text or "比重" in text


def _read_kind(n: Normalized, kind: str | None) -> str:
    if kind:
        return kind
    if n.points or n.baseline:
        return "change"
    if n.growth or n.decline:
        return "growth"
    return "level"


class Matcher:
    """Match indicator phrases against a catalogue. Build once, call ``match`` many times (it caches)."""

    def __init__(self, catalog: Catalog, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.catalog = catalog
        self.threshold = threshold
        self._entries: list[_Entry] = []
        self._index: dict[str, list[int]] = defaultdict(list)
        for ind in catalog.indicators:
            for alias in ind.names:
                norm = normalize(alias).text
                if not norm:
                    continue
                grams = bigrams(norm)
                entry = _Entry(ind, alias, norm, grams, _markers(norm), len(grams))
                for g in entry.grams:
                    self._index[g].append(len(self._entries))
                self._entries.append(entry)
        self._cache: dict[tuple[str, str | None, str | None], Match | None] = {}

    def match(self, phrase: str, *, unit: str | None = None, kind: str | None = None) -> Match | None:
        """The indicator ``phrase`` names, or None when no indicator passes the gates and the threshold.

        ``unit`` is the unit of the figure (it tells a share in % from a level in 亿元); ``kind`` is the
        parser's reading (level, growth, change) and is inferred from the phrase when not given.
        """
        key = (phrase, unit, kind)
        if key in self._cache:
            return self._cache[key]
        result = self._match(phrase, unit, kind)
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[key] = result
        return result

    def _match(self, phrase: str, unit: str | None, kind: str | None) -> Match | None:
        found = self._best(phrase, unit, kind)
        if found is None or found.score == 1.0:
            return found  # an exact alias is one indicator even when its name joins words with 和 or 、
        if "、" in phrase:
            # "高新技术产业总产值、增加值" or "工业废水排放达标率、工业固体废物综合利用率" lists several measures
            # with one figure: unless every listed part names the same indicator, we cannot tell which it is.
            for part in listed_parts(phrase, "、"):
                m = self._best(part, unit, kind)
                if m is None or m.code != found.code:
                    return None
        if any(c in phrase for c in "和及"):
            # 和 also joins words inside one name (科创板和北交所上市企业数, 国家级和省级企业技术中心), so only
            # two parts that each name a *different* indicator make the phrase ambiguous
            # (高新技术企业和科技型中小企业数).
            codes = {m.code for part in listed_parts(phrase, "和及") if (m := self._best(part, unit, kind))}
            if len(codes) > 1:
                return None
        return found

    def _best(self, phrase: str, unit: str | None, kind: str | None) -> Match | None:
        n = normalize(phrase)
        read_kind = _read_kind(n, kind)
        # Gates are checked lazily, best score first: most phrases are decided by their first candidate.
        for score, e in self._ranked(n, self.threshold):
            if self._gate(n, unit, read_kind, e) is None:
                reason = f"'{n.text}' ~ alias '{e.alias}' (dice {score:.2f})"
                if unit:
                    reason += f"; unit {unit} fits {e.indicator.unit}"
                return Match(e.indicator.code, score, reason, read_kind, e.alias)
        return None

    def candidates(
        self, phrase: str, *, unit: str | None = None, kind: str | None = None, limit: int = 5
    ) -> list[Candidate]:
        """The best-scoring indicators for ``phrase`` (one per indicator), each with the gate that rejected
        it if any: the explanation behind ``match``."""
        n = normalize(phrase)
        read_kind = _read_kind(n, kind)
        out: list[Candidate] = []
        seen: set[str] = set()
        for score, e in self._ranked(n):
            if e.indicator.code in seen:
                continue
            seen.add(e.indicator.code)
            out.append(Candidate(e.indicator, score, e.alias, self._gate(n, unit, read_kind, e)))
            if len(out) == limit:
                break
        return out

    def _ranked(self, n: Normalized, floor: float = 0.0) -> list[tuple[float, _Entry]]:
        """Every alias sharing a bigram with the phrase and scoring at least ``floor``, best first."""
        grams = bigrams(n.text)
        if not grams:
            return []
        index, entries, size = self._index, self._entries, len(grams)
        overlap = Counter(chain.from_iterable(index[g] for g in grams if g in index))
        scored = []
        for i, common in overlap.items():
            score = 1.0 if entries[i].norm == n.text else 2.0 * common / (size + entries[i].size)
            if score >= floor:
                scored.append((-score, i))
        scored.sort()
        return [(-neg, entries[i]) for neg, i in scored]

    def _gate(self, n: Normalized, unit: str | None, kind: str, e: _Entry) -> str | None:
        """Why ``e`` cannot be what the phrase names, or None when it can."""
        ind, text = e.indicator, n.text
        for group in ind.match.require:
            if not any(w in text for w in group):
                return f"needs one of {'/'.join(group)}"
        for word in ind.match.exclude:
            if word in text:
                return f"phrase contains '{word}'"
        phrase_markers = _markers(text)
        if phrase_markers != e.markers:
            said = "/".join(sorted(phrase_markers)) or "no per-capita word"
            return f"phrase has {said}, alias has {'/'.join(sorted(e.markers)) or 'none'}"
        if n.counts and not _is_share_phrase(text) and units.dimension(ind.unit) not in _COUNTABLE and ind.kind not in ("count", "per_capita"):
            return f"phrase counts things (…数) but {ind.code} is measured in {ind.unit}"
        if _is_share_phrase(text) and ind.kind not in RATIO_KINDS:
            return f"phrase names a share (占/比重) but {ind.code} is a {ind.kind}"
        if unit:
            return _unit_gate(unit, kind, ind, bool(phrase_markers))
        return None


def _unit_gate(unit: str, kind: str, ind: Indicator, per_capita_phrase: bool) -> str | None:
    try:
        spelled = units.canonical(unit)
    except UnitError:
        return None  # a unit we do not know says nothing either way
    if kind in ("growth", "change"):
        if spelled == "百分点":
            return None if units.is_compatible("%", ind.unit) else f"percentage points only change a %, not {ind.unit}"
        if spelled in ("%", "倍"):
            return None
    if spelled in ("%", "‰"):
        # A level written in % is a share or a rate; 家/万家 is dimensionless too, but no plan writes it in %.
        return None if units.canonical(ind.unit) in ("%", "‰") else f"a figure in {unit} is not {ind.unit}"
    if units.is_compatible(spelled, ind.unit):
        return None
    if per_capita_phrase and "/" in ind.unit and units.is_compatible(spelled, units.numerator(ind.unit)):
        return None  # 万人专利申请量 30件: the plan writes the numerator's unit
    return f"unit {unit} does not fit {ind.unit}"
