"""Progress for 100 regions × 60 targets × 15 years of figures, in under a second.

Run: .venv/bin/python benchmarks/bench_progress.py
The figures are SIMULATED (random series generated here), used only to time the computation.
It times (best of 3) ``innocity.domain.progress.assess`` — the one implementation of the status rules — at
the latest year for every target (what the budget applies to), and at every one of the 15 years (a full
status history). The figures are read from the database by ``bench_progress_store.py``.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

import numpy as np

from innocity.domain.progress import TargetSpec, assess

REGIONS, TARGETS, YEARS = 100, 60, 15
BUDGET_S = 1.0


def build(seed: int = 1) -> tuple[list[TargetSpec], list[int], np.ndarray]:
    rng = random.Random(seed)
    years = list(range(2011, 2011 + YEARS))
    specs: list[TargetSpec] = []
    grid = np.full((REGIONS * TARGETS, YEARS), np.nan)
    for i in range(REGIONS * TARGETS):
        kind = ("level", "growth", "change")[i % 3]
        base = rng.uniform(10, 100)
        specs.append(
            TargetSpec(
                kind=kind,  # type: ignore[arg-type]
                comparator=">=" if i % 7 else "<=",
                value=rng.uniform(5, 20) if kind != "level" else base * rng.uniform(1.2, 3),
                year=2025,
                unit="%" if i % 2 else "百分点",
                approximate=i % 11 == 0,
                baseline_year=2010,
                baseline_value=base,
            )
        )
        rate = rng.uniform(-0.02, 0.12)
        for j in range(YEARS):
            if rng.random() < 0.9:  # some years are missing, as in real reporting
                grid[i, j] = base * (1 + rate) ** (j + 1)
    return specs, years, grid


def best_of(n: int, fn: Callable[[], object]) -> float:
    """The fastest of ``n`` runs (the machine is shared; the minimum is the least disturbed figure)."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    specs, years, grid = build()
    n = len(specs)
    rows = [[(y, float(v)) for y, v in zip(years, grid[i], strict=True) if v == v] for i in range(n)]

    def at(year: int) -> list[object]:
        return [assess(s, pts, year=year) for s, pts in zip(specs, rows, strict=True)]

    t_latest = best_of(3, lambda: at(years[-1]))
    t_all = best_of(1, lambda: [at(y) for y in years])
    print(f"targets: {REGIONS} regions × {TARGETS} targets = {n}, {YEARS} years of SIMULATED figures (best of 3)")
    print(f"latest year:                 {t_latest * 1000:8.1f} ms")
    print(f"all {YEARS} years (history):     {t_all * 1000:8.1f} ms  ({n * YEARS} assessments)")
    ok = t_latest < BUDGET_S
    print(f"progress of all {n} targets: {t_latest * 1000:.1f} ms; budget {BUDGET_S:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
