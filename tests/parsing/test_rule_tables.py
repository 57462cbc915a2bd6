"""Every named rule of the parser's rule tables decides its own example: the example sentence, read as a
plan, has a number whose decision names that rule (and the rule's verdict). The tables are the
specification of docs/parsing-rules.md, so this also keeps the document honest."""

from __future__ import annotations

import pytest

from innocity.parsing import targets
from innocity.parsing.outline import build_outline
from innocity.parsing.targets_negatives import HARD_NEGATIVES, Rule
from innocity.parsing.targets_tense import TENSE_RULES, TenseRule


def _decisions(text: str) -> list[tuple[str, str, str]]:
    got = targets.read(text, (0, len(text)), build_outline(text, (0, len(text))), explain=True)
    assert got.decisions is not None
    return [(d.text, d.verdict, d.rule) for d in got.decisions]


@pytest.mark.parametrize("rule", HARD_NEGATIVES, ids=[r.name for r in HARD_NEGATIVES])
def test_each_hard_negative_drops_its_example(rule: Rule) -> None:
    decisions = _decisions(rule.example)
    assert any(v == "dropped" and r == rule.name for _, v, r in decisions), decisions
    got = targets.read(rule.example, (0, len(rule.example)), [])
    assert not any(rule.name in t.text for t in got.targets)


@pytest.mark.parametrize("rule", TENSE_RULES, ids=[r.name for r in TENSE_RULES])
def test_each_tense_rule_decides_its_example(rule: TenseRule) -> None:
    decisions = _decisions(rule.example)
    assert any(v == rule.verdict and r == rule.name for _, v, r in decisions), decisions


def test_rule_names_are_unique_and_reasons_short() -> None:
    names = [r.name for r in HARD_NEGATIVES] + [r.name for r in TENSE_RULES]
    assert len(names) == len(set(names))
    for r in [*HARD_NEGATIVES, *TENSE_RULES]:
        assert r.reason and len(r.reason) <= 120, r.name
