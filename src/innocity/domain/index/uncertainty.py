"""Monte Carlo uncertainty analysis of a fitted index, batched.

Each replication draws a weight set (w' = w·U(1−noise, 1+noise) for nodes at chosen levels, COINr's
``get_noisy_weights``) and one alternative per discrete choice (aggregation, normalisation, imputation,
treatment). The normalised data depend only on the data-step choices, so replications are grouped by those
choices: each group is fitted once and all its weight sets are aggregated together with batched matrix
products. Rank statistics follow COINr: rank(−score, ties = "min"), quantiles of type 7 (numpy ``linear``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .aggregation import aggregate
from .model import CompositeIndex
from .steps import rank_desc

DATA_CHOICES = ("impute", "treat", "normalise")
CHUNK = 256  # weight sets per batched aggregation: bounds memory at (CHUNK, units, nodes)
Progress = Callable[[float], None]  # told the share of replications done, 0…1


@dataclass(frozen=True)
class UncertaintySpec:
    """What a Monte Carlo run varies. Empty choice lists keep the nominal setting."""

    weight_noise: float = 0.0
    noise_levels: tuple[int, ...] = (2, 3)
    aggregate: tuple[str, ...] = ()
    normalise: tuple[str, ...] = ()
    impute: tuple[str, ...] = ()
    treat: tuple[str, ...] = ()
    normalise_range: tuple[float, float] | None = None
    seed: int | None = None

    def choices(self) -> dict[str, tuple[str, ...]]:
        """The discrete factors that actually vary (more than one alternative)."""
        out = {}
        for name in ("aggregate", *DATA_CHOICES):
            alts = getattr(self, name)
            if len(alts) > 0:
                out[name] = tuple(alts)
        return out


@dataclass
class Draws:
    """The replications to run: weight sets (R, nodes) and, per discrete factor, the chosen alternative."""

    weights: np.ndarray
    choices: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])


@dataclass
class UncertaintyResult:
    """Scores and ranks per replication (R, units), the nominal ranks, and the draws that produced them."""

    units: tuple[str, ...]
    nominal_score: np.ndarray
    nominal_rank: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    draws: Draws
    warnings: list[str] = field(default_factory=list)

    @property
    def rank_mean(self) -> np.ndarray:
        return np.asarray(self.ranks.mean(axis=0))

    @property
    def rank_median(self) -> np.ndarray:
        return np.asarray(np.median(self.ranks, axis=0))

    def rank_quantile(self, q: float) -> np.ndarray:
        """Rank quantile per unit, R's type 7 (numpy's default ``linear``)."""
        return np.asarray(np.quantile(self.ranks, q, axis=0))


def nominal_model(model: CompositeIndex, spec: UncertaintySpec) -> CompositeIndex:
    """The fitted model the analysis perturbs: the nominal one, in the analysis' normalisation range."""
    if spec.normalise_range is not None and tuple(spec.normalise_range) != tuple(model.normalise_range):
        return model.regen(normalise_range=tuple(spec.normalise_range))
    return model


def draw(model: CompositeIndex, spec: UncertaintySpec, n: int, rng: np.random.Generator) -> Draws:
    """Draw ``n`` replications from ``spec`` around the fitted model's weights."""
    fw = model.framework
    w = np.broadcast_to(model.weights_, (n, len(fw.nodes))).copy()
    if spec.weight_noise > 0:
        mask = fw.nodes_at_levels(spec.noise_levels)
        u = rng.random((n, int(mask.sum())))
        w[:, mask] = w[:, mask] * (1.0 + spec.weight_noise * (2.0 * u - 1.0))
    # balanced draws: each alternative appears n/k times (±1) in random order, which removes the noise of
    # the split itself; the split decides bimodal rank distributions (e.g. arithmetic vs geometric)
    choices = {name: np.asarray(alts, dtype=object)[rng.permutation(np.arange(n) % len(alts))]
               for name, alts in spec.choices().items()}
    return Draws(w, choices)


def evaluate(model: CompositeIndex, draws: Draws, *, period: int = -1, progress: Progress | None = None
             ) -> np.ndarray:
    """Index scores (R, units) of every replication, batched by discrete choice; ``progress`` is told the
    share done after each batch."""
    r = draws.n
    done = 0
    units = model.scores_.shape[1]
    out = np.empty((r, units))
    keep = np.array([len(model.framework.nodes) - 1])  # the index only
    data_keys = [k for k in DATA_CHOICES if k in draws.choices]
    nominal = {k: getattr(model, k) for k in DATA_CHOICES}
    agg = draws.choices.get("aggregate", np.full(r, model.aggregate, dtype=object))
    combos = (itertools.product(*(sorted(set(draws.choices[k].tolist())) for k in data_keys))
              if data_keys else [()])
    # models after imputation and treatment, by (impute, treat): normalisation alternatives reuse them
    prepared: dict[tuple[str, str], CompositeIndex] = {(model.impute, model.treat): model}
    for combo in combos:
        sel = np.ones(r, dtype=bool)
        for k, v in zip(data_keys, combo, strict=True):
            sel &= draws.choices[k] == v
        if not sel.any():
            continue
        chosen = {**nominal, **dict(zip(data_keys, combo, strict=True))}
        key = (str(chosen["impute"]), str(chosen["treat"]))
        if key not in prepared:
            prepared[key] = model.regen(impute=key[0], treat=key[1])
        fitted = prepared[key]
        if chosen["normalise"] != fitted.normalise:
            fitted = fitted.regen(normalise=chosen["normalise"])
        x = fitted.normalised_[period]
        for method in sorted(set(agg[sel].tolist())):
            idx = np.flatnonzero(sel & (agg == method))
            for start in range(0, idx.size, CHUNK):
                part = idx[start:start + CHUNK]
                s = aggregate(model.framework, x, draws.weights[part], method, model.p, keep=keep)
                out[part] = s[:, :, 0]
                done += part.size
                if progress is not None:
                    progress(done / r)
    return out


def run_uncertainty(model: CompositeIndex, spec: UncertaintySpec, n: int, *, period: int = -1,
                    rng: np.random.Generator | None = None, progress: Progress | None = None
                    ) -> UncertaintyResult:
    """Monte Carlo uncertainty analysis with ``n`` replications of the fitted ``model``."""
    if n < 1:
        raise ValueError("the number of replications must be at least 1")
    base = nominal_model(model, spec)
    gen = rng if rng is not None else np.random.default_rng(spec.seed)
    draws = draw(base, spec, n, gen)
    return replay(base, draws, period=period, progress=progress)


def replay(model: CompositeIndex, draws: Draws, *, period: int = -1, progress: Progress | None = None
           ) -> UncertaintyResult:
    """Run given draws (e.g. COINr's recorded ones) through the fitted ``model``."""
    scores = evaluate(model, draws, period=period, progress=progress)
    warnings = []
    if np.isnan(scores).any():
        warnings.append(f"{int(np.isnan(scores).any(axis=1).sum())} replications produced missing scores "
                        "(e.g. geometric aggregation of non-positive values); those units rank last there")
    nominal = model.index_scores(period)
    return UncertaintyResult(model.data_.units, nominal, rank_desc(nominal), scores, rank_desc(scores),
                             draws, warnings)
