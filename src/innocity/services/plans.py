"""Reading stored plans back: the list, one plan with its versions and current items (and its source text
for the review workspace), bulk review, and the same indicator compared across cities.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from typing import Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload

from innocity.errors import NotFoundError, UserInputError
from innocity.parsing.readers import read_document
from innocity.storage import plans as plan_repo
from innocity.storage.tables import (
    Document,
    DutyRow,
    FactRow,
    PhaseRow,
    PlanRow,
    ProgramRow,
    Region,
    TargetRow,
)

from .context import Permission, UnitOfWork
from .models import (
    DutyItem,
    Model,
    PhaseItem,
    PlanDetail,
    PlanItem,
    PlanSummary,
    PlanVersionInfo,
    ProgramItem,
)
from .targets import history, target_item
from .tracking import departments_of_targets

REVIEWED = ("confirmed", "edited", "rejected")


def _counts(w: UnitOfWork, table: Any, plan_ids: list[int], *, reviewed: bool = False) -> dict[int, int]:
    q = select(table.plan_id, func.count()).where(table.plan_id.in_(plan_ids), table.retired_in.is_(None))
    if reviewed:
        q = q.where(table.review_state.in_(REVIEWED))
    return {pid: n for pid, n in w.session.execute(q.group_by(table.plan_id))}


def summaries(w: UnitOfWork, *, plan_ids: list[int] | None = None) -> list[PlanSummary]:
    """Plans in the actor's scope (or just ``plan_ids``) with counts of items and of reviewed targets."""
    # a plan row carries its whole parsed JSON, which a summary never reads (decoding it was most of the
    # time of listing a hundred plans)
    q = select(PlanRow).options(defer(PlanRow.parsed), selectinload(PlanRow.region),
                                selectinload(PlanRow.document).load_only(Document.name, Document.sha256,
                                                                         Document.created_at))
    if plan_ids is not None:
        q = q.where(PlanRow.id.in_(plan_ids))
    rows = [r for r in w.session.scalars(q.order_by(PlanRow.id)) if w.in_scope(r.region_id)]
    ids = [r.id for r in rows]
    targets = _counts(w, TargetRow, ids)
    reviewed = _counts(w, TargetRow, ids, reviewed=True)
    facts = _counts(w, FactRow, ids)
    duties = _counts(w, DutyRow, ids)
    return [
        PlanSummary(
            id=r.id,
            title=r.title,
            label=r.label,
            region=r.region.name if r.region else None,
            adcode=r.region.adcode if r.region else None,
            region_id=r.region_id,
            version=r.version,
            document=r.document.name,
            sha256=r.document.sha256,
            targets=targets.get(r.id, 0),
            duties=duties.get(r.id, 0),
            facts=facts.get(r.id, 0),
            reviewed=reviewed.get(r.id, 0),
            created_at=r.created_at,
        )
        for r in rows
    ]


def list_plans(w: UnitOfWork) -> list[PlanSummary]:
    """Every stored plan the actor may see."""
    w.require(Permission.READ)
    return summaries(w)


def plan_in_scope(w: UnitOfWork, *, plan_id: int) -> PlanRow:
    row = plan_repo.get_plan(w.session, plan_id)
    if row is None or not w.in_scope(row.region_id):
        raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    return row


_TEXTS: OrderedDict[str, str] = OrderedDict()  # sha256 → decoded text, the most recent few documents
_TEXTS_KEPT = 32


def source_text(w: UnitOfWork, *, document_id: int) -> str:
    """The decoded text of a stored document (spans point into it), decoded once per process: the bytes
    are read from the database only when the text is not already at hand."""
    head = w.session.execute(
        select(Document.sha256, Document.name).where(Document.id == document_id)
    ).first()
    if head is None:
        raise NotFoundError(f"no document with id {document_id}", field="document_id")
    sha, name = head
    text = _TEXTS.get(sha)
    if text is None:
        content = w.session.scalar(select(Document.content).where(Document.id == document_id))
        text = read_document(content or b"", name).text
        _TEXTS[sha] = text
        while len(_TEXTS) > _TEXTS_KEPT:
            _TEXTS.popitem(last=False)
    else:
        _TEXTS.move_to_end(sha)
    return text


def show_plan(w: UnitOfWork, *, plan_id: int, with_text: bool = False) -> PlanDetail:
    """One plan: summary, versions and its current items with their review state (and, with ``with_text``,
    the decoded source text its spans point into)."""
    w.require(Permission.READ)
    s = w.session
    head = _plan_head(w, plan_id)
    targets = list(plan_repo.current_items(s, TargetRow, plan_id))
    depts = departments_of_targets(s, [t.id for t in targets])
    target_items = []
    for t in targets:
        item = PlanItem.model_validate(t)
        item.lead, item.support = depts[t.id]["lead"], depts[t.id]["support"]
        if t.resolved_year is not None:
            item.year = t.resolved_year
        target_items.append(item)
    duties = []
    for d in plan_repo.current_items(s, DutyRow, plan_id):
        duty = DutyItem.model_validate(d)
        duty.lead = [x.department.name for x in d.departments if x.role == "lead"]
        duty.support = [x.department.name for x in d.departments if x.role == "support"]
        duties.append(duty)
    return PlanDetail(
        id=head.id,
        title=head.title,
        label=head.label,
        region=head.region,
        adcode=head.adcode,
        version=head.version,
        document=head.document,
        sha256=head.sha256,
        region_id=head.region_id,
        document_id=head.document_id,
        versions=[
            PlanVersionInfo(version=v.version, reason=v.reason, by=v.created_by, at=v.created_at)
            for v in plan_repo.versions(s, plan_id)
        ],
        targets=target_items,
        facts=[PlanItem.model_validate(f) for f in plan_repo.current_items(s, FactRow, plan_id)],
        duties=duties,
        phases=[PhaseItem.model_validate(p) for p in plan_repo.current_items(s, PhaseRow, plan_id)],
        programs=[ProgramItem.model_validate(p) for p in plan_repo.current_items(s, ProgramRow, plan_id)],
        text=source_text(w, document_id=head.document_id) if with_text else None,
    )


def _plan_head(w: UnitOfWork, plan_id: int) -> Any:
    """The plan's own columns with its region and document names, in one statement, if the actor may see
    it. Not the plan row: it carries the whole parsed JSON, which showing a plan never reads, and a
    summary's counts, which the detail's lists give."""
    head = w.session.execute(
        select(PlanRow.id, PlanRow.title, PlanRow.label, PlanRow.version, PlanRow.region_id, PlanRow.document_id,
               Region.name.label("region"), Region.adcode, Document.name.label("document"), Document.sha256)
        .join(Document, Document.id == PlanRow.document_id)
        .outerjoin(Region, Region.id == PlanRow.region_id)
        .where(PlanRow.id == plan_id)
    ).first()
    if head is None or not w.in_scope(head.region_id):
        raise NotFoundError(f"no plan with id {plan_id}", field="plan_id")
    return head


def item_history(w: UnitOfWork, *, kind: str, item_id: int) -> list[Any]:
    """The audit history of one plan item (``kind``: targets, facts, duties, phases, programs)."""
    w.require(Permission.READ)
    table = plan_repo.ITEM_TABLES.get(kind)
    if table is None:
        raise UserInputError(f"unknown item kind {kind!r}", field="kind")
    item = w.session.get(table, item_id)
    if item is None:
        raise NotFoundError(f"no {kind} item {item_id}", field="item_id")
    plan_in_scope(w, plan_id=item.plan_id)
    return history(w.session, kind, item_id)


class BulkReview(Model):
    """Confirm or reject many targets at once: ``items`` maps target id → the version the caller read."""

    review: str = Field(pattern="^(confirmed|rejected)$")
    items: dict[int, int]
    comment: str | None = None


def review_many(w: UnitOfWork, *, plan_id: int, bulk: BulkReview) -> list[PlanItem]:
    """Confirm (or reject) several targets of one plan in one transaction: all or nothing, so a stale
    version of any of them changes none."""
    from .targets import TargetPatch, update_target

    w.require(Permission.REVIEW_PLAN)
    plan_in_scope(w, plan_id=plan_id)
    out = []
    for target_id, version in bulk.items.items():
        t = w.session.get(TargetRow, target_id)
        if t is None or t.plan_id != plan_id:
            raise NotFoundError(f"target {target_id} is not in plan {plan_id}", field="items")
        if bulk.review == "confirmed" and t.review_state in REVIEWED and t.review_state != "rejected":
            out.append(target_item(w, target=t))  # already reviewed: confirming again changes nothing
            continue
        patch = TargetPatch(version=version, review=bulk.review, comment=bulk.comment)  # type: ignore[arg-type]
        out.append(update_target(w, target_id=target_id, patch=patch))
    return out


# ---------------------------------------------------------------- compare across cities


class CompareRow(Model):
    """One plan's target for one indicator, with its latest figure and status."""

    plan_id: int
    plan_title: str | None = None
    region: str | None = None
    target_id: int
    text: str
    goal: str
    year: int | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    unit: str | None = None
    status: str
    simulated: bool = False


class SharedIndicator(Model):
    code: str
    name: str
    unit: str | None = None
    plans: int


def shared_indicators(w: UnitOfWork, *, min_plans: int = 2) -> list[SharedIndicator]:
    """Indicators targeted by ``min_plans`` or more plans in scope, most shared first."""
    w.require(Permission.READ)
    plans: dict[str, set[int]] = defaultdict(set)
    q = (
        select(TargetRow.indicator_code, TargetRow.plan_id, PlanRow.region_id)
        .join(PlanRow, PlanRow.id == TargetRow.plan_id)
        .where(TargetRow.retired_in.is_(None), TargetRow.review_state != "rejected",
               TargetRow.indicator_code.is_not(None))
    )
    for code, pid, rid in w.session.execute(q):
        if code and w.in_scope(rid):
            plans[code].add(pid)
    out = [
        SharedIndicator(code=c, name=w.catalog.get(c).name_zh if c in w.catalog else c,
                        unit=w.catalog.get(c).unit if c in w.catalog else None, plans=len(p))
        for c, p in plans.items() if len(p) >= min_plans
    ]
    return sorted(out, key=lambda x: (-x.plans, x.code))


def compare(w: UnitOfWork, *, indicator: str, year: int | None = None) -> list[CompareRow]:
    """Each plan's target for ``indicator`` side by side: goal, year, baseline, latest figure, status."""
    from .tracking import progress

    code = indicator.strip().upper()
    if code not in w.catalog:
        raise UserInputError(f"unknown indicator {indicator!r}", field="indicator")
    rows = [r for r in progress(w, year=year, include_draft=False) if r.indicator_code == code]
    return [
        CompareRow(
            plan_id=r.plan_id, plan_title=r.plan_title, region=r.region, target_id=r.target_id, text=r.text,
            goal=r.goal_text(), year=r.target.year, baseline_year=r.baseline.year, baseline_value=r.baseline.value,
            latest_year=r.actual.year, latest_value=r.actual.value, unit=r.unit, status=r.status,
        )
        for r in sorted(rows, key=lambda r: (r.region or "", r.plan_id))
    ]
