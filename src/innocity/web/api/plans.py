"""Plans and their review through the API: list, upload, show (with the source text), change a target,
confirm many at once, a target's audit history, and one indicator compared across plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from pydantic import Field

from innocity.services import freshness, ingest, plans, targets
from innocity.services.models import AuditEntryOut, Model, PlanItem
from innocity.services.plans import BulkReview, CompareRow, SharedIndicator
from innocity.services.targets import TargetPatch

from ..cache import PLAN_JSON, Answer, plan_detail
from ..deps import UowDep, WebDep
from ..uploads import check_type, read_limited
from .models import PlanList, PlanListItem, PlanOut, UploadedPlan, UploadOut

router = APIRouter(prefix="/api/v1", tags=["plans"])


@router.get("/plans", response_model=PlanList)
def list_plans(w: UowDep) -> PlanList:
    """The plans in the caller's scope, with how many targets each has and how many are reviewed."""
    return PlanList(plans=[PlanListItem.of(p) for p in plans.list_plans(w)])


@router.post(
    "/plans",
    response_model=UploadOut,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "the same bytes were uploaded before: the existing plans"},
               413: {"description": "larger than INNOCITY_MAX_UPLOAD_MB"},
               415: {"description": "not a txt, html, docx or pdf document"},
               422: {"description": "unreadable, or no plan in it"}},
)
def upload_plan(file: Annotated[UploadFile, File(description="a .txt, .html, .docx or .pdf plan")],
                response: Response, w: UowDep, web: WebDep) -> UploadOut:
    """Store a plan document (read by its content, not its name) and extract its items."""
    name = file.filename or "upload"
    data = read_limited(file, web.max_upload_bytes)
    check_type(data, name)
    result = ingest.ingest_bytes(w, data=data, name=name)
    if result.status == "unchanged":
        response.status_code = status.HTTP_200_OK
    return UploadOut(plans=[UploadedPlan.of(p) for p in result.plans], warnings=result.warnings,
                     status=result.status, sha256=result.sha256)


@router.get("/plans/{plan_id}", response_model=PlanOut)
def show_plan(request: Request, plan_id: int, w: UowDep) -> Response:
    """One plan: its decoded source text and every current item, each with its span into the text."""
    stamp = freshness.plan_stamp(w, plan_id=plan_id)  # checks the scope too
    body = PLAN_JSON.get_or_make(
        stamp, lambda: Answer.of(PlanOut.of(plan_detail(w, plan_id, stamp)).model_dump_json().encode())
    )
    return body.response(request)


@router.patch("/targets/{target_id}", response_model=PlanItem,
              responses={409: {"description": "stale version: nothing was changed"}})
def patch_target(target_id: int, patch: TargetPatch, w: UowDep) -> PlanItem:
    """Confirm, reject or edit a target; send the ``version`` you read (a stale one gets 409)."""
    return targets.update_target(w, target_id=target_id, patch=patch)


class ReviewedList(Model):
    items: list[PlanItem]


@router.post("/plans/{plan_id}/review", response_model=ReviewedList)
def review_many(plan_id: int, bulk: BulkReview, w: UowDep) -> ReviewedList:
    """Confirm (or reject) many targets of a plan at once: ``items`` maps target id to the version read;
    all or nothing."""
    return ReviewedList(items=plans.review_many(w, plan_id=plan_id, bulk=bulk))


class HistoryOut(Model):
    history: list[AuditEntryOut]


@router.get("/targets/{target_id}/history", response_model=HistoryOut)
def target_history(target_id: int, w: UowDep) -> HistoryOut:
    """Who changed what on a target, when (oldest first)."""
    return HistoryOut(history=plans.item_history(w, kind="targets", item_id=target_id))


class CompareOut(Model):
    indicator: str | None = None
    rows: list[CompareRow] = Field(default_factory=list)
    shared: list[SharedIndicator] = Field(default_factory=list)


@router.get("/compare", response_model=CompareOut)
def compare(w: UowDep, indicator: Annotated[str | None, Query(max_length=64)] = None,
            year: int | None = None) -> CompareOut:
    """Each plan's target for ``indicator`` side by side; without one, the indicators two or more plans
    share."""
    if not indicator:
        return CompareOut(shared=plans.shared_indicators(w))
    return CompareOut(indicator=indicator, rows=plans.compare(w, indicator=indicator, year=year))


