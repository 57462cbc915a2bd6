"""``/tasks``: the tasks (责任分工) of the plans in scope with their departments, status, deadline,
progress and milestones; a department reports progress on the tasks it leads (the service refuses any
other), the coordinator on any. A department sees its own tasks (led or supported) by default."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from innocity.errors import InnocityError, UserInputError
from innocity.services import tasks
from innocity.services.context import UnitOfWork
from innocity.services.models.users import SignedIn

from ..deps import PageUowDep, PageUser
from ..templating import render
from . import vocab  # noqa: F401  (the templates' words)
from .formdata import FormDep, day, integer, text

router = APIRouter()


def tasks_page(request: Request, w: UnitOfWork, user: SignedIn, *, department: str | None, late: bool,
               errors: dict[int, str] | None = None, notice: str | None = None) -> Response:
    if department is None and w.actor.is_department:
        department = user.user.department
    rows = tasks.list_tasks(w, department=department or None)
    if late:
        rows = [t for t in rows if t.late]
    shown = {t.task_id for t in rows}
    return render(request, "tasks/list.html", {
        "page_errors": [m for tid, m in (errors or {}).items() if tid not in shown],
        "tasks": rows, "department": department or "", "late": late, "errors": errors or {}, "notice": notice,
        "today": date.today(), "mine": user.user.department,
    })


@router.get("/tasks")
def tasks_list(request: Request, user: PageUser, w: PageUowDep,
               department: Annotated[str | None, Query(max_length=200)] = None,
               late: Annotated[str | None, Query(max_length=4)] = None,
               done: Annotated[str | None, Query(max_length=12)] = None) -> Response:
    notice = f"任务 {done} 已更新" if done and done.isdigit() else None
    return tasks_page(request, w, user, department=department, late=late == "1", notice=notice)


def _back(form: dict[str, str | None], task_id: int) -> Response:
    q = {k: v for k, v in {"department": form.get("department"), "late": form.get("late"),
                           "done": str(task_id)}.items() if v}
    return RedirectResponse(f"/tasks?{urlencode(q)}#task-{task_id}", status_code=303)


def _failed(request: Request, w: UnitOfWork, user: SignedIn, form: dict[str, str | None], task_id: int,
            exc: InnocityError) -> Response:
    w.session.rollback()
    return tasks_page(request, w, user, department=form.get("department"), late=form.get("late") == "1",
                      errors={task_id: exc.message})


@router.post("/tasks/{task_id:int}")
def update(request: Request, task_id: int, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    """Report a task's status, progress, note and deadline (with the version the reporter saw)."""
    keep = {"department": text(form, "department", limit=200), "late": text(form, "late", limit=4)}
    try:
        percent = integer(text(form, "percent", limit=4), field="percent")
        tasks.set_task(w, task_id=task_id, status=text(form, "status", limit=8),
                       percent=percent, progress_note=text(form, "progress_note"),
                       deadline=day(text(form, "deadline", limit=12), field="deadline"),
                       version=integer(text(form, "version", limit=9), field="version") or 0)
    except InnocityError as exc:
        return _failed(request, w, user, keep, task_id, exc)
    return _back(keep, task_id)


@router.post("/tasks/{task_id:int}/milestones")
def add_milestone(request: Request, task_id: int, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    keep = {"department": text(form, "department", limit=200), "late": text(form, "late", limit=4)}
    try:
        due = day(text(form, "due_on", limit=12), field="due_on")
        if due is None:
            raise UserInputError("请填写节点的完成期限", field="due_on")
        tasks.add_milestone(w, task_id=task_id, name=text(form, "name", limit=500) or "", due_on=due)
    except InnocityError as exc:
        return _failed(request, w, user, keep, task_id, exc)
    return _back(keep, task_id)


@router.post("/milestones/{milestone_id:int}/done")
def milestone_done(request: Request, milestone_id: int, user: PageUser, w: PageUowDep, form: FormDep) -> Response:
    keep = {"department": text(form, "department", limit=200), "late": text(form, "late", limit=4)}
    task_id = integer(text(form, "task_id", limit=9), field="task_id") or 0
    try:
        when = day(text(form, "done_on", limit=12), field="done_on") or date.today()
        tasks.complete_milestone(w, milestone_id=milestone_id, done_on=when)
    except InnocityError as exc:
        return _failed(request, w, user, keep, task_id, exc)
    return _back(keep, task_id)
