"""Errors to HTTP answers, in one place (as ``innocity.cli.main`` maps them to exit codes).

API requests (``/api/…``) get ``{"error": {"code", "message", "field"}}`` (plus ``"rows"`` for a validation
error) with the status of ``STATUS``; pages get the same message on an error page, and a page request that
is not signed in is sent to ``/login``. Nothing a user sees ever holds a traceback, a file path or SQL:
an unexpected error answers 500 with a request id, and the traceback goes to the server log under it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from markupsafe import escape
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innocity.errors import (
    AuthenticationError,
    ConflictError,
    DataValidationError,
    ForbiddenError,
    InnocityError,
    LockedOutError,
    NoPlanFoundError,
    NotFoundError,
    StorageError,
    UserInputError,
)

from .security import TooLarge

log = logging.getLogger("innocity.web")


class MalformedRequest(UserInputError):
    """A request that cannot be read at all (not JSON, not a form): 400."""

    code = "malformed_request"


class UnsupportedMediaType(UserInputError):
    """An upload that is not a document we read (an image, a spreadsheet, an archive): 415."""

    code = "unsupported_media_type"


class PayloadTooLarge(UserInputError):
    code = "too_large"


class LoginRequired(Exception):
    """A page asked for without a valid session: redirect to the sign-in form."""


# Most specific first: the first class an error is an instance of decides its status.
STATUS: list[tuple[type[InnocityError], int]] = [
    (MalformedRequest, 400),
    (UnsupportedMediaType, 415),
    (PayloadTooLarge, 413),
    (DataValidationError, 422),
    (NotFoundError, 404),
    (UserInputError, 422),
    (NoPlanFoundError, 422),
    (ConflictError, 409),
    (LockedOutError, 429),
    (AuthenticationError, 401),
    (ForbiddenError, 403),
    (StorageError, 503),
]

HTTP_CODES = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "locked_out",
}


# What happened and what to do, in Chinese, by error code: pages and htmx notices show it above the service's
# own message (which names the record or field, and may be in English: it is the API's and the CLI's too).
HINTS = {
    "not_found": "要找的记录不存在，或不在您账户的权限范围内。",
    "no_plan": "文件已读取，但其中没有识别出实施方案的内容。",
    "forbidden": "您的角色无权进行此项操作，如需办理请联系创新办管理员。",
    "conflict": "该记录已被他人修改，请刷新页面后再试。",
    "invalid": "提交的内容有误，请按说明修改后重试。",
    "validation_failed": "数据未通过校验，未保存任何内容。",
    "unreadable_document": "文件无法读取：请上传 .txt、.html、.docx 或文字版 .pdf 文件。",
    "unsupported_media_type": "不支持该文件类型：请上传 .txt、.html、.docx 或文字版 .pdf 文件。",
    "too_large": "文件超过大小上限，请压缩或拆分后再上传。",
    "locked_out": "连续登录失败次数过多，账户已暂时锁定，请15分钟后再试。",
    "storage_unavailable": "数据库暂时不可用，请稍后再试或联系管理员。",
    "malformed_request": "请求格式有误。",
    "method_not_allowed": "不支持该请求方法。",
    "internal_error": "服务器处理时出错，已记录日志。",
}


def status_of(exc: InnocityError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_body(exc: InnocityError) -> dict[str, Any]:
    """The API's error body for one of our errors."""
    err: dict[str, Any] = {"code": exc.code, "message": " ".join(exc.message.split()), "field": exc.field}
    if isinstance(exc, DataValidationError):
        err["rows"] = [{"row": p.row, "field": p.field, "reason": p.reason} for p in exc.problems]
    return {"error": err}


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def wants_fragment(request: Request) -> bool:
    """An htmx request: answer with a fragment (or an HX-Redirect), not a whole page."""
    return request.headers.get("hx-request") == "true"


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = "/login" if target in ("/", "/login") else f"/login?next={quote(target, safe='')}"
    if wants_fragment(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _page(request: Request, status: int, message: str, code: str) -> Response:
    from .templating import render

    try:
        return render(request, "error.html", {"status": status, "message": message, "code": code,
                                              "hint": HINTS.get(code), "request_id": request_id(request)},
                      status_code=status)
    except Exception:  # the error page itself failed (no database for the label …): plain text
        log.exception("request %s: the error page failed", request_id(request))
        return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{escape(message)}</p>", status_code=status)


def _answer(request: Request, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
            ) -> Response:
    if is_api(request):
        return JSONResponse(body, status_code=status, headers=headers)
    err = body["error"]
    if wants_fragment(request):
        # htmx swaps only 2xx answers; the message goes to the page's notice area instead of the target
        hint = HINTS.get(err["code"])
        text = err["message"] if not hint or hint == err["message"] else f"{hint}（{err['message']}）"
        return HTMLResponse(f'<p class="flash-msg error" role="alert">{escape(text)}</p>',
                            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return _page(request, status, err["message"], err["code"])


async def innocity_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, InnocityError)
    if isinstance(exc, AuthenticationError) and not isinstance(exc, LockedOutError) and not is_api(request):
        return login_redirect(request)
    status = status_of(exc)
    log.info("request %s: %s %s -> %d %s", request_id(request), request.method, request.url.path, status,
             exc.code)
    headers: dict[str, str] = {}
    if isinstance(exc, AuthenticationError):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, LockedOutError):
        headers["Retry-After"] = "900"
    if status == 500:
        return await unexpected_error(request, exc)
    return _answer(request, status, error_body(exc), headers)


async def login_required(request: Request, exc: Exception) -> Response:
    return login_redirect(request)


async def validation_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own request validation: unreadable JSON is 400, values of the wrong shape 422."""
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {}
    malformed = any(e.get("type") in ("json_invalid", "model_attributes_type") for e in errors)
    loc = [str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path", "form", "header")]
    field = ".".join(loc) or None
    msg = str(first.get("msg", "invalid request"))
    err = (MalformedRequest if malformed else UserInputError)(f"{field}: {msg}" if field else msg, field=field)
    return _answer(request, 400 if malformed else 422, error_body(err))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = HTTP_CODES.get(status, "http_error")
    messages = {404: "页面或资源不存在", 405: "不支持该请求方法"}
    message = messages.get(status) or (exc.detail if isinstance(exc.detail, str) else "请求无法处理")
    body = {"error": {"code": code, "message": message, "field": None}}
    return _answer(request, status, body, dict(exc.headers or {}))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    rid = request_id(request)
    log.error("request %s: %s %s failed", rid, request.method, request.url.path, exc_info=exc)
    message = f"服务器内部错误，请稍后再试（请求编号 {rid}）"
    body = {"error": {"code": "internal_error", "message": message, "field": None}}
    return _answer(request, 500, body)


async def model_error(request: Request, exc: Exception) -> Response:
    """A service refusing values through its pydantic models (a field out of range): 422 like ours."""
    assert isinstance(exc, ValidationError)
    errors = exc.errors()
    loc = errors[0]["loc"] if errors else ()
    field = ".".join(str(x) for x in loc) or None
    msg = str(errors[0]["msg"]) if errors else "invalid value"
    return _answer(request, 422, error_body(UserInputError(f"{field}: {msg}" if field else msg, field=field)))


class CatchAll:
    """The last resort for an error nothing else handled: a 500 answer with the request id, the traceback
    in the log. A middleware inside the security one (so the answer carries the usual headers), not an
    exception handler, which Starlette would call outside every middleware."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except TooLarge:
            raise  # the security middleware answers 413
        except Exception as exc:
            if started:
                raise
            response = await unexpected_error(Request(scope, receive), exc)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Register every handler on ``app`` (and ``CatchAll`` as a middleware, see ``create_app``)."""
    app.add_exception_handler(InnocityError, innocity_error)
    app.add_exception_handler(ValidationError, model_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
