"""Fixtures of the storage suite; the database fixtures (``settings``, ``store``: SQLite, and PostgreSQL when
``INNOCITY_TEST_DATABASE_URL`` is set) are shared with the tracking suite in ``tests/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from innocity.settings import Settings


@pytest.fixture
def run_cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run ``innocity ARGS`` in-process against the test database; returns (status, stdout, stderr)."""
    from innocity.cli import main

    monkeypatch.setenv("INNOCITY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INNOCITY_USER", settings.user)
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
