"""An index result as a table, and as CSV or XLSX bytes to download.

Unit names come from users (a CSV file, the region table), so a name such as ``=HYPERLINK(…)`` must not
become a formula when the file is opened in Excel or WPS: every text cell beginning with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written as text (CSV: prefixed with an apostrophe, as OWASP
recommends; XLSX: stored as a string cell, never a formula). Numbers stay numbers.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .models.index import IndexResult

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed so it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def result_table(result: IndexResult) -> pd.DataFrame:
    """One row per unit in rank order: unit, score, rank, the rank statistics when the run had them, then
    each group's score."""
    import pandas as pd

    has_ua = any(u.rank_interval is not None for u in result.units)
    cols = ["unit", "score", "rank"] + (["rank_p5", "rank_p95", "rank_mean", "rank_median"] if has_ua else [])
    cols += result.groups
    rows = []
    for u in result.units:
        row: list[Any] = [u.unit, u.score, u.rank]
        if has_ua:
            lo, hi = u.rank_interval or [None, None]
            row += [lo, hi, u.rank_mean, u.rank_median]
        row += [u.groups.get(g) for g in result.groups]
        rows.append(row)
    return pd.DataFrame(rows, columns=cols, dtype=object)  # ranks stay integers, gaps stay None


def result_csv(result: IndexResult, *, bom: bool = True) -> bytes:
    """The ranking as UTF-8 CSV (with a BOM by default, so Excel reads the Chinese names right)."""
    import csv

    table = result_table(result)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([neutralise(c) for c in table.columns])
    for row in table.itertuples(index=False):
        w.writerow(["" if _missing(v) else neutralise(v) for v in row])
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def result_xlsx(result: IndexResult) -> bytes:
    """A workbook: the ranking, the indicators' weights, and what was left out and why."""
    from openpyxl import Workbook

    wb = Workbook()
    ranking = wb.active
    assert ranking is not None
    ranking.title = "排名 ranking"
    table = result_table(result)
    _rows(ranking, [list(table.columns), *([None if _missing(v) else v for v in r]
                                           for r in table.itertuples(index=False))])
    weights = wb.create_sheet("权重 weights")
    _rows(weights, [["indicator", "weight"], *([c, w] for c, w in result.weights.items())])
    left = wb.create_sheet("剔除 left out")
    _rows(left, [["kind", "code or unit", "name", "coverage", "reason"],
                 *(["indicator", d.code, d.name, d.coverage, d.reason] for d in result.dropped_indicators),
                 *(["group", g.code, g.name, None, g.reason] for g in result.dropped_groups),
                 *(["unit", e.unit, None, e.coverage, e.reason] for e in result.excluded_units)])
    notes = wb.create_sheet("说明 notes")
    _rows(notes, [["framework", result.name], ["period", str(result.period)], ["scoring", result.scoring],
                  ["replications", result.replications],
                  ["coverage", f"indicators ≥ {result.coverage.indicator:.0%} of units, units ≥ "
                               f"{result.coverage.unit:.0%} of indicators"],
                  *(["warning", w] for w in result.warnings)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(sheet: Any, rows: list[list[Any]]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                # a string cell even when it starts with "=": openpyxl would otherwise store a formula
                cell.data_type = "s"
