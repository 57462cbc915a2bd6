"""The measures of issue 13 on the real documents with golds: bulletin levels F1 ≥ 0.85, and no goal of the
coming year read as an observation in any document."""

from __future__ import annotations

import json

import pytest

from innocity.parsing.bulletin import read_bulletin
from innocity.parsing.bulletin_scoring import Tally, score_bulletins, score_reading, summarise

from .conftest import GOLD_DIRS

pytestmark = pytest.mark.skipif(not GOLD_DIRS, reason="no gold readings of bulletins")


def _scores():
    return summarise([d for directory in GOLD_DIRS for d in score_bulletins(directory).documents])


def test_bulletin_levels_f1() -> None:
    s = _scores()
    assert "bulletin" in s.levels_by_kind
    assert s.levels_by_kind["bulletin"].f1 >= 0.85, s.levels_by_kind["bulletin"].to_dict()


def test_no_goal_is_read_as_an_observation() -> None:
    s = _scores()
    assert s.goals_as_observations == 0, [g for d in s.documents for g in d.goals_as_observations]


def test_year_and_region_of_every_gold() -> None:
    s = _scores()
    assert [d.name for d in s.documents if d.year_ok is False] == []
    assert [d.name for d in s.documents if d.region_ok is False] == []


def test_a_goal_read_as_a_figure_is_counted() -> None:
    text = "2016年工作回顾\n地区生产总值增长8%。今年地区生产总值增长7%左右。"
    gold = {"kind": "work_report", "year": 2016, "observations": [],
            "not_observations": [{"quote": "今年地区生产总值增长7%左右", "why": "goal for this year"}]}
    reading = read_bulletin(text)
    reading.figures.extend(reading.goals)  # as if the extractor had missed the goal
    score = score_reading(reading, gold, text)
    assert len(score.goals_as_observations) == 1


def test_tally_and_json() -> None:
    t = Tally(gold=4, predicted=5, matched=4)
    assert (t.precision, t.recall, round(t.f1, 3)) == (0.8, 1.0, 0.889)
    assert Tally().f1 == 1.0  # nothing to find, nothing proposed
    json.dumps(_scores().to_dict(), ensure_ascii=False)
