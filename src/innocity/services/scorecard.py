"""Department scorecards (``innocity scorecard``): for each lead department of each region, its targets by
status and its tasks on time / late; departments that only support are listed with what they support.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from innocity.domain.progress import STATUSES
from innocity.settings import Settings

from . import tasks as task_service
from . import tracking
from .store import Store
from .tracking import opened

UNASSIGNED = "（未指定牵头单位）"


def scorecard(
    settings: Settings,
    *,
    region: str | None = None,
    year: int | None = None,
    as_of: date | None = None,
    today: date | None = None,
    store: Store | None = None,
) -> list[dict[str, Any]]:
    """``innocity scorecard``: per lead department, its targets by status and its tasks on time / late.

    Departments that only support appear too, with what they support. Targets nobody leads are grouped
    under ``UNASSIGNED`` so they are not lost from view.
    """
    with opened(settings, store) as st:
        rows = tracking.progress(settings, region=region, year=year, as_of=as_of, store=st)
        task_rows = task_service.list_tasks(settings, region=region, today=today, store=st)
    cards: dict[tuple[str, str], dict[str, Any]] = {}

    def card(region: str | None, name: str) -> dict[str, Any]:
        # departments belong to a region: 西宁's 市科技局 is not 济南's
        key = (region or "", name)
        if key not in cards:
            cards[key] = {
                "region": region,
                "department": name,
                "targets": dict.fromkeys(STATUSES, 0),
                "target_ids": [],
                "tasks": {"total": 0, "done": 0, "on_time": 0, "late": 0},
                "supports": {"targets": 0, "tasks": 0},
            }
        return cards[key]

    for r in rows:
        for name in r["lead"] or [UNASSIGNED]:
            c = card(r["region"], name)
            c["targets"][r["status"]] += 1
            c["target_ids"].append(r["target_id"])
        for name in r["support"]:
            card(r["region"], name)["supports"]["targets"] += 1
    for tr in task_rows:
        for name in tr["lead"] or [UNASSIGNED]:
            c = card(tr["region"], name)["tasks"]
            c["total"] += 1
            c["done"] += tr["status"] == "已完成"
            c["late" if tr["late"] else "on_time"] += 1
        for name in tr["support"]:
            card(tr["region"], name)["supports"]["tasks"] += 1
    out = sorted(
        cards.values(),
        key=lambda c: (
            c["region"] or "",
            c["department"] == UNASSIGNED,
            -sum(c["targets"].values()),
            -c["tasks"]["total"],
            c["department"],
        ),
    )
    for c in out:
        c["led_targets"] = sum(c["targets"].values())
        c["role"] = "lead" if c["led_targets"] or c["tasks"]["total"] else "support"
    return out
