"""The pipeline end to end on structure: plans, spans that quote, and no exception on odd input."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocity.domain.plan import Plan, Section
from innocity.parsing.outline import build_outline
from innocity.parsing.phases import extract_phases
from innocity.parsing.pipeline import parse_text
from innocity.parsing.programs import extract_programs
from innocity.parsing.segment import split_plans


def assert_quotes(text: str, plan: Plan) -> None:
    a, b = plan.span
    assert 0 <= a <= b <= len(text)
    for item in plan.items():
        assert text[item.span[0] : item.span[1]] == item.text
    stack: list[Section] = list(plan.outline)
    while stack:
        sec = stack.pop()
        assert a <= sec.span[0] <= sec.span[1] <= b
        stack.extend(sec.children)


def test_sample_page_parses_into_four_plans_with_structure(sample_text: str) -> None:
    plans, warnings = parse_text(sample_text)
    assert [p.label for p in plans] == ["篇一", "篇二", "篇三", "篇四"]
    assert all(isinstance(w, str) for w in warnings)
    for p in plans:
        assert_quotes(sample_text, p)
        assert p.outline
    assert len(plans[0].phases) == 3
    assert any("5568" in prog.name and prog.consistent for prog in plans[0].programs)


def test_every_fixture_document_parses_and_quotes(doc: Callable[[str], str]) -> None:
    for name in ("notice_attachment", "two_plans_site", "news_report", "provincial_fullwidth", "table_flat"):
        text = doc(name)
        plans, _ = parse_text(text)
        assert plans, name
        for p in plans:
            assert_quotes(text, p)


def test_empty_text_has_no_plans() -> None:
    assert parse_text("")[0] == []
    assert parse_text(" \n\t\n")[0] == []


_CHARS = st.sampled_from(
    [
        *list(
            '一二三四五六七八九十、（）()1234567890.。,，:：;；“”"阶段年月至—-~XＸ*篇第章节条①②个大项即等和\n\t \u3000'
        ),
        "实施",
        "工程",
        "方案",
        "通知",
        "到2025年",
        "(范文网)",
        "http://a.cn",
        "相关阅读",
        "时间:2019-05-19 网站:某",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CHARS, max_size=120).map("".join))
def test_structure_stages_never_raise_and_stay_in_bounds(text: str) -> None:
    seg = split_plans(text)
    for a, b in seg.boilerplate:
        assert 0 <= a <= b <= len(text)
    for sl in seg.plans:
        outline = build_outline(text, sl.span)
        for ph in extract_phases(text, sl.span, outline):
            assert text[ph.span[0] : ph.span[1]] == ph.text
        for prog in extract_programs(text, sl.span, outline):
            assert text[prog.span[0] : prog.span[1]] == prog.text
            assert all(part.declared >= 0 for part in prog.parts)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    for sl in split_plans(text).plans:
        outline = build_outline(text, sl.span)
        extract_phases(text, sl.span, outline)
        extract_programs(text, sl.span, outline)


def test_adversarial_pages_stay_linear() -> None:
    """Inputs that made earlier versions quadratic (each took over a minute at this size)."""
    import time

    pages = [
        "“1" * 50000,  # opening quotes never closed
        "目标:" + "(1)甲;(2)乙;" * 8000,  # one endless line of inline items
        "甲、乙、丙等三大工程" * 8000,  # thousands of listed programmes
        "实施“5568”工程,即“5个行动、5个平台”。\n(一)推进五个行动\n" * 2000,  # one code, thousands of mentions
    ]
    start = time.perf_counter()
    for text in pages:
        for sl in split_plans(text).plans:
            tree = build_outline(text, sl.span)
            extract_phases(text, sl.span, tree)
            extract_programs(text, sl.span, tree)
    assert time.perf_counter() - start < 20


def test_parse_bytes_reads_then_splits(sample_text: str) -> None:
    from innocity.parsing.pipeline import parse_bytes

    doc = parse_bytes(sample_text.encode("gb18030"), "plans.txt")
    assert doc.source.chars == len(doc.text) and doc.text.strip() == sample_text.strip()
    assert [p.label for p in doc.plans] == ["篇一", "篇二", "篇三", "篇四"]
    for p in doc.plans:
        assert_quotes(doc.text, p)
