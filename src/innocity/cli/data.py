"""``innocity data import | export | review``: observations in and out, and their review.

Each command parses its arguments, calls one service of ``innocity.services.observations`` and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .common import ID_MAX, Format, format_option, print_json, safe, uow, warn

data_app = typer.Typer(
    help="Observations in and out. Example: innocity data import values.xlsx", no_args_is_help=True
)


@data_app.command("import")
def data_import(
    file: Path = typer.Argument(
        ...,
        help="a .csv, .xlsx or .json file: region, indicator, period, value, unit[, vintage, known_on, note, source]",
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
    sheet: str = typer.Option(
        None, "--sheet", help="the worksheet of an .xlsx to read (default: the one with data)"
    ),
    fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
) -> None:
    """Import observations; any bad row → nothing stored, exit 2, every bad row listed.

    Example: innocity data import 2016年科技统计.xlsx --valid-only --rejects rejects.csv
    """
    from innocity.errors import DataValidationError
    from innocity.services import observations

    try:
        with uow() as w:
            r = observations.import_file(
                w, path=file, valid_only=valid_only, rejects=rejects, status=status, sheet=sheet
            )
    except DataValidationError as exc:
        for p in exc.problems:
            print(f"innocity: {file}: {p}", file=sys.stderr)
        raise
    for text in r.warnings:
        warn(f"{file}: {text}")
    if fmt == Format.json:
        print_json(r)
        return
    sheet_note = f" (sheet {r.sheet})" if r.sheet else ""
    typer.echo(
        f"{file}{sheet_note}: {r.stored} stored, {r.unchanged} already stored, {r.rejected} rejected of {r.rows} rows"
    )
    if r.rejects_path:
        typer.echo(f"rejected rows written to {r.rejects_path}")


EXPORT_FORMATS = ("csv", "xlsx", "json")


def _export_format(value: str) -> str:
    # Format has no xlsx (only data export writes workbooks), so the choice is checked here
    if value not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(EXPORT_FORMATS)}")
    return value


@data_app.command("export")
def data_export(
    fmt: Annotated[str, typer.Option("--format", help="csv | xlsx | json", callback=_export_format)] = "csv",
    out: Path = typer.Option(
        None, "-o", "--output", help="file to write (default: stdout; xlsx needs a file)"
    ),
    region: str = typer.Option(None, "--region", help="only this region (adcode or name)"),
    indicator: str = typer.Option(None, "--indicator", help="only this indicator (code or name)"),
    status: str = typer.Option(None, "--status", help="only values in this status"),
) -> None:
    """Export observations in the layout data import reads. Example: innocity data export -o all.csv"""
    from innocity.services import observations

    with uow() as w:
        r = observations.export(w, fmt=fmt, output=out, region=region, indicator=indicator, status=status)
    if r.text is not None:
        typer.echo(r.text, nl=False)
    else:
        typer.echo(f"{r.path}: {r.rows} values", err=True)


def _review_table(items: list[Any]) -> Any:
    from rich.table import Table

    t = Table(title="待审核数据")
    for c in (
        "id",
        "region",
        "indicator",
        "period",
        "value",
        "unit",
        "previous",
        "change %",
        "warning",
        "source",
        "version",
    ):
        t.add_column(c)
    for i in items:
        prev = f"{i.previous_value:g} ({i.previous_period})" if i.previous_value is not None else ""
        change = f"{i.change_pct:+.1f}" if i.change_pct is not None else ""
        t.add_row(
            str(i.id), safe(i.region_name), safe(i.indicator), safe(i.period), f"{i.value:g}", safe(i.unit),
            safe(prev), change, safe(i.warning), safe(i.source), str(i.version),
        )  # fmt: skip
    return t


@data_app.command("review")
def data_review(
    obs_id: int = typer.Argument(
        None, help="observation id; without it, list the values waiting for review", min=1, max=ID_MAX
    ),
    to: str = typer.Option(None, "--to", help="submitted, approved, rejected or draft"),
    version: int = typer.Option(
        None, "--version", help="the version you saw; a newer one is a conflict (exit 3)"
    ),
    comment: str = typer.Option(None, "--comment", help="why (required to reject)"),
    region: str = typer.Option(None, "--region", help="list: only this region (adcode or name)"),
    status: str = typer.Option("submitted", "--status", help="list: values in this status"),
    fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
) -> None:
    """List values waiting for review (previous value, change, jump warning, source), or move one value
    through draft → submitted → approved / rejected.

    Examples: innocity data review --region 苏州市 · innocity data review 42 --to rejected --version 2 --comment "口径不一致"
    """
    from innocity.errors import UserInputError
    from innocity.services import observations

    if obs_id is None:
        if to is not None:
            raise UserInputError("--to needs the id of the value to move", field="obs_id")
        with uow() as w:
            items = observations.review_queue(w, region=region, status=status)
        if fmt == Format.json:
            print_json(items)
        else:
            from .common import print_rich

            print_rich(_review_table(items))
        return
    if to is None:
        raise UserInputError(
            "say where the value goes: --to submitted, approved, rejected or draft", field="to"
        )
    with uow() as w:
        o = observations.set_status(w, obs_id=obs_id, to=to, version=version, comment=comment)
    if fmt == Format.json:
        print_json(o)
    else:
        typer.echo(f"observation {o.id}: {o.status} (version {o.version})")


def register(app: typer.Typer) -> None:
    """Add the ``data`` sub-app (import, export, review) to the root app."""
    app.add_typer(data_app, name="data")
