"""What a department must report (``services.collection``): its indicators and periods, all-or-nothing
saving with the importer's checks, corrections of rejected values, and scope."""

from __future__ import annotations

from datetime import date

import pytest
from seed import Scenario
from sqlalchemy import func, select

from innocity.errors import ConflictError, DataValidationError, ForbiddenError, NotFoundError
from innocity.services import collection, observations
from innocity.services.models.collection import Entry
from innocity.storage.tables import ObservationRow

TODAY = date(2020, 3, 1)


def _count(sc: Scenario) -> int:
    with sc.app.uow() as w:
        return int(w.session.scalar(select(func.count()).select_from(ObservationRow)) or 0)


def test_a_department_sees_the_indicators_it_leads_or_supports(scenario: Scenario) -> None:
    with scenario.app.uow(scenario.department()) as w:
        sh = collection.sheet(w, today=TODAY)
    assert sh.department == "市科技局" and sh.year == 2019
    roles = {(line.region_name, line.indicator): line.role for line in sh.lines}
    # leads TEC01 and TEC06, supports TRA08 and GOV01; nothing of 蚌埠 (another city's 市科技局)
    assert roles == {("芜湖市", "TEC01"): "lead", ("芜湖市", "TEC06"): "lead",
                     ("芜湖市", "TRA08"): "support", ("芜湖市", "GOV01"): "support"}
    rd = next(line for line in sh.lines if line.indicator == "TEC01")
    # baseline 2015 from the plan's own fact: figures are due from 2016 to last year
    assert [p.period for p in rd.periods] == ["2016", "2017", "2018", "2019"]
    assert (rd.unit, rd.min_value, rd.max_value) == ("%", 0.0, 100.0)
    trade = next(line for line in sh.lines if line.indicator == "TRA08")
    # a growth target whose baseline year has no figure yet asks for the baseline year too
    assert trade.periods[0].period == "2015"
    assert sh.counts.due == sum(len(line.periods) for line in sh.lines) == sh.counts.missing


def test_save_is_all_or_nothing_with_every_bad_value_reported(scenario: Scenario) -> None:
    before = _count(scenario)
    entries = [
        Entry(region="340200", indicator="TEC01", period="2016", value="2.35", row=1),
        Entry(region="340200", indicator="TEC06", period="2016", value="-5", row=2),  # a count below 0
        Entry(region="340200", indicator="TEC01", period="2017", value="一百", row=3),  # not a number
        Entry(region="340200", indicator="TEC01", period="2018", value="", row=4),  # blank: skipped
    ]
    with pytest.raises(DataValidationError) as exc, scenario.app.uow(scenario.department()) as w:
        collection.save(w, entries=entries, today=TODAY)
    assert sorted((p.row, p.field) for p in exc.value.problems) == [(2, "value"), (3, "value")]
    assert "一百" in next(p.reason for p in exc.value.problems if p.row == 3)
    assert _count(scenario) == before  # the good row 1 was not stored either

    entries[1].value, entries[2].value = "420", "2.5"
    with scenario.app.uow(scenario.department()) as w:
        res = collection.save(w, entries=entries, today=TODAY)
    assert (res.stored, res.submitted) == (3, 0)
    with scenario.app.uow(scenario.department()) as w:
        sh = collection.sheet(w, today=TODAY)
    rd = next(line for line in sh.lines if line.indicator == "TEC01")
    assert [p.status for p in rd.periods] == ["draft", "draft", "missing", "missing"]
    assert rd.periods[0].current is not None and rd.periods[0].current.value == 2.35


def test_a_department_cannot_enter_values_for_an_indicator_it_does_not_answer_for(scenario: Scenario) -> None:
    # TRA08 is led by 市商务局; 市科技局 only supports it, so both may enter it; 市商务局 may not enter TEC06
    with pytest.raises(DataValidationError) as exc, scenario.app.uow(scenario.department("shangwu")) as w:
        collection.save(w, entries=[Entry(region="340200", indicator="TEC06", period="2018", value="500")],
                        today=TODAY)
    assert exc.value.problems[0].field == "indicator"
    # nor for another city
    with pytest.raises(DataValidationError) as exc, scenario.app.uow(scenario.department()) as w:
        collection.save(w, entries=[Entry(region="340300", indicator="TEC06", period="2018", value="500")],
                        today=TODAY)
    assert exc.value.problems[0].field == "region"


def test_submit_then_reject_then_correct_and_resubmit(scenario: Scenario) -> None:
    dept, coord = scenario.department(), scenario.actor("coordinator")
    with scenario.app.uow(dept) as w:
        res = collection.save(w, entries=[Entry(region="340200", indicator="TEC01", period="2017", value="2.6",
                                                note="统计公报", source="芜湖市2017年统计公报")],
                              submit=True, today=TODAY)
    (oid,) = res.ids
    assert res.submitted == 1
    with scenario.app.uow(coord) as w:
        o = observations.get_observation(w, obs_id=oid)
        assert o.status == "submitted"
        observations.reject(w, obs_id=oid, version=o.version, comment="与统计公报不一致，应为2.45")
    with scenario.app.uow(dept) as w:
        sh = collection.sheet(w, today=TODAY)
    (rej,) = sh.rejections
    assert (rej.observation_id, rej.period, rej.comment) == (oid, "2017", "与统计公报不一致，应为2.45")
    period = next(p for line in sh.lines if line.indicator == "TEC01" for p in line.periods if p.period == "2017")
    assert period.status == "rejected" and period.editable
    stale = rej.version - 1
    with pytest.raises(ConflictError), scenario.app.uow(dept) as w:
        collection.save(w, entries=[Entry(region="340200", indicator="TEC01", period="2017", value="2.45",
                                          observation_id=oid, version=stale)], today=TODAY)
    with scenario.app.uow(dept) as w:
        res = collection.save(w, entries=[Entry(region="340200", indicator="TEC01", period="2017", value="2.45",
                                                observation_id=oid, version=rej.version, note="已按公报更正",
                                                source="芜湖市2017年统计公报")], submit=True, today=TODAY)
    assert (res.corrected, res.submitted, res.stored) == (1, 1, 0)
    with scenario.app.uow(coord) as w:
        o = observations.get_observation(w, obs_id=oid)
    assert (o.value, o.status, o.note) == (2.45, "submitted", "已按公报更正")
    # a submitted value is locked: changing it is a problem of that row, not a silent overwrite
    with pytest.raises(DataValidationError, match="not valid"), scenario.app.uow(dept) as w:
        collection.save(w, entries=[Entry(region="340200", indicator="TEC01", period="2017", value="2.5",
                                          observation_id=oid, version=o.version)], today=TODAY)


def test_a_correction_is_checked_against_the_indicators_range(scenario: Scenario) -> None:
    oid = scenario.observe("TEC01", 2018, 2.4, status="draft")
    with pytest.raises(DataValidationError) as exc, scenario.app.uow(scenario.department()) as w:
        collection.save(w, entries=[Entry(region="340200", indicator="TEC01", period="2018", value="240",
                                          observation_id=oid, version=1)], today=TODAY)
    assert "上限" in exc.value.problems[0].reason


def test_drafts_are_submitted_with_the_version_seen(scenario: Scenario) -> None:
    oid = scenario.observe("TEC06", 2018, 610, status="draft")
    with pytest.raises(ConflictError), scenario.app.uow(scenario.department()) as w:
        collection.submit_drafts(w, ids=[(oid, 7)])
    with scenario.app.uow(scenario.department()) as w:
        assert collection.submit_drafts(w, ids=[(oid, 1)]).submitted == 1
        assert observations.get_observation(w, obs_id=oid).status == "submitted"


def test_scope_and_roles(scenario: Scenario) -> None:
    with scenario.app.uow(scenario.department("bengbu")) as w:
        sh = collection.sheet(w, today=TODAY)
    assert {line.region_name for line in sh.lines} == {"蚌埠市"}
    with pytest.raises(ForbiddenError), scenario.app.uow(scenario.actor("leader")) as w:
        collection.sheet(w, today=TODAY)
    # a coordinator sees every matched indicator of its city, or one department's
    with scenario.app.uow(scenario.actor("coordinator")) as w:
        everyone = collection.sheet(w, today=TODAY)
        shangwu = collection.sheet(w, department_id=scenario.shangwu, today=TODAY)
        with pytest.raises(NotFoundError):
            collection.sheet(w, department_id=scenario.bengbu_kejiju, today=TODAY)
    assert {line.indicator for line in everyone.lines} == {"TEC01", "TEC06", "TRA08", "GOV01"}
    assert [line.indicator for line in shangwu.lines] == ["TRA08"]
    # a department asking for another department still gets its own sheet
    with scenario.app.uow(scenario.department("shangwu")) as w:
        assert collection.sheet(w, department_id=scenario.kejiju, today=TODAY).department == "市商务局"


def test_the_last_approved_value_and_every_vintage_are_shown(scenario: Scenario) -> None:
    scenario.observe("TEC06", 2016, 520, vintage="preliminary")
    scenario.observe("TEC06", 2016, 530)
    scenario.observe("TEC06", 2017, 575, status="submitted")
    with scenario.app.uow(scenario.department()) as w:
        line = next(x for x in collection.sheet(w, today=TODAY).lines if x.indicator == "TEC06")
    assert line.last is not None and (line.last.period, line.last.value) == ("2016", 530)
    p2016 = next(p for p in line.periods if p.period == "2016")
    assert sorted(e.vintage for e in p2016.vintages) == ["final", "preliminary"]
    assert p2016.status == "approved" and not p2016.editable
