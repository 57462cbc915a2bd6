"""The loop's pages for a city's coordinator, and the API while an index run is in progress.

Run: .venv/bin/python benchmarks/bench_web_loop.py [--seconds 30] [--clients 8] [--replications 1000]

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
import os
import random
import re
import socket
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).parent))

import bench_web
from bench_web import Endpoint, World, pct

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


def coordinator_clients(base: str, world: World, n: int) -> list[httpx.Client]:
    out = []
    for adcode in random.Random(3).sample(world.adcodes, n):
        c = httpx.Client(base_url=base, timeout=30)
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token
        r = c.post("/login", data={"username": coordinator(adcode), "password": bench_web.PASSWORD,
                                   "csrf_token": token.group(1)})
        assert r.status_code in (200, 303)
        c.headers["x-bench-region"] = adcode
        out.append(c)
    return out


def run_pages(settings: Settings, base: str, seconds: float, clients: int, world: World) -> dict[str, list[float]]:
    """The four pages as coordinators (each client one city's coordinator), ``clients`` at once."""
    names = ["GET /progress (page)", "GET /progress/{id} (page)", "GET / (dashboard)", "GET /supervision (page)"]
    times: dict[str, list[float]] = {n: [] for n in names}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    pool = coordinator_clients(base, world, clients)
    by_city = {}
    with AppContext(settings).uow() as w:  # the targets of each city, to open one of its own
        for adcode, tid in w.session.execute(select(RegionRow.adcode, TargetRow.id)
                                             .join(PlanRow, PlanRow.region_id == RegionRow.id)
                                             .join(TargetRow, TargetRow.plan_id == PlanRow.id)):
            by_city.setdefault(adcode, []).append(tid)

    def go(k: int, c: httpx.Client) -> None:
        rng = random.Random(k)
        city = c.headers["x-bench-region"]
        local: dict[str, list[float]] = {n: [] for n in names}
        i = k
        while time.monotonic() < deadline:
            name = names[i % len(names)]
            i += 1
            year = rng.randint(2012, 2025)
            path = {names[0]: f"/progress?year={year}", names[1]: f"/progress/{rng.choice(by_city[city])}?year={year}",
                    names[2]: f"/?year={year}", names[3]: "/supervision"}[name]
            t = time.perf_counter()
            r = c.get(path)
            elapsed = time.perf_counter() - t
            if r.status_code == 200:
                local[name].append(elapsed)
            else:
                print(f"  {path}: {r.status_code}")
        with lock:
            for n, v in local.items():
                times[n].extend(v)

    threads = [threading.Thread(target=go, args=(k, c)) for k, c in enumerate(pool)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def report(title: str, times: dict[str, list[float]], target_ms: float) -> None:
    print(title)
    print(f"  {'endpoint':36} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in times.items():
        if values:
            p95 = pct(values, 95) * 1000
            print(f"  {name:36} {len(values):8d} {pct(values, 50) * 1000:8.1f} {p95:8.1f}  "
                  f"{'ok' if p95 <= target_ms else 'OVER'} (target ≤ {target_ms:g} ms)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--replications", type=int, default=1000)
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
        server = bench_web.start_server(bench_settings, port, 1)
        try:
            run_pages(bench_settings, base, 3, args.clients, world)  # warm-up
            print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            report("one coordinator at a time (service time):", run_pages(bench_settings, base, 8, 1, world), 50)
            report(f"\n{args.clients} coordinators × {args.seconds:g} s:",
                   run_pages(bench_settings, base, args.seconds, args.clients, world), 50)

            progress = Endpoint("GET /api/v1/progress?region=&year=", bench_web.ENDPOINTS[0].path_for)
            bench_web.ENDPOINTS[:] = [progress]
            quiet = bench_web.load(base, world, min(args.seconds, 15), args.clients)
            report(f"\n{args.clients} clients, no index run:", quiet, 100)
            api = bench_web.bearer_client(base)
            t = time.perf_counter()
            r = api.post("/api/v1/index/runs", json={"framework": "default", "uncertainty": args.replications})
            r.raise_for_status()
            run_id = r.json()["id"]
            while api.get(f"/api/v1/index/runs/{run_id}").json()["status"] == "queued":
                time.sleep(0.1)
            during = bench_web.load(base, world, args.seconds, args.clients)
            status = api.get(f"/api/v1/index/runs/{run_id}").json()
            print(f"\nindex run #{run_id}: {args.replications} replications; after {time.perf_counter() - t:.0f} s "
                  f"of load it is {status['status']} ({status['progress']} %)")
            report(f"{args.clients} clients while the run is in progress:", during, 100)
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
