"""Time figure extraction from a 20,000-character bulletin (issue 13: < 0.2 s).

Usage: .venv/bin/python benchmarks/bench_extract.py
The bulletin is the real bulletins and work reports of tests/fixtures/corpus/bulletins (and
tests/parsing/bulletins/fixtures) joined, cut to 20,000 characters at a line end. Prints CPU seconds (best of 5) for
the extractor alone (``read_bulletin``) and for the whole service (``extract_bytes``: decode, extract,
match every phrase to the catalogue), the matcher built beforehand as a running process has it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from innocity.catalog import Matcher, load_catalog
from innocity.parsing.bulletin import read_bulletin
from innocity.services.extract import extract_bytes

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "tests" / "fixtures" / "corpus" / "bulletins", ROOT / "tests" / "parsing" / "bulletins" / "fixtures"]
SIZE = 20_000
BUDGET = 0.2


def best(fn: Callable[[], object], runs: int = 5) -> float:
    out = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def bulletin_text() -> str:
    parts = [p.read_text(encoding="utf-8") for d in SOURCES if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not parts:
        raise SystemExit("no bulletins found under tests/")
    text = "\n".join(parts)
    while len(text) < SIZE:
        text += "\n" + text
    return text[: text.rfind("\n", 0, SIZE) + 1]


def main() -> None:
    text = bulletin_text()
    data = text.encode("utf-8")
    matcher = Matcher(load_catalog())
    read_bulletin(text)  # warm the gazetteer and regex caches once, as a running process has them
    extract_bytes(data=data, name="bench.txt", matcher=matcher)
    t_read = best(lambda: read_bulletin(text))
    t_all = best(lambda: extract_bytes(data=data, name="bench.txt", matcher=Matcher(matcher.catalog)))
    n = len(read_bulletin(text).figures)
    print(f"bulletin: {len(text):,} characters, {n} figures")
    print(f"read_bulletin (extractor):            {t_read:.3f} s")
    print(f"extract_bytes (decode+extract+match): {t_all:.3f} s (fresh matcher cache)")
    print(f"budget {BUDGET} s: {'ok' if t_all < BUDGET else 'OVER'}")


if __name__ == "__main__":
    main()
