"""Every API router of the loop (issue 11: data entry and approval, the Excel template, progress in detail,
scorecards, the dashboard, tasks, 督办 proposals, index runs), as one router for the app factory's list.

Listed before the core's routers so that ``/api/v1/supervision/proposals`` is not read as the item id
``proposals`` of ``/api/v1/supervision/{item_id}``.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import dashboard, data, index, progress_extra, supervision_extra, tasks, templates

router = APIRouter()
for _r in (data.router, templates.router, progress_extra.router, dashboard.router, tasks.router,
           supervision_extra.router, index.router):
    router.include_router(_r)
