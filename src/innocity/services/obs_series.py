"""Checks of imported observations across rows and against the store: duplicate rows, values that
contradict stored ones, and period-on-period jumps far outside a series' history. Vectorised with
integer keys (numpy/pandas), so a million rows take about a second.

The jump rule is a modified z-score of the log changes of the series (stored and imported values
together, consecutive periods of the same kind): with the median m and the median absolute deviation MAD
of its changes d_t = log v_t − log v_t−1, a change is flagged when 0.6745·|d_t − m| / max(MAD, 0.02) > 3.5
and the value moved by at least a factor of 1.5. A series with fewer than four changes has no history to
judge by, so only a factor over 10 is flagged. The change right after a flagged spike that goes back the
other way is not flagged again. A note on the row ("口径调整" …) accepts the jump.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from innocity.domain.observation import Period

from .obs_checks import Problems
from .obs_table import Table, factorize

Z_LIMIT = 3.5
MAD_FLOOR = 0.02
MIN_HISTORY = 4
MIN_JUMP = float(np.log(1.5))
LONE_JUMP = float(np.log(10.0))
KEY = ["region_id", "indicator_code", "period", "vintage", "kn"]


def _kn(vintage: np.ndarray, known_on: np.ndarray) -> np.ndarray:
    # preliminary and final values exist once per period; revisions are told apart by their date
    return np.where(vintage == "revised", known_on, "")


def _with_kn(df: Table) -> Table:
    revised = df["vintage"] == "revised"
    extra: dict[str, np.ndarray] = {"kn": np.where(revised, df["known_on"], "")}
    if "_k_known_on" in df:
        extra["_k_kn"] = np.where(revised, df["_k_known_on"] + 1, 0)
    return df.assign(**extra)


def int_key(df: Table, cols: list[str]) -> np.ndarray:
    """One int64 per row that is equal exactly when all ``cols`` are equal."""
    key = np.zeros(len(df), dtype=np.int64)
    for c in cols:
        coded = f"_k_{c}"
        if coded in df:  # codes ``check_rows`` already made: no second hashing of a text column
            codes = np.asarray(df[coded], dtype=np.int64)
            n = int(codes.max()) + 1 if len(codes) else 0
        else:
            codes, uniq = factorize(df[c])
            n = len(uniq)
        key = key * (n + 1) + codes
    return key


def check_duplicates(df: Table, p: Problems) -> np.ndarray:
    """Rows repeating an earlier row's region, indicator, period and vintage; returns the mask of them."""
    k = _with_kn(df)
    key = int_key(k, KEY)
    dup = pd.Series(key).duplicated(keep="first").to_numpy()
    if dup.any():
        first = pd.Series(k["row"][~dup], index=key[~dup])
        first_rows = first.reindex(key[dup]).to_numpy()
        p.add(
            k["row"][dup],
            "period",
            [f"same region, indicator, period and vintage as row {r}" for r in first_rows],
            k["_rec"][dup],
        )
    return np.asarray(dup)


def check_against_store(df: Table, existing: pd.DataFrame, p: Problems) -> np.ndarray:
    """Compare with stored values: the same value again is "unchanged" (returned mask, not stored
    twice); a different one is a problem (send a correction as a dated revision)."""
    unchanged = np.zeros(len(df), dtype=bool)
    if existing.empty or df.empty:
        return unchanged
    k = _with_kn(df).frame([*KEY, "value", "row", "_rec"])
    k["_i"] = np.arange(len(k))
    e = existing.assign(kn=_kn(existing["vintage"].to_numpy(), existing["known_on"].to_numpy()))
    e = e[[*KEY, "value"]].rename(columns={"value": "stored"})
    m = k.merge(e, on=KEY, how="inner")
    if m.empty:
        return unchanged
    same = np.isclose(m["value"].to_numpy(), m["stored"].to_numpy(), rtol=1e-9, atol=1e-12)
    unchanged[m["_i"].to_numpy()[same]] = True
    diff = m[~same]
    p.add(
        diff["row"].to_numpy(),
        "value",
        [
            f"a {v} value for {per} is already stored ({st:g}); send a correction as vintage revised with its date"
            for v, per, st in zip(diff["vintage"], diff["period"], diff["stored"], strict=True)
        ],
        diff["_rec"].to_numpy(),
    )
    return unchanged


def _ascending(*keys: np.ndarray) -> bool:
    """Whether rows are already in the lexicographic order of ``keys`` (the first key first)."""
    if len(keys[0]) < 2:
        return True
    tied = np.ones(len(keys[0]) - 1, dtype=bool)  # rows equal on every key so far
    for k in keys:
        before, after = k[:-1], k[1:]
        if np.any(tied & (after < before)):
            return False
        tied &= after == before
        if not tied.any():
            return True
    return True


def check_jumps(df: Table, existing: pd.DataFrame, p: Problems) -> np.ndarray:
    """Period-on-period jumps far outside the series' history without a note; returns the flagged mask."""
    flagged = np.zeros(len(df), dtype=bool)
    if df.empty:
        return flagged
    series = ["region_id", "indicator_code", "period_kind"]
    cols = [*series, "period_year", "period_index", "value"]
    coded = ["_k_indicator_code"] if existing.empty and "_k_indicator_code" in df else []
    allv = Table({c: df[c] for c in cols + coded}).assign(_i=np.arange(len(df)))
    if not existing.empty:
        ex = existing.sort_values("known_on").drop_duplicates([*series, "period"], keep="last")
        per = [Period.parse(t) for t in ex["period"]]
        stored = {
            "region_id": ex["region_id"].to_numpy(dtype=np.int64),
            "indicator_code": ex["indicator_code"].to_numpy(dtype=object),
            "period_kind": ex["period_kind"].to_numpy(dtype=object),
            "period_year": np.array([x.year for x in per], dtype=np.int64),
            "period_index": np.array([x.index for x in per], dtype=np.int64),
            "value": ex["value"].to_numpy(dtype=float),
            "_i": np.full(len(ex), -1, dtype=np.int64),
        }
        allv = Table({c: np.concatenate([allv[c], a]) for c, a in stored.items()})
    sid = int_key(allv, series)
    year = np.asarray(allv["period_year"], dtype=np.int64)
    pidx = np.asarray(allv["period_index"], dtype=np.int64)
    rec = np.asarray(allv["_i"], dtype=np.int64)
    v = np.asarray(allv["value"], dtype=float)
    if not _ascending(sid, year, pidx, rec):  # a file in series order (most are) needs no sort
        order = np.lexsort((rec, pidx, year, sid))
        sid, year, pidx, rec, v = sid[order], year[order], pidx[order], rec[order], v[order]
    # one value per period: the imported one wins over a stored one (rec −1 sorts first)
    same_period = (sid[1:] == sid[:-1]) & (year[1:] == year[:-1]) & (pidx[1:] == pidx[:-1])
    keep = np.r_[~same_period, True]
    sid, rec, v = sid[keep], rec[keep], v[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        lv = np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
    same_series = np.r_[False, sid[1:] == sid[:-1]]
    d = np.where(same_series, lv - np.r_[np.nan, lv[:-1]], np.nan)
    g = pd.Series(d).groupby(sid, sort=False)
    med = g.transform("median").to_numpy()
    n = g.transform("count").to_numpy()
    absdev = np.abs(d - med)
    mad = pd.Series(absdev).groupby(sid, sort=False).transform("median").to_numpy()
    z = 0.6745 * absdev / np.maximum(np.nan_to_num(mad, nan=0.0), MAD_FLOOR)
    absd = np.abs(d)
    with np.errstate(invalid="ignore"):
        jump = np.where(n - 1 >= MIN_HISTORY, (z > Z_LIMIT) & (absd > MIN_JUMP), absd > LONE_JUMP)
    jump = np.nan_to_num(jump, nan=0).astype(bool)
    # the way back from a spike is not a second spike
    prev_jump = np.r_[False, jump[:-1]] & same_series
    prev_d = np.r_[np.nan, d[:-1]]
    jump &= ~(prev_jump & (np.sign(prev_d) == -np.sign(d)))
    hit = jump & (rec >= 0)
    if hit.any():
        i = rec[hit]
        noted = df["note"][i] != ""
        i, factor = i[~noted], np.exp(np.abs(d[hit]))[~noted]
        p.add(
            df["row"][i],
            "value",
            [
                f"jump by a factor of {f:.1f} from the previous period, far outside this series' history; "
                "add a note if it is right"
                for f in factor
            ],
            df["_rec"][i],
        )
        flagged[i] = True
    return flagged


class ReviewContext(TypedDict):
    """What the review queue shows beside a value: its series' previous value, the change, the warning."""

    previous_period: str | None
    previous_value: float | None
    change_pct: float | None
    warning: str | None


def review_context(
    items: Sequence[Mapping[str, Any]],
    series: Sequence[tuple[int, str, str, str, int, int, float, str, str, int]],
) -> list[ReviewContext]:
    """For each value under review: the previous period's value in its series (the latest known of the
    nearest earlier period of the same kind), the change in per cent, and the jump warning ``check_jumps``
    gives when the value is checked against the rest of its series."""
    by_series: dict[tuple[int, str, str], list[tuple[int, int, str, float, str, int]]] = {}
    for rid, code, per, kind, year, idx, value, known, _status, oid in series:
        by_series.setdefault((rid, code, kind), []).append((year, idx, known, value, per, oid))
    out: list[ReviewContext] = []
    for m in items:
        rows = by_series.get((m["region_id"], m["indicator_code"], m["period_kind"]), [])
        before = [r for r in rows if (r[0], r[1]) < (m["period_year"], m["period_index"])]
        prev = max(before, default=None)
        ctx: ReviewContext = {
            "previous_period": None,
            "previous_value": None,
            "change_pct": None,
            "warning": None,
        }
        if prev is not None:
            ctx["previous_period"], ctx["previous_value"] = prev[4], prev[3]
            if prev[3]:
                ctx["change_pct"] = round((m["value"] - prev[3]) / abs(prev[3]) * 100, 2)
        others = [r for r in rows if r[5] != m["id"]]
        df = Table(
            {
                "row": np.array([1]),
                "_rec": np.array([0]),
                "region_id": np.array([m["region_id"]], dtype=np.int64),
                "indicator_code": np.array([m["indicator_code"]], dtype=object),
                "period_kind": np.array([m["period_kind"]], dtype=object),
                "period_year": np.array([m["period_year"]], dtype=np.int64),
                "period_index": np.array([m["period_index"]], dtype=np.int64),
                "value": np.array([m["value"]], dtype=float),
                "note": np.array([""], dtype=object),
            }
        )
        existing = pd.DataFrame(
            {
                "region_id": [m["region_id"]] * len(others),
                "indicator_code": [m["indicator_code"]] * len(others),
                "period_kind": [m["period_kind"]] * len(others),
                "period": [r[4] for r in others],
                "value": [r[3] for r in others],
                "known_on": [r[2] for r in others],
            }
        )
        p = Problems()
        check_jumps(df, existing, p)
        if p.items:
            ctx["warning"] = p.items[0].reason.split(";")[0]
        out.append(ctx)
    return out
