"""The table of migration ``0003_web`` for composite-index runs started from the web application.

A run is queued, runs in the background, and ends ``done`` with its result (the JSON of ``innocity index run
--format json``) or ``failed`` with an error; the page and ``GET /api/v1/index/runs/{id}`` poll it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .db import Base
from .tables import utcnow

RUN_STATUSES = ("queued", "running", "done", "failed")


class IndexRun(Base):
    __tablename__ = "index_runs"
    __table_args__ = (CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)  # framework (name or YAML text), year, uncertainty
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))  # the scope it was run for
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0–100
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
