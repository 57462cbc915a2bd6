"""A command's start-up, and one progress query through the command line, on the demo's databases.

Run: .venv/bin/python benchmarks/bench_cli.py
Builds the demo databases in a temporary directory (not timed), then times, best and median of 7 runs each:
``innocity version`` (start-up alone), ``innocity progress --region 湘潭市 --year 2014 --format json`` on the
SIMULATED database (start-up, opening the database, the catalogue and one region's progress), and, inside
one process, one region's progress query (the service alone, as a web request runs it).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).with_name("innocity")


def timed(argv: list[str], env: dict[str, str], n: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run([str(BIN), *argv], env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        subprocess.run([str(BIN), "demo", "--db", str(db), "--no-serve"], check=True, capture_output=True)
        sim = db.with_name("demo-SIMULATED.sqlite3")
        env = {**os.environ, "INNOCITY_DATABASE_URL": f"sqlite:///{sim}", "INNOCITY_DATA_DIR": tmp}
        best, med = timed(["version"], env)
        print(f"innocity version (start-up):                    best {best:.3f} s, median {med:.3f} s")
        best, med = timed(["progress", "--region", "湘潭市", "--year", "2014", "--format", "json"], env)
        print(f"innocity progress --region 湘潭市 (one query):    best {best:.3f} s, median {med:.3f} s")

        from innocity.app import AppContext
        from innocity.services import tracking
        from innocity.settings import Settings

        app = AppContext(Settings.from_env(env))
        t = time.perf_counter()
        with app.uow() as w:
            rows = tracking.progress(w, region="湘潭市", year=2014)
        first = time.perf_counter() - t
        times = []
        for _ in range(50):
            t = time.perf_counter()
            with app.uow() as w:
                tracking.progress(w, region="湘潭市", year=2014)
            times.append(time.perf_counter() - t)
        app.dispose()
        print(f"in one process, first query (opens the database, reads the catalogue): {first * 1000:.1f} ms")
        print(f"in one process, one region's progress ({len(rows)} targets): median "
              f"{statistics.median(times) * 1000:.1f} ms, best {min(times) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
