"""services.reports: what the reports say comes from the database, by progress's own rules, and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from innocity.errors import ForbiddenError, NotFoundError, UserInputError
from innocity.services import reports, tracking
from innocity.services.context import Actor, Role

from .conftest import DRAFT, FIGURES, SOURCE, TODAY, YEAR, City


def test_one_line_per_tracked_target_with_progress_figures_and_status(city: City) -> None:
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
        rows = tracking.progress(w, region="芜湖市", year=YEAR)
    assert [line.progress.target_id for line in data.lines] == [r.target_id for r in rows]
    assert len(data.lines) == len(city.target_ids) == 8
    for line, row in zip(data.lines, rows, strict=True):
        assert line.progress.status == row.status
        assert line.progress.ratio == row.ratio
        assert line.progress.baseline == row.baseline
    assert data.counts == tracking.status_counts(rows)
    assert data.region == "芜湖市" and data.province == "安徽省"


def test_previous_and_current_year_figures_are_the_stored_ones(city: City) -> None:
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
    by_code = {line.progress.indicator_code: line for line in data.lines}
    for code, values in FIGURES.items():
        line = by_code[code]
        assert (line.current.value if line.current else None) == values.get(YEAR)
        assert (line.previous.value if line.previous else None) == values.get(YEAR - 1)
    tec01 = by_code["TEC01"]
    assert tec01.current is not None and tec01.current.source == SOURCE and not tec01.current.draft
    # an indicator without any figure: nothing is filled in
    assert by_code["TRA19"].current is None and by_code["TRA19"].previous is None


def test_a_draft_is_left_out_but_announced_unless_drafts_are_counted(city: City) -> None:
    code, _, value = DRAFT
    with city.app.uow() as w:
        plain = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
        drafts = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY, include_draft=True)
    line = next(x for x in plain.lines if x.progress.indicator_code == code)
    assert line.current is None and line.draft_pending
    line = next(x for x in drafts.lines if x.progress.indicator_code == code)
    assert line.current is not None and line.current.value == value and line.current.draft
    assert line.progress.draft_actual and not line.draft_pending


def test_dimensions_name_lagging_and_missing_targets(city: City) -> None:
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
    assert sum(d.total for d in data.dimensions) == len(data.lines)
    lagging = {name for d in data.dimensions for name in d.lagging}
    assert "技术合同成交额" in lagging and "科技企业孵化器数" in lagging
    unmatched = [d for d in data.dimensions if d.code is None]
    assert unmatched and unmatched[0].missing  # the target no catalogue indicator matched


def test_trajectories_follow_the_figures_and_the_planned_path(city: City) -> None:
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY)
    assert data.trajectories
    t = next(t for t in data.trajectories if t.indicator.startswith("技术合同成交额"))
    assert t.actual == sorted((y, float(v)) for y, v in FIGURES["TRA08"].items())
    assert t.path[0] == (2010, 10.0) and t.path[-1] == (2015, 20.0)  # straight line to the goal
    assert all(len([1 for y, _ in tr.actual if y > tr.path[0][0]]) >= 2 for tr in data.trajectories)


def test_tasks_and_supervision_of_the_period(city: City) -> None:
    today = date.today()  # items carry the real clock's date of raising and closing
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="芜湖市", year=YEAR, today=today)
    assert len(data.tasks) == 3 and any(t.late for t in data.tasks)
    ids = {s.item.id: s for s in data.supervision}
    assert city.closed_item in ids and city.open_item in ids
    closed = ids[city.closed_item]
    assert closed.closed_on is not None and closed.closing_text == "数据已补报，予以销号"
    assert ids[city.open_item].closed_on is None


def test_a_region_without_a_plan_is_refused_naming_the_field(city: City) -> None:
    with city.app.uow() as w, pytest.raises(NotFoundError) as err:
        reports.annual_report_data(w, region="蚌埠市", year=YEAR)
    assert err.value.field == "region" and "no stored plan" in err.value.message


def test_a_plan_without_figures_gives_a_report_of_missing_figures(city: City) -> None:
    with city.app.uow() as w:
        data = reports.annual_report_data(w, region="马鞍山市", year=YEAR, today=TODAY)
    assert data.lines and not data.has_figures
    assert all(line.current is None and line.previous is None for line in data.lines)
    assert all(line.progress.status in ("no_data", "needs_input") for line in data.lines)


def test_the_dataset_label_travels_with_the_data(simulated_city: City) -> None:
    with simulated_city.app.uow() as w:
        assert reports.annual_report_data(w, region="芜湖市", year=YEAR, today=TODAY).simulated


def test_reports_need_the_report_permission(city: City) -> None:
    evaluator = Actor(username="评估专家", role=Role.EVALUATOR)
    with city.app.uow(evaluator) as w, pytest.raises(ForbiddenError):
        reports.annual_report_data(w, region="芜湖市", year=YEAR)
    scoped = Actor(username="马鞍山科技局", role=Role.COORDINATOR, region_id=_region_id(city, "马鞍山市"))
    with city.app.uow(scoped) as w, pytest.raises(NotFoundError):
        reports.annual_report_data(w, region="芜湖市", year=YEAR)  # another city's report: not found


def _region_id(city: City, name: str) -> int:
    with city.app.uow() as w:
        return tracking.find_region(w, region=name).id


def test_supervision_notice_has_the_facts_of_its_target(city: City) -> None:
    with city.app.uow() as w:
        data = reports.supervision_notice_data(w, item_id=city.open_item, year=YEAR, today=TODAY)
    assert data.item.id == city.open_item and data.target is not None
    assert data.target.target_id == data.item.subject_id
    assert data.target.status in ("off_track", "overdue")
    assert data.support == ["市统计局"]
    with city.app.uow() as w, pytest.raises(NotFoundError):
        reports.supervision_notice_data(w, item_id=999)
    # by default the facts are assessed in the year of the latest figure: still with a ratio, not merely
    # "overdue" as in a year after the deadline
    with city.app.uow() as w:
        later = reports.supervision_notice_data(w, item_id=city.open_item, today=date(2019, 1, 1))
        overdue = reports.supervision_notice_data(w, item_id=city.open_item, year=2018, today=date(2019, 1, 1))
    assert later.target is not None and later.target.evaluated_year == later.target.actual.year == YEAR
    assert later.target.ratio == data.target.ratio
    assert overdue.target is not None and overdue.target.status == "overdue"


def test_compare_and_progress_workbook_data(city: City) -> None:
    with city.app.uow() as w:
        cmp = reports.compare_data(w, indicators=["tec01", "TRA08"], year=YEAR)
        only = reports.compare_data(w, indicators=["TEC01"], regions=["马鞍山市"], year=YEAR)
        prog = reports.progress_workbook_data(w, region="芜湖市", year=YEAR, today=TODAY)
        with pytest.raises(UserInputError) as err:
            reports.compare_data(w, indicators=["NOPE1"])
    assert err.value.field == "indicator"
    assert [s.code for s in cmp.sheets] == ["TEC01", "TRA08"]
    assert {r.region for r in cmp.sheets[0].rows} == {"芜湖市", "马鞍山市"}
    assert {r.region for r in only.sheets[0].rows} == {"马鞍山市"}
    names = [d.department for d in prog.departments]
    assert "市科技局" in names and "市统计局" in names
    assert len(prog.rows) == 8 and prog.scorecards
