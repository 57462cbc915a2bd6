"""The web application in a real browser (pytest-playwright driving Debian's chromium) against a live
uvicorn server on a copy of the seeded database: sign-in and lockout, upload, the review workspace
(highlighting, select ↔ scroll, confirm / edit / reject that survive a reload, the conflict between two
reviewers), what a department user sees, a plan full of markup, and no console error on any page.

Each test has its own server and database, so the tests run in parallel under pytest-xdist (``-n 2``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from websupport import SAMPLE, LiveServer, Seed, password_of

pytestmark = pytest.mark.browser

XSS_TEXT = (
    "西宁市创新型城市建设实施方案<script>alert('x')</script>\n"
    "一、发展目标\n"
    "到2025年，全市研发经费支出占地区生产总值比重达到3.2%；<img src=x onerror=alert(1)>"
    "高新技术企业达到300家；技术合同成交额达到50亿元<a href=\"javascript:alert(2)\">链接</a>。\n"
    "二、重点任务\n"
    "（一）建设创新平台<svg onload=alert(3)>。牵头单位：市科技局。\n"
)
NEW_PLAN = (
    "西宁市关于加快建设创新型城市的实施意见\n"
    "一、主要目标\n"
    "到2027年，全市研发经费投入强度达到2.6%，高新技术企业达到420家，每万人口发明专利拥有量达到9件。\n"
    "二、保障措施\n"
    "（一）强化组织领导。牵头单位：市科技局；配合单位：市财政局、市统计局。\n"
)


class Console:
    """Every console error and uncaught page error of the pages it watches."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                self.errors.append(f"{page.url}: console: {msg.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: page error: {exc}"))
        page.on("dialog", lambda d: (self.errors.append(f"{page.url}: dialog: {d.message}"), d.dismiss()))
        return page


@pytest.fixture
def console() -> Iterator[Console]:
    c = Console()
    yield c
    assert c.errors == [], "\n".join(c.errors)


@pytest.fixture
def watched(page: Page, console: Console) -> Page:
    return console.watch(page)


def sign_in(page: Page, server: LiveServer, name: str, password: str | None = None) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password or password_of(name))
    page.get_by_role("button", name="登录").click()


def card(page: Page, target_id: int):  # type: ignore[no-untyped-def]
    return page.locator(f"#item-targets-{target_id}")


def test_sign_in_shows_the_user_and_the_lockout_says_why(watched: Page, live_server: LiveServer) -> None:
    page = watched
    page.goto(f"{live_server.url}/plans")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fplans$"))
    for _ in range(4):
        sign_in(page, live_server, "leader", "wrong-password-0")
        expect(page.locator("#login-error")).to_have_text("用户名或密码错误")
    sign_in(page, live_server, "leader", "wrong-password-0")
    expect(page.locator("#login-error")).to_contain_text("已锁定 15 分钟")
    sign_in(page, live_server, "leader")  # the right password, refused while locked
    expect(page.locator("#login-error")).to_contain_text("连续 5 次登录失败")
    sign_in(page, live_server, "coordinator")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".who .uname")).to_have_text("coordinator")
    expect(page.locator(".who .role")).to_contain_text("西宁市")
    expect(page.get_by_role("heading", level=1)).to_contain_text("西宁市")
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_upload_shows_each_files_result_and_the_review_page_highlights(
    watched: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    page = watched
    new_plan = tmp_path / "西宁实施意见.txt"
    new_plan.write_text(NEW_PLAN, encoding="utf-8")
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a Word file")
    sign_in(page, live_server, "coordinator")
    page.get_by_role("link", name="方案", exact=True).click()
    page.locator("#files").set_input_files([str(SAMPLE), str(new_plan), str(broken)])
    results = page.locator("#upload-results li")
    expect(results).to_have_count(3)
    expect(results.filter(has_text="损坏.docx")).to_contain_text("未导入")
    expect(results.filter(has_text="损坏.docx").locator(".reason")).not_to_be_empty()
    expect(results.filter(has_text=SAMPLE.name)).to_contain_text("此文件已上传过，指向已有方案")
    fresh = results.filter(has_text="西宁实施意见.txt")
    expect(fresh).to_contain_text("已导入")
    expect(page.locator("#plan-table")).to_contain_text("西宁市关于加快建设创新型城市的实施意见")
    results.filter(has_text=SAMPLE.name).get_by_role("link").first.click()
    expect(page.locator("#source mark.k-targets").first).to_be_visible()
    assert page.locator("#source mark.k-targets").count() >= 10
    assert page.locator("#source mark.k-facts").count() >= 1
    # selecting an item marks its span in the text, and clicking text selects its item
    first = page.locator("#items .item.k-targets").first
    first.locator(".goal").click()
    ref = first.get_attribute("data-ref")
    expect(page.locator(f'#source mark[data-refs~="{ref}"]').first).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator(f'#source mark[data-refs~="{ref}"]').first).to_be_in_viewport()
    other = page.locator("#source mark.k-facts").first
    other.click()
    fact_ref = (other.get_attribute("data-refs") or "").split()[0]
    expect(page.locator(f"#item-{fact_ref}")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator(f"#item-{fact_ref}")).to_be_in_viewport()


def test_confirm_edit_and_reject_survive_a_reload(watched: Page, live_server: LiveServer, seeded: Seed) -> None:
    page = watched
    plan = seeded.plans["西宁市"]
    a, b, c, d, e = seeded.targets["西宁市"][1:6]
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/plans/{plan}")
    card(page, a).get_by_role("button", name="确认").click()
    expect(card(page, a).locator(".badge")).to_have_text("已确认")
    card(page, b).get_by_role("button", name="编辑").click()
    editor = card(page, b).locator(".edit-form")
    editor.locator("input[name=value]").fill("9.75")
    editor.locator("input[name=year]").fill("2016")
    editor.locator("input[name=lead]").fill("市科技局")
    editor.get_by_role("button", name="保存修改").click()
    expect(card(page, b).locator(".badge")).to_have_text("已修改")
    expect(card(page, b).locator(".goal")).to_contain_text("9.75")
    card(page, c).locator("input.comment").fill("不是量化目标")
    card(page, c).get_by_role("button", name="驳回").click()
    expect(card(page, c).locator(".badge")).to_have_text("已驳回")
    expect(page.locator("#review-progress")).to_contain_text("已审核 3 /")
    # many at once
    card(page, d).locator("input.pick").check()
    card(page, e).locator("input.pick").check()
    page.get_by_role("button", name="确认所选").click()
    expect(page.locator(".msg.ok")).to_contain_text("已处理 2 个目标")
    page.reload()
    expect(card(page, a).locator(".badge")).to_have_text("已确认")
    expect(card(page, b).locator(".badge")).to_have_text("已修改")
    expect(card(page, b).locator(".goal")).to_contain_text("9.75")
    expect(card(page, b).locator(".goal")).to_contain_text("2016年")
    expect(card(page, b).locator("dl.fields")).to_contain_text("市科技局")
    expect(card(page, c).locator(".badge")).to_have_text("已驳回")
    expect(card(page, d).locator(".badge")).to_have_text("已确认")
    expect(page.locator("#review-progress")).to_contain_text("已审核 5 /")
    # the history of the edited target names who changed what
    card(page, b).locator("details.history summary").click()
    expect(card(page, b).locator(".history-table")).to_contain_text("coordinator")
    expect(card(page, b).locator(".history-table")).to_contain_text("9.75")


def test_a_second_reviewer_with_a_stale_page_gets_the_conflict_message(
    watched: Page, context: BrowserContext, console: Console, live_server: LiveServer, seeded: Seed
) -> None:
    plan = seeded.plans["西宁市"]
    target = seeded.targets["西宁市"][6]
    first = watched
    sign_in(first, live_server, "coordinator")
    first.goto(f"{live_server.url}/plans/{plan}")
    card(first, target).get_by_role("button", name="编辑").click()
    expect(card(first, target).locator(".edit-form")).to_be_visible()
    browser = context.browser
    assert browser is not None
    other_context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        second = console.watch(other_context.new_page())
        sign_in(second, live_server, "admin")
        second.goto(f"{live_server.url}/plans/{plan}")
        card(second, target).get_by_role("button", name="编辑").click()
        card(second, target).locator("input[name=value]").fill("123")
        card(second, target).get_by_role("button", name="保存修改").click()
        expect(card(second, target).locator(".badge")).to_have_text("已修改")
    finally:
        other_context.close()
    card(first, target).locator("input[name=value]").fill("456")
    card(first, target).get_by_role("button", name="保存修改").click()
    expect(card(first, target).locator(".msg-area")).to_have_text("已被他人修改，请刷新后再试")
    first.reload()
    expect(card(first, target).locator(".goal")).to_contain_text("123")  # nothing was overwritten


def test_a_department_user_cannot_open_the_review_actions(watched: Page, live_server: LiveServer,
                                                          seeded: Seed) -> None:
    page = watched
    plan = seeded.plans["西宁市"]
    target = seeded.targets["西宁市"][1]
    sign_in(page, live_server, "department")
    page.goto(f"{live_server.url}/plans/{plan}")
    expect(page.locator("#source mark.k-targets").first).to_be_visible()
    expect(page.locator("#bulk")).to_have_count(0)
    expect(page.get_by_role("button", name="确认", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="驳回", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="编辑", exact=True)).to_have_count(0)
    expect(page.locator("#dropzone")).to_have_count(0)
    # asking the server directly (with the page's own CSRF token) is refused by the service
    token = page.locator("form[action='/logout'] input[name=csrf_token]").get_attribute("value")
    r = page.request.post(f"{live_server.url}/plans/{plan}/targets/{target}",
                          form={"version": "1", "action": "confirm"}, headers={"X-CSRF-Token": token or ""},
                          max_redirects=0)
    assert r.status in (200, 403)
    page.reload()
    expect(card(page, target).locator(".badge")).to_have_text("待审核")
    r = page.request.get(f"{live_server.url}/plans/{plan}/targets/{target}/edit")
    assert r.status == 403


def test_a_plan_full_of_markup_renders_as_text(watched: Page, live_server: LiveServer, tmp_path: Path) -> None:
    page = watched
    path = tmp_path / "xss.txt"
    path.write_text(XSS_TEXT, encoding="utf-8")
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/plans")
    page.locator("#files").set_input_files(str(path))
    link = page.locator("#upload-results li").filter(has_text="xss.txt").get_by_role("link").first
    link.click()
    source = page.locator("#source")
    expect(source).to_contain_text("<script>alert('x')</script>")
    expect(source).to_contain_text("<img src=x onerror=alert(1)>")
    expect(source).to_contain_text('javascript:alert(2)')
    assert source.locator("script, img, svg, a, iframe").count() == 0
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0
    page.wait_for_timeout(300)  # an injected handler would have fired by now (the console fixture checks)


def test_every_page_loads_without_console_errors(watched: Page, live_server: LiveServer, seeded: Seed) -> None:
    page = watched
    sign_in(page, live_server, "admin")
    plan = seeded.plans["唐山市"]
    for path in ("/", "/plans", f"/plans/{plan}", f"/plans/{plan}?full=1", "/plans/compare",
                 "/plans/compare?indicator=" + "TEC01", "/api/docs"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(page.locator("main")).to_be_visible()
    # a page without charts loads no ECharts
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert not any("echarts" in url for url in loaded)
