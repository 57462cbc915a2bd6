"""Programmes that declare their parts, the items the text enumerates, and the consistency check."""

from __future__ import annotations

from collections.abc import Callable

from innocity.domain.plan import Program
from innocity.parsing.outline import build_outline
from innocity.parsing.programs import extract_programs
from innocity.parsing.segment import split_plans


def programs_of(text: str, span: tuple[int, int] | None = None) -> list[Program]:
    span = span or (0, len(text))
    progs = extract_programs(text, span, build_outline(text, span))
    for p in progs:
        assert text[p.span[0] : p.span[1]] == p.text
        assert span[0] <= p.span[0] <= p.span[1] <= span[1]
        if not p.checkable:
            assert not p.consistent
    return progs


def by_name(progs: list[Program], needle: str) -> Program:
    hits = [p for p in progs if needle in p.name]
    assert len(hits) == 1, [p.name for p in progs]
    return hits[0]


def test_sample_5568_programme_is_consistent_with_all_four_parts(sample_text: str) -> None:
    seg = split_plans(sample_text)
    first = seg.plans[0]
    prog = by_name(programs_of(sample_text, first.span), "5568")
    assert "即“5个行动、5个平台、6个专项、8个产学研创新基地”" in prog.text
    assert [(p.label, p.declared, len(p.found)) for p in prog.parts] == [
        ("行动", 5, 5),
        ("平台", 5, 5),
        ("专项", 6, 6),
        ("产学研创新基地", 8, 8),
    ]
    assert prog.checkable and prog.consistent
    assert prog.parts[0].found[0] == "战略性新兴产业科技培育行动"  # the verb 实施 is not part of the name
    assert all(item.endswith("产学研创新基地") for item in prog.parts[3].found)


def test_sample_listed_programmes_agree_or_disagree_as_written(sample_text: str) -> None:
    seg = split_plans(sample_text)
    third = programs_of(sample_text, seg.plans[2].span)
    eight = by_name(third, "八大工程")
    assert len(eight.parts[0].found) == 8 and eight.consistent  # "特色建设和居住提升" are two items
    six = by_name(third, "六大产业")
    assert six.checkable and not six.consistent  # declared 6, five named
    soft = by_name(third, "八大类软件")
    assert soft.parts[0].found == ["基础软件", "工业软件", "信息安全软件"] and not soft.consistent
    four = programs_of(sample_text, seg.plans[3].span)
    code = by_name(four, "4315")
    assert code.parts[0].declared == 4 and len(code.parts[0].found) == 4 and code.consistent
    # a programme named again later is reported once, at its declaration
    first = programs_of(sample_text, seg.plans[0].span)
    assert len([p for p in first if "5568" in p.name]) == 1


def test_code_named_programme_with_partial_enumeration(doc: Callable[[str], str]) -> None:
    text = doc("notice_attachment")
    plan = split_plans(text).plans[1]
    prog = by_name(programs_of(text, plan.span), "4610")
    assert [(p.label, p.declared) for p in prog.parts] == [("创新平台", 4), ("产业集群", 6), ("攻关项目", 10)]
    assert prog.parts[0].found == [
        "嘉兴科技城",
        "南湖实验室",
        "浙江清华长三角研究院创新中心",
        "中国电科长三角创新中心",
    ]
    assert prog.parts[1].found == [] and prog.parts[2].found == []
    assert prog.checkable and prog.consistent


def test_named_only_programme_is_not_checkable(doc: Callable[[str], str]) -> None:
    progs = programs_of(doc("table_flat"))
    prog = by_name(progs, "十百千")
    assert prog.parts == [] and not prog.checkable and not prog.consistent


def test_list_programme_in_a_news_report(doc: Callable[[str], str]) -> None:
    progs = programs_of(doc("news_report"))
    three = by_name(progs, "三大创新平台")
    assert three.parts[0].found == ["甬江科创区", "前湾新区", "临空经济示范区"] and three.consistent


def test_count_mismatch_and_modifiers_before_the_list() -> None:
    text = (
        "二、主要任务\n"
        "着力打造布局合理、运转高效的科技金融服务平台、技术交易服务平台、检验检测服务平台等五个服务平台。"
        "实施研发投入提升、企业梯度培育和人才引育三大行动。"
    )
    progs = programs_of(text)
    five = by_name(progs, "五个服务平台")
    assert five.parts[0].found == ["科技金融服务平台", "技术交易服务平台", "检验检测服务平台"]
    assert five.checkable and not five.consistent
    three = by_name(progs, "三大行动")
    assert three.parts[0].found == ["研发投入提升", "企业梯度培育", "人才引育"] and three.consistent


def test_counts_that_are_not_programmes() -> None:
    text = "全市辖5个县市区，由汉、藏、回等36个民族组成，新增2-3个国家级平台。"
    assert programs_of(text) == []


def test_code_whose_parts_are_listed_before_it() -> None:
    text = "二、空间布局\n以高新区、经开区和临港产业园构成的“三核”，加快形成“一带三核”的发展格局。"
    prog = by_name(programs_of(text), "“三核”")
    assert prog.parts[0].found == ["高新区", "经开区", "临港产业园"]
    assert prog.consistent and prog.text.startswith("高新区")


def test_numeric_code_spells_counts_and_amounts() -> None:
    text = (
        "实施“3210”产业提升工程，即重点发展电子信息、新材料和生物医药等3个主导产业，"
        "培育20个左右的龙头企业，到2025年全市主导产业产值达到1000亿元。"
    )
    prog = by_name(programs_of(text), "3210")
    assert [(p.label, p.declared) for p in prog.parts] == [
        ("主导产业", 3),
        ("龙头企业", 20),
        ("主导产业产值(亿元)", 1000),
    ]
    assert prog.parts[0].found == ["电子信息", "新材料", "生物医药"]
    assert prog.consistent


def test_tallies_of_past_work_are_not_programmes() -> None:
    text = "近年来，通过A型电池回收技术、高效节能电机技术等25项关键技术的研究，降低了能耗。"
    assert programs_of(text) == []


def test_launched_counts_and_counts_joined_by_and() -> None:
    text = "组织实施12个重大科技专项。重点建设8大特色产业基地和6大工程研究中心。"
    progs = programs_of(text)
    twelve = by_name(progs, "重大科技专项")
    assert twelve.parts[0].declared == 12 and not twelve.checkable
    pair = by_name(progs, "特色产业基地")
    assert [(p.label, p.declared) for p in pair.parts] == [("特色产业基地", 8), ("工程研究中心", 6)]


def test_items_after_the_count_or_under_its_heading() -> None:
    text = (
        "三、实施六大行动\n（一）实施企业培育行动\n内容。\n（二）实施平台提升行动\n内容。\n（三）实施人才集聚行动\n内容。\n"
        "四、保障措施\n重点建设三个创新平台，即科创走廊、高新区和科技城。"
        "实施五大工程：数字经济工程、智能制造工程、生物医药工程。\n"
    )
    progs = programs_of(text)
    six = by_name(progs, "六大行动")
    assert six.parts[0].found == ["企业培育行动", "平台提升行动", "人才集聚行动"]
    assert six.checkable and not six.consistent  # six declared, three under the heading
    three = by_name(progs, "三个创新平台")
    assert three.parts[0].found == ["科创走廊", "高新区", "科技城"] and three.consistent
    five = by_name(progs, "五大工程")
    assert len(five.parts[0].found) == 3 and not five.consistent


def test_congress_and_plan_ordinals_are_not_programmes() -> None:
    text = ("深入贯彻党的二十大精神和十九届历次全会精神,依据《某市国民经济和社会发展第十四个五年规划纲要》,"
            "实施八大工程:甲工程、乙工程。")
    got = extract_programs(text, (0, len(text)), [])
    assert all("二十大" not in p.name and "十四个" not in p.name for p in got), got
