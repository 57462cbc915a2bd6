"""Screenshots of the loop's pages for docs/screenshots/ (not a test; run by hand, then look at each).

Run: .venv/bin/python tests/web/loop/take_screenshots.py [OUT_DIR]

The data are the loop suite's scenario (two cities of 安徽省, written for the tests) with SIMULATED figures
added, in a database labelled SIMULATED, so every page says so. 1366×768, Debian's chromium, zh-CN.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent.parent)]

from playwright.sync_api import sync_playwright  # noqa: E402
from seed import build, index_data  # noqa: E402
from websupport import LiveServer, password_of  # noqa: E402

from conftest import ACCOUNTS  # noqa: E402
from innocity.app import AppContext  # noqa: E402
from innocity.services import collection, observations, supervise, targets, tasks, users  # noqa: E402
from innocity.services.context import Actor, Role  # noqa: E402
from innocity.services.models.collection import Entry  # noqa: E402
from innocity.settings import Settings  # noqa: E402
from innocity.storage.tables import DATASET_LABEL, set_meta  # noqa: E402
from innocity.web.app import create_app  # noqa: E402
from innocity.web.config import WebSettings  # noqa: E402

SHOTS = [  # (file, account, path)
    ("dashboard", "wh-coordinator", "/?year=2019"),
    ("dashboard-lists", "wh-coordinator", "/?year=2019#dash-lists"),
    ("data", "wh-kejiju", "/data?year=2019"),
    ("review-queue", "wh-coordinator", "/data/review"),
    ("progress", "wh-coordinator", "/progress?year=2019"),
    ("target", "wh-coordinator", "/progress/{TEC01}?year=2019"),
    ("scorecards", "wh-coordinator", "/scorecards?year=2019"),
    ("tasks", "wh-kejiju", "/tasks"),
    ("supervision", "wh-coordinator", "/supervision"),
    ("supervision-item", "wh-kejiju", "/supervision/{ITEM}"),
]


def populate(ctx: AppContext) -> dict[str, int]:
    sc = build(ctx)
    with ctx.uow() as w:
        set_meta(w.session, DATASET_LABEL, "SIMULATED")
        for name, (role, region, dept) in ACCOUNTS.items():
            users.create_user(w, username=name, password=password_of(name), role=role, region=region,
                              department=dept)
    with ctx.uow() as w:  # baselines a coordinator would set (SIMULATED)
        targets.set_target(w, target_id=sc.targets["TEC06"], baseline_year=2015, baseline_value=450)
        targets.set_target(w, target_id=sc.targets["GOV01"], baseline_year=2015, baseline_value=3.8)
    series = {"TEC01": [2.25, 2.27, 2.30], "TEC06": [520, 585, 640], "TRA08": [38.0, 45.5, 54.0],
              "GOV01": [4.2, 4.5, 4.7]}
    for code, values in series.items():
        for k, v in enumerate(values):
            sc.observe(code, 2015 + k + (0 if code == "TRA08" else 1), v, note="SIMULATED")
    for year, v in ((2013, 380), (2014, 420), (2015, 470)):  # a longer history: the queue can judge a jump
        sc.observe("TEC06", year, v, note="SIMULATED")
    dept = Actor("wh-kejiju", Role.DEPARTMENT, sc.wuhu, sc.kejiju)
    coord = Actor("wh-coordinator", Role.COORDINATOR, sc.wuhu)
    with ctx.uow(dept) as w:
        collection.save(w, submit=True, entries=[
            Entry(region="340200", indicator="TEC01", period="2019", value="2.52", source="芜湖市2019年统计公报（SIMULATED）"),
            Entry(region="340200", indicator="TEC06", period="2019", value="1350", note="含新认定企业",
                  source="市科技局认定名单（SIMULATED）"),
            Entry(region="340200", indicator="GOV01", period="2019", value="4.6", source="财政决算（SIMULATED）")])
    with ctx.uow(coord) as w:
        gov = next(o for o in observations.review_queue(w) if o.indicator == "GOV01")
        observations.reject(w, obs_id=gov.id, version=gov.version, comment="与财政决算表不一致，请核对后重报")
    today = date.today()
    with ctx.uow(dept) as w:
        t = next(x for x in tasks.list_tasks(w) if x.task == "实施高新技术企业倍增计划")
        tasks.set_task(w, task_id=t.task_id, status="进行中", percent=60, progress_note="已认定 640 家，完成 80%",
                       deadline=today + timedelta(days=40), version=0)
        tasks.add_milestone(w, task_id=t.task_id, name="第二批认定申报", due_on=today + timedelta(days=12))
    with ctx.uow(coord) as w:
        items = supervise.sync(w, year=2019)
    target_item = next(i for i in items if i.subject == "target" and i.department == "市科技局")
    with ctx.uow(dept) as w:
        supervise.act(w, item_id=target_item.id, action="respond", version=target_item.version,
                      text="统计口径调整后研发投入增速放缓，已会同市统计局核实，并安排专项资金支持企业研发。")
    task_items = [i for i in items if i.subject == "task" and i.department == "市科技局"]
    if task_items:
        with ctx.uow(dept) as w:
            it = task_items[0]
            it = supervise.act(w, item_id=it.id, action="respond", version=it.version, text="平台选址已确定，正在建设。")
            supervise.act(w, item_id=it.id, action="extend", version=it.version, text="设备采购周期较长",
                          new_due=today + timedelta(days=60))
    from datetime import datetime

    from innocity.storage.tracking import SupervisionItem

    def by_hand(code: str, dept_name: str, text: str, days_ago: int) -> int:
        with ctx.uow(coord) as w:
            item = supervise.raise_item(w, target_id=sc.targets[code], text=text, department=dept_name,
                                        today=today - timedelta(days=days_ago))
            raised = datetime.combine(today - timedelta(days=days_ago), datetime.min.time()).replace(hour=9)
            w.session.get(SupervisionItem, item.id).raised_at = raised  # type: ignore[union-attr]
            return item.id

    late = by_hand("TEC06", "市科技局", "高新技术企业认定进度偏慢，请说明原因和措施", 30)
    shangwu = Actor("wh-shangwu", Role.DEPARTMENT, sc.wuhu, sc.shangwu)
    up = by_hand("TRA08", "市商务局", "技术合同登记数据连续两个季度未报送", 50)
    with ctx.uow(shangwu) as w:
        it = supervise.get_item(w, item_id=up)
        it = supervise.act(w, item_id=up, action="respond", version=it.version, text="登记系统切换，数据补报中")
    with ctx.uow(coord) as w:
        supervise.act(w, item_id=up, action="escalate", version=it.version, text="多次催报未果，提请市领导督办")
    done = by_hand("GOV01", "市财政局", "2018年科技支出占比下降，请说明", 20)
    with ctx.uow(Actor("wh-caizheng", Role.COORDINATOR, sc.wuhu)) as w:
        it = supervise.get_item(w, item_id=done)
        it = supervise.act(w, item_id=done, action="respond", version=it.version, text="已追加预算，全年占比回升")
        supervise.act(w, item_id=done, action="close", version=it.version, text="已核实整改到位，予以销号")
    del late
    index_data(ctx, skip=("340200",))  # 芜湖's own figures above take part as they are
    return {"TEC01": sc.targets["TEC01"], "ITEM": target_item.id}


def sobol_run(ctx: AppContext) -> int:
    """A finished run with Sobol indices, computed by the engine in this process (the background runner does
    not ask for them) and stored for 安徽省's scope."""
    from sqlalchemy import select

    from innocity.services.index import run_from_db
    from innocity.storage.index_runs import IndexRun
    from innocity.storage.tables import Region

    with ctx.uow() as w:
        result = run_from_db(w, uncertainty=200, sobol=256, seed=5)
        anhui = w.session.scalar(select(Region.id).where(Region.adcode == "340000"))
        run = IndexRun(status="done", progress=100, region_id=anhui, result=result.json_dict(), created_by="shots",
                       params={"framework": "default", "uncertainty": 200})
        w.session.add(run)
        w.session.flush()
        return int(run.id)


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "docs" / "screenshots"
    tmp = Path(tempfile.mkdtemp())
    ctx = AppContext(Settings(database_url=f"sqlite:///{tmp}/shots-SIMULATED.sqlite3", data_dir=tmp, user="shots"))
    ids = populate(ctx)
    web = WebSettings(secret_key="screenshots-" + "x" * 40)
    with LiveServer(create_app(ctx, web=web)) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--lang=zh-CN"])
        sessions = {}

        def page_of(name: str):  # type: ignore[no-untyped-def]
            if name not in sessions:
                c = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
                pg = c.new_page()
                pg.goto(f"{server.url}/login")
                pg.fill("input[name=username]", name)
                pg.fill("input[name=password]", password_of(name))
                pg.click("form button[type=submit]")
                pg.wait_for_url(f"{server.url}/")
                sessions[name] = pg
            return sessions[name]

        for file, who, path in SHOTS:
            pg = page_of(who)
            pg.goto(server.url + path.format(**ids))
            pg.wait_for_load_state("networkidle")
            time.sleep(0.4)
            pg.screenshot(path=str(out / f"{file}.png"))
            print(file, pg.title())
        pg = page_of("wh-kejiju")  # a bad value: the reason beside it, nothing stored
        pg.goto(f"{server.url}/data?year=2019")
        box = pg.locator("input.value").first
        box.fill("一百二十")
        pg.get_by_role("button", name="保存草稿").click()
        pg.wait_for_load_state("networkidle")
        pg.locator("tr.has-error").first.scroll_into_view_if_needed()
        pg.evaluate("window.scrollBy(0, 160)")
        time.sleep(0.3)
        pg.screenshot(path=str(out / "data-errors.png"))
        print("data-errors")
        pg = page_of("ah-evaluator")
        pg.goto(f"{server.url}/index")
        pg.click("button.primary")
        pg.wait_for_selector("#chart-rank canvas", timeout=120_000)
        time.sleep(0.5)
        pg.screenshot(path=str(out / "index.png"))
        pg.goto(f"{server.url}/index/runs/{sobol_run(ctx)}")  # the same data with Sobol indices computed
        pg.wait_for_selector("#chart-sobol canvas")
        pg.locator("#chart-weights").scroll_into_view_if_needed()
        pg.evaluate("window.scrollBy(0, 120)")
        time.sleep(0.4)
        pg.screenshot(path=str(out / "index-weights.png"))
        print("index", pg.url)
        browser.close()
    ctx.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
