"""The tracking commands through ``innocity.cli.main``: help with an example, JSON output, one-line errors
with the right exit status, and a 督办 item taken through its life from the command line."""

from __future__ import annotations

import json
from typing import Any

import pytest

from innocity.cli import main
from innocity.settings import Settings

COMMANDS = [
    ["progress"], ["scorecard"], ["targets", "set"], ["tasks", "list"], ["tasks", "set"], ["tasks", "milestone"], ["tasks", "milestone-done"],
    ["supervise", "list"], ["supervise", "show"], ["supervise", "sync"], ["supervise", "raise"],
    ["supervise", "respond"], ["supervise", "extend"], ["supervise", "close"], ["supervise", "escalate"],
    ["demo"],
]


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cmd: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cmd, "--help"]) == 0
    assert "Example" in capsys.readouterr().out


@pytest.fixture
def env(settings: Settings, plan_id: int, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("INNOCITY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INNOCITY_USER", "cli-user")
    return settings


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_flow(env: Settings, observe: Any, capsys: pytest.CaptureFixture[str]) -> None:
    observe([("T_TECH", 2015, 15.0)])
    rows = _json(capsys, ["progress", "--year", "2018", "--region", "株洲", "--format", "json"])
    tech = next(r for r in rows if r["indicator_code"] == "T_TECH")
    assert tech["status"] == "overdue"
    only = _json(capsys, ["progress", "--year", "2018", "--status", "overdue", "--format", "json"])
    assert [r["target_id"] for r in only] == [tech["target_id"]]
    assert {"target_id", "indicator", "indicator_code", "baseline", "target", "expected", "actual", "ratio",
            "projected", "status", "lead"} <= set(tech)
    sme = next(r for r in rows if r["indicator_code"] == "T_SME")
    out = _json(capsys, ["targets", "set", str(sme["target_id"]), "--year", "2018", "--lead", "市科技局",
                         "--format", "json"])
    assert out["year"] == 2018 and out["set_by"] == "cli-user"

    items = _json(capsys, ["supervise", "sync", "--year", "2018", "--today", "2018-03-01", "--format", "json"])
    item = next(i for i in items if i["subject_id"] == tech["target_id"])
    assert main(["supervise", "respond", str(item["id"]), "--text", "合同登记滞后"]) == 0
    assert main(["supervise", "extend", str(item["id"]), "--text", "等待年报", "--until", "2018-09-30"]) == 0
    assert main(["supervise", "close", str(item["id"]), "--text", "销号", "--expect", "responded"]) == 3
    assert "now extended" in capsys.readouterr().err
    assert main(["supervise", "close", str(item["id"]), "--text", "销号", "--expect", "extended"]) == 0
    capsys.readouterr()
    shown = _json(capsys, ["supervise", "show", str(item["id"])])
    assert [(e["action"], e["by"]) for e in shown["events"]][1:] == [
        ("respond", "cli-user"), ("extend", "cli-user"), ("close", "cli-user")
    ]
    cards = _json(capsys, ["scorecard", "--year", "2018", "--today", "2018-03-01", "--format", "json"])
    assert any(c["department"] == "市科技局" and c["led_targets"] == 1 for c in cards)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["progress", "--region", "亚特兰蒂斯"], 2, "--region"),
        (["progress", "--plan", "999"], 2, "--plan"),
        (["progress", "--as-of", "2018-02-30"], 2, "not a date"),
        (["progress", "--status", "late"], 2, "unknown status"),
        (["targets", "set", "999", "--year", "2015"], 2, "no current target"),
        (["targets", "set", "1", "--year", "3015"], 2, "year out of range"),
        (["supervise", "close", "999", "--text", "x"], 2, "no supervision item"),
        (["tasks", "set", "1", "--status", "快好了"], 2, "unknown task status"),
    ],
)
def test_errors_are_one_line(env: Settings, argv: list[str], code: int, message: str,
                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("innocity: ") and message in err[0]


def test_tables_show_status_and_reason(env: Settings, observe: Any, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    observe([("T_TECH", 2015, 15.0)])
    assert main(["progress", "--year", "2018"]) == 0
    out = capsys.readouterr().out
    assert "overdue" in out and "needs_input" in out and "deadline 2015 passed" in out
    assert main(["scorecard", "--year", "2018", "--today", "2018-03-01"]) == 0
    out = capsys.readouterr().out
    assert "市科技局" in out and "株洲市" in out
