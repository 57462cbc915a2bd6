"""The divisions table: loading from package data and the lookups the region detector relies on."""

from __future__ import annotations

import pytest

from innocity.domain.divisions import PROVINCE_ABBREVIATIONS, load_divisions, short_name


def test_table_loads_without_grouping_rows() -> None:
    divs = load_divisions()
    assert len(divs) > 3000
    assert not [d for d in divs if d.name in ("市辖区", "省直辖县级行政区划")]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("西宁市", "西宁"),
        ("湖南省", "湖南"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("湘西土家族苗族自治州", "湘西"),
        ("延边朝鲜族自治州", "延边"),
        ("大兴安岭地区", "大兴安岭"),
        ("香港特别行政区", "香港"),
        ("峨边彝族自治县", "峨边"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_lookup_by_name_short_and_code() -> None:
    divs = load_divisions()
    (xn,) = divs.by_name("湘潭市")
    assert xn.adcode == "430300" and xn.level == "city" and xn.province == "湖南省"
    assert divs.by_adcode("430300") == xn
    assert [d.name for d in divs.by_short("唐山")] == ["唐山市"]
    assert {d.level for d in divs.by_short("吉林")} == {"province", "city"}  # why short names can collide
    assert len(divs.by_name("朝阳区")) == 2


def test_parent_chain_and_containing_city() -> None:
    divs = load_divisions()
    (cfd,) = divs.by_name("曹妃甸区")
    assert [d.name for d in divs.parents(cfd)] == ["唐山市", "河北省"]
    assert divs.city_of(cfd).name == "唐山市"  # type: ignore[union-attr]
    assert divs.province_of(cfd).name == "河北省"  # type: ignore[union-attr]
    (pudong,) = divs.by_name("浦东新区")
    assert divs.city_of(pudong).name == "上海市"  # type: ignore[union-attr]
    (xiantao,) = divs.by_name("仙桃市")  # county-level city directly under the province
    assert divs.city_of(xiantao) is None and divs.province_of(xiantao).name == "湖北省"  # type: ignore[union-attr]


def test_abbreviations_name_real_provinces() -> None:
    divs = load_divisions()
    for abbr, prov in PROVINCE_ABBREVIATIONS.items():
        if prov in ("台湾省",):
            continue
        found = divs.by_name(prov)
        assert found and found[0].level == "province", abbr
