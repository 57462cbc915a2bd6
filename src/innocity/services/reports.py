"""Report use cases: gather, from the database, what the Word and Excel reports say (``innocity.reports``
writes them). Nothing is estimated here: a figure is the stored figure, or it is missing.

- ``annual_report_data``: one region's own plans (not those of the counties under it), one row per tracked
  target (the rows ``tracking.progress`` returns for those plans), the figures for year − 1 and year chosen
  by the rule progress uses (approved only unless ``include_draft``; the latest vintage; ties by id),
  tasks, 督办 items and chart data. A region without a stored plan is refused (``NotFoundError``): there
  is nothing to report on. A plan without figures gives a report that says which figures are missing.
- ``supervision_notice_data``: one 督办 item with its history and, for a target, its facts.
- ``compare_data``: each plan's target for each indicator, with its figures and status.
- ``progress_workbook_data``: progress of one region by department, with the scorecards.

Every call needs ``Permission.REPORT`` and reads within the actor's scope. The database's label
(``SIMULATED`` for the demo's training database) travels with the data, so every writer marks it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from innocity.domain.progress import TargetSpec, expected_at
from innocity.errors import NotFoundError, UserInputError
from innocity.storage.tables import DATASET_LABEL, ObservationRow, PlanRow, Region, get_meta

from . import plans as plan_service
from . import scorecard as scorecard_service
from . import supervise, tasks, tracking
from .context import Permission, UnitOfWork, today_or
from .models import ProgressRow
from .models.reports import (
    AnnualReportData,
    CompareData,
    CompareSheet,
    DepartmentSheet,
    DimensionSummary,
    Figure,
    IndicatorLine,
    PlanInfo,
    ProgressWorkbookData,
    SupervisionLine,
    SupervisionNoticeData,
    Trajectory,
)

MAX_TRAJECTORIES = 4
LAGGING = ("off_track", "overdue", "behind")
MISSING = ("no_data", "needs_input")
NO_DEPARTMENT = "（未指定牵头单位）"


def dataset_label(w: UnitOfWork) -> str | None:
    """The database's label (``SIMULATED`` for the demo's training database)."""
    return get_meta(w.session, DATASET_LABEL)


# ---------------------------------------------------------------------- figures


class _Pick:
    """The figure counted for one (indicator, year), by the rule ``domain.progress.known_series`` applies."""

    __slots__ = ("draft_pending", "row")

    def __init__(self) -> None:
        self.row: ObservationRow | None = None
        self.draft_pending = False


def _figures(
    w: UnitOfWork, region_id: int, codes: set[str], *, year: int, include_draft: bool
) -> dict[tuple[str, int], _Pick]:
    """Per (indicator, year ≤ ``year``): the counted figure (latest ``known_on``, then highest id; drafts
    only with ``include_draft``), and whether an uncounted draft is waiting."""
    out: dict[tuple[str, int], _Pick] = defaultdict(_Pick)
    if not codes:
        return out
    o = ObservationRow
    q = select(o).where(
        o.region_id == region_id, o.indicator_code.in_(sorted(codes)), o.period_kind == "year",
        o.status != "rejected", o.period_year <= year,
    )
    for row in w.session.scalars(q):
        pick = out[(row.indicator_code, row.period_year)]
        approved = row.status == "approved"
        if not approved and not include_draft:
            pick.draft_pending = True
            continue
        cur = pick.row
        if cur is None or (row.known_on, row.id) >= (cur.known_on, cur.id):
            pick.row = row
    return out


def _figure(pick: _Pick | None) -> Figure | None:
    if pick is None or pick.row is None:
        return None
    r = pick.row
    source = (r.source or "").strip() or (r.note or "").strip() or None
    return Figure(year=r.period_year, value=r.value, draft=r.status != "approved", source=source,
                  observation_id=r.id)


# ---------------------------------------------------------------------- the annual report


def _region_plans(w: UnitOfWork, region: str) -> tuple[Region, list[PlanInfo]]:
    reg = tracking.find_region(w, region=region)
    summaries = [p for p in plan_service.list_plans(w) if p.region_id == reg.id]
    if not summaries:
        raise NotFoundError(
            f"{reg.name} has no stored plan, so there is nothing to report on: ingest its plan first",
            field="region",
        )
    plans = []
    for p in summaries:
        detail = plan_service.show_plan(w, plan_id=p.id)
        phases = [
            ph.name + (f"（{ph.start_text or ph.start}—{ph.end_text or ph.end}）" if ph.start or ph.end else "")
            for ph in detail.phases
        ]
        plans.append(PlanInfo(id=p.id, title=p.title, version=p.version, targets=p.targets, duties=p.duties,
                              phases=phases))
    return reg, plans


def _dimensions(w: UnitOfWork, rows: list[ProgressRow]) -> list[DimensionSummary]:
    names = dict(w.catalog.dimensions())
    groups: dict[str | None, list[ProgressRow]] = defaultdict(list)
    for r in rows:
        groups[r.dimension].append(r)
    order = [c for c, _ in w.catalog.dimensions()] + [None]
    out = []
    for code in order:
        members = groups.get(code)
        if not members:
            continue
        out.append(
            DimensionSummary(
                code=code,
                name=names.get(code or "", "未匹配指标目录的指标"),
                counts=tracking.status_counts(members),
                total=len(members),
                lagging=[r.indicator for r in members if r.status in LAGGING],
                missing=[r.indicator for r in members if r.status in MISSING],
                achieved=[r.indicator for r in members if r.status == "achieved"],
            )
        )
    return out


def _trajectories(rows: list[ProgressRow], picks: dict[tuple[str, int], _Pick], year: int) -> list[Trajectory]:
    """The first ``MAX_TRAJECTORIES`` targets, in plan order, with a baseline, a deadline and two figures."""
    out: list[Trajectory] = []
    for r in rows:
        b, tg = r.baseline, r.target
        if len(out) >= MAX_TRAJECTORIES:
            break
        if not r.indicator_code or b.year is None or b.value is None or tg.year is None or r.goal is None:
            continue
        actual = sorted(
            (y, p.row.value) for (code, y), p in picks.items() if code == r.indicator_code and p.row is not None
        )
        actual = [(y, v) for y, v in actual if b.year <= y <= year]
        if len([1 for y, _ in actual if y > b.year]) < 2:
            continue
        spec = TargetSpec(
            kind=tg.kind,  # type: ignore[arg-type]
            comparator=tg.comparator,  # type: ignore[arg-type]
            value=r.goal if tg.kind == "level" else tg.value,  # a level goal in the indicator's unit
            year=tg.year,
            unit=tg.unit,
            baseline_year=b.year,
            baseline_value=b.value,
        )
        path = [(y, v) for y in range(b.year, tg.year + 1) if (v := expected_at(spec, y)) is not None]
        out.append(Trajectory(target_id=r.target_id, indicator=r.indicator, unit=r.unit, status=r.status,
                              actual=actual, path=path, goal_year=tg.year, goal=r.goal))
    return out


def _supervision(
    w: UnitOfWork, region: str, plan_ids: set[int], start: date, today: date
) -> list[SupervisionLine]:
    """Items raised or closed from ``start`` to ``today``, and every item still open."""
    out = []
    for it in supervise.list_items(w, include_closed=True, region=region, today=today):
        if it.plan_id not in plan_ids:
            continue
        full = supervise.get_item(w, item_id=it.id, today=today)
        closing = next((e for e in reversed(full.events or []) if e.action == "close"), None)
        raised_on = it.raised_at.date()
        closed_on = closing.at.date() if closing else None
        in_window = start <= raised_on <= today or (closed_on is not None and start <= closed_on <= today)
        if in_window or it.status != "closed":
            out.append(SupervisionLine(item=full, raised_on=raised_on, closed_on=closed_on,
                                       closing_text=closing.text if closing else None))
    return sorted(out, key=lambda s: (s.raised_on, s.item.id))


def annual_report_data(
    w: UnitOfWork, *, region: str, year: int, today: date | None = None, include_draft: bool = False
) -> AnnualReportData:
    """What the annual self-evaluation report of ``region`` for ``year`` says; see the module docstring."""
    w.require(Permission.REPORT)
    tracking.check_year(year)
    today = today_or(today)
    reg, plans = _region_plans(w, region)
    key = reg.adcode or reg.name
    plan_ids = {p.id for p in plans}
    rows = [r for r in tracking.progress(w, region=key, year=year, include_draft=include_draft)
            if r.plan_id in plan_ids]
    picks = _figures(w, reg.id, {r.indicator_code for r in rows if r.indicator_code}, year=year,
                     include_draft=include_draft)
    lines = []
    for n, r in enumerate(rows, start=1):
        code = r.indicator_code
        cur = picks.get((code, year)) if code else None
        lines.append(IndicatorLine(
            number=n, progress=r,
            previous=_figure(picks.get((code, year - 1)) if code else None),
            current=_figure(cur),
            draft_pending=bool(cur and cur.draft_pending and cur.row is None),
        ))
    start = date(year, 1, 1)
    return AnnualReportData(
        region=reg.name,
        province=reg.province if reg.level != "province" else None,
        year=year,
        today=today,
        period_start=start,
        dataset_label=dataset_label(w),
        include_draft=include_draft,
        plans=plans,
        lines=lines,
        counts=tracking.status_counts(rows),
        dimensions=_dimensions(w, rows),
        tasks=[t for t in tasks.list_tasks(w, region=key, today=today) if t.plan_id in plan_ids],
        supervision=_supervision(w, key, plan_ids, start, today),
        trajectories=_trajectories(rows, picks, year),
    )


# ---------------------------------------------------------------------- the 督办通知单


def supervision_notice_data(
    w: UnitOfWork, *, item_id: int, year: int | None = None, today: date | None = None
) -> SupervisionNoticeData:
    """One 督办 item with its history and, when it is about a target, that target's progress in ``year``.

    By default the target is assessed in the year of its latest figure, so that the notice quotes what the
    figure says against the plan's path then (expected value, ratio); assessed in a later year a target
    past its deadline is only "overdue", with no ratio. The 督办事由 is the item's own."""
    w.require(Permission.REPORT)
    tracking.check_year(year)
    today = today_or(today)
    item = supervise.get_item(w, item_id=item_id, today=today)
    target = task = None
    support: list[str] = []
    if item.subject == "target":
        found = tracking.progress(w, target_ids=[item.subject_id], year=year or today.year)
        latest = found[0].actual.year if found else None
        if year is None and latest is not None and latest < today.year:
            found = tracking.progress(w, target_ids=[item.subject_id], year=latest)
        target = found[0] if found else None
        support = list(target.support) if target else []
    elif item.subject == "task":
        found_tasks = tasks.list_tasks(w, task_ids=[item.subject_id], today=today)
        task = found_tasks[0] if found_tasks else None
        support = list(task.support) if task else []
    return SupervisionNoticeData(item=item, today=today, target=target, task=task, support=support,
                                 dataset_label=dataset_label(w))


# ---------------------------------------------------------------------- the Excel workbooks


def compare_data(
    w: UnitOfWork, *, indicators: list[str], regions: list[str] | None = None, year: int | None = None
) -> CompareData:
    """Each plan's target for each of ``indicators`` (one sheet each), optionally only in ``regions``."""
    w.require(Permission.REPORT)
    if not indicators:
        raise UserInputError("name at least one indicator code", field="indicator")
    tracking.check_year(year)
    eval_year = year or date.today().year
    codes = []
    for text in indicators:
        code = text.strip().upper()
        if code not in w.catalog:
            raise UserInputError(f"unknown indicator {text!r}", field="indicator")
        codes.append(code)
    keep: set[int] | None = None
    if regions:
        keep = set()
        for i, name in enumerate(regions):
            keep |= tracking.subtree(w.session, tracking.find_region(w, region=name, field=f"regions[{i}]").id)
    rows = tracking.progress(w, year=eval_year)
    region_of = _plan_regions(w, {r.plan_id for r in rows}) if keep is not None else {}
    sheets = []
    for code in dict.fromkeys(codes):
        ind = w.catalog.get(code)
        mine = [r for r in rows if r.indicator_code == code and (keep is None or region_of.get(r.plan_id) in keep)]
        sheets.append(CompareSheet(code=code, name=ind.name_zh, unit=ind.unit,
                                   rows=sorted(mine, key=lambda r: (r.region or "", r.plan_id, r.target_id))))
    return CompareData(year=eval_year, dataset_label=dataset_label(w), sheets=sheets)


def _plan_regions(w: UnitOfWork, plan_ids: set[int]) -> dict[int, int | None]:
    q = select(PlanRow.id, PlanRow.region_id).where(PlanRow.id.in_(plan_ids))
    return {pid: rid for pid, rid in w.session.execute(q)}


def progress_workbook_data(
    w: UnitOfWork, *, region: str, year: int, today: date | None = None, include_draft: bool = False
) -> ProgressWorkbookData:
    """Progress of ``region`` (and the regions under it) in ``year``: every target, one group per department
    that leads or supports targets or tasks, and the department scorecards."""
    w.require(Permission.REPORT)
    tracking.check_year(year)
    reg = tracking.find_region(w, region=region)
    key = reg.adcode or reg.name
    today = today_or(today)
    rows = tracking.progress(w, region=key, year=year, include_draft=include_draft)
    task_rows = tasks.list_tasks(w, region=key, today=today)
    by_dept: dict[str, DepartmentSheet] = {}

    def sheet(name: str) -> DepartmentSheet:
        return by_dept.setdefault(name, DepartmentSheet(department=name))

    for r in rows:
        for name in (r.lead or [NO_DEPARTMENT]) + r.support:
            sheet(name).rows.append(r)
    for t in task_rows:
        for name in t.lead + t.support:
            sheet(name).tasks.append(t)
    cards = scorecard_service.scorecard(w, region=key, year=year, today=today)
    return ProgressWorkbookData(
        region=reg.name, year=year, dataset_label=dataset_label(w), include_draft=include_draft, rows=rows,
        departments=sorted(by_dept.values(), key=lambda d: (d.department == NO_DEPARTMENT, d.department)),
        scorecards=cards,
    )
