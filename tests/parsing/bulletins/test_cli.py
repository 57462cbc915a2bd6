"""``innocity data extract`` through Typer: JSON contract, several files, exit statuses, --store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from innocity.cli.common import reset_app_context
from innocity.cli.extract import register
from innocity.errors import InnocityError
from innocity.settings import Settings

from .conftest import BULLETIN, WORK_REPORT


def _app() -> typer.Typer:
    root = typer.Typer()
    data = typer.Typer()
    root.add_typer(data, name="data")
    register(data)

    @root.callback()
    def _root() -> None:
        """test root"""

    return root


def run(*args: str) -> tuple[int, str, str]:
    """Run the command as ``innocity.cli.main`` would: our errors become one line and their exit status."""
    result = CliRunner().invoke(_app(), ["data", "extract", *args])
    reset_app_context()
    if isinstance(result.exception, InnocityError):
        return result.exception.exit_code, result.stdout, result.exception.one_line()
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {"bulletin": tmp_path / "b.txt", "report": tmp_path / "w.txt", "empty": tmp_path / "e.txt",
           "none": tmp_path / "n.txt"}
    out["bulletin"].write_text(BULLETIN, encoding="utf-8")
    out["report"].write_text(WORK_REPORT, encoding="utf-8")
    out["empty"].write_bytes(b"")
    out["none"].write_text("某市统计公报\n经济平稳运行。", encoding="utf-8")
    return out


@pytest.fixture(autouse=True)
def _no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # without --store no database may be opened: point the URL at a directory that does not exist
    monkeypatch.setenv("INNOCITY_DATABASE_URL", f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))


def test_json_for_one_file(files: dict[str, Path]) -> None:
    code, out, _ = run(str(files["bulletin"]), "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["year"] == 2019 and d["region"]["name"] == "株洲市"
    assert {"indicator", "indicator_code", "value", "unit", "period", "kind", "preliminary", "text", "span"} <= \
        d["observations"][0].keys()


def test_several_files_give_a_list_and_options_override(files: dict[str, Path]) -> None:
    code, out, _ = run(str(files["bulletin"]), str(files["report"]), "--format", "json", "--year", "2017",
                       "--region", "湘潭市")
    assert code == 0
    docs = json.loads(out)
    assert [d["year"] for d in docs] == [2017, 2017]
    assert {d["region"]["adcode"] for d in docs} == {"430300"}


def test_table(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(str(files["report"]))
    assert code == 0 and "地区生产总值" in out and "goals left out" in out


def test_exit_statuses(files: dict[str, Path]) -> None:
    code, _, err = run(str(files["empty"]))
    assert code == 2 and "e.txt" in err and "\n" not in err.strip()
    code, _, err = run(str(files["none"]))
    assert code == 1 and "no figures found" in err
    code, out, err = run(str(files["bulletin"]), str(files["empty"]), "--format", "json")
    assert code == 2 and len(json.loads(out)) == 1


def test_store(files: dict[str, Path], settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INNOCITY_DATABASE_URL", settings.database_url)
    code, out, err = run(str(files["bulletin"]), "--store", "--format", "json")
    assert code == 0, err
    stored = json.loads(out)["stored"]
    assert stored["stored"] >= 3 and stored["document_id"] >= 1
    code, out, _ = run(str(files["bulletin"]), "--store", "--format", "json")
    again = json.loads(out)["stored"]
    assert (again["stored"], again["unchanged"]) == (0, stored["stored"])
