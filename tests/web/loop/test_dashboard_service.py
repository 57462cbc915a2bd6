"""The coordinators' and leaders' dashboard (``services.dashboard``): every aggregate checked against the
services it summarises, and the scope of the caller."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from seed import Scenario

from innocity.errors import NotFoundError
from innocity.services import dashboard, supervise, tasks, tracking
from innocity.services.context import Actor, Role
from innocity.storage.tracking import SupervisionItem

TODAY = date(2020, 3, 1)


def test_status_and_dimension_counts_match_progress(scenario: Scenario) -> None:
    scenario.observe("TEC01", 2018, 2.3)  # expected 2.2 + 0.6·3/5 = 2.56 by 2018 → ratio 0.28: off track
    scenario.observe("TEC06", 2019, 810)  # achieved
    coord = scenario.actor("coordinator")
    with scenario.app.uow(coord) as w:
        d = dashboard.dashboard(w, year=2019, today=TODAY)
        rows = tracking.progress(w, year=2019)
    assert d.total_targets == len(rows) == 5
    assert d.status_counts == tracking.status_counts(rows)
    assert d.status_counts.achieved == 1 and d.status_counts.off_track == 1
    by_dim = {x.dimension: x for x in d.by_dimension}
    assert sum(x.total for x in d.by_dimension) == 5
    assert by_dim["TEC"].total == 2 and by_dim["TEC"].counts.achieved == 1 and by_dim["TEC"].name == "技术创新力"
    assert by_dim[""].name == "未匹配指标"
    assert [x.dimension for x in d.by_dimension][:3] == ["GOV", "TEC", "TRA"]  # the catalogue's order


def test_deadlines_supervision_ages_pending_data_and_review(scenario: Scenario) -> None:
    coord = scenario.actor("coordinator")
    with scenario.app.uow(coord) as w:
        task = next(t for t in tasks.list_tasks(w) if t.task == "实施高新技术企业倍增计划")
        tasks.set_task(w, task_id=task.task_id, deadline=TODAY + timedelta(days=20), version=0)
        tasks.add_milestone(w, task_id=task.task_id, name="认定申报", due_on=TODAY + timedelta(days=5))
    scenario.observe("TEC01", 2018, 2.3)
    # one item raised 40 days ago (the platform task, late since 2019-06), then the rest today
    with scenario.app.uow(coord) as w:
        old = supervise.sync(w, year=2019, today=TODAY - timedelta(days=40), only=[("task", 1)])
        w.session.get(SupervisionItem, old[0].id).raised_at = datetime(2020, 1, 21, 9, 0)  # type: ignore[union-attr]
    with scenario.app.uow(coord) as w:
        new = supervise.sync(w, year=2019, today=TODAY)
    assert len(old) == 1 and {i.subject for i in new} >= {"target"}
    scenario.observe("TEC06", 2018, 600, status="submitted")
    scenario.observe("TEC06", 2017, 560, status="submitted")
    scenario.observe("GOV01", 2018, 4.1, status="draft")
    scenario.observe("TEC06", 2016, 520, status="submitted", city="bengbu")  # another city's: not counted

    with scenario.app.uow(coord) as w:
        d = dashboard.dashboard(w, year=2019, today=TODAY, horizon_days=30)
    kinds = [(x.kind, x.days_left) for x in d.upcoming]
    assert ("milestone", 5) in kinds and ("task", 20) in kinds
    assert [x.due_on for x in d.upcoming] == sorted(x.due_on for x in d.upcoming)
    # the old item's reply was due 15 days after it was raised: overdue now
    assert d.supervision.total == len(old) + len(new)
    ages = {b.label: b for b in d.supervision.buckets}
    assert ages["31–90天"].count == 1 and ages["31–90天"].overdue == 1
    assert ages["7天以内"].count == len(new) and d.supervision.overdue == 1
    assert ("supervision", 15) in kinds  # the new items' replies fall due within the horizon
    assert (d.pending.submitted, d.pending.draft, d.pending.rejected) == (2, 1, 0)
    assert d.pending.groups[0].indicator == "TEC06" and d.pending.groups[0].count == 2
    assert [(p.region, p.targets, p.reviewed) for p in d.plans] == [("芜湖市", 5, 0)]
    assert d.plans[0].percent == 0 and d.overdue_tasks == 1


def test_scope_and_who_gets_the_dashboard(scenario: Scenario) -> None:
    scenario.observe("TEC06", 2016, 520, status="submitted", city="bengbu")
    with scenario.app.uow(scenario.actor("leader", city="bengbu")) as w:
        d = dashboard.dashboard(w, year=2019, today=TODAY)
    assert d.total_targets == 2 and [p.region for p in d.plans] == ["蚌埠市"] and d.pending.submitted == 1
    with scenario.app.uow(scenario.actor("admin")) as w:
        assert dashboard.dashboard(w, year=2019, today=TODAY).total_targets == 7
    with pytest.raises(NotFoundError), scenario.app.uow(scenario.actor("coordinator")) as w:
        dashboard.dashboard(w, region="蚌埠市", year=2019, today=TODAY)  # outside a 芜湖 coordinator's scope
    assert dashboard.is_for(Actor("a", Role.COORDINATOR, 1)) and dashboard.is_for(Actor("b", Role.LEADER, 1))
    assert not dashboard.is_for(Actor("c", Role.DEPARTMENT, 1, 2)) and not dashboard.is_for(Actor("d", Role.EVALUATOR))


def test_one_basis_serves_every_year_and_only_its_own_scope(scenario: Scenario) -> None:
    """The year-independent part read once gives, for each year, the dashboard read from scratch; a basis
    read for another scope or day is refused rather than shown."""
    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2018, 2.5)
    scenario.observe("TEC06", 2017, 600, status="submitted")
    coord = scenario.actor("coordinator")
    with scenario.app.uow(coord) as w:
        task = next(t for t in tasks.list_tasks(w) if t.task == "实施高新技术企业倍增计划")
        tasks.add_milestone(w, task_id=task.task_id, name="认定申报", due_on=TODAY + timedelta(days=5))
        supervise.sync(w, year=2019, today=TODAY)
    with scenario.app.uow(coord) as w:
        basis = dashboard.dashboard_basis(w, today=TODAY)
        for year in (2016, 2018, 2019, 2021):
            fresh = dashboard.dashboard(w, year=year, today=TODAY)
            shared = dashboard.dashboard(w, year=year, today=TODAY, basis=basis)
            assert shared.model_dump() == fresh.model_dump()
        assert fresh.supervision.total > 0 and fresh.pending.submitted == 1
        assert {d.kind for d in fresh.upcoming} >= {"milestone", "supervision"}
        for other_day in (dict(today=TODAY + timedelta(days=1)), dict(today=TODAY, horizon_days=30)):
            with pytest.raises(ValueError):
                dashboard.dashboard(w, year=2019, basis=basis, **other_day)  # type: ignore[arg-type]
    with scenario.app.uow(scenario.actor("admin")) as w:
        with pytest.raises(ValueError):  # a 芜湖 coordinator's basis shown to the whole country
            dashboard.dashboard(w, year=2019, today=TODAY, basis=basis)
        assert dashboard.dashboard(w, year=2019, today=TODAY,
                                   basis=dashboard.dashboard_basis(w, today=TODAY)).total_targets == 7
