"""The review workspace's source text with every extracted item highlighted, built on the server.

Plan texts come from outside and are untrusted: every fragment of text is escaped, and the only markup in
the result is ours (``<mark>`` elements with a class and a ``data-refs`` list of item references). Spans
may nest or overlap (a target inside a duty inside a phase): the text is cut at every span boundary and
each piece is marked with every item covering it, innermost first, coloured by the innermost item's kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

KINDS = ("targets", "facts", "duties", "phases", "programs")


@dataclass(frozen=True, slots=True)
class Span:
    """One item's span: ``ref`` names it in the page (``targets-12``), ``kind`` colours it."""

    ref: str
    kind: str
    start: int
    end: int


def window(text: str, spans: Iterable[Span], *, lines_before: int = 4, max_before: int = 800) -> tuple[int, int]:
    """The part of ``text`` a plan's items lie in, from a few lines before the first (the plan's title
    and heading) to the end of the line of the last; the whole text when there are no spans."""
    spans = list(spans)
    if not spans:
        return 0, len(text)
    lo = min(s.start for s in spans)
    hi = max(s.end for s in spans)
    start = text.rfind("\n", 0, lo) + 1
    for _ in range(lines_before):
        if start <= 0 or lo - start >= max_before:
            break
        start = text.rfind("\n", 0, max(start - 1, 0)) + 1
    start = max(start, lo - max_before)
    nl = text.find("\n", hi)
    end = len(text) if nl < 0 else nl
    return max(start, 0), end


def highlight(text: str, spans: Iterable[Span], *, start: int = 0, end: int | None = None) -> Markup:
    """``text[start:end]`` as HTML with a ``<mark>`` around every piece some span covers."""
    end = len(text) if end is None else min(end, len(text))
    items = [s for s in spans if s.start < s.end and s.end > start and s.start < end]
    cuts = {start, end}
    for s in items:
        cuts.add(max(s.start, start))
        cuts.add(min(s.end, end))
    bounds = sorted(cuts)
    opening: dict[int, list[Span]] = {}
    for s in items:
        opening.setdefault(max(s.start, start), []).append(s)
    active: list[Span] = []
    out: list[str] = []
    for a, b in pairwise(bounds):
        active = [s for s in active if s.end > a]
        active.extend(opening.get(a, ()))
        piece = escape(text[a:b])
        if not active:
            out.append(piece)
            continue
        inner = sorted(active, key=lambda s: (s.end - s.start, KINDS.index(s.kind) if s.kind in KINDS else 9))
        refs = " ".join(s.ref for s in inner)
        cls = f"hl k-{inner[0].kind}" + (" nested" if len(inner) > 1 else "")
        out.append(f'<mark class="{cls}" data-refs="{escape(refs)}">{piece}</mark>')
    return Markup("".join(out))
