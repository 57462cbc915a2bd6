"""The dashboard of coordinators and leaders (``services.dashboard``): one typed result for one call."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .common import Model
from .tracking import StatusCounts


class DimensionStatus(Model):
    """Targets of one dimension of the catalogue (or not matched to it) by status."""

    dimension: str  # GOV … DRV, or "" for targets not matched to the catalogue
    name: str
    total: int = 0
    counts: StatusCounts = Field(default_factory=StatusCounts)


class Deadline(Model):
    """Something due soon: a target's deadline, a task, a milestone, or a 督办 reply."""

    kind: str  # target | task | milestone | supervision
    id: int
    title: str
    region: str | None = None
    department: str | None = None
    due_on: date
    days_left: int
    status: str
    plan_id: int | None = None
    task_id: int | None = None  # the task a milestone belongs to


class AgeBucket(Model):
    """Open 督办 items raised between ``min_days`` and ``max_days`` days ago, by status."""

    label: str
    min_days: int
    max_days: int | None = None
    count: int = 0
    overdue: int = 0  # whose reply deadline has passed
    by_status: dict[str, int] = Field(default_factory=dict)


class OpenSupervision(Model):
    total: int = 0
    overdue: int = 0
    buckets: list[AgeBucket] = Field(default_factory=list)


class PendingGroup(Model):
    region: str
    indicator: str
    indicator_name: str
    count: int


class PendingData(Model):
    """Reported values by workflow state, and those waiting for the coordinator's approval."""

    submitted: int = 0
    draft: int = 0
    rejected: int = 0
    oldest_submitted_at: datetime | None = None
    groups: list[PendingGroup] = Field(default_factory=list)  # submitted values by region and indicator


class PlanReview(Model):
    plan_id: int
    title: str | None = None
    label: str | None = None
    region: str | None = None
    targets: int = 0
    reviewed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.reviewed / self.targets) if self.targets else 100


class Dashboard(Model):
    """Everything the coordinators' and leaders' home page shows, for the actor's scope."""

    region: str | None = None
    year: int
    today: date
    total_targets: int = 0
    status_counts: StatusCounts = Field(default_factory=StatusCounts)
    by_dimension: list[DimensionStatus] = Field(default_factory=list)
    upcoming: list[Deadline] = Field(default_factory=list)
    horizon_days: int
    overdue_tasks: int = 0
    supervision: OpenSupervision = Field(default_factory=OpenSupervision)
    pending: PendingData = Field(default_factory=PendingData)
    plans: list[PlanReview] = Field(default_factory=list)
    targets_reviewed: int = 0
