"""Task use cases: the duties (责任分工) of stored plans as tasks with a status, a deadline and milestones.

A task is a current duty row of a plan (``duties``, one lead and several supporting departments). Its
reported state (未启动/进行中/已完成/延期, deadline, completion date) and milestones are tracking's own
tables; every change is also written to the audit log.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from innocity.domain.observation import Period
from innocity.domain.supervision import TaskStatus, task_is_late
from innocity.errors import NotFoundError, UserInputError
from innocity.settings import Settings
from innocity.storage import audit
from innocity.storage import tracking as repo
from innocity.storage.tables import DutyRow, PlanRow, utcnow

from .store import Store
from .tracking import opened, region_scope

_DEADLINE = re.compile(r"(\d{4})\s*年\s*(?:(\d{1,2})\s*月|(底|末|年底|年末))?")


def deadline_from_text(text: str | None) -> date | None:
    """A deadline written in a plan (2016年6月, 2015年底, 2015年) as the last day it allows; None if masked."""
    if not text:
        return None
    m = _DEADLINE.search(text)
    if not m:
        return None
    year = int(m[1])
    if m[2]:
        month = int(m[2])
        if 1 <= month <= 12:
            return Period(year, "month", month).end
        return None
    return date(year, 12, 31)


def list_tasks(
    settings: Settings,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    today: date | None = None,
    store: Store | None = None,
) -> list[dict[str, Any]]:
    """``innocity tasks list``: every current task with departments, status, deadline, milestones, lateness."""
    today = today or date.today()
    with opened(settings, store) as st, st.session() as s:
        q = (
            select(DutyRow, PlanRow)
            .join(PlanRow, DutyRow.plan_id == PlanRow.id)
            .where(DutyRow.retired_in.is_(None), DutyRow.review_state != "rejected")
        )
        if plan_id is not None:
            q = q.where(PlanRow.id == plan_id)
        if region:
            q = q.where(PlanRow.region_id.in_(region_scope(s, region)))
        pairs = s.execute(q.order_by(PlanRow.id, DutyRow.position, DutyRow.id)).all()
        ids = [d.id for d, _ in pairs]
        states = repo.task_states(s, ids)
        stones = repo.milestones(s, ids)
        out = []
        for d, p in pairs:
            stt = states.get(d.id)
            status = stt.status if stt else TaskStatus.NOT_STARTED.value
            deadline = stt.deadline if stt and stt.deadline else deadline_from_text(d.deadline)
            completed = stt.completed_on if stt else None
            ms = [
                {
                    "id": m.id,
                    "name": m.name,
                    "due_on": m.due_on,
                    "done_on": m.done_on,
                    "late": (m.done_on or today) > m.due_on,
                }
                for m in stones.get(d.id, [])
            ]
            late = task_is_late(status, deadline, completed, today) or any(
                m["late"] and m["done_on"] is None for m in ms
            )
            out.append(
                {
                    "task_id": d.id,
                    "plan_id": p.id,
                    "region": p.region.name if p.region else None,
                    "task": d.task or d.text[:40],
                    "text": d.text,
                    "lead": [x.department.name for x in d.departments if x.role == "lead"],
                    "support": [x.department.name for x in d.departments if x.role == "support"],
                    "status": status,
                    "deadline": deadline,
                    "deadline_text": d.deadline,
                    "completed_on": completed,
                    "milestones": ms,
                    "late": late,
                }
            )
    return out


def set_task(
    settings: Settings,
    task_id: int,
    *,
    status: str | None = None,
    deadline: date | None = None,
    completed_on: date | None = None,
    note: str | None = None,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity tasks set``: report a task's status, deadline or completion date; audited."""
    try:
        new_status = TaskStatus.parse(status).value if status else None
    except ValueError as exc:
        raise UserInputError(str(exc), source="--status") from None
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        duty = s.get(DutyRow, task_id)
        if duty is None or duty.retired_in is not None:
            raise NotFoundError(f"no current task with id {task_id}", source="tasks set")
        row = s.get(repo.TaskState, task_id)
        if row is None:
            row = repo.TaskState(duty_id=task_id, status=TaskStatus.NOT_STARTED.value, updated_by=who)
            s.add(row)
        if new_status == TaskStatus.DONE.value and completed_on is None and row.completed_on is None:
            completed_on = date.today()
        for field, new in (
            ("status", new_status),
            ("deadline", deadline),
            ("completed_on", completed_on),
            ("note", note),
        ):
            if new is None:
                continue
            old = getattr(row, field)
            if old != new:
                setattr(row, field, new)
                audit.record(
                    s,
                    actor=who,
                    action="update",
                    entity="task_states",
                    entity_id=task_id,
                    field=field,
                    before=old,
                    after=new,
                )
        row.updated_by, row.updated_at = who, utcnow()
        s.flush()
        return {
            "task_id": task_id,
            "status": row.status,
            "deadline": row.deadline,
            "completed_on": row.completed_on,
            "updated_by": who,
        }


def add_milestone(
    settings: Settings,
    task_id: int,
    *,
    name: str,
    due_on: date,
    done_on: date | None = None,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity tasks milestone``: add a dated step to a task; audited."""
    if not name.strip():
        raise UserInputError("a milestone needs a name", source="--name")
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        if s.get(DutyRow, task_id) is None:
            raise NotFoundError(f"no task with id {task_id}", source="tasks milestone")
        m = repo.Milestone(duty_id=task_id, name=name.strip(), due_on=due_on, done_on=done_on, created_by=who)
        s.add(m)
        s.flush()
        audit.record(
            s,
            actor=who,
            action="insert",
            entity="task_milestones",
            entity_id=m.id,
            after={"task": task_id, "name": m.name, "due_on": due_on, "done_on": done_on},
        )
        return {"id": m.id, "task_id": task_id, "name": m.name, "due_on": due_on, "done_on": done_on}


def complete_milestone(
    settings: Settings,
    milestone_id: int,
    *,
    done_on: date,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity tasks milestone-done``: record the date a milestone was reached; audited."""
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        m = s.get(repo.Milestone, milestone_id)
        if m is None:
            raise NotFoundError(f"no milestone with id {milestone_id}", source="tasks milestone-done")
        audit.record(
            s,
            actor=who,
            action="update",
            entity="task_milestones",
            entity_id=m.id,
            field="done_on",
            before=m.done_on,
            after=done_on,
        )
        m.done_on = done_on
        return {
            "id": m.id,
            "task_id": m.duty_id,
            "name": m.name,
            "due_on": m.due_on,
            "done_on": done_on,
            "late": done_on > m.due_on,
        }
