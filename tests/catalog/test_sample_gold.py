"""On the sample page's gold reading, every target and fact whose indicator is in the catalogue gets the right
code through ``annotate_document``, and every other one stays unmatched."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from innocity.catalog import Matcher, annotate_document, load_catalog
from innocity.domain.plan import Fact, ParsedDocument, Plan, Region, SourceInfo, Target

# Gold indicator phrase → catalogue code. Every gold target or fact not listed must stay unmatched.
EXPECTED_TARGETS = {
    "全社会R&D经费占生产总值比例": "TEC01",
    "规模以上工业企业研发经费占销售收入比例": "TEC03",
    "科技成果登记量年增长率": "TRA17",
    "年技术合同成交额": "TRA08",
    "高新技术企业数增幅(相对“十一五”末)": "TEC06",
    "高新技术产业增加值年均增长率": "TRA10",
    "高新技术产业增加值占工业增加值比重": "TRA03",
    "专业技术人员总量": "ORI08",
    "规模以上工业企业新产品销售收入占比": "TRA04",
    "空气质量优良天数比例": "DRV04",
    "专利申请量年均增长率": "TEC15",
    "专利授权量年均增长率": "TEC13",
    "市本级财政科技拨款占财政一般预算支出比重": "GOV01",
    "全社会R&D经费支出占GDP比重": "TEC01",
    "科技进步贡献率": "DRV06",
    "全社会研发经费占GDP比重": "TEC01",
    "企业研发费用占销售收入比重": "TEC03",
    "每万人专业技术人员数": "ORI07",
    "每万人高技能人才数": "ORI12",
    "每万人专利申请量": "TEC09",
    "高新技术产业产值占规模以上工业产值比重": "TRA13",
    "战略性新兴产业主营业务收入": "TRA14",
    "第一产业比重": "DRV20",
    "第二产业比重": "DRV21",
    "第三产业比重": "DRV22",
    "现代服务业占服务业比重": "DRV26",
    "国家级重大创新平台数": "ORI03",
    "科技进步贡献率增幅(相对“十五”期末)": "DRV06",
    "国家级或省级技术中心和工程技术研究中心数": "TEC19",
    "年专利申请量": "TEC15",
    "发明专利占专利申请量比重": "TEC16",
    "高新技术产业产值": "TRA12",
    "工业固体废物综合利用率": "DRV11",
    "工业企业万元产值能耗": "DRV09",
    "公众科学素质提升幅度": "GOV04",
    "高新技术产业产值(“4315”工程)": "TRA12",
    "科技三项经费占财政支出比重": "GOV01",
    "规模以上企业技术开发费占销售收入比例": "TEC03",
    "全社会研发经费投入占GDP比例": "TEC01",
    "各类人才总量": "ORI11",
    "高层次拔尖人才数": "ORI06",
}
EXPECTED_FACTS = {
    "常住人口": "DRV12",
    "地区生产总值": "DRV08",
    "地方一般预算收入": "GOV08",
    "地方一般预算支出": "GOV07",
    "城镇居民人均可支配收入": "DRV05",
    "农民人均纯收入": "DRV27",
    "高新技术企业数": "TEC06",
    "被认定为高新技术企业的企业数": "TEC06",
    "高等院校数": "ORI13",
    "专业技术人员数": "ORI08",
    "高新技术产业增加值": "TRA10",
    "高新技术产业增加值占工业增加值比重": "TRA03",
    "登记科技成果数": "TRA17",
    "安排科技三项经费": "GOV06",
    "全部财政收入": "GOV11",
    "博士后科研工作站数": "ORI15",
    "国家级和省级企业技术中心数": "TEC19",
    "国家级企业技术中心数": "TEC19",
    "高新技术产业总产值": "TRA12",
    "全部工业增加值": "DRV17",
    "规模以上工业企业增加值": "DRV16",
}


def _gold() -> dict[str, Any]:
    ref = resources.files("innocity.data").joinpath("samples/innovative-city-plans-4.gold.json")
    return json.loads(ref.read_text(encoding="utf-8"))


def _document() -> ParsedDocument:
    """The gold reading as the parser's contract objects (indicator phrase, unit, kind, quote)."""
    plans = []
    for p in _gold()["plans"]:
        targets = [
            Target(text=t["quote"], span=(0, 0), indicator=t["indicator"],
                   kind=t["comparator"] if t["comparator"] in ("growth", "change") else "level",
                   comparator="range" if t["comparator"] == "range" else ">=", value=t["value"],
                   unit=t["unit"], year=t["year"], year_text=t.get("year_text"))
            for t in p["targets"]
        ]
        facts = [
            Fact(text=f["quote"], span=(0, 0), indicator=f["indicator"], value=f["value"], unit=f["unit"],
                 year=f.get("year"), year_text=f.get("year_text"))
            for f in p.get("facts", [])
        ]
        plans.append(Plan(title=p["title"], span=(0, 0), region=Region(None, None, 0.0), targets=targets,
                          facts=facts))
    return ParsedDocument(source=SourceInfo("gold", "", "text/plain", "utf-8", 0), plans=plans)


@pytest.fixture(scope="module")
def annotated() -> ParsedDocument:
    doc = _document()
    annotate_document(doc)
    return doc


def test_every_gold_target_gets_its_code_or_stays_unmatched(annotated: ParsedDocument) -> None:
    wrong = [
        (t.indicator, t.unit, t.indicator_code, EXPECTED_TARGETS.get(t.indicator))
        for p in annotated.plans
        for t in p.targets
        if t.indicator_code != EXPECTED_TARGETS.get(t.indicator)
    ]
    assert not wrong
    matched = [t for p in annotated.plans for t in p.targets if t.indicator_code]
    assert all(t.match_score is not None and 0 < t.match_score <= 1 for t in matched)
    assert len(matched) >= 45


def test_every_gold_fact_gets_its_code_or_stays_unmatched(annotated: ParsedDocument) -> None:
    wrong = [
        (f.indicator, f.unit, f.indicator_code, EXPECTED_FACTS.get(f.indicator))
        for p in annotated.plans
        for f in p.facts
        if f.indicator_code != EXPECTED_FACTS.get(f.indicator)
    ]
    assert not wrong


def test_unmatched_items_have_no_score(annotated: ParsedDocument) -> None:
    for p in annotated.plans:
        for item in [*p.targets, *p.facts]:
            assert (item.indicator_code is None) == (item.match_score is None)


def test_quotes_match_like_their_indicator_phrases() -> None:
    """Whole quoted sentences (what ``catalog match`` users paste) find the same code for the clear cases."""
    m = Matcher(load_catalog())
    agree = total = 0
    for p in _gold()["plans"]:
        for t in p["targets"]:
            code = EXPECTED_TARGETS.get(t["indicator"])
            if code is None:
                continue
            kind = t["comparator"] if t["comparator"] in ("growth", "change") else None
            hit = m.match(t["quote"], unit=t["unit"], kind=kind)
            total += 1
            agree += bool(hit and hit.code == code)
            assert hit is None or hit.code == code or "、" in t["quote"] or "∶" in t["quote"], t["quote"]
    assert agree / total >= 0.7
