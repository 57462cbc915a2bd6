"""督办 through the API: the items in scope, raising items from progress, and the lifecycle steps."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from innocity.services import supervise

from ..deps import UowDep
from .models import ActionIn, SupervisionList, SupervisionOut, SyncIn, SyncOut

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision"])


@router.get("", response_model=SupervisionList)
def list_items(
    w: UowDep,
    region: Annotated[str | None, Query(max_length=100)] = None,
    include_closed: bool = False,
) -> SupervisionList:
    """Open items in the caller's scope (``include_closed`` adds closed ones), newest first."""
    items = supervise.list_items(w, region=region, include_closed=include_closed)
    return SupervisionList(items=[SupervisionOut.of(i) for i in items])


@router.post("/sync", response_model=SyncOut)
def sync(body: SyncIn, w: UowDep) -> SyncOut:
    """Raise an item for every off-track or overdue target and late task that has none open."""
    raised = supervise.sync(w, region=body.region, year=body.year)
    return SyncOut(raised=[i.id for i in raised])


@router.get("/{item_id}", response_model=SupervisionOut)
def get_item(item_id: int, w: UowDep) -> SupervisionOut:
    """One item with its history."""
    return SupervisionOut.of(supervise.get_item(w, item_id=item_id))


@router.post("/{item_id}/{action}", response_model=SupervisionOut,
             responses={403: {"description": "this role may not take this step"},
                        409: {"description": "stale version"},
                        422: {"description": "a step the lifecycle forbids"}})
def act(item_id: int, action: Literal["respond", "extend", "close", "escalate"], body: ActionIn,
        w: UowDep) -> SupervisionOut:
    """One lifecycle step: the department responds (情况说明) or asks for an extension (``new_due`` and a
    reason); the coordinator closes (销号) or escalates."""
    item = supervise.act(w, item_id=item_id, action=action, text=body.text or body.reason,
                         new_due=body.new_due, version=body.version)
    return SupervisionOut.of(item)
