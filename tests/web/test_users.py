"""Accounts and signing in (``services.users``): creation rules, the lockout, token revocation, the CLI."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from innocity.app import AppContext
from innocity.errors import AuthenticationError, ForbiddenError, LockedOutError, UserInputError
from innocity.services import users
from innocity.services.context import Actor, Role
from innocity.storage.accounts import SignInAttempt, User
from innocity.storage.tables import AuditEntry, utcnow

SECRET = "a-secret-key-of-at-least-32-characters!!"
T0 = datetime(2026, 3, 1, 9, 0, 0)


def _add(app: AppContext, name: str = "wang", role: str = "coordinator", region: str | None = "西宁市",
         department: str | None = None, password: str = "correct-horse-1") -> None:
    with app.uow() as w:
        users.create_user(w, username=name, password=password, role=role, region=region, department=department)


def _sign_in(app: AppContext, name: str, password: str, at: datetime, channel: str = "web") -> users.SignInOutcome:
    with app.uow(users.ANONYMOUS) as w:
        return users.authenticate(w, username=name, password=password, channel=channel, now=at)


def test_no_account_exists_until_one_is_created(app: AppContext) -> None:
    with app.uow() as w:
        assert users.list_users(w) == []
    out = _sign_in(app, "admin", "admin", T0)
    assert isinstance(out.error, AuthenticationError)


def test_passwords_are_stored_as_argon2_hashes_only(app: AppContext) -> None:
    _add(app, password="correct-horse-1")
    with app.uow() as w:
        stored = w.session.scalar(select(User.password_hash).where(User.username == "wang"))
        audit_text = " ".join(str(a.after) + str(a.comment) for a in w.session.scalars(select(AuditEntry)))
    assert stored is not None and stored.startswith("$argon2id$") and "correct-horse-1" not in stored
    assert "correct-horse-1" not in audit_text


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"password": "short-pw"}, "password"),
        ({"password": " " * 12}, "password"),
        ({"name": "a"}, "username"),
        ({"name": "has space"}, "username"),
        ({"name": "<script>"}, "username"),
        ({"role": "superuser"}, "role"),
        ({"role": "coordinator", "region": None}, "region"),
        ({"role": "department", "department": None}, "department"),
        ({"role": "admin", "region": "西宁市"}, "region"),
        ({"role": "leader", "department": "市科技局"}, "department"),
        ({"region": "不存在市"}, "region"),
    ],
)
def test_account_rules(app: AppContext, kw: dict[str, object], field: str) -> None:
    with pytest.raises(UserInputError) as e:
        _add(app, **kw)  # type: ignore[arg-type]
    assert e.value.field == field


def test_user_names_are_unique_ignoring_case(app: AppContext) -> None:
    _add(app, "Wang")
    with pytest.raises(UserInputError, match="已存在"):
        _add(app, "wang")


def test_only_an_admin_manages_accounts(app: AppContext) -> None:
    _add(app, "root", role="admin", region=None)
    coordinator = Actor(username="li", role=Role.COORDINATOR, region_id=1)
    with app.uow(coordinator) as w, pytest.raises(ForbiddenError):
        users.create_user(w, username="x1", password="long-enough-1", role="leader", region="西宁市")
    with app.uow(coordinator) as w, pytest.raises(ForbiddenError):
        users.list_users(w)
    admin = Actor(username="root", role=Role.ADMIN)
    with app.uow(admin) as w:
        users.create_user(w, username="x1", password="long-enough-1", role="leader", region="西宁市")
        assert [u.username for u in users.list_users(w)] == ["root", "x1"]


def test_a_department_account_names_its_department_in_its_region(app: AppContext) -> None:
    _add(app, "dep", role="department", department="市科学技术局")
    with app.uow() as w:
        (u,) = [u for u in users.list_users(w) if u.username == "dep"]
    assert u.region is not None and u.region.name == "西宁市"
    assert u.department == "市科技局"  # the normalised short form duties use


def test_five_failures_lock_the_account_even_against_the_right_password(app: AppContext) -> None:
    _add(app)
    for i in range(4):
        out = _sign_in(app, "wang", "wrong-password", T0 + timedelta(minutes=i))
        assert type(out.error) is AuthenticationError
    fifth = _sign_in(app, "wang", "wrong-password", T0 + timedelta(minutes=4))
    assert isinstance(fifth.error, LockedOutError)
    assert "锁定" in fifth.error.message
    right = _sign_in(app, "wang", "correct-horse-1", T0 + timedelta(minutes=10))
    assert isinstance(right.error, LockedOutError)
    with pytest.raises(LockedOutError):
        right.result()
    # 15 minutes after the lock began, the right password works again
    later = _sign_in(app, "wang", "correct-horse-1", T0 + timedelta(minutes=19, seconds=1))
    assert later.error is None and later.result().user.username == "wang"
    with app.uow() as w:
        attempts = list(w.session.scalars(select(SignInAttempt).where(SignInAttempt.username == "wang")))
        locks = list(w.session.scalars(select(AuditEntry).where(AuditEntry.action == "lock")))
    assert len(attempts) == 7 and sum(a.ok for a in attempts) == 1
    assert len(locks) == 1 and locks[0].entity_id == "wang"


def test_failures_spread_over_more_than_15_minutes_do_not_lock(app: AppContext) -> None:
    _add(app)
    for i in range(8):
        out = _sign_in(app, "wang", "wrong-password", T0 + timedelta(minutes=4 * i))
        assert type(out.error) is AuthenticationError
    assert _sign_in(app, "wang", "correct-horse-1", T0 + timedelta(minutes=33)).error is None


def test_the_lock_counts_web_and_api_together_and_unknown_names_alike(app: AppContext) -> None:
    _add(app)
    for i in range(5):
        out = _sign_in(app, "wang", "nope-nope-nope", T0 + timedelta(seconds=i), channel="web" if i % 2 else "api")
    assert isinstance(out.error, LockedOutError)
    for i in range(5):
        ghost = _sign_in(app, "nobody", "nope-nope-nope", T0 + timedelta(seconds=i))
    assert isinstance(ghost.error, LockedOutError)  # the answer does not tell which names exist


def test_resetting_the_password_lifts_the_lock(app: AppContext) -> None:
    _add(app)
    now = utcnow()
    for i in range(5):
        _sign_in(app, "wang", "wrong-password", now + timedelta(seconds=i))
    assert isinstance(_sign_in(app, "wang", "correct-horse-1", now + timedelta(seconds=6)).error, LockedOutError)
    with app.uow() as w:
        users.reset_password(w, username="wang", password="a-new-password-2")
    assert _sign_in(app, "wang", "a-new-password-2", utcnow() + timedelta(seconds=7)).error is None


def test_tokens_expire_and_are_revoked_by_a_reset_or_by_disabling(app: AppContext) -> None:
    _add(app)
    signed = _sign_in(app, "wang", "correct-horse-1", T0).result()
    token = users.make_token(signed, secret_key=SECRET)
    with app.uow(users.ANONYMOUS) as w:
        assert users.verify_token(w, token=token, secret_key=SECRET, max_age=60).user.username == "wang"
        with pytest.raises(AuthenticationError):
            users.verify_token(w, token=token, secret_key="another-secret-key-of-32-characters!", max_age=60)
        with pytest.raises(AuthenticationError):
            users.verify_token(w, token=token, secret_key=SECRET, max_age=60, purpose="session")
        with pytest.raises(AuthenticationError):
            users.verify_token(w, token=token[:-2] + "xx", secret_key=SECRET, max_age=60)
        with pytest.raises(AuthenticationError, match="过期"):
            users.verify_token(w, token=token, secret_key=SECRET, max_age=-1)
    with app.uow() as w:
        users.reset_password(w, username="wang", password="a-new-password-2")
    with app.uow(users.ANONYMOUS) as w, pytest.raises(AuthenticationError):
        users.verify_token(w, token=token, secret_key=SECRET, max_age=60)
    fresh = users.make_token(_sign_in(app, "wang", "a-new-password-2", T0).result(), secret_key=SECRET)
    with app.uow() as w:
        users.disable_user(w, username="wang")
    with app.uow(users.ANONYMOUS) as w, pytest.raises(AuthenticationError):
        users.verify_token(w, token=fresh, secret_key=SECRET, max_age=60)
    assert isinstance(_sign_in(app, "wang", "a-new-password-2", T0).error, AuthenticationError)


def test_a_token_seen_before_still_ages_and_still_needs_its_key(app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """A genuine token is remembered after its first check (every request carries it); its age is
    checked on every read all the same, and remembering it under one key says nothing under another."""
    _add(app)
    token = users.make_token(_sign_in(app, "wang", "correct-horse-1", T0).result(), secret_key=SECRET)
    assert users.read_token(token, secret_key=SECRET, max_age=60).user_id > 0  # checked and remembered
    later = users.time.time() + 61
    monkeypatch.setattr(users.time, "time", lambda: later)
    with pytest.raises(AuthenticationError, match="过期"):
        users.read_token(token, secret_key=SECRET, max_age=60)
    assert users.read_token(token, secret_key=SECRET, max_age=120).user_id > 0
    with pytest.raises(AuthenticationError, match="无效"):
        users.read_token(token, secret_key="another-secret-key-of-32-characters!", max_age=120)
    earlier = later - 3600  # a token that would be signed after "now": not this server's clock
    monkeypatch.setattr(users.time, "time", lambda: earlier)
    with pytest.raises(AuthenticationError, match="无效"):
        users.read_token(token, secret_key=SECRET, max_age=120)


def test_the_anonymous_actor_sees_nothing(app: AppContext) -> None:
    from innocity.services import plans

    with app.uow(users.ANONYMOUS) as w:
        assert w.region_ids == frozenset({0})
        assert plans.list_plans(w) == []


def test_cli_users_add_list_disable_reset(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    import sys

    from innocity.cli import main

    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOCITY_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-password\n"))
    assert main(["users", "add", "zhao", "--role", "leader", "--region", "西宁市", "--password-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["users", "add", "qian", "--role", "leader", "--region", "西宁市", "--password-stdin"]) == 2
    assert main(["users", "disable", "zhao"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("another-long-password\n"))
    assert main(["users", "reset-password", "zhao", "--password-stdin"]) == 0
    assert main(["users", "disable", "nobody"]) == 2


def test_cli_users_list_json(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import io
    import json
    import sys

    from innocity.cli import main

    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOCITY_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-password\n"))
    assert main(["users", "add", "sun", "--role", "evaluator", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["username"], r["role"], r["region"]) for r in rows] == [("sun", "evaluator", None)]
    assert "password_hash" not in rows[0]
