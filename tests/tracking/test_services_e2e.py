"""End to end on a real SQLite file: ingest a plan, store figures, check every status, resolve what the plan
left open, and take a 督办 item from raised to closed with its history audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from innocity.errors import ConflictError, NotFoundError, UserInputError
from innocity.services import scorecard, supervise, targets, tasks, tracking
from innocity.services.store import Store
from innocity.settings import Settings
from innocity.storage import audit


def _by_code(rows: list[dict]) -> dict[str, dict]:
    return {r["indicator_code"]: r for r in rows}


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


def test_statuses_before_and_after_resolution(settings: Settings, store: Store, plan_id: int, figures: None) -> None:
    rows = _by_code(tracking.progress(settings, year=2018, store=store))
    assert rows["T_RD"]["baseline"] == {"year": 2015, "value": 2.0, "source": "plan"}
    # 2017 expected 2.0 + 0.5·2/5 = 2.2; actual 2.1 → r = 0.5
    assert rows["T_RD"]["ratio"] == pytest.approx(0.5)
    assert rows["T_RD"]["status"] == "off_track"
    assert rows["T_HT"]["status"] == "needs_input"  # growth without a baseline
    # baseline 1000 (2015 figure), goal 1500; 2017 expected 1200, actual 1150 → r = 0.75
    assert rows["T_PAT"]["baseline"]["source"] == "observation"
    assert rows["T_PAT"]["ratio"] == pytest.approx(0.75)
    assert rows["T_PAT"]["status"] == "behind"
    assert rows["T_EN"]["status"] == "achieved"  # 0.48 ≤ 0.5
    assert rows["T_SME"]["status"] == "needs_input"  # 201*
    assert rows["T_TECH"]["status"] == "overdue"  # 15 < 20 and 2015 has passed
    assert rows["T_RD"]["lead"] == []

    targets.set_target(settings, rows["T_HT"]["target_id"], baseline_year=2015, baseline_value=100.0,
                        lead=["市科技局"], support=["市统计局"], user="alice", store=store)
    targets.set_target(settings, rows["T_SME"]["target_id"], year=2018, baseline_year=2015,
                        baseline_value=500.0, comment="201* read as 2018", user="bob", store=store)
    rows = _by_code(tracking.progress(settings, year=2018, store=store))
    # 2017 expected 100·1.15² = 132.25; actual 130 → r = 30/32.25 = 0.9302
    assert rows["T_HT"]["ratio"] == pytest.approx(30 / 32.25)
    assert rows["T_HT"]["status"] == "behind"
    assert rows["T_HT"]["lead"] == ["市科技局"] and rows["T_HT"]["support"] == ["市统计局"]
    assert rows["T_SME"]["status"] == "achieved"  # 770 within 5 % of 800左右
    with store.session() as s:
        hist = audit.history(s, "targets", rows["T_SME"]["target_id"])
    assert {(h.actor, h.field) for h in hist} >= {("bob", "resolved_year"), ("bob", "baseline_value")}


def test_region_filter_takes_in_the_regions_below(settings: Settings, store: Store, plan_id: int) -> None:
    assert len(tracking.progress(settings, region="湖南省", year=2018, store=store)) == 6
    assert len(tracking.progress(settings, region="430200", year=2018, store=store)) == 6
    assert tracking.progress(settings, region="西宁市", year=2018, store=store) == []
    assert len(tasks.list_tasks(settings, region="湖南省", store=store)) == 2
    with pytest.raises(NotFoundError):
        tracking.progress(settings, region="不存在省", store=store)


def test_drafts_and_vintages(settings: Settings, store: Store, plan_id: int, figures: None) -> None:
    with_draft = _by_code(tracking.progress(settings, year=2018, include_draft=True, store=store))
    # draft 2018 figure 1350 vs expected 1300 → r = 350/300
    assert with_draft["T_PAT"]["ratio"] == pytest.approx(350 / 300)
    assert with_draft["T_PAT"]["status"] == "on_track"
    # as known at the end of 2017 only the 2016 R&D figure existed: 2.1 vs expected 2.1 → on track
    then = _by_code(tracking.progress(settings, as_of=date(2017, 12, 31), store=store))
    assert then["T_RD"]["actual"] == {"year": 2016, "value": 2.1}
    assert then["T_RD"]["status"] == "on_track"


def test_supervision_lifecycle(settings: Settings, store: Store, plan_id: int, figures: None) -> None:
    today = date(2018, 3, 1)
    raised = supervise.sync(settings, year=2018, today=today, user="office", store=store)
    reasons = sorted(i["reason"] for i in raised)
    # T_RD off track, T_TECH overdue, task 1 (deadline 2016-06) not started
    assert reasons == ["target_off_track", "target_overdue", "task_late"]
    assert supervise.sync(settings, year=2018, today=today, store=store) == []  # idempotent
    late_task = next(i for i in raised if i["reason"] == "task_late")
    assert late_task["department"] == "市科技局"

    item = next(i for i in raised if i["reason"] == "target_off_track")
    assert item["due_on"] == date(2018, 3, 16)
    supervise.act(settings, item["id"], "respond", text="研发投入统计口径调整", user="科技局张三", store=store)
    out = supervise.act(settings, item["id"], "extend", text="等待统计年鉴", new_due=date(2018, 6, 30),
                        user="科技局张三", store=store)
    assert (out["status"], out["extensions"], out["due_on"]) == ("extended", 1, date(2018, 6, 30))
    with pytest.raises(UserInputError, match="after"):
        supervise.act(settings, item["id"], "extend", text="再延", new_due=date(2018, 5, 1), store=store)
    out = supervise.act(settings, item["id"], "close", text="已落实，予以销号", user="督查室", store=store)
    assert out["status"] == "closed"
    assert [(e["action"], e["by"]) for e in out["events"]] == [
        ("raise", "office"), ("respond", "科技局张三"), ("extend", "科技局张三"), ("close", "督查室")
    ]
    with pytest.raises(UserInputError, match="closed"):
        supervise.act(settings, item["id"], "respond", text="x", store=store)
    # someone acting on the state they saw earlier gets a conflict, and nothing is recorded
    with pytest.raises(ConflictError, match="now closed"):
        supervise.act(settings, item["id"], "escalate", expect_status="extended", store=store)
    with store.session() as s:
        hist = audit.history(s, "supervision_items", item["id"])
    assert [h.after for h in hist if h.field == "status"] == ['"raised"', '"responded"', '"extended"', '"closed"']
    assert len(supervise.list_items(settings, store=store)) == 2
    assert len(supervise.list_items(settings, include_closed=True, store=store)) == 3
    assert len(supervise.list_items(settings, include_closed=True, region="湖南省", store=store)) == 3
    assert supervise.list_items(settings, include_closed=True, region="青海省", store=store) == []
    # a closed item lets a new one be raised when the target is still off track
    again = supervise.sync(settings, year=2018, today=today, store=store)
    assert [i["reason"] for i in again] == ["target_off_track"]


def test_manual_raise_escalate_and_errors(settings: Settings, store: Store, plan_id: int) -> None:
    rows = tracking.progress(settings, year=2018, store=store)
    tid = rows[0]["target_id"]
    item = supervise.raise_item(settings, target_id=tid, text="请说明进展", department="市科技局", store=store)
    assert item["status"] == "raised" and item["department"] == "市科技局"
    with pytest.raises(UserInputError, match="already"):
        supervise.raise_item(settings, target_id=tid, text="again", store=store)
    assert supervise.act(settings, item["id"], "escalate", store=store)["status"] == "escalated"
    with pytest.raises(NotFoundError):
        supervise.act(settings, 9999, "close", text="x", store=store)
    with pytest.raises(NotFoundError):
        targets.set_target(settings, 9999, year=2020, store=store)
    with pytest.raises(UserInputError, match="nothing to set"):
        targets.set_target(settings, tid, store=store)
    sme = next(r for r in rows if r["indicator_code"] == "T_SME")  # no baseline year in the plan
    with pytest.raises(UserInputError, match="baseline year"):
        targets.set_target(settings, sme["target_id"], baseline_value=500.0, store=store)


def test_tasks_and_scorecard(settings: Settings, store: Store, plan_id: int, figures: None) -> None:
    today = date(2018, 3, 1)
    t = tasks.list_tasks(settings, today=today, store=store)
    assert [(x["task"], x["deadline"], x["late"]) for x in t] == [
        ("建设创新平台", date(2016, 6, 30), True), ("培育高新技术企业", None, False)
    ]
    tasks.set_task(settings, t[1]["task_id"], status="进行中", deadline=date(2018, 12, 31), store=store)
    tasks.add_milestone(settings, t[1]["task_id"], name="认定申报", due_on=date(2018, 1, 31), store=store)
    t = tasks.list_tasks(settings, today=today, store=store)
    assert t[1]["late"] is True  # a milestone passed undone
    done = tasks.complete_milestone(settings, t[1]["milestones"][0]["id"], done_on=date(2018, 1, 20), store=store)
    assert done["late"] is False
    assert tasks.list_tasks(settings, today=today, store=store)[1]["late"] is False
    with pytest.raises(NotFoundError):
        tasks.complete_milestone(settings, 999, done_on=today, store=store)
    tasks.add_milestone(settings, t[1]["task_id"], name="现场核查", due_on=date(2018, 1, 31), store=store)
    tasks.set_task(settings, t[0]["task_id"], status="已完成", completed_on=date(2016, 6, 1), store=store)
    with pytest.raises(UserInputError):
        tasks.set_task(settings, t[0]["task_id"], status="差不多", store=store)

    rows = tracking.progress(settings, year=2018, store=store)
    targets.set_target(settings, rows[0]["target_id"], lead=["市科技局"], store=store)
    cards = {c["department"]: c for c in scorecard.scorecard(settings, year=2018, today=today, store=store)}
    sci = cards["市科技局"]
    assert sci["targets"]["off_track"] == 1 and sci["led_targets"] == 1
    assert sci["tasks"] == {"total": 1, "done": 1, "on_time": 1, "late": 0}
    assert sci["supports"]["tasks"] == 1
    assert cards["市工信局"]["tasks"]["late"] == 1
    assert cards["市财政局"]["role"] == "support"
    assert cards[scorecard.UNASSIGNED]["led_targets"] == 5


def test_two_people_acting_at_once_get_a_conflict(settings: Settings, store: Store, plan_id: int) -> None:
    """A reads the item, B closes it and commits, then A's extension must fail, not reopen it."""
    from innocity.services.store import open_store
    from innocity.storage import tracking as repo

    tid = tracking.progress(settings, year=2018, store=store)[0]["target_id"]
    item = supervise.raise_item(settings, target_id=tid, text="请说明", today=date(2018, 3, 1), store=store)
    other = open_store(settings)  # a second connection, as a second user's process would have
    try:
        with other.session() as s_a:
            seen = s_a.get(repo.SupervisionItem, item["id"])
            assert seen is not None and seen.status == "raised"
            supervise.act(settings, item["id"], "close", text="已办结", user="B", store=store)
            with pytest.raises(ConflictError, match="changed by someone else"):
                supervise.step_in(s_a, seen, "extend", who="A", text="延期", new_due=date(2018, 12, 31),
                                  today=date(2018, 3, 1))
    finally:
        other.dispose()
    out = supervise.list_items(settings, item_id=item["id"], store=store)[0]
    assert (out["status"], out["extensions"]) == ("closed", 0)
    assert [e["by"] for e in out["events"]] == ["tester", "B"]
