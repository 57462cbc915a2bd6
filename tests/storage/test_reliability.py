"""Reliability, tested rather than promised: two writers on one value, an import killed with SIGKILL in
the middle of its write, and rejected inputs that must leave the database exactly as it was.
Every data file here is SIMULATED."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from innocity.app import AppContext
from innocity.errors import ConflictError, InnocityError
from innocity.services import observations as obs_service
from innocity.services.backup import restore
from innocity.services.context import Actor
from innocity.settings import Settings
from innocity.storage import audit
from innocity.storage import observations as obs_repo
from innocity.storage.tables import ImportRow, ObservationRow

HEADER = "region,indicator,period,value,unit,vintage,note\n"


def write_simulated_csv(path: Path, *, rows: int, seed: int = 7, years: int = 15) -> int:
    """A CSV of ``rows`` SIMULATED values: cities × catalogue indicators × years, smooth ~3 % growth, all
    valid (shares stay far under 100 %). Returns the number of rows written."""
    import csv

    import numpy as np

    from innocity.app import division_rows
    from innocity.catalog.loader import load_catalog

    rng = np.random.default_rng(seed)
    cities = [r["adcode"] for r in division_rows() if r["level"] == "city"]
    indicators = [(i.code, i.unit) for i in load_catalog().indicators]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "indicator", "period", "value", "unit", "vintage", "note"])
        for adcode in cities:
            for code, unit in indicators:
                base, growth = rng.uniform(5, 40), 1 + rng.uniform(0.0, 0.06)
                for t in range(years):
                    if written >= rows:
                        return written
                    w.writerow([adcode, code, 2006 + t, f"{base * growth**t:.4f}", unit, "final", ""])
                    written += 1
    return written


def one_value(app: AppContext, tmp_path: Path) -> int:
    p = tmp_path / "one.csv"
    p.write_text(HEADER + "苏州市,TEC06,2015,2870,家,final,模拟\n", encoding="utf-8")
    with app.uow() as w:
        obs_service.import_file(w, path=p)
        oid = w.session.scalar(select(ObservationRow.id))
    assert oid is not None
    return oid


def test_two_writers_the_second_gets_a_conflict_not_a_silent_overwrite(
    app: AppContext, tmp_path: Path
) -> None:
    oid = one_value(app, tmp_path)
    first, second = Actor.system("甲"), Actor.system("乙")  # two sessions, two connections
    with pytest.raises(ConflictError):
        with app.uow(second) as w2:
            mine = obs_repo.get(w2.session, oid)
            assert mine is not None and mine.version == 1
            with app.uow(first) as w1:  # the other writer saves first
                theirs = obs_repo.get(w1.session, oid)
                assert theirs is not None
                obs_repo.update_value(w1.session, theirs, value=2900.0, by="甲")
            obs_repo.update_value(w2.session, mine, value=3000.0, by="乙")
    with app.db.sessions() as s:
        row = obs_repo.get(s, oid)
        assert row is not None and (row.value, row.version, row.updated_by) == (2900.0, 2, "甲")
        assert [(e.actor, e.after) for e in audit.history(s, "observations", oid)] == [("甲", "2900.0")]


def test_a_stale_version_from_the_user_is_a_conflict(app: AppContext, tmp_path: Path) -> None:
    oid = one_value(app, tmp_path)
    with app.uow() as w:
        seen = obs_service.get_observation(w, obs_id=oid).version
    with app.uow() as w:
        changed = obs_service.update_value(w, obs_id=oid, value=2880.0, version=seen)
    assert changed.version == seen + 1
    with pytest.raises(ConflictError) as err, app.uow() as w:
        obs_service.update_value(w, obs_id=oid, value=2890.0, version=seen)
    assert err.value.exit_code == 3
    with pytest.raises(ConflictError), app.uow() as w:  # approving what one did not see changes nothing
        obs_service.approve(w, obs_id=oid, version=seen)
    with app.uow() as w:
        assert obs_service.get_observation(w, obs_id=oid).status == "draft"
    with app.uow() as w:
        approved = obs_service.approve(w, obs_id=oid, version=changed.version)
    assert approved.status == "approved" and approved.version == changed.version + 1
    with pytest.raises(InnocityError), app.uow() as w:
        obs_service.set_status(w, obs_id=oid, to="rejected", comment="x")  # approved → rejected skips the workflow


def _counts(app: AppContext) -> tuple[int, int]:
    with app.db.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(ObservationRow)) or 0,
            s.scalar(select(func.count()).select_from(ImportRow)) or 0,
        )


def _writing(settings: Settings) -> bool:
    """True while another connection holds the write transaction of the import."""
    if settings.database_url.startswith("sqlite"):
        con = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"), timeout=0)
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            con.close()
    from innocity.storage.db import make_engine

    eng = make_engine(settings.database_url)
    try:
        with eng.connect() as conn:
            n = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND (query LIKE 'INSERT INTO observations%' OR query LIKE 'COPY observations%')"
                )
            )
        return bool(n)
    finally:
        eng.dispose()


IMPORT_PROCESS = """
import sys
from pathlib import Path
from innocity.app import AppContext
from innocity.services.observations import import_file
from innocity.settings import Settings
app = AppContext(Settings.from_env())
with app.uow() as w:
    import_file(w, path=Path(sys.argv[1]))
"""


def test_an_import_killed_half_way_leaves_nothing_and_can_be_run_again(
    settings: Settings, app: AppContext, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    n = write_simulated_csv(big, rows=60_000)
    env = dict(os.environ, INNOCITY_DATABASE_URL=settings.database_url, INNOCITY_DATA_DIR=str(tmp_path))
    # the import as a process of its own (what ``innocity data import`` runs), killed while it writes
    proc = subprocess.Popen(
        [sys.executable, "-c", IMPORT_PROCESS, str(big)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    try:
        while not _writing(settings):
            assert proc.poll() is None, (
                f"the import ended before it was killed: {proc.stderr.read() if proc.stderr else ''}"
            )
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.01)
        time.sleep(0.05)  # well inside the write, which takes far longer than this
        assert proc.poll() is None
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    app.dispose()
    if settings.database_url.startswith("sqlite"):
        con = sqlite3.connect(settings.database_url.removeprefix("sqlite:///"))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
    assert _counts(app) == (0, 0)  # no partial import
    with app.uow() as w:
        report = obs_service.import_file(w, path=big)
    assert report.stored == n
    assert _counts(app) == (n, 1)


def _fingerprint(app: AppContext) -> object:
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(app.db.sqlite_path or "").read_bytes()).hexdigest()
    with app.db.sessions() as s:
        rows = s.execute(select(ObservationRow).order_by(ObservationRow.id)).scalars().all()
        return [(r.id, r.value, r.version, r.status, r.note) for r in rows], _counts(app)


BAD_INPUTS = {
    "bad rows": ("bad.csv", HEADER + "苏州市,TEC06,2016,3100,家,final,\n火星市,TEC06,2016,1,家,final,\n"),
    "no header": ("nohead.csv", "1,2,3\n4,5,6\n"),
    "missing column": ("nocol.csv", "地区,指标,数值\n苏州市,TEC06,5\n"),
    "binary junk": ("junk.xlsx", "PK\x03\x04 not really a workbook"),
    "contradiction": ("contra.csv", HEADER + "苏州市,TEC06,2015,9999,家,final,\n"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_every_rejected_input_leaves_the_database_as_it_was(
    app: AppContext, tmp_path: Path, case: str
) -> None:
    one_value(app, tmp_path)
    before = _fingerprint(app)
    name, body = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InnocityError) as err, app.uow() as w:
        obs_service.import_file(w, path=path)
    assert err.value.exit_code == 2
    assert _fingerprint(app) == before


def test_a_rejected_restore_and_a_conflict_leave_the_database_as_it_was(
    app: AppContext, tmp_path: Path
) -> None:
    oid = one_value(app, tmp_path)
    before = _fingerprint(app)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)  # looks like SQLite, is not
    with pytest.raises(InnocityError):
        restore(app.db, path=junk)
    with pytest.raises(ConflictError), app.uow() as w:
        obs_service.update_value(w, obs_id=oid, value=1.0, version=99)
    assert _fingerprint(app) == before


def test_the_natural_key_stops_a_racing_second_load_and_keeps_the_first(app: AppContext) -> None:
    """Two imports validated at the same moment both think the values are new; the unique key lets
    only the first in, and the second leaves nothing behind (not even its imports row)."""
    from sqlalchemy.exc import IntegrityError

    from innocity.storage.regions import get_by_adcode

    with app.db.sessions() as s:
        reg = get_by_adcode(s, "320500")
        assert reg is not None
        rid = reg.id
    columns = [[rid], ["TEC06"], ["2015"], ["year"], [2015], [0], [2870.0], ["家"], [2870.0], ["家"], ["final"],
               ["2016-03-01"], [None], [None]]  # fmt: skip
    kw = {"name": "a.csv", "sha256": "0" * 64, "total": 1, "rejected": 0, "status": "draft", "by": "甲"}
    obs_repo.load_import(app.db.engine, columns, **kw)  # type: ignore[arg-type]
    with pytest.raises(IntegrityError):
        obs_repo.load_import(app.db.engine, columns, **kw)  # type: ignore[arg-type]
    assert _counts(app) == (1, 1)


def test_a_racing_load_that_collides_in_a_later_statement_leaves_nothing(app: AppContext) -> None:
    """SQLite loads a thousand rows per statement: a collision in the third statement of the second load
    undoes its first two as well, and the first load's 2,500 rows stay exactly as they were."""
    from sqlalchemy.exc import IntegrityError

    from innocity.storage.regions import get_by_adcode

    with app.db.sessions() as s:
        reg = get_by_adcode(s, "320500")
        assert reg is not None
        rid = reg.id

    def columns(years: list[int], value: float) -> list[list[object]]:
        n = len(years)
        return [[rid] * n, ["TEC06"] * n, [str(y) for y in years], ["year"] * n, years, [0] * n,
                [value + y for y in years], ["家"] * n, [value + y for y in years], ["家"] * n,
                ["final"] * n, ["2016-03-01"] * n, [None] * n, [None] * n]  # fmt: skip

    kw = {"name": "a.csv", "sha256": "0" * 64, "total": 2500, "rejected": 0, "status": "draft", "by": "甲"}
    first = list(range(1000, 3500))
    obs_repo.load_import(app.db.engine, columns(first, 0.5), **kw)  # type: ignore[arg-type]
    second = list(range(5000, 7500))
    second[2200] = 3400  # stored by the first load
    with pytest.raises(IntegrityError):
        obs_repo.load_import(app.db.engine, columns(second, 9.5), **kw)  # type: ignore[arg-type]
    assert _counts(app) == (2500, 1)
    with app.db.sessions() as s:
        stored = s.execute(select(ObservationRow.period_year, ObservationRow.value)).all()
    assert sorted(stored) == [(y, y + 0.5) for y in first]
