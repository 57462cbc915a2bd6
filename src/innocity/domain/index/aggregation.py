"""Aggregation up the tree with weighted power means, for one weight set or many at once.

Every mean is f⁻¹(Σ w·f(x) / Σ w) with f = identity (arithmetic), log (geometric), 1/x (harmonic) or
x^p (generalised). Missing values drop out of both sums, as in COINr's ``a_amean``. A level is one batched
matrix product, so a thousand Monte Carlo weight sets cost a handful of ``matmul`` calls.
"""

from __future__ import annotations

import numpy as np

from .framework import Framework

AGGREGATE_METHODS = ("arithmetic", "geometric", "harmonic", "generalised")


def _forward(x: np.ndarray, method: str, p: float) -> np.ndarray:
    if method == "arithmetic":
        return x
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "geometric":
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        if method == "harmonic":
            return np.where(x > 0, 1.0 / np.where(x > 0, x, 1.0), np.nan)
        if p == 0:
            return _forward(x, "geometric", p)
        return np.asarray(np.power(x, p))


def _inverse(y: np.ndarray, method: str, p: float) -> np.ndarray:
    if method == "arithmetic":
        return y
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "geometric" or (method == "generalised" and p == 0):
            return np.exp(y)
        if method == "harmonic":
            return 1.0 / y
        return np.asarray(np.power(y, 1.0 / p))


def aggregate(framework: Framework, x: np.ndarray, weights: np.ndarray, method: str = "arithmetic",
              p: float = 1.0) -> np.ndarray:
    """Scores of every node.

    ``x``: normalised indicators, shape (..., units, indicators), or (units, indicators) shared by all
    weight sets. ``weights``: node weights relative within parents, shape (N,) or (batch, N).
    Returns (batch, units, N) when weights are batched, else (..., units, N).
    """
    if method not in AGGREGATE_METHODS:
        raise ValueError(f"unknown aggregation {method!r}; expected one of {', '.join(AGGREGATE_METHODS)}")
    w = np.asarray(weights, dtype=float)
    batched = w.ndim == 2
    n = len(framework.nodes)
    ni = framework.n_indicators
    lead = (w.shape[0],) if batched else x.shape[:-2]
    units = x.shape[-2]
    s = np.empty((*lead, units, n))
    s[..., :ni] = x
    has_nan = bool(np.isnan(x).any())
    for plan in framework.plans:
        kids = plan.children
        c = _forward(s[..., kids], method, p)
        if batched:
            wc = w[:, kids][:, :, None] * plan.membership[None, :, :]
        else:
            wc = w[kids][:, None] * plan.membership
        nan = has_nan or method != "arithmetic"
        if nan and np.isnan(c).any():
            ok = ~np.isnan(c)
            num = np.where(ok, c, 0.0) @ wc
            den = ok.astype(float) @ wc
        else:
            num = c @ wc
            den = wc.sum(axis=-2, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            s[..., plan.parents] = _inverse(num / den, method, p)
    return s
