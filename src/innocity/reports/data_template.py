"""The Excel data template a department downloads from ``/data``, fills in and uploads back.

``build_template(data)`` turns a ``TemplateData`` (``services.collection_xlsx.template_data``) into the
bytes of an .xlsx with two sheets:

- 数据填报: one row per indicator and period due, pre-filled with the region, the indicator, its unit, the
  period, the last approved value, the valid range, the current state and any value already entered. Only
  the cells a department fills (本期数值, 数据性质, 备注, 数据来源) of rows it may still change are unlocked
  (yellow); the sheet is protected so nothing else is changed by accident. 本期数值 has a decimal data
  validation with the indicator's range, 数据性质 a list (初步/最终/修订). The record number and version
  (hidden columns) let the upload tell a correction from a new value and refuse a stale one.
- 填报说明: the instructions in Chinese.

Text that a spreadsheet would run as a formula (=, +, -, @ first) is stored as text with Excel's quote
prefix, never as a formula (OWASP CSV/formula injection). The column layout is declared once, in
``services.models.collection.TEMPLATE_COLUMNS``, and shared with the reader.

Sheet protection here guards against slips, not against a determined user (Excel's sheet password is not
a security boundary): every uploaded row is checked again by the service, whatever the sheet says.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from innocity.services.models.collection import (
    DATA_SHEET,
    HEADER_ROW,
    HIDDEN_KEYS,
    INPUT_KEYS,
    INSTRUCTIONS_SHEET,
    STATUS_ZH,
    TEMPLATE_COLUMNS,
    VINTAGE_ZH,
    TemplateData,
    TemplateRow,
    column_letter,
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_INPUT = PatternFill("solid", fgColor="FFF4C2")
_LOCKED = PatternFill("solid", fgColor="F2F2F2")
_HEADER = PatternFill("solid", fgColor="1F4E79")
_REJECTED = PatternFill("solid", fgColor="F8D7DA")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "等线"
_WIDTHS = {
    "region": 10, "region_name": 12, "indicator": 9, "indicator_name": 34, "unit": 10, "period": 8,
    "last": 16, "range": 14, "state": 12, "value": 14, "vintage": 9, "note": 24, "source": 28,
    "comment": 28, "observation_id": 8, "version": 6,
}
LIMIT = 1e15  # a decimal validation needs bounds; this one only says "a number"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{_fmt(lo)}–{_fmt(hi)}"
    if lo is not None:
        return f"≥{_fmt(lo)}"
    if hi is not None:
        return f"≤{_fmt(hi)}"
    return "任意数值"


def _put(ws: Worksheet, ref: str, value: Any) -> Any:
    """Write a cell; text is always text (a leading = is shown, never run)."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
    return cell


def _row_values(r: TemplateRow) -> dict[str, Any]:
    return {
        "region": r.region,
        "region_name": r.region_name,
        "indicator": r.indicator,
        "indicator_name": r.indicator_name,
        "unit": r.unit or "",
        "period": r.period,
        "last": r.last or "",
        "range": _range_text(r.min_value, r.max_value),
        "state": STATUS_ZH.get(r.state, r.state),
        "value": r.value,
        "vintage": VINTAGE_ZH.get(r.vintage, r.vintage),
        "note": r.note or "",
        "source": r.source or "",
        "comment": r.comment or "",
        "observation_id": r.observation_id,
        "version": r.version,
    }


def _data_sheet(ws: Worksheet, data: TemplateData) -> None:
    last_col = column_letter(TEMPLATE_COLUMNS[-1][0])
    label = f"（{data.dataset_label}：模拟数据，非真实统计）" if data.dataset_label else ""
    ws.merge_cells(f"A1:{last_col}1")
    title = _put(ws, "A1", data.title + label)
    title.font = Font(name=_FONT, size=14, bold=True)
    ws.merge_cells(f"A2:{last_col}2")
    who = f"填报单位：{data.department}；" if data.department else ""
    _put(ws, "A2", f"{who}截至 {data.year} 年；生成日期 {data.generated_on.isoformat()}。只填写黄色单元格，"
                   "填好后在“数据填报”页面上传。").font = Font(name=_FONT, size=10, color="595959")
    for key, header in TEMPLATE_COLUMNS:
        c = _put(ws, f"{column_letter(key)}{HEADER_ROW}", header)
        c.font = Font(name=_FONT, bold=True, color="FFFFFF")
        c.fill = _HEADER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = _BOX
        ws.column_dimensions[column_letter(key)].width = _WIDTHS.get(key, 12)
    ws.row_dimensions[HEADER_ROW].height = 30
    ranges: dict[tuple[float | None, float | None], list[str]] = defaultdict(list)
    vintage_cells: list[str] = []
    for i, r in enumerate(data.rows):
        n = HEADER_ROW + 1 + i
        values = _row_values(r)
        for key, _ in TEMPLATE_COLUMNS:
            ref = f"{column_letter(key)}{n}"
            c = _put(ws, ref, values[key])
            c.font = Font(name=_FONT, size=10)
            c.border = _BOX
            editable = r.editable and key in INPUT_KEYS
            c.protection = Protection(locked=not editable)
            c.fill = _INPUT if editable else (_REJECTED if r.state == "rejected" and key == "comment" else _LOCKED)
            if key in ("indicator_name", "note", "source", "comment"):
                c.alignment = Alignment(wrap_text=True, vertical="top")
            if key == "value":
                c.number_format = "#,##0.####"
        if r.editable:
            ranges[(r.min_value, r.max_value)].append(f"{column_letter('value')}{n}")
            vintage_cells.append(f"{column_letter('vintage')}{n}")
    for (lo, hi), cells in ranges.items():
        dv = DataValidation(
            type="decimal", operator="between",
            formula1=str(lo if lo is not None else -LIMIT), formula2=str(hi if hi is not None else LIMIT),
            allow_blank=True, showErrorMessage=True, errorTitle="数值无效",
            error=f"请填写数字，有效范围：{_range_text(lo, hi)}",
            showInputMessage=True, promptTitle="本期数值", prompt="按“计量单位”列的单位填写数字",
        )
        for ref in cells:
            dv.add(ref)
        ws.add_data_validation(dv)
    if vintage_cells:
        dv = DataValidation(type="list", formula1='"' + ",".join(VINTAGE_ZH.values()) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="数据性质", error="请从列表中选择：初步、最终或修订")
        for ref in vintage_cells:
            dv.add(ref)
        ws.add_data_validation(dv)
    for key in HIDDEN_KEYS:
        ws.column_dimensions[column_letter(key)].hidden = True
    ws.freeze_panes = f"E{HEADER_ROW + 1}"
    ws.protection.sheet = True
    # people may still resize and filter; they may not insert or delete rows (the layout is read back)
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{HEADER_ROW + max(len(data.rows), 1)}"


INSTRUCTIONS = (
    "一、本表用于填报本单位牵头或配合的创新型城市建设监测指标数据。每行是一个指标在一个统计期（年度）的数值。",
    "二、只填写黄色单元格：“本期数值”“数据性质”“备注”“数据来源”。灰色单元格为系统预填内容，已锁定，请勿修改。",
    "三、“本期数值”按“计量单位”列的单位填写数字，不带单位；须在“有效范围”之内（例如比重类指标在 0–100 之间）。",
    "四、“数据性质”从列表中选择：初步（快报数）、最终（年报数）、修订（对已审核数值的更正）。不填视为“最终”。",
    "五、数值与上期相比变化很大（例如增减超过一半且远超以往波动）时，请在“备注”中说明原因（如统计口径调整），否则将被退回。",
    "六、“数据来源”请写明文件名称、文号或网址，便于审核核对。",
    "七、“当前状态”为“已退回”的行，请根据“审核意见”更正后重新上传；“已提交待审核”和“已审核”的行不能修改。",
    "八、填好后在系统“数据填报”页面上传本文件。系统会逐行检查：全部通过才保存，任何一行有误都不保存，"
    "并列出每个有误单元格的工作表、行号、列号和原因。未作修改的行不会重复上传。",
    "九、请勿增删行列、调整列顺序或修改隐藏列（记录号、版本），否则上传将被拒绝。",
)


def _instructions(ws: Worksheet, data: TemplateData) -> None:
    ws.column_dimensions["A"].width = 110
    _put(ws, "A1", "填报说明").font = Font(name=_FONT, size=14, bold=True)
    lines = list(INSTRUCTIONS)
    if data.dataset_label:
        lines.insert(0, f"注意：本文件来自演示用训练数据库（{data.dataset_label}），其中数值为模拟数据，不是任何城市的真实统计。")
    for i, text in enumerate(lines, start=3):
        c = _put(ws, f"A{i}", text)
        c.font = Font(name=_FONT, size=11)
        c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.protection.sheet = True


def build_template(data: TemplateData) -> bytes:
    """The .xlsx bytes of the data template (see the module docstring)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    _data_sheet(ws, data)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), data)
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
