"""Fixtures for the target tests: run the extractor on a short text the way the pipeline would."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from innocity.domain.plan import Fact, Target
from innocity.parsing.targets import extract

Runner = Callable[[str], tuple[list[Target], list[Fact]]]


def _run(text: str) -> tuple[list[Target], list[Fact]]:
    targets, facts = extract(text, (0, len(text)), [], skip=[])
    for item in [*targets, *facts]:
        assert text[item.span[0] : item.span[1]] == item.text, item  # every span quotes its text
    return targets, facts


@pytest.fixture
def run() -> Runner:
    """Targets and facts of a text read as one plan, with every span checked against the text."""
    return _run
