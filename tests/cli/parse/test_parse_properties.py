"""Property-based: the parser never raises on any text, and every span it returns quotes its text.

Texts are arbitrary Unicode and, more usefully, shuffles of plan-like fragments (headings, years, masked
years, percentages, ranges, 牵头/配合 lines, programme names), which drive the extractors down their
less travelled paths.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocity.domain.plan import Plan, Section
from innocity.parsing.pipeline import parse_text

FRAGMENTS = [
    "一、",
    "二、",
    "十一、",
    "(一)",
    "（二）",
    "1.",
    "2、",
    "(3)",
    "①",
    "第一章",
    "第二节",
    "第三条",
    "篇一:",
    "篇二：",
    "总体要求",
    "主要目标",
    "重点任务",
    "保障措施",
    "试点基础",
    "指导思想。",
    "创新型城市建设实施方案",
    "到",
    "到2025年",
    "2020年",
    "20XX年",
    "201*年",
    "“十二五”末",
    "十四五",
    "期间",
    "底",
    "末",
    "7月",
    "—",
    "-",
    "~",
    "至",
    "到",
    "研发经费投入强度",
    "高新技术企业",
    "技术合同成交额",
    "专利",
    "人才",
    "占GDP比重",
    "年均增长",
    "比",
    "提高",
    "下降",
    "翻一番",
    "个百分点",
    "达到",
    "超过",
    "不低于",
    "以上",
    "以下",
    "控制在",
    "左右",
    "约",
    "均达到",
    "3",
    "3.5",
    "1,200",
    "１２",
    "3?4",
    "8—10",
    "3到5",
    "三十六",
    "八个",
    "万",
    "亿元",
    "万元",
    "%",
    "％",
    "家",
    "个",
    "项",
    "人",
    "责任单位：",
    "牵头单位:",
    "市科技局",
    "科技局",
    "市发改委",
    "财政局",
    "牵头",
    "配合",
    "、",
    "，",
    ",",
    "。",
    "；",
    ":",
    "\n",
    "\n\n",
    " ",
    "\t",
    "“5568”创新工程",
    "5个行动",
    "6个专项",
    "西宁市",
    "湖南省",
    "九华经济区",
    "(范文网)",
    "“",
    "”",
]

plan_like = st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=120).map("".join)
any_text = st.text(max_size=300)


def _assert_spans(text: str, plans: list[Plan]) -> None:
    n = len(text)

    def walk(sections: list[Section]) -> None:
        for s in sections:
            assert 0 <= s.span[0] <= s.span[1] <= n
            if s.heading_span is not None:
                assert 0 <= s.heading_span[0] <= s.heading_span[1] <= n
            walk(s.children)

    for plan in plans:
        assert 0 <= plan.span[0] <= plan.span[1] <= n
        walk(plan.outline)
        for start, end in plan.region.evidence:
            assert 0 <= start <= end <= n
        assert 0.0 <= plan.region.confidence <= 1.0
        for item in plan.items():
            start, end = item.span
            assert 0 <= start <= end <= n, item
            assert text[start:end] == item.text, item


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(plan_like, any_text))
def test_parse_text_never_raises_and_spans_quote_their_text(text: str) -> None:
    plans, warnings = parse_text(text)
    assert all(isinstance(w, str) for w in warnings)
    _assert_spans(text, plans)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=plan_like)
def test_no_extractor_fails_on_plan_like_text(text: str) -> None:
    # strict=True lets a stage's exception through instead of turning it into a warning, so a bug in an
    # extractor is seen here rather than silently costing that stage's output.
    plans, _ = parse_text(text, strict=True)
    _assert_spans(text, plans)
