"""The loop in a real browser (Debian's chromium through pytest-playwright): a department enters a bad
value, sees why beside it, fixes and submits it; the coordinator approves it and the target's status
changes on /progress; the target page draws its chart; a 督办 item goes raised → responded → extended →
closed by the right people; an index run shows its ranking. No page logs a console error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from seed import Scenario, index_data
from sqlalchemy import select
from websupport import LiveServer, password_of

from innocity.services.index import run_from_db
from innocity.storage.index_runs import IndexRun
from innocity.storage.tables import Region

pytestmark = pytest.mark.browser


class Session:
    """One signed-in browser context, remembering every console error of its pages."""

    def __init__(self, browser: Browser, args: dict[str, Any], server: LiveServer, name: str) -> None:
        self.url = server.url
        self.context: BrowserContext = browser.new_context(**args)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(f"{self.url}/login")
        self.page.fill("input[name=username]", name)
        self.page.fill("input[name=password]", password_of(name))
        self.page.click("form button[type=submit]")
        self.page.wait_for_url(f"{self.url}/")

    def go(self, path: str) -> Page:
        self.page.goto(self.url + path)
        return self.page


@pytest.fixture
def sign_in(browser: Browser, browser_context_args: dict[str, Any], loop_server: LiveServer) -> Iterator[Any]:
    sessions: list[Session] = []

    def make(name: str) -> Session:
        s = Session(browser, browser_context_args, loop_server, name)
        sessions.append(s)
        return s

    yield make
    errors = [e for s in sessions for e in s.errors]
    for s in sessions:
        s.context.close()
    assert errors == [], errors


def test_enter_fix_submit_approve_and_see_progress_change(scenario: Scenario, sign_in: Any) -> None:
    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2017, 2.35)  # 2017: expected 2.44 → 63 % of the way: behind
    dept = sign_in("wh-kejiju")
    page = dept.go("/data?year=2019")
    box = page.get_by_label("全社会R&D经费投入强度 2018 年数值（%）")
    box.fill("260")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".msg.error")).to_contain_text("未保存任何数据")
    row = page.locator("#row-TEC01-2018")
    expect(row.locator(".err")).to_contain_text("上限")  # the reason, beside the value
    expect(row.get_by_role("textbox").first).to_have_value("260")  # what was typed is kept
    row.get_by_role("textbox").first.fill("2.6")
    row.get_by_label("数据来源").fill("芜湖市2018年国民经济和社会发展统计公报")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".msg.ok")).to_contain_text("1 个已提交审核")
    expect(page.locator("#row-TEC01-2018 .state")).to_have_text("已提交待审核")

    coord = sign_in("wh-coordinator")
    page = coord.go("/progress?year=2019")
    tec01 = page.locator("tr", has=page.get_by_role("link", name="研发经费支出占地区生产总值比重"))
    expect(tec01.locator(".status")).to_have_text("略有滞后")
    page = coord.go("/data/review")
    item = page.locator("tr", has_text="全社会R&D经费投入强度")
    expect(item).to_contain_text("芜湖市2018年国民经济和社会发展统计公报")
    item.get_by_role("button", name="通过").click()
    expect(page.locator(".msg.ok")).to_contain_text("已审核通过 1 个数值")
    page = coord.go("/progress?year=2019")
    expect(tec01.locator(".status")).to_have_text("进度正常")  # 2018: 2.6 against 2.56 expected


def test_the_target_page_draws_its_chart(scenario: Scenario, sign_in: Any) -> None:
    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2017, 2.35)
    scenario.observe("TEC01", 2018, 2.5, status="submitted")
    page = sign_in("wh-leader").go(f"/progress/{scenario.targets['TEC01']}?year=2019")
    expect(page.locator("#target-chart canvas")).to_have_count(1)
    expect(page.locator(".plan-quote")).to_have_text("全社会研发经费支出占地区生产总值比重达到2.8%")
    link = page.get_by_role("link", name="在方案原文中查看", exact=False)
    expect(link).to_have_attribute("href", f"/plans/{scenario.plan}#item-targets-{scenario.targets['TEC01']}")
    expect(page.locator("table").first).to_contain_text("已提交待审核")


def test_a_supervision_item_from_raised_to_closed(scenario: Scenario, sign_in: Any) -> None:
    scenario.observe("TEC01", 2016, 2.3)
    scenario.observe("TEC01", 2018, 2.1)  # moving the wrong way: off track
    coord = sign_in("wh-coordinator")
    page = coord.go("/supervision/sync?year=2019")
    proposal = page.locator("tr", has_text="研发经费支出占地区生产总值比重")
    expect(proposal).to_contain_text("指标进度严重滞后")
    for box in page.locator("input[name=pick]").all():
        box.set_checked(box.get_attribute("value") == f"target:{scenario.targets['TEC01']}")
    page.get_by_role("button", name="为所选事项立项督办").click()
    expect(page.locator(".msg.ok")).to_contain_text("已生成 1 项督办事项")
    card = page.locator(".col-raised .card-item")
    expect(card).to_have_count(1)
    item_url = card.get_attribute("href")
    assert item_url
    expect(page.locator("#step-respond")).to_have_count(0)  # not offered to the coordinator

    dept = sign_in("wh-kejiju")
    page = dept.go(item_url)
    expect(page.locator("#step-close")).to_have_count(0)
    page.locator("#step-respond textarea").fill("统计口径调整，2018 年数据待核实；已安排专项资金。")
    page.locator("#step-respond button").click()
    expect(page.locator("h1 .state")).to_have_text("已说明")
    page.locator("#step-extend textarea").fill("等待统计年鉴正式数据")
    page.locator("#step-extend input[type=date]").fill("2027-06-30")
    page.locator("#step-extend button").click()
    expect(page.locator("h1 .state")).to_have_text("已延期")

    page = coord.go(item_url)
    page.locator("#step-close textarea").fill("已核实整改，予以销号")
    page.locator("#step-close button").click()
    expect(page.locator("h1 .state")).to_have_text("已销号")
    steps = page.locator("ol.timeline li")
    expect(steps).to_have_count(4)
    for i, (step, who) in enumerate([("立项督办", "wh-coordinator"), ("情况说明", "wh-kejiju"),
                                     ("延期申请", "wh-kejiju"), ("销号", "wh-coordinator")]):
        expect(steps.nth(i)).to_contain_text(step)
        expect(steps.nth(i).locator(".who")).to_contain_text(who)
    page = coord.go("/supervision")
    expect(page.locator(".col-closed .card-item")).to_have_count(1)


def test_an_index_run_shows_the_ranking(scenario: Scenario, sign_in: Any, runs: None) -> None:
    cities = index_data(scenario.app)
    page = sign_in("ah-evaluator").go("/index")
    expect(page.get_by_label("不确定性分析次数 N")).to_have_value("200")
    page.get_by_role("button", name="开始计算").click()
    expect(page.locator("#chart-rank canvas")).to_have_count(1, timeout=90_000)
    rows = page.locator("details.chart-table tbody tr")
    expect(rows).to_have_count(len(cities))
    expect(rows.first.locator("td").first).to_have_text("1")
    expect(page.locator("#chart-weights canvas")).to_have_count(1)
    expect(page.get_by_role("link", name="下载 CSV")).to_be_visible()


def test_sobol_bars_when_a_run_computed_them(scenario: Scenario, sign_in: Any) -> None:
    """A run whose result carries Sobol indices (computed here with the same engine, stored as a finished
    run: the background runner does not ask for them yet) draws them as bars."""
    index_data(scenario.app)
    with scenario.app.uow() as w:
        result = run_from_db(w, uncertainty=50, sobol=64, seed=5)
        assert result.sensitivity
        # a run is seen by those whose scope covers the region it was run for: 安徽省
        anhui = w.session.scalar(select(Region.id).where(Region.adcode == "340000"))
        run = IndexRun(status="done", progress=100, params={"framework": "default", "uncertainty": 50},
                       region_id=anhui, result=result.json_dict(), created_by="tester")
        w.session.add(run)
        w.session.flush()
        run_id = run.id
    page = sign_in("ah-evaluator").go(f"/index/runs/{run_id}")
    expect(page.locator("#chart-sobol canvas")).to_have_count(1)
    expect(page.locator("#chart-rank canvas")).to_have_count(1)
