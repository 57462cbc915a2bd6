"""The progress pages' results (``services.progress_view``): the filtered, sorted table of targets with the
counts per status, and one target in detail with its chart series, observations and history."""

from __future__ import annotations

from pydantic import Field

from .common import AuditEntryOut, Model
from .observations import ObservationOut
from .tracking import ProgressRow, StatusCounts
from .work import SupervisionItem


class Option(Model):
    """One choice of a filter: the value sent back and the label shown."""

    value: str
    label: str


class ProgressFilters(Model):
    region: str | None = None
    year: int
    statuses: list[str] = Field(default_factory=list)
    department: str | None = None
    dimension: str | None = None
    plan_id: int | None = None
    sort: str = "status"
    desc: bool = False


class ProgressTable(Model):
    """``/progress``: the targets that pass the filters, sorted, with how many have each status (counted
    before the status filter, so every count stays a link to its rows)."""

    filters: ProgressFilters
    rows: list[ProgressRow] = Field(default_factory=list)
    counts: StatusCounts = Field(default_factory=StatusCounts)
    total: int = 0  # targets that pass every filter but the status
    regions: list[Option] = Field(default_factory=list)
    departments: list[Option] = Field(default_factory=list)
    plans: list[Option] = Field(default_factory=list)
    dimensions: list[Option] = Field(default_factory=list)


class ChartPoint(Model):
    year: int
    value: float


class ActualPoint(ChartPoint):
    """A reported figure: approved ones count; drafts and submitted ones are drawn hollow."""

    status: str
    vintage: str
    observation_id: int


class TargetChart(Model):
    """The series of the target chart (ECharts, ``static/js/progress.js``), all in ``unit``."""

    target_id: int
    indicator: str
    unit: str | None = None
    status: str
    evaluated_year: int
    baseline: ChartPoint | None = None
    goal: ChartPoint | None = None
    expected: list[ChartPoint] = Field(default_factory=list)  # the path from baseline to goal, yearly
    actual: list[ActualPoint] = Field(default_factory=list)
    projection: list[ChartPoint] = Field(default_factory=list)  # last figure → trend value at the deadline


class TargetDetail(Model):
    """``/progress/{target_id}``: the target's progress (approved figures) and with drafts, where it comes
    from in the plan, its departments, every figure with source and vintage, its history and 督办 items."""

    row: ProgressRow
    with_drafts: ProgressRow | None = None  # the assessment counting drafts, when it differs
    plan_title: str | None = None
    observations: list[ObservationOut] = Field(default_factory=list)
    history: list[AuditEntryOut] = Field(default_factory=list)
    supervision: list[SupervisionItem] = Field(default_factory=list)
    chart: TargetChart
