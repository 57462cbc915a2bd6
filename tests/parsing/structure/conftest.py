"""Fixtures for the structure tests (segmentation, outline, phases, programmes, pipeline).

The documents ``tests/fixtures/plans/structure_*.txt`` were written for these tests in the style of
real municipal and provincial plans, government notices and news reports; their figures are invented.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[2]
PLANS = TESTS / "fixtures" / "plans"
SAMPLES = TESTS.parent / "src" / "innocity" / "data" / "samples"


@pytest.fixture(scope="session")
def gold() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (SAMPLES / "innovative-city-plans-4.gold.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="session")
def doc() -> Callable[[str], str]:
    """Text of ``tests/fixtures/plans/structure_<name>.txt``."""

    def load(name: str) -> str:
        return (PLANS / f"structure_{name}.txt").read_text(encoding="utf-8")

    return load
