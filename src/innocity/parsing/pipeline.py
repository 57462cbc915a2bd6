"""The parse pipeline: one page of text → the plans on it, each with every extractor's output.

This module is the composition root of ``innocity.parsing``: it owns the order of the stages and
nothing else. Each stage lives in its own module:

    segment.split_plans → per plan: outline.build_outline → region.detect_region →
    targets.extract (skipping watermarks) → duties.extract_duties → phases.extract_phases →
    programs.extract_programs

A stage that raises on some odd input costs that stage's output for that plan (and adds a warning),
never the whole document: the parser must not fail on arbitrary text. ``strict=True`` lets the
exception through instead, so tests see a stage's bug rather than an empty result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from innocity.domain.plan import ParsedDocument, Plan, Region, Section, SourceInfo, Span
from innocity.parsing import duties, outline, phases, programs, region, segment, targets
from innocity.parsing.readers import read_document

T = TypeVar("T")


def parse_text(text: str, *, strict: bool = False, explain: bool = False) -> tuple[list[Plan], list[str]]:
    """Split ``text`` into plans and run every extractor on each; returns (plans, warnings).

    ``explain`` fills each plan's ``explain`` list: every number the target reader considered and the rule
    that kept or dropped it (docs/parsing-rules.md)."""
    warnings: list[str] = []

    def run(stage: str, default: T, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        try:
            return fn(*args, **kw)
        except Exception as exc:
            if strict:
                raise
            warnings.append(f"{stage}: {type(exc).__name__}: {exc}")
            return default

    seg = run("segment", segment.Segmentation(), segment.split_plans, text)
    plans: list[Plan] = []
    for sl in seg.plans:
        span: Span = sl.span
        skip = [b for b in seg.boilerplate if b[0] < span[1] and b[1] > span[0]]
        tree: list[Section] = run("outline", [], outline.build_outline, text, span)
        place = run(
            "region", Region(name=None, province=None, confidence=0.0), region.detect_region, text, span
        )
        tf = run("targets", targets.Extraction(), targets.read, text, span, tree, skip=skip, explain=explain)
        warnings.extend(tf.warnings)
        plans.append(
            Plan(
                title=sl.title,
                span=span,
                region=place,
                outline=tree,
                targets=tf.targets,
                facts=tf.facts,
                duties=run("duties", [], duties.extract_duties, text, span, tree, place),
                phases=run("phases", [], phases.extract_phases, text, span, tree),
                programs=run("programs", [], programs.extract_programs, text, span, tree),
                label=sl.label,
                explain=tf.decisions if explain else None,
            )
        )
    return plans, warnings


def parse_bytes(data: bytes, name: str, *, explain: bool = False) -> ParsedDocument:
    """Decode ``data`` (txt/html/docx/pdf, by ``name`` and content) and parse it.

    Raises ``DocumentError`` from the reader when the bytes hold no readable text.
    """
    doc = read_document(data, name)
    plans, warnings = parse_text(doc.text, explain=explain)
    return ParsedDocument(
        source=SourceInfo(
            name=doc.name,
            sha256=doc.sha256,
            media_type=doc.media_type,
            encoding=doc.encoding,
            chars=len(doc.text),
        ),
        plans=plans,
        warnings=[*doc.warnings, *warnings],
        text=doc.text,
    )
