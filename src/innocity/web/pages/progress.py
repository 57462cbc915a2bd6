"""``/progress``: every target in scope with its status badge, filtered by region, year, status,
department, dimension and plan, sorted by any column, with the counts per status at the top (each a link
that keeps the other filters). ``/progress/{target_id}``: one target with its chart (``static/js/
progress.js`` draws it from ``/progress/{id}/chart.json``, the same series ``GET /api/v1/progress/{id}/
chart`` answers), the plan sentence linked to its span on the review page, its departments, every figure
with source and vintage, its 督办 items and audit history. ``/scorecards``: departments' scorecards."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from innocity.services import freshness, progress_view
from innocity.services.context import UnitOfWork
from innocity.services.models.progress_view import ProgressFilters, TargetChart, TargetDetail

from ..cache import Kept, assessed, prepared
from ..deps import PageUowDep, PageUser
from ..templating import fragment, render
from . import vocab  # noqa: F401  (the templates' words)
from .formdata import integer, year_param

router = APIRouter()
# results kept while the store's freshness stamp (the caller's scope, year, day, last write) is unchanged
TABLES: Kept[Markup] = Kept(1024)  # the table rendered: the same for everyone who sees this scope
DETAILS: Kept[TargetDetail] = Kept(256)
# the filters' choices of a scope, read and rendered once a day: the same in every year and under every
# filter (an administrator's run to hundreds of regions and plans)
CHOICES: Kept[tuple[progress_view.ProgressOptions, dict[str, Markup]]] = Kept(64)


def choices_of(w: UnitOfWork) -> tuple[progress_view.ProgressOptions, dict[str, Markup]]:
    """The scope's filter choices, with each list's ``<option>`` elements rendered (``templating.selected``
    marks the chosen one)."""
    options = progress_view.progress_options(w)
    return options, {k: fragment("_options.html", {"options": getattr(options, k)})
                     for k in ("regions", "departments", "plans", "dimensions")}


def detail_of(w: UnitOfWork, target_id: int, year: int | None) -> TargetDetail:
    writes = freshness.writes_stamp(w)
    stamp = freshness.progress_stamp(w, year=year, writes=writes)
    return DETAILS.get_or_make((stamp, target_id), lambda: progress_view.target_detail(
        w, target_id=target_id, year=year, kept=prepared(writes)))

SORT_ZH = {"status": "状态", "region": "地区", "indicator": "指标", "ratio": "进度比", "deadline": "目标年",
           "dimension": "维度", "department": "牵头单位"}


def link(f: ProgressFilters, **change: object) -> str:
    """The ``/progress`` URL of these filters with some changed (``None`` drops one)."""
    q: dict[str, object] = {"region": f.region, "year": f.year, "status": f.statuses, "department": f.department,
                            "dimension": f.dimension, "plan": f.plan_id, "sort": f.sort,
                            "desc": "1" if f.desc else None}
    q.update(change)
    pairs = [(k, x) for k, v in q.items() if v not in (None, "", []) for x in (v if isinstance(v, list) else [v])]
    return "/progress?" + urlencode(pairs)


@router.get("/progress")
def progress_page(
    request: Request, user: PageUser, w: PageUowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[str | None, Query(max_length=8)] = None,
    status: Annotated[list[str] | None, Query()] = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
    dimension: Annotated[str | None, Query(max_length=8)] = None,
    plan: Annotated[str | None, Query(max_length=12)] = None,
    sort: Annotated[str, Query(max_length=16)] = "status",
    desc: Annotated[str | None, Query(max_length=4)] = None,
) -> Response:
    args = {"region": region or None, "year": year_param(year),
            "statuses": [s for s in status or [] if s] or None, "department": department or None,
            "dimension": dimension or None, "plan_id": integer(plan, field="plan"), "sort": sort,
            "desc": desc == "1"}
    writes = freshness.writes_stamp(w)
    stamp = freshness.progress_stamp(w, region=args["region"], year=args["year"], writes=writes)  # type: ignore[arg-type]
    key = (stamp, tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in args.items()))

    def table() -> Markup:
        options, rendered = CHOICES.get_or_make(freshness.progress_stamp(w, writes=writes), lambda: choices_of(w))
        t = progress_view.progress_table(w, **args, kept=prepared(writes), assessed=assessed(writes),  # type: ignore[arg-type]
                                         options=options)
        return fragment("progress/_list.html", {"t": t, "f": t.filters, "link": link, "SORT_ZH": SORT_ZH,
                                                "choices": rendered})

    return render(request, "progress/list.html", {"content": TABLES.get_or_make(key, table)})


@router.get("/progress/{target_id:int}")
def target_page(request: Request, target_id: int, user: PageUser, w: PageUowDep,
                year: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    d = detail_of(w, target_id, year_param(year))
    return render(request, "progress/target.html", {"d": d, "r": d.row, "year": d.row.evaluated_year})


@router.get("/progress/{target_id:int}/chart.json", response_model=TargetChart)
def target_chart(target_id: int, user: PageUser, w: PageUowDep,
                 year: Annotated[str | None, Query(max_length=8)] = None) -> TargetChart:
    return detail_of(w, target_id, year_param(year)).chart


@router.get("/scorecards")
def scorecards_page(request: Request, user: PageUser, w: PageUowDep,
                    region: Annotated[str | None, Query(max_length=100)] = None,
                    year: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    y = year_param(year) or date.today().year
    rows = progress_view.scorecards(w, region=region or None, year=y)
    return render(request, "scorecards/list.html", {"rows": rows, "year": y, "region": region or ""})
