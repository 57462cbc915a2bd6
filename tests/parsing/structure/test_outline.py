"""The heading tree: markers, levels, run-in and inline headings, and what is not a heading."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from innocity.domain.plan import Section
from innocity.parsing.outline import build_outline
from innocity.parsing.segment import split_plans


def flat(outline: list[Section]) -> list[Section]:
    return [s for top in outline for s in top.walk()]


def outline_of(text: str) -> list[Section]:
    return build_outline(text, (0, len(text)))


def check_spans(text: str, outline: list[Section], end: int) -> None:
    """Headings quote their marker and title; children nest; siblings follow each other."""
    for level in [outline, *[s.children for s in flat(outline)]]:
        for a, b in itertools.pairwise(level):
            assert a.span[1] == b.span[0]  # a section runs up to its next sibling
    for sec in flat(outline):
        assert sec.heading_span is not None
        heading = text[sec.heading_span[0] : sec.heading_span[1]]
        assert heading.startswith(sec.marker)
        assert sec.title and sec.title in heading
        assert sec.span[0] == sec.heading_span[0] and sec.span[1] <= end
        for c in sec.children:
            assert sec.span[0] < c.span[0] and c.span[1] <= sec.span[1]
            assert c.level == sec.level + 1


def test_sample_page_outline_matches_the_sections_gold_files_targets_under(sample_text: str) -> None:
    seg = split_plans(sample_text)
    outlines = [build_outline(sample_text, p.span) for p in seg.plans]
    for p, o in zip(seg.plans, outlines, strict=True):
        check_spans(sample_text, o, p.span[1])
    one, two, three, four = outlines
    assert [s.title for s in one] == ["试点基础", "试点目标", "工作思路", "主要任务", "保障措施", "进度安排"]
    goals = one[1]
    assert [c.title for c in goals.children][:2] == ["科技投入持续增长", "科技产出大幅提升"]
    # the heading with numbers in it keeps them
    assert two[-1].marker == "五、" and two[-1].title == "20XX-201*年主要工作"
    # "到201*年具体目标:(1)区域创新体系趋于完善。…(2)…" : inline items are headings under 二、
    inline = two[1].children
    assert [c.marker for c in inline] == ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"]
    assert inline[0].title == "区域创新体系趋于完善"
    assert "10大研发中心" in sample_text[inline[0].span[0] : inline[0].span[1]]
    # run-in headings of 篇三: "(一)指导思想。坚持…"
    assert [c.title for c in three[0].children] == ["指导思想", "发展目标"]
    assert [c.marker for c in three[0].children[1].children] == ["1.", "2.", "3.", "4.", "5."]
    # 篇四 goes 一、 → 1、 directly: 1、 is the second level there
    assert four[2].title == "工作目标" and [c.level for c in four[2].children] == [2] * 5


def test_fullwidth_chapters_sections_and_inline_items(doc: Callable[[str], str]) -> None:
    text = doc("provincial_fullwidth")
    outline = outline_of(text)
    check_spans(text, outline, len(text))
    assert [(s.marker, s.title) for s in outline] == [
        ("第一章", "总体要求"),
        ("第二章", "重点任务"),
        ("第三章", "实施步骤"),
    ]
    goals = outline[0].children[1]
    assert (goals.marker, goals.title) == ("第二节", "发展目标")
    assert [(c.marker, c.title) for c in goals.children] == [
        ("（1）", "创新投入大幅增加"),
        ("（2）", "创新主体不断壮大"),
        ("（3）", "创新产出显著提升"),
    ]
    tasks = outline[1].children
    assert [c.marker for c in tasks[0].children] == ["１．", "２．"]
    assert [c.marker for c in tasks[1].children] == ["①", "②"]
    titles = [s.title for s in flat(outline)]
    # 一是…, "1-3个", "3.5%" and a line opening with "2021年," are not headings
    assert not any(t.startswith(("是", "3个", "5%", "年")) for t in titles)
    assert all(not s.marker.startswith(("一是", "2021")) for s in flat(outline))


def test_tables_flattened_to_text_do_not_become_headings(doc: Callable[[str], str]) -> None:
    text = doc("table_flat")
    outline = outline_of(text)
    check_spans(text, outline, len(text))
    assert [s.marker for s in outline] == ["一、", "二、", "三、", "四、"]
    assert outline[1].children == []  # rows "1\t建设…" are cells, not items


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、总体要求\n（一）指导思想。坚持创新。\n1．目标一\n(1)细项\n①要点\n", [1, 2, 3, 4, 5]),
        ("第一章 总则\n第一节 目的\n第一条 为了推进创新，制定本办法。\n", [1, 2, 3]),
        ("1、提升创新能力\n(1)强化企业主体\n(2)建设平台\n2、优化环境\n", [1, 2, 2, 1]),
        ("一、任务\n1．提升能力\n1）强化企业主体\n2）建设平台\n2．优化环境\n", [1, 2, 3, 3, 2]),
    ],
)
def test_levels_follow_nesting_of_marker_styles(text: str, expected: list[int]) -> None:
    assert [s.level for s in flat(outline_of(text))] == expected


def test_higher_style_after_deeper_one_closes_it() -> None:
    text = "一、目标\n①要点甲\n1．工作一\n二、任务\n"
    outline = outline_of(text)
    assert [s.marker for s in outline] == ["一、", "二、"]
    assert [c.marker for c in outline[0].children] == ["①", "1．"]


@pytest.mark.parametrize(
    "text",
    [
        "2009年,全市高新技术企业达到40家。\n",
        "新增1-3个国家级平台。\n3.5%的增长来自工业。\n",
        "一是加强领导，二是加大投入。\n",
        "主要任务包括加快研发(3)项和建设平台(5)个。\n",
        "建成研究与发展(R&D)中心。\n",
    ],
)
def test_not_headings(text: str) -> None:
    assert outline_of(text) == []


def test_long_run_in_heading_is_cut_at_a_clause() -> None:
    text = "1.科技支撑取得新突破,集聚创新资源能力显著提升。科技进步贡献率达65%以上。\n2.创新能力建设取得新突破。\n"
    outline = outline_of(text)
    assert outline[0].title == "科技支撑取得新突破,集聚创新资源能力显著提升"
    assert outline[1].title == "创新能力建设取得新突破"


def test_empty_and_out_of_range_spans() -> None:
    assert build_outline("", (0, 0)) == []
    assert build_outline("一、目标\n", (5, 2)) == []
    assert [s.title for s in build_outline("一、目标\n", (-4, 99))] == ["目标"]


def test_inline_numbered_items_after_a_colon_or_full_stop() -> None:
    text = (
        "二、发展目标\n主要指标：1.研发投入强度达到3%；2.高新技术企业达到500家。\n"
        "三、主要任务：（一）建设平台。（二）培育企业。\n"
        "四、保障\n加大投入，资金增长3.5%。2021年起实施。\n"
    )
    outline = outline_of(text)
    check_spans(text, outline, len(text))
    assert [(c.marker, c.title) for c in outline[0].children] == [
        ("1.", "研发投入强度达到3%"),
        ("2.", "高新技术企业达到500家"),
    ]
    assert [c.title for c in outline[1].children] == ["建设平台", "培育企业"]
    assert outline[2].children == []
