"""``innocity progress`` end to end on a stored database: 100 regions × 60 targets × 15 years of figures.

Run: .venv/bin/python benchmarks/bench_progress_store.py
Builds a SQLite file in a temporary directory (not timed): 100 cities, one plan each with 60 targets, and
15 years of SIMULATED figures per target (90,000 observations). Then times ``services.tracking.progress``
for all 6,000 targets: reading targets, plans, facts and figures, and assessing each one; then one city's
60 targets (what a page or ``innocity progress --region`` asks for).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from innocity.app import AppContext
from innocity.domain.plan import Baseline, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.services import tracking
from innocity.services.ingest import ingest_bytes
from innocity.settings import Settings
from innocity.storage.tables import ObservationRow
from innocity.storage.tables import Region as RegionRow

REGIONS, TARGETS, YEARS = 100, 60, 15


def build(db: Path) -> Settings:
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=db.parent, user="bench")
    app = AppContext(settings)
    rng = random.Random(7)
    with app.uow() as w:
        cities = list(w.session.execute(select(RegionRow.id, RegionRow.name, RegionRow.adcode)
                                .where(RegionRow.level == "city").order_by(RegionRow.adcode).limit(REGIONS)))
    obs = []
    for rid, name, adcode in cities:
        targets = []
        for k in range(TARGETS):
            code = f"BENCH{k:02d}"
            base = rng.uniform(10, 100)
            kind = ("level", "growth", "change")[k % 3]
            value = base * rng.uniform(1.2, 3) if kind == "level" else rng.uniform(5, 20)
            targets.append(Target(text=f"目标{k}", span=(0, 1), indicator=f"指标{k}", kind=kind, comparator=">=",
                                  value=value, unit="%" if kind != "level" else "个", year=2025, year_text="2025",
                                  baseline=Baseline(year=2010, value=base), indicator_code=code))
            rate = rng.uniform(-0.02, 0.12)
            for j in range(1, YEARS + 1):
                obs.append({"region_id": rid, "indicator_code": code, "period": str(2010 + j),
                            "period_kind": "year", "period_year": 2010 + j, "period_index": 0,
                            "value": base * (1 + rate) ** j, "vintage": "final",
                            "known_on": date(2011 + j, 3, 1), "status": "approved", "entered_by": "bench",
                            "note": "SIMULATED benchmark figure", "version": 1})
        plan = Plan(title=f"{name}创新型城市建设实施方案", span=(0, 1),
                    region=Region(name=name, province=None, confidence=1.0, adcode=adcode, level="city"),
                    targets=targets)
        doc = ParsedDocument(SourceInfo(f"{adcode}.txt", adcode, "text/plain", "utf-8", 1), [plan])
        with app.uow() as w:
            ingest_bytes(w, data=f"bench plan {adcode}".encode(), name=f"{adcode}.txt", doc=doc)
    with app.uow() as w:
        w.session.execute(insert(ObservationRow), obs)
    app.dispose()
    return settings


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        settings = build(Path(tmp) / "bench.sqlite3")
        print(f"setup (not timed): {time.perf_counter() - t:.1f} s")
        app = AppContext(settings)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            with app.uow() as w:
                rows = tracking.progress(w, year=2025)
            times.append(time.perf_counter() - t)
        with app.uow() as w:
            city = rows[0].region_adcode
        one = []
        for _ in range(20):
            t = time.perf_counter()
            with app.uow() as w:
                tracking.progress(w, region=city, year=2025)
            one.append(time.perf_counter() - t)
        app.dispose()
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    print(f"innocity progress: {len(rows)} targets, {len(rows) * YEARS} figures: best {min(times):.2f} s "
          f"of {', '.join(f'{x:.2f}' for x in times)} s")
    print(f"statuses: {statuses}")
    one.sort()
    print(f"one city's {TARGETS} targets: median {one[len(one) // 2] * 1000:.1f} ms, best {one[0] * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
