"""What every service call receives: one unit of work.

A ``UnitOfWork`` is one database transaction (``session``), the person acting (``actor``, with their role and
scope), and the process's one indicator catalogue and matcher. ``innocity.app.AppContext`` builds it, once
per command or HTTP request; services never open a database, never read the environment, and take it as
their first argument followed by keyword-only arguments:

    with app.uow(actor) as uow:
        rows = tracking.progress(uow, region="湘潭市", year=2014)

Authorisation lives here and in the services, not in templates or routes: ``uow.require(Permission.X)``
refuses a role, ``uow.check_region(id)`` refuses a record outside the actor's scope (reported as not found,
so a department of one city cannot learn which ids another city has), and ``uow.region_ids`` is the scope
to filter lists by (``None``: everything).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from innocity.catalog import Catalog, Matcher
from innocity.errors import ForbiddenError, NotFoundError
from innocity.settings import StatusThresholds

ID_MAX = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; every entry point checks them against this


class Role(StrEnum):
    """The roles of ``shared/contracts/api.md``; ``system`` is the shell user of the command line."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    DEPARTMENT = "department"
    LEADER = "leader"
    EVALUATOR = "evaluator"
    SYSTEM = "system"


class Permission(StrEnum):
    """What a role may do; reading is always limited further by the actor's scope."""

    READ = "read"
    MANAGE_USERS = "manage_users"
    UPLOAD_PLAN = "upload_plan"
    REVIEW_PLAN = "review_plan"  # confirm, edit, reject items; assign departments; resolve years
    SUBMIT_DATA = "submit_data"  # enter values (a department: only its own indicators)
    APPROVE_DATA = "approve_data"
    SUPERVISE = "supervise"  # raise, close, escalate 督办; sync from progress
    RESPOND = "respond"  # answer a 督办 item and request an extension (a department: only its own)
    UPDATE_TASK = "update_task"  # report a task's status and milestones (a department: only its own)
    REPORT = "report"  # generate the Word and Excel reports
    RUN_INDEX = "run_index"
    MAINTAIN = "maintain"  # backup, restore, catalogue additions


_ALL = frozenset(Permission)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM: _ALL,
    Role.ADMIN: _ALL,
    Role.COORDINATOR: frozenset(
        {
            Permission.READ,
            Permission.UPLOAD_PLAN,
            Permission.REVIEW_PLAN,
            Permission.SUBMIT_DATA,
            Permission.APPROVE_DATA,
            Permission.SUPERVISE,
            Permission.RESPOND,
            Permission.UPDATE_TASK,
            Permission.REPORT,
            Permission.RUN_INDEX,
        }
    ),
    Role.DEPARTMENT: frozenset(
        {Permission.READ, Permission.SUBMIT_DATA, Permission.RESPOND, Permission.UPDATE_TASK}
    ),
    Role.LEADER: frozenset({Permission.READ, Permission.RUN_INDEX}),
    Role.EVALUATOR: frozenset({Permission.READ, Permission.RUN_INDEX}),
}

PERMISSION_ZH: dict[Permission, str] = {
    Permission.READ: "查看",
    Permission.MANAGE_USERS: "管理用户",
    Permission.UPLOAD_PLAN: "上传方案",
    Permission.REVIEW_PLAN: "审核方案",
    Permission.SUBMIT_DATA: "填报数据",
    Permission.APPROVE_DATA: "审核数据",
    Permission.SUPERVISE: "督办立项、销号和提级",
    Permission.RESPOND: "答复督办",
    Permission.UPDATE_TASK: "更新任务进展",
    Permission.REPORT: "生成报告",
    Permission.RUN_INDEX: "计算创新指数",
    Permission.MAINTAIN: "系统维护",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting: a user name (recorded in the audit log), a role, and the scope the role applies in.

    ``region_id`` is the root of the scope (a city covers its counties; ``None`` with a scoped role means
    everything, as for a national evaluator); ``department_id`` is the department a ``department`` user
    speaks for.
    """

    username: str
    role: Role
    region_id: int | None = None
    department_id: int | None = None

    @classmethod
    def system(cls, username: str) -> Actor:
        """The command line's actor: whoever can run the command can already reach the database."""
        return cls(username=username, role=Role.SYSTEM)

    def may(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def is_department(self) -> bool:
        return self.role is Role.DEPARTMENT

    @property
    def unscoped(self) -> bool:
        """True when the actor sees every region (admin, the shell, a national evaluator)."""
        return self.role in (Role.SYSTEM, Role.ADMIN) or self.region_id is None


@dataclass(slots=True)
class UnitOfWork:
    """One transaction, the actor and the process's catalogue; see the module docstring."""

    session: Session
    actor: Actor
    catalog: Catalog
    matcher: Matcher
    thresholds: StatusThresholds = field(default_factory=StatusThresholds)
    # The store's writes stamp (``freshness.writes_stamp``) as read at the start of a unit of work that
    # will not write (a web GET): read once and reused, instead of once per kept read. Left ``None``
    # whenever the work may write, so a read after its own write never meets a result kept before it.
    writes: str | None = None
    _region_ids: frozenset[int] | None = None
    _scope_known: bool = False

    def act_as(self, actor: Actor) -> None:
        """Continue as ``actor`` (the web authenticates its caller in the request's own transaction,
        then acts for them in it); the scope is worked out again for the new actor."""
        self.actor = actor
        self._region_ids = None
        self._scope_known = False

    @property
    def user(self) -> str:
        """The name changes are recorded under in the audit log."""
        return self.actor.username

    # ------------------------------------------------------------------ authorisation

    def require(self, permission: Permission) -> None:
        """Refuse the call unless the actor's role allows ``permission``."""
        if not self.actor.may(permission):
            raise ForbiddenError(f"角色“{self.actor.role.value}”无权{PERMISSION_ZH[permission]}")

    @property
    def region_ids(self) -> frozenset[int] | None:
        """The regions the actor may see (its region and every region under it); ``None``: all of them."""
        if not self._scope_known:
            self._region_ids = None if self.actor.unscoped else frozenset(self._subtree(self.actor.region_id))
            self._scope_known = True
        return self._region_ids

    def _subtree(self, root: int | None) -> set[int]:
        from innocity.storage.tables import Region

        if root is None:
            return set()
        scope, frontier = {root}, {root}
        while frontier:
            frontier = set(self.session.scalars(select(Region.id).where(Region.parent_id.in_(frontier)))) - scope
            scope |= frontier
        return scope

    def in_scope(self, region_id: int | None) -> bool:
        ids = self.region_ids
        return ids is None or (region_id is not None and region_id in ids)

    def check_region(self, region_id: int | None, *, what: str, field: str | None = None) -> None:
        """Refuse a record outside the actor's scope as if it did not exist (the API answers 404)."""
        if not self.in_scope(region_id):
            raise NotFoundError(f"{what} 不存在或不在您的权限范围内", field=field)

    def check_department(self, department_id: int | None, *, what: str) -> None:
        """A department user may act only on its own department's records."""
        if self.actor.is_department and department_id != self.actor.department_id:
            raise ForbiddenError(f"{what} 不属于您的部门")


def today_or(day: date | None) -> date:
    """``day``, or today's date (services take ``today`` so reports and tests can fix it)."""
    return day or date.today()
