"""The progress pages' service: the filtered, sorted table with counts per status, and one target with its
chart series (baseline, expected path, goal, figures with their status, projection)."""

from __future__ import annotations

import pytest
from seed import Scenario

from innocity.errors import NotFoundError, UserInputError
from innocity.services import progress_view, tracking


@pytest.fixture
def figures(scenario: Scenario) -> Scenario:
    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2017, 2.35)
    scenario.observe("TEC01", 2018, 2.7, status="submitted")  # not approved yet: drawn hollow
    scenario.observe("TEC06", 2018, 820)  # achieved
    scenario.observe("GOV01", 2018, 4.0, status="rejected")  # never drawn
    return scenario


def test_table_filters_sorts_and_counts(figures: Scenario) -> None:
    coord = figures.actor("coordinator")
    with figures.app.uow(coord) as w:
        all_rows = tracking.progress(w, year=2018)
        t = progress_view.progress_table(w, year=2018)
        only = progress_view.progress_table(w, year=2018, statuses=["achieved"])
        tec = progress_view.progress_table(w, year=2018, dimension="tec", sort="indicator")
        dept = progress_view.progress_table(w, year=2018, department="市商务局")
        by_ratio = progress_view.progress_table(w, year=2018, sort="ratio", desc=True)
    assert t.total == len(all_rows) == 5 and t.counts == tracking.status_counts(all_rows)
    assert t.rows[0].status == "behind"  # the most severe first (2.35 vs 2.44 expected)
    assert [r.indicator_code for r in only.rows] == ["TEC06"] and only.counts == t.counts
    assert {r.indicator_code for r in tec.rows} == {"TEC01", "TEC06"} and tec.total == 2
    assert [r.indicator_code for r in dept.rows] == ["TRA08"]
    assert {o.value for o in t.dimensions} == {"GOV", "ORI", "TEC", "TRA", "DRV"}
    assert [o.value for o in t.regions] == ["芜湖市"] and "市科技局" in {o.value for o in t.departments}
    ratios = [r.ratio for r in by_ratio.rows]
    known = [x for x in ratios if x is not None]
    assert known == sorted(known, reverse=True) and ratios[: len(known)] == known  # no ratio: last
    with pytest.raises(UserInputError), figures.app.uow(coord) as w:
        progress_view.progress_table(w, sort="colour")
    with pytest.raises(UserInputError), figures.app.uow(coord) as w:
        progress_view.progress_table(w, statuses=["late"])


def test_scoped_progress_equals_progress(figures: Scenario) -> None:
    for actor in (figures.actor("coordinator"), figures.actor("admin"), figures.department("bengbu")):
        with figures.app.uow(actor) as w:
            a = [r.model_dump() for r in tracking.progress(w, year=2018)]
            b = [r.model_dump() for r in progress_view.scoped_progress(w, year=2018)]
        assert a == b


class DictStore(dict):  # type: ignore[type-arg]
    """A caller's store of assessed rows, as the web application keeps them (web.cache)."""

    def put(self, key: object, value: object) -> None:
        self[key] = value


def test_kept_rows_serve_the_same_reading_and_never_cross_scopes(figures: Scenario) -> None:
    """Rows kept for one reading are handed out again only for the same plans, year and filters: a
    coordinator of another city, a department filter or another year gets its own; the list is the
    caller's own to change."""
    store, kept = DictStore(), DictStore()
    with figures.app.uow(figures.actor("admin")) as w:
        every = progress_view.scoped_progress(w, year=2018, kept=kept, assessed=store)
        every.clear()  # the caller's list: the kept reading is untouched
        again = progress_view.scoped_progress(w, year=2018, kept=kept, assessed=store)
        assert len(again) == len(tracking.progress(w, year=2018)) > 5 and len(store) == 1  # two cities
    for actor in (figures.actor("coordinator"), figures.department("bengbu")):
        with figures.app.uow(actor) as w:
            kept_rows = [r.model_dump() for r in progress_view.scoped_progress(w, year=2018, kept=kept,
                                                                               assessed=store)]
            fresh = [r.model_dump() for r in tracking.progress(w, year=2018)]
        assert kept_rows == fresh
    with figures.app.uow(figures.actor("admin")) as w:
        by_dept = progress_view.scoped_progress(w, year=2018, department="市商务局", kept=kept, assessed=store)
        other_year = progress_view.scoped_progress(w, year=2016, kept=kept, assessed=store)
        assert [r.indicator_code for r in by_dept] == ["TRA08"]
        assert {r.evaluated_year for r in other_year} == {2016}
        assert [r.model_dump() for r in other_year] == [r.model_dump() for r in tracking.progress(w, year=2016)]


def test_target_detail_and_chart(figures: Scenario) -> None:
    tid = figures.targets["TEC01"]
    with figures.app.uow(figures.actor("leader")) as w:
        d = progress_view.target_detail(w, target_id=tid, year=2018)
    c = d.chart
    assert d.row.status == "behind" and d.row.actual.value == 2.35  # approved figures only
    assert d.with_drafts is not None and d.with_drafts.actual.value == 2.7
    assert (c.baseline and (c.baseline.year, c.baseline.value)) == (2015, 2.2)
    assert (c.goal and (c.goal.year, c.goal.value)) == (2020, 2.8)
    assert [p.year for p in c.expected] == list(range(2015, 2021))
    assert c.expected[3].value == pytest.approx(2.2 + 0.6 * 3 / 5)
    assert [(p.year, p.status) for p in c.actual] == [(2016, "approved"), (2017, "approved"), (2018, "submitted")]
    assert c.projection and c.projection[0].year == 2017 and c.projection[-1].year == 2020
    assert c.unit == "%" and d.row.span is not None and d.plan_title
    assert [o.period for o in d.observations] == ["2016", "2017", "2018"]
    assert any(h.field == "department.lead" for h in d.history)  # 市科技局 was assigned (audited)


def test_growth_path_compounds_and_scope_hides_other_cities(figures: Scenario) -> None:
    figures.observe("TRA08", 2015, 100.0)
    with figures.app.uow(figures.actor("coordinator")) as w:
        c = progress_view.target_detail(w, target_id=figures.targets["TRA08"], year=2018).chart
    assert c.goal is not None and c.goal.value == pytest.approx(100 * 1.2**5)
    assert c.expected[2].value == pytest.approx(144.0)
    with pytest.raises(NotFoundError), figures.app.uow(figures.actor("coordinator", city="bengbu")) as w:
        progress_view.target_detail(w, target_id=figures.targets["TEC01"])


def test_filter_choices_are_the_scopes_own(figures: Scenario) -> None:
    """The choices read once serve every table of the same scope; another scope's are refused."""
    with figures.app.uow(figures.actor("coordinator")) as w:
        mine = progress_view.progress_options(w)
        t = progress_view.progress_table(w, year=2016, options=mine)
        assert t.model_dump() == progress_view.progress_table(w, year=2016).model_dump()
        assert [o.value for o in t.regions] == ["芜湖市"] and len(t.plans) == 1
    with figures.app.uow(figures.actor("admin")) as w:
        every = progress_view.progress_options(w)
        assert {o.value for o in every.regions} == {"芜湖市", "蚌埠市"} and len(every.plans) == 2
        with pytest.raises(ValueError):
            progress_view.progress_table(w, year=2018, options=mine)
    with pytest.raises(ValueError), figures.app.uow(figures.actor("coordinator")) as w:
        progress_view.progress_table(w, year=2018, options=every)  # another scope's plans and departments


def test_prepared_rows_are_copies_each_callers_own(figures: Scenario) -> None:
    """Each assessment of a prepared plan is a new row: changing one (its status, its department lists)
    changes neither the prepared plan nor the next year's or the next caller's rows, and every field
    counts as set, as in a row built field by field."""
    from innocity.services.progress_inputs import assess_prepared, prepare_plans

    with figures.app.uow(figures.actor("coordinator")) as w:
        plan_id = progress_view.plans_in_scope(w)[0][0]
        plans = prepare_plans(w, plan_ids=[plan_id])
        first = assess_prepared(w, plans=plans, year=2018)
        reference = [r.model_dump() for r in first]
        for r in first:
            r.status = "changed"
            r.lead.append("某局")
            r.actual.value = -1.0
        again = assess_prepared(w, plans=plans, year=2018)
        other = assess_prepared(w, plans=plans, year=2016)
        fresh = [r.model_dump() for r in tracking.progress(w, year=2018, plan_id=plan_id)]
    assert [r.model_dump() for r in again] == reference == fresh
    assert {r.evaluated_year for r in other} == {2016} and {r.evaluated_year for r in again} == {2018}
    assert all(r.model_fields_set == set(type(r).model_fields) for r in again)
    assert all(a is not b and a.lead is not b.lead for a, b in zip(again, other, strict=True))


def test_a_plan_without_drafts_is_prepared_once_for_both_readings(scenario: Scenario) -> None:
    """Counting drafts changes nothing while every figure of a plan is approved, so the kept approved
    reading serves as the draft reading too (and the other way round); one figure awaiting approval and
    the two are prepared apart, each as a fresh preparation would be."""
    from innocity.services.progress_inputs import prepare_plans

    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2017, 2.4)
    with scenario.app.uow(scenario.actor("coordinator")) as w:
        plan_id = progress_view.plans_in_scope(w)[0][0]
        for first in (False, True):
            kept = DictStore()
            (a,) = prepare_plans(w, plan_ids=[plan_id], include_draft=first, kept=kept)
            (b,) = prepare_plans(w, plan_ids=[plan_id], include_draft=not first, kept=kept)
            assert b is a and len(kept) == 2
            assert b == prepare_plans(w, plan_ids=[plan_id], include_draft=not first)[0]
    scenario.observe("TEC01", 2018, 2.9, status="submitted")
    with scenario.app.uow(scenario.actor("coordinator")) as w:
        kept = DictStore()
        (approved,) = prepare_plans(w, plan_ids=[plan_id], kept=kept)
        (drafts,) = prepare_plans(w, plan_ids=[plan_id], include_draft=True, kept=kept)
        assert drafts is not approved and drafts == prepare_plans(w, plan_ids=[plan_id], include_draft=True)[0]
        tec01 = next(t for t in drafts.targets if t.row.indicator_code == "TEC01")
        assert tec01.series[-1] == (2018, 2.9)
        assert all(y != 2018 for y, _ in next(t for t in approved.targets if t.row.indicator_code == "TEC01").series)
