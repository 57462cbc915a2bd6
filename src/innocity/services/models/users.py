"""User accounts as the CLI lists them and the web application shows them, and what signing in returns."""

from __future__ import annotations

from datetime import datetime

from .common import Model, RegionRef


class UserOut(Model):
    """One account: its role and scope, never its password hash."""

    id: int
    username: str
    role: str
    region: RegionRef | None = None
    department: str | None = None
    disabled: bool = False
    created_at: datetime
    created_by: str
    password_changed_at: datetime


class SignedIn(Model):
    """Who a verified session or token belongs to: the account (for display) and the stamp of its password.

    ``stamp`` changes whenever the password is reset, so sessions and tokens carrying the old one stop
    working; the web layer turns this into an ``Actor`` with ``services.users.actor_of``.
    """

    user: UserOut
    region_id: int | None = None
    department_id: int | None = None
    stamp: str


class TokenClaims(Model):
    """What a genuine token says: the account id and the password stamp it was issued under."""

    user_id: int
    stamp: str


class TokenOut(Model):
    """``POST /api/v1/auth/token``: an OAuth2 bearer token and its lifetime in seconds."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
