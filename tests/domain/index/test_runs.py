"""Index runs in the background (issue 11): queued by a request, executed in a real worker process on a real
SQLite file, polled until done or failed; validation before queueing, scope, recovery after a restart."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator

import numpy as np
import pytest
from index_db import add_values, region_id
from sqlalchemy import func, select

from innocity.app import AppContext
from innocity.errors import ForbiddenError, FrameworkError, NotFoundError, UserInputError
from innocity.services import index as service
from innocity.services.context import Actor, Role
from innocity.services.index_runs import IndexRunner, get_run, list_runs, start_run
from innocity.services.models.index import IndexRunStatus
from innocity.storage.index_runs import IndexRun

HUNAN = ("长沙市", "株洲市", "湘潭市", "衡阳市", "岳阳市", "常德市", "益阳市", "郴州市")
CODES = ("TEC01", "TEC04", "GOV01", "DRV03", "ORI01")


def _simulated(app: AppContext) -> None:
    """SIMULATED figures (not real statistics) for eight Hunan cities and one city of Qinghai, 2013–2014."""
    rng = np.random.default_rng(11)
    add_values(app, [(city, code, year, round(float(rng.lognormal(1, 0.4)), 3))
                     for city in (*HUNAN, "西宁市") for code in CODES for year in (2013, 2014)])


@pytest.fixture
def runner(app: AppContext) -> Iterator[IndexRunner]:
    r = IndexRunner(app)
    yield r
    r.shutdown()


def _wait(app: AppContext, run_id: int, actor: Actor | None = None, timeout: float = 120) -> IndexRunStatus:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.uow(actor) as w:
            st = get_run(w, run_id=run_id)
        seen.append(st.progress)
        if st.status in ("done", "failed"):
            assert seen == sorted(seen)  # progress never goes back
            return st
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} still {st.status} after {timeout} s")


def test_a_run_goes_through_a_worker_process_to_its_result(app: AppContext, runner: IndexRunner) -> None:
    _simulated(app)
    with app.uow() as w:
        ref = start_run(w, framework="default", year=2014, uncertainty=300, runner=runner)
        assert get_run(w, run_id=ref.id).status == "queued"  # nothing runs before the request commits
    done = _wait(app, ref.id)
    assert done.status == "done" and done.error is None and done.progress == 100, done.error
    assert done.finished_at is not None and done.framework == "default" and done.uncertainty == 300
    result = done.result
    assert result is not None and result.period == 2014 and result.replications == 300
    assert {u.unit for u in result.units} == {*HUNAN, "西宁市"}
    assert all(u.rank_interval is not None and u.rank_interval[0] <= u.rank <= u.rank_interval[1]
               for u in result.units)
    # the same numbers as a run in this process
    with app.uow() as w:
        here = service.run_from_db(w, year=2014)
    assert [(u.unit, u.rank, u.score) for u in result.units] == [(u.unit, u.rank, u.score) for u in here.units]
    assert {d.code for d in result.dropped_indicators} == {d.code for d in here.dropped_indicators}


def test_a_run_with_sobol_samples_returns_the_sensitivity_indices(app: AppContext, runner: IndexRunner) -> None:
    _simulated(app)
    with app.uow() as w:
        ref = start_run(w, framework="default", year=2014, uncertainty=50, sobol=30, runner=runner)
    done = _wait(app, ref.id)
    assert done.status == "done", done.error
    assert done.result is not None and done.result.sensitivity
    # Jansen's total-effect estimator is a mean of squares (never negative) but not bounded by 1 at 30 samples
    assert {s.factor for s in done.result.sensitivity}
    assert all(math.isfinite(s.total) and s.total >= 0 for s in done.result.sensitivity)


def test_progress_reaches_the_checkpoints_in_order() -> None:
    from innocity.catalog import load_catalog
    from innocity.services.index_data import LongRows

    rng = np.random.default_rng(3)
    rows = [(f"U{u}", c, 2024, float(rng.lognormal())) for u in range(30) for c in CODES]
    seen: list[int] = []
    service.run_index(spec=service.default_framework(load_catalog()), data=LongRows(rows, source="t"),
                      uncertainty=2000, sobol=64, progress=seen.append)
    assert seen[:2] == [10, 25] and seen == sorted(seen) and seen[-1] >= 90 and len(seen) > 5


@pytest.mark.parametrize(("framework", "kw", "field"), [
    ("tree: [{code: A", {}, "framework"),
    ("tree: [{code: G, children: [{code: TEC01, weight: .inf}]}]", {}, "framework"),
    ("", {}, "framework"),
    ("default", {"uncertainty": 10_000_000}, "uncertainty"),
    ("default", {"uncertainty": -5}, "uncertainty"),
    ("default", {"region": "火星市"}, "region"),
    ("default", {"year": ["2014"]}, "year"),
])
def test_bad_requests_are_refused_before_anything_is_queued(app: AppContext, framework: str,
                                                            kw: dict[str, object], field: str) -> None:
    with app.uow() as w, pytest.raises((FrameworkError, UserInputError)) as err:
        start_run(w, framework=framework, **kw)  # type: ignore[arg-type]
    assert err.value.field == field and err.value.source is None
    with app.uow() as w:
        assert w.session.scalar(select(func.count()).select_from(IndexRun)) == 0


def test_a_run_that_fails_says_why_in_one_line(app: AppContext, runner: IndexRunner) -> None:
    with app.uow() as w:  # a valid framework, but nothing stored for it
        ref = start_run(w, framework="tree: [{code: G, children: [{code: TRA01}, {code: TRA02}]}]\n",
                        uncertainty=10, runner=runner)
    failed = _wait(app, ref.id)
    assert failed.status == "failed" and failed.result is None and failed.error is not None
    assert failed.error.code == "invalid" and "no approved annual observations" in failed.error.message
    assert "\n" not in failed.error.message and "Traceback" not in failed.error.message


def test_runs_belong_to_the_scope_they_were_started_in(app: AppContext, runner: IndexRunner) -> None:
    _simulated(app)
    hunan = Actor("湖南评估", Role.EVALUATOR, region_id=region_id(app, "湖南省"))
    qinghai = Actor("青海评估", Role.EVALUATOR, region_id=region_id(app, "青海省"))
    with app.uow(hunan) as w:
        ref = start_run(w, framework="default", uncertainty=50, runner=runner)
    done = _wait(app, ref.id, hunan)
    assert done.result is not None and {u.unit for u in done.result.units} == set(HUNAN)  # no 西宁市
    with app.uow(qinghai) as w:
        with pytest.raises(NotFoundError):
            get_run(w, run_id=ref.id)
        assert list_runs(w) == []
    with app.uow() as w:  # the shell user sees every run
        assert [r.id for r in list_runs(w)] == [ref.id]
    with app.uow(Actor("科技局", Role.DEPARTMENT, region_id=region_id(app, "长沙市"))) as w:
        with pytest.raises(ForbiddenError):
            start_run(w, framework="default")


def test_queued_runs_survive_a_restart_and_a_rolled_back_request_queues_nothing(
        app: AppContext, runner: IndexRunner) -> None:
    _simulated(app)
    with app.uow() as w:  # queued while no runner was listening (the server stopped)
        ref = start_run(w, framework="default", uncertainty=20)
        stale = start_run(w, framework="default", uncertainty=20)
    with app.uow() as w:
        w.session.get(IndexRun, stale.id).status = "running"  # type: ignore[union-attr]
    with pytest.raises(RuntimeError), app.uow() as w:
        start_run(w, framework="default", uncertainty=20, runner=runner)
        raise RuntimeError("the request failed after queueing")
    assert runner.recover() == [ref.id]
    assert _wait(app, ref.id).status == "done"
    with app.uow() as w:
        left = get_run(w, run_id=stale.id)
        assert left.status == "failed" and left.error is not None and left.error.code == "internal"
        assert [r.id for r in list_runs(w)] == [stale.id, ref.id]
