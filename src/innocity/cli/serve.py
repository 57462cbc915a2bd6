"""``innocity serve``: the web application and its API under uvicorn.

Settings come from the environment (``innocity --help``; the web ones are in ``innocity.web.config``). The
secret key is resolved here, once, before any worker starts, so a generated key is written by one process
and every worker signs with the same one.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .common import app_context

# uvloop where it installs (not on Windows, where uvicorn's own choice, asyncio, is kept)
SERVER_LOOP = "auto" if sys.platform == "win32" else "uvloop"


def serve(
    host: Annotated[str, typer.Option("--host", help="address to listen on (0.0.0.0: every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="worker processes", min=1, max=64)] = 1,
) -> None:
    """Run the web application on http://HOST:PORT until Ctrl-C. Example: innocity serve --port 8000

    Environment: INNOCITY_SECRET_KEY (default: generated once into the data directory, mode 0600),
    INNOCITY_HTTPS=1 (Secure cookies, behind TLS), INNOCITY_MAX_UPLOAD_MB (default 20).
    """
    import uvicorn

    from innocity.web.config import WebSettings

    ctx = app_context()
    WebSettings.of(ctx.settings)  # creates the key file once, before any worker starts
    ctx.upgrade()  # migrate before workers start, not in each of them at once
    typer.echo(f"innocity: serving on http://{host}:{port} (Ctrl-C to stop)", err=True)
    uvicorn.run(
        "innocity.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http="httptools",  # C parser: about 0.8 ms less CPU per request than h11 (benchmarks/bench_web.py)
        loop=SERVER_LOOP,
        proxy_headers=True,
        server_header=False,
        log_level="info",
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.command("serve")(serve)
