"""``innocity index run`` end to end: ASEM through the CLI, formats, uncertainty, and one-line errors."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from index_fixtures import read_table

from innocity.cli import main

DATA = Path(__file__).resolve().parent / "data"
FW, CSV = DATA / "asem_framework.yaml", DATA / "asem_data.csv"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["index", "run", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_asem_json_matches_coinr_ranks_and_scores(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    _, rows = read_table("stage6_ranks.csv")
    want = {r[0]: (float(r[2]), int(r[3])) for r in rows}
    assert len(doc["units"]) == 51
    for u in doc["units"]:
        score, rank = want[u["unit"]]
        assert u["score"] == pytest.approx(score, abs=1e-9) and u["rank"] == rank
        assert set(u["groups"]) == {"Physical", "ConEcFin", "Political", "Instit", "P2P", "Environ", "Social",
                                    "SusEcFin", "Conn", "Sust"}
        assert "rank_interval" not in u
    assert doc["units"][0]["unit"] == "CHE"
    assert len(doc["weights"]) == 49 and sum(doc["weights"].values()) == pytest.approx(1.0)
    # equal weights: LPI's share is 1/(indicators in Physical)/(pillars in Conn)/(sub-indices)
    _, meta = read_table("asem_imeta.csv")
    n_phys = sum(1 for m in meta if m[8] == "Physical")
    n_conn = sum(1 for m in meta if m[8] == "Conn")
    assert (n_phys, n_conn) == (8, 5)
    assert doc["weights"]["LPI"] == pytest.approx(1 / n_phys / n_conn / 2)


def test_asem_uncertainty_adds_rank_statistics_and_is_reproducible(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "-u", "300", "--format", "json")
    assert code == 0
    units = {u["unit"]: u for u in json.loads(out)["units"]}
    che = units["CHE"]
    assert che["rank_interval"][0] <= che["rank"] <= che["rank_interval"][1]
    assert {"rank_mean", "rank_median"} <= set(che)
    assert units["LUX"]["rank_interval"][1] - units["LUX"]["rank_interval"][0] > 10  # a fragile rank
    _, again, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "-u", "300", "--format", "json")
    assert json.loads(again) == json.loads(out)  # the framework's seed fixes the draws
    _, other, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "-u", "300", "--seed", "7", "--format", "json")
    assert json.loads(other) != json.loads(out)


def test_csv_and_table_formats(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "-u", "50", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(out.splitlines()))
    assert rows[0][:7] == ["unit", "score", "rank", "rank_p5", "rank_p95", "rank_mean", "rank_median"]
    assert "Sust" in rows[0] and len(rows) == 52
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV))
    assert code == 0 and out.splitlines()[0] == "period 2018" and out.splitlines()[2].startswith("CHE")


def _panel(tmp_path: Path) -> tuple[Path, Path]:
    """Simulated panel (not real statistics): five cities, three years, three indicators, one gap."""
    rng = np.random.default_rng(4)
    fw = tmp_path / "fw.yaml"
    fw.write_text(
        "name: 测试框架(模拟数据)\nimpute: {method: carry}\nnormalise: {method: minmax, range: [0, 100]}\n"
        "weights: {method: entropy}\naggregate: {method: arithmetic}\n"
        "tree:\n  - code: TEC\n    name: 技术创新力\n    children:\n"
        "      - {code: TEC01, direction: 1}\n      - {code: TEC04, direction: 1}\n"
        "  - code: DRV\n    name: 创新驱动力\n    children:\n      - {code: DRV03, direction: -1}\n"
        "uncertainty: {weights: {noise: 0.2, levels: [1, 2]}, aggregate: [arithmetic, geometric],"
        " normalise_range: [1, 100], seed: 1}\n", encoding="utf-8")
    data = tmp_path / "d.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "indicator", "period", "value"])
        for city in ("甲市", "乙市", "丙市", "丁市", "戊市"):
            for year in (2021, 2022, 2023):
                for ind, mu in (("TEC01", 2.5), ("TEC04", 20.0), ("DRV03", 0.5)):
                    v = "" if (city, year, ind) == ("乙市", 2023, "TEC01") else f"{mu * rng.lognormal(0, .3):.4f}"
                    w.writerow([city, ind, year, v])
    return fw, data


def test_panel_with_year_entropy_weights_and_carry_forward(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    code, out, _ = run(capsys, "-f", str(fw), "-d", str(data), "--year", "2022", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["period"] == 2022 and len(doc["units"]) == 5
    assert sorted(u["rank"] for u in doc["units"]) == [1, 2, 3, 4, 5]
    w = doc["weights"]
    assert sum(w.values()) == pytest.approx(1.0) and w["DRV03"] == pytest.approx(0.5)  # alone in DRV
    code, out, _ = run(capsys, "-f", str(fw), "-d", str(data), "-u", "100", "--format", "json")
    assert code == 0 and json.loads(out)["period"] == 2023
    assert all(u["score"] is not None for u in json.loads(out)["units"])  # 乙市's gap was carried forward


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("tree: []\n", "tree: must be a non-empty list"),
    ("normalise: {method: softmax}\ntree: [{code: A}]\n", "normalise.method: unknown 'softmax'"),
    ("tree: [{code: G, children: [{code: A, direction: 2}]}]\n", "(node A).direction: must be 1 or -1"),
    ("tree: [{code: G, children: [{code: A, weight: heavy}]}]\n", "(node A).weight: must be a number"),
    ("tree: [{code: A}, {code: A}]\n", "node 'A': code appears twice"),
    ("tree: [{code: A\n", "line"),
    ("uncertainty: {aggregate: [median]}\ntree: [{code: A}]\n", "uncertainty.aggregate: unknown 'median'"),
])
def test_framework_errors_are_one_line_naming_file_and_field(capsys, tmp_path, yaml_text, message) -> None:
    fw = tmp_path / "bad.yaml"
    fw.write_text(yaml_text, encoding="utf-8")
    code, out, err = run(capsys, "-f", str(fw), "-d", str(CSV))
    assert code == 2 and out == ""
    assert err.startswith(f"innocity: {fw}: ") and message in err and err.count("\n") == 1


def test_data_errors_name_the_row(capsys, tmp_path) -> None:
    fw, _ = _panel(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,indicator,period,value\n甲市,TEC01,2023,1.5\n乙市,TEC01,2023,很多\n", encoding="utf-8")
    code, _, err = run(capsys, "-f", str(fw), "-d", str(bad))
    assert code == 2 and "第3行 [value]" in err and str(bad) in err
    cols = tmp_path / "cols.csv"
    cols.write_text("city,indicator,year,value\n", encoding="utf-8")
    code, _, err = run(capsys, "-f", str(fw), "-d", str(cols))
    assert code == 2 and "missing column(s) unit, period" in err
    code, _, err = run(capsys, "-f", str(fw), "-d", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err


def test_wrong_year_missing_indicator_and_source_choice(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    code, _, err = run(capsys, "-f", str(fw), "-d", str(data), "--year", "1999")
    assert code == 2 and "no data for period 1999" in err and "2021, 2022, 2023" in err
    code, _, err = run(capsys, "-f", str(FW), "-d", str(data))
    assert code == 2 and "no values for indicator(s) LPI" in err
    code, _, err = run(capsys, "-f", str(fw))
    assert code == 2 and "exactly one of --data FILE or --from-db" in err


def test_obstacles_and_sobol_in_json(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "--obstacles", "3", "--sobol", "64", "--format",
                       "json")
    assert code == 0
    doc = json.loads(out)
    first = doc["units"][0]
    assert len(first["obstacles"]) == 3
    degrees = [o["degree"] for o in first["obstacles"]]
    assert degrees == sorted(degrees, reverse=True) and 0 < degrees[0] < 1
    factors = {s["factor"]: s for s in doc["sensitivity"]}
    assert set(factors) == {"weights level 2", "weights level 3", "aggregate"}
    assert factors["aggregate"]["total"] > factors["weights level 2"]["total"]


@pytest.mark.parametrize("scoring", ["topsis", "gra"])
def test_alternative_scorings_from_the_framework(capsys, tmp_path, scoring) -> None:
    text = FW.read_text(encoding="utf-8") + f"scoring: {{method: {scoring}}}\n"
    fw = tmp_path / "fw.yaml"
    fw.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "-f", str(fw), "-d", str(CSV), "--format", "json")
    assert code == 0
    units = json.loads(out)["units"]
    scores = [u["score"] for u in units]
    assert scores == sorted(scores, reverse=True) and [u["rank"] for u in units][:1] == [1]
    assert 0 < min(scores) and max(scores) <= (100 if scoring == "topsis" else 1)
    code, _, err = run(capsys, "-f", str(fw), "-d", str(CSV), "-u", "10")
    assert code == 2 and f"not scoring '{scoring}'" in err


def test_dimension_contributions_add_up_to_the_score(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "--format", "json")
    assert code == 0
    for u in json.loads(out)["units"]:
        assert set(u["contributions"]) == {"Conn", "Sust"}
        assert sum(u["contributions"].values()) == pytest.approx(u["score"], abs=1e-9)
        assert u["contributions"]["Conn"] == pytest.approx(u["groups"]["Conn"] / 2)


def test_a_constant_indicator_is_reported(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    text = data.read_text(encoding="utf-8").splitlines()
    rows = [text[0]] + [",".join([*r.split(",")[:3], "7"]) if ",DRV03," in r else r for r in text[1:]]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "-f", str(fw), "-d", str(data))
    assert code == 0 and "warning: indicator(s) DRV03 take one value for every unit" in err


def test_contributions_stay_right_alongside_obstacles(capsys) -> None:
    code, out, _ = run(capsys, "-f", str(FW), "-d", str(CSV), "--obstacles", "2", "--format", "json")
    assert code == 0
    for u in json.loads(out)["units"]:
        assert set(u["contributions"]) == {"Conn", "Sust"}
        assert sum(u["contributions"].values()) == pytest.approx(u["score"], abs=1e-9)


def test_hostile_input_is_one_line_on_the_command_line(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for args, where, message in [
        (["-f", str(fw), "-d", str(fifo)], str(fifo), "not a regular file"),
        (["-f", str(fw), "-d", str(tmp_path)], str(tmp_path), "is a directory"),
        (["-f", str(fw), "-d", str(data), "-u", "10000000"], "--uncertainty", "over the maximum of 10,000"),
        (["-f", str(fw), "-d", str(data), "--sobol", "10000000"], "--sobol", "over the maximum"),
        (["-f", str(fw), "-d", str(data), "--seed", "-1"], "--seed", "whole number from 0"),
        (["-f", str(fw), "-d", str(data), "--year", "1999"], "--year", "no data for period 1999"),
    ]:
        code, out, err = run(capsys, *args)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert err.startswith(f"innocity: {where}: ") and message in err
    code, _, err = run(capsys, "-f", str(fw), "-d", str(data), "--format", "xml")
    assert code == 2 and "xml" in err


def test_a_gbk_framework_and_a_utf16_data_file_run(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    fw.write_bytes(fw.read_text(encoding="utf-8").encode("gbk"))
    data.write_bytes(data.read_text(encoding="utf-8").encode("utf-16"))
    code, out, err = run(capsys, "-f", str(fw), "-d", str(data), "--format", "json")
    assert code == 0, err
    assert {u["unit"] for u in json.loads(out)["units"]} == {"甲市", "乙市", "丙市", "丁市", "戊市"}


def test_the_table_lists_what_was_left_out(capsys, tmp_path) -> None:
    fw, data = _panel(tmp_path)
    with data.open("a", encoding="utf-8") as fh:
        fh.write("己市,TEC01,2023,2.0\n")  # one value of three: below half of the indicators
    code, out, err = run(capsys, "-f", str(fw), "-d", str(data))
    assert code == 0 and "left out:" in out and "unit 己市: values for 1 of 3 indicators" in out
    assert "1 unit(s) left out for missing data in 2023: 己市" in err
