"""Time each parse stage on the sample page repeated 40 times (about 1.5 M characters, 160 plans).

Usage: .venv/bin/python benchmarks/bench_stages.py
Prints CPU seconds (best of 3) per stage; budgets from the parser's design: the whole pipeline at
≥ 1 M characters/s, targets ≤ 0.8 s, region and duties ≤ 0.3 s each for the 160 plans.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources

from innocity.parsing import duties, outline, phases, programs, region, segment, targets
from innocity.parsing.pipeline import parse_text


def best(fn: Callable[[], object], runs: int = 3) -> float:
    out = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def main() -> None:
    folder = resources.files("innocity.data").joinpath("samples")
    page = next(p for p in folder.iterdir() if p.name.endswith(".txt")).read_text(encoding="utf-8")
    text = page * 40
    seg = segment.split_plans(text)
    spans = [p.span for p in seg.plans]
    outlines = [outline.build_outline(text, s) for s in spans]
    regions = [region.detect_region(text, s) for s in spans]
    print(f"text: {len(text):,} characters, {len(spans)} plans")
    rows = [
        ("segment", lambda: segment.split_plans(text)),
        ("outline", lambda: [outline.build_outline(text, s) for s in spans]),
        ("region", lambda: [region.detect_region(text, s) for s in spans]),
        ("targets+facts", lambda: [targets.extract(text, s, o, skip=seg.boilerplate) for s, o in zip(spans, outlines, strict=True)]),
        ("duties", lambda: [duties.extract_duties(text, s, o, r) for s, o, r in zip(spans, outlines, regions, strict=True)]),
        ("phases", lambda: [phases.extract_phases(text, s, o) for s, o in zip(spans, outlines, strict=True)]),
        ("programs", lambda: [programs.extract_programs(text, s, o) for s, o in zip(spans, outlines, strict=True)]),
        ("parse_text (all)", lambda: parse_text(text)),
    ]
    for name, fn in rows:
        t = best(fn)
        print(f"{name:18s} {t:7.3f} s CPU   {len(text) / t / 1e6:6.2f} M chars/s")


if __name__ == "__main__":
    main()
