#!/usr/bin/env python3
"""Set up and run innocity with nothing but python3: ``python3 tasks.py demo`` / ``python3 tasks.py test``.

It creates ``.venv`` beside this file (once), installs the project into it with its development
dependencies (again only when pyproject.toml changed), then runs the job.
Standard library only, so it works on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".innocity-installed"


def sh(*cmd: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def setup() -> None:
    """Create the virtual environment and install the project (editable) with its dev extras."""
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    want = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(want)


def demo(args: list[str]) -> int:
    """The main job: the whole loop on the bundled sample data, in an embedded SQLite database."""
    return sh(BIN / "innocity", "demo", *args, check=False)


def test(args: list[str]) -> int:
    """Lint, type-check, check the layer contract, then run the test suite in parallel (pytest-xdist, one
    worker per core; pass -n 0 to run in one process)."""
    parallel = [] if any(a == "-n" or a.startswith("-n") and a[2:].isdigit() for a in args) else ["-n", "auto"]
    steps = [
        [BIN / "ruff", "check", "src", "tests", "benchmarks", "scripts"],
        [BIN / "mypy"],
        [BIN / "lint-imports"],
        [PY, "-m", "pytest", *parallel, *args],
    ]
    for step in steps:
        rc = sh(*step, check=False)
        if rc != 0:
            print(f"tasks.py: step failed with status {rc}: {' '.join(map(str, step))}", file=sys.stderr)
            return rc
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"setup", "demo", "test"}:
        print("usage: python3 tasks.py setup|demo|test [args…]", file=sys.stderr)
        return 2
    setup()
    job, args = sys.argv[1], sys.argv[2:]
    if job == "setup":
        return 0
    return demo(args) if job == "demo" else test(args)


if __name__ == "__main__":
    sys.exit(main())
