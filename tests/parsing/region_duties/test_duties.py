"""Duties from 责任单位 lines and flattened task tables, on the project's own varied inputs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from innocity.domain.plan import Duty, Region, Section
from innocity.parsing.duties import extract_duties, normalise_units, parse_deadline
from innocity.parsing.outline import build_outline
from innocity.parsing.region import detect_region

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"
CITY = Region("唐山市", "河北省", 0.9, [], adcode="130200", level="city")
PROVINCE = Region("湖南省", "湖南省", 0.9, [], adcode="430000", level="province")
COUNTY = Region("长兴县", "浙江省", 0.9, [], adcode="330522", level="county")
UNKNOWN = Region(None, None, 0.0, [])


def duties_of(text: str, region: Region = CITY, outline: list[Section] | None = None) -> list[Duty]:
    span = (0, len(text))
    ds = extract_duties(text, span, outline if outline is not None else build_outline(text, span), region)
    for d in ds:
        assert text[d.span[0] : d.span[1]] == d.text
    return ds


def one(text: str, region: Region = CITY) -> Duty:
    ds = duties_of(text, region, [])
    assert len(ds) == 1, ds
    return ds[0]


@pytest.mark.parametrize(
    ("line", "lead", "support"),
    [
        ("责任单位:市工信局牵头,市发改委、科技局配合", ["市工信局"], ["市发改委", "市科技局"]),
        (
            "责任单位：市工信局牵头，市发改委、科技局配合",
            ["市工信局"],
            ["市发改委", "市科技局"],
        ),  # full-width
        ("牵头单位:市科技局;配合单位:市发改委、市财政局", ["市科技局"], ["市发改委", "市财政局"]),
        ("主要责任单位:市发改委 协同配合单位:市财政局、统计局", ["市发改委"], ["市财政局", "市统计局"]),
        ("责任单位:市科技局、市财政局", ["市科技局", "市财政局"], []),
        (
            "责任单位:市科技局牵头负责,市教育局、团市委、市科协等配合",
            ["市科技局"],
            ["市教育局", "团市委", "市科协"],
        ),
        ("责任单位:市科技局(牵头)、市财政局、市教育局", ["市科技局"], ["市财政局", "市教育局"]),
        ("责任单位:由市商务局牵头,各县(市)区政府配合", ["市商务局"], ["各县(市)区政府"]),
        (
            "责任单位:市住房和城乡建设局、市人力资源和社会保障局",
            ["市住房和城乡建设局", "市人力资源和社会保障局"],
            [],
        ),
        ("责任单位:市科技局和市财政局", ["市科技局", "市财政局"], []),
        ("责任单位:市发改委、科技局、财政局等有关部门", ["市发改委", "市科技局", "市财政局"], []),
        (
            "责任单位:曹妃甸工业区管委会牵头,市科技局、发改委配合",
            ["曹妃甸工业区管委会"],
            ["市科技局", "市发改委"],
        ),
        ("责任单位:曹妃甸新区管委会、唐海县、市场监管局", ["曹妃甸新区管委会", "唐海县", "市市场监管局"], []),
        ("配合单位:市财政局、市审计局", [], ["市财政局", "市审计局"]),
    ],
)
def test_line_shapes_in_a_city_plan(line: str, lead: list[str], support: list[str]) -> None:
    d = one("(一)某项任务\n推进某项工作。\n" + line + "\n")
    assert (d.lead, d.support) == (lead, support)


def test_as_written_is_kept_beside_the_normalised_names() -> None:
    d = one("责任单位:市工信局牵头,市发改委、科技局等配合")
    assert d.lead_as_written == ["市工信局"]
    assert d.support_as_written == ["市发改委", "科技局"]
    assert d.support == ["市发改委", "市科技局"]
    assert d.text == "责任单位:市工信局牵头,市发改委、科技局等配合"


def test_parenthesised_line_inside_a_paragraph() -> None:
    text = "1.建设科技企业孵化器。新建孵化器10家(责任单位:市科技局、各区县(市)政府),力争年内完成。\n"
    d = one(text)
    assert d.text == "责任单位:市科技局、各区县(市)政府"
    assert d.lead == ["市科技局", "各区县(市)政府"]


def test_provincial_plan_restores_the_province_prefix() -> None:
    d = one("责任单位:省科技厅牵头,发改委、财政厅、国土资源厅配合", PROVINCE)
    assert d.lead == ["省科技厅"]
    assert d.support == ["省发改委", "省财政厅", "省国土资源厅"]


def test_county_plan_restores_the_county_prefix() -> None:
    d = one("责任单位:县经信局牵头,科技局、发改局配合", COUNTY)
    assert d.support == ["县科技局", "县发改局"]


def test_unknown_place_keeps_names_as_written_unless_the_list_sets_the_prefix() -> None:
    d = one("责任单位:科技局牵头,财政局配合", UNKNOWN)
    assert (d.lead, d.support) == (["科技局"], ["财政局"])
    d = one("责任单位:市科技局牵头,财政局配合", UNKNOWN)
    assert d.support == ["市财政局"]


def test_normalise_leaves_non_bureaus_alone() -> None:
    names = ["曹妃甸工业区管委会", "唐海县", "各县区政府", "西宁经济技术开发区管委会", "青海省科技厅", "团市委",
             "人行合肥中心支行", "市委宣传部", "电动汽车城项目建设领导小组办公室"]  # fmt: skip
    out, _ = normalise_units(names, CITY)
    assert out == names


def test_lead_and_support_on_consecutive_lines_are_one_duty() -> None:
    text = "(三)强化企业主体\n实施培育计划。\n牵头单位:市科技局\n配合单位:市财政局、税务局\n\n(四)下一项\n"
    ds = duties_of(text)
    assert len(ds) == 1
    assert (ds[0].lead, ds[0].support) == (["市科技局"], ["市财政局", "市税务局"])


def test_deadline_on_the_line() -> None:
    d = one("牵头单位:市科技局;配合单位:市财政局;完成时限:2016年6月底前")
    assert d.deadline == "2016-06"
    assert d.support == ["市财政局"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2015年", "2015"),
        ("2016年6月底前", "2016-06"),
        ("2021年—2025年", "2025"),
        ("2016-2018年", "2018"),
        ("2017.9", "2017-09"),
        ("２０１８年１２月", "2018-12"),
        ("20XX年", None),
        ("201*年底", None),
        ("长期坚持", None),
        ("每年12月", None),
    ],
)
def test_parse_deadline(cell: str, expected: str | None) -> None:
    assert parse_deadline(cell) == expected


def test_duty_attached_to_its_task_heading() -> None:
    text = (
        "二、重点任务\n\n(一)钢铁产业技术创新\n\n推广新一代可循环钢铁工艺。\n\n责任单位:市工信局牵头,市发改委配合\n\n"
        "(二)化工产业技术创新\n\n延伸化工产业链。\n\n责任单位:市工信局牵头,科技局配合\n"
    )
    ds = duties_of(text)
    assert [d.task for d in ds] == ["钢铁产业技术创新", "化工产业技术创新"]
    assert all(d.section and d.section.startswith("二、/") for d in ds)


def test_prose_about_responsibilities_is_not_a_duty() -> None:
    text = "《方案》明确了各项任务的牵头单位和配合单位,市科技局有关负责人介绍了责任单位的分工情况。"
    assert duties_of(text) == []


FIXTURE_DUTIES = {
    "rd_hefei_city.txt": [
        ("建设综合性国家科学中心", ["市发改委", "市科技局"], []),
        (
            "培育壮大战略性新兴产业",
            ["市发改委"],
            ["市经信委", "市科技局", "各县(市)区政府", "合肥高新区管委会"],
        ),
        ("强化企业创新主体地位", ["市科技局"], ["市财政局", "市税务局", "市人力资源和社会保障局"]),
        ("加强创新人才队伍建设", ["市委组织部"], ["市人力资源和社会保障局", "市科技局", "团市委", "市科协"]),
        ("完善科技金融服务体系", ["市金融办"], ["市财政局", "人行合肥中心支行"]),
    ],
    "rd_hunan_province.txt": [
        ("建设长株潭国家自主创新示范区", ["省科技厅"], ["省发改委", "省财政厅", "省国土资源厅"]),
        ("推进科技成果转化", ["省科技厅"], ["省教育厅", "省财政厅", "各市州人民政府"]),
        ("实施创新人才工程", ["省委组织部", "省人力资源社会保障厅"], []),
    ],
    "rd_changxing_county.txt": [
        ("加快新能源产业创新", ["县经信局"], ["县科技局", "县发改局", "县财政局"]),
        ("提升园区创新平台", ["长兴经济技术开发区管委会", "县科技局"], []),
    ],
    "rd_unnamed_wuhan.txt": [
        ("做强光谷创新核心区", ["东湖新技术开发区管委会"], ["市科技局", "市发改委"]),
        ("吸引创新人才", ["市委组织部", "市人社局"], []),
    ],
    "rd_no_place.txt": [
        ("企业创新能力提升行动", ["市科技局"], ["市财政局", "市发改委"]),  # 我市 makes it a city's plan
        ("创新平台建设行动", ["市科技局", "各区政府"], []),
    ],
    "rd_chengdu_news.txt": [],
    # "列第一位的为牵头单位" said once up front governs every list below it
    "rd_jiangxi_province_many_duties.txt": [
        ("培育科技型企业", ["省科技厅"], ["省财政厅", "省税务局"]),
        ("支持企业建设研发机构", ["省工业和信息化厅"], ["省发展改革委", "省科技厅"]),
        ("推动军民融合创新", ["省国防科工办"], ["省科技厅", "省工业和信息化厅"]),
        ("建设鄱阳湖国家自主创新示范区", ["省科技厅"], ["各设区市人民政府"]),
        ("建设中国(南昌)中医药科创城", ["南昌市人民政府"], ["省中医药管理局", "省科技厅"]),
        ("建设江西省实验室", ["省科技厅"], ["省发展改革委", "省财政厅", "省教育厅"]),
        ("实施“双千计划”", ["省委组织部"], ["省人力资源社会保障厅", "省科技厅"]),
        ("完善科技人员激励机制", ["省人力资源社会保障厅"], ["省财政厅", "省科技厅"]),
        ("完善科技金融体系", ["省地方金融监管局"], ["人行南昌中心支行", "江西银保监局", "省科技厅"]),
        ("加强知识产权保护", ["省市场监管局"], ["省法院", "省检察院", "省公安厅"]),
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_DUTIES))
def test_fixture_plans(name: str) -> None:
    text = (PLANS / name).read_text(encoding="utf-8")
    region = detect_region(text, (0, len(text)))
    got = [(d.task, d.lead, d.support) for d in duties_of(text, region)]
    assert got == FIXTURE_DUTIES[name]


def test_task_table_flattened_to_text() -> None:
    text = (PLANS / "rd_task_table_ningbo.txt").read_text(encoding="utf-8")
    region = detect_region(text, (0, len(text)))
    ds = duties_of(text, region, [])
    assert len(ds) == 31  # 26 rows with tabs, 5 with runs of spaces
    by_task = {d.task: d for d in ds}
    d = by_task["建设甬江科创区"]
    assert (d.lead, d.support, d.deadline) == (["市科技局"], ["市发改委", "市自然资源和规划局"], "2022-12")
    assert d.text.startswith("1\t建设甬江科创区\t")
    assert by_task["实施甬江引才工程"].deadline == "2025"
    assert by_task["推广科技保险和知识产权质押融资"].deadline is None  # 长期
    assert by_task["实施企业研发投入后补助"].deadline is None  # 20XX年: masked
    assert by_task["建设海洋科技创新平台"].deadline is None  # 201*年底: masked
    assert by_task["培育高新技术企业"].support == ["市财政局", "市税务局", "各区县(市)政府"]
    assert by_task["建设前湾新区创新平台"].lead == ["前湾新区管委会"]
    spaced = by_task["甬江实验室一期"]
    assert (spaced.lead, spaced.support, spaced.deadline) == (["市科技局"], ["高新区管委会"], "2022")
    assert by_task["东方理工大学(暂名)筹建"].lead == ["市教育局", "镇海区政府"]


def test_table_with_pipes_and_an_empty_support_cell() -> None:
    text = (
        "| 任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| 建设科技大市场 | 市科技局 | 市商务局 | 2019年6月 |\n"
        "| 设立创投引导基金 | 金融办 |  | 2019年 |\n"
        "\n以上任务由各单位按期完成。\n"
    )
    ds = duties_of(text, CITY, [])
    assert [(d.task, d.lead, d.support, d.deadline) for d in ds] == [
        ("建设科技大市场", ["市科技局"], ["市商务局"], "2019-06"),
        ("设立创投引导基金", ["市金融办"], [], "2019"),
    ]


def test_bracketed_label() -> None:
    d = one("1.建设科技大市场。【责任单位】市科技局、市商务局\n")
    assert d.lead == ["市科技局", "市商务局"]


def test_shared_responsibility_wording() -> None:
    d = one("责任单位:市发改委、市科技局按职责分工负责")
    assert d.lead == ["市发改委", "市科技局"] and d.support == []


def test_first_listed_unit_leads_when_the_plan_says_so_up_front() -> None:
    text = (
        "以下各项任务中,列第一位的为牵头单位,其他为配合单位。\n"
        "(一)建设创新平台\n责任单位:省科技厅、省发改委、省财政厅\n"
        "(二)培育创新企业\n责任单位:省工信厅\n"
    )
    ds = duties_of(text, PROVINCE)
    assert [(d.lead, d.support) for d in ds] == [
        (["省科技厅"], ["省发改委", "省财政厅"]),
        (["省工信厅"], []),
    ]


def test_first_listed_note_inside_the_line() -> None:
    d = one("(责任单位:市科技局、市财政局、市教育局,列第一位的为牵头单位)")
    assert (d.lead, d.support) == (["市科技局"], ["市财政局", "市教育局"])


def test_without_the_note_every_listed_unit_leads() -> None:
    d = one("责任单位:市科技局、市财政局、市教育局")
    assert d.lead == ["市科技局", "市财政局", "市教育局"]


def test_a_page_without_line_breaks_stays_linear() -> None:
    # PDF extraction can lose every line break; thousands of duties on one line must not go quadratic
    unit = "推进某项工作,由各单位牵头做好(责任单位:市科技局、市财政局)。"
    def best_of_three(text: str) -> float:  # CPU time, best of three: one run can be hit by GC or load
        times = []
        for _ in range(3):
            t0 = time.process_time()
            duties_of(text, CITY, [])
            times.append(time.process_time() - t0)
        return min(times)

    text = unit * 3000
    small, big = best_of_three(unit * 750), best_of_three(text)
    assert big <= 8 * small + 0.1, (small, big)  # 4x the text: ~4x the work; quadratic would be 16x
    ds = duties_of(text, CITY, [])
    assert len(ds) == 3000
    assert ds[-1].lead == ["市科技局", "市财政局"]


def test_unlabelled_bracketed_list_with_markers() -> None:
    text = "(二)推进成果转化\n建立技术交易平台,完善收益分配机制(省发展改革委牵头,省财政厅、省科技厅配合)。\n"
    ds = duties_of(text, PROVINCE, [])
    assert [(d.text, d.lead, d.support) for d in ds] == [
        ("省发展改革委牵头,省财政厅、省科技厅配合", ["省发展改革委"], ["省财政厅", "省科技厅"])
    ]


@pytest.mark.parametrize(
    "text",
    [
        "坚持政府引导、企业为主(政府牵头,企业配合),形成合力。",
        "(一)指导思想。以企业牵头、高校配合的方式推进。",
        "按照“政府引导、市场运作”(即政府牵头搭台)的思路推进。",
    ],
)
def test_bracketed_prose_with_markers_is_not_a_duty(text: str) -> None:
    assert duties_of(text, CITY, []) == []


def test_lead_label_with_a_plain_responsibility_list() -> None:
    d = one("牵头单位:市科技局;责任单位:市财政局、各县区政府")
    assert (d.lead, d.support) == (["市科技局"], ["市财政局", "各县区政府"])


def test_other_responsible_units_support() -> None:
    d = one("主要责任单位:市科技局;其他责任单位:市财政局、市教育局")
    assert (d.lead, d.support) == (["市科技局"], ["市财政局", "市教育局"])


def test_shared_wording_beside_an_explicit_lead() -> None:
    d = one("责任单位：市科技局（牵头），市发展改革委、市工业和信息化局、市财政局按职责分工负责")
    assert d.lead == ["市科技局"]
    assert d.support == ["市发展改革委", "市工业和信息化局", "市财政局"]


def test_lead_and_support_lines_separated_by_a_blank_line() -> None:
    text = "(一)建设创新平台\n\n牵头单位:市科技局\n\n配合单位:市发改委、财政局\n\n(二)下一项\n\n牵头单位:市教育局\n"
    ds = duties_of(text)
    assert [(d.lead, d.support) for d in ds] == [(["市科技局"], ["市发改委", "市财政局"]), (["市教育局"], [])]


def test_marker_variants() -> None:
    d = one("责任单位:市发改委牵头抓总,市科技局、市财政局按职责配合推进")
    assert (d.lead, d.support) == (["市发改委"], ["市科技局", "市财政局"])
    d = one("责任单位:市科技局等部门牵头,市财政局参与实施")
    assert (d.lead, d.support) == (["市科技局"], ["市财政局"])


def test_list_on_the_line_after_its_label() -> None:
    text = "(一)建设创新平台\n责任单位：\n市科技局、市发改委\n\n(二)下一项\n"
    ds = duties_of(text)
    assert [(d.task, d.lead) for d in ds] == [("建设创新平台", ["市科技局", "市发改委"])]


def test_empty_label_before_a_heading_is_not_a_duty() -> None:
    text = "(一)建设创新平台\n责任单位:\n(二)下一项\n推进工作。\n"
    assert duties_of(text) == []


def test_table_with_category_rows() -> None:
    text = (
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限\n"
        "一、强化企业主体\n"
        "1\t培育高新技术企业\t市科技局\t市财政局\t2020年\n"
        "2\t建设企业研发机构\t市工信局\t市科技局\t2021年6月\n"
        "二、建设创新平台\n"
        "3\t建设技术创新中心\t市科技局\t市发改委\t2022年\n"
        "\n各地要抓好落实。\n"
    )
    ds = duties_of(text, CITY, [])
    assert [(d.task, d.lead, d.deadline) for d in ds] == [
        ("培育高新技术企业", ["市科技局"], "2020"),
        ("建设企业研发机构", ["市工信局"], "2021-06"),
        ("建设技术创新中心", ["市科技局"], "2022"),
    ]
