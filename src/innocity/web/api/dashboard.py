"""The coordinators' and leaders' dashboard through the API (the same result the ``/`` page shows)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from innocity.services import dashboard as dashboard_service
from innocity.services.models.dashboard import Dashboard

from ..deps import UowDep

router = APIRouter(prefix="/api/v1", tags=["dashboard"])


@router.get("/dashboard", response_model=Dashboard)
def dashboard(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query()] = None,
    horizon_days: Annotated[int, Query(ge=1, le=366)] = 90,
) -> Dashboard:
    """Targets by status and by dimension, deadlines within ``horizon_days``, open 督办 by age, values
    waiting for approval and plan review progress, for the caller's scope."""
    return dashboard_service.dashboard(w, region=region, year=year, horizon_days=horizon_days)
