"""Benchmark: import a CSV of N SIMULATED observations into SQLite, validation included, against the
physical floor (Python sqlite3 ``executemany`` of the same rows into a bare table), in one run.

    python benchmarks/bench_import.py            # 1,000,000 rows
    python benchmarks/bench_import.py --rows 200000

Targets (issue 4): import ≤ 4 × the floor and ≤ 60 s for 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

from innocity.catalog.loader import load_catalog
from innocity.services.observations import import_file
from innocity.services.store import division_rows, open_store
from innocity.settings import Settings


def write_csv(path: Path, rows: int, seed: int = 1) -> int:
    """Made-up smooth series (~3 % yearly growth): cities, then counties × catalogue indicators × 15 years."""
    rng = np.random.default_rng(seed)
    regions = [r["adcode"] for r in division_rows() if r["level"] in {"city", "county"}]
    indicators = [(i.code, i.unit) for i in load_catalog().indicators]
    years = np.arange(2006, 2021)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "indicator", "period", "value", "unit", "vintage", "note"])
        for adcode in regions:
            base = rng.uniform(5, 40, size=(len(indicators), 1))
            growth = 1 + rng.uniform(0.0, 0.06, size=(len(indicators), 1))
            values = (
                base
                * growth ** (years - years[0])
                * rng.normal(1.0, 0.01, size=(len(indicators), len(years)))
            )
            for k, (code, unit) in enumerate(indicators):
                take = min(len(years), rows - written)
                w.writerows(
                    [adcode, code, int(years[t]), f"{values[k, t]:.4f}", unit, "final", ""]
                    for t in range(take)
                )
                written += take
                if written >= rows:
                    return written
    return written


def floor_seconds(path: Path, db: Path) -> float:
    """sqlite3 executemany of the file's rows into a bare table (reading the CSV is not timed)."""
    with path.open(encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        rows = list(r)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("CREATE TABLE bare (region, indicator, period, value, unit, vintage, note)")
    t = time.perf_counter()
    con.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.commit()
    elapsed = time.perf_counter() - t
    con.close()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "observations.csv"
        t = time.perf_counter()
        n = write_csv(src, args.rows)
        print(
            f"wrote {n:,} simulated rows ({src.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
        # the machine is shared: the floor is measured before and after the import, and averaged
        floor_before = floor_seconds(src, tmp / "bare1.sqlite3")
        settings = Settings(database_url=f"sqlite:///{tmp / 'innocity.sqlite3'}", data_dir=tmp, user="bench")
        open_store(settings).dispose()  # migrations and region seeding are not part of the import
        t = time.perf_counter()
        report = import_file(settings, src)
        took = time.perf_counter() - t
        assert report.stored == n, report
        floor_after = floor_seconds(src, tmp / "bare2.sqlite3")
        floor = (floor_before + floor_after) / 2
        print(
            f"floor  (sqlite3 executemany, bare table): {floor:6.2f} s "
            f"(before {floor_before:.2f} s, after {floor_after:.2f} s)"
        )
        print(f"import (read + validate + insert)       : {took:6.2f} s  = {took / floor:.2f} × floor")
        print(
            f"targets: ≤ 4 × floor -> {'ok' if took <= 4 * floor else 'MISSED'}; "
            f"≤ 60 s -> {'ok' if took <= 60 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
