"""Weighting methods: objective (熵权法, CRITIC, coefficient of variation, PCA), subjective (AHP) and their
combinations.

Every objective function takes a matrix of observations × criteria whose directions are already applied
(higher is better) and returns weights summing to 1 (PCA: the raw PC1 loadings, see ``pca_weights``).
"""

from __future__ import annotations

import numpy as np

# Saaty's random consistency index for n = 1…10
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}


def _share(v: np.ndarray) -> np.ndarray:
    """v/Σv; equal shares when nothing tells the criteria apart (Σv = 0, e.g. all constant)."""
    tot = float(np.sum(v))
    if not np.isfinite(tot) or tot <= 0:
        return np.full(v.shape, 1.0 / v.size)
    return np.asarray(v / tot)


def _minmax01(x: np.ndarray) -> np.ndarray:
    mn, mx = x.min(axis=0), x.max(axis=0)
    rng = np.where(mx > mn, mx - mn, 1.0)
    return np.asarray((x - mn) / rng)


def entropy_weights(x: np.ndarray) -> np.ndarray:
    """熵权法 in the Chinese textbook form.

    z = directional min-max to [0, 1] with no shift; p = z/Σz; e = −Σ p ln p / ln m with 0·ln 0 = 0;
    w ∝ 1 − e. A constant column has z ≡ 0; it carries no information, so its e is 1 and its weight 0.
    """
    x = np.asarray(x, dtype=float)
    m = x.shape[0]
    z = _minmax01(x)
    tot = z.sum(axis=0)
    p = np.divide(z, tot, out=np.zeros_like(z), where=tot > 0)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = np.where(tot > 0, -plogp.sum(axis=0) / np.log(m), 1.0)
    return _share(1.0 - e)


def critic_weights(x: np.ndarray) -> np.ndarray:
    """CRITIC: C_j = σ_j Σ_k (1 − r_jk) on min-max [0, 1] data (σ with n−1); w = C/ΣC."""
    z = _minmax01(np.asarray(x, dtype=float))
    sd = z.std(axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.corrcoef(z, rowvar=False) if z.shape[1] > 1 else np.ones((1, 1))
    r = np.nan_to_num(r, nan=0.0)
    return _share(sd * (1.0 - r).sum(axis=0))


def cv_weights(x: np.ndarray) -> np.ndarray:
    """变异系数法: w_j ∝ σ_j / |μ_j| (σ with n−1)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = x.std(axis=0, ddof=1) / np.abs(x.mean(axis=0))
    return _share(np.nan_to_num(v, nan=0.0, posinf=0.0))


def pca_weights(x: np.ndarray) -> tuple[np.ndarray, float]:
    """First principal component loadings of the standardised data (prcomp(center, scale.)), unclipped.

    Returns (loadings, share of variance). The sign is arbitrary; we orient it so the loadings sum to a
    non-negative number, which leaves every weighted mean unchanged.
    """
    x = np.asarray(x, dtype=float)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    _, sv, vt = np.linalg.svd(z, full_matrices=False)
    v = vt[0]
    if v.sum() < 0:
        v = -v
    share = float(sv[0] ** 2 / np.sum(sv**2))
    return v, share


def ahp_weights(a: np.ndarray) -> tuple[np.ndarray, float, float, float]:
    """AHP by the principal eigenvector. Returns (weights, λmax, CI, CR); CR = CI/RI (0 when n ≤ 2)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or np.any(a <= 0):
        raise ValueError("a pairwise matrix must be square with positive entries")
    if not np.allclose(a * a.T, 1.0, rtol=1e-3):
        raise ValueError("a pairwise matrix must be reciprocal: a[j][i] = 1/a[i][j]")
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    w = np.abs(vecs[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX.get(n, 1.49)
    cr = ci / ri if ri > 0 else 0.0
    return w, lam, ci, cr


def combine_weights(subjective: np.ndarray, objective: np.ndarray, *, alpha: float = 0.5,
                    rule: str = "linear") -> np.ndarray:
    """Combined weights: ``linear`` α·w_s + (1−α)·w_o, or ``product`` w_s·w_o / Σ w_s·w_o."""
    s = np.asarray(subjective, float) / np.sum(subjective)
    o = np.asarray(objective, float) / np.sum(objective)
    if rule == "linear":
        return alpha * s + (1.0 - alpha) * o
    if rule == "product":
        prod = s * o
        return np.asarray(prod / prod.sum())
    raise ValueError(f"unknown combination rule {rule!r}; expected linear or product")


OBJECTIVE = {"entropy": entropy_weights, "critic": critic_weights, "cv": cv_weights}
