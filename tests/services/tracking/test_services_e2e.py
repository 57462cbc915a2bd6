"""End to end on a real database: ingest a plan, store figures, check every status, resolve what the plan
left open, and take a 督办 item from raised to closed with its history audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from innocity.app import AppContext
from innocity.errors import ConflictError, NotFoundError, UserInputError
from innocity.services import demo, scorecard, supervise, targets, tasks, tracking
from innocity.services.models import ProgressRow
from innocity.storage import audit


def _by_code(rows: list[ProgressRow]) -> dict[str, ProgressRow]:
    return {r.indicator_code or "": r for r in rows}


@pytest.fixture
def figures(observe: Any, plan_id: int) -> None:
    observe([
        ("T_RD", 2016, 2.1), ("T_RD", 2017, 2.1),
        ("T_HT", 2015, 100.0), ("T_HT", 2017, 130.0),
        ("T_PAT", 2015, 1000.0), ("T_PAT", 2017, 1150.0),
        ("T_EN", 2018, 0.48),
        ("T_SME", 2017, 770.0),
        ("T_TECH", 2015, 15.0),
    ])
    observe([("T_PAT", 2018, 1350.0)], status="draft")


def test_statuses_before_and_after_resolution(app: AppContext, plan_id: int, figures: None) -> None:
    with app.uow() as w:
        rows = _by_code(tracking.progress(w, year=2018))
    assert rows["T_RD"].baseline.model_dump() == {"year": 2015, "value": 2.0, "source": "plan"}
    # 2017 expected 2.0 + 0.5·2/5 = 2.2; actual 2.1 → r = 0.5
    assert rows["T_RD"].ratio == pytest.approx(0.5)
    assert rows["T_RD"].status == "off_track"
    assert rows["T_HT"].status == "needs_input"  # growth without a baseline
    # baseline 1000 (2015 figure), goal 1500; 2017 expected 1200, actual 1150 → r = 0.75
    assert rows["T_PAT"].baseline.source == "observation"
    assert rows["T_PAT"].ratio == pytest.approx(0.75)
    assert rows["T_PAT"].status == "behind"
    assert rows["T_EN"].status == "achieved"  # 0.48 ≤ 0.5
    assert rows["T_SME"].status == "needs_input"  # 201*
    assert rows["T_TECH"].status == "overdue"  # 15 < 20 and 2015 has passed
    assert rows["T_RD"].lead == []

    with app.uow() as w:
        alice, bob = demo.as_user(w, username="alice"), demo.as_user(w, username="bob")
        targets.set_target(alice, target_id=rows["T_HT"].target_id, baseline_year=2015, baseline_value=100.0,
                           lead=["市科技局"], support=["市统计局"])
        targets.set_target(bob, target_id=rows["T_SME"].target_id, year=2018, baseline_year=2015,
                           baseline_value=500.0, comment="201* read as 2018")
    with app.uow() as w:
        rows = _by_code(tracking.progress(w, year=2018))
        hist = audit.history(w.session, "targets", rows["T_SME"].target_id)
    # 2017 expected 100·1.15² = 132.25; actual 130 → r = 30/32.25 = 0.9302
    assert rows["T_HT"].ratio == pytest.approx(30 / 32.25)
    assert rows["T_HT"].status == "behind"
    assert rows["T_HT"].lead == ["市科技局"] and rows["T_HT"].support == ["市统计局"]
    assert rows["T_SME"].status == "achieved"  # 770 within 5 % of 800左右
    assert {(h.actor, h.field) for h in hist} >= {("bob", "resolved_year"), ("bob", "baseline_value")}


def test_region_filter_takes_in_the_regions_below(app: AppContext, plan_id: int) -> None:
    with app.uow() as w:
        assert len(tracking.progress(w, region="湖南省", year=2018)) == 6
        assert len(tracking.progress(w, region="430200", year=2018)) == 6
        assert tracking.progress(w, region="西宁市", year=2018) == []
        assert len(tasks.list_tasks(w, region="湖南省")) == 2
        with pytest.raises(NotFoundError) as err:
            tracking.progress(w, region="不存在省")
        assert err.value.field == "region"


def test_drafts_and_vintages(app: AppContext, plan_id: int, figures: None) -> None:
    with app.uow() as w:
        with_draft = _by_code(tracking.progress(w, year=2018, include_draft=True))
        then = _by_code(tracking.progress(w, as_of=date(2017, 12, 31)))
    # draft 2018 figure 1350 vs expected 1300 → r = 350/300
    assert with_draft["T_PAT"].ratio == pytest.approx(350 / 300)
    assert with_draft["T_PAT"].status == "on_track"
    assert with_draft["T_PAT"].draft_actual is True and with_draft["T_RD"].draft_actual is False
    # as known at the end of 2017 only the 2016 R&D figure existed: 2.1 vs expected 2.1 → on track
    assert then["T_RD"].actual.model_dump() == {"year": 2016, "value": 2.1}
    assert then["T_RD"].status == "on_track"


def test_supervision_lifecycle(app: AppContext, plan_id: int, figures: None) -> None:
    today = date(2018, 3, 1)
    with app.uow() as w:
        raised = supervise.sync(demo.as_user(w, username="office"), year=2018, today=today)
    # T_RD off track, T_TECH overdue, task 1 (deadline 2016-06) not started
    assert sorted(i.reason for i in raised) == ["target_off_track", "target_overdue", "task_late"]
    with app.uow() as w:
        assert supervise.sync(w, year=2018, today=today) == []  # idempotent
    late_task = next(i for i in raised if i.reason == "task_late")
    assert late_task.department == "市科技局"

    item = next(i for i in raised if i.reason == "target_off_track")
    assert item.due_on == date(2018, 3, 16)
    with app.uow() as w:
        clerk = demo.as_user(w, username="科技局张三")
        supervise.act(clerk, item_id=item.id, action="respond", text="研发投入统计口径调整")
        out = supervise.act(clerk, item_id=item.id, action="extend", text="等待统计年鉴", new_due=date(2018, 6, 30))
    assert (out.status, out.extensions, out.due_on) == ("extended", 1, date(2018, 6, 30))
    with app.uow() as w, pytest.raises(UserInputError, match="after"):
        supervise.act(w, item_id=item.id, action="extend", text="再延", new_due=date(2018, 5, 1))
    with app.uow() as w:
        out = supervise.act(demo.as_user(w, username="督查室"), item_id=item.id, action="close", text="已落实，予以销号")
    assert out.status == "closed"
    assert [(e.action, e.by) for e in out.events or []] == [
        ("raise", "office"), ("respond", "科技局张三"), ("extend", "科技局张三"), ("close", "督查室")
    ]
    with app.uow() as w, pytest.raises(UserInputError, match="closed"):
        supervise.act(w, item_id=item.id, action="respond", text="x")
    # someone acting on the state they saw earlier gets a conflict, and nothing is recorded
    with app.uow() as w, pytest.raises(ConflictError, match="now closed"):
        supervise.act(w, item_id=item.id, action="escalate", expect_status="extended")
    with app.uow() as w, pytest.raises(ConflictError):
        supervise.act(w, item_id=item.id, action="escalate", version=out.version - 1)
    with app.uow() as w:
        hist = audit.history(w.session, "supervision_items", item.id)
        assert [h.after for h in hist if h.field == "status"] == ['"raised"', '"responded"', '"extended"', '"closed"']
        assert len(supervise.list_items(w)) == 2
        assert len(supervise.list_items(w, include_closed=True)) == 3
        assert len(supervise.list_items(w, include_closed=True, region="湖南省")) == 3
        assert supervise.list_items(w, include_closed=True, region="青海省") == []
        # a closed item lets a new one be raised when the target is still off track
        again = supervise.sync(w, year=2018, today=today)
    assert [i.reason for i in again] == ["target_off_track"]


def test_sync_preview_raises_nothing_and_picks(app: AppContext, plan_id: int, figures: None) -> None:
    today = date(2018, 3, 1)
    with app.uow() as w:
        preview = supervise.proposals(w, year=2018, today=today)
        assert supervise.list_items(w) == []
        picked = supervise.sync(w, year=2018, today=today, only=[(preview[0].subject, preview[0].subject_id)])
    assert len(preview) == 3 and [(i.subject, i.subject_id) for i in picked] == [
        (preview[0].subject, preview[0].subject_id)]
    assert "应达" in preview[0].detail or preview[0].subject == "task"


def test_manual_raise_escalate_and_errors(app: AppContext, plan_id: int) -> None:
    with app.uow() as w:
        rows = tracking.progress(w, year=2018)
        tid = rows[0].target_id
        item = supervise.raise_item(w, target_id=tid, text="请说明进展", department="市科技局")
    assert item.status == "raised" and item.department == "市科技局"
    with app.uow() as w, pytest.raises(UserInputError, match="already"):
        supervise.raise_item(w, target_id=tid, text="again")
    with app.uow() as w:
        assert supervise.act(w, item_id=item.id, action="escalate").status == "escalated"
    with app.uow() as w, pytest.raises(NotFoundError):
        supervise.act(w, item_id=9999, action="close", text="x")
    with app.uow() as w, pytest.raises(NotFoundError):
        targets.set_target(w, target_id=9999, year=2020)
    with app.uow() as w, pytest.raises(UserInputError, match="nothing to set"):
        targets.set_target(w, target_id=tid)
    sme = next(r for r in rows if r.indicator_code == "T_SME")  # no baseline year in the plan
    with app.uow() as w, pytest.raises(UserInputError, match="baseline year"):
        targets.set_target(w, target_id=sme.target_id, baseline_value=500.0)


def test_tasks_and_scorecard(app: AppContext, plan_id: int, figures: None) -> None:
    today = date(2018, 3, 1)
    with app.uow() as w:
        t = tasks.list_tasks(w, today=today)
    assert [(x.task, x.deadline, x.late) for x in t] == [
        ("建设创新平台", date(2016, 6, 30), True), ("培育高新技术企业", None, False)
    ]
    with app.uow() as w:
        tasks.set_task(w, task_id=t[1].task_id, status="进行中", deadline=date(2018, 12, 31))
        tasks.add_milestone(w, task_id=t[1].task_id, name="认定申报", due_on=date(2018, 1, 31))
        t = tasks.list_tasks(w, today=today)
    assert t[1].late is True  # a milestone passed undone
    with app.uow() as w:
        done = tasks.complete_milestone(w, milestone_id=t[1].milestones[0].id, done_on=date(2018, 1, 20))
        assert done.late is False
        assert tasks.list_tasks(w, today=today)[1].late is False
        with pytest.raises(NotFoundError):
            tasks.complete_milestone(w, milestone_id=999, done_on=today)
    with app.uow() as w:
        tasks.add_milestone(w, task_id=t[1].task_id, name="现场核查", due_on=date(2018, 1, 31))
        tasks.set_task(w, task_id=t[0].task_id, status="已完成", completed_on=date(2016, 6, 1))
    with app.uow() as w, pytest.raises(UserInputError):
        tasks.set_task(w, task_id=t[0].task_id, status="差不多")
    with app.uow() as w, pytest.raises(UserInputError, match="nothing to set"):
        tasks.set_task(w, task_id=t[0].task_id)

    with app.uow() as w:
        rows = tracking.progress(w, year=2018)
        targets.set_target(w, target_id=rows[0].target_id, lead=["市科技局"])
        cards = {c.department: c for c in scorecard.scorecard(w, year=2018, today=today)}
    sci = cards["市科技局"]
    assert sci.targets.off_track == 1 and sci.led_targets == 1
    assert sci.tasks.model_dump() == {"total": 1, "done": 1, "on_time": 1, "late": 0}
    assert sci.supports.tasks == 1
    assert cards["市工信局"].tasks.late == 1
    assert cards["市财政局"].role == "support"
    assert cards[scorecard.UNASSIGNED].led_targets == 5


def test_two_people_acting_at_once_get_a_conflict(app: AppContext, settings: Any, plan_id: int) -> None:
    """A reads the item, B closes it and commits, then A's extension must fail, not reopen it."""
    from innocity.storage import tracking as repo

    with app.uow() as w:
        tid = tracking.progress(w, year=2018)[0].target_id
        item = supervise.raise_item(w, target_id=tid, text="请说明", today=date(2018, 3, 1))
    other = AppContext(settings)  # a second process, as a second user's would be
    try:
        with other.uow() as w_a:
            seen = w_a.session.get(repo.SupervisionItem, item.id)
            assert seen is not None and seen.status == "raised"
            with app.uow() as w_b:
                supervise.act(demo.as_user(w_b, username="B"), item_id=item.id, action="close", text="已办结")
            with pytest.raises(ConflictError, match="changed by someone else"):
                supervise.step_in(w_a.session, seen, "extend", who="A", text="延期", new_due=date(2018, 12, 31),
                                  today=date(2018, 3, 1))
    finally:
        other.dispose()
    with app.uow() as w:
        out = supervise.get_item(w, item_id=item.id)
    assert (out.status, out.extensions) == ("closed", 0)
    assert [e.by for e in out.events or []] == ["tester", "B"]
