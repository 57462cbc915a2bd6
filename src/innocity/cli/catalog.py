"""Commands of this area; see the module that registers them in ``innocity.cli``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
