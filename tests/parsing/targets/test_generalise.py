"""Shapes met when running the parser on other places' plans and on news reports about them; every text
here is written for the test (other cities, other figures), in the phrasing those documents use."""

from __future__ import annotations

import pytest

from innocity.parsing.numbers import cn_value, find_quantities
from innocity.parsing.textfold import fold

from .conftest import Runner


def targets_of(run: Runner, text: str) -> list[tuple[str, str, float | None, str | None, int | None]]:
    ts, _ = run(text)
    return [(t.indicator, t.comparator, t.value, t.unit, t.year) for t in ts]


# -- 分别: several subjects, several values ---------------------------------------------------------------
def test_fenbie_pairs_subjects_in_the_clause_before_with_values(run: Runner) -> None:
    text = "到2028年,全县规上工业企业和科技型中小企业在2023年的基础上实现“双倍增”,分别超过120家和950家。"
    assert targets_of(run, text) == [
        ("规上工业企业", ">=", 120, "家", 2028),
        ("科技型中小企业", ">=", 950, "家", 2028),
    ]


def test_fenbie_in_one_clause_and_a_comparator_that_governs_the_list(run: Runner) -> None:
    text = "到2026年,数字经济核心产业营业收入、增加值分别不低于800亿元、260亿元。"
    assert targets_of(run, text) == [
        ("数字经济核心产业营业收入", ">=", 800, "亿元", 2026),
        ("增加值", ">=", 260, "亿元", 2026),
    ]


def test_fenbie_facts_in_a_baseline_section(run: Runner) -> None:
    ts, fs = run("一、发展基础\n去年全市发明专利、PCT专利授权量分别为3200件和140件。")
    assert ts == []
    assert [(f.indicator, f.value) for f in fs] == [("去年全市发明专利", 3200), ("PCT专利授权量", 140)] or \
        [(f.value, f.unit) for f in fs] == [(3200, "件"), (140, "件")]


def test_fenbie_with_mismatched_counts_keeps_both_values(run: Runner) -> None:
    ts, _ = run("到2025年,全市孵化器分别达到30家、40家和50家。")
    assert [t.value for t in ts] == [30, 40, 50]


# -- news reports: ordinal list markers, floors and stretch goals ------------------------------------------
def test_ordinal_list_markers_are_not_part_of_the_indicator(run: Runner) -> None:
    text = (
        "今年全县要努力完成五项任务:一是规上高新技术产业增加值要突破80亿元;二是新增科技型中小企业60家,"
        "努力实现新增90家;其三,发明专利授权量要超过700件;首先要确保技术合同成交额达到20亿元。"
    )
    got = targets_of(run, text)
    assert [g[0] for g in got] == ["规上高新技术产业增加值", "科技型中小企业", "科技型中小企业", "发明专利授权量",
                                   "技术合同成交额"]
    assert [g[2] for g in got] == [80, 60, 90, 700, 20]
    assert not any(g[0].startswith(("一是", "二是", "其三", "首先")) for g in got)


def test_floor_and_stretch_goal_take_the_subject_of_the_clause_before(run: Runner) -> None:
    # 确保X、争取Y: two targets with one indicator, the floor (>=) and the stretch goal (=)
    text = "一是全市财政科技支出要突破9亿元;二是争取国家和省科技专项资金支持,确保超过8000万元、争取1亿元。"
    got = targets_of(run, text)
    assert got[1:] == [
        ("国家和省科技专项资金支持", ">=", 8000, "万元", None),
        ("国家和省科技专项资金支持", "=", 1, "亿元", None),
    ]


# -- counts of measures, goals reported as proposed ----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "会议指出,市科技局围绕四个方面研究提出了22项扶持措施。",
        "《意见》共提出了15条政策措施,涵盖人才、资金、用地等方面。",
        "省政府出台了支持科技企业发展的12条举措。",
    ],
)
def test_a_count_of_measures_in_a_policy_document_is_neither_target_nor_fact(run: Runner, text: str) -> None:
    ts, fs = run(text)
    assert ts == [] and fs == []


def test_a_goal_set_out_in_the_past_tense_is_still_a_target(run: Runner) -> None:
    ts, fs = run("全县科技大会提出了2026年全县国家高新技术企业总数达380家的主要目标。")
    assert fs == []
    assert [(t.indicator, t.value, t.unit, t.year) for t in ts] == [("国家高新技术企业总数", 380, "家", 2026)]


# -- figures that qualify a noun --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("到2025年,营业收入超过50亿元的科技领军企业和专精特新企业数达到12家以上。", 12, "家"),
        ("到2025年,年销售收入超过亿元的高新技术企业达到65家。", 65, "家"),
        ("到2025年,实施总投资超过5亿元的重大科技项目20个。", 20, "个"),
        ("到2025年,研发人员超过100人的企业达到35家。", 35, "家"),
        ("到2025年,建成面积超过1万平方米的众创空间8个。", 8, "个"),
    ],
)
def test_an_amount_before_de_describes_what_is_counted(run: Runner, text: str, value: float, unit: str) -> None:
    ts, _ = run(text)
    assert [(t.value, t.unit) for t in ts] == [(value, unit)]


# -- indicators that read through 从事 / 由于 ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("每万人劳动力从事研发人员数量达到50人以上。", "每万人劳动力从事研发人员数量"),
        ("每万名从业人员从事科技活动人员数达到90人。", "每万名从业人员从事科技活动人员数"),
        ("企业研发投入由目前的1.2%提高到2.5%。", "企业研发投入"),
    ],
)
def test_indicator_reads_up_to_the_verb(run: Runner, text: str, indicator: str) -> None:
    ts, _ = run(text)
    assert ts and ts[-1].indicator == indicator


# -- Chinese numerals, without cn2an --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("token", "value"),
    [
        ("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("三十六", 36), ("两", 2), ("一百零八", 108),
        ("两千零五", 2005), ("五千", 5000), ("一万二千", 12000), ("四十万", 400000), ("一亿五千万", 150000000),
        ("三点五", 3.5), ("二〇二五", 2025), ("零", 0), ("3千", 3000), ("1.5万", 15000), ("2亿", 200000000),
    ],
)
def test_chinese_numeral_forms(token: str, value: float) -> None:
    v = cn_value(token)
    assert v is not None and float(v) == value


@pytest.mark.parametrize("token", ["", "百分", "十二五计划", "abc"])
def test_non_numerals(token: str) -> None:
    assert cn_value(token) is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新建二十个研发中心", 20, "个"),
        ("引进两百名博士", 200, "名"),
        ("建成三千家科技型企业", 3000, "家"),
        ("投入十五亿元", 15, "亿元"),
    ],
)
def test_chinese_numerals_in_text(text: str, value: float, unit: str) -> None:
    qs = find_quantities(fold(text))
    assert [(q.value, q.unit) for q in qs] == [(value, unit)]


def test_parsing_modules_do_not_import_cn2an() -> None:
    import subprocess
    import sys

    code = "import sys, innocity.parsing.pipeline; print('cn2an' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", "cn2an costs ~0.7 s of import time per process"


# -- news reports: 今年 -------------------------------------------------------------------------------------
def test_this_year_replaces_an_earlier_year_and_reports_results_when_it_says_so(run: Runner) -> None:
    text = ("2023年,全区新增省级研发平台12个,同比增长20%。\n今年,全区要新增省级研发平台15个。"
            "今年上半年,全区技术合同成交额达到18亿元。今年以来,全区新增科技型企业300家。")
    ts, fs = run(text)
    assert [(t.value, t.year) for t in ts] == [(15, None)]
    assert {f.value for f in fs} >= {12, 18, 300}


# -- tables flattened to text ---------------------------------------------------------------------------------
def test_table_with_year_columns_and_a_growth_column(run: Runner) -> None:
    text = ("主要指标\n指标\t单位\t2022年\t2026年\t年均增长(%)\n"
            "高新技术产业增加值\t亿元\t420\t680\t12.8\n"
            "技术合同成交额\t亿元\t55\t≥100\t—\n")
    ts, fs = run(text)
    got = sorted((t.indicator, t.value, t.unit, t.year, t.kind) for t in ts)
    assert got == [
        ("技术合同成交额", 100, "亿元", 2026, "level"),
        ("高新技术产业增加值", 12.8, "%", 2026, "growth"),
        ("高新技术产业增加值", 680, "亿元", 2026, "level"),
    ]
    assert sorted((f.value, f.year) for f in fs) == [(55, 2022), (420, 2022)]


# -- numerals, scales, typos, masked years ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "unit", "year", "year_text"),
    [
        ("到二〇二六年,全市科技型中小企业达到一万五千家。", 15000, "家", 2026, "二〇二六"),
        ("到2025年,研发投入达到一亿五千万元。", 15000, "万元", 2025, "2025"),
        ("到2025年,新增就业三万人。", 3, "万人", 2025, "2025"),
        ("到2025年,新增3千家科技型企业。", 3000, "家", 2025, "2025"),
        ("至201*年,全市高新技术产业产值达道800亿元。", 800, "亿元", None, "201*"),
        ("到20XX年,发明专利授权量达倒2500件左右。", 2500, "件", None, "20XX"),
    ],
)
def test_numerals_typos_and_masked_years(run: Runner, text: str, value: float, unit: str, year: int | None,
                                         year_text: str) -> None:
    ts, _ = run(text)
    assert [(t.value, t.unit, t.year, t.year_text) for t in ts] == [(value, unit, year, year_text)]
    assert not any(w in ts[0].indicator for w in ("达道", "达倒"))


def test_fenbie_growth_rates_are_all_growth(run: Runner) -> None:
    ts, _ = run("到2026年,全县工业增加值、服务业增加值、财政收入分别年均增长6%、7.5%和9%以上。")
    assert [(t.indicator, t.value, t.kind) for t in ts] == [
        ("工业增加值", 6, "growth"), ("服务业增加值", 7.5, "growth"), ("财政收入", 9, "growth"),
    ]


def test_deadline_of_the_overall_goal_governs_the_specific_goals_after_it(run: Runner) -> None:
    text = ("二、发展目标\n(一)总体目标\n到2030年,基本建成区域科技创新中心。\n(二)主要指标\n"
            "1.创新投入。全社会研发经费投入强度达到3.6%。\n2.创新主体。高新技术企业达到2600家。\n"
            "三、重点任务\n(一)平台。到2027年,建成省级实验室3家。\n")
    ts, _ = run(text)
    assert [(t.value, t.year) for t in ts][:3] == [(3.6, 2030), (2600, 2030), (3, 2027)]


def test_hard_line_breaks_inside_a_sentence(run: Runner) -> None:
    # text copied from a PDF keeps its line breaks: the subject sits at the end of the previous line
    text = "二、目标\n到2026年,全市技术合同成交额达到150亿元,国家科技型中小企业达\n到2800家,省级新型研发机构达到\n40家。\n"
    ts, _ = run(text)
    assert [(t.indicator, t.value, t.year) for t in ts] == [
        ("技术合同成交额", 150, 2026), ("国家科技型中小企业", 2800, 2026), ("省级新型研发机构", 40, 2026),
    ]


def test_floor_and_stretch_goal_in_one_clause(run: Runner) -> None:
    ts, _ = run("今年,全县技术合同成交额确保完成12亿元、力争达到15亿元;科技型中小企业确保新增150家,力争新增200家。")
    assert [(t.indicator, t.value) for t in ts] == [
        ("技术合同成交额", 12), ("技术合同成交额", 15), ("科技型中小企业", 150), ("科技型中小企业", 200),
    ]


def test_a_deadline_written_as_year_qian_is_a_target_year(run: Runner) -> None:
    ts, fs = run("到2035年,全市研发投入强度达到4.5%;2030年前,高新技术企业达到6000家,2028年底前建成省实验室2家。")
    assert fs == []
    assert [(t.value, t.year) for t in ts] == [(4.5, 2035), (6000, 2030), (2, 2028)]


def test_a_dated_report_reads_earlier_years_as_results(run: Runner) -> None:
    text = ("海宁市召开全市科技创新大会\n发布日期:2024年3月2日\n"
            "2023年,全市研发经费投入强度达到3.9%,技术合同成交额达到31亿元。\n"
            "今年,全市要新增国家高新技术企业90家,2025年全市高新技术企业达到1200家。\n")
    ts, fs = run(text)
    assert sorted((f.value, f.year) for f in fs) == [(3.9, 2023), (31, 2023)]
    assert [(t.value, t.year) for t in ts] == [(90, 2024), (1200, 2025)]  # 今年 is the report's year


def test_table_with_a_category_column_before_the_indicator(run: Runner) -> None:
    text = ("类别\t指标名称\t2022年基数\t2026年目标\n"
            "创新投入\t全社会研发经费支出(亿元)\t120\t200\n"
            "创新产出\t技术合同成交额(亿元)\t60\t110\n")
    ts, fs = run(text)
    assert [(t.indicator, t.value, t.unit, t.year) for t in ts] == [
        ("全社会研发经费支出", 200, "亿元", 2026), ("技术合同成交额", 110, "亿元", 2026),
    ]
    assert [(f.value, f.unit, f.year) for f in fs] == [(120, "亿元", 2022), (60, "亿元", 2022)]


def test_space_separated_table_row_that_lost_an_empty_cell(run: Runner) -> None:
    text = ("类别  指标名称  2022年基数  2026年目标\n"
            "创新投入  财政科技支出(亿元)  30  45\n"
            "  科技型中小企业数(家)  900  1500\n"
            "研发投入强度(%)  2.4  3.1\n")
    ts, fs = run(text)
    assert [(t.value, t.unit, t.year) for t in ts] == [(45, "亿元", 2026), (1500, "家", 2026), (3.1, "%", 2026)]
    assert [(f.value, f.year) for f in fs] == [(30, 2022), (900, 2022), (2.4, 2022)]


def test_a_headline_counting_measures_is_not_a_target() -> None:
    from innocity.parsing.pipeline import parse_text

    text = "12条举措支持科技型企业发展\n本报讯 市政府近日印发意见,到2025年,全市科技型中小企业达到3000家。"
    plans, _ = parse_text(text)
    values = sorted(t.value for p in plans for t in p.targets)
    assert values == [3000]
