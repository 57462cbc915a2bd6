"""Lookups on an outline (a list of ``Section`` trees): which sections enclose a position."""

from __future__ import annotations

from innocity.domain.plan import Section


def enclosing(outline: list[Section], pos: int) -> list[Section]:
    """The chain of sections containing ``pos``, outermost first."""
    chain: list[Section] = []
    level = outline
    while True:
        hit = next((s for s in level if s.span[0] <= pos < s.span[1]), None)
        if hit is None:
            return chain
        chain.append(hit)
        level = hit.children


def section_path(outline: list[Section], pos: int) -> str | None:
    """Markers of the enclosing sections joined by '/', e.g. '二、/(一)'; None outside every section."""
    chain = enclosing(outline, pos)
    return "/".join(s.marker for s in chain) if chain else None
