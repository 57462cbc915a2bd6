"""The indicator catalogue (a data file shipped in the package) and the phrase matcher.

Public API (used by services): ``load_catalog``, ``Catalog``, ``Indicator``, ``Matcher``,
``annotate_document`` and the unit conversions in ``innocity.catalog.units``.
"""

from __future__ import annotations

from innocity.domain.plan import ParsedDocument


def annotate_document(doc: ParsedDocument) -> None:
    """Fill ``indicator_code`` and ``match_score`` of every target and fact in ``doc``.

    Placeholder until the catalogue lands: leaves every item unmatched (never guesses).
    """
    return None
