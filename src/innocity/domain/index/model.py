"""The composite index as an estimator: ``CompositeIndex(framework, **params).fit(dataset)``.

``__init__`` stores parameters only; ``fit`` runs denominate → impute → treat → normalise → weight →
aggregate, logs each step (name + parameters) in ``log_`` and stores results in attributes ending in ``_``;
``regen(**overrides)`` rebuilds the run on the same data with changed parameters (COINr's ``Regen``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from innocity.errors import FrameworkError

from . import mcda, steps
from .aggregation import aggregate
from .framework import Framework
from .treat import TreatRecord
from .weighting import OBJECTIVE, ahp_weights, combine_weights, pca_weights

_DOWNSTREAM = {"normalise", "normalise_range", "weights", "weight_params", "aggregate", "p"}
WEIGHT_METHODS = ("manual", "equal", "entropy", "critic", "cv", "pca", "ahp", "combined")


@dataclass(frozen=True)
class Dataset:
    """Indicator values shaped (periods, units, indicators); NaN where missing.

    ``denominators`` maps a denominator name (e.g. Population) to values shaped (periods, units);
    ``unit_groups`` gives each unit's peer group for group-mean imputation.
    """

    units: tuple[str, ...]
    periods: tuple[int | str, ...]
    indicators: tuple[str, ...]
    values: np.ndarray
    unit_groups: tuple[str | None, ...] | None = None
    denominators: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        want = (len(self.periods), len(self.units), len(self.indicators))
        if self.values.shape != want:
            raise ValueError(f"values have shape {self.values.shape}, expected {want}")


@dataclass(frozen=True, slots=True)
class Step:
    """One logged step: enough to regenerate it."""

    name: str
    params: dict[str, Any]


class CompositeIndex:
    """A composite index over a framework; see the module docstring for the contract."""

    def __init__(self, framework: Framework, *, denominate: bool = True, impute: str = "none",
                 treat: str = "none", treat_params: Mapping[str, float] | None = None,
                 normalise: str = "minmax", normalise_range: tuple[float, float] = (0.0, 100.0),
                 weights: str = "manual", weight_params: Mapping[str, Any] | None = None,
                 aggregate: str = "arithmetic", p: float = 1.0) -> None:
        self.framework = framework
        self.denominate = denominate
        self.impute = impute
        self.treat = treat
        self.treat_params = treat_params
        self.normalise = normalise
        self.normalise_range = normalise_range
        self.weights = weights
        self.weight_params = weight_params
        self.aggregate = aggregate
        self.p = p

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters (what ``regen`` starts from)."""
        return {k: getattr(self, k) for k in ("framework", "denominate", "impute", "treat", "treat_params",
                                              "normalise", "normalise_range", "weights", "weight_params",
                                              "aggregate", "p")}

    def regen(self, **overrides: Any) -> CompositeIndex:
        """A new index with some parameters changed, fitted on the same data."""
        unknown = set(overrides) - set(self.get_params())
        if unknown:
            raise TypeError(f"unknown parameters: {', '.join(sorted(unknown))}")
        new = CompositeIndex(**{**self.get_params(), **overrides})
        if set(overrides) <= _DOWNSTREAM and overrides.get("framework", self.framework) is self.framework:
            # the data steps are unchanged: reuse them rather than re-treating every column
            new.data_, new.denominated_, new.imputed_mask_ = self.data_, self.denominated_, self.imputed_mask_
            new.imputed_, new.treatment_log_, new.treated_points_ = (self.imputed_, self.treatment_log_,
                                                                     self.treated_points_)
            new.treated_ = self.treated_
            new.log_ = [s for s in self.log_ if s.name in ("denominate", "impute", "treat")]
            new.warnings_ = [w for w in self.warnings_ if "imputation" in w]
            return new._finish()
        return new.fit(self.data_)

    # -- fitting ----------------------------------------------------------------------------------------
    def fit(self, data: Dataset) -> CompositeIndex:
        """Run every step on ``data``; returns self."""
        fw = self.framework
        self.data_ = data
        self.log_: list[Step] = []
        self.warnings_: list[str] = []
        pos = {c: i for i, c in enumerate(data.indicators)}
        absent = [c for c in fw.indicator_codes if c not in pos]
        if absent:
            raise FrameworkError(f"indicators in the framework but not in the data: {', '.join(absent)}",
                                 source=fw.source)
        x = data.values[:, :, [pos[c] for c in fw.indicator_codes]].astype(float)
        ind_nodes = fw.nodes[: fw.n_indicators]

        if self.denominate and any(n.denominator for n in ind_nodes):
            den = np.ones_like(x)
            for i, node in enumerate(ind_nodes):
                if node.denominator:
                    if node.denominator not in data.denominators:
                        raise FrameworkError(f"node {node.code!r}: denominator {node.denominator!r} is not in "
                                             "the data", source=fw.source)
                    den[:, :, i] = data.denominators[node.denominator]
            x = steps.denominate(x, den)
            self.log_.append(Step("denominate", {"by": {n.code: n.denominator for n in ind_nodes
                                                        if n.denominator}}))
        self.denominated_ = x

        x, self.imputed_mask_ = steps.impute(x, self.impute, groups=data.unit_groups)
        self.log_.append(Step("impute", {"method": self.impute}))
        self.imputed_ = x
        left = int(np.isnan(x).sum())
        if left:
            self.warnings_.append(f"{left} values are still missing after imputation ({self.impute}); "
                                  "they drop out of the weighted means")

        tparams = dict(self.treat_params or {})
        x, self.treatment_log_, self.treated_points_ = steps.treat(x, self.treat, **tparams)
        self.log_.append(Step("treat", {"method": self.treat, **tparams}))
        self.treated_ = x
        return self._finish()

    def _finish(self) -> CompositeIndex:
        """normalise → weight → aggregate → rank, from ``treated_``."""
        fw = self.framework
        x = self.treated_
        ind_nodes = fw.nodes[: fw.n_indicators]
        lo, hi = self.normalise_range
        if self.normalise == "zscore":
            lo, hi = 0.0, 1.0
        gp = np.array([n.goalposts if n.goalposts else (np.nan, np.nan) for n in ind_nodes], float)
        tg = np.array([n.target if n.target is not None else np.nan for n in ind_nodes], float)
        self.normalised_ = steps.normalise(x, self.normalise, fw.directions, lo=lo, hi=hi,
                                           goalposts=gp if self.normalise == "goalposts" else None,
                                           targets=tg if self.normalise == "target" else None)
        self.log_.append(Step("normalise", {"method": self.normalise, "range": (lo, hi)}))
        flat = x.reshape(-1, x.shape[-1])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing columns: reported elsewhere
            spread = np.nanmax(flat, axis=0) - np.nanmin(flat, axis=0)
            lowest = float(np.nanmin(self.normalised_)) if not np.isnan(self.normalised_).all() else np.nan
        constant = [c for c, v in zip(fw.indicator_codes, spread, strict=True) if v == 0]
        if constant and self.normalise in ("minmax", "efficacy", "zscore", "target"):
            self.warnings_.append(f"indicator(s) {', '.join(constant)} take one value for every unit: they "
                                  "cannot be normalised and drop out of the weighted means")
        if self.aggregate in ("geometric", "harmonic") and lowest <= 0:
            self.warnings_.append(f"{self.aggregate} aggregation needs values > 0 but the normalised data reach "
                                  f"{lowest:g}; those values drop out (normalise to [1, 100])")

        self.weight_info_: dict[str, dict[str, float]] = {}
        self.weights_ = self._weights()
        self.log_.append(Step("weight", {"method": self.weights, **dict(self.weight_params or {})}))
        self.effective_weights_ = fw.effective_weights(self.weights_)

        self.scores_ = aggregate(fw, self.normalised_, self.weights_, self.aggregate, self.p)
        self.log_.append(Step("aggregate", {"method": self.aggregate, "p": self.p}))
        self.ranks_ = np.moveaxis(steps.rank_desc(np.moveaxis(self.scores_, -1, -2)), -1, -2)
        return self

    def _weights(self) -> np.ndarray:
        fw = self.framework
        wp = dict(self.weight_params or {})
        method = self.weights
        if method not in WEIGHT_METHODS:
            raise FrameworkError(f"weights.method: unknown {method!r}; expected one of "
                                 f"{', '.join(WEIGHT_METHODS)}", source=fw.source)
        w = fw.weights.copy()
        if method == "equal":
            return np.ones_like(w)
        if method == "manual":
            return w
        subjective = self._ahp(w) if method == "ahp" or wp.get("subjective") == "ahp" else w.copy()
        if method == "ahp":
            return subjective
        objective = wp.get("objective", "entropy") if method == "combined" else method
        level = int(wp.get("level", 1))
        obj = self._objective(str(objective), level, w)
        if method != "combined":
            return obj
        out = w.copy()
        for _, kids in fw.groups_of(level):
            out[kids] = combine_weights(subjective[kids], obj[kids], alpha=float(wp.get("alpha", 0.5)),
                                        rule=str(wp.get("rule", "linear")))
        return out

    def _ahp(self, w: np.ndarray) -> np.ndarray:
        fw = self.framework
        out = w.copy()
        max_cr = float(dict(self.weight_params or {}).get("max_cr", 0.1))
        for i, node in enumerate(fw.nodes):
            if node.pairwise is None:
                continue
            try:
                aw, lam, ci, cr = ahp_weights(np.array(node.pairwise, dtype=float))
            except ValueError as exc:
                raise FrameworkError(f"node {node.code!r}: pairwise: {exc}", source=fw.source) from exc
            self.weight_info_[node.code] = {"lambda_max": lam, "CI": ci, "CR": cr}
            if cr > max_cr:  # Saaty: CR ≤ 0.1 is acceptable
                raise FrameworkError(f"node {node.code!r}: pairwise judgements are inconsistent "
                                     f"(CR = {cr:.3f} > {max_cr}); revise the matrix", source=fw.source)
            out[fw.parent == i] = aw
        return out

    def _objective(self, method: str, level: int, w: np.ndarray) -> np.ndarray:
        fw = self.framework
        if method not in (*OBJECTIVE, "pca"):
            raise FrameworkError(f"weights: unknown objective method {method!r}", source=fw.source)
        out = w.copy()
        nominal = aggregate(fw, self.normalised_, w, self.aggregate, self.p) if level > 1 else None
        directional = self.treated_ * fw.directions
        for par, kids in fw.groups_of(level):
            if level == 1 and np.all(kids < fw.n_indicators):
                src = self.normalised_ if method == "pca" else directional
                cols = src[..., kids]
            else:
                base = nominal if nominal is not None else aggregate(fw, self.normalised_, w)
                cols = base[..., kids]
            rows = cols.reshape(-1, len(kids))
            rows = rows[~np.isnan(rows).any(axis=1)]
            name = fw.nodes[par].code
            if method == "pca":
                if len(kids) < 2:
                    continue
                v, share = pca_weights(rows)
                out[kids] = v
                self.weight_info_[name] = {"pc1_share": share, "sum": float(v.sum())}
                cancel = abs(v.sum()) / np.abs(v).sum()
                if np.any(v < 0):
                    amp = np.abs(v).max() / abs(v.sum()) if v.sum() != 0 else np.inf
                    self.warnings_.append(
                        f"PCA weights of {name} have mixed signs ({', '.join(f'{x:.3f}' for x in v)}; sum "
                        f"{v.sum():.3f}): effective weights are amplified up to ×{amp:.1f}"
                        + (" and nearly cancel" if cancel < 0.25 else ""))
            else:
                out[kids] = OBJECTIVE[method](rows)
        return out

    # -- results ----------------------------------------------------------------------------------------
    def index_scores(self, period: int = -1) -> np.ndarray:
        """Scores of the index (root) for every unit in one period (default: the last)."""
        return np.asarray(self.scores_[period, :, -1])

    def contributions(self, period: int = -1) -> np.ndarray:
        """Each node's contribution to the index score, effective weight × score (exact for arithmetic)."""
        return np.asarray(self.scores_[period] * self.effective_weights_)

    def _z01(self, period: int) -> np.ndarray:
        xd = self.treated_ * self.framework.directions
        flat = xd.reshape(-1, xd.shape[-1])
        mn, mx = np.nanmin(flat, axis=0), np.nanmax(flat, axis=0)
        return np.asarray((xd[period] - mn) / np.where(mx > mn, mx - mn, 1.0))

    def obstacles(self, period: int = -1) -> np.ndarray:
        """障碍度 per unit × indicator with the indicators' effective weights (rows sum to 1)."""
        ni = self.framework.n_indicators
        return mcda.obstacle_degree(self._z01(period), self.effective_weights_[:ni])

    def topsis(self, period: int = -1, norm: str = "vector") -> np.ndarray:
        """TOPSIS closeness per unit with the indicators' effective weights (treated data)."""
        ni = self.framework.n_indicators
        return mcda.topsis(self.treated_[period], self.effective_weights_[:ni], self.framework.directions,
                           norm=norm)

    def grey_relational(self, period: int = -1, rho: float = 0.5) -> np.ndarray:
        """Grey relational grade per unit with the indicators' effective weights (treated data)."""
        ni = self.framework.n_indicators
        grades, _ = mcda.grey_relational(self.treated_[period], self.effective_weights_[:ni],
                                         self.framework.directions, rho=rho)
        return grades

    def treatment_table(self, period: int = -1) -> dict[str, TreatRecord]:
        """The outlier-treatment record of every checked indicator in one period."""
        recs = self.treatment_log_[period]
        return {c: r for c, r in zip(self.framework.indicator_codes, recs, strict=True) if r is not None}
