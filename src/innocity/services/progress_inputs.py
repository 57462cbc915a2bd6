"""The two steps of progress (``tracking.progress``): what a plan's targets need that does not depend on the
evaluation year, read once (``prepare_plans``: the targets with their baselines in the indicator's unit, their
figures as one series per target, their departments), and the assessment of each target in one year from it
(``assess_prepared``).

The first step reads the store; the second does not. So a caller that sees the same state of the store many
times (the web application: every request carries the store's freshness stamp) may keep the prepared plans
(``PreparedStore``) and assess a city's targets in any year without reading them again. Which plans a caller
may see is decided on every call: a kept plan outside the actor's scope is refused like an unknown one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from innocity.catalog import Catalog
from innocity.catalog.units import convert
from innocity.domain.progress import STATUSES, ReadingTuple, TargetSpec, assess, known_series
from innocity.errors import NotFoundError, UserInputError
from innocity.storage import plans as plan_repo
from innocity.storage import tracking as repo
from innocity.storage.tables import Department, FactRow, PlanRow, Region, TargetRow

from .context import Permission, UnitOfWork, today_or
from .models import ActualInfo, BaselineInfo, ProgressRow, TargetGoal

YEAR_RANGE = (1949, 2100)


def check_year(year: int | None, *, field: str = "year") -> int | None:
    """A year a person gave (evaluation year, deadline, baseline): refused outside 1949–2100."""
    if year is not None and not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise UserInputError(f"year out of range ({YEAR_RANGE[0]}–{YEAR_RANGE[1]}): {year}", field=field)
    return year


class Units:
    """Canonical unit, direction and dimension per indicator code, from the process's catalogue."""

    def __init__(self, catalog: Catalog) -> None:
        self._cat = catalog

    def info(self, code: str | None) -> tuple[str | None, int | None]:
        if not code or code not in self._cat:
            return None, None
        ind = self._cat.get(code)
        return ind.unit, ind.direction

    def dimension(self, code: str | None) -> str | None:
        return self._cat.get(code).dimension if code and code in self._cat else None

    def convert(self, value: float | None, unit: str | None, code: str | None) -> float | None:
        """``value`` in ``unit`` → the indicator's unit; unchanged when either unit is unknown or equal.

        Raises ``UnitError`` when they cannot be converted (亿元 into 件).
        """
        canon, _ = self.info(code)
        if value is None or not unit or not canon or unit == canon:
            return value
        return float(convert(value, unit, canon))


def _readings(s: Session, region_ids: set[int], codes: set[str]) -> dict[tuple[int, str], list[ReadingTuple]]:
    out: dict[tuple[int, str], list[ReadingTuple]] = defaultdict(list)
    days: dict[str, date] = {}  # dates arrive as text, parsed once per distinct day
    for rid, code, year, value, known, status, oid in repo.yearly_figures(s, region_ids, codes):
        day = days.get(known)
        if day is None:
            day = days[known] = date.fromisoformat(str(known)[:10])
        out[(rid, code)].append((year, value, day, status == "approved", oid))
    return out


def departments_of_targets(s: Session, target_ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Lead and supporting departments (names) assigned to each target."""
    out: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"lead": [], "support": []})
    if not target_ids:
        return out
    q = (
        select(repo.TargetDepartment.target_id, repo.TargetDepartment.role, Department.name)
        .join(Department, Department.id == repo.TargetDepartment.department_id)
        .where(repo.TargetDepartment.target_id.in_(target_ids))
        .order_by(repo.TargetDepartment.assigned_at)
    )
    for tid, role, name in s.execute(q):
        out[tid][role].append(name)
    return out


# ---------------------------------------------------------------- the two steps


def _baseline(
    t: TargetRow, facts: list[FactRow], series: list[tuple[int, float]], units: Units
) -> tuple[int | None, float | None, str | None]:
    """(year, value in canonical unit, where it came from)."""
    if t.baseline_value is not None and t.baseline_year is not None:
        return t.baseline_year, t.baseline_value, "set"
    by_code = [f for f in facts if t.indicator_code and f.indicator_code == t.indicator_code and f.year]
    if t.baseline_year is not None:
        by_code = [f for f in by_code if f.year == t.baseline_year]
    deadline = t.effective_year
    by_code = [f for f in by_code if deadline is None or (f.year or 0) < deadline]
    if by_code:
        f = max(by_code, key=lambda f: f.year or 0)
        return f.year, units.convert(f.value, f.unit, t.indicator_code), "plan"
    if t.baseline_year is not None:
        found = [v for y, v in series if y == t.baseline_year]
        return t.baseline_year, (found[0] if found else None), ("observation" if found else None)
    return None, None, None


# the fields of a row that each assessment sets (assess_prepared), as a prepared row holds them until then
_YEARLY_PLACEHOLDERS: dict[str, Any] = {
    "goal": None, "expected": None, "actual": None, "ratio": None, "projected": None, "projected_met": None,
    "status": "needs_input", "direction": None, "reason": None, "lead": [], "support": [], "evaluated_year": 0,
    "draft_actual": False,
}


@dataclass(frozen=True, slots=True)
class PreparedTarget:
    """What a target's progress needs that does not depend on the evaluation year: its spec (baseline
    folded in), its figures as one series, and its row with every field that the year does not change."""

    target_id: int
    # the row's fields that do not depend on the evaluation year; each assessment is a copy of it with the
    # others filled in (``model_copy``: a shallow copy costs half of building the row field by field)
    row: ProgressRow
    spec: TargetSpec
    series: list[tuple[int, float]]
    readings: list[ReadingTuple]
    unit_reason: str | None  # the unit could not be converted
    unmatched: bool  # no indicator code, so no figures can be found
    lead: tuple[str, ...]
    support: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreparedPlan:
    """The current targets of one plan, prepared (``prepare_plans``) for one reading of the figures
    (``include_draft``, ``as_of``). A value: it may be kept while the store's freshness stamp holds."""

    plan_id: int
    region_id: int | None
    targets: tuple[PreparedTarget, ...]


class AssessedStore(Protocol):
    """Where a caller keeps assessed rows between calls (``progress_view.scoped_progress``), under the
    same freshness as its ``PreparedStore``."""

    def get(self, key: Hashable) -> list[ProgressRow] | None: ...

    def put(self, key: Hashable, value: list[ProgressRow]) -> None: ...


class PreparedStore(Protocol):
    """Where a caller keeps prepared plans between calls (the web application: ``web.cache``, keyed on the
    store's freshness stamp, so a write anywhere makes every kept plan unreachable)."""

    def get(self, key: Hashable) -> PreparedPlan | None: ...

    def put(self, key: Hashable, value: PreparedPlan) -> None: ...


def prepare_plans(
    w: UnitOfWork,
    *,
    plan_ids: list[int],
    include_draft: bool = False,
    as_of: date | None = None,
    kept: PreparedStore | None = None,
) -> list[PreparedPlan]:
    """The plans' current targets prepared for ``assess_prepared``, in ``plan_ids``' order; plans outside
    the actor's scope are ``NotFoundError``. With ``kept``, plans prepared before are taken from it and the
    others are read in one pass and put there (the caller keeps it fresh)."""
    w.require(Permission.READ)
    found: dict[int, PreparedPlan] = {}
    missing = []
    for pid in plan_ids:
        hit = kept.get((pid, include_draft, as_of)) if kept is not None else None
        if hit is None and kept is not None:
            other = kept.get((pid, not include_draft, as_of))
            if other is not None and _all_approved(other):
                hit = other  # no figure of the plan awaits approval: both readings are the same
                kept.put((pid, include_draft, as_of), hit)
        if hit is None:
            missing.append(pid)
        else:
            found[pid] = hit
    if missing:
        for prepared in _prepare(w, missing, include_draft=include_draft, as_of=as_of):
            found[prepared.plan_id] = prepared
            if kept is not None:
                kept.put((prepared.plan_id, include_draft, as_of), prepared)
    for pid in plan_ids:  # kept or read, a plan is shown only inside the actor's scope
        if not w.in_scope(found[pid].region_id):
            raise NotFoundError(f"no plan with id {pid}", field="plan_id")
    return [found[pid] for pid in plan_ids]


def _all_approved(plan: PreparedPlan) -> bool:
    """Every figure the plan's targets read is approved, so counting drafts changes nothing: the target
    page, which shows both readings, then prepares the plan once instead of twice."""
    return all(r[3] for t in plan.targets for r in t.readings)


def _prepare(w: UnitOfWork, plan_ids: list[int], *, include_draft: bool, as_of: date | None) -> list[PreparedPlan]:
    s = w.session
    # only the columns tracking reads: a plan row also carries its whole parsed JSON
    q = select(PlanRow).options(load_only(PlanRow.id, PlanRow.region_id, PlanRow.title))
    plans = {p.id: p for p in s.scalars(q.where(PlanRow.id.in_(set(plan_ids))))}
    for pid in plan_ids:
        if pid not in plans:
            raise NotFoundError(f"no plan with id {pid}", field="plan_id")
    by_plan: dict[int, list[TargetRow]] = defaultdict(list)
    for t in plan_repo.targets(s, plan_ids=plan_ids):
        by_plan[t.plan_id].append(t)
    facts: dict[int, list[FactRow]] = defaultdict(list)
    for f in s.scalars(select(FactRow).where(FactRow.plan_id.in_(plan_ids), FactRow.retired_in.is_(None))):
        facts[f.plan_id].append(f)
    all_targets = [t for pid in plan_ids for t in by_plan[pid]]
    readings = _readings(
        s,
        {p.region_id for p in plans.values() if p.region_id is not None},
        {t.indicator_code for t in all_targets if t.indicator_code},
    )
    depts = departments_of_targets(s, [t.id for t in all_targets])
    regions = {r.id: r for r in s.scalars(select(Region).where(Region.id.in_({p.region_id for p in plans.values()})))}
    units = Units(w.catalog)
    out = []
    for pid in plan_ids:
        p = plans[pid]
        region = regions.get(p.region_id or -1)
        prepared = []
        for t in by_plan[pid]:
            found = readings.get((p.region_id or -1, t.indicator_code or ""), [])
            series = known_series(found, as_of=as_of, include_draft=include_draft)
            prepared.append(_prepared(t, p, facts[pid], found, series, units, depts[t.id], region))
        out.append(PreparedPlan(plan_id=pid, region_id=p.region_id, targets=tuple(prepared)))
    return out


def _prepared(
    t: TargetRow,
    p: PlanRow,
    facts: list[FactRow],
    found: list[ReadingTuple],
    series: list[tuple[int, float]],
    units: Units,
    depts: dict[str, list[str]],
    region: Region | None,
) -> PreparedTarget:
    canon, cat_dir = units.info(t.indicator_code)
    reason: str | None = None
    try:
        by, bv, bsrc = _baseline(t, facts, series, units)
        value, value_max = t.value, t.value_max
        if t.kind == "level":
            value = units.convert(value, t.unit, t.indicator_code)
            value_max = units.convert(value_max, t.unit, t.indicator_code)
    except UserInputError as exc:
        by, bv, bsrc, value, value_max = None, None, None, None, None
        reason = f"unit: {exc.message}"
    spec = TargetSpec(
        kind=t.kind,  # type: ignore[arg-type]
        comparator=t.comparator,  # type: ignore[arg-type]
        value=value,
        year=t.effective_year,
        value_max=value_max,
        unit=t.unit,
        approximate=t.approximate,
        baseline_year=by,
        baseline_value=bv,
        catalog_direction=cat_dir,
    )
    # model_construct: every value comes from the store's typed columns or from the line above, already of
    # the field's type, so validating them again on every request would only cost time
    row = ProgressRow.model_construct(
        **_YEARLY_PLACEHOLDERS,
        target_id=t.id,
        plan_id=p.id,
        region=region.name if region else None,
        region_adcode=region.adcode if region else None,
        plan_title=p.title,
        indicator=t.indicator,
        indicator_code=t.indicator_code,
        dimension=units.dimension(t.indicator_code),
        text=t.text,
        span=(t.span_start, t.span_end) if t.span_start is not None and t.span_end is not None else None,
        version=t.version,
        unit=canon or t.unit,
        baseline=BaselineInfo.model_construct(year=by, value=bv, source=bsrc),
        target=TargetGoal.model_construct(
            year=t.effective_year,
            year_text=t.year_text,
            value=t.value,
            value_max=t.value_max,
            unit=t.unit,
            comparator=t.comparator,
            kind=t.kind,
            approximate=t.approximate,
        ),
    )
    return PreparedTarget(
        target_id=t.id,
        row=row,
        spec=spec,
        series=series,
        readings=found,
        unit_reason=reason,
        unmatched=not t.indicator_code,
        lead=tuple(depts["lead"]),
        support=tuple(depts["support"]),
    )


def check_filters(*, statuses: list[str] | None, year: int | None) -> None:
    """Refuse an unknown status or an evaluation year out of range (before any reading)."""
    unknown = set(statuses or []) - set(STATUSES)
    if unknown:
        raise UserInputError(f"unknown status {sorted(unknown)[0]!r} ({', '.join(STATUSES)})", field="status")
    check_year(year)


def assess_prepared(
    w: UnitOfWork,
    *,
    plans: list[PreparedPlan],
    year: int | None = None,
    as_of: date | None = None,
    include_draft: bool = False,
    statuses: list[str] | None = None,
    department: str | None = None,
    dimension: str | None = None,
    target_ids: list[int] | None = None,
) -> list[ProgressRow]:
    """The progress rows of prepared plans (``prepare_plans``, with the same ``include_draft``) in
    evaluation ``year``: the filters of ``progress``, then one assessment per target."""
    w.require(Permission.READ)
    check_filters(statuses=statuses, year=year)
    eval_year = year or today_or(as_of).year
    wanted = set(target_ids) if target_ids is not None else None
    dim = dimension.upper() if dimension else None
    thresholds = w.thresholds
    rows = []
    for plan in plans:
        for pt in plan.targets:
            if wanted is not None and pt.target_id not in wanted:
                continue
            if dim and pt.row.dimension != dim:
                continue
            if department and department not in pt.lead and department not in pt.support:
                continue
            res = assess(pt.spec, pt.series, year=eval_year, thresholds=thresholds)
            reason = pt.unit_reason
            if pt.unmatched and res.status == "no_data":
                reason = "indicator not matched to the catalogue, so no figures can be found"
            draft_actual = False
            if include_draft and res.actual_year is not None:
                draft_actual = not any(r[0] == res.actual_year and r[3] for r in pt.readings)
            # not validated: see _prepared; assess returns floats, ints and strings of the fields' types
            rows.append(pt.row.model_copy(update={
                "goal": res.goal,
                "expected": res.expected,
                "actual": ActualInfo.model_construct(year=res.actual_year, value=res.actual),
                "ratio": res.ratio,
                "projected": res.projected,
                "projected_met": res.projected_met,
                "status": res.status,
                "direction": res.direction,
                "reason": reason or res.reason,
                "lead": list(pt.lead),
                "support": list(pt.support),
                "evaluated_year": eval_year,
                "draft_actual": draft_actual,
            }))
    return [r for r in rows if r.status in statuses] if statuses else rows
