"""The web application under load: 100 regions × 60 targets × 15 years, 8 concurrent clients for 30 s.

Run: .venv/bin/python benchmarks/bench_web.py [--seconds 30] [--clients 8] [--workers 2] [--repeat 1]
Needs ``wrk`` (Debian package ``wrk``: ``apt-get install wrk``).

Builds a SQLite database in a temporary directory (not timed): 100 cities, one plan each whose text holds
60 target sentences (the review page highlights them), 15 years of SIMULATED figures per target (90,000
observations; the database is labelled SIMULATED, so every page says so), one admin account. Then starts
``uvicorn --factory innocity.web.app:create_app`` on 127.0.0.1 in its own process, with ``--workers 2`` by
default: one worker per core of the 2-core machine the figures are taken on, which is what ``innocity serve
--workers N`` should be given in production (a single worker leaves a core idle while 8 clients queue).

The clients are ``wrk`` (C, epoll, a few per cent of one core at these rates), so the figures measure the
server rather than a Python load generator competing with it for the same two cores. Each of the 8
connections cycles through ``ENDPOINTS`` with random parameters, all at once as in the issue (not one
endpoint after another); a small Lua script times every request (``clock_gettime`` around each request and
its response, one connection per wrk thread) and records which endpoint it was, so p50 and p95 are per
endpoint. Requests send ``Accept-Encoding: gzip`` as browsers do. Besides latency it prints the server's
CPU time per request (its process tree's CPU over the run divided by the requests answered): on a shared
machine latency moves with everyone else's load, CPU per request much less. Target: p95 ≤ 50 ms for each.

Then times uploading and parsing a new 30,000-character plan (target: under 1 s) and weighs the first load
of each page without charts (HTML and every script and stylesheet it loads; target ≤ 300 kB, no ECharts).

To add an endpoint, append ``Endpoint(name, template, auth)`` to ``ENDPOINTS``: the template's ``{region}``,
``{plan}``, ``{target}`` and ``{year}`` are replaced by random values of the client's (``Client.vars``);
``auth`` is "bearer" (API) or "session" (pages).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
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
    template: str  # {region} {plan} {target} {year} are filled with the client's random values
    auth: str = "bearer"  # bearer | session


YEAR_RANGE = [str(y) for y in range(2012, 2026)]
ENDPOINTS: list[Endpoint] = [
    Endpoint("GET /api/v1/progress?region=&year=", "/api/v1/progress?region={region}&year={year}"),
    Endpoint("GET /api/v1/plans/{id}", "/api/v1/plans/{plan}"),
    Endpoint("GET /plans/{id} (page)", "/plans/{plan}", auth="session"),
    Endpoint("GET /progress (page)", "/progress?region={region}&year={year}", auth="session"),
    Endpoint("GET /progress/{id} (page)", "/progress/{target}?year={year}", auth="session"),
    Endpoint("GET / (dashboard)", "/?region={region}&year={year}", auth="session"),
    Endpoint("GET /supervision (page)", "/supervision?region={region}", auth="session"),
]


@dataclass
class Client:
    """One connection's identity (headers per kind of authentication) and the values its paths draw from."""

    headers: dict[str, dict[str, str]]
    vars: dict[str, list[str]]


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
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
         "--http", "httptools", "--loop", "uvloop"],  # as `innocity serve` runs it
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


def session_client(base: str, username: str = "bench") -> httpx.Client:
    """A client signed in through the login form (session cookie and CSRF token)."""
    c = httpx.Client(base_url=base, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert token
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token.group(1),
                               "next": "/"})
    assert r.status_code in (200, 303), r.status_code
    return c


def bearer_client(base: str, username: str = "bench") -> httpx.Client:
    r = httpx.post(f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return httpx.Client(base_url=base, timeout=30,
                        headers={"Authorization": f"Bearer {r.json()['access_token']}"})


def client_for(base: str, world: World, username: str = "bench") -> Client:
    """A signed-in identity: a bearer token for the API and a session (with its CSRF cookie) for pages."""
    pages = session_client(base, username)
    cookie = "; ".join(f"{k}={v}" for k, v in pages.cookies.items())
    bearer = bearer_client(base, username).headers["Authorization"]
    gzip = {"Accept-Encoding": "gzip"}
    return Client(headers={"bearer": {"Authorization": bearer, **gzip}, "session": {"Cookie": cookie, **gzip}},
                  vars={"region": world.adcodes, "plan": [str(p) for p in world.plans],
                        "target": [str(t) for t in world.targets], "year": YEAR_RANGE})


def _lua(value: object) -> str:
    """A Lua literal of strings, lists and string-keyed dicts."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "{" + ",".join(_lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(f"[{_lua(k)}]={_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


LUA = """
local ffi = require("ffi")
ffi.cdef[[typedef struct { long s; long ns; } bench_ts; int clock_gettime(int, bench_ts *);]]
local ts = ffi.new("bench_ts")
local function now_us() ffi.C.clock_gettime(1, ts); return tonumber(ts.s) * 1e6 + tonumber(ts.ns) / 1e3 end
local ENDPOINTS, CLIENTS, OUT = %s, %s, %s
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  client = CLIENTS[(id %% #CLIENTS) + 1]; math.randomseed(1000 + id); i = id; samples = {}; failures = {}
end
function request()
  current = (i %% #ENDPOINTS) + 1; i = i + 1
  local e = ENDPOINTS[current]
  path = e[1]:gsub("{(%%w+)}", function(n) local l = client.vars[n]; return l[math.random(#l)] end)
  started = now_us()
  return wrk.format("GET", path, client.headers[e[2]])
end
function response(status, headers, body)
  local us = now_us() - started
  if status == 200 then samples[#samples + 1] = current * 1e9 + math.floor(us)
  else failures[#failures + 1] = path .. " " .. status end
end
function done(summary, latency, requests)
  local f = io.open(OUT, "w")
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("samples")) do f:write(string.format("%%.0f\\n", v)) end
    for _, v in ipairs(t:get("failures")) do f:write("! ", v, "\\n") end
  end
  f:close()
end
"""


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its children (uvicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


@dataclass
class Run:
    """One load run: seconds of latency per endpoint, failed requests, and what it cost."""

    times: dict[str, list[float]]
    errors: list[str]
    seconds: float
    server_cpu: float  # CPU seconds the server used during the run
    client_cpu: float  # CPU seconds wrk used
    load_before: float
    load_after: float

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.times.values())


def load(base: str, server: subprocess.Popen[bytes], endpoints: list[Endpoint], clients: list[Client],
         seconds: float, connections: int) -> Run:
    """``connections`` wrk connections (one per wrk thread) for ``seconds``, each cycling ``endpoints`` as
    ``clients[k % len(clients)]``."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("bench_web needs wrk, the C load generator: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "samples.txt"
        script = Path(tmp) / "bench.lua"
        script.write_text(LUA % (_lua([[e.template, e.auth] for e in endpoints]),
                                 _lua([{"headers": c.headers, "vars": c.vars} for c in clients]), _lua(str(out))))
        load_before, cpu_before = os.getloadavg()[0], _tree_cpu(server.pid)
        child_before = os.times()
        t = time.perf_counter()
        subprocess.run([wrk, f"-t{connections}", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s",
                        "-s", str(script), base], check=True, stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t
        child_after = os.times()
        server_cpu = _tree_cpu(server.pid) - cpu_before
        times: dict[str, list[float]] = {e.name: [] for e in endpoints}
        errors = []
        for line in out.read_text().splitlines():
            if line.startswith("!"):
                errors.append(line[2:])
            else:
                v = int(line)
                times[endpoints[v // 1_000_000_000 - 1].name].append(v % 1_000_000_000 / 1e6)
    client_cpu = (child_after.children_user + child_after.children_system
                  - child_before.children_user - child_before.children_system)
    return Run(times, errors, elapsed, server_cpu, client_cpu, load_before, os.getloadavg()[0])


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def report(title: str, run: Run, target_ms: float) -> float:
    """Print a run per endpoint; returns the worst p95 in ms."""
    print(f"{title}\n  load average (1 min) {run.load_before:.1f} before, {run.load_after:.1f} after, on "
          f"{os.cpu_count()} cores; {run.requests / run.seconds:.0f} requests/s; server CPU "
          f"{run.server_cpu / max(run.requests, 1) * 1000:.2f} ms per request; wrk CPU {run.client_cpu:.1f} s")
    print(f"  {'endpoint':40} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for name, values in run.times.items():
        if not values:
            print(f"  {name:40} no successful request")
            continue
        p50, p95 = pct(values, 50) * 1000, pct(values, 95) * 1000
        worst = max(worst, p95)
        print(f"  {name:40} {len(values):8d} {p50:8.1f} {p95:8.1f} {max(values) * 1000:8.1f}")
    if run.errors:
        print(f"  {len(run.errors)} failed requests, e.g. {run.errors[:3]}")
    print(f"  worst p95 {worst:.1f} ms (target ≤ {target_ms:g} ms): {'ok' if worst <= target_ms else 'OVER'}")
    return worst


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    ap.add_argument("--workers", type=int, default=2, help="uvicorn workers (default: one per core of 2)")
    ap.add_argument("--repeat", type=int, default=1, help="run the load this many times")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        settings, world = build(Path(tmp) / "bench-SIMULATED.sqlite3")
        print(f"setup (not timed): {REGIONS} regions × {TARGETS} targets × {YEARS} years (SIMULATED), "
              f"{time.perf_counter() - t:.1f} s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(settings, port, args.workers)
        try:
            clients = [client_for(base, world)]
            load(base, server, ENDPOINTS, clients, 3, args.clients)  # warm-up: templates, connections
            report("one client at a time (service time, no queueing):",
                   load(base, server, ENDPOINTS, clients, min(5.0, args.seconds), 1), 50)
            for k in range(args.repeat):
                report(f"\n{args.clients} clients × {args.seconds:g} s, uvicorn workers={args.workers}"
                       + (f" (run {k + 1} of {args.repeat})" if args.repeat > 1 else "") + ":",
                       load(base, server, ENDPOINTS, clients, args.seconds, args.clients), 50)
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
