"""``/index``: the composite innovation index of the regions in the caller's scope.

Choose the framework (the catalogue's default five dimensions, or an uploaded YAML file), a year and the
uncertainty replications (default 200), and run: the run is queued and executed by worker processes
(``services.index_runs``), so a long run blocks nobody; its page shows the progress (htmx polls a small
fragment) and, once done, the ranking with rank intervals (a dot per rank with a 5–95 % whisker), the
weights, the Sobol indices when the run computed them, the indicators and units left out with the
reasons, and CSV/XLSX downloads. The charts (``static/js/index.js``) are drawn from
``/index/runs/{id}.json``, the same result ``GET /api/v1/index/runs/{id}`` answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from innocity.errors import InnocityError, UserInputError
from innocity.services import index_runs
from innocity.services.context import UnitOfWork
from innocity.services.index_files import MAX_FRAMEWORK_BYTES, decode
from innocity.services.models.index import IndexRunStatus

from ..api.index import runner
from ..api.templates import XLSX
from ..deps import AppDep, PageUowDep, PageUser
from ..templating import render
from ..uploads import read_limited
from . import vocab  # noqa: F401  (the templates' words)
from .formdata import integer

router = APIRouter()
DEFAULT_UNCERTAINTY = 200


def index_page(request: Request, w: UnitOfWork, *, error: str | None = None, form: dict[str, str] | None = None) -> Response:
    return render(request, "index/start.html", {
        "runs": index_runs.list_runs(w, limit=20), "error": error,
        "form": form or {"year": "", "uncertainty": str(DEFAULT_UNCERTAINTY)},
    })


SOBOL_SAMPLES = 100  # the page's runs also compute the Sobol indices drawn as bars (100 × (factors + 2) runs)


@router.get("/index")
def index(request: Request, user: PageUser, w: PageUowDep) -> Response:
    return index_page(request, w)


@router.post("/index/runs")
def start(request: Request, user: PageUser, w: PageUowDep, app: AppDep,
          framework: Annotated[str, Form(max_length=16)] = "default",
          year: Annotated[str | None, Form(max_length=16)] = None,
          uncertainty: Annotated[str | None, Form(max_length=8)] = None,
          file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Queue a run and go to its page."""
    keep = {"year": year or "", "uncertainty": uncertainty or ""}
    try:
        n = integer(uncertainty, field="uncertainty")
        text = "default"
        if framework == "upload":
            if file is None or not file.filename:
                raise UserInputError("请选择框架文件（YAML）", field="file")
            text = decode(read_limited(file, MAX_FRAMEWORK_BYTES), source=file.filename)
        ref = index_runs.start_run(w, framework=text, year=(year or "").strip() or None,
                                   uncertainty=DEFAULT_UNCERTAINTY if n is None else n,
                                   sobol=SOBOL_SAMPLES, runner=runner(app))
    except InnocityError as exc:
        w.session.rollback()
        return index_page(request, w, error=exc.one_line(), form=keep)
    return RedirectResponse(f"/index/runs/{ref.id}", status_code=303)


def _names(w: UnitOfWork) -> dict[str, str]:
    return {i.code: i.name_zh for i in w.catalog.indicators}


@router.get("/index/runs/{run_id:int}")
def run_page(request: Request, run_id: int, user: PageUser, w: PageUowDep) -> Response:
    run = index_runs.get_run(w, run_id=run_id)
    names = _names(w)
    used = {c: names.get(c, c) for c in (run.result.weights if run.result else {})}
    return render(request, "index/run.html", {"run": run, "r": run.result, "names": names, "names_used": used})


@router.get("/index/runs/{run_id:int}/status")
def run_status(request: Request, run_id: int, user: PageUser, w: PageUowDep) -> Response:
    """The progress fragment the run page polls; a finished run asks the page to reload itself."""
    run = index_runs.get_run(w, run_id=run_id)
    headers = {"HX-Refresh": "true"} if run.status in ("done", "failed") else None
    return render(request, "index/_status.html", {"run": run}, headers=headers)


@router.get("/index/runs/{run_id:int}.json", response_model=IndexRunStatus)
def run_json(run_id: int, user: PageUser, w: PageUowDep) -> IndexRunStatus:
    return index_runs.get_run(w, run_id=run_id)


def _result(w: UnitOfWork, run_id: int) -> IndexRunStatus:
    run = index_runs.get_run(w, run_id=run_id)
    if run.result is None:
        raise UserInputError(f"指数运行 {run_id} 尚无结果（{run.status}）", field="run_id")
    return run


@router.get("/index/runs/{run_id:int}/result.csv")
def result_csv(run_id: int, user: PageUser, w: PageUowDep) -> Response:
    run = _result(w, run_id)
    assert run.result is not None
    return Response(index_runs.result_csv(run.result), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="index-run-{run_id}.csv"'})


@router.get("/index/runs/{run_id:int}/result.xlsx")
def result_xlsx(run_id: int, user: PageUser, w: PageUowDep) -> Response:
    run = _result(w, run_id)
    assert run.result is not None
    return Response(index_runs.result_xlsx(run.result), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="index-run-{run_id}.xlsx"'})



