"""Hostile and careless input to the index engine (issue 14): encodings, YAML bombs, invalid frameworks,
broken CSV files, special files and oversized requests. Each is refused in one line naming the file, the row
or the key, and nothing takes unbounded time or memory."""

from __future__ import annotations

import os
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from innocity.catalog import load_catalog
from innocity.errors import DataValidationError, FrameworkError, InnocityError, UserInputError
from innocity.services import index as service
from innocity.services.index_data import read_data_csv
from innocity.services.index_files import MAX_FRAMEWORK_BYTES

CAT = load_catalog()
CITIES = ("株洲市", "岳阳市", "常德市", "衡阳市", "邵阳市", "益阳市")
FW = ("name: 湖南省创新指数(测试)\n"
      "tree:\n"
      "  - {code: TEC, name: 技术创新力, children: [{code: TEC01, direction: 1}, {code: TEC04, direction: 1}]}\n"
      "  - {code: DRV, name: 创新驱动力, children: [{code: DRV03, direction: -1}]}\n")


def _csv_text() -> str:
    """SIMULATED values (not real statistics) for six cities."""
    lines = ["unit,indicator,period,value"]
    for k, city in enumerate(CITIES):
        lines += [f"{city},TEC01,2023,{1.1 + 0.3 * k:.2f}", f"{city},TEC04,2023,{5 + 2.5 * k:.1f}",
                  f"{city},DRV03,2023,{0.9 - 0.07 * k:.2f}"]
    return "\n".join(lines) + "\n"


def _files(tmp_path: Path, fw: str = FW, data: str | None = None) -> tuple[Path, Path]:
    f, d = tmp_path / "fw.yaml", tmp_path / "d.csv"
    f.write_text(fw, encoding="utf-8")
    d.write_text(_csv_text() if data is None else data, encoding="utf-8")
    return f, d


def _run(fw: Path, data: Path, **kw: object):
    return service.run_from_files(CAT, framework=fw, data=data, **kw)  # type: ignore[arg-type]


# -- encodings ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_framework_and_data_in_the_encodings_offices_use(tmp_path: Path, encoding: str) -> None:
    fw, data = tmp_path / "fw.yaml", tmp_path / "d.csv"
    fw.write_bytes(FW.encode(encoding))  # utf-16 writes a BOM, utf-16-le/be do not
    data.write_bytes(_csv_text().encode(encoding))
    spec = service.load_framework(fw, catalog=CAT)
    assert spec.name == "湖南省创新指数(测试)" and spec.framework.nodes[-2].name == "创新驱动力"
    result = _run(fw, data)
    assert {u.unit for u in result.units} == set(CITIES)


def test_binary_framework_is_refused_in_one_line(tmp_path: Path) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(FrameworkError) as err:
        service.load_framework(fw, catalog=CAT)
    assert err.value.source == str(fw) and "\n" not in err.value.one_line()


# -- YAML that would explode --------------------------------------------------------------------------------
def _bounded(fn: Callable[[], object]) -> InnocityError:
    """Run ``fn`` expecting an innocity error, within 10 s of CPU and 1 GB (measured: far less)."""
    tracemalloc.start()
    t0 = time.process_time()
    try:
        fn()
    except InnocityError as exc:
        err = exc
    else:
        raise AssertionError("accepted")
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert time.process_time() - t0 < 10 and peak < 1 << 30
    return err


LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
) + "tree: [{code: X, children: *i}]\n"


@pytest.mark.parametrize(("text", "message"), [
    (LAUGHS, "expands to more than"),
    ("tree: &t [{code: A, children: *t}]\n", "recursive YAML alias"),
    ("x: &x {y: *x}\ntree: [{code: A}]\n", "recursive YAML alias"),
    ("tree: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),  # libyaml's own limit may answer first
    ('{"tree": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}", "nest"),
    ("tree: " + "[" * 200 + "]" * 200 + "\n", "nested deeper than 64 levels"),
    ("tree:\n" + "".join(" " * i + "- \n" for i in range(0, 400, 2)), "nested deeper than"),
    ("weight: " + "9" * 6000 + "\ntree: [{code: A}]\n", "a value cannot be read"),
    ("when: 2023-13-45\ntree: [{code: A}]\n", "a value cannot be read"),
])
def test_yaml_bombs_are_refused_quickly_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    fw = tmp_path / "bomb.yaml"
    fw.write_text(text, encoding="utf-8")
    err = _bounded(lambda: service.load_framework(fw, catalog=CAT))
    assert isinstance(err, FrameworkError) and err.source == str(fw)
    assert message in err.message and "\n" not in err.one_line()


def test_huge_files_are_refused_and_a_large_valid_one_is_read_in_bounds(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(FW + "# " + "注" * MAX_FRAMEWORK_BYTES + "\n", encoding="utf-8")
    err = _bounded(lambda: service.load_framework(big, catalog=CAT))
    assert "too large" in err.message
    # just under the limit: 30,000 annotation keys beside a real tree
    near = tmp_path / "near.yaml"
    near.write_text(FW + "notes:\n" + "".join(f"  k{i}: 说明文字 {i}\n" for i in range(30_000)), encoding="utf-8")
    assert near.stat().st_size < MAX_FRAMEWORK_BYTES
    t0 = time.process_time()
    spec = service.load_framework(near, catalog=CAT)
    assert spec.framework.indicator_codes == ["TEC01", "TEC04", "DRV03"] and time.process_time() - t0 < 10


def test_a_tree_of_too_many_nodes_is_refused(tmp_path: Path) -> None:
    kids = ", ".join(f"{{code: X{i}}}" for i in range(1500))
    fw, _ = _files(tmp_path, f"tree: [{{code: G, children: [{kids}]}}]\n")
    with pytest.raises(FrameworkError, match="more than 1000 nodes"):
        service.load_framework(fw, catalog=CAT)


# -- validation before running, naming the key --------------------------------------------------------------
TREE = "tree: [{code: G, children: [{code: TEC01}, {code: TEC04}, {code: DRV03, direction: -1}]}]\n"
BAD = [
    ("normalise: {method: minmax, range: [100, 0]}\n" + TREE, "normalise.range: must be [low, high] with low < high"),
    ("normalise: {method: minmax, range: [50, 50]}\n" + TREE, "normalise.range"),
    ("uncertainty: {normalise_range: [100, 1]}\n" + TREE, "uncertainty.normalise_range"),
    ("tree: [{code: G, children: [{code: TEC01, goalposts: [6, 0]}]}]\n", "(node TEC01).goalposts: must be [low, high]"),
    ("tree: [{code: G, children: [{code: TEC01, goalposts: [6]}]}]\n", "(node TEC01).goalposts"),
    ("normalise: goalposts\ntree: [{code: G, children: [{code: TEC01, goalposts: [0, 6]}, {code: TEC04}]}]\n",
     "node 'TEC04': normalisation 'goalposts' needs goalposts"),
    ("uncertainty: {seed: -1}\n" + TREE, "uncertainty.seed: must be a whole number from 0"),
    ("uncertainty: {seed: 1.5}\n" + TREE, "uncertainty.seed"),
    ("uncertainty: {seed: yes}\n" + TREE, "uncertainty.seed"),
    ("uncertainty: {weights: {noise: 0.2, levels: [0]}}\n" + TREE, "uncertainty.weights.levels: must be at least 1"),
    ("uncertainty: {weights: {noise: 0.2, levels: [2.5]}}\n" + TREE, "uncertainty.weights.levels: must be a whole"),
    ("uncertainty: {weights: {noise: 0.2, levels: [7]}}\n" + TREE, "level 7 does not exist"),
    ("uncertainty: {weights: {noise: 1.5}}\n" + TREE, "uncertainty.weights.noise"),
    ("uncertainty: {weights: 5}\n" + TREE, "uncertainty.weights: must be a mapping"),
    ("uncertainty: {aggregate: 5}\n" + TREE, "uncertainty.aggregate"),
    ("weights: ahp\ntree: [{code: G, pairwise: [[1, 9, 0.1111111], [0.1111111, 1, 9], [9, 0.1111111, 1]], "
     "children: [{code: TEC01}, {code: TEC04}, {code: DRV03}]}]\n", "pairwise: judgements are inconsistent (CR ="),
    ("weights: ahp\ntree: [{code: G, pairwise: [[1, 3], [3, 1]], children: [{code: TEC01}, {code: TEC04}]}]\n",
     "reciprocal"),
    ("tree: [{code: G, pairwise: [[1, 3]], children: [{code: TEC01}, {code: TEC04}]}]\n", "must be a 2×2"),
    ("tree: [{code: G, children: [{code: TEC01, weight: .inf}]}]\n", "tree[0].children[0].weight: not a finite"),
    ("tree: [{code: G, children: [{code: TEC01, weight: Infinity}]}]\n", "(node TEC01).weight: must be a finite"),
    ("tree: [{code: G, children: [{code: TEC01, weight: 1e400}]}]\n", "(node TEC01).weight: must be a finite"),
    ("tree: [{code: G, children: [{code: TEC01, target: .nan}]}]\n", "not a finite number"),
    ("note: {created: 1.0e+400}\n" + TREE, "note.created: not a finite number"),
    ("tree: [{code: G, children: [{code: TEC01, weight: -1}]}]\n", "(node TEC01).weight: must be at least 0"),
    ("coverage: {indicator: 1.5}\n" + TREE, "coverage.indicator: must be at most 1"),
    ("coverage: {cities: 0.5}\n" + TREE, "coverage.cities: unknown key"),
    ("treat: {method: coinr, winmx: 5}\n" + TREE, "treat.winmx: unknown key"),
    ("weights: {method: entropy, level: 3}\n" + TREE, "weights.level"),
    ("weights: {method: combined, alpha: 2}\n" + TREE, "weights.alpha"),
    ("aggregate: {method: generalised, p: 1000}\n" + TREE, "aggregate.p"),
    ("denominate: maybe\n" + TREE, "denominate: must be true or false"),
    ("tree: [{code: [1, 2]}]\n", "tree[0].code: must be text"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_invalid_frameworks_are_refused_before_any_data_are_read(tmp_path: Path, text: str, message: str) -> None:
    fw = tmp_path / "fw.yaml"
    fw.write_text(text, encoding="utf-8")
    missing = tmp_path / "no-such-data.csv"  # never opened: the framework fails first
    with pytest.raises(FrameworkError) as err:
        _run(fw, missing)
    assert message in err.value.message and err.value.source == str(fw)


def test_a_consistent_ahp_matrix_passes_and_sets_weights(tmp_path: Path) -> None:
    fw, data = _files(tmp_path, "weights: ahp\ntree: [{code: G, pairwise: [[1, 3, 5], [0.3333333, 1, 3], "
                                "[0.2, 0.3333333, 1]], children: [{code: TEC01}, {code: TEC04}, "
                                "{code: DRV03, direction: -1}]}]\n")
    w = _run(fw, data).weights
    assert w["TEC01"] == pytest.approx(0.636986, abs=1e-5) and w["DRV03"] == pytest.approx(0.104729, abs=1e-5)


def test_seed_from_the_request_is_validated_too(tmp_path: Path) -> None:
    fw, data = _files(tmp_path)
    with pytest.raises(FrameworkError) as err:
        _run(fw, data, uncertainty=10, seed=-5)
    assert err.value.field == "seed"


# -- data files ---------------------------------------------------------------------------------------------
HEAD = "unit,indicator,period,value\n"


@pytest.mark.parametrize(("body", "where", "message"), [
    ("株洲市,TEC01,2023,1,5\n", "第2行", "5 fields, the header has 4"),
    ("株洲市,TEC01,2023\n", "第2行", "3 fields, the header has 4"),
    ("株洲市,TEC01,2023,1.5\n岳阳市,\"TEC01,2023,1.7\n常德市,TEC01,2023,1.9\n", "第3行", "unbalanced quote"),
    ("株洲市,TEC01,2023,\"1.5\"x\n", "第2行", "not valid CSV"),
    ("株洲市,TEC01,2023,Infinity\n", "第2行 [value]", "not a finite number"),
    ("株洲市,TEC01,2023,1e400\n", "第2行 [value]", "not a finite number"),
    ("株洲市,TEC01,2023,NaN\n", "第2行 [value]", "leave the cell empty"),
    ("株洲市,TEC01,2023,1.5\n株洲市,TEC01,2023,1.6\n", "第3行", "duplicate value"),
])
def test_bad_rows_are_named_by_line(tmp_path: Path, body: str, where: str, message: str) -> None:
    data = tmp_path / "d.csv"
    data.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        read_data_csv(data)
    line = err.value.one_line()
    assert err.value.source == str(data) and where in line and message in line and "\n" not in line


def test_trailing_empty_fields_are_harmless(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(HEAD + "株洲市,TEC01,2023,1.5,,\n", encoding="utf-8")
    assert read_data_csv(data).rows == [("株洲市", "TEC01", 2023, 1.5)]


def test_all_missing_values_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(HEAD + "株洲市,TEC01,2023,NA\n岳阳市,TEC01,2023,\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="every value is empty or NA"):
        read_data_csv(data)


def test_a_workbook_given_as_data_is_named(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["unit", "indicator", "period", "value"])
    ws.append(["株洲市", "TEC01", 2023, 1.5])
    data = tmp_path / "data.xlsx"
    wb.save(data)
    with pytest.raises(UserInputError) as err:
        read_data_csv(data)
    assert err.value.source == str(data) and "Excel workbook" in err.value.message


def test_directories_and_fifos_are_refused_without_waiting(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="is a directory"):
        read_data_csv(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_data_csv(fifo)
        except BaseException as exc:
            outcome.append(exc)

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(5)  # opening a FIFO for reading would block until a writer came
    assert not t.is_alive() and isinstance(outcome[0], UserInputError)
    assert "not a regular file" in str(outcome[0])
    with pytest.raises(FrameworkError, match="not a regular file"):
        service.load_framework(fifo, catalog=CAT)


# -- oversized requests -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kw", "field"), [
    ({"uncertainty": 10_000_000}, "uncertainty"), ({"sobol": 10_000_000}, "sobol"),
    ({"sobol": 9_000}, "sobol"), ({"uncertainty": -1}, "uncertainty"), ({"obstacles": 10**6}, "obstacles"),
])
def test_huge_requests_are_bounded_by_documented_maxima(tmp_path: Path, kw: dict[str, int], field: str) -> None:
    fw, data = _files(tmp_path, FW + "uncertainty: {weights: {noise: 0.2, levels: [1, 2]}, aggregate: [arithmetic,"
                                    " geometric], normalise: [minmax, rank], treat: [none, coinr],"
                                    " impute: [none, mean], normalise_range: [1, 100]}\n")
    t0 = time.process_time()
    with pytest.raises(UserInputError) as err:
        _run(fw, data, **kw)
    assert err.value.field == field and time.process_time() - t0 < 5
    assert "maximum" in err.value.message or "≥ 0" in err.value.message


def test_replications_times_units_is_bounded(tmp_path: Path) -> None:
    rows = "".join(f"U{u:04d},TEC01,2023,{u % 97}\nU{u:04d},TEC04,2023,{u % 89}\n" for u in range(1500))
    fw, data = _files(tmp_path, "tree: [{code: G, children: [{code: TEC01}, {code: TEC04}]}]\n", HEAD + rows)
    with pytest.raises(UserInputError) as err:
        _run(fw, data, uncertainty=10_000)
    assert err.value.field == "uncertainty" and "at most 6,666 runs for 1,500 units" in err.value.message


def test_a_degenerate_pivot_is_refused_not_allocated(tmp_path: Path) -> None:
    # under 1 MB of rows, each a new unit (and many periods): the dense array would be huge
    fw, data = _files(tmp_path, "tree: [{code: G, children: [{code: TEC01}]}]\n",
                      HEAD + "".join(f"U{i},TEC01,{i},1\n" for i in range(150)))
    with pytest.raises(UserInputError, match="150 periods; at most 100 can be compared"):
        _run(fw, data)
    data.write_text(HEAD + "".join(f"U{i},TEC01,{2000 + i % 90},1\n" for i in range(25_000)), encoding="utf-8")
    assert data.stat().st_size < 1 << 20
    with pytest.raises(UserInputError, match="90 periods × 25000 units × 1 indicators is over the maximum"):
        _run(fw, data)
