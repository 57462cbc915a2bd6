"""The Excel workbooks: a plan comparison (``compare_workbook``) and progress by department
(``progress_workbook``), as .xlsx bytes.

Every data sheet has its header in row 1, frozen, with an auto filter over the data; units are in the
headers where a column has one unit (the compare sheets: one indicator each) and in a 单位 column where rows
differ; the status cell is filled with the status colour (the same colours as the report's charts). Numbers
are stored as numbers, never as text; missing figures are empty cells, never zero.

A first sheet, 说明, says what the workbook holds, for which year, the status legend, and — for a SIMULATED
database or when drafts were counted — that the figures are simulated or unapproved; such rows also say so
in a 数据性质 column.

Text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first) is stored as text with Excel's
quote prefix, never as a formula (OWASP CSV/formula injection): indicator names and department names come
from uploaded documents.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from innocity.services.models.reports import CompareData, ProgressWorkbookData
from innocity.services.models.tracking import ProgressRow

from .words import STATUS_FILLS, STATUS_MEANING, STATUS_ORDER, STATUS_ZH, status_zh

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
HEADER_FONT = Font(bold=True)
NUMBER_FORMAT = "#,##0.####"
PERCENT_FORMAT = "0.0%"


class Column:
    """One column: its header, how to read a row, and the number format of its cells (None: text)."""

    def __init__(self, header: str, get: Callable[[Any], Any], fmt: str | None = None, width: int | None = None):
        self.header, self.get, self.fmt, self.width = header, get, fmt, width


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    """Write a cell; text is always text (a leading = is shown, never run)."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    elif fmt and value is not None:
        cell.number_format = fmt
    return cell


def _text_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _sheet(wb: Workbook, title: str, columns: Sequence[Column], rows: Sequence[Any],
           status_of: Callable[[Any], str | None] | None = None) -> Worksheet:
    """A data sheet: header, frozen first row, auto filter, status colours, sensible widths."""
    ws = wb.create_sheet(_sheet_name(wb, title))
    for c, col in enumerate(columns, start=1):
        cell = _put(ws, 1, c, col.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [_text_width(col.header) for col in columns]
    status_col = next((i for i, col in enumerate(columns, start=1) if col.header == "状态"), None)
    for r, item in enumerate(rows, start=2):
        for c, col in enumerate(columns, start=1):
            value = col.get(item)
            _put(ws, r, c, value, col.fmt)
            widths[c - 1] = max(widths[c - 1], _text_width(value if col.fmt is None else f"{value}"))
        status = status_of(item) if status_of else None
        if status_col and status in STATUS_FILLS:
            ws.cell(row=r, column=status_col).fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
    for c, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = col.width or min(max(widths[c - 1] + 2, 6), 50)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    return ws


def _sheet_name(wb: Workbook, title: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _SHEET_BAD.sub("_", title).strip("'") or "Sheet"
    name, n = base[:31], 2
    while name in wb.sheetnames:
        suffix = f"({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    return name


def _about(wb: Workbook, title: str, lines: list[str], label: str | None, include_draft: bool) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "说明"
    _put(ws, 1, 1, title).font = Font(bold=True, size=14)
    row = 2
    notes = list(lines)
    if (label or "").upper() == "SIMULATED":
        notes.insert(0, "【模拟数据】数据库标记为SIMULATED（演示训练数据）：所有数字均为模拟，不是任何城市的真实统计。")
    elif label:
        notes.insert(0, f"数据库标记：{label}")
    if include_draft:
        notes.append("计入了尚未审核的草稿数据，数据性质列标注“草稿”。")
    for text in notes:
        cell = _put(ws, row, 1, text)
        if text.startswith("【模拟数据】"):
            cell.font = Font(bold=True, color="C00000")
        row += 1
    row += 1
    _put(ws, row, 1, "状态").font = HEADER_FONT
    _put(ws, row, 2, "含义").font = HEADER_FONT
    for s in STATUS_ORDER:
        row += 1
        _put(ws, row, 1, STATUS_ZH[s]).fill = PatternFill("solid", fgColor=STATUS_FILLS[s])
        _put(ws, row, 2, STATUS_MEANING[s])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 60


def _status(r: ProgressRow) -> str:
    return r.status


def _nature(label: str | None, row: ProgressRow) -> str:
    parts = []
    if (label or "").upper() == "SIMULATED" and row.actual.value is not None:
        parts.append("模拟")
    if row.draft_actual:
        parts.append("草稿")
    return "、".join(parts)


def _bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------- compare.xlsx


def compare_workbook(data: CompareData) -> bytes:
    """One sheet per indicator: each plan's target with its year, baseline, latest figure and status."""
    wb = Workbook()
    _about(wb, "各城市建设方案同一指标对比", [
        f"评估年份：{data.year}年；指标：" + "、".join(f"{s.code} {s.name}" for s in data.sheets),
        "每个指标一张工作表，一行是一个方案中的一项目标；空白单元格表示数据缺失。",
    ], data.dataset_label, include_draft=False)
    for sheet in data.sheets:
        u = f"（{sheet.unit}）" if sheet.unit else ""
        columns = [
            Column("城市", lambda r: r.region or ""),
            Column("方案", lambda r: r.plan_title or "", width=36),
            Column("目标原文", lambda r: r.text, width=50),
            Column("目标", lambda r: r.goal_text()),
            Column("目标年份", lambda r: r.target.year, "0"),
            Column("基期年份", lambda r: r.baseline.year, "0"),
            Column(f"基期值{u}", lambda r: r.baseline.value, NUMBER_FORMAT),
            Column(f"目标值{u}", lambda r: r.goal, NUMBER_FORMAT),
            Column("最新年份", lambda r: r.actual.year, "0"),
            Column(f"最新值{u}", lambda r: r.actual.value, NUMBER_FORMAT),
            Column(f"按进度应达{u}", lambda r: r.expected, NUMBER_FORMAT),
            Column("进度比", lambda r: r.ratio, PERCENT_FORMAT),
            Column("状态", lambda r: status_zh(r.status)),
            Column("牵头单位", lambda r: "、".join(r.lead)),
            Column("数据性质", lambda r: _nature(data.dataset_label, r)),
        ]
        _sheet(wb, f"{sheet.code} {sheet.name}", columns, sheet.rows, status_of=_status)
    return _bytes(wb)


# ---------------------------------------------------------------------- progress.xlsx


def _target_columns(label: str | None, role_of: Callable[[ProgressRow], str] | None = None) -> list[Column]:
    cols = [
        Column("目标编号", lambda r: r.target_id, "0"),
        Column("指标", lambda r: r.indicator, width=30),
        Column("维度", lambda r: r.dimension or ""),
        Column("单位", lambda r: r.unit or ""),
        Column("基期年份", lambda r: r.baseline.year, "0"),
        Column("基期值", lambda r: r.baseline.value, NUMBER_FORMAT),
        Column("目标", lambda r: r.goal_text()),
        Column("目标值", lambda r: r.goal, NUMBER_FORMAT),
        Column("最新年份", lambda r: r.actual.year, "0"),
        Column("最新值", lambda r: r.actual.value, NUMBER_FORMAT),
        Column("按进度应达", lambda r: r.expected, NUMBER_FORMAT),
        Column("进度比", lambda r: r.ratio, PERCENT_FORMAT),
        Column("状态", lambda r: status_zh(r.status)),
        Column("牵头单位", lambda r: "、".join(r.lead)),
        Column("配合单位", lambda r: "、".join(r.support)),
        Column("说明", lambda r: r.reason or "", width=40),
        Column("数据性质", lambda r: _nature(label, r)),
    ]
    if role_of is not None:
        cols.insert(1, Column("角色", role_of))
    return cols


def _count_of(status: str) -> Callable[[Any], int]:
    def get(card: Any) -> int:
        return int(getattr(card.targets, status))

    return get


def progress_workbook(data: ProgressWorkbookData) -> bytes:
    """A summary sheet (department scorecards), every target, the tasks, then one sheet per department."""
    wb = Workbook()
    _about(wb, f"{data.region}{data.year}年目标进度（按部门）", [
        f"评估年份：{data.year}年；共{len(data.rows)}项目标、{len(data.departments)}个部门。",
        "汇总：各部门牵头目标的状态和任务完成情况；其后每个部门一张工作表（牵头和配合的目标）。",
    ], data.dataset_label, data.include_draft)
    summary = [
        Column("部门", lambda c: c.department, width=24),
        Column("地区", lambda c: c.region or ""),
        Column("牵头目标数", lambda c: c.led_targets, "0"),
        *[Column(STATUS_ZH[s], _count_of(s), "0") for s in STATUS_ORDER],
        Column("任务数", lambda c: c.tasks.total, "0"),
        Column("已完成任务", lambda c: c.tasks.done, "0"),
        Column("逾期任务", lambda c: c.tasks.late, "0"),
        Column("配合目标数", lambda c: c.supports.targets, "0"),
        Column("配合任务数", lambda c: c.supports.tasks, "0"),
    ]
    _sheet(wb, "汇总", summary, data.scorecards)
    _sheet(wb, "全部目标", _target_columns(data.dataset_label), data.rows, status_of=_status)
    tasks = [t for d in data.departments for t in d.tasks]
    unique = list({t.task_id: t for t in tasks}.values())
    _sheet(wb, "任务", [
        Column("任务编号", lambda t: t.task_id, "0"),
        Column("任务", lambda t: t.task, width=40),
        Column("牵头单位", lambda t: "、".join(t.lead)),
        Column("配合单位", lambda t: "、".join(t.support)),
        Column("进展", lambda t: t.status),
        Column("完成期限", lambda t: t.deadline.isoformat() if t.deadline else (t.deadline_text or "")),
        Column("完成日期", lambda t: t.completed_on.isoformat() if t.completed_on else ""),
        Column("是否逾期", lambda t: "逾期" if t.late else "否"),
    ], sorted(unique, key=lambda t: t.task_id))
    for dept in data.departments:
        name = dept.department

        def role(r: ProgressRow, name: str = name) -> str:
            return "牵头" if name in r.lead or (not r.lead and name.startswith("（")) else "配合"

        _sheet(wb, name, _target_columns(data.dataset_label, role), dept.rows, status_of=_status)
    return _bytes(wb)
