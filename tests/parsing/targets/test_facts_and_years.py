"""Facts versus targets, year clauses that govern paragraphs and sections, and flattened tables.

The plans here are short ones written for these tests in the shape of real municipal and provincial plans.
"""

from __future__ import annotations

from typing import Any

import pytest

PLAN_WITH_BASELINE = """XX市创新型城市建设实施方案
一、发展基础
(一)创新能力稳步提升
2022年,全市高新技术企业达到1200家,R&D经费投入强度2.8%。“十三五”期间,累计培育科技型中小企业800家。
截至2022年底,全市共有省级以上研发平台156个。
二、发展目标
到2025年,具体目标如下:
(一)创新投入。R&D经费投入强度达到3.2%。
(二)创新产出。每万人口高价值发明专利拥有量达到12件。
三、重点任务
(一)培育创新主体。培育高新技术企业100家。
"""


def test_baseline_section_gives_facts_and_target_section_targets(run: Any) -> None:
    targets, facts = run(PLAN_WITH_BASELINE)
    assert sorted((f.value, f.unit, f.year) for f in facts) == [
        (2.8, "%", 2022), (156.0, "个", 2022), (800.0, "家", 2020), (1200.0, "家", 2022)]
    by_value = {t.value: t for t in targets}
    assert set(by_value) == {3.2, 12.0, 100.0}
    assert by_value[3.2].year == 2025 and by_value[12.0].year == 2025  # the section's clause governs
    assert by_value[100.0].year is None  # a new top-level section ends it


def test_clause_governs_across_full_stops_until_replaced(run: Any) -> None:
    targets, _ = run("到2025年,高新技术企业达到2000家。技术合同成交额达到500亿元;到2030年,研发投入强度达到3.5%。")
    assert [(t.value, t.year) for t in targets] == [(2000, 2025), (500, 2025), (3.5, 2030)]


def test_masked_years_keep_their_words(run: Any) -> None:
    targets, _ = run("至201*年末,全市专利申请量达到1600件以上。\n到20XX年,孵化面积新增5万平方米。")
    assert [(t.year, t.year_text) for t in targets] == [(None, "201*"), (None, "20XX")]


def test_period_heading_governs_its_section(run: Any) -> None:
    text = "五、20XX-201*年主要工作\n(一)推进中心建设\n工作任务:重点引进8-10个研究所进驻中心。\n六、保障措施\n新建实验室5个。"
    targets, _ = run(text)
    assert [(t.value, t.value_max, t.year_text) for t in targets] == [(8, 10, "201*"), (5, None, None)]


def test_five_year_plan_names_map_to_years(run: Any) -> None:
    targets, _ = run("力争“十二五”末,培育龙头企业10家。到“十一五”末,产值达到500亿元。")
    assert [(t.year, t.year_text) for t in targets] == [(2015, "“十二五”末"), (2010, "“十一五”末")]


def test_plan_name_is_not_a_clause(run: Any) -> None:
    targets, _ = run("纳入“十二五”发展规划,建成研发中心30个。")
    assert [(t.value, t.year) for t in targets] == [(30, None)]


def test_change_keeps_its_baseline(run: Any) -> None:
    targets, _ = run("到“十二五”末,高新技术企业数比“十一五”末提高30%。")
    t = targets[0]
    assert (t.kind, t.value, t.unit, t.year) == ("change", 30, "%", 2015)
    assert t.baseline is not None and t.baseline.year == 2010 and "十一五" in (t.baseline.text or "")


def test_news_report_past_and_future(run: Any) -> None:
    text = "截至2022年底,全市共有高新技术企业1200家。目前,全市已建成众创空间45家。力争到2025年,高新技术企业突破2000家。"
    targets, facts = run(text)
    assert [(f.value, f.year) for f in facts] == [(1200, 2022), (45, None)]
    assert [(t.value, t.year, t.comparator) for t in targets] == [(2000, 2025, ">=")]


def test_baseline_year_before_the_horizon_is_a_fact(run: Any) -> None:
    targets, facts = run("2022年全市R&D经费投入强度为2.1%,到2025年达到2.8%。")
    assert [(f.value, f.year) for f in facts] == [(2.1, 2022)]
    assert [(t.value, t.year) for t in targets] == [(2.8, 2025)]


def test_from_baseline_to_target(run: Any) -> None:
    targets, facts = run("到2025年,科技进步贡献率由2020年的60%提高到65%。")
    assert [(t.value, t.year) for t in targets] == [(65, 2025)]
    assert [(f.value, f.year) for f in facts] == [(60, 2020)]


def test_past_verbs_make_facts(run: Any) -> None:
    targets, facts = run("全市粮食单产提高了21.5%,已建成省级园区12个。")
    assert targets == []
    assert sorted(f.value for f in facts) == [12, 21.5]


def test_descriptor_amount_is_not_a_target(run: Any) -> None:
    targets, _ = run("培育年营业收入超10亿元的科技型企业50家。")
    assert [(t.value, t.unit) for t in targets] == [(50, "家")]


def test_flattened_table_with_header(run: Any) -> None:
    text = "指标名称\t单位\t2020年\t2025年\n研发经费投入强度\t%\t2.5\t3.0\n高新技术企业数\t家\t800\t1500\n"
    targets, facts = run(text)
    assert sorted((t.indicator, t.value, t.unit, t.year) for t in targets) == [
        ("研发经费投入强度", 3.0, "%", 2025), ("高新技术企业数", 1500, "家", 2025)]
    assert sorted((f.value, f.year) for f in facts) == [(2.5, 2020), (800, 2020)]


def test_flattened_table_without_header(run: Any) -> None:
    targets, facts = run("R&D经费投入强度(%)\t2.5\t3.0\n")
    assert [(t.value, t.unit) for t in targets] == [(3.0, "%")]
    assert [(f.value, f.unit) for f in facts] == [(2.5, "%")]


def test_plan_period_in_title_governs(run: Any) -> None:
    text = "XX省科技创新行动计划(2023—2025年)\n一、主要目标\n全省高新技术企业达到2万家。"
    targets, _ = run(text)
    assert [(t.value, t.unit, t.year) for t in targets] == [(2, "万家", 2025)]


def test_skip_spans_are_ignored(run: Any) -> None:
    from innocity.parsing.targets import extract

    text = "建成研发中心30个(范文网 2019年12月 5个),培育企业10家。"
    mark = text.index("(范文网")
    targets, _ = extract(text, (0, len(text)), [], skip=[(mark, text.index(")") + 1)])
    assert sorted(t.value for t in targets) == [10, 30]


def test_section_is_the_outline_path(run: Any) -> None:
    from innocity.domain.plan import Section
    from innocity.parsing.targets import extract

    text = "二、目标\n(一)投入\n研发投入强度达到3%。"
    inner = Section("(一)", 2, "投入", (text.index("(一)"), len(text)))
    outer = Section("二、", 1, "目标", (0, len(text)), children=[inner])
    targets, _ = extract(text, (0, len(text)), [outer], skip=[])
    assert targets[0].section == "二、/(一)"


@pytest.mark.parametrize("span", [(0, 0), (5, 3), (0, 10**6)])
def test_odd_spans_do_not_raise(span: tuple[int, int]) -> None:
    from innocity.parsing.targets import extract

    extract("到2025年,达到3%。", span, [], skip=[])


def test_comparison_years_are_baselines_not_clauses(run: Any) -> None:
    text = "到2025年,研发投入强度较2020年提高0.8个百分点。2020年,投入强度达到2.35%,较2015年提高0.6个百分点;高新技术企业达到1536家。"
    targets, facts = run(text)
    assert [(t.kind, t.value, t.year, t.baseline.year if t.baseline else None) for t in targets] == [
        ("change", 0.8, 2025, 2020)]
    assert [(f.value, f.year) for f in facts] == [(2.35, 2020), (0.6, 2020), (1536, 2020)]


def test_base_year_of_a_doubling_is_not_the_target_year(run: Any) -> None:
    targets, _ = run("到2025年,力争全市高新技术企业数量在2020年基础上翻一番。")
    assert [(t.kind, t.value, t.year, t.multiplier) for t in targets] == [("change", 100, 2025, 2)]


def test_a_modern_municipal_plan() -> None:
    """A 2021—2025 plan in today's layout: 发展基础, ——bullets under 具体目标, 重点任务 with incentives."""
    from pathlib import Path

    from innocity.parsing.targets import extract

    text = (Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "tg_modern_plan.txt").read_text("utf-8")
    targets, facts = extract(text, (0, len(text)), [], skip=[])
    got = {(t.value, t.unit, t.comparator, t.kind, t.year) for t in targets}
    for want in [(3, "%", "=", "level", 2025), (1.8, "%", "=", "level", 2025), (4, "%", ">=", "level", 2025),
                 (3000, "家", ">=", "level", 2025), (15, "%", "=", "growth", 2025), (20, "家", "=", "level", 2025),
                 (500, "家", "=", "level", 2025), (12, "件", "=", "level", 2025), (300, "亿元", ">=", "level", 2025),
                 (50, "%", "=", "level", 2025), (10, "个", ">=", "level", 2023)]:
        assert want in got, want
    assert not any(t.unit == "万元" for t in targets)  # 20万元奖励 is an incentive
    assert not any(t.value == 10 and t.unit == "亿元" for t in targets)  # 安排…专项资金 is a budget line
    assert {(f.value, f.year) for f in facts} >= {(2.35, 2020), (1536, 2020), (18.6, 2020)}
    assert all(f.span[0] < text.index("二、总体要求") for f in facts)


def test_a_provincial_plan_with_chapters_and_an_indicator_table() -> None:
    """第X章/第X节 headings, a 专栏 table of indicators, achievements in 发展基础 as facts."""
    from pathlib import Path

    from innocity.parsing.targets import extract

    path = Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "tg_provincial_plan.txt"
    text = path.read_text("utf-8")
    targets, facts = extract(text, (0, len(text)), [], skip=[])
    table = {(t.indicator, t.value, t.unit, t.year) for t in targets if t.indicator in text.split("专栏1")[1][:400]}
    assert table >= {("全社会研发经费投入强度", 2.8, "%", 2025), ("高新技术企业数", 15000, "家", 2025),
                     ("每万人口高价值发明专利拥有量", 9, "件", 2025), ("技术合同成交额", 1000, "亿元", 2025)}
    got = {(t.value, t.value_max, t.unit, t.comparator) for t in targets}
    assert {(1, 2, "家", "range"), (300, None, "家", "="), (3, None, "万家", ">="), (5, None, "家", ">=")} <= got
    baseline = {(f.value, f.unit, f.year) for f in facts}
    assert {(268, "亿元", 2015), (560, "亿元", 2020), (8300, "家", 2020), (2.1, "%", 2020)} <= baseline
    chapter_two = text.index("第二章")
    assert not any(t.span[0] < chapter_two for t in targets)  # the 发展基础 chapter holds no targets


def test_an_event_date_sets_no_deadline(run: Any) -> None:
    targets, _ = run("二、主要任务\n2012年6月,市政府出台了《关于加快科技创新的意见》。培育创新型企业50家。")
    assert [(t.value, t.year) for t in targets] == [(50, None)]


def test_task_lines_with_deadlines(run: Any) -> None:
    text = ("二、重点任务\n1.加快培育创新型企业。每年认定市级创新型企业50家,到2015年,省级以上创新型企业达到100家。\n"
            "责任单位:市科技局牵头,市经信委、市财政局配合\n完成时限:2015年12月\n"
            "2.引进研发机构。共建研发机构10家以上。对新引进的研发机构,市财政给予最高500万元资助。\n责任单位:市科技局\n")
    targets, facts = run(text)
    assert [(t.value, t.year, t.comparator) for t in targets] == [
        (50, None, "="), (100, 2015, "="), (10, None, ">=")]
    assert facts == []


def test_now_speaks_for_its_own_sentence(run: Any) -> None:
    targets, facts = run("二、任务\n目前我市创新能力仍然不强。要加快培育,新增企业50家。目前已建成孵化器12家。")
    assert [t.value for t in targets] == [50]
    assert [f.value for f in facts] == [12]


def test_task_table_rows_are_read_as_text(run: Any) -> None:
    text = ("序号\t任务\t目标\t牵头单位\t完成时限\n"
            "1\t建设科技创新平台\t到2015年建成省级以上研发平台5个\t市科技局\t2015年\n")
    targets, _ = run(text)
    assert [(t.value, t.unit, t.year) for t in targets] == [(5, "个", 2015)]


def test_from_now_to_a_target_count(run: Any) -> None:
    targets, facts = run("科技型企业从现在的200家发展到500家。")
    assert [t.value for t in targets] == [500]
    assert [f.value for f in facts] == [200]


def test_a_count_quote_stops_before_the_next_figure(run: Any) -> None:
    targets, _ = run("加快建设10个市级以上工程技术研究中心、5个重点实验室。")
    assert [t.text for t in targets] == ["加快建设10个市级以上工程技术研究中心", "5个重点实验室"]


def test_deadline_cells_belong_to_their_row(run: Any) -> None:
    text = ("序号\t任务\t目标\t牵头单位\t完成时限\n"
            "1\t提升研发投入\t全社会研发经费投入占GDP比重达到2.5%\t市科技局\t2015年\n"
            "2\t培育创新企业\t高新技术企业数\t500家\t市科技局\t2013年底\n"
            "3\t建设孵化器\t新增孵化面积10万平方米\t市科技局\t\n")
    targets, _ = run(text)
    assert [(t.value, t.unit, t.year) for t in targets] == [(2.5, "%", 2015), (500, "家", 2013), (10, "万平方米", None)]


def test_a_task_decomposition_plan() -> None:
    """Goals, numbered tasks each with 责任单位 and 完成时限 lines, grants and tax rules in 保障措施."""
    from pathlib import Path

    from innocity.parsing.targets import extract

    text = (Path(__file__).resolve().parents[2] / "fixtures" / "plans" / "tg_task_plan.txt").read_text("utf-8")
    targets, facts = extract(text, (0, len(text)), [], skip=[])
    assert sorted((t.value, t.unit, t.comparator, t.kind, t.year) for t in targets) == [
        (2.5, "%", "=", "level", 2015), (6, "件", "=", "level", 2015), (10, "家", ">=", "level", None),
        (20, "%", ">=", "growth", None), (20, "万平方米", "=", "level", None), (40, "%", "=", "level", 2015),
        (50, "家", "=", "level", None), (80, "%", ">=", "level", None), (100, "家", "=", "level", 2015),
        (800, "家", "=", "level", None)]
    assert facts == []  # 2013年安排…3亿元 is a budget line, 500万元资助 a grant, 150%加计扣除 a tax rule


@pytest.mark.parametrize("text", [
    "据介绍,2023年我市高新技术企业数量达到6800家,同比增长18%。",
    "今年以来,全市新增高新技术企业1200家。",
    "全市技术合同成交额达到120亿元,比上年增长15%。",
])
def test_reported_results_are_facts(run: Any, text: str) -> None:
    targets, facts = run(text)
    assert targets == [] and facts


def test_from_to_with_years_on_both_sides(run: Any) -> None:
    targets, facts = run("万人发明专利拥有量从2020年的10.2件提升至2025年的20件。")
    assert [(t.indicator, t.value, t.year) for t in targets] == [("万人发明专利拥有量", 20, 2025)]
    assert [(f.indicator, f.value, f.year) for f in facts] == [("万人发明专利拥有量", 10.2, 2020)]


def test_milestone_years_in_a_goals_section_are_targets(run: Any) -> None:
    text = "二、发展目标\n2023年,全市R&D经费投入强度达到2.5%;到2025年,达到3%。"
    targets, facts = run(text)
    assert [(t.value, t.year) for t in targets] == [(2.5, 2023), (3, 2025)]
    assert facts == []


def test_a_period_in_a_baseline_heading_dates_its_facts(run: Any) -> None:
    text = "一、“十二五”期间发展成就\n全市高新技术企业达到500家,研发投入强度2.1%。\n二、发展目标\n高新技术企业达到800家。"
    targets, facts = run(text)
    assert [(f.value, f.year) for f in facts] == [(500, 2015), (2.1, 2015)]
    assert [(t.value, t.year) for t in targets] == [(800, None)]


def test_a_higher_aim_keeps_the_kind(run: Any) -> None:
    targets, _ = run("高新技术产业产值年均增长20%以上,力争达到25%。")
    assert [(t.kind, t.value, t.comparator) for t in targets] == [("growth", 20, ">="), ("growth", 25, "=")]


def test_a_table_with_bars_and_padded_cells(run: Any) -> None:
    text = ("| 指标 | 单位 | 2020年 | 2025年 |\n|---|---|---|---|\n"
            "| 研发经费投入强度 | % | 2.1 | 2.8 |\n| 高新技术企业数 | 家 | 800 | ≥1500 |\n")
    targets, facts = run(text)
    assert [(t.indicator, t.value, t.unit, t.year, t.comparator) for t in targets] == [
        ("研发经费投入强度", 2.8, "%", 2025, "="), ("高新技术企业数", 1500, "家", 2025, ">=")]
    assert [(f.value, f.year) for f in facts] == [(2.1, 2020), (800, 2020)]


def test_a_base_year_column_does_not_repeat_facts(run: Any) -> None:
    text = ("一、发展基础\n2020年,高新技术企业达到1850家。\n二、发展目标\n"
            "指标\t单位\t2020年\t2025年\n高新技术企业数\t家\t1850\t3000\n研发投入强度\t%\t2.1\t3.0\n")
    targets, facts = run(text)
    assert sorted((f.value, f.unit) for f in facts) == [(2.1, "%"), (1850, "家")]
    assert sorted(t.value for t in targets) == [3.0, 3000]
