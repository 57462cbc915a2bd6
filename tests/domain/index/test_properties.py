"""Properties (hypothesis): monotonicity of the arithmetic index, ranks as permutations, and a Monte Carlo
with nothing perturbed reproducing the nominal ranks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.model import CompositeIndex, Dataset
from innocity.domain.index.steps import rank_desc
from innocity.domain.index.uncertainty import UncertaintySpec, run_uncertainty

FINITE = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


def _framework(weights: list[float], directions: list[int]) -> Framework:
    ind = [Node(f"X{i}", weight=w, direction=d) for i, (w, d) in enumerate(zip(weights, directions, strict=True))]
    half = len(ind) // 2
    groups = (Node("G1", weight=1.5, children=tuple(ind[:half])), Node("G2", weight=1.0, children=tuple(ind[half:])))
    return Framework(Node("Index", children=groups), "prop", "prop.yaml")


@st.composite
def problems(draw: st.DrawFn) -> tuple[Framework, Dataset]:
    n_units = draw(st.integers(3, 12))
    n_ind = draw(st.integers(2, 6))
    values = draw(arrays(float, (1, n_units, n_ind), elements=FINITE))
    weights = draw(st.lists(st.floats(0.1, 5.0), min_size=n_ind, max_size=n_ind))
    directions = draw(st.lists(st.sampled_from([1, -1]), min_size=n_ind, max_size=n_ind))
    ds = Dataset(tuple(f"u{i}" for i in range(n_units)), (2024,), tuple(f"X{i}" for i in range(n_ind)), values)
    return _framework(weights, directions), ds


@settings(max_examples=60, deadline=None, derandomize=True)
@given(problems(), st.data())
def test_improving_a_positive_indicator_never_lowers_the_score(problem, data) -> None:
    fw, ds = problem
    pos = [i for i, n in enumerate(fw.nodes[: fw.n_indicators]) if n.direction == 1]
    if not pos:
        return
    j = data.draw(st.sampled_from(pos))
    u = data.draw(st.integers(0, len(ds.units) - 1))
    bump = data.draw(st.floats(0.0, 500.0))
    # goalposts fix the scale, so one unit's change cannot move the others' min-max bounds
    gp_fw = Framework(Node("Index", children=tuple(
        Node(g.code, weight=g.weight, children=tuple(
            Node(c.code, weight=c.weight, direction=c.direction, goalposts=(-1e3, 2e3)) for c in g.children))
        for g in fw.root.children)), "prop", "prop.yaml")
    before = CompositeIndex(gp_fw, normalise="goalposts").fit(ds).index_scores()
    vals = ds.values.copy()
    vals[0, u, ds.indicators.index(fw.nodes[j].code)] += bump
    after = CompositeIndex(gp_fw, normalise="goalposts").fit(
        Dataset(ds.units, ds.periods, ds.indicators, vals)).index_scores()
    assert after[u] >= before[u] - 1e-9
    # with min-max normalisation as well (its own value can only rise within the new bounds): neither the
    # improving unit's score nor its rank gets worse
    mm_before = CompositeIndex(fw).fit(ds)
    mm_after = CompositeIndex(fw).fit(Dataset(ds.units, ds.periods, ds.indicators, vals))
    if not np.isnan(mm_before.normalised_).any() and not np.isnan(mm_after.normalised_).any():
        assert mm_after.index_scores()[u] >= mm_before.index_scores()[u] - 1e-9
        assert mm_after.ranks_[0, u, -1] <= mm_before.ranks_[0, u, -1]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(arrays(float, st.tuples(st.integers(1, 5), st.integers(1, 40)),
              elements=st.floats(-1e6, 1e6, allow_nan=False)))
def test_ranks_are_min_ranks_and_a_permutation_for_distinct_scores(scores) -> None:
    r = rank_desc(scores)
    for row, rk in zip(scores, r, strict=True):
        # rank(−score, ties = "min"): 1 + number of strictly better scores
        assert np.array_equal(rk, 1 + (row[None, :] > row[:, None]).sum(axis=1))
        if len(set(row.tolist())) == row.size:
            assert sorted(rk.tolist()) == list(range(1, row.size + 1))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(problems(), st.integers(1, 30), st.integers(0, 2**31))
def test_monte_carlo_without_perturbation_reproduces_nominal_ranks(problem, n, seed) -> None:
    fw, ds = problem
    model = CompositeIndex(fw).fit(ds)
    res = run_uncertainty(model, UncertaintySpec(seed=seed), n)
    assert np.array_equal(res.nominal_rank, model.ranks_[0, :, -1])
    assert np.all(res.ranks == res.nominal_rank[None, :])
    # listing only the nominal alternative is no perturbation either
    res2 = run_uncertainty(model, UncertaintySpec(aggregate=("arithmetic",), seed=seed), n)
    assert np.all(res2.ranks == model.ranks_[0, :, -1][None, :])
