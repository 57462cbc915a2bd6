"""Sobol indices: the estimators on a function with known indices, and on ASEM (which choice matters)."""

from __future__ import annotations

import numpy as np
import pytest
from index_fixtures import asem_dataset, asem_framework

from innocity.domain.index.model import CompositeIndex
from innocity.domain.index.sobol import run_sobol, sobol_indices
from innocity.domain.index.uncertainty import UncertaintySpec


def test_estimators_recover_analytic_indices() -> None:
    # y = x1 + 2·x2 + 0·x3, x ~ U(0, 1): V = 1/12 + 4/12, S = ST = (1/5, 4/5, 0)
    rng = np.random.default_rng(7)
    n, d = 20000, 3
    a, b = rng.random((n, d)), rng.random((n, d))
    coef = np.array([1.0, 2.0, 0.0])
    ya, yb = a @ coef, b @ coef
    yab = np.stack([np.where(np.arange(d) == i, b, a) @ coef for i in range(d)])
    first, total, v = sobol_indices(ya, yb, yab)
    assert v == pytest.approx(5 / 12, rel=0.03)
    np.testing.assert_allclose(first, [0.2, 0.8, 0.0], atol=0.03)
    np.testing.assert_allclose(total, [0.2, 0.8, 0.0], atol=0.03)


def test_interaction_shows_in_total_not_first_order() -> None:
    # y = (x1 − .5)(x2 − .5): no main effects, all variance from the interaction
    rng = np.random.default_rng(3)
    n, d = 20000, 2
    a, b = rng.random((n, d)), rng.random((n, d))

    def f(m: np.ndarray) -> np.ndarray:
        return (m[:, 0] - 0.5) * (m[:, 1] - 0.5)

    yab = np.stack([f(np.where(np.arange(d) == i, b, a)) for i in range(d)])
    first, total, _ = sobol_indices(f(a), f(b), yab)
    assert np.all(np.abs(first) < 0.05) and np.all(total > 0.9)


@pytest.fixture(scope="module")
def asem() -> CompositeIndex:
    return CompositeIndex(asem_framework(), impute="mean", treat="coinr").fit(asem_dataset())


def test_asem_aggregation_matters_more_than_weights_and_a_dummy_choice_not_at_all(asem) -> None:
    spec = UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"),
                           treat=("coinr", "coinr"), normalise_range=(1, 100), seed=11)
    res = run_sobol(asem, spec, 256, n_boot=50)
    assert res.factors == ["weights level 2", "weights level 3", "aggregate", "treat"]
    assert res.runs == 256 * (4 + 2)
    st = dict(zip(res.factors, res.total, strict=True))
    assert st["treat"] == 0.0  # identical alternatives cannot move anything
    assert st["aggregate"] > st["weights level 3"]
    assert all(0 <= t <= 1.2 for t in res.total)
    assert np.all(res.total_ci[:, 0] <= res.total_ci[:, 1])


def test_nothing_to_vary_is_an_error(asem) -> None:
    with pytest.raises(ValueError, match="nothing varies"):
        run_sobol(asem, UncertaintySpec(), 10)
