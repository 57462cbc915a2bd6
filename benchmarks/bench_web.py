"""The web application under load: 100 regions × 60 targets × 15 years, 8 concurrent clients for 30 s.

Run: .venv/bin/python benchmarks/bench_web.py [--seconds 30] [--clients 8] [--workers 1]

Builds a SQLite database in a temporary directory (not timed): 100 cities, one plan each whose text holds
60 target sentences (the review page highlights them), 15 years of SIMULATED figures per target (90,000
observations; the database is labelled SIMULATED, so every page says so), one admin account. Then starts
``uvicorn --factory innocity.web.app:create_app`` on 127.0.0.1 in its own process and runs the clients,
each cycling through ``ENDPOINTS`` with a random region; prints p50 and p95 per endpoint (target: p95 ≤
50 ms). Then times uploading and parsing a new 30,000-character plan (target: under 1 s) and weighs the
first load of each page without charts (HTML and every script and stylesheet it loads; target ≤ 300 kB,
and no ECharts).

To add an endpoint, append ``Endpoint(name, path_for, auth)`` to ``ENDPOINTS``: ``path_for`` gets the
``World`` (region adcodes, plan and target ids) and a ``random.Random``; ``auth`` is "bearer" (API) or
"session" (pages).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import insert, select

from innocity.app import AppContext
from innocity.domain.plan import Baseline, ParsedDocument, Plan, Region, SourceInfo, Target
from innocity.services import users
from innocity.services.ingest import ingest_bytes
from innocity.settings import Settings
from innocity.storage.tables import DATASET_LABEL, ObservationRow, PlanRow, TargetRow, set_meta
from innocity.storage.tables import Region as RegionRow

REGIONS, TARGETS, YEARS = 100, 60, 15
PASSWORD = "bench-password-1"
SIMULATED = "SIMULATED benchmark figure, not a real statistic"


@dataclass
class World:
    """What the seeded database holds, for building request paths."""

    adcodes: list[str] = field(default_factory=list)
    plans: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Endpoint:
    name: str
    path_for: Callable[[World, random.Random], str]
    auth: str = "bearer"  # bearer | session


ENDPOINTS: list[Endpoint] = [
    Endpoint("GET /api/v1/progress?region=&year=",
             lambda w, r: f"/api/v1/progress?region={r.choice(w.adcodes)}&year={r.randint(2012, 2025)}"),
    Endpoint("GET /api/v1/plans/{id}", lambda w, r: f"/api/v1/plans/{r.choice(w.plans)}"),
    Endpoint("GET /plans/{id} (page)", lambda w, r: f"/plans/{r.choice(w.plans)}", auth="session"),
    Endpoint("GET /progress (page)", lambda w, r: f"/progress?region={r.choice(w.adcodes)}&year={r.randint(2012, 2025)}", auth="session"),
    Endpoint("GET /progress/{id} (page)", lambda w, r: f"/progress/{r.choice(w.targets)}?year={r.randint(2012, 2025)}", auth="session"),
    Endpoint("GET / (dashboard)", lambda w, r: f"/?region={r.choice(w.adcodes)}&year={r.randint(2012, 2025)}", auth="session"),
    Endpoint("GET /supervision (page)", lambda w, r: f"/supervision?region={r.choice(w.adcodes)}", auth="session"),
]

# Pages weighed on first load (none draws a chart, so none may load ECharts).
WEIGHED = [("/login", False), ("/plans", True), ("/plans/{plan}", True), ("/plans/compare", True)]


def plan_text(name: str, targets: list[tuple[str, float, str]]) -> tuple[str, list[tuple[int, int]]]:
    """A plan's text with one sentence per target, and each target's span in it."""
    parts = [f"{name}创新型城市建设实施方案（SIMULATED 基准测试文本）\n一、发展目标\n"]
    spans = []
    pos = len(parts[0])
    for k, (indicator, value, unit) in enumerate(targets):
        lead = f"（{k + 1}）到2025年，"
        sentence = f"{indicator}达到{value:.1f}{unit}"
        tail = "，确保按期完成。\n"
        spans.append((pos + len(lead), pos + len(lead) + len(sentence)))
        parts.append(lead + sentence + tail)
        pos += len(lead) + len(sentence) + len(tail)
    parts.append("二、保障措施\n加强组织领导，完善考核机制。\n")
    return "".join(parts), spans


def build(db: Path) -> tuple[Settings, World]:
    settings = Settings(database_url=f"sqlite:///{db}", data_dir=db.parent, user="bench", secret_key="b" * 40)
    app = AppContext(settings)
    rng = random.Random(7)
    world = World()
    codes = [i.code for i in app.catalog.indicators][:TARGETS]
    with app.uow() as w:
        cities = list(w.session.execute(select(RegionRow.id, RegionRow.name, RegionRow.adcode)
                                        .where(RegionRow.level == "city").order_by(RegionRow.adcode).limit(REGIONS)))
        users.create_user(w, username="bench", password=PASSWORD, role="admin")
        set_meta(w.session, DATASET_LABEL, "SIMULATED")
    obs = []
    for rid, name, adcode in cities:
        specs = []
        for k in range(TARGETS):
            code = codes[k % len(codes)]
            ind = app.catalog.get(code)
            base = rng.uniform(10, 100)
            specs.append((ind.name_zh, base * rng.uniform(1.2, 3), ind.unit or "个", code, base))
            rate = rng.uniform(-0.02, 0.12)
            for j in range(1, YEARS + 1):
                obs.append({"region_id": rid, "indicator_code": code, "period": str(2010 + j),
                            "period_kind": "year", "period_year": 2010 + j, "period_index": 0,
                            "value": base * (1 + rate) ** j, "vintage": "final", "unit": ind.unit,
                            "known_on": date(2011 + j, 3, 1), "status": "approved", "entered_by": "bench",
                            "note": SIMULATED, "version": 1})
        text, spans = plan_text(name, [(s[0], s[1], s[2]) for s in specs])
        targets = [
            Target(text=text[a:b], span=(a, b), indicator=ind, kind="level", comparator=">=", value=value,
                   unit=unit, year=2025, year_text="2025", baseline=Baseline(year=2010, value=base),
                   indicator_code=code)
            for (ind, value, unit, code, base), (a, b) in zip(specs, spans, strict=True)
        ]
        plan = Plan(title=f"{name}创新型城市建设实施方案", span=(0, len(text)),
                    region=Region(name=name, province=None, confidence=1.0, adcode=adcode, level="city"),
                    targets=targets)
        data = text.encode("utf-8")
        doc = ParsedDocument(SourceInfo(f"{adcode}.txt", adcode, "text/plain", "utf-8", len(data)), [plan])
        with app.uow() as w:
            ingest_bytes(w, data=data, name=f"{adcode}.txt", doc=doc)
        world.adcodes.append(adcode)
    with app.uow() as w:
        # only the columns every version of the observations table has; the rest take their defaults
        cols = {c.name for c in ObservationRow.__table__.columns}
        w.session.execute(insert(ObservationRow), [{k: v for k, v in o.items() if k in cols} for o in obs])
        world.plans = list(w.session.scalars(select(PlanRow.id).order_by(PlanRow.id)))
        world.targets = list(w.session.scalars(select(TargetRow.id).order_by(TargetRow.id)))
    app.dispose()
    return settings, world


def start_server(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "INNOCITY_DATABASE_URL": settings.database_url, "INNOCITY_DATA_DIR": str(settings.data_dir),
           "INNOCITY_SECRET_KEY": settings.secret_key or "", "INNOCITY_MAX_UPLOAD_MB": "20"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "innocity.web.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def session_client(base: str) -> httpx.Client:
    """A client signed in through the login form (session cookie and CSRF token)."""
    c = httpx.Client(base_url=base, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert token
    r = c.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token.group(1), "next": "/"})
    assert r.status_code in (200, 303), r.status_code
    return c


def bearer_client(base: str) -> httpx.Client:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": "bench", "password": PASSWORD})
    r.raise_for_status()
    return httpx.Client(base_url=base, timeout=30,
                        headers={"Authorization": f"Bearer {r.json()['access_token']}"})


def load(base: str, world: World, seconds: float, clients: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {e.name: [] for e in ENDPOINTS}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def run(seed: int) -> None:
        rng = random.Random(seed)
        api, pages = bearer_client(base), session_client(base)
        local: dict[str, list[float]] = {e.name: [] for e in ENDPOINTS}
        i = seed
        while time.monotonic() < deadline:
            e = ENDPOINTS[i % len(ENDPOINTS)]
            i += 1
            path = e.path_for(world, rng)
            t = time.perf_counter()
            r = (api if e.auth == "bearer" else pages).get(path)
            elapsed = time.perf_counter() - t
            if r.status_code != 200:
                with lock:
                    errors.append(f"{path}: {r.status_code}")
                continue
            local[e.name].append(elapsed)
        with lock:
            for k, v in local.items():
                times[k].extend(v)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"  {len(errors)} failed requests, e.g. {errors[:3]}")
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def upload_times(base: str, runs: int = 5) -> list[tuple[int, float, int]]:
    """(characters, seconds, targets) of uploading new 30,000-character plans through the API."""
    api = bearer_client(base)
    sample = (Path(__file__).resolve().parents[1] / "src" / "innocity" / "data" / "samples" /
              "innovative-city-plans-4.txt").read_text(encoding="utf-8")
    start = sample.index("篇一")
    out = []
    for k in range(runs):
        text = sample[start:start + 30_000] + f"\n（基准测试第 {k} 份，{time.time_ns()}）\n"
        t = time.perf_counter()
        r = api.post("/api/v1/plans", files={"file": (f"plan-{k}.txt", text.encode("utf-8"), "text/plain")})
        elapsed = time.perf_counter() - t
        r.raise_for_status()
        out.append((len(text), elapsed, sum(p["targets"] for p in r.json()["plans"])))
    return out


def page_weight(base: str, world: World) -> list[tuple[str, int, int, bool]]:
    """(page, bytes, bytes over the wire with gzip, loads ECharts) of each page's first load: the HTML and
    every script and stylesheet it names (an empty cache)."""
    signed = session_client(base)
    anon = httpx.Client(base_url=base, timeout=30)

    def fetch(c: httpx.Client, path: str) -> tuple[bytes, int, int]:
        raw = c.get(path, headers={"accept-encoding": "identity"})
        zipped = c.get(path, headers={"accept-encoding": "gzip"})
        return raw.content, len(raw.content), zipped.num_bytes_downloaded

    out = []
    for path, needs_login in WEIGHED:
        path = path.replace("{plan}", str(world.plans[0]))
        c = signed if needs_login else anon
        html, raw_total, wire_total = fetch(c, path)
        assets = re.findall(rb'<(?:script|link)\b[^>]*(?:src|href)="(/static/[^"]+)"', html)
        for a in assets:
            _, raw, wire = fetch(c, a.decode())
            raw_total += raw
            wire_total += wire
        out.append((path, raw_total, wire_total, any(b"echarts" in a for a in assets)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        settings, world = build(Path(tmp) / "bench-SIMULATED.sqlite3")
        print(f"setup (not timed): {REGIONS} regions × {TARGETS} targets × {YEARS} years (SIMULATED), "
              f"{time.perf_counter() - t:.1f} s")
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = start_server(settings, port, args.workers)
        try:
            load(base, world, 3, args.clients)  # warm-up: caches, connections
            print(f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            alone = load(base, world, min(5.0, args.seconds), 1)
            print("one client at a time (service time, no queueing):")
            for name, values in alone.items():
                if values:
                    print(f"  {name:40} p50 {pct(values, 50) * 1000:6.1f} ms  p95 {pct(values, 95) * 1000:6.1f} ms")
            times = load(base, world, args.seconds, args.clients)
            print(f"\n{args.clients} clients × {args.seconds:g} s, uvicorn workers={args.workers}:")
            print(f"  {'endpoint':40} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            worst = 0.0
            for name, values in times.items():
                if not values:
                    print(f"  {name:40} no successful request")
                    continue
                p50, p95 = pct(values, 50) * 1000, pct(values, 95) * 1000
                worst = max(worst, p95)
                print(f"  {name:40} {len(values):8d} {p50:8.1f} {p95:8.1f} {max(values) * 1000:8.1f}")
            print(f"  worst p95 {worst:.1f} ms (target ≤ 50 ms): {'ok' if worst <= 50 else 'OVER'}")
            print("\nupload and parse a new 30,000-character plan (POST /api/v1/plans):")
            ups = upload_times(base)
            for chars, secs, n in ups:
                print(f"  {chars} characters, {n} targets: {secs * 1000:.0f} ms")
            slowest = max(s for _, s, _ in ups)
            print(f"  slowest {slowest * 1000:.0f} ms (target < 1 s): {'ok' if slowest < 1 else 'OVER'}")
            print("\nfirst-load weight (HTML + scripts + stylesheets; no charts):")
            for path, raw, wire, echarts in page_weight(base, world):
                flag = "ok" if raw <= 300_000 and not echarts else "OVER"
                print(f"  {path:24} {raw / 1000:7.1f} kB ({wire / 1000:6.1f} kB gzipped) "
                      f"ECharts: {'yes' if echarts else 'no'}  {flag}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
