"""Variance-based sensitivity: which assumptions move the ranks most (Sobol first-order and total indices).

Saltelli design: two independent N×d uniform matrices A and B and, for each factor i, A with column i taken
from B (AB_i): N(d+2) model runs, all evaluated in one batched pass. Estimators: first order
Sᵢ = mean(y_B·(y_ABᵢ − y_A))/V (Saltelli 2010), total Sₜᵢ = mean((y_A − y_ABᵢ)²)/(2V) (Jansen 1999),
V = var(y_A ∪ y_B). The output is COINr's: the mean absolute rank change from the nominal ranks.

Factors: the weight noise of each perturbed level (a uniform number picks one of N pre-drawn noisy weight
vectors for that level, as COINr does), and each discrete choice with more than one alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import CompositeIndex
from .steps import rank_desc
from .uncertainty import Draws, Progress, UncertaintySpec, evaluate, nominal_model


@dataclass
class SobolResult:
    """First-order and total indices per factor, with bootstrap 90% intervals."""

    factors: list[str]
    first: np.ndarray
    total: np.ndarray
    first_ci: np.ndarray
    total_ci: np.ndarray
    variance: float
    runs: int


def sobol_indices(ya: np.ndarray, yb: np.ndarray, yab: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Sᵢ and Sₜᵢ from y_A (N,), y_B (N,) and y_ABᵢ (d, N)."""
    v = float(np.var(np.concatenate([ya, yb])))
    if v == 0:
        return np.zeros(yab.shape[0]), np.zeros(yab.shape[0]), 0.0
    first = np.mean(yb[None, :] * (yab - ya[None, :]), axis=1) / v
    total = np.mean((ya[None, :] - yab) ** 2, axis=1) / (2 * v)
    return first, total, v


def _factors(model: CompositeIndex, spec: UncertaintySpec) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    if spec.weight_noise > 0:
        for lvl in spec.noise_levels:
            if model.framework.nodes_at_levels([lvl]).any():
                out.append((f"weights level {lvl}", lvl))
    for name, alts in spec.choices().items():
        if len(alts) > 1:
            out.append((name, alts))
    return out


def _draws_from(u: np.ndarray, model: CompositeIndex, spec: UncertaintySpec,
                factors: list[tuple[str, object]], pools: dict[int, np.ndarray]) -> Draws:
    fw = model.framework
    w = np.broadcast_to(model.weights_, (u.shape[0], len(fw.nodes))).copy()
    choices: dict[str, np.ndarray] = {}
    for j, (name, what) in enumerate(factors):
        if isinstance(what, int):
            pool = pools[what]
            pick = np.minimum((u[:, j] * pool.shape[0]).astype(int), pool.shape[0] - 1)
            mask = fw.nodes_at_levels([what])
            w[:, mask] = pool[pick]
        else:
            alts = np.asarray(what, dtype=object)
            choices[name] = alts[np.minimum((u[:, j] * len(alts)).astype(int), len(alts) - 1)]
    for key, fixed in spec.choices().items():
        if len(fixed) == 1:  # a single alternative is fixed, not a factor
            choices[key] = np.full(u.shape[0], fixed[0], dtype=object)
    return Draws(w, choices)


def run_sobol(model: CompositeIndex, spec: UncertaintySpec, n: int, *, period: int = -1,
              n_boot: int = 200, rng: np.random.Generator | None = None, progress: Progress | None = None
              ) -> SobolResult:
    """Sobol indices of the mean absolute rank change, with ``n`` base samples (N(d+2) runs)."""
    base = nominal_model(model, spec)
    gen = rng if rng is not None else np.random.default_rng(spec.seed)
    factors = _factors(base, spec)
    d = len(factors)
    if d == 0:
        raise ValueError("nothing varies: give weight noise or more than one alternative for a choice")
    fw = base.framework
    pools = {}
    for _, what in factors:
        if isinstance(what, int):
            mask = fw.nodes_at_levels([what])
            nominal = base.weights_[mask]
            pools[what] = nominal * (1 + spec.weight_noise * (2 * gen.random((n, int(mask.sum()))) - 1))
    a, b = gen.random((n, d)), gen.random((n, d))
    blocks = [a, b] + [np.where(np.arange(d) == i, b, a) for i in range(d)]
    u = np.vstack(blocks)
    scores = evaluate(base, _draws_from(u, base, spec, factors, pools), period=period, progress=progress)
    nominal_rank = rank_desc(base.index_scores(period))
    y = np.mean(np.abs(rank_desc(scores) - nominal_rank[None, :]), axis=1)
    ya, yb, yab = y[:n], y[n:2 * n], y[2 * n:].reshape(d, n)
    first, total, v = sobol_indices(ya, yb, yab)
    boots_f, boots_t = [], []
    for _ in range(n_boot):
        k = gen.integers(0, n, n)
        f, t, _ = sobol_indices(ya[k], yb[k], yab[:, k])
        boots_f.append(f)
        boots_t.append(t)
    fci = np.quantile(np.array(boots_f), [0.05, 0.95], axis=0).T if n_boot else np.full((d, 2), np.nan)
    tci = np.quantile(np.array(boots_t), [0.05, 0.95], axis=0).T if n_boot else np.full((d, 2), np.nan)
    return SobolResult([f for f, _ in factors], first, total, fci, tci, v, int(u.shape[0]))
