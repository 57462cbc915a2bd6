"""Arbitrary text never makes region detection or duty extraction raise, and every span quotes its text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from innocity.domain.plan import Region
from innocity.parsing.duties import extract_duties
from innocity.parsing.region import detect_region

PIECES = [
    "责任单位:", "牵头单位：", "配合单位:", "【责任单位】", "(责任单位:", ")", "（", "）", "牵头", "配合", "等", "、", ",",
    "；", "\n", "\t", "  ", "|", "市科技局", "科技局", "发改委", "各县(市)区政府", "和", "完成时限:", "2015年6月", "20XX年",
    "序号\t任务\t牵头单位\t配合单位\t完成时限\n", "唐山", "湖南省", "在湘", "九华经济区", "我市", "全省", "县委", "海城市",
    "列第一位的为牵头单位", "。", "管委会", "厅",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join)
REGIONS = [
    Region(None, None, 0.0),
    Region("唐山市", "河北省", 0.9, [], adcode="130200", level="city"),
    Region("湖南省", "湖南省", 0.9, [], adcode="430000", level="province"),
    Region("长兴县", "浙江省", 0.9, [], adcode="330522", level="county"),
]


@settings(max_examples=300, deadline=None)
@given(texts, st.integers(0, 10), st.integers(0, 10), st.sampled_from(REGIONS))
def test_never_raises_and_spans_quote(text: str, cut_a: int, cut_b: int, region: Region) -> None:
    a = min(cut_a, len(text))
    b = max(a, len(text) - cut_b)
    r = detect_region(text, (a, b))
    assert 0.0 <= r.confidence <= 1.0
    assert all(a <= s < e <= b for s, e in r.evidence)
    for d in extract_duties(text, (a, b), [], region):
        assert a <= d.span[0] < d.span[1] <= b
        assert text[d.span[0] : d.span[1]] == d.text
        assert d.lead or d.support
        assert all(n for n in d.lead + d.support)
