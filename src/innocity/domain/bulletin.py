"""Figures read from a statistical bulletin (统计公报) or a government work report (政府工作报告).

A ``Figure`` is one number the text reports, with what it measures (the indicator phrase as written), its
unit as written (scale word included: 亿元, 万人), the period it is for, and its kind:

- ``level``: the value itself (地区生产总值6536.1亿元, 城镇登记失业率2.17%);
- ``growth``: a change of a level (增长7.8%, 下降0.05个百分点, 比上年末增加17.35万人); decreases are negative;
- ``share``: a part stated relative to a whole (占生产总值的比重为14.06%, 与GDP之比为2.08%, the parts of
  三次产业结构 5.0:37.8:57.2).

A ``BulletinReading`` holds the proposed observations (``figures``) apart from the next year's goals a work
report also states (``goals``): a goal is never an observation. Pure dataclasses: no I/O, no frameworks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FigureKind = Literal["level", "growth", "share"]
DocumentKind = Literal["bulletin", "work_report", "other"]
Span = tuple[int, int]


@dataclass(slots=True)
class Figure:
    """One reported number. ``text == source[span[0]:span[1]]``; ``value_span`` is the number itself."""

    indicator: str  # the phrase as written, footnote marks removed ("" when the text names nothing)
    value: float
    unit: str | None  # as written with its scale word: 亿元, 万人, %, 百分点; None for a bare ratio part
    period: str | None  # "2016"; None when the year is unknown
    kind: FigureKind
    preliminary: bool  # 初步核算, 预计, 左右/约 …
    text: str
    span: Span
    value_span: Span
    rule: str  # the rule that decided the kind (and the goal rule for a goal)
    approx: bool = False
    comparator: str = "="  # '=', '>=' (以上, 超过), '<=' (以内)


@dataclass(slots=True)
class Skipped:
    """A number that was considered and left out, with the rule that decided (for ``--explain`` style review)."""

    text: str
    span: Span
    rule: str
    reason: str


@dataclass(slots=True)
class RegionGuess:
    """The place the document reports on; ``level`` is national | province | city | county."""

    name: str | None
    adcode: str | None = None
    province: str | None = None
    level: str | None = None
    confidence: float = 0.0
    rule: str = "unknown"  # given | title_division | national_words | gazetteer | unknown


@dataclass(slots=True)
class BulletinReading:
    """What the extractor read from one document."""

    kind: DocumentKind
    title: str | None
    region: RegionGuess
    year: int | None  # the year the reported figures are for (a 2016 bulletin released in 2017 → 2016)
    year_rule: str  # which rule decided the year (given, bulletin_title_year, review_heading_year …)
    document_date: str | None  # YYYY-MM-DD when the text states when it was issued
    figures: list[Figure] = field(default_factory=list)
    goals: list[Figure] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
