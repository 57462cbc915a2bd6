"""Property tests over framework YAML and data CSV: whatever a user writes, the engine answers with a result
or an innocity error (one line), never a traceback."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from innocity.catalog import load_catalog
from innocity.errors import InnocityError
from innocity.services import index as service
from innocity.services.index_data import LongRows, parse_data_csv

CAT = load_catalog()
VALID = ("name: 测试\nimpute: mean\ntreat: coinr\nnormalise: {method: minmax, range: [1, 100]}\n"
         "weights: {method: entropy}\naggregate: geometric\ncoverage: {indicator: 0.5, unit: 0.5}\n"
         "tree:\n  - {code: TEC, weight: 2, children: [{code: TEC01}, {code: TEC04, direction: 1}]}\n"
         "  - {code: DRV, children: [{code: DRV03, direction: -1, goalposts: [0, 2], target: 0.3}]}\n"
         "uncertainty: {weights: {noise: 0.2, levels: [1, 2]}, aggregate: [arithmetic, geometric], seed: 3}\n")
# SIMULATED rows (not real statistics)
ROWS = [(u, c, y, float(v)) for u, base in (("甲市", 1), ("乙市", 2), ("丙市", 3), ("丁市", 5))
        for c, v0 in (("TEC01", 1.5), ("TEC04", 12.0), ("DRV03", 0.8)) for y, v in ((2022, v0 * base),
                                                                                      (2023, v0 * base + 1))]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.integers(10**300, 10**310),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["minmax", "zscore", "goalposts", "target", "ahp", "entropy", "pca", "combined", "mean",
                     "carry", "coinr", "eis", "geometric", "generalised", "topsis", "gra", "TEC01", "1", "-1",
                     ".inf", "Infinity", "1e400", "NaN"]))
values = st.recursive(scalars, lambda kids: st.lists(kids, max_size=4)
                      | st.dictionaries(st.sampled_from(["method", "range", "p", "noise", "levels", "seed",
                                                         "code", "children", "weight", "direction", "goalposts",
                                                         "pairwise", "target", "denominator", "indicator", "unit",
                                                         "alpha", "level", "winmax"]), kids, max_size=4),
                      max_leaves=12)
node = st.deferred(lambda: st.fixed_dictionaries(
    {"code": st.sampled_from(["TEC01", "TEC04", "DRV03", "GOV01", "G1", "G2", ""])},
    optional={"weight": scalars, "direction": scalars, "goalposts": values, "target": scalars,
              "pairwise": values, "denominator": scalars, "children": st.lists(node, max_size=3)}))
documents = st.fixed_dictionaries(
    {"tree": st.one_of(st.lists(node, min_size=1, max_size=3), values)},
    optional={k: values for k in ("name", "code", "denominate", "impute", "treat", "normalise", "weights",
                                  "aggregate", "scoring", "coverage", "uncertainty")})


def _attempt(run: Any) -> None:
    try:
        run()
    except InnocityError as exc:
        assert "\n" not in exc.one_line()


def _run_text(text: str) -> None:
    def go() -> None:
        spec = service.framework_from_text(text, catalog=CAT, source="fuzz.yaml")
        service.run_index(spec=spec, data=LongRows(list(ROWS), source="rows"), uncertainty=8, sobol=4,
                          obstacles=2)

    _attempt(go)


@settings(max_examples=60)
@given(documents)
def test_any_framework_document_gives_a_result_or_one_line(doc: dict[str, Any]) -> None:
    _run_text(yaml.safe_dump(doc, allow_unicode=True))


PATHS = [("impute",), ("treat",), ("treat", "winmax"), ("normalise", "method"), ("normalise", "range"),
         ("normalise", "range", 0), ("weights", "method"), ("weights", "level"), ("weights", "alpha"),
         ("aggregate",), ("scoring",), ("coverage", "indicator"), ("coverage", "unit"), ("denominate",),
         ("tree", 0, "weight"), ("tree", 0, "pairwise"), ("tree", 0, "children", 0, "direction"),
         ("tree", 0, "children", 1, "denominator"), ("tree", 1, "children", 0, "goalposts"),
         ("tree", 1, "children", 0, "target"), ("tree", 1, "children"), ("uncertainty", "weights", "noise"),
         ("uncertainty", "weights", "levels"), ("uncertainty", "aggregate"), ("uncertainty", "seed"),
         ("uncertainty", "normalise_range"), ("uncertainty", "normalise"), ("uncertainty", "impute")]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    """Put ``value`` at ``path`` when the document still has that shape (earlier edits may have changed it)."""
    for key in path[:-1]:
        if isinstance(doc, dict) and key in doc:
            doc = doc[key]
        elif isinstance(doc, list) and isinstance(key, int) and key < len(doc):
            doc = doc[key]
        else:
            return
    last = path[-1]
    if isinstance(doc, dict) or (isinstance(doc, list) and isinstance(last, int) and last < len(doc)):
        doc[last] = value


@settings(max_examples=150)
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=3))
def test_a_valid_framework_with_odd_values_gives_a_result_or_one_line(edits: list[tuple[tuple[Any, ...], Any]]
                                                                     ) -> None:
    doc = yaml.safe_load(VALID)
    for path, value in edits:
        _set(doc, path, value)
    _run_text(yaml.safe_dump(doc, allow_unicode=True))


@settings(max_examples=100)
@given(st.lists(st.tuples(st.integers(0, len(VALID)), st.sampled_from(list("[]{}:,&*!|>-#'\"\n \t.0e%@`"))
                          | st.text(max_size=3)), max_size=6))
def test_a_mangled_framework_file_gives_a_result_or_one_line(edits: list[tuple[int, str]]) -> None:
    text = VALID
    for pos, chunk in edits:
        text = text[:pos] + chunk + text[pos + 1:]
    _run_text(text)


cells = st.one_of(st.sampled_from(["甲市", "乙市", "TEC01", "TEC04", "DRV03", "2023", "2022", "1.5", "-2", "",
                                   "NA", "nan", "inf", "1e400", "1_000", "０.５", "=1+1", '"', '"x"y', "a\nb"]),
                  st.text(max_size=6), st.floats(allow_nan=True, allow_infinity=True).map(repr))


@settings(max_examples=150)
@given(st.lists(st.lists(cells, min_size=0, max_size=6), max_size=12),
       st.sampled_from(["unit,indicator,period,value", "unit,indicator,period,value,group", "unit,value",
                        '"unit",indicator,period,"value"']),
       st.sampled_from([",", ";", "\t"]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_data_file_gives_a_result_or_one_line(rows: list[list[str]], header: str, sep: str, nl: str) -> None:
    text = header + nl + nl.join(sep.join(r) for r in rows) + nl

    def go() -> None:
        data = parse_data_csv(text, source="fuzz.csv")
        spec = service.framework_from_text(VALID, catalog=CAT, source="fw.yaml")
        service.run_index(spec=spec, data=data, uncertainty=8)

    _attempt(go)
