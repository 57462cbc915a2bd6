"""Ingesting plan documents and reading stored plans back (``innocity ingest``, ``innocity plans``).

Ingest keeps the original bytes (sha256 unique): the same bytes twice change nothing. A document with
new bytes whose plan has the same region and title as a stored one becomes a new version of that plan.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from innocity.domain.plan import ParsedDocument, Plan
from innocity.errors import NoPlanFoundError, NotFoundError, UserInputError
from innocity.settings import Settings
from innocity.storage import plans as plan_repo
from innocity.storage.tables import DutyRow, FactRow, PhaseRow, PlanRow, ProgramRow, Region, TargetRow

from .store import Store, open_store


@dataclass(slots=True)
class IngestResult:
    """What ingesting one file did: ``status`` is stored, unchanged or new-version."""

    path: str
    sha256: str
    status: str
    plan_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _parse(path: Path) -> ParsedDocument:
    # The parsing service is written in parallel: resolved at call time, with the bare pipeline as a
    # fallback, so the store works before it lands.
    import importlib

    try:
        parsing = importlib.import_module("innocity.services.parsing")
    except ModuleNotFoundError:
        from innocity.parsing.pipeline import parse_bytes

        return parse_bytes(path.read_bytes(), path.name)
    doc: ParsedDocument = parsing.parse_path(path)
    return doc


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
                select(Region.id, Region.level).where(
                    Region.name == reg.name, Region.province == reg.province
                )
            ).all()
            rows = in_prov or rows
        order = {"province": 0, "city": 1, "county": 2}
        rows = sorted(rows, key=lambda r: order.get(r.level, 3))
        if rows:
            return int(rows[0].id)
    return None


def ingest_document(store: Store, *, data: bytes, name: str, doc: ParsedDocument) -> IngestResult:
    """Store ``doc`` (parsed from ``data``) in one transaction; nothing happens for bytes already stored."""
    sha = hashlib.sha256(data).hexdigest()
    with store.session() as s:
        existing = plan_repo.document_by_sha(s, sha)
        if existing is not None:
            ids = list(s.scalars(select(PlanRow.id).where(PlanRow.document_id == existing.id)))
            return IngestResult(name, sha, "unchanged", ids)
        document = plan_repo.add_document(
            s,
            content=data,
            sha256=sha,
            name=name,
            media_type=doc.source.media_type,
            encoding=doc.source.encoding,
            parsed=doc.to_dict(),
            by=store.user,
        )
        stored_ids: list[int] = []
        status = "stored"
        for i, plan in enumerate(doc.plans):
            region_id = resolve_region(s, plan)
            row = plan_repo.find_plan(s, region_id=region_id, title=plan.title)
            if row is None:
                row = plan_repo.create_plan(
                    s, document=document, position=i, region_id=region_id, plan=plan, by=store.user
                )
            else:
                row = plan_repo.new_version(
                    s, row, document=document, plan=plan, reason="re-ingested", by=store.user
                )
                status = "new-version"
            stored_ids.append(row.id)
    return IngestResult(name, sha, status, stored_ids, list(doc.warnings))


def ingest_paths(settings: Settings, paths: list[Path]) -> list[IngestResult]:
    """``innocity ingest FILE…``: parse and store each file; a file without any plan is an error."""
    for p in paths:
        if not p.is_file():
            raise NotFoundError("no such file", source=str(p))
    store = open_store(settings)
    out: list[IngestResult] = []
    try:
        for p in paths:
            data = p.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            with store.session() as s:
                known = plan_repo.document_by_sha(s, sha) is not None
            if known:
                out.append(ingest_document(store, data=data, name=p.name, doc=_empty_doc()))
                continue
            doc = _parse(p)
            if not doc.plans:
                raise NoPlanFoundError("the document was read but holds no plan", source=str(p))
            out.append(ingest_document(store, data=data, name=p.name, doc=doc))
    finally:
        store.dispose()
    return out


def _empty_doc() -> ParsedDocument:
    from innocity.domain.plan import SourceInfo

    return ParsedDocument(SourceInfo("", "", "", "", 0), [])


def _plan_summary(row: PlanRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "label": row.label,
        "region": row.region.name if row.region else None,
        "adcode": row.region.adcode if row.region else None,
        "version": row.version,
        "document": row.document.name,
        "sha256": row.document.sha256,
        "targets": len(row.parsed.get("targets", [])),
        "duties": len(row.parsed.get("duties", [])),
    }


def list_plans(settings: Settings) -> list[dict[str, Any]]:
    """``innocity plans list``: one summary dict per stored plan."""
    store = open_store(settings)
    with store.session() as s:
        out = [_plan_summary(r) for r in plan_repo.list_plans(s)]
    store.dispose()
    return out


def _item_dict(item: Any) -> dict[str, Any]:
    cols = [c.key for c in item.__table__.columns]
    d = {c: getattr(item, c) for c in cols if c not in {"plan_id"}}
    if isinstance(item, DutyRow):
        d["lead"] = [dd.department.name for dd in item.departments if dd.role == "lead"]
        d["support"] = [dd.department.name for dd in item.departments if dd.role == "support"]
    return d


def show_plan(settings: Settings, plan_id: int) -> dict[str, Any]:
    """``innocity plans show ID``: the plan's summary, its versions and its current items with review state."""
    store = open_store(settings)
    try:
        with store.session() as s:
            row = plan_repo.get_plan(s, plan_id)
            if row is None:
                raise NotFoundError(f"no plan with id {plan_id}", source="plans show")
            out = _plan_summary(row)
            out["versions"] = [
                {"version": v.version, "reason": v.reason, "by": v.created_by, "at": v.created_at}
                for v in plan_repo.versions(s, plan_id)
            ]
            for key, table in (
                ("targets", TargetRow),
                ("facts", FactRow),
                ("duties", DutyRow),
                ("phases", PhaseRow),
                ("programs", ProgramRow),
            ):
                out[key] = [_item_dict(i) for i in plan_repo.current_items(s, table, plan_id)]
    finally:
        store.dispose()
    return out


def parse_plan_id(text: str) -> int:
    """A plan id as typed by the user."""
    try:
        return int(text)
    except ValueError:
        raise UserInputError(f"not a plan id: {text!r}", source="plans show") from None
