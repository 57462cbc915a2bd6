"""Region detection on the project's own varied inputs (other cities, provinces, counties, news, no names)."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from innocity.domain.divisions import load_divisions
from innocity.domain.plan import Region
from innocity.parsing.region import detect_region

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


def region_of(text: str) -> Region:
    r = detect_region(text, (0, len(text)))
    for a, b in r.evidence:
        assert 0 <= a < b <= len(text)
    return r


def fixture(name: str) -> str:
    return (PLANS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "city", "province", "level", "adcode"),
    [
        ("rd_hefei_city.txt", "合肥市", "安徽省", "city", "340100"),
        ("rd_hunan_province.txt", "湖南省", "湖南省", "province", "430000"),
        ("rd_changxing_county.txt", "长兴县", "浙江省", "county", "330522"),
        ("rd_kunshan_county_city.txt", "昆山市", "江苏省", "county", "320583"),
        ("rd_chengdu_news.txt", "成都市", "四川省", "city", "510100"),
        ("rd_task_table_ningbo.txt", "宁波市", "浙江省", "city", "330200"),
        ("rd_jiangxi_province_many_duties.txt", "江西省", "江西省", "province", "360000"),
    ],
)
def test_named_places(name: str, city: str, province: str, level: str, adcode: str) -> None:
    r = region_of(fixture(name))
    assert (r.name, r.province, r.level, r.adcode) == (city, province, level, adcode)
    assert not r.inferred
    assert r.confidence >= 0.6
    text = fixture(name)
    assert any(city[:2] in text[a:b] for a, b in r.evidence)


def test_city_never_named_but_its_parks_are() -> None:
    text = fixture("rd_unnamed_wuhan.txt")
    assert "武汉" not in text
    r = region_of(text)
    assert (r.name, r.province, r.inferred) == ("武汉市", "湖北省", True)
    quoted = {text[a:b] for a, b in r.evidence}
    assert {"光谷", "东湖新技术开发区"} <= quoted
    assert 0.4 <= r.confidence < 0.9  # inferred answers are less certain than named ones


def test_no_place_evidence_gives_nothing_but_the_kind_of_plan() -> None:
    # 沿海城市 holds 海城市 and 合作市场 holds 合作市: both are real county-level cities, neither is named here
    r = region_of(fixture("rd_no_place.txt"))
    assert (r.name, r.province, r.adcode) == (None, None, None)
    assert r.level == "city"  # it speaks of 我市 throughout
    assert r.confidence == 0.0


def test_empty_and_placeless_text() -> None:
    assert region_of("").name is None
    r = region_of("加强组织领导,健全工作机制,确保各项任务落到实处。")
    assert (r.name, r.province, r.level) == (None, None, None)


def test_province_only_when_the_city_evidence_is_weak() -> None:
    text = (
        "为落实科学发展观,根据市委市政府的决定,制定本方案。到20XX年,扶持30个以上湖南省著名商标,"
        "聘请在湘院士组建专家顾问委员会,全市建立20家技术中心,我市科技投入持续增长。"
    )
    r = region_of(text)
    assert (r.name, r.province, r.level) == (None, "湖南省", "city")
    assert {text[a:b] for a, b in r.evidence} >= {"湖南省", "湘"}


def test_one_famous_park_mentioned_once_is_not_enough() -> None:
    text = "我市要学习借鉴中关村经验,加快建设高新区,全市上下形成合力,市委市政府加强领导。"
    r = region_of(text)
    assert r.name is None


def test_province_inferred_from_the_city() -> None:
    text = "唐山是一座沿海重工业城市。近年来,我市以曹妃甸为龙头,推进唐山湾开发。全市科技投入持续增加。"
    r = region_of(text)
    assert (r.name, r.province) == ("唐山市", "河北省")
    assert not r.inferred  # the city is named; only its province is world knowledge


def test_city_plan_citing_other_cities_keeps_its_own() -> None:
    text = (
        "西安市创新型城市建设实施方案\n为加快西安市国家创新型城市建设,制定本方案。我市要对标北京、上海、深圳,"
        "学习杭州、合肥的经验,依托西咸新区和西安高新区,打造具有全国影响力的科技创新中心。全市上下要形成合力。"
    )
    r = region_of(text)
    assert (r.name, r.province, r.adcode) == ("西安市", "陕西省", "610100")


def test_provincial_plan_naming_many_cities() -> None:
    text = (
        "广东省关于加快科技创新的若干政策措施\n为深入实施创新驱动发展战略,省委、省政府提出以下措施。"
        "支持广州、深圳建设国际科技创新中心,推动珠海、佛山、东莞、中山等市加快发展。全省各地级以上市"
        "要落实配套资金,省直各部门按职责分工抓好落实。全省高新技术企业数量保持全国第一。"
    )
    r = region_of(text)
    assert (r.name, r.province, r.level) == ("广东省", "广东省", "province")


def test_municipality_is_a_city_plan() -> None:
    text = "北京市加快科技创新构建高精尖经济结构实施方案\n为落实市委市政府部署,依托中关村国家自主创新示范区,全市加快建设。"
    r = region_of(text)
    assert (r.name, r.province, r.level) == ("北京市", "北京市", "city")


def test_evidence_spans_point_into_the_full_text() -> None:
    pre = "无关的前文。" * 30
    body = "济南市创新型城市建设方案。建设美丽泉城,我市科技创新加快发展,全市上下形成合力。"
    text = pre + body + "无关的后文。"
    span = (len(pre), len(pre) + len(body))
    r = detect_region(text, span)
    assert r.name == "济南市"
    assert all(span[0] <= a < b <= span[1] for a, b in r.evidence)
    assert "泉城" in {text[a:b] for a, b in r.evidence}


def test_landmark_table_is_consistent_with_divisions() -> None:
    divs = load_divisions()
    raw = resources.files("innocity.data").joinpath("landmarks.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(raw.splitlines()))
    assert len(rows) >= 150
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        d = divs.by_adcode(r["city_adcode"])
        assert d is not None and d.name == r["city"], r
        assert r["kind"] in {"zone", "landmark", "nickname", "company", "product", "institution"}
        assert not divs.by_name(r["name"]), f"{r['name']} is a division name; the gazetteer has it"


def test_autonomous_region_plan_speaks_of_quanqu() -> None:
    text = (
        "广西壮族自治区创新驱动发展行动方案\n为加快创新型广西建设,自治区人民政府制定本方案。"
        "到2020年,全区研发经费投入强度达到1.5%。支持南宁、柳州、桂林建设创新城市,全区各地、区直各部门要抓好落实。"
    )
    r = region_of(text)
    assert (r.name, r.province, r.level) == ("广西壮族自治区", "广西壮族自治区", "province")


def test_short_provincial_notice_without_self_reference_words() -> None:
    text = "江苏省人民政府关于加快建设创新型省份的意见\n支持南京、苏州建设综合性科学中心。江苏省将加大投入。"
    r = region_of(text)
    assert (r.name, r.level) == ("江苏省", "province")


def test_county_plan_that_mostly_uses_its_short_name() -> None:
    text = (
        "德清县科技创新行动计划\n为加快创新驱动发展,县委、县政府决定实施本计划。德清地理信息小镇建设加快,"
        "德清要打造科技创新高地,全县研发投入持续增长。湖州市和杭州市的创新资源加快向德清集聚,德清企业创新活力增强。"
    )
    r = region_of(text)
    assert (r.name, r.province, r.level) == ("德清县", "浙江省", "county")


def test_city_with_a_common_word_short_name_still_counts_when_repeated() -> None:
    text = (
        "大同市创新型城市建设实施方案\n为推进大同国家创新型城市建设,市委、市政府制定本方案。"
        "大同要加快能源革命,大同高新区要发挥引领作用,全市上下形成合力,把大同建设成为创新之城。"
    )
    r = region_of(text)
    assert (r.name, r.province) == ("大同市", "山西省")


def test_everyday_words_that_contain_stopped_names_do_not_make_a_city() -> None:
    text = (
        "我市要实现长治久安,四平八稳地推进改革,日照时数充足,世界大同。全市上下形成合力,市委市政府加强领导。"
    )
    r = region_of(text)
    assert r.name is None and r.province is None


# --- round two (issue 13): short names, two-character counties, weights as data -------------------------


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        # a title that opens with a city's short name speaks for the city, however often it cites 全省
        ("襄阳科技创新走廊建设方案\n为落实湖北省委部署,对接全省创新布局,按照全省统一要求,加快襄阳科技创新走廊建设,"
         "推动襄阳高新区和襄阳东津新区协同发展。", "襄阳市", "city"),
        ("绵阳科技城建设行动计划\n深入落实四川省委决策部署,服务全省发展大局,助力全省科技强省建设。"
         "绵阳要发挥科技城优势。", "绵阳市", "city"),
    ],
)
def test_a_title_opening_with_a_city_short_name_is_the_city(text: str, name: str, level: str) -> None:
    r = region_of(text)
    assert (r.name, r.level) == (name, level)


def test_a_two_character_county_named_in_its_title() -> None:
    text = ("岷县科技创新三年行动方案(2024—2026年)\n为推动全县科技创新,结合岷县实际,制定本方案。"
            "到2026年,全县高新技术企业达到10家。岷县人民政府各部门要抓好落实。")
    r = region_of(text)
    assert (r.name, r.province, r.level) == ("岷县", "甘肃省", "county")


def test_two_character_county_names_inside_words_are_not_places() -> None:
    # 提高县域 holds 高县, 示范县 holds 范县, 现代县域 holds 代县: none of them is named here
    text = ("宁波市科技创新行动方案\n全市要提高县域创新能力,建设一批示范县,推动现代县域经济发展。"
            "我市各区县市要抓好落实,市科技局牵头。")
    r = region_of(text)
    assert r.name == "宁波市"
    assert not any(text[a:b] in ("高县", "范县", "代县") for a, b in r.evidence)


def test_weights_are_one_named_structure() -> None:
    from dataclasses import fields, replace

    from innocity.parsing.region import WEIGHTS, RegionWeights

    names = {f.name for f in fields(RegionWeights)}
    assert {"head_boost", "abbreviation", "county_to_city", "winner_share", "saturation"} <= names
    text = fixture("rd_hefei_city.txt")
    # a vote that asks for more than certainty answers nothing, the default answers the city
    assert detect_region(text, (0, len(text))).name == "合肥市"
    strict = replace(WEIGHTS, winner_share=1.01, province_fallback_min=1e9)
    assert detect_region(text, (0, len(text)), weights=strict).name is None


def test_a_text_that_names_one_county_and_never_its_city_is_about_the_county() -> None:
    text = ("2024年10月,寿县2023年度农村饮水安全巩固提升工程顺利通过验收。寿县水利局提前谋划,"
            "涉及寿县12个乡镇,受益人口3.2万人。")
    r = region_of(text)
    assert (r.name, r.level, r.province) == ("寿县", "county", "安徽省")


@pytest.mark.parametrize(("text", "name"), [
    ("政府工作报告\n过去一年,襄阳经济总量稳居全省第二,襄阳在全省发展大局中的地位更加突出。今年,襄阳将落实全省部署,"
     "全市上下团结一心,襄阳要在全省率先突破。", "襄阳市"),
    ("绵阳加快建设中国科技城。绵阳要对标全省目标,在全省争先进位,绵阳将在全省创新格局中发挥更大作用。", "绵阳市"),
])
def test_a_city_speaking_of_itself_by_short_name_is_not_its_province(text: str, name: str) -> None:
    r = region_of(text)
    assert (r.name, r.level) == (name, "city")


def test_a_provincial_plan_that_names_one_city_often_stays_provincial() -> None:
    text = ("湖北省科技创新行动方案\n全省要加快创新发展,支持武汉建设科技创新中心,武汉要发挥龙头作用,武汉东湖高新区"
            "要争当排头兵。全省各市州要协同推进,省委、省政府统筹部署,湖北要建设科技强省。")
    assert region_of(text).name == "湖北省"
