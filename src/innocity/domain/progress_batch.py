"""The same progress arithmetic as ``innocity.domain.progress``, for many targets at once with numpy.

A city plan has tens of targets, a province's monitoring hundreds of regions: ``assess_many`` computes the
status of every target in one pass of array operations instead of a Python loop per target. The rules are
exactly those of ``progress.assess`` (a test checks both agree on random targets); read that module's
docstring for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from innocity.domain.progress import (
    APPROX_TOLERANCE,
    POINT_UNITS,
    STATUSES,
    DefaultThresholds,
    Status,
    TargetSpec,
    Thresholds,
)

F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TargetArrays:
    """Column arrays of n target specs (NaN where a value is missing)."""

    kind: npt.NDArray[np.int8]  # 0 level, 1 growth, 2 change
    comparator: npt.NDArray[np.int8]  # 0 '=', 1 '>=', 2 '<=', 3 range
    value: F
    value_max: F
    year: F
    points_unit: B  # change measured in 百分点
    approximate: B
    baseline_year: F
    baseline_value: F
    catalog_direction: npt.NDArray[np.int8]  # 0 when unknown

    @classmethod
    def from_specs(cls, specs: Sequence[TargetSpec]) -> TargetArrays:
        def f(xs: list[float | int | None]) -> F:
            return np.array([np.nan if x is None else float(x) for x in xs], dtype=np.float64)

        kinds = {"level": 0, "growth": 1, "change": 2}
        comps = {"=": 0, ">=": 1, "<=": 2, "range": 3}
        return cls(
            kind=np.array([kinds[s.kind] for s in specs], dtype=np.int8),
            comparator=np.array([comps[s.comparator] for s in specs], dtype=np.int8),
            value=f([s.value for s in specs]),
            value_max=f([s.value_max for s in specs]),
            year=f([s.year for s in specs]),
            points_unit=np.array([s.unit in POINT_UNITS for s in specs], dtype=np.bool_),
            approximate=np.array([s.approximate for s in specs], dtype=np.bool_),
            baseline_year=f([s.baseline_year for s in specs]),
            baseline_value=f([s.baseline_value for s in specs]),
            catalog_direction=np.array([s.catalog_direction or 0 for s in specs], dtype=np.int8),
        )


@dataclass(frozen=True, slots=True)
class ProgressArrays:
    """Results for n targets; ``status`` indexes ``STATUSES``; NaN where a figure does not apply."""

    status: npt.NDArray[np.int8]
    direction: npt.NDArray[np.int8]
    goal: F
    expected: F
    actual_year: F
    actual: F
    ratio: F
    projected: F

    def statuses(self) -> list[Status]:
        return [STATUSES[i] for i in self.status]


def assess_many(
    t: TargetArrays,
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    *,
    year: int,
    thresholds: Thresholds = DefaultThresholds(),
    tolerance: float = APPROX_TOLERANCE,
) -> ProgressArrays:
    """Assess n targets in evaluation year ``year``; ``values`` is (n, len(years)) with NaN for no figure."""
    yrs = np.asarray(years, dtype=np.float64)
    obs = np.array(values, dtype=np.float64, copy=True)
    obs[:, yrs > year] = np.nan
    v, b, t0, t1 = t.value, t.baseline_value, t.baseline_year, t.year
    level, growth, change = t.kind == 0, t.kind == 1, t.kind == 2
    has_base = ~np.isnan(b) & ~np.isnan(t0)

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        d = np.ones(len(v), dtype=np.int8)
        cat = level & ((t.comparator == 0) | (t.comparator == 3)) & (t.catalog_direction != 0)
        d[cat] = t.catalog_direction[cat]
        eq_level = level & (t.comparator == 0) & ~np.isnan(b)
        d[eq_level & (v > b)] = 1
        d[eq_level & (v < b)] = -1
        d[(growth | change) & (v < 0)] = -1
        d[t.comparator == 2] = -1

        goal = np.where(level & (t.comparator == 3) & (d < 0) & ~np.isnan(t.value_max), t.value_max, v)
        goal = np.where(change, np.where(t.points_unit, b + v, b * (1 + v / 100)), goal)
        goal = np.where(growth, b * (1 + v / 100) ** (t1 - t0), goal)

        seen = ~np.isnan(obs)
        any_obs = seen.any(axis=1)
        last = obs.shape[1] - 1 - np.argmax(seen[:, ::-1], axis=1)
        rows = np.arange(len(v))
        actual = np.where(any_obs, obs[rows, last], np.nan)
        actual_year = np.where(any_obs, yrs[last], np.nan)

        slack = np.where(t.approximate, tolerance * np.abs(goal), 0.0)
        met = d * (actual - goal) >= -slack - 1e-9 * np.maximum(1.0, np.abs(goal))

        # least squares since the baseline (baseline point included), in logs for growth targets
        after = seen & (yrs[None, :] > t0[:, None])
        logy = growth[:, None]
        ys = np.where(logy, np.log(np.where(obs > 0, obs, np.nan)), obs)
        w = after & ~np.isnan(ys)
        yb = np.where(growth, np.log(np.where(b > 0, b, np.nan)), b)
        w0 = ~np.isnan(yb)
        xs = np.where(w, yrs[None, :], 0.0)
        ysz = np.where(w, ys, 0.0)
        n = w.sum(axis=1) + w0
        sx = xs.sum(axis=1) + np.where(w0, t0, 0.0)
        sy = ysz.sum(axis=1) + np.where(w0, yb, 0.0)
        mx, my = sx / n, sy / n
        dx = np.where(w, yrs[None, :] - mx[:, None], 0.0)
        dx0 = np.where(w0, t0 - mx, 0.0)
        sxx = (dx * dx).sum(axis=1) + dx0 * dx0
        sxy = (dx * np.where(w, ysz - my[:, None], 0.0)).sum(axis=1) + dx0 * np.where(w0, yb - my, 0.0)
        fitted = my + sxy / sxx * (t1 - mx)
        projected = np.where(n >= 2, np.where(growth, np.exp(fitted), fitted), np.nan)
        projected = np.where(has_base, projected, np.nan)

        span = t1 - t0
        frac = np.clip((actual_year - t0) / span, 0.0, 1.0)
        linear = b + (goal - b) * frac
        compound = b * (1 + v / 100) ** np.clip(actual_year - t0, 0.0, span)
        expected = np.where(growth, compound, linear)
        wrong_way = d * (actual - b) < 0
        ratio = np.where(expected != b, (actual - b) / (expected - b), np.nan)

    needs_a = np.isnan(v) | np.isnan(t1) | (~level & ~has_base) | (~np.isnan(t0) & (t0 >= t1))
    no_base = ~has_base
    before = any_obs & ~(actual_year > t0)
    conds = [
        needs_a,
        ~any_obs,
        met,
        no_base & (year > t1),
        no_base,
        year > t1,
        before,
        wrong_way,
        np.isnan(ratio) | (ratio >= thresholds.on_track),
        ratio >= thresholds.behind,
    ]
    idx = {s: i for i, s in enumerate(STATUSES)}
    choices = [
        idx["needs_input"], idx["no_data"], idx["achieved"], idx["overdue"], idx["needs_input"],
        idx["overdue"], idx["no_data"], idx["off_track"], idx["on_track"], idx["behind"],
    ]
    status = np.select(conds, choices, default=idx["off_track"]).astype(np.int8)
    shown = ~needs_a & has_base & any_obs & ~met & ~(year > t1) & ~before
    return ProgressArrays(
        status=status,
        direction=d,
        goal=np.where(needs_a, np.nan, goal),
        expected=np.where(shown, expected, np.nan),
        actual_year=actual_year,
        actual=actual,
        ratio=np.where(shown & ~wrong_way, ratio, np.nan),
        projected=np.where(needs_a | ~any_obs | met, np.nan, projected),
    )
