"""The tables of migration ``0003_web`` for people: user accounts and sign-in attempts.

A user has one role and the scope it applies in (a region, and for a department user its department).
Passwords are stored only as argon2 hashes (``services.auth`` hashes and verifies them). Every sign-in,
good or bad, is a row of ``sign_in_attempts``: the lockout rule (5 failures within 15 minutes) is a query
over it, and the rows are the audit trail of who tried when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import Base
from .tables import Department, Region, utcnow

ROLES = ("admin", "coordinator", "department", "leader", "evaluator")


class User(Base):
    """A person who signs in to the web application or the API."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'coordinator', 'department', 'leader', 'evaluator')",
                                      name="role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    region: Mapped[Region | None] = relationship()
    department: Mapped[Department | None] = relationship()


class SignInAttempt(Base):
    """One sign-in attempt (web form or API token), successful or not."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_username_at", "username", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(8))  # web | api
