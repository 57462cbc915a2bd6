"""Ingesting plans: bytes kept, idempotent re-ingest, versions, duties with lead/support departments,
review states, resolving a masked year, and the audit trail. Plans are built by hand (no parser needed)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from innocity.app import AppContext
from innocity.domain.plan import Duty, ParsedDocument, Phase, Plan, Region, SourceInfo, Target
from innocity.errors import NotFoundError
from innocity.services.ingest import ingest_bytes
from innocity.services.models import IngestResult
from innocity.services.plans import list_plans, show_plan
from innocity.storage import audit
from innocity.storage import plans as repo
from innocity.storage.tables import AuditEntry, Document, DutyRow, PlanVersion, TargetRow

TEXT = (
    "无锡市创新型城市建设实施方案\n到201*年，全社会研发投入占地区生产总值比重达到2.8%。\n"
    "责任单位：市科学技术局牵头，市发展和改革委员会、市财政局配合。\n"
)


def make_doc(
    *, title: str = "无锡市创新型城市建设实施方案", value: float = 2.8, text: str = TEXT
) -> ParsedDocument:
    t_start = text.index("到201*年")
    t_end = text.index("。", t_start) + 1
    d_start = text.index("责任单位")
    d_end = len(text) - 1
    plan = Plan(
        title=title,
        span=(0, len(text)),
        region=Region(name="无锡市", province="江苏省", confidence=0.9, adcode="320200", level="city"),
        targets=[
            Target(
                text=text[t_start:t_end],
                span=(t_start, t_end),
                indicator="全社会研发投入占地区生产总值比重",
                kind="level",
                comparator=">=",
                value=value,
                unit="%",
                year=None,
                year_text="201*年",
                indicator_code="rd_intensity",
            )
        ],
        duties=[
            Duty(
                text=text[d_start:d_end],
                span=(d_start, d_end),
                task=None,
                lead=["市科学技术局"],
                support=["市发展和改革委员会", "市财政局"],
            )
        ],
        phases=[
            Phase(
                text="启动阶段",
                span=(0, 4),
                name="启动阶段",
                start="2013-07",
                end=None,
                start_text="2013年7月",
                end_text="201*年6月",
            )
        ],
    )
    src = SourceInfo("wuxi.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", "utf-8", len(text))
    return ParsedDocument(source=src, plans=[plan], text=text)


@contextmanager
def session(app: AppContext) -> Iterator[Session]:
    with app.uow() as w:
        yield w.session


def ingest_document(app: AppContext, **kw: Any) -> IngestResult:
    with app.uow() as w:
        return ingest_bytes(w, **kw)


def test_ingest_keeps_bytes_and_items_with_spans(app: AppContext) -> None:
    data = TEXT.encode("utf-8")
    r = ingest_document(app, data=data, name="wuxi.txt", doc=make_doc())
    assert r.status == "stored" and len(r.plan_ids) == 1
    with session(app) as s:
        doc = s.scalar(select(Document))
        assert doc is not None and doc.content == data and doc.sha256 == hashlib.sha256(data).hexdigest()
        (t,) = repo.targets(s, plan_id=r.plan_ids[0])
        assert TEXT[t.span_start : t.span_end] == t.text  # type: ignore[index]
        assert t.review_state == "extracted" and t.year is None and t.year_text == "201*年"
        (d,) = repo.current_items(s, DutyRow, r.plan_ids[0])
        roles = [(x.role, x.department.name) for x in d.departments]
        assert roles == [("lead", "市科技局"), ("support", "市发改委"), ("support", "市财政局")]
    with app.uow() as w:
        plan = show_plan(w, plan_id=r.plan_ids[0], with_text=True)
        listed = list_plans(w)
    assert plan.region == "无锡市" and plan.adcode == "320200"
    assert plan.duties[0].lead == ["市科技局"]
    assert plan.text == TEXT and TEXT[slice(*plan.targets[0].span)] == plan.targets[0].text  # type: ignore[misc]
    assert [(p.title, p.targets, p.reviewed) for p in listed] == [("无锡市创新型城市建设实施方案", 1, 0)]


def test_same_bytes_twice_change_nothing(app: AppContext) -> None:
    data = TEXT.encode("utf-8")
    first = ingest_document(app, data=data, name="wuxi.txt", doc=make_doc())
    with session(app) as s:
        before = [s.scalar(select(func.count()).select_from(t)) for t in (Document, TargetRow, AuditEntry)]
    again = ingest_document(app, data=data, name="copy.txt", doc=make_doc())
    assert again.status == "unchanged" and again.plan_ids == first.plan_ids
    with session(app) as s:
        after = [s.scalar(select(func.count()).select_from(t)) for t in (Document, TargetRow, AuditEntry)]
    assert after == before


def test_new_bytes_of_the_same_plan_make_a_new_version_and_retire_old_items(app: AppContext) -> None:
    first = ingest_document(app, data=TEXT.encode(), name="v1.txt", doc=make_doc())
    text2 = TEXT.replace("2.8%", "3.0%")
    second = ingest_document(app, data=text2.encode(), name="v2.txt", doc=make_doc(value=3.0, text=text2))
    assert second.status == "new-version" and second.plan_ids == first.plan_ids
    pid = first.plan_ids[0]
    with session(app) as s:
        assert [v.version for v in s.scalars(select(PlanVersion).where(PlanVersion.plan_id == pid))] == [1, 2]
        (current,) = repo.targets(s, plan_id=pid)
        assert current.value == 3.0 and current.plan_version == 2
        all_targets = list(s.scalars(select(TargetRow).order_by(TargetRow.id)))
        assert [t.retired_in for t in all_targets] == [2, None]  # kept, not deleted
        assert s.scalar(select(func.count()).select_from(Document)) == 2


def test_resolving_a_masked_year_and_reviewing_are_recorded(app: AppContext) -> None:
    r = ingest_document(app, data=TEXT.encode(), name="wuxi.txt", doc=make_doc())
    with session(app) as s:
        (t,) = repo.targets(s, plan_id=r.plan_ids[0])
        repo.resolve_year(s, t, 2015, by="王科长")
        repo.review(s, t, state="confirmed", by="王科长")
        tid = t.id
    with session(app) as s:
        t2 = s.get(TargetRow, tid)
        assert t2 is not None
        assert (t2.resolved_year, t2.resolved_by, t2.effective_year) == (2015, "王科长", 2015)
        assert t2.resolved_at is not None and t2.review_state == "confirmed"
        trail = [(e.action, e.field, e.before, e.after) for e in audit.history(s, "targets", tid)]
        assert trail == [
            ("resolve", "resolved_year", None, "2015"),
            ("review", "review_state", '"extracted"', '"confirmed"'),
        ]
        with pytest.raises(ValueError):
            repo.review(s, t2, state="deleted", by="x")


def test_editing_an_item_audits_each_field(app: AppContext) -> None:
    r = ingest_document(app, data=TEXT.encode(), name="wuxi.txt", doc=make_doc())
    with session(app) as s:
        (t,) = repo.targets(s, plan_id=r.plan_ids[0])
        repo.edit_item(s, t, {"value": 3.2, "unit": "%"}, by="李四")
        tid = t.id
    with session(app) as s:
        t2 = s.get(TargetRow, tid)
        assert t2 is not None and t2.value == 3.2 and t2.review_state == "edited" and t2.edited_by == "李四"
        fields = [(e.field, e.before, e.after) for e in audit.history(s, "targets", tid)]
        assert fields == [("value", "2.8", "3.2")]  # the unchanged unit is not logged


def test_rejected_targets_are_left_out_by_default(app: AppContext) -> None:
    r = ingest_document(app, data=TEXT.encode(), name="wuxi.txt", doc=make_doc())
    with session(app) as s:
        (t,) = repo.targets(s, plan_id=r.plan_ids[0])
        repo.review(s, t, state="rejected", by="王科长", comment="不是本方案的指标")
    with session(app) as s:
        assert repo.targets(s, plan_id=r.plan_ids[0]) == []
        assert len(repo.targets(s, plan_id=r.plan_ids[0], include_rejected=True)) == 1


def test_show_unknown_plan_is_not_found(app: AppContext) -> None:
    with app.uow() as w, pytest.raises(NotFoundError):
        show_plan(w, plan_id=999)


def test_show_plan_heads_with_the_summary_without_reading_the_parsed_json(app: AppContext) -> None:
    """One plan shown carries the same title, region, document and version as its summary in the list, and
    is built without loading any plan row's parsed JSON (the whole plan again, decoded for nothing)."""
    r = ingest_document(app, data=TEXT.encode("utf-8"), name="wuxi.txt", doc=make_doc())
    statements: list[str] = []

    def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    with app.uow() as w:
        event.listen(w.session.get_bind(), "before_cursor_execute", seen)
        try:
            plan = show_plan(w, plan_id=r.plan_ids[0])
        finally:
            event.remove(w.session.get_bind(), "before_cursor_execute", seen)
        (summary,) = list_plans(w)
    assert statements and not [q for q in statements if "plans.parsed" in q]
    head = {"id", "title", "label", "region", "adcode", "version", "document", "sha256", "region_id"}
    assert plan.model_dump(include=head) == summary.model_dump(include=head)
    assert plan.document == "wuxi.txt" and plan.document_id is not None and plan.adcode == "320200"
