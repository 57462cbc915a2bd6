"""Migration ``0002_tracking``: applied on top of ``0001_initial``, matches the table definitions, and can be
rolled back to ``0001_initial`` and applied again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from innocity.storage import migrate
from innocity.storage import tracking as _tracking  # noqa: F401  (registers the tracking tables)
from innocity.storage.db import Base, make_engine

TRACKING = {"task_states", "task_milestones", "target_departments", "supervision_items", "supervision_events"}


def test_0002_up_down_up(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    assert migrate.upgrade(engine, "0002_tracking") == ("0002_tracking",)
    with engine.connect() as conn:
        assert TRACKING <= set(inspect(conn).get_table_names())
    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001_initial")
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        assert not names & TRACKING and "targets" in names
        assert migrate.current_revisions(conn) == ("0001_initial",)
    assert migrate.upgrade(engine) == (migrate.HEAD,)
    with engine.connect() as conn:
        # at the head, the migrations create exactly what the tracking table classes declare (other areas'
        # tables are theirs to check)
        ctx = MigrationContext.configure(
            conn, opts={"include_object": lambda obj, name, type_, *_: type_ != "table" or name in TRACKING}
        )
        assert compare_metadata(ctx, Base.metadata) == []
    engine.dispose()


def test_head_constant_is_the_newest_migration() -> None:
    """Start-up compares the database's revision with ``migrate.HEAD`` without importing Alembic."""
    assert migrate.head_revisions() == (migrate.HEAD,)
