"""Observation files in and out: reading files as departments send them into one table of text cells, and
writing exports and rejects safely.

Reading. CSV (UTF-8, GB18030/GBK or UTF-16, detected as ``parse`` detects text), Excel (.xlsx) and JSON. The
header row is found by its column names (English or Chinese: 地区, 指标, 年份, 数值, 单位 …), title lines and
"单位:万元" lines above it are read (the unit then applies to every value), merged cells are filled from
their top-left cell, blank rows are dropped, and a "wide" sheet with one column per year
(指标 | 2014 | 2015 | 2016) is turned into one row per value. Every row keeps the number the user sees in
the file (``row``), so problems can be reported by row. Nothing is guessed silently: a row with more cells
than the header, a quote never closed, two columns that both read as the value, several data sheets in one
workbook are refused with one line naming the row or the columns. Only regular files are read, and every
input is bounded (file size, unpacked size of a workbook, cells of a sheet), so a bomb is refused quickly.

Writing. ``output_file`` writes to a temporary file beside the target and renames it into place, only onto
a regular file or a new path; a directory, a device, a missing folder or a full disk is one line naming the
path. ``neutralise`` keeps spreadsheet formulas out of exported text (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from innocity.domain.observation import Period
from innocity.errors import DocumentError, UserInputError

from .obs_table import NUMBERS, Deferred, Table

FIELDS = ("region", "indicator", "period", "value", "unit", "vintage", "known_on", "note", "source")
REQUIRED = ("region", "indicator", "value")

MAX_FILE_BYTES = 512 * 2**20  # a million rows of CSV are about 50 MB
MAX_UNPACKED_BYTES = 256 * 2**20  # what a workbook may unpack to
MAX_RATIO = 100  # unpacked / packed size above which (past a few MB) a workbook is a zip bomb
MAX_SHEET_CELLS = 4_000_000  # rows × columns of the sheet grid actually built
MAX_COLUMNS = 2_000

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
    "source": ("source", "来源", "数据来源", "出处", "资料来源"),
}
_LOOKUP = {alias: f for f, aliases in _ALIASES.items() for alias in aliases}
_UNIT_LINE = re.compile(r"(?:计量)?单位\s*[:：]\s*([^\s,，;；]+)")
_HEADER_UNIT = re.compile(r"^(.*?)\s*[（(]\s*(?:单位\s*[:：])?\s*([^()（）]+?)\s*[)）]\s*$")


@dataclass(slots=True)
class RawTable:
    """The cells of a file as text, one column per known field (missing ones empty), plus ``row`` (the
    number the user sees) and ``_rec`` (one per value: a wide row holds several)."""

    table: Table
    default_unit: str | None
    name: str
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    sha256: str = ""  # of the file's bytes
    # True when the whole text was seen to hold no control character, lone surrogate, cell padded with
    # spaces or formula guard: the per-cell passes for those are then skipped (a second per million rows)
    clean: bool = False


def _norm(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell != cell:  # NaN
            return ""
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else repr(cell)
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return str(cell) if abs(cell) < 10**300 else "inf"  # past any float: refused as not finite
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
    if not re.search(r"\d{4}", cell) or len(cell) > 20:
        return False
    try:
        Period.parse(cell)
    except ValueError:
        return False
    return True


def _find_header(rows: list[list[str]], name: str) -> tuple[int, str | None]:
    """Index of the header row (most recognised column names), and a unit stated above it."""
    best, best_score = -1, 0
    for i, row in enumerate(rows[:30]):
        fields = {_header_field(c)[0] for c in row[:MAX_COLUMNS] if c}
        fields.discard(None)
        score = len(fields) + (2 if sum(_is_period(c) for c in row[:MAX_COLUMNS]) >= 2 else 0)
        if score > best_score and ({"indicator", "region"} & fields):
            best, best_score = i, score
    if best < 0:
        raise UserInputError(
            "no header row found: the table needs columns such as region/地区, indicator/指标, "
            "period/年份, value/数值",
            source=name,
        )
    unit = None
    for row in rows[:best]:
        for c in row:
            m = _UNIT_LINE.search(unicodedata.normalize("NFKC", c))
            if m:
                unit = m.group(1)
    return best, unit


def _column_letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _header_columns(header: list[str], name: str) -> tuple[dict[str, int], dict[str, str], list[int]]:
    """Field → column, units written in header cells, and year columns of a wide sheet.

    Two columns naming the same field (数值 and 值, or 2015 twice) are refused: which one holds the figure
    is the user's call, not ours."""
    cols: dict[str, int] = {}
    header_unit: dict[str, str] = {}
    period_cols: list[int] = []
    seen_periods: dict[str, int] = {}
    for j, cell in enumerate(header):
        f, u = _header_field(cell)
        if f is not None:
            if f in cols:
                raise UserInputError(
                    f"columns {_column_letter(cols[f])} ({header[cols[f]]}) and {_column_letter(j)} ({cell}) "
                    f"both read as {f}; keep one of them",
                    source=name,
                )
            cols[f] = j
            if u:
                header_unit[f] = u
        elif _is_period(cell):
            key = str(Period.parse(cell))
            if key in seen_periods:
                raise UserInputError(
                    f"columns {_column_letter(seen_periods[key])} and {_column_letter(j)} are both "
                    f"period {key}; keep one of them",
                    source=name,
                )
            seen_periods[key] = j
            period_cols.append(j)
    return cols, header_unit, period_cols


def _assemble(
    header: list[str],
    body: pd.DataFrame | dict[int, np.ndarray | Deferred],
    row_numbers: np.ndarray,
    default_unit: str | None,
    name: str,
    numbers: np.ndarray | None = None,
) -> RawTable:
    """Map header cells to fields; melt year columns of a wide sheet; number the rows. ``body`` holds the
    cells by column position (a DataFrame, or arrays of the needed columns; ``numbers``: the value
    column's, when the reader parsed them)."""
    cols, header_unit, period_cols = _header_columns(header, name)
    wide = "period" not in cols and "value" not in cols and period_cols
    if isinstance(body, dict):
        if not wide:
            arrays = {f: body[c] for f, c in cols.items()}
            return _finish(arrays, row_numbers, cols, header_unit, period_cols, default_unit, name, numbers)
        body = pd.DataFrame({j: pd.Series(a, dtype=object, copy=False) for j, a in body.items()})
    body.columns = range(body.shape[1])
    if not wide:
        cells = {f: body[c].to_numpy(dtype=object) for f, c in cols.items()}
        return _finish(cells, row_numbers, cols, header_unit, period_cols, default_unit, name)
    # wide: one column per period; each non-empty cell becomes a row (field "value" of that period)
    keep = list(cols.values())
    body = body.assign(row=row_numbers)
    long = body.melt(id_vars=[*keep, "row"], value_vars=period_cols, var_name="_pcol", value_name="_value")
    long["_period"] = long["_pcol"].map({j: header[j] for j in period_cols})
    long = long[long["_value"].astype(str).str.strip() != ""]
    out = pd.DataFrame({f: long[c].astype(str) for f, c in cols.items()})
    out["period"] = long["_period"].astype(str)
    out["value"] = long["_value"].astype(str)
    out["row"] = long["row"].to_numpy()
    out = out.sort_values(["row", "period"], kind="stable")
    melted: dict[str, np.ndarray | Deferred] = {
        f: out[f].to_numpy(dtype=object) for f in out.columns if f != "row"
    }
    return _finish(
        melted, out["row"].to_numpy(dtype=np.int64), cols, header_unit, period_cols, default_unit, name
    )


def _finish(
    arrays: dict[str, np.ndarray | Deferred] | dict[str, np.ndarray],
    row_numbers: np.ndarray,
    cols: dict[str, int],
    header_unit: dict[str, str],
    period_cols: list[int],
    default_unit: str | None,
    name: str,
    numbers: np.ndarray | None = None,
) -> RawTable:
    n = len(row_numbers)
    missing = [f for f in REQUIRED if f not in cols and not (f == "value" and period_cols)]
    if "period" not in cols and not period_cols:
        missing.append("period")
    if missing:
        raise UserInputError(f"missing column(s): {', '.join(missing)}", source=name)
    # every cell is text in an object array (a wide sheet's melted columns included, so that they get the
    # same checks for control characters and lengths as any other); a column the file lacks is empty,
    # coded at once
    table: dict[str, np.ndarray | Deferred] = {}
    codes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for f in FIELDS:
        if f in arrays:
            table[f] = arrays[f]
        else:
            table[f] = np.full(n, "", dtype=object)
            codes[f] = (np.zeros(n, dtype=np.int64), np.array([""], dtype=object))
    table["row"] = np.asarray(row_numbers, dtype=np.int64)
    if numbers is not None:
        table[NUMBERS] = numbers
    unit = header_unit.get("value") or default_unit
    return RawTable(Table(table, codes, n), unit, name)


def _empty(table: Table, f: str) -> np.ndarray:
    if f == "value" and NUMBERS in table:
        return np.zeros(len(table), dtype=bool)  # the reader read a number in every value cell
    hit = table.coded.get(f)
    if hit is not None:
        codes, uniq = hit
        return np.isin(codes, np.flatnonzero(uniq == ""))
    return np.asarray(table[f] == "", dtype=bool)


def _drop_blank(table: Table) -> Table:
    blank = np.ones(len(table), dtype=bool)
    for f in ("value", "region", "indicator", "period"):
        blank &= _empty(table, f)
        if not blank.any():
            break
    out = table.take(~blank) if blank.any() else table
    return out.assign(_rec=np.arange(len(out)))


# ---------------------------------------------------------------------- CSV


def _csv_records(text: str, delimiter: str, name: str) -> list[list[str]]:
    """Every record of the file; a quote never closed or a malformed quote is one line naming the row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[list[str]] = []
    # a million small lists would trigger the cyclic collector again and again; none of them has a cycle
    enabled = gc.isenabled()
    gc.disable()
    try:
        out.extend(reader)
    except csv.Error as exc:
        row = len(out) + 1
        reason = str(exc)
        if "unexpected end of data" in reason:
            reason = "a quoted cell opened here is never closed"
        raise UserInputError(f"row {row} (line {reader.line_num}): {reason}", source=name) from None
    finally:
        if enabled:
            gc.enable()
    return out


def decode_bytes(data: bytes, name: str) -> str:
    """Text of a data file: UTF-8, GB18030/GBK or UTF-16 detected as ``parse`` detects a document's."""
    return _decode(data, name)[0]


def _decode(data: bytes, name: str) -> tuple[str, str]:
    from innocity.parsing.readers.text import decode_text

    try:
        decoded = decode_text(data)
    except DocumentError as exc:
        raise UserInputError(f"not a readable text file: {exc.message}", source=name) from None
    return decoded.text.removeprefix("\ufeff"), decoded.encoding


@dataclass(slots=True)
class _Cells:
    """What a CSV reader found: the header, its index, a unit stated above it, the needed body columns by
    position and the number of body rows; the plain reader may add the value column's numbers (the
    column's text is then deferred)."""

    header: list[str]
    idx: int
    unit: str | None
    columns: dict[int, np.ndarray | Deferred]
    n: int
    numbers: np.ndarray | None = None


def _quoted_csv(text: str, delimiter: str, name: str) -> _Cells:
    """The cells read with the csv module (quotes, line breaks inside cells, ragged rows)."""
    records = _csv_records(text, delimiter, name)
    head = [[c.strip() for c in r] for r in records[:30]]
    idx, unit = _find_header(head, name)
    header = head[idx]
    width = len(header)
    body = records[idx + 1 :]
    del records
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    # Rows as wide as the header, or all padded alike with empty cells (a sheet saved with stray columns),
    # are fine; a row wider than its neighbours lost its alignment (an unquoted "2,870") and is refused.
    usual = int(np.bincount(lengths).argmax()) if len(body) else width
    for i in np.flatnonzero(lengths > width).tolist():
        extra = [c for c in body[i][width:] if c.strip()]
        if extra or len(body[i]) > usual:
            raise UserInputError(
                f"row {idx + 2 + i} has {len(body[i])} cells but the header names {width} columns"
                + (f" (extra: {extra[0][:40]!r})" if extra else "")
                + "; a comma inside a value needs quotes",
                source=name,
            )
    uniform = bool((lengths == width).all()) if len(body) else True
    # only the columns the header maps to a field or a period are built, and not into a DataFrame of
    # their own: pandas would copy every cell once more to stack them into one block
    columns: dict[int, np.ndarray | Deferred] = {}
    for j in _wanted(header, name):
        cells = list(map(itemgetter(j), body)) if uniform else [r[j] if len(r) > j else "" for r in body]
        columns[j] = np.array(cells, dtype=object)
    return _Cells(header, idx, unit, columns, len(body))


def _wanted(header: list[str], name: str) -> list[int]:
    """Positions of the columns the header maps to a field or a period."""
    cols, _, period_cols = _header_columns(header, name)
    return sorted({*cols.values(), *period_cols})


def _plain_csv(text: str, utf8: bytes | None, delimiter: str, name: str) -> _Cells | None:
    """As ``_quoted_csv``, for a text where that is only splitting: no quote anywhere, no line break but
    \n or \r\n, and every body line as wide as the header. pandas' C reader splits it in a third of the
    csv module's time, gives each distinct cell text once (one object per distinct text, which makes
    every later lookup cheaper), and parses the value column as numbers when every value cell is one (a
    finite number written plainly): creating a million value texts cost more than reading the rest of
    the file, and only a refused row's message or a rejects file quotes them, so that column's text is
    read again only if asked for. None when the text is not that plain; the csv module then reads it.
    ``utf8``: the file's bytes when they are the text's UTF-8 already (counted and parsed directly)."""
    whole = utf8 if utf8 is not None else text.encode("utf-8")
    sep = delimiter.encode()
    if b'"' in whole or whole.count(b"\r") != whole.count(b"\r\n"):
        return None
    # without quotes a record is a line: the first 30 records are the first 30 lines (byte offsets)
    starts = [0]
    while len(starts) <= 30 and starts[-1] < len(whole):
        nl = whole.find(b"\n", starts[-1])
        starts.append(len(whole) if nl < 0 else nl + 1)
    head_text = whole[: starts[-1]].decode("utf-8")
    head_records = list(csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter, strict=True))
    head = [[c.strip() for c in r] for r in head_records[:30]]
    idx, unit = _find_header(head, name)
    header = head[idx]
    width = len(header)
    if idx + 1 >= len(starts):
        return None
    body = whole[starts[idx + 1] :]
    del whole
    n = body.count(b"\n") + (1 if body and not body.endswith(b"\n") else 0)
    first_end = body.find(b"\n")
    first_line = body[: first_end if first_end >= 0 else len(body)]
    # every line has exactly width - 1 delimiters when the total is right and none has more (the first
    # line is checked here; pandas refuses any later longer line, unless given usecols, which would make
    # it drop the extra cells silently); a blank or short line falls back
    if n == 0 or first_line.count(sep) != width - 1 or body.count(sep) != (width - 1) * n:
        return None
    cols, _, period_cols = _header_columns(header, name)
    wide = "period" not in cols and "value" not in cols and bool(period_cols)
    value_col = None if wide else cols.get("value")

    def read(numbers: bool, usecols: list[int] | None = None) -> pd.DataFrame | None:
        dtype: dict[int, Any] = dict.fromkeys(range(width), object)
        if numbers and value_col is not None:
            dtype[value_col] = "float64"
        frame = pd.read_csv(
            io.BytesIO(body),
            sep=delimiter,
            header=None,
            names=range(width),
            index_col=False,
            usecols=usecols,
            dtype=dtype,
            na_filter=False,
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
            encoding="utf-8",
        )
        return frame if len(frame) == n else None

    try:
        frame, numbers = None, None
        if value_col is not None:
            try:
                frame = read(numbers=True)
            except pd.errors.ParserError:
                raise
            except ValueError:  # a value cell that is not a number: read it as text below
                frame = None
            if frame is not None:
                numbers = frame[value_col].to_numpy(dtype=float)
                if not np.isfinite(numbers).all():  # Infinity, 1e400: refused with their text
                    frame, numbers = None, None
        if frame is None:
            frame = read(numbers=False)
    except (pd.errors.ParserError, ValueError):
        return None
    if frame is None:
        return None
    columns: dict[int, np.ndarray | Deferred] = {}
    for j in _wanted(header, name):
        if j == value_col and numbers is not None:

            def value_text(j: int = j) -> np.ndarray:
                # the file was read once already: every line is as wide as the header, usecols is safe
                again = read(numbers=False, usecols=[j])
                assert again is not None
                return again[j].to_numpy(dtype=object)

            columns[j] = value_text
        else:
            columns[j] = frame[j].to_numpy(dtype=object)
    return _Cells(header, idx, unit, columns, n, numbers)


def read_csv(path: Path, data: bytes) -> RawTable:
    name = str(path)
    text, encoding = _decode(data, name)
    first = text[:4096].split("\n", 1)[0]
    delimiter = "\t" if path.suffix.lower() == ".tsv" or ("\t" in first and "," not in first) else ","
    clean = _NOT_PLAIN.search(text) is None
    utf8 = data[3:] if encoding == "utf-8-sig" else data if encoding == "utf-8" else None
    cells = _plain_csv(text, utf8, delimiter, name) if clean else None
    if cells is None:
        cells = _quoted_csv(text, delimiter, name)
    del text
    rows = np.arange(cells.idx + 2, cells.idx + 2 + cells.n)
    raw = _assemble(cells.header, cells.columns, rows, cells.unit, name, cells.numbers)
    raw.table = _drop_blank(raw.table if clean else _strip_cells(raw.table))
    raw.clean = clean
    return raw


# Not a space, apostrophe (formula guard), control character or lone surrogate anywhere in the text: then
# no cell needs stripping or unguarding and none holds a bad character (one scan instead of two per cell).
_NOT_PLAIN = re.compile("[ \u3000'\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _strip_cells(table: Table) -> Table:
    """Cells without surrounding spaces, and a CSV formula guard (a leading ') taken off text cells."""
    for f in FIELDS:
        codes, u = table.factorized(f)
        cleaned = np.empty(len(u), dtype=object)
        cleaned[:] = [unguard(str(x).strip()) for x in u]
        if not np.array_equal(cleaned, u):
            table.cols[f] = cleaned[codes]
            del table.coded[f]  # two cells may now read alike: coded again when asked
    return table


# ---------------------------------------------------------------------- XLSX


def _check_package(path: Path, data_size: int) -> None:
    """Refuse a zip bomb or an XML bomb before any library unpacks the workbook."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNPACKED_BYTES or (total > 8 * 2**20 and total > MAX_RATIO * max(data_size, 1)):
                raise UserInputError(
                    f"the workbook unpacks to {total / 2**20:.0f} MB from {data_size / 2**20:.1f} MB; "
                    f"refused as a zip bomb (limit {MAX_UNPACKED_BYTES // 2**20} MB, ratio {MAX_RATIO})",
                    source=str(path),
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as f:
                        prolog = f.read(4096).replace(b"\x00", b"")
                    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
                        raise UserInputError(
                            f"the workbook part {info.filename} declares a DTD (never in an Excel file); refused",
                            source=str(path),
                        )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise UserInputError(
            f"cannot read the Excel file: damaged package ({exc})", source=str(path)
        ) from None


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _merged_ranges(path: Path, member: str | None) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every merged range of a sheet, 1-based, read from its XML
    (read-only openpyxl does not give them; a merged range never makes cells exist)."""
    if not member:
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(member.lstrip("/"))
    except KeyError:
        return []
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise UserInputError(
            f"cannot read the Excel file: damaged package ({exc})", source=str(path)
        ) from None
    out = []
    for m in _MERGE.finditer(xml):
        c1, r1 = _col_index(m.group(1)), int(m.group(2))
        c2, r2 = (_col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _sheet_grid(ws: Any, name: str) -> list[list[str]]:
    """The sheet's cells as text (see ``_read_grid``); a damaged sheet is one line, whatever broke in it."""
    try:
        return _read_grid(ws, name)
    except UserInputError:
        raise
    except Exception as exc:  # read-only openpyxl parses the sheet here: XML, zlib and value errors
        raise UserInputError(
            f"cannot read sheet {ws.title!r}: {type(exc).__name__}: {str(exc)[:100]}", source=name
        ) from None


def _read_grid(ws: Any, name: str) -> list[list[str]]:
    """The sheet's cells as text, bounded: rows as stored (gaps kept), as wide as the widest data."""
    ws.reset_dimensions()  # a declared A1:XFD1048576 must not make us build a billion empty cells
    rows: list[tuple[int, list[str]]] = []
    width = 0
    cells = 0
    last = 0
    for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if not row:
            continue
        vals = [_norm(c) for c in row[: MAX_COLUMNS + 1]]
        while vals and vals[-1] == "":
            vals.pop()
        if not vals:
            continue
        if len(vals) > MAX_COLUMNS:
            raise UserInputError(f"row {r} has data beyond column {MAX_COLUMNS}", source=name)
        width = max(width, len(vals))
        cells += len(vals)
        rows.append((r, vals))
        last = r
        if last * width > MAX_SHEET_CELLS or cells > MAX_SHEET_CELLS:
            raise UserInputError(
                f"the sheet spreads over more than {MAX_SHEET_CELLS:,} cells (row {r}); "
                "save the data as a compact table or CSV",
                source=name,
            )
    grid = [[""] * width for _ in range(last)]
    for r, vals in rows:
        grid[r - 1][: len(vals)] = vals
    return grid


def read_xlsx(path: Path, data_size: int, sheet: str | None = None) -> RawTable:
    from openpyxl import load_workbook

    name = str(path)
    _check_package(path, data_size)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UserInputError(
            f"cannot read the Excel file: {type(exc).__name__}: {exc}", source=name
        ) from None
    try:
        warnings: list[str] = []
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise UserInputError(
                    f"no sheet {sheet!r} in the workbook (sheets: {', '.join(wb.sheetnames)})", field="sheet"
                )
            chosen = [(sheet, _sheet_grid(wb[sheet], name))]
        else:
            hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
            if hidden:
                warnings.append(f"hidden sheet(s) not read: {', '.join(hidden)}")
            chosen = []
            for ws in wb.worksheets:
                if ws.sheet_state != "visible":
                    continue
                grid = _sheet_grid(ws, name)
                if len(grid) > 1 or (grid and sum(1 for c in grid[0] if c) > 1):
                    chosen.append((ws.title, grid))
            if len(chosen) > 1:
                raise UserInputError(
                    f"the workbook has {len(chosen)} sheets with data ({', '.join(t for t, _ in chosen)}); "
                    "say which one to import",
                    field="sheet",
                )
            if not chosen:
                raise UserInputError("the workbook has no visible sheet with data", source=name)
        title, grid = chosen[0]
        member = getattr(wb[title], "_worksheet_path", None)
    finally:
        wb.close()
    for r1, c1, r2, c2 in _merged_ranges(path, member):
        if r1 > len(grid) or not grid or c1 > len(grid[0]):
            continue
        top = grid[r1 - 1][c1 - 1]
        for r in range(r1 - 1, min(r2, len(grid))):
            row = grid[r]
            for c in range(c1 - 1, min(c2, len(row))):
                row[c] = top
    idx, unit = _find_header(grid, name)
    width = len(grid[idx]) if grid else 0
    body = pd.DataFrame(grid[idx + 1 :], columns=range(width), dtype=object) if width else pd.DataFrame()
    raw = _assemble(grid[idx], body, np.arange(idx + 2, idx + 2 + len(body)), unit, name)
    raw.table = _drop_blank(_strip_cells(raw.table))
    raw.sheet, raw.warnings = title, warnings
    return raw


# ---------------------------------------------------------------------- JSON and in-memory rows


def frame_from_records(items: list[Any], name: str, *, first_row: int = 1) -> RawTable:
    """Rows given as objects (a JSON file, an API request); row = position (1-based)."""
    if not all(isinstance(x, dict) for x in items):
        bad = next(i for i, x in enumerate(items) if not isinstance(x, dict))
        raise UserInputError(
            f"row {bad + first_row} is not an object of fields (region, indicator, period, value, unit …)",
            source=name,
        )
    header = list(dict.fromkeys(str(k) for x in items for k in x))
    body = pd.DataFrame(
        [[_norm(x.get(k)) for k in header] for x in items], columns=range(len(header)), dtype=object
    )
    raw = _assemble(header, body, np.arange(first_row, first_row + len(items)), None, name)
    raw.table = _drop_blank(raw.table)
    return raw


def read_json(path: Path, data: bytes) -> RawTable:
    """A list of objects, as ``innocity data export --format json`` writes it; row = position (1-based)."""
    import json

    name = str(path)
    try:
        items = json.loads(decode_bytes(data, name))
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise UserInputError(f"not a JSON file: {reason}", source=name) from None
    if not isinstance(items, list):
        raise UserInputError(
            "expected a JSON list of objects (region, indicator, period, value, unit …)", source=name
        )
    return frame_from_records(items, name)


# ---------------------------------------------------------------------- entry point


def read_input(path: Path, *, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """The bytes of a regular file (never a FIFO, device or directory, which could hang or never end)."""
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise UserInputError("no such file", source=name) from None
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise UserInputError(f"is a directory, not a {what}", source=name)
    if not stat.S_ISREG(st.st_mode):
        raise UserInputError(f"not a regular file (a device, pipe or socket), not a {what}", source=name)
    if st.st_size > limit:
        raise UserInputError(
            f"too large ({st.st_size / 2**20:.0f} MB; the limit is {limit // 2**20} MB)", source=name
        )
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise UserInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    if len(data) > limit:
        raise UserInputError(f"too large (the limit is {limit // 2**20} MB)", source=name)
    return data


def read_table(path: Path, *, sheet: str | None = None) -> RawTable:
    """Read a CSV, XLSX or JSON file of observations into text cells (see the module docstring)."""
    suffix = path.suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ".json"}:
        read_input(path)  # a missing file is reported as such first
        raise UserInputError("unsupported file type (use .csv, .xlsx or .json)", source=str(path))
    data = read_input(path)
    if not data:
        raise UserInputError("empty file", source=str(path))
    if suffix in {".xlsx", ".xlsm"}:
        raw = read_xlsx(path, len(data), sheet)
    elif sheet is not None:
        raise UserInputError("only an Excel workbook has sheets", field="sheet")
    elif suffix == ".json":
        raw = read_json(path, data)
    else:
        raw = read_csv(path, data)
    raw.sha256 = hashlib.sha256(data).hexdigest()
    return raw


# ---------------------------------------------------------------------- writing


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) with a ' in front (OWASP)."""
    if isinstance(text, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def unguard(text: str) -> str:
    """The inverse of ``neutralise`` for cells read back from an export."""
    if text.startswith("'") and text[1:2] and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def _check_target(path: Path) -> None:
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", source=name) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise UserInputError("is a directory; give a file name", source=name)
        if not stat.S_ISREG(st.st_mode):
            raise UserInputError(
                "not a regular file (a device, pipe or socket); refused to write", source=name
            )
    parent = path.parent
    if not parent.is_dir():
        raise UserInputError(f"no such directory: {parent}", source=name)


@contextmanager
def output_path(path: Path) -> Iterator[Path]:
    """A temporary path that becomes ``path`` only when the block ends without error.

    The bytes go to a temporary file in the target's directory, are flushed to disk and renamed over
    ``path``: a reader never sees half a file, and a device node or a directory named by mistake is never
    replaced. Every OS error is one line naming the path."""
    _check_target(path)
    name = str(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", source=name) from None
    tmp = Path(tmp_name)
    ok = False
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        _check_target(path)  # still a regular file or a new path at the moment of the rename
        os.replace(tmp, path)
        ok = True
    except OSError as exc:
        raise UserInputError(f"cannot write: {exc.strerror or exc}", source=name) from None
    finally:
        if not ok:
            tmp.unlink(missing_ok=True)


@contextmanager
def output_file(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``path`` only when the block ends without error (see ``output_path``)."""
    with output_path(path) as tmp:
        try:
            f = tmp.open("wb")
        except OSError as exc:
            raise UserInputError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None
        with f:
            try:
                yield f
            except OSError as exc:
                raise UserInputError(f"cannot write: {exc.strerror or exc}", source=str(path)) from None


def write_frame(frame: pd.DataFrame, path: Path, *, text_columns: tuple[str, ...]) -> None:
    """``frame`` as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX by the suffix of ``path``, with
    formulas neutralised in ``text_columns`` (CSV: a leading '; XLSX: cells stored as text)."""
    if path.suffix.lower() == ".xlsx":
        with output_file(path) as f:
            _write_xlsx(frame, f, text_columns)
        return
    safe = frame.copy()
    for c in text_columns:
        if c in safe.columns:
            safe[c] = safe[c].map(neutralise)
    with output_file(path) as f:
        f.write(to_csv_text(safe).encode("utf-8-sig"))


def to_csv_text(frame: pd.DataFrame) -> str:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _write_xlsx(frame: pd.DataFrame, f: IO[bytes], text_columns: tuple[str, ...]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(list(frame.columns))
    as_text = [c in text_columns for c in frame.columns]

    def cell(v: Any, text: bool) -> Any:
        if v is None or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, str):
            c = WriteOnlyCell(ws, value=v)
            c.data_type = "s"  # text, never a formula, whatever it starts with
            return c
        return v

    for row in frame.itertuples(index=False):
        ws.append([cell(v, t) for v, t in zip(row, as_text, strict=True)])
    wb.save(f)
