"""The catalogue's objects: ``Indicator``, its ``Formula`` and the ``Catalog`` that holds them in order.

These are immutable values built by ``innocity.catalog.loader`` after validation; nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from innocity.errors import NotFoundError

# The five first-level dimensions of the national innovative-city evaluation (ISTIC《国家创新型城市创新能力
# 评价报告》, 2020 onward), in the order the reports list them.
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("GOV", "创新治理力"),
    ("ORI", "原始创新力"),
    ("TEC", "技术创新力"),
    ("TRA", "成果转化力"),
    ("DRV", "创新驱动力"),
)
DIMENSION_NAMES: dict[str, str] = dict(DIMENSIONS)

Aggregation = Literal["flow", "stock", "rate"]
Source = Literal["confirmed", "common", "proposed"]
IndicatorKind = Literal["level", "count", "share", "per_capita", "intensity", "rate", "index"]

# Kinds whose value is a ratio of two quantities: a phrase with 占/比重 can only mean one of these.
RATIO_KINDS: frozenset[str] = frozenset({"share", "per_capita", "intensity", "rate"})


@dataclass(frozen=True, slots=True)
class Formula:
    """value = numerator / denominator × scale, each in its indicator's canonical unit."""

    numerator: str
    denominator: str
    scale: float = 1.0

    def __str__(self) -> str:
        scale = f" × {self.scale:g}" if self.scale != 1 else ""
        return f"{self.numerator} / {self.denominator}{scale}"


@dataclass(frozen=True, slots=True)
class MatchRules:
    """Words a phrase must contain (each group: at least one of its words) or must not contain.

    They carry what n-gram similarity cannot see: 规上工业企业研发经费占营收比重 and 高新技术企业研发投入占
    销售收入比重 share most characters but are different indicators.
    """

    require: tuple[tuple[str, ...], ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of the catalogue (see ``indicators.yaml`` for the meaning of each field)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    direction: int  # +1 higher is better, -1 lower is better
    dimension: str  # GOV | ORI | TEC | TRA | DRV
    definition: str
    aggregation: Aggregation
    data_source: str
    source: Source
    kind: IndicatorKind
    aliases: tuple[str, ...] = ()
    formula: Formula | None = None
    in_index: bool = True  # part of the default five-dimension framework (False for bases such as GDP)
    # Largest valid value in the indicator's unit where the kind alone does not bound it (an R&D intensity
    # is a part of GDP, so at most 100 %; an investment-to-GDP ratio of the same kind may exceed 100 %).
    max_value: float | None = None
    evidence: str = ""
    match: MatchRules = field(default_factory=MatchRules)
    origin: str = "built-in"  # the file it came from

    @property
    def dimension_name(self) -> str:
        """The Chinese name of the dimension (创新治理力 …)."""
        return DIMENSION_NAMES[self.dimension]

    @property
    def names(self) -> tuple[str, ...]:
        """The Chinese name followed by every alias."""
        return (self.name_zh, *self.aliases)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description (used by ``innocity catalog show --format json``)."""
        return {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "aliases": list(self.aliases),
            "unit": self.unit,
            "direction": self.direction,
            "dimension": self.dimension,
            "dimension_name": self.dimension_name,
            "kind": self.kind,
            "definition": self.definition,
            "formula": None
            if self.formula is None
            else {"numerator": self.formula.numerator, "denominator": self.formula.denominator,
                  "scale": self.formula.scale},
            "aggregation": self.aggregation,
            "data_source": self.data_source,
            "source": self.source,
            "in_index": self.in_index,
            "max_value": self.max_value,
            "evidence": self.evidence,
            "origin": self.origin,
        }


class Catalog:
    """The indicators in catalogue order, looked up by code."""

    def __init__(self, indicators: list[Indicator]) -> None:
        self.indicators: list[Indicator] = list(indicators)
        self._by_code = {i.code: i for i in self.indicators}

    def get(self, code: str) -> Indicator:
        """The indicator with this code; ``NotFoundError`` when there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFoundError(f"no indicator with code '{code}' in the catalogue") from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __len__(self) -> int:
        return len(self.indicators)

    def dimensions(self) -> list[tuple[str, str]]:
        """(code, Chinese name) of the five dimensions in the order of the national evaluation."""
        return list(DIMENSIONS)

    def in_dimension(self, dimension: str) -> list[Indicator]:
        """The indicators of one dimension (code such as TEC or its Chinese name 技术创新力)."""
        code = dimension_code(dimension)
        return [i for i in self.indicators if i.dimension == code]


def dimension_code(value: str) -> str:
    """GOV … DRV from a code (any case) or a Chinese dimension name; ``NotFoundError`` otherwise."""
    v = value.strip()
    if v.upper() in DIMENSION_NAMES:
        return v.upper()
    for code, name in DIMENSIONS:
        if v == name:
            return code
    choices = ", ".join(f"{c} {n}" for c, n in DIMENSIONS)
    raise NotFoundError(f"unknown dimension '{value}' (one of: {choices})")
