"""Reading and validating catalogue files: the shipped ``indicators.yaml`` and users' YAML or CSV files.

Every file, the shipped one included, goes through the same pydantic schema, so a user's file is held to
exactly the rules the built-in catalogue obeys. Errors name the file, the entry (its code, or its row in a
CSV file) and the field: ``my.yaml: indicator X01 field 'direction': must be 1 or -1``.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from innocity.errors import CatalogError, UnitError

from . import units
from .model import DIMENSION_NAMES, DIMENSIONS, Catalog, Formula, Indicator, MatchRules

CATALOG_SUFFIXES = (".yaml", ".yml", ".csv")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,19}$")
_FORMULA = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*/\s*([A-Z][A-Z0-9_]*)\s*(?:[*×x]\s*([0-9.eE+]+))?\s*$")


class FormulaSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    numerator: str
    denominator: str
    scale: float = 1.0


class MatchSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    require: list[list[str]] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class IndicatorSpec(BaseModel):
    """The schema of one catalogue entry, shared by the built-in file and users' files."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str
    name_zh: str = Field(min_length=1)
    name_en: str = ""
    aliases: list[str] = Field(default_factory=list)
    unit: str
    direction: int
    dimension: str
    kind: Literal["level", "count", "share", "per_capita", "intensity", "rate", "index"]
    definition: str = Field(min_length=1)
    formula: FormulaSpec | None = None
    aggregation: Literal["flow", "stock", "rate"]
    data_source: str = Field(min_length=1)
    source: Literal["confirmed", "common", "proposed"]
    in_index: bool = True
    max_value: float | None = None
    evidence: str = ""
    match: MatchSpec = Field(default_factory=MatchSpec)

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not _CODE.match(v):
            raise ValueError("must be 2-20 capital letters, digits or _ starting with a letter (e.g. TEC01)")
        return v

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        try:
            return units.canonical(v)
        except UnitError as exc:
            raise ValueError(exc.message) from None

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, v: Any) -> int:
        text = str(v).strip()
        if text in {"1", "+1", "+", "1.0"}:
            return 1
        if text in {"-1", "−1", "-", "−", "-1.0"}:
            return -1
        raise ValueError("must be 1 or -1")

    @field_validator("dimension", mode="before")
    @classmethod
    def _dimension(cls, v: Any) -> str:
        text = str(v).strip()
        if text.upper() in DIMENSION_NAMES:
            return text.upper()
        for code, name in DIMENSIONS:
            if text == name:
                return code
        raise ValueError("must be one of " + ", ".join(f"{c} ({n})" for c, n in DIMENSIONS))

    @field_validator("aliases", mode="before")
    @classmethod
    def _aliases(cls, v: Any) -> Any:
        if isinstance(v, str):  # CSV cells: aliases separated by | or ;
            return [a.strip() for a in re.split(r"[|;；]", v) if a.strip()]
        return v

    @field_validator("formula", mode="before")
    @classmethod
    def _formula(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        if isinstance(v, str):
            m = _FORMULA.match(v)
            if not m:
                raise ValueError("must look like NUMERATOR/DENOMINATOR*100 (codes of other indicators)")
            return {"numerator": m[1], "denominator": m[2], "scale": float(m[3] or 1)}
        return v

    @field_validator("in_index", mode="before")
    @classmethod
    def _in_index(cls, v: Any) -> Any:
        if isinstance(v, str):
            t = v.strip().lower()
            if t in {"", "true", "yes", "1", "是"}:
                return True
            if t in {"false", "no", "0", "否"}:
                return False
        return v

    def to_indicator(self, origin: str) -> Indicator:
        return Indicator(
            code=self.code,
            name_zh=self.name_zh,
            name_en=self.name_en,
            aliases=tuple(dict.fromkeys(a for a in self.aliases if a and a != self.name_zh)),
            unit=self.unit,
            direction=self.direction,
            dimension=self.dimension,
            kind=self.kind,
            definition=self.definition,
            formula=Formula(**self.formula.model_dump()) if self.formula else None,
            aggregation=self.aggregation,
            data_source=self.data_source,
            source=self.source,
            in_index=self.in_index,
            max_value=self.max_value,
            evidence=self.evidence,
            match=MatchRules(tuple(tuple(g) for g in self.match.require), tuple(self.match.exclude)),
            origin=origin,
        )


def _problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, reason) of every error, in words a user can act on."""
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "?"
        kind, msg = err["type"], str(err["msg"])
        if kind == "missing":
            msg = "is required"
        elif kind == "extra_forbidden":
            msg = "is not a catalogue field"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        out.append((field, msg))
    return out


MAX_FILE_BYTES = 2 * 10**6  # a catalogue of thousands of indicators is far smaller
MAX_NODES = 200_000  # values in one file after aliases are expanded (a "billion laughs" file has billions)


def _bounded(data: Any, name: str) -> None:
    """Refuse a YAML document whose aliases expand into too many values, or that refers to itself: walking
    it (pydantic validation does) would exhaust memory or the stack."""
    seen = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES or depth > 50:
            raise CatalogError("too large or too deeply nested for a catalogue file (aliases expanded)", source=name)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def _records(path: Path, text: str) -> list[tuple[str, dict[str, Any]]]:
    """(entry label, raw record) for every entry of a YAML or CSV catalogue file."""
    name = path.name
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        out = []
        for n, row in enumerate(reader, start=2):  # row 1 is the header
            rec = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None and (v or "").strip()}
            label = f"row {n}" + (f" ({rec['code']})" if rec.get("code") else "")
            out.append((label, rec))
        return out
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except RecursionError:
        raise CatalogError("nested too deeply", source=name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        # The commonest slip in a catalogue file: YAML cannot start a plain value with %.
        line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
        at = line[mark.column:mark.column + 1] if mark is not None else ""
        hint = ' (write the unit in quotes: unit: "%")' if "cannot start any token" in str(
            getattr(exc, "problem", "")) and at == "%" else ""
        raise CatalogError(f"not valid YAML{where}{hint}", source=name) from None
    _bounded(data, name)
    if isinstance(data, dict) and "indicators" in data:
        data = data["indicators"]
    if not isinstance(data, list):
        raise CatalogError("expected a list of indicators (or a mapping with an 'indicators' list)", source=name)
    out = []
    for n, rec in enumerate(data, start=1):
        if not isinstance(rec, dict):
            raise CatalogError(f"indicator #{n}: expected a mapping of fields", source=name)
        code = rec.get("code")
        out.append((f"indicator {code}" if code else f"indicator #{n}", rec))
    return out


def read_text(path: Path) -> str:
    """A catalogue file's text: UTF-8 (with or without BOM), else GB18030, which is what Excel saves CSV
    files in on Chinese Windows; ``CatalogError`` when it is neither."""
    if not path.is_file():
        raise CatalogError("not a regular file" if path.exists() else "no such file", source=str(path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CatalogError(f"larger than {MAX_FILE_BYTES // 10**6} MB: not a catalogue file", source=path.name)
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CatalogError("neither UTF-8 nor GB18030 text", source=path.name)


def parse_file(path: Path, text: str | None = None) -> list[Indicator]:
    """Validate one catalogue file and return its indicators; ``CatalogError`` listing every problem."""
    name = path.name
    if path.suffix.lower() not in CATALOG_SUFFIXES:
        raise CatalogError("a catalogue file must be .yaml, .yml or .csv", source=name)
    if text is None:
        try:
            text = read_text(path)
        except FileNotFoundError:
            raise CatalogError("no such file", source=str(path)) from None
    records = _records(path, text)
    if not records:
        raise CatalogError("holds no indicators", source=name)
    out: list[Indicator] = []
    seen: dict[str, str] = {}
    problems: list[str] = []
    for label, rec in records:
        try:
            spec = IndicatorSpec.model_validate(rec)
        except ValidationError as exc:
            problems.extend(f"{label} field '{field}': {reason}" for field, reason in _problems(exc))
            continue
        if spec.code in seen:
            problems.append(f"{label} field 'code': duplicate code {spec.code} (also {seen[spec.code]})")
            continue
        seen[spec.code] = label
        out.append(spec.to_indicator(origin=name))
    if problems:
        first = problems[0] + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else "")
        raise CatalogError(first, source=name, problems=problems)
    return out


def check_consistency(indicators: list[Indicator], *, source: str | None = None) -> None:
    """Codes unique across files, formulas pointing at existing codes with units that fit the scale."""
    by_code: dict[str, Indicator] = {}
    for ind in indicators:
        if ind.code in by_code:
            other = by_code[ind.code].origin
            raise CatalogError(
                f"indicator {ind.code} field 'code': duplicate code, already defined in {other}",
                source=source or ind.origin,
            )
        by_code[ind.code] = ind
    for ind in indicators:
        f = ind.formula
        if f is None:
            continue
        where = f"indicator {ind.code} field 'formula'"
        for part in (f.numerator, f.denominator):
            if part not in by_code:
                raise CatalogError(f"{where}: unknown indicator code {part}", source=source or ind.origin)
        num, den = by_code[f.numerator], by_code[f.denominator]
        try:
            expected = units.ratio_scale(num.unit, den.unit, ind.unit)
        except UnitError as exc:
            raise CatalogError(f"{where}: {exc.message}", source=source or ind.origin) from None
        if abs(expected - f.scale) > 1e-9 * max(1.0, abs(expected)):
            raise CatalogError(
                f"{where}: {num.unit} / {den.unit} in {ind.unit} needs scale {expected:g}, not {f.scale:g}",
                source=source or ind.origin,
            )


def catalog_files(extra: Path) -> list[Path]:
    """The catalogue files of a user's extension: the file itself, or a directory's files in name order."""
    if extra.is_dir():
        return sorted(p for p in extra.iterdir() if p.suffix.lower() in CATALOG_SUFFIXES and p.is_file())
    if not extra.exists():
        raise CatalogError("no such file or directory", source=str(extra))
    return [extra]


@lru_cache(maxsize=1)
def builtin_indicators() -> tuple[Indicator, ...]:
    """The shipped catalogue, validated once per process."""
    ref = resources.files("innocity.catalog").joinpath("indicators.yaml")
    items = parse_file(Path("indicators.yaml"), ref.read_text(encoding="utf-8"))
    check_consistency(items)
    return tuple(items)


def load_catalog(extra: Path | None = None) -> Catalog:
    """The built-in catalogue, merged with a user's extension file or directory (``catalog.d``) if given.

    ``CatalogError`` when ``extra`` does not exist, when one of its files is invalid, or when a code is
    defined twice.
    """
    items = list(builtin_indicators())
    if extra is not None:
        for path in catalog_files(extra):
            items.extend(parse_file(path))
        check_consistency(items)
    return Catalog(items)
