"""Where a paragraph stands, for the target extractor: its heading chain, whether it is a baseline section
(试点基础, 发展现状 …) and which year clause governs it.

This is a light scan of heading markers at line starts, kept separate from ``outline.py`` on purpose: the
target extractor needs only levels, titles and clause scope, and must still work when a document has no
outline worth the name (news reports, flattened tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from innocity.domain.plan import Span
from innocity.parsing.rx import rx
from innocity.parsing.vocabulary import BASELINE_TITLE_WORDS, FUTURE_TITLE_WORDS, alternation
from innocity.parsing.years import YearRef

_HEAD = rx(
    r"[ \t]*(?:(?P<l0>第[一二三四五六七八九十百]+[章部篇]|篇[一二三四五六七八九十]+)"
    r"|(?P<l1>[一二三四五六七八九十]+[、.]|第[一二三四五六七八九十]+节)|(?P<l2>\([一二三四五六七八九十]+\))"
    r"|(?P<l3>\d{1,2}(?:、|\.(?!\d)))|(?P<l4>\(\d{1,2}\)|\d{1,2}\)(?!\d))|(?P<l5>[①-⑳]))"
)
_GOAL_TITLE = rx(r"目标|指标")
_TITLE_END = rx(r"[。:;!?]")
_BASE = rx(alternation(BASELINE_TITLE_WORDS))
_FUTURE = rx(alternation(FUTURE_TITLE_WORDS))
_NOT_BASE = rx(
    r"目标|任务|措施|思路|举措|保障|重点|计划|安排|原则|指导|要求|^(?:夯实|加强|强化|筑牢|打牢|完善|提升|建设|构建|"
    r"推进|加快|发挥|打造|巩固|培育|提高|增强|优化|健全|实施|做强|壮大)"
)


@dataclass(slots=True)
class Frame:
    """One open heading: its level, title, whether it describes the past, and the clause set inside it."""

    level: int
    title: str
    baseline: bool
    future: bool = False  # the title names goals or tasks (目标, 任务 …): nothing under it is a baseline
    clause: YearRef | None = None
    period: YearRef | None = None  # a time phrase in the heading itself ("“十一五”期间主要成绩"), for facts


@dataclass(slots=True)
class Context:
    """The stack of open headings while walking a plan paragraph by paragraph."""

    frames: list[Frame] = field(default_factory=list)
    root_clause: YearRef | None = None

    def enter(self, f: str, start: int, end: int) -> tuple[int, int] | None:
        """Update the stack for the paragraph ``f[start:end]``; returns its heading's (start, end) or None."""
        m = _HEAD.match(f, start, end)
        if m is None:
            return None
        level = int((m.lastgroup or "l1")[1])
        t = _TITLE_END.search(f, m.end(), end)
        tend = t.start() if t else end
        title = f[m.end(): tend].strip()
        if level == 3 and len(title) > 60 and t is None:
            return None  # "1.5亿元…" style lines or long numbered sentences are not headings
        carried: YearRef | None = None
        while self.frames and self.frames[-1].level >= level:
            done = self.frames.pop()
            if done.level == level and _GOAL_TITLE.search(done.title[:24]):
                carried = done.clause
        parent_base = bool(self.frames) and self.frames[-1].baseline
        parent_future = bool(self.frames) and self.frames[-1].future
        future = parent_future or bool(_FUTURE.search(title[:24]))
        base = parent_base or (is_baseline_title(title) and not parent_future)
        self.frames.append(Frame(level, title, base, future))
        if carried is not None and parent_future and _GOAL_TITLE.search(title[:24]):
            # "(一)总体目标 到2030年…" then "(二)具体目标": inside a goals section, the deadline of one goals
            # subsection governs the next until another replaces it
            self.frames[-1].clause = carried
        return (m.start(), tend)

    @property
    def baseline(self) -> bool:
        return bool(self.frames) and self.frames[-1].baseline

    @property
    def future(self) -> bool:
        """Inside a section about goals or tasks (目标, 任务, 措施 …)."""
        return bool(self.frames) and self.frames[-1].future

    def inherited_clause(self) -> YearRef | None:
        """The year clause set by the innermost enclosing section (or the plan's title), if any."""
        for fr in reversed(self.frames):
            if fr.clause is not None:
                return fr.clause
        return self.root_clause

    def heading_period(self) -> YearRef | None:
        """The time phrase of the innermost heading that has one (the period its facts describe)."""
        for fr in reversed(self.frames):
            if fr.period is not None:
                return fr.period
        return None

    def set_clause(self, ref: YearRef) -> None:
        if self.frames:
            self.frames[-1].clause = ref
        else:
            self.root_clause = ref


    def enter_caption(self, f: str, start: int, end: int) -> tuple[int, int] | None:
        """A caption line without a number ("2022年工作回顾", "2023年主要预期目标", as news and portals print
        a report's parts) opens a top-level section; returns its (start, end) or None when it is not one."""
        m = _CAPTION.match(f, start, end)
        if m is None:
            return None
        while self.frames and self.frames[-1].level >= 1:
            self.frames.pop()
        title = m.group("t").strip()
        self.frames.append(Frame(1, title, is_baseline_title(title), bool(_FUTURE.search(title))))
        return (m.start("t"), m.end("t"))


# "2022年工作回顾", "No.2 2023年主要预期目标", "今年工作安排": a report's parts, printed as captions.
_CAPTION = rx(
    r"[ \t•·]*(?:No\.?\s*\d+\s*)?(?P<t>(?:(?:19|20)\d\d年(?:度)?|今年|明年)?(?:的)?(?:主要)?"
    r"(?:工作回顾|回顾|预期目标|发展目标|主要目标|目标任务|工作安排|重点工作|主要任务))[ \t]*$"
)


def starts_heading(f: str, start: int, end: int) -> bool:
    """True when the line ``f[start:end]`` begins with a heading marker (一、 (一) 1. …)."""
    return _HEAD.match(f, start, end) is not None


def is_baseline_title(title: str) -> bool:
    """True for headings of sections that describe the present or past (试点基础, 创新发展现状, 优势特色)."""
    t = title.strip()[:24]
    return bool(_BASE.search(t)) and not _NOT_BASE.search(t)


def blank_out(f: str, skip: Iterable[Span], s0: int) -> str:
    """``f`` (a folded slice starting at ``s0``) with the spans in ``skip`` replaced by spaces (same length)."""
    parts: list[str] = []
    last = 0
    for a, b in sorted(skip):
        a, b = max(a - s0, last), min(b - s0, len(f))
        if b <= a:
            continue
        parts.append(f[last:a])
        parts.append(" " * (b - a))
        last = b
    if not parts:
        return f
    parts.append(f[last:])
    return "".join(parts)
