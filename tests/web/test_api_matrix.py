"""Every API endpoint against every role (admin, coordinator, department, leader, evaluator, anonymous),
and the cross-city cases: a 西宁市 user on 唐山市 records, a 唐山市 department on 西宁市 ones.

Each case is one request on a fresh copy of the seeded database, with the status the contract's role
table gives. Out-of-scope records answer 404 (as if they did not exist: docs/api.md), a role that may not
do something 403, no token 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from websupport import Seed, bearer, password_of

ANON = "anonymous"
USERS = ("admin", "coordinator", "department", "leader", "evaluator", ANON)

XINING_PLAN_TEXT = (
    "西宁市创新型城市建设实施方案（测试补充）\n"
    "到2025年，全市研发经费支出占地区生产总值比重达到3.1%，高新技术企业达到260家。\n"
)


@dataclass(frozen=True)
class Case:
    """One endpoint: how to call it (given the seed) and the status per caller."""

    name: str
    method: str
    path: Callable[[Seed], str]
    expect: dict[str, int]
    json: Callable[[Seed], Any] | None = None
    files: Callable[[], Any] | None = None
    data: dict[str, str] | None = None


def _all(ok: int, anon: int = 401, **others: int) -> dict[str, int]:
    out = dict.fromkeys(("admin", "coordinator", "department", "leader", "evaluator"), ok)
    out[ANON] = anon
    out.update(others)
    return out


def _writers(ok: int, allowed: tuple[str, ...] = ("admin", "coordinator")) -> dict[str, int]:
    out = {u: (ok if u in allowed else 403) for u in USERS}
    out[ANON] = 401
    return out


def xining_target(seed: Seed) -> int:
    return seed.targets["西宁市"][1]


CASES = [
    Case("token", "POST", lambda s: "/api/v1/auth/token", _all(200, anon=401)),
    Case("me", "GET", lambda s: "/api/v1/me", _all(200)),
    Case("openapi", "GET", lambda s: "/api/v1/openapi.json", _all(200, anon=200)),
    Case("list plans", "GET", lambda s: "/api/v1/plans", _all(200)),
    Case("upload plan", "POST", lambda s: "/api/v1/plans", _writers(201),
         files=lambda: {"file": ("xining-extra.txt", XINING_PLAN_TEXT.encode(), "text/plain")}),
    Case("show plan", "GET", lambda s: f"/api/v1/plans/{s.plans['西宁市']}", _all(200)),
    Case("patch target", "PATCH", lambda s: f"/api/v1/targets/{xining_target(s)}", _writers(200),
         json=lambda s: {"version": 1, "review": "confirmed"}),
    Case("bulk review", "POST", lambda s: f"/api/v1/plans/{s.plans['西宁市']}/review", _writers(200),
         json=lambda s: {"review": "confirmed", "items": {str(xining_target(s)): 1}}),
    Case("target history", "GET", lambda s: f"/api/v1/targets/{xining_target(s)}/history", _all(200)),
    Case("compare", "GET", lambda s: "/api/v1/compare", _all(200)),
    Case("progress", "GET", lambda s: "/api/v1/progress?region=西宁市&year=2014", _all(200)),
    Case("supervision list", "GET", lambda s: "/api/v1/supervision", _all(200)),
    Case("supervision item", "GET", lambda s: f"/api/v1/supervision/{s.items['西宁市']}", _all(200)),
    Case("supervision sync", "POST", lambda s: "/api/v1/supervision/sync", _writers(200),
         json=lambda s: {"region": "西宁市", "year": 2014}),
    Case("respond", "POST", lambda s: f"/api/v1/supervision/{s.items['西宁市']}/respond",
         _writers(200, ("admin", "coordinator", "department")),
         json=lambda s: {"version": 1, "text": "已召开专题会议，正在推进"}),
    Case("extend", "POST", lambda s: f"/api/v1/supervision/{s.items['西宁市']}/extend",
         _writers(200, ("admin", "coordinator", "department")),
         json=lambda s: {"version": 1, "reason": "统计数据年底才公布", "new_due": "2099-12-31"}),
    Case("close", "POST", lambda s: f"/api/v1/supervision/{s.items['西宁市']}/close", _writers(200),
         json=lambda s: {"version": 1, "text": "已完成整改"}),
    Case("escalate", "POST", lambda s: f"/api/v1/supervision/{s.items['西宁市']}/escalate", _writers(200),
         json=lambda s: {"version": 1, "text": "提请市领导协调"}),
    Case("submit observations", "POST", lambda s: "/api/v1/observations",
         _writers(201, ("admin", "coordinator", "department")),
         json=lambda s: {"rows": [{"region": "630100", "indicator": s.indicator, "period": "2014", "value": 1.3,
                                   "unit": "%", "note": "test data"}]}),
    Case("get observation", "GET", lambda s: f"/api/v1/observations/{s.observations['西宁市']}", _all(200)),
    Case("approve observation", "POST", lambda s: f"/api/v1/observations/{s.observations['西宁市']}/approve",
         _writers(200), json=lambda s: {"version": 1}),
    Case("reject observation", "POST", lambda s: f"/api/v1/observations/{s.observations['西宁市']}/reject",
         _writers(200), json=lambda s: {"version": 1, "comment": "与统计公报不一致"}),
    Case("list users", "GET", lambda s: "/api/v1/users", _writers(200, ("admin",))),
    Case("create user", "POST", lambda s: "/api/v1/users", _writers(201, ("admin",)),
         json=lambda s: {"username": "newcomer", "password": "newcomer-password", "role": "leader",
                         "region": "西宁市"}),
    Case("disable user", "POST", lambda s: "/api/v1/users/leader/disable", _writers(200, ("admin",))),
    Case("reset password", "POST", lambda s: "/api/v1/users/leader/password", _writers(200, ("admin",)),
         json=lambda s: {"password": "a-brand-new-password"}),
]


def _call(client: TestClient, case: Case, seed: Seed, token: str | None) -> Any:
    headers = bearer(token)
    kwargs: dict[str, Any] = {"headers": headers}
    if case.json:
        kwargs["json"] = case.json(seed)
    if case.files:
        kwargs["files"] = case.files()
    return client.request(case.method, case.path(seed), **kwargs)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_role_matrix(case: Case, user: str, client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    if case.name == "token":


        data = {"username": user, "password": password_of(user) if user != ANON else "wrong-password-123"}
        r = client.post("/api/v1/auth/token", data=data)
    else:
        r = _call(client, case, seeded, tokens.get(user))
    assert r.status_code == case.expect[user], f"{case.name} as {user}: {r.status_code} {r.text[:300]}"
    if r.status_code >= 400:
        body = r.json()
        assert set(body["error"]) >= {"code", "message", "field"}, body
        assert "Traceback" not in r.text and "SELECT" not in r.text


# ---------------------------------------------------------------------- one city against another


OTHER_CITY = [
    ("GET", lambda s: f"/api/v1/plans/{s.plans['唐山市']}", None),
    ("GET", lambda s: f"/api/v1/targets/{s.targets['唐山市'][0]}/history", None),
    ("PATCH", lambda s: f"/api/v1/targets/{s.targets['唐山市'][0]}", lambda s: {"version": 1, "review": "confirmed"}),
    ("POST", lambda s: f"/api/v1/plans/{s.plans['唐山市']}/review",
     lambda s: {"review": "confirmed", "items": {str(s.targets['唐山市'][0]): 1}}),
    ("GET", lambda s: "/api/v1/progress?region=唐山市", None),
    ("GET", lambda s: f"/api/v1/supervision/{s.items['唐山市']}", None),
    ("POST", lambda s: f"/api/v1/supervision/{s.items['唐山市']}/respond", lambda s: {"version": 1, "text": "说明"}),
    ("POST", lambda s: f"/api/v1/supervision/{s.items['唐山市']}/close", lambda s: {"version": 1, "text": "销号"}),
    ("GET", lambda s: f"/api/v1/observations/{s.observations['唐山市']}", None),
    ("POST", lambda s: f"/api/v1/observations/{s.observations['唐山市']}/approve", lambda s: {"version": 1}),
]


@pytest.mark.parametrize("user", ["coordinator", "department", "leader", "evaluator"])
@pytest.mark.parametrize("call", range(len(OTHER_CITY)))
def test_another_citys_records_are_out_of_reach(
    call: int, user: str, client: TestClient, seeded: Seed, tokens: dict[str, str]
) -> None:
    method, path, body = OTHER_CITY[call]
    r = client.request(method, path(seeded), headers=bearer(tokens[user]), json=body(seeded) if body else None)
    assert r.status_code in (403, 404), f"{user} {method} {path(seeded)}: {r.status_code} {r.text[:200]}"


def test_a_department_of_tangshan_cannot_touch_xining(client: TestClient, seeded: Seed,
                                                       tokens: dict[str, str]) -> None:
    h = bearer(tokens["ts-department"])
    assert client.get(f"/api/v1/plans/{seeded.plans['西宁市']}", headers=h).status_code == 404
    r = client.post(f"/api/v1/supervision/{seeded.items['西宁市']}/respond", headers=h,
                    json={"version": 1, "text": "不是我们的事项"})
    assert r.status_code in (403, 404)
    # and its own city's item it may answer
    r = client.post(f"/api/v1/supervision/{seeded.items['唐山市']}/respond", headers=h,
                    json={"version": 1, "text": "已安排专人负责"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "responded"


def test_lists_are_limited_to_the_callers_scope(client: TestClient, seeded: Seed, tokens: dict[str, str]) -> None:
    def regions(user: str) -> set[str]:
        plans = client.get("/api/v1/plans", headers=bearer(tokens[user])).json()["plans"]
        return {p["region"]["name"] for p in plans}

    assert regions("admin") == {"西宁市", "唐山市", "济南市", "湘潭市"}
    assert regions("coordinator") == {"西宁市"}
    assert regions("evaluator") == {"西宁市"}  # 青海省 covers 西宁市 only
    assert regions("ts-coordinator") == {"唐山市"}
    items = client.get("/api/v1/supervision", headers=bearer(tokens["coordinator"])).json()["items"]
    assert [i["id"] for i in items] == [seeded.items["西宁市"]]
