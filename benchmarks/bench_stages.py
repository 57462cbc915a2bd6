"""Time each parse stage on the sample page repeated 40 times (about 1.5 M characters, 160 plans).

Usage: .venv/bin/python benchmarks/bench_stages.py
Prints CPU seconds (best of 3) per stage, each called as ``parse_text`` calls it (the page folded once and
its slices handed to the stages that read folded text, each plan's own boilerplate skipped), and the load
average; budgets from the parser's design: the whole pipeline at ≥ 1 M characters/s, targets ≤ 0.8 s,
region and duties ≤ 0.3 s each for the 160 plans.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from importlib import resources

from innocity.parsing import duties, outline, phases, programs, region, segment, targets
from innocity.parsing.pipeline import parse_text
from innocity.parsing.textfold import fold


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
    folded = fold(text)
    seg = segment.split_plans(text, folded=folded)
    spans = [p.span for p in seg.plans]
    skips = [[b for b in seg.boilerplate if b[0] < s[1] and b[1] > s[0]] for s in spans]
    outlines = [outline.build_outline(text, s, folded=folded) for s in spans]
    regions = [region.detect_region(text, s) for s in spans]
    print(f"text: {len(text):,} characters, {len(spans)} plans; load average {os.getloadavg()[0]:.2f}")
    plans = list(zip(spans, outlines, regions, skips, strict=True))
    rows = [
        ("fold", lambda: fold(text)),
        ("segment", lambda: segment.split_plans(text, folded=folded)),
        ("outline", lambda: [outline.build_outline(text, s, folded=folded) for s in spans]),
        ("region", lambda: [region.detect_region(text, s) for s in spans]),
        ("targets+facts", lambda: [targets.read(text, s, o, skip=k, folded=folded) for s, o, _, k in plans]),
        ("duties", lambda: [duties.extract_duties(text, s, o, r) for s, o, r, _ in plans]),
        ("phases", lambda: [phases.extract_phases(text, s, o) for s, o, _, _ in plans]),
        ("programs", lambda: [programs.extract_programs(text, s, o, folded=folded) for s, o, _, _ in plans]),
        ("parse_text (all)", lambda: parse_text(text)),
    ]
    for name, fn in rows:
        t = best(fn)
        print(f"{name:18s} {t:7.3f} s CPU   {len(text) / t / 1e6:6.2f} M chars/s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
