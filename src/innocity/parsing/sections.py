"""Lookups on an outline (a list of ``Section`` trees): which sections enclose a position."""

from __future__ import annotations

from bisect import bisect_right

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


class SectionPaths:
    """``section_path(outline, pos)`` for many positions in one outline (a plan's targets and facts).

    Between two consecutive span ends of the outline's sections every test ``start <= pos < end`` comes out
    the same, so is the path: it is computed once per such interval, found by bisection."""

    __slots__ = ("_bounds", "_memo", "_outline")

    def __init__(self, outline: list[Section]) -> None:
        self._outline = outline
        ends: set[int] = set()
        for top in outline:
            for s in top.walk():
                ends.update(s.span)
        self._bounds = sorted(ends)
        self._memo: dict[int, str | None] = {}

    def __call__(self, pos: int) -> str | None:
        i = bisect_right(self._bounds, pos)
        try:
            return self._memo[i]
        except KeyError:
            path = self._memo[i] = section_path(self._outline, pos)
            return path
