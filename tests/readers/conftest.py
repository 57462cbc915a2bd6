"""Fixture documents for the reader tests, generated once per session from tests/fixtures/docs/build.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

_BUILD = Path(__file__).resolve().parent.parent / "fixtures" / "docs" / "build.py"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("innocity_test_docs_build", _BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build() -> ModuleType:
    return load_build()


@pytest.fixture(scope="session")
def docs(build: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build.write_all(tmp_path_factory.mktemp("docs"))
