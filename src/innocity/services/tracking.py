"""Tracking use cases: the progress of every stored target (``innocity progress``), and the shared helpers
(finding a region and what lies under it, the current targets) of the other tracking services.

``progress`` reads the current (not superseded, not rejected) targets of the stored plans, finds each one's
baseline and figures, and applies ``innocity.domain.progress``. Where the baseline comes from, in order:
a value a person set (``targets set``), the plan's own fact for the same indicator code (and year, when the
baseline year is known), the stored figure for the baseline year. Values are compared in the indicator's
canonical unit (the catalogue's): the target's value, and a plan fact's value, are converted into it, and a
baseline set by a person is taken to be in it already.

Resolving targets is in ``services.targets``, tasks in ``services.tasks``, scorecards in
``services.scorecard``, supervision (督办) in ``services.supervise``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

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
from .models import ActualInfo, BaselineInfo, ProgressRow, StatusCounts, TargetGoal

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


# ---------------------------------------------------------------- selection


def find_region(w: UnitOfWork, *, region: str, field: str = "region") -> Region:
    """A region in the actor's scope by adcode or name (市 suffix optional); cities before counties."""
    s = w.session
    text = region.strip()
    rows = list(s.scalars(select(Region).where(Region.adcode == text)))
    if not rows:
        names = {text, text + "市", text.removesuffix("市")}
        rows = list(s.scalars(select(Region).where(Region.name.in_(names))))
    rows = [r for r in rows if w.in_scope(r.id)]
    if not rows:
        raise NotFoundError(f"no region called {text!r}", field=field)
    order = {"province": 1, "city": 0, "county": 2}
    return sorted(rows, key=lambda r: order.get(r.level, 3))[0]


def subtree(s: Session, root: int) -> set[int]:
    """``root`` and every region under it (a province covers its cities and counties)."""
    scope, frontier = {root}, {root}
    while frontier:
        frontier = set(s.scalars(select(Region.id).where(Region.parent_id.in_(frontier)))) - scope
        scope |= frontier
    return scope


def region_scope(w: UnitOfWork, *, region: str | None) -> set[int] | None:
    """The regions a filter covers, within the actor's scope; ``None`` when neither limits anything."""
    if region:
        return subtree(w.session, find_region(w, region=region).id)
    ids = w.region_ids
    return None if ids is None else set(ids)


def current_targets(
    w: UnitOfWork, *, region: str | None = None, plan_id: int | None = None
) -> list[tuple[TargetRow, PlanRow]]:
    """Targets of the current plan versions (not retired, not rejected) with their plan, in scope."""
    s = w.session
    if plan_id is not None:
        plan = s.get(PlanRow, plan_id)
        if plan is None or not w.in_scope(plan.region_id):
            raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    scope = region_scope(w, region=region)
    single = next(iter(scope)) if scope is not None and len(scope) == 1 else None
    rows = plan_repo.targets(s, plan_id=plan_id, region_id=single)
    # only the columns tracking reads: a plan row also carries its whole parsed JSON
    q = select(PlanRow).options(load_only(PlanRow.id, PlanRow.region_id, PlanRow.title))
    plans = {p.id: p for p in s.scalars(q.where(PlanRow.id.in_({t.plan_id for t in rows})))}
    return [(t, plans[t.plan_id]) for t in rows if scope is None or plans[t.plan_id].region_id in scope]


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


# ---------------------------------------------------------------- progress


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


def progress(
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    year: int | None = None,
    as_of: date | None = None,
    include_draft: bool = False,
    statuses: list[str] | None = None,
    department: str | None = None,
    dimension: str | None = None,
    target_ids: list[int] | None = None,
) -> list[ProgressRow]:
    """One row per current target with its baseline, goal, figures and status.

    ``year`` is the evaluation year (default: the year of ``as_of``, else this year); ``as_of`` limits the
    figures to those known on that date; drafts count only with ``include_draft``; ``statuses``,
    ``department`` (lead or supporting), ``dimension`` (GOV … DRV) and ``target_ids`` keep only those rows.
    """
    w.require(Permission.READ)
    unknown = set(statuses or []) - set(STATUSES)
    if unknown:
        raise UserInputError(f"unknown status {sorted(unknown)[0]!r} ({', '.join(STATUSES)})", field="status")
    check_year(year)
    eval_year = year or today_or(as_of).year
    units = Units(w.catalog)
    s = w.session
    pairs = current_targets(w, region=region, plan_id=plan_id)
    if target_ids is not None:
        wanted = set(target_ids)
        pairs = [(t, p) for t, p in pairs if t.id in wanted]
    if dimension:
        pairs = [(t, p) for t, p in pairs if units.dimension(t.indicator_code) == dimension.upper()]
    plan_ids = {p.id for _, p in pairs}
    facts: dict[int, list[FactRow]] = defaultdict(list)
    if plan_ids:
        for f in s.scalars(select(FactRow).where(FactRow.plan_id.in_(plan_ids), FactRow.retired_in.is_(None))):
            facts[f.plan_id].append(f)
    readings = _readings(
        s,
        {p.region_id for _, p in pairs if p.region_id is not None},
        {t.indicator_code for t, _ in pairs if t.indicator_code},
    )
    depts = departments_of_targets(s, [t.id for t, _ in pairs])
    regions = {
        r.id: r for r in s.scalars(select(Region).where(Region.id.in_({p.region_id for _, p in pairs})))
    }
    rows = []
    for t, p in pairs:
        d = depts[t.id]
        if department and department not in d["lead"] and department not in d["support"]:
            continue
        key = (p.region_id or -1, t.indicator_code or "")
        found = readings.get(key, [])
        series = known_series(found, as_of=as_of, include_draft=include_draft)
        row = _row(t, p, facts[p.id], series, units, eval_year, w, d, regions.get(p.region_id or -1))
        if include_draft and row.actual.year is not None:
            row.draft_actual = not any(r[0] == row.actual.year and r[3] for r in found)
        rows.append(row)
    return [r for r in rows if r.status in statuses] if statuses else rows


def _row(
    t: TargetRow,
    p: PlanRow,
    facts: list[FactRow],
    series: list[tuple[int, float]],
    units: Units,
    eval_year: int,
    w: UnitOfWork,
    depts: dict[str, list[str]],
    region: Region | None,
) -> ProgressRow:
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
    res = assess(spec, series, year=eval_year, thresholds=w.thresholds)
    if not t.indicator_code and res.status == "no_data":
        reason = "indicator not matched to the catalogue, so no figures can be found"
    return ProgressRow(
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
        baseline=BaselineInfo(year=by, value=bv, source=bsrc),
        target=TargetGoal(
            year=t.effective_year,
            year_text=t.year_text,
            value=t.value,
            value_max=t.value_max,
            unit=t.unit,
            comparator=t.comparator,
            kind=t.kind,
            approximate=t.approximate,
        ),
        goal=res.goal,
        expected=res.expected,
        actual=ActualInfo(year=res.actual_year, value=res.actual),
        ratio=res.ratio,
        projected=res.projected,
        projected_met=res.projected_met,
        status=res.status,
        direction=res.direction,
        reason=reason or res.reason,
        lead=list(depts["lead"]),
        support=list(depts["support"]),
        evaluated_year=eval_year,
    )


def status_counts(rows: list[ProgressRow]) -> StatusCounts:
    """How many targets have each status."""
    c = Counter(r.status for r in rows)
    return StatusCounts(**{k: c.get(k, 0) for k in STATUSES})
