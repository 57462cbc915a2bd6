"""Tasks (责任分工) through the API: the list in scope, reporting a task's progress (a department: the
tasks it leads), milestones."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import Field

from innocity.services import tasks
from innocity.services.models import MilestoneOut, Model, TaskRow, TaskUpdate

from ..deps import UowDep

router = APIRouter(prefix="/api/v1", tags=["tasks"])


class TaskList(Model):
    tasks: list[TaskRow]


@router.get("/tasks", response_model=TaskList)
def list_tasks(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
    plan: Annotated[int | None, Query()] = None,
) -> TaskList:
    """Every current task in scope with its departments, status, deadline, milestones and lateness."""
    return TaskList(tasks=tasks.list_tasks(w, region=region, department=department, plan_id=plan))


class TaskIn(Model):
    """A task's report: the version read (0 for a task never reported) and any of the fields."""

    version: int = Field(ge=0)
    status: str | None = Field(default=None, max_length=8, description="未启动, 进行中, 已完成 or 延期")
    deadline: date | None = None
    completed_on: date | None = None
    progress_note: str | None = Field(default=None, max_length=5000)
    percent: int | None = Field(default=None, ge=0, le=100)
    note: str | None = Field(default=None, max_length=5000)


@router.patch("/tasks/{task_id}", response_model=TaskUpdate,
              responses={403: {"description": "a department may update only the tasks it leads"},
                         409: {"description": "stale version"}})
def update_task(task_id: int, body: TaskIn, w: UowDep) -> TaskUpdate:
    """Report a task's status, deadline, completion or progress."""
    return tasks.set_task(w, task_id=task_id, status=body.status, deadline=body.deadline,
                          completed_on=body.completed_on, progress_note=body.progress_note, percent=body.percent,
                          note=body.note, version=body.version)


class MilestoneIn(Model):
    name: str = Field(min_length=1, max_length=500)
    due_on: date


@router.post("/tasks/{task_id}/milestones", response_model=MilestoneOut, status_code=status.HTTP_201_CREATED)
def add_milestone(task_id: int, body: MilestoneIn, w: UowDep) -> MilestoneOut:
    """Add a dated step to a task."""
    return tasks.add_milestone(w, task_id=task_id, name=body.name, due_on=body.due_on)


class DoneIn(Model):
    done_on: date


@router.post("/milestones/{milestone_id}/done", response_model=MilestoneOut)
def milestone_done(milestone_id: int, body: DoneIn, w: UowDep) -> MilestoneOut:
    """Record the date a milestone was reached."""
    return tasks.complete_milestone(w, milestone_id=milestone_id, done_on=body.done_on)
