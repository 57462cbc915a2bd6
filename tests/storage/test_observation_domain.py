"""The observation vocabulary: periods as people write them, vintages in Chinese, the review workflow."""

from __future__ import annotations

from datetime import date

import pytest

from innocity.domain.observation import Period, Status, Vintage, can_transition


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", Period(2015)),
        ("2015年", Period(2015)),
        ("２０１５", Period(2015)),
        ("2015.0", Period(2015)),
        ("2015Q3", Period(2015, "quarter", 3)),
        ("2015-q1", Period(2015, "quarter", 1)),
        ("2015年第3季度", Period(2015, "quarter", 3)),
        ("2015-07", Period(2015, "month", 7)),
        ("2015/7", Period(2015, "month", 7)),
        ("2015年7月", Period(2015, "month", 7)),
        ("2015年12月", Period(2015, "month", 12)),
    ],
)
def test_periods_as_written(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected
    assert Period.parse(str(expected)) == expected  # the canonical spelling reads back


@pytest.mark.parametrize("text", ["", "20I5", "2015Q5", "2015-13", "15", "2015年上半年", "1850"])
def test_not_periods(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)


def test_period_ends_and_order() -> None:
    assert Period(2015, "quarter", 3).end == date(2015, 9, 30)
    assert Period(2016, "month", 2).end == date(2016, 2, 29)
    assert Period(2015).end == date(2015, 12, 31)
    assert str(Period(2015, "month", 7)) == "2015-07" and str(Period(2015, "quarter", 2)) == "2015Q2"


def test_vintages_in_chinese_and_default() -> None:
    assert Vintage.parse("快报") is Vintage.PRELIMINARY
    assert Vintage.parse("正式数") is Vintage.FINAL
    assert Vintage.parse("修订") is Vintage.REVISED
    assert Vintage.parse("") is Vintage.FINAL
    with pytest.raises(ValueError):
        Vintage.parse("估计")


def test_review_workflow() -> None:
    assert can_transition("draft", "submitted") and can_transition("submitted", "rejected")
    assert can_transition(Status.REJECTED, Status.DRAFT)
    assert not can_transition("approved", "rejected")  # unlocking goes back to draft first
    assert not can_transition("draft", "rejected")
