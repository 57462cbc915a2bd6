"""The review workspace's highlighted source text, built on the server from spans."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from innocity.web.highlight import Span, highlight, window

TEXT = "一、目标\n到2025年，研发投入强度达到3%，高新技术企业达到500家。\n二、任务\n牵头单位：市科技局。\n"


def _plain(html: str) -> str:
    """The text a browser shows for ``html`` (our marks removed, entities decoded)."""
    import html as h

    return h.unescape(re.sub(r"</?mark[^>]*>", "", html))


def test_each_item_is_marked_with_its_kind_and_reference() -> None:
    a = TEXT.index("研发投入强度达到3%")
    spans = [Span("targets-1", "targets", a, a + len("研发投入强度达到3%"))]
    html = str(highlight(TEXT, spans))
    assert '<mark class="hl k-targets" data-refs="targets-1">研发投入强度达到3%</mark>' in html
    assert _plain(html) == TEXT


def test_nested_and_overlapping_spans_are_cut_at_every_boundary_innermost_first() -> None:
    duty = Span("duties-7", "duties", 0, len(TEXT))
    t = TEXT.index("高新技术企业")
    target = Span("targets-2", "targets", t, t + len("高新技术企业达到500家"))
    fact = Span("facts-3", "facts", t - 3, t + 4)  # overlaps the start of the target
    html = str(highlight(TEXT, [duty, target, fact]))
    assert _plain(html) == TEXT
    pieces = re.findall(r'<mark class="([^"]+)" data-refs="([^"]+)">([^<]*)</mark>', html)
    covering = {text: refs.split() for _, refs, text in pieces}
    assert covering["3%，"] == ["facts-3", "duties-7"]
    assert covering["高新技术"] == ["facts-3", "targets-2", "duties-7"]  # innermost (shortest) first
    assert covering["企业达到500家"] == ["targets-2", "duties-7"]
    classes = {text: cls for cls, _, text in pieces}
    assert classes["高新技术"] == "hl k-facts nested"
    assert classes["企业达到500家"] == "hl k-targets nested"
    assert all("duties-7" in refs for refs in covering.values())


def test_every_fragment_of_text_is_escaped() -> None:
    text = 'A<script>alert("x")</script>&B <img src=x onerror=alert(1)> javascript:void(0)'
    spans = [Span("targets-1", "targets", 1, 9), Span("facts-2", "facts", 5, 30)]
    html = str(highlight(text, spans))
    assert "<script" not in html and "<img" not in html
    assert "&lt;scr" in html and "&amp;B" in html and "&#34;x&#34;" in html
    assert _plain(html) == text


def test_a_window_shows_the_items_and_the_lines_before_them() -> None:
    body = "前言\n" * 50 + "标题\n一、目标\n到2025年，研发投入强度达到3%。\n" + "附件\n" * 50
    a = body.index("研发投入")
    start, end = window(body, [Span("targets-1", "targets", a, a + 8)])
    shown = body[start:end]
    assert shown.startswith("前言\n前言\n标题\n一、目标\n") or "标题" in shown
    assert shown.endswith("研发投入强度达到3%。")
    assert "附件" not in shown
    assert window(body, []) == (0, len(body))
    html = str(highlight(body, [Span("targets-1", "targets", a, a + 8)], start=start, end=end))
    assert _plain(html) == shown


def test_spans_outside_the_window_are_clipped_or_left_out() -> None:
    spans = [Span("duties-1", "duties", 0, 20), Span("targets-2", "targets", 30, 40), Span("facts-3", "facts", 50, 60)]
    text = "x" * 70
    html = str(highlight(text, spans, start=10, end=45))
    assert "facts-3" not in html
    assert _plain(html) == text[10:45]


@given(
    st.text(alphabet="ab<>&\"'\n中文", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), st.sampled_from(["targets", "facts", "duties"])),
             max_size=8),
)
def test_highlighting_never_changes_the_text(text: str, raw: list[tuple[int, int, str]]) -> None:
    spans = [Span(f"{k}-{i}", k, min(a, b), max(a, b)) for i, (a, b, k) in enumerate(raw)]
    html = str(highlight(text, spans))
    assert _plain(html) == text
    assert not re.search(r"<(?!/?mark\b)", html)  # the only markup is ours


@pytest.mark.parametrize("kind", ["targets", "facts", "duties", "phases", "programs"])
def test_every_kind_has_its_class(kind: str) -> None:
    assert f"k-{kind}" in str(highlight("abc", [Span(f"{kind}-1", kind, 0, 2)]))
