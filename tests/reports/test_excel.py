"""compare.xlsx and progress.xlsx: frozen header, filters, units in headers, status colours, numbers as
numbers, and text that a spreadsheet would run as a formula stored as text."""

from __future__ import annotations

import io

import openpyxl
import pytest

from innocity.reports.excel import compare_workbook, progress_workbook
from innocity.reports.words import STATUS_FILLS, STATUS_ZH
from innocity.services import reports
from innocity.services.models.reports import CompareData, CompareSheet, DepartmentSheet, ProgressWorkbookData
from innocity.services.models.tracking import ActualInfo, BaselineInfo, ProgressRow, TargetGoal

from .conftest import TODAY, YEAR, City


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in ws[1]]


def _row(**kw: object) -> ProgressRow:
    """A progress row as the service returns it; keyword overrides."""
    base: dict[str, object] = {
        "target_id": 1, "plan_id": 1, "region": "芜湖市", "indicator": "技术合同成交额", "indicator_code": "TRA08",
        "text": "技术合同成交额达到20亿元", "unit": "亿元",
        "baseline": BaselineInfo(year=2010, value=10.0, source="observation"),
        "target": TargetGoal(year=2015, value=20.0, unit="亿元", comparator=">=", kind="level"),
        "goal": 20.0, "expected": 18.0, "actual": ActualInfo(year=2014, value=10.2), "ratio": 0.025,
        "status": "off_track", "lead": ["市科技局"], "evaluated_year": 2014,
    }
    base.update(kw)
    return ProgressRow.model_validate(base)


def test_compare_sheets_have_frozen_filtered_headers_with_units_and_status_colours(shared_city: City) -> None:
    with shared_city.app.uow() as w:
        data = reports.compare_data(w, indicators=["TEC01", "TRA08"], year=YEAR)
    wb = _book(compare_workbook(data))
    assert wb.sheetnames[0] == "说明"
    ws = wb[wb.sheetnames[1]]
    assert ws.title.startswith("TEC01")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{ws.max_row}"
    header = _header(ws)
    assert "基期值（%）" in header and "最新值（%）" in header and "状态" in header
    col = header.index("状态") + 1
    rows = data.sheets[0].rows
    for i, r in enumerate(rows, start=2):
        cell = ws.cell(row=i, column=col)
        assert cell.value == STATUS_ZH[r.status]
        assert cell.fill.fgColor.rgb.endswith(STATUS_FILLS[r.status])
        latest = ws.cell(row=i, column=header.index("最新值（%）") + 1).value
        assert latest == r.actual.value  # a number, or empty when missing (never 0)
    assert {ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)} == {"芜湖市", "马鞍山市"}


def test_progress_has_a_summary_and_one_sheet_per_department(shared_city: City) -> None:
    with shared_city.app.uow() as w:
        data = reports.progress_workbook_data(w, region="芜湖市", year=YEAR, today=TODAY)
    wb = _book(progress_workbook(data))
    assert wb.sheetnames[:4] == ["说明", "汇总", "全部目标", "任务"]
    depts = [d.department for d in data.departments]
    assert wb.sheetnames[4:] == depts
    summary = wb["汇总"]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    assert [summary.cell(row=i, column=1).value for i in range(2, summary.max_row + 1)] == \
        [c.department for c in data.scorecards]
    ws = wb["市科技局"]
    header = _header(ws)
    assert header[:2] == ["目标编号", "角色"] and "单位" in header and "状态" in header
    sheet = next(d for d in data.departments if d.department == "市科技局")
    assert ws.max_row - 1 == len(sheet.rows)
    assert {ws.cell(row=i, column=2).value for i in range(2, ws.max_row + 1)} == {"牵头"}
    stats = wb["市统计局"]
    assert {stats.cell(row=i, column=2).value for i in range(2, stats.max_row + 1)} == {"配合"}


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1"])
def test_text_that_looks_like_a_formula_is_stored_as_text(evil: str) -> None:
    row = _row(indicator=evil, lead=[evil], text=evil)
    data = ProgressWorkbookData(region="芜湖市", year=2014, rows=[row],
                                departments=[DepartmentSheet(department=evil, rows=[row])])
    wb = _book(progress_workbook(data))
    cmp = _book(compare_workbook(CompareData(year=2014, sheets=[CompareSheet(code="TRA08", name=evil, rows=[row])])))
    for book in (wb, cmp):
        for ws in book.worksheets:
            for cells in ws.iter_rows():
                for cell in cells:
                    if isinstance(cell.value, str) and cell.value == evil:
                        assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)
    raw = progress_workbook(data)
    assert b"<f>" not in raw and b"<x:f>" not in raw  # no formula element anywhere


def test_simulated_and_draft_rows_say_so() -> None:
    row = _row(draft_actual=True)
    data = ProgressWorkbookData(region="芜湖市", year=2014, dataset_label="SIMULATED", include_draft=True,
                                rows=[row], departments=[DepartmentSheet(department="市科技局", rows=[row])])
    wb = _book(progress_workbook(data))
    about = [c.value for c in wb["说明"]["A"] if c.value]
    assert any(str(v).startswith("【模拟数据】") for v in about)
    assert any("草稿" in str(v) for v in about)
    ws = wb["全部目标"]
    assert ws.cell(row=2, column=_header(ws).index("数据性质") + 1).value == "模拟、草稿"


def test_sheet_names_follow_excel_rules() -> None:
    long = "市发展和改革委员会（市粮食和物资储备局）/价格监测中心[试点]"
    data = ProgressWorkbookData(region="芜湖市", year=2014, rows=[_row()], departments=[
        DepartmentSheet(department=long, rows=[_row()]), DepartmentSheet(department=long + "二", rows=[_row()]),
    ])
    names = _book(progress_workbook(data)).sheetnames
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len(set(names)) == len(names)
