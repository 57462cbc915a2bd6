"""The API's own shapes where ``shared/contracts/api.md`` differs from the service models (a region as
``{"name", "adcode"}``, lists wrapped in an object, the 督办 deadline called ``due``), built from the
service models so each field is still declared once.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field, computed_field

from innocity.services.models import (
    DutyItem,
    Model,
    PhaseItem,
    PlanDetail,
    PlanItem,
    PlanSummary,
    PlanVersionInfo,
    ProgramItem,
    ProgressRow,
    RegionRef,
    SupervisionItem,
)
from innocity.services.models.users import SignedIn


class MeOut(Model):
    username: str
    role: str
    region: RegionRef | None = None
    department: str | None = None

    @classmethod
    def of(cls, signed: SignedIn) -> MeOut:
        u = signed.user
        return cls(username=u.username, role=u.role, region=u.region, department=u.department)


class PlanListItem(Model):
    id: int
    title: str | None = None
    region: RegionRef | None = None
    targets: int = 0
    reviewed: int = 0
    label: str | None = None
    version: int = 1
    facts: int = 0
    duties: int = 0
    document: str | None = None
    sha256: str | None = None
    created_at: datetime | None = None

    @classmethod
    def of(cls, p: PlanSummary) -> PlanListItem:
        return cls(
            id=p.id, title=p.title, region=p.region_ref, targets=p.targets, reviewed=p.reviewed, label=p.label,
            version=p.version, facts=p.facts, duties=p.duties, document=p.document, sha256=p.sha256,
            created_at=p.created_at,
        )


class PlanList(Model):
    plans: list[PlanListItem]


class UploadedPlan(Model):
    id: int
    title: str | None = None
    region: RegionRef | None = None
    targets: int = 0

    @classmethod
    def of(cls, p: PlanSummary) -> UploadedPlan:
        return cls(id=p.id, title=p.title, region=p.region_ref, targets=p.targets)


class UploadOut(Model):
    """``POST /api/v1/plans``: the plans the file holds (stored now, or already stored for the same bytes)."""

    plans: list[UploadedPlan]
    warnings: list[str] = Field(default_factory=list)
    status: str  # stored | new-version | unchanged
    sha256: str


class PlanOut(Model):
    """``GET /api/v1/plans/{id}``: the plan, the decoded source text its spans point into, and its items."""

    id: int
    title: str | None = None
    region: RegionRef | None = None
    text: str
    targets: list[PlanItem]
    facts: list[PlanItem]
    duties: list[DutyItem]
    phases: list[PhaseItem]
    programs: list[ProgramItem]
    label: str | None = None
    version: int = 1
    document: str | None = None
    versions: list[PlanVersionInfo] = Field(default_factory=list)

    @classmethod
    def of(cls, p: PlanDetail) -> PlanOut:
        return cls(
            id=p.id, title=p.title, region=p.region_ref, text=p.text or "", targets=p.targets, facts=p.facts,
            duties=p.duties, phases=p.phases, programs=p.programs, label=p.label, version=p.version,
            document=p.document, versions=p.versions,
        )


class ProgressOut(Model):
    rows: list[ProgressRow]


class SupervisionOut(SupervisionItem):
    """A 督办 item with the contract's ``due`` (the reply deadline) beside ``due_on``."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def due(self) -> date | None:
        return self.due_on

    @classmethod
    def of(cls, item: SupervisionItem) -> SupervisionOut:
        return cls.model_validate(item, from_attributes=True)


class SupervisionList(Model):
    items: list[SupervisionOut]


class SyncIn(Model):
    region: str | None = None
    year: int | None = None


class SyncOut(Model):
    raised: list[int]


class ActionIn(Model):
    """A 督办 step: the version the caller saw, and what it says (``text``), why (``reason``, for an
    extension) and the new reply deadline (``new_due``, for an extension)."""

    version: int = Field(ge=1)
    text: str | None = Field(default=None, max_length=5000)
    reason: str | None = Field(default=None, max_length=5000)
    new_due: date | None = None
