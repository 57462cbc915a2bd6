"""督办 (supervision) use cases: raise items for lagging targets and late tasks, and move them through
their lifecycle (``innocity.domain.supervision``), recording every step with who and when twice over: as a
``supervision_events`` row (the item's own history) and in the shared append-only audit log.

``sync`` is idempotent: a target or task has at most one open item, so running it every day raises nothing
new until something else falls behind.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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
from innocity.errors import ConflictError, NotFoundError, UserInputError
from innocity.settings import Settings
from innocity.storage import audit
from innocity.storage import regions as region_repo
from innocity.storage import tracking as repo
from innocity.storage.tables import Department, DutyRow, PlanRow, TargetRow, utcnow

from .store import Store
from .tracking import opened, progress, region_scope

REPLY_DAYS = 15  # days a department has to answer an item (情况说明) unless told otherwise

_REASON_ZH = {
    Reason.TARGET_OFF_TRACK: "指标进度严重滞后",
    Reason.TARGET_OVERDUE: "指标逾期未完成",
    Reason.TASK_LATE: "任务逾期",
    Reason.MANUAL: "人工立项",
}


def _event(
    s: Session,
    item: repo.SupervisionItem,
    *,
    action: str,
    before: str | None,
    who: str,
    text: str | None = None,
    new_due: date | None = None,
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
            at=utcnow(),
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
    now = utcnow()
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
    _event(s, item, action="raise", before=None, who=who, text=detail)
    return item


def _dept_id(s: Session, plan: PlanRow | None, names: list[str]) -> int | None:
    if not names:
        return None
    return region_repo.get_or_create_department(s, plan.region_id if plan else None, names[0]).id


def sync(
    settings: Settings,
    *,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
    due_days: int = REPLY_DAYS,
    user: str | None = None,
    store: Store | None = None,
) -> list[dict[str, Any]]:
    """Raise an item for every off-track or overdue target and every late task that has no open item."""
    from .tasks import list_tasks

    today = today or date.today()
    with opened(settings, store) as st:
        who = user or st.user
        rows = progress(settings, region=region, year=year, as_of=as_of, store=st)
        task_rows = list_tasks(settings, region=region, today=today, store=st)
        raised: list[dict[str, Any]] = []
        with st.session() as s:
            for r in rows:
                why = reason_for_target(r["status"])
                if why is None or repo.open_item_for(s, "target", r["target_id"]) is not None:
                    continue
                plan = s.get(PlanRow, r["plan_id"])
                detail = _target_detail(r)
                item = _new_item(
                    s,
                    subject="target",
                    subject_id=r["target_id"],
                    plan_id=r["plan_id"],
                    department_id=_dept_id(s, plan, r["lead"]),
                    reason=why,
                    title=f"{_REASON_ZH[why]}：{r['indicator']}",
                    detail=detail,
                    who=who,
                    today=today,
                    due_days=due_days,
                )
                raised.append(_item_dict(s, item, today))
            for tr in task_rows:
                if not tr["late"] or repo.open_item_for(s, "task", tr["task_id"]) is not None:
                    continue
                plan = s.get(PlanRow, tr["plan_id"])
                detail = (
                    f"状态 {tr['status']}; 期限 {tr['deadline'] or '未定'}; 完成 {tr['completed_on'] or '—'}"
                )
                item = _new_item(
                    s,
                    subject="task",
                    subject_id=tr["task_id"],
                    plan_id=tr["plan_id"],
                    department_id=_dept_id(s, plan, tr["lead"]),
                    reason=Reason.TASK_LATE,
                    title=f"{_REASON_ZH[Reason.TASK_LATE]}：{tr['task']}",
                    detail=detail,
                    who=who,
                    today=today,
                    due_days=due_days,
                )
                raised.append(_item_dict(s, item, today))
    return raised


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}".rstrip("0").rstrip(".")


def _target_detail(r: dict[str, Any]) -> str:
    """One line saying what the target asks, where it should be, where it is (in the indicator's unit)."""
    tg, actual, unit = r["target"], r["actual"], r["unit"] or ""
    asked = {
        "growth": f"年均增长{_fmt(tg['value'])}%",
        "change": f"比基期提高{_fmt(tg['value'])}{tg['unit'] or ''}",
    }
    parts = [
        f"{r['indicator']}：{asked.get(tg['kind'], '目标')}（{tg['year']}年应达 {_fmt(r['goal'])}{unit}）",
        f"按进度{actual['year']}年应为 {_fmt(r['expected'])}{unit}" if r["expected"] is not None else None,
        f"实际 {_fmt(actual['value'])}{unit}（{actual['year']}年）"
        if actual["value"] is not None
        else "无数据",
        f"进度比 {_fmt(r['ratio'])}" if r["ratio"] is not None else None,
        r["reason"],
    ]
    return "；".join(p for p in parts if p)


def raise_item(
    settings: Settings,
    *,
    target_id: int | None = None,
    task_id: int | None = None,
    text: str,
    department: str | None = None,
    due_days: int = REPLY_DAYS,
    today: date | None = None,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity supervise raise``: a person raises an item about one target or task."""
    if (target_id is None) == (task_id is None):
        raise UserInputError("give exactly one of --target or --task", source="supervise raise")
    if not text.strip():
        raise UserInputError("say what the matter is", source="--text")
    today = today or date.today()
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        subject, sid = ("target", target_id) if target_id is not None else ("task", task_id)
        assert sid is not None
        row: TargetRow | DutyRow | None = (
            s.get(TargetRow, sid) if subject == "target" else s.get(DutyRow, sid)
        )
        if row is None:
            raise NotFoundError(f"no {subject} with id {sid}", source="supervise raise")
        if repo.open_item_for(s, subject, sid) is not None:
            raise UserInputError(f"{subject} {sid} already has an open item", source="supervise raise")
        plan = s.get(PlanRow, row.plan_id)
        label = row.indicator if isinstance(row, TargetRow) else (row.task or row.text[:40])
        item = _new_item(
            s,
            subject=subject,
            subject_id=sid,
            plan_id=row.plan_id,
            department_id=_dept_id(s, plan, [department] if department else []),
            reason=Reason.MANUAL,
            title=f"{_REASON_ZH[Reason.MANUAL]}：{label}",
            detail=text,
            who=who,
            today=today,
            due_days=due_days,
        )
        return _item_dict(s, item, today)


def act(
    settings: Settings,
    item_id: int,
    action: str,
    *,
    text: str | None = None,
    new_due: date | None = None,
    expect_status: str | None = None,
    today: date | None = None,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity supervise respond|extend|close|escalate``: one lifecycle step, recorded with who and when.

    An extension moves the reply deadline to ``new_due`` (required, and later than the current one).
    ``expect_status`` is the status the user was looking at: if the item has moved on since, the step is
    refused with ``ConflictError`` instead of being applied to a state nobody saw.
    """
    today = today or date.today()
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        item = s.get(repo.SupervisionItem, item_id)
        if item is None:
            raise NotFoundError(f"no supervision item with id {item_id}", source=f"supervise {action}")
        if expect_status is not None and item.status != expect_status:
            raise ConflictError(
                f"supervision item {item_id} is now {item.status}, not {expect_status}; look at it again"
            )
        return step_in(s, item, action, who=who, text=text, new_due=new_due, today=today)


def step_in(
    s: Session,
    item: repo.SupervisionItem,
    action: str,
    *,
    who: str,
    text: str | None = None,
    new_due: date | None = None,
    today: date,
) -> dict[str, Any]:
    """Apply one step to ``item`` as read in ``s``; ``ConflictError`` if someone moved it since."""
    try:
        step = apply(item.status, action, extensions=item.extensions, comment=text)
    except TransitionError as exc:
        raise UserInputError(str(exc), source=f"supervise {action} {item.id}") from None
    if action == "extend":
        if new_due is None:
            raise UserInputError("an extension needs the new date", source="--until")
        if item.due_on is not None and new_due <= item.due_on:
            raise UserInputError(f"the new date must be after {item.due_on}", source="--until")
    before = item.status
    # Optimistic check: the step applies only if nobody moved the item since it was read; two people
    # closing and extending at once must not both win.
    moved = s.execute(
        update(repo.SupervisionItem)
        .where(
            repo.SupervisionItem.id == item.id,
            repo.SupervisionItem.status == before,
            repo.SupervisionItem.extensions == item.extensions,
        )
        .values(status=step.status.value, extensions=step.extensions, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"supervision item {item.id} was changed by someone else; look at it again")
    item.status, item.extensions = step.status.value, step.extensions
    if new_due is not None and action == "extend":
        audit.record(
            s,
            actor=who,
            action="supervise.extend",
            entity="supervision_items",
            entity_id=item.id,
            field="due_on",
            before=item.due_on,
            after=new_due,
            comment=text,
        )
        item.due_on = new_due
    _event(s, item, action=action, before=before, who=who, text=text, new_due=new_due)
    s.flush()
    return _item_dict(s, item, today, events=True)


def list_items(
    settings: Settings,
    *,
    include_closed: bool = False,
    item_id: int | None = None,
    region: str | None = None,
    today: date | None = None,
    store: Store | None = None,
) -> list[dict[str, Any]]:
    """``innocity supervise list`` (or ``show`` with ``item_id``): items, newest first, with their history;
    ``region`` keeps the items of plans of that region and the regions under it."""
    today = today or date.today()
    with opened(settings, store) as st, st.session() as s:
        if item_id is not None:
            item = s.get(repo.SupervisionItem, item_id)
            if item is None:
                raise NotFoundError(f"no supervision item with id {item_id}", source="supervise show")
            return [_item_dict(s, item, today, events=True)]
        plan_ids = None
        if region:
            scope = region_scope(s, region)
            plan_ids = list(s.scalars(select(PlanRow.id).where(PlanRow.region_id.in_(scope))))
        items = repo.list_items(s, plan_ids=plan_ids, include_closed=include_closed)
        return [_item_dict(s, i, today) for i in items]


def _item_dict(
    s: Session, item: repo.SupervisionItem, today: date, *, events: bool = False
) -> dict[str, Any]:
    dept = s.get(Department, item.department_id) if item.department_id else None
    plan = s.get(PlanRow, item.plan_id) if item.plan_id else None
    out: dict[str, Any] = {
        "id": item.id,
        "region": plan.region.name if plan and plan.region else None,
        "subject": item.subject,
        "subject_id": item.subject_id,
        "plan_id": item.plan_id,
        "department": dept.name if dept else None,
        "reason": item.reason,
        "title": item.title,
        "detail": item.detail,
        "status": item.status,
        "extensions": item.extensions,
        "due_on": item.due_on,
        "reply_overdue": is_item_overdue(item.status, item.due_on, today),
        "raised_by": item.raised_by,
        "raised_at": item.raised_at,
    }
    if events:
        s.flush()
        out["events"] = [
            {
                "action": e.action,
                "step": ACTION_ZH.get(e.action, e.action),
                "from": e.from_status,
                "to": e.to_status,
                "text": e.text,
                "new_due_on": e.new_due_on,
                "by": e.actor,
                "at": e.at,
            }
            for e in s.scalars(
                select(repo.SupervisionEvent)
                .where(repo.SupervisionEvent.item_id == item.id)
                .order_by(repo.SupervisionEvent.id)
            )
        ]
    return out
