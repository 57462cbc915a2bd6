"""``/plans/compare``: one indicator across the plans in scope (each plan's target, year, baseline, latest
figure and status side by side); without an indicator, the indicators two or more plans share."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from innocity.services import plans

from ..deps import PageUowDep, PageUser
from ..templating import render

router = APIRouter()


@router.get("/plans/compare")
def compare_page(
    request: Request,
    user: PageUser,
    w: PageUowDep,
    indicator: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[int | None, Query(ge=1949, le=2100)] = None,
) -> Response:
    shared = plans.shared_indicators(w)
    rows = plans.compare(w, indicator=indicator, year=year) if indicator else []
    chosen = w.catalog.get(indicator.strip().upper()) if indicator and indicator.strip().upper() in w.catalog else None
    return render(request, "plans/compare.html", {
        "shared": shared, "rows": rows, "indicator": chosen, "code": indicator or "", "year": year,
        "catalog": w.catalog.indicators,
    })
