"""The numpy batch gives the same answers as the scalar reference, target by target."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from innocity.domain.progress import STATUSES, TargetSpec, assess
from innocity.domain.progress_batch import TargetArrays, assess_many


def _random_spec(rng: random.Random) -> TargetSpec:
    kind = rng.choice(["level", "level", "growth", "change"])
    comparator = rng.choice(["=", ">=", "<=", "range"]) if kind == "level" else rng.choice(["=", ">="])
    value = rng.choice([None, *[rng.uniform(-20, 200) for _ in range(8)]])
    if kind != "level" and value is not None:
        value = rng.uniform(-10, 30)
    has_base = rng.random() < 0.85
    return TargetSpec(
        kind=kind,  # type: ignore[arg-type]
        comparator=comparator,  # type: ignore[arg-type]
        value=value,
        year=rng.choice([None, 2015, 2018, 2020, 2020]),
        value_max=(value + rng.uniform(1, 20)) if comparator == "range" and value is not None else None,
        unit=rng.choice(["%", "百分点", "个"]),
        approximate=rng.random() < 0.2,
        baseline_year=rng.choice([2008, 2010, 2012]) if has_base else None,
        baseline_value=rng.uniform(1, 150) if has_base else None,
        catalog_direction=rng.choice([None, 1, -1]),
    )


def _close(a: float | None, b: float) -> bool:
    if a is None:
        return math.isnan(b)
    return not math.isnan(b) and math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-7)


@pytest.mark.parametrize("seed", range(4))
def test_batch_matches_scalar(seed: int) -> None:
    rng = random.Random(seed)
    years = list(range(2008, 2023))
    specs = [_random_spec(rng) for _ in range(400)]
    grid = np.full((len(specs), len(years)), np.nan)
    for i in range(len(specs)):
        for j in range(len(years)):
            if rng.random() < 0.5:
                grid[i, j] = rng.uniform(-5, 220)
    arrays = TargetArrays.from_specs(specs)
    for year in (2009, 2013, 2016, 2021):
        out = assess_many(arrays, years, grid, year=year)
        for i, s in enumerate(specs):
            pts = [(y, float(grid[i, j])) for j, y in enumerate(years) if not math.isnan(grid[i, j])]
            ref = assess(s, pts, year=year)
            assert STATUSES[out.status[i]] == ref.status, (s, pts, year)
            assert out.direction[i] == ref.direction
            assert _close(ref.ratio, out.ratio[i]), (s, ref, out.ratio[i])
            assert _close(ref.expected, out.expected[i]), (s, ref, out.expected[i])
            assert _close(ref.projected, out.projected[i]), (s, ref, out.projected[i])
