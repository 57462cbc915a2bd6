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
request all the same (a signature found good before is remembered: ``users.read_token``). The request's
one unit of work authenticates its caller in its own transaction and then acts as them; ``ApiUser`` and
``PageUser`` read the result, and they and the dependencies that only read ``app.state`` are ``async``:
each ``def`` dependency is a hop to the thread pool and back. A GET reads the writes stamp once, at the
start, and every kept read of the request uses it (``UnitOfWork.writes``); its transaction is opened and
ended on the event loop, a write's in the thread pool (``_acting``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

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


SAFE_METHODS = frozenset({"GET", "HEAD"})


def authenticate(w: UnitOfWork, web: WebSettings, token: str, *, max_age: int, purpose: str) -> SignedIn:
    """The account of a token (``users.verify_token``), kept while the store's writes stamp holds."""
    users.read_token(token, secret_key=web.secret_key, max_age=max_age, purpose=purpose)  # genuine, not expired
    key = (token, purpose, freshness.writes_stamp(w))
    signed = SIGNED.get(key)
    if signed is None:
        signed = users.verify_token(w, token=token, secret_key=web.secret_key, max_age=max_age, purpose=purpose)
        SIGNED.put(key, signed)
    return signed


def verified(app: AppContext, web: WebSettings, token: str, *, max_age: int, purpose: str) -> SignedIn:
    """``authenticate`` in a transaction of its own (for a page that works signed in or out)."""
    with app.uow(users.ANONYMOUS) as w:
        return authenticate(w, web, token, max_age=max_age, purpose=purpose)


@asynccontextmanager
async def _acting(
    request: Request, app: AppContext, signed_in: Callable[[UnitOfWork], SignedIn]
) -> AsyncIterator[UnitOfWork]:
    """The request's one unit of work: its caller is authenticated in it (``signed_in``), then it acts as
    them; committed when the handler returns, rolled back if it raises.

    A GET or HEAD does not write, so the writes stamp read while authenticating stands for the whole
    request (``UnitOfWork.writes``), and its transaction is opened and ended on the event loop: one indexed
    read and a kept authentication take a fraction of a millisecond, less than the two hops to the thread
    pool and back they would otherwise take (those hops were 8 % of the server's CPU under bench_web,
    measured with py-spy). The handler itself still runs in the thread pool. A write's transaction is
    opened, authenticated and committed in the thread pool, as FastAPI runs a plain generator: its commit
    may wait on the disk or the database server."""
    if request.method in SAFE_METHODS:
        with app.uow(users.ANONYMOUS) as w:
            w.writes = freshness.writes_stamp(w)
            _act(request, w, signed_in)
            yield w
        return
    work = app.uow(users.ANONYMOUS)
    w = await run_in_threadpool(work.__enter__)
    try:
        await run_in_threadpool(_act, request, w, signed_in)
        yield w
    except BaseException as exc:
        if not await run_in_threadpool(work.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await run_in_threadpool(work.__exit__, None, None, None)


def _act(request: Request, w: UnitOfWork, signed_in: Callable[[UnitOfWork], SignedIn]) -> None:
    signed = request.state.user = signed_in(w)
    w.act_as(users.actor_of(signed))


def _bearer_signed(web: WebSettings, token: str | None) -> Callable[[UnitOfWork], SignedIn]:
    def signed_in(w: UnitOfWork) -> SignedIn:
        if not token:
            raise AuthenticationError("需要登录：请在 Authorization 头中提供 Bearer 令牌（POST /api/v1/auth/token 获取）")
        return authenticate(w, web, token, max_age=users.TOKEN_SECONDS, purpose="api")

    return signed_in


async def api_uow(
    request: Request, app: AppDep, web: WebDep, token: Annotated[str | None, Depends(bearer)]
) -> AsyncIterator[UnitOfWork]:
    """The API caller's unit of work; 401 without a valid bearer token."""
    async with _acting(request, app, _bearer_signed(web, token)) as w:
        yield w


UowDep = Annotated[UnitOfWork, Depends(api_uow, scope="function")]


async def api_user(request: Request, w: UowDep) -> SignedIn:
    """The account of the bearer token (authenticated by ``api_uow``, whose transaction it shares)."""
    return request.state.user  # type: ignore[no-any-return]


ApiUser = Annotated[SignedIn, Depends(api_user)]


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


def _session_signed(request: Request, web: WebSettings) -> Callable[[UnitOfWork], SignedIn]:
    def signed_in(w: UnitOfWork) -> SignedIn:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise LoginRequired
        try:
            return authenticate(w, web, cookie, max_age=users.SESSION_SECONDS, purpose="session")
        except AuthenticationError:
            raise LoginRequired from None

    return signed_in


async def page_uow(request: Request, app: AppDep, web: WebDep) -> AsyncIterator[UnitOfWork]:
    """The signed-in caller's unit of work for a page; signed out, the page redirects to ``/login``."""
    async with _acting(request, app, _session_signed(request, web)) as w:
        yield w


PageUowDep = Annotated[UnitOfWork, Depends(page_uow, scope="function")]


async def page_user(request: Request, w: PageUowDep) -> SignedIn:
    """The signed-in account of a page request (authenticated by ``page_uow``, whose transaction it
    shares); signed out, the page redirects to ``/login``."""
    return request.state.user  # type: ignore[no-any-return]


PageUser = Annotated[SignedIn, Depends(page_user)]
