"""Shared test fixtures.

Database: every test that takes ``settings`` or ``store`` runs on a fresh SQLite file, and again on
PostgreSQL when ``INNOCITY_TEST_DATABASE_URL`` is set. The schema is migrated (and regions seeded) once per
session per backend; each test then starts from that state: SQLite copies a template file, PostgreSQL
truncates every table except regions.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from innocity.app import AppContext
from innocity.settings import Settings

# Property tests assert behaviour, not speed: no per-example deadline and no "too slow" health check, so a
# loaded CI machine cannot fail them (speed is measured by benchmarks/).
hypothesis_settings.register_profile(
    "innocity", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
hypothesis_settings.load_profile("innocity")

sys.path.insert(0, str(Path(__file__).resolve().parent))  # helper modules beside this file (pg_snapshot)

from pg_snapshot import KEEP  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_PAGE = ROOT / "src" / "innocity" / "data" / "samples" / "innovative-city-plans-4.txt"
PLAN_SCHEMA = ROOT / "src" / "innocity" / "data" / "contracts" / "plan.schema.json"


@pytest.fixture(scope="session")
def sample_page_path() -> Path:
    return SAMPLE_PAGE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_PAGE.read_text(encoding="utf-8")


PG_URL = os.environ.get("INNOCITY_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)] if PG_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    app = AppContext(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent, user="tester"))
    with app.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    app.dispose()
    return path


def worker_database(url: str, worker: str) -> str:
    """The database of one pytest-xdist worker: ``INNOCITY_TEST_DATABASE_URL``'s name plus the worker's
    (``innocity_test_gw0``), created when missing. Workers truncate tables before every test, so sharing
    one database would let a test empty another's tables halfway through."""
    from sqlalchemy.engine import make_url

    from innocity.storage.db import make_engine

    if worker == "master":  # not under xdist: the database as given
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_ready(worker_id: str) -> Iterator[str]:
    assert PG_URL
    from innocity.storage.db import make_engine

    url = worker_database(PG_URL, worker_id)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    AppContext(Settings(database_url=url, data_dir=Path("/tmp"), user="tester")).db.dispose()
    yield url


def reset_postgres(url: str) -> None:
    """Empty every table but the seeded regions (and reset ids) so each test starts alike."""
    from innocity.storage.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        names = [
            r[0]
            for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            if r[0] not in KEEP
        ]
        if names:
            conn.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        db = tmp_path / "innocity.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), db)
        return Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path, user="tester")
    url = request.getfixturevalue("pg_ready")
    reset_postgres(url)
    return Settings(database_url=url, data_dir=tmp_path, user="tester")


@pytest.fixture
def app(settings: Settings) -> Iterator[AppContext]:
    """The process context on this test's database (SQLite file, or PostgreSQL when configured):
    ``with app.uow() as uow: service(uow, ...)``."""
    ctx = AppContext(settings)
    yield ctx
    ctx.dispose()


# Real documents (txt in several encodings, html, docx with Word numbering, pdf) generated once per session
# from tests/fixtures/docs/build.py, for the reader and parse-CLI suites.
_BUILD = FIXTURES / "docs" / "build.py"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("innocity_test_docs_build", _BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build() -> ModuleType:
    return load_build()


@pytest.fixture(scope="session")
def docs(build: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build.write_all(tmp_path_factory.mktemp("docs"))
