"""The shipped catalogue obeys its own schema and conventions; user files are merged or refused precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from innocity.catalog import load_catalog, units
from innocity.catalog.loader import parse_file
from innocity.errors import CatalogError, NotFoundError

GOOD_YAML = """\
indicators:
  - code: X01
    name_zh: 每万人口众创空间数
    name_en: Maker spaces per 10k population
    aliases: [万人众创空间数]
    unit: 个/万人
    direction: 1
    dimension: TRA
    kind: per_capita
    definition: 众创空间数 / 年末常住人口(万人)
    aggregation: rate
    data_source: 科技局
    source: proposed
"""

GOOD_CSV = """\
code,name_zh,name_en,aliases,unit,direction,dimension,kind,definition,formula,aggregation,data_source,source,in_index
X10,众创空间数,Maker spaces,众创空间数量|众创空间,个,+,成果转化力,count,经备案的众创空间数,,stock,科技局,common,false
X11,每万人众创空间数,Maker spaces per 10k,,个/万人,1,TRA,per_capita,X10 / 常住人口,X10/DRV12*1,rate,科技局,proposed,true
"""


def test_builtin_catalogue_size_and_dimensions() -> None:
    cat = load_catalog()
    assert len(cat.indicators) >= 45
    assert cat.dimensions() == [("GOV", "创新治理力"), ("ORI", "原始创新力"), ("TEC", "技术创新力"),
                                ("TRA", "成果转化力"), ("DRV", "创新驱动力")]
    for code, _name in cat.dimensions():
        in_index = [i for i in cat.in_dimension(code) if i.in_index]
        assert len(in_index) >= 5, f"dimension {code} has too few index indicators"
    # the default framework is exactly the research draft's 35 indicators (GOV01-05 … DRV01-07)
    draft = {f"{d}{i:02d}" for d, n in [("GOV", 5), ("ORI", 7), ("TEC", 9), ("TRA", 7), ("DRV", 7)]
             for i in range(1, n + 1)}
    assert {i.code for i in cat.indicators if i.in_index} == draft


def test_builtin_indicators_are_complete_and_honest() -> None:
    cat = load_catalog()
    codes = [i.code for i in cat.indicators]
    assert len(codes) == len(set(codes))
    for ind in cat.indicators:
        assert ind.code.startswith(ind.dimension), ind.code
        assert ind.name_zh and ind.name_en and ind.definition and ind.data_source, ind.code
        assert ind.direction in (1, -1)
        assert units.canonical(ind.unit) == ind.unit
        assert ind.source in ("confirmed", "common", "proposed")
        if ind.kind in ("share", "intensity") and ind.unit == "%":
            assert ind.aggregation == "rate", ind.code
        if ind.formula is not None:
            num, den = cat.get(ind.formula.numerator), cat.get(ind.formula.denominator)
            assert units.ratio_scale(num.unit, den.unit, ind.unit) == pytest.approx(ind.formula.scale)
    # "confirmed" is only claimed where coverage of the ISTIC reports names the indicator
    confirmed = {i.code for i in cat.indicators if i.source == "confirmed"}
    assert confirmed == {"GOV03", "ORI05", "ORI06", "TRA05", "DRV02"}


@pytest.mark.parametrize(
    ("code", "unit", "direction"),
    [("TEC01", "%", 1), ("TEC09", "件/万人", 1), ("TEC15", "件", 1), ("DRV03", "吨标准煤/万元", -1),
     ("DRV02", "%", -1), ("ORI07", "人/万人", 1), ("TRA08", "亿元", 1), ("DRV05", "元", 1)],
)
def test_key_indicators(code: str, unit: str, direction: int) -> None:
    ind = load_catalog().get(code)
    assert (ind.unit, ind.direction) == (unit, direction)
    assert ind.dimension_name


def test_get_unknown_code_raises_not_found() -> None:
    with pytest.raises(NotFoundError):
        load_catalog().get("NOPE01")


def test_user_yaml_and_csv_are_merged(tmp_path: Path) -> None:
    d = tmp_path / "catalog.d"
    d.mkdir()
    (d / "a.yaml").write_text(GOOD_YAML, encoding="utf-8")
    (d / "b.csv").write_text(GOOD_CSV, encoding="utf-8")
    cat = load_catalog(extra=d)
    assert len(cat.indicators) == len(load_catalog().indicators) + 3
    x10 = cat.get("X10")
    assert (x10.direction, x10.dimension, x10.in_index, x10.aliases) == (1, "TRA", False, ("众创空间数量", "众创空间"))
    assert cat.get("X11").formula is not None and cat.get("X11").formula.denominator == "DRV12"  # type: ignore[union-attr]
    assert cat.get("X01").origin == "a.yaml"


def _bad(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(extra=p)
    return info.value.one_line()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("direction: 1", "direction: 2", "my.yaml: indicator X01 field 'direction': must be 1 or -1"),
        ("unit: 个/万人", "unit: 斤/万人", "my.yaml: indicator X01 field 'unit': unknown unit '斤/万人'"),
        ("dimension: TRA", "dimension: 创新力", "my.yaml: indicator X01 field 'dimension': must be one of"),
        ("aggregation: rate", "aggregation: mean", "my.yaml: indicator X01 field 'aggregation':"),
        ("source: proposed", "source: official", "my.yaml: indicator X01 field 'source':"),
        ("code: X01", "code: x-1", "my.yaml: indicator x-1 field 'code': must be"),
        ("    data_source: 科技局\n", "", "my.yaml: indicator X01 field 'data_source': is required"),
        ("kind: per_capita", "kind: per_capita\n    colour: red", "my.yaml: indicator X01 field 'colour': is not a catalogue field"),
        ("code: X01", "code: TEC01", "my.yaml: indicator TEC01 field 'code': duplicate code, already defined in indicators.yaml"),
        ("source: proposed", "source: proposed\n    formula: X01/NOPE*100",
         "my.yaml: indicator X01 field 'formula': unknown indicator code NOPE"),
        ("source: proposed", "source: proposed\n    formula: TEC15/DRV12*100",
         "my.yaml: indicator X01 field 'formula': 件 / 万人 in 个/万人 needs scale 1, not 100"),
    ],
)
def test_bad_yaml_names_file_entry_and_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD_YAML
    line = _bad(tmp_path, "my.yaml", GOOD_YAML.replace(old, new))
    assert line.startswith(expected), line


def test_duplicate_code_within_a_file(tmp_path: Path) -> None:
    two = GOOD_YAML + GOOD_YAML.split("indicators:\n", 1)[1]
    assert _bad(tmp_path, "dup.yaml", two) == (
        "dup.yaml: indicator X01 field 'code': duplicate code X01 (also indicator X01)"
    )


def test_bad_csv_row_is_named_by_row_number(tmp_path: Path) -> None:
    line = _bad(tmp_path, "mine.csv", GOOD_CSV.replace(",个/万人,1,TRA,", ",个/万人,up,TRA,"))
    assert line == "mine.csv: row 3 (X11) field 'direction': must be 1 or -1"


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("broken.yaml", "indicators: [\n  - code: X", "not valid YAML"),
        ("pct.yaml", "- code: X01\n  unit: %\n", 'not valid YAML at line 2 (write the unit in quotes: unit: "%")'),
        ("empty.yaml", "indicators: []\n", "holds no indicators"),
        ("scalar.yaml", "just text\n", "expected a list of indicators"),
        ("notes.txt", "code,name\n", "must be .yaml, .yml or .csv"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, text: str, words: str) -> None:
    line = _bad(tmp_path, name, text)
    assert line.startswith(f"{name}: ") and words in line


def test_parse_file_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such file"):
        parse_file(tmp_path / "absent.yaml")
