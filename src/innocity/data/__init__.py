"""Package data only (no code besides this helper): sample documents and reference tables, each with its
provenance in a PROVENANCE.md beside it."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable


def resource(*parts: str) -> Traversable:
    """A file shipped in ``innocity/data``."""
    node = files(__name__)
    for p in parts:
        node = node.joinpath(p)
    return node
