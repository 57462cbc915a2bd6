"""督办 (supervision) use cases: raise items for lagging targets and late tasks, and move them through
their lifecycle (``innocity.domain.supervision``), recording every step with who and when twice over: as a
``supervision_events`` row (the item's own history) and in the shared append-only audit log.

``sync`` is idempotent: a target or task has at most one open item, so running it every day raises nothing
new until something else falls behind.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import Field
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from innocity.domain.supervision import (
    ACTION_ZH,
    Reason,
    TransitionError,
    apply,
    is_item_overdue,
    reason_for_target,
)
from innocity.errors import ConflictError, ForbiddenError, NotFoundError, UserInputError
from innocity.storage import audit
from innocity.storage import regions as region_repo
from innocity.storage import tracking as repo
from innocity.storage.tables import Department, DutyRow, PlanRow, Region, TargetRow, utcnow

from .context import Permission, UnitOfWork, today_or
from .models import Model, SupervisionEvent, SupervisionItem
from .tasks import list_tasks
from .tracking import progress, region_scope

REPLY_DAYS = 15  # days a department has to answer an item (情况说明) unless told otherwise

_REASON_ZH = {
    Reason.TARGET_OFF_TRACK: "指标进度严重滞后",
    Reason.TARGET_OVERDUE: "指标逾期未完成",
    Reason.TASK_LATE: "任务逾期",
    Reason.MANUAL: "人工立项",
}


def stamp(today: date | None) -> datetime:
    """When a step happens: now, on the day the caller says it is (``today``: a report or demo for a past
    date records its steps on that date, at the current time of day)."""
    now = utcnow()
    return now if today is None or today == now.date() else datetime.combine(today, now.time())


def _event(
    s: Session,
    item: repo.SupervisionItem,
    *,
    action: str,
    before: str | None,
    who: str,
    text: str | None = None,
    new_due: date | None = None,
    today: date | None = None,
) -> None:
    s.add(
        repo.SupervisionEvent(
            item_id=item.id,
            action=action,
            from_status=before,
            to_status=item.status,
            text=text,
            new_due_on=new_due,
            actor=who,
            at=stamp(today),
        )
    )
    audit.record(
        s,
        actor=who,
        action=f"supervise.{action}",
        entity="supervision_items",
        entity_id=item.id,
        field="status",
        before=before,
        after=item.status,
        comment=text,
    )


def _new_item(
    s: Session,
    *,
    subject: str,
    subject_id: int,
    plan_id: int | None,
    department_id: int | None,
    reason: Reason,
    title: str,
    detail: str | None,
    who: str,
    today: date,
    due_days: int,
) -> repo.SupervisionItem:
    now = stamp(today)
    item = repo.SupervisionItem(
        subject=subject,
        subject_id=subject_id,
        plan_id=plan_id,
        department_id=department_id,
        reason=reason.value,
        title=title,
        detail=detail,
        status="raised",
        extensions=0,
        due_on=today + timedelta(days=due_days),
        raised_by=who,
        raised_at=now,
        updated_at=now,
    )
    s.add(item)
    s.flush()
    _event(s, item, action="raise", before=None, who=who, text=detail, today=today)
    return item


def _dept_id(w: UnitOfWork, plan: PlanRow | None, names: list[str]) -> int | None:
    if not names:
        return None
    return region_repo.get_or_create_department(w.session, plan.region_id if plan else None, names[0]).id


class Proposal(Model):
    """An item ``sync`` would raise (or has raised): what about, why, for whom."""

    subject: str
    subject_id: int
    plan_id: int
    region: str | None = None
    reason: str
    title: str
    detail: str
    department: str | None = None
    item_id: int | None = None  # set once raised


class SyncResult(Model):
    raised: list[SupervisionItem] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)


def proposals(
    w: UnitOfWork,
    *,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> list[Proposal]:
    """The items ``sync`` would raise now: off-track or overdue targets and late tasks with no open item."""
    w.require(Permission.READ)
    s = w.session
    out: list[Proposal] = []
    for r in progress(w, region=region, year=year, as_of=as_of):
        why = reason_for_target(r.status)
        if why is None or repo.open_item_for(s, "target", r.target_id) is not None:
            continue
        out.append(Proposal(
            subject="target", subject_id=r.target_id, plan_id=r.plan_id, region=r.region, reason=why.value,
            title=f"{_REASON_ZH[why]}：{r.indicator}", detail=r.detail_text(),
            department=r.lead[0] if r.lead else None,
        ))
    for tr in list_tasks(w, region=region, today=today):
        if not tr.late or repo.open_item_for(s, "task", tr.task_id) is not None:
            continue
        out.append(Proposal(
            subject="task", subject_id=tr.task_id, plan_id=tr.plan_id, region=tr.region,
            reason=Reason.TASK_LATE.value, title=f"{_REASON_ZH[Reason.TASK_LATE]}：{tr.task}",
            detail=f"状态 {tr.status}; 期限 {tr.deadline or '未定'}; 完成 {tr.completed_on or '—'}",
            department=tr.lead[0] if tr.lead else None,
        ))
    return out


def sync(
    w: UnitOfWork,
    *,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
    due_days: int = REPLY_DAYS,
    only: list[tuple[str, int]] | None = None,
) -> list[SupervisionItem]:
    """Raise an item for every off-track or overdue target and every late task that has no open item
    (``only``: just these (subject, id) pairs of the proposals, as a person picked them on the page)."""
    w.require(Permission.SUPERVISE)
    today = today_or(today)
    raised: list[SupervisionItem] = []
    wanted = set(only) if only is not None else None
    for pr in proposals(w, region=region, year=year, as_of=as_of, today=today):
        if wanted is not None and (pr.subject, pr.subject_id) not in wanted:
            continue
        plan = w.session.get(PlanRow, pr.plan_id)
        item = _new_item(
            w.session,
            subject=pr.subject,
            subject_id=pr.subject_id,
            plan_id=pr.plan_id,
            department_id=_dept_id(w, plan, [pr.department] if pr.department else []),
            reason=Reason(pr.reason),
            title=pr.title,
            detail=pr.detail,
            who=w.user,
            today=today,
            due_days=due_days,
        )
        raised.append(_item_model(w.session, item, today))
    return raised


def raise_item(
    w: UnitOfWork,
    *,
    target_id: int | None = None,
    task_id: int | None = None,
    text: str,
    department: str | None = None,
    due_days: int = REPLY_DAYS,
    today: date | None = None,
) -> SupervisionItem:
    """A person raises an item about one target or task."""
    w.require(Permission.SUPERVISE)
    if (target_id is None) == (task_id is None):
        raise UserInputError("give exactly one of a target or a task", field="target_id")
    if not text.strip():
        raise UserInputError("say what the matter is", field="text")
    if not 1 <= due_days <= 366:
        raise UserInputError("the reply is due in 1 to 366 days", field="due_days")
    today = today_or(today)
    s = w.session
    subject, sid = ("target", target_id) if target_id is not None else ("task", task_id)
    assert sid is not None
    row: TargetRow | DutyRow | None = s.get(TargetRow, sid) if subject == "target" else s.get(DutyRow, sid)
    plan = s.get(PlanRow, row.plan_id) if row is not None else None
    if row is None or plan is None or not w.in_scope(plan.region_id):
        raise NotFoundError(f"no {subject} with id {sid}", field=f"{subject}_id")
    if repo.open_item_for(s, subject, sid) is not None:
        raise UserInputError(f"{subject} {sid} already has an open item", field=f"{subject}_id")
    label = row.indicator if isinstance(row, TargetRow) else (row.task or row.text[:40])
    item = _new_item(
        s,
        subject=subject,
        subject_id=sid,
        plan_id=row.plan_id,
        department_id=_dept_id(w, plan, [department] if department else []),
        reason=Reason.MANUAL,
        title=f"{_REASON_ZH[Reason.MANUAL]}：{label}",
        detail=text,
        who=w.user,
        today=today,
        due_days=due_days,
    )
    return _item_model(s, item, today)


ROLE_OF_ACTION = {
    "respond": Permission.RESPOND,
    "extend": Permission.RESPOND,
    "close": Permission.SUPERVISE,
    "escalate": Permission.SUPERVISE,
}


def _item_in_scope(w: UnitOfWork, item_id: int) -> repo.SupervisionItem:
    s = w.session
    item = s.get(repo.SupervisionItem, item_id)
    # the plan's region alone: a plan row carries its whole parsed JSON
    plan = s.execute(select(PlanRow.region_id).where(PlanRow.id == item.plan_id)).first() \
        if item is not None and item.plan_id else None
    if item is None or not w.in_scope(plan[0] if plan else None):
        raise NotFoundError(f"no supervision item with id {item_id}", field="item_id")
    return item


def act(
    w: UnitOfWork,
    *,
    item_id: int,
    action: str,
    text: str | None = None,
    new_due: date | None = None,
    expect_status: str | None = None,
    version: int | None = None,
    today: date | None = None,
) -> SupervisionItem:
    """One lifecycle step (respond, extend, close, escalate), recorded with who and when.

    The department answers for its own items (情况说明, 延期申请); the coordinator closes (销号) and
    escalates. An extension moves the reply deadline to ``new_due`` (required, later than the current
    one). ``version`` (or ``expect_status``) is what the caller saw: if the item has moved on since, the
    step is refused with ``ConflictError`` instead of being applied to a state nobody saw.
    """
    if action not in ROLE_OF_ACTION:
        raise UserInputError(f"unknown action {action!r} (respond, extend, close or escalate)", field="action")
    w.require(ROLE_OF_ACTION[action])
    today = today_or(today)
    item = _item_in_scope(w, item_id)
    if w.actor.is_department and item.department_id != w.actor.department_id:
        raise ForbiddenError(f"督办事项 {item_id} 不是您部门承办的")
    if version is not None and item.version != version:
        raise ConflictError("已被他人修改，请刷新后再试", field="version")
    if expect_status is not None and item.status != expect_status:
        raise ConflictError(
            f"supervision item {item_id} is now {item.status}, not {expect_status}; look at it again",
            field="expect_status",
        )
    return step_in(w.session, item, action, who=w.user, text=text, new_due=new_due, today=today)


def step_in(
    s: Session,
    item: repo.SupervisionItem,
    action: str,
    *,
    who: str,
    text: str | None = None,
    new_due: date | None = None,
    today: date,
) -> SupervisionItem:
    """Apply one step to ``item`` as read in ``s``; ``ConflictError`` if someone moved it since."""
    try:
        step = apply(item.status, action, extensions=item.extensions, comment=text)
    except TransitionError as exc:
        raise UserInputError(str(exc), field="action") from None
    if action == "extend":
        if new_due is None:
            raise UserInputError("an extension needs the new date", field="new_due")
        if item.due_on is not None and new_due <= item.due_on:
            raise UserInputError(f"the new date must be after {item.due_on}", field="new_due")
    before = item.status
    # Optimistic check: the step applies only if nobody moved the item since it was read; two people
    # closing and extending at once must not both win.
    moved = s.execute(
        update(repo.SupervisionItem)
        .where(
            repo.SupervisionItem.id == item.id,
            repo.SupervisionItem.version == item.version,
        )
        .values(
            status=step.status.value,
            extensions=step.extensions,
            updated_at=utcnow(),
            version=item.version + 1,
            due_on=new_due if action == "extend" else item.due_on,
        )
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"supervision item {item.id} was changed by someone else; look at it again")
    if action == "extend":
        audit.record(
            s, actor=who, action="supervise.extend", entity="supervision_items", entity_id=item.id,
            field="due_on", before=item.due_on, after=new_due, comment=text,
        )
    s.refresh(item)
    _event(s, item, action=action, before=before, who=who, text=text, new_due=new_due, today=today)
    s.flush()
    return _item_model(s, item, today, events=True)


def list_items(
    w: UnitOfWork,
    *,
    include_closed: bool = False,
    region: str | None = None,
    department: str | None = None,
    today: date | None = None,
) -> list[SupervisionItem]:
    """Items in scope, newest first; ``region`` keeps those of plans of that region and the regions under
    it, ``department`` those it answers for (a department user sees its region's items)."""
    w.require(Permission.READ)
    s = w.session
    today = today_or(today)
    scope = region_scope(w, region=region)
    # one query of the items with their department's and plan's region's names: loading each item's plan
    # (its parsed JSON and all) to name its region cost more than the rest of the board together
    i = repo.SupervisionItem
    q = (
        select(i, Department.name, Region.name)
        .outerjoin(Department, Department.id == i.department_id)
        .outerjoin(PlanRow, PlanRow.id == i.plan_id)
        .outerjoin(Region, Region.id == PlanRow.region_id)
    )
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(scope))
    if not include_closed:
        q = q.where(i.status != "closed")
    out = [_item_model(s, item, today, names=(region_name, dept_name))
           for item, dept_name, region_name in s.execute(q.order_by(i.id.desc()))]
    return [i for i in out if i.department == department] if department else out


def get_item(w: UnitOfWork, *, item_id: int, today: date | None = None) -> SupervisionItem:
    """One item with its whole history."""
    w.require(Permission.READ)
    return _item_model(w.session, _item_in_scope(w, item_id), today_or(today), events=True)


def _item_model(
    s: Session,
    item: repo.SupervisionItem,
    today: date,
    *,
    events: bool = False,
    names: tuple[str | None, str | None] | None = None,
) -> SupervisionItem:
    """The item as a result; ``names`` (its plan's region, its department) when the caller read them."""
    if names is None:  # the names alone: a plan row carries its whole parsed JSON
        region = s.scalar(select(Region.name).join(PlanRow, PlanRow.region_id == Region.id)
                          .where(PlanRow.id == item.plan_id)) if item.plan_id else None
        dept = s.scalar(select(Department.name).where(Department.id == item.department_id)) \
            if item.department_id else None
        names = (region, dept)
    out = SupervisionItem(
        id=item.id,
        region=names[0],
        subject=item.subject,
        subject_id=item.subject_id,
        plan_id=item.plan_id,
        department=names[1],
        reason=item.reason,
        title=item.title,
        detail=item.detail,
        status=item.status,
        extensions=item.extensions,
        due_on=item.due_on,
        reply_overdue=is_item_overdue(item.status, item.due_on, today),
        raised_by=item.raised_by,
        raised_at=item.raised_at,
        version=item.version,
    )
    if events:
        s.flush()
        out.events = [
            SupervisionEvent(
                action=e.action,
                step=ACTION_ZH.get(e.action, e.action),
                from_=e.from_status,
                to=e.to_status,
                text=e.text,
                new_due_on=e.new_due_on,
                by=e.actor,
                at=e.at,
            )
            for e in s.scalars(
                select(repo.SupervisionEvent)
                .where(repo.SupervisionEvent.item_id == item.id)
                .order_by(repo.SupervisionEvent.id)
            )
        ]
    return out
