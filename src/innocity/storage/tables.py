"""The tables of migration ``0001_initial``: regions, departments, documents, plans and their items,
observations, imports and the audit log.

Nothing is deleted in place: a superseded plan item gets ``retired_in`` (the plan version that replaced
it), a re-ingested plan gets a new row in ``plan_versions``, a changed value leaves a row in ``audit_log``.
Times are naive UTC. Changing a column here needs a new migration in ``storage/migrations/versions``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base

REVIEW_STATES = ("extracted", "confirmed", "edited", "rejected")
OBS_STATUSES = ("draft", "submitted", "approved", "rejected")
VINTAGES = ("preliminary", "final", "revised")
DUTY_ROLES = ("lead", "support")


def utcnow() -> datetime:
    """Naive UTC now (the same on SQLite, which has no time zones, and PostgreSQL)."""
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None)


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


class Region(Base):
    """An administrative division (province → city → county), seeded from ``data/divisions.csv``."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adcode: Mapped[str | None] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    level: Mapped[str] = mapped_column(String(16))  # province | city | county | group
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    province: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))

    parent: Mapped[Region | None] = relationship(remote_side="Region.id")


class Department(Base):
    """A government department of one region (市科技局); ``name`` is the normalised short form."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_departments_region_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Document(Base):
    """The original bytes of an ingested file (a plan, or a statistical bulletin values were read from);
    the source is never lost."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    encoding: Mapped[str | None] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole ParsedDocument.to_dict()
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default="plan", server_default="plan")  # plan | bulletin


class PlanRow(Base):
    """One plan (a document may hold several). ``parsed`` is the current version's Plan.to_dict()."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the document
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(500))
    label: Mapped[str | None] = mapped_column(String(50))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    region: Mapped[Region | None] = relationship()


class PlanVersion(Base):
    """Every version a plan has had: the ingested reading, a re-ingest, an edit."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version", name="uq_plan_versions_plan_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    parsed: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(String(50))  # ingested | re-ingested | edited
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))


class _Item:
    """Columns every extracted plan item has: where it was quoted from and how far it was reviewed."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(Text)
    plan_version: Mapped[int] = mapped_column(Integer, default=1)  # the version that produced it
    retired_in: Mapped[int | None] = mapped_column(Integer)  # the version that superseded it
    review_state: Mapped[str] = mapped_column(String(16), default="extracted")
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    review_comment: Mapped[str | None] = mapped_column(Text)
    edited_by: Mapped[str | None] = mapped_column(String(100))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Optimistic locking (SQLAlchemy's version_id_col on each item class): a write from a stale copy
    # matches no row and becomes a ConflictError; the API sends the version it read.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")


def _item_args() -> tuple[Any, ...]:
    return (CheckConstraint(_in("review_state", REVIEW_STATES), name="review_state"),)


class TargetRow(_Item, Base):
    """A quantitative goal; a masked year (201*) is resolved by a person (resolved_year/by/at)."""

    __tablename__ = "targets"
    __table_args__ = _item_args()
    __mapper_args__ = {"version_id_col": _Item.version}  # noqa: RUF012
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    indicator: Mapped[str] = mapped_column(Text)
    indicator_code: Mapped[str | None] = mapped_column(String(64), index=True)
    match_score: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16))
    comparator: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    unit_text: Mapped[str | None] = mapped_column(String(50))
    approximate: Mapped[bool] = mapped_column(Boolean, default=False)
    year: Mapped[int | None] = mapped_column(Integer)
    year_text: Mapped[str | None] = mapped_column(String(50))
    resolved_year: Mapped[int | None] = mapped_column(Integer)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_text: Mapped[str | None] = mapped_column(Text)

    @property
    def effective_year(self) -> int | None:
        """The deadline year: what a person resolved, else what the plan says."""
        return self.resolved_year if self.resolved_year is not None else self.year


class FactRow(_Item, Base):
    """A figure the plan states about the present or the past."""

    __tablename__ = "facts"
    __table_args__ = _item_args()
    __mapper_args__ = {"version_id_col": _Item.version}  # noqa: RUF012
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    indicator: Mapped[str] = mapped_column(Text)
    indicator_code: Mapped[str | None] = mapped_column(String(64), index=True)
    match_score: Mapped[float | None] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    year: Mapped[int | None] = mapped_column(Integer)
    year_text: Mapped[str | None] = mapped_column(String(50))
    qualifier: Mapped[str | None] = mapped_column(String(20))


class DutyRow(_Item, Base):
    """A task with one lead and several supporting departments (see ``duty_departments``)."""

    __tablename__ = "duties"
    __table_args__ = _item_args()
    __mapper_args__ = {"version_id_col": _Item.version}  # noqa: RUF012
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    task: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(String(50))
    lead_as_written: Mapped[list[str]] = mapped_column(JSON, default=list)
    support_as_written: Mapped[list[str]] = mapped_column(JSON, default=list)

    departments: Mapped[list[DutyDepartment]] = relationship(
        order_by="DutyDepartment.position", cascade="save-update, merge"
    )


class DutyDepartment(Base):
    """Which department does what on a duty: role ``lead`` (牵头) or ``support`` (配合)."""

    __tablename__ = "duty_departments"
    __table_args__ = (CheckConstraint(_in("role", DUTY_ROLES), name="role"),)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship()


class PhaseRow(_Item, Base):
    """A stage of the plan's schedule; start/end are YYYY-MM or null when masked."""

    __tablename__ = "phases"
    __table_args__ = _item_args()
    __mapper_args__ = {"version_id_col": _Item.version}  # noqa: RUF012
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    start_text: Mapped[str | None] = mapped_column(String(50))
    end_text: Mapped[str | None] = mapped_column(String(50))
    start_month: Mapped[int | None] = mapped_column(Integer)
    end_month: Mapped[int | None] = mapped_column(Integer)


class ProgramRow(_Item, Base):
    """A named programme with its declared parts (kept as JSON: label, declared, found)."""

    __tablename__ = "programs"
    __table_args__ = _item_args()
    __mapper_args__ = {"version_id_col": _Item.version}  # noqa: RUF012
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    consistent: Mapped[bool] = mapped_column(Boolean, default=True)
    checkable: Mapped[bool] = mapped_column(Boolean, default=True)


class ImportRow(Base):
    """One data import (a file): who loaded it, when, how many rows were stored."""

    __tablename__ = "imports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer)
    rows_stored: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ObservationRow(Base):
    """One value of one indicator for one region and period, in the indicator's canonical unit.

    ``version`` is SQLAlchemy's ``version_id_col``: an UPDATE from a stale copy matches no row and raises
    ``StaleDataError``, which the services turn into ``ConflictError``.
    """

    __tablename__ = "observations"
    __table_args__ = (
        # The natural key; it also serves "every value of one region" and "one series" reads.
        UniqueConstraint(
            "region_id", "indicator_code", "period", "vintage", "known_on", name="uq_observations_key"
        ),
        # No CHECK constraints on status/vintage/period_kind here: SQLite evaluates them at a cost of
        # two thirds of a bulk load's time (measured), and every write path validates these values.
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    indicator_code: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(10))  # 2015 | 2015Q3 | 2015-07
    period_kind: Mapped[str] = mapped_column(String(8))
    period_year: Mapped[int] = mapped_column(Integer)
    period_index: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(50))
    original_value: Mapped[float | None] = mapped_column(Float)
    original_unit: Mapped[str | None] = mapped_column(String(50))
    vintage: Mapped[str] = mapped_column(String(16), default="final")
    known_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    status_comment: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str] = mapped_column(String(100))
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # no index: it would cost a third of a bulk load's time, and "rows of import N" is a rare question
    import_id: Mapped[int | None] = mapped_column(ForeignKey("imports.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # where the value comes from: a link or a document's name as the person wrote it, and, when it was read
    # from a stored document (a statistical bulletin), that document and the span quoting the value
    source: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)

    region: Mapped[Region] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEntry(Base):
    """Append-only: who changed which field of which row, when, from what to what (JSON text)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))  # insert | update | status | resolve | import …
    entity: Mapped[str] = mapped_column(String(50))  # the table name
    entity_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)


class MetaEntry(Base):
    """Facts about the database itself, e.g. ``dataset_label = SIMULATED`` for the demo's training database,
    which every page and report then shows."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


DATASET_LABEL = "dataset_label"


def get_meta(s: Any, key: str) -> str | None:
    row = s.get(MetaEntry, key)
    return row.value if row is not None else None


def set_meta(s: Any, key: str, value: str) -> None:
    row = s.get(MetaEntry, key)
    if row is None:
        s.add(MetaEntry(key=key, value=value))
    else:
        row.value = value
