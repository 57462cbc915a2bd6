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

from innocity.domain.index.framework import Framework
from innocity.domain.index.model import CompositeIndex, Dataset
from innocity.domain.index.sobol import run_sobol
from innocity.domain.index.spec import FrameworkSpec, parse_framework
from innocity.domain.index.steps import rank_desc
from innocity.domain.index.uncertainty import run_uncertainty
from innocity.errors import DataValidationError, FrameworkError, RowProblem, UserInputError
from innocity.settings import Settings


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
    directions = None
    if _lacks_direction(doc.get("tree") if isinstance(doc, dict) else None):
        # an indicator without a direction takes the catalogue's (higher or lower is better), else +1
        from innocity.catalog import load_catalog

        directions = {i.code: i.direction for i in load_catalog().indicators}
    return parse_framework(doc, str(path), directions=directions)


def _lacks_direction(nodes: Any) -> bool:
    if not isinstance(nodes, list):
        return False
    for n in nodes:
        if isinstance(n, dict):
            kids = n.get("children")
            if kids and _lacks_direction(kids):
                return True
            if not kids and "direction" not in n:
                return True
    return False


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
    return Dataset(tuple(units), tuple(periods), tuple(codes), x, groups,
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
    contrib = model.contributions(t)
    dims = [int(i) for i in np.flatnonzero(fw.parent == len(fw.nodes) - 1)]
    units = []
    for u, name in enumerate(ds.units):
        item: dict[str, Any] = {"unit": name, "score": _num(score[u]), "rank": int(rank[u])}
        if ua is not None:
            item["rank_interval"] = [_clean(p5[u]), _clean(p95[u])]
            item["rank_mean"] = _clean(mean[u])
            item["rank_median"] = _clean(median[u])
        item["groups"] = {fw.nodes[g].code: _num(model.scores_[t, u, g]) for g in groups}
        if spec.scoring == "index" and model.aggregate == "arithmetic":
            # points each dimension adds to the score (exact for the arithmetic mean)
            item["contributions"] = {fw.nodes[g].code: _num(contrib[u, g]) for g in dims}
        if obs is not None:
            worst = np.argsort(-obs[u], kind="stable")[:obstacles]
            item["obstacles"] = [{"indicator": fw.indicator_codes[j], "degree": float(obs[u, j])}
                                 for j in worst if obs[u, j] > 0]
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
