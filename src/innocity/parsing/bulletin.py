"""Figures from statistical bulletins (统计公报) and government work reports (政府工作报告): text in,
proposed observations out, each quoting its exact span (``text == source[span[0]:span[1]]``).

``read_bulletin(text)`` finds every quantity once (``numbers.find_quantities``) plus the ratios of a
structure (三次产业结构 5.0:37.8:57.2) and the bare numbers of a list that share the last one's unit
(上升0.1和0.8个百分点). Each number is then decided by the named rule tables of ``bulletin_rules``:
skipped (not a figure), a goal (never an observation), or a figure of kind level, growth or share. Its
period comes from the time phrase that governs it in its paragraph (2014年…, 由上年的…), else its section's
year, else the document's; its indicator phrase from the words before it (``bulletin_phrases``).

Pure and linear: no database, no catalogue (the service matches phrases to indicator codes).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from innocity.domain.bulletin import BulletinReading, Figure, RegionGuess, Skipped
from innocity.parsing import bulletin_candidates as cands
from innocity.parsing import bulletin_context as ctxmod
from innocity.parsing import bulletin_phrases as ph
from innocity.parsing import bulletin_rules as rules
from innocity.parsing.textfold import fold
from innocity.parsing.years import YearRef, find_time_phrases

_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_RUN_GAP = re.compile(r"^[\s、和及与" + ph.MASK + "]*$")
_PRELIM = re.compile(r"初步核算|初步统计|初步测算|初步汇总|预计(?!到)|快报")
_GOAL_LIST = re.compile(r"[^。\n]*(?:预期目标|主要目标|目标是|目标为|目标任务是)[^。\n]*:\s*\n")
_NOT_PERIOD_BEFORE = "按以在"
# 从2020年的3.68万亿元增长到2025年的4.93万亿元: a starting value and the value reached
_FROM = re.compile(r"(?:从|由)(?:(?P<y>(?:19|20)\d\d)年(?:末|底)?的?|(?P<last>上年|去年)(?:末|底)?的?|目前的?)?\s*$")
_TO = re.compile(r"^\s*(?:增长|增加|提高|提升|上升|下降|降低|减少|扩大|缩小|调整|发展|变)?(?:到|至|为)\s*(?:(?P<y>(?:19|20)\d\d)年(?:末|底)?的?)?\s*$")
# in a span of years, a level that was reached (达到9000公里) is the value at its end; others are totals
_REACHED = re.compile(r"(?:达到|达|突破|增至|增加到|增长到|提高到|提升到|提高至|提升至|上升到|升至|跃升至|接近)\s*$")
_KIND_OF = {"doubling": "growth", "growth_verb": "growth", "share_words": "share", "percent_share": "share"}
_NOT_PERIOD_AFTER = ("不变价", "价格", "为基", "基期", "可比价")


@dataclass(slots=True)
class _Item:
    cand: cands.Cand
    kind: str
    rule: str
    phrase: str
    quote: tuple[int, int]
    goal: str | None
    period: str | None
    preliminary: bool
    run: int  # items of one list (x、y和z) share a run id


@dataclass(slots=True)
class _Doc:
    text: str
    g: str  # folded, footnote marks masked
    kind: str
    year: int | None
    sections: list[ctxmod.Section]
    times: list[YearRef]
    time_starts: list[int]
    goal_lists: list[tuple[int, int]]
    spans: list[tuple[int, int, tuple[int, int]]]
    out: BulletinReading
    runs: int = 0
    items: list[_Item] = field(default_factory=list)


def read_bulletin(text: str, *, region: str | None = None, year: int | None = None) -> BulletinReading:
    """Read the figures of a bulletin or work report. ``region`` and ``year`` override what the document
    says about itself; ``year`` is the year the reported figures are for."""
    f = fold(text)
    g = _FOOTNOTE.sub(lambda m: ph.MASK * len(m.group()), f)
    kind = ctxmod.document_kind(f)
    date = ctxmod.document_date(f)
    fig_year: int | None = year
    year_rule = "given"
    if year is None:
        fig_year, year_rule = ctxmod.figures_year(f, kind, date)
    place: RegionGuess = ctxmod.given_region(region) if region else ctxmod.region_of(text, f)
    out = BulletinReading(kind, ctxmod.title(text), place, fig_year, year_rule, date)
    if fig_year is None:
        out.warnings.append("the year the figures are for is unknown: give it (--year)")
    if place.name is None:
        out.warnings.append("the place the document reports on is unknown: give it (--region)")
    times = [t for t in find_time_phrases(g) if _governs(g, t)]
    doc = _Doc(text, g, kind, fig_year, ctxmod.sections(f, fig_year), times, [t.start for t in times],
               _goal_lists(g), _span_events(g, fig_year), out)
    for s, e in _sentences(g):
        _read_sentence(doc, s, e)
    for it in doc.items:
        _emit(doc, it)
    return out


# ---------------------------------------------------------------------- structure


def _governs(g: str, t: YearRef) -> bool:
    """Time phrases that can set a figure's period or make it a goal (not 比2012年, not dates of events,
    not 按2010年不变价格)."""
    if t.attributive or t.dated or t.heading_period:
        return False
    if t.start > 0 and g[t.start - 1] in _NOT_PERIOD_BEFORE:
        return False
    return not g.startswith(_NOT_PERIOD_AFTER, t.end)


def _sentences(g: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"[。!?\n]", g):
        if m.end() - start > 1:
            out.append((start, m.end()))
        start = m.end()
    if len(g) > start:
        out.append((start, len(g)))
    return out


def _goal_lists(g: str) -> list[tuple[int, int]]:
    """Lines after a goal sentence that ends with a colon (今年主要预期目标是:), up to a blank line or heading."""
    zones = []
    for m in _GOAL_LIST.finditer(g):
        end = m.end()
        while end < len(g):
            nl = g.find("\n", end)
            line = g[end: nl if nl >= 0 else len(g)]
            if not line.strip() or (ctxmod._HEADING.match(line) and not re.match(r"\s*[((]", line)):
                break
            end = nl + 1 if nl >= 0 else len(g)
        zones.append((m.end(), end))
    return zones


def _section(doc: _Doc, pos: int) -> ctxmod.Section | None:
    found = None
    for s in doc.sections:
        if s.start <= pos < s.end:
            found = s
    return found


def _paragraph_start(g: str, pos: int) -> int:
    return g.rfind("\n", 0, pos) + 1


@dataclass(frozen=True, slots=True)
class _Time:
    """What governs a figure's time: a year, a span of years (过去五年, “十四五”时期), or a goal."""

    year: int | None
    span: tuple[int, int] | None = None
    goal: str | None = None


def _span_events(g: str, year: int | None) -> list[tuple[int, int, tuple[int, int]]]:
    """(start, end, (first, last year)) of phrases that put figures over several years: 过去五年, 这五年."""
    if year is None:
        return []
    out = []
    for m in ctxmod.SPAN.finditer(g):
        span = ctxmod.span_of(m, year)
        if span is not None:
            out.append((m.start(), m.end(), span))
    return out


def _this_year(doc: _Doc, t: YearRef) -> int | None:
    """今年 in a work report is the year after the one it reviews (明年 the one after that)."""
    if doc.year is None or doc.kind != "work_report" or not t.text:
        return None
    return doc.year + (2 if t.text.startswith("明年") else 1) if t.text.startswith(("今年", "本年度", "明年")) else None


def _time_state(doc: _Doc, pos: int) -> _Time:
    """The last governing time phrase before ``pos`` in its paragraph; else its section's; else the
    document's year."""
    para = _paragraph_start(doc.g, pos)
    i = bisect_right(doc.time_starts, pos) - 1
    while i >= 0 and doc.times[i].start >= para:
        t = doc.times[i]
        if t.end <= pos:
            if t.tense in ("future", "relative"):
                return _Time(t.year if t.year is not None else _this_year(doc, t), goal="future_time")
            if t.year is not None and doc.year is not None and t.year > doc.year:
                return _Time(t.year, goal="future_time")
            if t.year is not None and t.text and t.text[:4].isdigit():
                return _Time(t.year)
            if t.year is not None:  # “十四五”时期, “十二五”以来: the plan's five years
                return _Time(t.year, (t.year - 4, t.year))
        i -= 1
    for start, end, span in reversed(doc.spans):
        if para <= start and end <= pos:
            return _Time(span[1], span)
    sec = _section(doc, pos)
    if sec is not None and sec.mode == "review":
        if sec.span is not None:
            return _Time(sec.span[1], sec.span)
        if sec.year is not None:
            return _Time(sec.year)
    return _Time(doc.year)


# ---------------------------------------------------------------------- deciding


def _read_sentence(doc: _Doc, s: int, e: int) -> None:
    g = doc.g
    prev: _Item | None = None
    prev_end = s
    prelim_at = _prelim_start(g, s)
    items: list[_Item] = []
    for c in cands.candidates(g, s, e):
        cstart = cands.clause_start(g, s, c.start)
        lead_from = max(cstart, prev_end)
        time = _time_state(doc, c.start)
        ctx = _context(doc, c, s, cstart, lead_from, time)
        skip = rules.first(rules.SKIP_RULES, ctx) if c.ratio is None else None
        if skip is not None:
            doc.out.skipped.append(Skipped(doc.text[c.start: c.end], (c.start, c.end), skip.name, skip.reason))
            prev, prev_end = None, c.end
            continue
        if c.ratio is not None:
            same_run = prev is not None and prev.cand.ratio is not None and prev.cand.ratio[4] == c.ratio[4]
        else:
            same_run = prev is not None and prev.cand.ratio is None and (
                prev.cand.end >= cstart and _RUN_GAP.match(g[prev.cand.end: c.start]) is not None)
        # 从3826.5亿元增长到4398.6亿元: the value reached continues the starting value's run
        from_to = (c.ratio is None and prev is not None and prev.cand.ratio is None and prev.cand.end >= cstart
                   and _FROM.search(g, max(cstart, prev.cand.start - 12), prev.cand.start) is not None
                   and _TO.match(g[prev.cand.end: c.start]) is not None)
        if (same_run or from_to) and prev is not None:
            kind, krule, run = prev.kind, ("from_to" if from_to else prev.rule), prev.run
        else:
            doc.runs += 1
            run = doc.runs
            if c.ratio is not None:
                kind, krule = "share", "ratio_parts"
            else:
                k = rules.first(rules.KIND_RULES, ctx)
                krule = k.name if k else "level"
                kind = _KIND_OF.get(krule, "level")
        if kind == "growth" and not same_run and rules.NEGATIVE.search(ctx.lead):
            c.value = -abs(c.value)
        elif kind == "growth" and same_run and prev is not None and prev.cand.value < 0:
            c.value = -abs(c.value)
        goal = rules.first(rules.GOAL_RULES, ctx)
        quote = (prev.quote[0] if (same_run or from_to) and prev is not None else _trim(g, lead_from, c.start), c.end)
        period = _period(doc, c, time, ctx.lead, from_to)
        if goal is not None and time.goal is None:
            period = str(doc.year + 1) if doc.kind == "work_report" and doc.year is not None else None
        if from_to and prev is not None:
            prev.period = _from_period(doc, prev, time)
        if c.ratio is not None:
            quote = (_trim(g, cstart, c.start), c.ratio[5])
        lead = rules.GROWTH_TAIL.sub("", ctx.lead) if kind == "growth" else ctx.lead
        phrase = "" if same_run or from_to else ph.clean(lead)
        if not same_run and not from_to and c.ratio is None and (c.unit or "") in ph.COUNT_UNITS:
            if not phrase or ph.COUNT_VERB.search(phrase) is not None:
                noun = ph.noun_after(g, c.end, e)
                if noun is not None:
                    phrase = ph.clean(ph.COUNT_VERB.sub("", phrase)) + noun[0]
                    quote = (quote[0], noun[1])
                    krule = "count_before_noun"
        item = _Item(c, kind, krule, phrase, quote, goal.name if goal else None, period,
                     bool(prelim_at is not None and c.start > prelim_at) or c.approx, run)
        items.append(item)
        prev, prev_end = item, quote[1]
    _resolve_phrases(items)
    doc.items.extend(items)


def _context(doc: _Doc, c: cands.Cand, s: int, cstart: int, lead_from: int, time: _Time) -> rules.Context:
    g = doc.g

    def clean(a: int, b: int) -> str:
        return g[a:b].replace(ph.MASK, "")

    rest = g[c.end:]
    sec = _section(doc, c.start)
    in_list = any(a <= c.start < b for a, b in doc.goal_lists)
    return rules.Context(
        lead=clean(lead_from, c.start),
        clause=clean(cstart, c.start),
        before=clean(s, c.start),
        after=g[c.end: c.end + 8],
        tail=rest if len(rest) <= 3 else "\x00more",
        unit=c.unit,
        chinese=c.chinese,
        comparator=c.comparator,
        double=c.double,
        section_mode="goals" if in_list else (sec.mode if sec else "neutral"),
        time_goal=time.goal,
    )


def _period(doc: _Doc, c: cands.Cand, time: _Time, lead: str, reached: bool) -> str | None:
    """The figure's period: a ratio's stated baseline (由上年的…); over a span of years, the span itself
    unless the figure is a level reached at its end (达到9000公里); else the governing year."""
    if c.ratio is not None and c.ratio[3] is not None and time.goal is None:
        base = c.ratio[3]
        year = (doc.year - 1 if doc.year is not None else None) if base == -1 else base
        return str(year) if year is not None else None
    if time.span is not None:
        if reached or _REACHED.search(lead) is not None:
            return str(time.span[1])
        return f"{time.span[0]}-{time.span[1]}"
    return str(time.year) if time.year is not None else None


def _from_period(doc: _Doc, start: _Item, time: _Time) -> str | None:
    """The period of a starting value (从2020年的…, 由上年的…, or the year before the span or period)."""
    m = _FROM.search(doc.g, max(0, start.cand.start - 12), start.cand.start)
    if m is not None and m.group("y"):
        return m.group("y")
    if time.span is not None:
        return str(time.span[0] - 1)
    if time.year is not None:
        return str(time.year - 1)
    return None


def _prelim_start(g: str, s: int) -> int | None:
    """Where 初步核算/预计 starts governing the paragraph that holds position ``s`` (None: it does not)."""
    para = _paragraph_start(g, s)
    m = _PRELIM.search(g, para, max(para, len(g) if g.find("\n", s) < 0 else g.find("\n", s)))
    return m.start() if m else None


def _trim(g: str, a: int, b: int) -> int:
    while a < b and (g[a].isspace() or g[a] in "、,;:"):
        a += 1
    return a


def _resolve_phrases(items: list[_Item]) -> None:
    """Lists share or split their head's phrase (分别); figures without words take the subject of the
    figures before them in the sentence (增长6.5%, 按年均汇率折算为13700美元)."""
    runs: dict[int, list[_Item]] = {}
    for it in items:
        runs.setdefault(it.run, []).append(it)
    done: list[_Item] = []
    for members in runs.values():
        head = members[0]
        n = len(members)
        if head.cand.ratio is not None:
            names = ph.ratio_names(head.cand.ratio[0], head.cand.ratio[2])
            for it in members:
                assert it.cand.ratio is not None
                it.phrase = names[it.cand.ratio[1]]
        elif head.phrase:
            subject = next((d.phrase for d in reversed(done) if d.kind != "growth" and d.phrase), "")
            base = ph.share_subject(head.phrase, subject) if head.kind == "share" else head.phrase
            parts = ph.split_parts(base, n) if n > 1 else None
            for i, it in enumerate(members):
                it.phrase = parts[i] if parts else base
        else:
            subjects = [d.phrase for d in done if d.kind != "growth" and d.phrase]
            if len(subjects) >= n:
                for it, subj in zip(members, subjects[-n:], strict=True):
                    it.phrase = subj
            elif subjects:
                for it in members:
                    it.phrase = subjects[-1]
        done.extend(members)


def _emit(doc: _Doc, it: _Item) -> None:
    c = it.cand
    a, b = it.quote
    fig = Figure(
        indicator=ph.strip_paren(it.phrase) if it.phrase.endswith(")") else it.phrase,
        value=c.value,
        unit=c.unit,
        period=it.period,
        kind=it.kind,  # type: ignore[arg-type]
        preliminary=it.preliminary,
        text=doc.text[a:b],
        span=(a, b),
        value_span=(c.start, c.end),
        rule=it.goal or it.rule,
        approx=c.approx,
        comparator=c.comparator,
    )
    (doc.out.goals if it.goal else doc.out.figures).append(fig)
