"""docs/parsing-rules.md is the readable specification of the rule tables: every named rule is in it."""

from __future__ import annotations

from pathlib import Path

from innocity.parsing.duty_prose import SHAPES
from innocity.parsing.targets_negatives import HARD_NEGATIVES
from innocity.parsing.targets_tense import TENSE_RULES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "parsing-rules.md").read_text(encoding="utf-8")
OTHER_RULES = ("bare-number", "inside-quotes", "amount-describes-counted", "multiple-of-baseline", "blank-number",
               "table-target-column", "table-base-column", "labelled-line", "task-table", "stacked-table",
               "bracketed-list")


def test_every_rule_is_documented() -> None:
    names = [r.name for r in HARD_NEGATIVES] + [r.name for r in TENSE_RULES] + [s.name for s in SHAPES]
    missing = [n for n in [*names, *OTHER_RULES] if f"`{n}`" not in DOC]
    assert missing == []


def test_the_documented_order_is_the_table_order() -> None:
    positions = [DOC.index(f"`{r.name}`") for r in HARD_NEGATIVES]
    assert positions == sorted(positions)
    positions = [DOC.index(f"`{r.name}`") for r in TENSE_RULES]
    assert positions == sorted(positions)
