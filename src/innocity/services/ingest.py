"""Ingesting plan documents: ``innocity ingest`` and the web application's upload.

Ingest keeps the original bytes (sha256 unique): the same bytes twice change nothing and point to the plans
already stored. A document with new bytes whose plan has the same region and title as a stored one becomes
a new version of that plan. Files are independent: in a batch, a file that cannot be read is reported with
its reason and the others still go in (``IngestResult.status == "failed"``; the CLI then exits 2 and lists
them, the upload page shows each file's result).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from innocity import catalog as catalog_mod
from innocity.domain.plan import ParsedDocument, Plan
from innocity.errors import ForbiddenError, NoPlanFoundError, NotFoundError, UserInputError
from innocity.parsing import pipeline
from innocity.storage import plans as plan_repo
from innocity.storage.tables import PlanRow, Region

from .context import Permission, UnitOfWork
from .models import IngestResult
from .plans import summaries

MAX_UPLOAD_BYTES = 20 * 10**6  # the web application's default limit (INNOCITY_MAX_UPLOAD_MB changes it)


def resolve_region(s: Session, plan: Plan) -> int | None:
    """The stored region of a parsed plan: by adcode, else by its exact name (cities before counties)."""
    reg = plan.region
    if reg.adcode:
        rid = s.scalar(select(Region.id).where(Region.adcode == reg.adcode))
        if rid is not None:
            return rid
    if reg.name:
        rows = s.execute(select(Region.id, Region.level).where(Region.name == reg.name)).all()
        if reg.province:
            in_prov = s.execute(
                select(Region.id, Region.level).where(Region.name == reg.name, Region.province == reg.province)
            ).all()
            rows = in_prov or rows
        order = {"province": 0, "city": 1, "county": 2}
        rows = sorted(rows, key=lambda r: order.get(r.level, 3))
        if rows:
            return int(rows[0].id)
    return None


def _ancestors(s: Session, region_id: int) -> set[int]:
    out: set[int] = set()
    cur = s.get(Region, region_id)
    while cur is not None and cur.parent_id is not None:
        out.add(cur.parent_id)
        cur = s.get(Region, cur.parent_id)
    return out


def _region_for(w: UnitOfWork, plan: Plan, warnings: list[str]) -> int | None:
    """The plan's region, as the actor may store it: a scoped uploader's plan that names no place, or only
    the province around the uploader's city, is the uploader's; a plan of another place is refused."""
    rid = resolve_region(w.session, plan)
    if w.actor.unscoped:
        return rid
    own = w.actor.region_id
    if rid is None or (own is not None and rid in _ancestors(w.session, own)):
        if rid is not None:
            warnings.append(f"方案“{plan.title or plan.label or ''}”识别为上级地区，已归入您所在的地区")
        return own
    if not w.in_scope(rid):
        raise ForbiddenError(f"方案“{plan.title or ''}”属于{plan.region.name or '其他地区'}，不在您的权限范围内")
    return rid


def parse_bytes(w: UnitOfWork, *, data: bytes, name: str) -> ParsedDocument:
    """Read, decode and parse ``data``, then match its targets and facts to the process's catalogue."""
    doc = pipeline.parse_bytes(data, name)
    catalog_mod.annotate_document(doc, w.matcher)
    return doc


def ingest_bytes(w: UnitOfWork, *, data: bytes, name: str, doc: ParsedDocument | None = None) -> IngestResult:
    """Store one document (parsed here unless ``doc`` is given) in the caller's transaction.

    Bytes already stored change nothing (``unchanged``, with the existing plan ids); a document that holds
    no plan raises ``NoPlanFoundError``.
    """
    w.require(Permission.UPLOAD_PLAN)
    s = w.session
    sha = hashlib.sha256(data).hexdigest()
    existing = plan_repo.document_by_sha(s, sha)
    if existing is not None:
        rows = list(s.scalars(select(PlanRow).where(PlanRow.document_id == existing.id)))
        ids = [r.id for r in rows if w.in_scope(r.region_id)]
        if rows and not ids:
            raise ForbiddenError("该文件已由其他地区上传")
        return IngestResult(path=name, sha256=sha, status="unchanged", plan_ids=ids, plans=summaries(w, plan_ids=ids))
    doc = doc if doc is not None else parse_bytes(w, data=data, name=name)
    if not doc.plans:
        raise NoPlanFoundError("the document was read but holds no plan", source=name)
    warnings = list(doc.warnings)
    regions = [_region_for(w, plan, warnings) for plan in doc.plans]
    document = plan_repo.add_document(
        s,
        content=data,
        sha256=sha,
        name=name,
        media_type=doc.source.media_type,
        encoding=doc.source.encoding,
        parsed=doc.to_dict(),
        by=w.user,
    )
    stored_ids: list[int] = []
    status = "stored"
    for i, (plan, region_id) in enumerate(zip(doc.plans, regions, strict=True)):
        row = plan_repo.find_plan(s, region_id=region_id, title=plan.title)
        if row is None:
            row = plan_repo.create_plan(s, document=document, position=i, region_id=region_id, plan=plan, by=w.user)
        else:
            row = plan_repo.new_version(s, row, document=document, plan=plan, reason="re-ingested", by=w.user)
            status = "new-version"
        stored_ids.append(row.id)
    s.flush()
    return IngestResult(
        path=name, sha256=sha, status=status, plan_ids=stored_ids, warnings=warnings,
        plans=summaries(w, plan_ids=stored_ids),
    )


def read_file(path: Path, *, limit: int = 256 * 10**6) -> bytes:
    """The bytes of a regular file, or a one-line error naming it (missing, a directory, a FIFO, too big)."""
    from innocity.errors import DocumentError

    name = str(path)
    if not path.exists():
        raise NotFoundError("no such file", source=name)
    if not path.is_file():
        raise DocumentError("not a regular file", source=name)
    size = path.stat().st_size
    if size > limit:
        raise DocumentError(f"too large ({size / 1e6:.0f} MB; the limit is {limit // 10**6} MB)", source=name)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}", source=name) from None


def ingest_file(w: UnitOfWork, *, path: Path) -> IngestResult:
    """One file of ``innocity ingest``: stored, unchanged, new-version, or failed / no-plan with its reason.

    A failure is reported, not raised, so the other files of a batch (each in its own unit of work) still
    go in; ``ingest_bytes`` refuses before it writes anything, so a failed file leaves nothing behind.
    """
    try:
        return ingest_bytes(w, data=read_file(path), name=path.name)
    except (UserInputError, NoPlanFoundError, ForbiddenError) as exc:
        status = "no-plan" if isinstance(exc, NoPlanFoundError) else "failed"
        return IngestResult(path=str(path), sha256="", status=status, error=exc.one_line())
