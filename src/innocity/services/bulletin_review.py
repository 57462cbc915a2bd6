"""The coordinator's review of a statistical bulletin on ``/data``: keep the uploaded document, read its
proposed figures again whenever the review page is shown (beside the highlighted source), and store the
proposals the reviewer accepts, corrected where needed, as draft values (``services.extract`` does the
reading and the storing; this module ties them to a stored document and to the reviewer's scope)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from innocity.errors import NotFoundError
from innocity.storage.tables import Document

from . import extract
from .context import Permission, UnitOfWork
from .models import Model
from .models.extract import ExtractResult, StoreResult
from .tracking import find_region


class BulletinReview(Model):
    """A kept bulletin and what was read from it (``source_text`` holds the text its spans point into)."""

    document_id: int
    name: str
    result: ExtractResult
    source_text: str


def _check_scope(w: UnitOfWork, result: ExtractResult) -> None:
    """The figures must be for a region the reviewer may enter data for (else: not found)."""
    where = result.region.adcode or result.region.name
    if where and result.region.level != "national":
        find_region(w, region=where)


def keep(w: UnitOfWork, *, data: bytes, name: str, region: str | None = None, year: int | None = None) -> int:
    """Read an uploaded bulletin and keep it (nothing is stored as a value yet); returns its document id."""
    w.require(Permission.SUBMIT_DATA)
    result = extract.extract_bytes(data=data, name=name, matcher=w.matcher, region=region, year=year)
    _check_scope(w, result)
    return extract.store_proposals(w, result=result, data=data, name=name, accepted=[]).document_id


def _document(w: UnitOfWork, document_id: int) -> Document:
    doc = w.session.scalars(select(Document).where(Document.id == document_id, Document.kind == "bulletin")).first()
    if doc is None:
        raise NotFoundError(f"公报 {document_id} 不存在", field="document_id")
    return doc


def review(w: UnitOfWork, *, document_id: int, region: str | None = None, year: int | None = None) -> BulletinReview:
    """The proposals of a kept bulletin, read again (as the reviewer may now give its region or year)."""
    w.require(Permission.SUBMIT_DATA)
    doc = _document(w, document_id)
    result = extract.extract_bytes(data=doc.content, name=doc.name, matcher=w.matcher, region=region, year=year)
    _check_scope(w, result)
    return BulletinReview(document_id=doc.id, name=doc.name, result=result, source_text=result.source_text)


def store(
    w: UnitOfWork,
    *,
    document_id: int,
    accepted: list[int],
    edits: dict[int, dict[str, Any]] | None = None,
    region: str | None = None,
    year: int | None = None,
) -> StoreResult:
    """Store the accepted proposals (with the reviewer's corrections) as drafts, all or nothing."""
    w.require(Permission.SUBMIT_DATA)
    doc = _document(w, document_id)
    result = extract.extract_bytes(data=doc.content, name=doc.name, matcher=w.matcher, region=region, year=year)
    _check_scope(w, result)
    return extract.store_proposals(w, result=result, data=doc.content, name=doc.name, accepted=accepted,
                                   edits=edits or {})
