"""Observations through the API: all or nothing with every bad row listed, approval with the version read."""

from __future__ import annotations

from fastapi.testclient import TestClient
from websupport import Seed, bearer


def _row(seed: Seed, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {"region": "630100", "indicator": seed.indicator, "period": "2015", "value": 1.4,
                              "unit": "%", "note": "test data"}
    row.update(kw)
    return row


def test_a_batch_with_bad_rows_stores_nothing_and_lists_every_bad_row(client: TestClient, seeded: Seed,
                                                                      tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    rows = [_row(seeded), _row(seeded, period="2016", value="很多"), _row(seeded, period="2017", region="不存在市")]
    r = client.post("/api/v1/observations", headers=h, json={"rows": rows})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "validation_failed" and err["field"] == "rows"
    assert {p["row"] for p in err["rows"]} == {2, 3}
    assert all({"row", "field", "reason"} <= set(p) and p["reason"] for p in err["rows"])
    odd = client.post("/api/v1/observations", headers=h, json={"rows": [rows[0], _row(seeded, colour="blue")]})
    assert odd.status_code == 422 and [(p["row"], p["field"]) for p in odd.json()["error"]["rows"]] == [(2, "colour")]
    good = client.post("/api/v1/observations", headers=h, json={"rows": [rows[0]]})
    assert good.status_code == 201 and good.json()["stored"] == 1  # nothing of the bad batch was stored
    again = client.post("/api/v1/observations", headers=h, json={"rows": [rows[0]]})
    assert again.status_code == 201 and again.json()["stored"] == 0 and again.json()["unchanged"] == 1


def test_a_department_reports_only_the_indicators_it_answers_for(client: TestClient, seeded: Seed,
                                                                tokens: dict[str, str]) -> None:
    h = bearer(tokens["department"])
    r = client.post("/api/v1/observations", headers=h, json={"rows": [_row(seeded, indicator="TRA08", unit="亿元",
                                                                           value=3.0)]})
    assert r.status_code == 422 and r.json()["error"]["rows"][0]["field"] == "indicator"
    r = client.post("/api/v1/observations", headers=h, json={"rows": [_row(seeded)]})
    assert r.status_code == 201
    stored = client.get(f"/api/v1/observations/{r.json()['ids'][0]}", headers=h).json()
    assert (stored["status"], stored["value"], stored["indicator"]) == ("submitted", 1.4, seeded.indicator)


def test_approval_needs_the_version_read_and_a_rejection_a_reason(client: TestClient, seeded: Seed,
                                                                  tokens: dict[str, str]) -> None:
    h = bearer(tokens["coordinator"])
    oid = seeded.observations["西宁市"]
    seen = client.get(f"/api/v1/observations/{oid}", headers=h).json()
    assert {"id", "region", "indicator", "period", "value", "unit", "status", "version"} <= set(seen)
    assert client.post(f"/api/v1/observations/{oid}/reject", headers=h,
                       json={"version": seen["version"]}).status_code == 422
    r = client.post(f"/api/v1/observations/{oid}/approve", headers=h, json={"version": seen["version"]})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    stale = client.post(f"/api/v1/observations/{oid}/approve", headers=h, json={"version": seen["version"]})
    assert stale.status_code == 409
    assert client.get(f"/api/v1/observations/{oid}", headers=h).json()["version"] == r.json()["version"]
