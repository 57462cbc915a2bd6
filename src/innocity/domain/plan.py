"""The structured plan: what the parser extracts from one document, every item with its exact source span.

These are plain dataclasses. ``ParsedDocument.to_dict()`` produces exactly the contract in
``shared/contracts/plan.schema.json`` (schema ``innocity.plan/1``), plus optional fields the contract
allows; ``ParsedDocument.from_dict()`` reads it back (storage keeps the parsed result as JSON).

Spans are ``(start, end)`` offsets in code points into the *decoded* text of the input, so that
``text[start:end] == item.text`` for every item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_ID = "innocity.plan/1"

Span = tuple[int, int]
Kind = Literal["level", "growth", "change"]
Comparator = Literal[">=", "<=", "=", "range"]


@dataclass(slots=True)
class Section:
    """A heading of the outline and everything under it until the next sibling."""

    marker: str  # the numbering as written: 一、 (一) 1. (1) 1、 ① 第一章 …
    level: int
    title: str
    span: Span  # the whole section
    heading_span: Span | None = None  # the heading line (or run-in heading) alone
    children: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "marker": self.marker,
            "level": self.level,
            "title": self.title,
            "span": list(self.span),
            "children": [c.to_dict() for c in self.children],
        }
        if self.heading_span is not None:
            out["heading_span"] = list(self.heading_span)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        hs = d.get("heading_span")
        return cls(
            marker=d["marker"],
            level=d["level"],
            title=d["title"],
            span=_span(d["span"]),
            heading_span=_span(hs) if hs else None,
            children=[cls.from_dict(c) for c in d.get("children", [])],
        )

    def walk(self) -> list[Section]:
        """This section and all its descendants, in document order."""
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


@dataclass(slots=True)
class Baseline:
    """The reference a change target is measured against ("比“十一五”末提高30%")."""

    year: int | None = None
    text: str | None = None
    value: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "text": self.text, "value": self.value}


@dataclass(slots=True)
class Target:
    """A quantitative goal the plan sets for the future."""

    text: str
    span: Span
    indicator: str
    kind: Kind
    comparator: Comparator
    value: float | None
    unit: str | None
    year: int | None
    year_text: str | None
    value_max: float | None = None
    approximate: bool = False
    section: str | None = None
    unit_text: str | None = None
    baseline: Baseline | None = None
    indicator_code: str | None = None
    match_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "span": list(self.span),
            "section": self.section,
            "indicator": self.indicator,
            "indicator_code": self.indicator_code,
            "kind": self.kind,
            "comparator": self.comparator,
            "value": _num(self.value),
            "value_max": _num(self.value_max),
            "unit": self.unit,
            "approximate": self.approximate,
            "year": self.year,
            "year_text": self.year_text,
            "baseline": self.baseline.to_dict() if self.baseline else None,
        }
        if self.unit_text is not None:
            out["unit_text"] = self.unit_text
        if self.match_score is not None:
            out["match_score"] = round(self.match_score, 4)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Target:
        b = d.get("baseline")
        return cls(
            text=d["text"],
            span=_span(d["span"]),
            indicator=d["indicator"],
            kind=d["kind"],
            comparator=d["comparator"],
            value=d.get("value"),
            unit=d.get("unit"),
            year=d.get("year"),
            year_text=d.get("year_text"),
            value_max=d.get("value_max"),
            approximate=bool(d.get("approximate", False)),
            section=d.get("section"),
            unit_text=d.get("unit_text"),
            baseline=Baseline(year=b.get("year"), text=b.get("text"), value=b.get("value")) if b else None,
            indicator_code=d.get("indicator_code"),
            match_score=d.get("match_score"),
        )


@dataclass(slots=True)
class Fact:
    """A figure the plan states about the present or the past (a baseline, an achievement)."""

    text: str
    span: Span
    indicator: str
    value: float
    unit: str | None
    year: int | None
    year_text: str | None
    section: str | None = None
    qualifier: str | None = None  # 余 / 多 / 以上 as written
    indicator_code: str | None = None
    match_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "text": self.text,
            "span": list(self.span),
            "section": self.section,
            "indicator": self.indicator,
            "indicator_code": self.indicator_code,
            "value": _num(self.value),
            "unit": self.unit,
            "year": self.year,
            "year_text": self.year_text,
        }
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        if self.match_score is not None:
            out["match_score"] = round(self.match_score, 4)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fact:
        return cls(
            text=d["text"],
            span=_span(d["span"]),
            indicator=d["indicator"],
            value=d["value"],
            unit=d.get("unit"),
            year=d.get("year"),
            year_text=d.get("year_text"),
            section=d.get("section"),
            qualifier=d.get("qualifier"),
            indicator_code=d.get("indicator_code"),
            match_score=d.get("match_score"),
        )


@dataclass(slots=True)
class Duty:
    """A 责任单位 line (or task-table row): one task, its lead (牵头) and supporting (配合) units."""

    text: str
    span: Span
    task: str | None
    lead: list[str]
    support: list[str]
    section: str | None = None
    lead_as_written: list[str] = field(default_factory=list)
    support_as_written: list[str] = field(default_factory=list)
    deadline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": list(self.span),
            "task": self.task,
            "section": self.section,
            "lead": list(self.lead),
            "support": list(self.support),
            "lead_as_written": list(self.lead_as_written),
            "support_as_written": list(self.support_as_written),
            "deadline": self.deadline,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Duty:
        return cls(
            text=d["text"],
            span=_span(d["span"]),
            task=d.get("task"),
            lead=list(d.get("lead", [])),
            support=list(d.get("support", [])),
            section=d.get("section"),
            lead_as_written=list(d.get("lead_as_written", [])),
            support_as_written=list(d.get("support_as_written", [])),
            deadline=d.get("deadline"),
        )


@dataclass(slots=True)
class Phase:
    """A stage of the plan's schedule (全面推进阶段 20XX年7月—201*年6月)."""

    text: str
    span: Span
    name: str
    start: str | None  # YYYY-MM, null when the year is masked
    end: str | None
    start_text: str | None
    end_text: str | None
    start_month: int | None = None
    end_month: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": list(self.span),
            "name": self.name,
            "start": self.start,
            "end": self.end,
            "start_text": self.start_text,
            "end_text": self.end_text,
            "start_month": self.start_month,
            "end_month": self.end_month,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Phase:
        return cls(
            text=d["text"],
            span=_span(d["span"]),
            name=d["name"],
            start=d.get("start"),
            end=d.get("end"),
            start_text=d.get("start_text"),
            end_text=d.get("end_text"),
            start_month=d.get("start_month"),
            end_month=d.get("end_month"),
        )


@dataclass(slots=True)
class ProgramPart:
    label: str
    declared: int
    found: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "declared": self.declared, "found": list(self.found)}


@dataclass(slots=True)
class Program:
    """A named programme that declares its parts ("5568"创新工程 = 5个行动、5个平台、6个专项、8个基地)."""

    text: str
    span: Span
    name: str
    parts: list[ProgramPart]
    consistent: bool  # every part with enumerated items has as many as declared
    checkable: bool = True  # False when the text enumerates nothing, so consistency cannot be checked

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": list(self.span),
            "name": self.name,
            "parts": [p.to_dict() for p in self.parts],
            "consistent": self.consistent,
            "checkable": self.checkable,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Program:
        return cls(
            text=d["text"],
            span=_span(d["span"]),
            name=d["name"],
            parts=[ProgramPart(p["label"], p["declared"], list(p.get("found", []))) for p in d["parts"]],
            consistent=d["consistent"],
            checkable=d.get("checkable", True),
        )


@dataclass(slots=True)
class Region:
    """The place a plan is for. ``name`` is null unless the evidence is strong."""

    name: str | None
    province: str | None
    confidence: float
    evidence: list[Span] = field(default_factory=list)
    adcode: str | None = None
    level: str | None = None  # province | city | county
    inferred: bool = False  # True when the text never names the place and it was inferred

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "province": self.province,
            "adcode": self.adcode,
            "level": self.level,
            "inferred": self.inferred,
            "confidence": round(self.confidence, 3),
            "evidence": [list(s) for s in self.evidence],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Region:
        return cls(
            name=d.get("name"),
            province=d.get("province"),
            confidence=d.get("confidence", 0.0),
            evidence=[_span(s) for s in d.get("evidence", [])],
            adcode=d.get("adcode"),
            level=d.get("level"),
            inferred=d.get("inferred", False),
        )


@dataclass(slots=True)
class Plan:
    title: str | None
    span: Span
    region: Region
    outline: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    label: str | None = None  # 篇一 … when the page numbers its plans

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "span": list(self.span),
            "region": self.region.to_dict(),
            "outline": [s.to_dict() for s in self.outline],
            "targets": [t.to_dict() for t in self.targets],
            "duties": [d.to_dict() for d in self.duties],
            "phases": [p.to_dict() for p in self.phases],
            "programs": [p.to_dict() for p in self.programs],
            "facts": [f.to_dict() for f in self.facts],
        }
        if self.label is not None:
            out["label"] = self.label
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        return cls(
            title=d.get("title"),
            span=_span(d["span"]),
            region=Region.from_dict(d["region"]),
            outline=[Section.from_dict(s) for s in d.get("outline", [])],
            targets=[Target.from_dict(t) for t in d.get("targets", [])],
            duties=[Duty.from_dict(x) for x in d.get("duties", [])],
            phases=[Phase.from_dict(x) for x in d.get("phases", [])],
            programs=[Program.from_dict(x) for x in d.get("programs", [])],
            facts=[Fact.from_dict(x) for x in d.get("facts", [])],
            label=d.get("label"),
        )

    def items(self) -> list[Target | Fact | Duty | Phase | Program]:
        """Every extracted item that quotes its source (for span checks)."""
        return [*self.targets, *self.facts, *self.duties, *self.phases, *self.programs]


@dataclass(slots=True)
class SourceInfo:
    name: str
    sha256: str
    media_type: str
    encoding: str
    chars: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "encoding": self.encoding,
            "chars": self.chars,
        }


@dataclass(slots=True)
class ParsedDocument:
    """One input document: its source description, the decoded text and the plans found in it."""

    source: SourceInfo
    plans: list[Plan]
    warnings: list[str] = field(default_factory=list)
    text: str = ""  # the decoded text that spans point into; not part of the JSON contract

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "source": self.source.to_dict(),
            "plans": [p.to_dict() for p in self.plans],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> ParsedDocument:
        s = d["source"]
        return cls(
            source=SourceInfo(s["name"], s["sha256"], s["media_type"], s["encoding"], s["chars"]),
            plans=[Plan.from_dict(p) for p in d["plans"]],
            warnings=list(d.get("warnings", [])),
            text=text,
        )


def _span(v: Any) -> Span:
    return (int(v[0]), int(v[1]))


def _num(v: float | None) -> float | int | None:
    """Whole numbers print as integers (50, not 50.0); others as they are."""
    if v is None:
        return None
    if float(v).is_integer() and abs(v) < 1e15:
        return int(v)
    return v
