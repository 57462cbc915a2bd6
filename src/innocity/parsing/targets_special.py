"""The figures of a plan that are not one number in a sentence, for the target reader (``targets``): ratios
(三次产业比重调整为3:42:55), blanks where a number was lost, multiples of a baseline (翻一番, 增加两倍), bare-scale
amounts (冲刺八千亿) and the cells of indicator tables. A mixin of ``targets._Run``: it uses the run's state and
its clause, tense and quoting helpers, declared here so the contract between the two is visible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from innocity.domain.plan import Baseline, Decision, Fact, Section, Target
from innocity.parsing import targets_shapes as shapes
from innocity.parsing import targets_tables
from innocity.parsing.numbers import Quantity
from innocity.parsing.rx import rx
from innocity.parsing.sections import SectionPaths
from innocity.parsing.targets_context import Context
from innocity.parsing.targets_rules import indicator_of
from innocity.parsing.targets_tense import Reading, decide
from innocity.parsing.years import YearRef

TARGET_TENSES = ("future", "point", "relative")  # time phrases that can set a deadline
_SUBJ_BACK = rx(r"[^,;。:]{0,20}$")


class SpecialShapes:
    """Readers of ratios, blanks, multiples, bare-scale amounts and table cells (see the module docstring)."""

    text: str
    f: str
    s0: int
    outline: list[Section]
    section_of: SectionPaths  # section_path(outline, pos), memoised
    ctx: Context
    facts: list[Fact]
    decisions: list[Decision] | None
    warnings: list[str]

    # -- provided by targets._Run ----------------------------------------------------------------------
    def _segment(self, pos: int, end: int, ps: int, pe: int, bounds: list[int], prev_end: int) -> tuple[int, int]:
        raise NotImplementedError

    def _governing(self, pos: int, phrases: Sequence[YearRef]) -> YearRef | None:
        raise NotImplementedError

    def _reading(self, pos: int, pre: str, post: str, gov: YearRef | None) -> Reading:
        raise NotImplementedError

    def _is_fact(self, gov: YearRef | None, pre: str, pos: int) -> bool:
        raise NotImplementedError

    def _decide(self, q: Quantity, verdict: str, rule: str) -> None:
        raise NotImplementedError

    def _target_year(self, gov: YearRef | None) -> tuple[int | None, str | None]:
        raise NotImplementedError

    def _recurring(self, pos: int, gov: YearRef | None) -> tuple[None, None] | None:
        raise NotImplementedError

    def _quote(self, seg_start: int, end: int) -> tuple[int, int, str]:
        raise NotImplementedError

    def _add_target(self, t: Target) -> None:
        raise NotImplementedError

    def _emit_target(self, q: Quantity, seg_start: int, seg_end: int, pre: str, post: str,
                     gov: YearRef | None, ind_pre: str) -> None:
        raise NotImplementedError

    # -- the shapes ------------------------------------------------------------------------------------
    def _ratio(self, m: re.Match[str], ps: int, pe: int, bounds: list[int], phrases: Sequence[YearRef]) -> None:
        parts = [float(x) for x in m.group("r").replace(" ", "").split(":")]
        sm = _SUBJ_BACK.search(self.f, max(ps, m.start() - 20), m.start())
        subj = sm.group().strip() if sm else ""
        seg_start, _ = self._segment(m.start("r"), m.end("r"), ps, pe, bounds, ps)
        unit = "%" if abs(sum(parts) - 100) < 0.51 else None
        if "三次产业" in subj or "三产" in subj or (len(parts) == 3 and "产业" in subj):
            names = ["第一产业比重", "第二产业比重", "第三产业比重"][: len(parts)]
        else:
            names = [f"{subj}比重({i + 1})" for i in range(len(parts))]
        gov = self._governing(m.start("r"), phrases)
        if self.ctx.baseline or self._is_fact(gov, self.f[seg_start: m.start("r")], m.start("r")):
            return
        year, year_text = self._target_year(gov)
        a, b, quote = self._quote(seg_start, m.end("r"))
        for name, v in zip(names, parts, strict=False):
            self._add_target(Target(
                text=quote, span=(a, b), indicator=name, kind="level", comparator="=", value=v, unit=unit,
                year=year, year_text=year_text, section=self.section_of(a),
            ))

    def _blank(self, m: re.Match[str], ps: int, pe: int, bounds: list[int]) -> None:
        """建成 个省级孵化器: the number was lost (in scraping, or left blank): no target, a warning instead."""
        seg_start, seg_end = self._segment(m.start(), m.end(), ps, pe, bounds, ps)
        a, _, quote = self._quote(seg_start, seg_end)
        self.warnings.append(f"targets: a number is missing in 「{quote[:40]}」 (offset {a}); no target was read")
        if self.decisions is not None:
            s = m.start("u") + self.s0
            self.decisions.append(Decision(self.text[m.start() + self.s0: s + len(m.group("u"))], (m.start() + self.s0,
                                           s + len(m.group("u"))), "dropped", "blank-number", None, m.group("u")))

    def _multiple(self, m: re.Match[str], ps: int, pe: int, bounds: list[int], phrases: Sequence[YearRef]) -> None:
        """翻一番, 倍增, 增加两倍: a multiple of the baseline is a change of (multiple − 1) × 100 %."""
        times = shapes.multiple_of(m)
        q = Quantity(m.start(), m.end(), (times - 1) * 100, unit="%", comparator=">=" if m.group("above") else "=",
                     special="double", num_start=m.start())
        seg_start, seg_end = self._segment(m.start(), m.end(), ps, pe, bounds, ps)
        pre, post = self.f[seg_start: m.start()], self.f[m.end(): seg_end]
        gov = self._governing(m.start(), phrases)
        rule = decide(self._reading(m.start(), pre, post, gov))
        self._decide(q, rule.verdict if rule.verdict == "target" else "dropped",
                     "multiple-of-baseline" if rule.verdict == "target" else rule.name)
        if rule.verdict != "target":
            return
        year, year_text = self._recurring(m.start(), gov) or self._target_year(gov)
        base = shapes.baseline_before(pre)
        a, b, quote = self._quote(seg_start, m.end())
        self._add_target(Target(
            text=quote, span=(a, b), indicator=indicator_of(shapes.before_baseline(pre), post, q), kind="change",
            comparator=q.comparator,  # type: ignore[arg-type]
            value=q.value, unit="%", year=year, year_text=year_text, section=self.section_of(a),
            baseline=Baseline(year=base[0], text=base[1]) if base else None, multiplier=times,
        ))

    def _scale_only(self, m: re.Match[str], ps: int, pe: int, bounds: list[int], phrases: Sequence[YearRef]) -> None:
        """冲刺八千亿, 总规模突破三千亿: a Chinese numeral with only a scale word after it."""
        verb = shapes.scale_verb(self.f, m)
        value = shapes.scale_value(m) if verb else None
        if value is None:
            return
        q = Quantity(m.start("n"), m.end(), value, unit=m.group("s"),
                     comparator=">=" if verb in shapes.AT_LEAST else "=", chinese=True, num_start=m.start("n"))
        seg_start, seg_end = self._segment(q.start, q.end, ps, pe, bounds, ps)
        pre, post = self.f[seg_start: q.start], self.f[q.end: seg_end]
        gov = self._governing(q.start, phrases)
        rule = decide(self._reading(q.start, pre, post, gov))
        self._decide(q, rule.verdict, rule.name)
        if rule.verdict == "target":
            self._emit_target(q, seg_start, seg_end, pre, post, gov, pre)

    def _emit_table_cell(self, cell: targets_tables.Cell, phrases: Sequence[YearRef]) -> None:
        a, b, quote = self._quote(cell.start, cell.end)
        if self.decisions is not None:  # table-target-column / table-base-column
            self.decisions.append(Decision(quote, (a, b), "target" if cell.is_target else "fact",
                                           "table-target-column" if cell.is_target else "table-base-column",
                                           cell.value, cell.unit))
        if cell.is_target:
            row = [p for p in phrases if p.tense in TARGET_TENSES and not p.attributive]
            year, year_text = ((cell.year, cell.year_text) if cell.year_text
                               else self._target_year(row[-1] if row else None))
            self._add_target(Target(
                text=quote, span=(a, b), indicator=cell.indicator, kind=cell.kind,  # type: ignore[arg-type]
                comparator=cell.comparator, value=cell.value, unit=cell.unit,  # type: ignore[arg-type]
                year=year, year_text=year_text, section=self.section_of(a),
            ))
        elif cell.value is not None and not any(
                x.value == cell.value and x.unit == cell.unit for x in self.facts[-50:]):
            # A base-year column repeats figures the text already gave: report each baseline once.
            self.facts.append(Fact(
                text=quote, span=(a, b), indicator=cell.indicator, value=cell.value, unit=cell.unit,
                year=cell.year, year_text=cell.year_text, section=self.section_of(a),
            ))
