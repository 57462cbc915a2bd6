"""SIMULATED observation files for load and crash tests: smooth made-up series, not real statistics."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from innocity.app import division_rows
from innocity.catalog.loader import load_catalog


def write_simulated_csv(path: Path, *, rows: int, seed: int = 7, years: int = 15) -> int:
    """A CSV of about ``rows`` values: cities × catalogue indicators × years, ~6 % yearly growth.

    Returns the number of rows written. Shares stay well under 100 %, so every row is valid."""
    rng = np.random.default_rng(seed)
    cities = [r["adcode"] for r in division_rows() if r["level"] == "city"]
    indicators = [(i.code, i.unit) for i in load_catalog().indicators]
    per_city = len(indicators) * years
    n_cities = max(1, min(len(cities), -(-rows // per_city)))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "indicator", "period", "value", "unit", "vintage", "note"])
        for adcode in cities[:n_cities]:
            base = rng.uniform(5, 40, size=len(indicators))
            growth = 1 + rng.uniform(0.0, 0.06, size=len(indicators))
            noise = rng.normal(1.0, 0.01, size=(len(indicators), years))
            for k, (code, unit) in enumerate(indicators):
                for t in range(years):
                    if written >= rows:
                        return written
                    v = base[k] * growth[k] ** t * noise[k, t]
                    w.writerow([adcode, code, 2006 + t, f"{v:.4f}", unit, "final", ""])
                    written += 1
    return written
