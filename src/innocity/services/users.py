"""User accounts and signing in: ``innocity users …``, the web sign-in form and ``POST /api/v1/auth/token``.

- **Accounts.** An admin (or the shell) creates, lists, disables and resets accounts. Passwords are stored
  only as argon2 hashes, are at least ``MIN_PASSWORD`` characters long, and there is no default account or
  password: nobody can sign in until someone creates an account.
- **Signing in** (``authenticate``). Every attempt, good or bad, is a row of ``sign_in_attempts``.
  ``MAX_FAILURES`` failed attempts within ``WINDOW`` lock the name for ``LOCK`` (the web form and the API
  alike); while locked even the right password is refused with ``LockedOutError``. The lock is an audit row
  (``users``/``lock``), so who was locked when is in the audit log; resetting the password lifts it.
  Unknown names are treated exactly like known ones (same answer, same lock, a hash verified either way),
  so the form does not tell which names exist.
- **Tokens** (``make_token``/``verify_token``). A session cookie or an API bearer token is the account id
  and its password stamp, signed with the deployment's secret key and valid for a limited time. A password
  reset changes the stamp and disabling the account fails verification, so both revoke every token.

Functions that run before anyone is signed in (``authenticate``, ``verify_token``) take a unit of work of
``ANONYMOUS``, an actor that may see nothing.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from innocity.errors import AuthenticationError, LockedOutError, NotFoundError, UserInputError
from innocity.storage import audit
from innocity.storage import regions as region_repo
from innocity.storage.accounts import ROLES, SignInAttempt, User
from innocity.storage.tables import AuditEntry, Department, Region, utcnow

from .context import Actor, Permission, Role, UnitOfWork
from .models import RegionRef
from .models.users import SignedIn, TokenClaims, UserOut

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; this only bounds the work a request can ask for
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
TOKEN_SECONDS = 8 * 3600  # an API token lasts a working day
SESSION_SECONDS = 12 * 3600  # a browser session too, with room for a long day
CHANNELS = ("web", "api")
USERNAME = re.compile(r"^[A-Za-z0-9_.@\-\u4e00-\u9fff]{2,64}$")

# A region with this id never exists, so an actor scoped to it sees nothing.
ANONYMOUS = Actor(username="anonymous", role=Role.EVALUATOR, region_id=0)

_hasher = PasswordHasher()
_dummy_hash: str | None = None

ROLE_ZH = {
    "admin": "系统管理员",
    "coordinator": "科技局（创新办）",
    "department": "责任单位",
    "leader": "领导",
    "evaluator": "上级评价",
}


# ---------------------------------------------------------------------- validation


def check_username(name: str) -> str:
    """A user name: 2–64 letters, digits, Chinese characters or ``_ . @ -``; no spaces."""
    name = (name or "").strip()
    if not USERNAME.match(name):
        raise UserInputError(
            "用户名须为 2–64 个字母、数字、汉字或 _ . @ -，不含空格", field="username"
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserInputError(f"密码至少需要 {MIN_PASSWORD} 个字符", field="password")
    if len(password) > MAX_PASSWORD:
        raise UserInputError(f"密码不能超过 {MAX_PASSWORD} 个字符", field="password")
    if not password.strip():
        raise UserInputError("密码不能全是空白", field="password")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a password that passes ``check_password``."""
    return _hasher.hash(check_password(password))


def _verify(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored``; with no stored hash a dummy one is verified, so an unknown
    name costs the same time as a known one."""
    global _dummy_hash
    if stored is None:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash("not a password of anyone")
        stored = _dummy_hash
    try:
        return _hasher.verify(stored, password[:MAX_PASSWORD]) and stored is not _dummy_hash
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------------- accounts


def _out(s: Session, u: User) -> UserOut:
    region = s.get(Region, u.region_id) if u.region_id else None
    dept = s.get(Department, u.department_id) if u.department_id else None
    return UserOut(
        id=u.id,
        username=u.username,
        role=u.role,
        region=RegionRef(name=region.name, adcode=region.adcode) if region else None,
        department=dept.name if dept else None,
        disabled=u.disabled,
        created_at=u.created_at,
        created_by=u.created_by,
        password_changed_at=u.password_changed_at,
    )


def _user(w: UnitOfWork, username: str) -> User:
    u = w.session.scalar(select(User).where(User.username == username))
    if u is None:
        raise NotFoundError(f"没有用户“{username}”", field="username")
    return u


def _scope(
    w: UnitOfWork, role: str, region: str | None, department: str | None
) -> tuple[int | None, int | None]:
    """The region and department ids a new account of ``role`` is scoped to; refuses a missing or
    superfluous scope (an admin sees everything; a department user needs both)."""
    from .tracking import find_region

    if role == "admin" and (region or department):
        raise UserInputError("管理员不限地区和部门：不要给出 --region 或 --department", field="region")
    if role in ("coordinator", "department", "leader") and not region:
        raise UserInputError(f"角色 {role} 需要所属地区", field="region")
    if role == "department" and not department:
        raise UserInputError("责任单位用户需要所属部门", field="department")
    if role != "department" and department:
        raise UserInputError("只有责任单位（department）用户属于某个部门", field="department")
    region_id = find_region(w, region=region).id if region else None
    dept_id = None
    if department:
        dept_id = region_repo.get_or_create_department(w.session, region_id, department).id
    return region_id, dept_id


def create_user(
    w: UnitOfWork,
    *,
    username: str,
    password: str,
    role: str,
    region: str | None = None,
    department: str | None = None,
) -> UserOut:
    """A new account with its role and scope (region by name or adcode; a department is created in the
    region if new); audited."""
    w.require(Permission.MANAGE_USERS)
    name = check_username(username)
    if role not in ROLES:
        raise UserInputError(f"未知角色 {role!r}（{', '.join(ROLES)}）", field="role")
    pw_hash = hash_password(password)
    s = w.session
    if s.scalar(select(User.id).where(func.lower(User.username) == name.lower())) is not None:
        raise UserInputError(f"用户“{name}”已存在", field="username")
    region_id, dept_id = _scope(w, role, region, department)
    now = utcnow()
    u = User(
        username=name, password_hash=pw_hash, role=role, region_id=region_id, department_id=dept_id,
        disabled=False, created_at=now, created_by=w.user, password_changed_at=now,
    )
    s.add(u)
    s.flush()
    audit.record(s, actor=w.user, action="create", entity="users", entity_id=u.id, field="role", after=role)
    return _out(s, u)


def list_users(w: UnitOfWork) -> list[UserOut]:
    """Every account, by name."""
    w.require(Permission.MANAGE_USERS)
    s = w.session
    return [_out(s, u) for u in s.scalars(select(User).order_by(User.username))]


def disable_user(w: UnitOfWork, *, username: str) -> UserOut:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working."""
    w.require(Permission.MANAGE_USERS)
    u = _user(w, username)
    audit.update_fields(w.session, u, {"disabled": True}, actor=w.user, action="disable")
    w.session.flush()
    return _out(w.session, u)


def reset_password(w: UnitOfWork, *, username: str, password: str) -> UserOut:
    """Set a new password: every session and token of the account stops working, and a lock is lifted."""
    w.require(Permission.MANAGE_USERS)
    u = _user(w, username)
    s = w.session
    u.password_hash = hash_password(password)
    u.password_changed_at = utcnow()
    audit.record(s, actor=w.user, action="reset_password", entity="users", entity_id=u.id,
                 field="password", comment="password changed (the hash is not logged)")
    if _locked_until(w, u.username, utcnow()) is not None:
        audit.record(s, actor=w.user, action="unlock", entity="users", entity_id=u.username,
                     field="locked_until", comment="password reset")
    s.flush()
    return _out(s, u)


# ---------------------------------------------------------------------- signing in


def _last_lock(w: UnitOfWork, username: str) -> AuditEntry | None:
    """The most recent lock or unlock of ``username`` in the audit log."""
    return w.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.entity == "users", AuditEntry.entity_id == username,
               AuditEntry.action.in_(("lock", "unlock")))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )


def _lock_end(entry: AuditEntry) -> datetime:
    """When a lock ends (an unlock ends at once); failures before that do not count towards a new lock."""
    return entry.at + LOCK if entry.action == "lock" else entry.at


def _locked_until(w: UnitOfWork, username: str, now: datetime) -> datetime | None:
    """When the current lock on ``username`` ends, or None when it is not locked."""
    last = _last_lock(w, username)
    if last is None or last.action != "lock" or _lock_end(last) <= now:
        return None
    return _lock_end(last)


def _failures_since(w: UnitOfWork, username: str, since: datetime) -> int:
    return int(w.session.scalar(
        select(func.count()).select_from(SignInAttempt)
        .where(SignInAttempt.username == username, SignInAttempt.ok.is_(False), SignInAttempt.at > since)
    ) or 0)


def _locked_message(until: datetime, now: datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (f"连续 {MAX_FAILURES} 次登录失败，账户已锁定 {int(LOCK.total_seconds() // 60)} 分钟，"
            f"请 {minutes} 分钟后再试，或请管理员重置密码")


@dataclass(frozen=True, slots=True)
class SignInOutcome:
    """What ``authenticate`` decided: the signed-in account, or the error to answer with.

    The attempt is recorded either way, so the caller lets its unit of work commit and only then calls
    ``result()``, which returns the account or raises the error (a raise inside the unit of work would roll
    the record of a failed attempt back, and failures would never add up to a lock).
    """

    signed: SignedIn | None = None
    error: AuthenticationError | None = None

    def result(self) -> SignedIn:
        if self.error is not None:
            raise self.error
        assert self.signed is not None
        return self.signed


def authenticate(
    w: UnitOfWork, *, username: str, password: str, channel: str, now: datetime | None = None
) -> SignInOutcome:
    """Check a user name and password and record the attempt; see the module docstring for the lockout.

    The outcome's error is ``AuthenticationError`` (wrong name or password, disabled account) or
    ``LockedOutError`` (too many failures: refused even with the right password)::

        with app.uow(users.ANONYMOUS) as w:
            outcome = users.authenticate(w, username=u, password=p, channel="web")
        signed = outcome.result()
    """
    if channel not in CHANNELS:
        raise UserInputError(f"unknown channel {channel!r}", field="channel")
    now = now or utcnow()
    name = (username or "").strip()[:64]
    s = w.session
    until = _locked_until(w, name, now)
    if until is not None:
        s.add(SignInAttempt(username=name, at=now, ok=False, channel=channel))
        return SignInOutcome(error=LockedOutError(_locked_message(until, now), field="username"))
    u = s.scalar(select(User).where(User.username == name)) if name else None
    ok = _verify(u.password_hash if u is not None else None, password or "")
    s.add(SignInAttempt(username=name, at=now, ok=ok, channel=channel))
    if not ok:
        last = _last_lock(w, name)
        since = max(now - WINDOW, _lock_end(last)) if last is not None else now - WINDOW
        s.flush()
        if _failures_since(w, name, since) >= MAX_FAILURES:
            entry = audit.record(s, actor=name or "anonymous", action="lock", entity="users", entity_id=name,
                                 field="locked_until", after=(now + LOCK).isoformat(timespec="seconds"),
                                 comment=f"{MAX_FAILURES} failed sign-ins within 15 minutes ({channel})")
            entry.at = now
            return SignInOutcome(error=LockedOutError(_locked_message(now + LOCK, now), field="username"))
        return SignInOutcome(error=AuthenticationError("用户名或密码错误", field="password"))
    assert u is not None
    if u.disabled:
        return SignInOutcome(error=AuthenticationError("该账户已停用，请联系管理员", field="username"))
    if _hasher.check_needs_rehash(u.password_hash):
        u.password_hash = _hasher.hash(password)
    return SignInOutcome(signed=_signed_in(s, u))


def _signed_in(s: Session, u: User) -> SignedIn:
    return SignedIn(user=_out(s, u), region_id=u.region_id, department_id=u.department_id,
                    stamp=u.password_changed_at.isoformat())


def actor_of(signed: SignedIn) -> Actor:
    """The actor services check permissions and scope against."""
    return Actor(
        username=signed.user.username,
        role=Role(signed.user.role),
        region_id=signed.region_id,
        department_id=signed.department_id,
    )


# ---------------------------------------------------------------------- tokens


@lru_cache(maxsize=16)
def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"innocity.{purpose}")


def make_token(signed: SignedIn, *, secret_key: str, purpose: str = "api") -> str:
    """A signed, timestamped token naming the account and its password stamp (``purpose`` keeps an API
    token from being used as a session cookie and back)."""
    return str(_serializer(secret_key, purpose).dumps({"u": signed.user.id, "p": signed.stamp}))


@lru_cache(maxsize=4096)
def _genuine(token: str, secret_key: str, purpose: str) -> tuple[Any, float]:
    """What a token with a good signature says, and when it was signed (raises ``BadSignature``).

    Every request carries its token, so a genuine one is remembered (a forged one raises and is not):
    a signature that was good stays good under the same key, and the age is checked by ``read_token``
    on every call. Checking the signature again each time cost more than the rest of authentication."""
    data, signed_at = _serializer(secret_key, purpose).loads(token, return_timestamp=True)
    return data, signed_at.timestamp()


def read_token(token: str, *, secret_key: str, max_age: int, purpose: str = "api") -> TokenClaims:
    """What a token that is genuine and younger than ``max_age`` seconds says."""
    try:
        data, signed_at = _genuine(token, secret_key, purpose)
    except BadSignature:
        raise AuthenticationError("无效的登录凭据") from None
    age = time.time() - signed_at
    if age > max_age:
        raise AuthenticationError("登录已过期，请重新登录")
    if age < 0:  # signed in the future: not by this server's clock
        raise AuthenticationError("无效的登录凭据")
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), str):
        raise AuthenticationError("无效的登录凭据")
    return TokenClaims(user_id=data["u"], stamp=data["p"])


def verify_token(
    w: UnitOfWork, *, token: str, secret_key: str, max_age: int, purpose: str = "api"
) -> SignedIn:
    """The account a token belongs to, if the token is genuine, unexpired, and the account is enabled and
    has not changed its password since."""
    claims = read_token(token, secret_key=secret_key, max_age=max_age, purpose=purpose)
    u = w.session.get(User, claims.user_id)
    if u is None or u.disabled or u.password_changed_at.isoformat() != claims.stamp:
        raise AuthenticationError("登录已失效，请重新登录")
    return _signed_in(w.session, u)
