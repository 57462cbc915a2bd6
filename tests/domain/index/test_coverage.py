"""The coverage rules and tree pruning on small hand-checkable inputs."""

from __future__ import annotations

import numpy as np
import pytest

from innocity.domain.index.coverage import CoverageRule, select
from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.model import CompositeIndex, Dataset


def test_indicators_then_units_until_nothing_changes() -> None:
    obs = np.array([  # units × indicators A, B, C, D
        [1, 1, 1, 0],
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [1, 0, 0, 1],  # only A once D is gone: 1 of 2 kept indicators passes 50 %
        [0, 0, 0, 0],  # nothing at all
    ], dtype=bool)
    sel = select(obs, CoverageRule(indicator=2 / 3, unit=0.6), period="2014")
    assert sel.indicators.tolist() == [True, True, False, False] and sel.units.tolist() == [1, 1, 1, 0, 0]
    assert next((r.index, r.reason) for r in sel.excluded) == (4, "no values in 2014")
    dropped = {r.index: r for r in sel.dropped}
    assert dropped[2].coverage == pytest.approx(0.5) and "2 of 4 units in 2014 (50%)" in dropped[2].reason
    assert dropped[3].coverage == pytest.approx(0.25)
    unit3 = next(r for r in sel.excluded if r.index == 3)
    assert unit3.coverage == pytest.approx(0.5) and "1 of 2 indicators" in unit3.reason
    assert sel.usable


def test_two_thirds_written_as_a_decimal_still_passes_two_of_three() -> None:
    obs = np.array([[1, 1], [1, 1], [0, 1]], dtype=bool)
    assert select(obs, CoverageRule(indicator=0.667)).indicators.tolist() == [True, True]
    assert select(obs, CoverageRule(indicator=0.7)).indicators.tolist() == [False, True]


def test_one_unit_or_no_indicator_is_not_usable() -> None:
    assert not select(np.array([[1, 1], [0, 0]], dtype=bool), CoverageRule()).usable
    assert not select(np.zeros((3, 2), dtype=bool), CoverageRule()).usable


def _tree() -> Framework:
    g1 = Node("G1", children=(Node("A"), Node("B"), Node("C")), pairwise=((1, 3, 5), (1 / 3, 1, 3), (1 / 5, 1 / 3, 1)))
    g2 = Node("G2", weight=2, children=(Node("D"), Node("E")))
    return Framework(Node("Index", children=(g1, g2)), "t", "t.yaml")


def test_subset_prunes_empty_groups_and_keeps_the_ahp_submatrix() -> None:
    fw, gone = _tree().subset({"A", "C"})
    assert fw is not None and fw.indicator_codes == ["A", "C"] and [g.code for g in gone] == ["G2"]
    g1 = fw.nodes[fw.position("G1")]
    assert g1.pairwise == ((1, 5), (1 / 5, 1))
    assert fw.effective_weights()[:2].tolist() == [0.5, 0.5]
    m = CompositeIndex(fw, weights="ahp").fit(Dataset(("u", "v"), (1,), ("A", "C"), np.array([[[1.0, 2.0], [3.0, 1.0]]])))
    assert m.effective_weights_[:2] == pytest.approx([5 / 6, 1 / 6])
    assert _tree().subset({"X"}) == (None, [_tree().nodes[-3], _tree().nodes[-2]])


def test_effective_weights_of_a_wide_tree_are_linear_time() -> None:
    kids = tuple(Node(f"G{g}", children=tuple(Node(f"X{g}_{i}") for i in range(4))) for g in range(200))
    fw = Framework(Node("Index", children=kids))
    eff = fw.effective_weights()
    assert eff[: fw.n_indicators] == pytest.approx(np.full(800, 1 / 800)) and eff[-1] == 1
