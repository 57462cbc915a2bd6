"""Validation of imported observations, vectorised over the whole file (pandas/numpy, no per-row Python
beyond the distinct values of a column).

Checks, each reported with the row number and field: unknown region or indicator, a value that is not a
number ("N/A", "—"), an unknown period or vintage, a unit that cannot be converted to the indicator's
unit, a negative count or amount, a share over 100 %, a duplicate row, a value that contradicts a stored
one, and a year-on-year jump far outside the series' own history without a note.

The jump rule is a modified z-score of the log changes of the series (stored and imported values
together, consecutive periods of the same kind): with the median m and the median absolute deviation MAD
of its changes d_t = log v_t − log v_t−1, a change is flagged when 0.6745·|d_t − m| / max(MAD, 0.02) > 3.5
and the value moved by at least a factor of 1.5. A series with fewer than four changes has no history to
judge by, so only a factor over 10 is flagged. The change right after a flagged spike that goes back the
other way is not flagged again. A note on the row ("口径调整" …) accepts the jump.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from innocity.domain.observation import Period, Vintage
from innocity.errors import RowProblem, UnitError

NOT_NEGATIVE_KINDS = {"level", "count", "per_capita", "intensity"}
Z_LIMIT = 3.5
MAD_FLOOR = 0.02
MIN_HISTORY = 4
MIN_JUMP = float(np.log(1.5))
LONE_JUMP = float(np.log(10.0))
KEY = ["region_id", "indicator_code", "period", "vintage", "kn"]


class Problems:
    """Row problems gathered from boolean masks (cheap when nothing is wrong)."""

    def __init__(self) -> None:
        self.items: list[RowProblem] = []
        self.bad_records: set[int] = set()  # ``_rec`` ids: one per value (a wide row holds several)

    def add(
        self, rows: Iterable[int], fieldname: str | None, reasons: Iterable[str], recs: Iterable[int]
    ) -> None:
        self.items.extend(RowProblem(int(r), fieldname, str(x)) for r, x in zip(rows, reasons, strict=True))
        self.bad_records.update(int(r) for r in recs)

    def add_mask(
        self, df: pd.DataFrame, mask: Any, fieldname: str, reason: Callable[[pd.DataFrame], Any]
    ) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            sub = df[m]
            r = reason(sub)
            self.add(
                sub["row"].to_numpy(),
                fieldname,
                [r] * len(sub) if isinstance(r, str) else list(r),
                sub["_rec"].to_numpy(),
            )

    @property
    def rows(self) -> set[int]:
        return {p.row for p in self.items}


# ---------------------------------------------------------------- reference data


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("\u3000", "")


def region_index(regions: list[dict[str, Any]]) -> dict[str, int | str]:
    """Spelling → region id, or an error text when a name is ambiguous (朝阳区 is in Beijing and Changchun).

    Accepts adcodes, full names (苏州市), short names of provinces and cities (苏州), and
    "省 市" / "市 区" combinations (江苏省苏州市, 苏州市姑苏区)."""
    names: dict[str, list[dict[str, Any]]] = {}

    def put(k: str, r: dict[str, Any]) -> None:
        names.setdefault(_key(k), []).append(r)

    from innocity.storage.regions import short_name

    for r in regions:
        if r["level"] == "group":
            continue
        put(r["name"], r)
        if r["level"] in {"province", "city"} and short_name(r["name"]) != r["name"]:
            put(short_name(r["name"]), r)
        parent = r["city"] if r["level"] == "county" else r["province"] if r["level"] == "city" else None
        if parent and parent != r["name"]:
            put(parent + r["name"], r)
    out: dict[str, int | str] = {}
    rank = {"province": 0, "city": 1, "county": 2}
    for k, rs in names.items():
        best = min(rank.get(x["level"], 3) for x in rs)
        top = [x for x in rs if rank.get(x["level"], 3) == best]
        if len({x["id"] for x in top}) == 1:
            out[k] = top[0]["id"]
        else:
            where = "、".join(sorted({f"{x['province'] or ''}{x['city'] or ''}({x['adcode']})" for x in top}))
            out[k] = f"ambiguous region name '{k}': {where}; use the adcode"
    for r in regions:
        if r["adcode"]:
            out[r["adcode"]] = r["id"]
    return out


@dataclass(slots=True)
class Indicators:
    """The catalogue as the importer needs it: resolve a code or name, the canonical unit and kind."""

    units: dict[str, str]
    kinds: dict[str, str]
    names: dict[str, str]
    matcher: Callable[[str], str | None] | None = None

    @classmethod
    def load(cls) -> Indicators:
        catalog_mod = importlib.import_module("innocity.catalog")
        loader = getattr(catalog_mod, "load_catalog", None)
        if loader is None:  # the catalogue's public API before it was re-exported
            loader = importlib.import_module("innocity.catalog.loader").load_catalog
        cat = loader()
        units = {i.code: i.unit for i in cat.indicators}
        kinds = {i.code: i.kind for i in cat.indicators}
        names: dict[str, str] = {}
        for i in cat.indicators:
            for n in (i.name_zh, *i.aliases, i.name_en):
                if n:
                    names.setdefault(_key(n).lower(), i.code)
        matcher = None
        matcher_cls = getattr(catalog_mod, "Matcher", None)
        if matcher_cls is not None:
            m = matcher_cls(cat)

            def matcher(phrase: str) -> str | None:
                hit = m.match(phrase)
                return getattr(hit, "code", None) if hit is not None else None

        return cls(units, kinds, names, matcher)

    def resolve(self, text: str) -> str | None:
        if text in self.units:
            return text
        k = _key(text)
        if k.upper() in self.units:
            return k.upper()
        if k.lower() in self.names:
            return self.names[k.lower()]
        return self.matcher(k) if self.matcher and k else None


def unit_factor(from_unit: str, to_unit: str) -> float:
    """Multiply a value in ``from_unit`` by this to get ``to_unit``; ``UnitError`` when incompatible."""
    units = importlib.import_module("innocity.catalog.units")
    return float(units.convert(1.0, from_unit, to_unit))


# ---------------------------------------------------------------- the row checks

_CLEAN = re.compile(r"[,，\s\u3000'’]")


def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse numbers; returns (values, had_percent_sign). Full-width digits and 1,234.5 accepted."""
    num = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)
    pct = np.zeros(len(values), dtype=bool)
    retry = np.isnan(num) & (values.to_numpy() != "")
    if retry.any():
        sub = values[retry].str.normalize("NFKC").str.replace(_CLEAN, "", regex=True)
        is_pct = sub.str.endswith("%").to_numpy()
        sub = sub.str.rstrip("%")
        num[retry] = pd.to_numeric(sub, errors="coerce").to_numpy(dtype=float)
        pct[retry] = is_pct
    return num, pct


@dataclass(slots=True)
class Checked:
    """The typed rows that passed the row checks, and every problem found."""

    frame: pd.DataFrame
    problems: Problems = field(default_factory=Problems)


def check_rows(
    raw: pd.DataFrame,
    *,
    regions: dict[str, int | str],
    indicators: Indicators,
    default_unit: str | None,
    today: date,
) -> Checked:
    """Check each row on its own and type the columns (region_id, indicator_code, period parts, value in
    the canonical unit, original value/unit, vintage, known_on)."""
    p = Problems()
    df = raw.reset_index(drop=True)
    n = len(df)

    # region: resolve each distinct spelling once
    reg_res = {v: regions.get(_key(v)) for v in pd.unique(df["region"])}
    reg_ids = {k: int(v) for k, v in reg_res.items() if isinstance(v, int | np.integer)}
    rid = df["region"].map(reg_ids)
    bad_reg = rid.isna().to_numpy()
    p.add_mask(
        df,
        bad_reg,
        "region",
        lambda s: [
            "region missing"
            if not x
            else reg_res[x]
            if isinstance(reg_res[x], str)
            else f"unknown region '{x}'"
            for x in s["region"]
        ],
    )
    region_id = rid.fillna(-1).to_numpy(dtype="int64")

    # indicator
    codes_map = {v: indicators.resolve(v) if v else None for v in pd.unique(df["indicator"])}
    code = df["indicator"].map({k: v for k, v in codes_map.items() if v})
    bad_ind = code.isna().to_numpy()
    p.add_mask(
        df,
        bad_ind,
        "indicator",
        lambda s: [f"unknown indicator '{x}'" if x else "indicator missing" for x in s["indicator"]],
    )

    # period: parse each distinct text once
    per_map: dict[str, Period] = {}
    per_err: dict[str, str] = {}
    for v in pd.unique(df["period"]):
        try:
            per_map[v] = Period.parse(v)
        except ValueError as exc:
            per_err[v] = str(exc) if v else "period missing"
    bad_per = df["period"].isin(list(per_err)).to_numpy()
    p.add_mask(df, bad_per, "period", lambda s: [per_err[x] for x in s["period"]])

    # value
    value, had_pct = _numbers(df["value"])
    missing = (df["value"] == "").to_numpy()
    p.add_mask(df, missing, "value", lambda s: "value missing")
    nan = np.isnan(value) & ~missing
    p.add_mask(df, nan, "value", lambda s: [f"'{x}' is not a number" for x in s["value"]])

    # unit → factor to the indicator's unit
    unit_col = df["unit"].where(df["unit"] != "", default_unit or "")
    unit_col = unit_col.where(~(had_pct & (unit_col == "").to_numpy()), "%")
    canon = code.map(indicators.units)
    given = unit_col.where(unit_col != "", canon)
    pairs = pd.DataFrame({"g": given, "c": canon})
    factor = np.full(n, np.nan)
    unit_reason: dict[tuple[str, str], str] = {}
    for (g, c), idx in pairs.groupby(["g", "c"], sort=False, dropna=True).groups.items():
        try:
            factor[np.asarray(idx)] = unit_factor(g, c)
        except UnitError as exc:
            unit_reason[(g, c)] = f"unit '{g}' does not fit indicator unit '{c}' ({exc.message})"
    bad_unit = np.isnan(factor) & ~bad_ind
    p.add_mask(
        df, bad_unit, "unit", lambda s: [unit_reason.get((given[i], canon[i]), "bad unit") for i in s.index]
    )
    canonical_value = value * factor

    # ranges by kind
    kind = code.map(indicators.kinds).to_numpy()
    canon_arr = canon.to_numpy()
    with np.errstate(invalid="ignore"):
        negative = (canonical_value < 0) & np.isin(kind, list(NOT_NEGATIVE_KINDS))
        share = (kind == "share") & (canon_arr == "%")
        over = share & ((canonical_value > 100) | (canonical_value < 0))
    p.add_mask(
        df, negative, "value", lambda s: [f"negative value {x} for a count or amount" for x in s["value"]]
    )
    p.add_mask(df, over, "value", lambda s: [f"share {x} is outside 0–100%" for x in s["value"]])

    # vintage and known_on
    vin_map: dict[str, str] = {}
    for v in pd.unique(df["vintage"]):
        try:
            vin_map[v] = Vintage.parse(v).value
        except ValueError as exc:
            vin_map[v] = "!" + str(exc)
    vintage = df["vintage"].map(vin_map)
    bad_vin = df["vintage"].isin([k for k, v in vin_map.items() if v.startswith("!")]).to_numpy()
    p.add_mask(df, bad_vin, "vintage", lambda s: [vin_map[x][1:] for x in s["vintage"]])
    kn_map: dict[str, str] = {"": today.isoformat()}
    for v in pd.unique(df["known_on"]):
        if v in kn_map:
            continue
        try:
            kn_map[v] = pd.Timestamp(unicodedata.normalize("NFKC", v)).date().isoformat()
        except (ValueError, TypeError):
            kn_map[v] = "!" + f"not a date: '{v}'"
    known = df["known_on"].map(kn_map)
    bad_kn = df["known_on"].isin([k for k, v in kn_map.items() if v.startswith("!")]).to_numpy()
    p.add_mask(df, bad_kn, "known_on", lambda s: [kn_map[x][1:] for x in s["known_on"]])

    ok = ~(bad_reg | bad_ind | bad_per | missing | nan | bad_unit | negative | over | bad_vin | bad_kn)
    ptext = df["period"][ok]
    out = pd.DataFrame(
        {
            "row": df["row"].to_numpy()[ok],
            "_rec": df["_rec"].to_numpy()[ok],
            "region_id": region_id[ok],
            "indicator_code": code.to_numpy()[ok],
            "period": ptext.map({k: str(v) for k, v in per_map.items()}).to_numpy(),
            "period_kind": ptext.map({k: v.kind for k, v in per_map.items()}).to_numpy(),
            "period_year": ptext.map({k: v.year for k, v in per_map.items()}).to_numpy(dtype="int64"),
            "period_index": ptext.map({k: v.index for k, v in per_map.items()}).to_numpy(dtype="int64"),
            "value": canonical_value[ok],
            "unit": canon_arr[ok],
            "original_value": value[ok],
            "original_unit": given.to_numpy()[ok],
            "vintage": vintage.to_numpy()[ok],
            "known_on": known.to_numpy()[ok],
            "note": df["note"].to_numpy()[ok],
            "known_given": (df["known_on"] != "").to_numpy()[ok],
        }
    )
    return Checked(out, p)


# ---------------------------------------------------------------- checks against the file and the store


def _with_kn(df: pd.DataFrame) -> pd.DataFrame:
    # preliminary and final values exist once per period; revisions are told apart by their date
    df = df.copy()
    df["kn"] = np.where(df["vintage"].to_numpy() == "revised", df["known_on"].to_numpy(), "")
    return df


def check_duplicates(df: pd.DataFrame, p: Problems) -> np.ndarray:
    """Rows repeating an earlier row's region, indicator, period and vintage; returns the mask of them."""
    k = _with_kn(df)
    dup = k.duplicated(subset=KEY, keep="first").to_numpy()
    if dup.any():
        first = k[~dup].set_index(KEY)["row"]
        rows = k[dup].join(first.rename("first_row"), on=KEY)
        p.add(
            rows["row"].to_numpy(),
            "period",
            [f"same region, indicator, period and vintage as row {r}" for r in rows["first_row"]],
            rows["_rec"].to_numpy(),
        )
    return np.asarray(dup)


def check_against_store(df: pd.DataFrame, existing: pd.DataFrame, p: Problems) -> np.ndarray:
    """Compare with stored values: the same value again is "unchanged" (returned mask, not stored
    twice); a different one is a problem (send a correction as a dated revision)."""
    unchanged = np.zeros(len(df), dtype=bool)
    if existing.empty or df.empty:
        return unchanged
    k = _with_kn(df).reset_index(drop=True)
    k["_i"] = np.arange(len(k))
    e = _with_kn(existing)[[*KEY, "value"]].rename(columns={"value": "stored"})
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


def check_jumps(df: pd.DataFrame, existing: pd.DataFrame, p: Problems) -> np.ndarray:
    """Year-on-year (period-on-period) jumps far outside the series' history without a note."""
    flagged = np.zeros(len(df), dtype=bool)
    if df.empty:
        return flagged
    series = ["region_id", "indicator_code", "period_kind"]
    inc = df[[*series, "period_year", "period_index", "value", "note"]].copy()
    inc["_i"] = np.arange(len(df))
    parts = [inc]
    if not existing.empty:
        ex = existing.sort_values("known_on").drop_duplicates([*series, "period"], keep="last").copy()
        ex["_i"] = -1
        ex["note"] = ""
        per = ex["period"].map(lambda t: Period.parse(t))
        ex["period_year"] = per.map(lambda x: x.year)
        ex["period_index"] = per.map(lambda x: x.index)
        parts.append(ex[[*series, "period_year", "period_index", "value", "note", "_i"]])
    allv = pd.concat(parts, ignore_index=True)
    # one value per period: the imported one wins over a stored one, the last imported over earlier ones
    allv = allv.sort_values([*series, "period_year", "period_index", "_i"], kind="stable")
    allv = allv.drop_duplicates([*series, "period_year", "period_index"], keep="last")
    v = allv["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lv = np.where(v > 0, np.log(np.where(v > 0, v, 1.0)), np.nan)
    allv["lv"] = lv
    g = allv.groupby(series, sort=False)
    allv["d"] = allv["lv"] - g["lv"].shift(1)
    g = allv.groupby(series, sort=False)
    med = g["d"].transform("median")
    allv["absdev"] = (allv["d"] - med).abs()
    mad = allv.groupby(series, sort=False)["absdev"].transform("median")
    n = g["d"].transform("count")
    d = allv["d"].to_numpy()
    z = 0.6745 * allv["absdev"].to_numpy() / np.maximum(mad.to_numpy(), MAD_FLOOR)
    absd = np.abs(d)
    with np.errstate(invalid="ignore"):
        jump = np.where(n.to_numpy() - 1 >= MIN_HISTORY, (z > Z_LIMIT) & (absd > MIN_JUMP), absd > LONE_JUMP)
    jump = np.nan_to_num(jump, nan=0).astype(bool)
    # the way back from a spike is not a second spike
    prev_jump = pd.Series(jump, index=allv.index).groupby([allv[c] for c in series], sort=False).shift(1)
    prev_d = allv.groupby(series, sort=False)["d"].shift(1).to_numpy()
    back = prev_jump.fillna(False).to_numpy(dtype=bool) & (np.sign(prev_d) == -np.sign(d))
    jump &= ~back
    idx = allv["_i"].to_numpy()
    candidate = jump & (idx >= 0)
    candidate &= allv["note"].to_numpy() == ""
    if candidate.any():
        hit = allv[candidate]
        factor = np.exp(np.abs(hit["d"].to_numpy()))
        p.add(
            df["row"].to_numpy()[hit["_i"].to_numpy()],
            "value",
            [
                f"jump by a factor of {f:.1f} from the previous period, far outside this series' history; "
                "add a note if it is right"
                for f in factor
            ],
            df["_rec"].to_numpy()[hit["_i"].to_numpy()],
        )
        flagged[hit["_i"].to_numpy()] = True
    return flagged
