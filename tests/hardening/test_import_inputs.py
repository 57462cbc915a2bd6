"""Careless and hostile data files, one class each: every one is refused with one line naming the file, row
or field (or read exactly as a person would), and a refused file leaves the database as it was. Values are
SIMULATED."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from innocity.app import AppContext
from innocity.errors import DataValidationError, ForbiddenError, InnocityError, UserInputError
from innocity.services import observations as obs
from innocity.services.context import Actor, Role
from innocity.services.models.observations import ImportReport
from innocity.storage.tables import Department, ObservationRow, PlanRow, TargetRow
from innocity.storage.tracking import TargetDepartment

HEADER = "地区,指标,年份,数值,单位,备注\n"


def imp(app: AppContext, path: Path, **kw: object) -> ImportReport:
    with app.uow() as w:
        return obs.import_file(w, path=path, **kw)  # type: ignore[arg-type]


def fingerprint(app: AppContext) -> object:
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(app.db.sqlite_path or "").read_bytes()).hexdigest()
    with app.db.sessions() as s:
        return [
            tuple(r) for r in s.execute(select(ObservationRow.id, ObservationRow.value, ObservationRow.note))
        ]


def refused(app: AppContext, path: Path, **kw: object) -> InnocityError:
    """Import ``path``; it must be refused with a user error that names where, and change nothing."""
    before = fingerprint(app)
    with pytest.raises(UserInputError) as err:
        imp(app, path, **kw)
    e = err.value
    assert e.source or e.field, e
    assert "\n" not in e.one_line()
    if isinstance(e, DataValidationError):
        assert e.problems and all(p.row >= 1 and p.field for p in e.problems)
    assert fingerprint(app) == before
    return e


def csv_file(tmp_path: Path, body: str, name: str = "data.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(body.encode(encoding))
    return p


@pytest.mark.parametrize("value", ["Infinity", "inf", "-inf", "1e400", "NaN", "nan"])
def test_a_value_that_is_not_a_finite_number_is_refused(app: AppContext, tmp_path: Path, value: str) -> None:
    e = refused(app, csv_file(tmp_path, HEADER + f"苏州市,TEC06,2015,{value},家,\n"))
    assert isinstance(e, DataValidationError) and {(p.row, p.field) for p in e.problems} == {(2, "value")}


def test_a_json_file_with_infinity_is_refused(app: AppContext, tmp_path: Path) -> None:
    p = tmp_path / "v.json"
    p.write_text(
        '[{"region": "苏州市", "indicator": "TEC06", "period": 2015, "value": Infinity, "unit": "家"}]'
    )
    e = refused(app, p)
    assert isinstance(e, DataValidationError) and e.problems[0].field == "value"


def test_a_value_that_overflows_once_converted_is_refused(app: AppContext, tmp_path: Path) -> None:
    # 1e308 万亿元 is finite, in 亿元 it is not
    e = refused(app, csv_file(tmp_path, HEADER + "苏州市,TEC10,2015,1e308,万亿元,\n"))
    assert isinstance(e, DataValidationError) and e.problems[0].field == "value"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_csv_in_the_encodings_departments_use_is_read(app: AppContext, tmp_path: Path, encoding: str) -> None:
    body = HEADER + "苏州市,高新技术企业数量,2015,2870,家,模拟数据\n无锡市,TEC06,2015,1800,家,\n"
    r = imp(app, csv_file(tmp_path, body, encoding=encoding))
    assert r.stored == 2
    with app.uow() as w:
        notes = {o.region_name: o.note for o in obs.list_observations(w)}
    assert notes == {"苏州市": "模拟数据", "无锡市": None}


def test_bytes_that_are_no_text_encoding_are_one_line(app: AppContext, tmp_path: Path) -> None:
    p = tmp_path / "junk.csv"
    p.write_bytes(bytes(range(256)) * 20)
    assert "not a readable text file" in refused(app, p).message


def test_a_row_with_more_cells_than_the_header_names_its_row(app: AppContext, tmp_path: Path) -> None:
    # "2,870" without quotes: the thousands separator made an extra cell; nothing may be realigned
    body = HEADER + "苏州市,TEC06,2014,2600,家,\n苏州市,TEC06,2015,2,870,家,\n"
    e = refused(app, csv_file(tmp_path, body))
    assert "row 3 has 7 cells" in e.message


def test_a_short_row_and_trailing_empty_cells_are_read(app: AppContext, tmp_path: Path) -> None:
    body = HEADER + "苏州市,TEC06,2013,2500,家,,,\n苏州市,TEC06,2014,2600,家,,,\n苏州市,TEC06,2015,2870,家\n"
    assert imp(app, csv_file(tmp_path, body)).stored == 3


def test_a_quote_never_closed_names_its_row(app: AppContext, tmp_path: Path) -> None:
    body = (
        HEADER
        + '苏州市,TEC06,2014,2600,家,\n苏州市,TEC06,2015,2870,家,"据统计公报\n无锡市,TEC06,2015,1800,家,\n'
    )
    e = refused(app, csv_file(tmp_path, body))
    assert "row 3" in e.message and "never closed" in e.message


@pytest.mark.parametrize(
    "header", ["地区,指标,年份,数值,值,单位\n", "region,indicator,period,value,value,unit\n"]
)
def test_two_columns_read_as_the_value_are_refused(app: AppContext, tmp_path: Path, header: str) -> None:
    e = refused(app, csv_file(tmp_path, header + "苏州市,TEC06,2015,2870,2780,家\n"))
    assert "both read as value" in e.message


def test_two_columns_for_the_same_year_are_refused(app: AppContext, tmp_path: Path) -> None:
    e = refused(app, csv_file(tmp_path, "地区,指标,单位,2015,2015年\n苏州市,TEC06,家,2870,2780\n"))
    assert "period 2015" in e.message


@pytest.mark.parametrize(
    ("known_on", "reason"),
    [("2099-01-01", "in the future"), ("now", "not a date"), ("2016", "not a date"), ("3/1/2016", "not a date"),
     ("2016-02-30", "not a date"), ("+002016-01-01", "not a date")],
)  # fmt: skip
def test_a_known_on_that_is_not_a_past_date_is_refused(
    app: AppContext, tmp_path: Path, known_on: str, reason: str
) -> None:
    body = f"地区,指标,年份,数值,单位,公布日期\n苏州市,TEC06,2015,2870,家,{known_on}\n"
    e = refused(app, csv_file(tmp_path, body))
    assert isinstance(e, DataValidationError)
    assert [(p.field, reason in p.reason) for p in e.problems] == [("known_on", True)]


def test_dates_as_departments_write_them_are_read(app: AppContext, tmp_path: Path) -> None:
    body = "地区,指标,年份,数值,单位,数据类型,公布日期\n" + "".join(
        f"苏州市,TEC06,{2010 + i},{2000 + i},家,revised,{d}\n"
        for i, d in enumerate(["2016-03-01", "2016/3/2", "2016年3月3日", "20160304", "2016-03-05 00:00:00"])
    )
    imp(app, csv_file(tmp_path, body))
    with app.uow() as w:
        days = sorted(str(o.known_on) for o in obs.list_observations(w))
    assert days == ["2016-03-01", "2016-03-02", "2016-03-03", "2016-03-04", "2016-03-05"]


def test_a_percent_sign_on_an_amount_is_refused_not_dropped(app: AppContext, tmp_path: Path) -> None:
    e = refused(app, csv_file(tmp_path, HEADER + "苏州市,TEC10,2015,12%,亿元,\n"))
    assert isinstance(e, DataValidationError) and "% sign" in e.problems[0].reason
    e = refused(app, csv_file(tmp_path, HEADER + "苏州市,TEC10,2015,12%,,\n", name="nounit.csv"))
    assert isinstance(e, DataValidationError) and e.problems[0].field == "unit"


@pytest.mark.parametrize("text", ["\ud800", "a\x00b", "bell\x07"])
def test_a_note_with_characters_no_database_stores_alike_is_refused(
    app: AppContext, tmp_path: Path, text: str
) -> None:
    p = tmp_path / "n.json"
    item = {
        "region": "苏州市",
        "indicator": "TEC06",
        "period": "2015",
        "value": 1,
        "unit": "家",
        "note": text,
    }
    p.write_text(json.dumps([item]), encoding="utf-8")  # JSON escapes keep the lone surrogate
    e = refused(app, p)
    assert isinstance(e, DataValidationError) and e.problems[0].field == "note"


@pytest.mark.parametrize(("cell", "reason"), [("bell\x07", "U+0007"), ("家" * 51, "longer than 50")])
def test_a_wide_sheet_gets_the_same_text_checks_once_per_row(
    app: AppContext, tmp_path: Path, cell: str, reason: str
) -> None:
    # one column per year: each cell is a value of its own, but a bad note or unit is one problem of its row
    body = f"地区,指标,单位,备注,2014,2015\n苏州市,TEC06,家,{cell},100,110\n苏州市,TEC10,亿元,,5,6\n"
    if "家" in cell:
        body = f"地区,指标,单位,备注,2014,2015\n苏州市,TEC06,{cell},,100,110\n苏州市,TEC10,亿元,,5,6\n"
    e = refused(app, csv_file(tmp_path, body))
    assert isinstance(e, DataValidationError)
    assert [p.row for p in e.problems if reason in p.reason] == [2]
    assert {p.row for p in e.problems} == {2}


def test_a_unit_longer_than_its_column_is_refused_on_every_database(app: AppContext, tmp_path: Path) -> None:
    e = refused(app, csv_file(tmp_path, HEADER + f"苏州市,TEC06,2015,2870,{'家' * 51},\n"))
    assert isinstance(e, DataValidationError) and "longer than 50" in e.problems[0].reason


def test_the_rejects_file_may_not_be_the_input(app: AppContext, tmp_path: Path) -> None:
    p = csv_file(tmp_path, HEADER + "火星市,TEC06,2015,1,家,\n")
    before = p.read_bytes()
    e = refused(app, p, valid_only=True, rejects=p)
    assert e.field == "rejects"
    e = refused(app, p, valid_only=True, rejects=tmp_path / "." / p.name)
    assert p.read_bytes() == before


def test_a_fifo_is_refused_without_hanging(app: AppContext, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(app, fifo).message
    folder = tmp_path / "sub.csv"
    folder.mkdir()
    assert "directory" in refused(app, folder).message


def workbook(path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    first = True
    for title, rows in sheets.items():
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        ws.title = title
        for r in rows:
            ws.append(r)
        if title in hidden:
            ws.sheet_state = "hidden"
        first = False
    wb.save(path)
    return path


ROWS: list[list[object]] = [["地区", "指标", "年份", "数值", "单位"], ["苏州市", "TEC06", 2015, 2870, "家"]]


def test_hidden_sheets_are_not_imported_and_the_report_says_so(app: AppContext, tmp_path: Path) -> None:
    secret = [ROWS[0], ["无锡市", "TEC06", 2015, 99999, "家"]]
    path = workbook(tmp_path / "h.xlsx", {"草稿": secret, "上报": ROWS}, hidden=("草稿",))
    r = imp(app, path)
    assert (r.stored, r.sheet) == (1, "上报") and any("草稿" in w for w in r.warnings)


def test_several_data_sheets_need_the_sheet_named(app: AppContext, tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "two.xlsx", {"2015": ROWS, "2016": [ROWS[0], ["苏州市", "TEC06", 2016, 3100, "家"]]}
    )
    assert refused(app, path).field == "sheet"
    r = imp(app, path, sheet="2016")
    assert (r.stored, r.sheet) == (1, "2016")


def _rezip(src: Path, dst: Path, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> Path:
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def test_merged_cells_far_away_are_bounded(app: AppContext, tmp_path: Path) -> None:
    # 17 billion merged cells in a few kB: written into the sheet's XML, as a crafted file would be
    good = workbook(tmp_path / "g.xlsx", {"data": ROWS})
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="H1:XFD1048576"/></mergeCells>'
    far = sheet.replace(b"</sheetData>", merge)
    far = far.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')
    path = _rezip(good, tmp_path / "far.xlsx", {}, {"xl/worksheets/sheet1.xml": far})
    assert path.stat().st_size < 20_000
    assert imp(app, path).stored == 1


def test_a_zip_bomb_disguised_as_a_workbook_is_refused_quickly(app: AppContext, tmp_path: Path) -> None:
    good = workbook(tmp_path / "g.xlsx", {"data": ROWS})
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/media/padding.bin", "w") as f:  # 300 MB of zeros, a few hundred kB packed
            chunk = b"\0" * 2**20
            for _ in range(300):
                f.write(chunk)
    assert bomb.stat().st_size < 2 * 2**20
    assert "zip bomb" in refused(app, bomb).message


def test_a_workbook_part_with_a_dtd_is_refused(app: AppContext, tmp_path: Path) -> None:
    good = workbook(tmp_path / "g.xlsx", {"data": ROWS})
    with zipfile.ZipFile(good) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    laughs = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    bad = _rezip(good, tmp_path / "dtd.xlsx", {}, {"xl/worksheets/sheet1.xml": laughs + body})
    assert "DTD" in refused(app, bad).message


def test_a_user_added_indicator_imports(app: AppContext, tmp_path: Path) -> None:
    d = app.catalog_dir
    d.mkdir(parents=True, exist_ok=True)
    (d / "本市指标.yaml").write_text(
        "- code: XN01\n  name_zh: 每万人口众创空间数\n  name_en: Maker spaces per 10k population\n"
        "  unit: 个/万人\n  direction: 1\n  dimension: 成果转化力\n  kind: per_capita\n"
        "  definition: 众创空间数 / 年末常住人口(万人)\n  aggregation: rate\n  data_source: 科技局\n  source: proposed\n",
        encoding="utf-8",
    )
    app.reload_catalog()
    r = imp(
        app,
        csv_file(
            tmp_path, HEADER + "苏州市,XN01,2015,1.2,个/万人,\n苏州市,每万人口众创空间数,2016,1.4,个/万人,\n"
        ),
    )
    assert r.stored == 2


def test_export_neutralises_formulas_in_csv_and_xlsx(app: AppContext, tmp_path: Path) -> None:
    notes = ['=HYPERLINK("http://x","点")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "普通备注"]
    p = tmp_path / "notes.json"
    rows = [{"地区": "苏州市", "指标": "TEC06", "年份": 2010 + i, "数值": 2000 + 10 * i, "单位": "家", "备注": n}
            for i, n in enumerate(notes)]  # fmt: skip
    p.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    imp(app, p)
    with app.uow() as w:
        text = obs.export(w, fmt="csv").text or ""
        obs.export(w, fmt="xlsx", output=tmp_path / "out.xlsx")
        obs.export(w, fmt="csv", output=tmp_path / "out.csv")
    import csv
    import io

    exported = [r["note"] for r in csv.DictReader(io.StringIO(text))]
    assert exported and all(n.startswith("'") for n in exported if n[:1] in "=+-@")
    assert all(not n.startswith(("=", "+", "-", "@")) for n in exported)
    ws = load_workbook(tmp_path / "out.xlsx").active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    # and the exported CSV imports back as the same notes
    with app.uow() as w:
        stored = sorted((o.period, o.note or "") for o in obs.list_observations(w))
    again = sorted((o.period, o.note or "") for o in _reimport(tmp_path / "out.csv", tmp_path))
    assert again == stored


def _reimport(path: Path, tmp_path: Path) -> list[obs.ObservationOut]:
    from innocity.settings import Settings

    other = AppContext(
        Settings(database_url=f"sqlite:///{tmp_path / 'other.sqlite3'}", data_dir=tmp_path, user="t")
    )
    try:
        with other.uow() as w:
            obs.import_file(w, path=path)
        with other.uow() as w:
            return obs.list_observations(w)
    finally:
        other.dispose()


@pytest.mark.parametrize("where", ["directory", "missing directory", "device", "proc"])
def test_export_to_a_path_that_cannot_take_it_is_one_line(
    app: AppContext, tmp_path: Path, where: str
) -> None:
    path = {"directory": tmp_path, "missing directory": tmp_path / "no" / "x.csv",
            "device": Path("/dev/null"), "proc": Path("/proc/x.csv")}[where]  # fmt: skip
    with pytest.raises(UserInputError) as err, app.uow() as w:
        obs.export(w, fmt="csv", output=path)
    assert err.value.source == str(path)
    assert Path("/dev/null").is_char_device()


# ---------------------------------------------------------------------- submit_rows and who may


def test_submitted_rows_are_stored_all_or_nothing(app: AppContext) -> None:
    rows = [
        {
            "region": "苏州市",
            "indicator": "TEC06",
            "period": "2015",
            "value": 2870,
            "unit": "家",
            "note": "模拟",
        },
        {"region": "苏州市", "indicator": "TEC06", "period": "2016", "value": "Infinity", "unit": "家"},
        {"region": "火星市", "indicator": "TEC06", "period": "2016", "value": 1, "unit": "家"},
        {"region": "苏州市", "indicator": "TEC06", "period": "2017", "valeu": 1, "unit": "家"},
    ]
    before = fingerprint(app)
    with pytest.raises(DataValidationError) as err, app.uow() as w:
        obs.submit_rows(w, rows=rows)
    assert err.value.field == "rows" and {p.row for p in err.value.problems} == {4}
    with pytest.raises(DataValidationError) as err, app.uow() as w:
        obs.submit_rows(w, rows=rows[:3])
    assert {(p.row, p.field) for p in err.value.problems} == {(2, "value"), (3, "region")}
    assert fingerprint(app) == before
    with app.uow() as w:
        done = obs.submit_rows(w, rows=rows[:1], status="submitted", source="https://example.org/公报")
    assert done.stored == 1 and len(done.ids) == 1
    with app.uow() as w:
        o = obs.get_observation(w, obs_id=done.ids[0])
    assert (o.value, o.status, o.source, o.note) == (2870.0, "submitted", "https://example.org/公报", "模拟")


def _department(app: AppContext) -> Actor:
    """A 无锡市 department that leads the plan's R&D-intensity target (TEC01)."""
    from innocity.services.ingest import ingest_bytes

    text = "无锡市创新型城市建设实施方案（模拟）\n一、主要目标\n到2015年，全社会研发经费支出占地区生产总值比重达到2.8%。\n"
    with app.uow() as w:
        ingest_bytes(w, data=text.encode(), name="wuxi.txt")
    with app.uow() as w:
        target = w.session.scalars(select(TargetRow).where(TargetRow.indicator_code == "TEC01")).one()
        plan = w.session.get(PlanRow, target.plan_id)
        assert plan is not None and plan.region_id is not None
        dept = Department(region_id=plan.region_id, name="市科技局")
        w.session.add(dept)
        w.session.flush()
        w.session.add(
            TargetDepartment(target_id=target.id, department_id=dept.id, role="lead", assigned_by="t")
        )
        return Actor(username="科技局", role=Role.DEPARTMENT, region_id=plan.region_id, department_id=dept.id)


def test_a_department_submits_only_its_own_indicators_in_its_region(app: AppContext) -> None:
    actor = _department(app)
    own = {"region": "无锡市", "indicator": "TEC01", "period": "2014", "value": 2.7, "unit": "%"}
    with app.uow(actor) as w:
        assert obs.submit_rows(w, rows=[own], status="submitted").stored == 1
    other_indicator = {**own, "indicator": "TEC06", "value": 10, "unit": "家"}
    other_region = {**own, "region": "苏州市"}
    with pytest.raises(DataValidationError) as err, app.uow(actor) as w:
        obs.submit_rows(w, rows=[other_indicator, other_region])
    assert {(p.row, p.field) for p in err.value.problems} == {(1, "indicator"), (2, "region")}
    with pytest.raises(ForbiddenError), app.uow(actor) as w:
        obs.submit_rows(w, rows=[own], status="approved")
    with app.uow(actor) as w:
        (mine,) = obs.list_observations(w)
    with pytest.raises(ForbiddenError), app.uow(actor) as w:
        obs.approve(w, obs_id=mine.id, version=mine.version)


def test_the_review_queue_shows_previous_value_change_and_jump(app: AppContext, tmp_path: Path) -> None:
    series = [1000, 1080, 1170, 1260, 1360, 1470]
    body = HEADER + "".join(f"苏州市,TEC06,{2005 + i},{v},家,\n" for i, v in enumerate(series))
    imp(app, csv_file(tmp_path, body), status="approved")
    with app.uow() as w:
        obs.submit_rows(w, rows=[{"region": "苏州市", "indicator": "TEC06", "period": "2011", "value": 158800,
                                  "unit": "家", "note": "待核"}], status="submitted")  # fmt: skip
    with app.uow() as w:
        (item,) = obs.review_queue(w, region="苏州市")
    assert (item.previous_period, item.previous_value) == ("2010", 1470.0)
    assert item.change_pct is not None and item.change_pct > 10_000
    assert item.warning and "jump" in item.warning


def test_reads_are_limited_to_the_actor_scope(app: AppContext, tmp_path: Path) -> None:
    imp(app, csv_file(tmp_path, HEADER + "苏州市,TEC06,2015,2870,家,\n无锡市,TEC06,2015,1800,家,\n"))
    with app.uow() as w:
        wuxi = obs.region_id(w, region="无锡市")
        ids = {o.region_name: o.id for o in obs.list_observations(w)}
    coordinator = Actor(username="无锡", role=Role.COORDINATOR, region_id=wuxi)
    with app.uow(coordinator) as w:
        assert [o.region_name for o in obs.list_observations(w)] == ["无锡市"]
        with pytest.raises(UserInputError):
            obs.get_observation(w, obs_id=ids["苏州市"])


def test_notes_with_backslashes_tabs_and_line_breaks_are_stored_as_written(
    app: AppContext, tmp_path: Path
) -> None:
    # PostgreSQL loads through COPY's text format, where these characters (and a literal \N) are syntax
    notes = ["C:\\统计\\2015", "\\N", "第一行\n第二行", "含\t制表符", "结尾反斜杠\\"]
    p = tmp_path / "notes.json"
    rows = [{"地区": "苏州市", "指标": "TEC06", "年份": 2010 + i, "数值": 2000 + 10 * i, "单位": "家", "备注": n}
            for i, n in enumerate(notes)]  # fmt: skip
    p.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert imp(app, p).stored == len(notes)
    with app.uow() as w:
        got = [o.note for o in obs.list_observations(w)]
    assert got == notes


def test_a_user_name_longer_than_its_column_is_refused_before_loading(
    app: AppContext, tmp_path: Path
) -> None:
    before = fingerprint(app)
    with pytest.raises(UserInputError) as err, app.uow(Actor.system("张" * 150)) as w:
        obs.import_file(w, path=csv_file(tmp_path, HEADER + "苏州市,TEC06,2015,2870,家,\n"))
    assert err.value.field == "user" and fingerprint(app) == before
