"""The matcher: every alias finds its own indicator, real phrasings find the right one, the rest stay unmatched.

The phrasings below are the shapes Chinese plans use. Those marked "sample" are from the bundled sample page
(西宁, 唐山, 济南, 湘潭); the others are written in the style of other cities' and provinces' 创新型城市 plans,
十四五 science-and-technology plans, statistical bulletins and news reports about them (full-width
characters, typos, extra filler words and whole target sentences included).
"""

from __future__ import annotations

import pytest

from innocity.catalog import Matcher, load_catalog


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_catalog())


def test_every_alias_matches_its_own_indicator(matcher: Matcher) -> None:
    wrong = []
    for ind in load_catalog().indicators:
        for name in ind.names:
            for unit in (None, ind.unit):
                hit = matcher.match(name, unit=unit)
                if hit is None or hit.code != ind.code:
                    wrong.append((ind.code, name, unit, hit.code if hit else None))
    assert not wrong


# (phrase, unit, kind, expected code or None)
PHRASES: list[tuple[str, str | None, str | None, str | None]] = [
    # --- R&D intensity, the many spellings
    ("全社会研究与开发经费(R&D)占当年生产总值的比例", "%", "level", "TEC01"),  # sample
    ("全社会研发经费投入占gdp的比例", "%", "level", "TEC01"),  # sample
    ("R&D经费支出占地区生产总值比重", "%", "level", "TEC01"),
    ("全社会研究与发展(R&D)经费支出占全市GDP的比重", "%", None, "TEC01"),  # sample
    ("全社会研究与试验发展经费投入强度", "%", None, "TEC01"),
    ("研发投入强度", "%", None, "TEC01"),
    ("全社会R&D经费支出占GDP的比重达到3%以上", "%", None, "TEC01"),
    ("全社会研发经费占ＧＤＰ比重", "％", None, "TEC01"),  # full-width
    ("R＆D经费占地区生产总值比例", "%", None, "TEC01"),
    ("全社会研发经费支出占地区生产总值的比重年均提高0.1个百分点", "百分点", "change", "TEC01"),
    ("全社会R&D经费支出", "亿元", None, "TEC10"),
    ("全社会研发投入", "亿元", "growth", "TEC10"),
    # --- enterprise R&D
    ("规模以上工业企业研发经费占销售收入的比例", "%", None, "TEC03"),  # sample
    ("规上工业企业研发经费支出占营业收入比重", "%", None, "TEC03"),
    ("企业研发费用占销售收入比重", "%", None, "TEC03"),  # sample
    ("规模以上企业技术开发费占销售收入的比例", "%", None, "TEC03"),  # sample
    ("规模以上工业企业R&D经费支出与主营业务收入之比", "%", None, "TEC03"),
    ("高新技术企业研发投入占销售收入比重", "%", None, None),  # a different population
    ("来源于企业的研究开发经费占比", "%", None, None),  # sample: funding share, not intensity
    ("有研发活动的规上工业企业占比", "%", None, "TEC20"),
    ("规模以上工业企业设立研发机构的比例", "%", None, "TEC20"),
    ("基础研究经费占R&D经费比重", "%", None, "ORI01"),
    ("基础研究投入占全社会研发经费的比重", "%", None, "ORI01"),
    # --- patents: totals, per capita, shares
    ("年专利申请量", "件", "level", "TEC15"),  # sample
    ("全市年专利申请量达到1600件以上", "件", None, "TEC15"),  # sample quote
    ("专利申请量年均增长率", "%", "growth", "TEC15"),  # sample
    ("万人专利申请量", "件", "level", "TEC09"),  # sample: unit 件 but the phrase says 万人
    ("万人专利申请量达30件", "件", None, "TEC09"),  # sample quote
    ("每万人口专利申请量", "件/万人", None, "TEC09"),
    ("专利授权量", "件", None, "TEC13"),
    ("专利授权量年均增长率", "%", "growth", "TEC13"),  # sample
    ("发明专利占专利申请量比重", "%", None, "TEC16"),  # sample
    ("发明专利申请量占专利申请总量的比重", "%", None, "TEC16"),
    ("发明专利申请量", "件", None, "TEC17"),
    ("每万人口发明专利拥有量", "件", None, "TEC04"),
    ("万人有效发明专利拥有量达到12件", "件", None, "TEC04"),
    ("有效发明专利拥有量", "件", None, "TEC14"),
    ("每万人口高价值发明专利拥有量", "件", None, "TEC05"),
    ("PCT国际专利申请量", "件", None, "TEC08"),
    ("来自企业的职务发明专利申请占比", "%", None, None),  # sample
    # --- high-tech enterprises and industries: level, share, growth
    ("高新技术企业数", "家", None, "TEC06"),  # sample fact
    ("国家高新技术企业数量突破2000家", "家", None, "TEC06"),
    ("高新技术企业数增幅(相对“十一五”末)", "%", "change", "TEC06"),  # sample
    ("高新技术企业数比“十一五”末提高30%", "%", None, "TEC06"),  # sample quote
    ("高企数量", "家", None, "TEC06"),
    ("培育高新技术企业集团数", "家", None, None),  # sample: groups, not certified enterprises
    ("高新技术产业增加值", "亿元", "level", "TRA10"),
    ("高新技术产业增加值", "%", "level", "TRA03"),  # % means share
    ("高新技术产业增加值年均增长率", "%", "growth", "TRA10"),  # sample
    ("高新技术产业增加值年均增长20%以上", "%", None, "TRA10"),  # sample quote
    ("全市高新技术产业增加值占工业增加值的比重达10%", "%", None, "TRA03"),  # sample quote
    ("高新技术产业增加值占规模以上工业增加值比重", "%", None, "TRA03"),
    ("高新技术产业产值", "亿元", None, "TRA12"),  # sample
    ("高新技术产业总产值", "亿元", None, "TRA12"),
    ("高新技术产业产值占规模以上工业产值比重", "%", None, "TRA13"),  # sample
    ("高新技术企业营业收入", "亿元", None, "TRA09"),
    ("高新技术企业营业收入占地区生产总值比重", "%", None, "TRA02"),
    ("每万家企业法人中高新技术企业数", "家/万家", None, "TEC07"),
    ("科技型中小企业入库数", "家", None, "TEC21"),
    # --- transfer
    ("年技术合同成交额", "亿元", None, "TRA08"),  # sample
    ("技术合同成交额突破100亿元", "亿元", None, "TRA08"),
    ("技术市场合同成交额", "万元", None, "TRA08"),
    ("技术合同成交额占GDP比重", "%", None, "TRA01"),
    ("规模以上工业企业新产品销售收入占全部产品销售收入的比重", "%", None, "TRA04"),  # sample
    ("新产品销售收入占主营业务收入比重", "%", None, "TRA04"),
    ("科技成果登记量年增长率", "%", "growth", "TRA17"),  # sample
    ("战略性新兴产业主营业务收入", "亿元", None, "TRA14"),  # sample
    ("战略性新兴产业增加值占地区生产总值比重", "%", None, "TRA15"),
    ("科创板上市企业数", "家", None, "TRA05"),
    ("孵化器在孵企业数", "家", None, "TRA06"),
    ("知识密集型服务业增加值占GDP比重", "%", None, "TRA07"),
    # --- governance and talent
    ("市本级财政科技拨款占财政一般预算支出比重", "%", None, "GOV01"),  # sample
    ("科技三项经费占财政支出比重", "%", None, "GOV01"),  # sample
    ("地方财政科技支出占一般公共预算支出比重", "%", None, "GOV01"),
    ("财政科技支出", "亿元", None, "GOV06"),
    ("公众科学素质提升幅度", "百分点", "change", "GOV04"),  # sample
    ("公民具备科学素质的比例", "%", None, "GOV04"),
    ("人均实际使用外资", "美元", None, "GOV03"),
    ("实际利用外资", "亿美元", None, "GOV09"),
    ("专业技术人员总量", "人", None, "ORI08"),  # sample
    ("专业技术人员达到4万人左右", "万人", None, "ORI08"),  # sample quote
    ("万人拥有专业技术人员", "人", None, "ORI07"),  # sample
    ("每万人专业技术人员数", "人/万人", None, "ORI07"),
    ("中级职称以上专业技术人员数", "万人", None, None),  # sample fact: a subset
    ("万人拥有高技能人才", "人", None, "ORI12"),  # sample
    ("各类人才总量", "万名", None, "ORI11"),  # sample
    ("高层次拔尖人才数", "名", None, "ORI06"),  # sample
    ("每万人口普通高校在校学生数", "人", None, "ORI05"),
    ("国家级重大创新平台数", "个", None, "ORI03"),  # sample
    ("国家级或省级技术中心和工程技术研究中心数", "家", None, "TEC19"),  # sample
    # --- drive: economy, environment, people
    ("科技进步贡献率", "%", None, "DRV06"),  # sample
    ("科技进步贡献率比“十五”期末提高12个百分点", "百分点", None, "DRV06"),  # sample quote
    ("空气质量优良天数比例", "%", None, "DRV04"),  # sample
    ("空气质量全年优良天数占全年天数85%以上", "%", None, "DRV04"),  # sample quote
    ("环境空气质量优良天数比率", "%", None, "DRV04"),
    ("单位GDP能耗", "吨标准煤/万元", None, "DRV03"),
    ("万元GDP能耗下降", "%", "growth", "DRV03"),
    ("单位地区生产总值能耗累计下降16%", "%", None, "DRV03"),
    ("工业企业万元产值能耗", "吨标煤/万元", None, "DRV09"),  # sample
    ("单位工业增加值能耗", "吨标准煤/万元", None, "DRV10"),
    ("工业固体废物综合利用率", "%", None, "DRV11"),  # sample
    ("一般工业固废综合利用率", "%", None, "DRV11"),
    ("城镇居民人均可支配收入", "元", None, "DRV05"),  # sample fact
    ("城镇常住居民人均可支配收入年均增长8%", "%", None, "DRV05"),
    ("农民人均纯收入", "元", None, "DRV27"),  # sample fact
    ("地区生产总值", "亿元", None, "DRV08"),  # sample fact
    ("西宁市完成地区生产总值628.28亿元", "亿元", None, "DRV08"),  # sample quote
    ("GDP年均增长9%", "%", None, "DRV08"),
    ("人均地区生产总值", "万元", None, "DRV07"),
    ("全员劳动生产率", "万元/人", None, "DRV01"),
    ("固定资产投资占GDP比重", "%", None, "DRV02"),
    ("地方一般预算收入", "亿元", None, "GOV08"),  # sample fact
    ("一般公共预算收入", "亿元", None, "GOV08"),
    ("全部财政收入", "亿元", None, "GOV11"),  # sample fact: wider than the budget revenue GOV08
    ("常住人口", "万人", None, "DRV12"),  # sample fact
    ("第三产业比重", "%", None, "DRV22"),  # sample
    ("服务业增加值占GDP比重", "%", None, "DRV22"),
    ("第一产业比重", "%", None, "DRV20"),  # sample
    ("现代服务业占服务业的比重", "%", None, "DRV26"),  # sample
    ("规模以上工业增加值", "亿元", "growth", "DRV16"),
    ("全社会研发经废占GDP比重", "%", None, "TEC01"),  # typo 废 for 费
    ("战略性新兴产业产值", "亿元", None, None),  # output, not revenue
    ("新增高新技术企业", "家", None, None),  # a yearly flow, not the stock TEC06
    ("城乡居民人均可支配收入", "元", None, None),  # neither the urban nor the rural series
    ("居民人均可支配收入", "元", None, "DRV28"),
    ("发明专利授权量", "件", None, "TEC22"),  # granted, not in force (TEC14)
    ("发明专利授权量", "%", "growth", "TEC22"),  # not the invention share of applications
    ("企业专利申请量", "件", None, None),  # a subset of TEC15
    ("实用新型专利申请量", "件", None, None),
    ("高技术产业增加值", "%", "growth", None),  # NBS 高技术产业 is not the local 高新技术产业
    ("高新技术产业增加值占GDP比重", "%", "level", "TRA19"),
    ("财政总收入(十二五年均增长)", "%", "growth", "GOV11"),
    ("企业技术中心", "个", None, None),  # any level
    ("高技术制造业增加值占规上工业增加值比重", "%", None, "TRA18"),  # NBS category, not 高新技术产业
    ("单位GDP二氧化碳排放降低", "%", "growth", "DRV29"),
    ("空气优良率", "%", None, "DRV04"),
    ("GDP增速", "%", None, "DRV08"),
    ("规上工业企业研发投入强度", "%", None, "TEC03"),
    # --- names as statistical bulletins and yearbook tables write them (with their 口径 notes)
    ("地方一般公共预算收入(公共财政收入)", "万元", None, "GOV08"),
    ("一般公共预算支出(公共财政支出)", "万元", None, "GOV07"),
    ("财政科技支出(科学技术支出)", "万元", None, "GOV06"),
    ("科技进步贡献率(十二五末,市科技局口径)", "%", None, "DRV06"),
    ("地区生产总值(十二五年均增长)", "%", "growth", "DRV08"),
    ("高新技术企业数(入统,不含高新区)", "家", None, "TEC06"),
    ("新认定高新技术企业数", "家", None, None),
    ("职务发明专利申请量", "件", None, None),
    ("地区生产总值", "百万元", None, "DRV08"),
    ("高新技术企业和科技型中小企业数", "家", None, None),  # two indicators, one figure
    ("科创板和北交所上市企业数", "家", None, "TRA05"),  # 和 inside one name
    ("国家级和省级企业技术中心数", "个", None, "TEC19"),
    ("引进高层次人才", "人", None, None),  # a yearly flow, not the stock ORI06
    ("研究与试验发展(R&D)经费投入强度(%)", "%", None, "TEC01"),  # indicator-table header with its unit
    ("每万人口高价值发明专利拥有量(件)", "件", None, "TEC05"),
    ("人均GDP", "美元", None, None),  # DRV07 is in 元/人: no exchange rate, no match
    ("科技企业孵化器数量", "个", None, "TRA20"),
    ("国家级企业孵化器数", "个", None, None),  # sample fact: a subset of all incubators
    ("众创空间", "家", None, "TRA21"),
    ("新型研发机构", "家", None, "ORI14"),
    ("博士后科研工作站", "个", None, "ORI15"),  # sample fact
    # --- must stay unmatched: nothing in the catalogue measures these
    ("良种工程实施面积", "万亩", None, None),  # sample
    ("锶铁氧体年产能", "万吨", None, None),  # sample
    ("民族数", "个", None, None),  # sample
    ("少数民族人口占总人口的比重", "%", None, None),  # sample
    ("平均气温", "摄氏度", None, None),  # sample
    ("年均降水量", "毫米", None, None),  # sample
    ("市区平均海拔", "米", None, None),  # sample
    ("蔬菜亩产", "公斤", None, None),  # sample
    ("粮食单产增幅", "%", None, None),  # sample
    ("九年义务教育普及率", "%", None, None),  # sample
    ("病虫害统防统治覆盖面积比例", "%", None, None),  # sample
    ("电动汽车整车生产规模", "万辆", None, None),  # sample
    ("工业废水排放达标率", "%", None, None),  # sample
    ("城市清洁能源使用率", "%", None, None),  # sample
    ("培育名牌产品数", "个", None, None),  # sample
    ("PM2.5年均浓度", "微克/立方米", None, None),
    ("森林覆盖率", "%", None, None),
    ("城镇化率", "%", None, None),
    ("高新技术产业增速", "%", None, None),  # sample fact: which measure grew is not said
    ("研发经费", "%", None, None),  # ambiguous: a share of what?
    ("高新技术产业总产值、增加值", "亿元", None, None),  # sample fact: two measures, one figure each
    ("工业废水排放达标率、工业固体废物综合利用率", "%", None, None),  # shared subject not split
    ("科技进步贡献率比“十五”期末提高", "百分点", "change", "DRV06"),  # sample: 十五 is the 10th plan
    ("信息传输、软件和信息技术服务业增加值占GDP比重", "%", None, None),
]


@pytest.mark.parametrize(("phrase", "unit", "kind", "expected"), PHRASES)
def test_real_phrasings(matcher: Matcher, phrase: str, unit: str | None, kind: str | None, expected: str | None) -> None:
    hit = matcher.match(phrase, unit=unit, kind=kind)
    got = hit.code if hit else None
    assert got == expected, (phrase, [(c.indicator.code, round(c.score, 2), c.rejected)
                                      for c in matcher.candidates(phrase, unit=unit, kind=kind)])


def test_phrase_table_is_large_and_has_unmatched_cases() -> None:
    assert len(PHRASES) >= 80
    assert sum(1 for p in PHRASES if p[3] is None) >= 15


def test_total_versus_per_capita_versus_share(matcher: Matcher) -> None:
    assert matcher.match("年专利申请量", unit="件").code == "TEC15"  # type: ignore[union-attr]
    assert matcher.match("万人专利申请量", unit="件").code == "TEC09"  # type: ignore[union-attr]
    level = matcher.match("高新技术产业增加值", unit="亿元")
    share = matcher.match("高新技术产业增加值", unit="%")
    growth = matcher.match("高新技术产业增加值年均增长", unit="%")
    assert (level.code, share.code, growth.code) == ("TRA10", "TRA03", "TRA10")  # type: ignore[union-attr]
    assert (level.kind, share.kind, growth.kind) == ("level", "level", "growth")  # type: ignore[union-attr]


def test_unit_that_cannot_fit_rejects(matcher: Matcher) -> None:
    assert matcher.match("年技术合同成交额", unit="家") is None
    assert matcher.match("高新技术企业数", unit="亿元") is None
    assert matcher.match("科技进步贡献率", unit="百分点", kind="change").code == "DRV06"  # type: ignore[union-attr]
    assert matcher.match("高新技术企业数", unit="百分点", kind="change") is None


def test_match_carries_reason_and_score(matcher: Matcher) -> None:
    hit = matcher.match("全社会研发经费投入占gdp的比例", unit="%")
    assert hit is not None and 0 < hit.score <= 1 and "alias" in hit.reason


def test_cache_returns_the_same_object(matcher: Matcher) -> None:
    a = matcher.match("规模以上工业企业研发经费占销售收入的比例", unit="%", kind="level")
    b = matcher.match("规模以上工业企业研发经费占销售收入的比例", unit="%", kind="level")
    assert a is b


def test_stricter_threshold_leaves_loose_matches_unmatched() -> None:
    strict = Matcher(load_catalog(), threshold=0.99)
    assert strict.match("全社会研发经费占ＧＤＰ比重", unit="%") is not None  # normalises to an alias exactly
    assert strict.match("规模以上工业企业R&D经费支出与主营业务收入之比", unit="%") is not None
    loose = "重点工业企业研发经费占销售收入比重"
    assert strict.match(loose, unit="%") is None
    assert Matcher(load_catalog()).match(loose, unit="%").code == "TEC03"  # type: ignore[union-attr]
