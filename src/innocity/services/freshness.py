"""Stamps that change whenever what a read shows could have changed, so a caller (the web application) may
keep a result and serve it again while the stamp stays the same.

A stamp is cheap: a few indexed ``max()``/``count()`` queries instead of the reads it stands for. It rests
on two rules of the store: rows of plans, versions, items and observations are never deleted, and every
change to a stored value leaves a row in the append-only audit log (``storage.audit``). So the highest
audit id, the highest observation id and the highest plan version id together move on with every write,
from this process, another worker or the command line. Scope is checked as the read itself would check it: a
stamp for a plan outside the actor's scope is ``NotFoundError``, as ``show_plan`` is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from innocity.errors import NotFoundError
from innocity.storage.tables import AuditEntry, ObservationRow, PlanRow, PlanVersion

from .context import Permission, UnitOfWork, today_or
from .tracking import check_year, region_scope


def _writes(w: UnitOfWork) -> str:
    """The store's high-water marks in one statement of index lookups: the last audit row (its time too:
    after a restore from backup, ids are reused by different changes), the last observation and the last
    plan version (a new plan or a re-ingested one). Plan rows themselves are not read: their parsed JSON
    sits before most columns, and reading past it costs more than everything else here."""
    last_audit = select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1).scalar_subquery()
    row = w.session.execute(select(
        last_audit,
        select(AuditEntry.at).where(AuditEntry.id == last_audit).scalar_subquery(),
        select(func.max(ObservationRow.id)).scalar_subquery(),
        select(func.max(PlanVersion.id)).scalar_subquery(),
    )).one()
    return ".".join(str(x) for x in row)


def plan_stamp(w: UnitOfWork, *, plan_id: int) -> str:
    """Changes whenever ``plans.show_plan(plan_id)`` could answer differently."""
    w.require(Permission.READ)
    region = w.session.execute(select(PlanRow.region_id).where(PlanRow.id == plan_id)).first()
    if region is None or not w.in_scope(region[0]):
        raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    return f"plan{plan_id}.{_writes(w)}"


def progress_stamp(
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    year: int | None = None,
    include_draft: bool = False,
    today: date | None = None,
) -> str:
    """Changes whenever ``tracking.progress`` with these arguments could answer differently (for the same
    actor scope: the scope is part of the stamp)."""
    w.require(Permission.READ)
    check_year(year)
    scope = region_scope(w, region=region)
    scope_key = "all" if scope is None else ",".join(str(i) for i in sorted(scope))
    if plan_id is not None:
        found = w.session.execute(select(PlanRow.region_id).where(PlanRow.id == plan_id)).first()
        if found is None or not w.in_scope(found[0]):
            raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    day = today_or(today).isoformat()  # the evaluation year defaults to this year, deadlines pass by the day
    return f"progress.{scope_key}.{plan_id}.{year}.{include_draft}.{day}.{w.thresholds}.{_writes(w)}"
