"""Hand-worked examples of the progress arithmetic: one per kind of target and at least one per status.

Every expected figure below was worked out by hand (shown in the comments), not by calling the code.
"""

from __future__ import annotations

from datetime import date

import pytest

from innocity.domain.plan import Baseline, Target
from innocity.domain.progress import (
    DefaultThresholds,
    Reading,
    TargetSpec,
    assess,
    direction,
    expected_at,
    goal_value,
    known_series,
)


def spec(**kw: object) -> TargetSpec:
    base: dict[str, object] = {
        "kind": "level",
        "comparator": "=",
        "value": 100.0,
        "year": 2020,
        "baseline_year": 2015,
        "baseline_value": 40.0,
    }
    base.update(kw)
    return TargetSpec(**base)  # type: ignore[arg-type]


def test_level_count_straight_line_ratio_and_projection() -> None:
    # 高新技术企业 40 (2015) → 100 (2020): +12 a year. 2018 expected 76; actual 70 → r = 30/36 = 0.8333.
    s = spec()
    assert expected_at(s, 2018) == pytest.approx(76.0)
    p = assess(s, [(2016, 52), (2017, 58), (2018, 70)], year=2018)
    assert p.status == "behind"
    assert p.expected == pytest.approx(76.0)
    assert p.ratio == pytest.approx(30 / 36)
    # least squares through (2015,40) (2016,52) (2017,58) (2018,70): slope 48/5 = 9.6, mean (2016.5, 55)
    # → 2020: 55 + 9.6·3.5 = 88.6
    assert p.projected == pytest.approx(88.6)
    assert p.projected_met is False


def test_share_on_track() -> None:
    # R&D/GDP 2.0 % (2015) → 2.5 % (2020); 2017 expected 2.2, actual 2.2 → r = 1
    s = spec(value=2.5, baseline_value=2.0, unit="%")
    p = assess(s, [(2017, 2.2)], year=2017)
    assert p.expected == pytest.approx(2.2)
    assert p.ratio == pytest.approx(1.0)
    assert p.status == "on_track"


def test_growth_compound_path() -> None:
    # 高新技术产业增加值年均增长20 %: 17.4亿 (2010), deadline 2015 → goal 17.4·1.2^5 = 43.296768
    s = spec(kind="growth", value=20.0, unit="%", year=2015, baseline_year=2010, baseline_value=17.4)
    assert goal_value(s) == pytest.approx(43.296768)
    # 2012 expected 17.4·1.44 = 25.056; actual 23.0 → r = 5.6/7.656 = 0.731452
    p = assess(s, [(2012, 23.0)], year=2012)
    assert p.expected == pytest.approx(25.056)
    assert p.ratio == pytest.approx(0.731452, abs=1e-6)
    assert p.status == "behind"
    # constant-rate trend through 17.4 → 23.0 in two years: 2015 = 17.4·1.747259·1.149713 = 34.9539
    assert p.projected == pytest.approx(34.9539, abs=1e-3)
    assert p.projected_met is False


def test_change_in_percent() -> None:
    # 高新技术企业数比“十一五”末提高30 %: 40 (2010) → 52 (2015); 2013 expected 47.2, actual 47 → r = 7/7.2
    s = spec(kind="change", value=30.0, unit="%", year=2015, baseline_year=2010, baseline_value=40.0)
    assert goal_value(s) == pytest.approx(52.0)
    p = assess(s, [(2013, 47.0)], year=2013)
    assert p.ratio == pytest.approx(0.972222, abs=1e-6)
    assert p.status == "on_track"


def test_change_in_percentage_points() -> None:
    # 科技进步贡献率比“十五”期末提高12个百分点: 48 (2005) → 60 (2015); 2010 expected 54, actual 51 → r = 0.5
    s = spec(kind="change", value=12.0, unit="百分点", year=2015, baseline_year=2005, baseline_value=48.0)
    assert goal_value(s) == pytest.approx(60.0)
    p = assess(s, [(2010, 51.0)], year=2010)
    assert p.expected == pytest.approx(54.0)
    assert p.ratio == pytest.approx(0.5)
    assert p.status == "off_track"


def test_lower_is_better_level_below_baseline() -> None:
    # 万元产值能耗 2.5 (2010) → 达到2.0 (2015): direction −1. 2013 expected 2.2, actual 2.26 → r = 0.24/0.3 = 0.8
    s = spec(value=2.0, unit="吨标煤/万元", year=2015, baseline_year=2010, baseline_value=2.5)
    assert direction(s) == -1
    p = assess(s, [(2013, 2.26)], year=2013)
    assert p.ratio == pytest.approx(0.8)
    assert p.status == "behind"
    # 1.98 is below the ceiling → met
    assert assess(s, [(2014, 1.98)], year=2014).status == "achieved"


def test_lower_is_better_ceiling_and_decline() -> None:
    # 控制在2.0以下 ('<='): direction −1 whatever the catalogue says
    s = spec(comparator="<=", value=2.0, catalog_direction=1, year=2015, baseline_year=2010, baseline_value=2.5)
    assert direction(s) == -1
    assert assess(s, [(2015, 2.0)], year=2015).status == "achieved"
    # 能耗年均下降3 %: 1.0 (2015) → 0.97^5 = 0.858734 (2020); rising to 1.01 is the wrong way
    d = spec(kind="growth", value=-3.0, unit="%", baseline_value=1.0)
    assert direction(d) == -1
    assert goal_value(d) == pytest.approx(0.858734, abs=1e-6)
    p = assess(d, [(2016, 1.01)], year=2016)
    assert p.status == "off_track"
    assert p.reason == "moving the wrong way"


def test_range_met_at_lower_bound_upper_informs() -> None:
    # 培育4~5个龙头企业: 1 (2010) → goal 4, stretch 5 (2015)
    s = spec(comparator="range", value=4.0, value_max=5.0, year=2015, baseline_year=2010, baseline_value=1.0)
    p = assess(s, [(2014, 4.0)], year=2014)
    assert (p.status, p.goal, p.stretch) == ("achieved", 4.0, 5.0)
    # 2013 expected 1 + 3·3/5 = 2.8, actual 3 → r = 2/1.8 = 1.111
    p = assess(s, [(2013, 3.0)], year=2013)
    assert p.ratio == pytest.approx(2 / 1.8)
    assert p.status == "on_track"
    # lower is better with a range (控制在3-5): met at the upper bound
    low = spec(comparator="range", value=3.0, value_max=5.0, catalog_direction=-1, baseline_value=None)
    assert goal_value(low) == 5.0
    assert assess(low, [(2016, 4.9)], year=2016).status == "achieved"


def test_approximate_tolerance_five_percent() -> None:
    # 300名左右: met from 285 (300 − 5 %); 284 is not, and is on track against 170 (2010) → 2015
    s = spec(value=300.0, approximate=True, year=2015, baseline_year=2010, baseline_value=170.0)
    assert assess(s, [(2014, 285.0)], year=2014).status == "achieved"
    p = assess(s, [(2014, 284.0)], year=2014)
    # expected 2014 = 170 + 130·4/5 = 274 → r = 114/104 = 1.0962
    assert p.ratio == pytest.approx(114 / 104)
    assert p.status == "on_track"
    exact = spec(value=300.0, year=2015, baseline_year=2010, baseline_value=170.0)
    assert assess(exact, [(2014, 285.0)], year=2014).status != "achieved"


@pytest.mark.parametrize(
    ("kw", "points", "year", "status"),
    [
        ({}, [(2019, 100.0)], 2019, "achieved"),
        ({}, [(2018, 76.0)], 2018, "on_track"),
        ({}, [(2018, 64.0)], 2018, "behind"),  # r = 24/36 = 0.667
        ({}, [(2018, 55.0)], 2018, "off_track"),  # r = 15/36 = 0.417
        ({}, [(2018, 39.0)], 2018, "off_track"),  # below the baseline: wrong way
        ({}, [], 2018, "no_data"),
        ({}, [(2014, 38.0), (2015, 40.0)], 2018, "no_data"),  # nothing after the baseline year
        ({"year": None}, [(2018, 70.0)], 2018, "needs_input"),  # 201* not resolved
        ({"kind": "growth", "value": 10.0, "baseline_value": None}, [(2018, 70.0)], 2018, "needs_input"),
        ({"baseline_year": None, "baseline_value": None}, [(2018, 70.0)], 2018, "needs_input"),
        ({}, [(2020, 95.0)], 2021, "overdue"),
        ({"value": None}, [(2018, 70.0)], 2018, "needs_input"),
    ],
)
def test_every_status(kw: dict[str, object], points: list[tuple[int, float]], year: int, status: str) -> None:
    assert assess(spec(**kw), points, year=year).status == status


def test_thresholds_are_configurable() -> None:
    # r = 0.8333 is behind by default, on track when on_track is lowered to 0.8
    assert assess(spec(), [(2018, 70.0)], year=2018, thresholds=DefaultThresholds(0.8, 0.5)).status == "on_track"


def test_figures_after_the_evaluation_year_are_ignored() -> None:
    p = assess(spec(), [(2017, 64.0), (2019, 100.0)], year=2017)
    assert (p.actual_year, p.status) == (2017, "on_track")  # 2017 expected 64


def test_from_target_user_resolution_wins() -> None:
    t = Target(
        text="比“十一五”末提高30%", span=(0, 10), indicator="高新技术企业数", kind="change", comparator="=",
        value=30.0, unit="%", year=None, year_text="201*", baseline=Baseline(year=None, text="“十一五”末"),
    )
    s = TargetSpec.from_target(t, year=2015, baseline_year=2010, baseline_value=40.0)
    assert (s.year, s.baseline_year, goal_value(s)) == (2015, 2010, pytest.approx(52.0))


def test_known_series_vintages() -> None:
    readings = [
        Reading(2015, 1703.10, known_on=date(2016, 2, 1)),  # preliminary (初步核算)
        Reading(2015, 1633.07, known_on=date(2017, 1, 20)),  # revised (修订数)
        Reading(2016, 1762.02, known_on=date(2017, 1, 20)),
        Reading(2016, 1800.0, known_on=date(2017, 1, 25), approved=False),  # a draft
        Reading(2014, 1500.0),  # undated
    ]
    assert known_series(readings, as_of=date(2016, 12, 31)) == [(2015, 1703.10)]
    assert known_series(readings, as_of=date(2017, 6, 30)) == [(2015, 1633.07), (2016, 1762.02)]
    assert known_series(readings, as_of=date(2017, 6, 30), include_draft=True)[-1] == (2016, 1800.0)
    assert known_series(readings) == [(2014, 1500.0), (2015, 1633.07), (2016, 1762.02)]
