"""``innocity backup PATH`` / ``innocity restore PATH``.

SQLite: the sqlite3 online backup API (a consistent copy while others keep working; restore copies
the backup's pages into the live database in one step). PostgreSQL: ``pg_dump -Fc`` / ``pg_restore``
when the client tools are installed, else the portable JSON dump of ``storage.dump``. A path ending in
``.json`` always means the portable dump, which also moves data between SQLite and PostgreSQL.
``restore`` reads what the file is from its first bytes and accepts an empty or migrated database.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from innocity.errors import StorageError, UserInputError
from innocity.settings import Settings
from innocity.storage import dump as dump_mod
from innocity.storage import migrate

from .store import Store, open_store

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


@dataclass(slots=True)
class BackupResult:
    path: str
    method: str  # sqlite-backup | pg_dump | json
    size: int


def _sqlite_file(store: Store) -> str:
    db = store.engine.url.database
    if not db or db == ":memory:":
        raise UserInputError("an in-memory database cannot be backed up")
    return db


def _libpq_url(store: Store) -> str:
    return make_url(store.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str | None:
    return shutil.which(name)


def backup(settings: Settings, path: Path) -> BackupResult:
    """Write a consistent copy of the whole database to ``path`` (never half-written: a temporary file
    is renamed into place when complete)."""
    store = open_store(settings)
    tmp = path.with_name(path.name + ".part")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if path.suffix.lower() == ".json":
            with store.engine.connect() as conn:
                dump_mod.dump(conn, path)
            method = "json"
        elif store.is_sqlite:
            src = sqlite3.connect(_sqlite_file(store))
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # a self-contained file: no -wal beside it is needed to read it
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
                src.close()
            tmp.replace(path)
            method = "sqlite-backup"
        elif _pg_tool("pg_dump"):
            proc = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "-f", str(tmp), "-d", _libpq_url(store)],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise StorageError(f"pg_dump failed: {proc.stderr.strip()[:500]}")
            tmp.replace(path)
            method = "pg_dump"
        else:
            with store.engine.connect() as conn:
                dump_mod.dump(conn, path)
            method = "json"
    finally:
        tmp.unlink(missing_ok=True)
        store.dispose()
    return BackupResult(str(path), method, path.stat().st_size)


def _kind(path: Path) -> str:
    if not path.is_file():
        raise UserInputError("no such file", source=str(path))
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pg_dump"
    if head.lstrip().startswith(b"{"):
        return "json"
    raise UserInputError(
        "not an innocity backup (SQLite file, pg_dump archive or JSON dump)", source=str(path)
    )


def _check_sqlite_backup(path: Path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        has = con.execute("SELECT 1 FROM sqlite_master WHERE name='alembic_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserInputError(f"damaged SQLite backup: {exc}", source=str(path)) from None
    finally:
        con.close()
    if ok != "ok":
        raise UserInputError(f"damaged SQLite backup: {ok}", source=str(path))
    if not has:
        raise UserInputError("a SQLite file, but not an innocity database", source=str(path))


def restore(settings: Settings, path: Path) -> str:
    """Replace the database's content with the backup at ``path``; returns the method used.

    The backup is checked before anything is touched; afterwards pending migrations are applied, so an
    older backup comes back at the current schema."""
    kind = _kind(path)
    doc = None
    if kind == "sqlite":
        _check_sqlite_backup(path)
    elif kind == "json":
        try:
            doc = dump_mod.read(path)
        except ValueError as exc:
            raise UserInputError(str(exc), source=str(path)) from None
    store = open_store(settings, migrate_now=kind == "json")
    try:
        if kind == "sqlite":
            if not store.is_sqlite:
                raise UserInputError(
                    "a SQLite backup restores into SQLite; use a .json backup to move databases"
                )
            store.dispose()
            src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            dst = sqlite3.connect(_sqlite_file(store))
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        elif kind == "pg_dump":
            if store.is_sqlite:
                raise UserInputError("a pg_dump archive restores into PostgreSQL only")
            if not _pg_tool("pg_restore"):
                raise StorageError("pg_restore is not installed")
            proc = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    _libpq_url(store),
                    str(path),
                ],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise StorageError(f"pg_restore failed: {proc.stderr.strip()[:500]}")
        else:
            assert doc is not None
            with store.engine.connect() as conn:
                revs = set(migrate.current_revisions(conn))
            if set(doc.get("revisions", [])) != revs:
                raise UserInputError(
                    f"the dump is at revision {doc.get('revisions')}, this database at {sorted(revs)}",
                    source=str(path),
                )
            try:
                with store.engine.begin() as conn:
                    dump_mod.load(conn, doc)
            except ValueError as exc:
                raise UserInputError(str(exc), source=str(path)) from None
    finally:
        store.dispose()
    # bring an older backup up to the current schema
    open_store(settings).dispose()
    return kind
