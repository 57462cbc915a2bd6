"""Department scorecards (``innocity scorecard``): for each lead department of each region, its targets by
status and its tasks on time / late; departments that only support are listed with what they support.
"""

from __future__ import annotations

from datetime import date

from .context import Permission, UnitOfWork
from .models import ProgressRow, ScorecardRow, TaskRow
from .tasks import list_tasks
from .tracking import progress

UNASSIGNED = "（未指定牵头单位）"


def scorecard(
    w: UnitOfWork,
    *,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> list[ScorecardRow]:
    """Per lead department: its targets by status and its tasks on time / late.

    Departments that only support appear too, with what they support. Targets nobody leads are grouped
    under ``UNASSIGNED`` so they are not lost from view.
    """
    w.require(Permission.READ)
    rows = progress(w, region=region, year=year, as_of=as_of)
    task_rows = list_tasks(w, region=region, today=today)
    return build_scorecards(rows, task_rows)


def build_scorecards(rows: list[ProgressRow], task_rows: list[TaskRow]) -> list[ScorecardRow]:
    """Scorecards from progress rows and task rows already read (the dashboard reuses them)."""
    cards: dict[tuple[str, str], ScorecardRow] = {}

    def card(region: str | None, name: str) -> ScorecardRow:
        # departments belong to a region: 西宁's 市科技局 is not 济南's
        key = (region or "", name)
        if key not in cards:
            cards[key] = ScorecardRow(region=region, department=name, role="support")
        return cards[key]

    for r in rows:
        for name in r.lead or [UNASSIGNED]:
            c = card(r.region, name)
            setattr(c.targets, r.status, getattr(c.targets, r.status) + 1)
            c.target_ids.append(r.target_id)
        for name in r.support:
            card(r.region, name).supports.targets += 1
    for tr in task_rows:
        for name in tr.lead or [UNASSIGNED]:
            c = card(tr.region, name)
            c.tasks.total += 1
            c.tasks.done += tr.status == "已完成"
            if tr.late:
                c.tasks.late += 1
                c.late_task_ids.append(tr.task_id)
            else:
                c.tasks.on_time += 1
        for name in tr.support:
            card(tr.region, name).supports.tasks += 1
    for c in cards.values():
        c.led_targets = sum(c.targets.model_dump().values())
        c.role = "lead" if c.led_targets or c.tasks.total else "support"
    return sorted(
        cards.values(),
        key=lambda c: (c.region or "", c.department == UNASSIGNED, -c.led_targets, -c.tasks.total, c.department),
    )
