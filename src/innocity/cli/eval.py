"""``innocity eval``: score the parser against a gold reading (default: the bundled sample page).

Parses the arguments, calls ``innocity.services.evaluation.evaluate`` and prints the report: per plan, per
document class (when the golds say which: complete, excerpt, news, other_gov) and overall.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from innocity.cli.common import Format, format_option
from innocity.parsing.scoring import CATEGORIES, Report, Score


def register(app: typer.Typer) -> None:
    """Add ``innocity eval`` to the root app."""

    @app.command("eval")
    def eval_command(
        doc: Annotated[Path | None, typer.Argument(
            help="Document to parse (default: the bundled sample), or a directory of NAME + NAME.gold.json.")] = None,
        gold: Annotated[Path | None, typer.Option("--gold", help="Gold reading (default: DOC.gold.json).")] = None,
        fmt: Annotated[str, format_option(Format.table, Format.json)] = "table",
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List false positives/negatives.")] = False,
    ) -> None:
        """Precision, recall and F1 of targets, facts, duties, phases and programmes per plan, per document
        class and overall, and whether each plan's place is right.

        Example: innocity eval            (the bundled sample page and its gold reading)
        Example: innocity eval plan.txt --gold plan.gold.json --format json
        Example: innocity eval corpus/ --verbose     (every NAME.txt with a NAME.gold.json beside it)
        Example: innocity eval tests/fixtures/corpus/bulletins   (statistical bulletins and work reports:
                 levels, growth and shares matched on value, unit, period and kind; goals read as figures)
        """
        from innocity.services.evaluation import evaluate

        if doc is not None and doc.is_dir() and _holds_bulletin_golds(doc):
            _bulletins(doc, fmt, verbose)
            return
        report = evaluate(doc, gold)
        if Format(fmt) is Format.json:
            typer.echo(json.dumps(report.to_dict(verbose=verbose), ensure_ascii=False, indent=1))
            return
        _print_table(report, verbose)


def _holds_bulletin_golds(directory: Path) -> bool:
    """A directory of bulletin golds (``observations``) rather than plan golds (``plans``)."""
    for gold in sorted(directory.glob("*.gold.json")):
        try:
            data = json.loads(gold.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return "observations" in data and "plans" not in data
    return False


def _bulletins(directory: Path, fmt: str, verbose: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from innocity.services.extract import score_bulletins

    score = score_bulletins(directory).to_dict()
    if Format(fmt) is Format.json:
        typer.echo(json.dumps(score, ensure_ascii=False, indent=1))
        return
    table = Table(title="innocity eval (bulletins): levels and other figures, P / R / F1")
    for c in ("document", "class", "levels", "growth and shares", "year", "region"):
        table.add_column(c)

    def cell(t: dict[str, float]) -> str:
        return f"{t['precision']:.2f} / {t['recall']:.2f} / {t['f1']:.2f}"

    for d in score["documents"]:
        table.add_row(escape(d["name"]), d["kind"], cell(d["levels"]), cell(d["others"]),
                      "ok" if d["year_ok"] else "wrong", "ok" if d["region_ok"] else "wrong")
    console = Console()
    console.print(table)
    for name, t in score["levels_by_kind"].items():
        console.print(f"class {name}: levels {cell(t)}; growth and shares {cell(score['others_by_kind'][name])}",
                      markup=False)
    console.print(f"all: levels {cell(score['levels'])}; next year's goals read as observations: "
                  f"{score['goals_as_observations']}", markup=False)
    if verbose:
        for d in score["documents"]:
            for m in d["missed"]:
                console.print(f"{d['name']} FN: {m}", markup=False)
            for m in d["extra"]:
                console.print(f"{d['name']} FP: {m}", markup=False)


def _print_table(report: Report, verbose: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(title="innocity eval: F1 (tp/fp/fn)")
    table.add_column("plan")
    for c in CATEGORIES:
        table.add_column(c, justify="right")
    table.add_column("region")
    for p in report.plans:
        cells = [_cell(p.scores[c]) for c in CATEGORIES]
        table.add_row(escape(p.label), *cells, "" if p.region_ok is None else ("ok" if p.region_ok else "wrong"))
    right, total = report.regions_right
    table.add_row("overall", *[_cell(report.overall[c]) for c in CATEGORIES], f"{right}/{total}")
    console.print(table)
    for name, sub in report.by_class().items():
        r, t = sub.regions_right
        parts = [f"{c} P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f}" for c, s in sub.overall.items()]
        console.print(f"class {name} ({len(sub.plans)} plans): " + " | ".join(parts) + f" | regions {r}/{t}",
                      markup=False, soft_wrap=True)
    for c in CATEGORIES:
        s = report.overall[c]
        console.print(f"{c}: precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}", markup=False)
    hit = sum(len(p.negatives_hit) for p in report.plans)
    console.print(f"hard negatives read as targets: {hit}", markup=False)
    if verbose:
        for p in report.plans:
            for c in CATEGORIES:
                for m in p.misses.get(c, []):
                    console.print(f"{p.label} FN {c}: {m}", markup=False)
                for m in p.extras.get(c, []):
                    console.print(f"{p.label} FP {c}: {m}", markup=False)
            for m in p.negatives_hit:
                console.print(f"{p.label} hard negative read as a target: {m}", markup=False)


def _cell(s: Score) -> str:
    return f"{s.f1:.2f} ({s.tp}/{s.fp}/{s.fn})"

