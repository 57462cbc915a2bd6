"""Outlier treatment: COINr's skew/kurtosis rule with winsorisation then log, and the GII and EIS variants.

Each function works on one column (one indicator in one period) and returns the treated column, a record of
what was done (the fields of COINr's ``Dets_Table``) and a per-point flag, so the treatment log can be
compared with COINr's line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _moments(x: np.ndarray) -> tuple[int, float, float, float]:
    d = x - x.mean()
    d2 = d * d
    return x.size, float(d2.sum()), float((d2 * d).sum()), float((d2 * d2).sum())


def _skew(n: int, s2: float, s3: float) -> float:
    if s2 == 0:
        return 0.0
    return float(np.sqrt(n) * s3 / s2**1.5 * np.sqrt(n * (n - 1)) / (n - 2))


def _kurt(n: int, s2: float, s4: float) -> float:
    if s2 == 0:
        return 0.0
    r = n * s4 / s2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def skew(x: np.ndarray) -> float:
    """Sample skewness, e1071 type 2 (the Excel definition), as COINr uses."""
    n, s2, s3, _ = _moments(x)
    return _skew(n, s2, s3)


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis, e1071 type 2."""
    n, s2, _, s4 = _moments(x)
    return _kurt(n, s2, s4)


def passes(x: np.ndarray, skew_thresh: float, kurt_thresh: float) -> tuple[bool, float, float]:
    """COINr's check_SkewKurt: a column passes when |skew| < threshold OR kurtosis < threshold."""
    n, s2, s3, s4 = _moments(x)
    s, k = _skew(n, s2, s3), _kurt(n, s2, s4)
    return (abs(s) < skew_thresh) or (k < kurt_thresh), s, k


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's log_CT: ln(x − min + 0.01·(max − min))."""
    lo, hi = x.min(), x.max()
    return np.asarray(np.log(x - lo + 0.01 * (hi - lo)))


def log_gii(x: np.ndarray) -> np.ndarray:
    """The GII scaled log ln[(max − 1)(x − min)/(max − min) + 1].

    COINr's own ``log_GII`` returns its input unchanged (it computes the log and then returns ``x``); we apply
    the formula as documented by the GII.
    """
    lo, hi = x.min(), x.max()
    return np.asarray(np.log((hi - 1.0) * (x - lo) / (hi - lo) + 1.0))


@dataclass(slots=True)
class TreatRecord:
    """What happened to one column; mirrors COINr's Dets_Table plus derived counts."""

    pass0: bool
    skew0: float
    kurt0: float
    nwin: int | None = None
    pass1: bool | None = None
    skew1: float | None = None
    kurt1: float | None = None
    pass2: bool | None = None
    skew2: float | None = None
    kurt2: float | None = None
    n_winhi: int = 0
    n_winlo: int = 0
    log_transformed: bool = False
    treatment: str = "none"
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def n_winsorised(self) -> int:
        return self.nwin or 0


def winsorise(x: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float
              ) -> tuple[np.ndarray, int, np.ndarray, np.ndarray]:
    """COINr's iterative winsorisation, quirks included.

    One step caps every point tied at the current extreme to the next value; the side follows the sign of the
    current skew. ``nwin`` is the number of points tied at the last capped maximum plus at the last capped
    minimum, so previously capped points (which tie with the new extreme) accumulate and ties can take it
    past ``winmax``.
    """
    x = x.copy()
    imax: np.ndarray = np.array([], dtype=np.intp)
    imin: np.ndarray = np.array([], dtype=np.intp)
    nwin = 0
    ok = passes(x, skew_thresh, kurt_thresh)[0]
    while not ok and nwin < winmax:
        if skew(x) >= 0:
            imax = np.flatnonzero(x == x.max())
            rest = np.delete(x, imax)
            if rest.size == 0:
                break
            x[imax] = rest.max()
        else:
            imin = np.flatnonzero(x == x.min())
            rest = np.delete(x, imin)
            if rest.size == 0:
                break
            x[imin] = rest.min()
        nwin = imax.size + imin.size
        ok = passes(x, skew_thresh, kurt_thresh)[0]
    return x, nwin, imax, imin


def treat_coinr(x: np.ndarray, *, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5,
                log: str = "log_ct") -> tuple[np.ndarray, TreatRecord, list[str]]:
    """COINr's default Treat on one complete column (GII: thresholds 2.25/3.5 and ``log='log_gii'``)."""
    ok, s0, k0 = passes(x, skew_thresh, kurt_thresh)
    rec = TreatRecord(ok, s0, k0)
    flags = [""] * x.size
    if ok:
        return x.copy(), rec, flags
    xw, nwin, imax, imin = winsorise(x, winmax, skew_thresh, kurt_thresh)
    rec.nwin = nwin
    rec.n_winhi, rec.n_winlo = int(imax.size), int(imin.size)
    for i in imax:
        flags[i] = "winhi"
    for i in imin:
        flags[i] = "winlo"
    rec.pass1, rec.skew1, rec.kurt1 = passes(xw, skew_thresh, kurt_thresh)
    if rec.pass1:
        rec.treatment = "winsorise"
        return xw, rec, flags
    # winsorising was not enough: discard it and log-transform the original column
    xl = log_ct(x) if log == "log_ct" else log_gii(x)
    rec.pass2, rec.skew2, rec.kurt2 = passes(xl, skew_thresh, kurt_thresh)
    rec.log_transformed = True
    rec.treatment = log
    name = "log_CT" if log == "log_ct" else "log_GII"
    flags = [f"{f}+{name}" if f else name for f in flags]
    return xl, rec, flags


def treat_eis(x: np.ndarray, *, sigmas: float = 2.0, sqrt_skew: float = 1.0
              ) -> tuple[np.ndarray, TreatRecord, list[str]]:
    """The European Innovation Scoreboard rule (2017 onward).

    Values beyond mean ± 2σ are replaced by the highest/lowest non-outlying value; then, if the skewness is
    still above 1, the column is square-root transformed (shifted to be non-negative first).
    """
    s0, k0 = skew(x), kurt(x)
    rec = TreatRecord(False, s0, k0)
    mu, sd = x.mean(), x.std(ddof=1)
    hi_cut, lo_cut = mu + sigmas * sd, mu - sigmas * sd
    inside = (x <= hi_cut) & (x >= lo_cut)
    y = x.copy()
    flags = [""] * x.size
    if inside.any():
        hi_mask, lo_mask = x > hi_cut, x < lo_cut
        y[hi_mask] = x[inside].max()
        y[lo_mask] = x[inside].min()
        for i in np.flatnonzero(hi_mask):
            flags[i] = "winhi"
        for i in np.flatnonzero(lo_mask):
            flags[i] = "winlo"
        rec.n_winhi, rec.n_winlo = int(hi_mask.sum()), int(lo_mask.sum())
        rec.nwin = rec.n_winhi + rec.n_winlo
    rec.skew1, rec.kurt1 = skew(y), kurt(y)
    rec.treatment = "winsorise" if rec.nwin else "none"
    if rec.skew1 > sqrt_skew:
        y = np.sqrt(y - min(0.0, float(y.min())))
        rec.log_transformed = True
        rec.treatment = "sqrt" if not rec.nwin else "winsorise+sqrt"
        flags = [f"{f}+sqrt" if f else "sqrt" for f in flags]
    rec.pass0 = rec.treatment == "none"
    return y, rec, flags
