"""Property tests: whatever text, unit and kind come in, the matcher answers without raising, and an answer
always passes its own threshold."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocity.catalog import Matcher, load_catalog

_MATCHER = Matcher(load_catalog())
_PIECES = ["研发", "经费", "占", "GDP", "比重", "万人", "专利", "申请量", "高新技术", "产业", "增加值", "年均增长",
           "(", ")", "、", "“", "十一五", "达到", "%", "１２", "R&D", "以上", "的", "每", "数", "之比", "与"]
_TEXT = st.one_of(st.text(max_size=60), st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
_UNIT = st.one_of(st.none(), st.sampled_from(["%", "件", "亿元", "人", "百分点", "件/万人", "斤", "", "万/"]),
                  st.text(max_size=5))
_KIND = st.one_of(st.none(), st.sampled_from(["level", "growth", "change"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrase=_TEXT, unit=_UNIT, kind=_KIND)
def test_match_never_raises_and_respects_threshold(phrase: str, unit: str | None, kind: str | None) -> None:
    hit = _MATCHER.match(phrase, unit=unit, kind=kind)
    if hit is not None:
        assert _MATCHER.threshold <= hit.score <= 1.0
        assert hit.code in _MATCHER.catalog
    assert len(_MATCHER.candidates(phrase, unit=unit, kind=kind)) <= 5
