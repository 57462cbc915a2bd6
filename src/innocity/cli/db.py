"""``innocity db upgrade``, ``innocity backup`` and ``innocity restore``: the database as a whole.

Each command parses its arguments, calls one operation on the process's one database and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import Format, app_context, format_option, print_json

db_app = typer.Typer(help="Database maintenance. Example: innocity db upgrade", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (a new database is created and seeded). Example: innocity db upgrade"""
    revs = app_context().upgrade()
    typer.echo(f"database at revision {', '.join(revs)}")


def backup_cmd(
    path: Path = typer.Argument(..., help="backup file to write (.json: portable dump)"),
    fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
) -> None:
    """Back up the whole database (SQLite backup API, pg_dump, or a portable JSON dump).

    Example: innocity backup ~/innocity-2016-12-31.sqlite3
    """
    from innocity.services import backup

    r = backup.backup(app_context().db, path=path)
    if fmt == Format.json:
        print_json(r)
    else:
        typer.echo(f"{r.path}: {r.size} bytes ({r.method})")


def restore_cmd(
    path: Path = typer.Argument(..., help="a file written by innocity backup"),
    fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
) -> None:
    """Replace the database's content with a backup, checked whole before anything is touched.

    Example: innocity restore ~/innocity-2016-12-31.sqlite3
    """
    from innocity.services import backup

    r = backup.restore(app_context().db, path=path)
    if fmt == Format.json:
        print_json(r)
    else:
        typer.echo(f"restored from {r.path} ({r.method}); database at revision {', '.join(r.revisions)}")


def register(app: typer.Typer) -> None:
    """Add the ``db`` sub-app (upgrade) and the ``backup`` and ``restore`` commands to the root app."""
    app.add_typer(db_app, name="db")
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
