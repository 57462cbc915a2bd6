"""Reading round two (issue 13): each failure class as a general rule, tested on sentences written for these
tests in the style of other cities' plans, work reports and scraped pages (none is taken from the corpus)."""

from __future__ import annotations

from typing import Any

import pytest

from innocity.parsing import targets


def read(text: str) -> targets.Extraction:
    got = targets.read(text, (0, len(text)), [], explain=True)
    for item in [*got.targets, *got.facts]:
        assert text[item.span[0]: item.span[1]] == item.text
    return got


def rules_of(got: targets.Extraction) -> dict[str, str]:
    assert got.decisions is not None
    return {d.text: d.rule for d in got.decisions}


# 1. A future deadline is a target wherever it stands; a past year stays a fact --------------------------------
def test_a_deadline_after_the_page_date_is_a_goal_even_in_a_baseline_section() -> None:
    got = read("发布时间:2022-06-30\n一、发展现状\n近年来全市创新能力稳步提升,高新技术企业达到410家。"
               "到2025年,全市高新技术企业力争达到700家,研发投入强度达到3%。")
    assert [(t.value, t.year) for t in got.targets] == [(700, 2025), (3, 2025)]
    assert [(f.value, f.unit) for f in got.facts] == [(410, "家")]
    assert rules_of(got)["700家"] == "future-deadline"


def test_a_deadline_inside_the_plan_period_is_a_goal_when_the_page_has_no_date() -> None:
    got = read("临沂市科技创新行动计划(2024—2026年)\n一、工作基础\n全市拥有省级以上研发平台300家。"
               "到2026年,全市省级以上研发平台突破400家。")
    assert [(t.value, t.year) for t in got.targets] == [(400, 2026)]
    assert [f.value for f in got.facts] == [300]


def test_aims_marked_by_lizheng_or_quebao_are_goals_in_any_section() -> None:
    got = read("一、基本情况\n全县科技型中小企业发展较快,力争科技型中小企业突破150家,确保研发投入强度不低于2%。")
    assert sorted((t.value, t.unit) for t in got.targets) == [(2, "%"), (150, "家")]


def test_a_past_year_still_reports_a_result() -> None:
    got = read("一、发展基础\n2009年全市专利申请量达到3200件,到2010年底累计建成孵化器12家。")
    assert [(f.value, f.year) for f in got.facts] == [(3200, 2009), (12, 2010)]
    assert got.targets == []


# 2–3. Ordinals, row numbers and the plan's own structure are not quantities ---------------------------------------
@pytest.mark.parametrize(("text", "rule"), [
    ("市十五届人大二次会议审议通过了本纲要。", "ordinal-session"),
    ("附表\n3 大力推进数字乡村建设", "row-number"),
    ("今年重点抓好6个方面工作。", "plan-structure"),
    ("实施10大工程,推动高质量发展。", "plan-structure"),
    ("市政府出台18项措施支持企业创新。", "policy-package"),
    ("围绕产业链部署12项重点任务。", "plan-structure"),
])
def test_ordinals_rows_and_structure_counts_are_dropped(text: str, rule: str) -> None:
    got = read(text)
    assert got.targets == [] and got.facts == []
    assert rule in rules_of(got).values()


def test_a_count_of_things_to_build_is_still_a_target() -> None:
    got = read("到2025年,建成重点实验室12个,实施重大科技项目30项。")
    assert sorted(t.value for t in got.targets) == [12, 30]


# 4. A scale word on the amount, a count on the subject -------------------------------------------------------------
def test_the_amount_of_a_counted_subject_is_the_one_target() -> None:
    got = read("到2027年,全市8大产业链总产值突破五千亿。")
    assert [(t.value, t.unit, t.unit_text, t.comparator, t.year) for t in got.targets] == [
        (5000, "亿元", "亿", ">=", 2027)]
    assert rules_of(got)["8大"] == "count-of-subject"


def test_a_bare_amount_without_a_money_noun_keeps_its_scale() -> None:
    got = read("奋力冲刺六千亿,建设区域中心城市。")
    assert [(t.value, t.unit) for t in got.targets] == [(6000, "亿")]


# 5. Multiples of a baseline --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value", "multiplier", "base"), [
    ("到2027年,全省科技型企业数量实现倍增。", 100, 2, None),
    ("到2030年,规上工业企业研发投入翻两番。", 300, 4, None),
    ("到2035年,全市经济总量较2020年增加两倍。", 200, 3, 2020),
    ("“十四五”期间,技术合同成交额比2020年增长1倍。", 100, 2, 2020),
])
def test_multiples_are_changes_relative_to_the_baseline(text: str, value: float, multiplier: float,
                                                        base: int | None) -> None:
    got = read(text)
    assert len(got.targets) == 1, got.targets
    t = got.targets[0]
    assert (t.kind, t.value, t.unit, t.multiplier) == ("change", value, "%", multiplier)
    assert (t.baseline.year if t.baseline else None) == base


def test_a_programme_named_after_doubling_is_no_target() -> None:
    assert read("实施科技型企业倍增计划和“双倍增”行动。").targets == []


# 6. A number lost in scraping -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["到2025年,建成 个省级孵化器。", "力争三年内培育 家专精特新企业。",
                                  "到20XX年,全市众创空间达到XX个。"])
def test_a_blank_number_gives_a_warning_not_a_target(text: str) -> None:
    got = read(text)
    assert got.targets == []
    assert got.warnings and "missing" in got.warnings[0]
    assert "blank-number" in rules_of(got).values()


# 7. Relative years ----------------------------------------------------------------------------------------------
def test_a_work_report_reads_this_year_and_its_review() -> None:
    text = ("市政府工作报告解读\n报告回顾了2021年工作。2021年,全市地区生产总值增长8.1%,新增就业5.2万人。\n"
            "今年主要预期目标是:地区生产总值增长6.5%左右,研发投入增长10%以上。明年力争高新技术企业达到900家。")
    got = read(text)
    assert sorted((f.value, f.year) for f in got.facts) == [(5.2, 2021), (8.1, 2021)]
    assert sorted((t.value, t.year) for t in got.targets) == [(6.5, 2022), (10, 2022), (900, 2023)]


def test_review_and_goal_captions_of_a_report() -> None:
    text = ("发布日期:2024-01-20\n2023年工作回顾\n• 全市新增市场主体8万户\n• 研发投入增长12%\n"
            "2024年主要预期目标\n• 地区生产总值增长5.5%\n• 新增城镇就业6万人")
    got = read(text)
    assert sorted((f.value, f.year) for f in got.facts) == [(8, 2023), (12, 2023)]
    assert sorted((t.value, t.year) for t in got.targets) == [(5.5, 2024), (6, 2024)]


def test_future_years_resolve_from_the_page_date() -> None:
    got = read("发布时间:2023-03-01\n未来三年,全市新增国家级专精特新企业30家。")
    assert [(t.value, t.year, t.year_text) for t in got.targets] == [(30, 2025, "未来三年")]


def test_a_stated_start_gives_every_later_span_its_deadline() -> None:
    got = read("一、目标\n2024年起3年内,引进高层次人才500名。\n二、任务\n3年内建设人才公寓2000套。每年举办招聘会20场。")
    assert [(t.value, t.year) for t in got.targets] == [(500, 2026), (2000, 2026), (20, None)]


# 8. Definitions and formulas ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["产品合格率=(合格产品数/产品总数)×100%。",
                                  "本方案所称中型企业是指从业人员300人以上的企业。"])
def test_definitions_are_not_targets(text: str) -> None:
    got = read(text)
    assert got.targets == [] and "definition" in rules_of(got).values()


# 9. Indicator tables: unit in the indicator cell, years in the header ------------------------------------------------
def test_a_table_with_tabs_and_one_with_a_cell_per_line_read_alike() -> None:
    tabbed = "主要指标\n指标名称\t2022年\t2027年\n生活垃圾回收利用率(%)\t38\t45\n"
    stacked = "主要指标\n指标名称\n2022年\n2027年\n生活垃圾回收利用率(%)\n38\n45\n三、重点任务\n"
    for text in (tabbed, stacked):
        got = read(text)
        assert [(t.indicator, t.value, t.unit, t.year) for t in got.targets] == [("生活垃圾回收利用率", 45, "%", 2027)]
        assert [(f.value, f.unit, f.year) for f in got.facts] == [(38, "%", 2022)]


# 10. Units carried over, qualifiers broken over lines --------------------------------------------------------------
def test_a_unit_carried_by_an_earlier_figure() -> None:
    got = read("到2026年,高标准农田面积从现状85万亩增加到100万。")
    assert [(t.value, t.unit) for t in got.targets] == [(100, "万亩")]


def test_a_qualifier_broken_over_two_lines() -> None:
    got = read("到2025年,城市生活污水集中收集率达到90%以\n上。")
    assert [(t.value, t.comparator) for t in got.targets] == [(90, ">=")]


# others met on the way: ranks, estimated effects, shares of a listed scope --------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("到2027年,科技创新综合实力跃居全省前10位。", []),
    ("项目建成后预计每年可节约标准煤约2万吨。", []),
    ("确保甲区、乙区、丙区60%的老旧小区完成改造。", [(60, "%")]),
])
def test_ranks_effects_and_scoped_shares(text: str, expected: list[Any]) -> None:
    assert [(t.value, t.unit) for t in read(text).targets] == expected
