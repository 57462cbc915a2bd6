"""The 督办 (supervision) lifecycle and the task-status vocabulary, as pure rules.

A supervision item is raised for a target that is off track or overdue, or for a late task. Its life:

    raised ──respond (情况说明)──▶ responded ──extend (延期申请, counted)──▶ extended
       │  ╲                          │                                      │
       │   ╲──────── extend ─────────┼──────────────────────────────────────┤
       ▼                             ▼                                      ▼
    escalated ◀──── escalate ─── any open state ──── close (销号) ────▶ closed (final)

Every open state accepts ``respond``, ``close`` and ``escalate``; ``extend`` is refused once an item has
had ``MAX_EXTENSIONS`` extensions (then it must be escalated), and on an escalated item (the leadership now
decides). ``close`` needs a comment: 销号 says why the matter is settled. Services record every step with
who and when; this module only says which steps are allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MAX_EXTENSIONS = 2


class ItemStatus(StrEnum):
    RAISED = "raised"
    RESPONDED = "responded"
    EXTENDED = "extended"
    ESCALATED = "escalated"
    CLOSED = "closed"


OPEN = frozenset({ItemStatus.RAISED, ItemStatus.RESPONDED, ItemStatus.EXTENDED, ItemStatus.ESCALATED})

ACTIONS: dict[str, ItemStatus] = {
    "respond": ItemStatus.RESPONDED,
    "extend": ItemStatus.EXTENDED,
    "close": ItemStatus.CLOSED,
    "escalate": ItemStatus.ESCALATED,
}

ACTION_ZH = {"raise": "立项督办", "respond": "情况说明", "extend": "延期申请", "close": "销号", "escalate": "提级督办"}


class Reason(StrEnum):
    """Why an item was raised; ``manual`` when a person raised it."""

    TARGET_OFF_TRACK = "target_off_track"
    TARGET_OVERDUE = "target_overdue"
    TASK_LATE = "task_late"
    MANUAL = "manual"


class TransitionError(ValueError):
    """A step the lifecycle does not allow (the service turns it into a user error)."""


@dataclass(frozen=True, slots=True)
class Step:
    """The outcome of an allowed step: the new status and the new extension count."""

    status: ItemStatus
    extensions: int


def apply(status: ItemStatus | str, action: str, *, extensions: int = 0, comment: str | None = None) -> Step:
    """The status after ``action`` on an item in ``status``, or ``TransitionError`` saying why not."""
    current = ItemStatus(status)
    if action not in ACTIONS:
        raise TransitionError(f"unknown action {action!r} (respond, extend, close or escalate)")
    if current not in OPEN:
        raise TransitionError(f"the item is {current.value}; nothing more can be done to it")
    if action in ("close", "respond", "extend") and not (comment and comment.strip()):
        raise TransitionError(f"{ACTION_ZH[action]} needs a text (the reason or the explanation)")
    if action == "extend":
        if current == ItemStatus.ESCALATED:
            raise TransitionError("the item is escalated; an extension is for the leadership to decide")
        if extensions >= MAX_EXTENSIONS:
            raise TransitionError(f"already extended {extensions} times (limit {MAX_EXTENSIONS}); escalate it")
        return Step(ItemStatus.EXTENDED, extensions + 1)
    if action == "escalate" and current == ItemStatus.ESCALATED:
        raise TransitionError("the item is already escalated")
    return Step(ACTIONS[action], extensions)


def is_item_overdue(status: ItemStatus | str, due_on: date | None, today: date) -> bool:
    """An open item whose reply deadline has passed."""
    return ItemStatus(status) in OPEN and due_on is not None and due_on < today


def reason_for_target(status: str) -> Reason | None:
    """The reason a target in progress ``status`` needs 督办, or None when it does not."""
    if status == "off_track":
        return Reason.TARGET_OFF_TRACK
    if status == "overdue":
        return Reason.TARGET_OVERDUE
    return None


class TaskStatus(StrEnum):
    """Task status as departments report it."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    DELAYED = "延期"

    @classmethod
    def parse(cls, text: str) -> TaskStatus:
        """Accept the Chinese words and English aliases (not_started, in_progress, done, delayed)."""
        aliases = {"not_started": cls.NOT_STARTED, "in_progress": cls.IN_PROGRESS, "done": cls.DONE,
                   "delayed": cls.DELAYED, "完成": cls.DONE, "未开始": cls.NOT_STARTED}
        s = text.strip()
        for m in cls:
            if s == m.value:
                return m
        if s.lower() in aliases:
            return aliases[s.lower()]
        raise ValueError(f"unknown task status {text!r} (未启动, 进行中, 已完成 or 延期)")


def task_is_late(status: TaskStatus | str, deadline: date | None, completed_on: date | None, today: date) -> bool:
    """Late: not done by its deadline (still open after it, or completed after it), or reported 延期."""
    st = TaskStatus(status)
    if st == TaskStatus.DELAYED:
        return True
    if deadline is None:
        return False
    if st == TaskStatus.DONE:
        return completed_on is not None and completed_on > deadline
    return today > deadline
