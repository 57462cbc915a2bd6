"""``innocity demo`` end to end: the real sample page through the real parser, the bundled real figures,
demo resolutions, progress, scorecards and 督办 — and the SIMULATED scenario kept apart and labelled."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from innocity.cli import main
from innocity.cli.demo import run_demo
from innocity.services import demo


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoReport:
    steps: list[str] = []
    rep = run_demo(tmp_path_factory.mktemp("demo"), on_step=steps.append)
    assert steps[0].startswith("parse") and steps[-1] == "done"
    return rep


def test_real_scenario_never_invents_progress(report: demo.DemoReport) -> None:
    regions = {p.region for p in report.plans}
    assert {"西宁市", "济南市"} <= regions
    assert report.imported["stored"] == 34
    rows = report.real.progress
    assert rows and all(r.status in {"no_data", "needs_input", "achieved", "on_track", "behind",
                                     "off_track", "overdue"} for r in rows)
    # a status other than no_data/needs_input needs a real figure behind it
    for r in rows:
        if r.status not in {"no_data", "needs_input"}:
            assert r.actual.value is not None
    with sqlite3.connect(report.real.db_path) as con:
        notes = [n for (n,) in con.execute("select note from observations")]
        who = {a for (a,) in con.execute("select actor from audit_log where entity = 'targets'")}
    assert len(notes) == 34 and not any("SIMULATED" in (n or "") for n in notes)
    with sqlite3.connect(report.real.db_path) as con:
        known = dict(con.execute(
            "select r.name || ' ' || o.indicator_code || ' ' || o.period || ' ' || o.vintage, o.known_on "
            "from observations o join regions r on r.id = o.region_id"))
    # a date the source states is kept; a figure is never dated before the end of its own period
    assert known["湘潭市 DRV08 2015 revised"] == "2021-03-04"
    assert all(k.split()[2] < v[:4] for k, v in known.items())
    assert who == {"demo"}  # every resolution is recorded as the demo user's
    # the plans' own figures serve as baselines where they name the same indicator (西宁: 高新技术企业40家);
    # which ones depends on the parser and the catalogue, so only their presence and origin are checked
    from_plan = [r for r in rows if r.baseline.source == "plan"]
    assert from_plan and all(r.baseline.year == demo.BASELINE_YEAR for r in from_plan)


def test_simulated_scenario_is_labelled_and_exercises_the_loop(report: demo.DemoReport) -> None:
    sim = report.simulated
    assert sim is not None and report.simulated_file
    assert "SIMULATED" in Path(report.simulated_file).name and "SIMULATED" in Path(sim.db_path).name
    with open(report.simulated_file, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all("SIMULATED" in r["simulated"] and "SIMULATED" in r["note"] for r in rows)
    seen = {k for k, v in sim.counts.model_dump().items() if v}
    assert {"achieved", "on_track", "behind", "off_track"} <= seen
    assert any(i.reason == "target_off_track" for i in sim.items)
    assert any(i.reason == "task_late" for i in sim.items)
    w = sim.walkthrough
    assert w is not None and w.status == "closed" and w.extensions == 1
    assert [e.action for e in w.events or []] == ["raise", "respond", "extend", "close"]
    with sqlite3.connect(sim.db_path) as con:
        assert con.execute("select value from meta where key = 'dataset_label'").fetchone() == ("SIMULATED",)
    with sqlite3.connect(report.real.db_path) as con:
        assert con.execute("select count(*) from meta").fetchone() == (0,)


def test_cli_demo_prints_progress_and_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", str(tmp_path / "d.sqlite3"), "--real-only", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "目标进度" in out and "部门记分卡" in out and "demo assumptions" in out
    assert "SIMULATED" not in out


def test_demo_accounts_one_per_role_with_fresh_passwords(report: demo.DemoReport) -> None:
    """The main job prints one account per role; passwords are generated each time, never fixed."""
    from innocity.cli.demo import DEMO_ACCOUNTS, demo_accounts

    db = Path(report.real.db_path)
    first = demo_accounts(db)
    again = demo_accounts(db)  # re-running the demo on the same database resets them
    assert [a[2] for a in first] == ["admin", "coordinator", "department", "leader", "evaluator"]
    assert [a[0] for a in first] == [a[0] for a in DEMO_ACCOUNTS]
    assert all(len(a[1]) >= 12 for a in first)
    assert all(x[1] != y[1] for x, y in zip(first, again, strict=True))
    with sqlite3.connect(db) as con:
        hashes = [h for (h,) in con.execute("select password_hash from users")]
    assert len(hashes) == 5 and all(h.startswith("$argon2") for h in hashes)
    assert not any(a[1] in h for a in again for h in hashes)
