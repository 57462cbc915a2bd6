"""The sample page: the four plans' regions and the six duties against the gold reading, and the speed budget.

Plans are sliced with the gold start/end quotes so these tests depend only on region and duties; nothing
here is special-cased in the code under test.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from innocity.domain.plan import Span
from innocity.parsing.duties import extract_duties
from innocity.parsing.outline import build_outline
from innocity.parsing.region import detect_region


def _gold() -> dict[str, Any]:
    raw = (
        resources.files("innocity.data")
        .joinpath("samples/innovative-city-plans-4.gold.json")
        .read_text("utf-8")
    )
    return json.loads(raw)


def _slices(text: str) -> list[tuple[dict[str, Any], Span]]:
    out = []
    for p in _gold()["plans"]:
        a = text.index(p["start_quote"])
        b = text.index(p["end_quote"], a) + len(p["end_quote"])
        out.append((p, (a, b)))
    return out


def test_regions_of_the_four_plans(sample_text: str) -> None:
    for plan, span in _slices(sample_text):
        gold = plan["region"]
        r = detect_region(sample_text, span)
        assert r.province == gold["province"], plan["label"]
        quoted = {sample_text[a:b] for a, b in r.evidence}
        assert all(span[0] <= a < b <= span[1] for a, b in r.evidence)
        if gold.get("city_named_in_text") is False:
            # never named: the province for certain, the city only as an inference with its evidence
            assert r.name in (None, gold["city"])
            if r.name is not None:
                assert r.inferred and r.confidence < 0.9
                assert quoted & {"九华经济区", "九华工业园", "双马工业园", "湘莲"}
            assert quoted & {"湖南省", "湖南", "湘"}
        else:
            assert (r.name, r.level, r.inferred) == (gold["city"], "city", False), plan["label"]
            assert any(gold["city"][:2] in q for q in quoted)
            assert r.confidence >= 0.8


def test_the_six_duties(sample_text: str) -> None:
    found = 0
    for plan, span in _slices(sample_text):
        region = detect_region(sample_text, span)
        duties = extract_duties(sample_text, span, build_outline(sample_text, span), region)
        gold = plan["responsibilities"]
        assert len(duties) == len(gold), plan["label"]
        for d, g in zip(duties, gold, strict=True):
            assert d.text == g["quote"]
            assert sample_text[d.span[0] : d.span[1]] == d.text
            assert d.task == g["task"]
            assert d.lead == g["lead"]["normalized"] and d.support == g["support"]["normalized"]
            assert d.lead_as_written == g["lead"]["as_written"]
            assert d.support_as_written == g["support"]["as_written"]
            found += 1
    assert found == 6
