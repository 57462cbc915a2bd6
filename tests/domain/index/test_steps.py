"""The data steps on small hand-checkable inputs: imputation, normalisation (incl. panels), treatment
variants, the framework tree and the step log."""

from __future__ import annotations

import numpy as np
import pytest

from innocity.domain.index import steps
from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.model import CompositeIndex, Dataset
from innocity.domain.index.treat import kurt, log_ct, log_gii, skew, treat_coinr, treat_eis, winsorise
from innocity.errors import FrameworkError

nan = np.nan


def test_mean_median_and_group_mean_imputation() -> None:
    x = np.array([[[1.0], [nan], [3.0], [8.0]]])  # one period, four units, one indicator
    y, mask = steps.impute(x, "mean")
    assert y[0, 1, 0] == pytest.approx(4.0) and mask[0, 1, 0] and mask.sum() == 1
    y, _ = steps.impute(x, "median")
    assert y[0, 1, 0] == 3.0
    y, _ = steps.impute(x, "group_mean", groups=["a", "a", "b", "b"])
    assert y[0, 1, 0] == 1.0  # the only other member of group a


def test_panel_carry_forward_then_back_and_linear_interpolation() -> None:
    # one unit, one indicator over five periods
    x = np.array([nan, 2.0, nan, nan, 8.0]).reshape(5, 1, 1)
    y, mask = steps.impute(x, "carry")
    assert y.ravel().tolist() == [2.0, 2.0, 2.0, 2.0, 8.0]
    assert mask.ravel().tolist() == [True, False, True, True, False]
    y, _ = steps.impute(x, "linear")
    assert y.ravel().tolist() == [2.0, 2.0, 4.0, 6.0, 8.0]


def test_unknown_methods_are_named() -> None:
    with pytest.raises(ValueError, match="unknown imputation method 'magic'"):
        steps.impute(np.zeros((1, 2, 1)), "magic")
    with pytest.raises(ValueError, match="unknown normalisation"):
        steps.normalise(np.zeros((1, 2, 1)), "magic", np.ones(1))


def test_normalisations() -> None:
    x = np.array([[[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]]])
    d = np.array([1.0, -1.0])
    mm = steps.normalise(x, "minmax", d, lo=0, hi=100)[0]
    np.testing.assert_allclose(mm[:, 0], [0, 100 / 3, 100])
    np.testing.assert_allclose(mm[:, 1], [100, 0, 50])  # lower is better
    np.testing.assert_allclose(steps.normalise(x, "efficacy", d)[0][:, 1], [100, 60, 80])  # 60 + 40z
    z = steps.normalise(x, "zscore", d, lo=0, hi=1)[0][:, 0]
    np.testing.assert_allclose(z, (np.array([1, 2, 4]) - 7 / 3) / np.std([1, 2, 4], ddof=1))
    np.testing.assert_allclose(steps.normalise(x, "rank", d)[0][:, 1], [3, 1, 2])
    np.testing.assert_allclose(steps.normalise(x, "prank", d)[0][:, 0], [0, 50, 100])
    gp = np.array([[0.0, 5.0], [0.0, 40.0]])
    g = steps.normalise(x, "goalposts", d, lo=0, hi=100, goalposts=gp)[0]
    np.testing.assert_allclose(g[:, 0], [20, 40, 80])
    np.testing.assert_allclose(g[:, 1], [75, 25, 50])  # (40 − x)/40
    t = steps.normalise(x, "target", d, lo=0, hi=100, targets=np.array([3.0, 15.0]))[0]
    np.testing.assert_allclose(t[:, 0], [0, 50, 100])  # capped at the target
    np.testing.assert_allclose(steps.normalise(x, "frontier", np.ones(2), lo=0, hi=100)[0][:, 0], [25, 50, 100])


def test_panel_minmax_uses_all_years() -> None:
    x = np.array([[[1.0], [3.0]], [[5.0], [9.0]]])  # two periods, two units
    y = steps.normalise(x, "minmax", np.ones(1), lo=0, hi=100)
    assert y[:, :, 0].tolist() == [[0.0, 25.0], [50.0, 100.0]]  # year 1 is not stretched to 0–100


def test_rank_ties_average() -> None:
    r = steps.normalise(np.array([[[5.0], [1.0], [5.0]]]), "rank", np.ones(1))
    assert r.ravel().tolist() == [2.5, 1.0, 2.5]


def test_coinr_winsorise_documented_example() -> None:
    # COINr's own example: winsorise(c(1:10, 30, 100)) with thresholds 2 / 3.5
    x = np.array([*range(1, 11), 30, 100], dtype=float)
    n, d = x.size, x - x.mean()
    g1 = np.sqrt(n) * (d**3).sum() / (d**2).sum() ** 1.5
    assert skew(x) == pytest.approx(g1 * np.sqrt(n * (n - 1)) / (n - 2), rel=1e-12)
    r = n * (d**4).sum() / ((d**2).sum()) ** 2
    assert kurt(x) == pytest.approx(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)), rel=1e-12)
    assert skew(x) > 2 and kurt(x) > 3.5  # fails the check
    y, nwin, imax, imin = winsorise(x, 5, 2.0, 3.5)
    assert nwin == 1 and imax.tolist() == [11] and imin.size == 0
    assert y[-2:].tolist() == [30.0, 30.0]  # 100 capped to the next value, after which it passes


def test_winsorise_tie_counting_quirk_can_pass_winmax() -> None:
    # three points tied at the top are capped in one step: nwin jumps from 0 to 3 > winmax 2
    x = np.array([*range(1, 31), 100, 100, 100], dtype=float)
    _, nwin, imax, _ = winsorise(x, 2, 2.0, 3.5)
    assert nwin >= 3 and imax.size == nwin


def test_log_ct_when_winsorising_is_not_enough() -> None:
    x = np.array([1.0] * 10 + [2.0, 3.0, 50.0, 80.0, 100.0, 400.0, 1000.0, 5000.0])
    y, rec, flags = treat_coinr(x, winmax=1)
    assert rec.log_transformed and rec.treatment == "log_ct" and rec.nwin == 1
    np.testing.assert_allclose(y, log_ct(x))
    assert flags[-1] == "winhi+log_CT" and flags[0] == "log_CT"


def test_gii_variant_uses_225_and_the_gii_log() -> None:
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(10, 1, 40), rng.lognormal(4, 1.5, 15)])
    y, rec, _ = treat_coinr(x, winmax=5, skew_thresh=2.25, log="log_gii")
    assert rec.treatment == "log_gii"
    np.testing.assert_allclose(y, np.log((x.max() - 1) * (x - x.min()) / (x.max() - x.min()) + 1))
    np.testing.assert_allclose(log_gii(x), y)


def test_eis_caps_beyond_two_sigma() -> None:
    x = np.array([1.0, 2, 2, 3, 3, 3, 4, 4, 5, 30])
    y, rec, flags = treat_eis(x)
    assert y[-1] == 5.0 and flags[-1].startswith("winhi") and rec.n_winhi == 1


def _fw(**kw) -> Framework:
    return Framework(Node("Index", children=(Node("G", children=(Node("A"), Node("B", direction=-1, **kw))),)),
                     "t", "t.yaml")


def test_framework_validation_names_the_node() -> None:
    with pytest.raises(FrameworkError, match=r"node 'A': code appears twice") as info:
        Framework(Node("Index", children=(Node("A"), Node("G", children=(Node("A"),)))), source="t.yaml")
    assert info.value.one_line().startswith("t.yaml: node 'A'")
    with pytest.raises(FrameworkError, match="node 'B': direction must be 1 or -1"):
        Framework(Node("Index", children=(Node("B", direction=0),)), source="t.yaml")
    with pytest.raises(FrameworkError, match="node 'B': goalposts"):
        _fw(goalposts=(5.0, 1.0))


def test_uneven_depth_levels_and_effective_weights() -> None:
    tree = Node("Index", children=(Node("A", weight=1.0),
                                   Node("G", weight=3.0, children=(Node("B", weight=1.0), Node("C", weight=3.0)))))
    fw = Framework(tree)
    assert fw.codes == ["A", "B", "C", "G", "Index"]
    assert fw.levels.tolist() == [1, 1, 1, 2, 3]
    np.testing.assert_allclose(fw.effective_weights(), [0.25, 0.1875, 0.5625, 0.75, 1.0])
    ds = Dataset(("u", "v"), (1,), ("A", "B", "C"), np.array([[[0.0, 0.0, 0.0], [1.0, 1.0, 2.0]]]))
    m = CompositeIndex(fw).fit(ds)
    # arithmetic: the index is the sum of effective weight × normalised indicator
    np.testing.assert_allclose(m.index_scores(), m.normalised_[0] @ fw.effective_weights()[:3])
    np.testing.assert_allclose(m.contributions()[:, :3].sum(axis=1), m.index_scores())


def test_the_log_regenerates_a_run() -> None:
    ds = Dataset(("u", "v", "w"), (1,), ("A", "B"), np.array([[[1.0, 5.0], [2.0, 3.0], [4.0, nan]]]))
    m = CompositeIndex(_fw(), impute="median", aggregate="geometric", normalise_range=(1, 100)).fit(ds)
    assert [s.name for s in m.log_] == ["impute", "treat", "normalise", "weight", "aggregate"]
    logged = {s.name: s.params for s in m.log_}
    again = CompositeIndex(_fw(), impute=logged["impute"]["method"], aggregate=logged["aggregate"]["method"],
                           normalise_range=logged["normalise"]["range"]).fit(ds)
    np.testing.assert_array_equal(again.scores_, m.scores_)
    with pytest.raises(TypeError, match="unknown parameters: colour"):
        m.regen(colour="red")
    assert m.regen(impute="mean").imputed_[0, 2, 1] == pytest.approx(4.0)


def test_geometric_on_zeros_warns() -> None:
    ds = Dataset(("u", "v"), (1,), ("A", "B"), np.array([[[1.0, 5.0], [2.0, 3.0]]]))
    m = CompositeIndex(_fw(), aggregate="geometric").fit(ds)
    assert any("needs values > 0" in w for w in m.warnings_)
