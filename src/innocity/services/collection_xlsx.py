"""The Excel round trip of ``/data``: what the template holds (``template_data``, written to bytes by
``reports.data_template``), and reading a filled-in template back (``upload_template``).

Reading finds the 数据填报 sheet and its header row by the headers of ``TEMPLATE_COLUMNS`` (so a template
whose columns were moved is still read, and anything else is refused as not a template), turns each data
row into an ``Entry`` and skips rows that change nothing: a blank value for a period without one, or a
value, note and source equal to the stored record the row names. What is left is saved by
``collection.save``, all or nothing; every problem is reported as a cell (sheet, row, column).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from innocity.errors import DataValidationError, UserInputError
from innocity.storage import observations as obs_repo

from . import collection
from .context import Permission, UnitOfWork, today_or
from .models.collection import (
    DATA_SHEET,
    TEMPLATE_COLUMNS,
    CellProblem,
    Entry,
    TemplateData,
    TemplateRow,
    TemplateUpload,
)

MAX_TEMPLATE_BYTES = 10 * 2**20
MAX_UNPACKED = 64 * 2**20
MAX_ROWS = 20_000
_HEADERS = {header: key for key, header in TEMPLATE_COLUMNS}
_REQUIRED = ("region", "indicator", "period", "value")


def template_data(
    w: UnitOfWork,
    *,
    department_id: int | None = None,
    region: str | None = None,
    year: int | None = None,
    today: date | None = None,
    dataset_label: str | None = None,
) -> TemplateData:
    """The rows of the department's template: every period due, pre-filled with what is stored."""
    today = today_or(today)
    sh = collection.sheet(w, department_id=department_id, region=region, year=year, today=today)
    rows: list[TemplateRow] = []
    for line in sh.lines:
        approved = sorted(
            {(e.observation_id, p.period, e.value) for p in line.periods for e in p.vintages if e.status == "approved"}
        )
        if line.last:
            approved.append((0, line.last.period, line.last.value))
        for p in line.periods:
            earlier = [(per, v) for _, per, v in approved if per < p.period]
            last = max(earlier, key=lambda x: x[0]) if earlier else None
            cur = p.current
            rows.append(TemplateRow(
                region=line.region, region_name=line.region_name, indicator=line.indicator,
                indicator_name=line.indicator_name, unit=line.unit, period=p.period,
                last=f"{last[0]}: {last[1]:g}" if last else None,
                min_value=line.min_value, max_value=line.max_value, state=p.status,
                value=cur.value if cur else None, vintage=cur.vintage if cur else "final",
                note=cur.note if cur else None, source=cur.source if cur else None,
                comment=cur.comment if cur and cur.status == "rejected" else None,
                observation_id=cur.observation_id if cur else None, version=cur.version if cur else None,
            ))
    who = sh.department or "全部责任单位"
    return TemplateData(
        title=f"{who} {sh.year}年 创新型城市监测指标数据填报表", department=sh.department, year=sh.year,
        generated_on=today, dataset_label=dataset_label, rows=rows,
    )


# ------------------------------------------------------------------ reading an upload


def _check_package(data: bytes) -> None:
    """Refuse a zip bomb or an XML bomb before openpyxl unpacks anything."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise UserInputError(f"文件过大（上限 {MAX_TEMPLATE_BYTES // 2**20} MB）", field="file")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise UserInputError("文件解压后过大，疑似压缩炸弹，已拒绝", field="file")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as f:
                        head = f.read(4096).upper()
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise UserInputError("文件含有 DTD 声明（Excel 文件不会有），已拒绝", field="file")
    except zipfile.BadZipFile:
        raise UserInputError("不是 Excel（.xlsx）文件", field="file") from None


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _int(v: Any) -> int | None:
    t = _text(v)
    return int(t) if t.isdigit() else None


def _read_template(data: bytes) -> tuple[str, list[tuple[int, dict[str, Any]]], dict[str, str]]:
    """(sheet name, [(sheet row, {key: cell value})], {key: column letter}) of an uploaded template."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _check_package(data)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UserInputError(f"无法读取 Excel 文件：{type(exc).__name__}", field="file") from None
    try:
        if DATA_SHEET not in wb.sheetnames:
            raise UserInputError(f"不是数据填报模板：没有“{DATA_SHEET}”工作表", field="file")
        ws = wb[DATA_SHEET]
        ws.reset_dimensions()
        rows: list[tuple[int, dict[str, Any]]] = []
        columns: dict[str, int] | None = None
        for n, cells in enumerate(ws.iter_rows(values_only=True, max_col=len(TEMPLATE_COLUMNS) + 5), start=1):
            if columns is None:
                found = {_HEADERS[_text(c)]: i for i, c in enumerate(cells) if _text(c) in _HEADERS}
                if all(k in found for k in _REQUIRED):
                    columns = found
                elif n >= 10:
                    break
                continue
            if len(rows) >= MAX_ROWS:
                raise UserInputError(f"行数过多（上限 {MAX_ROWS} 行）", field="file")
            rec = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
            if any(_text(v) for v in rec.values()):
                rows.append((n, rec))
    finally:
        wb.close()
    if columns is None:
        raise UserInputError(f"不是数据填报模板：“{DATA_SHEET}”表前 10 行中找不到表头", field="file")
    return DATA_SHEET, rows, {k: get_column_letter(i + 1) for k, i in columns.items()}


def _unchanged(w: UnitOfWork, e: Entry) -> bool:
    """A row that says what the stored record it names already says (or a blank new value)."""
    value = collection.parse_number(e.value)
    if e.observation_id is None:
        return value is None
    row = obs_repo.get(w.session, e.observation_id)
    if row is None or isinstance(value, str) or value is None:
        return value is None
    return (
        abs(row.value - value) <= 1e-9 * max(1.0, abs(value))
        and (row.note or None) == ((e.note or "").strip() or None)
        and (row.source or None) == ((e.source or "").strip() or None)
    )


def upload_template(
    w: UnitOfWork, *, data: bytes, submit: bool = False, today: date | None = None
) -> TemplateUpload:
    """Read a filled-in template and store its changes, all or nothing.

    Returns what was stored, or (storing nothing) every bad cell with its sheet, row and column."""
    w.require(Permission.SUBMIT_DATA)
    sheet_name, rows, letters = _read_template(data)
    entries: list[Entry] = []
    for n, rec in rows:
        e = Entry(
            region=_text(rec.get("region")), indicator=_text(rec.get("indicator")),
            period=_text(rec.get("period")),
            value=_text(rec.get("value")) if not isinstance(rec.get("value"), int | float) else repr(rec["value"]),
            vintage=_text(rec.get("vintage")) or None, note=_text(rec.get("note")) or None,
            source=_text(rec.get("source")) or None, observation_id=_int(rec.get("observation_id")),
            version=_int(rec.get("version")), row=n,
        )
        if not _unchanged(w, e):
            entries.append(e)
    out = TemplateUpload(sheet=sheet_name, rows=len(rows), entries=len(entries))
    if not entries:
        return out
    try:
        out.result = collection.save(w, entries=entries, submit=submit, today=today)
    except DataValidationError as exc:
        out.problems = [
            CellProblem(sheet=sheet_name, row=p.row, column=letters.get(p.field or "value", letters["value"]),
                        field=p.field, reason=p.reason)
            for p in exc.problems
        ]
    return out
