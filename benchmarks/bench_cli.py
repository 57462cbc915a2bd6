"""A command's start-up, and one progress query through the command line, on the demo's databases — for
this checkout and, with ``--baseline REV``, for an earlier revision measured in the same run.

Run: .venv/bin/python benchmarks/bench_cli.py [--baseline 9dcc877]
For each code base it builds the demo databases in a temporary directory (not timed), then times, best and
median of 9 runs each, wall clock and CPU (user + system of the child, less disturbed by a busy machine):
``innocity version`` (start-up alone) and ``innocity progress --region 湘潭市 --year 2014 --format json`` on
the SIMULATED database (start-up, opening the database, the catalogue and one region's progress). For this
checkout it also times one region's progress query inside one process (the service alone, as a web request
runs it). The baseline is checked out with ``git worktree`` and run with this virtual environment.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(src: Path, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``innocity ARGV`` run from the source tree ``src``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", *argv],
                   env={**env, "PYTHONPATH": str(src)}, check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, src: Path, tmp: Path, n: int = 9) -> None:
    db = tmp / "demo.sqlite3"
    env = {**os.environ, "INNOCITY_DATA_DIR": str(tmp)}
    demo = ["demo", "--db", str(db)]
    help_text = subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", "demo", "--help"],
                               env={**env, "PYTHONPATH": str(src)}, capture_output=True, text=True).stdout
    if "--no-serve" in help_text:
        demo.append("--no-serve")
    subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", *demo],
                   env={**env, "PYTHONPATH": str(src)}, check=True, capture_output=True)
    env["INNOCITY_DATABASE_URL"] = f"sqlite:///{db.with_name('demo-SIMULATED.sqlite3')}"
    for name, argv in (("version (start-up)", ["version"]),
                       ("progress --region 湘潭市", ["progress", "--region", "湘潭市", "--year", "2014",
                                                    "--format", "json"])):
        runs = [run_cli(src, argv, env) for _ in range(n)]
        walls, cpus = [r[0] for r in runs], [r[1] for r in runs]
        print(f"{label:9} innocity {name:25} wall best {min(walls):.3f} s median {statistics.median(walls):.3f} s"
              f" · CPU best {min(cpus):.3f} s median {statistics.median(cpus):.3f} s")


def in_process(tmp: Path) -> None:
    from innocity.app import AppContext
    from innocity.services import tracking
    from innocity.settings import Settings

    env = {"INNOCITY_DATA_DIR": str(tmp),
           "INNOCITY_DATABASE_URL": f"sqlite:///{tmp / 'demo-SIMULATED.sqlite3'}"}
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
    print(f"current   in one process: first query (opens the database, reads the catalogue) {first * 1000:.1f} ms;"
          f" then one region's progress ({len(rows)} targets) median {statistics.median(times) * 1000:.1f} ms,"
          f" best {min(times) * 1000:.1f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", help="a git revision to measure in the same run (e.g. 9dcc877)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        if args.baseline:
            wt = base / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline],
                           check=True, capture_output=True)
            try:
                (base / "b").mkdir()
                measure(args.baseline[:9], wt / "src", base / "b")
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)],
                               check=False, capture_output=True)
        (base / "c").mkdir()
        measure("current", ROOT / "src", base / "c")
        in_process(base / "c")
    return 0


if __name__ == "__main__":
    sys.exit(main())
