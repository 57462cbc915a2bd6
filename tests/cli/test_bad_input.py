"""Every command of ``innocity`` refuses bad input the same way: one line on stderr naming the argument,
file or field, a non-zero exit status, never a traceback — and nothing in the database changes.

One table, a few bad inputs per command: ids out of the database's range, impossible years, unknown formats,
missing or unreadable files, non-finite numbers, markup in user text, empty names.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

BIG = "99999999999999999999"
OVER_32 = "2147483648"

CASES: list[tuple[str, list[str], int, str]] = [
    # (label, argv, expected exit status, a word the error line must contain)
    ("parse missing file", ["parse", "{tmp}/missing.txt"], 2, "missing.txt"),
    ("parse bad format", ["parse", "{sample}", "--format", "bogus"], 2, "bogus"),
    ("parse no plan", ["parse", "{tmp}/letter.txt"], 1, "letter.txt"),
    ("parse output is a directory", ["parse", "{sample}", "-o", "{tmp}"], 2, "{tmp}"),
    ("eval missing gold", ["eval", "{sample}", "--gold", "{tmp}/nope.json"], 2, "nope.json"),
    ("ingest missing", ["ingest", "{tmp}/missing.txt"], 2, "missing.txt"),
    ("ingest fifo", ["ingest", "{tmp}/fifo"], 2, "fifo"),
    ("backup to a directory that does not exist", ["backup", "{tmp}/no/such/dir/b.sqlite3"], 2, "b.sqlite3"),
    ("restore missing", ["restore", "{tmp}/missing.sqlite3"], 2, "missing.sqlite3"),
    ("progress year", ["progress", "--year", "99999"], 2, "--year"),
    ("progress negative year", ["progress", "--year", "-5"], 2, "--year"),
    ("progress plan id", ["progress", "--plan", BIG], 2, "--plan"),
    ("progress format", ["progress", "--format", "bogus"], 2, "bogus"),
    ("progress status", ["progress", "--status", "late"], 2, "--status"),
    ("progress as-of", ["progress", "--as-of", "2018-02-30"], 2, "--as-of"),
    ("scorecard region", ["scorecard", "--region", "亚特兰蒂斯"], 2, "--region"),
    ("scorecard today", ["scorecard", "--today", "yesterday"], 2, "--today"),
    ("serve port", ["serve", "--port", "70000"], 2, "--port"),
    ("demo serve-db", ["demo", "--serve-db", "both", "--no-serve"], 2, "--serve-db"),
    ("catalog show unknown", ["catalog", "show", "NOPE99"], 2, "NOPE99"),
    ("catalog match empty", ["catalog", "match", " "], 2, "PHRASE"),
    ("catalog match kind", ["catalog", "match", "专利", "--kind", "x"], 2, "--kind"),
    ("catalog add missing", ["catalog", "add", "{tmp}/none.yaml"], 2, "none.yaml"),
    ("regions level", ["regions", "list", "--level", "village"], 2, "--level"),
    ("plans show huge id", ["plans", "show", BIG], 2, "plan_id"),
    ("plans show 32-bit overflow", ["plans", "show", OVER_32], 2, "plan_id"),
    ("plans show zero", ["plans", "show", "0"], 2, "plan_id"),
    ("plans show not found", ["plans", "show", "7"], 2, "no plan"),
    ("data import missing", ["data", "import", "{tmp}/v.csv"], 2, "v.csv"),
    ("data import infinity", ["data", "import", "{tmp}/inf.csv"], 2, "inf.csv"),
    ("data import rejects onto input", ["data", "import", "{tmp}/inf.csv", "--valid-only", "--rejects",
                                        "{tmp}/inf.csv"], 2, "rejects"),
    ("data export format", ["data", "export", "--format", "xml"], 2, "xml"),
    ("data review huge id", ["data", "review", OVER_32, "--to", "approved"], 2, "obs_id"),
    ("data extract missing", ["data", "extract", "{tmp}/none.txt"], 2, "none.txt"),
    ("targets set huge id", ["targets", "set", BIG, "--year", "2015"], 2, "target_id"),
    ("targets set nothing", ["targets", "set", "1"], 2, "nothing to set"),
    ("targets set infinite baseline", ["targets", "set", "1", "--baseline-year", "2010", "--baseline-value",
                                       "inf"], 2, "--baseline-value"),
    ("targets set year", ["targets", "set", "1", "--year", "3015"], 2, "--year"),
    ("tasks set nothing", ["tasks", "set", "1"], 2, "nothing to set"),
    ("tasks set huge id", ["tasks", "set", OVER_32, "--status", "进行中"], 2, "task_id"),
    ("tasks milestone date", ["tasks", "milestone", "1", "--name", "x", "--due", "31/12/2016"], 2, "--due"),
    ("tasks milestone-done id", ["tasks", "milestone-done", BIG, "--on", "2016-01-01"], 2, "milestone_id"),
    ("supervise show huge id", ["supervise", "show", OVER_32], 2, "item_id"),
    ("supervise show missing", ["supervise", "show", "5"], 2, "no supervision item"),
    ("supervise sync today", ["supervise", "sync", "--today", "2016-13-01"], 2, "--today"),
    ("supervise raise both", ["supervise", "raise", "--text", "x"], 2, "target"),
    ("supervise respond missing", ["supervise", "respond", "5", "--text", "x"], 2, "no supervision item"),
    ("supervise extend date", ["supervise", "extend", "5", "--text", "x", "--until", "soon"], 2, "--until"),
    ("supervise close id", ["supervise", "close", BIG, "--text", "x"], 2, "item_id"),
    ("supervise escalate missing", ["supervise", "escalate", "5"], 2, "no supervision item"),
    ("index run both sources", ["index", "run"], 2, "--from-db"),
    ("index run huge uncertainty", ["index", "run", "--from-db", "--uncertainty", "10000000"], 2, "uncertainty"),
    ("index run yaml missing", ["index", "run", "-f", "{tmp}/f.yaml", "--from-db"], 2, "f.yaml"),
    ("report annual region", ["report", "annual", "--region", "亚特兰蒂斯", "--year", "2014", "-o",
                              "{tmp}/r.docx"], 2, "--region"),
    ("report annual year", ["report", "annual", "--region", "湘潭市", "--year", "1", "-o", "{tmp}/r.docx"], 2,
     "--year"),
    ("report supervision id", ["report", "supervision", BIG, "-o", "{tmp}/n.docx"], 2, "item_id"),
    ("report compare unknown indicator", ["report", "compare", "--indicator", "NOPE", "-o", "{tmp}/c.xlsx"], 2,
     "NOPE"),
    ("report progress output dir", ["report", "progress", "--region", "湘潭市", "--year", "2014", "-o",
                                    "/proc/x.xlsx"], 2, "x.xlsx"),
    ("users add role", ["users", "add", "li", "--role", "king", "--password-stdin"], 2, "role"),
    ("users add short password", ["users", "add", "li", "--role", "admin", "--password-stdin"], 2, "password"),
    ("users disable unknown", ["users", "disable", "nobody"], 2, "nobody"),
]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    tmp = tmp_path_factory.mktemp("bad")
    (tmp / "letter.txt").write_text("Sehr geehrte Damen und Herren, vielen Dank für Ihren Brief.\n", encoding="utf-8")
    (tmp / "inf.csv").write_text("region,indicator,period,value,unit\n苏州市,TEC06,2015,Infinity,家\n", encoding="utf-8")
    os.mkfifo(tmp / "fifo")
    env = {**os.environ, "INNOCITY_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "INNOCITY_DATA_DIR": str(tmp),
           "INNOCITY_USER": "tester", "COLUMNS": "200"}
    subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", "db", "upgrade"], env=env,
                   check=True, capture_output=True)
    return env, tmp


@pytest.mark.parametrize(("label", "argv", "code", "word"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(env: tuple[dict[str, str], Path], sample_page_path: Path,
                                                   label: str, argv: list[str], code: int, word: str) -> None:
    environ, tmp = env
    args = [a.replace("{tmp}", str(tmp)).replace("{sample}", str(sample_page_path)) for a in argv]
    db = tmp / "db.sqlite3"
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = subprocess.run([sys.executable, "-c", "from innocity.cli import run; run()", *args], env=environ,
                          capture_output=True, text=True, input="short\n", timeout=120)
    err = proc.stderr
    assert proc.returncode == code, f"{label}: exit {proc.returncode}\n{err}"
    assert "Traceback" not in err and "sqlalchemy" not in err.lower()
    assert word.replace("{tmp}", str(tmp)) in err, f"{label}: {word!r} not named in\n{err}"
    lines = [line for line in err.splitlines() if line.strip()]
    if lines and lines[0].startswith("innocity:"):
        # our own errors: one line each; several only when a file has several bad rows (one per row, then
        # the summary), never a line that belongs to no row
        assert all(line.startswith("innocity: ") for line in lines), f"{label}:\n{err}"
        assert len(lines) == 1 or "rows are not valid" in lines[-1], f"{label}: more than one line\n{err}"
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before, f"{label}: the database changed"
