"""Opening the store: engine, migrations on first use, region seeding, and the unit-of-work session.

Every other service gets a ``Store`` from ``open_store(settings)`` and runs its work inside
``with store.session() as s:``, which commits on success and rolls back on any error, so a failed
command leaves nothing half-written. Database errors become ``StorageError`` (exit status 4) and
optimistic-locking failures ``ConflictError`` (exit status 3).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from innocity.errors import ConflictError, StorageError
from innocity.settings import Settings
from innocity.storage import migrate
from innocity.storage import regions as region_repo
from innocity.storage.db import make_engine, make_session_factory


@dataclass(slots=True)
class Store:
    """An open database: the engine, a session factory and the user changes are recorded under."""

    engine: Engine
    sessions: sessionmaker[Session]
    user: str
    url: str

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on error; DB errors become innocity errors."""
        s = self.sessions()
        try:
            yield s
            s.commit()
        except StaleDataError as exc:
            s.rollback()
            raise ConflictError(
                "someone else changed this record first; reload it and apply your change again"
            ) from exc
        except OperationalError as exc:
            s.rollback()
            raise StorageError(f"database unavailable: {_first_line(exc)}") from exc
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        """Close every pooled connection (before copying or replacing the database file)."""
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def division_rows() -> list[dict[str, str]]:
    """The administrative divisions shipped with the package (``innocity/data/divisions.csv``)."""
    text = resources.files("innocity.data").joinpath("divisions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def open_store(settings: Settings, *, migrate_now: bool = True, user: str | None = None) -> Store:
    """Open the database at ``settings.database_url``; a new one is migrated and seeded on first use."""
    try:
        engine = make_engine(settings.database_url)
        if migrate_now and not migrate.is_current(engine):
            migrate.upgrade(engine)
        store = Store(engine, make_session_factory(engine), user or settings.user, settings.database_url)
        if migrate_now:
            with store.session() as s:
                if not region_repo.has_regions(s):
                    region_repo.seed(s, division_rows())
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot open the database: {_first_line(exc)}") from exc
    return store


def upgrade(settings: Settings) -> tuple[str, ...]:
    """``innocity db upgrade``: apply pending migrations, seed regions; returns the current revisions."""
    store = open_store(settings)
    with store.engine.connect() as conn:
        revs = migrate.current_revisions(conn)
    store.dispose()
    return revs


def list_regions(
    settings: Settings, *, level: str | None = None, parent: str | None = None
) -> list[dict[str, str | None]]:
    """``innocity regions list``: divisions as dicts (adcode, name, level, parent, province, city)."""
    from innocity.errors import UserInputError

    if level and level not in {"province", "city", "county", "group"}:
        raise UserInputError(f"unknown level {level!r} (province, city or county)", source="--level")
    store = open_store(settings)
    with store.session() as s:
        out = [
            {
                "adcode": r.adcode,
                "name": r.name,
                "level": r.level,
                "parent": p,
                "province": r.province,
                "city": r.city,
            }
            for r, p in region_repo.list_regions(s, level=level, parent_adcode=parent)
        ]
    store.dispose()
    return out
