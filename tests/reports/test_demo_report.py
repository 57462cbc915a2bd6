"""The issue's "must show", on the demo's own databases through the command line: 湘潭市 2014 on the SIMULATED
database has one table row per tracked target with the figures and statuses ``innocity progress`` shows;
on the real database (mostly no figures) the report says plainly which figures are missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from innocity.cli import main
from innocity.cli.demo import run_demo
from innocity.reports.annual_tables import INDICATOR_HEADER
from innocity.reports.words import STATUS_ZH, num

from .docx_read import load, rows_of, table_with_header, text_of


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("demo")
    rep = run_demo(work)
    assert rep.simulated is not None
    return {"real": Path(rep.real.db_path), "simulated": Path(rep.simulated.db_path), "dir": work}


def _run(db: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setenv("INNOCITY_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(db.parent))
    assert main(argv) == 0, capsys.readouterr().err
    return capsys.readouterr().out


def test_simulated_xiangtan_2014_matches_progress(demo: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = demo["dir"] / "r.docx"
    _run(demo["simulated"], ["report", "annual", "--region", "湘潭市", "--year", "2014", "-o", str(out)],
         monkeypatch, capsys)
    progress = json.loads(_run(demo["simulated"], ["progress", "--region", "湘潭市", "--year", "2014",
                                                   "--format", "json"], monkeypatch, capsys))
    doc = load(out.read_bytes())
    rows = rows_of(table_with_header(doc, INDICATOR_HEADER))
    assert len(rows) == len(progress) > 30
    for cells, p in zip(rows, progress, strict=True):
        assert cells[1] == p["indicator"]
        assert cells[8] == STATUS_ZH[p["status"]]
        if p["baseline"]["value"] is not None:
            assert cells[3].split("\n")[0] == num(p["baseline"]["value"])
        if p["ratio"] is not None:
            assert cells[7].startswith(f"{p['ratio'] * 100:.1f}%")
        if p["actual"]["year"] == 2014:
            assert cells[6] == num(p["actual"]["value"])
    s = doc.sections[0]
    mm = 1440 / 25.4
    margins = [m.twips / mm for m in (s.top_margin, s.left_margin, s.right_margin, s.bottom_margin)]
    assert all(abs(a - b) <= 1 for a, b in zip(margins, (37, 28, 26, 35), strict=True))
    assert "【模拟数据】" in text_of(doc)


def test_real_database_says_which_figures_are_missing(demo: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = demo["dir"] / "real.docx"
    _run(demo["real"], ["report", "annual", "--region", "湘潭市", "--year", "2014", "-o", str(out)],
         monkeypatch, capsys)
    progress = json.loads(_run(demo["real"], ["progress", "--region", "湘潭市", "--year", "2014",
                                              "--format", "json"], monkeypatch, capsys))
    doc = load(out.read_bytes())
    text = text_of(doc)
    rows = rows_of(table_with_header(doc, INDICATOR_HEADER))
    assert len(rows) == len(progress)
    with_value = {p["indicator"] for p in progress if p["actual"]["value"] is not None}
    for cells in rows:
        if cells[1] not in with_value:
            assert cells[6] == "—" and cells[7] in ("—", "已达标")
    missing = [c[1] for c in rows if c[6] == "—"]
    assert f"以下{len(missing)}项目标缺少2014年数据" in text and "未作估算" in text
    assert "模拟" not in text
