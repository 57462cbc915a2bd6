"""The structured plan: what the parser extracts from one document, every item with its exact source span.

These are plain dataclasses. ``ParsedDocument.to_dict()`` produces exactly the contract in
``data/contracts/plan.schema.json`` (schema ``innocity.plan/1``), plus optional fields the contract
allows; ``ParsedDocument.from_dict()`` reads it back (storage keeps the parsed result as JSON).

Serialisation is derived from the fields, so each field is declared once: JSON keys follow the declaration
order, and a field's ``metadata`` (set with ``meta``) says what is special about it — omitted when
None, rounded, whole numbers printed as integers, a default for a missing key, or not serialised at all.
Fields that are not in the positional order of the constructor are keyword-only (``kw_only``), so the JSON
order and the historical positional signatures can both stay as they were.

Spans are ``(start, end)`` offsets in code points into the *decoded* text of the input, so that
``text[start:end] == item.text`` for every item.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field
from typing import Any, ClassVar, Literal, Self, TypeVar

SCHEMA_ID = "innocity.plan/1"

Span = tuple[int, int]
Kind = Literal["level", "growth", "change"]
Comparator = Literal[">=", "<=", "=", "range"]
Verdict = Literal["target", "fact", "dropped"]
_T = TypeVar("_T")


# --- serialisation, derived from the fields ---------------------------------------------------------------
def meta(
    *, omit_none: bool = False, digits: int | None = None, whole: bool = False, missing: Any = MISSING,
    skip: bool = False,
) -> dict[str, Any]:
    """A field's JSON rules, for ``field(metadata=meta(...))``: ``omit_none`` leaves the key out while the
    value is None, ``digits`` rounds, ``whole`` prints 50.0 as 50, ``missing`` is the value read when the key
    is absent, ``skip`` keeps the field out of the JSON altogether."""
    return {"omit_none": omit_none, "digits": digits, "whole": whole, "missing": missing, "skip": skip}


_OMIT = meta(omit_none=True)


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str
    omit_none: bool
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]
    missing: Any  # value for an absent key; MISSING = the dataclass default, or required
    has_default: bool


def _ident(v: Any) -> Any:
    return v


def _whole(v: float) -> float | int:
    """Whole numbers print as integers (50, not 50.0); others as they are."""
    if float(v).is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def _codec(hint: Any, meta: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """(encode, decode) of a non-None value of type ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _codec(inner[0], meta) if len(inner) == 1 else (_ident, _ident)
    if origin is tuple:  # a span
        return list, lambda v: (int(v[0]), int(v[1]))
    if origin is list:
        enc, dec = _codec(typing.get_args(hint)[0], meta)
        if enc is _ident and dec is _ident:
            return list, list
        return (lambda xs: [None if x is None else enc(x) for x in xs],
                lambda xs: [None if x is None else dec(x) for x in xs])
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        cls: Any = hint
        return to_json, lambda d: from_json(cls, d)
    if meta.get("digits") is not None:
        n = meta["digits"]
        return (lambda v: round(v, n)), _ident
    if meta.get("whole"):
        return _whole, _ident
    return _ident, _ident


_SLOTS: dict[type, list[_Slot]] = {}


def _slots(cls: type) -> list[_Slot]:
    got = _SLOTS.get(cls)
    if got is None:
        hints = typing.get_type_hints(cls)
        got = []
        for f in dataclasses.fields(cls):
            meta = f.metadata
            if meta.get("skip"):
                continue
            enc, dec = _codec(hints[f.name], meta)
            has_default = f.default is not MISSING or f.default_factory is not MISSING
            missing = meta.get("missing", MISSING)
            if missing is MISSING and not has_default and _admits_none(hints[f.name]):
                missing = None  # an optional value that is required in the constructor (year, unit …)
            got.append(_Slot(f.name, bool(meta.get("omit_none")), enc, dec, missing, has_default))
        _SLOTS[cls] = got
    return got


def _admits_none(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)


_PLANS: dict[type, tuple[tuple[str, bool, Callable[[Any], Any] | None], ...]] = {}


def to_json(obj: Any) -> dict[str, Any]:
    """The JSON object of a dataclass instance, key by key in field order (see ``meta``)."""
    cls = type(obj)
    plan = _PLANS.get(cls)
    if plan is None:  # (name, omit when None, encoder or None when the value is written as it is)
        plan = _PLANS[cls] = tuple((s.name, s.omit_none, None if s.encode is _ident else s.encode)
                                   for s in _slots(cls))
    out: dict[str, Any] = {}
    for name, omit_none, encode in plan:
        v = getattr(obj, name)
        if v is None:
            if not omit_none:
                out[name] = None
        elif encode is None:
            out[name] = v
        else:
            out[name] = encode(v)
    return out


def from_json(cls: type[_T], d: dict[str, Any]) -> _T:
    """The instance of dataclass ``cls`` that ``to_json`` wrote as ``d``; raises KeyError for a required key."""
    kw: dict[str, Any] = {}
    for s in _slots(cls):
        if s.name in d:
            v = d[s.name]
            kw[s.name] = None if v is None else s.decode(v)
        elif s.missing is not MISSING:
            kw[s.name] = s.missing
        elif not s.has_default:
            raise KeyError(s.name)
    return cls(**kw)


class JsonMixin:
    """``to_dict`` / ``from_dict`` for the dataclasses below, derived from their fields."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return to_json(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Self:
        return from_json(cls, d)


# --- the plan --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Section(JsonMixin):
    """A heading of the outline and everything under it until the next sibling."""

    marker: str  # the numbering as written: 一、 (一) 1. (1) 1、 ① 第一章 …
    level: int
    title: str
    span: Span  # the whole section
    children: list[Section] = field(default_factory=list)
    heading_span: Span | None = field(default=None, kw_only=True, metadata=_OMIT)  # the heading line (or run-in heading) alone

    def walk(self) -> list[Section]:
        """This section and all its descendants, in document order."""
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out


@dataclass(slots=True)
class Baseline(JsonMixin):
    """The reference a change target is measured against ("比“十一五”末提高30%")."""

    year: int | None = None
    text: str | None = None
    value: float | None = None


@dataclass(slots=True)
class Target(JsonMixin):
    """A quantitative goal the plan sets for the future.

    A multiple of a baseline (翻一番, 倍增, 增长1倍, 翻两番) is a ``change`` in % relative to the baseline:
    ×2 → +100 %, ×4 → +300 %, so progress tracking computes the goal as baseline × (1 + value/100).
    """

    text: str
    span: Span
    section: str | None = field(default=None, kw_only=True)
    indicator: str
    indicator_code: str | None = field(default=None, kw_only=True)
    kind: Kind
    comparator: Comparator
    value: float | None = field(metadata=meta(whole=True))
    value_max: float | None = field(default=None, kw_only=True, metadata=meta(whole=True))
    unit: str | None
    approximate: bool = field(default=False, kw_only=True)
    year: int | None
    year_text: str | None
    baseline: Baseline | None = field(default=None, kw_only=True)
    unit_text: str | None = field(default=None, kw_only=True, metadata=_OMIT)
    match_score: float | None = field(default=None, kw_only=True, metadata=meta(omit_none=True, digits=4))
    multiplier: float | None = field(default=None, kw_only=True, metadata=meta(omit_none=True, whole=True))


@dataclass(slots=True)
class Fact(JsonMixin):
    """A figure the plan states about the present or the past (a baseline, an achievement)."""

    text: str
    span: Span
    section: str | None = field(default=None, kw_only=True)
    indicator: str
    indicator_code: str | None = field(default=None, kw_only=True)
    value: float = field(metadata=meta(whole=True))
    unit: str | None
    year: int | None
    year_text: str | None
    qualifier: str | None = field(default=None, kw_only=True, metadata=_OMIT)  # 余 / 多 / 以上 as written
    match_score: float | None = field(default=None, kw_only=True, metadata=meta(omit_none=True, digits=4))


@dataclass(slots=True)
class Duty(JsonMixin):
    """A 责任单位 line, a task-table row or a sentence naming who leads and who supports a task.

    ``confidence`` (0–1) and ``rule`` (the name of the reading rule that produced it, see
    docs/parsing-rules.md) are set by the extractor; labelled lines and table rows are near certain, duties
    read from running prose less so.
    """

    text: str
    span: Span
    task: str | None
    section: str | None = field(default=None, kw_only=True)
    lead: list[str]
    support: list[str]
    lead_as_written: list[str] = field(default_factory=list, kw_only=True)
    support_as_written: list[str] = field(default_factory=list, kw_only=True)
    deadline: str | None = field(default=None, kw_only=True)
    confidence: float | None = field(default=None, kw_only=True, metadata=meta(omit_none=True, digits=3))
    rule: str | None = field(default=None, kw_only=True, metadata=_OMIT)


@dataclass(slots=True)
class Phase(JsonMixin):
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


@dataclass(slots=True)
class ProgramPart(JsonMixin):
    label: str
    declared: int
    found: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Program(JsonMixin):
    """A named programme that declares its parts ("5568"创新工程 = 5个行动、5个平台、6个专项、8个基地)."""

    text: str
    span: Span
    name: str
    parts: list[ProgramPart]
    consistent: bool  # every part with enumerated items has as many as declared
    checkable: bool = True  # False when the text enumerates nothing, so consistency cannot be checked


@dataclass(slots=True)
class Region(JsonMixin):
    """The place a plan is for. ``name`` is null unless the evidence is strong."""

    name: str | None
    province: str | None
    adcode: str | None = field(default=None, kw_only=True)
    level: str | None = field(default=None, kw_only=True)  # province | city | county
    # True when the text never names the place and it was inferred
    inferred: bool = field(default=False, kw_only=True)
    confidence: float = field(metadata=meta(digits=3, missing=0.0))
    evidence: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Decision(JsonMixin):
    """What the parser did with one number it considered, and the rule that decided (``parse --explain``)."""

    text: str  # the number as written
    span: Span
    verdict: Verdict
    rule: str  # a rule name from docs/parsing-rules.md
    value: float | None = field(default=None, metadata=meta(whole=True))
    unit: str | None = None


@dataclass(slots=True)
class Plan(JsonMixin):
    title: str | None
    span: Span
    region: Region
    outline: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    label: str | None = field(default=None, kw_only=True, metadata=_OMIT)  # 篇一 … when the page numbers its plans
    explain: list[Decision] | None = field(default=None, kw_only=True, metadata=_OMIT)  # only when asked for (parse --explain)

    def items(self) -> list[Target | Fact | Duty | Phase | Program]:
        """Every extracted item that quotes its source (for span checks)."""
        return [*self.targets, *self.facts, *self.duties, *self.phases, *self.programs]


@dataclass(slots=True)
class SourceInfo(JsonMixin):
    name: str
    sha256: str
    media_type: str
    encoding: str
    chars: int


@dataclass(slots=True)
class ParsedDocument(JsonMixin):
    """One input document: its source description, the decoded text and the plans found in it."""

    SCHEMA: ClassVar[str] = SCHEMA_ID

    source: SourceInfo
    plans: list[Plan]
    warnings: list[str] = field(default_factory=list)
    text: str = field(default="", metadata=meta(skip=True))  # the decoded text that spans point into

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA_ID, **to_json(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any], text: str = "") -> Self:
        doc = from_json(cls, d)
        doc.text = text
        return doc
