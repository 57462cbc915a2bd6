"""The composition root: one ``AppContext`` per process, built by the CLI's root callback and at web start-up.

It holds what a process needs once: the settings, one database (engine and session factory), one indicator
catalogue (the built-in one merged with the user's additions) and its matcher. Everything is built lazily
on first use, so ``innocity parse`` never touches a database and ``innocity progress`` never parses the
catalogue twice. The schema is checked (and a new database migrated and seeded) once, when the database is
first used, never per service call.

``uow(actor)`` opens one unit of work: a transaction that commits when the block ends and rolls back on any
error, with database errors turned into the errors of ``innocity.errors``.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from innocity.errors import ConflictError, InnocityError, StorageError, UserInputError
from innocity.settings import Settings

if TYPE_CHECKING:
    # Imported where they are used: ``innocity parse`` builds the context for its catalogue and matcher and
    # must not pay for SQLAlchemy, the storage layer or the services at start-up.
    from innocity.catalog import Catalog, Matcher
    from innocity.services.context import Actor, UnitOfWork
    from innocity.storage.db import Database


def first_line(exc: BaseException) -> str:
    """The first line of a driver error, without SQL or parameters (never shown to web users)."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def division_rows() -> list[dict[str, str]]:
    """The administrative divisions shipped with the package (``innocity/data/divisions.csv``)."""
    text = resources.files("innocity.data").joinpath("divisions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


class AppContext:
    """Settings, one database, one catalogue and matcher for the whole process; see the module docstring."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._db: Database | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ catalogue

    @property
    def catalog_dir(self) -> Path:
        """Where ``catalog add`` keeps the user's indicator files."""
        return self.settings.data_dir / "catalog.d"

    @cached_property
    def catalog(self) -> Catalog:
        """The built-in catalogue merged with the user's indicators; read once per process."""
        from innocity.catalog import load_catalog

        extra = self.catalog_dir
        return load_catalog(extra=extra if extra.is_dir() else None)

    @cached_property
    def matcher(self) -> Matcher:
        from innocity.catalog import Matcher

        return Matcher(self.catalog)

    def reload_catalog(self) -> None:
        """Forget the catalogue, so that indicators added since are seen (after ``catalog add``)."""
        self.__dict__.pop("catalog", None)
        self.__dict__.pop("matcher", None)

    # ------------------------------------------------------------------ database

    @property
    def db(self) -> Database:
        """The database, opened and brought to the current schema on first use."""
        if self._db is None:
            with self._lock:
                if self._db is None:
                    self._db = self._open()
        return self._db

    def _open(self) -> Database:
        from sqlalchemy.exc import SQLAlchemyError

        from innocity.storage.db import Database

        url = self.settings.database_url
        try:
            db = Database(url)
        except ModuleNotFoundError as exc:
            raise StorageError(f"the database driver {exc.name!r} is not installed") from None
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open the database: {first_line(exc)}") from None
        try:
            self._ensure_schema(db)
        except BaseException:
            db.dispose()
            raise
        return db

    def _ensure_schema(self, db: Database) -> None:
        """Migrate a new or older database, refuse a foreign or newer one, seed the regions once."""
        from sqlalchemy.exc import SQLAlchemyError

        from innocity.storage import migrate
        from innocity.storage import regions as region_repo

        S = migrate.SchemaState
        try:
            with db.engine.connect() as conn:
                state, rev = migrate.schema_state(conn)
            if state == S.FOREIGN:
                raise StorageError(
                    "the database holds tables of another application (no innocity schema); "
                    "point INNOCITY_DATABASE_URL at an innocity database or a new one"
                )
            if state == S.NEWER:
                raise StorageError(
                    f"the database was migrated by a newer innocity (revision {rev}); upgrade innocity"
                )
            db.enable_wal()
            if state in (S.EMPTY, S.BEHIND):
                migrate.upgrade(db.engine)
            with db.sessions() as s, s.begin():
                if not region_repo.has_regions(s):
                    region_repo.seed(s, division_rows())
        except InnocityError:
            raise
        except SQLAlchemyError as exc:
            raise StorageError(f"cannot open the database: {first_line(exc)}") from None

    def upgrade(self) -> tuple[str, ...]:
        """``innocity db upgrade``: migrate and seed (done by opening), then the revisions now current."""
        from innocity.storage import migrate

        with self.db.engine.connect() as conn:
            return migrate.current_revisions(conn)

    @cached_property
    def dataset_label(self) -> str | None:
        """The database's label (``SIMULATED`` for the demo's training database), shown on every page."""
        from innocity.storage.tables import DATASET_LABEL, get_meta

        with self.db.sessions() as s:
            return get_meta(s, DATASET_LABEL)

    def system_actor(self) -> Actor:
        """The shell user of the command line, with every permission."""
        from innocity.services.context import Actor

        return Actor.system(self.settings.user)

    @contextmanager
    def uow(self, actor: Actor | None = None) -> Iterator[UnitOfWork]:
        """One transaction for ``actor`` (default: the shell user): commit on success, roll back on error."""
        from innocity.services.context import UnitOfWork

        s = self.db.sessions()
        work = UnitOfWork(
            session=s,
            actor=actor or self.system_actor(),
            catalog=self.catalog,
            matcher=self.matcher,
            thresholds=self.settings.thresholds,
        )
        try:
            with storage_errors():
                yield work
                s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def dispose(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Database errors as innocity errors: a stale write is a conflict, a lost connection is storage.

    Values out of a column's range are validated before they reach the database; ``DataError`` here is a
    last line of defence and names no SQL.
    """
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    try:
        yield
    except StaleDataError:
        raise ConflictError(
            "someone else changed this record first; reload it and apply your change again"
        ) from None
    except IntegrityError:
        raise ConflictError("the change conflicts with a record stored at the same moment; try again") from None
    except DataError as exc:
        raise UserInputError(f"a value does not fit the database: {first_line(exc)}") from None
    except OperationalError as exc:
        raise StorageError(f"database unavailable: {first_line(exc)}") from None
