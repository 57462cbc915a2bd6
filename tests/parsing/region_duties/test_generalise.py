"""Shapes met in other places' plans: unlabelled 负责 lists, county/district/county-level-city titles."""

from __future__ import annotations

import pytest

from innocity.domain.plan import Duty, Region
from innocity.parsing.duties import extract_duties
from innocity.parsing.outline import build_outline
from innocity.parsing.region import detect_region

PROVINCE = Region("江西省", "江西省", 0.9, [], adcode="360000", level="province")
CITY = Region("芜湖市", "安徽省", 0.9, [], adcode="340200", level="city")


def duties_of(text: str, region: Region) -> list[Duty]:
    span = (0, len(text))
    ds = extract_duties(text, span, build_outline(text, span), region)
    for d in ds:
        assert text[d.span[0] : d.span[1]] == d.text
    return ds


@pytest.mark.parametrize(
    ("line", "region", "lead"),
    [
        ("加快建设重点实验室体系。(省教育厅、省科技厅按职责分工负责)", PROVINCE, ["省教育厅", "省科技厅"]),
        ("推动规上企业研发机构全覆盖。(市经信局、市科技局分别负责)", CITY, ["市经信局", "市科技局"]),
        ("落实首台套保险补偿政策。(各县(市、区)人民政府负责)", CITY, ["各县(市、区)人民政府"]),
        ("支持企业建设中试基地。(市发展改革委负责)", CITY, ["市发展改革委"]),
        ("完善科技金融服务体系。(省地方金融监管局、人行南昌中心支行按职责负责)", PROVINCE,
         ["省地方金融监管局", "人行南昌中心支行"]),
    ],
)
def test_unlabelled_lists_ending_in_fuze_are_all_leads(line: str, region: Region, lead: list[str]) -> None:
    text = "二、主要任务\n(一)强化企业主体地位。" + line + "\n"
    ds = duties_of(text, region)
    assert len(ds) == 1, ds
    assert ds[0].lead == lead and ds[0].support == []
    assert ds[0].task is not None and "企业主体" in ds[0].task


@pytest.mark.parametrize(
    "line",
    [
        "推进科技成果转化工作(详见附件)。",
        "建立专家咨询制度(专家由市科协负责推荐)。",  # a sentence in brackets, not a list of bodies
        "完善考核办法(考核结果作为干部任用的重要依据,组织部门负责)。",
    ],
)
def test_brackets_that_are_not_responsibility_lists(line: str) -> None:
    assert duties_of("二、保障措施\n" + line + "\n", CITY) == []


def test_a_sentence_saying_who_answers_for_a_task_is_read_as_prose_not_as_its_bracket() -> None:
    ds = duties_of("二、保障措施\n由市科技局负责组织实施(详见附件)。\n", CITY)
    assert [(d.lead, d.rule, d.task) for d in ds] == [(["市科技局"], "prose-responsible-for", "组织实施")]


@pytest.mark.parametrize(
    ("text", "name", "province"),
    [
        (
            "德清县科技创新三年行动计划(2024—2026年)\n一、目标\n到2026年,全县研发经费投入强度达到4%。"
            "湖州市、浙江省给予支持。\n二、分工\n县科技局牵头,县财政局配合。",
            "德清县", "浙江省",
        ),
        (
            "苏州市吴中区科技创新行动方案\n为加快创新强区建设,区委、区政府制定本方案。全区高新技术企业达到900家,"
            "全区研发投入持续增长。江苏省和苏州市支持吴中发展。",
            "吴中区", "江苏省",
        ),
        (
            "义乌市创新型城市建设实施方案(2023—2025年)\n到2025年,全市研发投入强度达到3%。金华市、浙江省统筹支持,"
            "市委、市政府加强领导,全市上下形成合力。",
            "义乌市", "浙江省",
        ),
    ],
)
def test_a_county_level_unit_named_in_its_title_is_the_plans_place(text: str, name: str, province: str) -> None:
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.province, r.level) == (name, province, "county")
    assert not r.inferred


def test_a_city_plan_mentioning_its_district_in_the_title_stays_the_citys() -> None:
    # the title names a district, but the text speaks of 全市 and 市委: it is the city's plan
    text = ("芜湖市关于支持弋江区高新区建设的实施方案\n市委、市政府决定,全市上下支持高新区加快发展,"
            "我市将在芜湖高新区布局一批重大平台。全市科技投入持续增长。")
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.level) == ("芜湖市", "city")


def test_a_short_county_plan_with_few_self_references_is_not_a_provincial_one() -> None:
    text = "安吉县数字经济创新提质行动方案\n到2025年,全县数字经济核心产业增加值达到50亿元,省级研发平台新增10个。县委人才办牵头。"
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.level) == ("安吉县", "county")


def test_a_city_plan_citing_the_province_more_often_than_itself_stays_a_city_plan() -> None:
    text = ("合肥市科技创新若干措施\n为落实全省科技创新大会精神,对标全省部署,推动全市科技创新。"
            "合肥要在全省率先突破。")
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.level) == ("合肥市", "city")


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        ("宁夏回族自治区科技创新三年行动方案\n到2026年,全区研发投入强度达到1.8%。自治区人民政府加强领导,"
         "支持银川、石嘴山建设创新型城市,全区各市县要抓好落实。", "宁夏回族自治区", "province"),
        ("江苏省常熟市人民政府关于加快科技创新的实施意见\n为推进我市创新发展,全市上下形成合力。苏州市给予支持。"
         "到2025年,全市高新技术企业达到1500家。", "常熟市", "county"),
        ("株洲市贯彻落实《湖南省科技创新行动方案》的实施方案\n到2025年,全市研发投入强度达到3%。落实全省部署,"
         "对标全省先进,争当全省示范。", "株洲市", "city"),
    ],
)
def test_the_last_place_named_in_the_title_outside_book_marks_decides(text: str, name: str, level: str) -> None:
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.level) == (name, level)


def test_task_table_with_lead_and_plain_responsibility_columns() -> None:
    text = ("台州市科技创新行动方案\n到2025年,全市研发投入强度达到3%。\n附件:重点任务分工表\n"
            "序号\t重点任务\t牵头单位\t责任单位\t完成时限\n"
            "1\t实施科技企业培育工程\t市科技局\t市财政局、市税务局\t2025年底\n"
            "2\t建设湾区科创走廊\t市发展改革委\t各县(市、区)政府,台州湾新区管委会\t2024年\n")
    ds = duties_of(text, CITY)
    assert [(d.task, d.lead, d.support) for d in ds] == [
        ("实施科技企业培育工程", ["市科技局"], ["市财政局", "市税务局"]),
        ("建设湾区科创走廊", ["市发展改革委"], ["各县(市、区)政府", "台州湾新区管委会"]),
    ]


def test_a_district_plan_that_also_cites_its_citys_goals() -> None:
    text = ("宁波市鄞州区科技创新三年行动方案\n为加快建设创新强区,全区上下形成合力。对标全市目标,争当全市示范,"
            "到2025年,全区研发投入强度达到4%。")
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.province, r.level) == ("鄞州区", "浙江省", "county")


def test_a_city_document_about_one_of_its_county_level_cities_stays_the_citys() -> None:
    text = "金华市关于支持义乌市建设创新高地的实施意见\n全市上下支持,市委、市政府加强领导,全市研发投入持续增长。"
    r = detect_region(text, (0, len(text)))
    assert (r.name, r.level) == ("金华市", "city")


def test_lead_line_followed_by_a_plain_responsibility_line() -> None:
    text = ("二、重点任务\n(一)培育科技企业。实施科技企业梯度培育工程。\n牵头单位:市科技局\n责任单位:市财政局、市税务局\n"
            "(二)引育人才。\n责任单位:市委人才办、市人力社保局\n")
    ds = duties_of(text, CITY)
    assert [(d.lead, d.support) for d in ds] == [
        (["市科技局"], ["市财政局", "市税务局"]),
        (["市委人才办", "市人力社保局"], []),
    ]
