"""Figures read from a statistical bulletin or work report, and what storing them did.

``ExtractResult`` is what ``innocity data extract --format json`` prints and what the web's bulletin review
shows: ``{"region", "year", "observations": [{"indicator", "indicator_code", "value", "unit", "period",
"kind", "preliminary", "text", "span", …}], …}``. The shape is a contract: fields may be added, never
removed. ``source_text`` (the decoded text the spans point into, for highlighting) is kept on the object but
left out of JSON.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .common import Model


class ExtractedRegion(Model):
    """The place the figures are for: given by the user, named by the document, or inferred."""

    name: str | None = None
    adcode: str | None = None
    province: str | None = None
    level: str | None = None  # national | province | city | county
    confidence: float = 0.0
    rule: str = "unknown"  # given | title_division | national_words | gazetteer | unknown


class ExtractedFigure(Model):
    """One proposed value. ``text == source_text[span[0]:span[1]]``; ``value_span`` is the number itself."""

    index: int  # position in ``observations`` (or ``goals``): what ``store_proposals(accepted=…)`` takes
    indicator: str  # the phrase as written
    indicator_code: str | None = None  # the catalogue indicator it names; never forced (None: unmatched)
    match_score: float | None = None
    value: float
    unit: str | None = None  # as written, scale word included (亿元, 万人, %, 百分点)
    period: str | None = None  # "2016"; "2021-2025" for a figure over several years; None when unknown
    kind: str  # level | growth | share
    preliminary: bool = False  # 初步核算, 预计, 左右 …: stored as vintage "preliminary"
    text: str
    span: tuple[int, int]
    value_span: tuple[int, int]
    rule: str  # the rule that decided the kind (or, for a goal, why it is a goal)
    storable: bool = False
    reason: str | None = None  # why it cannot be stored as it stands (None when storable)


class SkippedNumber(Model):
    """A number that is not a figure (a slogan, a page counter, a rank …) and the rule that said so."""

    text: str
    span: tuple[int, int]
    rule: str
    reason: str


class ExtractResult(Model):
    """Everything read from one document."""

    source: str  # the document's name
    sha256: str
    media_type: str
    encoding: str | None = None
    document_kind: str  # bulletin | work_report | other
    title: str | None = None
    document_date: str | None = None  # YYYY-MM-DD when the document states it
    region: ExtractedRegion
    year: int | None = None  # the year the reported figures are for
    year_rule: str = "unknown"
    observations: list[ExtractedFigure] = Field(default_factory=list)
    goals: list[ExtractedFigure] = Field(default_factory=list)  # next year's goals: never observations
    skipped: list[SkippedNumber] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    source_text: str = Field(default="", exclude=True, repr=False)


class NotStored(Model):
    """A proposal that was not stored, and why."""

    index: int
    indicator: str
    value: float
    unit: str | None = None
    reason: str


class StoreResult(Model):
    """What ``--store`` (or the review's submit) did: the document kept, values stored as drafts (new ones),
    values already stored (unchanged), and the proposals left out with their reasons."""

    source: str
    document_id: int
    region: str
    stored: int
    unchanged: int = 0
    ids: list[int] = Field(default_factory=list)
    not_stored: list[NotStored] = Field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"stored": self.stored, "unchanged": self.unchanged, "not_stored": len(self.not_stored)}
