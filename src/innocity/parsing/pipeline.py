"""The parse pipeline: one page of text → the plans on it, each with every extractor's output.

This module is the composition root of ``innocity.parsing``: it owns the order of the stages and
nothing else. Each stage lives in its own module; a stage that fails on some odd input costs that
stage's output (and a warning), never the whole document, because the pipeline must not raise on
arbitrary text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from innocity.domain.plan import ParsedDocument, Plan, Region, Section, SourceInfo, Span
from innocity.parsing import segment


def _optional(module: str, name: str, warnings: list[str], strict: bool) -> Callable[..., Any] | None:
    """A sibling stage that may not be written yet (parallel development); None until it exists.

    A stage that exists but fails to import is reported as a warning (or raised when ``strict``).
    """
    full = f"innocity.parsing.{module}"
    try:
        mod = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        if strict:
            raise
        warnings.append(f"{module}: cannot import: {exc}")
        return None
    except Exception as exc:
        if strict:
            raise
        warnings.append(f"{module}: cannot import: {type(exc).__name__}: {exc}")
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def _empty_region() -> Region:
    return Region(name=None, province=None, confidence=0.0)


def parse_text(text: str, *, strict: bool = False) -> tuple[list[Plan], list[str]]:
    """Split ``text`` into plans and run every extractor on each; returns (plans, warnings).

    A stage that raises loses only its own output and adds a warning; ``strict=True`` lets the
    exception through instead (for tests, so a bug in a stage is seen rather than hidden).
    """
    warnings: list[str] = []

    def run(fn: Callable[..., Any] | None, default: Any, stage: str, *args: Any, **kw: Any) -> Any:
        if fn is None:
            return default
        try:
            return fn(*args, **kw)
        except Exception as exc:
            if strict:
                raise
            warnings.append(f"{stage}: {type(exc).__name__}: {exc}")
            return default

    seg = segment.split_plans(text)
    build_outline = _optional("outline", "build_outline", warnings, strict)
    detect_region = _optional("region", "detect_region", warnings, strict)
    extract_targets = _optional("targets", "extract", warnings, strict)
    extract_duties = _optional("duties", "extract_duties", warnings, strict)
    extract_phases = _optional("phases", "extract_phases", warnings, strict)
    extract_programs = _optional("programs", "extract_programs", warnings, strict)
    plans: list[Plan] = []
    for sl in seg.plans:
        span: Span = sl.span
        skip = [b for b in seg.boilerplate if b[0] < span[1] and b[1] > span[0]]
        outline: list[Section] = run(build_outline, [], "outline", text, span)
        region: Region = run(detect_region, _empty_region(), "region", text, span)
        tf = run(extract_targets, ([], []), "targets", text, span, outline, skip=skip)
        targets, facts = tf
        duties = run(extract_duties, [], "duties", text, span, outline, region)
        phases = run(extract_phases, [], "phases", text, span, outline)
        programs = run(extract_programs, [], "programs", text, span, outline)
        plans.append(
            Plan(
                title=sl.title,
                span=span,
                region=region,
                outline=outline,
                targets=list(targets),
                facts=list(facts),
                duties=list(duties),
                phases=list(phases),
                programs=list(programs),
                label=sl.label,
            )
        )
    return plans, warnings


def parse_bytes(data: bytes, name: str) -> ParsedDocument:
    """Decode ``data`` (txt/html/docx/pdf, by ``name`` and content) and parse it.

    Raises ``DocumentError`` from the reader when the bytes hold no readable text.
    """
    import_warnings: list[str] = []
    read_document = _optional("readers", "read_document", import_warnings, True)
    if read_document is None:  # readers not written yet: plain UTF-8 text only
        from innocity.errors import DocumentError

        raise DocumentError(f"{name}: no document reader available")
    doc = read_document(data, name)
    plans, warnings = parse_text(doc.text)
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
