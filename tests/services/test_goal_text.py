"""The one wording of a target's goal (``ProgressRow.goal_text``) that the progress table, 督办 details and
reports share."""

from __future__ import annotations

import pytest

from innocity.services.models import ActualInfo, BaselineInfo, ProgressRow, TargetGoal


def row(**goal: object) -> ProgressRow:
    return ProgressRow(target_id=1, plan_id=1, indicator="研发经费投入强度", text="…", baseline=BaselineInfo(),
                       target=TargetGoal(**{"comparator": ">=", "kind": "level", **goal}), actual=ActualInfo(),
                       status="pending", evaluated_year=2020)


@pytest.mark.parametrize(("goal", "text"), [
    ({"value": 2.8, "unit": "%", "year": 2020}, "≥2.8%（2020年）"),
    ({"value": 300, "value_max": 350, "unit": "亿元", "year": 2015}, "≥300–350亿元（2015年）"),
    ({"value": 15, "kind": "growth", "year": 2020}, "年均增长15%（2020年）"),
    ({"value": 5, "unit": "%", "approximate": True, "year_text": "201*"}, "≥5%左右（201*）"),
    ({"value": None, "year": 2020}, "目标值未定（2020年）"),
    ({"value": 1, "unit": "个"}, "≥1个（年份待定）"),
])
def test_goal_wording(goal: dict[str, object], text: str) -> None:
    assert row(**goal).goal_text() == text
