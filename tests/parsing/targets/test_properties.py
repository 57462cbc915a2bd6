"""The extractor never raises on arbitrary text, and every span it returns is in bounds and quotes its text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from innocity.parsing.numbers import find_quantities
from innocity.parsing.targets import extract
from innocity.parsing.years import find_time_phrases

# Characters that matter to the extractor, so random text often looks like a plan.
_ALPHABET = st.sampled_from(
    list("0123456789.%~-—到至达超过以上左右约年月末十一二三四五六七八九百千万亿元个家项名人“”《》()[],;。:\n\t ")
    + list("到2025年全市研发投入强度达高新技术企业比重提高增长下降由从的等第大均和、分别")
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120), st.integers(0, 130), st.integers(0, 130))
def test_extract_never_raises_and_quotes_exactly(text: str, a: int, b: int) -> None:
    targets, facts = extract(text, (min(a, b), max(a, b)), [], skip=[(a, a + 3)])
    for item in [*targets, *facts]:
        s, e = item.span
        assert 0 <= s <= e <= len(text)
        assert text[s:e] == item.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_number_and_year_finders_never_raise(text: str) -> None:
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
    for p in find_time_phrases(text):
        assert 0 <= p.start < p.end <= len(text)
