"""Units of the indicators and of the figures plans state: parsing, canonical spelling and conversion.

Why a small table and not pint: Chinese plans write scales as words glued to the unit (万元, 亿元, 万人,
万平方米, 万吨) and count things with classifiers (家, 个, 项, 件, 所), neither of which pint knows; percent
and percentage points (百分点) must stay apart, and money in 元 must never be mixed with 美元 without an
exchange rate. A table of about fifty units with an explicit dimension per unit says all of that plainly.

A unit is a product of base dimensions with integer exponents and a factor to the base unit:
``万元`` = 10 000 × cny, ``件/万人`` = 0.0001 × item·person⁻¹, ``%`` = 0.01 (dimensionless).
Two units convert into each other only when their dimensions are equal; anything else is a ``UnitError``.

Classifiers of countable things (个, 家, 项, 件, 所, 处 …) share one dimension ``item``: plans write the same
count with different classifiers ("新增国家级5个" next to "500家以上" for the same centres), so a 个 target
tracked with 家 data must not fail. People (人, 名, 位) are a separate dimension and never convert to items.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from innocity.errors import UnitError

Dim = tuple[tuple[str, int], ...]  # sorted (base, exponent) pairs, exponents never 0

# Base units: spelling → (factor to the base unit, base dimension). Dimensionless units have base "".
_BASE: dict[str, tuple[float, str]] = {
    # people
    "人": (1.0, "person"),
    "名": (1.0, "person"),
    "位": (1.0, "person"),
    "人次": (1.0, "person_time"),
    "人年": (1.0, "fte"),  # R&D full-time equivalent (人年)
    # countable things: one dimension whatever the classifier (see the module docstring)
    **{c: (1.0, "item") for c in "个家项件所处篇期座台套辆只批株种户次"},
    # money: yuan and US dollars never convert into each other (no exchange rate here)
    "元": (1.0, "cny"),
    "人民币": (1.0, "cny"),
    "美元": (1.0, "usd"),
    # area
    "平方米": (1.0, "m2"),
    "平方公里": (1e6, "m2"),
    "公顷": (1e4, "m2"),
    "亩": (10000.0 / 15.0, "m2"),
    # energy (standard coal equivalent)
    "吨标准煤": (1.0, "tce"),
    "千克标准煤": (0.001, "tce"),
    # mass, length, time, temperature
    "吨": (1.0, "t"),
    "千克": (0.001, "t"),
    "克": (1e-6, "t"),
    "米": (1.0, "m"),
    "公里": (1000.0, "m"),
    "毫米": (0.001, "m"),
    "厘米": (0.01, "m"),
    "年": (1.0, "year"),
    "天": (1.0, "day"),
    "小时": (1.0, "hour"),
    "摄氏度": (1.0, "celsius"),
    "千瓦时": (1.0, "kwh"),
    # dimensionless: percent, permille, ratio
    "%": (0.01, ""),
    "‰": (0.001, ""),
    "倍": (1.0, ""),
    # percentage points: a difference of percentages, never the same as a percentage
    "百分点": (1.0, "pp"),
}

# Other spellings of the same unit → the spelling used above (applied to whole tokens).
_SYNONYMS: dict[str, str] = {
    "吨标煤": "吨标准煤",
    "吨标煤当量": "吨标准煤",
    "tce": "吨标准煤",
    "公斤": "千克",
    "kg": "千克",
    "t": "吨",
    "平方千米": "平方公里",
    "km2": "平方公里",
    "km²": "平方公里",
    "m2": "平方米",
    "m²": "平方米",
    "km": "公里",
    "千米": "公里",
    "m": "米",
    "mm": "毫米",
    "h": "小时",
    "日": "天",
    "℃": "摄氏度",
    "个百分点": "百分点",
    "pp": "百分点",
    "人民币元": "元",
    "usd": "美元",
    "kwh": "千瓦时",
    "千瓦小时": "千瓦时",
}

# Scale words that Chinese glues in front of a unit (万元, 亿元, 千万元, 万亿元).
_SCALES: list[tuple[str, float]] = sorted(
    [("十", 10.0), ("百", 100.0), ("千", 1e3), ("万", 1e4), ("十万", 1e5), ("百万", 1e6), ("千万", 1e7),
     ("亿", 1e8), ("十亿", 1e9), ("百亿", 1e10), ("千亿", 1e11), ("万亿", 1e12)],
    key=lambda s: -len(s[0]),
)


_WORDS = {
    "person": "people", "person_time": "person-times", "fte": "full-time equivalents", "item": "a count of things",
    "cny": "money in 元", "usd": "money in 美元", "m2": "area", "tce": "energy", "t": "mass", "m": "length",
    "year": "years", "day": "days", "hour": "hours", "celsius": "temperature", "kwh": "electricity",
    "pp": "percentage points",
}


@dataclass(frozen=True, slots=True)
class Unit:
    """A parsed unit: its canonical spelling, the factor to the base unit and its dimension."""

    spelling: str
    factor: float
    dim: Dim

    def describe(self) -> str:
        """The dimension in words, for error messages."""
        if not self.dim:
            return "a pure number"
        return " per ".join(
            _WORDS.get(b, b) if abs(e) == 1 else f"{_WORDS.get(b, b)}^{abs(e)}" for b, e in sorted(self.dim, key=lambda x: -x[1])
        )


def _parse_token(token: str, original: str) -> Unit:
    tok = _SYNONYMS.get(token, token)
    if tok in _BASE:
        f, b = _BASE[tok]
        return Unit(tok, f, ((b, 1),) if b else ())
    for word, scale in _SCALES:
        if tok.startswith(word) and len(tok) > len(word):
            rest = _SYNONYMS.get(tok[len(word):], tok[len(word):])
            if rest in _BASE:
                f, b = _BASE[rest]
                return Unit(word + rest, scale * f, ((b, 1),) if b else ())
    raise UnitError(f"unknown unit '{original}'")


def _combine(a: Dim, b: Dim, sign: int) -> Dim:
    out: dict[str, int] = dict(a)
    for base, exp in b:
        out[base] = out.get(base, 0) + sign * exp
    return tuple(sorted((k, v) for k, v in out.items() if v != 0))


@lru_cache(maxsize=4096)
def parse(unit: str) -> Unit:
    """Parse a unit as plans and data files write it ("亿元", "件/万人", "吨标煤/万元", "％")."""
    if unit is None or not str(unit).strip():
        raise UnitError("empty unit")
    s = unicodedata.normalize("NFKC", str(unit)).replace(" ", "").lower()
    parts = s.split("/")
    if len(parts) > 2 or not all(parts):
        raise UnitError(f"unknown unit '{unit}'")
    num = _parse_token(parts[0], unit)
    if len(parts) == 1:
        return num
    den = _parse_token(parts[1], unit)
    return Unit(f"{num.spelling}/{den.spelling}", num.factor / den.factor, _combine(num.dim, den.dim, -1))


def canonical(unit: str) -> str:
    """The canonical spelling of ``unit``: synonyms unified, scale word kept (吨标煤/万元 → 吨标准煤/万元,
    个百分点 → 百分点, ％ → %). Raises ``UnitError`` for a unit not in the table."""
    return parse(unit).spelling


def is_known(unit: str) -> bool:
    """True when ``unit`` is in the table."""
    try:
        parse(unit)
    except UnitError:
        return False
    return True


def is_compatible(a: str, b: str) -> bool:
    """True when a value in ``a`` can be converted to ``b`` (same dimension); False also for unknown units."""
    try:
        return parse(a).dim == parse(b).dim
    except UnitError:
        return False


def dimension(unit: str) -> Dim:
    """The base dimension of ``unit`` (for grouping units that convert into each other)."""
    return parse(unit).dim


def numerator(unit: str) -> str:
    """The part before the slash ("件/万人" → "件"); the unit itself when it is not a ratio."""
    return canonical(unit).split("/")[0]


def is_per_population(unit: str) -> bool:
    """True for units per head of population (件/万人, 人/万人, 元/人, 美元/人)."""
    s = canonical(unit)
    return "/" in s and parse(s.split("/")[1]).dim == (("person", 1),)


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` expressed in ``from_unit``, converted to ``to_unit``.

    Raises ``UnitError`` when the units measure different things (元 vs 美元, % vs 百分点, 人 vs 家), naming
    both units and what each measures; nothing is ever converted silently.
    """
    a, b = parse(from_unit), parse(to_unit)
    if a.dim != b.dim:
        hint = ""
        if {a.spelling, b.spelling} == {"%", "百分点"}:
            hint = " (a percentage and a change in percentage points are different quantities)"
        raise UnitError(
            f"cannot convert {from_unit} ({a.describe()}) to {to_unit} ({b.describe()}){hint}"
        )
    return float(value) * a.factor / b.factor


def ratio_scale(numerator_unit: str, denominator_unit: str, result_unit: str) -> float:
    """The factor k with result = numerator / denominator × k when both are in their own units.

    Used to check catalogue formulas: 专利申请量(件) / 常住人口(万人) → 件/万人 needs k = 1;
    R&D经费(亿元) / 地区生产总值(亿元) → % needs k = 100. Raises ``UnitError`` when the dimensions do not fit.
    """
    n, d, r = parse(numerator_unit), parse(denominator_unit), parse(result_unit)
    dim = _combine(n.dim, d.dim, -1)
    if dim != r.dim:
        raise UnitError(
            f"{numerator_unit} / {denominator_unit} is {Unit('', 1, dim).describe()}, "
            f"not {result_unit} ({r.describe()})"
        )
    return n.factor / d.factor / r.factor


def to_indicator_unit(value: float, unit: str, indicator_unit: str) -> float:
    """``value`` as a plan wrote it, in the unit of the indicator the matcher gave it.

    Like ``convert``, with one reading more: a rate indicator per head (件/万人, 人/万人, 元/人) whose figure
    the plan writes with the numerator's unit only ("万人专利申请量达30件", "万人拥有专业技术人员700人",
    "人均地区生产总值15万元") is taken as per the indicator's denominator. The matcher only assigns such a
    figure to a per-head indicator when the phrase itself says 每万人/人均, so the reading is never a guess.
    """
    if is_compatible(unit, indicator_unit) or "/" not in canonical(indicator_unit):
        return convert(value, unit, indicator_unit)
    num, den = canonical(indicator_unit).split("/")
    if "/" not in canonical(unit) and is_compatible(unit, num):
        return convert(value, f"{canonical(unit)}/{den}", indicator_unit)
    return convert(value, unit, indicator_unit)
