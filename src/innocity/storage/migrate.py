"""Apply the Alembic migrations shipped inside the package, without an alembic.ini on disk.

The configuration is built in code so ``innocity db upgrade`` works from an installed wheel; the
connection is passed to ``migrations/env.py`` through ``Config.attributes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:  # Alembic is imported only when a migration runs: start-up checks do without it
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# The newest revision the code knows. Checked against the migration scripts by a test, so that start-up can
# compare it with the database's revision in one small query, without importing Alembic.
HEAD = "0003_web"


def load_table_modules() -> None:
    """Import every module of ``innocity.storage`` so all tables (ours and other areas') are on
    ``Base.metadata``: autogenerate and schema checks must see the whole schema."""
    import importlib
    import pkgutil

    import innocity.storage as pkg

    for m in pkgutil.iter_modules(pkg.__path__):
        if not m.ispkg:
            importlib.import_module(f"innocity.storage.{m.name}")


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (``url`` only for the alembic CLI)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revisions() -> tuple[str, ...]:
    """The revision ids the code expects (normally one)."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(conn: Connection) -> tuple[str, ...]:
    """The revision ids the database is at; empty for a new database."""
    from alembic.runtime.migration import MigrationContext

    return tuple(MigrationContext.configure(conn).get_current_heads())


class SchemaState:
    """What ``schema_state`` found: ``current``, ``empty`` (a new database), ``behind`` (older revision),
    ``newer`` (migrated by a newer innocity) or ``foreign`` (tables of another application)."""

    CURRENT = "current"
    EMPTY = "empty"
    BEHIND = "behind"
    NEWER = "newer"
    FOREIGN = "foreign"


def _known_revisions() -> list[str]:
    return sorted(p.stem for p in (MIGRATIONS / "versions").glob("0*.py"))


def schema_state(conn: Connection) -> tuple[str, str | None]:
    """(state, revision) of the database behind ``conn``; cheap: an existence check and one row."""
    from sqlalchemy import text

    insp = inspect(conn)
    if not insp.has_table("alembic_version"):
        return (SchemaState.FOREIGN if insp.get_table_names() else SchemaState.EMPTY), None
    rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if rev == HEAD:
        return SchemaState.CURRENT, rev
    if rev in _known_revisions():
        return SchemaState.BEHIND, rev
    return SchemaState.NEWER if rev else SchemaState.FOREIGN, rev


def is_current(engine: Engine) -> bool:
    """True when the database is at the head revision (cheap: one small query)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        return set(current_revisions(conn)) == set(head_revisions())


def upgrade(engine: Engine, revision: str = "heads") -> tuple[str, ...]:
    """Migrate the database to ``revision`` in one transaction; returns the revisions it is now at."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    with engine.connect() as conn:
        return current_revisions(conn)
