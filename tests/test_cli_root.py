"""The command line as a whole: every command has help, and errors map to exit codes in one place."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import typer.main

from innocity.cli import app, main


def _all_commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, cmd in getattr(group, "commands", {}).items():
        path = " ".join((*prefix, name))
        out.append((path, cmd))
        out.extend(_all_commands(cmd, (*prefix, name)))
    return out


def test_every_command_has_help_text() -> None:
    root = typer.main.get_command(app)
    commands = _all_commands(root)
    assert commands, "the root app has no commands"
    for path, cmd in commands:
        assert (cmd.help or cmd.short_help or "").strip(), f"command {path} has no help"


def test_unknown_command_is_a_usage_error_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from innocity.cli import run; run()", "no-such-command"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_main_returns_zero_for_help(capsys) -> None:
    assert main(["--help"]) == 0
    assert "innocity" in capsys.readouterr().out
