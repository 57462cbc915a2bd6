"""The parse pipeline: one page of text → the plans on it, each with every extractor's output.

This module is the composition root of ``innocity.parsing``: it owns the order of the stages and
nothing else. Each stage lives in its own module:

    segment.split_plans → per plan: outline.build_outline → region.detect_region →
    targets.extract (skipping watermarks) → duties.extract_duties → phases.extract_phases →
    programs.extract_programs

A slice of text that cannot hold a plan (too few Chinese characters, no word plans are made of) is no plan:
``innocity parse`` then reports "no plan found" (exit 1) instead of inventing one.

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
from innocity.parsing.rx import rx
from innocity.parsing.textfold import fold

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

    folded = fold(text)  # once for the page: segment, outline, targets and programmes read slices of it
    seg = run("segment", segment.Segmentation(), segment.split_plans, text, folded=folded)
    plans: list[Plan] = []
    for sl in seg.plans:
        span: Span = sl.span
        if not holds_a_plan(text, span):
            continue
        skip = [b for b in seg.boilerplate if b[0] < span[1] and b[1] > span[0]]
        tree: list[Section] = run("outline", [], outline.build_outline, text, span, folded=folded)
        place = run(
            "region", Region(name=None, province=None, confidence=0.0), region.detect_region, text, span
        )
        tf = run("targets", targets.Extraction(), targets.read, text, span, tree, skip=skip, explain=explain,
                 folded=folded)
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
                programs=run("programs", [], programs.extract_programs, text, span, tree, folded=folded),
                label=sl.label,
                explain=tf.decisions if explain else None,
            )
        )
    return plans, warnings


_CJK = rx(r"[\u4e00-\u9fff]")
_PLAN_WORDS = rx(
    r"目标|任务|规划|方案|计划|建设|发展|推进|实施|工作|措施|意见|要点|创新|项目|行动|达到|提高|增长|力争|确保|企业|"
    r"科技|研发|产业|经济|政府"
)
MIN_CJK = 10  # fewer Chinese characters than this hold no plan (a letter in German, /etc/passwd, a number dump)


def holds_a_plan(text: str, span: Span) -> bool:
    """True when ``text[span]`` can hold a plan: at least ``MIN_CJK`` Chinese characters and a word plans are
    made of. Both searches stop early and run in C, so a 50 MB line of digits is dismissed in milliseconds."""
    start, end = span
    found = 0
    for _ in _CJK.finditer(text, start, end):
        found += 1
        if found >= MIN_CJK:
            return _PLAN_WORDS.search(text, start, end) is not None
    return False


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
