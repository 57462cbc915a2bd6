"""Progress of targets through the API (the rows of ``innocity progress --format json``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from innocity.domain.progress import STATUSES
from innocity.errors import UserInputError
from innocity.services import freshness, progress_view

from ..cache import PROGRESS_JSON, Answer, assessed, prepared
from ..deps import UowDep
from .models import ProgressOut

router = APIRouter(prefix="/api/v1", tags=["progress"])


@router.get("/progress", response_model=ProgressOut)
def progress(
    request: Request,
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100, description="region name or adcode")] = None,
    year: Annotated[int | None, Query(description="evaluation year (default: this year)")] = None,
    include_draft: Annotated[bool, Query(description="count values not yet approved")] = False,
    plan: Annotated[int | None, Query(description="only this plan's targets")] = None,
    status: Annotated[list[str] | None, Query(description="only these statuses")] = None,
) -> Response:
    """Every current target in the caller's scope with its baseline, goal, latest figure and status."""
    unknown = set(status or []) - set(STATUSES)
    if unknown:
        raise UserInputError(f"unknown status {sorted(unknown)[0]!r} ({', '.join(STATUSES)})", field="status")
    writes = freshness.writes_stamp(w)
    stamp = freshness.progress_stamp(w, region=region, plan_id=plan, year=year, include_draft=include_draft,
                                     writes=writes)

    def answer() -> Answer:
        # the plans' year-independent inputs are shared by every year's answer (web.cache)
        rows = progress_view.scoped_progress(w, region=region, year=year, include_draft=include_draft,
                                             plan_id=plan, kept=prepared(writes),
                                             assessed=assessed(writes))
        if status:
            rows = [r for r in rows if r.status in status]
        # serialised by pydantic-core straight from the rows (response_model stays for the OpenAPI document)
        return Answer.of(ProgressOut.model_construct(rows=rows).model_dump_json().encode())

    return PROGRESS_JSON.get_or_make((stamp, tuple(sorted(status or []))), answer).response(request)
