"""Task use cases: the duties (责任分工) of stored plans as tasks with a status, a deadline and milestones.

A task is a current duty row of a plan (``duties``, one lead and several supporting departments). Its
reported state (未启动/进行中/已完成/延期, deadline, completion date) and milestones are tracking's own
tables; every change is also written to the audit log.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from innocity.domain.observation import Period
from innocity.domain.supervision import TaskStatus, task_is_late
from innocity.errors import ConflictError, ForbiddenError, NotFoundError, UserInputError
from innocity.storage import audit
from innocity.storage import tracking as repo
from innocity.storage.tables import DutyDepartment, DutyRow, PlanRow, utcnow

from .context import Permission, UnitOfWork, today_or
from .models import MilestoneOut, TaskRow, TaskUpdate
from .tracking import region_scope

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
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    today: date | None = None,
    department: str | None = None,
    task_ids: list[int] | None = None,
) -> list[TaskRow]:
    """Every current task in scope with departments, status, deadline, milestones and lateness;
    ``department`` keeps the tasks it leads or supports."""
    w.require(Permission.READ)
    s = w.session
    today = today_or(today)
    q = (
        select(DutyRow, PlanRow)
        .join(PlanRow, DutyRow.plan_id == PlanRow.id)
        .where(DutyRow.retired_in.is_(None), DutyRow.review_state != "rejected")
    )
    if plan_id is not None:
        q = q.where(PlanRow.id == plan_id)
    if task_ids is not None:
        q = q.where(DutyRow.id.in_(task_ids))
    scope = region_scope(w, region=region)
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(scope))
    pairs = s.execute(q.order_by(PlanRow.id, DutyRow.position, DutyRow.id)).all()
    ids = [d.id for d, _ in pairs]
    states = repo.task_states(s, ids)
    stones = repo.milestones(s, ids)
    out = []
    for d, p in pairs:
        lead = [x.department.name for x in d.departments if x.role == "lead"]
        support = [x.department.name for x in d.departments if x.role == "support"]
        if department and department not in lead and department not in support:
            continue
        stt = states.get(d.id)
        status = stt.status if stt else TaskStatus.NOT_STARTED.value
        deadline = stt.deadline if stt and stt.deadline else deadline_from_text(d.deadline)
        completed = stt.completed_on if stt else None
        ms = [
            MilestoneOut(
                id=m.id, task_id=d.id, name=m.name, due_on=m.due_on, done_on=m.done_on,
                late=(m.done_on or today) > m.due_on,
            )
            for m in stones.get(d.id, [])
        ]
        late = task_is_late(status, deadline, completed, today) or any(m.late and m.done_on is None for m in ms)
        out.append(
            TaskRow(
                task_id=d.id,
                plan_id=p.id,
                region=p.region.name if p.region else None,
                task=d.task or d.text[:40],
                text=d.text,
                lead=lead,
                support=support,
                status=status,
                deadline=deadline,
                deadline_text=d.deadline,
                completed_on=completed,
                milestones=ms,
                late=late,
                progress_note=stt.progress_note if stt else None,
                percent=stt.percent if stt else None,
                version=stt.version if stt else 0,
                span=(d.span_start, d.span_end) if d.span_start is not None and d.span_end is not None else None,
            )
        )
    return out


def _task_in_scope(w: UnitOfWork, task_id: int, *, for_update: bool = False) -> DutyRow:
    """The current task ``task_id`` if the actor may see it (a department updating: only tasks it leads)."""
    s = w.session
    duty = s.get(DutyRow, task_id)
    plan = s.get(PlanRow, duty.plan_id) if duty is not None else None
    if duty is None or duty.retired_in is not None or plan is None or not w.in_scope(plan.region_id):
        raise NotFoundError(f"no current task with id {task_id}", field="task_id")
    if for_update and w.actor.is_department:
        leads = {
            x.department_id for x in s.scalars(
                select(DutyDepartment).where(DutyDepartment.duty_id == task_id, DutyDepartment.role == "lead")
            )
        }
        if w.actor.department_id not in leads:
            raise ForbiddenError(f"任务 {task_id} 不由您的部门牵头")
    return duty


def set_task(
    w: UnitOfWork,
    *,
    task_id: int,
    status: str | None = None,
    deadline: date | None = None,
    completed_on: date | None = None,
    note: str | None = None,
    progress_note: str | None = None,
    percent: int | None = None,
    version: int | None = None,
) -> TaskUpdate:
    """Report a task's status, deadline, completion date or progress; audited. ``version`` (the one the
    caller read; 0 for a task never reported) makes a stale write a conflict."""
    w.require(Permission.UPDATE_TASK)
    try:
        new_status = TaskStatus.parse(status).value if status else None
    except ValueError as exc:
        raise UserInputError(str(exc), field="status") from None
    if percent is not None and not 0 <= percent <= 100:
        raise UserInputError("a percentage is between 0 and 100", field="percent")
    given = {
        "status": new_status, "deadline": deadline, "completed_on": completed_on, "note": note,
        "progress_note": progress_note, "percent": percent,
    }
    if all(v is None for v in given.values()):
        raise UserInputError("nothing to set: give a status, a deadline, a completion date, a note or progress")
    s, who = w.session, w.user
    _task_in_scope(w, task_id, for_update=True)
    row = s.get(repo.TaskState, task_id)
    if version is not None and (row.version if row else 0) != version:
        raise ConflictError("已被他人修改，请刷新后再试", field="version")
    if row is None:
        row = repo.TaskState(duty_id=task_id, status=TaskStatus.NOT_STARTED.value, updated_by=who)
        s.add(row)
    if new_status == TaskStatus.DONE.value and completed_on is None and row.completed_on is None:
        given["completed_on"] = date.today()
    changes = {k: v for k, v in given.items() if v is not None}
    audit.update_fields(s, row, changes, actor=who, entity_id=task_id)
    row.updated_by, row.updated_at = who, utcnow()
    s.flush()
    return TaskUpdate(
        task_id=task_id, status=row.status, deadline=row.deadline, completed_on=row.completed_on,
        updated_by=who, progress_note=row.progress_note, percent=row.percent, version=row.version,
    )


def add_milestone(
    w: UnitOfWork, *, task_id: int, name: str, due_on: date, done_on: date | None = None
) -> MilestoneOut:
    """Add a dated step to a task; audited."""
    w.require(Permission.UPDATE_TASK)
    if not name.strip():
        raise UserInputError("a milestone needs a name", field="name")
    s, who = w.session, w.user
    _task_in_scope(w, task_id, for_update=True)
    m = repo.Milestone(duty_id=task_id, name=name.strip(), due_on=due_on, done_on=done_on, created_by=who)
    s.add(m)
    s.flush()
    audit.record(
        s, actor=who, action="insert", entity="task_milestones", entity_id=m.id,
        after={"task": task_id, "name": m.name, "due_on": due_on, "done_on": done_on},
    )
    return MilestoneOut(id=m.id, task_id=task_id, name=m.name, due_on=due_on, done_on=done_on,
                        late=done_on is not None and done_on > due_on)


def complete_milestone(w: UnitOfWork, *, milestone_id: int, done_on: date) -> MilestoneOut:
    """Record the date a milestone was reached; audited."""
    w.require(Permission.UPDATE_TASK)
    s = w.session
    m = s.get(repo.Milestone, milestone_id)
    if m is None:
        raise NotFoundError(f"no milestone with id {milestone_id}", field="milestone_id")
    _task_in_scope(w, m.duty_id, for_update=True)
    audit.update_fields(s, m, {"done_on": done_on}, actor=w.user)
    return MilestoneOut(id=m.id, task_id=m.duty_id, name=m.name, due_on=m.due_on, done_on=done_on,
                        late=done_on > m.due_on)
