"""The composite index through the API: start a run in the background, poll it, download its result.

A run is queued in this request's transaction and handed to the process's ``IndexRunner`` (worker
processes) when that commits, so a thousand-replication run on 300 units never blocks other requests.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from fastapi.responses import Response
from pydantic import Field

from innocity.app import AppContext
from innocity.errors import UserInputError
from innocity.services import index_runs
from innocity.services.context import UnitOfWork
from innocity.services.models import Model
from innocity.services.models.index import IndexRunRef, IndexRunStatus, IndexRunSummary

from ..deps import AppDep, UowDep
from .templates import XLSX

_recovered = threading.Event()


@asynccontextmanager
async def _workers(_: Any) -> AsyncIterator[None]:
    """The application's lifespan, merged in by the app factory: worker processes end with the server (uvicorn
    re-raises SIGTERM once it has shut down, so ``atexit`` would never run)."""
    yield
    if _recovered.is_set():
        _stop_workers()


router = APIRouter(prefix="/api/v1/index", tags=["index"], lifespan=_workers)


def _stop_workers() -> None:
    """At exit, end the worker processes with the server: a worker blocked on its queue never learns that
    the server is gone, and kept the forkserver (and whoever holds the server's output) alive after it. A
    run cut short is marked failed by ``recover`` at the next start."""
    index_runs.shutdown_runner(wait=False)
    for child in multiprocessing.active_children():
        child.terminate()
    _recovered.clear()


def runner(app: AppContext) -> index_runs.IndexRunner:
    """The process's runner; the first time, runs a previous process left queued are taken up again."""
    r = index_runs.runner(app)
    if not _recovered.is_set():
        _recovered.set()
        r.recover()
    return r


class RunIn(Model):
    framework: str = Field(default="default", max_length=1_000_000,
                           description='"default" (the catalogue\'s five dimensions) or a framework\'s YAML text')
    year: int | str | None = Field(default=None, description="the period to rank (default: the latest rankable)")
    uncertainty: int = Field(default=200, ge=0, le=10_000, description="Monte Carlo replications")
    sobol: int = Field(default=0, ge=0, le=10_000, description="Sobol base samples (0: no sensitivity analysis)")
    region: str | None = Field(default=None, max_length=100, description="a region within the caller's scope")


@router.post("/runs", response_model=IndexRunRef, status_code=status.HTTP_202_ACCEPTED)
def start(body: RunIn, w: UowDep, app: AppDep) -> IndexRunRef:
    """Queue a run over the regions in the caller's scope; poll ``GET /api/v1/index/runs/{id}``."""
    return index_runs.start_run(w, framework=body.framework, year=body.year, uncertainty=body.uncertainty,
                                sobol=body.sobol, region=body.region, runner=runner(app))


class RunList(Model):
    runs: list[IndexRunSummary]


@router.get("/runs", response_model=RunList)
def runs(w: UowDep, limit: Annotated[int, Query(ge=1, le=200)] = 20) -> RunList:
    """The runs the caller can see, newest first, without their results."""
    return RunList(runs=index_runs.list_runs(w, limit=limit))


@router.get("/runs/{run_id}", response_model=IndexRunStatus)
def get(run_id: int, w: UowDep) -> IndexRunStatus:
    """``queued`` → ``running`` (``progress`` 0–100) → ``done`` with ``result`` or ``failed`` with ``error``."""
    return index_runs.get_run(w, run_id=run_id)


def _done(w: UnitOfWork, run_id: int) -> IndexRunStatus:
    run = index_runs.get_run(w, run_id=run_id)
    if run.result is None:
        raise UserInputError(f"index run {run_id} has no result ({run.status})", field="run_id")
    return run


@router.get("/runs/{run_id}/result.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def result_csv(run_id: int, w: UowDep) -> Response:
    """The ranking as CSV (UTF-8 with BOM, so Excel reads Chinese)."""
    run = _done(w, run_id)
    assert run.result is not None
    return Response(index_runs.result_csv(run.result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="index-run-{run_id}.csv"'})


@router.get("/runs/{run_id}/result.xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def result_xlsx(run_id: int, w: UowDep) -> Response:
    """The ranking as an Excel workbook."""
    run = _done(w, run_id)
    assert run.result is not None
    return Response(index_runs.result_xlsx(run.result), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="index-run-{run_id}.xlsx"'})
