"""Schedule stages: names, YYYY-MM bounds, masked years, inherited years, and what is not a stage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from innocity.domain.plan import Phase
from innocity.parsing.outline import build_outline
from innocity.parsing.phases import extract_phases
from innocity.parsing.segment import split_plans


def phases_of(text: str) -> list[Phase]:
    span = (0, len(text))
    phases = extract_phases(text, span, build_outline(text, span))
    for ph in phases:
        assert text[ph.span[0] : ph.span[1]] == ph.text
        assert ph.name in ph.text
    return phases


def test_sample_page_has_the_gold_phases_in_the_first_plan(sample_text: str, gold: dict[str, Any]) -> None:
    seg = split_plans(sample_text)
    found = [extract_phases(sample_text, p.span, build_outline(sample_text, p.span)) for p in seg.plans]
    for plan_phases, g in zip(found, gold["plans"], strict=True):
        assert len(plan_phases) == len(g["phases"])
        for ph, gp in zip(plan_phases, g["phases"], strict=True):
            assert gp["quote"] in ph.text or ph.text in gp["quote"]
            assert (ph.name, ph.start, ph.end) == (gp["name"], gp["start"], gp["end"])
            assert (ph.start_text, ph.end_text) == (gp["start_text"], gp["end_text"])
            assert (ph.start_month, ph.end_month) == (gp["start_month"], gp["end_month"])


def test_notice_stages_inherit_the_year_and_widen_nothing(doc: Callable[[str], str]) -> None:
    got = [(p.name, p.start, p.end, p.end_text) for p in phases_of(doc("notice_attachment"))]
    assert got == [
        ("启动阶段", "2021-04", "2021-06", "6月"),
        ("全面推进阶段", "2021-07", "2022-12", "2022年12月"),
        ("总结评估阶段", "2023-01", "2023-12", "2023年12月"),
    ]


def test_year_only_ranges_widen_to_january_and_december(doc: Callable[[str], str]) -> None:
    got = [(p.name, p.start, p.end, p.start_month) for p in phases_of(doc("provincial_fullwidth"))]
    assert got == [("启动实施阶段", "2021-01", "2022-12", None), ("全面深化阶段", "2023-01", "2025-12", None)]


def test_stages_in_a_flattened_table_and_in_a_news_report(doc: Callable[[str], str]) -> None:
    table = phases_of(doc("table_flat"))
    assert [(p.name, p.start, p.end) for p in table] == [
        ("动员部署阶段", "2022-03", "2022-04"),
        ("组织实施阶段", "2022-05", "2023-12"),
        ("总结验收阶段", "2024-01", "2024-12"),
    ]
    assert all(p.text == p.text.strip() for p in table)
    news = phases_of(doc("news_report"))
    assert [(p.name, p.start, p.end) for p in news] == [
        ("夯实基础阶段", "2022-01", "2023-12"),
        ("全面提升阶段", "2024-01", "2025-12"),
    ]


def test_numbered_stages_with_colon(doc: Callable[[str], str]) -> None:
    text = doc("two_plans_site")
    seg = split_plans(text)
    second = seg.plans[1].span
    got = extract_phases(text, second, build_outline(text, second))
    assert [(p.name, p.start, p.end) for p in got] == [
        ("第一阶段", "2021-01", "2021-12"),
        ("第二阶段", "2022-01", "2023-12"),
    ]
    first = seg.plans[0].span
    assert extract_phases(text, first, build_outline(text, first)) == []


def test_masked_years_keep_words_and_months() -> None:
    text = "六、进度安排\n(一)试点启动阶段(20XX年3月-201*年12月)\n开展工作。\n"
    (ph,) = phases_of(text)
    assert (ph.start, ph.end, ph.start_text, ph.end_text) == (None, None, "20XX年3月", "201*年12月")
    assert (ph.start_month, ph.end_month) == (3, 12)
    assert ph.text.startswith("(一)")


@pytest.mark.parametrize(
    "text",
    [
        "五、20XX-201*年主要工作\n(一)健全完善区域创新体系\n",
        "2021—2025年是创新驱动发展的关键阶段。\n",
        "当前我市正处于转型升级的重要阶段，2021年研发投入增长10%。\n",
        "三、工作目标\n到2025年，全市进入创新型城市建设的新阶段。\n",
    ],
)
def test_periods_and_stage_words_that_are_not_stages(text: str) -> None:
    assert phases_of(text) == []


def test_reversed_range_is_rejected() -> None:
    assert phases_of("三、实施步骤\n（一）启动阶段（2023年6月—2022年1月）\n") == []


def test_deadlines_notes_and_time_lines() -> None:
    text = (
        "四、实施步骤\n（一）动员部署阶段（2021年5月底前）\n制定方案。\n（二）组织实施阶段\n"
        "时间：2021年6月—2022年12月\n全面推进。\n第三阶段（总结验收）：2023年1月—6月，开展验收。\n"
    )
    got = [(p.name, p.start, p.end, p.start_text, p.end_text) for p in phases_of(text)]
    assert got == [
        ("动员部署阶段", None, "2021-05", None, "2021年5月底"),
        ("组织实施阶段", "2021-06", "2022-12", "2021年6月", "2022年12月"),
        ("第三阶段", "2023-01", "2023-06", "2023年1月", "6月"),
    ]


def test_dated_subheadings_of_a_schedule_are_stages_without_the_word() -> None:
    text = (
        "五、实施步骤\n（一）动员部署（2021年5月底前）\n制定方案。\n（二）组织实施（2021年6月—2022年12月）。全面推进。\n"
        "（三）2023年1月—6月：总结评估\n开展验收。\n（四）加强领导\n落实责任。\n"
        "六、2021-2023年主要工作\n（一）2021年3月—6月完成平台布局\n"
    )
    got = [(p.name, p.start, p.end) for p in phases_of(text)]
    assert got == [
        ("动员部署", None, "2021-05"),
        ("组织实施", "2021-06", "2022-12"),
        ("总结评估", "2023-01", "2023-06"),
    ]


def test_single_year_stages() -> None:
    text = "四、实施步骤\n2021年为启动阶段，2022—2023年为推进阶段。\n第三阶段（2024年）：总结验收。\n第四阶段（2025年—2026年）\n"
    got = [(p.name, p.start, p.end, p.start_text) for p in phases_of(text)]
    assert got == [
        ("启动阶段", "2021-01", "2021-12", "2021年"),
        ("推进阶段", "2022-01", "2023-12", "2022"),
        ("第三阶段", "2024-01", "2024-12", "2024年"),
        ("第四阶段", "2025-01", "2026-12", "2025年"),
    ]
