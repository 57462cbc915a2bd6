"""Many shapes of Chinese targets, written for these tests in the style of other cities' plans, provincial
plans and news reports about plans (not taken from the bundled sample)."""

from __future__ import annotations

from typing import Any

import pytest

# (text, expected fields of the single target found)
ONE_TARGET: list[tuple[str, dict[str, Any]]] = [
    ("到2025年,全市R&D经费投入强度达到3%以上。", dict(value=3, unit="%", comparator=">=", kind="level", year=2025)),
    ("到2025年全市高新技术企业数量突破5000家。", dict(value=5000, unit="家", comparator=">=", year=2025)),
    ("每万人口发明专利拥有量达到20件。", dict(value=20, unit="件", comparator="=", year=None)),
    ("“十四五”期间,单位GDP能耗下降15%。", dict(value=-15, unit="%", kind="growth", year=2025)),
    ("到2020年,万元GDP能耗控制在0.5吨标准煤/万元以内。", dict(value=0.5, unit="吨标准煤/万元", comparator="<=", year=2020)),
    ("地区生产总值年均增长12%左右。", dict(value=12, unit="%", kind="growth", approximate=True)),
    ("到2030年,全市技术合同成交额翻一番。", dict(value=100, unit="%", kind="change", year=2030, multiplier=2)),
    ("力争到2025年,科技进步贡献率提高2个百分点。", dict(value=2, unit="百分点", kind="change", year=2025)),
    ("新建省级以上重点实验室8—10家。", dict(value=8, value_max=10, unit="家", comparator="range")),
    ("每年引进高层次创新团队3到5个。", dict(value=3, value_max=5, unit="个", comparator="range")),
    ("鼓励企业联合高校组建创新联合体1至2家。", dict(value=1, value_max=2, unit="家", comparator="range")),
    ("培育科技型上市企业3~5家。", dict(value=3, value_max=5, unit="家", comparator="range")),
    ("到2022年,全市建成十个院士工作站。", dict(value=10, unit="个", year=2022)),
    ("全市科技型中小企业达到1.2万家。", dict(value=1.2, unit="万家")),
    ("战略性新兴产业增加值突破1000亿元。", dict(value=1000, unit="亿元", comparator=">=")),
    ("至201*年,全社会研发投入占GDP比重达2.5%。", dict(value=2.5, unit="%", year=None, year_text="201*")),
    ("到20XX年,孵化器面积达到50万平方米。", dict(value=50, unit="万平方米", year=None, year_text="20XX")),
    ("全市技术合同成交额达到２００亿元。", dict(value=200, unit="亿元")),
    ("到２０２５年，ＰＣＴ国际专利申请量达到５００件。", dict(value=500, unit="件", year=2025)),
    ("到2025年,高新技术产业产值占规上工业产值比重达到45 %。", dict(value=45, unit="%", year=2025)),
    ("新增省级以上企业技术中心20个左右。", dict(value=20, unit="个", approximate=True)),
    ("到2025年,全市研发经费支出年均增长15%以上。", dict(value=15, unit="%", kind="growth", comparator=">=")),
    ("城镇登记失业率控制在4.5%以内。", dict(value=4.5, unit="%", comparator="<=")),
    ("细颗粒物(PM2.5)平均浓度下降到35微克/立方米以下。", dict(value=35, unit="微克/立方米", comparator="<=")),
    ("人均地区生产总值超过10万元。", dict(value=10, unit="万元", comparator=">=")),
    ("全市常住人口城镇化率达到70%左右。", dict(value=70, unit="%", approximate=True)),
    ("到2025年,每万名就业人员中研发人员达到80人年。", dict(value=80, unit="人年", year=2025)),
    ("新增技能人才3万人次。", dict(value=3, unit="万人次")),
    ("建设5G基站1.5万个。", dict(value=1.5, unit="万个")),
    ("记者从市科技局获悉,力争到2025年,我市国家高新技术企业总数突破3000家。", dict(value=3000, unit="家", year=2025)),
    ("到“十三五”末,全市专利授权量达到8000件。", dict(value=8000, unit="件", year=2020)),
    ("力争用三年时间,培育科技领军企业10家。", dict(value=10, unit="家", year=None)),
    ("到2025年,R&D经费投入强度达到约2.8%。", dict(value=2.8, unit="%", approximate=True)),
    ("规模以上工业企业研发经费支出占主营业务收入比重不低于1.5%。", dict(value=1.5, unit="%", comparator=">=")),
    ("万元工业增加值用水量不超过20立方米。", dict(value=20, unit="立方米", comparator="<=")),
    ("高新技术企业数量比2020年增长50%。", dict(value=50, unit="%", kind="change")),
    ("全省科技企业孵化器达到三十六个。", dict(value=36, unit="个")),
    ("到2025年,新增上市公司五千亿元市值。", dict(value=5000, unit="亿元")),
    ("全市规上工业企业有研发活动的比例达到50%", dict(value=50, unit="%")),
    ("研究与试验发展经费投入强度≥3.2%", dict(value=3.2, unit="%", comparator=">=")),
    ("全省规上工业企业研发费用加计扣除政策落实率达到100%。", dict(value=100, unit="%")),
    ("到2025年,全省每个县(市、区)至少建成1个省级以上科技企业孵化器。", dict(value=1, unit="个", year=2025)),
    ("高技术制造业增加值占规模以上工业增加值比重达到25%以上,", dict(value=25, unit="%", comparator=">=")),
    ("全市高新技术企业达到1,000家。", dict(value=1000, unit="家")),
    ("到2025年,技术合同成交额达到2020年的1.5倍。", dict(value=1.5, unit="倍", year=2025)),
    ("全省R&D经费支出占地区生产总值的比重达到百分之三。", dict(value=3, unit="%")),
    ("城市空气质量优良天数比例保持在90%以上", dict(value=90, unit="%", comparator=">=")),
    ("到2015年底,全市新增发明专利授权量年均增长百分之二十。", dict(value=20, unit="%", kind="growth", year=2015)),
    ("到201*年,全市高新技术产业产值突破千亿元。", dict(value=1000, unit="亿元", comparator=">=", year_text="201*")),
    ("每年举办各类科技培训100场次。", dict(value=100, unit="场次")),
    ("“十二五”末,全市高新技术企业总数达到200家左右。", dict(value=200, unit="家", year=2015, approximate=True)),
    ("2011年—2015年,每年新增高新技术企业20家。", dict(value=20, unit="家", year=2015)),
    ("到2015年,单位GDP能耗降低16%。", dict(value=-16, unit="%", kind="growth", year=2015)),
    ("到2015年,全市专利授权量比2010年翻一番以上。", dict(value=100, unit="%", kind="change", comparator=">=",
                                                    multiplier=2)),
]


@pytest.mark.parametrize(("text", "expected"), ONE_TARGET, ids=[t for t, _ in ONE_TARGET])
def test_one_target(run: Any, text: str, expected: dict[str, Any]) -> None:
    targets, facts = run(text)
    assert len(targets) == 1, targets
    t = targets[0]
    for key, want in expected.items():
        got = getattr(t, key)
        if isinstance(want, float | int) and got is not None:
            assert got == pytest.approx(want), (key, t)
        else:
            assert got == want, (key, t)
    assert not facts


SEVERAL: list[tuple[str, list[tuple[float | None, str | None]]]] = [
    ("到2025年，全省高新技术企业达到1.5万家，科技型中小企业超过2万家。", [(1.5, "万家"), (2, "万家")]),
    ("到2025年,全省研发经费投入达到1000亿元,年均增长10%。", [(1000, "亿元"), (10, "%")]),
    ("高新技术产业产值年均增长20%以上,力争达到25%。", [(20, "%"), (25, "%")]),
    ("规模以上工业企业研发机构覆盖率和研发活动覆盖率均达到50%以上。", [(50, "%"), (50, "%")]),
    ("专利申请量、授权量年均增长10%。", [(10, "%"), (10, "%")]),
    ("三次产业结构调整为5:40:55。", [(5, "%"), (40, "%"), (55, "%")]),
    ("国家级、省级孵化器分别达到5家和20家。", [(5, "家"), (20, "家")]),
    ("全市创新型企业达到300家以上,其中国家级创新型企业50家。", [(300, "家"), (50, "家")]),
    ("重点打造20大创新平台和10大科技园区。", [(20, "个"), (10, "个")]),
    ("培育销售收入超百亿元企业5家、超十亿元企业30家。", [(5, "家"), (30, "家")]),
    ("培育10家年销售收入超50亿元的创新型龙头企业。", [(10, "家")]),
    ("新增专利授权5000件(其中发明专利800件)。", [(5000, "件"), (800, "件")]),
    ("高新技术企业主营业务收入占比,2015年达到30%,2020年达到40%。", [(30, "%"), (40, "%")]),
    ("加快建设10个市级以上工程技术研究中心、5个重点实验室。", [(10, "个"), (5, "个")]),
    ("建设国家级孵化器2至3家,省级孵化器5—8家。", [(2, "家"), (5, "家")]),
    ("建设省级以上研发平台100个、新型研发机构20家、院士工作站15个。", [(100, "个"), (20, "家"), (15, "个")]),
]


@pytest.mark.parametrize(("text", "expected"), SEVERAL, ids=[t for t, _ in SEVERAL])
def test_several_targets(run: Any, text: str, expected: list[tuple[float | None, str | None]]) -> None:
    targets, _ = run(text)
    assert sorted((t.value, t.unit) for t in targets) == sorted((float(v), u) for v, u in expected)


COMBINED = [
    "省级以上工程技术研究中心和重点实验室达到100家。",
    "建设国家级、省级重点实验室和工程中心20个。",
    "引进高层次人才和创新团队带头人达到500名左右。",
]


@pytest.mark.parametrize("text", COMBINED)
def test_combined_total_stays_one(run: Any, text: str) -> None:
    targets, _ = run(text)
    assert len(targets) == 1


HARD_NEGATIVES = [
    "根据《关于印发建设创新型城市工作指引的通知》(国科发创〔2016〕370号)精神,制定本方案。",
    "根据科技部(国科发体[20XX]155号)文件精神。",
    "深入实施“1+6+N”创新工程。",
    "重点实施“四大工程”。",
    "重点推进智能制造、生物医药、新材料等三大产业。",
    "围绕电子信息、装备制造、新材料等5个重点产业,推进产业链创新。",
    "对新认定的国家高新技术企业给予一次性奖励30万元。",
    "对获评的企业,市财政分别资助50万元。",
    "企业研发费用按175%加计扣除。",
    "举办第二届中国创新创业大赛。",
    "编制《全市国民经济和社会发展第十四个五年规划纲要》。",
    "本方案实施期为2021—2025年。",
    "构建“一核两翼三带”发展格局。",
    "成功举办2023年中国国际高新技术成果交易会。",
    "建设12英寸晶圆生产线。",
    "全市排名位列全国第8位。",
    "深入实施“5568”创新工程。",
    "纳入全市“十四五”科技创新规划。",
    "力争通过5~10年努力,建成创新型城市。",
    "建设包括20个子平台在内的公共服务平台体系。",
    "在全市6个县区设立科技服务站。",
    "建立“四个一”工作机制。",
    "开展科技三项经费改革。",
    "项目验收应在3个月内完成。",
    "对企业研发投入按10%给予补助。",
    "对认定的市级研发中心给予最高200万元支持。",
    "加快建设总投资20亿元的生物医药产业园。",
    "到2015年,全市按照1:1的比例配套建设资金。",
    "形成电子信息、装备制造、新材料3大产业集群。",
    "重点发展软件、集成电路和新型显示3个产业。",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_give_nothing(run: Any, text: str) -> None:
    targets, facts = run(text)
    assert targets == [], targets
    assert facts == [], facts


INDICATORS = [
    ("重点建设10大特色产业基地和10大研发中心。", ["重点建设特色产业基地", "研发中心"]),
    ("到2015年,全市科技进步贡献率比2010年提高5个百分点,达到60%以上。", ["科技进步贡献率", "科技进步贡献率"]),
    ("培育壮大10家高新技术企业集团。", ["培育壮大高新技术企业集团"]),
    ("力争全市高新技术企业数量突破5000家。", ["高新技术企业数量"]),
    ("工业废水排放达标率、工业固体废物综合利用率均达到90%以上。", ["工业废水排放达标率", "工业固体废物综合利用率"]),
    ("——研发投入强度:达到3%;\n——高新技术企业数:突破2000家。", ["研发投入强度", "高新技术企业数"]),
    ("(一)到2015年全市科技进步贡献率达到60%", ["科技进步贡献率"]),
    ("十二五期间新增国家级研发机构10家", ["国家级研发机构"]),
    ("新区GDP年均增长10%左右,到2025年突破2000亿元。", ["新区GDP年均增长", "新区GDP"]),
]


@pytest.mark.parametrize(("text", "names"), INDICATORS, ids=[t for t, _ in INDICATORS])
def test_indicator_phrases(run: Any, text: str, names: list[str]) -> None:
    targets, _ = run(text)
    assert [t.indicator for t in targets] == names


def test_names_in_corner_quotes_and_between_quoted_terms(run: Any) -> None:
    targets, _ = run("实施「5568」创新工程,推进“双创”“专精特新”达到50家。")
    assert [(t.value, t.unit) for t in targets] == [(50, "家")]


@pytest.mark.parametrize("text", ["到”十二五“末,研发中心达到30个。", "到「十二五」末,研发中心达到30个。"])
def test_odd_quote_marks_around_plan_names(run: Any, text: str) -> None:
    targets, _ = run(text)
    assert [(t.value, t.year) for t in targets] == [(30, 2015)]


def test_a_first_line_with_a_target_is_not_a_title(run: Any) -> None:
    targets, _ = run("到2025年全省R＆D经费投入强度达到２．８%左右")
    assert [(t.value, t.unit, t.year, t.approximate) for t in targets] == [(2.8, "%", 2025, True)]
