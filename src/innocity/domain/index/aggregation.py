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
              p: float = 1.0, *, keep: np.ndarray | None = None) -> np.ndarray:
    """Scores of every node.

    ``x``: normalised indicators, shape (..., units, indicators), or (units, indicators) shared by all
    weight sets. ``weights``: node weights relative within parents, shape (N,) or (batch, N).
    Returns (batch, units, N) when weights are batched, else (..., units, N); with batched weights ``keep``
    (node positions) limits the result to those nodes, (batch, units, len(keep)).

    With batched weights, nodes whose inputs and weights do not vary across the batch are computed once
    (``shared``) and only broadcast at the end; children's transforms f(x) are shared the same way.
    """
    if method not in AGGREGATE_METHODS:
        raise ValueError(f"unknown aggregation {method!r}; expected one of {', '.join(AGGREGATE_METHODS)}")
    w = np.asarray(weights, dtype=float)
    n = len(framework.nodes)
    ni = framework.n_indicators
    if w.ndim == 1:
        s = np.empty((*x.shape[:-2], x.shape[-2], n))
        s[..., :ni] = x
        for plan in framework.plans:
            s[..., plan.parents] = _level(s[..., plan.children], w[plan.children][:, None] * plan.membership,
                                          method, p)
        return s
    if x.ndim != 2:
        raise ValueError("batched weights need x shaped (units, indicators)")
    batch = w.shape[0]
    shared = np.empty((x.shape[0], n))
    shared[:, :ni] = x
    is_shared = np.zeros(n, dtype=bool)
    is_shared[:ni] = True
    varies = np.any(w != w[:1], axis=0)
    out = np.empty((batch, x.shape[0], n))
    for plan in framework.plans:
        kids = plan.children
        if is_shared[kids].all() and not varies[kids].any():
            shared[:, plan.parents] = _level(shared[:, kids], w[0, kids][:, None] * plan.membership, method, p)
            is_shared[plan.parents] = True
            continue
        if is_shared[kids].all():
            c = shared[:, kids]  # (units, c), multiplied by every weight set at once below
        else:
            c = np.where(is_shared[kids][None, None, :], shared[None][..., kids], out[..., kids])
        wc = w[:, kids][:, :, None] * plan.membership[None, :, :]
        out[..., plan.parents] = _level(c, wc, method, p)
    if keep is not None:
        sel = np.asarray(keep, dtype=np.intp)
        res = out[..., sel]
        if is_shared[sel].any():
            res[..., is_shared[sel]] = shared[:, sel[is_shared[sel]]][None]
        return res
    out[..., is_shared] = shared[:, is_shared][None]
    return out


def _level(c: np.ndarray, wc: np.ndarray, method: str, p: float) -> np.ndarray:
    """Weighted power mean of children ``c`` (..., units, c) with weights ``wc`` (..., c, parents)."""
    f = _forward(c, method, p)
    if np.isnan(f).any():
        ok = ~np.isnan(f)
        num = np.where(ok, f, 0.0) @ wc
        den = ok.astype(float) @ wc
    else:
        num = f @ wc
        den = wc.sum(axis=-2, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _inverse(num / den, method, p)
