"""Repository of documents, plans and plan items (targets, facts, duties, phases, programmes).

Takes and returns domain objects (``innocity.domain.plan``) or table rows; never parses. A plan item is
never deleted: a new plan version retires the previous version's items (``retired_in``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from innocity.domain.plan import Duty, Fact, Phase, Plan, Program, Target

from . import audit
from .regions import get_or_create_department
from .tables import (
    Document,
    DutyDepartment,
    DutyRow,
    FactRow,
    PhaseRow,
    PlanRow,
    PlanVersion,
    ProgramRow,
    TargetRow,
    utcnow,
)

ITEM_TABLES: dict[str, Any] = {
    "targets": TargetRow,
    "facts": FactRow,
    "duties": DutyRow,
    "phases": PhaseRow,
    "programs": ProgramRow,
}


def document_by_sha(s: Session, sha256: str) -> Document | None:
    return s.scalar(select(Document).where(Document.sha256 == sha256))


def add_document(
    s: Session,
    *,
    content: bytes,
    sha256: str,
    name: str,
    media_type: str,
    encoding: str | None,
    parsed: dict[str, Any],
    by: str,
) -> Document:
    doc = Document(
        sha256=sha256,
        name=name,
        media_type=media_type,
        encoding=encoding,
        size=len(content),
        content=content,
        parsed=parsed,
        created_by=by,
    )
    s.add(doc)
    s.flush()
    return doc


def find_plan(s: Session, *, region_id: int | None, title: str | None) -> PlanRow | None:
    """The stored plan that a new reading of the same plan (same region and title) replaces."""
    if region_id is None or not title:
        return None
    q = select(PlanRow).where(PlanRow.region_id == region_id, PlanRow.title == title).order_by(PlanRow.id)
    return s.scalars(q).first()


def _span(item: Target | Fact | Duty | Phase | Program) -> dict[str, Any]:
    return {"text": item.text, "span_start": item.span[0], "span_end": item.span[1]}


def _add_items(s: Session, plan_row: PlanRow, plan: Plan, version: int) -> None:
    common = {"plan_id": plan_row.id, "plan_version": version}
    for i, t in enumerate(plan.targets):
        b = t.baseline
        s.add(
            TargetRow(
                **common,
                **_span(t),
                position=i,
                section=t.section,
                indicator=t.indicator,
                indicator_code=t.indicator_code,
                match_score=t.match_score,
                kind=t.kind,
                comparator=t.comparator,
                value=t.value,
                value_max=t.value_max,
                unit=t.unit,
                unit_text=t.unit_text,
                approximate=t.approximate,
                year=t.year,
                year_text=t.year_text,
                baseline_year=b.year if b else None,
                baseline_value=b.value if b else None,
                baseline_text=b.text if b else None,
            )
        )
    for i, f in enumerate(plan.facts):
        s.add(
            FactRow(
                **common,
                **_span(f),
                position=i,
                section=f.section,
                indicator=f.indicator,
                indicator_code=f.indicator_code,
                match_score=f.match_score,
                value=f.value,
                unit=f.unit,
                year=f.year,
                year_text=f.year_text,
                qualifier=f.qualifier,
            )
        )
    for i, d in enumerate(plan.duties):
        row = DutyRow(
            **common,
            **_span(d),
            position=i,
            section=d.section,
            task=d.task,
            deadline=d.deadline,
            lead_as_written=list(d.lead_as_written),
            support_as_written=list(d.support_as_written),
        )
        s.add(row)
        s.flush()
        seen: set[tuple[int, str]] = set()
        for role, names in (("lead", d.lead), ("support", d.support)):
            for j, name in enumerate(names):
                dept = get_or_create_department(s, plan_row.region_id, name)
                if (dept.id, role) in seen:
                    continue
                seen.add((dept.id, role))
                s.add(DutyDepartment(duty_id=row.id, department_id=dept.id, role=role, position=j))
    for i, p in enumerate(plan.phases):
        s.add(
            PhaseRow(
                **common,
                **_span(p),
                position=i,
                name=p.name,
                start=p.start,
                end=p.end,
                start_text=p.start_text,
                end_text=p.end_text,
                start_month=p.start_month,
                end_month=p.end_month,
            )
        )
    for i, g in enumerate(plan.programs):
        s.add(
            ProgramRow(
                **common,
                **_span(g),
                position=i,
                name=g.name,
                parts=[pt.to_dict() for pt in g.parts],
                consistent=g.consistent,
                checkable=g.checkable,
            )
        )
    s.flush()


def create_plan(
    s: Session, *, document: Document, position: int, region_id: int | None, plan: Plan, by: str
) -> PlanRow:
    """Store a newly ingested plan as version 1 with all its items."""
    row = PlanRow(
        document_id=document.id,
        position=position,
        region_id=region_id,
        title=plan.title,
        label=plan.label,
        parsed=plan.to_dict(),
        version=1,
    )
    s.add(row)
    s.flush()
    s.add(
        PlanVersion(
            plan_id=row.id,
            version=1,
            document_id=document.id,
            parsed=row.parsed,
            reason="ingested",
            created_by=by,
        )
    )
    _add_items(s, row, plan, 1)
    audit.record(s, actor=by, action="insert", entity="plans", entity_id=row.id, after={"title": plan.title})
    return row


def new_version(s: Session, row: PlanRow, *, document: Document, plan: Plan, reason: str, by: str) -> PlanRow:
    """Make ``plan`` the current version of ``row``: old items are retired, not deleted."""
    old = row.version
    version = old + 1
    for table in ITEM_TABLES.values():
        s.execute(
            update(table)
            .where(table.plan_id == row.id, table.retired_in.is_(None))
            .values(retired_in=version)
        )
    row.version = version
    row.parsed = plan.to_dict()
    row.title = plan.title
    row.label = plan.label
    row.document_id = document.id
    row.updated_at = utcnow()
    s.add(
        PlanVersion(
            plan_id=row.id,
            version=version,
            document_id=document.id,
            parsed=row.parsed,
            reason=reason,
            created_by=by,
        )
    )
    _add_items(s, row, plan, version)
    audit.record(
        s,
        actor=by,
        action=reason,
        entity="plans",
        entity_id=row.id,
        field="version",
        before=old,
        after=version,
    )
    return row


def list_plans(s: Session) -> list[PlanRow]:
    q = select(PlanRow).options(selectinload(PlanRow.region), selectinload(PlanRow.document))
    return list(s.scalars(q.order_by(PlanRow.id)))


def get_plan(s: Session, plan_id: int) -> PlanRow | None:
    return s.get(PlanRow, plan_id)


def versions(s: Session, plan_id: int) -> list[PlanVersion]:
    q = select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.version)
    return list(s.scalars(q))


def current_items(s: Session, table: type[Any], plan_id: int) -> Sequence[Any]:
    """The items of the plan's current version (``table`` is one of ``ITEM_TABLES``) in document order."""
    q = select(table).where(table.plan_id == plan_id, table.retired_in.is_(None)).order_by(table.position)
    if table is DutyRow:
        q = q.options(selectinload(DutyRow.departments).selectinload(DutyDepartment.department))
    return list(s.scalars(q))


def targets(
    s: Session,
    *,
    plan_id: int | None = None,
    region_id: int | None = None,
    plan_ids: Sequence[int] | None = None,
    include_rejected: bool = False,
) -> list[TargetRow]:
    """Current targets (of one plan, of some plans or of every plan of one region), rejected ones left out
    by default, in plan and document order."""
    q = select(TargetRow).where(TargetRow.retired_in.is_(None))
    if region_id is not None:
        q = q.join(PlanRow, PlanRow.id == TargetRow.plan_id).where(PlanRow.region_id == region_id)
    if plan_id is not None:
        q = q.where(TargetRow.plan_id == plan_id)
    if plan_ids is not None:
        q = q.where(TargetRow.plan_id.in_(sorted(set(plan_ids))))
    if not include_rejected:
        q = q.where(TargetRow.review_state != "rejected")
    return list(s.scalars(q.order_by(TargetRow.plan_id, TargetRow.position)))


def review(
    s: Session, item: Any, *, state: str, by: str, comment: str | None = None, at: datetime | None = None
) -> None:
    """Move an item to ``confirmed``/``rejected`` (or ``edited``), recording who and when (and audit)."""
    from .tables import REVIEW_STATES

    if state not in REVIEW_STATES:
        raise ValueError(f"unknown review state {state!r}")
    before = item.review_state
    item.review_state = state
    item.reviewed_by = by
    item.reviewed_at = at or utcnow()
    item.review_comment = comment
    audit.record(
        s,
        actor=by,
        action="review",
        entity=item.__tablename__,
        entity_id=item.id,
        field="review_state",
        before=before,
        after=state,
        comment=comment,
    )


def edit_item(s: Session, item: Any, changes: dict[str, Any], *, by: str, comment: str | None = None) -> list[str]:
    """Change fields of an item by hand: audited per field; the item becomes ``edited`` if anything changed."""
    changed = audit.update_fields(s, item, changes, actor=by, action="edit", comment=comment)
    if changed:
        item.review_state = "edited"
        item.edited_by = by
        item.edited_at = utcnow()
    return changed


def resolve_year(s: Session, target: TargetRow, year: int, *, by: str) -> None:
    """A person states the real year behind a masked one (201* → 2015): who and when are recorded."""
    before = target.resolved_year
    target.resolved_year = year
    target.resolved_by = by
    target.resolved_at = utcnow()
    audit.record(
        s,
        actor=by,
        action="resolve",
        entity="targets",
        entity_id=target.id,
        field="resolved_year",
        before=before,
        after=year,
        comment=target.year_text,
    )
