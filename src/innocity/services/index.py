"""Composite-index use cases: read a framework YAML and long-format data (CSV or the store), run the engine,
shape the results for the CLI.

Framework files follow ``data/contracts/framework.example.yaml``; every problem in one is a
``FrameworkError`` naming the file and the node or field. Data files have the columns unit, indicator,
period, value (optionally group); rows whose indicator is a denominator named in the framework feed the
denominate step.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from innocity.domain.index.aggregation import AGGREGATE_METHODS
from innocity.domain.index.framework import Framework, Node
from innocity.domain.index.model import WEIGHT_METHODS, CompositeIndex, Dataset
from innocity.domain.index.sobol import run_sobol
from innocity.domain.index.steps import IMPUTE_METHODS, NORMALISE_METHODS, TREAT_METHODS, rank_desc
from innocity.domain.index.uncertainty import UncertaintySpec, run_uncertainty
from innocity.errors import DataValidationError, FrameworkError, RowProblem, UserInputError
from innocity.settings import Settings


@dataclass(frozen=True)
class FrameworkSpec:
    """A framework file read: the tree, the engine parameters and what the Monte Carlo varies."""

    framework: Framework
    params: dict[str, Any]
    uncertainty: UncertaintySpec
    name: str = ""
    scoring: str = "index"  # index | topsis | gra: what "score" and "rank" report


@dataclass
class IndexReport:
    """The shaped result of one run (what ``--format json`` prints, plus warnings)."""

    period: int | str
    units: list[dict[str, Any]]
    weights: dict[str, float]
    warnings: list[str] = field(default_factory=list)
    group_codes: list[str] = field(default_factory=list)
    sensitivity: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"period": self.period, "units": self.units, "weights": self.weights, "warnings": self.warnings}
        if self.sensitivity is not None:
            out["sensitivity"] = self.sensitivity
        return out


SCORINGS = ("index", "topsis", "gra")


# -- framework files ----------------------------------------------------------------------------------------
def _fail(source: str, where: str, why: str) -> FrameworkError:
    return FrameworkError(f"{where}: {why}", source=source)


def _method(doc: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, src: str) -> dict[str, Any]:
    block = doc.get(key, {}) or {}
    if isinstance(block, str):
        block = {"method": block}
    if not isinstance(block, dict):
        raise _fail(src, key, "must be a mapping such as {method: …}")
    method = str(block.get("method", default))
    if method not in allowed:
        raise _fail(src, f"{key}.method", f"unknown {method!r}; expected one of {', '.join(allowed)}")
    return {**block, "method": method}


def _number(value: Any, src: str, where: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise _fail(src, where, f"must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise _fail(src, where, "must be a finite number")
    return out


def _node(raw: Any, src: str, path: str, directions: dict[str, int] | None) -> Node:
    if not isinstance(raw, dict) or "code" not in raw:
        raise _fail(src, path, "each node needs a mapping with at least 'code'")
    code = str(raw["code"])
    where = f"{path} (node {code})"
    kids_raw = raw.get("children") or []
    if not isinstance(kids_raw, list):
        raise _fail(src, f"{where}.children", "must be a list of nodes")
    kids = tuple(_node(k, src, f"{path}.children[{i}]", directions) for i, k in enumerate(kids_raw))
    direction = raw.get("direction")
    if direction is None:
        direction = (directions or {}).get(code, 1)
    try:
        direction = int(direction)
    except (TypeError, ValueError):
        raise _fail(src, f"{where}.direction", f"must be 1 or -1, got {direction!r}") from None
    if direction not in (1, -1):
        raise _fail(src, f"{where}.direction", f"must be 1 or -1, got {direction}")
    gp = raw.get("goalposts")
    if gp is not None and (not isinstance(gp, list) or len(gp) != 2):
        raise _fail(src, f"{where}.goalposts", "must be [low, high]")
    pw = raw.get("pairwise")
    pairwise = None
    if pw is not None:
        if not isinstance(pw, list) or not all(isinstance(r, list) for r in pw):
            raise _fail(src, f"{where}.pairwise", "must be a square list of lists")
        pairwise = tuple(tuple(_number(v, src, f"{where}.pairwise") for v in r) for r in pw)
    return Node(
        code=code,
        name=str(raw.get("name", "")),
        weight=_number(raw.get("weight", 1), src, f"{where}.weight"),
        direction=direction,
        children=kids,
        denominator=str(raw["denominator"]) if raw.get("denominator") else None,
        target=_number(raw["target"], src, f"{where}.target") if raw.get("target") is not None else None,
        goalposts=(_number(gp[0], src, f"{where}.goalposts"), _number(gp[1], src, f"{where}.goalposts"))
        if gp is not None else None,
        pairwise=pairwise,
    )


def parse_framework(doc: Any, source: str, *, directions: dict[str, int] | None = None) -> FrameworkSpec:
    """Build a FrameworkSpec from a parsed YAML document (``source`` names the file in errors)."""
    if not isinstance(doc, dict):
        raise _fail(source, "top level", "must be a mapping with at least 'tree'")
    tree = doc.get("tree")
    if not isinstance(tree, list) or not tree:
        raise _fail(source, "tree", "must be a non-empty list of groups or indicators")
    children = tuple(_node(n, source, f"tree[{i}]", directions) for i, n in enumerate(tree))
    root = Node(str(doc.get("code", "Index")), str(doc.get("name", "")), 1.0, 1, children)
    fw = Framework(root, str(doc.get("name", "")), source)
    imp = _method(doc, "impute", IMPUTE_METHODS, "none", source)
    trt = _method(doc, "treat", TREAT_METHODS, "none", source)
    nrm = _method(doc, "normalise", NORMALISE_METHODS, "minmax", source)
    wts = _method(doc, "weights", WEIGHT_METHODS, "manual", source)
    agg = _method(doc, "aggregate", AGGREGATE_METHODS, "arithmetic", source)
    rng = nrm.get("range", [0, 100])
    if not isinstance(rng, list) or len(rng) != 2:
        raise _fail(source, "normalise.range", "must be [low, high]")
    params: dict[str, Any] = {
        "denominate": bool(doc.get("denominate", True)),
        "impute": imp["method"],
        "treat": trt["method"],
        "treat_params": {k: _number(v, source, f"treat.{k}") for k, v in trt.items() if k != "method"},
        "normalise": nrm["method"],
        "normalise_range": (_number(rng[0], source, "normalise.range"), _number(rng[1], source, "normalise.range")),
        "weights": wts["method"],
        "weight_params": {k: v for k, v in wts.items() if k != "method"},
        "aggregate": agg["method"],
        "p": _number(agg.get("p", 1.0), source, "aggregate.p"),
    }
    scoring = _method(doc, "scoring", SCORINGS, "index", source)["method"]
    return FrameworkSpec(fw, params, _uncertainty(doc.get("uncertainty"), source), fw.name, scoring)


def _choices(block: dict[str, Any], key: str, allowed: tuple[str, ...], src: str) -> tuple[str, ...]:
    vals = block.get(key) or []
    if isinstance(vals, str):
        vals = [vals]
    for v in vals:
        if v not in allowed:
            raise _fail(src, f"uncertainty.{key}", f"unknown {v!r}; expected one of {', '.join(allowed)}")
    return tuple(str(v) for v in vals)


def _uncertainty(block: Any, src: str) -> UncertaintySpec:
    if block is None:
        return UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"),
                               normalise_range=(1.0, 100.0), seed=None)
    if not isinstance(block, dict):
        raise _fail(src, "uncertainty", "must be a mapping")
    w = block.get("weights") or {}
    noise = _number(w.get("noise", 0.0), src, "uncertainty.weights.noise")
    if not 0 <= noise < 1:
        raise _fail(src, "uncertainty.weights.noise", "must be in [0, 1)")
    levels = tuple(int(_number(v, src, "uncertainty.weights.levels")) for v in w.get("levels", [2, 3]))
    rng = block.get("normalise_range")
    seed = block.get("seed")
    return UncertaintySpec(
        weight_noise=noise, noise_levels=levels,
        aggregate=_choices(block, "aggregate", AGGREGATE_METHODS, src),
        normalise=_choices(block, "normalise", NORMALISE_METHODS, src),
        impute=_choices(block, "impute", IMPUTE_METHODS, src),
        treat=_choices(block, "treat", TREAT_METHODS, src),
        normalise_range=(_number(rng[0], src, "uncertainty.normalise_range"),
                         _number(rng[1], src, "uncertainty.normalise_range")) if rng else None,
        seed=int(seed) if seed is not None else None,
    )


def load_framework(path: Path) -> FrameworkSpec:
    """Read and validate a framework YAML file."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(f"cannot read the framework file: {exc.strerror}", source=str(path)) from None
    try:
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        raise FrameworkError(f"{where}: not valid YAML", source=str(path)) from None
    return parse_framework(doc, str(path))


def default_framework() -> FrameworkSpec:
    """The catalogue's five dimensions (GOV, ORI, TEC, TRA, DRV), equal weights, catalogue directions."""
    from innocity.catalog import load_catalog

    cat = load_catalog()
    dims: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for ind in cat.indicators:
        if not getattr(ind, "in_index", True):
            continue
        dims.setdefault(ind.dimension, []).append({"code": ind.code, "name": ind.name_zh,
                                                   "direction": ind.direction, "weight": 1})
        names[ind.dimension] = ind.dimension_name
    order = [d for d in ("GOV", "ORI", "TEC", "TRA", "DRV") if d in dims] + sorted(
        d for d in dims if d not in ("GOV", "ORI", "TEC", "TRA", "DRV"))
    doc = {"name": "创新型城市创新能力指数(五维默认框架)",
           "tree": [{"code": d, "name": names[d], "weight": 1, "children": dims[d]} for d in order]}
    return parse_framework(doc, "built-in catalogue framework")


# -- data ---------------------------------------------------------------------------------------------------
@dataclass
class LongRows:
    """Observations in long form: (unit, indicator, period, value) plus optional unit groups."""

    rows: list[tuple[str, str, int | str, float]]
    groups: dict[str, str] = field(default_factory=dict)
    source: str = ""


_MISSING = frozenset(("", "NA", "NaN", "nan", "-"))


def _period(text: str) -> int | str:
    text = text.strip()
    return int(text) if text.isdigit() else text


def read_data_csv(path: Path) -> LongRows:
    """Read long-format data; every bad row is reported with its row number and field."""
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise UserInputError(f"cannot read the data file: {exc.strerror}", source=str(path)) from None
    with fh:
        reader = csv.reader(fh)
        cols = [c.strip().lower() for c in next(reader, [])]
        need = ("unit", "indicator", "period", "value")
        missing = [c for c in need if c not in cols]
        if missing:
            raise UserInputError(f"missing column(s) {', '.join(missing)}; expected unit, indicator, period, "
                                 "value", source=str(path))
        iu, ii, ip, iv = (cols.index(c) for c in need)
        ig = cols.index("group") if "group" in cols else -1
        width = len(cols)
        rows: list[tuple[str, str, int | str, float]] = []
        groups: dict[str, str] = {}
        problems: list[RowProblem] = []
        seen: set[tuple[str, str, int | str]] = set()
        periods: dict[str, int | str] = {}
        for n, rec in enumerate(reader, start=2):
            if not rec:
                continue
            if len(rec) < width:
                rec = rec + [""] * (width - len(rec))
            unit, ind, per, raw = rec[iu].strip(), rec[ii].strip(), rec[ip].strip(), rec[iv].strip()
            if not (unit and ind and per):
                problems.extend(RowProblem(n, name, "empty") for name, val in
                                (("unit", unit), ("indicator", ind), ("period", per)) if not val)
                continue
            try:
                value = float(raw) if raw not in _MISSING else math.nan
            except ValueError:
                problems.append(RowProblem(n, "value", f"not a number: {raw!r}"))
                continue
            if value in (math.inf, -math.inf):
                problems.append(RowProblem(n, "value", f"not a finite number: {raw!r}"))
                continue
            pk = periods.get(per)
            if pk is None:
                pk = periods[per] = _period(per)
            key = (unit, ind, pk)
            if key in seen:
                problems.append(RowProblem(n, None, f"duplicate value for {unit} / {ind} / {per}"))
                continue
            seen.add(key)
            rows.append((unit, ind, pk, value))
            if ig >= 0 and rec[ig].strip():
                groups[unit] = rec[ig].strip()
    if problems:
        first = problems[0]
        raise DataValidationError(f"{len(problems)} bad row(s); {first}", problems, source=str(path))
    if not rows:
        raise UserInputError("no data rows", source=str(path))
    return LongRows(rows, groups, str(path))


def build_dataset(data: LongRows, framework: Framework) -> Dataset:
    """Pivot long rows into the engine's (periods, units, indicators) array, plus denominators."""
    codes = framework.indicator_codes
    dens = sorted({n.denominator for n in framework.nodes if n.denominator})
    present = {r[1] for r in data.rows}
    absent = [c for c in codes if c not in present]
    if absent:
        raise UserInputError(f"no values for indicator(s) {', '.join(absent)} of the framework",
                             source=data.source)
    units = sorted({r[0] for r in data.rows})
    periods = sorted({r[2] for r in data.rows}, key=lambda p: (isinstance(p, str), str(p).zfill(12)))
    upos = {u: i for i, u in enumerate(units)}
    ppos = {p: i for i, p in enumerate(periods)}
    cpos = {c: i for i, c in enumerate(codes)}
    dpos = {d: i for i, d in enumerate(dens)}
    x = np.full((len(periods), len(units), len(codes)), np.nan)
    dv = np.full((len(periods), len(units), max(len(dens), 1)), np.nan)
    for unit, ind, per, val in data.rows:
        if ind in cpos:
            x[ppos[per], upos[unit], cpos[ind]] = val
        elif ind in dpos:
            dv[ppos[per], upos[unit], dpos[ind]] = val
    missing_den = [d for d in dens if d not in present]
    if missing_den:
        raise UserInputError(f"no values for denominator(s) {', '.join(missing_den)} named in the framework",
                             source=data.source)
    groups = tuple(data.groups.get(u) for u in units) if data.groups else None
    return Dataset(tuple(units), tuple(periods), tuple(codes), x, groups,  # type: ignore[arg-type]
                   {d: dv[:, :, i] for d, i in dpos.items()})


# -- running ------------------------------------------------------------------------------------------------
def run_index(*, spec: FrameworkSpec, data: LongRows, year: int | str | None = None, uncertainty: int = 0,
              seed: int | None = None, obstacles: int = 0, sobol: int = 0) -> IndexReport:
    """Fit the index on all periods (panel-wide normalisation) and report one period.

    Optionally: a Monte Carlo uncertainty analysis of ``uncertainty`` replications (rank intervals), Sobol
    indices from ``sobol`` base samples of the same factors, and each unit's ``obstacles`` largest
    obstacle degrees (障碍度).
    """
    ds = build_dataset(data, spec.framework)
    if year is None:
        t = len(ds.periods) - 1
    else:
        matches = [i for i, p in enumerate(ds.periods) if str(p) == str(year)]
        if not matches:
            raise UserInputError(f"no data for period {year}; periods present: "
                                 f"{', '.join(str(p) for p in ds.periods)}", source=data.source)
        t = matches[0]
    if spec.scoring != "index" and (uncertainty or sobol):
        raise UserInputError(f"uncertainty and sensitivity analyse the aggregated index, not scoring "
                             f"{spec.scoring!r}; set scoring: index", source=spec.framework.source)
    try:
        model = CompositeIndex(spec.framework, **spec.params).fit(ds)
    except ValueError as exc:
        raise FrameworkError(str(exc), source=spec.framework.source) from exc
    warnings = list(model.warnings_)
    fw = spec.framework
    if spec.scoring == "topsis":
        score = model.topsis(t) * 100.0
    elif spec.scoring == "gra":
        score = model.grey_relational(t)
    else:
        score = model.scores_[t, :, -1]
    rank = rank_desc(score)
    groups = [i for i in range(fw.n_indicators, len(fw.nodes) - 1)]
    uspec = spec.uncertainty if seed is None else replace(spec.uncertainty, seed=seed)
    ua = run_uncertainty(model, uspec, uncertainty, period=t) if uncertainty > 0 else None
    if ua is not None:
        warnings.extend(ua.warnings)
        p5, p95 = ua.rank_quantile(0.05), ua.rank_quantile(0.95)
        mean, median = ua.rank_mean, ua.rank_median
    obs = model.obstacles(t) if obstacles > 0 else None
    units = []
    for u, name in enumerate(ds.units):
        item: dict[str, Any] = {"unit": name, "score": _num(score[u]), "rank": int(rank[u])}
        if ua is not None:
            item["rank_interval"] = [_clean(p5[u]), _clean(p95[u])]
            item["rank_mean"] = _clean(mean[u])
            item["rank_median"] = _clean(median[u])
        item["groups"] = {fw.nodes[g].code: _num(model.scores_[t, u, g]) for g in groups}
        if obs is not None:
            top = np.argsort(-obs[u], kind="stable")[:obstacles]
            item["obstacles"] = [{"indicator": fw.indicator_codes[j], "degree": float(obs[u, j])}
                                 for j in top if obs[u, j] > 0]
        units.append(item)
    units.sort(key=lambda d: (d["rank"], d["unit"]))
    eff = model.effective_weights_
    weights = {c: float(eff[i]) for i, c in enumerate(fw.indicator_codes)}
    report = IndexReport(ds.periods[t], units, weights, warnings, [fw.nodes[g].code for g in groups])
    if sobol > 0:
        try:
            res = run_sobol(model, uspec, sobol, period=t)
        except ValueError as exc:
            raise FrameworkError(f"uncertainty: {exc}", source=fw.source) from exc
        report.sensitivity = [
            {"factor": f, "first": float(res.first[i]), "total": float(res.total[i]),
             "first_ci": [float(v) for v in res.first_ci[i]], "total_ci": [float(v) for v in res.total_ci[i]]}
            for i, f in enumerate(res.factors)]
    return report


def _clean(v: float) -> float | None:
    f = float(v)
    if not math.isfinite(f):
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def _num(v: float) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


def read_data_db(spec: FrameworkSpec, *, settings: Settings) -> LongRows:
    """Approved annual observations of the framework's indicators (and denominators) from the store.

    Where a value was revised, the one known last is used. Units are the regions' names.
    """
    from innocity.domain.observation import Status
    from innocity.storage import observations as obs_repo

    from .store import open_store

    fw = spec.framework
    codes = fw.indicator_codes + sorted({n.denominator for n in fw.nodes if n.denominator})
    store = open_store(settings)
    try:
        with store.session() as s:
            found = obs_repo.query(s, indicator_codes=codes, statuses=[Status.APPROVED.value])
    finally:
        store.dispose()
    latest: dict[tuple[str, str, int | str], float] = {}
    for o in found:  # ordered by known_on within each series, so later revisions overwrite
        if o.period.kind != "year":
            continue
        latest[(o.region_name, o.indicator_code, o.period.year)] = float(o.value)
    if not latest:
        raise UserInputError("no approved annual observations of the framework's indicators in the store "
                             f"({settings.database_url.split('://')[0]})", source="--from-db")
    return LongRows([(u, c, p, v) for (u, c, p), v in sorted(latest.items(), key=lambda kv: str(kv[0]))],
                    {}, "--from-db")
