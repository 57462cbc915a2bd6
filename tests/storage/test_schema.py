"""The schema: migrations from nothing when the database is first used, region seeding, that the ORM tables
match the migrations, and that a foreign or newer database is refused without being touched."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from innocity.app import AppContext
from innocity.errors import StorageError
from innocity.settings import Settings
from innocity.storage import migrate
from innocity.storage.db import Base
from innocity.storage.regions import list_regions, normalise_department
from innocity.storage.tables import Region


def test_new_sqlite_database_is_created_and_migrated_on_first_use(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "new.sqlite3"
    app = AppContext(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path))
    assert not db.exists()  # nothing is opened until something needs the database
    engine = app.db.engine
    assert db.exists()
    assert migrate.is_current(engine)
    names = set(inspect(engine).get_table_names())
    assert {
        "regions", "departments", "documents", "plans", "targets", "duties", "duty_departments", "phases",
        "programs", "facts", "observations", "audit_log", "imports", "users", "sign_in_attempts", "index_runs",
        "meta",
    } <= names
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    app.dispose()


def test_tables_match_the_migrations(app: AppContext) -> None:
    """A column added to tables.py without a migration shows up here as a difference."""
    migrate.load_table_modules()
    with app.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_regions_are_seeded_as_a_hierarchy(app: AppContext) -> None:
    with app.uow() as w:
        s = w.session
        assert s.scalar(select(func.count()).select_from(Region)) > 3000
        provinces = list_regions(s, level="province")
        assert len(provinces) == 34
        suzhou_counties = {r.name for r, parent in list_regions(s, parent_adcode="320500")}
        assert {"姑苏区", "吴江区", "常熟市"} <= suzhou_counties
        gusu = s.scalar(select(Region).where(Region.adcode == "320508"))
        assert gusu is not None and gusu.parent is not None and gusu.parent.name == "苏州市"
        assert gusu.parent.parent is not None and gusu.parent.parent.adcode == "320000"


def test_opening_twice_does_not_seed_twice(settings: Settings) -> None:
    counts = []
    for _ in range(2):
        app = AppContext(settings)
        with app.uow() as w:
            counts.append(w.session.scalar(select(func.count()).select_from(Region)))
        app.dispose()
    assert counts[0] == counts[1]


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    import hashlib
    import sqlite3

    db = tmp_path / "other-app.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("create table customers (id integer primary key, name text)")
        con.execute("insert into customers (name) values ('x')")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    app = AppContext(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path))
    with pytest.raises(StorageError, match="another application") as err:
        app.db  # noqa: B018
    assert err.value.exit_code == 4
    app.dispose()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_database_from_a_newer_innocity_is_refused(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "newer.sqlite3"
    AppContext(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path)).db.dispose()
    with sqlite3.connect(db) as con:
        con.execute("update alembic_version set version_num = '0099_future'")
    app = AppContext(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path))
    with pytest.raises(StorageError, match="newer innocity"):
        app.db  # noqa: B018
    app.dispose()


def test_a_driver_that_is_not_installed_is_a_storage_error(tmp_path: Path) -> None:
    app = AppContext(Settings(database_url="mysql+nosuchdriver://u:p@localhost/db", data_dir=tmp_path))
    with pytest.raises(StorageError):
        app.db  # noqa: B018


def test_the_cli_reports_a_foreign_database_in_one_line_with_exit_4(tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    db = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("create table t (x)")
    env = {"INNOCITY_DATABASE_URL": f"sqlite:///{db}", "INNOCITY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", "plans", "list"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 4 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_db_upgrade_command_reports_the_revision(run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("db", "upgrade")
    assert code == 0, err
    assert migrate.head_revisions()[0] in out


def test_regions_list_filters_by_level_and_parent(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    code, out, _ = run_cli("regions", "list", "--level", "city", "--parent", "320000", "--format", "json")
    assert code == 0
    cities = json.loads(out)
    assert {c["name"] for c in cities} >= {"南京市", "苏州市", "无锡市"}
    assert all(c["level"] == "city" and c["parent"] == "320000" for c in cities)
    code, _, err = run_cli("regions", "list", "--level", "village")
    assert code == 2 and "village" in err


def test_department_names_are_normalised() -> None:
    assert normalise_department("市科学技术局") == "市科技局"
    assert normalise_department(" 市发展和改革委员会 ") == "市发改委"
    assert normalise_department("市科技局等") == "市科技局"
    assert normalise_department("区财政局") == "区财政局"
