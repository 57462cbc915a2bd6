"""Generalisation check: constructed plans in other forms (a modern city plan with an indicator table, a
provincial action plan, a news report, a county plan with a task table), scored with the same scorer and
bars as the held-out set of real plans: targets F1 ≥ 0.85, duties F1 ≥ 0.8, the right place for ≥ 80%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innocity.parsing.scoring import Score, score_document
from innocity.services.parsing import parse_path

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
DOCS = sorted(p for p in HELDOUT.glob("*.txt"))


@pytest.fixture(scope="module")
def reports() -> dict[str, object]:
    out = {}
    for path in DOCS:
        gold = json.loads(path.with_suffix(".gold.json").read_text(encoding="utf-8"))
        out[path.stem] = score_document(parse_path(path), gold)
    return out


def _total(reports: dict[str, object], category: str) -> Score:
    total = Score()
    for rep in reports.values():
        total.add(rep.overall[category])  # type: ignore[attr-defined]
    return total


def test_there_are_several_heldout_documents() -> None:
    assert len(DOCS) >= 4


def test_targets_f1_across_heldout_documents(reports: dict[str, object]) -> None:
    s = _total(reports, "targets")
    assert s.f1 >= 0.85, s.to_dict()


def test_duties_f1_across_heldout_documents(reports: dict[str, object]) -> None:
    s = _total(reports, "duties")
    assert s.f1 >= 0.8, s.to_dict()


def test_regions_right_for_most_documents(reports: dict[str, object]) -> None:
    right = total = 0
    for rep in reports.values():
        r, t = rep.regions_right  # type: ignore[attr-defined]
        right, total = right + r, total + t
    assert total and right / total >= 0.8, (right, total)
