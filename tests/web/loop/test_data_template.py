"""The Excel data template: what it holds and protects, and the round trip (download, fill in with
openpyxl, upload) through the same all-or-nothing save as the form."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from seed import Scenario
from sqlalchemy import func, select

from innocity.reports.data_template import build_template
from innocity.services import collection_xlsx, observations
from innocity.services.models.collection import DATA_SHEET, HEADER_ROW, INSTRUCTIONS_SHEET, column_letter
from innocity.storage.tables import ObservationRow

TODAY = date(2020, 3, 1)
VALUE, NOTE = column_letter("value"), column_letter("note")


def _download(sc: Scenario, **kw: object) -> bytes:
    with sc.app.uow(sc.department()) as w:
        data = collection_xlsx.template_data(w, today=TODAY, **kw)  # type: ignore[arg-type]
    return build_template(data)


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[tuple[str, str], int]:
    """(indicator, period) → sheet row."""
    out = {}
    for n in range(HEADER_ROW + 1, ws.max_row + 1):
        out[(ws[f"{column_letter('indicator')}{n}"].value, ws[f"{column_letter('period')}{n}"].value)] = n
    return out


def _count(sc: Scenario) -> int:
    with sc.app.uow() as w:
        return int(w.session.scalar(select(func.count()).select_from(ObservationRow)) or 0)


def _upload(sc: Scenario, data: bytes, **kw: object) -> collection_xlsx.TemplateUpload:
    with sc.app.uow(sc.department()) as w:
        return collection_xlsx.upload_template(w, data=data, today=TODAY, **kw)  # type: ignore[arg-type]


def test_the_template_is_prefilled_protected_and_validated(scenario: Scenario) -> None:
    scenario.observe("TEC06", 2016, 530)  # approved: its row is locked and it is the "last value" of 2017
    wb = openpyxl.load_workbook(io.BytesIO(_download(scenario)))
    assert wb.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET]
    ws = wb[DATA_SHEET]
    assert ws.protection.sheet and wb[INSTRUCTIONS_SHEET].protection.sheet
    rows = _rows(ws)
    assert ("TEC01", "2016") in rows and ("TRA08", "2015") in rows
    n = rows[("TEC06", "2017")]
    assert ws[f"{column_letter('unit')}{n}"].value == "家"
    assert ws[f"{column_letter('last')}{n}"].value == "2016: 530"
    assert ws[f"{VALUE}{n}"].protection.locked is False and ws[f"{NOTE}{n}"].protection.locked is False
    assert ws[f"{column_letter('indicator')}{n}"].protection.locked is True
    locked = rows[("TEC06", "2016")]
    assert ws[f"{VALUE}{locked}"].value == 530 and ws[f"{VALUE}{locked}"].protection.locked is True
    assert ws.column_dimensions[column_letter("observation_id")].hidden
    kinds = {(dv.type, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert ("decimal", "0.0", "100.0") in kinds  # the R&D intensity is a percentage of GDP
    assert any(t == "list" and "最终" in (f1 or "") for t, f1, _ in kinds)
    rd_cells = next(dv for dv in ws.data_validations.dataValidation if dv.formula2 == "100.0").sqref
    assert f"{VALUE}{rows[('TEC01', '2016')]}" in str(rd_cells)
    text = " ".join(str(c.value) for c in wb[INSTRUCTIONS_SHEET]["A"] if c.value)
    assert "填报说明" in text and "黄色单元格" in text


def test_round_trip_stores_the_filled_values(scenario: Scenario) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_download(scenario)))
    ws = wb[DATA_SHEET]
    rows = _rows(ws)
    ws[f"{VALUE}{rows[('TEC01', '2018')]}"] = 2.61
    ws[f"{VALUE}{rows[('TEC06', '2018')]}"] = "612"  # typed as text: still a number
    note = ws[f"{NOTE}{rows[('TEC06', '2018')]}"]
    note.value, note.data_type = "=HYPERLINK(\"http://x\")", "s"  # text that looks like a formula
    ws[f"{column_letter('vintage')}{rows[('TEC06', '2018')]}"] = "初步"
    buf = io.BytesIO()
    wb.save(buf)
    up = _upload(scenario, buf.getvalue())
    assert not up.problems and up.result is not None
    assert (up.entries, up.result.stored) == (2, 2)
    with scenario.app.uow(scenario.actor("coordinator")) as w:
        got = {(o.indicator, o.period): o for o in observations.list_observations(w)}
    assert got[("TEC01", "2018")].value == 2.61 and got[("TEC01", "2018")].status == "draft"
    assert got[("TEC06", "2018")].vintage == "preliminary"
    assert got[("TEC06", "2018")].note == "=HYPERLINK(\"http://x\")"

    # the next download holds those drafts; uploading it unchanged stores nothing
    again = _download(scenario)
    before = _count(scenario)
    up = _upload(scenario, again)
    assert (up.entries, up.result, up.problems) == (0, None, [])
    assert _count(scenario) == before
    # the formula-like note is a text cell with Excel's quote prefix
    ws2 = openpyxl.load_workbook(io.BytesIO(again))[DATA_SHEET]
    cell = ws2[f"{NOTE}{_rows(ws2)[('TEC06', '2018')]}"]
    assert cell.data_type == "s" and cell.quotePrefix


def test_a_bad_cell_is_reported_with_sheet_row_and_column_and_nothing_is_stored(scenario: Scenario) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_download(scenario)))
    ws = wb[DATA_SHEET]
    rows = _rows(ws)
    good, bad, over = rows[("TEC01", "2018")], rows[("TEC06", "2018")], rows[("TEC01", "2019")]
    ws[f"{VALUE}{good}"] = 2.6
    ws[f"{VALUE}{bad}"] = "六百"
    ws[f"{VALUE}{over}"] = 260  # an R&D intensity of 260 % of GDP
    buf = io.BytesIO()
    wb.save(buf)
    before = _count(scenario)
    up = _upload(scenario, buf.getvalue())
    assert up.result is None
    got = sorted((p.sheet, p.row, p.column) for p in up.problems)
    assert got == sorted([(DATA_SHEET, bad, VALUE), (DATA_SHEET, over, VALUE)])
    assert _count(scenario) == before


def test_something_else_is_refused_as_not_a_template(scenario: Scenario) -> None:
    import pytest

    from innocity.errors import UserInputError

    wb = openpyxl.Workbook()
    wb.active.append(["地区", "指标", "年份", "数值"])  # type: ignore[union-attr]
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(UserInputError, match="数据填报"):
        _upload(scenario, buf.getvalue())
    with pytest.raises(UserInputError, match="Excel"):
        _upload(scenario, b"region,indicator\n")
