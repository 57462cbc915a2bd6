"""``innocity index run``: a composite innovation index across cities, with Monte Carlo rank intervals.

The command parses arguments, calls one function of ``innocity.services.index`` and prints the typed result
as JSON (``model_dump``), CSV or a plain table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import Format, app_context, format_option, uow, warn

if TYPE_CHECKING:
    from innocity.services.models.index import IndexResult



def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    index_app = typer.Typer(help="创新指数评价 (composite index). Example: innocity index run --data d.csv",
                            no_args_is_help=True)

    @index_app.command("run")
    def run(
        framework: Annotated[Path | None, typer.Option("--framework", "-f", help="Framework YAML "
                             "(default: the catalogue's five dimensions, equal weights)")] = None,
        data: Annotated[Path | None, typer.Option("--data", "-d", help="Long CSV: unit,indicator,period,value"
                                                  " (optional column group)")] = None,
        from_db: Annotated[bool, typer.Option("--from-db", help="Read approved observations from the "
                                              "store instead of a CSV")] = False,
        region: Annotated[str | None, typer.Option("--region", "-r", help="With --from-db: rank the regions "
                          "under this one (name or adcode)")] = None,
        year: Annotated[str | None, typer.Option("--year", "-y", help="Period to report (default: the latest "
                        "with data enough to rank)")] = None,
        uncertainty: Annotated[int, typer.Option("--uncertainty", "-u", min=0, help="Monte Carlo "
                               "replications, at most 10,000 (what varies: the framework's uncertainty "
                               "block)")] = 0,
        seed: Annotated[int | None, typer.Option("--seed", help="Random seed ≥ 0 (overrides the "
                        "framework's)")] = None,
        obstacles: Annotated[int, typer.Option("--obstacles", min=0, help="List each unit's N largest "
                             "obstacle degrees (障碍度), json only")] = 0,
        sobol: Annotated[int, typer.Option("--sobol", min=0, help="Sobol sensitivity indices from N base "
                         "samples (N·(factors+2) runs, at most 50,000) of the uncertainty block's factors")
                         ] = 0,
        fmt: Annotated[str, format_option(Format.table, Format.json, Format.csv)] = "table",
    ) -> None:
        """Compute the index, ranks and (with --uncertainty N) rank intervals.

        Indicators covered for too few units, and units with too few values, are left out and listed with
        the reason (thresholds: the framework's coverage block).

        Example: innocity index run --framework f.yaml --data d.csv --uncertainty 1000 --format json
        """
        from innocity.errors import UserInputError
        from innocity.services import index as service

        if (data is None) == (not from_db):
            raise UserInputError("give exactly one of --data FILE or --from-db")
        if region and not from_db:
            raise UserInputError("--region selects regions of the database; use it with --from-db")
        args: dict[str, Any] = {"year": year, "uncertainty": uncertainty, "seed": seed, "obstacles": obstacles,
                                "sobol": sobol}
        if from_db:
            with uow() as w:
                result = service.run_from_db(w, framework=framework, region=region, **args)
        else:
            assert data is not None
            result = service.run_from_files(app_context().catalog, framework=framework, data=data, **args)
        for line in result.warnings:
            warn(line)
        _print(result, Format(fmt))

    app.add_typer(index_app, name="index")


def _print(result: IndexResult, fmt: Format) -> None:
    from .common import print_json

    if fmt is Format.json:
        print_json(result)
        return
    if fmt is Format.csv:
        from innocity.services.index_export import result_csv

        sys.stdout.write(result_csv(result, bom=False).decode("utf-8"))
        return
    from innocity.services.index_export import result_table

    table = result_table(result)
    head = [str(c) for c in table.columns]
    cells = [[_fmt(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(head)]
    out = sys.stdout
    out.write(f"period {result.period}\n")
    out.write("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)) + "\n")
    for r in cells:
        out.write("  ".join(c.rjust(widths[i]) if i else c.ljust(widths[i]) for i, c in enumerate(r)) + "\n")
    if result.sensitivity:
        out.write("\nSobol indices of the mean absolute rank change (90% bootstrap interval of the total):\n")
        for s in result.sensitivity:
            lo, hi = s.total_ci
            out.write(f"  {s.factor:<18} first {s.first:6.3f}  total {s.total:6.3f}  [{lo:.3f}, {hi:.3f}]\n")
    if result.dropped_indicators or result.excluded_units:
        out.write("\nleft out:\n")
        for d in result.dropped_indicators:
            out.write(f"  indicator {d.code}{' ' + d.name if d.name else ''}: {d.reason}\n")
        for g in result.dropped_groups:
            out.write(f"  group {g.code}{' ' + g.name if g.name else ''}: {g.reason}\n")
        for e in result.excluded_units:
            out.write(f"  unit {e.unit}: {e.reason}\n")


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)
