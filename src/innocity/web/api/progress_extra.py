"""Progress beyond the contract's ``GET /api/v1/progress``: the table the ``/progress`` page shows
(filters, sorting, counts per status), one target in detail and its chart series, department scorecards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from innocity.services import progress_view
from innocity.services.models import Model, ScorecardRow
from innocity.services.models.progress_view import ProgressTable, TargetChart, TargetDetail

from ..deps import UowDep

router = APIRouter(prefix="/api/v1", tags=["progress"])


@router.get("/progress/table", response_model=ProgressTable)
def table(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query()] = None,
    status: Annotated[list[str] | None, Query(description="only these statuses")] = None,
    department: Annotated[str | None, Query(max_length=200)] = None,
    dimension: Annotated[str | None, Query(max_length=8, description="GOV, ORI, TEC, TRA or DRV")] = None,
    plan: Annotated[int | None, Query()] = None,
    sort: Annotated[str, Query(description=", ".join(progress_view.SORTS))] = "status",
    desc: bool = False,
) -> ProgressTable:
    """Every target in scope that passes the filters, sorted, with the counts per status."""
    return progress_view.progress_table(w, region=region, year=year, statuses=status, department=department,
                                        dimension=dimension, plan_id=plan, sort=sort, desc=desc)


@router.get("/progress/{target_id:int}", response_model=TargetDetail)
def target(target_id: int, w: UowDep, year: Annotated[int | None, Query()] = None) -> TargetDetail:
    """One target: progress (approved figures, and counting drafts), figures with sources and vintages, its
    audit history, its 督办 items and the chart series."""
    return progress_view.target_detail(w, target_id=target_id, year=year)


@router.get("/progress/{target_id:int}/chart", response_model=TargetChart)
def chart(target_id: int, w: UowDep, year: Annotated[int | None, Query()] = None) -> TargetChart:
    """The series the target chart draws: baseline, expected path, goal, figures, projection."""
    return progress_view.target_chart(w, target_id=target_id, year=year)


class ScorecardsOut(Model):
    rows: list[ScorecardRow]


@router.get("/scorecards", response_model=ScorecardsOut)
def scorecards(w: UowDep, region: Annotated[str | None, Query(max_length=100)] = None,
               year: Annotated[int | None, Query()] = None) -> ScorecardsOut:
    """Per department: targets led by status, tasks on time and late, what it supports."""
    return ScorecardsOut(rows=progress_view.scorecards(w, region=region, year=year))
