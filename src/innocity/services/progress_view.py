"""What the progress pages show: the table of targets (``/progress``) and one target in detail
(``/progress/{target_id}``), built on ``tracking.progress``.

``scoped_progress`` reads the progress of the targets in the actor's scope in two steps (``tracking``): what
does not depend on the evaluation year (each plan's targets with their baselines, figures and departments)
is prepared once per plan, and may be kept by the caller while the store is unchanged (the web application
keeps it under the freshness stamp); each request then only assesses the targets in its year. The
assessed rows of a set of plans in a year may be kept too (``assessed``), so the table, the dashboard and
the API, which read the same region and year, assess it once between them.

The chart of a target is in its indicator's canonical unit: the baseline, the expected path to the goal
(straight for levels, shares and changes, compound for 年均增长), the goal, every reported figure that was
not rejected (approved ones count; drafts and submitted ones are drawn hollow) and the trend projection
from the latest figure to the deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from innocity.catalog.model import DIMENSION_NAMES
from innocity.domain.progress import STATUSES
from innocity.errors import NotFoundError, UserInputError
from innocity.storage import observations as obs_repo
from innocity.storage.tables import PlanRow, Region, TargetRow
from innocity.storage.tracking import SupervisionItem

from . import observations, supervise
from .context import Permission, UnitOfWork, today_or
from .models import ProgressRow, ScorecardRow
from .models.progress_view import (
    ActualPoint,
    ChartPoint,
    Option,
    ProgressFilters,
    ProgressTable,
    TargetChart,
    TargetDetail,
)
from .regions import list_departments
from .scorecard import build_scorecards
from .targets import history
from .tasks import list_tasks
from .tracking import (
    AssessedStore,
    PreparedStore,
    assess_prepared,
    check_year,
    plans_of,
    prepare_plans,
    region_scope,
    scope_key,
    status_counts,
)

SEVERITY = ("overdue", "off_track", "behind", "no_data", "needs_input", "on_track", "achieved")
SORTS = ("status", "region", "indicator", "ratio", "deadline", "dimension", "department")


def plans_in_scope(w: UnitOfWork, *, region: str | None = None) -> list[tuple[int, str | None, str | None]]:
    """(plan id, title, region name) of the plans in the actor's scope (or ``region`` within it)."""
    w.require(Permission.READ)
    scope = region_scope(w, region=region)
    q = select(PlanRow.id, PlanRow.title, Region.name).outerjoin(Region, Region.id == PlanRow.region_id)
    if scope is not None:
        q = q.where(PlanRow.region_id.in_(sorted(scope)))
    return [(int(i), t, n) for i, t, n in w.session.execute(q.order_by(PlanRow.id))]


def scoped_progress(
    w: UnitOfWork,
    *,
    region: str | None = None,
    plan_id: int | None = None,
    year: int | None = None,
    include_draft: bool = False,
    department: str | None = None,
    dimension: str | None = None,
    kept: PreparedStore | None = None,
    assessed: AssessedStore | None = None,
    today: date | None = None,
) -> list[ProgressRow]:
    """``tracking.progress`` for the actor's scope (or ``region`` or ``plan_id`` within it); with ``kept``,
    the plans' year-independent preparation is taken from it when it holds them, and with ``assessed`` the
    rows themselves, under the plans in scope, the year and the filters (see the module docstring). The
    list is the caller's own; the rows in it are shared and are not to be changed."""
    w.require(Permission.READ)
    plan_ids = plans_of(w, region=region, plan_id=plan_id)  # the actor's scope, read on every call
    key = (tuple(plan_ids), year or today_or(today).year, include_draft, department, dimension, w.thresholds)
    rows = assessed.get(key) if assessed is not None else None
    if rows is None:
        prepared = prepare_plans(w, plan_ids=plan_ids, include_draft=include_draft, kept=kept)
        rows = assess_prepared(w, plans=prepared, year=key[1], include_draft=include_draft,
                               department=department, dimension=dimension)
        if assessed is not None:
            assessed.put(key, rows)
    return list(rows)


def _missing(sort: str, r: ProgressRow) -> bool:
    """Rows with nothing to sort by (no ratio, no deadline …) go last in either direction."""
    return {"ratio": r.ratio is None, "deadline": r.target.year is None, "dimension": r.dimension is None,
            "department": not r.lead}.get(sort, False)


def _sort_key(sort: str) -> object:
    order = {s: i for i, s in enumerate(SEVERITY)}
    keys = {
        "status": lambda r: (order.get(r.status, 9), r.region or "", r.indicator),
        "region": lambda r: (r.region or "", r.plan_id, r.target_id),
        "indicator": lambda r: (r.indicator, r.region or ""),
        "ratio": lambda r: (r.ratio or 0.0, r.indicator),
        "deadline": lambda r: (r.target.year or 0, r.indicator),
        "dimension": lambda r: (r.dimension or "", r.indicator),
        "department": lambda r: (r.lead[0] if r.lead else "", r.indicator),
    }
    return keys[sort]


def sort_rows(rows: list[ProgressRow], *, sort: str, desc: bool = False) -> list[ProgressRow]:
    """``rows`` sorted by ``sort`` (one of ``SORTS``), rows without that value last."""
    have = [r for r in rows if not _missing(sort, r)]
    have.sort(key=_sort_key(sort), reverse=desc)  # type: ignore[arg-type]
    return have + [r for r in rows if _missing(sort, r)]


def progress_table(
    w: UnitOfWork,
    *,
    region: str | None = None,
    year: int | None = None,
    statuses: list[str] | None = None,
    department: str | None = None,
    dimension: str | None = None,
    plan_id: int | None = None,
    sort: str = "status",
    desc: bool = False,
    today: date | None = None,
    kept: PreparedStore | None = None,
    assessed: AssessedStore | None = None,
    options: ProgressOptions | None = None,
) -> ProgressTable:
    """The targets in scope that pass the filters, sorted by ``sort`` (one of ``SORTS``), with the
    counts per status of every target that passes the other filters (``kept``, ``assessed``: see
    ``scoped_progress``; ``options``: ``progress_options`` read for the same scope, else read here)."""
    w.require(Permission.READ)
    if sort not in SORTS:
        raise UserInputError(f"unknown sort {sort!r} ({', '.join(SORTS)})", field="sort")
    bad = [s for s in statuses or [] if s not in STATUSES]
    if bad:
        raise UserInputError(f"unknown status {bad[0]!r} ({', '.join(STATUSES)})", field="status")
    if dimension and dimension.upper() not in DIMENSION_NAMES:
        raise UserInputError(f"unknown dimension {dimension!r} ({', '.join(DIMENSION_NAMES)})", field="dimension")
    check_year(year)
    year = year or today_or(today).year
    base = scoped_progress(w, region=region, plan_id=plan_id, year=year, department=department or None,
                           dimension=dimension.upper() if dimension else None, kept=kept, assessed=assessed,
                           today=today)
    rows = sort_rows([r for r in base if r.status in statuses] if statuses else list(base), sort=sort, desc=desc)
    if options is None:
        options = progress_options(w)
    elif options.scope != scope_key(region_scope(w, region=None)):
        raise ValueError("the filter choices were read for another scope")
    return ProgressTable(
        filters=ProgressFilters(region=region, year=year, statuses=list(statuses or []), department=department,
                                dimension=dimension.upper() if dimension else None, plan_id=plan_id, sort=sort,
                                desc=desc),
        rows=rows,
        counts=status_counts(base),
        total=len(base),
        regions=options.regions,
        departments=options.departments,
        plans=options.plans,
        dimensions=options.dimensions,
    )


@dataclass(frozen=True, slots=True)
class ProgressOptions:
    """The choices of ``/progress``'s filters for the actor's scope (``progress_options``): the same in
    every year and under every filter, so a caller may read them once a day for a scope and pass them to
    ``progress_table``. Treat them as read-only: tables built on them share the lists."""

    scope: tuple[int, ...] | None  # the actor's regions (None: every region)
    regions: list[Option]
    departments: list[Option]
    plans: list[Option]
    dimensions: list[Option]


def progress_options(w: UnitOfWork) -> ProgressOptions:
    """The regions, departments, plans and dimensions the actor may filter ``progress_table`` by."""
    w.require(Permission.READ)
    plans = plans_in_scope(w)
    return ProgressOptions(
        scope=scope_key(region_scope(w, region=None)),
        regions=[Option(value=n, label=n) for n in sorted({n for _, _, n in plans if n})],
        departments=[Option(value=n, label=n) for n in sorted({d.name for d in list_departments(w)})],
        plans=[Option(value=str(i), label=f"{n or ''} {t or ''}".strip() or f"方案 {i}") for i, t, n in plans],
        dimensions=[Option(value=c, label=n) for c, n in DIMENSION_NAMES.items()],
    )


def scorecards(
    w: UnitOfWork, *, region: str | None = None, year: int | None = None, today: date | None = None
) -> list[ScorecardRow]:
    """``scorecard.scorecard`` on the scoped reading of progress (see ``scoped_progress``)."""
    w.require(Permission.READ)
    check_year(year)
    rows = scoped_progress(w, region=region, year=year or today_or(today).year)
    return build_scorecards(rows, list_tasks(w, region=region, today=today))


# ------------------------------------------------------------------ one target


def _chart(row: ProgressRow, figures: list[ActualPoint]) -> TargetChart:
    chart = TargetChart(target_id=row.target_id, indicator=row.indicator, unit=row.unit, status=row.status,
                        evaluated_year=row.evaluated_year, actual=figures)
    b, t1, goal = row.baseline, row.target.year, row.goal
    if b.year is not None and b.value is not None:
        chart.baseline = ChartPoint(year=b.year, value=b.value)
    if t1 is not None and goal is not None:
        chart.goal = ChartPoint(year=t1, value=goal)
    if chart.baseline and goal is not None and t1 is not None and b.year is not None and t1 > b.year:
        t0, v0 = b.year, chart.baseline.value
        growth = row.target.kind == "growth" and row.target.value is not None
        for y in range(t0, t1 + 1):
            if growth:
                v = v0 * (1 + (row.target.value or 0.0) / 100) ** (y - t0)
            else:
                v = v0 + (goal - v0) * (y - t0) / (t1 - t0)
            chart.expected.append(ChartPoint(year=y, value=v))
    if row.projected is not None and row.actual.year is not None and row.actual.value is not None and t1:
        chart.projection = [ChartPoint(year=row.actual.year, value=row.actual.value),
                            ChartPoint(year=t1, value=row.projected)]
    return chart


def target_detail(w: UnitOfWork, *, target_id: int, year: int | None = None, today: date | None = None,
                  kept: PreparedStore | None = None) -> TargetDetail:
    """One target: its progress on approved figures (and counting drafts, when that differs), the figures
    with sources and vintages, the audit history, its 督办 items and the chart series (``kept``: see
    ``scoped_progress``)."""
    w.require(Permission.READ)
    check_year(year)
    plan_id = _target_plan(w, target_id)
    year = year or today_or(today).year
    rows = []
    for draft in (False, True):
        inputs = prepare_plans(w, plan_ids=[plan_id], include_draft=draft, kept=kept)
        rows += assess_prepared(w, plans=inputs, target_ids=[target_id], year=year, include_draft=draft)
    row, drafts = rows
    region_id = inputs[0].region_id
    obs = []
    if row.indicator_code and region_id is not None and (row.region_adcode or row.region):
        # the plan's region and the target's code directly (the actor may see the plan): looking them up by
        # name and wording again, as list_observations does for a person's filter, cost more than the read
        obs = [observations.out(m) for m in
               obs_repo.select_rows(w.session, region_ids=[region_id], indicator_codes=[row.indicator_code])]
    figures = [
        ActualPoint(year=int(o.period[:4]), value=o.value, status=o.status, vintage=o.vintage, observation_id=o.id)
        for o in obs
        if o.status != "rejected" and o.period.isdigit()
    ]
    item_ids = w.session.scalars(select(SupervisionItem.id).where(
        SupervisionItem.subject == "target", SupervisionItem.subject_id == target_id).order_by(SupervisionItem.id))
    items = [supervise.get_item(w, item_id=i, today=today) for i in item_ids]
    differs = (drafts.status, drafts.actual) != (row.status, row.actual)
    return TargetDetail(
        row=row,
        with_drafts=drafts if differs else None,
        plan_title=row.plan_title,
        observations=obs,
        history=history(w.session, "targets", target_id),
        supervision=items,
        chart=_chart(row, figures),
    )


def _target_plan(w: UnitOfWork, target_id: int) -> int:
    """The plan of the current target ``target_id`` if the actor may see it (``targets.target_in_scope``'s
    rule, reading the plan's region alone: a plan row carries its whole parsed JSON)."""
    found = w.session.execute(
        select(TargetRow.plan_id, TargetRow.retired_in, PlanRow.id, PlanRow.region_id)
        .outerjoin(PlanRow, PlanRow.id == TargetRow.plan_id)
        .where(TargetRow.id == target_id)
    ).first()
    if found is None or found.retired_in is not None or found.id is None or not w.in_scope(found.region_id):
        raise NotFoundError(f"no current target with id {target_id}", field="target_id")
    return int(found.plan_id)


def target_chart(w: UnitOfWork, *, target_id: int, year: int | None = None) -> TargetChart:
    """The chart series alone (the JSON the target page's chart is drawn from)."""
    return target_detail(w, target_id=target_id, year=year).chart
