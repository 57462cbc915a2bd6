"""``/`` for coordinators, leaders and administrators: the core's home page with the dashboard on top
(status distribution, targets by dimension and status, upcoming deadlines, open 督办 by age, data awaiting
approval; the home page's own table shows plan review progress). Other roles get the home page as it is.

The page is rendered from ``services.dashboard``; its two charts are drawn by ``static/js/dashboard.js``
from ``/dashboard/chart.json``, the same result ``GET /api/v1/dashboard`` answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from innocity.services import dashboard
from innocity.services.models.dashboard import Dashboard

from ..deps import PageUowDep, PageUser
from ..templating import render
from . import vocab  # noqa: F401  (the templates' words)
from .formdata import year_param
from .home import home_context

router = APIRouter()


@router.get("/")
def home(request: Request, user: PageUser, w: PageUowDep,
         year: Annotated[str | None, Query(max_length=8)] = None) -> Response:
    ctx = home_context(w)
    if dashboard.is_for(w.actor):
        ctx["dash"] = dashboard.dashboard(w, year=year_param(year))
    return render(request, "home.html", ctx)


@router.get("/dashboard/chart.json", response_model=Dashboard)
def chart(user: PageUser, w: PageUowDep, year: Annotated[str | None, Query(max_length=8)] = None) -> Dashboard:
    return dashboard.dashboard(w, year=year_param(year))
