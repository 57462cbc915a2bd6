"""Signing in to the API (``POST /api/v1/auth/token``), who am I (``GET /api/v1/me``), and the accounts an
admin manages (``/api/v1/users``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import Field

from innocity.services import users
from innocity.services.models import Model
from innocity.services.models.users import TokenOut, UserOut

from ..deps import ApiUser, AppDep, UowDep, WebDep
from .models import MeOut

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/token", response_model=TokenOut,
             responses={401: {"description": "wrong user name or password"},
                        429: {"description": "locked: 5 failures within 15 minutes"}})
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], app: AppDep, web: WebDep) -> TokenOut:
    """A bearer token for ``username`` and ``password`` (OAuth2 password form), valid for 8 hours."""
    with app.uow(users.ANONYMOUS) as w:
        outcome = users.authenticate(w, username=form.username, password=form.password, channel="api")
    signed = outcome.result()  # the attempt is committed first: failures add up to a lock
    return TokenOut(access_token=users.make_token(signed, secret_key=web.secret_key),
                    expires_in=users.TOKEN_SECONDS)


@router.get("/me", response_model=MeOut)
def me(user: ApiUser) -> MeOut:
    """The caller's name, role and scope."""
    return MeOut.of(user)


class UserIn(Model):
    username: str = Field(max_length=64)
    password: str = Field(max_length=users.MAX_PASSWORD)
    role: str
    region: str | None = None
    department: str | None = None


class PasswordIn(Model):
    password: str = Field(max_length=users.MAX_PASSWORD)


class UserList(Model):
    users: list[UserOut]


@router.get("/users", response_model=UserList, tags=["users"])
def list_users(w: UowDep) -> UserList:
    """Every account (admin only)."""
    return UserList(users=users.list_users(w))


@router.post("/users", response_model=UserOut, status_code=status.HTTP_201_CREATED, tags=["users"])
def create_user(body: UserIn, w: UowDep) -> UserOut:
    """Create an account (admin only); the password needs at least 10 characters."""
    return users.create_user(w, username=body.username, password=body.password, role=body.role,
                             region=body.region, department=body.department)


@router.post("/users/{username}/disable", response_model=UserOut, tags=["users"])
def disable_user(username: str, w: UowDep) -> UserOut:
    """Disable an account: its sessions and tokens stop working (admin only)."""
    return users.disable_user(w, username=username)


@router.post("/users/{username}/password", response_model=UserOut, tags=["users"])
def reset_password(username: str, body: PasswordIn, w: UowDep) -> UserOut:
    """Set a new password: every session and token of the account stops working (admin only)."""
    return users.reset_password(w, username=username, password=body.password)
