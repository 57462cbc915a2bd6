"""``innocity demo``: run the whole loop on the bundled sample and print it (see ``services.demo``)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from innocity.services.demo import DemoReport


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("demo")(demo_cmd)


def demo_cmd(
    db: Annotated[Path | None, typer.Option("--db", help="SQLite file to use (default: a new one in a temp dir)")] = None,
    simulated: Annotated[bool, typer.Option("--simulated/--real-only",
                                            help="also run the SIMULATED training scenario (labelled as such)")] = True,
    serve: Annotated[bool, typer.Option("--serve/--no-serve",
                                        help="then serve the web application until Ctrl-C")] = True,
    serve_db: Annotated[str | None, typer.Option(
        "--serve-db", help="which database the web application shows: simulated (default when there is one; "
                           "every page says SIMULATED) or real")] = None,
    host: Annotated[str, typer.Option("--host", help="address the web application listens on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="its TCP port", min=1, max=65535)] = 8000,
) -> None:
    """Parse the sample plans, store them, import real published figures, track progress, scorecards, 督办;
    then serve the web application with one demo account per role (their passwords are printed).

    Example: innocity demo            (everything in a temp dir, then http://127.0.0.1:8000)
             innocity demo --db demo.sqlite3 --real-only --no-serve
    """
    which = serve_db or ("simulated" if simulated else "real")
    if which not in ("simulated", "real") or (which == "simulated" and not simulated):
        from innocity.errors import UserInputError

        raise UserInputError("simulated (needs the SIMULATED scenario) or real", field="serve_db")
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    # wide tables: when piped, Rich would fold them into 80 columns
    console = Console(width=max(Console().width, 200))
    workdir = Path(db).resolve().parent if db else Path(tempfile.mkdtemp(prefix="innocity-demo-"))
    steps = 6 if simulated else 3
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as bar:
        task = bar.add_task("starting", total=steps)

        def step(msg: str) -> None:
            bar.update(task, description=msg, advance=1)

        report = run_demo(workdir, db=Path(db).resolve() if db else None, simulated=simulated, on_step=step)
        bar.update(task, completed=steps)
    _print_report(console, report)
    if serve:
        served = Path(report.simulated.db_path if which == "simulated" and report.simulated else report.real.db_path)
        _serve(console, served, workdir, host=host, port=port)


DEMO_ACCOUNTS = (  # (user name, role, region, department): one account per role, all in 湘潭市's scope
    ("demo-admin", "admin", None, None),
    ("demo-coordinator", "coordinator", "湘潭市", None),
    ("demo-department", "department", "湘潭市", "市科技局"),
    ("demo-leader", "leader", "湘潭市", None),
    ("demo-evaluator", "evaluator", None, None),
)


def demo_accounts(db_path: Path) -> list[tuple[str, str, str, str]]:
    """Create (or reset) one account per role in ``db_path`` with a freshly generated password each;
    returns (user, password, role, scope) to print. No fixed or default password exists anywhere."""
    import secrets

    from innocity.app import AppContext
    from innocity.services import users
    from innocity.services.demo import DEMO_USER
    from innocity.settings import Settings

    app = AppContext(Settings(database_url=f"sqlite:///{db_path}", data_dir=db_path.parent, user=DEMO_USER))
    out = []
    try:
        with app.uow() as w:
            existing = {u.username for u in users.list_users(w)}
            for name, role, region, dept in DEMO_ACCOUNTS:
                password = secrets.token_urlsafe(12)
                if name in existing:
                    users.reset_password(w, username=name, password=password)
                else:
                    users.create_user(w, username=name, password=password, role=role, region=region,
                                      department=dept)
                scope = "、".join(x for x in (region, dept) if x) or "全部地区"
                out.append((name, password, role, scope))
    finally:
        app.dispose()
    return out


def _serve(console: Any, db_path: Path, workdir: Path, *, host: str, port: int) -> None:
    """Create the demo accounts, print them, and serve the web application on ``db_path`` until Ctrl-C."""
    import os

    from rich.table import Table

    accounts = demo_accounts(db_path)
    t = Table(title=f"演示账号 (demo accounts on {db_path.name}; passwords generated now, shown once)")
    for c in ("用户名", "密码", "角色", "范围"):
        t.add_column(c)
    for row in accounts:
        t.add_row(*row)
    console.print(t)
    if "SIMULATED" in db_path.name:
        console.print("[bold red]The web application shows the SIMULATED training database: every page says "
                      "so. Real data: innocity demo --serve-db real[/]")
    os.environ["INNOCITY_DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["INNOCITY_DATA_DIR"] = str(workdir)
    from .common import reset_app_context
    from .serve import serve

    reset_app_context()
    console.print(f"web application: http://{host}:{port}  (Ctrl-C to stop)")
    serve(host=host, port=port, workers=1)


def run_demo(
    workdir: Path, *, db: Path | None = None, simulated: bool = True, on_step: Any = None
) -> DemoReport:
    """The composition of the demo: open the real database, load and assess it, copy it into the SIMULATED
    one and assess that (see ``innocity.services.demo``)."""
    from innocity.app import AppContext
    from innocity.services import demo
    from innocity.settings import Settings
    from innocity.storage.db import copy_sqlite

    step = on_step or (lambda _msg: None)
    workdir.mkdir(parents=True, exist_ok=True)
    db = db or workdir / "demo.sqlite3"

    def context(path: Path) -> AppContext:
        return AppContext(Settings(database_url=f"sqlite:///{path}", data_dir=path.parent, user=demo.DEMO_USER))

    real_app = context(db)
    try:
        step("parse and store the sample page, import the real published figures, resolve the demo assumptions")
        with real_app.uow() as w:
            load = demo.load_plans(w)
        with real_app.uow() as w:
            load.imported = demo.import_figures(w)
        with real_app.uow() as w:
            load.resolutions = demo.resolve_assumptions(w)
        step("progress, scorecards and 督办 on real figures")
        with real_app.uow() as w:
            real = demo.scenario(w, label="real published figures (sources in data/observations/PROVENANCE.md)",
                                 db_path=str(db))
    finally:
        real_app.dispose()
    report = demo.DemoReport(plans=load.plans, imported=load.imported, assumptions=demo.ASSUMPTIONS,
                             resolutions=load.resolutions, real=real, warnings=load.warnings)
    if simulated:
        step("SIMULATED: copy the database and generate a labelled training series")
        sim_db = db.with_name(db.stem + "-SIMULATED.sqlite3")
        copy_sqlite(str(db), str(sim_db))
        sim_app = context(sim_db)
        sim_file = workdir / "SIMULATED-observations.csv"
        try:
            with sim_app.uow() as w:
                demo.label_simulated(w)
            with sim_app.uow() as w:
                demo.import_simulated(w, real_progress=real.progress, out=sim_file)
            with sim_app.uow() as w:
                demo.simulate_tasks(w)
            step("SIMULATED: progress, scorecards, 督办 and one item's whole lifecycle")
            with sim_app.uow() as w:
                sim = demo.scenario(w, label="training data (SIMULATED)", db_path=str(sim_db))
                sim.walkthrough = demo.walkthrough(w, items=sim.items)
        finally:
            sim_app.dispose()
        report.simulated, report.simulated_file = sim, str(sim_file)
    step("done")
    return report


def _print_report(console: Any, r: DemoReport) -> None:
    from rich.panel import Panel
    from rich.table import Table

    from .common import safe
    from .track import items_table, progress_table, scorecard_table

    t = Table(title="样例页面中找到的方案 (plans found in the sample page)")
    for c in ("label", "region", "targets", "matched to catalogue", "masked year", "facts", "duties", "phases"):
        t.add_column(c)
    for p in r.plans:
        t.add_row(safe(p.label or "—"), safe(p.region or "?"), str(p.targets), str(p.matched), str(p.masked),
                  str(p.facts), str(p.duties), str(p.phases))
    console.print(t)
    console.print(f"real published figures imported: {r.imported['stored']} new, {r.imported['unchanged']} "
                  f"already stored (of {r.imported['rows']}; sources in data/observations/PROVENANCE.md)")
    console.print(Panel("\n".join(f"• {a}" for a in r.assumptions), title="demo assumptions (user 'demo')"))
    console.print(f"targets and facts resolved under these assumptions: {r.resolutions}")
    _scenario(console, r.real, progress_table, scorecard_table, items_table)
    if r.simulated is not None:
        console.print(Panel(
            "Everything below uses a SIMULATED training series generated for the demo "
            f"({r.simulated_file}). It is NOT data about any city: it exists to show every status, the "
            "scorecards and the 督办 lifecycle.", title="[bold red]SIMULATED DATA[/]", style="red"))
        _scenario(console, r.simulated, progress_table, scorecard_table, items_table, tag="SIMULATED ")
        w = r.simulated.walkthrough
        if w:
            h = Table(title=f"SIMULATED 督办 item {w.id}: {safe(w.title)}")
            for c in ("step", "from", "to", "by", "text", "new due"):
                h.add_column(c, overflow="fold")
            for e in w.events or []:
                h.add_row(e.step, e.from_ or "—", e.to, safe(e.by), safe(e.text or ""), str(e.new_due_on or ""))
            console.print(h)
    console.print(f"databases: {r.real.db_path}" + (f" and {r.simulated.db_path}" if r.simulated else ""))
    from innocity.services.demo import EVAL_YEAR

    url = f"sqlite:///{r.real.db_path}"
    console.print(f"look further: INNOCITY_DATABASE_URL={url} innocity progress --year {EVAL_YEAR} --format json",
                  soft_wrap=True)
    console.print(f"              (also: innocity scorecard --year {EVAL_YEAR}, innocity supervise list, "
                  "innocity tasks list)", soft_wrap=True)


def _scenario(console: Any, sc: Any, progress_table: Any, scorecard_table: Any, items_table: Any,
              tag: str = "") -> None:
    counts = ", ".join(f"{k} {v}" for k, v in sc.counts.model_dump().items() if v)
    with_figures = sum(1 for row in sc.progress if row.actual.value is not None)
    console.rule(f"[bold]{sc.label}[/]")
    matched = [row for row in sc.progress if row.indicator_code]
    console.print(progress_table(matched, title=f"{tag}目标进度 — the {len(matched)} of {len(sc.progress)} targets "
                                                f"matched to the catalogue; {with_figures} have a figure "
                                                "(all targets: innocity progress)"))
    console.print(f"{tag}status counts: {counts}")
    console.print(scorecard_table(sc.scorecard, title=f"{tag}部门记分卡"))
    console.print(items_table(sc.items, title=f"{tag}自动立项的督办事项 ({len(sc.items)})"))
