"""The pages as HTML (the browser suite drives them for real): what each shows, the review actions with and
without htmx, uploads without JavaScript, the SIMULATED banner, and who sees which controls."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from websupport import SAMPLE, Seed, bearer, csrf_of, password_of, sign_in

from innocity.app import AppContext
from innocity.storage.tables import DATASET_LABEL, set_meta
from innocity.web import cache
from innocity.web.pages.review import WORKSPACES
from innocity.web.templating import NAV

HX = {"HX-Request": "true"}


def _review_form(client: TestClient, plan: int, target: int, **fields: str) -> dict[str, str]:
    page = client.get(f"/plans/{plan}").text
    m = re.search(rf'id="item-targets-{target}".*?name="version" value="(\d+)"', page, re.S)
    assert m, "no review form for the target"
    return {"csrf_token": csrf_of(client), "version": m.group(1), **fields}


def test_the_navigation_lists_every_planned_page_and_the_user(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "leader")
    html = client.get("/").text
    for href, label in NAV:
        assert f'href="{href}"' in html and label in html
    assert "leader" in html and "领导" in html and "退出" in html
    assert 'aria-current="page"' in html


def test_home_shows_the_plans_in_scope_and_what_awaits_review(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    html = client.get("/").text
    assert "西宁市创新型城市建设监测" in html
    assert f'href="/plans/{seeded.plans["西宁市"]}"' in html
    assert f'href="/plans/{seeded.plans["唐山市"]}"' not in html  # another city's plan
    assert f"{len(seeded.targets['西宁市'])} 个目标待审核" in html


def test_the_review_page_highlights_every_kind_and_lists_the_items(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    plan = seeded.plans["西宁市"]
    html = client.get(f"/plans/{plan}").text
    for t in seeded.targets["西宁市"]:
        assert f'id="item-targets-{t}"' in html
        assert f"targets-{t}" in re.search(r'<div class="source" id="source">(.*?)</div>', html, re.S).group(1)  # type: ignore[union-attr]
    assert 'class="hl k-facts' in html and 'class="hl k-targets' in html
    assert "已审核 <strong>0</strong>" in html
    full = client.get(f"/plans/{plan}?full=1").text
    assert "显示全文" not in full and len(full) > len(html)


def test_confirm_with_htmx_returns_the_card_and_the_new_progress(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    plan, t = seeded.plans["西宁市"], seeded.targets["西宁市"][1]
    form = _review_form(client, plan, t, action="confirm", comment="核实无误")
    r = client.post(f"/plans/{plan}/targets/{t}", data=form, headers=HX)
    assert r.status_code == 200
    assert f'id="item-targets-{t}"' in r.text and "已确认" in r.text and "核实无误" in r.text
    assert 'id="review-progress" class="progress-block" hx-swap-oob="true"' in r.text
    assert "已审核 <strong>1</strong>" in r.text
    # the same form again is stale: the message goes to the card, nothing is changed
    r = client.post(f"/plans/{plan}/targets/{t}", data={**form, "action": "reject"}, headers=HX)
    assert r.headers["hx-retarget"] == f"#msg-targets-{t}"
    assert "已被他人修改，请刷新后再试" in r.text
    assert "已确认" in client.get(f"/plans/{plan}").text


def test_without_javascript_a_review_form_redirects_back_and_errors_show_on_the_page(client: TestClient,
                                                                                    seeded: Seed) -> None:
    sign_in(client, "coordinator")
    plan, t = seeded.plans["西宁市"], seeded.targets["西宁市"][2]
    form = _review_form(client, plan, t, action="save", value="不是数字")
    r = client.post(f"/plans/{plan}/targets/{t}", data=form, follow_redirects=False)
    assert r.status_code == 200 and "“不是数字”不是数字" in r.text
    form = _review_form(client, plan, t, action="save", value="12.5", year="2016", lead="市科技局、市发展改革委")
    r = client.post(f"/plans/{plan}/targets/{t}", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/plans/{plan}#item-targets-{t}"
    card = re.search(rf'id="item-targets-{t}".*?</article>', client.get(f"/plans/{plan}").text, re.S).group(0)  # type: ignore[union-attr]
    assert "已修改" in card and "12.5" in card and "2016年" in card and "市科技局" in card


def test_the_edit_form_puts_the_matchers_suggestions_first(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    plan, t = seeded.plans["西宁市"], seeded.targets["西宁市"][0]
    html = client.get(f"/plans/{plan}/targets/{t}/edit?version=1", headers=HX).text
    groups = re.findall(r'<optgroup label="([^"]+)"', html)
    assert groups[0] == "推荐：与原文最匹配" and len(groups) > 2
    first = re.search(r'<optgroup label="推荐：与原文最匹配">\s*<option value="([A-Z]+\d+)"', html)
    assert first, "no suggestion"
    assert 'name="version" value="1"' in html
    for field in ("indicator_code", "comparator", "value", "value_max", "unit", "year", "lead", "support"):
        assert f'name="{field}"' in html


def test_a_masked_year_is_pointed_out_and_can_be_resolved(client: TestClient, seeded: Seed,
                                                         app: AppContext) -> None:
    from sqlalchemy import select

    from innocity.storage.tables import TargetRow

    with app.uow() as w:
        masked = w.session.scalar(select(TargetRow.id).where(TargetRow.year_text.like("%*%"),
                                                             TargetRow.plan_id == seeded.plans["西宁市"]))
    assert masked is not None, "the sample's 西宁 plan has 201* deadlines"
    sign_in(client, "coordinator")
    plan = seeded.plans["西宁市"]
    edit = client.get(f"/plans/{plan}/targets/{masked}/edit", headers=HX).text
    assert 'class="masked"' in edit and "请确认" in edit
    form = _review_form(client, plan, masked, action="save", year="2015")
    r = client.post(f"/plans/{plan}/targets/{masked}", data=form, headers=HX)
    assert "2015年" in r.text and "已修改" in r.text


def test_bulk_confirm_without_a_selection_says_so(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    plan = seeded.plans["西宁市"]
    r = client.post(f"/plans/{plan}/review", data={"csrf_token": csrf_of(client), "review": "confirmed"})
    assert "请先勾选要处理的目标" in r.text
    a, b = seeded.targets["西宁市"][3:5]
    r = client.post(f"/plans/{plan}/review", data={"csrf_token": csrf_of(client), "review": "confirmed",
                                                   "item": [f"{a}:1", f"{b}:1"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/plans/{plan}?done=2"
    assert "已处理 2 个目标" in client.get(r.headers["location"]).text


def test_a_department_user_sees_no_review_controls_and_is_refused_anyway(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "department")
    plan, t = seeded.plans["西宁市"], seeded.targets["西宁市"][1]
    html = client.get(f"/plans/{plan}").text
    assert 'id="bulk"' not in html and 'name="action"' not in html and "/edit" not in html
    r = client.post(f"/plans/{plan}/targets/{t}", data={"csrf_token": csrf_of(client), "version": "1",
                                                         "action": "confirm"}, headers=HX)
    assert "无权审核方案" in r.text
    assert client.get(f"/plans/{plan}/targets/{t}/edit").status_code == 403
    assert 'id="dropzone"' not in client.get("/plans").text
    assert client.get(f"/plans/{seeded.plans['唐山市']}").status_code == 404


def test_uploading_several_files_without_javascript(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    files = [
        ("files", ("sample.txt", SAMPLE.read_bytes(), "text/plain")),
        ("files", ("西宁意见.txt", "西宁市创新型城市建设实施意见\n到2026年，高新技术企业达到450家。\n".encode(), "text/plain")),
        ("files", ("图片.docx", b"\x89PNG\r\n\x1a\n0000", "application/octet-stream")),
    ]
    r = client.post("/plans", data={"csrf_token": csrf_of(client)}, files=files)
    assert r.status_code == 200
    results = re.findall(r'<li class="(ok|failed)">\s*<span class="fname">([^<]+)</span>\s*<span class="status">([^<]+)',
                         r.text)
    assert [(ok, name) for ok, name, _ in results] == [("ok", "sample.txt"), ("ok", "西宁意见.txt"),
                                                       ("failed", "图片.docx")]
    assert results[0][2] == "此文件已上传过，指向已有方案" and results[1][2] == "已导入"
    assert "图片文件（PNG）不是方案文本" in r.text


def test_the_upload_endpoint_of_the_page_script(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    h = {"X-CSRF-Token": csrf_of(client)}
    r = client.post("/plans/upload", headers=h, files={"file": ("a.txt", "西宁市科技创新实施方案\n到2025年，技术合同成交额达到80亿元。\n".encode())})
    assert r.status_code == 201 and r.json()["ok"] is True and r.json()["plans"][0]["url"].startswith("/plans/")
    r = client.post("/plans/upload", headers=h, files={"file": ("b.txt", b"")})
    assert r.status_code == 200 and r.json()["ok"] is False and r.json()["message"]
    r = client.post("/plans/upload", headers=h, files={"file": ("c.txt", b"x" * (2 * 10**6 + 1))})
    assert r.status_code == 413 and "超过上传上限" in r.json()["message"]


def test_a_simulated_database_says_so_on_every_page(client: TestClient, seeded: Seed, app: AppContext) -> None:
    with app.uow() as w:
        set_meta(w.session, DATASET_LABEL, "SIMULATED")
    app.__dict__.pop("dataset_label", None)  # the label is read once per process; this test changes it
    sign_in(client, "admin")
    for path in ("/", "/plans", f"/plans/{seeded.plans['西宁市']}", "/plans/compare", "/login", "/nope"):
        html = client.get(path).text
        assert "模拟数据 SIMULATED" in html, path


def test_compare_page_with_and_without_an_indicator(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "admin")
    html = client.get("/plans/compare").text
    assert "共有指标" in html
    code = re.search(r'href="/plans/compare\?indicator=([A-Z]+\d+)"', html)
    assert code, "no shared indicator listed"
    page = client.get(f"/plans/compare?indicator={code.group(1)}").text
    assert page.count("<tr>") >= 3 and "目标年份" in page and "基期" in page
    assert "方案对比" in page


def test_errors_on_pages_are_pages_and_htmx_errors_go_to_the_notice_area(client: TestClient, seeded: Seed) -> None:
    sign_in(client, "coordinator")
    r = client.get("/plans/999999")
    assert r.status_code == 404 and "<h1>未找到" in r.text and "请求编号" in r.text
    assert "不在您账户的权限范围内" in r.text and "详情：no plan with id 999999" in r.text
    r = client.get("/plans/999999", headers=HX)
    assert r.headers["hx-retarget"] == "#flash" and "no plan" in r.text and "要找的记录不存在" in r.text
    assert client.get("/no-such-page").status_code == 404



def test_the_review_page_and_the_api_read_a_plan_once_and_both_follow_a_change(client: TestClient,
                                                                              seeded: Seed) -> None:
    """The plan behind the review page and ``GET /api/v1/plans/{id}`` is read once between them while it is
    unchanged; an edit through the API shows on the page at once, and the kept plan is never shown to
    someone outside its scope."""
    plan, t = seeded.plans["西宁市"], seeded.targets["西宁市"][3]
    for kept in (cache.PLAN_DETAIL, cache.PLAN_JSON, cache.PLAN_VIEW, WORKSPACES):
        kept.clear()
    sign_in(client, "coordinator")
    token = client.post("/api/v1/auth/token", data={"username": "coordinator",
                                                    "password": password_of("coordinator")}).json()["access_token"]
    misses = cache.PLAN_DETAIL.misses
    page = client.get(f"/plans/{plan}").text
    api = client.get(f"/api/v1/plans/{plan}", headers=bearer(token)).json()
    assert cache.PLAN_DETAIL.misses == misses + 1  # one reading served both
    assert f'id="item-targets-{t}"' in page and any(x["id"] == t for x in api["targets"])
    version = next(x["version"] for x in api["targets"] if x["id"] == t)
    r = client.patch(f"/api/v1/targets/{t}", headers=bearer(token), json={"version": version, "value": 97531.0})
    assert r.status_code == 200, r.text
    assert "97,531" not in page and "97,531" in client.get(f"/plans/{plan}").text
    again = client.get(f"/api/v1/plans/{plan}", headers=bearer(token)).json()
    assert next(x for x in again["targets"] if x["id"] == t)["value"] == 97531.0
    client.cookies.clear()
    sign_in(client, "ts-coordinator")
    assert client.get(f"/plans/{plan}").status_code == 404
