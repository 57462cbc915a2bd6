"""Index runs in the background: queue a run, execute it in a worker process, poll its status.

    with app.uow(actor) as uow:                      # a request
        ref = index_runs.start_run(uow, framework="default", year=2014, runner=runner)
    ...
    with app.uow(actor) as uow:                      # later requests
        status = index_runs.get_run(uow, run_id=ref.id)  # queued → running (progress 0–100) → done | failed

``start_run`` validates everything it can before queueing (a bad framework is an error now, not a failed
run later) and records the actor's scope with the run: its units are the regions that scope covers, and only
actors who see that scope find the run. ``IndexRunner`` executes runs in a ``ProcessPoolExecutor`` (one
worker by default), so a thousand-replication run on 300 cities never holds the web server's GIL. Each
worker opens its own application context from the same settings (never a copied engine or connection), so
SQLite works: the worker writes ``status``, ``progress``, then ``result`` (the JSON of ``innocity index run
--format json``) or ``error`` (``code: one line``, never a traceback).

Services may not import the composition root, so the runner is given the caller's ``AppContext`` and
passes its class and settings to the worker, where the class builds a fresh context.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from innocity.errors import FrameworkError, InnocityError, NotFoundError, UserInputError
from innocity.storage.index_runs import IndexRun
from innocity.storage.tables import utcnow

from .context import Actor, Permission, Role, UnitOfWork
from .index import check_request, framework_spec, run_index
from .index_data import find_region, read_data_db
from .index_export import result_csv, result_table, result_xlsx
from .models.index import IndexResult, IndexRunRef, IndexRunStatus, IndexRunSummary, RunError

__all__ = ["IndexRunner", "execute_run", "get_run", "list_runs", "result_csv", "result_table", "result_xlsx",
           "runner", "shutdown_runner", "start_run"]

log = logging.getLogger(__name__)
MAX_LIST = 200
_ERROR = re.compile(r"([a-z_]+): (.*)", re.DOTALL)


class AppLike(Protocol):
    """What the runner needs of ``innocity.app.AppContext`` (named structurally: services may not import it)."""

    settings: Any

    def uow(self, actor: Actor | None = None) -> AbstractContextManager[UnitOfWork]: ...

    def dispose(self) -> None: ...


# -- requests -----------------------------------------------------------------------------------------------
def start_run(uow: UnitOfWork, *, framework: str, year: int | str | None = None, uncertainty: int = 200,
              sobol: int = 0, region: str | None = None, runner: IndexRunner | None = None) -> IndexRunRef:
    """Queue an index run over the actor's scope (or ``region`` within it); returns its id.

    ``framework`` is ``"default"`` or a framework's YAML text; it, ``year``, ``uncertainty`` and ``sobol``
    (base samples of the Sobol sensitivity analysis, 0 for none) are checked now. With ``runner``, the run
    is handed to it as soon as this unit of work commits.
    """
    uow.require(Permission.RUN_INDEX)
    check_request(uncertainty=uncertainty, sobol=sobol)
    if not isinstance(framework, str) or not framework.strip():
        raise FrameworkError("give \"default\" or a framework's YAML text", field="framework")
    spec = framework_spec(framework, catalog=uow.catalog)
    period = _year(year)
    region_id = find_region(uow, text=region) if region else uow.actor.region_id
    row = IndexRun(status="queued", progress=0, region_id=region_id, created_by=uow.user, created_at=utcnow(),
                   params={"framework": framework, "name": spec.name, "year": period,
                           "uncertainty": uncertainty, "sobol": sobol, "region": region})
    uow.session.add(row)
    uow.session.flush()
    if runner is not None:
        runner.submit_after_commit(uow.session, row.id)
    return IndexRunRef(id=row.id)


def _year(year: int | str | None) -> int | str | None:
    if year is None or (isinstance(year, str) and not year.strip()):
        return None
    if isinstance(year, bool) or not isinstance(year, int | str) or len(str(year)) > 16:
        raise UserInputError(f"not a period: {year!r}", field="year")
    text = str(year).strip()
    return int(text) if text.isascii() and text.isdigit() else text


def get_run(uow: UnitOfWork, *, run_id: int) -> IndexRunStatus:
    """A run's status, progress and (once done) result; a run outside the actor's scope is not found."""
    uow.require(Permission.READ)
    row = uow.session.get(IndexRun, run_id) if isinstance(run_id, int) and 0 < run_id < 2**62 else None
    if row is None or not uow.in_scope(row.region_id):
        raise NotFoundError(f"index run {run_id} 不存在或不在您的权限范围内", field="run_id")
    result = IndexResult.model_validate(row.result) if row.result is not None else None
    return IndexRunStatus(**_summary(row).model_dump(), result=result)


def list_runs(uow: UnitOfWork, *, limit: int = 20) -> list[IndexRunSummary]:
    """The actor's visible runs, newest first, without their results."""
    uow.require(Permission.READ)
    q = select(IndexRun).order_by(IndexRun.id.desc()).limit(max(1, min(int(limit), MAX_LIST)))
    ids = uow.region_ids
    if ids is not None:
        q = q.where(IndexRun.region_id.in_(sorted(ids)))
    return [_summary(r) for r in uow.session.scalars(q)]


def _summary(row: IndexRun) -> IndexRunSummary:
    p = row.params or {}
    return IndexRunSummary(
        id=row.id, status=row.status, progress=row.progress or 0,  # type: ignore[arg-type]
        framework="default" if str(p.get("framework", "")).strip() == "default" else (p.get("name") or "custom"),
        year=p.get("year"), uncertainty=int(p.get("uncertainty") or 0), region=p.get("region"),
        created_by=row.created_by, created_at=row.created_at, finished_at=row.finished_at,
        error=_error(row.error))


def _error(text: str | None) -> RunError | None:
    if not text:
        return None
    m = _ERROR.fullmatch(text)
    return RunError(code=m.group(1), message=m.group(2)) if m else RunError(code="error", message=text)


# -- the worker side ----------------------------------------------------------------------------------------
_APPS: dict[tuple[Any, Any], AppLike] = {}  # one context per settings, per worker process


def _worker_app(factory: Callable[[Any], AppLike], settings: Any) -> AppLike:
    key = (factory, settings)
    if key not in _APPS:
        _APPS[key] = factory(settings)
    return _APPS[key]


class _Progress:
    """Writes a run's progress in its own short transactions, only when it moved by 5 points or more."""

    def __init__(self, app: AppLike, run_id: int) -> None:
        self.app, self.run_id, self.last = app, run_id, 0

    def __call__(self, pct: int) -> None:
        pct = max(0, min(99, int(pct)))
        if pct < self.last + 5:
            return
        self.last = pct
        with self.app.uow() as w:
            w.session.execute(update(IndexRun).where(IndexRun.id == self.run_id, IndexRun.status == "running")
                              .values(progress=pct))


def _finish(app: AppLike, run_id: int, *, result: dict[str, Any] | None = None, error: str | None = None) -> None:
    with app.uow() as w:
        w.session.execute(update(IndexRun).where(IndexRun.id == run_id, IndexRun.status.in_(("queued", "running")))
                          .values(status="failed" if error else "done", progress=100 if error is None else
                                  IndexRun.progress, result=result, error=error, finished_at=utcnow()))


def one_line(exc: BaseException) -> str:
    """``code: message`` on one line, as stored in ``error``; no traceback, no SQL."""
    if isinstance(exc, InnocityError):
        return f"{exc.code}: {exc.one_line()}"
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"internal: {type(exc).__name__}" + (f": {first}" if first else "")


def execute_run(factory: Callable[[Any], AppLike], settings: Any, run_id: int) -> str:
    """Run one queued run to its end (in a worker process); returns its final status, or ``skipped`` when
    another worker had already claimed it."""
    app = _worker_app(factory, settings)
    with app.uow() as w:
        claimed = w.session.execute(update(IndexRun).where(IndexRun.id == run_id, IndexRun.status == "queued")
                                    .values(status="running", progress=1))
        if not getattr(claimed, "rowcount", 0):
            return "skipped"
        row = w.session.get(IndexRun, run_id)
        assert row is not None
        params, region_id, by = dict(row.params or {}), row.region_id, row.created_by
    tell = _Progress(app, run_id)
    try:
        # the run's scope is the one recorded when it was queued, not whatever the worker could see
        actor = Actor(username=by, role=Role.EVALUATOR, region_id=region_id)
        with app.uow(actor) as w:
            spec = framework_spec(str(params.get("framework", "default")), catalog=w.catalog)
            rows = read_data_db(w, spec=spec, region_id=region_id)
        tell(10)
        result = run_index(spec=spec, data=rows, year=params.get("year"),
                           uncertainty=int(params.get("uncertainty") or 0), sobol=int(params.get("sobol") or 0),
                           progress=tell)
    except Exception as exc:  # every failure ends the run as failed with one line; the log keeps the rest
        if not isinstance(exc, InnocityError):
            log.exception("index run %s failed", run_id)
        _finish(app, run_id, error=one_line(exc))
        return "failed"
    _finish(app, run_id, result=result.json_dict())
    return "done"


# -- the runner (in the web process) ------------------------------------------------------------------------
class IndexRunner:
    """Executes queued runs in worker processes. One per process that serves requests:

        runner = IndexRunner(app)            # at start-up; app is the process's AppContext
        runner.recover()                     # runs left queued or running by a previous process
        ...
        runner.shutdown()                    # at exit
    """

    def __init__(self, app: AppLike, *, workers: int = 1, start_method: str | None = None) -> None:
        self.app = app
        self.settings = app.settings
        self.factory: Callable[[Any], AppLike] = type(app)
        methods = multiprocessing.get_all_start_methods()
        # never fork: the server's threads and open database connections must not be copied into workers
        method = start_method or ("forkserver" if "forkserver" in methods else "spawn")
        self._ctx = multiprocessing.get_context(method)
        self._workers = workers
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self._workers, mp_context=self._ctx)

    def submit(self, run_id: int) -> Future[str]:
        """Hand a queued run to a worker; the future's result is its final status."""
        with self._lock:
            try:
                fut = self._pool.submit(execute_run, self.factory, self.settings, run_id)
            except BrokenProcessPool:  # a worker died (out of memory?): start afresh
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()
                fut = self._pool.submit(execute_run, self.factory, self.settings, run_id)
        fut.add_done_callback(lambda f: self._done(run_id, f))
        return fut

    def submit_after_commit(self, session: Session, run_id: int) -> None:
        """Submit when ``session`` commits (a rolled-back request queues nothing)."""
        event.listen(session, "after_commit", lambda _s: self.submit(run_id), once=True)

    def _done(self, run_id: int, fut: Future[str]) -> None:
        exc = fut.exception() if not fut.cancelled() else None
        if exc is None and not fut.cancelled():
            return
        why = "internal: the worker process stopped before the run ended" if exc is None or isinstance(
            exc, BrokenProcessPool) else one_line(exc)
        try:
            _finish(self.app, run_id, error=why)
        except Exception:  # the database itself is gone: nothing more to record
            log.exception("cannot mark index run %s failed", run_id)

    def recover(self) -> list[int]:
        """Fail runs a previous process left running, and submit those left queued; returns the ids queued.

        Call once at start-up, from the one process that owns a runner for this database.
        """
        with self.app.uow() as w:
            w.session.execute(update(IndexRun).where(IndexRun.status == "running").values(
                status="failed", error="internal: the server stopped while the run was running",
                finished_at=utcnow()))
            queued = list(w.session.scalars(select(IndexRun.id).where(IndexRun.status == "queued")
                                            .order_by(IndexRun.id)))
        for run_id in queued:
            self.submit(run_id)
        return queued

    def shutdown(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)


_RUNNER: IndexRunner | None = None
_RUNNER_LOCK = threading.Lock()


def runner(app: AppLike, *, workers: int = 1) -> IndexRunner:
    """The process's runner, created on first use for ``app`` (later calls return the same one)."""
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is None:
            _RUNNER = IndexRunner(app, workers=workers)
        return _RUNNER


def shutdown_runner(*, wait: bool = True) -> None:
    """Stop the process's runner (at exit, or between tests)."""
    global _RUNNER
    with _RUNNER_LOCK:
        if _RUNNER is not None:
            _RUNNER.shutdown(wait=wait)
        _RUNNER = None
