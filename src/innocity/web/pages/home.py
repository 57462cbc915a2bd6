"""``/``: the home page for the caller's scope: the plans and their review progress, what awaits review,
and where to go next.

The page is built from panels: ``home.html`` is the heading (who is looking) around ``home/_body.html``,
which renders the context of ``home_context`` and includes ``home/_dashboard.html`` when it exists, so the
dashboard for coordinators and leaders is an addition (a template and a few more context entries), not a
rewrite; the body depends only on the role and what it shows, so it may be kept rendered.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from innocity.services import plans
from innocity.services.context import UnitOfWork

from ..deps import PageUowDep, PageUser
from ..templating import fragment, render

router = APIRouter()


def home_context(w: UnitOfWork) -> dict[str, Any]:
    """The plans in scope with their review progress (and their table rendered), and the totals the page
    leads with."""
    rows = plans.list_plans(w)
    targets = sum(p.targets for p in rows)
    reviewed = sum(p.reviewed for p in rows)
    pending = sorted((p for p in rows if p.targets > p.reviewed), key=lambda p: p.reviewed - p.targets)
    return {
        "plans": rows,
        "plans_table": fragment("plans/_table.html", {"plans": rows}),
        "totals": {"plans": len(rows), "targets": targets, "reviewed": reviewed, "pending": targets - reviewed,
                   "duties": sum(p.duties for p in rows), "facts": sum(p.facts for p in rows)},
        "pending_plans": pending[:8],
    }


@router.get("/")
def home(request: Request, user: PageUser, w: PageUowDep) -> Response:
    return render(request, "home.html", {"body": fragment("home/_body.html", {**home_context(w), "actor": w.actor})})
