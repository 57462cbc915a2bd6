"""Validation of imported observations, vectorised over the whole file (numpy, no per-row Python beyond
the distinct values of a column).

Checks here look at one row at a time: unknown region or indicator, a value that is not a number
("N/A", "—"), an unknown period or vintage, a unit that cannot be converted to the indicator's unit, a
negative count or amount, a share over 100 %. Checks across rows and against the store (duplicates,
contradictions, jumps) live in ``obs_series``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from innocity.catalog.units import convert
from innocity.domain.observation import Period, Vintage
from innocity.errors import RowProblem, UnitError

from .obs_table import NUMBERS, Table, factorize

if TYPE_CHECKING:
    from innocity.catalog import Catalog, Matcher

NOT_NEGATIVE_KINDS = {"level", "count", "per_capita", "intensity"}


def _one_line(reason: object, limit: int = 300) -> str:
    text = " ".join(str(reason).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Problems:
    """Row problems gathered from boolean masks (cheap when nothing is wrong)."""

    def __init__(self) -> None:
        self.items: list[RowProblem] = []
        self.bad_records: set[int] = set()  # ``_rec`` ids: one per value (a wide row holds several)

    def add(
        self, rows: Iterable[int], fieldname: str | None, reasons: Iterable[str], recs: Iterable[int]
    ) -> None:
        # a reason quotes the user's cell: it stays one readable line whatever the cell holds
        self.items.extend(
            RowProblem(int(r), fieldname, _one_line(x)) for r, x in zip(rows, reasons, strict=True)
        )
        self.bad_records.update(int(r) for r in recs)

    def add_mask(self, df: Table, mask: Any, fieldname: str, reason: Callable[[Table], Any]) -> None:
        m = np.asarray(mask, dtype=bool)
        if m.any():
            sub = df.take(m)
            r = reason(sub)
            self.add(sub["row"], fieldname, [r] * len(sub) if isinstance(r, str) else list(r), sub["_rec"])

    @property
    def rows(self) -> set[int]:
        return {p.row for p in self.items}


# ---------------------------------------------------------------- reference data


def short(text: object, n: int = 40) -> str:
    """User text quoted in a message, cut to ``n`` characters (a message stays one readable line)."""
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1] + "…"


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
    maxima: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_catalog(cls, catalog: Catalog, matcher: Matcher | None = None) -> Indicators:
        """The process's one catalogue (``uow.catalog``), so indicators a user added are known here too."""
        units = {i.code: i.unit for i in catalog.indicators}
        kinds: dict[str, str] = {i.code: str(i.kind) for i in catalog.indicators}
        names: dict[str, str] = {}
        for i in catalog.indicators:
            for n in (i.name_zh, *i.aliases, i.name_en):
                if n:
                    names.setdefault(_key(n).lower(), i.code)

        def match(phrase: str) -> str | None:
            hit = matcher.match(phrase) if matcher is not None else None
            return hit.code if hit is not None else None

        maxima = {i.code: i.max_value for i in catalog.indicators if i.max_value is not None}
        return cls(units, kinds, names, match if matcher is not None else None, maxima)

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
    return float(convert(1.0, from_unit, to_unit))


# ---------------------------------------------------------------- the row checks

_CLEAN = re.compile(r"[,，\s\u3000'’]")


# what a number written plainly is made of: only then are Python's float() and pandas' to_numeric alike
_NOT_PLAIN_NUMBER = re.compile(r"[^0-9.eE+\-\n]")


def _numbers(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse numbers; returns (values, had_percent_sign). Full-width digits and 1,234.5 accepted."""
    num = np.full(len(values), np.nan)
    pct = np.zeros(len(values), dtype=bool)
    given = values != ""
    cells = values if given.all() else values[given]
    # the common file: every value written plainly, read by numpy's float() loop (a tenth of the time of
    # to_numeric); a cell that fails, or is not finite, goes the careful way below with its message
    if len(cells) and _NOT_PLAIN_NUMBER.search("\n".join(cells.tolist())) is None:
        try:
            parsed = cells.astype(float)
        except ValueError:
            pass
        else:
            if len(parsed) == len(num):
                num = parsed
            else:
                num[given] = parsed
    retry = given & ~np.isfinite(num)
    if retry.any():
        num[retry] = np.array(pd.to_numeric(values[retry], errors="coerce"), dtype=float)
        retry &= np.isnan(num)
    if retry.any():
        sub = pd.Series(values[retry], dtype=object).str.normalize("NFKC").str.replace(_CLEAN, "", regex=True)
        is_pct = sub.str.endswith("%").to_numpy()
        sub = sub.str.rstrip("%")
        num[retry] = pd.to_numeric(sub, errors="coerce").to_numpy(dtype=float)
        pct[retry] = is_pct
    return num, pct


@dataclass(slots=True)
class Checked:
    """The typed rows that passed the row checks, and every problem found."""

    frame: Table
    problems: Problems = field(default_factory=Problems)


def _lookup(df: Table, name: str, resolve: Callable[[str], Any]) -> tuple[np.ndarray, list[Any], np.ndarray]:
    """Resolve each distinct value of a column once: (codes per row, resolved uniques, uniques)."""
    codes, uniq = df.factorized(name)
    return codes, [resolve(u) for u in uniq], uniq


def _take(values: list[Any], codes: np.ndarray, dtype: Any = object) -> np.ndarray:
    return np.asarray(values, dtype=dtype)[codes] if len(values) else np.empty(0, dtype=dtype)


def _recode(resolved: list[Any], codes: np.ndarray) -> np.ndarray:
    """Codes of raw distinct values → codes of what they resolved to (equal values, equal codes)."""
    if not len(resolved):
        return np.zeros(len(codes), dtype=np.int64)
    same, _ = factorize(np.asarray([str(x) for x in resolved], dtype=object))
    return same[codes]


_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(
    r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{2})(\d{2}))"
    r"(?:[ T]00:00(?::00(?:\.0+)?)?)?$"
)


def parse_known_on(text: str, today: date) -> str:
    """A date as departments write it (2016-03-01, 2016/3/1, 2016年3月1日, 20160301) as ISO text, or
    "!reason". Nothing is guessed: "2016" or "3/1/2016" or "now" is not a date, a future date is refused."""
    m = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if not m:
        return f"!not a date (YYYY-MM-DD): '{text[:40]}'"
    y, mo, d = int(m[1]), int(m[2] or m[4]), int(m[3] or m[5])
    try:
        day = date(y, mo, d)
    except ValueError:
        return f"!not a date: '{text[:40]}'"
    if day > today:
        return f"!known_on {day.isoformat()} is in the future (today is {today.isoformat()})"
    if y < 1900:
        return f"!known_on {day.isoformat()} is before 1900"
    return day.isoformat()


def _text_problems(df: Table, p: Problems, limits: dict[str, int], *, clean: bool = False) -> np.ndarray:
    """Cells no database stores alike: control characters, lone surrogates (from JSON "\\ud800"), and
    text longer than its column (PostgreSQL refuses it, SQLite would keep it: both refuse it here)."""
    bad_any = np.zeros(len(df), dtype=bool)
    for f in df.columns:
        if f in ("row", "_rec", NUMBERS) or (clean and f not in limits) or df[f].dtype != object:
            continue
        codes, uniq = df.factorized(f)
        u = [str(x) for x in uniq]
        limit = limits.get(f)
        joined = "\n".join(u)
        if _BAD_CHARS.search(joined) is None and (limit is None or max(map(len, u), default=0) <= limit):
            continue
        reasons = []
        for x in u:
            m = _BAD_CHARS.search(x)
            if m is not None:
                reasons.append(f"contains the invalid character U+{ord(m.group()):04X}")
            elif limit is not None and len(x) > limit:
                reasons.append(f"longer than {limit} characters ({len(x)})")
            else:
                reasons.append("")
        bad_u = np.array([bool(r) for r in reasons], dtype=bool)
        bad = bad_u[codes]
        per_row = _take(reasons, codes[bad])

        def why(_: Table, r: np.ndarray = per_row) -> np.ndarray:
            return r

        p.add_mask(df, bad, str(f), why)
        bad_any |= bad
    return bad_any


def check_rows(
    raw: Table,
    *,
    regions: dict[str, int | str],
    indicators: Indicators,
    default_unit: str | None,
    today: date,
    text_limits: dict[str, int] | None = None,
    clean: bool = False,
) -> Checked:
    """Check each row on its own and type the columns (region_id, indicator_code, period parts, value in
    the canonical unit, original value/unit, vintage, known_on). Every column is factorised, so the
    Python work is per distinct value, not per row."""
    p = Problems()
    df = raw
    bad_text = _text_problems(df, p, text_limits or {}, clean=clean)

    # region
    rc, rres, runiq = _lookup(df, "region", lambda v: regions.get(_key(v)) if v else "region missing")
    rid_u = [int(x) if isinstance(x, int | np.integer) else -1 for x in rres]
    region_id = _take(rid_u, rc, np.int64)
    bad_reg = region_id < 0
    msg_reg = [
        x if isinstance(x, str) else f"unknown region '{short(u)}'" for x, u in zip(rres, runiq, strict=True)
    ]
    p.add_mask(df, bad_reg, "region", lambda s: _take(msg_reg, rc[bad_reg]))

    # indicator
    ic, ires, iuniq = _lookup(df, "indicator", lambda v: indicators.resolve(v) if v else None)
    code = _take(ires, ic)
    bad_ind = _take([x is None for x in ires], ic, bool)
    msg_ind = [f"unknown indicator '{short(u)}'" if u else "indicator missing" for u in iuniq]
    p.add_mask(df, bad_ind, "indicator", lambda s: _take(msg_ind, ic[bad_ind]))

    # period
    def _period(v: str) -> Period | str:
        try:
            return Period.parse(v)
        except ValueError as exc:
            return str(exc) if v else "period missing"

    pc, pres, _ = _lookup(df, "period", _period)
    bad_per = _take([isinstance(x, str) for x in pres], pc, bool)
    p.add_mask(df, bad_per, "period", lambda s: _take([str(x) for x in pres], pc[bad_per]))

    # value
    if NUMBERS in df:  # the reader parsed every value cell as a finite number
        value = np.asarray(df[NUMBERS], dtype=float)
        had_pct = missing = np.zeros(len(df), dtype=bool)
    else:
        value, had_pct = _numbers(df["value"])
        missing = df["value"] == ""
    p.add_mask(df, missing, "value", lambda s: "value missing")
    nan = np.isnan(value) & ~missing
    p.add_mask(df, nan, "value", lambda s: [f"'{short(x)}' is not a number" for x in s["value"]])
    infinite = np.isinf(value)
    p.add_mask(df, infinite, "value", lambda s: [f"'{short(x)}' is not a finite number" for x in s["value"]])

    # unit → factor to the indicator's unit, per distinct (unit as given, indicator) pair. The unit a row
    # was given in is an index into ``units`` (the file's distinct units, "%", then each indicator's own
    # unit): no text is compared per row
    uc, uuniq = df.factorized("unit")
    given_u = [u if u else (default_unit or "") for u in uuniq]
    canon_u = [indicators.units.get(c) if c else None for c in ires]
    units: list[str | None] = [*given_u, "%", *canon_u]
    empty_u = np.array([not u for u in given_u], dtype=bool)
    gi = uc.copy()
    # a % sign is a unit: it fills an empty unit, and contradicts any other unit (12% of 万元 is no amount)
    if had_pct.any():
        other_u = np.array([bool(u) and u != "%" for u in given_u], dtype=bool)
        pct_clash = had_pct & other_u[uc]
        p.add_mask(
            df,
            pct_clash,
            "value",
            lambda s: [
                f"'{short(x)}' has a % sign but the unit is {u}"
                for x, u in zip(s["value"], _take(units, uc[pct_clash]), strict=True)
            ],
        )
        gi[had_pct & empty_u[uc]] = len(given_u)
    else:
        pct_clash = np.zeros(len(df), dtype=bool)
    still_empty = empty_u[uc] & ~had_pct
    gi[still_empty] = len(given_u) + 1 + ic[still_empty]
    canon = _take(canon_u, ic)
    n_ind = max(len(ires), 1)
    pair_codes, pairs = pd.factorize(gi.astype(np.int64) * n_ind + ic)
    factors: list[float] = []
    reasons: list[str] = []
    for pair in pairs.tolist():
        g, c = units[pair // n_ind], canon_u[pair % n_ind]
        try:
            factors.append(unit_factor(g, c) if c and g else np.nan)
            reasons.append("" if c and g else "no unit")
        except UnitError as exc:
            factors.append(np.nan)
            reasons.append(f"unit '{g}' does not fit indicator unit '{c}' ({exc.message})")
    factor = _take(factors, pair_codes, float)
    bad_unit = np.isnan(factor) & ~bad_ind
    p.add_mask(df, bad_unit, "unit", lambda s: _take(reasons, pair_codes[bad_unit]))
    with np.errstate(over="ignore", invalid="ignore"):
        canonical_value = value * factor
    overflow = np.isinf(canonical_value) & ~infinite & ~np.isnan(factor)
    p.add_mask(df, overflow, "value", lambda s: "too large once converted to the indicator's unit")

    # ranges by kind, decided per indicator
    kinds = [indicators.kinds.get(c) if c else None for c in ires]
    not_negative = _take([k in NOT_NEGATIVE_KINDS for k in kinds], ic, bool)
    percent_share = _take([k == "share" and u == "%" for k, u in zip(kinds, canon_u, strict=True)], ic, bool)
    with np.errstate(invalid="ignore"):
        negative = (canonical_value < 0) & not_negative
        over = percent_share & ((canonical_value > 100) | (canonical_value < 0))
        ceiling = _take([indicators.maxima.get(c, np.inf) if c else np.inf for c in ires], ic, float)
        too_big = (canonical_value > ceiling) & ~over
    p.add_mask(
        df, negative, "value", lambda s: [f"negative value {x} for a count or amount" for x in s["value"]]
    )
    p.add_mask(df, over, "value", lambda s: [f"share {x} is outside 0–100%" for x in s["value"]])
    p.add_mask(
        df,
        too_big,
        "value",
        lambda s: [
            f"value {x} is above what the indicator can be ({m:g} {u})"
            for x, m, u in zip(s["value"], ceiling[too_big], canon[too_big], strict=True)
        ],
    )

    # vintage and known_on
    def _vintage(v: str) -> str:
        try:
            return Vintage.parse(v).value
        except ValueError as exc:
            return "!" + str(exc)

    def _known(v: str) -> str:
        return parse_known_on(v, today) if v else today.isoformat()

    vc, vres, _ = _lookup(df, "vintage", _vintage)
    bad_vin = _take([x.startswith("!") for x in vres], vc, bool)
    p.add_mask(df, bad_vin, "vintage", lambda s: _take([x[1:] for x in vres], vc[bad_vin]))
    kc, kres, kuniq = _lookup(df, "known_on", _known)
    bad_kn = _take([x.startswith("!") for x in kres], kc, bool)
    p.add_mask(df, bad_kn, "known_on", lambda s: _take([x[1:] for x in kres], kc[bad_kn]))

    ok = ~(
        bad_text
        | bad_reg
        | bad_ind
        | bad_per
        | missing
        | nan
        | infinite
        | pct_clash
        | bad_unit
        | overflow
        | negative
        | over
        | too_big
        | bad_vin
        | bad_kn
    )
    per_ok = [x if not isinstance(x, str) else Period(1900) for x in pres]
    # every row good (the usual file): whole columns, no copies
    sel: Any = slice(None) if ok.all() else ok
    pcode = pc[sel]
    out = Table(
        {
            "row": df["row"][sel],
            "_rec": df["_rec"][sel],
            "region_id": region_id[sel],
            "indicator_code": code[sel],
            "period": _take([str(x) for x in per_ok], pcode),
            "period_kind": _take([x.kind for x in per_ok], pcode),
            "period_year": _take([x.year for x in per_ok], pcode, np.int64),
            "period_index": _take([x.index for x in per_ok], pcode, np.int64),
            "value": canonical_value[sel],
            "unit": canon[sel],
            "original_value": value[sel],
            "original_unit": _take(units, gi[sel]),
            "vintage": _take(vres, vc[sel]),
            "known_on": _take(kres, kc[sel]),
            "note": df["note"][sel],
            "source": df["source"][sel],
            "known_given": _take([bool(u) for u in kuniq], kc[sel], bool),
            # equal resolved values, equal codes (TEC06 and 高新技术企业数量 alike): the keys of the checks
            # across rows, made from the few distinct values instead of hashing a million cells again
            "_k_indicator_code": _recode(ires, ic[sel]),
            "_k_period": _recode([str(x) for x in per_ok], pcode),
            "_k_vintage": _recode(vres, vc[sel]),
            "_k_known_on": _recode(kres, kc[sel]),
        }
    )
    return Checked(out, p)
