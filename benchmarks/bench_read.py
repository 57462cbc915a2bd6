"""Benchmark: read back every observation of one city (50 indicators × 15 years) from a SQLite store
that also holds the other cities' values. All values SIMULATED.

    python benchmarks/bench_read.py              # 300 cities × 50 indicators × 15 years = 225,000 values

Target (issue 4): under 20 ms for one city (median of repeated reads, through the public service).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from innocity.app import AppContext, division_rows
from innocity.catalog.loader import load_catalog
from innocity.services.observations import import_file, list_observations
from innocity.settings import Settings
from innocity.storage import observations as obs_repo
from innocity.storage.regions import get_by_adcode


def write_csv(path: Path, cities: list[str], codes: list[tuple[str, str]], years: int = 15) -> int:
    rng = np.random.default_rng(3)
    lines = ["region,indicator,period,value,unit\n"]
    for adcode in cities:
        for code, unit in codes:
            v = rng.uniform(5, 40) * 1.04 ** np.arange(years)
            lines.extend(f"{adcode},{code},{2006 + t},{v[t]:.4f},{unit}\n" for t in range(years))
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines) - 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    cities = [r["adcode"] for r in division_rows() if r["level"] == "city"][: args.cities]
    codes = [(i.code, i.unit) for i in load_catalog().indicators][:50]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        n = write_csv(tmp / "obs.csv", cities, codes)
        settings = Settings(database_url=f"sqlite:///{tmp / 'innocity.sqlite3'}", data_dir=tmp, user="bench")
        app = AppContext(settings)
        with app.uow() as w:
            import_file(w, path=tmp / "obs.csv")
        target = cities[len(cities) // 2]
        domain_times, raw_times = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            with app.uow() as w:
                got = list_observations(w, region=target)
            domain_times.append(time.perf_counter() - t)
            assert len(got) == 50 * 15
            with app.db.sessions() as s:
                reg = get_by_adcode(s, target)
                assert reg is not None
                t = time.perf_counter()
                rows = obs_repo.read_region_values(s, reg.id)
                raw_times.append(time.perf_counter() - t)
            assert len(rows) == 50 * 15
        app.dispose()
    med = statistics.median(domain_times) * 1000
    print(f"store: {n:,} simulated values; one city = {len(got)} values")
    print(
        f"list_observations(region) → typed rows: median {med:.1f} ms, p90 "
        f"{sorted(domain_times)[int(0.9 * len(domain_times))] * 1000:.1f} ms"
    )
    print(f"read_region_values   → tuples        : median {statistics.median(raw_times) * 1000:.1f} ms")
    print(f"target < 20 ms -> {'ok' if med < 20 else 'MISSED'}")


if __name__ == "__main__":
    main()
