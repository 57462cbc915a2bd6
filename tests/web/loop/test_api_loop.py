"""The loop's API (issue 11) over HTTP: every new endpoint against every role and one city against another,
all-or-nothing data entry, a stale approval, the Excel template round trip, and an index run from request
to ranking. Accounts are ``conftest.ACCOUNTS`` (芜湖市 unless named bb-/ah-)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from seed import Scenario, index_data
from sqlalchemy import func, select
from websupport import bearer

from conftest import ACCOUNTS
from innocity.services import tasks as task_service
from innocity.services.models.collection import DATA_SHEET, HEADER_ROW, column_letter
from innocity.storage.tables import ObservationRow

WHO = [*ACCOUNTS, "anonymous"]
Body = Callable[[str], Any]


def matrix(client: TestClient, tokens: dict[str, str], method: str, path: str | Callable[[str], str],
           expected: dict[str, int], body: Body | None = None) -> dict[str, Any]:
    """Call the endpoint as every account (and signed out); the statuses must be ``expected``. Error answers
    must have the contract's shape. Returns the JSON answers by account."""
    got, answers = {}, {}
    for who in WHO:
        url = path(who) if callable(path) else path
        r = client.request(method, url, headers=bearer(tokens.get(who)), json=body(who) if body else None)
        got[who] = r.status_code
        if r.headers.get("content-type", "").startswith("application/json"):
            answers[who] = r.json()
            if r.status_code >= 400:
                assert set(answers[who]["error"]) >= {"code", "message", "field"}, r.text
    assert got == {w: expected[w] for w in WHO}
    return answers


def allowed(ok: int, *, roles: tuple[str, ...], other_city: int = 200, forbidden: int = 403) -> dict[str, int]:
    """``ok`` for ``roles`` (names), ``other_city`` (unless 200) for 蚌埠's accounts acting on 芜湖's records,
    ``forbidden`` for the others, 401 signed out."""
    out = {}
    for w in WHO:
        if w == "anonymous":
            out[w] = 401
        elif w.startswith("bb-") and other_city != 200:
            out[w] = other_city
        elif w in roles:
            out[w] = ok
        else:
            out[w] = forbidden
    return out


READERS = tuple(ACCOUNTS)
SUBMITTERS = ("wh-admin", "wh-coordinator", "wh-kejiju", "wh-shangwu", "bb-coordinator", "bb-kejiju")


@pytest.mark.parametrize("path", [
    "/api/v1/data/review", "/api/v1/progress/table?year=2019", "/api/v1/scorecards?year=2019",
    "/api/v1/dashboard?year=2019", "/api/v1/tasks", "/api/v1/supervision/proposals?year=2019",
    "/api/v1/index/runs",
])
def test_reads_for_every_role(loop_client: TestClient, loop_tokens: dict[str, str], path: str) -> None:
    answers = matrix(loop_client, loop_tokens, "GET", path, allowed(200, roles=READERS))
    if path.startswith("/api/v1/tasks"):
        assert {t["region"] for t in answers["bb-coordinator"]["tasks"]} <= {"蚌埠市"}
        assert len(answers["wh-coordinator"]["tasks"]) == 2
    if path.startswith("/api/v1/dashboard"):
        assert answers["wh-leader"]["total_targets"] == 5 and answers["bb-kejiju"]["total_targets"] == 2
        assert answers["ah-evaluator"]["total_targets"] == 7


@pytest.mark.parametrize("path", ["/api/v1/data/sheet?year=2019", "/api/v1/data/template?year=2019"])
def test_sheets_for_those_who_enter_data(loop_client: TestClient, loop_tokens: dict[str, str], path: str) -> None:
    matrix(loop_client, loop_tokens, "GET", path, allowed(200, roles=SUBMITTERS))


@pytest.mark.parametrize("suffix", ["", "/chart"])
def test_one_target_within_scope(loop_client: TestClient, loop_tokens: dict[str, str], scenario: Scenario,
                                 suffix: str) -> None:
    path = f"/api/v1/progress/{scenario.targets['TEC01']}{suffix}?year=2019"
    answers = matrix(loop_client, loop_tokens, "GET", path, allowed(200, roles=READERS, other_city=404))
    if not suffix:
        assert answers["wh-leader"]["row"]["indicator_code"] == "TEC01"
        assert answers["wh-leader"]["chart"]["goal"] == {"year": 2020, "value": 2.8}


def test_entering_values(loop_client: TestClient, loop_tokens: dict[str, str]) -> None:
    periods = {"wh-admin": "2011", "wh-coordinator": "2012", "wh-kejiju": "2013"}

    def body(who: str) -> dict[str, Any]:
        return {"entries": [{"region": "340200", "indicator": "TEC06", "period": periods.get(who, "2014"),
                             "value": 500, "note": "测试"}]}

    expected = allowed(201, roles=tuple(periods), other_city=422)
    expected["wh-shangwu"] = 422  # 市商务局 does not answer for 高新技术企业数
    answers = matrix(loop_client, loop_tokens, "POST", "/api/v1/data/entries", expected, body)
    assert answers["wh-kejiju"]["stored"] == 1
    assert answers["wh-shangwu"]["error"]["rows"][0]["field"] == "indicator"
    assert answers["bb-coordinator"]["error"]["rows"][0]["field"] == "region"


def test_submitting_drafts(loop_client: TestClient, loop_tokens: dict[str, str], scenario: Scenario) -> None:
    drafts = {who: scenario.observe("TEC06", 2000 + k, 400 + k, status="draft") for k, who in enumerate(WHO)}
    expected = allowed(200, roles=("wh-admin", "wh-coordinator", "wh-kejiju"), other_city=404)
    expected["wh-shangwu"] = 404  # not one of its indicators: as if it did not exist
    matrix(loop_client, loop_tokens, "POST", "/api/v1/data/submit", expected,
           lambda who: {"items": [{"id": drafts[who], "version": 1}]})


def test_approving(loop_client: TestClient, loop_tokens: dict[str, str], scenario: Scenario) -> None:
    sent = {who: scenario.observe("TEC01", 2000 + k, 2.0, status="submitted") for k, who in enumerate(WHO)}
    expected = allowed(200, roles=("wh-admin", "wh-coordinator"))
    expected["bb-coordinator"] = 404
    answers = matrix(loop_client, loop_tokens, "POST", "/api/v1/data/review", expected,
                     lambda who: {"action": "approve", "items": [{"id": sent[who], "version": 1}]})
    assert answers["wh-coordinator"]["items"][0]["status"] == "approved"


def test_template_upload(loop_client: TestClient, loop_tokens: dict[str, str]) -> None:
    h = bearer(loop_tokens["wh-kejiju"])
    data = loop_client.get("/api/v1/data/template?year=2019", headers=h).content
    got = {}
    for who in WHO:
        r = loop_client.post("/api/v1/data/template", headers=bearer(loop_tokens.get(who)),
                             files={"file": ("t.xlsx", data, "application/octet-stream")})
        got[who] = r.status_code
        if r.status_code == 200:
            assert r.json()["entries"] == 0  # unchanged: nothing to store
    assert got == allowed(200, roles=SUBMITTERS)


def test_tasks_are_reported_by_their_lead(loop_client: TestClient, loop_tokens: dict[str, str],
                                          scenario: Scenario) -> None:
    with scenario.app.uow() as w:
        task = next(t for t in task_service.list_tasks(w) if t.task == "实施高新技术企业倍增计划")
        stone = task_service.add_milestone(w, task_id=task.task_id, name="认定申报", due_on=date(2020, 6, 30))

    def version(_: str) -> dict[str, Any]:
        with scenario.app.uow() as w:
            v = next(t.version for t in task_service.list_tasks(w) if t.task_id == task.task_id)
        return {"version": v, "status": "进行中", "percent": 40, "progress_note": "已认定 620 家"}

    leads = ("wh-admin", "wh-coordinator", "wh-kejiju")
    matrix(loop_client, loop_tokens, "PATCH", f"/api/v1/tasks/{task.task_id}",
           allowed(200, roles=leads, other_city=404), version)
    matrix(loop_client, loop_tokens, "POST", f"/api/v1/tasks/{task.task_id}/milestones",
           allowed(201, roles=leads, other_city=404), lambda who: {"name": f"节点-{who}", "due_on": "2020-09-30"})
    matrix(loop_client, loop_tokens, "POST", f"/api/v1/milestones/{stone.id}/done",
           allowed(200, roles=leads, other_city=404), lambda who: {"done_on": "2020-06-20"})
    r = loop_client.patch(f"/api/v1/tasks/{task.task_id}", headers=bearer(loop_tokens["wh-kejiju"]),
                          json={"version": 1, "percent": 50})
    assert r.status_code == 409  # the version read before three reports is stale


def test_supervision_raising(loop_client: TestClient, loop_tokens: dict[str, str], scenario: Scenario) -> None:
    scenario.observe("TEC01", 2018, 2.1)  # moving the wrong way: off track
    answers = matrix(loop_client, loop_tokens, "POST", "/api/v1/supervision/raise",
                     allowed(200, roles=("wh-admin", "wh-coordinator", "bb-coordinator")),
                     lambda who: {"year": 2019, "only": [{"subject": "target", "id": scenario.targets["TEC01"]}]})
    assert len(answers["wh-admin"]["raised"]) == 1  # the first raises it …
    assert answers["wh-coordinator"]["raised"] == [] == answers["bb-coordinator"]["raised"]  # … once, in scope
    targets = {"wh-admin": "TEC06", "wh-coordinator": "GOV01"}
    expected = allowed(201, roles=tuple(targets))
    expected["bb-coordinator"] = 404
    matrix(loop_client, loop_tokens, "POST", "/api/v1/supervision", expected,
           lambda who: {"target_id": scenario.targets[targets.get(who, "TRA08")], "text": "请说明", "department": "市科技局"})


def test_index_runs_by_role_and_scope(loop_client: TestClient, loop_tokens: dict[str, str], runs: None) -> None:
    runners = ("wh-admin", "wh-coordinator", "wh-leader", "ah-evaluator", "bb-coordinator")
    answers = matrix(loop_client, loop_tokens, "POST", "/api/v1/index/runs", allowed(202, roles=runners),
                     lambda who: {"framework": "default", "uncertainty": 0})
    mine = answers["wh-coordinator"]["id"]
    expected = allowed(200, roles=READERS, other_city=404)
    matrix(loop_client, loop_tokens, "GET", f"/api/v1/index/runs/{mine}", expected)


# ---------------------------------------------------------------------- behaviour


def _count(sc: Scenario) -> int:
    with sc.app.uow() as w:
        return int(w.session.scalar(select(func.count()).select_from(ObservationRow)) or 0)


def test_entries_are_all_or_nothing(loop_client: TestClient, loop_tokens: dict[str, str], scenario: Scenario) -> None:
    before = _count(scenario)
    rows = [{"region": "340200", "indicator": "TEC01", "period": "2018", "value": "2.6"},
            {"region": "340200", "indicator": "TEC01", "period": "2019", "value": "260"},
            {"region": "340200", "indicator": "TEC06", "period": "2019", "value": "很多"}]
    r = loop_client.post("/api/v1/data/entries", headers=bearer(loop_tokens["wh-kejiju"]), json={"entries": rows})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_failed"
    assert sorted((x["row"], x["field"]) for x in err["rows"]) == [(2, "value"), (3, "value")]
    assert _count(scenario) == before


def test_a_stale_approval_is_a_conflict(loop_client: TestClient, loop_tokens: dict[str, str],
                                        scenario: Scenario) -> None:
    oid = scenario.observe("TEC06", 2018, 640, status="submitted")
    h = bearer(loop_tokens["wh-coordinator"])
    r = loop_client.post("/api/v1/data/review", headers=h,
                         json={"action": "reject", "items": [{"id": oid, "version": 1}], "comment": "请核对"})
    assert r.status_code == 200 and r.json()["items"][0]["status"] == "rejected"
    r = loop_client.post("/api/v1/data/review", headers=h,
                         json={"action": "approve", "items": [{"id": oid, "version": 1}]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    queue = loop_client.get("/api/v1/data/review?status=rejected", headers=h).json()["items"]
    assert [(o["id"], o["status"], o["status_comment"]) for o in queue] == [(oid, "rejected", "请核对")]


def test_excel_round_trip_through_the_api(loop_client: TestClient, loop_tokens: dict[str, str],
                                          scenario: Scenario) -> None:
    h = bearer(loop_tokens["wh-kejiju"])
    r = loop_client.get("/api/v1/data/template?year=2019", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb[DATA_SHEET]
    where = {(ws[f"C{n}"].value, ws[f"F{n}"].value): n for n in range(HEADER_ROW + 1, ws.max_row + 1)}
    ws[f"{column_letter('value')}{where[('TEC01', '2018')]}"] = 2.58
    ws[f"{column_letter('source')}{where[('TEC01', '2018')]}"] = "芜湖市2018年统计公报"
    buf = io.BytesIO()
    wb.save(buf)
    r = loop_client.post("/api/v1/data/template", headers=h, files={"file": ("filled.xlsx", buf.getvalue(), "x")})
    assert r.status_code == 200, r.text
    assert r.json()["result"]["stored"] == 1
    sheet = loop_client.get("/api/v1/data/sheet?year=2019", headers=h).json()
    rd = next(x for x in sheet["lines"] if x["indicator"] == "TEC01")
    p = next(x for x in rd["periods"] if x["period"] == "2018")
    assert (p["status"], p["current"]["value"], p["current"]["source"]) == ("draft", 2.58, "芜湖市2018年统计公报")
    # a bad cell: named by sheet, row and column; nothing stored
    ws[f"{column_letter('value')}{where[('TEC06', '2018')]}"] = "六百"
    buf = io.BytesIO()
    wb.save(buf)
    before = _count(scenario)
    r = loop_client.post("/api/v1/data/template", headers=h, files={"file": ("filled.xlsx", buf.getvalue(), "x")})
    assert r.status_code == 422
    rows = r.json()["error"]["rows"]
    assert [(x["sheet"], x["row"], x["column"]) for x in rows] == [(DATA_SHEET, where[("TEC06", "2018")], "J")]
    assert _count(scenario) == before


def test_an_index_run_from_request_to_ranking(loop_client: TestClient, loop_tokens: dict[str, str],
                                              scenario: Scenario, runs: None) -> None:
    cities = index_data(scenario.app)
    h = bearer(loop_tokens["ah-evaluator"])
    r = loop_client.post("/api/v1/index/runs", headers=h, json={"framework": "default", "uncertainty": 50})
    assert r.status_code == 202
    run_id = r.json()["id"]
    deadline = time.monotonic() + 120
    while True:
        run = loop_client.get(f"/api/v1/index/runs/{run_id}", headers=h).json()
        if run["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert run["status"] == "done", run["error"]
    units = run["result"]["units"]
    assert {u["unit"] for u in units} == set(cities)
    assert [u["rank"] for u in units] == list(range(1, len(cities) + 1))
    assert all(lo <= u["rank"] <= hi for u in units for lo, hi in [u["rank_interval"]])
    csv = loop_client.get(f"/api/v1/index/runs/{run_id}/result.csv", headers=h)
    assert csv.status_code == 200 and cities[0].encode() in csv.content
    other = loop_client.get(f"/api/v1/index/runs/{run_id}", headers=bearer(loop_tokens["bb-coordinator"]))
    assert other.status_code == 404  # an evaluator's provincial run is not a city's to see
