"""Typed dependencies, written once (``Annotated[..., Depends()]``), that every router uses.

- ``AppDep``: the process's ``AppContext``; ``WebDep``: the web settings.
- ``ApiUser`` / ``UowDep``: the API's caller, from ``Authorization: Bearer <token>`` (401 without one), and
  a unit of work acting as them: one transaction per request, committed when the handler returns (before
  the response is sent, so a failed commit is an error answer, not a lost write) and rolled back on error.
- ``PageUser`` / ``PageUowDep``: the same for pages, from the session cookie; signed out, a page request is
  redirected to ``/login``.

Handlers parse, call one service with the unit of work and render; who may do what is decided by the
service, never here.

Speed: every request is authenticated, so a verified token is kept (``web.cache.SIGNED``) under the store's
writes stamp: every change to an account (created, disabled, password reset) is audited, which moves the
stamp, so the next request verifies the token again. The token's signature and age are checked on every
request all the same. The unit of work authenticates its caller itself (once per request, shared with
``ApiUser``/``PageUser``), and the dependencies that only read ``app.state`` are ``async``: each ``def``
dependency is a hop to the thread pool and back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from innocity.app import AppContext
from innocity.errors import AuthenticationError
from innocity.services import freshness, users
from innocity.services.context import UnitOfWork
from innocity.services.models.users import SignedIn

from .cache import SIGNED
from .config import WebSettings
from .errors import LoginRequired
from .security import SESSION_COOKIE


async def get_ctx(request: Request) -> AppContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


async def get_web(request: Request) -> WebSettings:
    return request.app.state.web  # type: ignore[no-any-return]


AppDep = Annotated[AppContext, Depends(get_ctx)]
WebDep = Annotated[WebSettings, Depends(get_web)]

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def verified(app: AppContext, web: WebSettings, token: str, *, max_age: int, purpose: str) -> SignedIn:
    """The account of a token (``users.verify_token``), kept while the store's writes stamp holds."""
    users.read_token(token, secret_key=web.secret_key, max_age=max_age, purpose=purpose)  # genuine, not expired
    with app.uow(users.ANONYMOUS) as w:
        key = (token, purpose, freshness.writes_stamp(w))
        signed = SIGNED.get(key)
        if signed is None:
            signed = users.verify_token(w, token=token, secret_key=web.secret_key, max_age=max_age,
                                        purpose=purpose)
            SIGNED.put(key, signed)
    return signed


def _api_signed(request: Request, app: AppContext, web: WebSettings, token: str | None) -> SignedIn:
    signed: SignedIn | None = getattr(request.state, "user", None)
    if signed is None:
        if not token:
            raise AuthenticationError("需要登录：请在 Authorization 头中提供 Bearer 令牌（POST /api/v1/auth/token 获取）")
        signed = verified(app, web, token, max_age=users.TOKEN_SECONDS, purpose="api")
        request.state.user = signed
    return signed


def api_user(
    request: Request, app: AppDep, web: WebDep, token: Annotated[str | None, Depends(bearer)]
) -> SignedIn:
    """The account of the bearer token; 401 without a valid one."""
    return _api_signed(request, app, web, token)


ApiUser = Annotated[SignedIn, Depends(api_user)]


def api_uow(
    request: Request, app: AppDep, web: WebDep, token: Annotated[str | None, Depends(bearer)]
) -> Iterator[UnitOfWork]:
    with app.uow(users.actor_of(_api_signed(request, app, web, token))) as w:
        yield w


UowDep = Annotated[UnitOfWork, Depends(api_uow, scope="function")]


def session_user(request: Request, app: AppContext, web: WebSettings) -> SignedIn | None:
    """The account of the session cookie, or None (no cookie, forged, expired, revoked)."""
    signed: SignedIn | None = getattr(request.state, "user", None)
    if signed is not None:
        return signed
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        signed = verified(app, web, cookie, max_age=users.SESSION_SECONDS, purpose="session")
    except AuthenticationError:
        return None
    request.state.user = signed
    return signed


def _page_signed(request: Request, app: AppContext, web: WebSettings) -> SignedIn:
    signed = session_user(request, app, web)
    if signed is None:
        raise LoginRequired
    return signed


def page_user(request: Request, app: AppDep, web: WebDep) -> SignedIn:
    """The signed-in account of a page request; signed out, the page redirects to ``/login``."""
    return _page_signed(request, app, web)


PageUser = Annotated[SignedIn, Depends(page_user)]


def page_uow(request: Request, app: AppDep, web: WebDep) -> Iterator[UnitOfWork]:
    with app.uow(users.actor_of(_page_signed(request, app, web))) as w:
        yield w


PageUowDep = Annotated[UnitOfWork, Depends(page_uow, scope="function")]
