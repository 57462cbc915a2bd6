"""The API's behaviour beyond who may call it: the contract's shapes, optimistic locking, all-or-nothing
bulk review, uploads, progress and 督办 steps, and answers that stay fresh while they are kept."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from websupport import Seed, bearer

from innocity.app import AppContext

ITEM_FIELDS = {"id", "version", "text", "span", "indicator", "indicator_code", "value", "value_max", "unit",
               "comparator", "year", "year_text", "review"}


def _plan(client: TestClient, token: str, plan_id: int) -> dict[str, Any]:
    r = client.get(f"/api/v1/plans/{plan_id}", headers=bearer(token))
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_me_and_the_plan_list_have_the_contracts_shape(client: TestClient, seeded: Seed,
                                                        tokens: dict[str, str]) -> None:
    me = client.get("/api/v1/me", headers=bearer(tokens["department"])).json()
    assert me == {"username": "department", "role": "department",
                  "region": {"name": "西宁市", "adcode": "630100"}, "department": "市科技局"}
    assert client.get("/api/v1/me", headers=bearer(tokens["admin"])).json()["region"] is None
    plans = client.get("/api/v1/plans", headers=bearer(tokens["coordinator"])).json()["plans"]
    assert len(plans) == 1
    assert {"id", "title", "region", "targets", "reviewed"} <= set(plans[0])
    assert plans[0]["region"] == {"name": "西宁市", "adcode": "630100"}
    assert plans[0]["targets"] == len(seeded.targets["西宁市"]) and plans[0]["reviewed"] == 0


def test_a_plan_carries_its_text_and_every_item_quotes_its_span(client: TestClient, seeded: Seed,
                                                                 tokens: dict[str, str]) -> None:
    plan = _plan(client, tokens["leader"], seeded.plans["西宁市"])
    assert {"id", "title", "region", "text", "targets", "facts", "duties", "phases", "programs"} <= set(plan)
    text = plan["text"]
    assert plan["targets"] and plan["facts"]
    for kind in ("targets", "facts", "duties", "phases", "programs"):
        for item in plan[kind]:
            start, end = item["span"]
            assert text[start:end] == item["text"], (kind, item["id"])
    for item in plan["targets"] + plan["facts"]:
        assert ITEM_FIELDS <= set(item)
        assert item["review"] == "extracted"


def test_patching_a_target_edits_confirms_and_refuses_a_stale_version(client: TestClient, seeded: Seed,
                                                                     tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    tid = seeded.targets["西宁市"][2]
    r = client.patch(f"/api/v1/targets/{tid}", headers=h,
                     json={"version": 1, "value": 88.5, "unit": "家", "comparator": ">=", "year": 2016,
                           "lead": ["市科技局"], "support": ["市财政局", "市统计局"]})
    assert r.status_code == 200, r.text
    item = r.json()
    assert (item["value"], item["unit"], item["year"], item["review"]) == (88.5, "家", 2016, "edited")
    assert item["lead"] == ["市科技局"] and sorted(item["support"]) == ["市统计局", "市财政局"]
    assert item["version"] > 1
    # the old version again: 409, and nothing of it is stored
    stale = client.patch(f"/api/v1/targets/{tid}", headers=h, json={"version": 1, "value": 1.0, "review": "rejected"})
    assert stale.status_code == 409
    assert stale.json()["error"] == {"code": "conflict", "message": "已被他人修改，请刷新后再试", "field": "version"}
    now = next(t for t in _plan(client, tokens["coordinator"], seeded.plans["西宁市"])["targets"] if t["id"] == tid)
    assert now["value"] == 88.5 and now["review"] == "edited"
    # lead/support replace the lists
    r = client.patch(f"/api/v1/targets/{tid}", headers=h, json={"version": item["version"], "support": []})
    assert r.status_code == 200 and r.json()["support"] == []
    history = client.get(f"/api/v1/targets/{tid}/history", headers=h).json()["history"]
    assert {"value", "unit", "resolved_year"} <= {e["field"] for e in history}
    assert all(e["actor"] == "coordinator" for e in history)


def test_invalid_values_are_422_and_change_nothing(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    tid = seeded.targets["西宁市"][3]
    for body, field in (
        ({"version": 1, "comparator": "range", "value": 5, "value_max": 2}, "value_max"),
        ({"version": 1, "indicator_code": "NOPE99"}, "indicator_code"),
        ({"version": 1, "year": 1800}, "year"),
        ({"version": 1}, None),  # nothing to change
    ):
        r = client.patch(f"/api/v1/targets/{tid}", headers=h, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"]["field"] == field
    item = next(t for t in _plan(client, tokens["coordinator"], seeded.plans["西宁市"])["targets"] if t["id"] == tid)
    assert item["version"] == 1 and item["review"] == "extracted"


def test_bulk_review_is_all_or_nothing(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    plan_id = seeded.plans["西宁市"]
    a, b, c = seeded.targets["西宁市"][4:7]
    r = client.patch(f"/api/v1/targets/{c}", headers=h, json={"version": 1, "review": "rejected"})
    assert r.status_code == 200
    r = client.post(f"/api/v1/plans/{plan_id}/review", headers=h,
                    json={"review": "confirmed", "items": {str(a): 1, str(b): 1, str(c): 1}})  # c is stale
    assert r.status_code == 409
    states = {t["id"]: t["review"] for t in _plan(client, tokens["coordinator"], plan_id)["targets"]}
    assert (states[a], states[b], states[c]) == ("extracted", "extracted", "rejected")
    r = client.post(f"/api/v1/plans/{plan_id}/review", headers=h,
                    json={"review": "confirmed", "items": {str(a): 1, str(b): 1}})
    assert r.status_code == 200 and [i["review"] for i in r.json()["items"]] == ["confirmed", "confirmed"]
    plans = client.get("/api/v1/plans", headers=h).json()["plans"]
    assert plans[0]["reviewed"] == 3
    other = seeded.targets["唐山市"][0]
    r = client.post(f"/api/v1/plans/{plan_id}/review", headers=bearer(tokens["admin"]),
                    json={"review": "confirmed", "items": {str(other): 1}})
    assert r.status_code == 404  # a target of another plan


def test_kept_answers_follow_every_change(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    """The plan and progress answers are kept between requests; a change by anyone shows at once."""
    h = bearer(tokens["admin"])
    plan_id, tid = seeded.plans["西宁市"], seeded.targets["西宁市"][7]
    before = _plan(client, tokens["admin"], plan_id)
    assert _plan(client, tokens["admin"], plan_id) == before
    client.patch(f"/api/v1/targets/{tid}", headers=h, json={"version": 1, "value": 4242.0})
    after = next(t for t in _plan(client, tokens["admin"], plan_id)["targets"] if t["id"] == tid)
    assert after["value"] == 4242.0
    rows = client.get("/api/v1/progress?region=西宁市&year=2014", headers=h).json()["rows"]
    client.patch(f"/api/v1/targets/{tid}", headers=h, json={"version": after["version"], "review": "rejected"})
    rows_after = client.get("/api/v1/progress?region=西宁市&year=2014", headers=h).json()["rows"]
    assert tid in {r["target_id"] for r in rows} and tid not in {r["target_id"] for r in rows_after}
    # a kept answer is never handed to someone outside its scope
    assert client.get(f"/api/v1/plans/{plan_id}", headers=bearer(tokens["ts-coordinator"])).status_code == 404


def test_progress_rows_have_the_fields_of_the_command_line(client: TestClient, seeded: Seed,
                                                           tokens: dict[str, str]) -> None:
    r = client.get("/api/v1/progress?region=630100&year=2014", headers=bearer(tokens["leader"]))
    assert r.status_code == 200
    rows = r.json()["rows"]
    assert rows and {"target_id", "plan_id", "region", "indicator", "baseline", "target", "actual", "status",
                     "ratio", "expected", "evaluated_year", "lead", "support"} <= set(rows[0])
    assert {row["region"] for row in rows} == {"西宁市"}
    only = client.get("/api/v1/progress?region=西宁市&year=2014&status=no_data", headers=bearer(tokens["leader"]))
    assert {row["status"] for row in only.json()["rows"]} <= {"no_data"}
    bad = client.get("/api/v1/progress?status=great", headers=bearer(tokens["leader"]))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "status"


def test_a_supervision_item_through_its_lifecycle(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    item = seeded.items["西宁市"]
    dept, coord = bearer(tokens["department"]), bearer(tokens["coordinator"])
    listed = client.get("/api/v1/supervision", headers=dept).json()["items"]
    assert [{k: i[k] for k in ("id", "status", "version", "department")} for i in listed] == [
        {"id": item, "status": "raised", "version": 1, "department": "市科技局"}]
    assert "due" in listed[0] and "title" in listed[0]
    r = client.post(f"/api/v1/supervision/{item}/respond", headers=dept, json={"version": 1, "text": "正在推进"})
    assert r.status_code == 200 and r.json()["status"] == "responded"
    v = r.json()["version"]
    assert client.post(f"/api/v1/supervision/{item}/close", headers=dept,
                       json={"version": v, "text": "销号"}).status_code == 403
    assert client.post(f"/api/v1/supervision/{item}/extend", headers=dept,
                       json={"version": v - 1, "reason": "等数据", "new_due": "2099-01-01"}).status_code == 409
    r = client.post(f"/api/v1/supervision/{item}/extend", headers=dept,
                    json={"version": v, "reason": "统计数据年底公布", "new_due": "2099-01-01"})
    assert r.status_code == 200 and r.json()["due"] == "2099-01-01"
    r = client.post(f"/api/v1/supervision/{item}/close", headers=coord,
                    json={"version": r.json()["version"], "text": "已完成整改"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    assert [e["action"] for e in r.json()["events"]] == ["raise", "respond", "extend", "close"]
    again = client.post(f"/api/v1/supervision/{item}/respond", headers=dept,
                        json={"version": r.json()["version"], "text": "再说明"})
    assert again.status_code == 422  # the lifecycle forbids it
    assert client.post(f"/api/v1/supervision/{item}/forget", headers=coord, json={"version": 1}).status_code == 422


def test_sync_raises_items_for_lagging_targets(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    r = client.post("/api/v1/supervision/sync", headers=bearer(tokens["coordinator"]),
                    json={"region": "西宁市", "year": 2014})
    assert r.status_code == 200 and isinstance(r.json()["raised"], list)
    again = client.post("/api/v1/supervision/sync", headers=bearer(tokens["coordinator"]),
                        json={"region": "西宁市", "year": 2014})
    assert again.json()["raised"] == []  # idempotent


def test_compare_lists_shared_indicators_and_one_indicator_across_plans(client: TestClient, seeded: Seed,
                                                                        tokens: dict[str, str]) -> None:
    h = bearer(tokens["admin"])
    shared = client.get("/api/v1/compare", headers=h).json()["shared"]
    assert shared and all(s["plans"] >= 2 for s in shared)
    code = shared[0]["code"]
    rows = client.get(f"/api/v1/compare?indicator={code}", headers=h).json()["rows"]
    assert len({r["plan_id"] for r in rows}) >= 2
    assert {"region", "goal", "year", "baseline_value", "status"} <= set(rows[0])
    assert client.get("/api/v1/compare?indicator=NOPE", headers=h).status_code == 422


def test_the_openapi_document_lists_the_contract(client: TestClient, seeded: Seed) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    for path, method in [
        ("/api/v1/auth/token", "post"), ("/api/v1/me", "get"), ("/api/v1/plans", "get"), ("/api/v1/plans", "post"),
        ("/api/v1/plans/{plan_id}", "get"), ("/api/v1/targets/{target_id}", "patch"), ("/api/v1/progress", "get"),
        ("/api/v1/supervision", "get"), ("/api/v1/supervision/sync", "post"),
        ("/api/v1/supervision/{item_id}/{action}", "post"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} missing"
    assert not any(p.startswith("/plans") or p == "/" for p in paths)  # pages are not API
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/v1/targets/{target_id}" in page.text
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text


def test_every_request_ends_its_transaction_before_it_answers(client: TestClient, seeded: Seed, app: AppContext,
                                                               tokens: dict[str, str]) -> None:
    """Reads open and end their transaction on the event loop, writes in the thread pool: either way the
    connection is back in the pool when the answer arrives, after success, an error inside the service, a
    refused write or a page that redirects, and a refused write has changed nothing."""
    pool = app.db.engine.pool
    h = bearer(tokens["coordinator"])
    tid = seeded.targets["西宁市"][0]
    before = next(t for t in _plan(client, tokens["coordinator"], seeded.plans["西宁市"])["targets"] if t["id"] == tid)
    steps = [
        ("GET", "/api/v1/plans", {}, 200),
        ("GET", "/api/v1/plans/999999", {}, 404),  # the service raises inside the transaction
        ("GET", "/api/v1/progress?status=late", {}, 422),  # refused before any read
        ("GET", "/api/v1/plans", {"headers": bearer("forged")}, 401),  # refused while authenticating
        ("PATCH", f"/api/v1/targets/{tid}", {"json": {"version": 999, "value": 1.0}}, 409),  # a stale write
        ("PATCH", f"/api/v1/targets/{tid}", {"json": {"version": before["version"], "value": "x"}}, 422),
    ]
    for method, path, kw, status in steps:
        r = client.request(method, path, **{"headers": h, **kw})
        assert r.status_code == status, (method, path, r.text)
        assert pool.checkedout() == 0, (method, path)
    assert client.get("/plans", follow_redirects=False).status_code == 303 and pool.checkedout() == 0
    after = next(t for t in _plan(client, tokens["coordinator"], seeded.plans["西宁市"])["targets"] if t["id"] == tid)
    assert after == before
