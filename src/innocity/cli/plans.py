"""Plan commands: ``ingest`` (store plan documents) and ``plans list|show``; ``regions list``.

Each parses its arguments, calls one service and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from innocity.errors import NoPlanFoundError, UserInputError

if TYPE_CHECKING:  # the models (pydantic) are imported when a command runs, not at start-up
    from innocity.services.models import IngestResult, PlanDetail

from .common import TABLE_OR_JSON, Format, emit, id_argument, print_rich, simple_table, uow

plans_app = typer.Typer(help="Stored plans. Example: innocity plans list", no_args_is_help=True)
regions_app = typer.Typer(
    help="Administrative divisions. Example: innocity regions list --level city --parent 320000",
    no_args_is_help=True,
)
FMT = Annotated[str, TABLE_OR_JSON]


@regions_app.command("list")
def regions_list(
    level: Annotated[str | None, typer.Option("--level", help="province, city or county")] = None,
    parent: Annotated[str | None, typer.Option("--parent", help="adcode of the parent region")] = None,
    fmt: FMT = "table",
) -> None:
    """List administrative divisions. Example: innocity regions list --level province --format json"""
    from innocity.services import regions

    with uow() as w:
        rows = regions.list_regions(w, level=level, parent=parent)
    emit(rows, fmt, table=lambda r: simple_table(r, ["adcode", "name", "level", "parent"]))


@plans_app.command("list")
def plans_list(fmt: FMT = "table") -> None:
    """List stored plans. Example: innocity plans list --format json"""
    from innocity.services import plans

    with uow() as w:
        rows = plans.list_plans(w)
    emit(rows, fmt, table=lambda r: simple_table(
        r, ["id", "title", "region", "version", "targets", "reviewed", "duties", "document"]))


@plans_app.command("show")
def plans_show(
    plan_id: Annotated[int, id_argument("plan id (see innocity plans list)")],
    fmt: FMT = "table",
) -> None:
    """Show one plan with its targets, duties and phases. Example: innocity plans show 1 --format json"""
    from innocity.services import plans

    with uow() as w:
        plan = plans.show_plan(w, plan_id=plan_id)
    if fmt == Format.json:
        emit(plan, fmt)
        return
    _print_plan(plan)


def _print_plan(plan: PlanDetail) -> None:
    typer.echo(f"#{plan.id} {plan.title or '(untitled)'} · {plan.region or '?'} · version {plan.version}")
    print_rich(simple_table(plan.targets, ["id", "indicator", "comparator", "value", "unit", "year_text",
                                           "review_state"], "targets"))
    print_rich(simple_table(plan.duties, ["id", "task", "lead", "support", "review_state"], "duties"))
    print_rich(simple_table(plan.phases, ["id", "name", "start", "end"], "phases"))


_SAID = {
    "stored": "stored",
    "unchanged": "already stored, nothing changed",
    "new-version": "stored as a new version",
}


def ingest_cmd(files: Annotated[list[Path], typer.Argument(help="plan documents (txt, html, docx, pdf)")]) -> None:
    """Parse plan documents and store them; the same bytes twice change nothing.

    Each file goes in on its own: a file that cannot be read, or holds no plan, is listed with its reason
    while the others are stored, and the exit status is then 2 ("stored N, failed M").

    Example: innocity ingest 苏州方案.docx 无锡方案.pdf
    """
    import sys

    from innocity.services import ingest

    results: list[IngestResult] = []
    for path in files:
        with uow() as w:
            results.append(ingest.ingest_file(w, path=path))
    failed = [r for r in results if r.status in ("failed", "no-plan")]
    if len(results) == 1 and failed:  # one file: its own reason is the one line
        raise (NoPlanFoundError if failed[0].status == "no-plan" else UserInputError)(failed[0].error or "failed")
    for r in results:
        if r in failed:
            print(f"innocity: {r.error}", file=sys.stderr)
            continue
        ids = ", ".join(f"#{i}" for i in r.plan_ids)
        typer.echo(f"{r.path}: {_SAID[r.status]} (plans {ids}; sha256 {r.sha256[:12]})")
    if failed:
        stored = len(results) - len(failed)
        what = f"stored {stored}, failed {len(failed)}: {', '.join(r.path for r in failed)}"
        if all(r.status == "no-plan" for r in failed):
            raise NoPlanFoundError(what, source="ingest")  # exit 1: read, but no plan in it
        raise UserInputError(what, source="ingest")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("ingest")(ingest_cmd)
    app.add_typer(regions_app, name="regions")
    app.add_typer(plans_app, name="plans")
