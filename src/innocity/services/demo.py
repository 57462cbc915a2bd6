"""``innocity demo``: the whole loop on an embedded SQLite database, from the bundled sample page to 督办.

Two databases, never mixed:

1. **Real** (``demo.sqlite3``): the four sample plans are parsed and stored, the 34 real published figures
   of ``data/observations`` are imported (approved, with their sources), what the plans leave open is
   resolved as *demo assumptions* recorded under the user ``demo`` (listed in ``ASSUMPTIONS``), then
   progress, scorecards and 督办 are computed. Few plan targets have a published figure, so most rows say
   ``no_data`` or ``needs_input``: that is the honest result.
2. **SIMULATED** (``demo-SIMULATED.sqlite3``, a copy of the first plus ``SIMULATED-observations.csv``): a
   generated series per target, labelled SIMULATED in the file name, in a column and in every note, made
   only to exercise every status, the scorecards and the 督办 lifecycle. It is not data about any city.

The steps are services on a unit of work each (``load_real``, ``scenario``, ``load_simulated``,
``walkthrough``); the command line, the composition root, opens the two databases, copies the first into the
second and runs the steps in order. Services never print.
"""

from __future__ import annotations

import csv
import dataclasses
import random
from datetime import date
from importlib import resources
from pathlib import Path

from pydantic import Field
from sqlalchemy import select

from innocity.domain.progress import TargetSpec, expected_at
from innocity.storage import plans as plan_repo
from innocity.storage import tracking as track_repo
from innocity.storage.tables import DATASET_LABEL, FactRow, TargetRow, set_meta

from . import scorecard, supervise, targets, tasks, tracking
from .context import Actor, UnitOfWork
from .ingest import ingest_bytes, parse_bytes
from .models import Model, ProgressRow, ScorecardRow, StatusCounts, SupervisionItem

DEMO_USER = "demo"
EVAL_YEAR = 2014  # mid-way through the 2010–2015 pilot plans, so targets can be ahead or behind
TODAY = date(2015, 3, 31)  # a fixed "today" so the demo prints the same thing every time
MASKED_YEAR = 2015
BASELINE_YEAR = 2010
SIMULATED = "SIMULATED – not a real figure"

ASSUMPTIONS = (
    f"Masked deadline years (201*, 20XX) are read as {MASKED_YEAR}: the sample plans are 十二五 pilot plans "
    "(西宁's 试点目标 set targets for 201* and for “十二五”末 side by side). Recorded as a resolution by user 'demo'.",
    f"Targets without a baseline year are measured from {BASELINE_YEAR} (十一五末); the value comes from the "
    "plan's facts or the stored figures, never made up. Recorded by user 'demo'.",
    f"An undated fact of a plan about an indicator the same plan targets (西宁: 高新技术企业40家, 高新技术产业增加值"
    f"17.4亿元 …, from its 试点基础 section) is read as the {BASELINE_YEAR} baseline. Recorded as an edit by 'demo'.",
    "Targets matched to the catalogue are led by 市科技局 (西宁's plan puts its coordinating office there; the "
    "other plans are assumed alike) with 市统计局 supporting (it publishes the figures). Recorded by 'demo'.",
    f"Evaluation year {EVAL_YEAR}; 'today' is {TODAY.isoformat()} for task and 督办 deadlines.",
)



class PlanFound(Model):
    title: str | None = None
    label: str | None = None
    region: str | None = None
    targets: int = 0
    matched: int = 0
    facts: int = 0
    duties: int = 0
    phases: int = 0
    masked: int = 0


class Scenario(Model):
    """What one database shows: progress rows, status counts, scorecards, 督办 items raised."""

    label: str
    db_path: str
    progress: list[ProgressRow] = Field(default_factory=list)
    counts: StatusCounts = Field(default_factory=StatusCounts)
    scorecard: list[ScorecardRow] = Field(default_factory=list)
    items: list[SupervisionItem] = Field(default_factory=list)
    walkthrough: SupervisionItem | None = None


class RealLoad(Model):
    """What loading the real data did: plans found, figures imported, resolutions made."""

    plans: list[PlanFound] = Field(default_factory=list)
    imported: dict[str, int] = Field(default_factory=dict)
    resolutions: int = 0
    warnings: list[str] = Field(default_factory=list)


class DemoReport(Model):
    """Everything ``innocity demo`` prints: what was parsed and imported, the assumptions, both scenarios."""

    plans: list[PlanFound]
    imported: dict[str, int]
    assumptions: tuple[str, ...]
    resolutions: int
    real: Scenario
    simulated: Scenario | None = None
    simulated_file: str | None = None
    warnings: list[str] = Field(default_factory=list)


def sample_path() -> Path:
    """The bundled sample page."""
    return Path(str(resources.files("innocity.data").joinpath("samples", "innovative-city-plans-4.txt")))


def observations_path() -> Path:
    """The bundled real observations."""
    return Path(str(resources.files("innocity.data").joinpath("observations", "sample-city-statistics.csv")))


def as_user(w: UnitOfWork, *, username: str) -> UnitOfWork:
    """The same transaction, acting as another (demo) person: the walkthrough's steps are three people's."""
    return dataclasses.replace(w, actor=Actor.system(username))


def load_plans(w: UnitOfWork, *, sample: Path | None = None) -> RealLoad:
    """Parse and store the sample plans."""
    src = sample or sample_path()
    data = src.read_bytes()
    doc = parse_bytes(w, data=data, name=src.name)
    plans = [
        PlanFound(
            title=p.title, label=p.label, region=p.region.name, targets=len(p.targets),
            matched=sum(1 for t in p.targets if t.indicator_code), facts=len(p.facts), duties=len(p.duties),
            phases=len(p.phases), masked=sum(1 for t in p.targets if t.year is None),
        )
        for p in doc.plans
    ]
    ingest_bytes(w, data=data, name=src.name, doc=doc)
    return RealLoad(plans=plans, warnings=list(doc.warnings))


def import_figures(w: UnitOfWork, *, path: Path | None = None) -> dict[str, int]:
    """Import the real published figures (approved, with their sources). Run it in a unit of work of its
    own: a bulk import writes on its own connection, so nothing else may hold the write lock meanwhile."""
    from .observations import import_file

    # No fixed "today" here: a figure whose source gives no date is recorded as known on the day it is
    # loaded, never on the demo's pretend date (which would claim 2016 figures were known in 2015).
    rep = import_file(w, path=path or observations_path(), status="approved")
    return {"rows": rep.rows, "stored": rep.stored, "unchanged": rep.unchanged}


def resolve_assumptions(w: UnitOfWork) -> int:
    """Apply ``ASSUMPTIONS`` to every current target (and fact) that still needs it; returns how many."""
    return _resolve(w)


def _resolve(w: UnitOfWork) -> int:
    """Apply ``ASSUMPTIONS`` to every current target (and fact) that still needs it."""
    s = w.session
    changed = 0
    assigned = {tid for (tid,) in s.execute(select(track_repo.TargetDepartment.target_id))}
    rows = [
        (t.id, t.year, t.year_text, t.resolved_year, t.baseline_year, t.indicator_code)
        for t in s.scalars(select(TargetRow).where(TargetRow.retired_in.is_(None)))
    ]
    for tid, year, year_text, resolved, base_year, code in rows:
        kw: dict[str, object] = {}
        masked = year is None and resolved is None and year_text and ("*" in year_text or "X" in year_text)
        if masked:
            kw["year"] = MASKED_YEAR
        if base_year is None:
            kw["baseline_year"] = BASELINE_YEAR
        if code and tid not in assigned:
            kw["lead"], kw["support"] = ["市科技局"], ["市统计局"]
        if kw:
            targets.resolve_in(w, tid, comment="demo assumption (innocity demo)", **kw)  # type: ignore[arg-type]
            changed += 1
    # the plans' own baselines: an undated fact about an indicator the same plan targets
    wanted = {
        (t.plan_id, t.indicator_code)
        for t in s.scalars(
            select(TargetRow).where(TargetRow.retired_in.is_(None), TargetRow.indicator_code.is_not(None))
        )
    }
    for f in s.scalars(select(FactRow).where(FactRow.retired_in.is_(None), FactRow.year.is_(None))):
        if (f.plan_id, f.indicator_code) in wanted:
            plan_repo.edit_item(s, f, {"year": BASELINE_YEAR}, by=w.user)
            changed += 1
    return changed


def scenario(w: UnitOfWork, *, label: str, db_path: str) -> Scenario:
    """Progress, scorecards and the 督办 items ``sync`` raises, at the demo's evaluation year and date."""
    rows = tracking.progress(w, year=EVAL_YEAR)
    cards = scorecard.scorecard(w, year=EVAL_YEAR, today=TODAY)
    items = supervise.sync(w, year=EVAL_YEAR, today=TODAY)
    return Scenario(label=label, db_path=db_path, progress=rows, counts=tracking.status_counts(rows),
                    scorecard=cards, items=items)


def label_simulated(w: UnitOfWork) -> None:
    """Label the whole database SIMULATED: every page and report of it says so."""
    set_meta(w.session, DATASET_LABEL, "SIMULATED")


def import_simulated(w: UnitOfWork, *, real_progress: list[ProgressRow], out: Path) -> int:
    """Write and import the SIMULATED training series (in a unit of work of its own, as any bulk import);
    returns the rows written."""
    from .observations import import_file

    n = write_simulated(real_progress, out)
    import_file(w, path=out, status="approved")
    return n


def simulate_tasks(w: UnitOfWork) -> None:
    """SIMULATED task reports: every other task done on time, the rest still open past a deadline."""
    for i, t in enumerate(tasks.list_tasks(w, today=TODAY)):
        done = i % 2 == 0
        tasks.set_task(
            w,
            task_id=t.task_id,
            status="已完成" if done else "进行中",
            deadline=date(2014, 6, 30),
            completed_on=date(2014, 5, 31) if done else None,
            note=SIMULATED,
        )


# ---------------------------------------------------------------- the SIMULATED training series

# Each matched target gets one of these paths, in turn, so every status appears: the share of the
# planned way covered by the evaluation year (1.15 = ahead and past the goal; −0.2 = the wrong way).
_PATHS = (1.6, 1.0, 0.8, 0.35, -0.2, 1.05, 0.7)


def write_simulated(rows: list[ProgressRow], out: Path, *, seed: int = 20100701) -> int:
    """Write a SIMULATED yearly series for each (region, indicator) the plans target; returns the row count.

    Every row says SIMULATED (file name, ``simulated`` column, note). Values follow each target's own
    path from a made-up baseline, scaled by one of ``_PATHS`` and a little noise (seeded, reproducible).
    """
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    lines: list[list[object]] = []
    for i, r in enumerate(rows):
        code, region, tg = r.indicator_code, r.region, r.target
        if not code or not region or tg.value is None or tg.year is None or (region, code) in seen:
            continue
        seen.add((region, code))
        by = r.baseline.year or BASELINE_YEAR
        unit = r.unit
        goal = r.goal if r.goal is not None else tg.value
        share = unit == "%"
        lower = (r.direction or 1) < 0
        if r.baseline.value is not None:
            base = float(r.baseline.value)
        elif tg.kind == "level":
            base = goal * (rng.uniform(1.2, 1.5) if lower else rng.uniform(0.45, 0.75))
        elif tg.unit in ("百分点", "个百分点"):
            base = rng.uniform(30, 50)
        else:
            base = rng.uniform(50, 500)
        spec = TargetSpec(
            kind=tg.kind,  # type: ignore[arg-type]
            comparator=tg.comparator,  # type: ignore[arg-type]
            value=goal if tg.kind == "level" else tg.value,
            year=tg.year,
            value_max=None,
            unit=tg.unit,
            approximate=tg.approximate,
            baseline_year=by,
            baseline_value=base,
        )
        f = _PATHS[i % len(_PATHS)]
        for y in range(by, EVAL_YEAR + 1):
            exp = expected_at(spec, y)
            v = base if y == by or exp is None else base + (exp - base) * f
            v *= 1 + (rng.uniform(-0.01, 0.01) if y > by else 0.0)
            v = min(v, 100.0) if share else max(v, 0.0)
            v = round(v, 2) if share or unit not in ("家", "个", "项", "件", "人", "名", "所") else round(v)
            lines.append(
                [
                    region,
                    code,
                    y,
                    v,
                    unit or "",
                    date(y + 1, 3, 1).isoformat(),
                    SIMULATED,
                    f"{SIMULATED} (innocity demo training series)",
                ]
            )
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["region", "indicator", "period", "value", "unit", "known_on", "simulated", "note"])
        w.writerows(lines)
    return len(lines)


def walkthrough(w: UnitOfWork, *, items: list[SupervisionItem]) -> SupervisionItem | None:
    """Take the first raised item through 情况说明 → 延期申请 → 销号, as three different people would."""
    if not items:
        return None
    first = items[0]
    clerk = as_user(w, username="市科技局·经办人")
    supervise.act(clerk, item_id=first.id, action="respond", text="（SIMULATED）已组织专题调度，正在补齐数据",
                  today=TODAY)
    due = first.due_on or TODAY
    new_due = date(due.year, 6, 30) if due < date(due.year, 6, 30) else date(due.year, 12, 31)
    supervise.act(clerk, item_id=first.id, action="extend", text="（SIMULATED）等待年度统计数据",
                  new_due=new_due, today=TODAY)
    return supervise.act(as_user(w, username="督查室"), item_id=first.id, action="close", text="（SIMULATED）复核后予以销号",
                         today=TODAY)
