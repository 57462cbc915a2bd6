"""Resolving what a plan left open (``innocity targets set``): a target's deadline year behind a masked one,
its baseline, and the departments that answer for it. Every change is audited with who and when.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innocity.errors import NotFoundError, UserInputError
from innocity.settings import Settings
from innocity.storage import audit
from innocity.storage import plans as plan_repo
from innocity.storage import regions as region_repo
from innocity.storage import tracking as repo
from innocity.storage.tables import PlanRow, TargetRow, utcnow

from .store import Store
from .tracking import opened


def set_target(
    settings: Settings,
    target_id: int,
    *,
    year: int | None = None,
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    comment: str | None = None,
    user: str | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """``innocity targets set``: resolve a target's deadline year, baseline or departments; audited."""
    if year is None and baseline_year is None and baseline_value is None and not lead and not support:
        raise UserInputError(
            "nothing to set: give --year, --baseline-year, --baseline-value, --lead or --support"
        )
    for name, y in (("--year", year), ("--baseline-year", baseline_year)):
        if y is not None and not 1949 <= y <= 2100:
            raise UserInputError(f"year out of range: {y}", source=name)
    with opened(settings, store) as st, st.session() as s:
        who = user or st.user
        t = resolve_in(
            s,
            target_id,
            who=who,
            year=year,
            baseline_year=baseline_year,
            baseline_value=baseline_value,
            lead=lead,
            support=support,
            comment=comment,
        )
        return {
            "target_id": t.id,
            "year": t.effective_year,
            "baseline_year": t.baseline_year,
            "baseline_value": t.baseline_value,
            "set_by": who,
            "history": [
                {"at": e.at, "actor": e.actor, "field": e.field, "before": e.before, "after": e.after}
                for e in audit.history(s, "targets", t.id)
            ],
        }


def resolve_in(
    s: Session,
    target_id: int,
    *,
    who: str,
    year: int | None = None,
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    lead: list[str] | None = None,
    support: list[str] | None = None,
    comment: str | None = None,
) -> TargetRow:
    """The body of ``set_target`` inside the caller's transaction (the demo resolves many at once)."""
    t = s.get(TargetRow, target_id)
    if t is None or t.retired_in is not None:
        raise NotFoundError(f"no current target with id {target_id}", source="targets set")
    if baseline_value is not None and baseline_year is None and t.baseline_year is None:
        raise UserInputError(
            f"target {target_id} has no baseline year: give --baseline-year with --baseline-value",
            source="--baseline-value",
        )
    now = utcnow()
    changes: dict[str, Any] = {}
    if year is not None:
        plan_repo.resolve_year(s, t, year, by=who)
        if comment:
            audit.record(
                s,
                actor=who,
                action="note",
                entity="targets",
                entity_id=t.id,
                field="resolved_year",
                after=year,
                comment=comment,
            )
    if baseline_year is not None:
        changes["baseline_year"] = baseline_year
    if baseline_value is not None:
        changes["baseline_value"] = baseline_value
    for field, new in changes.items():
        old = getattr(t, field)
        setattr(t, field, new)
        audit.record(
            s,
            actor=who,
            action="resolve",
            entity="targets",
            entity_id=t.id,
            field=field,
            before=old,
            after=new,
            comment=comment,
        )
    plan = s.get(PlanRow, t.plan_id)
    region_id = plan.region_id if plan else None
    for role, names in (("lead", lead or []), ("support", support or [])):
        for name in names:
            dept = region_repo.get_or_create_department(s, region_id, name)
            exists = s.get(repo.TargetDepartment, (t.id, dept.id, role))
            if exists is None:
                s.add(
                    repo.TargetDepartment(
                        target_id=t.id, department_id=dept.id, role=role, assigned_by=who, assigned_at=now
                    )
                )
                audit.record(
                    s,
                    actor=who,
                    action="assign",
                    entity="targets",
                    entity_id=t.id,
                    field=f"department.{role}",
                    after=dept.name,
                    comment=comment,
                )
    s.flush()
    return t
