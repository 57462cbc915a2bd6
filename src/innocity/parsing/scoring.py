"""Scoring a parse against a gold reading (``innocity eval``).

The gold file is the seed format of ``data/samples/*.gold.json``: plans with ``start_quote``/``end_quote``,
``targets``, ``facts``, ``responsibilities``, ``phases``, ``programs`` and ``region``; every ``quote`` is an
exact substring of the document, and ``occurrence`` (1-based) says which one when it recurs.

Items are matched one to one by span overlap with the gold quote plus agreement of the fields that matter:
- targets: value, value_max, unit and year (gold comparator growth/change is our ``kind``);
- facts: value, unit and year;
- duties: the lead and support sets, exactly (normalised names);
- phases: start, end and months;
- programmes: the declared counts and the consistency verdict;
- regions: the city, or the province when the gold city is null or only inferred.
Gold plans are aligned to parsed plans by the overlap of their spans.

A gold reading may say what kind of document it is (top-level ``"kind"``: ``complete`` — a whole plan,
``excerpt`` — part of one, as scraped, ``news`` — a report about a plan, ``other_gov`` — another
government plan or a work report); ``Report.by_class`` adds the scores up per kind, so the figures of
excerpts and complete plans are never mixed. Reading files is the service's job
(``innocity.services.evaluation``); this module only compares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from innocity.domain.plan import ParsedDocument, Plan

CATEGORIES = ("targets", "facts", "duties", "phases", "programs")


@dataclass(slots=True)
class Score:
    """Counts of one category: true positives, false positives, false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class PlanReport:
    """The scores of one gold plan and what was missed or invented in it."""

    label: str
    scores: dict[str, Score]
    region_ok: bool | None
    region: dict[str, Any]
    misses: dict[str, list[str]] = field(default_factory=dict)
    extras: dict[str, list[str]] = field(default_factory=dict)
    negatives_hit: list[str] = field(default_factory=list)  # gold hard negatives read as targets
    doc_class: str | None = None  # the gold's "kind": complete | excerpt | news | other_gov


@dataclass(slots=True)
class Report:
    """Per plan and overall scores of one document."""

    plans: list[PlanReport]

    @property
    def overall(self) -> dict[str, Score]:
        out = {c: Score() for c in CATEGORIES}
        for p in self.plans:
            for c in CATEGORIES:
                out[c].add(p.scores[c])
        return out

    @property
    def regions_right(self) -> tuple[int, int]:
        judged = [p.region_ok for p in self.plans if p.region_ok is not None]
        return sum(1 for x in judged if x), len(judged)

    def by_class(self) -> dict[str, Report]:
        """The plans of each document class (gold ``kind``), in first-seen order; empty when no gold says."""
        out: dict[str, Report] = {}
        for p in self.plans:
            if p.doc_class is not None:
                out.setdefault(p.doc_class, Report([])).plans.append(p)
        return out

    def to_dict(self, *, verbose: bool = False) -> dict[str, Any]:
        right, total = self.regions_right
        plans = []
        for p in self.plans:
            d: dict[str, Any] = {"label": p.label, "class": p.doc_class, "region_ok": p.region_ok,
                                 "region": p.region, **{c: p.scores[c].to_dict() for c in CATEGORIES}}
            d["hard_negatives_hit"] = len(p.negatives_hit)
            if verbose:
                d["false_negatives"] = p.misses
                d["false_positives"] = p.extras
                d["hard_negatives_read_as_targets"] = p.negatives_hit
            plans.append(d)
        classes = {}
        for name, sub in self.by_class().items():
            r, t = sub.regions_right
            classes[name] = {"plans": len(sub.plans), **{c: s.to_dict() for c, s in sub.overall.items()},
                             "regions": {"right": r, "total": t}}
        return {"overall": {c: s.to_dict() for c, s in self.overall.items()},
                "regions": {"right": right, "total": total}, "classes": classes, "plans": plans}


# --- locating quotes ---------------------------------------------------------------------------------
def locate(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int] | None:
    """The span of the ``occurrence``-th (1-based, default first) appearance of ``quote`` in ``text``."""
    if not quote:
        return None
    pos, n = -1, occurrence or 1
    for _ in range(n):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(quote)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _num_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def _year(v: Any) -> int | None:
    if isinstance(v, str):
        return int(v) if v.isdigit() else None
    return v if isinstance(v, int) else None


def _target_ok(g: dict[str, Any], t: Any) -> bool:
    gk = g.get("comparator")
    kind = gk if gk in ("growth", "change") else "level"
    value, unit = g.get("value"), g.get("unit")
    if g.get("multiplier") and value is None:
        # 翻一番 written in a gold as {multiplier: 2, value: null}: the parser's change of +100 % (gold-conventions)
        kind, value, unit = "change", (float(g["multiplier"]) - 1) * 100, "%"
    return (_num_eq(value, t.value) and _num_eq(g.get("value_max"), t.value_max)
            and (unit or None) == (t.unit or None) and _year(g.get("year")) == t.year and kind == t.kind)


def _fact_ok(g: dict[str, Any], x: Any) -> bool:
    return (_num_eq(g.get("value"), x.value) and (g.get("unit") or None) == (x.unit or None)
            and _year(g.get("year")) == x.year)


def _names(side: Any) -> set[str]:
    if isinstance(side, dict):
        return set(side.get("normalized") or side.get("as_written") or [])
    return set(side or [])


def _duty_ok(g: dict[str, Any], d: Any) -> bool:
    return _names(g.get("lead")) == set(d.lead) and _names(g.get("support")) == set(d.support)


def _phase_ok(g: dict[str, Any], p: Any) -> bool:
    # The parser gives a month only where the text writes one (start/end carry the widened January/December
    # of a year-only range); a gold that writes the widened month agrees with that.
    def month_ok(gold: Any, got: int | None, ym: str | None) -> bool:
        implied = int(ym[5:7]) if got is None and ym and len(ym) == 7 else got
        return gold == implied

    return (g.get("start") == p.start and g.get("end") == p.end
            and month_ok(g.get("start_month"), p.start_month, p.start)
            and month_ok(g.get("end_month"), p.end_month, p.end))


def _gold_consistency(match: Any) -> bool | None:
    if isinstance(match, dict):
        vals = [v for v in match.values() if v is not None]
        if not vals:
            return None
        return all(vals)
    return match if isinstance(match, bool) else None


def _program_ok(g: dict[str, Any], p: Any) -> bool:
    declared = g.get("declared") or {}
    if sorted(int(v) for v in declared.values()) != sorted(part.declared for part in p.parts):
        return False
    want = _gold_consistency(g.get("match"))
    got = p.consistent if p.checkable else None
    return want == got


def _match(text: str, gold: list[dict[str, Any]], items: list[Any], ok: Any) -> tuple[Score, list[str], list[str]]:
    """One-to-one matching of gold items to parsed items by span overlap and field agreement."""
    used: set[int] = set()
    score = Score()
    misses: list[str] = []
    for g in gold:
        span = locate(text, g.get("quote", ""), g.get("occurrence"))
        best, best_ov = None, 0
        if span is not None:
            for i, it in enumerate(items):
                if i in used:
                    continue
                ov = _overlap(span, it.span)
                if ov > best_ov and ok(g, it):
                    best, best_ov = i, ov
        if best is None:
            score.fn += 1
            misses.append(_describe_gold(g))
        else:
            used.add(best)
            score.tp += 1
    extras = [_describe_item(it) for i, it in enumerate(items) if i not in used]
    score.fp = len(extras)
    return score, misses, extras


def _describe_gold(g: dict[str, Any]) -> str:
    fields = [f"{k}={g[k]}" for k in ("value", "value_max", "unit", "comparator", "year") if k in g]
    return f"{g.get('quote', '')} [{', '.join(fields)}]"


def _describe_item(it: Any) -> str:
    fields = [f"{k}={getattr(it, k)}" for k in ("value", "value_max", "unit", "kind", "year", "lead", "support",
                                                  "start", "end", "consistent") if hasattr(it, k)]
    return f"{getattr(it, 'text', '')} [{', '.join(fields)}]"


def _gold_plan_span(text: str, gp: dict[str, Any], only: bool = False) -> tuple[int, int] | None:
    """The gold plan's span from its start and end quotes; a missing quote means the document's edge.

    When the document holds a single gold plan, a quote that cannot be found also falls back to the edge,
    so a short excerpt is still scored."""
    sq, eq = gp.get("start_quote"), gp.get("end_quote")
    a = locate(text, sq, gp.get("start_occurrence")) if sq else (0, 0)
    b = locate(text, eq, gp.get("end_occurrence")) if eq else (len(text), len(text))
    if only:
        a = a if a is not None else (0, 0)
        b = b if b is not None else (len(text), len(text))
    if a is None or b is None:
        return None
    if b[1] <= a[0]:  # the end quote occurs earlier too: take the first one after the start
        nb = text.find(gp["end_quote"], a[0])
        b = (nb, nb + len(gp["end_quote"])) if nb >= 0 else b
    return a[0], b[1]


def _region_ok(gold: dict[str, Any], plan: Plan | None) -> bool | None:
    if not gold:
        return None
    if plan is None:
        return False
    city = gold.get("city")
    inferred = gold.get("city_named_in_text") is False or bool(gold.get("inferred"))
    if city and not inferred:
        return plan.region.name == city
    province = gold.get("province")
    return province is not None and plan.region.province == province


def score_document(doc: ParsedDocument, gold: dict[str, Any]) -> Report:
    """Score ``doc`` (with ``doc.text``) against a gold reading in the seed format."""
    text = doc.text
    reports: list[PlanReport] = []
    gold_plans = gold.get("plans", [])
    spans = [_gold_plan_span(text, gp, only=len(gold_plans) == 1) for gp in gold_plans]
    for gp, span in zip(gold_plans, spans, strict=True):

        def inside(s: tuple[int, int], sp: tuple[int, int] | None = span) -> bool:
            return sp is not None and sp[0] <= s[0] < sp[1]

        plan: Plan | None = None
        if span is not None:
            best = 0
            for cand in doc.plans:
                ov = _overlap(span, cand.span)
                if ov > best:
                    plan, best = cand, ov
        pools: dict[str, list[Any]] = {c: [] for c in CATEGORIES}
        for p in doc.plans:
            pools["targets"] += [t for t in p.targets if inside(t.span)]
            pools["facts"] += [x for x in p.facts if inside(x.span)]
            pools["duties"] += [d for d in p.duties if inside(d.span)]
            pools["phases"] += [x for x in p.phases if inside(x.span)]
            pools["programs"] += [x for x in p.programs if inside(x.span)]
        golds = {
            "targets": gp.get("targets", []),
            "facts": gp.get("facts", []),
            "duties": gp.get("responsibilities", []),
            "phases": gp.get("phases", []),
            "programs": [g for g in gp.get("programs", []) if isinstance(g.get("declared"), dict)],
        }
        oks = {"targets": _target_ok, "facts": _fact_ok, "duties": _duty_ok, "phases": _phase_ok,
               "programs": _program_ok}
        scores, misses, extras = {}, {}, {}
        for c in CATEGORIES:
            items = pools[c]
            if c == "programs":  # only programmes that declare parts are scored, the rest are not errors
                items = [x for x in items if x.parts]
            scores[c], misses[c], extras[c] = _match(text, golds[c], items, oks[c])
        hit = []
        for neg in gp.get("hard_negatives", []):
            nspan = locate(text, neg.get("quote", ""), neg.get("occurrence"))
            if nspan is not None and any(_overlap(nspan, t.span) for t in pools["targets"]):
                hit.append(neg.get("quote", ""))
        region = gp.get("region") or {}
        got = plan.region if plan is not None else None
        reports.append(PlanReport(
            label=gp.get("label") or gp.get("title") or "?", scores=scores,
            region_ok=_region_ok(region, plan),
            region={"gold": region.get("city") or region.get("province"),
                    "got": (got.name or got.province) if got is not None else None},
            misses=misses, extras=extras, negatives_hit=hit, doc_class=gold.get("kind"),
        ))
    return Report(reports)
