"""Reading observation files as departments send them, into one table of text cells.

CSV (UTF-8 or GB18030) and Excel (.xlsx): the header row is found by its column names (English or
Chinese: 地区, 指标, 年份, 数值, 单位 …), title lines and "单位:万元" lines above it are read (the unit then
applies to every value), merged cells are filled from their top-left cell, blank rows are dropped, and a
"wide" sheet with one column per year (指标 | 2014 | 2015 | 2016) is turned into one row per value.
Every row keeps the number the user sees in the file (``row``), so problems can be reported by row.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from innocity.domain.observation import Period
from innocity.errors import UserInputError

FIELDS = ("region", "indicator", "period", "value", "unit", "vintage", "known_on", "note")
REQUIRED = ("region", "indicator", "value")

_ALIASES: dict[str, tuple[str, ...]] = {
    "region": (
        "region",
        "地区",
        "地区名称",
        "城市",
        "市",
        "区县",
        "行政区",
        "行政区划",
        "区域",
        "adcode",
        "行政区划代码",
        "地区代码",
    ),
    "indicator": ("indicator", "指标", "指标名称", "指标代码", "指标编码", "indicator_code", "项目"),
    "period": ("period", "时期", "期间", "年份", "年度", "报告期", "时间", "统计期"),
    "value": ("value", "数值", "值", "指标值", "数据", "本期值", "本年值"),
    "unit": ("unit", "单位", "计量单位"),
    "vintage": ("vintage", "数据类型", "数据状态", "版本", "数据版本"),
    "known_on": ("known_on", "发布日期", "公布日期", "获知日期", "数据日期"),
    "note": ("note", "备注", "说明", "注释"),
}
_LOOKUP = {alias: f for f, aliases in _ALIASES.items() for alias in aliases}
_UNIT_LINE = re.compile(r"(?:计量)?单位\s*[:：]\s*([^\s,，;；]+)")
_HEADER_UNIT = re.compile(r"^(.*?)\s*[（(]\s*(?:单位\s*[:：])?\s*([^()（）]+?)\s*[)）]\s*$")


@dataclass(slots=True)
class RawTable:
    """The cells of a file as text, one column per known field (missing ones empty), plus ``row``."""

    frame: pd.DataFrame
    default_unit: str | None
    name: str


def _norm(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return ""
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if hasattr(cell, "year") and hasattr(cell, "month") and not isinstance(cell, str):
        return f"{cell.year:04d}-{cell.month:02d}-{cell.day:02d}"
    return str(cell).strip()


def _header_field(cell: str) -> tuple[str | None, str | None]:
    """The field a header cell names, and a unit written inside it ("数值(万元)")."""
    text = unicodedata.normalize("NFKC", cell).strip().lower().replace(" ", "")
    unit = None
    m = _HEADER_UNIT.match(text)
    if m:
        text, unit = m.group(1), m.group(2)
    return _LOOKUP.get(text), unit


def _is_period(cell: str) -> bool:
    if not re.search(r"\d{4}", cell):
        return False
    try:
        Period.parse(cell)
    except ValueError:
        return False
    return True


def _find_header(rows: list[list[str]]) -> tuple[int, str | None]:
    """Index of the header row (most recognised column names), and a unit stated above it."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:30]):
        fields = {_header_field(c)[0] for c in row if c}
        fields.discard(None)
        score = len(fields) + (2 if sum(_is_period(c) for c in row) >= 2 else 0)
        if score > best_score and ({"indicator", "region"} & fields):
            best, best_score = i, score
    if best < 0:
        raise UserInputError(
            "no header row found: the table needs columns such as region/地区, indicator/指标, period/年份, value/数值"
        )
    unit = None
    for row in rows[:best]:
        for c in row:
            m = _UNIT_LINE.search(unicodedata.normalize("NFKC", c))
            if m:
                unit = m.group(1)
    return best, unit


def _assemble(
    header: list[str], body: pd.DataFrame, first_row_number: int, default_unit: str | None, name: str
) -> RawTable:
    """Map header cells to fields; melt year columns of a wide sheet; number the rows."""
    body.columns = range(body.shape[1])
    row_numbers = np.arange(first_row_number, first_row_number + len(body))
    cols: dict[str, int] = {}
    header_unit: dict[str, str] = {}
    period_cols: list[int] = []
    for j, cell in enumerate(header):
        f, u = _header_field(cell)
        if f and f not in cols:
            cols[f] = j
            if u:
                header_unit[f] = u
        elif f is None and _is_period(cell):
            period_cols.append(j)
    if "period" not in cols and "value" not in cols and period_cols:
        # wide: one column per period; each non-empty cell becomes a row (field "value" of that period)
        keep = [c for f, c in cols.items()]
        body = body.assign(row=row_numbers)
        long = body.melt(
            id_vars=[*keep, "row"], value_vars=period_cols, var_name="_pcol", value_name="_value"
        )
        long["_period"] = long["_pcol"].map({j: header[j] for j in period_cols})
        long = long[long["_value"].astype(str).str.strip() != ""]
        out = pd.DataFrame({f: long[c].astype(str) for f, c in cols.items()})
        out["period"] = long["_period"].astype(str)
        out["value"] = long["_value"].astype(str)
        out["row"] = long["row"].to_numpy()
        body_out = out.sort_values(["row", "period"], kind="stable").reset_index(drop=True)
    else:
        # plain object columns, no copies: pandas' string inference costs seconds per million rows
        body_out = pd.DataFrame(
            {f: pd.Series(body[c].to_numpy(dtype=object), dtype=object, copy=False) for f, c in cols.items()}
        )
        body_out["row"] = row_numbers
    for f in FIELDS:
        if f not in body_out.columns:
            body_out[f] = pd.Series(np.full(len(body_out), "", dtype=object), dtype=object, copy=False)
    missing = [f for f in REQUIRED if f not in cols and not (f == "value" and period_cols)]
    if "period" not in cols and not period_cols:
        missing.append("period")
    if missing:
        raise UserInputError(f"missing column(s): {', '.join(missing)}", source=name)
    unit = header_unit.get("value") or default_unit
    return RawTable(body_out[[*FIELDS, "row"]], unit, name)


def _drop_blank(frame: pd.DataFrame) -> pd.DataFrame:
    blank = np.ones(len(frame), dtype=bool)
    for f in ("region", "indicator", "period", "value"):
        blank &= frame[f].to_numpy() == ""
    out = frame[~blank].reset_index(drop=True) if blank.any() else frame
    out["_rec"] = np.arange(len(out))
    return out


def read_csv(path: Path) -> RawTable:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserInputError("not a text CSV file (neither UTF-8 nor GB18030)", source=str(path))
    head_text = data[:65536].decode(enc, errors="ignore")
    head = [[_norm(c) for c in r] for r in csv.reader(io.StringIO("\n".join(head_text.splitlines()[:30])))]
    idx, unit = _find_header(head)
    # pandas parses the file itself (much faster than from decoded text); object dtype keeps plain str
    frame = pd.read_csv(
        path,
        encoding=enc,
        dtype=object,
        header=None,
        skiprows=idx + 1,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        skipinitialspace=True,
        names=range(len(head[idx])),
        engine="c",
    )
    if frame.isna().to_numpy().any():  # short lines and blank lines leave NaN
        frame = frame.fillna("")
    raw = _assemble(head[idx], frame, idx + 2, unit, str(path))
    raw.frame = _drop_blank(raw.frame)
    return raw


def read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UserInputError(f"cannot read the Excel file: {exc}", source=str(path)) from exc
    ws = next((w for w in wb.worksheets if w.max_row > 1), wb.active)
    if ws is None:
        raise UserInputError("the workbook has no sheet", source=str(path))
    grid = [[_norm(c) for c in row] for row in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, rng.max_row):
            for c in range(rng.min_col - 1, rng.max_col):
                grid[r][c] = top
    idx, unit = _find_header(grid)
    body = pd.DataFrame(grid[idx + 1 :], columns=range(width), dtype=str) if width else pd.DataFrame()
    raw = _assemble(grid[idx], body, idx + 2, unit, str(path))
    raw.frame = _drop_blank(raw.frame)
    return raw


def read_json(path: Path) -> RawTable:
    """A list of objects, as ``innocity data export --format json`` writes it; row = position (1-based)."""
    import json

    try:
        items = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserInputError(f"not a JSON file: {exc}", source=str(path)) from None
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise UserInputError(
            "expected a JSON list of objects (region, indicator, period, value, unit …)", source=str(path)
        )
    header = list(dict.fromkeys(k for x in items for k in x))
    body = pd.DataFrame(
        [[_norm(x.get(k)) for k in header] for x in items], columns=range(len(header)), dtype=object
    )
    raw = _assemble(header, body, 1, None, str(path))
    raw.frame = _drop_blank(raw.frame)
    return raw


def read_table(path: Path) -> RawTable:
    """Read a CSV or XLSX file of observations into text cells (see the module docstring)."""
    if not path.is_file():
        raise UserInputError("no such file", source=str(path))
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return read_csv(path)
    if suffix == ".json":
        return read_json(path)
    raise UserInputError("unsupported file type (use .csv, .xlsx or .json)", source=str(path))
