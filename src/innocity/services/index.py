"""Composite-index use cases: read a framework (file, YAML text or the catalogue's default) and data (CSV
file or the store), apply the coverage rules, run the engine and return a typed ``IndexResult``.

Framework files follow ``data/contracts/framework.example.yaml``; every problem in one is a
``FrameworkError`` naming the file and the key. Data rows whose indicator is a denominator named in the
framework feed the denominate step. Requests are bounded (``MAX_REPLICATIONS`` …) so that no single call
can take the machine's memory; the limits are documented in docs/index-engine.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from innocity.domain.index.coverage import Selection, select
from innocity.domain.index.model import CompositeIndex, Dataset
from innocity.domain.index.sobol import run_sobol
from innocity.domain.index.spec import FrameworkSpec, parse_framework, parse_seed
from innocity.domain.index.steps import rank_desc
from innocity.domain.index.uncertainty import run_uncertainty
from innocity.errors import FrameworkError, UserInputError

from .context import Permission
from .index_data import LongRows, build_dataset, read_data_csv, read_data_db
from .index_files import MAX_FRAMEWORK_BYTES, decode, load_yaml, read_regular_file
from .models.index import (
    CoverageOut,
    DroppedGroup,
    DroppedIndicator,
    ExcludedUnit,
    IndexResult,
    Obstacle,
    SensitivityRow,
    UnitResult,
)

if TYPE_CHECKING:
    from innocity.catalog import Catalog

    from .context import UnitOfWork

__all__ = ["LongRows", "default_framework", "framework_from_text", "load_framework", "read_data_csv",
           "read_data_db", "run_from_db", "run_from_files", "run_index"]

MAX_REPLICATIONS = 10_000  # --uncertainty and --sobol base samples
MAX_SOBOL_RUNS = 50_000  # N·(factors + 2) model evaluations
MAX_UNIT_RUNS = 10_000_000  # replications × units: the rank matrix stays under 100 MB
MAX_OBSTACLES = 100
DIMENSIONS = ("GOV", "ORI", "TEC", "TRA", "DRV")
Progress = Callable[[int], None]  # told a percentage, 0–100


# -- frameworks ---------------------------------------------------------------------------------------------
def load_framework(path: Path, *, catalog: Catalog) -> FrameworkSpec:
    """Read and validate a framework YAML file (UTF-8, GB18030/GBK or UTF-16; at most 1 MB)."""
    src = str(path)
    text = decode(read_regular_file(path, limit=MAX_FRAMEWORK_BYTES, error=FrameworkError), source=src,
                  error=FrameworkError)
    return framework_from_text(text, catalog=catalog, source=src)


def framework_from_text(text: str, *, catalog: Catalog, source: str = "framework") -> FrameworkSpec:
    """Validate framework YAML text; an indicator without a direction takes the catalogue's, else +1."""
    doc = load_yaml(text, source=source)
    directions = None
    if isinstance(doc, dict) and _lacks_direction(doc.get("tree")):
        directions = {i.code: i.direction for i in catalog.indicators}
    return parse_framework(doc, source, directions=directions)


def framework_spec(framework: str, *, catalog: Catalog, field: str = "framework") -> FrameworkSpec:
    """``"default"`` (the catalogue's five dimensions) or YAML text; errors name ``field``."""
    if framework.strip() == "default":
        return default_framework(catalog)
    try:
        return framework_from_text(framework, catalog=catalog, source=field)
    except FrameworkError as exc:
        raise FrameworkError(exc.message, field=field) from None


def _lacks_direction(nodes: Any) -> bool:
    stack = [nodes]
    while stack:
        level = stack.pop()
        if not isinstance(level, list):
            continue
        for n in level:
            if isinstance(n, dict):
                kids = n.get("children")
                if kids:
                    stack.append(kids)
                elif "direction" not in n:
                    return True
    return False


def default_framework(catalog: Catalog) -> FrameworkSpec:
    """The catalogue's five dimensions (GOV, ORI, TEC, TRA, DRV), equal weights, catalogue directions."""
    dims: dict[str, list[dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for ind in catalog.indicators:
        if not getattr(ind, "in_index", True):
            continue
        dims.setdefault(ind.dimension, []).append({"code": ind.code, "name": ind.name_zh,
                                                   "direction": ind.direction, "weight": 1})
        names[ind.dimension] = ind.dimension_name
    order = [d for d in DIMENSIONS if d in dims] + sorted(d for d in dims if d not in DIMENSIONS)
    doc = {"name": "创新型城市创新能力指数(五维默认框架)",
           "tree": [{"code": d, "name": names[d], "weight": 1, "children": dims[d]} for d in order]}
    return parse_framework(doc, "built-in catalogue framework")


# -- limits -------------------------------------------------------------------------------------------------
def check_request(*, uncertainty: int = 0, sobol: int = 0, obstacles: int = 0) -> None:
    """Refuse counts beyond the documented maxima before any work is done."""
    for name, n, top in (("uncertainty", uncertainty, MAX_REPLICATIONS), ("sobol", sobol, MAX_REPLICATIONS),
                         ("obstacles", obstacles, MAX_OBSTACLES)):
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise UserInputError(f"must be a whole number ≥ 0, got {n!r}", field=name)
        if n > top:
            raise UserInputError(f"{n:,} is over the maximum of {top:,} (see docs/index-engine.md)", field=name)


def _check_runs(spec: FrameworkSpec, uncertainty: int, sobol: int, units: int) -> None:
    u = spec.uncertainty
    factors = (len(u.noise_levels) if u.weight_noise > 0 else 0) + sum(len(a) > 1 for a in u.choices().values())
    runs = sobol * (factors + 2)
    if runs > MAX_SOBOL_RUNS:
        raise UserInputError(f"{sobol:,} base samples × {factors + 2} is {runs:,} model runs, over the maximum "
                             f"of {MAX_SOBOL_RUNS:,}", field="sobol")
    for name, n in (("uncertainty", uncertainty), ("sobol", runs)):
        if n * units > MAX_UNIT_RUNS:
            raise UserInputError(f"{n:,} runs × {units:,} units is over the maximum of {MAX_UNIT_RUNS:,} "
                                 f"unit-runs; at most {MAX_UNIT_RUNS // units:,} runs for {units:,} units",
                                 field=name)


# -- coverage -----------------------------------------------------------------------------------------------
def _observed(ds: Dataset, spec: FrameworkSpec, t: int) -> np.ndarray:
    """units × indicators: True where a value (and its denominator) exists for period ``t``; with panel
    imputation (carry, linear) a value in any period counts, since it fills the others."""
    fw = spec.framework
    present = ~np.isnan(ds.values)
    if spec.params["denominate"]:
        for i, node in enumerate(fw.nodes[: fw.n_indicators]):
            if node.denominator:
                den = ds.denominators.get(node.denominator)
                present[:, :, i] &= ~np.isnan(den) if den is not None else False
    if spec.params["impute"] in ("carry", "linear"):
        return np.asarray(present.any(axis=0))
    return np.asarray(present[t])


def _choose_period(ds: Dataset, spec: FrameworkSpec, year: int | str | None, source: str
                   ) -> tuple[int, Selection, list[str]]:
    """The period to report and what the coverage rules keep there: ``year``, or the latest period that
    leaves something to rank (later ones are named in a warning)."""
    if not (~np.isnan(ds.values)).any():
        absent = list(ds.indicators)
        shown = ", ".join(absent[:12]) + (f" … ({len(absent)} in all)" if len(absent) > 12 else "")
        raise UserInputError(f"no values for indicator(s) {shown} of the framework", source=source)
    if year is not None:
        matches = [i for i, p in enumerate(ds.periods) if str(p) == str(year).strip()]
        if not matches:
            raise UserInputError(f"no data for period {year}; periods present: "
                                 f"{', '.join(str(p) for p in ds.periods)}", field="year")
        candidates = matches
    else:
        candidates = list(range(len(ds.periods) - 1, -1, -1))
    skipped: list[str] = []
    first: Selection | None = None
    for t in candidates:
        sel = select(_observed(ds, spec, t), spec.coverage, period=str(ds.periods[t]))
        if sel.usable:
            warn = [f"no usable data for {', '.join(skipped)}; reporting {ds.periods[t]}, the latest period "
                    "with at least 2 units and 1 indicator covered"] if skipped else []
            return t, sel, warn
        first = first or sel
        skipped.append(str(ds.periods[t]))
    assert first is not None
    raise UserInputError(_nothing_left(ds, spec, candidates[0], first), source=source)


def _nothing_left(ds: Dataset, spec: FrameworkSpec, t: int, sel: Selection) -> str:
    obs = _observed(ds, spec, t)
    have = obs.sum(axis=0)
    best = int(np.argmax(have))
    rule = spec.coverage
    return (f"nothing left to rank in {ds.periods[t]}: {int(sel.units.sum())} unit(s) and "
            f"{int(sel.indicators.sum())} indicator(s) pass the coverage rules (indicators need values for "
            f"{rule.indicator:.0%} of units, units for {rule.unit:.0%} of indicators; at least 2 units and 1 "
            f"indicator are needed); the best-covered indicator, {ds.indicators[best]}, has values for "
            f"{int(have[best])} of {len(ds.units)} units")


# -- running ------------------------------------------------------------------------------------------------
def run_index(*, spec: FrameworkSpec, data: LongRows, year: int | str | None = None, uncertainty: int = 0,
              seed: int | None = None, obstacles: int = 0, sobol: int = 0, progress: Progress | None = None
              ) -> IndexResult:
    """Fit the index on all periods (panel-wide normalisation) and report one period.

    Indicators and units below the framework's coverage thresholds are left out and listed with the reason.
    Optionally: a Monte Carlo uncertainty analysis of ``uncertainty`` replications (rank intervals), Sobol
    indices from ``sobol`` base samples of the same factors, and each unit's ``obstacles`` largest
    obstacle degrees (障碍度). ``progress`` is told a percentage at a few checkpoints.
    """
    tell = progress or (lambda _p: None)
    check_request(uncertainty=uncertainty, sobol=sobol, obstacles=obstacles)
    seed = parse_seed(seed, None, "seed") if seed is not None else None
    if spec.scoring != "index" and (uncertainty or sobol):
        raise UserInputError(f"uncertainty and sensitivity analyse the aggregated index, not scoring "
                             f"{spec.scoring!r}; set scoring: index", source=spec.framework.source)
    full = build_dataset(data, spec.framework)
    t, sel, warnings = _choose_period(full, spec, year, data.source)
    fw0 = spec.framework
    kept = [c for c, k in zip(full.indicators, sel.indicators, strict=True) if k]
    fw, gone = fw0.subset(kept)
    if fw is None:  # only possible when every kept indicator weighs 0
        raise FrameworkError("every usable indicator has weight 0", source=fw0.source)
    u_idx = np.flatnonzero(sel.units)
    ds = Dataset(tuple(full.units[i] for i in u_idx), full.periods, full.indicators, full.values[:, u_idx, :],
                 tuple(full.unit_groups[i] for i in u_idx) if full.unit_groups else None,
                 {k: v[:, u_idx] for k, v in full.denominators.items()})
    _check_runs(spec, uncertainty, sobol, len(ds.units))
    tell(10)
    try:
        model = CompositeIndex(fw, **spec.params).fit(ds)
    except ValueError as exc:
        raise FrameworkError(str(exc), source=fw.source) from exc
    tell(25)
    warnings.extend(model.warnings_)
    score = (model.topsis(t) * 100.0 if spec.scoring == "topsis" else
             model.grey_relational(t) if spec.scoring == "gra" else model.scores_[t, :, -1])
    rank = rank_desc(score)
    groups = list(range(fw.n_indicators, len(fw.nodes) - 1))
    uspec = spec.uncertainty if seed is None else replace(spec.uncertainty, seed=seed)
    span = 60 if sobol else 70
    ua = (run_uncertainty(model, uspec, uncertainty, period=t, progress=lambda f: tell(25 + int(span * f)))
          if uncertainty > 0 else None)
    if ua is not None:
        warnings.extend(ua.warnings)
        p5, p95 = ua.rank_quantile(0.05), ua.rank_quantile(0.95)
        mean, median = ua.rank_mean, ua.rank_median  # properties over (R, units): compute once
    obs = model.obstacles(t) if obstacles > 0 else None
    contrib = model.contributions(t)
    dims = [int(i) for i in np.flatnonzero(fw.parent == len(fw.nodes) - 1)]
    codes = fw.indicator_codes
    units = []
    for u, name in enumerate(ds.units):
        item = UnitResult(unit=name, adcode=data.adcodes.get(name), score=_num(score[u]), rank=int(rank[u]),
                          groups={fw.nodes[g].code: _num(model.scores_[t, u, g]) for g in groups})
        if ua is not None:
            item.rank_interval = [_clean(p5[u]), _clean(p95[u])]
            item.rank_mean, item.rank_median = _clean(mean[u]), _clean(median[u])
        if spec.scoring == "index" and model.aggregate == "arithmetic":
            # points each dimension adds to the score (exact for the arithmetic mean)
            item.contributions = {fw.nodes[g].code: _num(contrib[u, g]) for g in dims}
        if obs is not None:
            worst = np.argsort(-obs[u], kind="stable")[:obstacles]
            item.obstacles = [Obstacle(indicator=codes[j], degree=float(obs[u, j])) for j in worst if obs[u, j] > 0]
        units.append(item)
    units.sort(key=lambda d: (d.rank, d.unit))
    eff = model.effective_weights_
    result = IndexResult(
        units=units, weights={c: float(eff[i]) for i, c in enumerate(codes)}, period=ds.periods[t],
        name=spec.name, scoring=spec.scoring, groups=[fw.nodes[g].code for g in groups], replications=uncertainty,
        coverage=CoverageOut(indicator=spec.coverage.indicator, unit=spec.coverage.unit),
        dropped_indicators=[DroppedIndicator(code=full.indicators[r.index], name=_name(fw0, full.indicators[r.index]),
                                             coverage=r.coverage, reason=r.reason) for r in sel.dropped],
        dropped_groups=[DroppedGroup(code=g.code, name=g.name or None, reason="none of its indicators is usable")
                        for g in gone],
        excluded_units=[ExcludedUnit(unit=n, reason=why) for n, why in data.excluded]
        + [ExcludedUnit(unit=full.units[r.index], coverage=r.coverage, reason=r.reason) for r in sel.excluded],
        warnings=warnings)
    _summarise(result, len(full.indicators))
    if sobol > 0:
        base = 25 + span if uncertainty else 25
        try:
            res = run_sobol(model, uspec, sobol, period=t, progress=lambda f: tell(base + int((95 - base) * f)))
        except ValueError as exc:
            raise FrameworkError(f"uncertainty: {exc}", source=fw.source) from exc
        result.sensitivity = [
            SensitivityRow(factor=f, first=float(res.first[i]), total=float(res.total[i]),
                           first_ci=[float(v) for v in res.first_ci[i]], total_ci=[float(v) for v in res.total_ci[i]])
            for i, f in enumerate(res.factors)]
    return result


def _summarise(result: IndexResult, n_indicators: int) -> None:
    """One warning line for what the coverage rules left out (the lists themselves are in the result)."""
    if result.dropped_indicators:
        result.warnings.insert(0, f"{len(result.dropped_indicators)} of {n_indicators} indicators left out for "
                                  f"low coverage in {result.period} (see dropped_indicators)")
    thin = [e for e in result.excluded_units if e.coverage is not None]
    if thin:
        result.warnings.insert(0, f"{len(thin)} unit(s) left out for missing data in {result.period}: "
                                  + ", ".join(e.unit for e in thin[:10]) + (" …" if len(thin) > 10 else ""))


def _name(fw: Any, code: str) -> str | None:
    node = fw.nodes[fw.position(code)]
    return node.name or None


def _clean(v: float) -> float | int | None:
    f = float(v)
    if not math.isfinite(f):
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def _num(v: float) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None


# -- the two entry points of ``innocity index run`` ----------------------------------------------------------
def run_from_files(catalog: Catalog, *, framework: Path | None, data: Path, year: int | str | None = None,
                   uncertainty: int = 0, seed: int | None = None, obstacles: int = 0, sobol: int = 0
                   ) -> IndexResult:
    """A framework file (or the default) and a data file → the index. Needs no database."""
    check_request(uncertainty=uncertainty, sobol=sobol, obstacles=obstacles)
    spec = load_framework(framework, catalog=catalog) if framework else default_framework(catalog)
    return run_index(spec=spec, data=read_data_csv(data), year=year, uncertainty=uncertainty, seed=seed,
                     obstacles=obstacles, sobol=sobol)


def run_from_db(uow: UnitOfWork, *, framework: Path | None = None, region: str | None = None,
                year: int | str | None = None, uncertainty: int = 0, seed: int | None = None,
                obstacles: int = 0, sobol: int = 0) -> IndexResult:
    """A framework file (or the default) and the approved values in the actor's scope → the index."""
    uow.require(Permission.RUN_INDEX)
    check_request(uncertainty=uncertainty, sobol=sobol, obstacles=obstacles)
    spec = load_framework(framework, catalog=uow.catalog) if framework else default_framework(uow.catalog)
    rows = read_data_db(uow, spec=spec, region=region)
    return run_index(spec=spec, data=rows, year=year, uncertainty=uncertainty, seed=seed, obstacles=obstacles,
                     sobol=sobol)
