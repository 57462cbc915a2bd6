"""``innocity index run``: a composite innovation index across cities, with Monte Carlo rank intervals.

The command parses arguments, calls ``innocity.services.index`` and prints JSON, CSV or a table.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer


class Format(StrEnum):
    json = "json"
    csv = "csv"
    table = "table"


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
        year: Annotated[str | None, typer.Option("--year", "-y", help="Period to report (default: latest)")
                        ] = None,
        uncertainty: Annotated[int, typer.Option("--uncertainty", "-u", min=0, help="Monte Carlo "
                               "replications (what varies: the framework's uncertainty block)")] = 0,
        seed: Annotated[int | None, typer.Option("--seed", help="Random seed (overrides the framework's)")
                        ] = None,
        obstacles: Annotated[int, typer.Option("--obstacles", min=0, help="List each unit's N largest "
                             "obstacle degrees (障碍度), json only")] = 0,
        sobol: Annotated[int, typer.Option("--sobol", min=0, help="Sobol sensitivity indices from N base "
                         "samples (N·(factors+2) runs) of the uncertainty block's factors")] = 0,
        fmt: Annotated[Format, typer.Option("--format", help="json | csv | table")] = Format.table,
    ) -> None:
        """Compute the index, ranks and (with --uncertainty N) rank intervals.

        Example: innocity index run --framework f.yaml --data d.csv --uncertainty 1000 --format json
        """
        from innocity.errors import UserInputError
        from innocity.services import index as service

        if (data is None) == (not from_db):
            raise UserInputError("give exactly one of --data FILE or --from-db", source="index run")
        spec = service.load_framework(framework) if framework else service.default_framework()
        if from_db:
            from innocity.settings import Settings

            rows = service.read_data_db(spec, settings=Settings.from_env())
        else:
            assert data is not None
            rows = service.read_data_csv(data)
        report = service.run_index(spec=spec, data=rows, year=year, uncertainty=uncertainty, seed=seed,
                                   obstacles=obstacles, sobol=sobol)
        for w in report.warnings:
            print(f"innocity: warning: {w}", file=sys.stderr)
        _print(report.to_dict(), report.group_codes, fmt)

    app.add_typer(index_app, name="index")


def _print(doc: dict[str, Any], groups: list[str], fmt: Format) -> None:
    out = sys.stdout
    if fmt is Format.json:
        keys = ("units", "weights", "period", "sensitivity")
        json.dump({k: doc[k] for k in keys if k in doc}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return
    has_ua = bool(doc["units"]) and "rank_interval" in doc["units"][0]
    head = ["unit", "score", "rank"] + (["rank_p5", "rank_p95", "rank_mean", "rank_median"] if has_ua else [])
    head += groups
    rows = []
    for u in doc["units"]:
        row = [u["unit"], u["score"], u["rank"]]
        if has_ua:
            row += [*u["rank_interval"], u["rank_mean"], u["rank_median"]]
        row += [u["groups"].get(g) for g in groups]
        rows.append(row)
    if fmt is Format.csv:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(head)
        w.writerows(["" if v is None else v for v in r] for r in rows)
        return
    cells = [[_fmt(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(head)]
    out.write(f"period {doc['period']}\n")
    out.write("  ".join(h.ljust(widths[i]) for i, h in enumerate(head)) + "\n")
    for r in cells:
        out.write("  ".join(c.rjust(widths[i]) if i else c.ljust(widths[i]) for i, c in enumerate(r)) + "\n")
    if doc.get("sensitivity"):
        out.write("\nSobol indices of the mean absolute rank change (90% bootstrap interval of the total):\n")
        for s in doc["sensitivity"]:
            lo, hi = s["total_ci"]
            out.write(f"  {s['factor']:<18} first {s['first']:6.3f}  total {s['total']:6.3f}  [{lo:.3f}, {hi:.3f}]\n")


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)
