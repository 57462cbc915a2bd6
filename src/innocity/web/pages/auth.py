"""Signing in and out of the web application: ``/login`` and ``/logout``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from innocity.errors import AuthenticationError, LockedOutError
from innocity.services import users

from ..deps import AppDep, WebDep, session_user
from ..security import clear_session, new_csrf_token, set_session
from ..templating import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//elsewhere`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, app: AppDep, web: WebDep, next: str | None = None) -> Response:
    if session_user(request, app, web) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "username": "", "error": None})


@router.post("/login")
def login(
    request: Request,
    app: AppDep,
    web: WebDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=users.MAX_PASSWORD)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    with app.uow(users.ANONYMOUS) as w:
        outcome = users.authenticate(w, username=username, password=password, channel="web")
    try:
        signed = outcome.result()
    except AuthenticationError as exc:
        # The form again, saying why (a lock says for how long); 200 so the page is an ordinary page.
        return render(request, "login.html", {
            "next": safe_next(next), "username": username, "error": exc.message,
            "locked": isinstance(exc, LockedOutError),
        })
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session(response, users.make_token(signed, secret_key=web.secret_key, purpose="session"), web=web,
                max_age=users.SESSION_SECONDS)
    new_csrf_token(request)  # a token seen before signing in is worth nothing after
    return response


@router.post("/logout")
def logout(request: Request, web: WebDep) -> Response:
    response = RedirectResponse("/login", status_code=303)
    clear_session(response, web=web)
    new_csrf_token(request)
    return response
