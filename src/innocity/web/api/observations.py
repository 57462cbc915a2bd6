"""Observations (reported values) through the API: submit many at once (all or nothing), read one, approve
or reject one with the version read (``shared/contracts/api.md``)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, status
from pydantic import Field

from innocity.services import observations
from innocity.services.models import Model
from innocity.services.models.observations import ObservationOut, SubmitResult

from ..deps import UowDep

router = APIRouter(prefix="/api/v1/observations", tags=["observations"])


class RowsIn(Model):
    """Values to store: each row has ``region``, ``indicator``, ``period``, ``value``, ``unit`` and optionally
    ``note``, ``vintage``, ``known_on``, ``source``. They are sent for approval (``status`` "submitted")
    unless ``status`` is "draft"."""

    rows: list[dict[str, Any]] = Field(max_length=observations.MAX_SUBMIT_ROWS)
    status: Literal["draft", "submitted"] = "submitted"
    source: str | None = Field(default=None, max_length=500, description="a document or link for rows without one")


class DecisionIn(Model):
    version: int = Field(ge=1)
    comment: str | None = Field(default=None, max_length=2000)


@router.post("", response_model=SubmitResult, status_code=status.HTTP_201_CREATED,
             responses={422: {"description": "every bad row is listed in rows; nothing was stored"}})
def submit(body: RowsIn, w: UowDep) -> SubmitResult:
    """Store values: all of them or none (a department only for indicators it leads or supports)."""
    return observations.submit_rows(w, rows=body.rows, status=body.status, source=body.source)


@router.get("/{observation_id}", response_model=ObservationOut)
def get_one(observation_id: int, w: UowDep) -> ObservationOut:
    """One stored value with its status and version."""
    return observations.get_observation(w, obs_id=observation_id)


@router.post("/{observation_id}/approve", response_model=ObservationOut,
             responses={409: {"description": "stale version: nothing was changed"}})
def approve(observation_id: int, body: DecisionIn, w: UowDep) -> ObservationOut:
    """Approve a submitted value (coordinator, admin)."""
    return observations.approve(w, obs_id=observation_id, version=body.version, comment=body.comment)


@router.post("/{observation_id}/reject", response_model=ObservationOut,
             responses={409: {"description": "stale version: nothing was changed"}})
def reject(observation_id: int, body: DecisionIn, w: UowDep) -> ObservationOut:
    """Reject a submitted value with a comment saying why (coordinator, admin)."""
    return observations.reject(w, obs_id=observation_id, version=body.version, comment=body.comment)
