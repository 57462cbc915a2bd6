"""The schema: migrations from nothing, region seeding, and that the ORM tables match migration 0001."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from innocity.services.store import Store, open_store
from innocity.settings import Settings
from innocity.storage import migrate
from innocity.storage.db import Base
from innocity.storage.regions import list_regions, normalise_department
from innocity.storage.tables import Region


def test_new_sqlite_database_is_created_and_migrated_on_first_use(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "new.sqlite3"
    store = open_store(Settings(database_url=f"sqlite:///{db}", data_dir=tmp_path))
    assert db.exists()
    assert migrate.is_current(store.engine)
    names = set(inspect(store.engine).get_table_names())
    assert {
        "regions",
        "departments",
        "documents",
        "plans",
        "targets",
        "duties",
        "duty_departments",
        "phases",
        "programs",
        "facts",
        "observations",
        "audit_log",
        "imports",
    } <= names
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_tables_match_the_migrations(store: Store) -> None:
    """A column added to tables.py without a migration shows up here as a difference."""
    migrate.load_table_modules()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_regions_are_seeded_as_a_hierarchy(store: Store) -> None:
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Region)) > 3000
        provinces = list_regions(s, level="province")
        assert len(provinces) == 34
        suzhou_counties = {r.name for r, parent in list_regions(s, parent_adcode="320500")}
        assert {"姑苏区", "吴江区", "常熟市"} <= suzhou_counties
        gusu = s.scalar(select(Region).where(Region.adcode == "320508"))
        assert gusu is not None and gusu.parent is not None and gusu.parent.name == "苏州市"
        assert gusu.parent.parent is not None and gusu.parent.parent.adcode == "320000"


def test_opening_twice_does_not_seed_twice(settings: Settings) -> None:
    a = open_store(settings)
    with a.session() as s:
        n = s.scalar(select(func.count()).select_from(Region))
    a.dispose()
    b = open_store(settings)
    with b.session() as s:
        assert s.scalar(select(func.count()).select_from(Region)) == n
    b.dispose()


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
