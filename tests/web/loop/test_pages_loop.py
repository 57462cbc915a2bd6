"""The loop's pages over HTTP (session cookie and CSRF, as a browser sends them): who sees which page,
what a refused or invalid form shows, ECharts only where there is a chart, and a statistical bulletin read
on /data, reviewed beside its source and stored as drafts."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from seed import Scenario
from websupport import password_of

PAGES = ["/", "/data?year=2019", "/data/review", "/progress?year=2019", "/scorecards?year=2019", "/tasks",
         "/supervision", "/supervision/sync?year=2019", "/index"]


def signed_in(client: TestClient, name: str) -> str:
    """Sign in through the form; returns the session's CSRF token (renewed at sign-in)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    r = client.post("/login", data={"username": name, "password": password_of(name), "csrf_token": token[1]},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    m = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tasks").text)
    assert m
    return m[1]


@pytest.mark.parametrize(("name", "refused"), [
    ("wh-coordinator", set()), ("wh-kejiju", set()),
    ("wh-leader", {"/data?year=2019"}), ("ah-evaluator", {"/data?year=2019"}),
])
def test_who_sees_which_page(loop_client: TestClient, name: str, refused: set[str]) -> None:
    signed_in(loop_client, name)
    for path in PAGES:
        r = loop_client.get(path)
        if path in refused:
            assert r.status_code == 403 and "无权" in r.text, path
        else:
            assert r.status_code == 200, (path, r.text[-500:])
            assert "<script>" not in r.text  # no inline script anywhere (CSP)


def test_signed_out_pages_go_to_the_login(loop_client: TestClient) -> None:
    for path in PAGES:
        r = loop_client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


def test_the_dashboard_is_for_coordinators_and_leaders(loop_client: TestClient) -> None:
    signed_in(loop_client, "wh-leader")
    page = loop_client.get("/?year=2019").text
    assert "监测总览" in page and "echarts.min.js" in page and "/dashboard/chart.json?year=2019" in page
    loop_client.cookies.clear()
    signed_in(loop_client, "wh-kejiju")
    page = loop_client.get("/").text
    assert "监测总览" not in page and "echarts" not in page  # the core's home page as it is


def test_echarts_only_where_there_is_a_chart(loop_client: TestClient, scenario: Scenario) -> None:
    signed_in(loop_client, "wh-coordinator")
    for path in ["/data?year=2019", "/data/review", "/progress?year=2019", "/tasks", "/supervision", "/index"]:
        assert "echarts" not in loop_client.get(path).text, path
    page = loop_client.get(f"/progress/{scenario.targets['TEC01']}?year=2019").text
    assert "echarts.min.js" in page and f"/progress/{scenario.targets['TEC01']}/chart.json" in page
    chart = loop_client.get(f"/progress/{scenario.targets['TEC01']}/chart.json?year=2019").json()
    assert chart["goal"] == {"year": 2020, "value": 2.8}


def test_a_form_without_the_csrf_token_is_refused(loop_client: TestClient) -> None:
    signed_in(loop_client, "wh-kejiju")
    r = loop_client.post("/data", data={"rows": "0", "action": "save"})
    assert r.status_code == 403 and "CSRF" in r.text


def test_refused_steps_are_shown_not_applied(loop_client: TestClient, scenario: Scenario) -> None:
    token = signed_in(loop_client, "wh-shangwu")
    # 市商务局 does not lead the task: the service refuses, the page says so
    r = loop_client.post("/tasks/2", data={"csrf_token": token, "version": "0", "status": "进行中"})
    assert r.status_code == 200 and "不由您的部门牵头" in r.text
    # a department may not approve data
    oid = scenario.observe("TRA08", 2018, 60, status="submitted")
    r = loop_client.post("/data/review", data={"csrf_token": token, "item": f"{oid}:1", "action": "approve"})
    assert "无权审核数据" in r.text
    with scenario.app.uow() as w:
        from innocity.services import observations

        assert observations.get_observation(w, obs_id=oid).status == "submitted"


BULLETIN = (
    "芜湖市2018年国民经济和社会发展统计公报\n"
    "芜湖市统计局 2019年3月20日\n"
    "全年全社会研究与试验发展（R&D）经费支出占地区生产总值比重为2.65%。"
    "年末全市拥有高新技术企业726家。全年技术合同成交额48.5亿元，比上年增长18.2%。\n"
    "2019年主要预期目标：地区生产总值增长8%左右。\n"
)  # written for this test in the way such bulletins report figures; not the real bulletin


def test_a_bulletin_is_reviewed_beside_its_source_and_stored_as_drafts(loop_client: TestClient) -> None:
    token = signed_in(loop_client, "wh-coordinator")
    r = loop_client.post("/data/bulletin", data={"csrf_token": token},
                         files={"file": ("wuhu-2018.txt", BULLETIN.encode(), "text/plain")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    review = loop_client.get(r.headers["location"]).text
    assert '<mark class="hl k-facts"' in review  # the figures highlighted in the source
    assert "2.65" in review and "726" in review
    accept = re.findall(r'name="accept" value="(\d+)" checked', review)
    assert len(accept) >= 2
    r = loop_client.post(r.headers["location"].split("?")[0], data={"csrf_token": token, "accept": accept},
                         follow_redirects=False)
    assert r.status_code == 303 and "status=draft" in r.headers["location"]
    queue = loop_client.get("/data/review?status=draft").text
    assert "wuhu-2018.txt" in queue and "726" in queue


def test_the_progress_filters_keep_what_was_chosen(loop_client: TestClient, scenario: Scenario) -> None:
    """The filters' choices are rendered once per scope and day and reused in every year: each page still
    shows its own region, department, dimension and plan chosen, and only those."""
    signed_in(loop_client, "ah-evaluator")  # the province: two cities, their plans and departments
    plain = loop_client.get("/progress?year=2019").text
    assert plain.count(" selected>") == 0
    options = dict(re.findall(r'<option value="(\d+)">([^<]+)</option>', plain))
    plan_id = next(k for k, v in options.items() if "蚌埠" in v)
    for year in (2018, 2019):
        page = loop_client.get(f"/progress?year={year}&region=蚌埠市&department=市科技局&dimension=tec"
                               f"&plan={plan_id}").text
        chosen = re.findall(r'<option value="([^"]*)" selected>', page)
        assert chosen == ["蚌埠市", "市科技局", "TEC", plan_id], (year, chosen)
        assert f"评价年度 {year}" in page
    other = loop_client.get("/progress?year=2019&region=芜湖市").text
    assert re.findall(r'<option value="([^"]*)" selected>', other) == ["芜湖市"]
