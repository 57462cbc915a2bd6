"""Fixtures of the loop suite (data entry, approval, progress, dashboard, 督办, index): the database
fixtures are the shared ones of ``tests/conftest.py``; ``scenario`` stores the two-city plan of ``seed``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from innocity.app import AppContext

sys.path.insert(0, str(Path(__file__).parent))

from seed import Scenario, build


@pytest.fixture
def scenario(app: AppContext) -> Scenario:
    return build(app)
