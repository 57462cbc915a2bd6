"""The result as typed JSON (same keys as before, optional keys only when asked for) and as CSV/XLSX
downloads in which a unit name cannot become a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from innocity.catalog import load_catalog
from innocity.services import index as service
from innocity.services.index_export import neutralise
from innocity.services.index_runs import result_csv, result_table, result_xlsx
from innocity.services.models.index import IndexResult

CAT = load_catalog()
NASTY = ("=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+2", "-3", "@SUM(A1)", "=1+1", "长沙市")
FW = "tree:\n  - {code: TEC, children: [{code: TEC01}, {code: TEC04}]}\n  - {code: DRV, children: [{code: DRV03}]}\n"


def _result(tmp_path: Path, **kw: int) -> IndexResult:
    """SIMULATED values (not real statistics) for units whose names look like formulas."""
    fw, data = tmp_path / "fw.yaml", tmp_path / "d.csv"
    fw.write_text(FW, encoding="utf-8")
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "indicator", "period", "value"])
        for k, unit in enumerate(NASTY):
            w.writerows([[unit, "TEC01", 2023, 1 + k], [unit, "TEC04", 2023, 10 - k], [unit, "DRV03", 2023, k % 3]])
    return service.run_from_files(CAT, framework=fw, data=data, **kw)


def test_json_keeps_the_earlier_keys_and_adds_only_what_was_asked(tmp_path: Path) -> None:
    plain = _result(tmp_path).json_dict()
    assert list(plain)[:3] == ["units", "weights", "period"] and "sensitivity" not in plain
    assert {"dropped_indicators", "excluded_units", "coverage", "warnings"} <= set(plain)
    unit = plain["units"][0]
    assert set(unit) == {"unit", "score", "rank", "groups", "contributions"}  # no nulls for what was not run
    full = _result(tmp_path, uncertainty=40, sobol=16, obstacles=2).json_dict()
    assert {"rank_interval", "rank_mean", "rank_median", "obstacles"} <= set(full["units"][0])
    assert full["sensitivity"] and isinstance(full["units"][0]["rank_median"], int | float)
    assert IndexResult.model_validate(full).json_dict() == full  # what a stored run reads back


def test_csv_download_neutralises_formulas(tmp_path: Path) -> None:
    result = _result(tmp_path, uncertainty=20)
    raw = result_csv(result)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese names right
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:7] == ["unit", "score", "rank", "rank_p5", "rank_p95", "rank_mean", "rank_median"]
    names = {r[0] for r in rows[1:]}
    assert "长沙市" in names and all(n == "长沙市" or n.startswith("'") for n in names)
    assert "'=HYPERLINK(\"http://evil.example\",\"点我\")" in names and "'-3" in names
    assert all(not c.startswith(("=", "+", "@")) for r in rows for c in r)
    assert len(result_table(result)) == len(NASTY)


def test_xlsx_download_stores_text_never_formulas(tmp_path: Path) -> None:
    result = _result(tmp_path)
    data = result_xlsx(result)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) for n in sheets)  # no formula anywhere
    wb = load_workbook(io.BytesIO(data))
    ws = wb["排名 ranking"]
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=1) for r in range(2, ws.max_row + 1)}
    assert set(cells) == set(NASTY)
    assert all(c.data_type == "s" for c in cells.values())
    assert isinstance(ws.cell(row=2, column=3).value, int)  # ranks stay numbers
    assert [c.value for c in wb["权重 weights"]["A"]][1:] == ["TEC01", "TEC04", "DRV03"]
    assert wb.sheetnames == ["排名 ranking", "权重 weights", "剔除 left out", "说明 notes"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_downloads_list_what_was_left_out(tmp_path: Path, fmt: str) -> None:
    fw, data = tmp_path / "fw.yaml", tmp_path / "d.csv"
    fw.write_text(FW, encoding="utf-8")
    data.write_text("unit,indicator,period,value\n" + "".join(
        f"{u},TEC01,2023,{k}\n{u},TEC04,2023,{k * 2}\n" for k, u in enumerate(("甲市", "乙市", "丙市"))),
        encoding="utf-8")
    result = service.run_from_files(CAT, framework=fw, data=data)
    assert [d.code for d in result.dropped_indicators] == ["DRV03"] and result.dropped_groups[0].code == "DRV"
    if fmt == "xlsx":
        ws = load_workbook(io.BytesIO(result_xlsx(result)))["剔除 left out"]
        assert [c.value for c in ws[2]][:2] == ["indicator", "DRV03"] and ws[3][1].value == "DRV"
    else:
        assert b"DRV" not in result_csv(result)  # the ranking alone: no DRV column, no DRV03 weight


def test_neutralise_prefixes_only_text_that_starts_a_formula() -> None:
    assert [neutralise(v) for v in ("\t=1", "\r=1", "=1", "长沙市", "a=1", -3, 2.5, None)] == [
        "'\t=1", "'\r=1", "'=1", "长沙市", "a=1", -3, 2.5, None]
