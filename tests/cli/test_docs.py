"""Every command and every option of ``innocity`` is documented in docs/cli.md, and every command has help
with an example (as sqlite-utils checks its own documentation)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import typer.main

from innocity.cli import app

ROOT = Path(__file__).resolve().parent.parent.parent
DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


COMMANDS = _script().commands(typer.main.get_command(app))


def _section(title: str) -> str:
    head = f"## {title}\n"
    assert head in DOC, f"{title} is not documented in docs/cli.md (run scripts/cli_docs.py)"
    rest = DOC.split(head, 1)[1]
    return rest.split("\n## ", 1)[0]


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_and_option_is_documented(path: tuple[str, ...], cmd: object) -> None:
    section = _section("innocity " + " ".join(path))
    for p in getattr(cmd, "params", []):
        if getattr(p, "param_type_name", "") == "option":
            for opt in p.opts:
                assert f"`{opt}`" in section, f"innocity {' '.join(path)}: option {opt} is not documented"


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path: tuple[str, ...], cmd: object) -> None:
    text = (getattr(cmd, "help", None) or getattr(cmd, "short_help", None) or "").strip()
    assert text, f"innocity {' '.join(path)} has no help"
    if not getattr(cmd, "commands", None):  # a leaf command shows how it is used
        assert "Example" in text or "innocity " in text, f"innocity {' '.join(path)}: help has no example"


def test_the_reference_is_up_to_date() -> None:
    assert _script().render() == DOC, "docs/cli.md is out of date: run .venv/bin/python scripts/cli_docs.py"


def test_eval_scores_a_directory_of_bulletin_golds(capsys: pytest.CaptureFixture[str]) -> None:
    """``innocity eval`` on statistical bulletins reports levels per class and the goals read as figures."""
    import json

    from innocity.cli import main

    assert main(["eval", str(ROOT / "tests" / "fixtures" / "corpus" / "bulletins"), "--format", "json"]) == 0
    score = json.loads(capsys.readouterr().out)
    assert score["goals_as_observations"] == 0
    assert score["levels_by_kind"]["bulletin"]["f1"] >= 0.85
