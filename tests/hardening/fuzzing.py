"""A grammar of data files and documents as careless and hostile users make them, and the one property every
input must keep. Shared by ``test_fuzz.py`` (a few thousand cases in CI) and ``benchmarks/fuzz_long.py``
(100,000 on demand). All values are SIMULATED.

The grammar draws rows of cells from realistic spellings (region names and adcodes, indicator codes and
names, periods, numbers with separators, percent signs, full-width digits, units, vintages, dates, notes)
mixed with junk (Infinity, 1e400, NaN, control characters, lone surrogates, formulas, quotes, commas, huge
text), writes them as CSV (UTF-8, GBK, UTF-16; with ragged rows, stray quotes, duplicated columns), JSON
(nested, non-objects, NaN literals) or XLSX (hidden sheets, several sheets), and can damage the bytes.

The property (``check_import``): the import either stores rows or raises an ``InnocityError`` that names a
file, row or field; nothing else escapes; a refused input leaves the SQLite file byte-identical (PostgreSQL:
the content unchanged); no stored value is non-finite.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import func, select

from innocity.app import AppContext
from innocity.errors import DataValidationError, InnocityError
from innocity.services import observations as obs
from innocity.storage.tables import AuditEntry, ImportRow, ObservationRow

REGIONS = [
    "苏州市",
    "苏州",
    "320500",
    "无锡市",
    "江苏省苏州市",
    "姑苏区",
    "朝阳区",
    "火星市",
    "",
    " 苏州市 ",
    "苏州市\n",
]
INDICATORS = [
    "TEC06",
    "TEC10",
    "TEC01",
    "tec06",
    "高新技术企业数量",
    "R&D经费支出占GDP比重",
    "GOV06",
    "XX99",
    "",
]
PERIODS = [
    "2015",
    "2015年",
    "2016Q1",
    "2015-07",
    "２０１５",
    "2015.0",
    "20I5",
    "1850",
    "2015Q5",
    "",
    "2015年第3季度",
]
NUMBERS = ["2870", "1,234.5", "１３６００００", "12%", "-35", "0", "Infinity", "-inf", "1e400", "NaN", "nan",
           "N/A", "—", "9.2万", "1e308", "0x10", "  42 ", "3.14159", "1_000", "+7"]  # fmt: skip
UNITS = ["家", "亿元", "万元", "元", "%", "", "万人", "个/万人", "家" * 60, "万亿元"]
VINTAGES = ["", "final", "preliminary", "revised", "快报", "修订", "sometimes"]
DATES = ["", "2016-03-01", "2016/3/1", "2016年3月1日", "20160301", "2099-01-01", "now", "2016", "2016-02-30",
         "3/1/2016", "+002016-01-01"]  # fmt: skip
NOTES = ["", "模拟数据", "=HYPERLINK(\"x\")", "+1", "@SUM(A1)", "含,逗号", '含"引号', "多\n行", "\x00", "\x07", "\t=1",
         "口径调整"]  # fmt: skip
HEADERS = {
    "region": ["地区", "region", "城市", "adcode"],
    "indicator": ["指标", "indicator", "指标名称"],
    "period": ["年份", "period", "年度"],
    "value": ["数值", "value", "值", "数值(万元)"],
    "unit": ["单位", "unit"],
    "vintage": ["数据类型", "vintage"],
    "known_on": ["公布日期", "known_on"],
    "note": ["备注", "note"],
    "source": ["来源", "source"],
}
FIELDS = list(HEADERS)


def _cell(options: list[str]) -> st.SearchStrategy[str]:
    good = st.sampled_from(options[:3])  # the first spellings of each list are valid
    return st.one_of(good, good, good, good, good, st.sampled_from(options), st.text(max_size=12))


def row_strategy(fields: list[str]) -> st.SearchStrategy[list[str]]:
    pick = {
        "region": _cell(REGIONS),
        "indicator": _cell(INDICATORS),
        "period": _cell(PERIODS),
        "value": st.one_of(
            st.sampled_from(NUMBERS[:2]),
            st.floats(0, 1e6).map(lambda v: f"{v:.2f}"),
            st.sampled_from(NUMBERS),
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.integers(-(10**30), 10**30).map(str),
        ),
        "unit": _cell(UNITS),
        "vintage": _cell(VINTAGES),
        "known_on": _cell(DATES),
        "note": _cell(NOTES),
        "source": _cell(["", "https://example.org/公报", "统计年鉴2016"]),
    }
    return st.tuples(*[pick[f] for f in fields]).map(list)


@st.composite
def table(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (sometimes with a column twice, sometimes missing a required one) and rows."""
    if draw(st.integers(0, 4)):  # mostly a usable layout, so that values reach the row checks and the store
        extra = draw(st.lists(st.sampled_from(FIELDS[4:]), max_size=5, unique=True))
        fields = draw(st.permutations(["region", "indicator", "period", "value", *extra]))
    else:
        fields = draw(st.lists(st.sampled_from(FIELDS), min_size=2, max_size=9, unique=True))
    if draw(st.integers(0, 9)) == 0:
        fields.append(draw(st.sampled_from(fields)))  # a duplicated column
    header = [draw(st.sampled_from(HEADERS[f])) for f in fields]
    rows = draw(st.lists(row_strategy(fields), min_size=0, max_size=8))
    return header, rows


def _csv_text(header: list[str], rows: list[list[str]], ragged: int, delimiter: str) -> str:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    for i, r in enumerate(rows):
        w.writerow(r + ["extra"] * (ragged if i == 0 else 0))
    return buf.getvalue()


@st.composite
def csv_file(draw: st.DrawFn) -> tuple[str, bytes]:
    header, rows = draw(table())
    text = _csv_text(
        header, rows, draw(st.sampled_from([0, 0, 0, 1])), draw(st.sampled_from([",", ",", "\t"]))
    )
    if draw(st.integers(0, 5)) == 0:
        text = text.replace('"', "", 1)  # a quote lost: the rest of the file may become one cell
    if draw(st.integers(0, 5)) == 0:
        text = "苏州市科技统计（模拟）\n单位：万元\n" + text
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "gbk", "utf-16", "utf-8-sig", "latin-1"]))
    data = text.encode(enc, errors="replace") if enc != "latin-1" else text.encode("utf-8")[::-1]
    return draw(st.sampled_from(["data.csv", "data.tsv", "data.txt"])), mangle(draw, data)


@st.composite
def json_file(draw: st.DrawFn) -> tuple[str, bytes]:
    header, rows = draw(table())
    items: Any = [dict(zip(header, r, strict=False)) for r in rows]
    shape = draw(st.integers(0, 9))
    if shape == 0:
        items = {"rows": items}
    elif shape == 1 and items:
        items[0] = [1, 2, 3]
    elif shape == 2:
        items = [
            {
                "region": "苏州市",
                "indicator": "TEC06",
                "period": 2015,
                "value": draw(
                    st.sampled_from(
                        [float("nan"), float("inf"), 10**400, True, None, [1], {"x": 1}, "\ud800"]
                    )
                ),
                "unit": "家",
            }
        ]
    elif shape == 3:
        return "deep.json", ("[" * 5000 + "]" * 5000).encode()
    text = json.dumps(items, ensure_ascii=draw(st.booleans()))
    return "data.json", mangle(draw, text.encode("utf-8", errors="surrogatepass"))


@st.composite
def xlsx_file(draw: st.DrawFn) -> tuple[str, bytes]:
    from openpyxl import Workbook

    wb = Workbook()
    sheets = draw(st.sampled_from([1, 1, 1, 2, 3]))
    for k in range(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        assert ws is not None
        header, rows = draw(table())
        ws.append(header)
        for r in rows:
            ws.append([_typed(c) for c in r])
        if k and draw(st.booleans()):
            ws.sheet_state = "hidden"
        if draw(st.integers(0, 4)) == 0 and rows:
            ws.merge_cells(start_row=2, start_column=1, end_row=1 + len(rows), end_column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return "data.xlsx", mangle(draw, buf.getvalue(), rate=8)


def _typed(cell: str) -> Any:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in cell) or any(ord(c) < 32 and c not in "\t\n\r" for c in cell):
        return "x"  # openpyxl refuses these itself; JSON and CSV carry them
    try:
        return float(cell) if cell.strip() and math.isfinite(float(cell)) else cell
    except ValueError:
        return cell


def mangle(draw: st.DrawFn, data: bytes, rate: int = 6) -> bytes:
    """Sometimes damage the bytes: cut the file short or overwrite a few bytes."""
    kind = draw(st.integers(0, rate))
    # positions are drawn independently of the length: a workbook's bytes differ run to run (timestamps)
    if kind == 0 and data:
        return data[: draw(st.integers(0, 2**20)) % (len(data) + 1)]
    if kind == 1 and data:
        b = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            b[draw(st.integers(0, 2**20)) % len(b)] = draw(st.integers(0, 255))
        return bytes(b)
    return data


def any_file() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(csv_file(), csv_file(), json_file(), xlsx_file())


# ---------------------------------------------------------------------- the property


def fingerprint(app: AppContext) -> object:
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(app.db.sqlite_path or "").read_bytes()).hexdigest()
    with app.db.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(ObservationRow)),
            s.scalar(select(func.max(ObservationRow.version))),
            s.scalar(select(func.count()).select_from(ImportRow)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def non_finite_stored(app: AppContext) -> int:
    with app.db.sessions() as s:
        values = s.scalars(select(ObservationRow.value)).all()
        originals = s.scalars(select(ObservationRow.original_value)).all()
    return sum(1 for v in [*values, *originals] if v is not None and not math.isfinite(v))


def check_import(
    app: AppContext, folder: Path, name: str, data: bytes, counts: Counter[str] | None = None
) -> None:
    """Import ``data`` as ``name``; assert the property of the module docstring (``counts`` tallies outcomes)."""
    path = folder / name
    path.write_bytes(data)
    before = fingerprint(app)
    try:
        with app.uow() as w:
            report = obs.import_file(w, path=path)
    except InnocityError as exc:
        assert exc.source or exc.field, f"{type(exc).__name__} names no file, row or field: {exc.message}"
        assert "\n" not in exc.one_line()
        if isinstance(exc, DataValidationError):
            assert exc.problems, "a validation error without rows"
            for p in exc.problems:
                assert p.row >= 1 and p.field and p.reason and "\n" not in str(p), p
        assert fingerprint(app) == before, f"a refused input changed the database: {exc.one_line()}"
        if counts is not None:
            counts[f"refused: {type(exc).__name__}"] += 1
        return
    if counts is not None:
        counts["stored" if report.stored else "nothing new"] += 1
    assert non_finite_stored(app) == 0
