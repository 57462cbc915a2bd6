"""``/plans``: the list of plans in scope, and uploading plan files.

With JavaScript each chosen or dropped file is sent on its own to ``POST /plans/upload`` and shows its own
progress and result; without it the form sends them all to ``POST /plans``. Either way every file is
ingested in its own unit of work, so an unreadable file says why and the others still go in, and the same
bytes again point to the plan already stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import Field
from starlette.responses import Response

from innocity.app import AppContext
from innocity.errors import ConflictError, ForbiddenError, NoPlanFoundError, StorageError, UserInputError
from innocity.services import ingest, plans
from innocity.services.context import Actor
from innocity.services.models import Model
from innocity.services.users import actor_of

from ..deps import AppDep, PageUowDep, PageUser, WebDep
from ..errors import PayloadTooLarge
from ..templating import render
from ..uploads import ACCEPT, check_type, read_limited

router = APIRouter()

STATUS_ZH = {
    "stored": "已导入",
    "new-version": "已导入为已有方案的新版本",
    "unchanged": "此文件已上传过，指向已有方案",
    "failed": "未导入",
    "no-plan": "未找到方案",
    "too-large": "文件过大",
}


class UploadedLink(Model):
    id: int
    title: str | None = None
    region: str | None = None
    targets: int = 0
    url: str


class FileResult(Model):
    """One uploaded file's outcome, as the upload list shows it."""

    name: str
    status: str  # stored | new-version | unchanged | failed | no-plan | too-large
    ok: bool
    label: str
    message: str | None = None
    plans: list[UploadedLink] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


def ingest_upload(app: AppContext, actor: Actor, file: UploadFile, limit: int) -> FileResult:
    """Read, check and ingest one uploaded file in its own unit of work; a failure is a result, not an
    error, so the other files of the same upload are not affected."""
    name = (file.filename or "upload").rsplit("/", 1)[-1][:200]
    try:
        data = read_limited(file, limit)
        check_type(data, name)
        with app.uow(actor) as w:
            r = ingest.ingest_bytes(w, data=data, name=name)
    except PayloadTooLarge as exc:
        return FileResult(name=name, status="too-large", ok=False, label=STATUS_ZH["too-large"], message=exc.message)
    except (UserInputError, NoPlanFoundError, ForbiddenError, ConflictError, StorageError) as exc:
        status = "no-plan" if isinstance(exc, NoPlanFoundError) else "failed"
        message = "文件中没有找到创新型城市建设方案" if status == "no-plan" else " ".join(exc.message.split())
        return FileResult(name=name, status=status, ok=False, label=STATUS_ZH[status], message=message)
    links = [UploadedLink(id=p.id, title=p.title, region=p.region, targets=p.targets, url=f"/plans/{p.id}")
             for p in r.plans]
    return FileResult(name=name, status=r.status, ok=True, label=STATUS_ZH.get(r.status, r.status),
                      plans=links, warnings=r.warnings)


def _list(request: Request, w: PageUowDep, results: list[FileResult] | None = None) -> Response:
    return render(request, "plans/list.html", {
        "plans": plans.list_plans(w), "results": results or [], "accept": ACCEPT,
    })


@router.get("/plans")
def plans_page(request: Request, user: PageUser, w: PageUowDep) -> Response:
    return _list(request, w)


@router.post("/plans")
def upload_many(
    request: Request,
    user: PageUser,
    app: AppDep,
    web: WebDep,
    files: Annotated[list[UploadFile], File()],
) -> Response:
    """The form without JavaScript: every file in turn, then the list with each file's result."""
    actor = actor_of(user)
    results = [ingest_upload(app, actor, f, web.max_upload_bytes) for f in files if f.filename]
    with app.uow(actor) as w:
        return _list(request, w, results)


@router.post("/plans/upload")
def upload_one(
    user: PageUser, app: AppDep, web: WebDep, file: Annotated[UploadFile, File()]
) -> JSONResponse:
    """One file from the upload page's script: its result as JSON (413 when it is over the limit; a file
    that cannot be read is a result with its reason, not an error of the request)."""
    result = ingest_upload(app, actor_of(user), file, web.max_upload_bytes)
    status = 413 if result.status == "too-large" else (201 if result.status in ("stored", "new-version") else 200)
    return JSONResponse(result.model_dump(mode="json"), status_code=status)
