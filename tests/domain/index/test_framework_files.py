"""Framework files: the shipped contract example and a file using every extension key, on simulated data."""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from innocity.catalog import load_catalog
from innocity.cli import main
from innocity.services.index import load_framework

EXTENDED = Path(__file__).resolve().parent / "data" / "extended_framework.yaml"


def _write(path: Path, codes: list[str], *, extra: tuple[str, ...] = (), years: tuple[int, ...] = (2023,)) -> None:
    """SIMULATED long-format data (not real statistics) for eight cities in two peer groups."""
    rng = np.random.default_rng(12)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "indicator", "period", "value", "group"])
        for k, city in enumerate(("甲市", "乙市", "丙市", "丁市", "戊市", "己市", "庚市", "辛市")):
            for year in years:
                for code in (*codes, *extra):
                    gap = (city, code) == ("乙市", codes[0])
                    w.writerow([city, code, year, "" if gap else round(float(rng.lognormal(1, .4)), 4),
                                "东部" if k < 4 else "西部"])


def test_the_contract_example_runs(tmp_path, capsys) -> None:
    example = resources.files("innocity.data") / "contracts" / "framework.example.yaml"
    path = tmp_path / "example.yaml"
    path.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
    spec = load_framework(path, catalog=load_catalog())
    assert spec.framework.indicator_codes == ["GOV01", "GOV02", "DRV02", "DRV03"]
    assert spec.uncertainty.weight_noise == 0.25 and spec.uncertainty.seed == 42
    data = tmp_path / "d.csv"
    _write(data, spec.framework.indicator_codes)
    assert main(["index", "run", "-f", str(path), "-d", str(data), "-u", "100", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # DRV03 weighs twice DRV02 inside DRV, and each dimension half of the index
    assert doc["weights"]["DRV03"] == pytest.approx(2 * doc["weights"]["DRV02"]) == pytest.approx(1 / 3)
    assert all("rank_interval" in u for u in doc["units"])


def test_every_extension_key_is_read_and_used(tmp_path, capsys) -> None:
    spec = load_framework(EXTENDED, catalog=load_catalog())
    fw = spec.framework
    assert fw.root.code == "CII"
    assert spec.params["impute"] == "group_mean" and spec.params["aggregate"] == "generalised"
    assert spec.params["p"] == 0.5 and spec.params["treat_params"]["winmax"] == 5
    tec01 = fw.nodes[fw.position("TEC01")]
    assert tec01.goalposts == (0.0, 6.0) and tec01.target == 3.5
    assert fw.nodes[fw.position("TEC06")].denominator == "POP"
    assert spec.uncertainty.impute == ("group_mean", "mean")
    data = tmp_path / "d.csv"
    _write(data, fw.indicator_codes, extra=("POP",), years=(2022, 2023))
    code = main(["index", "run", "-f", str(EXTENDED), "-d", str(data), "-u", "200", "--sobol", "32",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    w = doc["weights"]
    assert sum(w.values()) == pytest.approx(1.0)
    # combined AHP/entropy weights inside TEC: AHP alone would give TEC01 the most
    assert w["TEC01"] > 0 and len({round(v, 6) for v in w.values()}) > 2
    assert {s["factor"] for s in doc["sensitivity"]} == {"weights level 1", "weights level 2", "aggregate",
                                                        "normalise", "impute", "treat"}


def test_missing_direction_comes_from_the_catalogue(tmp_path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("tree:\n  - {code: DRV, children: [{code: DRV03}, {code: TEC01}, {code: MY01}]}\n",
                  encoding="utf-8")
    spec = load_framework(fw, catalog=load_catalog())
    # DRV03 单位GDP能耗 is lower-is-better in the catalogue; an unknown code defaults to +1
    assert spec.framework.directions.tolist() == [-1.0, 1.0, 1.0]
