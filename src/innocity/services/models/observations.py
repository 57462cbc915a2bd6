"""Observations in and out: what an import or a submission did, one stored value, the review queue, and
what a backup or restore did."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from .common import Model


class RowProblemOut(Model):
    """One bad row: 1-based row number as the user sees it, the field, and why."""

    row: int
    field: str | None = None
    reason: str


class ImportReport(Model):
    """What ``innocity data import`` did: rows read, stored, already present (unchanged) and rejected."""

    source: str
    rows: int
    stored: int
    unchanged: int
    rejected: int
    import_id: int | None = None
    problems: list[RowProblemOut] = Field(default_factory=list)
    rejects_path: str | None = None
    sheet: str | None = None  # the worksheet read from an .xlsx
    warnings: list[str] = Field(default_factory=list)


class SubmitResult(Model):
    """What ``POST /api/v1/observations`` did: values stored (all or nothing) and their ids."""

    stored: int
    ids: list[int] = Field(default_factory=list)
    unchanged: int = 0  # rows equal to a value already stored: not stored twice


class ObservationOut(Model):
    """One stored value, in the indicator's canonical unit, with where it came from."""

    id: int
    region: str  # adcode, or the name of a region without one
    region_name: str
    indicator: str
    period: str
    value: float
    unit: str | None = None
    vintage: str
    known_on: date | None = None
    original_value: float | None = None
    original_unit: str | None = None
    note: str | None = None
    source: str | None = None
    document_id: int | None = None
    span: tuple[int, int] | None = None
    status: str
    status_comment: str | None = None
    entered_by: str | None = None
    entered_at: datetime | None = None
    version: int


class DataReviewItem(ObservationOut):
    """A value waiting for review, with what a reviewer needs beside it: the previous period's value, the
    change in per cent, and the jump warning the import check would give."""

    previous_period: str | None = None
    previous_value: float | None = None
    change_pct: float | None = None
    warning: str | None = None


class ExportResult(Model):
    """What ``innocity data export`` wrote: the text (when no file was given) or the file, and the rows."""

    format: str
    rows: int
    path: str | None = None
    text: str | None = None


class BackupResult(Model):
    """A backup written: where, how (sqlite-backup | pg_dump | json) and its size in bytes."""

    path: str
    method: str
    size: int


class RestoreResult(Model):
    """A restore done: from where, what kind of backup, and the schema revision the database is now at."""

    path: str
    method: str
    revisions: list[str] = Field(default_factory=list)
