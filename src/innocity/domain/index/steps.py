"""The data steps of an index run on arrays shaped (periods, units, indicators): denominate, impute,
treat outliers, normalise.

Each function is pure: it takes an array and parameters and returns new arrays plus whatever a log needs.
For panels, normalisation takes min and max over all periods so that scores stay comparable over time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .treat import TreatRecord, treat_coinr, treat_eis

IMPUTE_METHODS = ("none", "mean", "median", "group_mean", "carry", "linear")
TREAT_METHODS = ("none", "coinr", "gii", "eis")
NORMALISE_METHODS = ("minmax", "zscore", "rank", "prank", "goalposts", "target", "frontier", "efficacy")


def denominate(x: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """Divide each indicator by its denominator (an array of the same shape; 1 where there is none)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / denominators


def impute(x: np.ndarray, method: str, *, groups: Sequence[str | None] | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """Fill missing values; returns the filled array and a mask of the cells that were filled.

    ``mean``/``median``: per period and indicator, over the units (COINr ``i_mean``/``i_median``);
    ``group_mean``: the same within each unit group (units without a group use the overall mean);
    ``carry``: last observed period forward, then first observed backward (EIS);
    ``linear``: linear interpolation between observed periods, carried flat beyond the ends.
    """
    if method not in IMPUTE_METHODS:
        raise ValueError(f"unknown imputation method {method!r}; expected one of {', '.join(IMPUTE_METHODS)}")
    missing = np.isnan(x)
    y = x.copy()
    if method == "none" or not missing.any():
        return y, np.zeros_like(missing)
    if method in ("mean", "median"):
        f = np.nanmean if method == "mean" else np.nanmedian
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                fill = f(x, axis=1, keepdims=True)
        y = np.where(missing, np.broadcast_to(fill, x.shape), x)
    elif method == "group_mean":
        labels = np.array(["" if g is None else str(g) for g in (groups or [None] * x.shape[1])])
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            overall = np.nanmean(x, axis=1, keepdims=True)
            fill = np.broadcast_to(overall, x.shape).copy()
            for g in np.unique(labels):
                if g == "":
                    continue
                sel = labels == g
                gm = np.nanmean(x[:, sel, :], axis=1, keepdims=True)
                gm = np.where(np.isnan(gm), overall, gm)
                fill[:, sel, :] = gm
        y = np.where(missing, fill, x)
    elif method == "carry":
        y = _carry(x)
    elif method == "linear":
        t = np.arange(x.shape[0], dtype=float)
        for u in range(x.shape[1]):
            for i in range(x.shape[2]):
                col = x[:, u, i]
                ok = ~np.isnan(col)
                if ok.any() and not ok.all():
                    y[:, u, i] = np.interp(t, t[ok], col[ok])
    return y, missing & ~np.isnan(y)


def _carry(x: np.ndarray) -> np.ndarray:
    """Forward fill along periods, then backward fill what is left, vectorised over units and indicators."""
    t = x.shape[0]
    idx = np.where(~np.isnan(x), np.arange(t)[:, None, None], 0)
    np.maximum.accumulate(idx, axis=0, out=idx)
    fwd = np.take_along_axis(x, idx, axis=0)
    ridx = np.where(~np.isnan(fwd), np.arange(t)[:, None, None], t - 1)
    ridx = np.minimum.accumulate(ridx[::-1], axis=0)[::-1]
    return np.take_along_axis(fwd, ridx, axis=0)


def treat(x: np.ndarray, method: str, **params: float) -> tuple[np.ndarray, list[list[TreatRecord | None]],
                                                                   np.ndarray]:
    """Treat outliers column by column (each indicator in each period).

    Returns the treated array, ``records[t][i]`` (None where nothing was checked) and per-cell flags.
    ``coinr``: skew 2 / kurtosis 3.5, winsorise ≤ winmax (5) else log_CT of the original column;
    ``gii``: the same with skew 2.25 and the GII log; ``eis``: mean ± 2σ capping then √ if skew > 1.
    """
    if method not in TREAT_METHODS:
        raise ValueError(f"unknown treatment {method!r}; expected one of {', '.join(TREAT_METHODS)}")
    y = x.copy()
    flags = np.full(x.shape, "", dtype=object)
    records: list[list[TreatRecord | None]] = [[None] * x.shape[2] for _ in range(x.shape[0])]
    if method == "none":
        return y, records, flags
    for t in range(x.shape[0]):
        for i in range(x.shape[2]):
            col = x[t, :, i]
            ok = ~np.isnan(col)
            if ok.sum() < 4:
                continue
            if method == "eis":
                out, rec, fl = treat_eis(col[ok], sigmas=float(params.get("sigmas", 2.0)))
            else:
                gii = method == "gii"
                out, rec, fl = treat_coinr(
                    col[ok],
                    winmax=int(params.get("winmax", 5)),
                    skew_thresh=float(params.get("skew_thresh", 2.25 if gii else 2.0)),
                    kurt_thresh=float(params.get("kurt_thresh", 3.5)),
                    log="log_gii" if gii else "log_ct",
                )
            y[t, ok, i] = out
            flags[t, np.flatnonzero(ok), i] = fl
            records[t][i] = rec
    return y, records, flags


def normalise(x: np.ndarray, method: str, directions: np.ndarray, *, lo: float = 0.0, hi: float = 100.0,
              goalposts: np.ndarray | None = None, targets: np.ndarray | None = None) -> np.ndarray:
    """Normalise every indicator after applying its direction (x' = x·direction).

    Statistics are pooled over all periods and units, so a panel keeps one scale across years.
    ``minmax`` to [lo, hi]; ``zscore`` (sd with n−1) gives mean ``lo`` and sd ``hi`` (pass (0, 1)); ``rank`` (ties averaged); ``prank`` percentile rank in
    [0, 100]; ``goalposts`` (low, high) per indicator in original units, truncated to [0, 1] then scaled;
    ``target``: (x' − min)/(target' − min) capped at 1, scaled; ``frontier``: x'/max(x'), scaled;
    ``efficacy`` (功效系数): 60 + 40·minmax₀₁.
    """
    if method not in NORMALISE_METHODS:
        raise ValueError(f"unknown normalisation {method!r}; expected one of {', '.join(NORMALISE_METHODS)}")
    d = np.asarray(directions, dtype=float)
    xd = x * d
    flat = xd.reshape(-1, xd.shape[-1])
    import warnings

    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        mn, mx = np.nanmin(flat, axis=0), np.nanmax(flat, axis=0)
        if method == "minmax":
            return np.asarray((xd - mn) / (mx - mn) * (hi - lo) + lo)
        if method == "efficacy":
            return np.asarray(60.0 + 40.0 * (xd - mn) / (mx - mn))
        if method == "zscore":
            mean = np.nanmean(flat, axis=0)
            sd = np.nanstd(flat, axis=0, ddof=1)
            return np.asarray((xd - mean) / sd * hi + lo)
        if method in ("rank", "prank"):
            r = _rank_avg(flat)
            n = np.sum(~np.isnan(flat), axis=0)
            if method == "prank":
                r = (r - 1.0) / (n - 1.0) * 100.0
            return r.reshape(xd.shape)
        if method == "frontier":
            return np.asarray(xd / mx * (hi - lo) + lo)
        if method == "goalposts":
            if goalposts is None:
                raise ValueError("goalposts normalisation needs goalposts for every indicator")
            gp = np.asarray(goalposts, dtype=float)
            a = np.where(d > 0, gp[:, 0], -gp[:, 1])
            b = np.where(d > 0, gp[:, 1], -gp[:, 0])
            z = np.clip((xd - a) / (b - a), 0.0, 1.0)
            return np.asarray(z * (hi - lo) + lo)
        if targets is None:
            raise ValueError("target normalisation needs a target for every indicator")
        t = np.asarray(targets, dtype=float) * d
        z = np.minimum((xd - mn) / (t - mn), 1.0)
        return np.asarray(z * (hi - lo) + lo)


def _rank_avg(a: np.ndarray) -> np.ndarray:
    """Column-wise ranks (1 = smallest) with ties averaged; NaN stays NaN."""
    out = np.full(a.shape, np.nan)
    for j in range(a.shape[1]):
        col = a[:, j]
        ok = ~np.isnan(col)
        v = col[ok]
        order = np.argsort(v, kind="mergesort")
        sv = v[order]
        ranks = np.empty(v.size)
        # average rank over each run of ties
        starts = np.r_[0, np.flatnonzero(np.diff(sv)) + 1]
        ends = np.r_[starts[1:], v.size]
        avg = (starts + ends + 1) / 2.0
        ranks[order] = np.repeat(avg, ends - starts)
        out[ok, j] = ranks
    return out


def rank_desc(scores: np.ndarray) -> np.ndarray:
    """rank(−score, ties = "min") along the last axis: 1 is best; NaN scores rank last."""
    s = np.where(np.isnan(scores), -np.inf, scores)
    order = np.argsort(-s, axis=-1, kind="stable")
    sv = np.take_along_axis(s, order, axis=-1)
    n = s.shape[-1]
    pos = np.broadcast_to(np.arange(n), sv.shape)
    new_run = np.ones(sv.shape, dtype=bool)
    new_run[..., 1:] = sv[..., 1:] != sv[..., :-1]
    run_start = np.maximum.accumulate(np.where(new_run, pos, 0), axis=-1)
    ranks = np.empty(sv.shape, dtype=np.intp)
    np.put_along_axis(ranks, order, run_start + 1, axis=-1)
    return ranks
