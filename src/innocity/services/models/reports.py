"""What the report writers (``innocity.reports``) are given: typed data gathered by ``services.reports``.

Every figure here was read from the database; the writers only arrange and word it. Where a figure is
missing the field is ``None`` and the writer says so ("数据缺失"); nothing is estimated to fill a gap.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from .common import Model
from .tracking import ProgressRow, ScorecardRow, StatusCounts
from .work import SupervisionItem, TaskRow


class Figure(Model):
    """One yearly figure as counted: the value, its review state and where it comes from."""

    year: int
    value: float
    draft: bool = False  # not approved yet (counted only when the report includes drafts)
    source: str | None = None  # the observation's source (link, document) or, failing that, its note
    observation_id: int | None = None


class IndicatorLine(Model):
    """One row of the indicator table: a tracked target, its progress and the figures of year−1 and year."""

    number: int
    progress: ProgressRow
    previous: Figure | None = None  # the figure for year − 1
    current: Figure | None = None  # the figure for the report year
    # a draft figure exists for this year but drafts are not counted: the reader should know it is coming
    draft_pending: bool = False


class DimensionSummary(Model):
    """The targets of one dimension of the catalogue (GOV … DRV), or of none (not matched)."""

    code: str | None = None
    name: str
    counts: StatusCounts = Field(default_factory=StatusCounts)
    total: int = 0
    lagging: list[str] = Field(default_factory=list)  # off_track, behind, overdue
    missing: list[str] = Field(default_factory=list)  # no_data, needs_input
    achieved: list[str] = Field(default_factory=list)


class Trajectory(Model):
    """A key target's figures against its planned path (the chart)."""

    target_id: int
    indicator: str
    unit: str | None = None
    status: str
    actual: list[tuple[int, float]] = Field(default_factory=list)
    path: list[tuple[int, float]] = Field(default_factory=list)  # expected value per year, baseline → deadline
    goal_year: int | None = None
    goal: float | None = None


class PlanInfo(Model):
    id: int
    title: str | None = None
    version: int = 1
    targets: int = 0
    duties: int = 0
    phases: list[str] = Field(default_factory=list)  # "试点启动阶段（2010年—2011年）"


class SupervisionLine(Model):
    """A 督办 item in the report period with the day it was closed (销号), if it was."""

    item: SupervisionItem
    raised_on: date
    closed_on: date | None = None
    closing_text: str | None = None


class AnnualReportData(Model):
    """Everything the annual self-evaluation report says, for one region and year."""

    region: str
    province: str | None = None
    year: int
    today: date
    period_start: date  # the 督办 window: 1 January of the year to the report date
    dataset_label: str | None = None
    include_draft: bool = False
    plans: list[PlanInfo] = Field(default_factory=list)
    lines: list[IndicatorLine] = Field(default_factory=list)
    counts: StatusCounts = Field(default_factory=StatusCounts)
    dimensions: list[DimensionSummary] = Field(default_factory=list)
    tasks: list[TaskRow] = Field(default_factory=list)
    supervision: list[SupervisionLine] = Field(default_factory=list)
    trajectories: list[Trajectory] = Field(default_factory=list)

    @property
    def simulated(self) -> bool:
        return (self.dataset_label or "").upper() == "SIMULATED"

    @property
    def has_figures(self) -> bool:
        return any(line.current or line.previous or line.progress.actual.value is not None for line in self.lines)


class SupervisionNoticeData(Model):
    """The 督办通知单 for one item: the item with its history, and the facts of its target when it has one."""

    item: SupervisionItem
    today: date
    target: ProgressRow | None = None
    task: TaskRow | None = None
    support: list[str] = Field(default_factory=list)  # 协办单位
    dataset_label: str | None = None

    @property
    def simulated(self) -> bool:
        return (self.dataset_label or "").upper() == "SIMULATED"


class CompareSheet(Model):
    """One indicator compared across the plans in scope (one sheet of compare.xlsx)."""

    code: str
    name: str
    unit: str | None = None
    rows: list[ProgressRow] = Field(default_factory=list)


class CompareData(Model):
    year: int
    dataset_label: str | None = None
    sheets: list[CompareSheet] = Field(default_factory=list)


class DepartmentSheet(Model):
    """The targets one department leads or supports (one sheet of progress.xlsx)."""

    department: str
    rows: list[ProgressRow] = Field(default_factory=list)
    tasks: list[TaskRow] = Field(default_factory=list)


class ProgressWorkbookData(Model):
    region: str
    year: int
    dataset_label: str | None = None
    include_draft: bool = False
    rows: list[ProgressRow] = Field(default_factory=list)
    departments: list[DepartmentSheet] = Field(default_factory=list)
    scorecards: list[ScorecardRow] = Field(default_factory=list)
