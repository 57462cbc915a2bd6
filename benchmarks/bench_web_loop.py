"""The loop's pages for a city's coordinator, and the API while an index run is in progress.

Run: .venv/bin/python benchmarks/bench_web_loop.py [--seconds 30] [--clients 8] [--replications 1000] [--workers 2]
Needs ``wrk`` as ``bench_web.py`` does (its load generator and per-endpoint timing are used here).

Builds ``bench_web.py``'s database (100 regions × 60 targets × 15 years of SIMULATED figures, not timed),
then adds (not timed): one coordinator account per city, 督办 items raised from progress for 2020, and
SIMULATED figures of the default framework's indicators for 300 counties (so an index run has 300 units).
Serves it with uvicorn in its own process, as ``bench_web.py`` does, and measures:

1. ``/progress``, ``/progress/{id}``, ``/`` (the dashboard) and ``/supervision`` as the coordinators of
   random cities, 8 clients for ``--seconds`` (target: p95 ≤ 50 ms), after one client alone (service time);
2. ``GET /api/v1/progress?region=&year=`` while an index run of ``--replications`` replications on the
   300 counties is in progress, against the same without a run (target: p95 ≤ 100 ms during the run).

Every figure is SIMULATED: it measures the software, it says nothing about any city.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).parent))

import bench_web
from bench_web import Client, Endpoint, World

from innocity.app import AppContext
from innocity.services import supervise, users
from innocity.services.index import default_framework
from innocity.settings import Settings
from innocity.storage.tables import ObservationRow, PlanRow, TargetRow
from innocity.storage.tables import Region as RegionRow

UNITS, INDEX_YEARS = 300, (2023, 2024, 2025)


def coordinator(adcode: str) -> str:
    return f"co{adcode}"


def extend(settings: Settings, world: World) -> int:
    """Coordinators, 督办 items and the counties' figures; returns how many items were raised."""
    app = AppContext(settings)
    rng = random.Random(11)
    with app.uow() as w:
        for adcode in world.adcodes:
            users.create_user(w, username=coordinator(adcode), password=bench_web.PASSWORD, role="coordinator",
                              region=adcode)
    with app.uow() as w:
        raised = len(supervise.sync(w, year=2020, today=date(2020, 3, 1)))
    with app.uow() as w:
        codes = default_framework(w.catalog).framework.indicator_codes
        counties = list(w.session.scalars(select(RegionRow.id).where(RegionRow.level == "county")
                                          .order_by(RegionRow.adcode).limit(UNITS)))
        rows = []
        for rid in counties:
            strength = rng.uniform(0.5, 1.5)
            for code in codes:
                base = 50 * strength * rng.uniform(0.7, 1.3)
                for k, y in enumerate(INDEX_YEARS):
                    rows.append({"region_id": rid, "indicator_code": code, "period": str(y), "period_kind": "year",
                                 "period_year": y, "period_index": 0, "value": base * (1 + 0.04 * k),
                                 "vintage": "final", "known_on": date(y + 1, 3, 1), "status": "approved",
                                 "entered_by": "bench", "note": bench_web.SIMULATED, "version": 1})
        w.session.execute(insert(ObservationRow), rows)
    app.dispose()
    return raised


PAGES = [
    Endpoint("GET /progress (page)", "/progress?year={year}", auth="session"),
    Endpoint("GET /progress/{id} (page)", "/progress/{target}?year={year}", auth="session"),
    Endpoint("GET / (dashboard)", "/?year={year}", auth="session"),
    Endpoint("GET /supervision (page)", "/supervision", auth="session"),
]


def coordinator_clients(settings: Settings, base: str, world: World, n: int) -> list[Client]:
    """``n`` coordinators of random cities, each opening its own city's targets."""
    by_city: dict[str, list[str]] = {}
    app = AppContext(settings)
    with app.uow() as w:
        for adcode, tid in w.session.execute(select(RegionRow.adcode, TargetRow.id)
                                             .join(PlanRow, PlanRow.region_id == RegionRow.id)
                                             .join(TargetRow, TargetRow.plan_id == PlanRow.id)):
            by_city.setdefault(adcode, []).append(str(tid))
    app.dispose()
    out = []
    for adcode in random.Random(3).sample(world.adcodes, n):
        c = bench_web.client_for(base, world, coordinator(adcode))
        c.vars = {**c.vars, "region": [adcode], "target": by_city[adcode]}
        out.append(c)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--replications", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn workers (default: one per core of 2)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        bench_settings, world = bench_web.build(Path(tmp) / "bench-SIMULATED.sqlite3")
        raised = extend(bench_settings, world)
        print(f"setup (not timed): {bench_web.REGIONS} cities × {bench_web.TARGETS} targets × {bench_web.YEARS} "
              f"years, {raised} 督办 items, {UNITS} counties for the index (all SIMULATED), "
              f"{time.perf_counter() - t:.1f} s")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = bench_web.start_server(bench_settings, port, args.workers)
        try:
            coordinators = coordinator_clients(bench_settings, base, world, args.clients)
            bench_web.load(base, server, PAGES, coordinators, 3, args.clients)  # warm-up
            bench_web.report("one coordinator at a time (service time):",
                             bench_web.load(base, server, PAGES, coordinators[:1], 8, 1), 50)
            bench_web.report(f"\n{args.clients} coordinators × {args.seconds:g} s, uvicorn workers={args.workers}:",
                             bench_web.load(base, server, PAGES, coordinators, args.seconds, args.clients), 50)

            progress = [bench_web.ENDPOINTS[0]]  # GET /api/v1/progress?region=&year=
            admin = [bench_web.client_for(base, world)]
            bench_web.report(f"\n{args.clients} clients, no index run:",
                             bench_web.load(base, server, progress, admin, min(args.seconds, 15), args.clients), 100)
            api = bench_web.bearer_client(base)
            t = time.perf_counter()
            r = api.post("/api/v1/index/runs", json={"framework": "default", "uncertainty": args.replications})
            r.raise_for_status()
            run_id = r.json()["id"]
            while api.get(f"/api/v1/index/runs/{run_id}").json()["status"] == "queued":
                time.sleep(0.1)
            # measured in 2-second pieces while the run is queued or running, so only requests made while
            # it was in progress count (the last piece may end up to 2 s after it)
            pieces = []
            status = api.get(f"/api/v1/index/runs/{run_id}").json()
            while status["status"] in ("queued", "running"):
                pieces.append(bench_web.load(base, server, progress, admin, 2, args.clients))
                status = api.get(f"/api/v1/index/runs/{run_id}").json()
            print(f"\nindex run #{run_id}: {args.replications} replications on {UNITS} units, "
                  f"{time.perf_counter() - t:.0f} s under load; {status['status']}")
            if pieces:
                during = pieces[0]
                for piece in pieces[1:]:
                    for name, values in piece.times.items():
                        during.times[name].extend(values)
                    during.errors += piece.errors
                    during.seconds += piece.seconds
                    during.server_cpu += piece.server_cpu
                    during.client_cpu += piece.client_cpu
                    during.load_after = piece.load_after
                bench_web.report(f"{args.clients} clients while the run is in progress "
                                 f"({len(pieces)} pieces of 2 s):", during, 100)
            while status["status"] in ("queued", "running"):
                time.sleep(1)
                status = api.get(f"/api/v1/index/runs/{run_id}").json()
            result = status["result"] or {}
            print(f"the run ended {status['status']} after {time.perf_counter() - t:.0f} s: "
                  f"{len(result.get('units', []))} units ranked, {len(result.get('weights', {}))} indicators; "
                  f"error {status['error']}")
        finally:
            server.terminate()
            server.wait(timeout=60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
