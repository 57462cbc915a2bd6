"""Importing observations (all values SIMULATED for tests): conversion to canonical units, every bad
row reported with its number and reason, all or nothing, --valid-only, idempotent re-import, Excel files
the way departments send them, and export → import round trips."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from innocity.app import AppContext
from innocity.errors import DataValidationError, UserInputError
from innocity.services import observations as obs
from innocity.services.models.observations import ImportReport, ObservationOut
from innocity.settings import Settings
from innocity.storage.tables import AuditEntry, ImportRow, ObservationRow

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
HEADER = "region,indicator,period,value,unit,vintage,note\n"


def import_file(app: AppContext, path: Path, **kw: object) -> ImportReport:
    with app.uow() as w:
        return obs.import_file(w, path=path, **kw)  # type: ignore[arg-type]


def observations(app: AppContext, **kw: object) -> list[ObservationOut]:
    with app.uow() as w:
        return obs.list_observations(w, **kw)  # type: ignore[arg-type]


def snapshot(app: AppContext) -> object:
    """What must not change when an input is rejected: SQLite file bytes, or every row of PostgreSQL."""
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(app.db.sqlite_path or "").read_bytes()).hexdigest()
    with app.db.sessions() as s:
        return (
            [
                tuple(r)
                for r in s.execute(select(ObservationRow.id, ObservationRow.value, ObservationRow.version))
            ],
            s.scalar(select(func.count()).select_from(ImportRow)),
            s.scalar(select(func.count()).select_from(AuditEntry)),
        )


def cli_runner(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """``innocity ARGS`` in-process, with the data and db commands registered as the root app does and
    errors turned into one line and an exit status as ``innocity.cli.main`` does."""
    import sys

    import typer

    from innocity.cli import common, data, db
    from innocity.errors import InnocityError

    monkeypatch.setenv("INNOCITY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INNOCITY_USER", settings.user)
    monkeypatch.setenv("COLUMNS", "200")
    root = typer.Typer(pretty_exceptions_enable=False, add_completion=False)

    @root.callback()
    def _root() -> None:
        """innocity"""

    data.register(root)
    db.register(root)

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = 0
        try:
            root(args=[str(a) for a in args], prog_name="innocity")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except InnocityError as exc:
            print(f"innocity: {exc.one_line(common.flag_for(exc.field))}", file=sys.stderr)
            code = exc.exit_code
        finally:
            common.reset_app_context()
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def run_cli(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    return cli_runner(settings, monkeypatch, capsys)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_with_title_line_names_and_units_is_stored_in_canonical_units(app: AppContext) -> None:
    r = import_file(app, FIXTURES / "suzhou_simulated.csv")
    assert (r.rows, r.stored, r.rejected) == (12, 12, 0)
    obs = observations(app, region="320500", indicator="TEC10")
    assert [(str(o.period), o.value, o.unit) for o in obs] == [
        ("2011", 510.0, "亿元"),
        ("2012", 562.0, "亿元"),
        ("2013", 618.5, "亿元"),
        ("2014", 676.2, "亿元"),
        ("2015", 741.0, "亿元"),
    ]
    assert (obs[0].original_value, obs[0].original_unit) == (5_100_000.0, "万元")
    assert obs[-1].vintage == "preliminary" and obs[3].vintage == "final"
    assert {o.entered_by for o in obs} == {"tester"} and {o.status for o in obs} == {"draft"}
    (gusu,) = observations(app, region="320508")
    assert gusu.value == 185
    quarterly = [o for o in observations(app, region="320500", indicator="TEC06") if "Q" in o.period]
    assert [str(o.period) for o in quarterly] == ["2016Q1"]


BAD_ROWS = [
    ("苏州市,TEC10,2011,510,亿元,final,", None),
    ("苏州市,TEC10,2012,560,亿元,final,", None),
    ("火星市,TEC10,2013,600,亿元,final,", ("region", "unknown region")),
    ("苏州市,不存在的指标,2013,600,亿元,final,", ("indicator", "unknown indicator")),
    ("苏州市,TEC06,2013,N/A,家,final,", ("value", "'N/A' is not a number")),
    ("苏州市,TEC06,2014,—,家,final,", ("value", "'—' is not a number")),
    ("苏州市,TEC10,2014,600,万人,final,", ("unit", "does not fit")),
    ("苏州市,TEC06,2015,-35,家,final,", ("value", "negative")),
    ("苏州市,TEC20,2015,120,%,final,", ("value", "outside 0–100%")),
    ("苏州市,TEC10,2013,600,亿元,final,", None),
    ("苏州市,TEC10,20I5,600,亿元,final,", ("period", "not a period")),
    ("苏州市,TEC10,2015,700,亿元,sometimes,", ("vintage", "unknown vintage")),
    ("朝阳区,TEC06,2015,100,家,final,", ("region", "ambiguous")),
    ("苏州市,TEC10,2013,610,亿元,final,", ("period", "same region, indicator, period and vintage as row")),
]


def bad_file(tmp_path: Path) -> Path:
    return write(tmp_path, "bad.csv", HEADER + "\n".join(r for r, _ in BAD_ROWS) + "\n")


def test_every_bad_row_is_reported_and_nothing_is_stored(app: AppContext, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, "wuxi.csv", HEADER + "无锡市,TEC06,2015,1800,家,final,\n"))
    before = snapshot(app)
    with pytest.raises(DataValidationError) as err:
        import_file(app, bad_file(tmp_path))
    got = {(p.row, p.field): p.reason for p in err.value.problems}
    want = {(i + 2, x[0]): x[1] for i, (_, x) in enumerate(BAD_ROWS) if x}
    assert set(got) == set(want)
    for key, fragment in want.items():
        assert fragment in got[key], (key, got[key])
    assert "nothing was stored" in err.value.message
    assert snapshot(app) == before


def test_valid_only_stores_good_rows_and_writes_rejects(app: AppContext, tmp_path: Path) -> None:
    out = tmp_path / "rejects.csv"
    r = import_file(app, bad_file(tmp_path), valid_only=True, rejects=out)
    assert r.stored == 3 and r.rejected == len([x for _, x in BAD_ROWS if x])
    import pandas as pd

    rej = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert list(rej["row"].astype(int)) == [i + 2 for i, (_, x) in enumerate(BAD_ROWS) if x]
    assert rej.loc[rej["row"] == "4", "reason"].item().startswith("[region] unknown region")


def _series(values: list[float], notes: dict[int, str] | None = None) -> str:
    notes = notes or {}
    return HEADER + "".join(
        f"苏州市,TEC06,{2005 + i},{v},家,final,{notes.get(2005 + i, '')}\n" for i, v in enumerate(values)
    )


def test_a_jump_far_outside_the_history_needs_a_note(app: AppContext, tmp_path: Path) -> None:
    # steady ~8 % growth, then one value a hundred times too big (typed in 家 × 100 by mistake)
    values = [1000, 1080, 1170, 1260, 1360, 1470, 158_800, 1710, 1850]
    with pytest.raises(DataValidationError) as err:
        import_file(app, write(tmp_path, "jump.csv", _series(values)))
    assert [(p.row, p.field) for p in err.value.problems] == [
        (8, "value")
    ]  # only the spike, not the way back
    assert "factor of 108" in err.value.problems[0].reason
    ok = import_file(app, write(tmp_path, "noted.csv", _series(values, {2011: "统计口径调整(模拟)"})))
    assert ok.stored == len(values)


def test_a_jump_against_stored_history_is_caught(app: AppContext, tmp_path: Path) -> None:
    import_file(app, write(tmp_path, "h.csv", _series([1000, 1080, 1170, 1260, 1360, 1470])))
    nxt = write(tmp_path, "next.csv", HEADER + "苏州市,TEC06,2011,4,家,final,\n")  # 4 instead of ~1590
    with pytest.raises(DataValidationError) as err:
        import_file(app, nxt)
    assert err.value.problems[0].row == 2 and "jump" in err.value.problems[0].reason
    fine = write(tmp_path, "fine.csv", HEADER + "苏州市,TEC06,2011,1590,家,final,\n")
    assert import_file(app, fine).stored == 1


def test_reimport_changes_nothing_and_a_contradiction_is_rejected(app: AppContext, tmp_path: Path) -> None:
    first = import_file(app, FIXTURES / "suzhou_simulated.csv")
    again = import_file(app, FIXTURES / "suzhou_simulated.csv")
    assert (again.stored, again.unchanged) == (0, first.stored)
    changed = write(tmp_path, "c.csv", HEADER + "苏州市,TEC10,2013,630,亿元,final,\n")
    with pytest.raises(DataValidationError) as err:
        import_file(app, changed)
    assert "already stored (618.5)" in err.value.problems[0].reason
    revised = write(
        tmp_path,
        "r.csv",
        "region,indicator,period,value,unit,vintage,known_on\n苏州市,TEC10,2013,630,亿元,revised,2016-03-01\n",
    )
    assert import_file(app, revised).stored == 1
    values = [
        (o.vintage, o.value)
        for o in observations(app, region="320500", indicator="TEC10")
        if str(o.period) == "2013"
    ]
    assert sorted(values) == [("final", 618.5), ("revised", 630.0)]


def department_workbook(path: Path) -> Path:
    """A sheet as a district science bureau sends it (SIMULATED values): a merged title, a 单位:万元 line,
    a two-row header with merged cells and one column per year, thousands separators, full-width digits,
    a merged region cell down the rows, and blank rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["吴江区科技投入情况表（模拟数据）"])
    ws.merge_cells("A1:E1")
    ws.append(["填报单位：区科技局", None, None, "单位:万元"])
    ws.append(["地区", "指标", "年度", None, None])
    ws.append([None, None, "2013年", "2014年", "2015年"])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    ws.append(["吴江区", "全社会R&D经费内部支出", "1,250,000", "１３６００００", 1_480_000])
    ws.append([None, None, None, None, None])
    ws.append([None, "地方财政科学技术支出", "86,500", "9.2万", "101,300"])
    ws.merge_cells("A5:A7")
    ws.append([])
    wb.save(path)
    return path


def test_department_excel_sheet_is_read_like_a_person_reads_it(app: AppContext, tmp_path: Path) -> None:
    path = department_workbook(tmp_path / "wujiang.xlsx")
    with pytest.raises(DataValidationError) as err:
        import_file(app, path)
    # "9.2万" is not a number in 万元: reported at its Excel row, the row with the value
    assert [(p.row, p.field) for p in err.value.problems] == [(7, "value")]
    r = import_file(app, path, valid_only=True, rejects=tmp_path / "rej.xlsx")
    assert r.stored == 5 and (tmp_path / "rej.xlsx").exists()
    got = {(o.indicator, o.period): o.value for o in observations(app, region="320509")}
    assert got == {
        ("TEC10", "2013"): 125.0,
        ("TEC10", "2014"): 136.0,
        ("TEC10", "2015"): 148.0,
        ("GOV06", "2013"): 8.65,
        ("GOV06", "2015"): 10.13,
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_round_trips_with_import(app: AppContext, tmp_path: Path, fmt: str) -> None:
    import_file(app, FIXTURES / "suzhou_simulated.csv")
    out = tmp_path / f"all.{fmt}"
    with app.uow() as w:
        obs.export(w, fmt=fmt, output=out)
    before = [o.model_dump() for o in observations(app)]
    # the exported file imports into an empty database as the same values
    fresh = AppContext(
        Settings(database_url=f"sqlite:///{tmp_path / 'fresh.sqlite3'}", data_dir=tmp_path, user="t")
    )
    try:
        r = import_file(fresh, out)
        assert r.stored == len(before)
        after = [o.model_dump() for o in observations(fresh)]
    finally:
        fresh.dispose()
    keys = ["region", "indicator", "period", "value", "unit", "vintage", "known_on", "note", "source"]
    assert [{k: d[k] for k in keys} for d in after] == [{k: d[k] for k in keys} for d in before]
    # and importing it back into the same database changes nothing
    assert import_file(app, out).stored == 0


def test_json_export_lists_every_value(app: AppContext) -> None:
    import_file(app, FIXTURES / "suzhou_simulated.csv")
    with app.uow() as w:
        text = obs.export(w, fmt="json").text
    assert text is not None
    rows = json.loads(text)
    assert len(rows) == 12 and rows[0]["region"] == "320500"
    assert {r["unit"] for r in rows if r["indicator"] == "TEC10"} == {"亿元"}


def test_unreadable_files_are_user_errors(app: AppContext, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="header"):
        import_file(app, write(tmp_path, "x.csv", "a,b,c\n1,2,3\n"))
    with pytest.raises(UserInputError, match="unsupported"):
        import_file(app, write(tmp_path, "x.pdf", "%PDF"))
    with pytest.raises(UserInputError, match="missing column"):
        import_file(app, write(tmp_path, "y.csv", "地区,指标,数值\n苏州市,TEC06,5\n"))


def test_cli_import_reports_each_bad_row_and_exits_2(
    run_cli: Callable[..., tuple[int, str, str]], tmp_path: Path
) -> None:
    code, out, err = run_cli("data", "import", bad_file(tmp_path))
    assert code == 2
    lines = err.strip().splitlines()
    assert sum("第" in ln and "行" in ln for ln in lines) == len([x for _, x in BAD_ROWS if x])
    assert "Traceback" not in err and "nothing was stored" in lines[-1]
    code, out, err = run_cli("data", "import", FIXTURES / "suzhou_simulated.csv")
    assert code == 0 and "12 stored" in out
    code, out, _ = run_cli("data", "export", "--format", "csv")
    assert code == 0 and out.count("\n") == 13


def test_indicator_names_as_departments_write_them_are_matched(app: AppContext, tmp_path: Path) -> None:
    body = (
        HEADER
        + "苏州市,R&D经费支出占GDP比重,2015,2.68,%,final,\n苏州市,高新技术企业数量,2015,2870,家,final,\n"
    )
    import_file(app, write(tmp_path, "names.csv", body))
    assert sorted(o.indicator for o in observations(app)) == ["TEC01", "TEC06"]


def test_an_intensity_that_cannot_exceed_its_whole_is_rejected(app: AppContext, tmp_path: Path) -> None:
    # R&D spending is a part of GDP: 150 % is a typing error, though the indicator's kind is "intensity"
    csv = tmp_path / "rd.csv"
    csv.write_text(
        "region,indicator,period,value,unit\n西宁市,TEC01,2015,1.5,%\n西宁市,TEC01,2016,150,%\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as err:
        import_file(app, csv)
    assert {(p.row, p.field) for p in err.value.problems} == {(3, "value")}
    assert any("above what the indicator can be" in p.reason for p in err.value.problems)


STORED_SHAPES = {
    # every row alike in unit, vintage, date and note (a note with a quote): written into the statement
    "constant": (
        "region,indicator,period,value,unit,vintage,known_on,note\n"
        "苏州市,TEC10,2011,510,亿元,final,2016-03-01,it's 模拟\n"
        "苏州市,TEC10,2012,562,亿元,final,2016-03-01,it's 模拟\n",
        [
            ("2011", 510.0, "亿元", 510.0, "亿元", "final", "2016-03-01", "it's 模拟"),
            ("2012", 562.0, "亿元", 562.0, "亿元", "final", "2016-03-01", "it's 模拟"),
        ],
    ),
    # one row converted, one with a note, vintages and dates differ: each value bound per row
    "varied": (
        "region,indicator,period,value,unit,vintage,known_on,note\n"
        "苏州市,TEC10,2011,5100000,万元,final,2016-03-01,\n"
        "苏州市,TEC10,2012,562,亿元,preliminary,2016-04-01,年报(模拟)\n"
        "苏州市,TEC10,2013,618.5,亿元,final,,\n",
        [
            ("2011", 510.0, "亿元", 5_100_000.0, "万元", "final", "2016-03-01", None),
            ("2012", 562.0, "亿元", 562.0, "亿元", "preliminary", "2016-04-01", "年报(模拟)"),
            ("2013", 618.5, "亿元", 618.5, "亿元", "final", "2020-06-30", None),
        ],
    ),
}


@pytest.mark.parametrize("shape", sorted(STORED_SHAPES))
def test_stored_rows_are_the_file_whichever_columns_are_alike(
    app: AppContext, tmp_path: Path, shape: str
) -> None:
    # the SQLite load writes a column alike in every row into the statement and binds the others once
    text, expected = STORED_SHAPES[shape]
    from datetime import date

    with app.uow() as w:
        r = obs.import_file(w, path=write(tmp_path, f"{shape}.csv", text), today=date(2020, 6, 30))
    assert r.stored == len(expected)
    got = [
        (o.period, o.value, o.unit, o.original_value, o.original_unit, o.vintage, str(o.known_on), o.note)
        for o in observations(app, region="320500", indicator="TEC10")
    ]
    assert got == expected
