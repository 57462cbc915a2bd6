"""Progress of targets through the API (the rows of ``innocity progress --format json``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from innocity.services import tracking

from ..deps import UowDep
from .models import ProgressOut

router = APIRouter(prefix="/api/v1", tags=["progress"])


@router.get("/progress", response_model=ProgressOut)
def progress(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100, description="region name or adcode")] = None,
    year: Annotated[int | None, Query(description="evaluation year (default: this year)")] = None,
    include_draft: Annotated[bool, Query(description="count values not yet approved")] = False,
    plan: Annotated[int | None, Query(description="only this plan's targets")] = None,
    status: Annotated[list[str] | None, Query(description="only these statuses")] = None,
) -> ProgressOut:
    """Every current target in the caller's scope with its baseline, goal, latest figure and status."""
    rows = tracking.progress(w, region=region, year=year, include_draft=include_draft, plan_id=plan,
                             statuses=status or None)
    return ProgressOut(rows=rows)
