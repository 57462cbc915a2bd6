"""Store commands: ``db upgrade``, ``ingest``, ``plans``, ``regions``, ``data import|export``,
``backup`` and ``restore``. Each parses its arguments, calls one service and prints.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from innocity.settings import Settings

db_app = typer.Typer(help="Database maintenance. Example: innocity db upgrade", no_args_is_help=True)
plans_app = typer.Typer(help="Stored plans. Example: innocity plans list", no_args_is_help=True)
regions_app = typer.Typer(
    help="Administrative divisions. Example: innocity regions list --level city --parent 320000",
    no_args_is_help=True,
)
data_app = typer.Typer(
    help="Observations in and out. Example: innocity data import values.xlsx", no_args_is_help=True
)


def _settings() -> Settings:
    return Settings.from_env()


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return "、".join(str(x) for x in v)
    return str(v)


def _print_table(rows: list[dict[str, Any]], columns: list[str], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    Console().print(table)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (a new database is created). Example: innocity db upgrade"""
    from innocity.services import store

    revs = store.upgrade(_settings())
    typer.echo(f"database at revision {', '.join(revs)}")


@regions_app.command("list")
def regions_list(
    level: str = typer.Option(None, "--level", help="province, city or county"),
    parent: str = typer.Option(None, "--parent", help="adcode of the parent region"),
    fmt: str = typer.Option("table", "--format", help="json or table"),
) -> None:
    """List administrative divisions. Example: innocity regions list --level province --format json"""
    from innocity.services import store

    rows = store.list_regions(_settings(), level=level, parent=parent)
    if fmt == "json":
        _print_json(rows)
    else:
        _print_table(rows, ["adcode", "name", "level", "parent"])


@plans_app.command("list")
def plans_list(fmt: str = typer.Option("table", "--format", help="json or table")) -> None:
    """List stored plans. Example: innocity plans list --format json"""
    from innocity.services import ingest

    rows = ingest.list_plans(_settings())
    if fmt == "json":
        _print_json(rows)
    else:
        _print_table(rows, ["id", "title", "region", "version", "targets", "duties", "document"])


@plans_app.command("show")
def plans_show(
    plan_id: str = typer.Argument(..., help="plan id (see innocity plans list)"),
    fmt: str = typer.Option("table", "--format", help="json or table"),
) -> None:
    """Show one plan with its targets, duties and phases. Example: innocity plans show 1 --format json"""
    from innocity.services import ingest

    plan = ingest.show_plan(_settings(), ingest.parse_plan_id(plan_id))
    if fmt == "json":
        _print_json(plan)
        return
    typer.echo(
        f"#{plan['id']} {plan['title'] or '(untitled)'} · {plan['region'] or '?'} · version {plan['version']}"
    )
    _print_table(
        plan["targets"],
        ["id", "indicator", "comparator", "value", "unit", "year_text", "review_state"],
        "targets",
    )
    _print_table(plan["duties"], ["id", "task", "lead", "support", "review_state"], "duties")
    _print_table(plan["phases"], ["id", "name", "start", "end"], "phases")


def ingest_cmd(files: list[Path] = typer.Argument(..., help="plan documents (txt, html, docx, pdf)")) -> None:
    """Parse plan documents and store them; the same bytes twice change nothing.

    Example: innocity ingest 苏州方案.docx 无锡方案.pdf
    """
    from innocity.services import ingest

    for r in ingest.ingest_paths(_settings(), files):
        what = {
            "stored": "stored",
            "unchanged": "already stored, nothing changed",
            "new-version": "stored as a new version",
        }[r.status]
        ids = ", ".join(f"#{i}" for i in r.plan_ids)
        typer.echo(f"{r.path}: {what} (plans {ids}; sha256 {r.sha256[:12]})")


@data_app.command("import")
def data_import(
    file: Path = typer.Argument(
        ...,
        help="a .csv, .xlsx or .json file: region, indicator, period, value, unit[, vintage, known_on, note]",
    ),
    valid_only: bool = typer.Option(
        False, "--valid-only", help="store the good rows, write the bad ones to --rejects"
    ),
    rejects: Path = typer.Option(
        None, "--rejects", help="where --valid-only writes rejected rows (default FILE.rejects.csv)"
    ),
    status: str = typer.Option(
        "draft", "--status", help="status of the stored values: draft, submitted or approved"
    ),
) -> None:
    """Import observations; any bad row → nothing stored, exit 2, every bad row listed.

    Example: innocity data import 2016年科技统计.xlsx --valid-only --rejects rejects.csv
    """
    import sys

    from innocity.errors import DataValidationError
    from innocity.services import observations

    try:
        r = observations.import_file(_settings(), file, valid_only=valid_only, rejects=rejects, status=status)
    except DataValidationError as exc:
        for p in exc.problems:
            print(f"innocity: {file}: {p}", file=sys.stderr)
        raise
    typer.echo(
        f"{file}: {r.stored} stored, {r.unchanged} already stored, {r.rejected} rejected of {r.rows} rows"
    )
    if r.rejects_path:
        typer.echo(f"rejected rows written to {r.rejects_path}")


@data_app.command("export")
def data_export(
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json"),
    out: Path = typer.Option(
        None, "-o", "--output", help="file to write (default: stdout; xlsx needs a file)"
    ),
) -> None:
    """Export every observation in the layout data import reads. Example: innocity data export -o all.csv"""
    from innocity.services import observations

    text = observations.export(_settings(), out, fmt=fmt)
    if text is not None:
        typer.echo(text, nl=False)


@data_app.command("review")
def data_review(
    obs_id: int = typer.Argument(..., help="observation id (see innocity data export --format json)"),
    to: str = typer.Option(..., "--to", help="submitted, approved, rejected or draft"),
    version: int = typer.Option(
        None, "--version", help="the version you saw; a newer one is a conflict (exit 3)"
    ),
    comment: str = typer.Option(None, "--comment", help="why (required to reject)"),
) -> None:
    """Move one value through draft → submitted → approved / rejected.

    Example: innocity data review 42 --to rejected --version 2 --comment "口径不一致"
    """
    from innocity.services import observations
    from innocity.services.store import open_store

    store = open_store(_settings())
    try:
        o = observations.set_status(store, obs_id, to, expected_version=version, comment=comment)
    finally:
        store.dispose()
    typer.echo(f"observation {o.id}: {o.status.value} (version {o.version})")


def backup_cmd(path: Path = typer.Argument(..., help="backup file to write (.json: portable dump)")) -> None:
    """Back up the whole database (SQLite backup API, pg_dump, or a portable JSON dump).

    Example: innocity backup ~/innocity-2016-12-31.sqlite3
    """
    from innocity.services import backup

    r = backup.backup(_settings(), path)
    typer.echo(f"{r.path}: {r.size} bytes ({r.method})")


def restore_cmd(path: Path = typer.Argument(..., help="a file written by innocity backup")) -> None:
    """Replace the database's content with a backup. Example: innocity restore ~/innocity-2016-12-31.sqlite3"""
    from innocity.services import backup

    kind = backup.restore(_settings(), path)
    typer.echo(f"restored from {path} ({kind})")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("ingest")(ingest_cmd)
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)
    app.add_typer(db_app, name="db")
    app.add_typer(regions_app, name="regions")
    app.add_typer(plans_app, name="plans")
    app.add_typer(data_app, name="data")
