"""Where index data come from, and running on what exists (issue 9): approved observations in a real SQLite
store (--from-db), the catalogue's default framework, the coverage rules on partial data, the period chosen,
and the actor's scope deciding the units."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from index_db import add_values, region_id

from innocity.app import AppContext
from innocity.catalog import load_catalog
from innocity.cli import main
from innocity.errors import ForbiddenError, NotFoundError, UserInputError
from innocity.services import index as service
from innocity.services.context import Actor, Role

CITIES = ("西宁市", "济南市", "唐山市", "湘潭市", "长沙市")
# SIMULATED values (not real statistics): TEC01 R&D intensity %, TEC04 patents per 10k people,
# DRV03 energy per unit GDP (lower is better)
SIM = {"TEC01": (1.2, 2.9, 1.8, 2.4, 2.6), "TEC04": (8.0, 30.0, 9.5, 15.0, 22.0), "DRV03": (0.9, 0.5, 1.4, 0.7, 0.45)}
HUNAN = ("长沙市", "株洲市", "湘潭市", "衡阳市", "岳阳市", "常德市")


def _minmax(x: np.ndarray) -> np.ndarray:
    return (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0)) * 100


def test_from_db_reads_approved_observations_only(app: AppContext, tmp_path: Path, capsys,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    add_values(app, [(c, k, 2022, v[i]) for k, v in SIM.items() for i, c in enumerate(CITIES)],
               known_on=date(2023, 6, 1))
    # a later revision still in draft must not count
    add_values(app, [("西宁市", "TEC01", 2022, 9.9)], status="draft", known_on=date(2024, 6, 1))
    monkeypatch.setenv("INNOCITY_DATABASE_URL", app.settings.database_url)
    monkeypatch.setenv("INNOCITY_DATA_DIR", str(tmp_path))
    fw = tmp_path / "fw.yaml"
    fw.write_text("tree:\n  - {code: TEC, children: [{code: TEC01, direction: 1}, {code: TEC04, direction: 1}]}\n"
                  "  - {code: DRV, children: [{code: DRV03, direction: -1}]}\n", encoding="utf-8")
    code = main(["index", "run", "-f", str(fw), "--from-db", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    units = {u["unit"]: u for u in doc["units"]}
    assert set(units) == set(CITIES) and units["济南市"]["adcode"] == "370100"
    # by hand: min-max per indicator, TEC = mean of two, DRV03 reversed, index = mean of TEC and DRV
    z = _minmax(np.array([SIM["TEC01"], SIM["TEC04"], SIM["DRV03"]]).T * [1, 1, -1])
    want = (z[:, :2].mean(axis=1) + z[:, 2]) / 2
    for i, city in enumerate(CITIES):
        assert units[city]["score"] == pytest.approx(want[i], abs=1e-9)  # 西宁's draft 9.9 was ignored
    assert units["济南市"]["rank"] == 1 and doc["dropped_indicators"] == [] and doc["excluded_units"] == []


def test_from_db_with_nothing_stored_is_a_clear_error(app: AppContext, tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text("tree: [{code: G, children: [{code: TRA01}, {code: TRA02}]}]\n", encoding="utf-8")
    with app.uow() as w, pytest.raises(UserInputError, match="no approved annual observations"):
        service.run_from_db(w, framework=fw)


def test_default_framework_is_the_catalogues_five_dimensions(tmp_path: Path) -> None:
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
    doc = service.run_from_files(cat, framework=None, data=data).json_dict()
    assert set(doc["units"][0]["groups"]) == {"GOV", "ORI", "TEC", "TRA", "DRV"}
    assert set(doc["weights"]) == {i.code for i in members}
    for dim in ("GOV", "ORI", "TEC", "TRA", "DRV"):  # equal weights: each dimension carries 1/5
        assert sum(doc["weights"][i.code] for i in members if i.dimension == dim) == pytest.approx(0.2)


def _partial(app: AppContext) -> dict[str, tuple[float, ...]]:
    """SIMULATED Hunan figures for 2014: TEC01 and TEC04 for every city but 常德 (TEC01 only), GOV01 for
    five, DRV03 for two; nothing at all for the other 31 indicators of the default framework."""
    vals = {"TEC01": (2.9, 2.2, 2.6, 1.3, 1.5, 1.1), "TEC04": (20.1, 6.3, 9.8, 2.1, 3.0),
            "GOV01": (3.1, 2.4, 2.8, 1.9, 2.2), "DRV03": (0.52, 0.8)}
    add_values(app, [(HUNAN[i], code, 2014, v) for code, vs in vals.items() for i, v in enumerate(vs)])
    return vals


def test_default_framework_runs_on_partial_data_and_says_what_it_left_out(app: AppContext) -> None:
    vals = _partial(app)
    with app.uow() as w:
        result = service.run_from_db(w)
    assert result.period == 2014 and [u.unit for u in result.units] != []
    assert {u.unit for u in result.units} == set(HUNAN[:5])
    dropped = {d.code: d for d in result.dropped_indicators}
    assert set(dropped) == {i.code for i in load_catalog().indicators if i.in_index} - {"TEC01", "TEC04", "GOV01"}
    assert dropped["DRV03"].coverage == pytest.approx(2 / 6)
    assert "values for 2 of 6 units in 2014 (33%), below the 67% required" in dropped["DRV03"].reason
    assert dropped["ORI01"].reason == "no values in 2014" and dropped["ORI01"].name
    assert {g.code for g in result.dropped_groups} == {"ORI", "TRA", "DRV"}
    (cd,) = result.excluded_units
    assert cd.unit == "常德市" and cd.coverage == pytest.approx(1 / 3) and "1 of 3 indicators" in cd.reason
    # what is left keeps the tree's proportions: GOV and TEC halve the index, TEC's two indicators share
    assert result.weights == pytest.approx({"GOV01": 0.5, "TEC01": 0.25, "TEC04": 0.25})
    z = _minmax(np.array([vals["TEC01"][:5], vals["TEC04"], vals["GOV01"]]).T)
    want = dict(zip(HUNAN[:5], (z[:, 2] + z[:, :2].mean(axis=1)) / 2, strict=True))
    assert {u.unit: u.score for u in result.units} == pytest.approx(want)
    assert result.groups == ["GOV", "TEC"] and any("left out for low coverage" in w for w in result.warnings)


def test_coverage_thresholds_come_from_the_framework(app: AppContext, tmp_path: Path) -> None:
    _partial(app)
    fw = tmp_path / "fw.yaml"
    fw.write_text("coverage: {indicator: 0.3, unit: 0.2}\nimpute: mean\n"
                  "tree: [{code: G, children: [{code: TEC01}, {code: TEC04}, {code: DRV03, direction: -1}]}]\n",
                  encoding="utf-8")
    with app.uow() as w:
        result = service.run_from_db(w, framework=fw)
    assert result.dropped_indicators == [] and len(result.units) == 6  # 常德 stays; DRV03's gaps imputed
    assert result.coverage.indicator == 0.3 and all(u.score is not None for u in result.units)


def test_the_latest_period_that_can_be_ranked_is_reported(app: AppContext) -> None:
    _partial(app)
    add_values(app, [("长沙市", "TEC01", 2016, 3.1)])  # one city alone cannot be ranked
    with app.uow() as w:
        result = service.run_from_db(w)
        assert result.period == 2014 and any("no usable data for 2016" in x for x in result.warnings)
        with pytest.raises(UserInputError, match="nothing left to rank in 2016: 1 unit"):
            service.run_from_db(w, year="2016")
        with pytest.raises(UserInputError, match="no data for period 2020; periods present: 2014, 2016"):
            service.run_from_db(w, year="2020")


def test_an_evaluators_scope_decides_the_units(app: AppContext) -> None:
    _partial(app)
    add_values(app, [("西宁市", "TEC01", 2014, 1.0), ("西宁市", "TEC04", 2014, 2.5), ("西宁市", "GOV01", 2014, 2.0),
                     ("430121", "TEC01", 2014, 2.0),  # 长沙县, a county: not ranked among cities
                     ("湖南省", "TEC01", 2014, 2.1)])  # the province itself
    hunan = region_id(app, "湖南省")
    with app.uow(Actor("省厅评估", Role.EVALUATOR, region_id=hunan)) as w:
        result = service.run_from_db(w)
    assert {u.unit for u in result.units} == set(HUNAN[:5])
    left = {e.unit: e.reason for e in result.excluded_units}
    assert "长沙县" in left and "county-level region" in left["长沙县"] and "西宁市" not in left
    assert "湖南省" in left
    with app.uow() as w:  # the shell user sees everything, and may narrow it with a region
        everything = service.run_from_db(w)
        narrowed = service.run_from_db(w, region="湖南")
    assert "西宁市" in {u.unit for u in everything.units}
    assert {u.unit for u in narrowed.units} == set(HUNAN[:5])
    with app.uow(Actor("省厅评估", Role.EVALUATOR, region_id=hunan)) as w, pytest.raises(NotFoundError):
        service.run_from_db(w, region="青海省")  # outside the evaluator's scope: as if it did not exist
    with app.uow(Actor("科技局", Role.DEPARTMENT, region_id=hunan)) as w, pytest.raises(ForbiddenError):
        service.run_from_db(w)


def test_the_real_published_figures_alone_give_a_ranking(app: AppContext) -> None:
    """The real figures shipped for the demo (with sources) cover few indicators: the index still runs on
    what exists — 济南 and 湘潭 on 每万人口有效发明专利拥有量 in 2012 — and says what it left out."""
    path = resources.files("innocity.data") / "observations" / "sample-city-statistics.csv"
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    day = date(2017, 1, 1)
    for k, r in enumerate(rows):  # one insert each: a figure revised twice needs distinct known_on dates
        add_values(app, [(r["region"], r["indicator"], int(r["period"]), float(r["value"]))],
                   known_on=day + timedelta(days=k), note=f"real figure: {r['source_url']}")
    with app.uow() as w:
        result = service.run_from_db(w)
    assert result.period == 2012 and [(u.unit, u.rank) for u in result.units] == [("济南市", 1), ("湘潭市", 2)]
    assert result.weights == {"TEC04": 1.0}
    assert {e.unit for e in result.excluded_units} == {"西宁市"}
    assert any("no usable data for 2015" in x for x in result.warnings)
