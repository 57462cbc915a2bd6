"""Segmentation, round two (issue 13): headers of portals and law databases are no plans of their own, and a
title broken over two lines stays one title. Inputs written for these tests."""

from __future__ import annotations

from innocity.parsing.pipeline import parse_text
from innocity.parsing.segment import split_plans

EXPORT = """株洲市人民政府关于印发株洲市科技创新若干措施的通知
【法宝引证码】CLI.12.998877
【发布部门】株洲市人民政府
【发文字号】株政发〔2023〕7号
【发布日期】2023.04.18
【时效性】现行有效
原文链接:https://example.org/lar/998877.html
株洲市科技创新若干措施
为深入实施创新驱动发展战略,结合我市实际,制定如下措施。
一、到2025年,全市高新技术企业达到1200家。
"""

PORTAL = """欢迎访问某某县人民政府网!今天是:
您的位置: 首页 >政策文件>详细内容
索引号: abc-2024-00031 发布机构: 某某县人民政府办公室
生效日期: 2024-03-01 废止日期:
文 号: 所属主题: 政策文件
某县科技创新三年行动方案(2024—2026年)
为加快建设科技强县,制定本方案。到2026年,全县研发投入强度达到2.5%。
"""

BROKEN_TITLE = """各镇人民政府,县直各单位:
《德清县加快科技成果转化 推进产业升级实施方案》已经县政府同意,现印发给你们。
德清县人民政府
2024年5月6日
德清县加快科技成果转化
推进产业升级实施方案(2024—2026年)
为加快科技成果转化,制定本方案。到2026年,全县技术合同成交额达到30亿元。我县各部门要抓好落实,全县上下形成合力。
"""


def test_a_law_database_header_is_boilerplate() -> None:
    seg = split_plans(EXPORT)
    assert [p.title for p in seg.plans] == ["株洲市科技创新若干措施"]
    chrome = [EXPORT[a:b] for a, b in seg.boilerplate]
    assert any(c.startswith("【法宝引证码】") for c in chrome) and any(c.startswith("原文链接") for c in chrome)


def test_a_portal_metadata_block_is_not_a_plan_ahead_of_the_real_one() -> None:
    seg = split_plans(PORTAL)
    assert len(seg.plans) == 1
    assert PORTAL[seg.plans[0].span[0]:].startswith("某县科技创新三年行动方案")


def test_a_title_broken_over_two_lines_is_one_title_and_names_the_place() -> None:
    plans, _ = parse_text(BROKEN_TITLE)
    plan = plans[-1]
    assert plan.title is not None and plan.title.startswith("德清县加快科技成果转化")
    assert plan.title.endswith("实施方案(2024—2026年)")
    assert (plan.region.name, plan.region.level) == ("德清县", "county")
    assert [(t.value, t.year) for t in plan.targets] == [(30, 2026)]
