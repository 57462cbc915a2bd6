"""Typed results of the services (pydantic v2), defined once.

The CLI prints them (``--format json`` is ``model_dump(mode="json")``), FastAPI declares them as response
models (so the OpenAPI document comes from them), tests build them. One module per area; everything is
re-exported here.
"""

from .common import AuditEntryOut, Model, RegionRef
from .plans import (
    DutyItem,
    IngestResult,
    ItemReview,
    PhaseItem,
    PlanDetail,
    PlanItem,
    PlanSummary,
    PlanVersionInfo,
    ProgramItem,
    ReviewItem,
)
from .tracking import (
    ActualInfo,
    BaselineInfo,
    ProgressRow,
    ScorecardRow,
    StatusCounts,
    TargetGoal,
    TargetResolution,
)
from .work import (
    MilestoneOut,
    SupervisionEvent,
    SupervisionItem,
    TaskRow,
    TaskUpdate,
)

__all__ = [
    "ActualInfo",
    "AuditEntryOut",
    "BaselineInfo",
    "DutyItem",
    "IngestResult",
    "ItemReview",
    "MilestoneOut",
    "Model",
    "PhaseItem",
    "PlanDetail",
    "PlanItem",
    "PlanSummary",
    "PlanVersionInfo",
    "ProgramItem",
    "ProgressRow",
    "RegionRef",
    "ReviewItem",
    "ScorecardRow",
    "StatusCounts",
    "SupervisionEvent",
    "SupervisionItem",
    "TargetGoal",
    "TargetResolution",
    "TaskRow",
    "TaskUpdate",
]
