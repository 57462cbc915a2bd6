"""Backup and restore round trips on SQLite (backup API) and PostgreSQL (pg_dump), and the portable JSON
dump across both. Observation values are SIMULATED."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from innocity.errors import UserInputError
from innocity.services.backup import backup, restore
from innocity.services.observations import import_file, observations
from innocity.services.store import Store, open_store
from innocity.settings import Settings
from innocity.storage.tables import AuditEntry, Document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def content(settings: Settings) -> tuple[object, ...]:
    st = open_store(settings)
    obs = [o.to_dict() for o in observations(st)]
    with st.session() as s:
        docs = [(d.sha256, d.content) for d in s.scalars(select(Document))]
        trail = [
            (a.action, a.entity, a.entity_id) for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    st.dispose()
    return obs, docs, trail


def seed(settings: Settings, store: Store) -> None:
    import_file(settings, FIXTURES / "suzhou_simulated.csv", store=store)
    from innocity.services.ingest import ingest_document

    from .test_plans import TEXT, make_doc

    ingest_document(store, data=TEXT.encode(), name="wuxi.txt", doc=make_doc())


@pytest.mark.parametrize("suffix", [".bak", ".json"])
def test_backup_then_restore_brings_back_exactly_what_was_there(
    settings: Settings, store: Store, tmp_path: Path, suffix: str
) -> None:
    seed(settings, store)
    before = content(settings)
    target = tmp_path / f"backup{suffix}"
    r = backup(settings, target)
    assert r.method == ("json" if suffix == ".json" else "sqlite-backup" if store.is_sqlite else "pg_dump")
    assert not target.with_name(target.name + ".part").exists()
    # change things after the backup, then restore
    import_file(settings, _extra(tmp_path), store=store)
    assert content(settings) != before
    store.dispose()
    restore(settings, target)
    assert content(settings) == before


def _extra(tmp_path: Path) -> Path:
    p = tmp_path / "extra.csv"
    p.write_text("region,indicator,period,value,unit\n无锡市,TEC06,2015,1800,家\n", encoding="utf-8")
    return p


def test_json_dump_moves_a_database_into_a_new_empty_one(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    seed(settings, store)
    before = content(settings)
    target = tmp_path / "portable.json"
    backup(settings, target)
    fresh = Settings(
        database_url=f"sqlite:///{tmp_path / 'elsewhere' / 'new.sqlite3'}", data_dir=tmp_path, user="t"
    )
    restore(fresh, target)
    assert content(fresh) == before


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    seed(settings, store)
    before = content(settings)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"\x00\x01 not a backup")
    with pytest.raises(UserInputError):
        restore(settings, junk)
    fake = tmp_path / "fake.json"
    fake.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(UserInputError):
        restore(settings, fake)
    assert content(settings) == before


def test_cli_backup_and_restore(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli("data", "import", FIXTURES / "suzhou_simulated.csv")
    assert code == 0, err
    code, out, err = run_cli("backup", tmp_path / "b.bak")
    assert code == 0 and "bytes" in out, err
    code, out, err = run_cli("restore", tmp_path / "b.bak")
    assert code == 0 and "restored" in out, err
    code, out, err = run_cli("restore", tmp_path / "missing.bak")
    assert code == 2 and "no such file" in err


def test_without_pg_dump_postgresql_falls_back_to_the_portable_dump(
    settings: Settings, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if store.is_sqlite:
        pytest.skip("SQLite always has its backup API")
    seed(settings, store)
    before = content(settings)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))  # a machine without the client tools
    target = tmp_path / "team.backup"
    assert backup(settings, target).method == "json"
    import_file(settings, _extra(tmp_path), store=store)
    store.dispose()
    assert restore(settings, target) == "json"
    assert content(settings) == before
