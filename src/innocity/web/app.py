"""The web application's composition root: ``create_app(settings or AppContext) -> FastAPI``.

One ``AppContext`` per process (database, catalogue, matcher) lives in ``app.state.ctx``; the web settings
(secret key, cookies, upload limit) in ``app.state.web``. Routers are listed explicitly below, one module
per area: add an area by adding its router to ``API_ROUTERS`` or ``PAGE_ROUTERS`` (page routers get the
CSRF check on every state-changing request). ``uvicorn --factory innocity.web.app:create_app`` builds it
from the environment, as ``innocity serve`` does.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response
from starlette.types import Scope

from innocity import __version__
from innocity.app import AppContext
from innocity.settings import Settings

from . import errors
from .api import auth as api_auth
from .api import docs as api_docs
from .api import loop as api_loop
from .api import observations as api_observations
from .api import plans as api_plans
from .api import progress as api_progress
from .api import reports as api_reports
from .api import supervision as api_supervision
from .config import WebSettings
from .pages import auth as page_auth
from .pages import compare as page_compare
from .pages import home as page_home
from .pages import loop as page_loop
from .pages import plans as page_plans
from .pages import reports as page_reports
from .pages import review as page_review
from .security import SecurityMiddleware, csrf_protect
from .templating import STATIC

API_ROUTERS: list[APIRouter] = [
    api_loop.router,
    api_auth.router,
    api_plans.router,
    api_observations.router,
    api_progress.router,
    api_reports.router,
    api_supervision.router,
    api_docs.router,
]
PAGE_ROUTERS: list[APIRouter] = [
    page_loop.router,
    page_auth.router,
    page_home.router,
    page_plans.router,
    page_compare.router,
    page_reports.router,
    page_review.router,
]


class VersionedStatic(StaticFiles):
    """Static files; a URL carrying ``?v=<hash>`` (``templating.static_url``) never changes, so browsers
    keep it for a year instead of asking again on every page."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        scope: Scope = args[2] if len(args) > 2 else kwargs["scope"]
        if b"v=" in scope.get("query_string", b""):
            response.headers["cache-control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["cache-control"] = "no-cache"
        return response


def settle_garbage_collector() -> None:
    """Keep Python's cyclic garbage collector from pausing requests.

    Measured under the web benchmark, full collections walked everything the process had built at start
    (the catalogue, the matcher's dictionaries, templates, the routes) and every result kept between
    requests, and stopped all requests for up to 300 ms at a time; young collections ran every few
    hundred allocations. So: what exists once the application has started is moved out of the collector's
    sight for good (``gc.freeze``: it lives as long as the process), and young collections run every
    20,000 allocations instead of 700 (the kept results are bounded LRUs, and request garbage is mostly
    freed by reference counting, not by the collector).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def create_app(source: Settings | AppContext | None = None, *, web: WebSettings | None = None) -> FastAPI:
    """The FastAPI application on ``source`` (an ``AppContext`` to share, or settings to build one from;
    default: the environment)."""
    owns = not isinstance(source, AppContext)
    ctx = source if isinstance(source, AppContext) else AppContext(source or Settings.from_env())
    web = web or WebSettings.of(ctx.settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Open the database (migrating it if needed) and build the matcher before the first request.
        await run_in_threadpool(lambda: (ctx.db, ctx.matcher, ctx.dataset_label))
        if owns:  # a process of its own (a server), not an application built inside a test or a tool
            settle_garbage_collector()
        yield
        if owns:
            ctx.dispose()

    app = FastAPI(
        title="innocity API",
        summary="创新型城市建设实施方案监测平台的 HTTP API",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.web = web
    errors.install(app)
    # pages before the API: FastAPI tries routes in order at about 2 µs each (twice per request), and pages
    # are what people ask for most (measured over bench_web's seven paths: 216 µs of matching per request
    # with the API first, 99 µs with pages first). No page path can match an /api/ path.
    for router in PAGE_ROUTERS:
        app.include_router(router, dependencies=[Depends(csrf_protect)], include_in_schema=False)
    for router in API_ROUTERS:
        app.include_router(router)
    app.mount("/static", VersionedStatic(directory=STATIC), name="static")
    app.add_middleware(errors.CatchAll)
    # level 1, not Starlette's 9: every page is compressed afresh (it carries its own CSRF token), and level 1
    # takes a third of level 6's time for 10–15 % more bytes (measured: the 130 kB review page in 0.2 ms
    # instead of 0.6 ms, 10.9 kB instead of 9.6 kB; level 9 took 0.8–1.1 ms). Kept JSON answers are
    # compressed once, at level 6 (web.cache.Answer).
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    app.add_middleware(SecurityMiddleware, web=web)
    return app
