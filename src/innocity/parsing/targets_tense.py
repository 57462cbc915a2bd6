"""Fact or target: is a figure a goal for the future or a statement about the present or the past?

An ordered table of named rules, each with the verdict it gives; the first rule that applies decides, and
``parse --explain`` names it. The last rule always applies: a figure nothing marks as reported is a goal.
Every rule carries an example sentence it must decide (``tests/parsing/test_rule_tables.py``); the table is
printed in docs/parsing-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from innocity.parsing.doctime import DocumentTime
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import FROM_FIGURE, GOAL_MARKER, PAST_MARKER, REPORTED_MARKER
from innocity.parsing.years import YearRef

# No clause or sentence is longer than this; it bounds every look-around so huge paragraphs stay linear.
MAX_CLAUSE = 240
_TO_END = rx(r"(?:提高|提升|增加|增长|上升|扩大|降低|下降|减少|压缩|缩小)(?:到|至) ?$")
_TO = rx(r"(?:的\S{0,8}?)?(?:提高|提升|增加|增长|下降|降低|上升|减少|扩大|缩小|压缩|发展)(?:到|至)")
# The look-behind checks the character before the (two-character) verb, placed after it so the pattern opens
# with characters the engine can skip to.
_PERFECTIVE = rx(r"(?:确保|完成|实现|取得|达到|提高|增加|形成|建成|获得)(?<![为除]..)了(?!解)")
_STATED_GOAL = rx(r"(?:以上|左右)?的(?:主要|总体|发展|奋斗|工作|阶段性|预期|具体)?(?:目标|任务)")


@dataclass(slots=True)
class Reading:
    """What the tense rules look at for one figure at ``pos`` in the folded plan ``f``."""

    f: str
    pos: int
    pre: str  # the clause before the figure
    post: str  # the clause after it
    gov: YearRef | None  # the time phrase that governs it in its paragraph, if any
    baseline: bool  # inside a section about the present or the past (试点基础, 发展现状 …)
    future_section: bool  # inside a section about goals or tasks
    doc: DocumentTime  # the document's own year and plan period
    horizon: int | None  # the latest deadline the plan sets anywhere

    def sentence_has(self, pattern: re.Pattern[str]) -> bool:
        """True when ``pattern`` occurs in the sentence around the figure (bounded: linear on huge lines)."""
        f, pos = self.f, self.pos
        a = max(f.rfind("。", max(0, pos - MAX_CLAUSE), pos) + 1, pos - MAX_CLAUSE, 0)
        b = f.find("。", pos, pos + MAX_CLAUSE)
        return pattern.search(f, a, b if b >= 0 else pos + MAX_CLAUSE) is not None


@dataclass(frozen=True, slots=True)
class TenseRule:
    """A named rule that reads a figure as a ``target`` or a ``fact``."""

    name: str
    verdict: str  # target | fact
    reason: str
    applies: Callable[[Reading], bool]
    example: str
    needs_clause: bool = False  # applies only when a time phrase governs the figure (skipped fast otherwise)


def _tense(r: Reading, *tenses: str) -> bool:
    return r.gov is not None and r.gov.tense in tenses


def _present(r: Reading) -> bool:
    g = r.gov
    return (g is not None and g.tense == "now" and r.pos - g.end < MAX_CLAUSE
            and r.f.find("。", g.end, r.pos) < 0)  # 目前/近年来 speak of the present for their own sentence only


def _from_present_to(r: Reading) -> bool:
    return (_tense(r, "now") and FROM_FIGURE.search(r.pre) is not None and _TO_END.search(r.pre) is not None
            and PAST_MARKER.search(r.pre) is None)


def _point_before(r: Reading, year: int | None) -> bool:
    g = r.gov
    return g is not None and g.tense == "point" and bool(g.year) and bool(year) and g.year < year  # type: ignore[operator]


def _future_deadline(r: Reading) -> bool:
    g = r.gov
    return g is not None and g.tense == "future" and r.doc.after(g.year)


def _goal_marker(r: Reading) -> bool:
    """力争/确保/将达到/预计到 before the figure, unless the clause reports (已, 了) or names a year that is not
    a deadline after the document's date (争取国家项目62项 in a 2010 review is a result, not an aim)."""
    if GOAL_MARKER.search(r.pre) is None or PAST_MARKER.search(r.pre) is not None:
        return False
    g = r.gov
    return g is None or g.year is None or (g.tense == "future" and not r.doc.before(g.year)) or r.doc.after(g.year)


TENSE_RULES: tuple[TenseRule, ...] = (
    TenseRule("future-deadline", "target", "a deadline after the document's date (or inside its plan period) sets a "
              "goal wherever it stands, even in a 现状 section", _future_deadline,
              "发布日期:2023-05-06\n一、发展基础\n近年来创新能力持续增强。到2025年,全市高新技术企业达到600家。", needs_clause=True),
    TenseRule("goal-marker", "target", "力争, 确保, 将达到, 预计到 state an aim wherever they stand", _goal_marker,
              "一、现状与基础\n全市科技型企业发展迅速,力争高新技术企业突破800家。"),
    TenseRule("baseline-section", "fact", "everything in a section about the present or the past is a fact",
              lambda r: r.baseline, "一、发展基础\n全市高新技术企业达到120家。"),
    TenseRule("stated-goal", "target", "提出了…达450家的主要目标: a goal reported in the past tense is still a goal",
              lambda r: _STATED_GOAL.match(r.post) is not None, "会议提出了全县科技型企业总数达450家的目标。"),
    TenseRule("from-present-to", "target", "由目前的1.2%提高到2.5%: 目前 dates the first figure; the one after 到 is the aim",
              _from_present_to, "研发投入强度由目前的1.2%提高到2.5%。", needs_clause=True),
    TenseRule("past-clause", "fact", "截至2020年底, 2015年以来: a clause about the past",
              lambda r: _tense(r, "past"), "截至2022年底,全市拥有高新技术企业560家。", needs_clause=True),
    TenseRule("present-clause", "fact", "目前, 近年来 in the same sentence: the present",
              _present, "目前全市共有省级研发平台85个。", needs_clause=True),
    TenseRule("dated-before-document", "fact", "a year before the document's own date (its 发布时间, the year after "
              "the one a work report reviews) reports a result",
              lambda r: _point_before(r, r.doc.year), "发布时间:2024-02-20\n2023年,全县研发投入强度达到3.8%。", needs_clause=True),
    TenseRule("earlier-than-horizon", "fact", "an earlier year than the plan's deadline, outside a goals section",
              lambda r: _point_before(r, r.horizon) and not r.future_section,
              "2022年全市研发投入强度为2.1%,到2025年达到3%。", needs_clause=True),
    TenseRule("past-marker", "fact", "已, 了, 现有, 去年 before the figure report a result",
              lambda r: PAST_MARKER.search(r.pre) is not None, "全市已建成众创空间35家。"),
    TenseRule("reported-change", "fact", "同比, 比上年 in the sentence report a result",
              lambda r: r.sentence_has(REPORTED_MARKER), "高新技术产业增加值达到320亿元,同比增长12%。"),
    TenseRule("perfective-sentence", "fact", "确保了, 完成了 anywhere in the sentence: it reports what was done",
              lambda r: r.sentence_has(_PERFECTIVE), "工程有效消除23座水库病险隐患,确保了防洪功能发挥。"),
    TenseRule("from-figure", "fact", "由60%提高到65%: the figure after 由/从 is the baseline",
              lambda r: FROM_FIGURE.search(r.pre) is not None and _TO.match(r.post) is not None,
              "研发投入强度由2%提高到2.5%。"),
    TenseRule("target-by-default", "target", "a figure nothing marks as reported is a goal", lambda r: True,
              "全市高新技术企业达到1000家。"),
)


_WITHOUT_CLAUSE = tuple(rule for rule in TENSE_RULES if not rule.needs_clause)


def decide(r: Reading) -> TenseRule:
    """The first rule of ``TENSE_RULES`` that applies (the last one always does)."""
    for rule in TENSE_RULES if r.gov is not None else _WITHOUT_CLAUSE:
        if rule.applies(r):
            return rule
    return TENSE_RULES[-1]
