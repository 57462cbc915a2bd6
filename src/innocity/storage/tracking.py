"""The tables of migration ``0002_tracking`` and their small queries: task status and milestones, and
督办 (supervision) items with their event history.

Targets, duties, departments, observations and the audit log are ``0001_initial``'s (``storage.tables``);
this module only adds what tracking needs on top (including which departments answer for a target). A target's resolved year and baseline live on
``targets`` itself; who set them is in the audit log. Nothing here is deleted: a supervision item is closed
or escalated, never removed, and each step is one more row in ``supervision_events``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, cast, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from .db import Base
from .tables import ObservationRow, utcnow

TASK_STATUSES = ("未启动", "进行中", "已完成", "延期")
ITEM_STATUSES = ("raised", "responded", "extended", "escalated", "closed")
SUBJECTS = ("target", "task")


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


class TaskState(Base):
    """The reported state of one duty (task): status, deadline, completion date. One row per duty."""

    __tablename__ = "task_states"
    __table_args__ = (CheckConstraint(_in("status", TASK_STATUSES), name="status"),)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(8), default="未启动")
    deadline: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    # progress a department reports in its own words (the web page's 进展情况) and how far along, 0–100
    progress_note: Mapped[str | None] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TargetDepartment(Base):
    """A department answerable for a target, assigned by a person: role ``lead`` (牵头) or ``support``.

    The plan ties departments to tasks, not to targets; this is how a target gets its owners.
    """

    __tablename__ = "target_departments"
    __table_args__ = (CheckConstraint("role IN ('lead', 'support')", name="role"),)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Milestone(Base):
    """A dated step of a task (节点): due date and, once reached, the date it was done."""

    __tablename__ = "task_milestones"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SupervisionItem(Base):
    """A 督办 item about one target or task: why it was raised, its state, its deadline, its count of
    extensions, and the department answerable for it."""

    __tablename__ = "supervision_items"
    __table_args__ = (
        CheckConstraint(_in("status", ITEM_STATUSES), name="status"),
        CheckConstraint(_in("subject", SUBJECTS), name="subject"),
        Index("ix_supervision_items_subject", "subject", "subject_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(8))  # target | task
    subject_id: Mapped[int] = mapped_column(Integer)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="raised")
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date | None] = mapped_column(Date)
    raised_by: Mapped[str] = mapped_column(String(100))
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    events: Mapped[list[SupervisionEvent]] = relationship(order_by="SupervisionEvent.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SupervisionEvent(Base):
    """One step of an item's life (raise, respond, extend, close, escalate): who, when, what was said."""

    __tablename__ = "supervision_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("supervision_items.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    new_due_on: Mapped[date | None] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def open_item_for(s: Session, subject: str, subject_id: int) -> SupervisionItem | None:
    """The open (not closed) item about one target or task, if any; at most one is kept open."""
    q = select(SupervisionItem).where(
        SupervisionItem.subject == subject,
        SupervisionItem.subject_id == subject_id,
        SupervisionItem.status != "closed",
    )
    return s.scalars(q.order_by(SupervisionItem.id.desc())).first()


def list_items(
    s: Session, *, plan_ids: list[int] | None = None, include_closed: bool = False
) -> list[SupervisionItem]:
    """Items, newest first, optionally only those of some plans."""
    q = select(SupervisionItem)
    if plan_ids is not None:
        q = q.where(SupervisionItem.plan_id.in_(plan_ids))
    if not include_closed:
        q = q.where(SupervisionItem.status != "closed")
    return list(s.scalars(q.order_by(SupervisionItem.id.desc())))


def task_states(s: Session, duty_ids: list[int]) -> dict[int, TaskState]:
    """The reported state of each of these duties that has one."""
    if not duty_ids:
        return {}
    return {t.duty_id: t for t in s.scalars(select(TaskState).where(TaskState.duty_id.in_(duty_ids)))}


def milestones(s: Session, duty_ids: list[int]) -> dict[int, list[Milestone]]:
    """Milestones per duty, by due date."""
    out: dict[int, list[Milestone]] = {}
    if not duty_ids:
        return out
    q = select(Milestone).where(Milestone.duty_id.in_(duty_ids)).order_by(Milestone.due_on, Milestone.id)
    for m in s.scalars(q):
        out.setdefault(m.duty_id, []).append(m)
    return out


def yearly_figures(
    s: Session, region_ids: set[int], codes: set[str]
) -> list[tuple[int, str, int, float, str, str, int]]:
    """Every yearly, not rejected figure of these regions × indicators, as plain tuples
    (region_id, indicator_code, year, value, known_on as ISO text, status, id).

    On SQLite the rows come straight from the driver's cursor: for a province's hundreds of thousands of
    figures, building result rows costs several times the query itself.
    """
    if not region_ids or not codes:
        return []
    o = ObservationRow
    conn = s.connection()
    rids, cds = sorted(region_ids), sorted(codes)
    if conn.dialect.name == "sqlite":
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cur = dbapi.cursor()
        try:
            cur.execute(
                "SELECT region_id, indicator_code, period_year, value, known_on, status, id FROM observations "
                f"WHERE region_id IN ({','.join('?' * len(rids))}) "
                f"AND indicator_code IN ({','.join('?' * len(cds))}) "
                "AND period_kind = 'year' AND status != 'rejected'",
                [*rids, *cds],
            )
            return [tuple(r) for r in cur.fetchall()]  # type: ignore[misc]
        finally:
            cur.close()
    q = select(o.region_id, o.indicator_code, o.period_year, o.value, cast(o.known_on, String), o.status, o.id)
    q = q.where(o.region_id.in_(rids), o.indicator_code.in_(cds), o.period_kind == "year", o.status != "rejected")
    return [tuple(r) for r in conn.execute(q).all()]  # type: ignore[misc]
