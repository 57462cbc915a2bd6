"""The extractor, on texts written for these tests and on the real documents with golds: every quote is its
span, every rule's own example is decided by that rule, goals never become figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from innocity.parsing import bulletin_rules as rules
from innocity.parsing.bulletin import read_bulletin

from .conftest import BULLETIN, GOLD_DIRS, WORK_REPORT

REAL = sorted(p for d in GOLD_DIRS for p in d.glob("*.txt"))


def _all(text: str) -> tuple[list, list, list]:
    r = read_bulletin(text)
    return r.figures, r.goals, r.skipped


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_quote_is_its_span(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    r = read_bulletin(text)
    for f in [*r.figures, *r.goals]:
        assert text[f.span[0]: f.span[1]] == f.text
        assert f.span[0] <= f.value_span[0] < f.value_span[1] <= f.span[1] or f.rule == "ratio_parts"
    for s in r.skipped:
        assert text[s.span[0]: s.span[1]] == s.text


@pytest.mark.parametrize("rule", rules.SKIP_RULES, ids=lambda r: r.name)
def test_skip_rule_example(rule: rules.Rule) -> None:
    _, _, skipped = _all(rule.example)
    assert [(s.text, s.rule) for s in skipped if s.text == rule.decides] == [(rule.decides, rule.name)]


@pytest.mark.parametrize("rule", rules.GOAL_RULES, ids=lambda r: r.name)
def test_goal_rule_example(rule: rules.Rule) -> None:
    text = rule.example
    figures, goals, _ = _all(text)
    decided = [g for g in goals if text[g.value_span[0]: g.value_span[1]] == rule.decides]
    assert [g.rule for g in decided] == [rule.name]
    assert all(text[f.value_span[0]: f.value_span[1]] != rule.decides for f in figures)


@pytest.mark.parametrize("rule", rules.KIND_RULES, ids=lambda r: r.name)
def test_kind_rule_example(rule: rules.Rule) -> None:
    text = rule.example
    figures, _, _ = _all(text)
    decided = [f for f in figures if text[f.value_span[0]: f.value_span[1]] == rule.decides]
    assert [f.rule for f in decided] == [rule.name]


def test_a_bulletin_reads_levels_growth_and_shares_with_their_year() -> None:
    r = read_bulletin(BULLETIN)
    assert (r.kind, r.year, r.year_rule, r.document_date) == ("bulletin", 2019, "bulletin_title_year", "2020-03-20")
    assert (r.region.name, r.region.adcode, r.region.rule) == ("株洲市", "430200", "title_division")
    got = {(f.indicator, f.value, f.unit, f.period, f.kind) for f in r.figures}
    assert ("地区生产总值", 3003.1, "亿元", "2019", "level") in got
    assert ("地区生产总值", 7.8, "%", "2019", "growth") in got
    assert ("技术合同成交额", -2.1, "%", "2019", "growth") in got  # 下降 is negative
    assert ("高新技术企业", 203.0, "家", "2019", "growth") in got  # 比上年末增加203家: a change, not a level
    assert ("专利授权量", 6210.0, "件", "2019", "level") in got
    # 由上年的7.4:46.0:46.6调整为7.1:45.0:47.9: last year's structure and this year's, three shares each
    shares = sorted((f.period, f.value) for f in r.figures if f.rule == "ratio_parts")
    assert shares == [("2018", 7.4), ("2018", 46.0), ("2018", 46.6), ("2019", 7.1), ("2019", 45.0), ("2019", 47.9)]
    assert not r.goals


def test_preliminary_governs_its_paragraph_only() -> None:
    r = read_bulletin(BULLETIN)
    by_value = {f.value: f for f in r.figures}
    assert by_value[3003.1].preliminary and by_value[214.5].preliminary  # 初步核算, same paragraph
    assert not by_value[6210.0].preliminary  # the science paragraph is not an estimate


def test_a_work_report_reviews_last_year_and_its_goals_are_never_figures() -> None:
    r = read_bulletin(WORK_REPORT)
    assert (r.kind, r.year, r.year_rule) == ("work_report", 2018, "review_heading_year")
    assert {(f.value, f.period) for f in r.figures} == {(2631.5, "2018"), (8.0, "2018"), (161.1, "2018"),
                                                         (6.3, "2018"), (832.0, "2018")}
    assert {(g.value, g.period) for g in r.goals} == {(7.5, "2019"), (6.0, "2019"), (150.0, "2019")}


@pytest.mark.parametrize(
    "text",
    [
        "2016年工作回顾\n地区生产总值增长8%。\n明年地区生产总值增长7%左右,城镇新增就业5万人。",
        "2016年工作回顾\n地区生产总值增长8%。力争2017年高新技术企业达到300家。",
        "2016年工作回顾\n地区生产总值增长8%。到2020年,研发经费投入强度达到2.5%。",
        "2016年工作回顾\n地区生产总值增长8%。\n二、2017年工作安排\n新增高新技术企业50家,技术合同成交额30亿元。",
        "政府工作报告\n一、2016年工作回顾\n地区生产总值增长8%。\n今年主要预期目标是:\n地区生产总值增长7%;\n"
        "城镇新增就业5万人。\n",
    ],
)
def test_goals_in_many_shapes_are_not_figures(text: str) -> None:
    r = read_bulletin(text)
    assert [(f.value, f.kind) for f in r.figures] == [(8.0, "growth")]
    assert r.goals


def test_figures_over_several_years_keep_the_span_and_levels_reached_its_end() -> None:
    text = ("2021年政府工作报告\n一、过去五年工作回顾\n过去五年,全市生产总值从2015年的1000亿元增长到1500亿元,"
            "累计完成固定资产投资6000亿元,高新技术企业达到800家,研发投入年均增长12%。\n")
    r = read_bulletin(text)
    got = {(f.value, f.period, f.kind) for f in r.figures}
    assert (1000.0, "2015", "level") in got and (1500.0, "2020", "level") in got  # from → to
    assert (6000.0, "2016-2020", "level") in got  # a five-year total is not one year's value
    assert (800.0, "2020", "level") in got  # 达到: reached at the end
    assert (12.0, "2016-2020", "growth") in got


def test_a_list_shares_its_verb_and_splits_its_subjects() -> None:
    text = "2018年统计公报\n城镇和农村居民人均可支配收入分别为36000元和15000元,分别增长8.1%和9.2%。"
    r = read_bulletin(text)
    got = [(f.indicator, f.value, f.kind) for f in r.figures]
    assert got == [("城镇居民人均可支配收入", 36000.0, "level"), ("农村居民人均可支配收入", 15000.0, "level"),
                   ("城镇居民人均可支配收入", 8.1, "growth"), ("农村居民人均可支配收入", 9.2, "growth")]


def test_a_count_names_the_noun_after_it() -> None:
    r = read_bulletin("2018年统计公报\n全年共认定12家省级企业技术中心,全市共有众创空间45个。")
    assert [(f.indicator, f.value) for f in r.figures] == [("省级企业技术中心", 12.0), ("众创空间", 45.0)]


@pytest.mark.parametrize(
    ("text", "year", "rule"),
    [
        ("某市统计局 国家统计局某市调查队\n(2017年2月28日)\n全年地区生产总值500亿元。", 2016, "release_date_year"),
        ("——2015年1月20日在某市第五届人民代表大会第四次会议上\n地区生产总值增长8%。", 2014, "report_date_year"),
        ("2016年,全市经济平稳运行。地区生产总值500亿元。", 2016, "preamble_year"),
    ],
)
def test_the_year_the_figures_are_for(text: str, year: int, rule: str) -> None:
    r = read_bulletin(text)
    assert (r.year, r.year_rule) == (year, rule)


def test_given_region_and_year_win() -> None:
    r = read_bulletin(BULLETIN, region="湘潭市", year=2018)
    assert (r.region.name, r.region.adcode, r.region.rule, r.year) == ("湘潭市", "430300", "given", 2018)
    assert {f.period for f in r.figures if f.rule != "ratio_parts"} == {"2018"}


def test_a_national_bulletin_is_national() -> None:
    r = read_bulletin("中华人民共和国2016年国民经济和社会发展统计公报\n全年国内生产总值744127亿元。")
    assert (r.region.level, r.region.rule) == ("national", "national_words")


def test_no_numbers_no_figures() -> None:
    r = read_bulletin("某市统计公报\n全市经济平稳运行,结构持续优化。")
    assert not r.figures and not r.goals
