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

from sqlalchemy import bindparam, func, select

from innocity.errors import NotFoundError
from innocity.storage.tables import AuditEntry, ObservationRow, PlanRow, PlanVersion

from .context import Permission, UnitOfWork, today_or
from .tracking import check_year, region_scope

_last_audit = select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1).scalar_subquery()
# Built once: composing this statement cost five times running it, and it runs on every request.
_WRITES = select(
    _last_audit,
    select(AuditEntry.at).where(AuditEntry.id == _last_audit).scalar_subquery(),
    select(func.max(ObservationRow.id)).scalar_subquery(),
    select(func.max(PlanVersion.id)).scalar_subquery(),
)
_PLAN_REGION = select(PlanRow.region_id).where(PlanRow.id == bindparam("plan_id"))


def writes_stamp(w: UnitOfWork) -> str:
    """The store's high-water marks in one statement of index lookups: the last audit row (its time too:
    after a restore from backup, ids are reused by different changes), the last observation and the last
    plan version (a new plan or a re-ingested one). Plan rows themselves are not read: their parsed JSON
    sits before most columns, and reading past it costs more than everything else here.

    Whatever does not depend on who asks or on the day (a plan prepared for tracking, a region's subtree)
    may be kept under this stamp alone; read it before what it stands for, in the same or an earlier
    transaction. The stamp names the database too (its URL and engine): a process may hold several (the
    tests do), whose counters can be equal.

    A unit of work that will not write may carry the stamp read at its start (``UnitOfWork.writes``);
    it is returned as it is."""
    if w.writes is not None:
        return w.writes
    conn = w.session.connection()
    row = conn.execute(_WRITES).one()
    return f"{conn.engine.url}#{id(conn.engine)}." + ".".join(str(x) for x in row)


def _plan_region(w: UnitOfWork, plan_id: int) -> tuple[int | None] | None:
    found = w.session.connection().execute(_PLAN_REGION, {"plan_id": plan_id}).first()
    return None if found is None else (found[0],)


def plan_stamp(w: UnitOfWork, *, plan_id: int, writes: str | None = None) -> str:
    """Changes whenever ``plans.show_plan(plan_id)`` could answer differently (``writes``: the request's
    ``writes_stamp`` when it has one already)."""
    w.require(Permission.READ)
    region = _plan_region(w, plan_id)
    if region is None or not w.in_scope(region[0]):
        raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    return f"plan{plan_id}.{writes or writes_stamp(w)}"


def progress_stamp(
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    year: int | None = None,
    include_draft: bool = False,
    today: date | None = None,
    writes: str | None = None,
) -> str:
    """Changes whenever ``tracking.progress`` with these arguments could answer differently (for the same
    actor scope: the scope is part of the stamp; ``writes``: the request's ``writes_stamp`` when it has one
    already)."""
    w.require(Permission.READ)
    check_year(year)
    scope = region_scope(w, region=region)
    scope_key = "all" if scope is None else ",".join(str(i) for i in sorted(scope))
    if plan_id is not None:
        found = _plan_region(w, plan_id)
        if found is None or not w.in_scope(found[0]):
            raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    day = today_or(today).isoformat()  # the evaluation year defaults to this year, deadlines pass by the day
    return f"progress.{scope_key}.{plan_id}.{year}.{include_draft}.{day}.{w.thresholds}.{writes or writes_stamp(w)}"
