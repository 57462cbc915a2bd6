"""What catalogue matching adds to parsing, one command: ``python benchmarks/bench_match.py``.

Builds the bundled sample page repeated 40 times (~1.5 M characters), parses it once with the pipeline
(``parse_text``, no matching), then times ``annotate_document`` on the result with a *fresh* matcher each run
(catalogue loading excluded; matcher construction, empty match and normalisation caches included), so the figure is what one
``innocity parse`` of such a document pays. It also times the gold reading's targets and facts ×40 as a
second workload that does not depend on the parser's current recall.

Target (issue 3): matching adds ≤ 20 % to parse time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from innocity.catalog import Matcher, annotate_document, load_catalog
from innocity.catalog.normalize import normalize
from innocity.domain.plan import Fact, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.parsing.pipeline import parse_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "src" / "innocity" / "data" / "samples"
REPEAT = 40


def _best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _gold_document(repeat: int) -> ParsedDocument:
    gold = json.loads((SAMPLES / "innovative-city-plans-4.gold.json").read_text(encoding="utf-8"))
    plans = []
    for _ in range(repeat):
        for p in gold["plans"]:
            targets = [
                Target(text=t["quote"], span=(0, 0), indicator=t["indicator"],
                       kind=t["comparator"] if t["comparator"] in ("growth", "change") else "level",
                       comparator=">=", value=t["value"], unit=t["unit"], year=None, year_text=None)
                for t in p["targets"]
            ]
            facts = [Fact(text=f["quote"], span=(0, 0), indicator=f["indicator"], value=f["value"], unit=f["unit"],
                          year=None, year_text=None) for f in p.get("facts", [])]
            plans.append(Plan(title=None, span=(0, 0), region=Region(None, None, 0.0), targets=targets, facts=facts))
    return ParsedDocument(source=SourceInfo("gold", "", "text/plain", "utf-8", 0), plans=plans)


def _cold(doc: ParsedDocument, catalog: object) -> None:
    """One annotation as a fresh process pays it: empty normalisation cache, new matcher."""
    normalize.cache_clear()
    annotate_document(doc, Matcher(catalog))  # type: ignore[arg-type]


def main() -> None:
    catalog = load_catalog()
    text = (SAMPLES / "innovative-city-plans-4.txt").read_text(encoding="utf-8")
    big = "\n".join([text] * REPEAT)

    t = time.perf_counter()
    plans, _ = parse_text(big)
    parse_s = time.perf_counter() - t
    doc = ParsedDocument(source=SourceInfo("bench", "", "text/plain", "utf-8", len(big)), plans=plans)
    items = sum(len(p.targets) + len(p.facts) for p in plans)
    distinct = len({(i.indicator, i.unit) for p in plans for i in [*p.targets, *p.facts]})

    match_s = _best(lambda: _cold(doc, catalog), 3)
    build_s = _best(lambda: (normalize.cache_clear(), Matcher(catalog)), 3)
    matched = sum(1 for p in plans for i in [*p.targets, *p.facts] if i.indicator_code)

    gold = _gold_document(REPEAT)
    gold_items = sum(len(p.targets) + len(p.facts) for p in gold.plans)
    gold_s = _best(lambda: _cold(gold, catalog), 3)

    print(f"document: {len(big):,} characters ({REPEAT} × sample page)")
    print(f"parse_text (no matching):           {parse_s:8.3f} s")
    print(f"  targets + facts:                  {items:8d} ({distinct} distinct phrase/unit pairs, {matched} matched)")
    print(f"annotate_document (fresh matcher):  {match_s:8.3f} s  = {100 * match_s / parse_s:5.1f} % of parse time"
          f"  (building the matcher: {build_s * 1000:.0f} ms)")
    print(f"gold targets + facts ×{REPEAT}:           {gold_items:8d} items in {gold_s:.3f} s"
          f"  = {100 * gold_s / parse_s:5.1f} % of parse time")
    print("target: matching adds ≤ 20 % —", "OK" if max(match_s, gold_s) <= 0.2 * parse_s else "TOO SLOW")


if __name__ == "__main__":
    main()
