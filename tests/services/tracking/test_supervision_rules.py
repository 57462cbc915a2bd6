"""The 督办 lifecycle and task lateness rules."""

from __future__ import annotations

from datetime import date

import pytest

from innocity.domain.supervision import (
    MAX_EXTENSIONS,
    ItemStatus,
    TaskStatus,
    TransitionError,
    apply,
    is_item_overdue,
    reason_for_target,
    task_is_late,
)


def test_full_lifecycle_raised_respond_extend_close() -> None:
    st = apply("raised", "respond", comment="受疫情影响，项目延后开工")
    assert st.status == ItemStatus.RESPONDED
    st = apply(st.status, "extend", extensions=st.extensions, comment="申请延期至年底")
    assert (st.status, st.extensions) == (ItemStatus.EXTENDED, 1)
    st = apply(st.status, "close", extensions=st.extensions, comment="指标已完成，予以销号")
    assert st.status == ItemStatus.CLOSED
    with pytest.raises(TransitionError, match="closed"):
        apply(st.status, "respond", comment="再说明")


def test_extensions_are_counted_and_limited() -> None:
    ext = 0
    status: ItemStatus = ItemStatus.RAISED
    for _ in range(MAX_EXTENSIONS):
        step = apply(status, "extend", extensions=ext, comment="原因")
        status, ext = step.status, step.extensions
    assert ext == MAX_EXTENSIONS
    with pytest.raises(TransitionError, match="escalate"):
        apply(status, "extend", extensions=ext, comment="再延期")
    assert apply(status, "escalate", extensions=ext).status == ItemStatus.ESCALATED


def test_texts_required_and_escalated_rules() -> None:
    with pytest.raises(TransitionError, match="销号"):
        apply("raised", "close", comment="  ")
    with pytest.raises(TransitionError, match="延期申请"):
        apply("raised", "extend")
    with pytest.raises(TransitionError, match="leadership"):
        apply("escalated", "extend", comment="x")
    with pytest.raises(TransitionError, match="already"):
        apply("escalated", "escalate")
    assert apply("escalated", "close", comment="领导批示已落实").status == ItemStatus.CLOSED
    with pytest.raises(TransitionError, match="unknown action"):
        apply("raised", "delete")


def test_item_overdue_and_reasons() -> None:
    assert is_item_overdue("raised", date(2026, 1, 1), date(2026, 1, 2))
    assert not is_item_overdue("closed", date(2026, 1, 1), date(2026, 1, 2))
    assert not is_item_overdue("responded", None, date(2026, 1, 2))
    assert reason_for_target("off_track") == "target_off_track"
    assert reason_for_target("overdue") == "target_overdue"
    assert reason_for_target("behind") is None


@pytest.mark.parametrize(
    ("status", "deadline", "done", "today", "late"),
    [
        ("进行中", date(2016, 6, 30), None, date(2016, 7, 1), True),
        ("进行中", date(2016, 6, 30), None, date(2016, 6, 30), False),
        ("已完成", date(2016, 6, 30), date(2016, 7, 15), date(2017, 1, 1), True),
        ("已完成", date(2016, 6, 30), date(2016, 6, 1), date(2017, 1, 1), False),
        ("延期", None, None, date(2016, 1, 1), True),
        ("未启动", None, None, date(2030, 1, 1), False),
    ],
)
def test_task_lateness(status: str, deadline: date | None, done: date | None, today: date, late: bool) -> None:
    assert task_is_late(status, deadline, done, today) is late


def test_task_status_parse() -> None:
    assert TaskStatus.parse("done") == TaskStatus.DONE
    assert TaskStatus.parse(" 进行中 ") == TaskStatus.IN_PROGRESS
    with pytest.raises(ValueError, match="未启动"):
        TaskStatus.parse("finished-ish")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016年6月", date(2016, 6, 30)),
        ("2015年底前", date(2015, 12, 31)),
        ("2017年", date(2017, 12, 31)),
        ("2016年2月", date(2016, 2, 29)),
        ("201*年6月", None),  # masked: a person must set it
        ("长期坚持", None),
        (None, None),
    ],
)
def test_deadline_from_plan_words(text: str | None, expected: date | None) -> None:
    from innocity.services.tasks import deadline_from_text

    assert deadline_from_text(text) == expected
