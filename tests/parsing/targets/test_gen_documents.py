"""Whole documents written for these tests (tests/fixtures/plans/gen_*.txt): a county news report about its
yearly goals and a provincial three-year action plan, read end to end by the pipeline."""

from __future__ import annotations

from pathlib import Path

from innocity.domain.plan import Plan
from innocity.parsing.pipeline import parse_text

PLANS = Path(__file__).resolve().parents[2] / "fixtures" / "plans"


def plan_of(name: str) -> tuple[str, Plan]:
    text = (PLANS / name).read_text(encoding="utf-8")
    plans, _ = parse_text(text)
    assert len(plans) == 1
    p = plans[0]
    for item in [*p.targets, *p.facts, *p.duties]:
        assert text[item.span[0] : item.span[1]] == item.text
    return text, p


def test_news_report_of_a_county_meeting() -> None:
    _, p = plan_of("gen_news_county.txt")
    assert (p.region.name, p.region.province) == ("德清县", "浙江省")
    got = [(t.indicator, t.comparator, t.value, t.unit) for t in p.targets]
    assert got == [
        ("规上工业企业研发费用", ">=", 60, "亿元"),
        ("国家高新技术企业", "=", 70, "家"),
        ("国家高新技术企业", "=", 90, "家"),
        ("技术合同成交额", ">=", 25, "亿元"),
        ("上级科技项目资金支持", ">=", 4000, "万元"),
        ("上级科技项目资金支持", "=", 5000, "万元"),
        ("每万人口高价值发明专利拥有量", ">=", 15, "件"),
    ]
    # 今年 replaces the 2023 of the previous paragraph: the report never says which year it is
    assert {t.year for t in p.targets} == {None}
    # last year's results are facts, dated 2023; the 20 measures of the policy are neither
    assert {(f.value, f.year) for f in p.facts} >= {(3.8, 2023), (68, 2023)}
    assert not any(x.value == 20 for x in [*p.targets, *p.facts])


def test_provincial_action_plan() -> None:
    _, p = plan_of("gen_province_plan.txt")
    assert (p.region.name, p.region.level) == ("安徽省", "province")
    got = {(t.indicator, t.comparator, t.value, t.value_max, t.unit, t.approximate) for t in p.targets}
    assert got >= {
        ("研发经费投入强度", ">=", 2.8, None, "%", False),
        ("高新技术企业", ">=", 2.2, None, "万家", False),
        ("科技型中小企业", ">=", 3.5, None, "万家", False),
        ("每万人口高价值发明专利拥有量", "=", 14, None, "件", True),
        ("技术合同成交额", ">=", 4000, None, "亿元", False),
        ("科技领军企业", ">=", 15, None, "家", False),
        ("新建全国重点实验室", "range", 3, 5, "家", False),
    }
    assert not any(t.value == 100 and t.unit == "亿元" for t in p.targets)  # 超过100亿元的 qualifies
    # every goal is for 2026, except the yearly amount (每年引进…100个), which has no deadline of its own
    assert {t.year for t in p.targets if "每年" not in t.text} == {2026}
    assert [t.year for t in p.targets if "每年" in t.text] == [None]
    duties = [(d.lead, d.support) for d in p.duties]
    assert duties == [
        (["省科技厅", "省经济和信息化厅"], []),
        (["省科技厅"], ["省发展改革委", "省教育厅"]),
        (["各市人民政府"], []),
    ]


def test_full_city_plan_with_goal_dashes_incentives_and_task_lines() -> None:
    _, p = plan_of("gen_city_full.txt")
    assert (p.region.name, p.region.level) == ("芜湖市", "city")
    assert {t.year for t in p.targets} == {2027}
    got = {(t.value, t.value_max, t.unit, t.kind) for t in p.targets}
    assert got >= {
        (3.8, None, "%", "level"), (3500, None, "家", "level"), (6000, None, "家", "level"),
        (28, None, "件", "level"), (15, None, "%", "growth"), (5, None, "百分点", "change"),
        (80, None, "个", "level"), (300, None, "名", "level"), (15, 20, "家", "level"),
    }
    assert not any(t.value == 30 and t.unit == "万元" for t in p.targets)  # an award, not a goal
    assert not any(t.value == 5 and t.unit == "亿元" for t in p.targets)  # 超过5亿元的 qualifies the firms
    assert {(f.value, f.year) for f in p.facts} >= {(3.2, 2023), (2100, 2023), (18.5, 2023), (200, 2023)}
    assert not any(t.value in (3.2, 2100) for t in p.targets)
    assert [(d.lead, d.support) for d in p.duties] == [
        (["市科技局"], ["市财政局", "市税务局", "各县市区人民政府"]),
        (["市经信局"], ["市科技局", "市统计局"]),
        (["市科技局"], ["市发展改革委", "市教育局"]),
        (["市科技局", "芜湖高新区管委会"], []),
    ]
