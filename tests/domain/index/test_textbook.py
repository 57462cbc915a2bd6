"""Hand-worked textbook examples for 熵权法, TOPSIS, AHP (with CR), grey relational analysis, CRITIC and the
obstacle degree. The intermediate numbers in the comments were worked out by hand (checked with a
calculator), independently of the engine."""

from __future__ import annotations

import numpy as np
import pytest

from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.mcda import grey_relational, obstacle_degree, topsis
from innocity.domain.index.model import CompositeIndex, Dataset
from innocity.domain.index.weighting import (
    ahp_weights,
    combine_weights,
    critic_weights,
    cv_weights,
    entropy_weights,
)
from innocity.errors import FrameworkError


def test_entropy_weights_textbook_form() -> None:
    # 3 cities; A positive (2, 4, 6), B negative (10, 30, 25).
    # A: z = (0, .5, 1), Σz = 1.5, p = (0, 1/3, 2/3), e = (⅓ln3 + ⅔ln1.5)/ln3 = (.366204 + .270310)/1.098612
    #    = .579380 (0·ln0 = 0), d = .420620
    # B: z = (30 − x)/20 = (1, 0, .25), Σz = 1.25, p = (.8, 0, .2), e = (.178515 + .321888)/1.098612 = .455486,
    #    d = .544514
    # w = d/Σd = (.420620, .544514)/.965134 = (.435815, .564185)
    x = np.array([[2.0, 10.0], [4.0, 30.0], [6.0, 25.0]]) * np.array([1.0, -1.0])
    np.testing.assert_allclose(entropy_weights(x), [0.435815, 0.564185], atol=1e-6)


def test_entropy_gives_a_constant_indicator_no_weight() -> None:
    x = np.array([[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [3.0, 5.0, 2.0]])
    w = entropy_weights(x)
    assert w[1] == 0.0 and w.sum() == pytest.approx(1.0)


def test_entropy_differs_from_sum_normalised_library_variant() -> None:
    # The MCDA libraries compute entropy on x/Σx of the raw data; the textbook min-maxes first. They differ.
    x = np.array([[2.0, 10.0], [4.0, 30.0], [6.0, 25.0]])
    p = x / x.sum(axis=0)
    e = -(p * np.log(p)).sum(axis=0) / np.log(3)
    library = (1 - e) / (1 - e).sum()
    assert not np.allclose(library, entropy_weights(x * [1, -1]), atol=0.05)


def test_topsis_vector_normalisation() -> None:
    # 5 alternatives, criteria: price (cost), memory, storage, camera; equal weights .25.
    # column norms √Σx² = 564.579490, 53.065997, 28, 8.366600
    # v = .25·x/norm; A⁺ = (.088561, .150756, .142857, .149404), A⁻ = (.132842, .075378, .071429, .059761)
    # D⁺ = (.086299, .119814, .053419, .084249, .117644), D⁻ = (.099002, .053419, .119814, .096829, .078772)
    # C = D⁻/(D⁺ + D⁻)
    x = np.array([[250, 16, 12, 5], [200, 16, 8, 3], [300, 32, 16, 4], [275, 32, 8, 4], [225, 16, 16, 2]], float)
    c = topsis(x, np.full(4, 0.25), np.array([-1, 1, 1, 1]))
    np.testing.assert_allclose(c, [0.534277, 0.308368, 0.691632, 0.534737, 0.401046], atol=1e-6)
    assert list(np.argsort(-c)) == [2, 3, 0, 4, 1]


def test_topsis_batched_weights_equal_one_at_a_time() -> None:
    rng = np.random.default_rng(0)
    x = rng.lognormal(size=(20, 5))
    w = rng.dirichlet(np.ones(5), size=7)
    d = np.array([1, 1, -1, 1, -1])
    batched = topsis(x, w, d)
    for k in range(7):
        np.testing.assert_allclose(batched[k], topsis(x, w[k], d), atol=1e-14)


def test_ahp_eigenvector_and_consistency_ratio() -> None:
    # Saaty's classic 3×3: w = (.636986, .258285, .104729), λmax = 3.038511,
    # CI = (λ − 3)/2 = .019256, CR = CI/RI(3) = .019256/.58 = .033199 < .1 → acceptable
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    w, lam, ci, cr = ahp_weights(a)
    np.testing.assert_allclose(w, [0.636986, 0.258285, 0.104729], atol=1e-6)
    assert lam == pytest.approx(3.038511, abs=1e-6)
    assert ci == pytest.approx(0.019256, abs=1e-6)
    assert cr == pytest.approx(0.033199, abs=1e-6)


def _tiny_fw(pairwise: tuple[tuple[float, ...], ...] | None) -> Framework:
    kids = tuple(Node(c, direction=1) for c in ("A", "B", "C"))
    return Framework(Node("Index", children=(Node("G", children=kids, pairwise=pairwise),)), "t", "t.yaml")


def _tiny_data() -> Dataset:
    vals = np.array([[[1.0, 5.0, 2.0], [2.0, 3.0, 8.0], [3.0, 1.0, 5.0], [4.0, 2.0, 1.0]]])
    return Dataset(("u1", "u2", "u3", "u4"), (2023,), ("A", "B", "C"), vals)


def test_ahp_weights_drive_the_index_and_an_inconsistent_matrix_is_refused() -> None:
    ok = ((1, 3, 5), (1 / 3, 1, 3), (1 / 5, 1 / 3, 1))
    model = CompositeIndex(_tiny_fw(ok), weights="ahp").fit(_tiny_data())
    np.testing.assert_allclose(model.effective_weights_[:3], [0.636986, 0.258285, 0.104729], atol=1e-6)
    assert model.weight_info_["G"]["CR"] == pytest.approx(0.033199, abs=1e-6)
    bad = ((1, 9, 1 / 9), (1 / 9, 1, 9), (9, 1 / 9, 1))  # A ≫ B ≫ C ≫ A: circular
    with pytest.raises(FrameworkError, match=r"node 'G'.*CR"):
        CompositeIndex(_tiny_fw(bad), weights="ahp").fit(_tiny_data())


def test_grey_relational_grades() -> None:
    # 4 cities, criteria (+, +, −), weights (.4, .3, .3), ρ = .5.
    # directional min-max z: (.666667, .333333, .5), (0, 1, .75), (1, .666667, 0), (.333333, 0, 1)
    # Δ = 1 − z; Δmin = 0, Δmax = 1; ξ = .5/(Δ + .5):
    # (.6, .428571, .5), (.333333, 1, .666667), (1, .6, .333333), (.428571, .333333, 1)
    # grade = Σ w ξ = (.518571, .633333, .68, .571429)
    x = np.array([[8, 3, 200], [6, 5, 150], [9, 4, 300], [7, 2, 100]], float)
    grades, xi = grey_relational(x, np.array([0.4, 0.3, 0.3]), np.array([1, 1, -1]))
    np.testing.assert_allclose(xi[0], [0.6, 0.428571, 0.5], atol=1e-6)
    np.testing.assert_allclose(grades, [0.518571, 0.633333, 0.68, 0.571429], atol=1e-6)


def test_critic_and_cv_weights() -> None:
    # CRITIC on z = min-max: A (0, .5, 1), B (0, 1, .5) → σ = (.5, .5), r_AB = .5,
    # C = σ·Σ(1 − r) = (.25, .25) → equal; CV: σ/μ of (1, 2, 3) = 1/2, of (10, 30, 20) = 10/20 → equal
    x = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, 20.0]])
    np.testing.assert_allclose(critic_weights(x), [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(cv_weights(x), [0.5, 0.5], atol=1e-12)
    # a third column identical to the first carries no new information: CRITIC lowers both A and it
    x3 = np.column_stack([x, x[:, 0]])
    w3 = critic_weights(x3)
    assert w3[1] > w3[0] == pytest.approx(w3[2])


def test_combined_weights() -> None:
    s, o = np.array([0.6, 0.4]), np.array([0.2, 0.8])
    np.testing.assert_allclose(combine_weights(s, o, alpha=0.5), [0.4, 0.6])
    # product: (.12, .32)/.44
    np.testing.assert_allclose(combine_weights(s, o, rule="product"), [0.272727, 0.727273], atol=1e-6)


def test_obstacle_degree() -> None:
    # z = (.2, 1, .6), w = (.5, .3, .2): gaps w(1 − z) = (.4, 0, .08), Σ = .48 → (.833333, 0, .166667)
    o = obstacle_degree(np.array([[0.2, 1.0, 0.6], [1.0, 1.0, 1.0]]), np.array([0.5, 0.3, 0.2]))
    np.testing.assert_allclose(o[0], [0.833333, 0.0, 0.166667], atol=1e-6)
    assert np.all(o[1] == 0)  # best on everything: nothing holds it back


def test_model_alternative_scorings_use_effective_weights() -> None:
    model = CompositeIndex(_tiny_fw(None), weights="entropy").fit(_tiny_data())
    w = model.effective_weights_[:3]
    x = _tiny_data().values[0]
    np.testing.assert_allclose(w, entropy_weights(x), atol=1e-12)
    np.testing.assert_allclose(model.topsis(), topsis(x, w, np.ones(3)), atol=1e-12)
    obs = model.obstacles()
    np.testing.assert_allclose(obs.sum(axis=1)[obs.sum(axis=1) > 0], 1.0)
    assert model.grey_relational().shape == (4,)


def test_objective_weights_fall_back_to_equal_when_nothing_differs() -> None:
    x = np.ones((4, 3))
    for f in (entropy_weights, critic_weights, cv_weights):
        np.testing.assert_allclose(f(x), [1 / 3] * 3)
