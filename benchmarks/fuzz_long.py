"""The fuzz suite's grammar at length: 100,000 generated data files (CSV, JSON, XLSX, damaged at random)
imported into a fresh SQLite database (or PostgreSQL with --url), each held to the property of
tests/hardening/fuzzing.py. Prints how the cases ended; any case that breaks the property is printed and
counted as a failure. All values SIMULATED.

    python benchmarks/fuzz_long.py                  # 100,000 cases
    python benchmarks/fuzz_long.py --cases 5000 --url postgresql+psycopg://…/innocity_fuzz
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from innocity.app import AppContext
from innocity.settings import Settings

HERE = Path(__file__).resolve().parent


def load_grammar():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "fuzzing", HERE.parent / "tests" / "hardening" / "fuzzing.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--url", default=None, help="a database URL (default: a new SQLite file)")
    args = ap.parse_args()
    fz = load_grammar()
    counts: Counter[str] = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        url = args.url or f"sqlite:///{tmp / 'fuzz.sqlite3'}"
        app = AppContext(Settings(database_url=url, data_dir=tmp, user="fuzz"))
        assert app.db is not None  # migrations and seeding are not cases

        @settings(
            max_examples=args.cases,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=fz.any_file())
        def run(case: tuple[str, bytes]) -> None:
            name, data = case
            try:
                fz.check_import(app, tmp, name, data, counts)
            except AssertionError as exc:
                counts["FAILED property"] += 1
                failures.append(f"{name} ({len(data)} bytes): {exc}")
            except Exception as exc:  # a traceback a user would see
                counts[f"FAILED traceback: {type(exc).__name__}"] += 1
                failures.append(f"{name}: {''.join(traceback.format_exception_only(exc)).strip()}")

        t = time.perf_counter()
        run()
        took = time.perf_counter() - t
        app.dispose()
    total = sum(counts.values())
    print(f"{total:,} cases in {took:.0f} s ({total / max(took, 1e-9):.0f} per second)")
    for what, n in counts.most_common():
        print(f"  {n:8,}  {what}")
    for f in failures[:20]:
        print("  ", f)
    print("failures:", len(failures))


if __name__ == "__main__":
    main()
