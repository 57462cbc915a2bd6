"""Alembic environment: runs on the connection handed over by ``innocity.storage.migrate``.

Called with ``config.attributes["connection"]`` set (the normal case, from ``innocity db upgrade`` or
first use); falls back to ``sqlalchemy.url`` in the config for the alembic command line.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from innocity.storage.db import Base
from innocity.storage.migrate import load_table_modules

load_table_modules()

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
