"""A seeded PostgreSQL test database kept as rows and put back per test (see ``PgSnapshot``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

KEEP = {"regions", "alembic_version"}  # never emptied between tests (``conftest.reset_postgres``)


class PgSnapshot:
    """The rows of every table but ``KEEP`` after a seed, taken once per worker with ``COPY … TO STDOUT`` and
    put back with ``COPY … FROM STDIN`` into the emptied tables of a later test (the PostgreSQL twin of
    copying a seeded SQLite template file): seeding again costs seconds per test (argon2 hashes, parsing),
    putting rows back tens of milliseconds. Sequences are moved past the restored ids."""

    def __init__(self, url: str) -> None:
        from innocity.storage.db import make_engine

        engine = make_engine(url)
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            self.tables = [
                r[0]
                for r in cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
                if r[0] not in KEEP
            ]
            self.rows: dict[str, bytes] = {}
            for t in self.tables:
                with cur.copy(f'COPY "{t}" TO STDOUT') as copy:
                    self.rows[t] = b"".join(bytes(chunk) for chunk in copy)
            self.sequences = cur.execute(
                "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)"
                " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
                " AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL"
            ).fetchall()
            raw.commit()
        finally:
            raw.close()
            engine.dispose()

    def restore(self, url: str) -> None:
        """Put the rows back into ``url``'s tables, emptied by ``reset_postgres``. Foreign-key triggers are
        off while loading (the rows were consistent when taken), so the tables load in name order."""
        from innocity.storage.db import make_engine

        engine = make_engine(url)
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("SET LOCAL session_replication_role = replica")  # the rows were consistent when taken
            for t in self.tables:
                if self.rows[t]:
                    with cur.copy(f'COPY "{t}" FROM STDIN') as copy:
                        copy.write(self.rows[t])
            cur.execute("SET LOCAL session_replication_role = DEFAULT")
            for table, column, seq in self.sequences:
                cur.execute(
                    f'SELECT setval(%s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)', (seq,)
                )
            raw.commit()
        finally:
            raw.close()
            engine.dispose()


_SEEDS: dict[tuple[str, str], tuple[PgSnapshot, object]] = {}


def seeded_once(url: str, name: str, seed: Callable[[], T]) -> T:
    """``seed()``'s result in the emptied database ``url``: seeded the first time in this worker (and its rows
    kept), the same rows put back every later time. ``name`` tells apart the seeds of different suites."""
    kept = _SEEDS.get((url, name))
    if kept is not None:
        kept[0].restore(url)
        return kept[1]  # type: ignore[return-value]
    result = seed()
    _SEEDS[url, name] = (PgSnapshot(url), result)
    return result
