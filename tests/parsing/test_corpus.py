"""The real-document regression set (tests/fixtures/corpus/plans: NAME.txt + NAME.gold.json, gold readings
made by hand before any parser run) scored per document class, with the floors the parser has reached.
Skipped while the set is absent. Failure classes are fixed as general rules, never for one document."""

from __future__ import annotations

from pathlib import Path

import pytest

from innocity.parsing.scoring import Report, Score
from innocity.services.evaluation import evaluate, gold_pairs

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "plans"
HAS_GOLD = CORPUS.is_dir() and bool(gold_pairs(CORPUS))
pytestmark = pytest.mark.skipif(not HAS_GOLD, reason="no real-document set with gold readings")

# targets F1 per document class: the issue asks ≥ 0.90 (excerpts), ≥ 0.95 (complete), ≥ 0.80 (other
# government plans and work reports); these are the floors reached, a little below the figures measured
TARGET_FLOORS = {"excerpt": 0.95, "complete": 0.95, "news": 0.95, "other_gov": 0.90}


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(CORPUS)


@pytest.mark.parametrize("doc_class", sorted(TARGET_FLOORS))
def test_targets_per_document_class(report: Report, doc_class: str) -> None:
    classes = report.by_class()
    if doc_class not in classes:
        pytest.skip(f"no {doc_class} document in the set")
    s = classes[doc_class].overall["targets"]
    assert s.f1 >= TARGET_FLOORS[doc_class], s.to_dict()


def test_duties_lead_and_support_exact(report: Report) -> None:
    s: Score = report.overall["duties"]
    assert s.f1 >= 0.95, s.to_dict()


def test_right_city_or_province(report: Report) -> None:
    right, total = report.regions_right
    assert total and right / total >= 0.95, (right, total)


def test_no_hard_negative_is_read_as_a_target_in_most_documents(report: Report) -> None:
    hit = sum(1 for p in report.plans if p.negatives_hit)
    assert hit <= max(2, len(report.plans) // 5), [(p.label, p.negatives_hit) for p in report.plans if p.negatives_hit]
