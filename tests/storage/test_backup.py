"""Backup and restore round trips on SQLite (backup API) and PostgreSQL (pg_dump), the portable JSON dump
across both, and restores that must be refused whole before they touch anything. Observation values are
SIMULATED."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from innocity.app import AppContext
from innocity.errors import UserInputError
from innocity.services import observations as obs
from innocity.services.backup import backup, restore
from innocity.settings import Settings
from innocity.storage.tables import AuditEntry, Document

from .test_import import cli_runner

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
PLAN_TEXT = "无锡市创新型城市建设实施方案（模拟）\n一、主要目标\n到2015年，全社会研发经费支出占地区生产总值比重达到2.8%。\n"


def content(app: AppContext) -> tuple[object, ...]:
    with app.uow() as w:
        values = [o.model_dump() for o in obs.list_observations(w)]
        docs = [(d.sha256, d.content) for d in w.session.scalars(select(Document))]
        trail = [
            (a.action, a.entity, a.entity_id)
            for a in w.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    return values, docs, trail


def fingerprint(app: AppContext) -> object:
    """SQLite: the file's bytes; PostgreSQL: the content."""
    if app.db.is_sqlite:
        with app.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return hashlib.sha256(Path(app.db.sqlite_path or "").read_bytes()).hexdigest()
    return content(app)


def seed(app: AppContext) -> None:
    from innocity.services.ingest import ingest_bytes

    with app.uow() as w:
        obs.import_file(w, path=FIXTURES / "suzhou_simulated.csv")
    with app.uow() as w:
        ingest_bytes(w, data=PLAN_TEXT.encode(), name="wuxi.txt")


def _extra(tmp_path: Path) -> Path:
    p = tmp_path / "extra.csv"
    p.write_text("region,indicator,period,value,unit\n无锡市,TEC06,2015,1800,家\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("suffix", [".bak", ".json"])
def test_backup_then_restore_brings_back_exactly_what_was_there(
    app: AppContext, tmp_path: Path, suffix: str
) -> None:
    seed(app)
    before = content(app)
    target = tmp_path / f"backup{suffix}"
    r = backup(app.db, path=target)
    assert r.method == ("json" if suffix == ".json" else "sqlite-backup" if app.db.is_sqlite else "pg_dump")
    assert r.size == target.stat().st_size and not list(tmp_path.glob(".*.part"))
    with app.uow() as w:  # change things after the backup, then restore
        obs.import_file(w, path=_extra(tmp_path))
    assert content(app) != before
    done = restore(app.db, path=target)
    assert done.method == {".bak": "sqlite" if app.db.is_sqlite else "pg_dump", ".json": "json"}[suffix]
    assert content(app) == before


def test_json_dump_moves_a_database_into_a_new_empty_one(app: AppContext, tmp_path: Path) -> None:
    seed(app)
    before = content(app)
    target = tmp_path / "portable.json"
    backup(app.db, path=target)
    (tmp_path / "elsewhere").mkdir()
    fresh = AppContext(
        Settings(
            database_url=f"sqlite:///{tmp_path / 'elsewhere' / 'new.sqlite3'}", data_dir=tmp_path, user="t"
        )
    )
    try:
        restore(fresh.db, path=target)
        assert content(fresh) == before
    finally:
        fresh.dispose()


def _dump(app: AppContext, tmp_path: Path) -> dict[str, object]:
    target = tmp_path / "good.json"
    backup(app.db, path=target)
    return json.loads(target.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _broken_dumps(doc: dict[str, object]) -> dict[str, object]:
    tables: dict[str, dict[str, list[object]]] = doc["tables"]  # type: ignore[assignment]
    out: dict[str, object] = {}
    d = json.loads(json.dumps(doc))
    d["tables"]["documents"]["rows"][0][d["tables"]["documents"]["columns"].index("content")] = {
        "$b64": "@@not base64@@"
    }
    out["bad base64"] = d
    d = json.loads(json.dumps(doc))
    cols = d["tables"]["observations"]["columns"]
    d["tables"]["observations"]["rows"][0][cols.index("region_id")] = 99_999_999
    out["foreign key to no region"] = d
    d = json.loads(json.dumps(doc))
    d["tables"]["regions"]["rows"] = []
    d["tables"]["observations"]["rows"] = []
    out["no regions"] = d
    out["only a revision"] = {"format": doc["format"], "revisions": doc["revisions"], "tables": {}}
    d = json.loads(json.dumps(doc))
    d["tables"]["observations"]["rows"][0][cols.index("value")] = "a lot"
    out["text for a number"] = d
    d = json.loads(json.dumps(doc))
    d["tables"]["observations"]["rows"][0] = d["tables"]["observations"]["rows"][0][:-1]
    out["short row"] = d
    assert tables  # the original is untouched
    return out


@pytest.mark.parametrize(
    "case",
    [
        "bad base64",
        "foreign key to no region",
        "no regions",
        "only a revision",
        "text for a number",
        "short row",
    ],
)
def test_a_broken_json_dump_is_refused_before_anything_changes(
    app: AppContext, tmp_path: Path, case: str
) -> None:
    seed(app)
    doc = _broken_dumps(_dump(app, tmp_path))[case]
    with app.uow() as w:
        obs.import_file(w, path=_extra(tmp_path))  # the database now differs from the dump
    before = fingerprint(app)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(UserInputError) as err:
        restore(app.db, path=bad)
    assert err.value.source == str(bad) and "\n" not in err.value.one_line()
    assert fingerprint(app) == before


def _sqlite_backup(app: AppContext, tmp_path: Path) -> Path:
    if not app.db.is_sqlite:
        pytest.skip("SQLite files restore into SQLite")
    target = tmp_path / "b.sqlite3"
    backup(app.db, path=target)
    return target


def _crafted(src: Path, dst: Path, sql: str) -> Path:
    dst.write_bytes(src.read_bytes())
    con = sqlite3.connect(dst)
    con.executescript(sql)
    con.commit()
    con.close()
    return dst


CRAFTED = {
    # a trigger that would wipe every value once someone approves one
    "trigger": "CREATE TRIGGER wipe AFTER UPDATE ON observations BEGIN DELETE FROM observations; END;",
    "view": "CREATE VIEW everything AS SELECT * FROM observations;",
    "extra table": "CREATE TABLE notes_of_someone_else (x);",
    "missing table": "DROP TABLE audit_log;",
    "no regions": "PRAGMA foreign_keys=OFF; DELETE FROM regions;",
}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_sqlite_file_is_refused_and_the_database_is_untouched(
    app: AppContext, tmp_path: Path, case: str
) -> None:
    seed(app)
    good = _sqlite_backup(app, tmp_path)
    bad = _crafted(good, tmp_path / "crafted.sqlite3", CRAFTED[case])
    before = fingerprint(app)
    with pytest.raises(UserInputError) as err:
        restore(app.db, path=bad)
    assert err.value.source == str(bad)
    assert fingerprint(app) == before


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)", "not an innocity database"),
        (
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
            "INSERT INTO alembic_version VALUES ('0002_tracking')",
            "not innocity's",
        ),
        (
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);"
            "INSERT INTO alembic_version VALUES ('9999_from_the_future')",
            "does not know",
        ),
    ],
    ids=["another application", "only a revision", "unknown revision"],
)
def test_a_sqlite_file_of_another_kind_is_refused(
    app: AppContext, tmp_path: Path, sql: str, reason: str
) -> None:
    seed(app)
    if not app.db.is_sqlite:
        pytest.skip("SQLite files restore into SQLite")
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.executescript(sql)
    con.commit()
    con.close()
    before = fingerprint(app)
    with pytest.raises(UserInputError, match=reason):
        restore(app.db, path=other)
    assert fingerprint(app) == before


def test_files_that_are_not_backups_are_refused(app: AppContext, tmp_path: Path) -> None:
    seed(app)
    before = fingerprint(app)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"\x00\x01 not a backup")
    fake = tmp_path / "fake.json"
    fake.write_text('{"format": "something else"}', encoding="utf-8")
    looks = tmp_path / "looks.bak"
    looks.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    for path in (junk, fake, looks, tmp_path / "missing.bak", tmp_path):
        with pytest.raises(UserInputError):
            restore(app.db, path=path)
    assert fingerprint(app) == before


@pytest.mark.parametrize("where", ["directory", "missing directory", "device", "proc"])
def test_backup_to_a_path_that_cannot_take_it_is_one_line_and_replaces_nothing(
    app: AppContext, tmp_path: Path, where: str
) -> None:
    path = {
        "directory": tmp_path,
        "missing directory": tmp_path / "no" / "such" / "b.bak",
        "device": Path("/dev/null"),
        "proc": Path("/proc/innocity-backup.bak"),
    }[where]
    node = os.stat("/dev/null")
    with pytest.raises(UserInputError) as err:
        backup(app.db, path=path)
    assert err.value.source == str(path)
    assert os.stat("/dev/null").st_rdev == node.st_rdev and Path("/dev/null").is_char_device()


def test_backup_onto_an_older_backup_replaces_it_whole(app: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "nightly.json"
    target.write_text("yesterday", encoding="utf-8")
    backup(app.db, path=target)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "innocity.dump/1"


def test_cli_backup_and_restore(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run: Callable[..., tuple[int, str, str]] = cli_runner(settings, monkeypatch, capsys)
    code, out, err = run("data", "import", FIXTURES / "suzhou_simulated.csv")
    assert code == 0, err
    code, out, err = run("backup", tmp_path / "b.bak")
    assert code == 0 and "bytes" in out, err
    code, out, err = run("restore", tmp_path / "b.bak")
    assert code == 0 and "restored" in out, err
    code, out, err = run("restore", tmp_path / "missing.bak")
    assert code == 2 and "no such file" in err and len(err.strip().splitlines()) == 1
    code, out, err = run("backup", tmp_path)
    assert code == 2 and "directory" in err and "Traceback" not in err


def test_without_pg_dump_postgresql_falls_back_to_the_portable_dump(
    app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if app.db.is_sqlite:
        pytest.skip("SQLite always has its backup API")
    seed(app)
    before = content(app)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # a machine without the client tools
    target = tmp_path / "team.backup"
    assert backup(app.db, path=target).method == "json"
    with app.uow() as w:
        obs.import_file(w, path=_extra(tmp_path))
    assert restore(app.db, path=target).method == "json"
    assert content(app) == before
