"""``innocity data extract``: actual figures from statistical bulletins and government work reports.

Parses arguments, calls ``innocity.services.extract`` once per file and prints. Without ``--store`` no
database is opened. Exit status: 0 when every file gave figures; 1 when a file was read but reports no
figures; 2 when a file could not be read (each failing file is named on stderr, the others still print).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from innocity.errors import InnocityError

from .common import Format, app_context, format_option, print_json, print_rich, safe, uow, warn

FILES = typer.Argument(help="bulletins or work reports (.txt .html .docx .pdf)", metavar="FILE...")


def extract_cmd(
    files: Annotated[list[Path], FILES],
    region: Annotated[
        str | None, typer.Option("--region", help="the place the figures are for (name or adcode); default: "
                                 "read from the document")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="the year the figures are for; default: read from the document "
                                 "(a 2015 bulletin published in 2016 is about 2015)")
    ] = None,
    fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
    store: Annotated[
        bool, typer.Option("--store", help="keep the document and store the storable values as drafts")
    ] = False,
) -> None:
    """Propose observations from 统计公报 / 政府工作报告: levels, growth and shares with their period;
    next year's goals are never observations.

    Example: innocity data extract 济南市2016年统计公报.txt --format json
    """
    from innocity.services import extract as svc

    matcher = app_context().matcher
    out: list[dict[str, Any]] = []
    shown: list[tuple[Any, Any]] = []
    worst = 0
    for path in files:
        try:
            result, data = svc.extract_path(path, matcher=matcher, region=region, year=year)
            stored = None
            if store:
                with uow() as w:
                    stored = svc.store_proposals(w, result=result, data=data, name=result.source)
        except InnocityError as exc:
            if len(files) == 1:
                raise
            print(f"innocity: {exc.one_line()}", file=sys.stderr)
            worst = max(worst, exc.exit_code)
            continue
        for w_ in result.warnings:
            warn(f"{result.source}: {w_}")
        d = result.json_dict()
        if stored is not None:
            d["stored"] = stored.json_dict()
        out.append(d)
        shown.append((result, stored))
    if Format(fmt) is Format.json:
        print_json(out[0] if len(files) == 1 and out else out)
    else:
        for result, stored in shown:
            print_rich(_table(result))
            if stored is not None:
                print_rich(_stored_line(stored))
    if worst:
        raise typer.Exit(worst)


def _table(result: Any) -> Any:
    from rich.table import Table

    r = result.region
    title = (f"{result.source}: {r.name or '?'} {result.year or '?'} ({result.document_kind}) — "
             f"{len(result.observations)} figures, {len(result.goals)} goals left out")
    t = Table(title=safe(title))
    for c in ("#", "indicator", "code", "value", "unit", "period", "kind", "prelim.", "store?"):
        t.add_column(c)
    for f in result.observations:
        t.add_row(
            str(f.index), safe(f.indicator), safe(f.indicator_code or ""), f"{f.value:g}", safe(f.unit or ""),
            safe(f.period or ""), f.kind, "yes" if f.preliminary else "", "yes" if f.storable else safe(f.reason),
        )
    return t


def _stored_line(stored: Any) -> str:
    return safe(f"stored {stored.stored} new draft values (document {stored.document_id}), "
                f"{stored.unchanged} already stored, {len(stored.not_stored)} not stored")


def register(data_app: typer.Typer) -> None:
    """Add ``extract`` to the ``data`` sub-app."""
    data_app.command("extract")(extract_cmd)
