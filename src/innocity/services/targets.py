"""Resolving and reviewing targets: what ``innocity targets set`` and the review workspace change.

``set_target`` resolves what a plan left open (a deadline year behind a masked one, a baseline, the
departments that answer for a target; departments are added). ``update_target`` is the review workspace's
and ``PATCH /api/v1/targets/{id}``'s: confirm or reject, edit value, range, unit, comparator, year and
indicator, and replace the lead and supporting departments, under optimistic locking (the caller sends the
version it read). Every change is audited with who and when.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from innocity.errors import ConflictError, NotFoundError, UserInputError
from innocity.storage import audit
from innocity.storage import plans as plan_repo
from innocity.storage import regions as region_repo
from innocity.storage import tracking as repo
from innocity.storage.tables import PlanRow, TargetRow, utcnow

from .context import Permission, UnitOfWork
from .models import AuditEntryOut, Model, PlanItem, TargetResolution
from .tracking import check_year, departments_of_targets

COMPARATORS = (">=", "<=", "=", "range")
UNIT_MAX = 50


def target_in_scope(w: UnitOfWork, *, target_id: int) -> TargetRow:
    """The current target ``target_id`` if the actor may see it, else ``NotFoundError``."""
    t = w.session.get(TargetRow, target_id)
    plan = w.session.get(PlanRow, t.plan_id) if t is not None else None
    if t is None or t.retired_in is not None or plan is None or not w.in_scope(plan.region_id):
        raise NotFoundError(f"no current target with id {target_id}", field="target_id")
    return t


def history(s: Session, entity: str, entity_id: int) -> list[AuditEntryOut]:
    """An item's audit history, oldest first, with before/after decoded from their JSON text."""
    import json

    def decode(v: str | None) -> object:
        if v is None:
            return None
        try:
            return json.loads(v)
        except ValueError:
            return v

    return [
        AuditEntryOut(
            at=e.at, actor=e.actor, action=e.action, field=e.field,
            before=decode(e.before), after=decode(e.after), comment=e.comment,
        )
        for e in audit.history(s, entity, entity_id)
    ]


def set_target(
    w: UnitOfWork,
    *,
    target_id: int,
    year: int | None = None,
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    comment: str | None = None,
) -> TargetResolution:
    """Resolve a target's deadline year, baseline or departments (added to those it has); audited."""
    w.require(Permission.REVIEW_PLAN)
    if year is None and baseline_year is None and baseline_value is None and not lead and not support:
        raise UserInputError("nothing to set: give a year, a baseline year or value, or departments")
    t = resolve_in(
        w,
        target_id,
        year=year,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        lead=lead,
        support=support,
        comment=comment,
    )
    return TargetResolution(
        target_id=t.id,
        year=t.effective_year,
        baseline_year=t.baseline_year,
        baseline_value=t.baseline_value,
        set_by=w.user,
        history=history(w.session, "targets", t.id),
    )


def _finite(value: float | None, field: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise UserInputError(f"not a finite number: {value}", field=field)
    return value


def resolve_in(
    w: UnitOfWork,
    target_id: int,
    *,
    year: int | None = None,
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    comment: str | None = None,
) -> TargetRow:
    """The body of ``set_target`` inside the caller's unit of work (the demo resolves many at once)."""
    s, who = w.session, w.user
    check_year(year)
    check_year(baseline_year, field="baseline_year")
    _finite(baseline_value, "baseline_value")
    t = target_in_scope(w, target_id=target_id)
    if baseline_value is not None and baseline_year is None and t.baseline_year is None:
        raise UserInputError(
            f"target {target_id} has no baseline year: give the baseline year with the value",
            field="baseline_value",
        )
    if year is not None:
        plan_repo.resolve_year(s, t, year, by=who)
        if comment:
            audit.record(
                s, actor=who, action="note", entity="targets", entity_id=t.id,
                field="resolved_year", after=year, comment=comment,
            )
    changes = {k: v for k, v in (("baseline_year", baseline_year), ("baseline_value", baseline_value)) if v is not None}
    audit.update_fields(s, t, changes, actor=who, action="resolve", comment=comment)
    _assign(w, t, {"lead": lead or [], "support": support or []}, comment=comment, replace=False)
    s.flush()
    return t


def _assign(
    w: UnitOfWork, t: TargetRow, roles: dict[str, list[str]], *, comment: str | None, replace: bool
) -> bool:
    """Add (or, with ``replace``, set) the target's departments per role; audited. True if anything changed."""
    s, who = w.session, w.user
    plan = s.get(PlanRow, t.plan_id)
    region_id = plan.region_id if plan else None
    changed = False
    for role, names in roles.items():
        wanted = [region_repo.get_or_create_department(s, region_id, n, field=role) for n in names]
        if replace:
            have = {
                d.department_id
                for d in s.scalars(
                    select(repo.TargetDepartment).where(
                        repo.TargetDepartment.target_id == t.id, repo.TargetDepartment.role == role
                    )
                )
            }
            gone = have - {d.id for d in wanted}
            if gone:
                s.execute(
                    delete(repo.TargetDepartment).where(
                        repo.TargetDepartment.target_id == t.id,
                        repo.TargetDepartment.role == role,
                        repo.TargetDepartment.department_id.in_(gone),
                    )
                )
                audit.record(
                    s, actor=who, action="unassign", entity="targets", entity_id=t.id,
                    field=f"department.{role}", before=sorted(gone), comment=comment,
                )
                changed = True
        for dept in wanted:
            if s.get(repo.TargetDepartment, (t.id, dept.id, role)) is None:
                s.add(
                    repo.TargetDepartment(
                        target_id=t.id, department_id=dept.id, role=role, assigned_by=who, assigned_at=utcnow()
                    )
                )
                audit.record(
                    s, actor=who, action="assign", entity="targets", entity_id=t.id,
                    field=f"department.{role}", after=dept.name, comment=comment,
                )
                changed = True
    return changed


class TargetPatch(Model):
    """A change to one target from the review workspace or ``PATCH /api/v1/targets/{id}``.

    Only the fields present are changed (``model_fields_set``); ``lead``/``support`` replace the lists.
    """

    version: int = Field(ge=1)
    review: Literal["confirmed", "rejected"] | None = None
    comment: str | None = Field(default=None, max_length=2000)
    value: float | None = None
    value_max: float | None = None
    unit: str | None = Field(default=None, max_length=UNIT_MAX)
    comparator: Literal[">=", "<=", "=", "range"] | None = None
    year: int | None = None
    indicator_code: str | None = Field(default=None, max_length=64)
    lead: list[str] | None = None
    support: list[str] | None = None


EDITABLE = ("value", "value_max", "unit", "comparator", "year", "indicator_code")


def update_target(w: UnitOfWork, *, target_id: int, patch: TargetPatch) -> PlanItem:
    """Review one target: confirm/reject, edit fields, replace departments; 409 on a stale version."""
    w.require(Permission.REVIEW_PLAN)
    s = w.session
    t = target_in_scope(w, target_id=target_id)
    if t.version != patch.version:
        raise ConflictError("已被他人修改，请刷新后再试", field="version")
    given = patch.model_fields_set
    for name in ("value", "value_max"):
        _finite(getattr(patch, name), name)
    if "year" in given:
        check_year(patch.year)
    if "indicator_code" in given and patch.indicator_code and patch.indicator_code not in w.catalog:
        raise UserInputError(f"unknown indicator {patch.indicator_code!r}", field="indicator_code")
    comparator = patch.comparator if "comparator" in given else t.comparator
    value = patch.value if "value" in given else t.value
    value_max = patch.value_max if "value_max" in given else t.value_max
    if comparator == "range" and (value is None or value_max is None or value_max < value):
        raise UserInputError("a range needs a lower and a higher bound", field="value_max")
    edits: dict[str, object] = {}
    for name in EDITABLE:
        if name in given and name != "year":
            edits[name] = getattr(patch, name)
    if "unit" in given:
        edits["unit"] = (patch.unit or "").strip() or None
    if "indicator_code" in given:
        edits["match_score"] = None  # a person chose it; the matcher's score no longer applies
    changed = plan_repo.edit_item(s, t, edits, by=w.user, comment=patch.comment) if edits else []
    if "year" in given and patch.year is not None and patch.year != t.effective_year:
        plan_repo.resolve_year(s, t, patch.year, by=w.user)
        t.review_state, t.edited_by, t.edited_at = "edited", w.user, utcnow()
        changed.append("year")
    roles: dict[str, list[str]] = {
        r: getattr(patch, r) for r in ("lead", "support") if r in given and getattr(patch, r) is not None
    }
    if roles and _assign(w, t, roles, comment=patch.comment, replace=True):
        changed.append("departments")
        t.edited_by, t.edited_at = w.user, utcnow()  # the row changes too, so its version moves on
    if patch.review is not None:
        # confirming together with an edit keeps "edited": the reviewed value is not the one extracted
        state = "rejected" if patch.review == "rejected" else ("edited" if changed else "confirmed")
        plan_repo.review(s, t, state=state, by=w.user, comment=patch.comment)
        changed.append("review")
    if not changed:
        raise UserInputError("nothing to change")
    s.flush()
    return target_item(w, target=t)


def target_item(w: UnitOfWork, *, target: TargetRow) -> PlanItem:
    """A target as the API's ``Item``, with its departments."""
    item = PlanItem.model_validate(target)
    d = departments_of_targets(w.session, [target.id])[target.id]
    item.lead, item.support = d["lead"], d["support"]
    if target.resolved_year is not None:
        item.year = target.resolved_year
    return item
