"""Alternative scorings on a flat criteria matrix: TOPSIS, grey relational analysis, and the obstacle degree
(障碍度) that tells each unit which indicators hold it back.

Inputs are units × criteria matrices of raw (or treated) values plus directions and weights; each function
works on one matrix or on a batch of weight sets (weights shaped (batch, criteria)).
"""

from __future__ import annotations

import numpy as np


def topsis(x: np.ndarray, weights: np.ndarray, directions: np.ndarray, *, norm: str = "vector"
           ) -> np.ndarray:
    """Relative closeness C = D⁻/(D⁺ + D⁻) per unit.

    ``norm='vector'``: r = x/√Σx², ideal = max (min for cost criteria); ``norm='minmax'``: directional min-max
    to [0, 1], ideal 1 and anti-ideal 0. Weights (criteria,) or (batch, criteria) → (units,) or (batch, units).
    """
    x = np.asarray(x, dtype=float)
    d = np.asarray(directions, dtype=float)
    w = np.asarray(weights, dtype=float)
    if norm == "vector":
        r = x / np.sqrt(np.sum(x**2, axis=0))
        wr = r[None] * w[..., None, :] if w.ndim == 2 else r * w
        best = np.where(d > 0, wr.max(axis=-2), wr.min(axis=-2))
        worst = np.where(d > 0, wr.min(axis=-2), wr.max(axis=-2))
    elif norm == "minmax":
        xd = x * d
        r = (xd - xd.min(axis=0)) / (xd.max(axis=0) - xd.min(axis=0))
        wr = r[None] * w[..., None, :] if w.ndim == 2 else r * w
        best, worst = wr.max(axis=-2), wr.min(axis=-2)
    else:
        raise ValueError(f"unknown TOPSIS normalisation {norm!r}; expected vector or minmax")
    dp = np.sqrt(np.sum((wr - best[..., None, :]) ** 2, axis=-1))
    dm = np.sqrt(np.sum((wr - worst[..., None, :]) ** 2, axis=-1))
    return np.asarray(dm / (dp + dm))


def grey_relational(x: np.ndarray, weights: np.ndarray, directions: np.ndarray, *, rho: float = 0.5
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Grey relational grade r_i = Σ_k w_k ξ_i(k) against the ideal sequence.

    Data are directional min-max normalised to [0, 1], so the reference sequence x₀(k) is the best value of
    each indicator (1); Δ = |x₀ − x|, ξ = (Δmin + ρΔmax)/(Δ + ρΔmax) with Δmin/Δmax over the whole matrix.
    Returns (grades, coefficients ξ).
    """
    x = np.asarray(x, dtype=float)
    xd = x * np.asarray(directions, dtype=float)
    z = (xd - xd.min(axis=0)) / (xd.max(axis=0) - xd.min(axis=0))
    delta = np.abs(z.max(axis=0) - z)
    dmin, dmax = delta.min(), delta.max()
    xi = (dmin + rho * dmax) / (delta + rho * dmax)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)
    return np.asarray(xi @ w.T if w.ndim == 2 else xi @ w).T, xi


def obstacle_degree(z01: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """障碍度 O_ij = w_j (1 − z_ij) / Σ_j w_j (1 − z_ij) for normalised z in [0, 1]; rows sum to 1.

    A unit that is best on everything has no obstacle at all; its row is zeros.
    """
    gap = np.asarray(weights, dtype=float) * (1.0 - np.asarray(z01, dtype=float))
    tot = gap.sum(axis=-1, keepdims=True)
    return np.divide(gap, tot, out=np.zeros_like(gap), where=tot > 0)
