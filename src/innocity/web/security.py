"""What protects every response and request: security headers, a request id, the body-size limit, the
session cookie and CSRF tokens.

- **Headers** (``SecurityMiddleware``). A Content-Security-Policy allowing scripts, styles, images and
  connections from this origin only (no inline script or style, no ``eval``, no frames), ``nosniff``,
  ``X-Frame-Options: DENY``, a ``Referrer-Policy`` and ``X-Request-ID`` (the id error logs carry).
- **Body limit** (same middleware). A request announcing a body over the limit is answered 413 before a
  byte of it is read; a chunked body is counted as it streams and cut off at the limit.
- **Session** (``set_session``). The session cookie is a token signed with the secret key (the account id
  and its password stamp, see ``services.users``), HttpOnly, SameSite=Lax, Secure with ``INNOCITY_HTTPS=1``.
- **CSRF** (``csrf_protect``). Every browser gets a random token in a signed HttpOnly cookie; pages put the
  same token in every form (``csrf_token``) and htmx sends it as ``X-CSRF-Token``. A state-changing page
  request (POST, PUT, PATCH, DELETE) without the matching token is refused. The API authenticates with a
  bearer token that a browser never sends on its own, so it needs no CSRF token.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import secrets
import uuid
from typing import Any

from itsdangerous import BadSignature, Signer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from innocity.errors import ForbiddenError

from .config import WebSettings

log = logging.getLogger("innocity.web")

SESSION_COOKIE = "innocity_session"
CSRF_COOKIE = "innocity_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


class CsrfError(ForbiddenError):
    code = "csrf_failed"


class TooLarge(Exception):
    """The request body passed the limit (raised from ``receive``; the middleware answers 413)."""


def too_large_response(path: str, limit_mb: str) -> Response:
    message = f"文件过大：上传上限为 {limit_mb} MB"
    if path.startswith("/api/"):
        body = {"error": {"code": "too_large", "message": message, "field": "file"}}
        return Response(json.dumps(body, ensure_ascii=False), status_code=413, media_type="application/json")
    return Response(f"<!doctype html><meta charset=utf-8><title>413</title><p>{message}</p>",
                    status_code=413, media_type="text/html")


class SecurityMiddleware:
    """Security headers, a request id and the body-size limit on every HTTP response (pure ASGI, so
    streamed responses and uploads pass through without being buffered)."""

    def __init__(self, app: ASGIApp, *, web: WebSettings, slack: int = 1_000_000) -> None:
        self.app = app
        self.web = web
        self.limit = web.max_upload_bytes + slack  # multipart boundaries and form fields around a file

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        request_id = state["request_id"] = uuid.uuid4().hex[:12]
        path: str = scope.get("path", "")
        length = _content_length(scope)
        if length is not None and length > self.limit:
            log.info("request %s: body of %d bytes refused (limit %d)", request_id, length, self.limit)
            await self._reply(too_large_response(path, self.web.max_upload_mb), scope, receive, send, request_id)
            return
        seen = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise TooLarge
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a cut-off body is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                _add_headers(headers, request_id, state)
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except TooLarge:
            exceeded = True
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await self._reply(too_large_response(path, self.web.max_upload_mb), scope, receive, send, request_id)

    async def _reply(self, response: Response, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_headers(MutableHeaders(scope=message), request_id, {})
            await send(message)

        await response(scope, receive, send_with_headers)


def _add_headers(headers: MutableHeaders, request_id: str, state: dict[str, Any]) -> None:
    for name, value in HEADERS.items():
        if name not in headers:
            headers[name] = value
    headers["x-request-id"] = request_id
    cookie = state.get("set_csrf_cookie")
    if cookie:
        headers.append("set-cookie", cookie)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# ---------------------------------------------------------------------- cookies


def _cookie(name: str, value: str, *, web: WebSettings, max_age: int | None) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if web.https:
        parts.append("Secure")
    return "; ".join(parts)


def set_session(response: Response, token: str, *, web: WebSettings, max_age: int) -> None:
    response.headers.append("set-cookie", _cookie(SESSION_COOKIE, token, web=web, max_age=max_age))


def clear_session(response: Response, *, web: WebSettings) -> None:
    response.headers.append("set-cookie", _cookie(SESSION_COOKIE, "", web=web, max_age=0))


# ---------------------------------------------------------------------- CSRF


def _signer(web: WebSettings) -> Signer:
    return Signer(web.secret_key, salt="innocity.csrf")


def csrf_token(request: Request) -> str:
    """This browser's CSRF token as a page embeds it (forms, the htmx header); a new secret is made and set
    as a cookie when the browser has none or a forged one.

    The secret is masked with a fresh random pad on every page (BREACH: a compressed page that also
    reflects user input must not repeat the same secret byte for byte)."""
    secret = getattr(request.state, "csrf_secret", None)
    if not secret:
        secret = _cookie_token(request, request.app.state.web) or new_csrf_token(request, masked=False)
        request.state.csrf_secret = secret
    return _mask(str(secret))


def new_csrf_token(request: Request, *, masked: bool = True) -> str:
    """Replace the browser's CSRF secret (at sign-in and sign-out, so a token seen before is worthless)."""
    web: WebSettings = request.app.state.web
    secret = secrets.token_urlsafe(32)
    signed = _signer(web).sign(secret).decode("ascii")
    request.state.csrf_secret = secret
    request.state.set_csrf_cookie = _cookie(CSRF_COOKIE, signed, web=web, max_age=None)
    return _mask(secret) if masked else secret


def _mask(secret: str) -> str:
    raw = secret.encode("ascii")
    pad = secrets.token_bytes(len(raw))
    return base64.urlsafe_b64encode(pad + bytes(a ^ b for a, b in zip(raw, pad, strict=True))).decode("ascii")


def _unmask(token: str) -> str | None:
    try:
        data = base64.urlsafe_b64decode(token.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    half = len(data) // 2
    if not data or len(data) % 2:
        return None
    pad, masked = data[:half], data[half:]
    try:
        return bytes(a ^ b for a, b in zip(masked, pad, strict=True)).decode("ascii")
    except UnicodeDecodeError:
        return None


def _cookie_token(request: Request, web: WebSettings) -> str | None:
    raw = request.cookies.get(CSRF_COOKIE)
    if not raw:
        return None
    try:
        return _signer(web).unsign(raw).decode("ascii")
    except BadSignature:
        return None


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing page request without this browser's CSRF token (header or form field)."""
    if request.method in SAFE_METHODS:
        return
    expected = _cookie_token(request, request.app.state.web)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    secret = _unmask(sent) if sent else None
    if not expected or not secret or not hmac.compare_digest(expected, secret):
        raise CsrfError("页面已过期或请求来源不明（CSRF 校验失败），请刷新页面后重试", field=CSRF_FIELD)
