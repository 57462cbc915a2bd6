"""Fixtures of the web suite: a seeded database, the FastAPI app on it, signed-in clients per role, and a
live uvicorn server with Debian's chromium for the browser tests.

The seed (``seed_web``): the bundled sample page ingested through the service (four plans: 西宁市, 唐山市,
济南市, 湘潭市), one account per role scoped to 西宁市 (the evaluator to 青海省) plus a coordinator and a
department of 唐山市 for the cross-city checks, and one 督办 item per city. On SQLite it is built once per
session into a template file that each test copies; on PostgreSQL it is built once per worker and its rows are
put back in every test (``pg_snapshot.seeded_once``).

Every password is ``<name>-password-1``; there is no default account in the application itself.
"""

from __future__ import annotations

import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from innocity.app import AppContext
from innocity.settings import Settings
from innocity.web.app import create_app
from innocity.web.config import WebSettings

with warnings.catch_warnings():  # starlette's TestClient would rather use httpx2: not about this code
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from websupport import ACCOUNTS, SECRET, UPLOAD_LIMIT, LiveServer, Seed, password_of, seed_web

from pg_snapshot import seeded_once


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's chromium through pytest-playwright")


@pytest.fixture(scope="session")
def web_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seed]:
    path = tmp_path_factory.mktemp("web-template") / "web.sqlite3"
    shutil.copyfile(sqlite_template, path)
    ctx = AppContext(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent, user="seed"))
    seed = seed_web(ctx)
    with ctx.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.dispose()
    return path, seed


@pytest.fixture
def seeded(settings: Settings, request: pytest.FixtureRequest) -> Seed:
    """The seed in this test's database (a copy of the session's template on SQLite)."""
    if settings.database_url.startswith("sqlite"):
        template, seed = request.getfixturevalue("web_template")
        db = Path(settings.database_url.removeprefix("sqlite:///"))
        shutil.copyfile(template, db)
        return seed

    def seed() -> Seed:
        ctx = AppContext(settings)
        try:
            return seed_web(ctx)
        finally:
            ctx.dispose()

    return seeded_once(settings.database_url, "web", seed)


@pytest.fixture
def web_settings() -> WebSettings:
    return WebSettings(secret_key=SECRET, https=False, max_upload_bytes=UPLOAD_LIMIT)


@pytest.fixture
def client(app: AppContext, seeded: Seed, web_settings: WebSettings) -> Iterator[TestClient]:
    """A TestClient on the seeded database; errors the app turns into answers stay answers."""
    with TestClient(create_app(app, web=web_settings), raise_server_exceptions=False) as c:
        yield c


_TOKENS: dict[tuple[str, str], str] = {}


@pytest.fixture
def tokens(client: TestClient, settings: Settings) -> dict[str, str]:
    """A bearer token per account, signed in once per session and backend (argon2 is slow on purpose)."""
    out = {}
    # every test's database holds the same accounts: a copy of the template (SQLite) or the seed's rows put
    # back (PostgreSQL, one database per worker)
    backend = "sqlite" if settings.database_url.startswith("sqlite") else settings.database_url
    for name in ACCOUNTS:
        key = (backend, name)
        if key not in _TOKENS:
            r = client.post("/api/v1/auth/token", data={"username": name, "password": password_of(name)})
            assert r.status_code == 200, r.text
            _TOKENS[key] = r.json()["access_token"]
        out[name] = _TOKENS[key]
    return out


# ---------------------------------------------------------------------- live server and browser


@pytest.fixture
def live_server(app: AppContext, seeded: Seed, web_settings: WebSettings) -> Iterator[LiveServer]:
    with LiveServer(create_app(app, web=web_settings)) as server:
        yield server


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium (Playwright cannot download its own here), without a sandbox, GPU, /dev/shm or
    any background networking: the tests run offline and quietly."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt install chromium fonts-noto-cjk)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-sync",
            "--metrics-recording-only",
            "--no-first-run",
            "--disable-features=Translate,OptimizationHints,MediaRouter",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}
