"""Properties of the progress rules that must hold for any target, checked with generated cases."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from innocity.domain.progress import TargetSpec, assess, expected_at, goal_value

RANK = {"off_track": 0, "behind": 1, "on_track": 2, "achieved": 3}

years = st.integers(2000, 2020)
spans = st.integers(2, 15)
values = st.floats(1.0, 1e6, allow_nan=False, allow_infinity=False)


@given(t0=years, span=spans, b=values, factor=st.floats(1.05, 5.0), kind=st.sampled_from(["level", "growth"]),
       rate=st.floats(1.0, 40.0), at=st.integers(1, 14))
def test_being_exactly_on_the_path_is_on_track(
    t0: int, span: int, b: float, factor: float, kind: str, rate: float, at: int
) -> None:
    t1 = t0 + span
    year = t0 + min(at, span - 1)
    spec = TargetSpec(kind=kind, comparator="=", value=b * factor if kind == "level" else rate,  # type: ignore[arg-type]
                      year=t1, unit="%", baseline_year=t0, baseline_value=b)
    on_path = expected_at(spec, year)
    assert on_path is not None
    p = assess(spec, [(year, on_path)], year=year)
    assert p.status == "on_track"
    assert p.ratio is not None and abs(p.ratio - 1) < 1e-6


@given(t0=years, span=spans, b=values, factor=st.floats(1.05, 5.0), lo=st.floats(0.0, 2.0),
       hi=st.floats(0.0, 2.0), lower_better=st.booleans())
def test_a_better_figure_never_gets_a_worse_status(
    t0: int, span: int, b: float, factor: float, lo: float, hi: float, lower_better: bool
) -> None:
    # same target, same year, two figures: the one closer to the goal ranks at least as well
    goal = b / factor if lower_better else b * factor
    spec = TargetSpec(kind="level", comparator="=", value=goal, year=t0 + span, baseline_year=t0, baseline_value=b)
    year = t0 + 1
    lo, hi = sorted((lo, hi))
    worse, better = b + (goal - b) * lo, b + (goal - b) * hi
    a = assess(spec, [(year, worse)], year=year).status
    c = assess(spec, [(year, better)], year=year).status
    assert RANK[c] >= RANK[a]


@given(b=values, v=st.floats(-50, 200), points=st.booleans())
def test_change_goal_arithmetic(b: float, v: float, points: bool) -> None:
    spec = TargetSpec(kind="change", comparator="=", value=v, year=2020, unit="百分点" if points else "%",
                      baseline_year=2015, baseline_value=b)
    g = goal_value(spec)
    assert g is not None
    assert abs(g - (b + v if points else b * (1 + v / 100))) <= 1e-9 * max(1.0, abs(g))
