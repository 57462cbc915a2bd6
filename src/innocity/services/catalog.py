"""Use cases of the indicator catalogue: list, show, match a phrase, add a user's indicators.

The user's own indicators live in ``AppContext.catalog_dir`` (one file per ``catalog add``), merged with the
built-in catalogue once per process by ``AppContext.catalog``: every service (import, progress, matching,
the index) sees the same indicators. Functions take the catalogue explicitly, never print and raise errors
from ``innocity.errors``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from innocity.catalog import Candidate, Catalog, Indicator, Match, Matcher
from innocity.catalog.loader import (
    builtin_indicators,
    catalog_files,
    check_consistency,
    parse_file,
    read_text,
)
from innocity.catalog.normalize import normalize
from innocity.errors import CatalogError, UserInputError

KINDS = ("level", "growth", "change")


def list_indicators(catalog: Catalog, *, dimension: str | None = None) -> list[Indicator]:
    """Every indicator, or those of one dimension (GOV … DRV or its Chinese name), in catalogue order."""
    return catalog.in_dimension(dimension) if dimension else list(catalog.indicators)


def show_indicator(catalog: Catalog, *, code: str) -> Indicator:
    """One indicator by code (case-insensitive); ``NotFoundError`` when unknown."""
    return catalog.get(code.strip().upper())


@dataclass(frozen=True, slots=True)
class MatchReport:
    """The match (None when the phrase stays unmatched) and the best candidates behind it."""

    phrase: str
    unit: str | None
    kind: str | None
    match: Match | None
    candidates: list[Candidate]
    normalized: str = ""  # the phrase in the matcher's vocabulary, for seeing why it matched
    threshold: float = 0.0


def match_phrase(
    matcher: Matcher, *, phrase: str, unit: str | None = None, kind: str | None = None, limit: int = 5
) -> MatchReport:
    """Match one phrase against the merged catalogue and explain the result."""
    if not phrase.strip():
        raise UserInputError("the phrase is empty", field="phrase")
    if kind is not None and kind not in KINDS:
        raise UserInputError(f"must be one of {', '.join(KINDS)}", field="kind")
    return MatchReport(
        phrase=phrase,
        unit=unit,
        kind=kind,
        match=matcher.match(phrase, unit=unit, kind=kind),
        candidates=matcher.candidates(phrase, unit=unit, kind=kind, limit=limit),
        normalized=normalize(phrase).text,
        threshold=matcher.threshold,
    )


@dataclass(frozen=True, slots=True)
class AddResult:
    codes: list[str]
    stored_at: Path
    replaced: bool  # a file of the same name was there before and has been replaced


def add_indicators(*, catalog_dir: Path, path: Path) -> AddResult:
    """Validate a user's YAML or CSV file of indicators and store it (as UTF-8) in the user's catalogue.

    Everything is checked before anything is written (schema, units, duplicate codes within the file, against
    the built-in catalogue and the user's other files, formula references), and the file is written whole or
    not at all. Adding a file with the same name again replaces the earlier one.
    """
    if not path.is_file():
        raise CatalogError("no such file", source=str(path))
    text = read_text(path)  # stored as UTF-8 whatever the user's encoding was
    new = parse_file(path, text)
    target_dir = catalog_dir
    dest = target_dir / path.name
    others: list[Indicator] = []
    if target_dir.is_dir():
        for existing in catalog_files(target_dir):
            if existing.name != path.name:
                others.extend(parse_file(existing))
    check_consistency([*builtin_indicators(), *others, *new], source=path.name)
    target_dir.mkdir(parents=True, exist_ok=True)
    replaced = dest.exists()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=target_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return AddResult([i.code for i in new], dest, replaced)
