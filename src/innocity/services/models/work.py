"""Tasks (责任分工) with milestones, and 督办 items with their history."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .common import Model


class MilestoneOut(Model):
    id: int
    task_id: int | None = None
    name: str
    due_on: date
    done_on: date | None = None
    late: bool = False


class TaskRow(Model):
    """One current duty of a plan as a task: departments, status, deadline, milestones, lateness."""

    task_id: int
    plan_id: int
    region: str | None = None
    task: str
    text: str
    lead: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    status: str
    deadline: date | None = None
    deadline_text: str | None = None
    completed_on: date | None = None
    milestones: list[MilestoneOut] = Field(default_factory=list)
    late: bool = False
    # added for the web application
    progress_note: str | None = None
    percent: int | None = None
    version: int = 1
    span: tuple[int, int] | None = None


class TaskUpdate(Model):
    """What ``tasks set`` stored."""

    task_id: int
    status: str
    deadline: date | None = None
    completed_on: date | None = None
    updated_by: str
    progress_note: str | None = None
    percent: int | None = None
    version: int = 1


class SupervisionEvent(Model):
    """One step of an item's life: who did what, when, and what they said."""

    action: str
    step: str  # the action in Chinese (情况说明, 延期申请, 销号 …)
    from_: str | None = Field(default=None, validation_alias="from_", serialization_alias="from")
    to: str
    text: str | None = None
    new_due_on: date | None = None
    by: str
    at: datetime

    model_config = Model.model_config | {"serialize_by_alias": True}


class SupervisionItem(Model):
    """A 督办 item: what it is about, who answers for it, its state, deadline and (when asked) history."""

    id: int
    region: str | None = None
    subject: str  # target | task
    subject_id: int
    plan_id: int | None = None
    department: str | None = None
    reason: str
    title: str
    detail: str | None = None
    status: str
    extensions: int = 0
    due_on: date | None = None
    reply_overdue: bool = False
    raised_by: str
    raised_at: datetime
    version: int = 1
    events: list[SupervisionEvent] | None = None

    @property
    def due(self) -> date | None:
        """The contract's name for the reply deadline."""
        return self.due_on
