"""Data entry and approval through the API (issue 11): what a department must report, saving entered values
all or nothing, sending drafts for approval, the approval queue and approving or rejecting many at once.

``POST /api/v1/observations`` and one value's approve/reject are the contract's (``api/observations``);
these add what the ``/data`` pages need, on the same services.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import Field

from innocity.services import collection, observations
from innocity.services.models import Model
from innocity.services.models.collection import CollectionSheet, Entry, SaveResult
from innocity.services.models.observations import DataReviewItem, ObservationOut

from ..deps import UowDep

router = APIRouter(prefix="/api/v1/data", tags=["data"])


@router.get("/sheet", response_model=CollectionSheet)
def sheet(
    w: UowDep,
    department_id: Annotated[int | None, Query(description="a coordinator: this department's sheet")] = None,
    region: Annotated[str | None, Query(max_length=100)] = None,
    year: Annotated[int | None, Query(description="the latest period due (default: last year)")] = None,
) -> CollectionSheet:
    """The indicators the caller's department leads or supports, with the periods due, what was entered
    for each, the last approved value and the rejections to correct."""
    return collection.sheet(w, department_id=department_id, region=region, year=year)


class EntriesIn(Model):
    entries: list[Entry] = Field(min_length=1, max_length=5000)
    submit: bool = False  # send for approval at once (default: save as draft)
    source: str | None = Field(default=None, max_length=2000)  # fills entries without a source


@router.post("/entries", response_model=SaveResult, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "a corrected value changed since it was read"},
                        422: {"description": "every bad entry in rows; nothing was stored"}})
def save_entries(body: EntriesIn, w: UowDep) -> SaveResult:
    """Store entered values, all or nothing, with the checks of ``innocity data import``; an entry with
    ``observation_id`` and ``version`` corrects a draft or rejected value."""
    return collection.save(w, entries=body.entries, submit=body.submit, source=body.source)


class Seen(Model):
    id: int = Field(ge=1)
    version: int = Field(ge=1)


class SubmitIn(Model):
    items: list[Seen] = Field(min_length=1, max_length=5000)


@router.post("/submit", response_model=SaveResult)
def submit(body: SubmitIn, w: UowDep) -> SaveResult:
    """Send drafts for approval, all or none (a stale version gets 409)."""
    return collection.submit_drafts(w, ids=[(i.id, i.version) for i in body.items])


class QueueOut(Model):
    items: list[DataReviewItem]


@router.get("/review", response_model=QueueOut)
def review_queue(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
    status_: Annotated[Literal["submitted", "draft", "approved", "rejected"], Query(alias="status")] = "submitted",
) -> QueueOut:
    """Values waiting for approval with the previous value, the change in per cent, the jump warning and
    the source."""
    return QueueOut(items=observations.review_queue(w, region=region, indicator=indicator, status=status_))


class ReviewIn(Model):
    action: Literal["approve", "reject"]
    items: list[Seen] = Field(min_length=1, max_length=5000)
    comment: str | None = Field(default=None, max_length=2000)


class ReviewedOut(Model):
    items: list[ObservationOut]


@router.post("/review", response_model=ReviewedOut,
             responses={409: {"description": "a value changed since it was read: nothing was changed"}})
def review_many(body: ReviewIn, w: UowDep) -> ReviewedOut:
    """Approve or reject many values at once, all or none (a rejection needs the comment)."""
    done = collection.review_values(w, items=[(i.id, i.version) for i in body.items], action=body.action,
                                    comment=body.comment)
    return ReviewedOut(items=done)
