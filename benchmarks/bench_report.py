"""The annual report of a plan with 60 targets, charts included: gathering the data and writing the DOCX.

Run: .venv/bin/python benchmarks/bench_report.py
Builds a SQLite file in a temporary directory (not timed): one city whose plan has 60 targets on 60
catalogue indicators, 20 tasks with departments, 10 years of SIMULATED figures per indicator and the 督办
items ``supervise sync`` raises. Then times ``services.reports.annual_report_data`` plus
``reports.annual.annual_report`` (two charts, the 60-row table): the first run in the process (matplotlib
and its font cache loaded) and the best of three after it. The budget is 3 s.
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
from innocity.domain.plan import Baseline, Duty, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.services import supervise
from innocity.services.ingest import ingest_bytes
from innocity.settings import Settings
from innocity.storage.tables import ObservationRow
from innocity.storage.tables import Region as RegionRow

TARGETS, TASKS, YEAR = 60, 20, 2014
BUDGET_S = 3.0
DEPARTMENTS = ["市科技局", "市发改委", "市经信委", "市财政局", "市人社局", "市统计局"]


def build(db: Path) -> tuple[Settings, str]:
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=db.parent, user="bench")
    app = AppContext(settings)
    rng = random.Random(12)
    with app.uow() as w:
        rid, name, adcode = w.session.execute(
            select(RegionRow.id, RegionRow.name, RegionRow.adcode).where(RegionRow.name == "芜湖市")).one()
        indicators = w.catalog.indicators[:TARGETS]
    targets, obs = [], []
    for k, ind in enumerate(indicators):
        base = rng.uniform(10, 100)
        kind = ("level", "growth", "change")[k % 3]
        value = base * rng.uniform(1.2, 2) if kind == "level" else rng.uniform(5, 20)
        targets.append(Target(text=f"{ind.name_zh}目标", span=(0, 1), indicator=ind.name_zh, kind=kind,
                              comparator=">=", value=value, unit=ind.unit if kind == "level" else "%", year=2015,
                              year_text="2015", baseline=Baseline(year=2010, value=base),
                              indicator_code=ind.code))
        rate = rng.uniform(-0.03, 0.15)
        for y in range(2005, YEAR + 1):
            obs.append({"region_id": rid, "indicator_code": ind.code, "period": str(y), "period_kind": "year",
                        "period_year": y, "period_index": 0, "value": base * (1 + rate) ** (y - 2010),
                        "unit": ind.unit, "vintage": "final", "known_on": date(y + 1, 3, 1), "status": "approved",
                        "entered_by": "bench", "note": "SIMULATED benchmark figure", "version": 1})
    duties = [Duty(text=f"重点任务{k}", span=(0, 1), task=f"重点任务{k}", lead=[DEPARTMENTS[k % 6]],
                   support=[DEPARTMENTS[(k + 1) % 6]]) for k in range(TASKS)]
    plan = Plan(title=f"{name}创新型城市建设实施方案（基准测试）", span=(0, 1),
                region=Region(name=name, province="安徽省", confidence=1.0, adcode=adcode, level="city"),
                targets=targets, duties=duties)
    doc = ParsedDocument(SourceInfo(f"{adcode}.txt", adcode, "text/plain", "utf-8", 1), [plan])
    with app.uow() as w:
        ingest_bytes(w, data=f"bench plan {adcode}".encode(), name=f"{adcode}.txt", doc=doc)
    with app.uow() as w:
        w.session.execute(insert(ObservationRow), obs)
    with app.uow() as w:
        supervise.sync(w, year=YEAR, today=date(YEAR + 1, 3, 31))
    app.dispose()
    return settings, name


def one(app: AppContext, region: str) -> tuple[float, float, int]:
    from innocity.reports.annual import annual_report
    from innocity.services import reports

    t0 = time.perf_counter()
    with app.uow() as w:
        data = reports.annual_report_data(w, region=region, year=YEAR)
    t1 = time.perf_counter()
    docx = annual_report(data)
    t2 = time.perf_counter()
    assert len(data.lines) == TARGETS and len(data.trajectories) > 0
    return t1 - t0, t2 - t1, len(docx)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        settings, region = build(Path(tmp) / "bench.sqlite3")
        print(f"setup (not timed): {time.perf_counter() - t:.1f} s")
        app = AppContext(settings)
        try:
            gather, write, size = one(app, region)
            first = gather + write
            print(f"first report in the process: {first:.2f} s (data {gather:.2f} s, DOCX with charts "
                  f"{write:.2f} s, {size / 1024:.0f} kB)")
            runs = [one(app, region) for _ in range(3)]
            best = min(runs, key=lambda r: r[0] + r[1])
            print(f"annual report, {TARGETS} targets, charts included: best of 3 {best[0] + best[1]:.2f} s "
                  f"(data {best[0]:.2f} s, DOCX {best[1]:.2f} s); budget {BUDGET_S:.0f} s")
        finally:
            app.dispose()
    return 0 if first < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
