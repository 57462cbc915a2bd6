"""Monte Carlo uncertainty against COINr: replaying its recorded draws exactly, and our own draws within the
Monte Carlo noise COINr shows between its own seeds (README: mean 0.29, Q5/Q95 1, median 3 ranks)."""

from __future__ import annotations

import numpy as np
import pytest
from index_fixtures import asem_dataset, asem_framework, read_matrix, read_table

from innocity.domain.index.model import CompositeIndex
from innocity.domain.index.uncertainty import Draws, UncertaintySpec, replay, run_uncertainty

AGG = {"a_amean": "arithmetic", "a_gmean": "geometric"}


@pytest.fixture(scope="module")
def ua_model() -> CompositeIndex:
    return CompositeIndex(asem_framework(), impute="mean", treat="coinr", normalise_range=(1, 100)).fit(
        asem_dataset())


@pytest.fixture(scope="module")
def coinr_draws(ua_model: CompositeIndex) -> Draws:
    _, rows = read_table("ua_draws.csv")
    agg = np.array([AGG[r[1]] for r in rows], dtype=object)
    fw = ua_model.framework
    w = np.broadcast_to(ua_model.weights_, (len(rows), len(fw.nodes))).copy()
    _, wrows = read_table("ua_weights.csv")
    for r in wrows:
        w[int(r[0]) - 1, fw.position(r[1])] = float(r[3])
    return Draws(w, {"aggregate": agg})


def _order(model: CompositeIndex, units: list[str]) -> list[int]:
    return [model.data_.units.index(u) for u in units]


def test_replaying_coinr_draws_reproduces_its_scores_ranks_and_rankstats(ua_model, coinr_draws) -> None:
    res = replay(ua_model, coinr_draws)
    units, _, scores = read_matrix("ua_scores.csv")
    ui = _order(ua_model, units)
    np.testing.assert_allclose(res.nominal_score[ui], scores[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.scores[:, ui].T, scores[:, 1:], rtol=0, atol=1e-12)
    _, _, ranks = read_matrix("ua_ranks.csv")
    assert np.array_equal(res.ranks[:, ui].T, ranks[:, 1:])
    _, _, stats = read_matrix("ua_rankstats.csv")
    assert np.array_equal(res.nominal_rank[ui], stats[:, 0])
    np.testing.assert_array_equal(res.rank_mean[ui], stats[:, 1])
    np.testing.assert_array_equal(res.rank_median[ui], stats[:, 2])
    np.testing.assert_array_equal(res.rank_quantile(0.05)[ui], stats[:, 3])
    np.testing.assert_array_equal(res.rank_quantile(0.95)[ui], stats[:, 4])


def test_own_draws_are_within_coinr_monte_carlo_noise(ua_model, coinr_draws) -> None:
    spec = UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"),
                           normalise_range=(1, 100), seed=42)
    ours = run_uncertainty(ua_model, spec, 1000)
    units, _, stats = read_matrix("ua_rankstats.csv")
    ui = _order(ua_model, units)
    assert np.array_equal(ours.nominal_rank[ui], stats[:, 0])
    assert np.max(np.abs(ours.rank_mean[ui] - stats[:, 1])) <= 0.45
    # two independent estimates each carry COINr's seed-to-seed noise (1 rank), so allow 2 against seed 42 and
    # 1 against the nearest of COINr's three repeats (seeds 42, 43, 44)
    _, rows = read_table("ua_rankstats_repeats.csv")
    repeats: dict[str, list[list[float]]] = {}
    for r in rows:
        repeats.setdefault(r[2], []).append([float(v) for v in r[3:]])
    for col, q in ((3, 0.05), (4, 0.95)):
        got = ours.rank_quantile(q)[ui]
        assert np.max(np.abs(got - stats[:, col])) <= 2
        nearest = np.array([min(abs(g - rep[col]) for rep in repeats[u]) for g, u in zip(got, units, strict=True)])
        assert nearest.max() <= 1
    # The median is ill-conditioned where the ranks are bimodal (arithmetic vs geometric): there it is decided
    # by which aggregation drew a few more replications. Elsewhere it must be within 3 ranks; for bimodal
    # units it must lie between the medians of the two modes, taken from COINr's own replications.
    coinr = replay(ua_model, coinr_draws)
    amean = coinr.draws.choices["aggregate"] == "arithmetic"
    mode_a = np.median(coinr.ranks[amean], axis=0)[ui]
    mode_g = np.median(coinr.ranks[~amean], axis=0)[ui]
    bimodal = np.abs(mode_a - mode_g) > 3
    assert bimodal[units.index("LUX")] and not bimodal.all()
    diff = np.abs(ours.rank_median[ui] - stats[:, 2])
    assert np.all(diff[~bimodal] <= 3)
    lo, hi = np.minimum(mode_a, mode_g), np.maximum(mode_a, mode_g)
    med = ours.rank_median[ui]
    assert np.all((med[bimodal] >= lo[bimodal]) & (med[bimodal] <= hi[bimodal]))


def test_draws_follow_the_spec(ua_model) -> None:
    spec = UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"), seed=1)
    res = run_uncertainty(ua_model, spec, 400)
    fw = ua_model.framework
    w = res.draws.weights
    noisy = fw.nodes_at_levels((2, 3))
    assert np.all((w[:, noisy] >= 0.75) & (w[:, noisy] <= 1.25))
    assert np.all(w[:, ~noisy] == 1.0)  # indicators and the index keep their weights
    assert w[:, noisy].std() > 0.1
    assert (res.draws.choices["aggregate"] == "arithmetic").sum() == 200  # balanced split


def test_no_perturbation_reproduces_nominal_ranks(ua_model) -> None:
    res = run_uncertainty(ua_model, UncertaintySpec(seed=3), 50)
    assert np.all(res.ranks == res.nominal_rank[None, :])
    assert np.array_equal(res.rank_quantile(0.05), res.nominal_rank)


def test_discrete_normalisation_and_imputation_choices_are_batched(ua_model) -> None:
    spec = UncertaintySpec(weight_noise=0.1, aggregate=("arithmetic",), normalise=("minmax", "rank"),
                           impute=("mean", "median"), normalise_range=(1, 100), seed=5)
    res = run_uncertainty(ua_model, spec, 200)
    ch = res.draws.choices
    # each replication equals a direct fit with its own choices and weights
    for r in (0, 1, 2, 3, 57, 199):
        direct = ua_model.regen(normalise=ch["normalise"][r], impute=ch["impute"][r])
        from innocity.domain.index.aggregation import aggregate

        want = aggregate(direct.framework, direct.normalised_[0], res.draws.weights[r])[:, -1]
        np.testing.assert_allclose(res.scores[r], want, rtol=0, atol=1e-12)
    assert len(set(ch["normalise"].tolist())) == 2 and len(set(ch["impute"].tolist())) == 2
