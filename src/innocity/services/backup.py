"""``innocity backup PATH`` / ``innocity restore PATH``: database-level operations on the process's one
``Database`` (``app.db``).

SQLite: the sqlite3 online backup API (a consistent copy while others keep working). PostgreSQL: ``pg_dump
-Fc`` / ``pg_restore`` when the client tools are installed, else the portable JSON dump of
``storage.dump``. A path ending in ``.json`` always means the portable dump, which also moves data between
SQLite and PostgreSQL. A backup is written to a temporary file beside the target and renamed into place,
only onto a regular file or a new path (never a device node or a directory).

A restore checks the whole backup before it touches the database:
- SQLite: the file must pass its integrity check, be at a schema revision this innocity knows, and have
  exactly our tables and columns at that revision, with no triggers or views. Its data is then copied
  into a fresh schema of our own (built by our migrations), checked for foreign keys and regions, brought
  to the current revision, and only then copied over the live database in one step.
- JSON: every table, column, value and foreign key is validated (``storage.dump.check``), then loaded in
  one transaction.
- pg_dump: its table of contents may hold only our tables (no functions, triggers, views or rules); it is
  restored in one transaction.
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from innocity.errors import StorageError, UserInputError
from innocity.storage import dump as dump_mod
from innocity.storage import migrate
from innocity.storage.db import Database

from .models.observations import BackupResult, RestoreResult
from .obs_files import output_file, output_path, read_input

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
MAX_DUMP_BYTES = 4 * 2**30
# what a pg_dump archive of our schema holds; anything else (FUNCTION, TRIGGER, VIEW, RULE …) is refused
PG_ALLOWED = {
    "TABLE",
    "TABLE DATA",
    "SEQUENCE",
    "SEQUENCE OWNED BY",
    "SEQUENCE SET",
    "DEFAULT",
    "CONSTRAINT",
    "FK CONSTRAINT",
    "INDEX",
    "ENCODING",
    "STDSTRINGS",
    "SEARCHPATH",
    "SCHEMA",
    "COMMENT",
    "ACL",
}


def _sqlite_file(db: Database) -> str:
    path = db.sqlite_path
    if path is None:
        raise UserInputError("an in-memory database cannot be backed up or restored")
    return path


def _libpq_url(db: Database) -> str:
    return make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)


def backup(db: Database, *, path: Path) -> BackupResult:
    """Write a consistent copy of the whole database to ``path`` (never half-written)."""
    if path.suffix.lower() == ".json" or (not db.is_sqlite and not shutil.which("pg_dump")):
        with output_file(path) as f, db.engine.connect() as conn:
            dump_mod.dump(conn, f)
        method = "json"
    elif db.is_sqlite:
        with output_path(path) as tmp:
            src = sqlite3.connect(_sqlite_file(db))
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # a self-contained file: no -wal beside it is needed to read it
                dst.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error as exc:
                raise StorageError(f"backup failed: {exc}") from None
            finally:
                dst.close()
                src.close()
        method = "sqlite-backup"
    else:
        with output_path(path) as tmp:
            proc = subprocess.run(
                ["pg_dump", "-Fc", "--no-owner", "-f", str(tmp), "-d", _libpq_url(db)],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                raise StorageError(f"pg_dump failed: {proc.stderr.strip().splitlines()[0][:300]}")
        method = "pg_dump"
    return BackupResult(path=str(path), method=method, size=path.stat().st_size)


def _kind(path: Path) -> str:
    """What the backup at ``path`` is, from its first bytes; it must be a regular file."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UserInputError("no such file", source=name) from None
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    if not stat.S_ISREG(st.st_mode):
        raise UserInputError("not a regular file, not a backup", source=name)
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pg_dump"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "json"
    raise UserInputError("not an innocity backup (SQLite file, pg_dump archive or JSON dump)", source=name)


def restore(db: Database, *, path: Path) -> RestoreResult:
    """Replace the database's content with the backup at ``path``, checked whole before anything is touched;
    afterwards pending migrations are applied, so an older backup comes back at the current schema."""
    name = str(path)
    kind = _kind(path)
    if kind == "sqlite":
        if not db.is_sqlite:
            raise UserInputError(
                "a SQLite backup restores into SQLite; use a .json backup to move databases", source=name
            )
        _restore_sqlite(db, path)
    elif kind == "pg_dump":
        if db.is_sqlite:
            raise UserInputError("a pg_dump archive restores into PostgreSQL only", source=name)
        _restore_pg(db, path)
    else:
        try:
            doc = dump_mod.parse(read_input(path, limit=MAX_DUMP_BYTES, what="backup"))
            rows = dump_mod.check(doc)
        except dump_mod.DumpError as exc:
            raise UserInputError(str(exc), source=name) from None
        with db.engine.connect() as conn:
            revs = set(migrate.current_revisions(conn))
        if set(doc["revisions"]) != revs:
            raise UserInputError(
                f"the dump is at revision {', '.join(doc['revisions'])}, this database at {', '.join(sorted(revs))}",
                source=name,
            )
        with db.engine.begin() as conn:
            dump_mod.load(conn, rows)
    with db.engine.connect() as conn:
        state, _ = migrate.schema_state(conn)
    if state == migrate.SchemaState.BEHIND:
        migrate.upgrade(db.engine)
    with db.engine.connect() as conn:
        revisions = list(migrate.current_revisions(conn))
    return RestoreResult(path=name, method=kind, revisions=revisions)


# ---------------------------------------------------------------------- SQLite


def _schema(con: sqlite3.Connection, prefix: str = "") -> dict[str, list[str]]:
    """Tables and their columns, and every trigger and view (as "trigger:NAME" keys)."""
    out: dict[str, list[str]] = {}
    for kind, nm in con.execute(
        f"SELECT type, name FROM {prefix}sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        if kind == "table":
            out[nm] = [r[1] for r in con.execute(f"PRAGMA {prefix}table_info({_q(nm)})")]
        elif kind in ("trigger", "view"):
            out[f"{kind}:{nm}"] = []
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _restore_sqlite(db: Database, path: Path) -> None:
    name = str(path)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            theirs = _schema(con)
            rev = (
                con.execute("SELECT version_num FROM alembic_version").fetchall()
                if "alembic_version" in theirs
                else []
            )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UserInputError(f"damaged SQLite backup: {exc}", source=name) from None
    if ok != "ok":
        raise UserInputError(f"damaged SQLite backup: {ok}", source=name)
    if not rev:
        raise UserInputError("a SQLite file, but not an innocity database (no schema revision)", source=name)
    revision = str(rev[0][0])
    if len(rev) != 1 or revision not in migrate._known_revisions():
        raise UserInputError(
            f"a backup at schema revision {revision!r}, which this innocity does not know", source=name
        )
    live = Path(_sqlite_file(db))
    with tempfile.TemporaryDirectory(prefix=".innocity-restore-", dir=live.parent) as d:
        fresh = Path(d) / "fresh.sqlite3"
        ref = Database(f"sqlite:///{fresh}")
        try:
            migrate.upgrade(ref.engine, revision)
        finally:
            ref.dispose()
        con = sqlite3.connect(fresh)
        try:
            ours = _schema(con)
            odd = sorted(k for k in theirs if k.startswith(("trigger:", "view:")))
            if odd:
                raise UserInputError(f"the backup holds {odd[0].replace(':', ' ')}; refused", source=name)
            extra, missing = sorted(set(theirs) - set(ours)), sorted(set(ours) - set(theirs))
            if extra or missing:
                what = f"extra table {extra[0]}" if extra else f"no table {missing[0]}"
                raise UserInputError(f"the backup's schema is not innocity's ({what}); refused", source=name)
            for table, cols in ours.items():
                if sorted(theirs[table]) != sorted(cols):
                    raise UserInputError(
                        f"the backup's table {table} has other columns; refused", source=name
                    )
            _copy_into(con, path, ours)
            problems = con.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise UserInputError(
                    f"the backup's table {problems[0][0]} refers to missing rows; refused", source=name
                )
            if not con.execute("SELECT count(*) FROM regions").fetchone()[0]:
                raise UserInputError("the backup holds no regions; refused", source=name)
        except sqlite3.DatabaseError as exc:
            raise UserInputError(f"cannot read the backup: {exc}", source=name) from None
        finally:
            con.close()
        ref = Database(f"sqlite:///{fresh}")
        try:
            migrate.upgrade(ref.engine)
            with ref.engine.connect() as c:
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            ref.dispose()
        db.dispose()
        src = sqlite3.connect(fresh)
        dst = sqlite3.connect(live, timeout=30)
        try:
            src.backup(dst)
        except sqlite3.Error as exc:
            raise StorageError(f"restore failed, the database is unchanged: {exc}") from None
        finally:
            dst.close()
            src.close()


def _copy_into(con: sqlite3.Connection, path: Path, ours: dict[str, list[str]]) -> None:
    """Copy every table's rows from the backup at ``path`` into the fresh schema behind ``con``."""
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("ATTACH DATABASE ? AS bak", (f"file:{path}?mode=ro",))
    try:
        with con:
            for table, cols in ours.items():
                cl = ", ".join(_q(c) for c in cols)
                con.execute(f"DELETE FROM main.{_q(table)}")
                con.execute(f"INSERT INTO main.{_q(table)} ({cl}) SELECT {cl} FROM bak.{_q(table)}")
    finally:
        con.execute("DETACH DATABASE bak")


# ---------------------------------------------------------------------- PostgreSQL


def _pg_tables_at(revision: str) -> set[str]:
    with tempfile.TemporaryDirectory(prefix="innocity-ref-") as d:
        ref = Database(f"sqlite:///{Path(d) / 'ref.sqlite3'}")
        try:
            migrate.upgrade(ref.engine, revision)
            with ref.engine.connect() as conn:
                return set(inspect(conn).get_table_names())
        finally:
            ref.dispose()


def _restore_pg(db: Database, path: Path) -> None:
    name = str(path)
    if not shutil.which("pg_restore"):
        raise StorageError("pg_restore is not installed")
    toc = subprocess.run(["pg_restore", "-l", str(path)], capture_output=True, text=True)
    if toc.returncode != 0:
        raise UserInputError(f"damaged pg_dump archive: {toc.stderr.strip()[:200]}", source=name)
    tables: set[str] = set()
    for line in toc.stdout.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        parts = line.split()
        # "<id>; <oid> <oid> <TYPE words…> <schema> <name> <owner>"
        body = " ".join(parts[3:])
        kind = next((k for k in sorted(PG_ALLOWED, key=len, reverse=True) if body.startswith(k + " ")), None)
        if kind is None:
            raise UserInputError(
                f"the archive holds {body.split(' ')[0]} {' '.join(body.split(' ')[1:3])}; refused",
                source=name,
            )
        if kind == "TABLE":
            tables.add(body.split()[2])
    data = subprocess.run(
        ["pg_restore", "-a", "-t", "alembic_version", "-f", "-", str(path)], capture_output=True, text=True
    )
    revs = [
        ln.strip()
        for ln in data.stdout.split("FROM stdin;", 1)[-1].split("\\.", 1)[0].splitlines()
        if ln.strip()
    ]
    if len(revs) != 1 or revs[0] not in migrate._known_revisions():
        raise UserInputError("the archive is not at a schema revision this innocity knows", source=name)
    expected = _pg_tables_at(revs[0])
    if tables != expected:
        diff = sorted(tables ^ expected)
        raise UserInputError(f"the archive's tables differ from innocity's ({diff[0]}); refused", source=name)
    db.dispose()
    proc = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "-d",
            _libpq_url(db),
            str(path),
        ],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise StorageError(f"pg_restore failed, the database is unchanged: {proc.stderr.strip()[:300]}")
