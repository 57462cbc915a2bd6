"""Data for the index engine: long-format rows from a CSV file or from the store, and their pivot into the
engine's (periods, units, indicators) array.

A data file has the columns unit, indicator, period, value (optionally group), in UTF-8, GB18030/GBK or
UTF-16; every bad row is reported with its line number. From the store, the units are the regions the
actor may see (or those under ``region``) that have approved annual values, all of one administrative
level; where a value was revised, the one known last counts.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import select

from innocity.domain.index.framework import Framework
from innocity.domain.index.model import Dataset
from innocity.errors import DataValidationError, NotFoundError, RowProblem, UserInputError

from .index_files import MAX_DATA_BYTES, decode, read_regular_file

if TYPE_CHECKING:
    from innocity.domain.index.spec import FrameworkSpec

    from .context import UnitOfWork

MAX_ROWS = 2_000_000
MAX_PERIODS = 100
MAX_CELLS = 2_000_000  # periods × units × indicators: bounds the engine's memory (about 16 MB per array)
MAX_PROBLEMS = 1000  # bad rows listed before reading stops

_MISSING = frozenset(("", "NA", "N/A", "-"))
_YEARLIKE = re.compile(r"\d{1,9}", re.ASCII)
_LEVEL_PREFERENCE = ("city", "county", "province", "group")


@dataclass
class LongRows:
    """Observations in long form: (unit, indicator, period, value), optional unit groups, where they come
    from, each unit's adcode (store only) and units left out before the engine sees them (unit, reason)."""

    rows: list[tuple[str, str, int | str, float]]
    groups: dict[str, str] = field(default_factory=dict)
    source: str = ""
    adcodes: dict[str, str] = field(default_factory=dict)
    excluded: list[tuple[str, str]] = field(default_factory=list)


def _period(text: str) -> int | str:
    return int(text) if _YEARLIKE.fullmatch(text) else text


def read_data_csv(path: Path) -> LongRows:
    """Read a long-format data file (a regular file of at most 50 MB, in any supported encoding)."""
    src = str(path)
    return parse_data_csv(decode(read_regular_file(path, limit=MAX_DATA_BYTES), source=src), source=src)


def parse_data_csv(text: str, *, source: str) -> LongRows:
    """Parse long-format CSV text; every bad row is reported with its line number and field."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        cols = [c.strip().lower() for c in next(reader, [])]
    except csv.Error as exc:
        raise UserInputError(f"第1行: not valid CSV ({exc})", source=source) from None
    need = ("unit", "indicator", "period", "value")
    missing = [c for c in need if c not in cols]
    if missing:
        raise UserInputError(f"missing column(s) {', '.join(missing)}; expected unit, indicator, period, "
                             "value", source=source)
    iu, ii, ip, iv = (cols.index(c) for c in need)
    ig = cols.index("group") if "group" in cols else -1
    width = len(cols)
    rows: list[tuple[str, str, int | str, float]] = []
    groups: dict[str, str] = {}
    problems: list[RowProblem] = []
    seen: set[tuple[str, str, int | str]] = set()
    periods: dict[str, int | str] = {}
    while len(problems) < MAX_PROBLEMS:
        n = reader.line_num + 1  # the line the record starts on, as an editor shows it
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RowProblem(n, None, f"not valid CSV ({exc}); an unbalanced quote?"))
            break
        if reader.line_num > n:
            problems.append(RowProblem(n, None, f"a quoted field runs over {reader.line_num - n + 1} lines; "
                                                "an unbalanced quote?"))
            continue
        if not rec or (len(rec) == 1 and not rec[0].strip()):
            continue
        if len(rec) < width or (len(rec) > width and any(c.strip() for c in rec[width:])):
            problems.append(RowProblem(n, None, f"{len(rec)} fields, the header has {width}"))
            continue
        unit, ind, per, raw = rec[iu].strip(), rec[ii].strip(), rec[ip].strip(), rec[iv].strip()
        if not (unit and ind and per):
            problems.extend(RowProblem(n, name, "empty") for name, val in
                            (("unit", unit), ("indicator", ind), ("period", per)) if not val)
            continue
        if raw in _MISSING:
            value = math.nan
        else:
            try:
                value = float(raw)
            except ValueError:
                problems.append(RowProblem(n, "value", f"not a number: {raw[:40]!r}"))
                continue
            if not math.isfinite(value):
                problems.append(RowProblem(n, "value", f"not a finite number: {raw[:40]!r} (leave the cell "
                                                       "empty, or write NA, for a missing value)"))
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
        if len(rows) > MAX_ROWS:
            raise UserInputError(f"more than {MAX_ROWS:,} rows (the documented maximum); load them into the "
                                 "database and run from there", source=source)
        if ig >= 0 and rec[ig].strip():
            groups[unit] = rec[ig].strip()
    if problems:
        first = problems[0]
        more = "at least " if len(problems) >= MAX_PROBLEMS else ""
        raise DataValidationError(f"{more}{len(problems)} bad row(s); {first}", problems, source=source)
    if not rows:
        raise UserInputError("no data rows", source=source)
    if all(math.isnan(r[3]) for r in rows):
        raise UserInputError("every value is empty or NA: nothing to compute", source=source)
    return LongRows(rows, groups, source)


def build_dataset(data: LongRows, framework: Framework) -> Dataset:
    """Pivot long rows into the engine's (periods, units, indicators) array, plus denominators.

    Indicators of the framework without any row become all-missing columns: the coverage rules decide what
    to do with them. A denominator without rows leaves its indicators without values.
    """
    codes = framework.indicator_codes
    dens = sorted({n.denominator for n in framework.nodes if n.denominator})
    wanted = set(codes) | set(dens)
    used = [r for r in data.rows if r[1] in wanted]
    units = sorted({r[0] for r in used} | {r[0] for r in data.rows})
    periods = sorted({r[2] for r in used} or {r[2] for r in data.rows},
                     key=lambda p: (isinstance(p, str), str(p).zfill(12)))
    if len(periods) > MAX_PERIODS:
        raise UserInputError(f"{len(periods)} periods; at most {MAX_PERIODS} can be compared in one run",
                             source=data.source)
    cells = len(periods) * len(units) * max(len(codes), 1)
    if cells > MAX_CELLS:
        raise UserInputError(f"too large: {len(periods)} periods × {len(units)} units × {len(codes)} indicators "
                             f"is over the maximum of {MAX_CELLS:,} values in one run", source=data.source)
    upos = {u: i for i, u in enumerate(units)}
    ppos = {p: i for i, p in enumerate(periods)}
    cpos = {c: i for i, c in enumerate(codes)}
    dpos = {d: i for i, d in enumerate(dens)}
    x = np.full((len(periods), len(units), len(codes)), np.nan)
    dv = np.full((len(periods), len(units), max(len(dens), 1)), np.nan)
    for unit, ind, per, val in used:
        if ind in cpos:
            x[ppos[per], upos[unit], cpos[ind]] = val
        if ind in dpos:
            dv[ppos[per], upos[unit], dpos[ind]] = val
    groups = tuple(data.groups.get(u) for u in units) if data.groups else None
    return Dataset(tuple(units), tuple(periods), tuple(codes), x, groups,
                   {d: dv[:, :, i] for d, i in dpos.items()})


# -- the store ----------------------------------------------------------------------------------------------
def find_region(uow: UnitOfWork, *, text: str, field: str = "region") -> int:
    """The id of a region in the actor's scope, by adcode or name (市/省 optional); cities first."""
    from innocity.storage.tables import Region

    s = uow.session
    rows = list(s.execute(select(Region.id, Region.level).where(Region.adcode == text)))
    if not rows:
        names = {text, text + "市", text + "省", text.removesuffix("市")}
        rows = list(s.execute(select(Region.id, Region.level).where(Region.name.in_(names))))
    rows = [r for r in rows if uow.in_scope(r[0])]
    if not rows:
        raise NotFoundError(f"no region called {text!r} in your scope", field=field)
    order = {"city": 0, "province": 1, "county": 2}
    return int(sorted(rows, key=lambda r: order.get(r[1], 3))[0][0])


def subtree(uow: UnitOfWork, *, root: int) -> frozenset[int]:
    """``root`` and every region under it."""
    from innocity.storage.tables import Region

    scope, frontier = {root}, {root}
    while frontier:
        frontier = set(uow.session.scalars(select(Region.id).where(Region.parent_id.in_(frontier)))) - scope
        scope |= frontier
    return frozenset(scope)


def read_data_db(uow: UnitOfWork, *, spec: FrameworkSpec, region: str | None = None,
                 region_id: int | None = None) -> LongRows:
    """Approved annual observations of the framework's indicators (and denominators) in scope.

    The scope is ``region`` (a name or adcode, looked up within the actor's scope), else ``region_id``, else
    everything the actor may see. Units are the regions of one administrative level: the level most regions
    with values have (ties: city, county, province); the scope's own region counts only when nothing under
    it has values. Regions of other levels are listed as excluded.
    """
    from innocity.storage.tables import ObservationRow, Region

    s = uow.session
    root = find_region(uow, text=region) if region else region_id
    scope = subtree(uow, root=root) if root is not None else uow.region_ids
    fw = spec.framework
    codes = fw.indicator_codes + sorted({n.denominator for n in fw.nodes if n.denominator})
    o = ObservationRow
    q = (select(o.region_id, o.indicator_code, o.period_year, o.value)
         .where(o.period_kind == "year", o.status == "approved", o.indicator_code.in_(codes))
         .order_by(o.region_id, o.indicator_code, o.period_year, o.known_on, o.id))
    if scope is not None:
        q = q.where(o.region_id.in_(sorted(scope)))
    latest: dict[tuple[int, str, int], float] = {}
    for rid, code, year, value in s.execute(q):  # later revisions overwrite earlier ones
        if value is not None and math.isfinite(value):
            latest[(rid, code, year)] = float(value)
    where = f" for {region}" if region else ""
    if not latest:
        raise UserInputError(f"no approved annual observations of the framework's indicators in the "
                             f"database{where}", source="database")
    ids = sorted({k[0] for k in latest})
    info = {r.id: r for r in s.execute(select(Region.id, Region.name, Region.adcode, Region.level)
                                       .where(Region.id.in_(ids)))}
    candidates = [i for i in ids if i != root] or ids
    levels = Counter(info[i].level for i in candidates)
    level = max(levels, key=lambda lv: (levels[lv], -_rank(lv)))
    units = [i for i in candidates if info[i].level == level]
    names = Counter(info[i].name for i in units)
    label = {i: info[i].name if names[info[i].name] == 1 else f"{info[i].name}（{info[i].adcode}）" for i in units}
    keep = set(units)
    excluded = [(info[i].name, f"a {info[i].level}-level region; this ranking compares {level}-level regions")
                for i in ids if i not in keep]
    rows: list[tuple[str, str, int | str, float]] = [
        (label[rid], code, year, v) for (rid, code, year), v in latest.items() if rid in keep]
    adcodes = {label[i]: info[i].adcode for i in units if info[i].adcode}
    return LongRows(rows, {}, "database", adcodes, excluded)


def _rank(level: str) -> int:
    return _LEVEL_PREFERENCE.index(level) if level in _LEVEL_PREFERENCE else len(_LEVEL_PREFERENCE)
