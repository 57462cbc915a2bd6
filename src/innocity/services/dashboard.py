"""The dashboard of coordinators and leaders (the web application's ``/`` for them): one call that reads
progress, tasks, 督办 items, reported values and plan review once each and aggregates them.

It shows, for the actor's scope (or one region in it): targets by status and by dimension and status;
what falls due within ``horizon_days`` (target deadlines, tasks, milestones, 督办 replies); open 督办 items
by age; values waiting for approval; and how far each plan's review has got. Other roles have the web
application's own home page; ``is_for`` says who gets this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, select

from innocity.catalog.model import DIMENSION_NAMES
from innocity.domain.supervision import is_item_overdue
from innocity.storage.tables import Department, ObservationRow, PlanRow, Region, TargetRow
from innocity.storage.tracking import SupervisionItem

from .context import Actor, Permission, Role, UnitOfWork, today_or
from .models.dashboard import (
    AgeBucket,
    Dashboard,
    Deadline,
    DimensionStatus,
    OpenSupervision,
    PendingData,
    PendingGroup,
    PlanReview,
)
from .models.tracking import StatusCounts
from .plans import REVIEWED
from .progress_view import scoped_progress
from .tasks import list_tasks
from .tracking import AssessedStore, PreparedStore, region_scope, scope_key, status_counts

AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("7天以内", 0, 7),
    ("8–30天", 8, 30),
    ("31–90天", 31, 90),
    ("90天以上", 91, None),
)
UNMATCHED = "未匹配指标"
DONE_TASK = "已完成"
_DIM_ORDER = {code: i for i, code in enumerate(DIMENSION_NAMES)}


def is_for(actor: Actor) -> bool:
    """Coordinators, leaders and administrators get the dashboard as their home page."""
    return actor.role in (Role.COORDINATOR, Role.LEADER, Role.ADMIN, Role.SYSTEM)


@dataclass(frozen=True, slots=True)
class DashboardBasis:
    """What the dashboard reads that does not depend on the evaluation year (``dashboard_basis``): what
    falls due besides target deadlines, open 督办 items by age, values waiting for approval, plan review.
    A caller that shows several years of one scope in a day (the web application) can read it once and
    pass it to ``dashboard`` for each year. Treat it as read-only: dashboards built on it share its parts."""

    scope: tuple[int, ...] | None  # the regions it was read for (None: every region)
    today: date
    horizon_days: int
    deadlines: tuple[Deadline, ...]  # tasks, milestones and 督办 replies due within the horizon
    overdue_tasks: int
    supervision: OpenSupervision
    pending: PendingData
    plans: list[PlanReview]


def dashboard_basis(w: UnitOfWork, *, region: str | None = None, today: date | None = None,
                    horizon_days: int = 90) -> DashboardBasis:
    """The year-independent part of ``dashboard`` for the actor's scope (or ``region`` within it)."""
    w.require(Permission.READ)
    today = today_or(today)
    due: list[Deadline] = []

    def add(kind: str, id_: int, title: str, when: date | None, status: str, **kw: object) -> None:
        _due_within(due, today, horizon_days, kind, id_, title, when, status, **kw)

    tasks = list_tasks(w, region=region, today=today)
    for t in tasks:
        dept = t.lead[0] if t.lead else None
        if t.status != DONE_TASK:
            add("task", t.task_id, t.task, t.deadline, t.status, region=t.region, department=dept, plan_id=t.plan_id)
        for m in t.milestones:
            if m.done_on is None:
                add("milestone", m.id, f"{t.task}：{m.name}", m.due_on, "未完成", region=t.region,
                    department=dept, plan_id=t.plan_id, task_id=t.task_id)

    sup = OpenSupervision(buckets=[AgeBucket(label=lb, min_days=lo, max_days=hi) for lb, lo, hi in AGE_BUCKETS])
    scope = region_scope(w, region=region)
    for it in _open_items(w, scope):
        overdue = is_item_overdue(it.status, it.due_on, today)
        add("supervision", it.id, it.title, it.due_on, it.status, region=it.region, department=it.department,
            plan_id=it.plan_id)
        age = (today - it.raised_at.date()).days
        b = next(b for b in sup.buckets if b.max_days is None or age <= b.max_days)
        b.count += 1
        b.overdue += overdue
        b.by_status[it.status] = b.by_status.get(it.status, 0) + 1
        sup.total += 1
        sup.overdue += overdue
    return DashboardBasis(
        scope=scope_key(scope),
        today=today,
        horizon_days=horizon_days,
        deadlines=tuple(due),
        overdue_tasks=sum(1 for t in tasks if t.late and t.status != DONE_TASK),
        supervision=sup,
        pending=_pending(w, scope),
        plans=_plan_review(w, scope),
    )


def dashboard(
    w: UnitOfWork,
    *,
    region: str | None = None,
    year: int | None = None,
    today: date | None = None,
    horizon_days: int = 90,
    limit: int = 12,
    kept: PreparedStore | None = None,
    assessed: AssessedStore | None = None,
    basis: DashboardBasis | None = None,
) -> Dashboard:
    """The dashboard's aggregates for the actor's scope (or ``region`` within it) in evaluation ``year``
    (default: this year); deadlines within ``horizon_days`` of ``today``, the ``limit`` soonest (``kept``,
    ``assessed``: see ``progress_view.scoped_progress``; ``basis``: ``dashboard_basis`` read for the same
    scope, day and horizon, else it is read here)."""
    w.require(Permission.READ)
    today = today_or(today)
    rows = scoped_progress(w, region=region, year=year, kept=kept, assessed=assessed, today=today)
    if basis is None:
        basis = dashboard_basis(w, region=region, today=today, horizon_days=horizon_days)
    elif (basis.today, basis.horizon_days) != (today, horizon_days) or basis.scope != scope_key(
            region_scope(w, region=region)):
        raise ValueError("the dashboard basis was read for another scope, day or horizon")
    out = Dashboard(region=region, year=year or today.year, today=today, horizon_days=horizon_days)
    out.total_targets = len(rows)
    out.status_counts = status_counts(rows)
    dims: dict[str, DimensionStatus] = {}
    for r in rows:
        code = r.dimension or ""
        d = dims.get(code)
        if d is None:
            d = dims[code] = DimensionStatus(dimension=code, name=DIMENSION_NAMES.get(code, UNMATCHED))
        d.total += 1
        setattr(d.counts, r.status, getattr(d.counts, r.status) + 1)
    out.by_dimension = sorted(dims.values(), key=lambda d: _DIM_ORDER.get(d.dimension, 99))

    due = list(basis.deadlines)
    for r in rows:
        if r.target.year and r.status != "achieved":
            _due_within(due, today, horizon_days, "target", r.target_id, f"{r.indicator}：{r.goal_text()}",
                        date(r.target.year, 12, 31), r.status, region=r.region,
                        department=r.lead[0] if r.lead else None, plan_id=r.plan_id)
    out.upcoming = sorted(due, key=lambda d: (d.due_on, d.kind, d.id))[:limit]
    out.overdue_tasks = basis.overdue_tasks
    out.supervision = basis.supervision
    out.pending = basis.pending
    out.plans = basis.plans
    out.targets_reviewed = sum(p.reviewed for p in out.plans)
    return out


def _due_within(due: list[Deadline], today: date, horizon_days: int, kind: str, id_: int, title: str,
                when: date | None, status: str, **kw: object) -> None:
    """Add what falls due between ``today`` and ``horizon_days`` later to ``due``."""
    if when is not None and today <= when <= today + timedelta(days=horizon_days):
        due.append(Deadline(kind=kind, id=id_, title=title, due_on=when, days_left=(when - today).days,
                            status=status, **kw))  # type: ignore[arg-type]


def _plan_review(w: UnitOfWork, scope: set[int] | None) -> list[PlanReview]:
    """Each plan in scope with its current targets and how many of them a person has reviewed (the
    counts of ``plans.summaries``, selected in SQL by scope instead of loading every plan)."""
    t = TargetRow
    reviewed = func.sum(case((t.review_state.in_(REVIEWED), 1), else_=0))
    q = (
        select(PlanRow.id, PlanRow.title, PlanRow.label, Region.name, func.count(t.id), reviewed)
        .outerjoin(Region, Region.id == PlanRow.region_id)
        .outerjoin(t, (t.plan_id == PlanRow.id) & t.retired_in.is_(None))
        .group_by(PlanRow.id, PlanRow.title, PlanRow.label, Region.name)
        .order_by(PlanRow.id)
    )
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(sorted(scope)))
    return [
        PlanReview(plan_id=i, title=title, label=label, region=name, targets=n or 0, reviewed=int(r or 0))
        for i, title, label, name, n, r in w.session.execute(q)
    ]


def _open_items(w: UnitOfWork, scope: set[int] | None) -> list[Any]:
    """The open 督办 items of plans in scope: only the columns the dashboard shows (``supervise.list_items``
    loads each item's plan, parsed JSON and all, which for a city's items costs more than the rest of the
    dashboard together)."""
    i = SupervisionItem
    q = (
        select(i.id, i.title, i.status, i.due_on, i.raised_at, i.plan_id, Department.name.label("department"),
               Region.name.label("region"))
        .join(PlanRow, PlanRow.id == i.plan_id)
        .outerjoin(Region, Region.id == PlanRow.region_id)
        .outerjoin(Department, Department.id == i.department_id)
        .where(i.status != "closed")
        .order_by(i.id.desc())
    )
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(sorted(scope)))
    return list(w.session.execute(q))


def _pending(w: UnitOfWork, scope: set[int] | None) -> PendingData:
    o = ObservationRow
    s = w.session

    def scoped(q):  # type: ignore[no-untyped-def]
        return q if scope is None else q.where(o.region_id.in_(sorted(scope)))

    out = PendingData()
    q = scoped(select(o.status, func.count(), func.min(o.entered_at)).where(
        o.status.in_(("draft", "submitted", "rejected"))).group_by(o.status))
    for status, n, oldest in s.execute(q):
        setattr(out, status, n)
        if status == "submitted":
            out.oldest_submitted_at = oldest
    if out.submitted:
        q = scoped(
            select(Region.name, o.indicator_code, func.count())
            .join(Region, Region.id == o.region_id)
            .where(o.status == "submitted")
            .group_by(Region.name, o.indicator_code)
        )
        groups = [
            PendingGroup(region=name, indicator=code, count=n,
                         indicator_name=w.catalog.get(code).name_zh if code in w.catalog else code)
            for name, code, n in s.execute(q)
        ]
        out.groups = sorted(groups, key=lambda g: (-g.count, g.region, g.indicator))[:10]
    return out


__all__ = ["AGE_BUCKETS", "DashboardBasis", "StatusCounts", "dashboard", "dashboard_basis", "is_for"]
