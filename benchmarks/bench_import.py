"""Benchmark: import a CSV of N SIMULATED observations, validation included, against the floor, in one run.

The floor (issue 14) is Python's ``csv.reader`` over the same file feeding ``sqlite3`` ``executemany`` into a
bare table, in one transaction, with default pragmas, reading included. The import is the service
``data import`` runs (read, check every row, check against the store, load), on a database already
migrated and seeded. With ``--url`` the import runs on that database (PostgreSQL: COPY) and its absolute
time is printed.

    python benchmarks/bench_import.py            # 1,000,000 rows, SQLite
    python benchmarks/bench_import.py --rows 200000
    python benchmarks/bench_import.py --repeat 3   # three runs, each its own floor, import, floor
    python benchmarks/bench_import.py --url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/innocity_bench

Target (issue 14): import ≤ 2.5 × the floor for 1,000,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from innocity.app import AppContext, division_rows
from innocity.catalog.loader import load_catalog
from innocity.services.observations import import_file
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
    """csv.reader over the file feeding sqlite3 executemany into a bare table: one transaction, default
    pragmas, reading included."""
    t = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE bare (region, indicator, period, value, unit, vintage, note)")
    with path.open(encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        next(r)
        con.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?)", r)
    con.commit()
    con.close()
    return time.perf_counter() - t


def import_seconds(url: str, src: Path, tmp: Path, n: int) -> float:
    app = AppContext(Settings(database_url=url, data_dir=tmp, user="bench"))
    try:
        assert app.db is not None  # migrations and region seeding are not part of the import
        t = time.perf_counter()
        with app.uow() as w:
            report = import_file(w, path=src)
        took = time.perf_counter() - t
        assert report.stored == n, report
    finally:
        app.dispose()
    return took


def clear(url: str) -> None:
    """Empty the observations and imports of the database at ``url`` (only with ``--clear``)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    if not inspect(engine).has_table("observations"):  # not migrated yet: the first run does it
        engine.dispose()
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE observations, imports"))
        else:
            conn.execute(text("DELETE FROM observations"))
            conn.execute(text("DELETE FROM imports"))
    engine.dispose()


def load() -> str:
    """The 1-minute load average: the machine is shared, and a figure means little without it."""
    return f"load {os.getloadavg()[0]:.2f}"


def sqlite_run(src: Path, tmp: Path, n: int, k: int) -> float:
    """One run: floor, import, floor; the lower floor is the run's floor. Returns import / floor."""
    floor_before = floor_seconds(src, tmp / f"bare{k}a.sqlite3")
    took = import_seconds(f"sqlite:///{tmp / f'innocity{k}.sqlite3'}", src, tmp, n)
    floor_after = floor_seconds(src, tmp / f"bare{k}b.sqlite3")
    floor = min(floor_before, floor_after)
    for f in tmp.glob(f"*{k}*.sqlite3*"):
        f.unlink()
    print(
        f"floor  (csv.reader + executemany, bare table): {floor:6.2f} s (before {floor_before:.2f}, after {floor_after:.2f})"
    )
    print(
        f"import (read + validate + insert)             : {took:6.2f} s = {took / floor:.2f} × floor  ({load()})"
    )
    return took / floor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--url", default=None, help="import into this (empty or migrated) database instead")
    ap.add_argument("--repeat", type=int, default=1, help="runs (each measures its own floor)")
    ap.add_argument(
        "--clear",
        action="store_true",
        help="with --url: delete every observation and import in that database before each run",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        src = tmp / "observations.csv"
        t = time.perf_counter()
        n = write_csv(src, args.rows)
        print(
            f"wrote {n:,} simulated rows ({src.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s ({load()})"
        )
        if args.url:
            if args.repeat > 1 and not args.clear:
                ap.error("--repeat with --url needs --clear (a second run would find every value stored)")
            for _ in range(args.repeat):
                if args.clear:
                    clear(args.url)
                took = import_seconds(args.url, src, tmp, n)
                print(
                    f"import into {args.url.split('@')[-1]}: {took:.2f} s ({n / took:,.0f} rows/s, {load()})"
                )
            return
        ratios = [sqlite_run(src, tmp, n, k) for k in range(args.repeat)]
        ratio = statistics.median(ratios)
        runs = (
            f" (median of {len(ratios)} runs: {', '.join(f'{r:.2f}' for r in ratios)})"
            if len(ratios) > 1
            else ""
        )
        print(f"target ≤ 2.5 × floor -> {ratio:.2f}{runs}: {'ok' if ratio <= 2.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
