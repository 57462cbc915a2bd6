"""The web settings: the secret key is generated once, kept private, and shared by every worker."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from innocity.settings import Settings
from innocity.web.config import SECRET_FILE, WebSettings, secret_key_file


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", data_dir=tmp_path, **kw)  # type: ignore[arg-type]


def test_a_generated_key_is_kept_with_mode_0600_and_reused(tmp_path: Path) -> None:
    first = WebSettings.of(_settings(tmp_path))
    path = tmp_path / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 32
    assert WebSettings.of(_settings(tmp_path)).secret_key == first.secret_key
    path.chmod(0o644)  # loosened by someone: tightened again on the next start
    assert secret_key_file(tmp_path) == first.secret_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_environment_key_wins_and_no_file_is_written(tmp_path: Path) -> None:
    web = WebSettings.of(_settings(tmp_path, secret_key="e" * 40, https=True, max_upload_mb=5))
    assert web.secret_key == "e" * 40 and web.https and web.max_upload_bytes == 5 * 10**6
    assert web.max_upload_mb == "5"
    assert not (tmp_path / SECRET_FILE).exists()


def test_serve_is_a_command_with_help() -> None:
    from typer.testing import CliRunner

    from innocity.cli import app

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0 and "--workers" in result.output and "INNOCITY_SECRET_KEY" in result.output


def test_the_server_runs_on_the_c_http_parser_and_uvloop(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``innocity serve`` asks uvicorn for httptools and uvloop (both are dependencies), and uvicorn can
    load them: without them it would fail to start, not fall back silently to the slower h11."""
    import uvicorn
    from typer.testing import CliRunner
    from uvicorn.config import Config

    from innocity.cli import app

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: seen.update(kw, target=target))
    monkeypatch.setenv("INNOCITY_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("INNOCITY_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert seen["http"] == "httptools" and seen["port"] == 8765 and seen["factory"] is True
    config = Config(lambda: None, http=seen["http"], loop=seen["loop"])  # type: ignore[arg-type]
    config.load()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
    assert "uvloop" in config.get_loop_factory().__module__  # type: ignore[union-attr]



def _routes(router: Any) -> Iterator[Any]:
    """Every route of a router, through the routers it includes."""
    for r in router.routes:
        if hasattr(r, "original_router"):
            yield from _routes(r.original_router)
        else:
            yield r


def test_no_page_path_can_take_an_api_request() -> None:
    """Pages are tried before the API (they are asked for most), which is safe only while no page route
    matches a path under /api/: checked for every API route's path, parameters filled in, every method."""
    from starlette.routing import Match

    from innocity.web.app import API_ROUTERS, PAGE_ROUTERS

    api = [(re.sub(r"\{[^}]+\}", "1", r.path), m) for router in API_ROUTERS for r in _routes(router)
           for m in getattr(r, "methods", None) or {"GET"}]
    assert len(api) > 30 and all(path.startswith("/api/") for path, _ in api)
    pages = [r for router in PAGE_ROUTERS for r in _routes(router)]
    for path, method in api:
        scope = {"type": "http", "path": path, "method": method, "root_path": "", "headers": [], "query_string": b""}
        taken = [r.path for r in pages if r.matches(scope)[0] != Match.NONE]
        assert not taken, (method, path, taken)
