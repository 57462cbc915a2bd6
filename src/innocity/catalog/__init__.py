"""The indicator catalogue (a data file shipped in the package) and the phrase matcher.

Public API (used by services): ``load_catalog``, ``Catalog``, ``Indicator``, ``Matcher``, ``Match``,
``annotate_document`` and the unit conversions in ``innocity.catalog.units``.
"""

from __future__ import annotations

from functools import lru_cache

from innocity.domain.plan import ParsedDocument

from .loader import load_catalog
from .matcher import Candidate, Match, Matcher
from .model import DIMENSIONS, Catalog, Formula, Indicator

__all__ = [
    "DIMENSIONS",
    "Candidate",
    "Catalog",
    "Formula",
    "Indicator",
    "Match",
    "Matcher",
    "annotate_document",
    "default_matcher",
    "load_catalog",
]


@lru_cache(maxsize=1)
def default_matcher() -> Matcher:
    """A matcher over the built-in catalogue, built once per process (its cache is shared)."""
    return Matcher(load_catalog())


def annotate_document(doc: ParsedDocument, matcher: Matcher | None = None) -> None:
    """Fill ``indicator_code`` and ``match_score`` of every target and fact in ``doc``.

    Uses each item's indicator phrase (its quote when the phrase is empty), unit and kind. Items that match
    nothing get ``None`` for both: an unmatched phrase is never given the nearest indicator.
    """
    m = matcher or default_matcher()
    for plan in doc.plans:
        for t in plan.targets:
            hit = m.match(t.indicator or t.text, unit=t.unit, kind=t.kind)
            t.indicator_code, t.match_score = (hit.code, hit.score) if hit else (None, None)
        for f in plan.facts:
            hit = m.match(f.indicator or f.text, unit=f.unit)
            f.indicator_code, f.match_score = (hit.code, hit.score) if hit else (None, None)
