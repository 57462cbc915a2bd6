"""The unit table: scale words, classifiers, compound units, and refusals that never convert silently."""

from __future__ import annotations

import pytest

from innocity.catalog import units
from innocity.errors import UnitError


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        (1, "亿元", "万元", 10_000),
        (5, "亿元", "元", 500_000_000),
        (1924, "万元", "亿元", 0.1924),
        (3.33, "万人", "人", 33_300),
        (40_000, "人", "万人", 4),
        (23.6, "万名", "人", 236_000),  # 名 counts people like 人
        (2.0, "吨标煤/万元", "吨标准煤/万元", 2.0),
        (2.0, "吨标准煤/万元", "千克标准煤/万元", 2000),
        (0.5, "吨标准煤/万元", "吨标准煤/元", 0.00005),
        (30, "件/万人", "件/人", 0.003),
        (700, "人/万人", "人/万人", 700),
        (906, "美元/人", "万美元/万人", 906),
        (1.5, "%", "‰", 15),
        (85, "％", "%", 85),  # full-width percent sign
        (1.5, "个百分点", "百分点", 1.5),
        (8, "万亩", "平方米", 8 * 10_000 * 10_000 / 15),
        (7690.47, "平方公里", "平方米", 7_690_470_000),
        (5, "万平方米", "平方米", 50_000),
        (6, "万吨", "吨", 60_000),
        (2635, "公斤", "吨", 2.635),
        (5, "个", "家", 5),  # classifiers of countable things are interchangeable
        (500, "家", "项", 500),
        (30, "万辆", "辆", 300_000),
        (1, "千万元", "万元", 1000),
        (1, "万亿元", "亿元", 10_000),
        (12, "万人年", "人年", 120_000),
    ],
)
def test_conversions(value: float, src: str, dst: str, expected: float) -> None:
    assert units.convert(value, src, dst) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("src", "dst", "words"),
    [
        ("%", "百分点", "percentage points"),
        ("百分点", "%", "different quantities"),
        ("元", "美元", "美元"),
        ("亿元", "%", "pure number"),
        ("人", "家", "people"),
        ("件", "件/万人", "件/万人"),
        ("吨标准煤/万元", "吨标准煤", "energy"),
        ("万吨", "万元", "mass"),
        ("人", "人年", "人年"),
    ],
)
def test_incompatible_units_raise_with_both_units_named(src: str, dst: str, words: str) -> None:
    with pytest.raises(UnitError) as info:
        units.convert(1, src, dst)
    line = info.value.one_line()
    assert src in line and dst in line and words in line
    assert "\n" not in line


@pytest.mark.parametrize("bad", ["", "  ", "斤两", "亿", "元/", "/人", "元/人/年", "furlong"])
def test_unknown_units_are_errors(bad: str) -> None:
    with pytest.raises(UnitError):
        units.convert(1, bad, "元")
    assert not units.is_known(bad)
    assert not units.is_compatible(bad, "元")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("吨标煤/万元", "吨标准煤/万元"), ("个百分点", "百分点"), ("％", "%"), ("公斤", "千克"), ("平方千米", "平方公里"),
     ("万元", "万元"), ("件/万人", "件/万人"), ("km²", "平方公里"), ("ＧＷ", None)],
)
def test_canonical_spelling(written: str, canonical: str | None) -> None:
    if canonical is None:
        with pytest.raises(UnitError):
            units.canonical(written)
    else:
        assert units.canonical(written) == canonical


def test_compatibility_is_symmetric_and_by_dimension() -> None:
    assert units.is_compatible("亿元", "元") and units.is_compatible("元", "亿元")
    assert units.is_compatible("件/万人", "项/人")
    assert not units.is_compatible("%", "百分点")
    assert not units.is_compatible("元/人", "元")


def test_ratio_scale_checks_formulas() -> None:
    assert units.ratio_scale("亿元", "亿元", "%") == pytest.approx(100)
    assert units.ratio_scale("件", "万人", "件/万人") == pytest.approx(1)
    assert units.ratio_scale("亿元", "万人", "元/人") == pytest.approx(10_000)
    assert units.ratio_scale("万吨标准煤", "亿元", "吨标准煤/万元") == pytest.approx(1)
    with pytest.raises(UnitError):
        units.ratio_scale("亿元", "万人", "%")


def test_per_population_and_numerator() -> None:
    assert units.is_per_population("件/万人") and units.is_per_population("美元/人")
    assert not units.is_per_population("吨标准煤/万元") and not units.is_per_population("%")
    assert units.numerator("吨标煤/万元") == "吨标准煤"


@pytest.mark.parametrize(
    ("value", "unit", "indicator_unit", "expected"),
    [
        (30, "件", "件/万人", 30),  # 万人专利申请量达30件
        (700, "人", "人/万人", 700),  # 万人拥有专业技术人员700人
        (15, "万元", "元/人", 150_000),  # 人均地区生产总值15万元
        (5, "亿元", "亿元", 5),
        (1924, "万元", "亿元", 0.1924),
        (2.0, "吨标煤/万元", "吨标准煤/万元", 2.0),
    ],
)
def test_to_indicator_unit_reads_numerator_units_of_rates(value: float, unit: str, indicator_unit: str,
                                                          expected: float) -> None:
    assert units.to_indicator_unit(value, unit, indicator_unit) == pytest.approx(expected)


@pytest.mark.parametrize(("unit", "indicator_unit"), [("亿元", "件/万人"), ("%", "件/万人"), ("件", "%"), ("百分点", "%")])
def test_to_indicator_unit_still_refuses_what_does_not_fit(unit: str, indicator_unit: str) -> None:
    with pytest.raises(UnitError):
        units.to_indicator_unit(1, unit, indicator_unit)
