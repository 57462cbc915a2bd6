"""Stored plans and their items, as listed, shown, reviewed and ingested."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field, computed_field

from .common import Model, RegionRef


class PlanSummary(Model):
    """One stored plan in a list (``innocity plans list``; the API adds the region as an object)."""

    id: int
    title: str | None = None
    label: str | None = None
    region: str | None = None
    adcode: str | None = None
    version: int
    document: str
    sha256: str
    targets: int = 0
    duties: int = 0
    # added for the web application
    region_id: int | None = None
    facts: int = 0
    reviewed: int = 0  # targets confirmed, edited or rejected
    created_at: datetime | None = None

    @property
    def region_ref(self) -> RegionRef | None:
        return RegionRef(name=self.region, adcode=self.adcode) if self.region else None


class PlanVersionInfo(Model):
    version: int
    reason: str
    by: str
    at: datetime


class _ItemColumns(Model):
    """The columns every stored plan item has: its quote and span, its review state and who reviewed it."""

    id: int
    version: int = 1
    position: int = 0
    text: str
    span_start: int | None = None
    span_end: int | None = None
    section: str | None = None
    plan_version: int = 1
    retired_in: int | None = None
    review_state: str = "extracted"
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_comment: str | None = None
    edited_by: str | None = None
    edited_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def span(self) -> tuple[int, int] | None:
        """``[start, end]`` into the plan's text, so that ``text == plan.text[start:end]``."""
        if self.span_start is None or self.span_end is None:
            return None
        return (self.span_start, self.span_end)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review(self) -> str:
        """The contract's name for the review state: extracted, confirmed, edited or rejected."""
        return self.review_state


class PlanItem(_ItemColumns):
    """A target or a fact: the API's ``Item``. Facts have no comparator or kind."""

    indicator: str
    indicator_code: str | None = None
    match_score: float | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    unit_text: str | None = None
    comparator: str | None = None
    kind: str | None = None
    approximate: bool = False
    year: int | None = None
    year_text: str | None = None
    resolved_year: int | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    baseline_text: str | None = None
    qualifier: str | None = None
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)


class DutyItem(_ItemColumns):
    task: str | None = None
    deadline: str | None = None
    lead_as_written: list[str] = Field(default_factory=list)
    support_as_written: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)


class PhaseItem(_ItemColumns):
    name: str
    start: str | None = None
    end: str | None = None
    start_text: str | None = None
    end_text: str | None = None
    start_month: int | None = None
    end_month: int | None = None


class ProgramItem(_ItemColumns):
    name: str
    parts: list[dict[str, Any]] = Field(default_factory=list)
    consistent: bool = True
    checkable: bool = True


class PlanDetail(Model):
    """One plan with its versions and current items (``innocity plans show``; the review workspace)."""

    id: int
    title: str | None = None
    label: str | None = None
    region: str | None = None
    adcode: str | None = None
    version: int
    document: str
    sha256: str
    versions: list[PlanVersionInfo] = Field(default_factory=list)
    targets: list[PlanItem] = Field(default_factory=list)
    facts: list[PlanItem] = Field(default_factory=list)
    duties: list[DutyItem] = Field(default_factory=list)
    phases: list[PhaseItem] = Field(default_factory=list)
    programs: list[ProgramItem] = Field(default_factory=list)
    region_id: int | None = None
    document_id: int | None = None
    text: str | None = Field(default=None, exclude=True)  # the decoded source text (the API includes it)

    @property
    def region_ref(self) -> RegionRef | None:
        return RegionRef(name=self.region, adcode=self.adcode) if self.region else None


class ItemReview(Model):
    """What a review action did to one item (the item as it is now)."""

    item: PlanItem
    changed: list[str] = Field(default_factory=list)


ReviewItem = PlanItem


class IngestResult(Model):
    """What ingesting one file did: ``status`` is stored, unchanged or new-version."""

    path: str
    sha256: str
    status: str
    plan_ids: list[int] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    plans: list[PlanSummary] = Field(default_factory=list)
    error: str | None = None  # why a file failed (status failed or no-plan)
