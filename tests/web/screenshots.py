"""Screenshots of the main pages for ``docs/screenshots/`` (run by hand, not collected as a test):

    .venv/bin/python tests/web/screenshots.py [OUT_DIR]

Seeds a temporary database as the web suite does (the sample page, one account per role), serves it on
127.0.0.1 with uvicorn, drives Debian's chromium at 1366×768 (and the review page at a phone's 390 px)
and writes palette PNGs small enough to commit.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))

from websupport import SAMPLE, LiveServer, password_of, seed_web

from innocity.app import AppContext
from innocity.settings import Settings
from innocity.web.app import create_app
from innocity.web.config import WebSettings

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--no-first-run", "--hide-scrollbars"]


def shrink(path: Path, colours: int = 96) -> None:
    """An adaptive-palette PNG: screenshots of flat UI keep their look at a fraction of the size."""
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)


def sign_in(page: Page, url: str, name: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password_of(name))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="innocity-shots-"))
    try:
        settings = Settings(database_url=f"sqlite:///{tmp / 'shots.sqlite3'}", data_dir=tmp, user="seed")
        ctx = AppContext(settings)
        seed = seed_web(ctx)
        plan = seed.plans["西宁市"]
        with ctx.uow() as w:  # a reviewed plan looks like one in use: a few targets confirmed or rejected
            from innocity.services import plans as plan_service
            from innocity.services.plans import BulkReview

            ids = seed.targets["西宁市"]
            plan_service.review_many(w, plan_id=plan, bulk=BulkReview(review="confirmed",
                                                                      items={i: 1 for i in ids[1:6]}))
            plan_service.review_many(w, plan_id=plan, bulk=BulkReview(review="rejected", items={ids[6]: 1}))
        app = create_app(ctx, web=WebSettings(secret_key="s" * 40, max_upload_bytes=20 * 10**6))
        with LiveServer(app) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{server.url}/login")
            shot(page, out / "web-login.png")
            sign_in(page, server.url, "coordinator")
            page.wait_for_timeout(1200)  # the dashboard's charts draw after the page loads
            shot(page, out / "web-home.png")
            page.goto(f"{server.url}/plans")
            page.locator("#files").set_input_files(str(SAMPLE))
            page.locator("#upload-results li .status").first.wait_for()
            page.wait_for_timeout(500)
            shot(page, out / "web-plans.png")
            page.goto(f"{server.url}/plans/{plan}")
            target = seed.targets["西宁市"][8]
            page.locator(f"#item-targets-{target} .goal").click()
            page.locator(f"#item-targets-{target}").get_by_role("button", name="编辑").click()
            page.locator(f"#item-targets-{target} .edit-form").wait_for()
            page.wait_for_timeout(1200)  # the text pane scrolls smoothly to the selected target
            shot(page, out / "web-review.png")
            page.goto(f"{server.url}/plans/compare")
            shot(page, out / "web-compare.png")
            sign_in_admin = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            sign_in(sign_in_admin, server.url, "admin")
            sign_in_admin.goto(f"{server.url}/plans/compare?indicator=TEC01")
            shot(sign_in_admin, out / "web-compare-indicator.png")
            phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1)
            sign_in(phone, server.url, "coordinator")
            phone.goto(f"{server.url}/plans/{plan}")
            shot(phone, out / "web-review-phone.png")
            browser.close()
        ctx.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def shot(page: Page, path: Path) -> None:
    page.screenshot(path=str(path), full_page=False)
    shrink(path)
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} kB")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
