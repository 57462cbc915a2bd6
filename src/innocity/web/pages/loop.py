"""Every page router of the loop (issue 11), as one router for the app factory's list.

Listed before the core's home page: ``/`` shows coordinators, leaders and administrators the dashboard on
top of the home page (``pages.dashboard``), and everyone else the home page as it is.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import dashboard, data, index, progress, supervision, tasks

router = APIRouter()
for _r in (dashboard.router, data.router, progress.router, tasks.router, supervision.router, index.router):
    router.include_router(_r)
