"""Progress of one target: the goal, where it should be now, where it is, where it is heading, its status.

Pure computations on plain values (stdlib only): the one implementation of the status rules.
The conventions, in one place:

* **Baseline** ``(b, t0)``: the value and year progress is measured from. Needed for growth and change
  targets (their goal is relative) and for the progress ratio of every target.
* **Goal** ``G`` at the deadline ``T``:
  level/share ``G = value`` (a range ``value..value_max`` is met at ``value`` when higher is better and at
  ``value_max`` when lower is better; the other bound is reported as ``stretch``);
  growth (年均增长 g%, a decrease negative) ``G = b·(1+g/100)^(T−t0)``;
  change in % (比基期提高30%) ``G = b·(1+v/100)``; change in 百分点 (提高1.5个百分点) ``G = b + v``.
* **Direction** (+1 higher is better, −1 lower is better): ``<=`` (控制在…以下) → −1; a negative growth or
  change (下降) → −1; an ``=`` level target below its baseline → −1 (the plan asks for a fall, e.g.
  能耗 达到2.0吨标煤/万元 from 2.5); otherwise the catalogue's direction, else +1.
* **Expected value** at year t between t0 and T: straight line from b to G for level, share and change
  targets; the compound path ``b·(1+g)^(t−t0)`` for growth targets. Before t0 it is b, after T it is G.
* **Met**: ``direction·(actual − G) ≥ 0``. 左右 (``approximate``) widens this by ``APPROX_TOLERANCE``
  (±5 % of G): 300名左右 is met from 285.
* **Ratio** ``r = (actual − b) / (expected − b)`` with expected taken at the actual figure's year, so a 2017
  figure is compared with the 2017 point of the path.
* **Projection** to T: least squares on the observations since the baseline (the baseline included), in
  logs for growth targets (a constant-rate trend), straight for the others.
* **Status** (first rule that applies): ``needs_input`` (no value or deadline year — 201* unresolved — or a
  relative goal without a baseline, or a baseline not before the deadline); ``no_data`` (no figure at all);
  ``achieved`` (latest figure meets the goal); ``overdue`` (the evaluation year is past the deadline);
  ``needs_input`` (no baseline to measure from); ``no_data`` (no figure after the baseline year);
  ``off_track`` (moving the wrong way, or r < behind); ``on_track`` (r ≥ on_track); ``behind`` otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple, Protocol

from innocity.domain.plan import Comparator, Kind, Target

Status = Literal["achieved", "on_track", "behind", "off_track", "no_data", "needs_input", "overdue"]
STATUSES: tuple[Status, ...] = (
    "achieved",
    "on_track",
    "behind",
    "off_track",
    "overdue",
    "no_data",
    "needs_input",
)

# What every view calls each status (pages, charts, Word and Excel reports): one list, so that a report and
# the page it was generated from never disagree.
STATUS_ZH: dict[str, str] = {
    "achieved": "已达标",
    "on_track": "进度正常",
    "behind": "略有滞后",
    "off_track": "严重滞后",
    "overdue": "逾期未完成",
    "no_data": "数据缺失",
    "needs_input": "信息待补充",
}

APPROX_TOLERANCE = 0.05  # 左右: ±5 % of the goal counts as meeting it
POINT_UNITS = frozenset({"百分点", "个百分点", "pp"})


class Thresholds(Protocol):
    """Anything with the two ratio thresholds (``innocity.settings.StatusThresholds`` fits)."""

    @property
    def on_track(self) -> float: ...

    @property
    def behind(self) -> float: ...


@dataclass(frozen=True, slots=True)
class DefaultThresholds:
    on_track: float = 0.95
    behind: float = 0.6


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What progress needs to know about a target, with what a person resolved already folded in."""

    kind: Kind
    comparator: Comparator
    value: float | None
    year: int | None
    value_max: float | None = None
    unit: str | None = None
    approximate: bool = False
    baseline_year: int | None = None
    baseline_value: float | None = None
    catalog_direction: int | None = None

    @classmethod
    def from_target(
        cls,
        t: Target,
        *,
        year: int | None = None,
        baseline_year: int | None = None,
        baseline_value: float | None = None,
        catalog_direction: int | None = None,
    ) -> TargetSpec:
        """Build from a parsed target; keyword values (a user's resolution) win over the plan's."""
        b = t.baseline
        return cls(
            kind=t.kind,
            comparator=t.comparator,
            value=t.value,
            year=year if year is not None else t.year,
            value_max=t.value_max,
            unit=t.unit,
            approximate=t.approximate,
            baseline_year=baseline_year if baseline_year is not None else (b.year if b else None),
            baseline_value=baseline_value if baseline_value is not None else (b.value if b else None),
            catalog_direction=catalog_direction,
        )

    @property
    def has_baseline(self) -> bool:
        return self.baseline_year is not None and self.baseline_value is not None


@dataclass(frozen=True, slots=True)
class Progress:
    """The assessment of one target at one evaluation year."""

    status: Status
    direction: int
    goal: float | None = None  # the value to reach at the deadline
    stretch: float | None = None  # the other end of a range
    expected: float | None = None  # where the path says the actual figure's year should be
    actual_year: int | None = None
    actual: float | None = None
    ratio: float | None = None
    projected: float | None = None  # trend value at the deadline
    projected_met: bool | None = None
    reason: str | None = None  # why needs_input / no_data / off_track


def direction(spec: TargetSpec) -> int:
    """+1 when higher is better for this target, −1 when lower is better (see the module docstring)."""
    if spec.comparator == "<=":
        return -1
    if spec.kind in ("growth", "change") and spec.value is not None and spec.value < 0:
        return -1
    if (
        spec.kind == "level"
        and spec.comparator == "="
        and spec.value is not None
        and spec.baseline_value is not None
    ):
        if spec.value < spec.baseline_value:
            return -1
        if spec.value > spec.baseline_value:
            return 1
    if spec.catalog_direction in (1, -1) and spec.kind == "level" and spec.comparator in ("=", "range"):
        return spec.catalog_direction
    return 1


def goal_value(spec: TargetSpec) -> float | None:
    """The value the target asks for at its deadline, or None when it cannot be known yet."""
    if spec.value is None:
        return None
    if spec.kind == "level":
        if spec.comparator == "range" and spec.value_max is not None and direction(spec) < 0:
            return spec.value_max
        return spec.value
    b = spec.baseline_value
    if b is None:
        return None
    if spec.kind == "change":
        if spec.unit in POINT_UNITS:
            return b + spec.value
        return b * (1 + spec.value / 100)
    # growth: an annual rate compounded from the baseline year to the deadline
    if spec.year is None or spec.baseline_year is None:
        return None
    return b * (1 + spec.value / 100) ** (spec.year - spec.baseline_year)


def stretch_value(spec: TargetSpec) -> float | None:
    """For a range, the bound that is not the goal (it informs, it does not decide)."""
    if spec.kind != "level" or spec.comparator != "range" or spec.value_max is None:
        return None
    return spec.value if direction(spec) < 0 else spec.value_max


def expected_at(spec: TargetSpec, year: float) -> float | None:
    """Where the target's path says the indicator should be in ``year``."""
    b, t0, t1 = spec.baseline_value, spec.baseline_year, spec.year
    g = goal_value(spec)
    if b is None or t0 is None or t1 is None or g is None or t1 <= t0:
        return None
    if year <= t0:
        return b
    if year >= t1:
        return g
    if spec.kind == "growth" and spec.value is not None:
        return b * (1 + spec.value / 100) ** (year - t0)
    return b + (g - b) * (year - t0) / (t1 - t0)


def is_met(spec: TargetSpec, actual: float, *, tolerance: float = APPROX_TOLERANCE) -> bool:
    """Whether ``actual`` meets the goal (左右 targets within ``tolerance`` of it)."""
    g = goal_value(spec)
    if g is None:
        return False
    d = direction(spec)
    slack = tolerance * abs(g) if spec.approximate else 0.0
    # a tiny epsilon so 1.5 stored as 1.4999999 still meets 1.5
    return d * (actual - g) >= -slack - 1e-9 * max(1.0, abs(g))


def fit_trend(points: Sequence[tuple[float, float]], at: float, *, compound: bool) -> float | None:
    """Least-squares value at ``at`` through ``points`` (in logs when ``compound``); None under two years."""
    xs: list[float] = []
    ys: list[float] = []
    for x, y in points:
        if compound:
            if y <= 0:
                continue
            y = math.log(y)
        xs.append(x)
        ys.append(y)
    n = len(xs)
    if n < 2 or min(xs) == max(xs):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sxy = 0.0
    for x, y in zip(xs, ys, strict=True):
        sxx += (x - mx) * (x - mx)
        sxy += (x - mx) * (y - my)
    fitted = my + sxy / sxx * (at - mx)
    return math.exp(fitted) if compound else fitted


def assess(
    spec: TargetSpec,
    points: Iterable[tuple[int, float]],
    *,
    year: int,
    thresholds: Thresholds = DefaultThresholds(),
    tolerance: float = APPROX_TOLERANCE,
) -> Progress:
    """Assess a target in evaluation year ``year`` from ``points`` ((year, value), one per year).

    Figures dated after ``year`` are ignored, so the assessment of a past year is reproducible.
    """
    d = direction(spec)
    series = sorted((int(y), float(v)) for y, v in points if y <= year)
    if spec.value is None:
        return Progress("needs_input", d, reason="the plan leaves the value blank")
    if spec.year is None:
        return Progress("needs_input", d, reason="no deadline year (masked or absent): set it")
    if spec.kind != "level" and not spec.has_baseline:
        return Progress("needs_input", d, reason="a relative target needs a baseline year and value")
    if spec.baseline_year is not None and spec.baseline_year >= spec.year:
        return Progress("needs_input", d, reason="the baseline year is not before the deadline")
    g = goal_value(spec)
    stretch = stretch_value(spec)

    def out(
        status: Status,
        reason: str | None = None,
        *,
        expected: float | None = None,
        ratio: float | None = None,
        full: bool = True,
    ) -> Progress:
        # one constructor call per target: dataclasses.replace per step was the hot spot at scale
        if not full:
            return Progress(status, d, goal=g, stretch=stretch, reason=reason, actual_year=ay, actual=av)
        return Progress(
            status,
            d,
            goal=g,
            stretch=stretch,
            expected=expected,
            actual_year=ay,
            actual=av,
            ratio=ratio,
            projected=projected,
            projected_met=pm,
            reason=reason,
        )

    if not series:
        return Progress("no_data", d, goal=g, stretch=stretch, reason="no figure for this indicator")
    ay, av = series[-1]
    projected: float | None = None
    pm: bool | None = None
    if is_met(spec, av, tolerance=tolerance):
        return out("achieved", full=False)
    if not spec.has_baseline:
        if year > spec.year:
            return out("overdue", f"deadline {spec.year} passed, goal not met (no baseline)", full=False)
        return out("needs_input", "no baseline: set one to measure progress", full=False)
    t0, b = spec.baseline_year, spec.baseline_value
    assert t0 is not None and b is not None
    since = [(t0, b)] + [(y, v) for y, v in series if y > t0]
    projected = fit_trend(since, spec.year, compound=spec.kind == "growth")
    pm = None if projected is None else is_met(spec, projected, tolerance=tolerance)
    if year > spec.year:
        return out("overdue", f"deadline {spec.year} passed, goal not met")
    if ay <= t0:
        return out("no_data", f"no figure after the baseline year {t0}")
    expected = expected_at(spec, ay)
    assert expected is not None
    if d * (av - b) < 0:
        return out("off_track", "moving the wrong way", expected=expected)
    ratio = (av - b) / (expected - b) if expected != b else None
    if ratio is None or ratio >= thresholds.on_track:
        # ratio None: the path asks for no change yet, and none was lost
        status: Status = "on_track"
    elif ratio >= thresholds.behind:
        status = "behind"
    else:
        status = "off_track"
    return out(status, expected=expected, ratio=ratio)


class Reading(NamedTuple):
    """One reported figure for one period, as a vintage: when it became known and whether it is approved.

    A named tuple rather than a dataclass: a province's figures are read by the hundred thousand.
    """

    year: int
    value: float
    known_on: date | None = None
    approved: bool = True
    order: int = 0  # tie-break among readings known the same day (e.g. the row id: later wins)


ReadingTuple = tuple[int, float, date | None, bool, int]


def known_series(
    readings: Iterable[Reading | ReadingTuple], *, as_of: date | None = None, include_draft: bool = False
) -> list[tuple[int, float]]:
    """One figure per year as known on ``as_of``: the latest vintage known by then.

    Drafts count only with ``include_draft``. With ``as_of``, a reading without a date is left out, because
    nobody can say it was known then; this keeps "what the annual report said" reproducible. Plain tuples in
    ``Reading``'s field order are accepted too (services read figures by the hundred thousand).
    """
    best: dict[int, tuple[date, int, float]] = {}
    for year, value, known_on, approved, order in readings:
        if not approved and not include_draft:
            continue
        if as_of is not None and (known_on is None or known_on > as_of):
            continue
        key = (known_on or date.min, order)
        cur = best.get(year)
        if cur is None or key >= cur[:2]:
            best[year] = (key[0], key[1], value)
    return sorted((y, v[2]) for y, v in best.items())
