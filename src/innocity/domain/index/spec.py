"""Framework documents (a parsed YAML mapping) → a validated ``FrameworkSpec``: the tree, the engine
parameters, the coverage rules and the Monte Carlo specification.

Pure Python on plain dicts and lists, so it lives in the domain; reading the file is the service's job.
Everything is checked here, before any data are read, and every problem is a ``FrameworkError`` naming the
file (``source``) and the key path (``normalise.range``, ``tree[0].children[2] (node TEC01).goalposts``):
types, ranges (a normalisation range must rise, goalposts too), seeds (whole numbers ≥ 0), uncertainty
levels that exist in the tree, AHP matrices (square, positive, reciprocal, CR ≤ ``weights.max_cr``, 0.1 by
default, Saaty's limit) and non-finite numbers anywhere in the document (.inf, .nan, 1.0e400).
Top-level and node keys the engine does not know are allowed (annotations); inside a method block
(``treat: {...}``) an unknown key is refused, since it is most likely a misspelt parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from innocity.errors import FrameworkError

from .aggregation import AGGREGATE_METHODS
from .coverage import CoverageRule
from .framework import Framework, Node
from .model import WEIGHT_METHODS
from .steps import IMPUTE_METHODS, NORMALISE_METHODS, TREAT_METHODS
from .uncertainty import UncertaintySpec
from .weighting import ahp_weights

SCORINGS = ("index", "topsis", "gra")
MAX_TREE_NODES = 1000  # indicators and groups together
MAX_TREE_DEPTH = 32
MAX_SEED = 2**63 - 1

# the keys each method block may hold besides ``method``
BLOCK_KEYS: dict[str, tuple[str, ...]] = {
    "impute": (),
    "treat": ("winmax", "skew_thresh", "kurt_thresh", "sigmas"),
    "normalise": ("range",),
    "weights": ("subjective", "objective", "alpha", "rule", "level", "max_cr"),
    "aggregate": ("p",),
    "scoring": (),
}


@dataclass(frozen=True)
class FrameworkSpec:
    """A framework file read: the tree, the engine parameters and what the Monte Carlo varies."""

    framework: Framework
    params: dict[str, Any]
    uncertainty: UncertaintySpec
    name: str = ""
    scoring: str = "index"  # index | topsis | gra: what "score" and "rank" report
    coverage: CoverageRule = field(default_factory=CoverageRule)


def _fail(source: str, where: str, why: str) -> FrameworkError:
    return FrameworkError(f"{where}: {why}", source=source)


def _number(value: Any, src: str, where: str, *, lo: float | None = None, hi: float | None = None,
            above: float | None = None, integer: bool = False) -> float:
    """A finite number within bounds (``above``: strictly greater), else a FrameworkError naming ``where``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _fail(src, where, f"must be a number, got {_show(value)}")
    try:
        out = float(value)
    except (ValueError, OverflowError):
        raise _fail(src, where, f"must be a number, got {_show(value)}") from None
    if not math.isfinite(out):
        raise _fail(src, where, f"must be a finite number, got {_show(value)}")
    if integer and not out.is_integer():
        raise _fail(src, where, f"must be a whole number, got {_show(value)}")
    if lo is not None and out < lo:
        raise _fail(src, where, f"must be at least {lo:g}, got {out:g}")
    if hi is not None and out > hi:
        raise _fail(src, where, f"must be at most {hi:g}, got {out:g}")
    if above is not None and out <= above:
        raise _fail(src, where, f"must be above {above:g}, got {out:g}")
    return out


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _range(value: Any, src: str, where: str) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2:
        raise _fail(src, where, "must be [low, high]")
    lo, hi = (_number(v, src, where) for v in value)
    if not lo < hi:
        raise _fail(src, where, f"must be [low, high] with low < high, got [{lo:g}, {hi:g}]")
    return lo, hi


def _text(value: Any, src: str, where: str) -> str:
    if isinstance(value, dict | list) or value is None:
        raise _fail(src, where, f"must be text, got {_show(value)}")
    return str(value)


def check_finite(doc: Any, src: str) -> None:
    """Refuse a non-finite float anywhere in the document, naming its key path (iterative: no recursion)."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    seen: set[int] = set()
    while stack:
        obj, path = stack.pop()
        if isinstance(obj, float) and not math.isfinite(obj):
            raise _fail(src, path or "top level", f"not a finite number ({obj})")
        if isinstance(obj, dict | list):
            if id(obj) in seen:  # a YAML alias shares the object: look at it once
                continue
            seen.add(id(obj))
            items = obj.items() if isinstance(obj, dict) else enumerate(obj)
            for k, v in items:
                stack.append((v, f"{path}[{k}]" if isinstance(obj, list) else (f"{path}.{k}" if path else str(k))))


def _block(doc: dict[str, Any], key: str, allowed: tuple[str, ...], default: str, src: str) -> dict[str, Any]:
    block = doc.get(key, {})
    if block is None:
        block = {}
    if isinstance(block, str):
        block = {"method": block}
    if not isinstance(block, dict):
        raise _fail(src, key, "must be a mapping such as {method: …}")
    for k in block:
        if k != "method" and k not in BLOCK_KEYS[key]:
            known = ", ".join(("method", *BLOCK_KEYS[key]))
            raise _fail(src, f"{key}.{k}", f"unknown key; {key} takes {known}")
    method = block.get("method", default)
    if not isinstance(method, str) or method not in allowed:
        raise _fail(src, f"{key}.method", f"unknown {_show(method)}; expected one of {', '.join(allowed)}")
    return {**block, "method": method}


class _Tree:
    """Builds nodes from the document, counting them so a huge tree is refused early."""

    def __init__(self, src: str, directions: dict[str, int] | None, ahp: bool, max_cr: float) -> None:
        self.src, self.directions, self.ahp, self.max_cr = src, directions or {}, ahp, max_cr
        self.count = 0

    def node(self, raw: Any, path: str, depth: int) -> Node:
        src = self.src
        self.count += 1
        if self.count > MAX_TREE_NODES:
            raise _fail(src, "tree", f"more than {MAX_TREE_NODES} nodes (the documented maximum)")
        if depth > MAX_TREE_DEPTH:
            raise _fail(src, path, f"nested deeper than {MAX_TREE_DEPTH} levels")
        if not isinstance(raw, dict) or "code" not in raw:
            raise _fail(src, path, "each node needs a mapping with at least 'code'")
        code = _text(raw["code"], src, f"{path}.code").strip()
        if not code:
            raise _fail(src, f"{path}.code", "must not be empty")
        where = f"{path} (node {code})"
        kids_raw = raw.get("children") or []
        if not isinstance(kids_raw, list):
            raise _fail(src, f"{where}.children", "must be a list of nodes")
        kids = tuple(self.node(k, f"{path}.children[{i}]", depth + 1) for i, k in enumerate(kids_raw))
        direction = raw.get("direction")
        if direction is None:
            direction = self.directions.get(code, 1)
        if isinstance(direction, bool) or direction not in (1, -1, 1.0, -1.0, "1", "-1"):
            raise _fail(src, f"{where}.direction", f"must be 1 or -1, got {_show(direction)}")
        target = raw.get("target")
        gp = raw.get("goalposts")
        den = raw.get("denominator")
        return Node(
            code=code,
            name=_text(raw.get("name", ""), src, f"{where}.name"),
            weight=_number(raw.get("weight", 1), src, f"{where}.weight", lo=0),
            direction=int(float(direction)),
            children=kids,
            denominator=_text(den, src, f"{where}.denominator") if den not in (None, "") else None,
            target=_number(target, src, f"{where}.target") if target is not None else None,
            goalposts=_range(gp, src, f"{where}.goalposts") if gp is not None else None,
            pairwise=self.pairwise(raw.get("pairwise"), len(kids), where),
        )

    def pairwise(self, pw: Any, k: int, where: str) -> tuple[tuple[float, ...], ...] | None:
        if pw is None:
            return None
        src, key = self.src, f"{where}.pairwise"
        if not isinstance(pw, list) or len(pw) != k or not all(isinstance(r, list) and len(r) == k for r in pw):
            raise _fail(src, key, f"must be a {k}×{k} list of lists (one row per child)")
        out = tuple(tuple(_number(v, src, key, above=0) for v in r) for r in pw)
        if self.ahp and k > 0:
            try:
                _, _, _, cr = ahp_weights(np.array(out, dtype=float))
            except ValueError as exc:
                raise _fail(src, key, str(exc)) from None
            if cr > self.max_cr:
                raise _fail(src, key, f"judgements are inconsistent (CR = {cr:.3f} > {self.max_cr:g}); "
                                      "revise the matrix")
        return out


def parse_framework(doc: Any, source: str, *, directions: dict[str, int] | None = None) -> FrameworkSpec:
    """Build a FrameworkSpec from a parsed YAML document (``source`` names the file in errors)."""
    if not isinstance(doc, dict):
        raise _fail(source, "top level", "must be a mapping with at least 'tree'")
    check_finite(doc, source)
    tree = doc.get("tree")
    if not isinstance(tree, list) or not tree:
        raise _fail(source, "tree", "must be a non-empty list of groups or indicators")
    imp = _block(doc, "impute", IMPUTE_METHODS, "none", source)
    trt = _block(doc, "treat", TREAT_METHODS, "none", source)
    nrm = _block(doc, "normalise", NORMALISE_METHODS, "minmax", source)
    wts = _block(doc, "weights", WEIGHT_METHODS, "manual", source)
    agg = _block(doc, "aggregate", AGGREGATE_METHODS, "arithmetic", source)
    scoring = _block(doc, "scoring", SCORINGS, "index", source)["method"]
    wparams = _weight_params(wts, source)
    uses_ahp = wts["method"] == "ahp" or wparams.get("subjective") == "ahp"
    builder = _Tree(source, directions, uses_ahp, float(wparams.get("max_cr", 0.1)))
    children = tuple(builder.node(n, f"tree[{i}]", 1) for i, n in enumerate(tree))
    name = _text(doc.get("name", ""), source, "name")
    root = Node(_text(doc.get("code", "Index"), source, "code"), name, 1.0, 1, children)
    fw = Framework(root, name, source)
    denominate = doc.get("denominate", True)
    if not isinstance(denominate, bool):
        raise _fail(source, "denominate", f"must be true or false, got {_show(denominate)}")
    params: dict[str, Any] = {
        "denominate": denominate,
        "impute": imp["method"],
        "treat": trt["method"],
        "treat_params": _treat_params(trt, source),
        "normalise": nrm["method"],
        "normalise_range": _range(nrm.get("range", [0, 100]), source, "normalise.range"),
        "weights": wts["method"],
        "weight_params": wparams,
        "aggregate": agg["method"],
        "p": _number(agg.get("p", 1.0), source, "aggregate.p", lo=-50, hi=50),
    }
    level = wparams.get("level")
    if level is not None and not 1 <= level < fw.height:
        raise _fail(source, "weights.level", f"must name a level below the index (1–{fw.height - 1}), got {level}")
    unc = _uncertainty(doc.get("uncertainty"), source)
    block = doc.get("uncertainty")
    explicit = isinstance(block, dict) and isinstance(block.get("weights"), dict) and "levels" in block["weights"]
    bad = [lv for lv in unc.noise_levels if lv > fw.height]
    if explicit and bad:
        raise _fail(source, "uncertainty.weights.levels", f"level {bad[0]} does not exist; the tree has levels "
                                                         f"1 (indicators) to {fw.height} (the index)")
    for method in {nrm["method"], *unc.normalise}:
        _needs(fw, method, source)
    return FrameworkSpec(fw, params, unc, fw.name, scoring, _coverage(doc.get("coverage"), source))


def _needs(fw: Framework, method: str, src: str) -> None:
    """Goalposts and target normalisation need their numbers on every indicator."""
    attr = {"goalposts": "goalposts", "target": "target"}.get(method)
    if attr is None:
        return
    for node in fw.nodes[: fw.n_indicators]:
        if getattr(node, attr) is None:
            raise _fail(src, f"node {node.code!r}", f"normalisation {method!r} needs {attr} on every indicator")


def _treat_params(block: dict[str, Any], src: str) -> dict[str, float]:
    out = {}
    for k, v in block.items():
        if k == "method":
            continue
        if k == "winmax":
            out[k] = _number(v, src, "treat.winmax", lo=0, hi=10_000, integer=True)
        else:
            out[k] = _number(v, src, f"treat.{k}", above=0, hi=1e6)
    return out


_CHOICE_CHECKS: dict[str, tuple[str, ...]] = {
    "subjective": ("ahp", "manual"),
    "objective": ("entropy", "critic", "cv", "pca"),
    "rule": ("linear", "product"),
}


def _weight_params(block: dict[str, Any], src: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in block.items():
        if k == "method":
            continue
        if k in _CHOICE_CHECKS:
            if not isinstance(v, str) or v not in _CHOICE_CHECKS[k]:
                raise _fail(src, f"weights.{k}", f"unknown {_show(v)}; expected one of "
                                                 f"{', '.join(_CHOICE_CHECKS[k])}")
            out[k] = v
        elif k == "alpha":
            out[k] = _number(v, src, "weights.alpha", lo=0, hi=1)
        elif k == "level":
            out[k] = int(_number(v, src, "weights.level", lo=1, integer=True, hi=MAX_TREE_DEPTH + 1))
        elif k == "max_cr":
            out[k] = _number(v, src, "weights.max_cr", above=0, hi=1)
    return out


def _coverage(block: Any, src: str) -> CoverageRule:
    if block is None:
        return CoverageRule()
    if not isinstance(block, dict):
        raise _fail(src, "coverage", "must be a mapping such as {indicator: 0.667, unit: 0.5}")
    for k in block:
        if k not in ("indicator", "unit"):
            raise _fail(src, f"coverage.{k}", "unknown key; coverage takes indicator, unit")
    d = CoverageRule()
    return CoverageRule(
        indicator=_number(block.get("indicator", d.indicator), src, "coverage.indicator", lo=0, hi=1),
        unit=_number(block.get("unit", d.unit), src, "coverage.unit", lo=0, hi=1),
    )


def _choices(block: dict[str, Any], key: str, allowed: tuple[str, ...], src: str) -> tuple[str, ...]:
    vals = block.get(key) or []
    if isinstance(vals, str):
        vals = [vals]
    if not isinstance(vals, list):
        raise _fail(src, f"uncertainty.{key}", f"must be a list of alternatives from {', '.join(allowed)}")
    for v in vals:
        if not isinstance(v, str) or v not in allowed:
            raise _fail(src, f"uncertainty.{key}", f"unknown {_show(v)}; expected one of {', '.join(allowed)}")
    return tuple(vals)


def parse_seed(value: Any, src: str | None, where: str) -> int:
    """A random seed: a whole number from 0 to 2⁶³ − 1."""
    fail: Callable[[str], FrameworkError] = (
        (lambda why: _fail(src, where, why)) if src else (lambda why: FrameworkError(why, field=where)))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise fail(f"must be a whole number ≥ 0, got {_show(value)}")
    try:
        seed = int(value) if isinstance(value, int) else int(float(value)) if float(value).is_integer() else -1
    except (ValueError, OverflowError):
        raise fail(f"must be a whole number ≥ 0, got {_show(value)}") from None
    if not 0 <= seed <= MAX_SEED:
        raise fail(f"must be a whole number from 0 to 2^63 − 1, got {_show(value)}")
    return seed


def _uncertainty(block: Any, src: str) -> UncertaintySpec:
    if block is None:
        return UncertaintySpec(weight_noise=0.25, noise_levels=(2, 3), aggregate=("arithmetic", "geometric"),
                               normalise_range=(1.0, 100.0), seed=None)
    if not isinstance(block, dict):
        raise _fail(src, "uncertainty", "must be a mapping")
    w = block.get("weights") or {}
    if not isinstance(w, dict):
        raise _fail(src, "uncertainty.weights", "must be a mapping such as {noise: 0.25, levels: [2, 3]}")
    noise = _number(w.get("noise", 0.0), src, "uncertainty.weights.noise", lo=0)
    if noise >= 1:
        raise _fail(src, "uncertainty.weights.noise", f"must be in [0, 1), got {noise:g}")
    raw_levels = w.get("levels", [2, 3])
    if not isinstance(raw_levels, list):
        raw_levels = [raw_levels]
    levels = tuple(int(_number(v, src, "uncertainty.weights.levels", lo=1, integer=True, hi=MAX_TREE_DEPTH + 1))
                   for v in raw_levels)
    rng = block.get("normalise_range")
    seed = block.get("seed")
    return UncertaintySpec(
        weight_noise=noise, noise_levels=tuple(dict.fromkeys(levels)),
        aggregate=_choices(block, "aggregate", AGGREGATE_METHODS, src),
        normalise=_choices(block, "normalise", NORMALISE_METHODS, src),
        impute=_choices(block, "impute", IMPUTE_METHODS, src),
        treat=_choices(block, "treat", TREAT_METHODS, src),
        normalise_range=_range(rng, src, "uncertainty.normalise_range") if rng is not None else None,
        seed=parse_seed(seed, src, "uncertainty.seed") if seed is not None else None,
    )
