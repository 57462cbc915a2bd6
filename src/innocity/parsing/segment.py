"""Splitting a page into plans and finding the website chrome (boilerplate) around and inside them."""

from __future__ import annotations

from dataclasses import dataclass, field

from innocity.domain.plan import Span


@dataclass(slots=True)
class PlanSlice:
    """One plan on the page: its span (title to end of body), label (篇一 …) and title."""

    span: Span
    label: str | None = None
    title: str | None = None
    title_span: Span | None = None


@dataclass(slots=True)
class Segmentation:
    plans: list[PlanSlice] = field(default_factory=list)
    boilerplate: list[Span] = field(default_factory=list)


def split_plans(text: str) -> Segmentation:
    """The plans on the page and the boilerplate spans (header/footer lines, inline watermarks)."""
    end = len(text.rstrip())
    start = len(text) - len(text.lstrip())
    if end <= start:
        return Segmentation()
    return Segmentation(plans=[PlanSlice(span=(start, end))])
