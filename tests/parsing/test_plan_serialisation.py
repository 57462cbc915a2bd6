"""The parse contract's JSON is derived from the dataclass fields (``domain/plan.py``): key order, omitted
optional keys, rounding, whole numbers, and a lossless round trip through ``from_dict``."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from innocity.domain.plan import (
    Baseline,
    Decision,
    Duty,
    Fact,
    ParsedDocument,
    Plan,
    Region,
    Section,
    SourceInfo,
    Target,
)
from innocity.parsing.pipeline import parse_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "src" / "innocity" / "data" / "contracts" / "plan.schema.json").read_text("utf-8"))


def _target(**kw: object) -> Target:
    base: dict[str, object] = dict(text="达到3%", span=(0, 4), indicator="研发投入强度", kind="level",
                                   comparator="=", value=3.0, unit="%", year=2025, year_text="2025")
    base.update(kw)
    return Target(**base)  # type: ignore[arg-type]


def test_target_keys_in_contract_order_and_optional_keys_left_out() -> None:
    d = _target().to_dict()
    assert list(d) == ["text", "span", "section", "indicator", "indicator_code", "kind", "comparator", "value",
                       "value_max", "unit", "approximate", "year", "year_text", "baseline"]
    assert d["value"] == 3 and isinstance(d["value"], int)  # whole numbers print as integers
    assert d["span"] == [0, 4]
    full = _target(unit_text="个百分点", match_score=0.123456, baseline=Baseline(2020, "2020年")).to_dict()
    assert full["match_score"] == 0.1235
    assert full["unit_text"] == "个百分点"
    assert full["baseline"] == {"year": 2020, "text": "2020年", "value": None}


def test_region_rounds_confidence_and_keeps_its_key_order() -> None:
    d = Region("芜湖市", "安徽省", 0.87654, [(1, 3)], adcode="340200", level="city").to_dict()
    assert list(d) == ["name", "province", "adcode", "level", "inferred", "confidence", "evidence"]
    assert d["confidence"] == 0.877 and d["evidence"] == [[1, 3]]
    assert Region.from_dict({"name": None, "province": None}).confidence == 0.0  # an old record without it


def test_section_heading_span_is_optional_and_nested_sections_round_trip() -> None:
    inner = Section("(一)", 2, "目标", (5, 9))
    outer = Section("一、", 1, "总体要求", (0, 9), [inner], heading_span=(0, 4))
    d = outer.to_dict()
    assert "heading_span" not in d["children"][0] and d["heading_span"] == [0, 4]
    assert Section.from_dict(d) == outer


def test_duty_confidence_and_rule_only_when_set() -> None:
    bare = Duty("市科技局牵头", (0, 6), None, ["市科技局"], []).to_dict()
    assert "confidence" not in bare and "rule" not in bare
    read = Duty("由市科技局牵头", (0, 7), None, ["市科技局"], [], confidence=0.8123, rule="prose-lead").to_dict()
    assert read["confidence"] == 0.812 and read["rule"] == "prose-lead"


def test_fact_qualifier_and_required_keys() -> None:
    f = Fact("企业40余家", (0, 6), indicator="企业", value=40.0, unit="家", year=None, year_text=None, qualifier="余")
    assert f.to_dict()["qualifier"] == "余"
    try:
        Fact.from_dict({"text": "x", "span": [0, 1]})
    except KeyError as exc:
        assert "indicator" in str(exc)
    else:  # pragma: no cover - the assertion documents the behaviour
        raise AssertionError("a fact without an indicator must not load")


def test_a_parsed_page_round_trips_and_matches_the_schema(sample_text: str) -> None:
    plans, warnings = parse_text(sample_text)
    doc = ParsedDocument(SourceInfo("s.txt", "0" * 64, "text/plain", "utf-8", len(sample_text)), plans, warnings,
                         sample_text)
    d = doc.to_dict()
    assert list(d) == ["schema", "source", "plans", "warnings"]
    jsonschema.validate(d, SCHEMA)
    again = ParsedDocument.from_dict(json.loads(json.dumps(d, ensure_ascii=False)), sample_text)
    assert again.to_dict() == d
    assert again.plans == doc.plans


def test_explain_is_optional_in_the_contract() -> None:
    plan = Plan(None, (0, 4), Region(None, None, 0.0), explain=[Decision("3%", (2, 4), "target", "target-by-default",
                                                                         3.0, "%")])
    d = ParsedDocument(SourceInfo("s", "0" * 64, "text/plain", "utf-8", 4), [plan]).to_dict()
    jsonschema.validate(d, SCHEMA)
    assert d["plans"][0]["explain"] == [{"text": "3%", "span": [2, 4], "verdict": "target",
                                         "rule": "target-by-default", "value": 3, "unit": "%"}]
    assert "explain" not in Plan(None, (0, 4), Region(None, None, 0.0)).to_dict()
