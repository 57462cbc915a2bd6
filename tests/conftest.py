"""Shared test fixtures. Factories with keyword overrides live in ``tests/factories.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_PAGE = ROOT / "src" / "innocity" / "data" / "samples" / "innovative-city-plans-4.txt"
PLAN_SCHEMA = ROOT / "src" / "innocity" / "data" / "contracts" / "plan.schema.json"


@pytest.fixture(scope="session")
def sample_page_path() -> Path:
    return SAMPLE_PAGE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_PAGE.read_text(encoding="utf-8")
