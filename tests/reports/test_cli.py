"""``innocity report …`` through ``innocity.cli.main``: files written, one-line errors with exit status 2."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from innocity.cli import main
from innocity.settings import Settings

from .conftest import City
from .docx_read import load, text_of

COMMANDS = [["report", "annual"], ["report", "supervision"], ["report", "compare"], ["report", "progress"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cmd: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cmd, "--help"]) == 0
    assert "Example" in capsys.readouterr().out


@pytest.fixture
def env(settings: Settings, city: City, monkeypatch: pytest.MonkeyPatch) -> City:
    monkeypatch.setenv("INNOCITY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(settings.data_dir))
    return city


def test_the_four_reports_are_written(env: City, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "芜湖市2014.docx"
    argv = ["report", "annual", "--region", "芜湖市", "--year", "2014", "--template", "outline2017",
            "--body-font", "仿宋", "--today", "2015-03-31", "-o", str(out)]
    assert main(argv) == 0
    assert capsys.readouterr().out.strip() == str(out)
    doc = load(out.read_bytes())
    assert "芜湖市创新型城市建设自总结评估报告（2014年度）" in text_of(doc)

    notice = tmp_path / "督办.docx"
    assert main(["report", "supervision", str(env.open_item), "-o", str(notice)]) == 0
    assert "督办通知单" in text_of(load(notice.read_bytes()))

    cmp = tmp_path / "compare.xlsx"
    assert main(["report", "compare", "--indicator", "TEC01", "--indicator", "TRA08", "--regions", "芜湖市,马鞍山市",
                 "--year", "2014", "-o", str(cmp)]) == 0
    assert openpyxl.load_workbook(cmp).sheetnames[1:] == ["TEC01 全社会R&D经费投入强度", "TRA08 技术合同成交额"]

    prog = tmp_path / "progress.xlsx"
    assert main(["report", "progress", "--region", "芜湖市", "--year", "2014", "-o", str(prog)]) == 0
    assert "市科技局" in openpyxl.load_workbook(prog).sheetnames


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "annual", "--region", "蚌埠市", "--year", "2014"], "--region: 蚌埠市 has no stored plan"),
        (["report", "annual", "--region", "火星市", "--year", "2014"], "--region: no region called"),
        (["report", "annual", "--region", "芜湖市", "--year", "2014", "--template", "a4"], "--template:"),
        (["report", "annual", "--region", "芜湖市", "--year", "2014", "--body-font", "宋体"], "--body-font:"),
        (["report", "annual", "--region", "芜湖市", "--year", "2014", "-o", "r.pdf"], "must end in .docx"),
        (["report", "supervision", "999"], "ITEM_ID: no supervision item with id 999"),
        (["report", "compare", "--indicator", "NOPE9"], "--indicator: unknown indicator"),
        (["report", "progress", "--region", "火星市", "--year", "2014"], "--region: no region called"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(env: City, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    work = tmp_path / "out"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("innocity: ") and "\n" not in err and message in err, err
    assert not list(work.iterdir())  # nothing half-written
