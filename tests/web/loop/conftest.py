"""Fixtures of the loop suite (data entry and approval, progress, dashboard, tasks, 督办, index).

The scenario is ``seed.build``: two cities of 安徽省 (芜湖市 with five targets and two tasks, 蚌埠市 with two
targets), departments assigned, and one account per role of ``ACCOUNTS``. On SQLite it is built once per
session into a template file that every test copies (argon2 is slow on purpose); on PostgreSQL it is built
once per worker and its rows are put back in every test (``pg_snapshot.seeded_once``).
The web suite's fixtures (``web_settings``, the live server, Debian's chromium) are the core's, in
``tests/web/conftest.py``; every password is ``<name>-password-1`` as there.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from innocity.app import AppContext
from innocity.services import index_runs, users
from innocity.settings import Settings
from innocity.web.app import create_app
from innocity.web.config import WebSettings

sys.path.insert(0, str(Path(__file__).parent))

from seed import Scenario, build
from websupport import LiveServer, password_of

from pg_snapshot import seeded_once

# name → (role, region adcode, department)
ACCOUNTS: dict[str, tuple[str, str | None, str | None]] = {
    "wh-admin": ("admin", None, None),
    "wh-coordinator": ("coordinator", "340200", None),
    "wh-kejiju": ("department", "340200", "市科技局"),
    "wh-shangwu": ("department", "340200", "市商务局"),
    "wh-leader": ("leader", "340200", None),
    "ah-evaluator": ("evaluator", "340000", None),
    "bb-coordinator": ("coordinator", "340300", None),
    "bb-kejiju": ("department", "340300", "市科技局"),
}


def seed_loop(ctx: AppContext) -> Scenario:
    sc = build(ctx)
    with ctx.uow() as w:
        for name, (role, region, dept) in ACCOUNTS.items():
            users.create_user(w, username=name, password=password_of(name), role=role, region=region,
                              department=dept)
    return sc


@pytest.fixture(scope="session")
def loop_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Scenario]:
    path = tmp_path_factory.mktemp("loop-template") / "loop.sqlite3"
    shutil.copyfile(sqlite_template, path)
    ctx = AppContext(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent, user="seed"))
    sc = seed_loop(ctx)
    with ctx.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.dispose()
    return path, sc


@pytest.fixture
def scenario(settings: Settings, request: pytest.FixtureRequest) -> Scenario:
    """The scenario in this test's database (a copy of the session's template on SQLite)."""
    if settings.database_url.startswith("sqlite"):
        template, sc = request.getfixturevalue("loop_template")
        shutil.copyfile(template, Path(settings.database_url.removeprefix("sqlite:///")))
        return dataclasses.replace(sc, app=request.getfixturevalue("app"))
    app = request.getfixturevalue("app")
    sc = seeded_once(settings.database_url, "loop", lambda: seed_loop(app))
    return dataclasses.replace(sc, app=app)


@pytest.fixture
def loop_client(scenario: Scenario, web_settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(scenario.app, web=web_settings), raise_server_exceptions=False) as c:
        yield c


_TOKENS: dict[tuple[str, str], str] = {}


@pytest.fixture
def loop_tokens(loop_client: TestClient, settings: Settings) -> dict[str, str]:
    """A bearer token per account, signed in once per session and backend (argon2 is slow on purpose)."""
    sqlite = settings.database_url.startswith("sqlite")
    out = {}
    backend = "sqlite" if sqlite else settings.database_url  # each holds the same accounts in every test
    for name in ACCOUNTS:
        if (backend, name) not in _TOKENS:
            r = loop_client.post("/api/v1/auth/token", data={"username": name, "password": password_of(name)})
            assert r.status_code == 200, r.text
            _TOKENS[backend, name] = r.json()["access_token"]
        out[name] = _TOKENS[backend, name]
    return out


@pytest.fixture
def runs() -> Iterator[None]:
    """Index runs of this test go to a runner of this test's database, stopped afterwards (the runner is
    one per process and remembers the application it was made for)."""
    index_runs.shutdown_runner()
    yield
    index_runs.shutdown_runner(wait=True)


@pytest.fixture
def loop_server(scenario: Scenario, web_settings: WebSettings) -> Iterator[LiveServer]:
    with LiveServer(create_app(scenario.app, web=web_settings)) as server:
        yield server
