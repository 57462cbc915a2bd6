"""The base of every result model, and the small shapes several areas share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Results are read from ORM rows or built by services; they are values, not forms."""

    model_config = ConfigDict(from_attributes=True)

    def json_dict(self) -> dict[str, Any]:
        """What ``--format json`` prints and the API returns."""
        return self.model_dump(mode="json")


class RegionRef(Model):
    """A region as the API names it: ``{"name", "adcode"}``."""

    name: str
    adcode: str | None = None


class AuditEntryOut(Model):
    """One row of an item's history: who changed which field when, from what to what."""

    at: datetime
    actor: str
    action: str
    field: str | None = None
    before: Any = None
    after: Any = None
    comment: str | None = None
