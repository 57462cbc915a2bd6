"""Quantities and time phrases on their own: values, units, ranges, comparators, years and their words."""

from __future__ import annotations

from typing import Any

import pytest

from innocity.parsing.numbers import find_quantities
from innocity.parsing.textfold import fold
from innocity.parsing.years import find_time_phrases

QUANTITIES: list[tuple[str, dict[str, Any]]] = [
    ("三十六个民族", dict(value=36, unit="个", chinese=True)),
    ("构建八个基地", dict(value=8, unit="个")),
    ("五千亿元", dict(value=5000, unit="亿元")),
    ("达到4万人左右", dict(value=4, unit="万人", approx=True)),
    ("总人口729.41万,", dict(value=729.41, unit="万")),
    ("628.28亿元", dict(value=628.28, unit="亿元")),
    ("1924万元", dict(value=1924, unit="万元")),
    ("8万亩", dict(value=8, unit="万亩")),
    ("2.0吨标煤/万元", dict(value=2.0, unit="吨标煤/万元")),
    ("0.5吨标准煤/万元以内", dict(value=0.5, unit="吨标准煤/万元", comparator="<=")),
    ("每万人12件/万人", dict(value=12, unit="件/万人")),
    ("5万平方米以上", dict(value=5, unit="万平方米", comparator=">=")),
    ("7690.47平方公里", dict(value=7690.47, unit="平方公里")),
    ("394.3km/h 的", dict(value=394.3, unit="km/h")),
    ("提高1.5个百分点", dict(value=1.5, unit="百分点", unit_text="个百分点")),
    ("２．６５％", dict(value=2.65, unit="%")),
    ("比例达到1.0%", dict(value=1.0, unit="%")),
    ("413.3 亿元", dict(value=413.3, unit="亿元")),
    ("141 项", dict(value=141, unit="项")),
    ("160 多个", dict(value=160, unit="个", qualifier="多")),
    ("180余个", dict(value=180, unit="个", qualifier="余")),
    ("8—10个", dict(value=8, value_max=10, unit="个", comparator="range")),
    ("8-10家", dict(value=8, value_max=10, unit="家", comparator="range")),
    ("3到5个", dict(value=3, value_max=5, unit="个", comparator="range")),
    ("1至2家", dict(value=1, value_max=2, unit="家", comparator="range")),
    ("3~5家", dict(value=3, value_max=5, unit="家", comparator="range")),
    ("4～5个", dict(value=4, value_max=5, unit="个", comparator="range")),
    ("形成3?4个集群", dict(value=3, value_max=4, unit="个", comparator="range")),
    ("30-50万辆", dict(value=30, value_max=50, unit="万辆", comparator="range")),
    ("10%—15%", dict(value=10, value_max=15, unit="%", comparator="range")),
    ("达到70%以上", dict(value=70, unit="%", comparator=">=")),
    ("超过5000家", dict(value=5000, unit="家", comparator=">=")),
    ("突破1000亿元", dict(value=1000, unit="亿元", comparator=">=")),
    ("不低于4%", dict(value=4, unit="%", comparator=">=")),
    ("不少于20个", dict(value=20, unit="个", comparator=">=")),
    ("≥70%", dict(value=70, unit="%", comparator=">=")),
    ("不超过3%", dict(value=3, unit="%", comparator="<=")),
    ("控制在4.5%以内", dict(value=4.5, unit="%", comparator="<=")),
    ("30%以下", dict(value=30, unit="%", comparator="<=")),
    ("约2.8%", dict(value=2.8, unit="%", approx=True)),
    ("12%左右", dict(value=12, unit="%", approx=True)),
    ("百分之五", dict(value=5, unit="%")),
    ("翻一番", dict(value=100, unit="%", special="double")),
    ("10大名牌产品", dict(value=10, unit="个", unit_text="大")),
    ("1,000家", dict(value=1000, unit="家")),
    ("50强", dict(value=50, unit="强")),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES, ids=[t for t, _ in QUANTITIES])
def test_quantity(text: str, expected: dict[str, Any]) -> None:
    found = find_quantities(fold(text))
    assert len(found) == 1, found
    q = found[0]
    for key, want in expected.items():
        got = getattr(q, key)
        assert got == (pytest.approx(want) if isinstance(want, float | int) and not isinstance(want, bool) else want), (
            key, q)
    assert text[q.start : q.end].strip()  # the span covers the written quantity


def test_decimal_values_stay_as_written() -> None:
    values = [q.value for q in find_quantities("1.0%、2.65%、0.1亿元、3.33万人")]
    assert [repr(v) for v in values] == ["1.0", "2.65", "0.1", "3.33"]


NOT_QUANTITIES = [
    "“十二五”末", "“十一五”期间", "十三五规划", "十四五时期", "“一区多园”", "“四点一带”", "实施“三百计划”", "第一台蒸汽机车",
    "第二批", "2009年", "20XX年7月", "201*年", "一年一度", "九年义务教育", "一批企业", "三网融合", "百万吨乙烯",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_a_quantity(text: str) -> None:
    assert [q for q in find_quantities(fold(text)) if q.unit] == []


TIME_PHRASES: list[tuple[str, tuple[int | None, str | None, str]]] = [
    ("到2025年,", (2025, "2025", "future")),
    ("至201*年末,", (None, "201*", "future")),
    ("力争“十二五”末,", (2015, "“十二五”末", "future")),
    ("到“十二五”末,", (2015, "“十二五”末", "future")),
    ("“十二五”期间,", (2015, "“十二五”期间", "point")),
    ("到“十一五”末,", (2010, "“十一五”末", "future")),
    ("到“十三五”末,", (2020, "“十三五”末", "future")),
    ("“十四五”期间,", (2025, "“十四五”期间", "point")),
    ("“十五”期末", (2005, "“十五”期末", "point")),
    ("20XX年,", (None, "20XX", "point")),
    ("20XX年以来,", (None, "20XX年以来", "past")),
    ("截至2022年底,", (2022, "2022年底", "past")),
    ("三年内", (None, None, "relative")),
    ("未来4年内", (None, None, "relative")),
    ("五、20XX-201*年主要工作", (None, "201*", "point")),
    ("2021—2025年", (2025, "2025", "point")),
    ("目前,", (None, None, "now")),
    ("到二〇一五年,", (2015, "二〇一五", "future")),
    ("到”十二五“末,", (2015, "”十二五“末", "future")),
]


@pytest.mark.parametrize(("text", "expected"), TIME_PHRASES, ids=[t for t, _ in TIME_PHRASES])
def test_time_phrase(text: str, expected: tuple[int | None, str | None, str]) -> None:
    refs = find_time_phrases(fold(text))
    assert len(refs) == 1, refs
    r = refs[0]
    assert (r.year, r.text, r.tense) == expected


@pytest.mark.parametrize("text", ["纳入“十二五”国民经济和社会发展总体规划", "结合市“十二五”科学技术发展规划", "比“十一五”末提高"])
def test_plan_names_and_baselines_are_not_clauses(text: str) -> None:
    assert find_time_phrases(fold(text)) == []
