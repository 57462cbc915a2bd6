"""Where index data come from: approved observations in a real SQLite store (--from-db), and the default
framework built from the indicator catalogue's five dimensions."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from innocity.catalog import load_catalog
from innocity.cli import main
from innocity.services.observations import import_file
from innocity.settings import Settings

CITIES = ("西宁市", "济南市", "唐山市", "湘潭市", "长沙市")
# SIMULATED values (not real statistics): TEC01 R&D intensity %, TEC04 patents per 10k people,
# DRV03 energy per unit GDP (lower is better)
SIM = {"TEC01": (1.2, 2.9, 1.8, 2.4, 2.6), "TEC04": (8.0, 30.0, 9.5, 15.0, 22.0), "DRV03": (0.9, 0.5, 1.4, 0.7, 0.45)}
UNITS = {"TEC01": "%", "TEC04": "件/万人", "DRV03": "吨标准煤/万元"}


@pytest.fixture()
def store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    url = f"sqlite:///{tmp_path / 'obs.sqlite3'}"
    monkeypatch.setenv("INNOCITY_DATABASE_URL", url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    approved, draft = tmp_path / "approved.csv", tmp_path / "draft.csv"
    for path, rows in ((approved, [(c, k, 2022, v[i]) for k, v in SIM.items() for i, c in enumerate(CITIES)]),
                       (draft, [("西宁市", "TEC01", 2022, 9.9)])):  # a revision still in draft must not count
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["region", "indicator", "period", "value", "unit", "vintage", "known_on", "note"])
            revised = path == draft
            for city, code, year, value in rows:
                w.writerow([city, code, year, value, UNITS[code], "revised" if revised else "final",
                            "2024-06-01" if revised else "2023-06-01", "模拟数据 (simulated for a test)"])
    import_file(settings, approved, status="approved")
    import_file(settings, draft, status="draft")
    return settings


def test_from_db_reads_approved_observations_only(store_env: Settings, tmp_path: Path, capsys) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("tree:\n  - {code: TEC, children: [{code: TEC01, direction: 1}, {code: TEC04, direction: 1}]}\n"
                  "  - {code: DRV, children: [{code: DRV03, direction: -1}]}\n", encoding="utf-8")
    code = main(["index", "run", "-f", str(fw), "--from-db", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    units = {u["unit"]: u for u in json.loads(out)["units"]}
    assert set(units) == set(CITIES)
    # by hand: min-max per indicator, TEC = mean of two, DRV03 reversed, index = mean of TEC and DRV
    x = np.array([SIM["TEC01"], SIM["TEC04"], SIM["DRV03"]]).T * [1, 1, -1]
    z = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0)) * 100
    want = (z[:, :2].mean(axis=1) + z[:, 2]) / 2
    for i, city in enumerate(CITIES):
        assert units[city]["score"] == pytest.approx(want[i], abs=1e-9)  # 西宁's draft 9.9 was ignored
    assert units["济南市"]["rank"] == 1


def test_from_db_with_nothing_stored_is_a_clear_error(store_env: Settings, tmp_path: Path, capsys) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("tree: [{code: G, children: [{code: TRA01}, {code: TRA02}]}]\n", encoding="utf-8")
    code = main(["index", "run", "-f", str(fw), "--from-db"])
    _, err = capsys.readouterr()
    assert code == 2 and "no approved annual observations" in err


def test_default_framework_is_the_catalogues_five_dimensions(tmp_path: Path, capsys) -> None:
    cat = load_catalog()
    members = [i for i in cat.indicators if i.in_index]
    rng = np.random.default_rng(9)
    data = tmp_path / "d.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "indicator", "period", "value"])
        for city in ("甲市", "乙市", "丙市", "丁市"):  # simulated, not real
            for ind in members:
                w.writerow([city, ind.code, 2023, round(float(rng.lognormal(1, 0.5)), 4)])
    code = main(["index", "run", "-d", str(data), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc["units"][0]["groups"]) == {"GOV", "ORI", "TEC", "TRA", "DRV"}
    assert set(doc["weights"]) == {i.code for i in members}
    # equal weights: each dimension carries 1/5 of the index
    for dim in ("GOV", "ORI", "TEC", "TRA", "DRV"):
        share = sum(doc["weights"][i.code] for i in members if i.dimension == dim)
        assert share == pytest.approx(0.2)
