"""Targets and facts of one plan: every quantitative goal (Target) and every present/past figure (Fact).

``extract(text, span, outline, *, skip)`` walks the plan paragraph by paragraph on a folded copy of its
slice (same offsets), keeps a stack of headings for context (baseline sections, year clauses that govern a
section) and reads each quantity from ``numbers.find_quantities`` with the rules in ``targets_rules``.
Quotes are cut from the original text, so ``text[t.span[0]:t.span[1]] == t.text`` always holds.

How a figure is read (docs/gold-conventions.md):
- Fact or target: everything in a baseline section (试点基础, 发展现状, 优势, 形势 …) is a fact; elsewhere a
  figure is a fact when its sentence reports a result (已, 了, 现有, 截至, 以来, 目前, 同比, 由X提高到 …) or
  when an earlier year than the plan's horizon governs it outside a goals section; otherwise a target.
- Year: the last target clause before the figure in its paragraph (到2025年, 20XX年, 力争“十二五”末); else
  the clause set in the enclosing section (any paragraph of a section, or its heading, sets it for what
  follows in that section and its subsections); else the period in the plan's title line; else null.
  Years that qualify a comparison (较2015年, 2020年的) and dates of events (2012年6月) govern nothing.
- Hard negatives and shared subjects: see ``targets_rules``; tables flattened to text: ``targets_tables``.
- 确保X、争取Y (a floor and a stretch goal) are two targets with one indicator, each with its own comparator:
  both are stated goals a monitor can track. 分别 pairs subjects with values one to one.

Cost is linear: one regex pass for quantities and one for time phrases per plan, then constant work per
quantity on windows of at most one clause.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from innocity.domain.plan import Baseline, Decision, Fact, Section, Span, Target
from innocity.parsing import targets_shapes as shapes
from innocity.parsing import targets_tables
from innocity.parsing.doctime import document_time
from innocity.parsing.numbers import Quantity, find_quantities
from innocity.parsing.rx import rx
from innocity.parsing.sections import SectionPaths
from innocity.parsing.targets_context import Context, blank_out, starts_heading
from innocity.parsing.targets_negatives import Window, hard_negative
from innocity.parsing.targets_rules import (
    NOUN_START,
    indicator_of,
    kind_of,
    previous_clause_subject,
    respective,
    split_subjects,
)
from innocity.parsing.targets_special import TARGET_TENSES, SpecialShapes
from innocity.parsing.targets_tense import MAX_CLAUSE, Reading, decide
from innocity.parsing.textfold import fold
from innocity.parsing.vocabulary import BARE_VALUE_BEFORE, COUNT_UNITS, FROM_FIGURE, PURSUE, TITLE_WORD
from innocity.parsing.years import YearRef, find_time_phrases, resolve_relative

_LINE = rx(r"[^\n]+")
# A clause ends at , ; 。 : ! or a tab, at a full stop before an ideograph, at "(" before 其中. Written as one
# character class first (then which case it is), so the engine skips to the candidates: 1.5× faster.
_BOUND = rx(r"[,;。:!\t.(](?:(?<=[,;。:!\t])|(?<=\.)(?=[\u4e00-\u9fff])|(?<=\()(?=其中))")
_QUOTED = rx(
    r"“[^“”\n]{1,60}”|《[^《》\n]{1,80}》|\[[^\[\]\n]{1,20}\]|〔[^〕\n]{1,20}〕|\"[^\"\n]{1,40}\""
    r"|「[^「」\n]{1,60}」|『[^『』\n]{1,60}』"
)
_STACK_START = rx(r"\s*(?:主要)?(?:指标|序号)")  # a one-cell-per-line indicator table opens so
_SPECIAL_HINT = rx(r"[: _X倍番亿万]")  # ratios, blanks, multiples, bare scales: shapes without a number
_HEADING_NUMBER = rx(r"\d{1,2}\.\d+(?![\d%])")  # "11.121人才梯队项目": heading 11. and the name 121
_QUOTE_OPENERS = ("“", "《", '"', "[", "〔", "「", "『")
_QUOTED_STATEMENT = rx(r"(?:达到|突破|超过|不低于|不少于|增长|提高到|控制在)[^,;。]{0,12}\d[^,;。]{0,12}[,;。]")
_LABEL_BEFORE_COLON = rx(r"(?:^|[,;。\n\t)—-])\s*(?:\d+[.、]|\(\d+\))?\s*([^,;。:\n\t—]{2,30})$")
_RATE_WORDS = rx(r"(?:年均|年平均|平均每年|每年)?(?:增长|增速|增幅|提高|提升|递增|增加)率?$")
# Anchored on the ratio itself (3:42:55); the subject is read backwards from it, so the scan stays linear.
_RATIO = rx(
    r"(?:比重|比例|结构|之比)[^,;。\d]{0,4}?(?:调整为|调整到|调整至|优化为|优化到|达到|为)"
    r" ?(?P<r>\d+(?:\.\d+)? ?: ?\d+(?:\.\d+)?(?: ?: ?\d+(?:\.\d+)?){0,2})"
)
_NOUN_END = rx(r"[,;。:\s]")
_BLANK = rx(
    r"(?:(?:有|达到|达|建成|培育|新增|引进|突破|超过|建设|打造|形成|拥有)(?P<sp> {1,4})"
    r"|(?<=[\u4e00-\u9fff])(?:_{2,8}|XX|xx|××|×))(?P<u>家|个|项|名|所|件|%|人|亿元|万元|座|处)"
)
# Every _BLANK match ends with a blank or a mask character right before its unit; this pattern, which the
# engine can skip to, rules out the paragraphs that cannot hold one (_BLANK itself tries every position).
_BLANK_HINT = rx(r"[ _Xx×](?:家|个|项|名|所|件|%|人|亿元|万元|座|处)")
_HEAD_FIRST = frozenset(" \t第篇一二三四五六七八九十(0123456789①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")
_COUNTED_NOUN = rx(r"(?:的)?[\u4e00-\u9fff“]")
# Units whose value stands before the noun it counts, so the quote runs on to that noun.
_QUOTE_TO_NOUN = COUNT_UNITS | {"%"}


@dataclass(slots=True)
class Extraction:
    """What ``read`` found in one plan: targets, facts, the decisions taken (when asked) and warnings."""

    targets: list[Target] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    decisions: list[Decision] | None = None
    warnings: list[str] = field(default_factory=list)


def read(text: str, span: Span, outline: list[Section], *, skip: Iterable[Span] = (),
         explain: bool = False, folded: str | None = None) -> Extraction:
    """The targets and facts of the plan at ``text[span[0]:span[1]]``; spans in ``skip`` are ignored.

    With ``explain`` the result also lists every number considered and the rule that kept or dropped it.
    ``folded`` is ``fold(text)`` when the caller already has it."""
    s0, e0 = max(0, span[0]), min(len(text), span[1])
    if e0 <= s0:
        return Extraction(decisions=[] if explain else None)
    f = blank_out(fold(text[s0:e0]) if folded is None else folded[s0:e0], skip, s0)
    run = _Run(text, f, s0, outline, explain=explain)
    run.walk()
    return Extraction(run.targets, run.facts, run.decisions, run.warnings)


def extract(
    text: str, span: Span, outline: list[Section], *, skip: Iterable[Span] = ()
) -> tuple[list[Target], list[Fact]]:
    """The targets and facts of the plan at ``text[span[0]:span[1]]``; spans in ``skip`` are ignored."""
    got = read(text, span, outline, skip=skip)
    return got.targets, got.facts


class _Run(SpecialShapes):
    """State of one extraction: the folded slice, context stack and the items found so far."""

    def __init__(self, text: str, f: str, s0: int, outline: list[Section], *, explain: bool = False) -> None:
        self.text, self.f, self.s0, self.outline = text, f, s0, outline
        self.section_of = SectionPaths(outline)
        self.targets: list[Target] = []
        self.facts: list[Fact] = []
        self.ctx = Context()
        self.quantities = find_quantities(f)
        self.q_starts = [q.start for q in self.quantities]
        self.doc = document_time(f)  # the document's own year: 今年, and what is past or future
        self.phrases = resolve_relative(find_time_phrases(f), f, self.doc.year)
        self.p_starts = [p.start for p in self.phrases]
        future = [p.year for p in self.phrases if p.tense == "future" and p.year]
        self.horizon = max(future) if future else None
        # "2012年起5年内" states the plan's period: goals without a clause of their own are for its end.
        self.ctx.root_clause = next((p for p in self.phrases if p.tense == "future" and p.text and "起" in p.text), None)
        self._seen: set[tuple[int, int, str, float | None]] = set()
        self._row_ref: YearRef | None = None
        self._resp: dict[int, tuple[str, str, str]] = {}  # 分别 pairs in the current paragraph
        self._p_lo = self._p_hi = 0  # the current paragraph's time phrases: self.phrases[_p_lo:_p_hi]
        self.decisions: list[Decision] | None = [] if explain else None
        self.warnings: list[str] = []

    # -- walking -----------------------------------------------------------------------------------
    def walk(self) -> None:
        f = self.f
        first = True
        table = targets_tables.TableState()
        stacked = targets_tables.StackedState()
        for m in _LINE.finditer(f):
            ps, pe = m.start(), m.end()
            if pe - ps < 8 and not f[ps:pe].strip():
                continue
            self._p_lo, self._p_hi = bisect_left(self.p_starts, ps), bisect_left(self.p_starts, pe)
            phrases = self.phrases[self._p_lo: self._p_hi]
            if first:
                first = False
                title_ref = next((p for p in phrases if p.heading_period or p.tense == "future"), None)
                is_heading = f[ps] in _HEAD_FIRST and starts_heading(f, ps, pe)
                has_figures = bisect_left(self.q_starts, ps) < bisect_left(self.q_starts, pe)
                if (title_ref is not None and not is_heading and not has_figures
                        and not _BOUND.search(f, ps, pe) and TITLE_WORD.search(f, ps, pe)):
                    self.ctx.root_clause = title_ref
                    continue
            head = None
            if f[ps] in _HEAD_FIRST:
                head = self.ctx.enter(f, ps, pe)
            if head is None and pe - ps <= 40 and ("回顾" in f[ps:pe] or "目标" in f[ps:pe] or "工作" in f[ps:pe]):
                head = self.ctx.enter_caption(f, ps, pe)
            if head is not None:
                if phrases:
                    in_title = [p for p in phrases if p.end <= head[1] and not p.attributive]
                    self.ctx.frames[-1].period = in_title[-1] if in_title else None
            line = f[ps:pe]
            if pe - ps <= 48 and "\t" not in line and (stacked.heads or stacked.open or _STACK_START.match(line)):
                cells = targets_tables.read_stacked(f, ps, pe, stacked)
                if cells is not None:
                    for cell in cells:
                        self._emit_table_cell(cell, phrases)
                    continue
            if "\t" in line or "  " in line or "|" in line:
                rows = targets_tables.read_row(f, ps, pe, table)
                if rows is not None:
                    for row in rows:
                        self._emit_table_cell(row, phrases)
                    continue
            gov = [p for p in phrases if p.tense in TARGET_TENSES and not p.dated and not p.attributive]
            # In a table row (cells joined by tabs) a deadline cell belongs to that row, not to what follows.
            self._row_ref = gov[-1] if gov and "\t" in line else None
            self._paragraph(ps, pe, phrases, line)
            if gov and self._row_ref is None:
                self.ctx.set_clause(gov[-1])

    def _paragraph(self, ps: int, pe: int, phrases: Sequence[YearRef], par: str) -> None:
        f = self.f
        qs = self.quantities[bisect_left(self.q_starts, ps): bisect_left(self.q_starts, pe)]
        if not qs and _SPECIAL_HINT.search(par) is None:
            return
        has_quotes = any(c in par for c in _QUOTE_OPENERS)
        # A quoted name (“5568”工程) holds no value; a quoted statement of goals (实现“…达到2000名左右,…”的目标)
        # is read like any other sentence.
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(f, ps, pe)
                  if not _QUOTED_STATEMENT.search(f, m.start(), m.end())] if has_quotes else []
        bounds = [m.start() for m in _BOUND.finditer(f, ps, pe)]
        used: list[tuple[int, int]] = []
        for m in _RATIO.finditer(f, ps, pe) if ":" in par else ():
            used.append((m.start("r"), m.end("r")))
            self._ratio(m, ps, pe, bounds, phrases)
        blank = ((" " in par or "_" in par or "X" in par or "×" in par)
                 and _BLANK_HINT.search(f, ps, pe) is not None)
        for m in _BLANK.finditer(f, ps, pe) if blank else ():
            self._blank(m, ps, pe, bounds)
        q_open = [a for a, _ in quoted]
        if "倍" in par or "番" in par:
            for m in shapes.MULTIPLE.finditer(f, ps, pe):
                k = bisect_right(q_open, m.start()) - 1
                if k >= 0 and quoted[k][1] > m.start():
                    continue  # “六个倍增”: the name of a programme
                used.append((m.start(), m.end()))
                self._multiple(m, ps, pe, bounds, phrases)
        if "亿" in par or "万" in par:
            for m in shapes.SCALE_ONLY.finditer(f, ps, pe):
                self._scale_only(m, ps, pe, bounds, phrases)
        self._resp = respective(f, qs, ps) if "分别" in par else {}
        prev_end = ps
        for i, q in enumerate(qs):
            k = bisect_right(q_open, q.start) - 1  # quotes do not nest: only the last one opened can hold q
            if k >= 0 and quoted[k][1] > q.start:
                self._decide(q, "dropped", "inside-quotes")  # “5568”工程, 《2025行动》: names
                continue
            if any(a <= q.start < b for a, b in used):
                continue  # read as part of a ratio or a multiple (翻一番, 增长1倍)
            next_start = qs[i + 1].start if i + 1 < len(qs) else pe
            self._quantity(q, ps, pe, bounds, phrases, prev_end, next_start)
            prev_end = q.end

    # -- one quantity ------------------------------------------------------------------------------
    def _segment(self, pos: int, end: int, ps: int, pe: int, bounds: list[int], prev_end: int) -> tuple[int, int]:
        i = bisect_right(bounds, pos - 1)
        seg_start = max(bounds[i - 1] + 1 if i > 0 else ps, pos - MAX_CLAUSE)
        j = bisect_left(bounds, end)
        seg_end = min(bounds[j] if j < len(bounds) else pe, end + MAX_CLAUSE)
        if prev_end > seg_start:
            k = self.f.rfind("、", seg_start, pos)
            if k >= 0:
                seg_start = k + 1
        while seg_start < pos and self.f[seg_start] in " 、\u3000":
            seg_start += 1
        return seg_start, seg_end

    def _governing(self, pos: int, phrases: Sequence[YearRef]) -> YearRef | None:
        # "2020年的60%": an attributive year belongs to the figure right after it and governs nothing else.
        # Walk back from the figure (phrases are in order), so a huge paragraph stays linear.
        f = self.f
        base = self.ctx.baseline
        i = bisect_right(self.p_starts, pos, self._p_lo, self._p_hi) - 1
        while i >= self._p_lo:
            p = self.phrases[i]
            i -= 1
            if p.end > pos:
                continue
            if (not p.attributive or f[p.end : pos].strip() == "的") and (base or not p.dated):
                return p
        return None

    def _quantity(self, q: Quantity, ps: int, pe: int, bounds: list[int], phrases: Sequence[YearRef],
                  prev_end: int, next_start: int) -> None:
        f = self.f
        if q.unit is None and q.special is None:
            # Most bare numbers are dates or codes: reject them before any other work.
            if q.chinese or _year_like(q) or not BARE_VALUE_BEFORE.search(f, max(ps, q.start - 5), q.start):
                self._decide(q, "dropped", "bare-number")
                return
            nxt = f[q.end: q.end + 1]
            if nxt and nxt not in ",;。)\n":
                self._decide(q, "dropped", "bare-number")
                return
        seg_start, seg_end = self._segment(q.start, q.end, ps, pe, bounds, prev_end)
        if next_start < seg_end:
            # Another figure follows in this clause: this one ends at the 、 before it ("10个中心、5个实验室").
            k = f.rfind("、", q.end, next_start)
            seg_end = k if k >= 0 else seg_end
        pre, post = f[seg_start: q.start], f[q.end: seg_end]
        if q.unit in ("公里", "千米") and pre.endswith("时速"):
            q.unit, q.unit_text = f"{q.unit}/小时", q.unit  # 时速350公里 is a speed
        counted = next_start < seg_end or prev_end > seg_start  # another figure shares this clause
        if counted and (post.startswith("的") or (
                (q.unit or "").endswith("元") and post[:1] and NOUN_START.match(post))):
            # "年营业收入超10亿元的企业50家", "超十亿元企业30家": the amount describes what is counted
            self._decide(q, "dropped", "amount-describes-counted")
            return
        gov = self._governing(q.start, phrases) or self._row_ref
        if gov is not None and gov.attributive and q.unit == "倍":
            gov = self._governing(gov.start, phrases)  # 达到2020年的1.5倍: the year is the multiplier's base
        rule = decide(self._reading(q.start, pre, post, gov))
        line_start = q.start == ps or (q.start - ps <= 8 and f[ps:q.start].isspace())  # bounded: no O(n²)
        row_gap = line_start and f[q.num_start:q.end].find(" ") > 0
        window = Window(q, pre, post, f[seg_start:seg_end], not self.ctx.baseline, row_gap, rule.verdict,
                        line_start and _HEADING_NUMBER.match(f, q.start) is not None)
        neg = hard_negative(window)
        if neg is not None:
            self._decide(q, "dropped", neg.name)
            return
        self._decide(q, rule.verdict, rule.name)
        # The indicator is read after any earlier figure of the same clause ("10大基地和10大研发中心").
        ind_pre = f[prev_end: q.start] if prev_end > seg_start and not FROM_FIGURE.search(pre) else pre
        if rule.verdict == "fact":
            self._emit_fact(q, seg_start, seg_end, ind_pre, post, gov)
        else:
            self._emit_target(q, seg_start, seg_end, pre, post, gov, ind_pre)

    def _reading(self, pos: int, pre: str, post: str, gov: YearRef | None) -> Reading:
        return Reading(self.f, pos, pre, post, gov, self.ctx.baseline, self.ctx.future, self.doc, self.horizon)

    def _is_fact(self, gov: YearRef | None, pre: str, pos: int) -> bool:
        return decide(self._reading(pos, pre, "", gov)).verdict == "fact"

    def _decide(self, q: Quantity, verdict: str, rule: str) -> None:
        """Record what was done with ``q`` and why, when an explanation was asked for."""
        if self.decisions is not None:
            a, b = q.start + self.s0, q.end + self.s0
            self.decisions.append(Decision(self.text[a:b], (a, b), verdict, rule, q.value, q.unit))  # type: ignore[arg-type]

    def _target_year(self, gov: YearRef | None) -> tuple[int | None, str | None]:
        ref = gov if gov is not None and gov.tense in TARGET_TENSES else self.ctx.inherited_clause()
        if ref is None and self.doc.report and self.doc.year is not None:
            return self.doc.year, None  # a work report's goals without a year are for the report's year
        if ref is None or ref.tense == "relative":
            return None, None
        return ref.year, ref.text

    def _recurring(self, pos: int, gov: YearRef | None) -> tuple[None, None] | None:
        """每年新增…50名: a yearly amount has no deadline of its own, unless its sentence names one."""
        if self.f.find("每年", max(0, pos - MAX_CLAUSE), pos) < 0:
            return None
        sent = max(self.f.rfind("。", max(0, pos - MAX_CLAUSE), pos) + 1, pos - MAX_CLAUSE, 0)
        if self.f.find("每年", sent, pos) < 0 or (gov is not None and gov.start >= sent):
            return None
        return None, None

    def _quote(self, seg_start: int, end: int) -> tuple[int, int, str]:
        a, b = seg_start + self.s0, end + self.s0
        while b > a and self.text[b - 1].isspace():
            b -= 1
        return a, b, self.text[a:b]

    def _emit_target(self, q: Quantity, seg_start: int, seg_end: int, pre: str, post: str,
                     gov: YearRef | None, ind_pre: str) -> None:
        paired = self._resp.get(q.start)
        kind, base_text, down = kind_of(q, paired[2] if paired else pre)  # 分别年均增长7%、8%: all growth
        indicator = paired[0] if paired and paired[0] else indicator_of(ind_pre, post, q)
        if not indicator and seg_start > 0 and self.f[seg_start - 1] == ":":
            head = _LABEL_BEFORE_COLON.search(self.f, max(0, seg_start - 40), seg_start - 1)
            indicator = head.group(1).strip() if head else ""  # "——研发投入强度:达到3%"
        if not indicator:
            # "争取上级资金支持,确保超过6000万元": the subject is the clause before
            indicator = previous_clause_subject(self.f, seg_start, q, self.q_starts)
        # the target read last before this figure (multiples are read ahead of the plain figures of a paragraph)
        last = None if indicator else max((t for t in self.targets[-4:] if t.span[0] - self.s0 < q.start),
                                          key=lambda t: t.span[0], default=None)
        if not indicator and last is not None and self.f.find("。", last.span[1] - self.s0, q.start) < 0:
            indicator = last.indicator  # "…提高12个百分点,达到60%以上": the same subject
            if last.kind != "level":
                indicator = _RATE_WORDS.sub("", indicator) or indicator  # "GDP年均增长10%,突破2000亿元"
            if last.kind == "growth" and kind == "level" and last.unit == q.unit and PURSUE.search(pre):
                kind = "growth"  # "年均增长20%以上,力争达到25%": the same rate, a higher aim
        end = seg_end if _COUNTED_NOUN.match(post) and (q.unit or "") in _QUOTE_TO_NOUN else q.end
        a, b, quote = self._quote(seg_start, end)
        year, year_text = self._recurring(q.start, gov) or self._target_year(gov)
        value, vmax = q.value, q.value_max
        if down and value is not None:
            value, vmax = -value, (-vmax if vmax is not None else None)
        comparator = paired[1] if paired else q.comparator
        unit, unit_text = q.unit, q.unit_text
        if unit in shapes.SCALES:
            implied, as_written = shapes.implied_unit(q.unit, pre, self._earlier_unit(q))
            if implied:
                unit, unit_text = implied, as_written  # 120万亩…150万 → 万亩; 总规模…三千亿 → 亿元
        baseline = None
        if kind == "change":
            refs = find_time_phrases(base_text) if base_text else []
            baseline = Baseline(year=refs[0].year if refs else None, text=base_text)
        for name in [indicator] if paired and paired[0] else split_subjects(indicator, q, kind, pre, post):
            self._add_target(Target(
                text=quote, span=(a, b), indicator=name, kind=kind,  # type: ignore[arg-type]
                comparator=comparator,  # type: ignore[arg-type]
                value=value, unit=unit, year=year, year_text=year_text, value_max=vmax,
                approximate=q.approx, section=self.section_of(a), unit_text=unit_text,
                baseline=baseline,
            ))

    def _earlier_unit(self, q: Quantity) -> str | None:
        """The unit of the figure just before ``q`` in the same clause (从现状120万亩增加到150万)."""
        i = bisect_left(self.q_starts, q.start) - 1
        if i < 0:
            return None
        e = self.quantities[i]
        if q.start - e.end > 30 or _BOUND.search(self.f, e.end, q.start):
            return None
        return e.unit

    def _add_target(self, t: Target) -> None:
        key = (t.span[0], t.span[1], t.indicator, t.value)
        if key in self._seen:
            return
        self._seen.add(key)
        self.targets.append(t)

    def _emit_fact(self, q: Quantity, seg_start: int, seg_end: int, pre: str, post: str,
                   gov: YearRef | None) -> None:
        if q.value is None:
            return
        paired = self._resp.get(q.start)
        indicator = paired[0] if paired and paired[0] else indicator_of(pre, post, q)
        a, b, quote = self._quote(seg_start, q.end)
        gov = gov or self.ctx.heading_period()
        year, year_text = (gov.year, gov.text) if gov is not None and gov.tense != "now" else (None, None)
        if gov is not None and gov.tense == "relative":
            year, year_text = None, None
        key = (a, b, indicator, q.value)
        if key in self._seen:
            return
        self._seen.add(key)
        self.facts.append(Fact(
            text=quote, span=(a, b), indicator=indicator, value=q.value, unit=q.unit, year=year,
            year_text=year_text, section=self.section_of(a), qualifier=q.qualifier,
        ))


def _year_like(q: Quantity) -> bool:
    v = q.value
    return v is not None and v.is_integer() and 1900 <= v <= 2100
