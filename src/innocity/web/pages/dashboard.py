"""``/`` for coordinators, leaders and administrators: the core's home page with the dashboard on top
(status distribution, targets by dimension and status, upcoming deadlines, open 督办 by age, data awaiting
approval; the home page's own table shows plan review progress). Other roles get the home page as it is.

The page is rendered from ``services.dashboard`` (kept between requests while the store's freshness stamp
is unchanged, as the core keeps progress: ``web.cache``); its two charts are drawn by ``static/js/dashboard.js``
from ``/dashboard/chart.json``, the same result ``GET /api/v1/dashboard`` answers.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from innocity.services import dashboard, freshness
from innocity.services.context import UnitOfWork
from innocity.services.models.dashboard import Dashboard

from ..cache import Kept, assessed, prepared
from ..deps import PageUowDep, PageUser
from ..templating import fragment, render
from . import vocab  # noqa: F401  (the templates' words)
from .formdata import year_param
from .home import home_context

router = APIRouter()
# results kept while the store's freshness stamp (scope, year, day and the last write) is unchanged
HOME: Kept[dict[str, Any]] = Kept(128)  # the plans of a scope (home_context)
DASH: Kept[Dashboard] = Kept(1024)
# the year-independent part (tasks, 督办, pending values, plan review) per scope and region: every year of
# one region's dashboard reads it once
BASES: Kept[dashboard.DashboardBasis] = Kept(256)
# the page below its heading, rendered: per role (its links), scope, region and year
BODIES: Kept[Markup] = Kept(1024)


def dashboard_of(w: UnitOfWork, *, year: int | None, region: str | None, writes: str | None = None) -> Dashboard:
    writes = writes or freshness.writes_stamp(w)
    stamp = freshness.progress_stamp(w, region=region, year=year, writes=writes)

    def make() -> Dashboard:
        basis = BASES.get_or_make(freshness.progress_stamp(w, region=region, writes=writes),
                                  lambda: dashboard.dashboard_basis(w, region=region))
        return dashboard.dashboard(w, year=year, region=region, kept=prepared(writes), assessed=assessed(writes),
                                   basis=basis)

    return DASH.get_or_make(stamp, make)


@router.get("/")
def home(request: Request, user: PageUser, w: PageUowDep,
         year: Annotated[str | None, Query(max_length=8)] = None,
         region: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    y, where = year_param(year), region or None
    writes = freshness.writes_stamp(w)
    home_stamp = freshness.progress_stamp(w, region=None, writes=writes)  # the plans of the caller's scope
    with_dash = dashboard.is_for(w.actor)
    dash_stamp = freshness.progress_stamp(w, region=where, year=y, writes=writes) if with_dash else None

    def body() -> Markup:
        dash = dashboard_of(w, year=y, region=where, writes=writes) if with_dash else None
        plans = HOME.get_or_make(home_stamp, lambda: home_context(w))
        return fragment("home/_body.html", {**plans, "dash": dash, "actor": w.actor})

    return render(request, "home.html", {"body": BODIES.get_or_make((home_stamp, dash_stamp, w.actor.role), body)})


@router.get("/dashboard/chart.json", response_model=Dashboard)
def chart(user: PageUser, w: PageUowDep, year: Annotated[str | None, Query(max_length=8)] = None,
          region: Annotated[str | None, Query(max_length=100)] = None) -> Dashboard:
    return dashboard_of(w, year=year_param(year), region=region or None)
