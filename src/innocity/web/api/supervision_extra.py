"""督办 beyond the contract: what ``sync`` would raise (to look before raising), raising only the items a
person picked, and raising one item by hand."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import Field

from innocity.services import supervise
from innocity.services.models import Model
from innocity.services.supervise import Proposal

from ..deps import UowDep
from .models import SupervisionOut

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision"])


class ProposalList(Model):
    proposals: list[Proposal]


@router.get("/proposals", response_model=ProposalList)
def proposals(w: UowDep, region: Annotated[str | None, Query(max_length=100)] = None,
              year: Annotated[int | None, Query()] = None) -> ProposalList:
    """The items ``POST /api/v1/supervision/sync`` would raise now, with why and for whom."""
    return ProposalList(proposals=supervise.proposals(w, region=region, year=year))


class Pick(Model):
    subject: Literal["target", "task"]
    id: int = Field(ge=1)


class RaiseIn(Model):
    region: str | None = Field(default=None, max_length=100)
    year: int | None = None
    only: list[Pick] = Field(min_length=1, max_length=1000)


class RaisedOut(Model):
    raised: list[int]


@router.post("/raise", response_model=RaisedOut)
def raise_picked(body: RaiseIn, w: UowDep) -> RaisedOut:
    """Raise the proposals a person picked (others are left for later); one already raised is skipped."""
    items = supervise.sync(w, region=body.region, year=body.year, only=[(p.subject, p.id) for p in body.only])
    return RaisedOut(raised=[i.id for i in items])


class ManualIn(Model):
    target_id: int | None = None
    task_id: int | None = None
    text: str = Field(min_length=1, max_length=5000)
    department: str | None = Field(default=None, max_length=200)
    due_days: int = Field(default=supervise.REPLY_DAYS, ge=1, le=366)


@router.post("", response_model=SupervisionOut, status_code=status.HTTP_201_CREATED)
def raise_item(body: ManualIn, w: UowDep) -> SupervisionOut:
    """Raise an item about one target or task by hand (人工立项)."""
    item = supervise.raise_item(w, target_id=body.target_id, task_id=body.task_id, text=body.text,
                                department=body.department, due_days=body.due_days)
    return SupervisionOut.of(item)
